import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {startLocalNetwork, type LocalNetwork} from "../multichain/deploy.ts";
import {CROSSCHAIN, runCrossChainDemo, type ChainBalances} from "./crosschain.ts";
import {runDemo, type DemoSummary} from "./run.ts";

// `npm run demo` as a test: the home-chain flow, then the bridge to Arbitrum and Plume.
describe("demo across three local chains", () => {
  let net: LocalNetwork;
  let home: DemoSummary;
  let rows: ChainBalances[];

  beforeAll(async () => {
    net = await startLocalNetwork();
    const h = net.chains.find((c) => c.spec.home)!;
    home = await runDemo(h.anvil.rpcUrl, h.deployment as LocalDeployment, () => {});
    rows = await runCrossChainDemo(net, anvilAccount(2), () => {});
  }, 300_000);
  afterAll(async () => net?.stop());

  it("burns on the home chain and mints the same amount on the destinations", () => {
    const [eth, arb, plume] = rows;
    expect(eth!.holder).toBe(home.bobAid - CROSSCHAIN.toArbitrum - CROSSCHAIN.toPlume);
    expect(arb!.holder).toBe(CROSSCHAIN.toArbitrum);
    expect(plume!.holder).toBe(CROSSCHAIN.toPlume);
    expect(arb!.supply).toBe(CROSSCHAIN.toArbitrum);
  });

  it("keeps the global supply equal to the home supply before bridging", () => {
    expect(rows.reduce((a, r) => a + r.supply, 0n)).toBe(home.aidSupply);
  });
});
