import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {expectedDue, REVENUE_DEMO, runRevenueShareDemo, type RevenueDemoReport} from "./revenue.ts";

// The demo's node-network step on its own Anvil: a REVENUE_SHARE deal repaid from the revenue its nodes reported,
// proven against final telemetry roots, checkpointed by the OracleRevenueAdapter; a forged root is slashed.
describe("revenue-share deal fed by the GPU node network", () => {
  let anvil: Anvil;
  let r: RevenueDemoReport;

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 42_437 + Number(process.env.VITEST_POOL_ID ?? 0)});
    const deployment = await deployLocal(anvil.rpcUrl, anvil.chainId);
    r = await runRevenueShareDemo(anvil.rpcUrl, deployment, {progress: false}, () => {});
  }, 300_000);
  afterAll(async () => anvil?.stop());

  it("proves every honest leaf of the final roots and credits the deal with their revenue", () => {
    const honest = r.sim.epochs.filter((m) => m.root === m.honestRoot);
    expect(honest.length).toBe(REVENUE_DEMO.epochs - 1); // one epoch's root was forged and rejected
    expect(r.provenLeaves).toBe(honest.reduce((n, m) => n + m.reports - m.rejectedReports, 0));
    expect(r.provenRevenue).toBe(honest.reduce((s, m) => s + m.revenue, 0n));
  });

  it("checkpoints the period at the proven revenue and charges max(minimum, share x revenue)", () => {
    expect(r.period).toBe(0n);
    expect(r.periodRevenue).toBe(r.provenRevenue);
    expect(r.due).toBe(expectedDue(r.periodRevenue));
    expect(r.due).toBeGreaterThan(REVENUE_DEMO.minPayment); // the revenue, not the floor, sets this payment
  });

  it("routes the payment to sAID's senior position and slashes the lying operator", () => {
    expect(r.saidCollected).toBeGreaterThan(0n);
    expect(r.saidCollected).toBeLessThanOrEqual(r.paid);
    expect(r.sim.slashed).toBeGreaterThan(0n);
    const liar = r.sim.operators.find((o) => o.liar)!;
    expect(liar.stakeAfter).toBeLessThan(liar.stakeBefore);
    for (const o of r.sim.operators.filter((x) => !x.liar)) expect(o.stakeAfter).toBe(o.stakeBefore);
  });
});
