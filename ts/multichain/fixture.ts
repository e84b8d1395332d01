// Helpers shared by the multi-chain vitest suites: signed writes on a local chain, AID minted against mock USDC on the
// home chain, and the packets a transaction sent.
import {parseEventLogs, type Address, type Hex, type PrivateKeyAccount} from "viem";
import {aidMinterAbi, mockERC20Abi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
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

/** Whitelists `to` on the home chain's minter and mints `amount` AID [wad] to it against mock USDC. */
export async function mintAid(net: LocalNetwork, to: PrivateKeyAccount, amount: bigint): Promise<void> {
  const h = net.chains.find((c) => c.spec.home)!;
  const d = h.deployment;
  const admin = anvilAccount(0);
  const usdc = amount / 10n ** 12n;
  const role = await h.client.readContract({address: d.minter!, abi: aidMinterAbi, functionName: "WHITELISTED_ROLE"});
  await writeAs(h, admin, d.minter!, aidMinterAbi, "grantRole", [role, to.address]);
  await writeAs(h, admin, d.usdc!, mockERC20Abi, "mint", [to.address, usdc]);
  await writeAs(h, to, d.usdc!, mockERC20Abi, "approve", [d.minter!, usdc]);
  await writeAs(h, to, d.minter!, aidMinterAbi, "mint", [d.usdc!, usdc, amount, to.address]);
}

/** The LayerZero packets emitted by transaction `hash` on `c`. */
export async function packetsOf(c: LocalChain, hash: Hex): Promise<Packet[]> {
  const receipt = await c.client.getTransactionReceipt({hash});
  return parseEventLogs({abi: endpointAbi, logs: receipt.logs, eventName: "PacketSent"}).map((l) => decodePacket(l.args.encodedPayload));
}
