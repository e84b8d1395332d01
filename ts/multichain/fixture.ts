// Helpers shared by the multi-chain vitest suites: signed writes on a local chain, AID minted against mock USDC on the
// home chain, and the packets a transaction sent.
import {parseEventLogs, type Address, type Hex, type PrivateKeyAccount} from "viem";
import {connectDemo, mintAid as mintAidOnHome} from "../demo/chain.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {send} from "../lib/tx.ts";
import type {LocalChain, LocalNetwork} from "./deploy.ts";
import {decodePacket, type Packet} from "./packet.ts";
import {endpointAbi} from "./relayer.ts";

/** Simulates and sends a contract write as `account`; throws if it reverts. */
export async function writeAs(
  c: LocalChain,
  account: PrivateKeyAccount,
  address: Address,
  abi: readonly unknown[],
  functionName: string,
  args: readonly unknown[],
  value?: bigint,
): Promise<Hex> {
  const receipt = await send({client: c.client, rpcUrl: c.anvil.rpcUrl, chainId: c.spec.chainId}, account, {address, abi, functionName, args, value});
  return receipt.transactionHash;
}

/** Mints `amount` AID [wad] to `to` on the home chain against mock USDC (the demos' `mintAid`, ts/demo/chain.ts). */
export async function mintAid(net: LocalNetwork, to: PrivateKeyAccount, amount: bigint): Promise<void> {
  const h = net.chains.find((c) => c.spec.home)!;
  await mintAidOnHome(await connectDemo(h.anvil.rpcUrl), h.deployment as LocalDeployment, to, amount, anvilAccount(0));
}

/** The LayerZero packets emitted by transaction `hash` on `c`. */
export async function packetsOf(c: LocalChain, hash: Hex): Promise<Packet[]> {
  const receipt = await c.client.getTransactionReceipt({hash});
  return parseEventLogs({abi: endpointAbi, logs: receipt.logs, eventName: "PacketSent"}).map((l) => decodePacket(l.args.encodedPayload));
}
