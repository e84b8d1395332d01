import {createPublicClient, http} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {gpuDealAbi, nodeRegistryAbi, stakedAIDAbi} from "../abi/generated.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {DEAL_ASSET_CLASS_ROBOT, ROBOT_ASSET_CLASS} from "../nodes/robot.ts";
import {leafFromValue} from "../nodes/telemetry.ts";
import {expectedDue, REVENUE_DEMO, runRevenueShareDemo, type RevenueDemoReport} from "./revenue.ts";
import {ROBOT_DEMO} from "./robots.ts";

// The demo's node-network step on its own Anvil: a REVENUE_SHARE deal repaid from the revenue its nodes reported,
// proven against final telemetry roots, checkpointed by the OracleRevenueAdapter; a root with a forged leaf is rejected
// and its attester slashed; a node that signs two reports is excluded and its operator slashed, its epoch's root stands.
describe("revenue-share deal fed by the GPU node network", () => {
  let anvil: Anvil;
  let r: RevenueDemoReport;
  let d: LocalDeployment;
  const read = <T>(address: `0x${string}`, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    createPublicClient({transport: http(anvil.rpcUrl)}).readContract({address, abi, functionName, args} as never) as Promise<T>;

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 42_437 + Number(process.env.VITEST_POOL_ID ?? 0)});
    d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    r = await runRevenueShareDemo(anvil.rpcUrl, d, {progress: false}, () => {});
  }, 300_000);
  afterAll(async () => anvil?.stop());

  it("proves every honest leaf of the final roots and credits the deal with their revenue", () => {
    const honest = r.sim.epochs.filter((m) => m.root === m.honestRoot);
    expect(honest.length).toBe(REVENUE_DEMO.epochs - 1); // one epoch's root was forged and rejected
    expect(r.provenLeaves).toBe(honest.reduce((n, m) => n + m.leaves, 0) - r.excludedLeaves);
    // the mixed fleet's revenue is split between the GPU deal and the robot deal, nothing lost or counted twice
    expect(r.provenRevenue + r.robot.provenRevenue).toBe(honest.reduce((s, m) => s + m.revenue, 0n) - r.excludedRevenue);
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

  it("finances the robot-fleet deal with the ROBOT asset class; its fleets registered as robot nodes on it", async () => {
    const terms = await read<{collateral: {assetClass: number}; structure: number}>(r.robot.deal, gpuDealAbi, "terms");
    expect(terms.collateral.assetClass).toBe(DEAL_ASSET_CLASS_ROBOT);
    expect(terms.structure).toBe(1); // REVENUE_SHARE
    expect(r.robot.nodeIds).toHaveLength(ROBOT_DEMO.nodes);
    for (const id of r.robot.nodeIds) {
      const n = await read<{assetClass: number; dealId: bigint}>(d.nodeRegistry, nodeRegistryAbi, "getNode", [id]);
      expect([n.assetClass, n.dealId]).toEqual([ROBOT_ASSET_CLASS, r.robot.dealId]);
    }
  });

  it("repays the robot deal as a revenue share of the robot revenue proven through the oracle", () => {
    // what the oracle credits the robot deal = the robot leaves of the final (honest) roots
    const ids = new Set(r.robot.nodeIds.map((x) => x.toLowerCase()));
    let robotRevenue = 0n;
    for (const [k, m] of r.sim.epochs.entries()) {
      if (m.root !== m.honestRoot) continue;
      for (const [, v] of r.sim.trees![k]!.entries()) if (ids.has(String(v[0]).toLowerCase())) robotRevenue += leafFromValue(v).report.revenue;
    }
    expect(robotRevenue).toBeGreaterThan(0n);
    expect(r.robot.provenRevenue).toBe(robotRevenue);
    expect(r.robot.totals.revenue).toBe(robotRevenue);
    expect(r.robot.totals.tasksCompleted).toBeGreaterThan(0);
    expect(r.robot.period).toBe(0n);
    expect(r.robot.periodRevenue).toBe(r.robot.provenRevenue);
    const share = (r.robot.periodRevenue * BigInt(ROBOT_DEMO.shareBps)) / 10_000n;
    expect(r.robot.due).toBe(share > ROBOT_DEMO.minPayment ? share : ROBOT_DEMO.minPayment);
    expect(r.robot.due).toBeGreaterThan(ROBOT_DEMO.minPayment); // the robot revenue, not the floor, sets it
  });

  it("pays sAID from the robot deal's senior tranche and values its senior position", async () => {
    expect(r.robot.saidCollected).toBeGreaterThan(0n);
    expect(r.robot.saidCollected).toBeLessThanOrEqual(r.robot.paid);
    expect(r.robot.seniorValueAfter).toBeGreaterThan(0n);
    expect(r.robot.seniorValueAfter).toBeLessThanOrEqual(ROBOT_DEMO.senior); // interest paid out, principal outstanding
    // sAID books its SeniorPosition at the senior tranche's value (it holds the whole tranche, nothing left to claim)
    expect(r.robot.positionValue).toBe(r.robot.seniorValueAfter);
    const listed = (await read<readonly string[]>(d.sAID, stakedAIDAbi, "positions")).map((a) => a.toLowerCase());
    expect(listed).toContain(r.robot.position.toLowerCase()); // sAID's NAV counts it
    expect(r.seniorPositionValue).toBe(r.seniorValueAfter);
  });
});
