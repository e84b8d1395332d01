// Second half of the README demo: AID leaves the home chain for Arbitrum and Plume as a LayerZero OFT (burn here,
// mint there), carried by the local relayer, and the global supply stays what was minted against USDC.
import {formatUnits, parseUnits, type Address, type PrivateKeyAccount} from "viem";
import {aidAbi} from "../abi/generated.ts";
import type {LocalNetwork} from "../multichain/deploy.ts";
import {sendAid} from "../multichain/oft.ts";
import {LocalRelayer} from "../multichain/relayer.ts";

export const CROSSCHAIN = {toArbitrum: parseUnits("50000", 18), toPlume: parseUnits("20000", 18)} as const;

export interface ChainBalances {
  name: string;
  holder: bigint;
  supply: bigint;
}

/** Sends AID from `holder` on the home chain to the same address on the two other chains and relays the packets. */
export async function runCrossChainDemo(net: LocalNetwork, holder: PrivateKeyAccount, log: (l: string) => void = console.log): Promise<ChainBalances[]> {
  const home = net.chains.find((c) => c.spec.home)!;
  const [arb, plume] = net.chains.filter((c) => !c.spec.home);
  const relayer = new LocalRelayer(net);
  await sendAid(home, holder, arb!.spec.eid, holder.address, CROSSCHAIN.toArbitrum);
  await sendAid(home, holder, plume!.spec.eid, holder.address, CROSSCHAIN.toPlume);
  const delivered = await relayer.relay();
  log(`8. bob bridged ${formatUnits(CROSSCHAIN.toArbitrum, 18)} AID to Arbitrum and ${formatUnits(CROSSCHAIN.toPlume, 18)} to Plume (OFT); relayer delivered ${delivered.filter((d) => d.ok).length} packets`);

  const rows: ChainBalances[] = [];
  for (const c of net.chains) {
    const read = (functionName: "balanceOf" | "totalSupply", args: readonly [Address] | readonly [] = []) =>
      c.client.readContract({address: c.deployment.aid, abi: aidAbi, functionName, args} as never) as Promise<bigint>;
    rows.push({name: c.spec.name, holder: await read("balanceOf", [holder.address]), supply: await read("totalSupply")});
  }
  log("");
  log("chain        bob's AID          AID supply");
  for (const r of rows) log(`${r.name.padEnd(10)} ${formatUnits(r.holder, 18).padStart(12)} ${formatUnits(r.supply, 18).padStart(18)}`);
  log(`all chains ${"".padStart(12)} ${formatUnits(rows.reduce((a, r) => a + r.supply, 0n), 18).padStart(18)}`);
  return rows;
}
