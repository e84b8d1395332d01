// LayerZero v2 encodings shared by the deploy tools: type-3 enforced options (OptionsBuilder) and the ULN302 /
// executor configs returned by `EndpointV2.getConfig` (SendUln302 / ReceiveUln302 config types 1 and 2).
import {concatHex, decodeAbiParameters, getAddress, numberToHex, parseAbiParameters, type Address, type Hex} from "viem";

/** `CONFIG_TYPE_EXECUTOR` and `CONFIG_TYPE_ULN` of SendUln302 / ReceiveUln302. */
export const CONFIG_TYPE_EXECUTOR = 1;
export const CONFIG_TYPE_ULN = 2;
/** OFTCore's SEND message type (the enforced options of plain OFT sends). */
export const MSG_TYPE_SEND = 1;

export interface UlnConfig {
  confirmations: bigint;
  requiredDVNCount: number;
  optionalDVNCount: number;
  optionalDVNThreshold: number;
  requiredDVNs: Address[];
  optionalDVNs: Address[];
}

export interface ExecutorConfig {
  maxMessageSize: number;
  executor: Address;
}

const ULN = parseAbiParameters(
  "(uint64 confirmations, uint8 requiredDVNCount, uint8 optionalDVNCount, uint8 optionalDVNThreshold, address[] requiredDVNs, address[] optionalDVNs)",
);
const EXECUTOR = parseAbiParameters("(uint32 maxMessageSize, address executor)");

export function decodeUlnConfig(data: Hex): UlnConfig {
  const [c] = decodeAbiParameters(ULN, data);
  return {
    confirmations: c.confirmations,
    requiredDVNCount: c.requiredDVNCount,
    optionalDVNCount: c.optionalDVNCount,
    optionalDVNThreshold: c.optionalDVNThreshold,
    requiredDVNs: c.requiredDVNs.map((a) => getAddress(a)),
    optionalDVNs: c.optionalDVNs.map((a) => getAddress(a)),
  };
}

export function decodeExecutorConfig(data: Hex): ExecutorConfig {
  const [c] = decodeAbiParameters(EXECUTOR, data);
  return {maxMessageSize: c.maxMessageSize, executor: getAddress(c.executor)};
}

/** `OptionsBuilder.addExecutorLzReceiveOption(OptionsBuilder.newOptions(), gas, 0)`: type 3, executor worker (1),
 *  option length 17, LZRECEIVE (1), uint128 gas. */
export function lzReceiveOption(gas: bigint): Hex {
  return concatHex(["0x0003", "0x01", "0x0011", "0x01", numberToHex(gas, {size: 16})]);
}
