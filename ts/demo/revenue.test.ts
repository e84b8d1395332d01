import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {expectedDue, REVENUE_DEMO, runRevenueShareDemo, type RevenueDemoReport} from "./revenue.ts";

// The demo's node-network step on its own Anvil: a REVENUE_SHARE deal repaid from the revenue its nodes reported,
// proven against final telemetry roots, checkpointed by the OracleRevenueAdapter; a root with a forged leaf is rejected
// and its attester slashed; a node that signs two reports is excluded and its operator slashed, its epoch's root stands.
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
    expect(r.provenLeaves).toBe(honest.reduce((n, m) => n + m.leaves, 0) - r.excludedLeaves);
    expect(r.provenRevenue).toBe(honest.reduce((s, m) => s + m.revenue, 0n) - r.excludedRevenue);
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
    for (const o of r.sim.operators.filter((x) => !x.liar && !x.equivocator)) expect(o.stakeAfter).toBe(o.stakeBefore);
  });

  it("punishes the equivocating node's operator and excludes the node while the honest root stands", () => {
    expect(r.sim.equivocations).toHaveLength(1);
    const [e] = r.sim.equivocations;
    const m = r.sim.epochs.find((x) => x.epoch === e!.epoch)!;
    expect(m.equivocation).toBe(true);
    expect(m.accepted).toBe(true);
    expect(m.root).toBe(m.honestRoot); // not rejected: both reports were node-signed
    expect(e!.requestId).toBeGreaterThan(0n);
    expect(e!.amount).toBeGreaterThan(0n);
    const op = r.sim.operators.find((o) => o.equivocator)!;
    expect(op.liar).toBe(false);
    expect(e!.operator).toBe(op.address);
    expect(op.stakeAfter).toBe(op.stakeBefore - e!.amount);
    expect(r.excludedLeaves).toBe(1); // its leaf in that (last) epoch's root cannot be proven
    expect(r.excludedRevenue).toBeGreaterThan(0n);
  });
});
