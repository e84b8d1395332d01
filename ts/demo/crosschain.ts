// Last part of the README demo: AID and sAID leave the home chain for Arbitrum and Plume as LayerZero OFTs (AID: burn
// here, mint there; sAID: shares locked in the home adapter, minted by StakedAIDOFT at the same address elsewhere),
// carried by the local relayer, and part of each comes back. Global AID supply and sAID shares stay conserved.
import {formatUnits, parseUnits, type Address, type PrivateKeyAccount} from "viem";
import {aidAbi, stakedAIDAbi} from "../abi/generated.ts";
import {send} from "../lib/tx.ts";
import type {LocalChain, LocalNetwork} from "../multichain/deploy.ts";
import {sendAid, sendOft} from "../multichain/oft.ts";
import {LocalRelayer} from "../multichain/relayer.ts";

export const CROSSCHAIN = {
  toArbitrum: parseUnits("50000", 18),
  toPlume: parseUnits("20000", 18),
  backFromArbitrum: parseUnits("10000", 18),
  backFromPlume: parseUnits("5000", 18),
  stake: parseUnits("10000", 18), // AID the holder stakes into sAID before bridging shares
  sharesToArbitrum: parseUnits("4000", 18),
  sharesToPlume: parseUnits("2000", 18),
  sharesBackFromArbitrum: parseUnits("1000", 18),
  sharesBackFromPlume: parseUnits("500", 18),
} as const;

export interface ChainBalances {
  name: string;
  holder: bigint; // AID
  supply: bigint; // AID
  holderShares: bigint; // sAID
  shareSupply: bigint; // sAID shares on this chain (home: the vault's total, adapter lock included)
  locked: bigint; // home only: sAID shares locked in the adapter
}

export interface CrossChainReport {
  rows: ChainBalances[];
  delivered: number;
}

const read = (c: LocalChain, address: Address, functionName: "balanceOf" | "totalSupply", args: readonly [Address] | readonly [] = []) =>
  c.client.readContract({address, abi: aidAbi, functionName, args} as never) as Promise<bigint>;

/** Bridges AID and sAID of `holder` from the home chain to Arbitrum and Plume and part of it back, relaying the packets. */
export async function runCrossChainDemo(net: LocalNetwork, holder: PrivateKeyAccount, log: (l: string) => void = console.log): Promise<CrossChainReport> {
  const home = net.chains.find((c) => c.spec.home)!;
  const [arb, plume] = net.chains.filter((c) => !c.spec.home) as [LocalChain, LocalChain];
  const said = (c: LocalChain) => c.deployment.sAID!;
  const write = (c: LocalChain, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) =>
    send({client: c.client, rpcUrl: c.anvil.rpcUrl, chainId: c.spec.chainId}, holder, {address, abi, functionName, args});
  const relayer = new LocalRelayer(net);
  let delivered = 0;
  const relay = async () => {
    const out = await relayer.relay();
    const failed = out.filter((x) => !x.ok);
    if (failed.length) throw new Error(`relayer: ${failed.length} packet(s) failed: ${failed[0]!.error}`);
    delivered += out.length;
    return out.length;
  };
  const f = (v: bigint) => formatUnits(v, 18);

  // out: AID burnt at home and minted on the destinations; sAID shares locked in the home adapter
  await write(home, home.deployment.aid, aidAbi, "approve", [said(home), CROSSCHAIN.stake]);
  await write(home, said(home), stakedAIDAbi, "deposit", [CROSSCHAIN.stake, holder.address]);
  const sharesOut = CROSSCHAIN.sharesToArbitrum + CROSSCHAIN.sharesToPlume;
  await write(home, said(home), stakedAIDAbi, "approve", [home.deployment.sAIDAdapter!, sharesOut]);
  await sendAid(home, holder, arb.spec.eid, holder.address, CROSSCHAIN.toArbitrum);
  await sendAid(home, holder, plume.spec.eid, holder.address, CROSSCHAIN.toPlume);
  await sendOft(home, holder, home.deployment.sAIDAdapter!, arb.spec.eid, holder.address, CROSSCHAIN.sharesToArbitrum);
  await sendOft(home, holder, home.deployment.sAIDAdapter!, plume.spec.eid, holder.address, CROSSCHAIN.sharesToPlume);
  const out = await relay();
  log(`\nbob bridges ${f(CROSSCHAIN.toArbitrum)} AID + ${f(CROSSCHAIN.sharesToArbitrum)} sAID to Arbitrum and ` +
    `${f(CROSSCHAIN.toPlume)} AID + ${f(CROSSCHAIN.sharesToPlume)} sAID to Plume; the relayer delivers ${out} packets`);

  // back: burnt on the remotes, minted (AID) or unlocked (sAID) at home
  await sendAid(arb, holder, home.spec.eid, holder.address, CROSSCHAIN.backFromArbitrum);
  await sendAid(plume, holder, home.spec.eid, holder.address, CROSSCHAIN.backFromPlume);
  await sendOft(arb, holder, said(arb), home.spec.eid, holder.address, CROSSCHAIN.sharesBackFromArbitrum);
  await sendOft(plume, holder, said(plume), home.spec.eid, holder.address, CROSSCHAIN.sharesBackFromPlume);
  const back = await relay();
  log(`and brings ${f(CROSSCHAIN.backFromArbitrum)} AID + ${f(CROSSCHAIN.sharesBackFromArbitrum)} sAID back from Arbitrum, ` +
    `${f(CROSSCHAIN.backFromPlume)} AID + ${f(CROSSCHAIN.sharesBackFromPlume)} sAID from Plume (${back} packets)`);

  const rows: ChainBalances[] = [];
  for (const c of net.chains) {
    rows.push({
      name: c.spec.name,
      holder: await read(c, c.deployment.aid, "balanceOf", [holder.address]),
      supply: await read(c, c.deployment.aid, "totalSupply"),
      holderShares: await read(c, said(c), "balanceOf", [holder.address]),
      shareSupply: await read(c, said(c), "totalSupply"),
      locked: c.spec.home ? await read(c, said(c), "balanceOf", [c.deployment.sAIDAdapter!]) : 0n,
    });
  }
  const n = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US", {maximumFractionDigits: 2}).padStart(16);
  log("");
  log("chain        bob's AID        AID supply      bob's sAID   sAID shares here");
  for (const r of rows) log(`${r.name.padEnd(10)} ${n(r.holder)} ${n(r.supply)} ${n(r.holderShares)} ${n(r.shareSupply)}`);
  const remote = rows.filter((r) => r.name !== home.spec.name);
  log(`all chains ${"".padStart(16)} ${n(rows.reduce((a, r) => a + r.supply, 0n))}   ` +
    `(sAID locked in the home adapter ${n(rows.find((r) => r.name === home.spec.name)!.locked).trim()} = shares on the other chains ` +
    `${n(remote.reduce((a, r) => a + r.shareSupply, 0n)).trim()})`);
  return {rows, delivered};
}
