// OFT transfers (AID, sAID, GAIB) between local chains.
import {pad, type Address, type Hex, type PrivateKeyAccount} from "viem";
import {aidAbi, gaibAbi, gaibAdapterAbi, gaiboftAbi} from "../abi/generated.ts";
import {send, type TxTarget} from "../lib/tx.ts";
import type {LocalChain} from "./deploy.ts";
import {lzReceiveOptions} from "./packet.ts";

export const LZ_RECEIVE_GAS = 200_000n;

export function sendParam(dstEid: number, to: Address, amountLD: bigint, minAmountLD = amountLD) {
  return {
    dstEid,
    to: pad(to, {size: 32}),
    amountLD,
    minAmountLD,
    extraOptions: lzReceiveOptions(LZ_RECEIVE_GAS),
    composeMsg: "0x" as Hex,
    oftCmd: "0x" as Hex,
  };
}

/** Sends `amount` AID from `src` to `to` on `dstEid`, paying the quoted native fee; returns the tx hash. */
export function sendAid(src: LocalChain, account: PrivateKeyAccount, dstEid: number, to: Address, amount: bigint): Promise<Hex> {
  return sendOft(src, account, src.deployment.aid, dstEid, to, amount);
}

/** Sends `amount` through the OFT (or OFT adapter) at `oft` on `src` (IOFT `quoteSend` + `send`, the same ABI for AID,
 *  the sAID adapter and StakedAIDOFT), paying the quoted native fee; returns the tx hash. */
export async function sendOft(src: LocalChain, account: PrivateKeyAccount, oft: Address, dstEid: number, to: Address, amount: bigint): Promise<Hex> {
  const param = sendParam(dstEid, to, amount);
  const fee = (await src.client.readContract({address: oft, abi: aidAbi, functionName: "quoteSend", args: [param, false]})) as {
    nativeFee: bigint;
    lzTokenFee: bigint;
  };
  const receipt = await send(targetOf(src), account, {address: oft, abi: aidAbi, functionName: "send", args: [param, fee, account.address], value: fee.nativeFee});
  return receipt.transactionHash;
}

const targetOf = (c: LocalChain): TxTarget => ({client: c.client, rpcUrl: c.anvil.rpcUrl, chainId: c.spec.chainId});

/** Sends `amount` GAIB from `src` to `to` on `dstEid`: through the OFT adapter on the home chain (approving it
 *  first), through the GAIB OFT elsewhere; pays the quoted native fee and returns the tx hash. */
export async function sendGaib(src: LocalChain, account: PrivateKeyAccount, dstEid: number, to: Address, amount: bigint): Promise<Hex> {
  const d = src.deployment as typeof src.deployment & {gaibAdapter?: Address};
  const oft = src.spec.home ? d.gaibAdapter! : d.gaib;
  const abi = src.spec.home ? gaibAdapterAbi : gaiboftAbi;
  if (src.spec.home) await send(targetOf(src), account, {address: d.gaib, abi: gaibAbi, functionName: "approve", args: [oft, amount]});
  const param = sendParam(dstEid, to, amount);
  const fee = (await src.client.readContract({address: oft, abi, functionName: "quoteSend", args: [param, false]})) as {
    nativeFee: bigint;
    lzTokenFee: bigint;
  };
  const receipt = await send(targetOf(src), account, {address: oft, abi, functionName: "send", args: [param, fee, account.address], value: fee.nativeFee});
  return receipt.transactionHash;
}
