import {hexToBigInt, hexToNumber, slice, type Hex} from "viem";

/** A LayerZero v2 packet as encoded by PacketV1Codec (what EndpointV2 emits in `PacketSent`). */
export interface Packet {
  nonce: bigint;
  srcEid: number;
  sender: Hex; // bytes32
  dstEid: number;
  receiver: Hex; // bytes32
  guid: Hex;
  message: Hex;
}

// PacketV1Codec layout: version u8 | nonce u64 | srcEid u32 | sender b32 | dstEid u32 | receiver b32 | guid b32 | message
export function decodePacket(encoded: Hex): Packet {
  const version = hexToNumber(slice(encoded, 0, 1));
  if (version !== 1) throw new Error(`unsupported packet version ${version}`);
  return {
    nonce: hexToBigInt(slice(encoded, 1, 9)),
    srcEid: hexToNumber(slice(encoded, 9, 13)),
    sender: slice(encoded, 13, 45),
    dstEid: hexToNumber(slice(encoded, 45, 49)),
    receiver: slice(encoded, 49, 81),
    guid: slice(encoded, 81, 113),
    message: encoded.length > 2 + 113 * 2 ? slice(encoded, 113) : "0x",
  };
}

/** bytes32 (left-padded) -> address. */
export function bytes32ToAddress(b: Hex): Hex {
  return `0x${b.slice(-40)}`;
}

/** Type-3 options with one executor lzReceive option of `gas` (OptionsBuilder.addExecutorLzReceiveOption(gas, 0)). */
export function lzReceiveOptions(gas: bigint): Hex {
  return `0x000301001101${gas.toString(16).padStart(32, "0")}`;
}
