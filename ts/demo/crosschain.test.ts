import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {startLocalNetwork, type LocalNetwork} from "../multichain/deploy.ts";
import {CROSSCHAIN as C, runCrossChainDemo, type CrossChainReport} from "./crosschain.ts";
import {runDemo, type DemoSummary} from "./run.ts";

// `npm run demo` as a test: the home-chain flow, then AID and sAID to Arbitrum and Plume and part of it back.
describe("demo across three local chains", () => {
  let net: LocalNetwork;
  let home: DemoSummary;
  let r: CrossChainReport;
  let sharesBefore: bigint;

  beforeAll(async () => {
    net = await startLocalNetwork();
    const h = net.chains.find((c) => c.spec.home)!;
    home = await runDemo(h.anvil.rpcUrl, h.deployment as LocalDeployment, () => {});
    sharesBefore = (await h.client.readContract({
      address: h.deployment.sAID!,
      abi: [{type: "function", name: "balanceOf", stateMutability: "view", inputs: [{type: "address"}], outputs: [{type: "uint256"}]}],
      functionName: "balanceOf",
      args: [anvilAccount(2).address],
    })) as bigint;
    r = await runCrossChainDemo(net, anvilAccount(2), () => {});
  }, 300_000);
  afterAll(async () => net?.stop());

  it("moves AID out and back: burnt at the source, minted at the destination", () => {
    const [eth, arb, plume] = r.rows;
    expect(r.delivered).toBe(8);
    expect(eth!.holder).toBe(home.bobAid - C.stake - C.toArbitrum - C.toPlume + C.backFromArbitrum + C.backFromPlume);
    expect(arb!.holder).toBe(C.toArbitrum - C.backFromArbitrum);
    expect(plume!.holder).toBe(C.toPlume - C.backFromPlume);
    expect(arb!.supply).toBe(C.toArbitrum - C.backFromArbitrum);
    expect(plume!.supply).toBe(C.toPlume - C.backFromPlume);
  });

  it("keeps the global AID supply equal to the home supply before bridging", () => {
    expect(r.rows.reduce((a, x) => a + x.supply, 0n)).toBe(home.aidSupply);
  });

  it("moves sAID shares out and back: the home adapter locks exactly the shares that exist elsewhere", () => {
    const [eth, arb, plume] = r.rows;
    expect(arb!.holderShares).toBe(C.sharesToArbitrum - C.sharesBackFromArbitrum);
    expect(plume!.holderShares).toBe(C.sharesToPlume - C.sharesBackFromPlume);
    expect(eth!.locked).toBe(arb!.shareSupply + plume!.shareSupply);
    const staked = eth!.holderShares + arb!.holderShares + plume!.holderShares - sharesBefore;
    // the shares bob got for C.stake AID, wherever they are now: at most one per AID (the share price is >= 1)
    expect(staked).toBeGreaterThan(0n);
    expect(staked).toBeLessThanOrEqual(C.stake);
  });
});
