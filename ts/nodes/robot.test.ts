import {createPublicClient, hexToString, http, type Address, type Hex} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {nodeRegistryAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {
  ROBOT_ASSET_CLASS,
  ROBOT_MODELS,
  robotImplausibility,
  robotModelOf,
  robotTelemetryOf,
  robotTotals,
  robotView,
} from "./robot.ts";
import {applyRobots, assetClassOf, isRobot, makeNodes, maxRevenue, modelNameOf, plausible, prng, runNodeSim, telemetryOf, type SimNode, type SimSummary} from "./sim.ts";
import {leafFromValue, proofOf} from "./telemetry.ts";

const fleet = (n: number, robots: number, seed = "s") => {
  const nodes = makeNodes(n, 3, 0, seed);
  applyRobots(nodes, {robots}, seed);
  return nodes;
};

describe("robot fleet telemetry model (pure)", () => {
  it("turns the last N nodes of a fleet into robot fleets, deterministically, with the model's fleet size", () => {
    const a = fleet(10, 4);
    expect(a.map(isRobot)).toEqual([false, false, false, false, false, false, true, true, true, true]);
    expect(fleet(10, 4).map((n) => [n.model, n.gpus, n.baseUtilBps])).toEqual(a.map((n) => [n.model, n.gpus, n.baseUtilBps]));
    for (const n of a.filter(isRobot)) {
      expect(assetClassOf(n)).toBe(ROBOT_ASSET_CLASS);
      expect(n.gpus).toBe(ROBOT_MODELS[n.model]!.fleet);
      expect(modelNameOf(n)).toBe(ROBOT_MODELS[n.model]!.name);
      expect(modelNameOf(n).length).toBeLessThanOrEqual(31); // a bytes32 short string
    }
    expect(assetClassOf(a[0]!)).toBe(1);
    const onDeals = makeNodes(6, 3, 2, "s");
    applyRobots(onDeals, {robots: 3, robotDealIds: [7n]}, "s");
    expect(onDeals.map((n) => n.dealId)).toEqual([1n, 2n, 1n, 7n, 7n, 7n]);
  });

  it("honest robot reports are plausible, within the model's bounds, and read back as tasks, energy and revenue per robot-hour", () => {
    const rand = prng(3);
    const robots = fleet(40, 40).filter(isRobot);
    for (const n of robots) {
      const m = ROBOT_MODELS[n.model]!;
      const t = telemetryOf(n, 5n, rand);
      expect(plausible(n, t)).toBe(true);
      expect(t.gpusOnline).toBeLessThanOrEqual(n.gpus);
      expect(t.revenue).toBeLessThanOrEqual(maxRevenue(n));
      const v = robotView(t, m);
      expect(v.robotsOnline).toBe(t.gpusOnline);
      expect(v.energyWh).toBe(t.powerW); // a one-hour epoch: Wh = average W
      expect(v.tasksCompleted).toBeLessThanOrEqual(t.gpusOnline * m.tasksPerHour);
      // revenue per billed robot-hour is the model's price (up to rounding)
      if (v.robotHours > 1) {
        const price = m.priceMicro * 10n ** 12n;
        expect(Number(v.revenuePerRobotHour - price) / Number(price)).toBeLessThan(1e-3);
        expect(Number(price - v.revenuePerRobotHour) / Number(price)).toBeLessThan(1e-3);
      }
    }
    const totals = robotTotals(robots.map((n) => ({t: robotTelemetryOf(n, 6n, rand), model: ROBOT_MODELS[n.model]!})));
    expect(totals.reports).toBe(40);
    expect(totals.tasksCompleted).toBeGreaterThan(0);
    expect(totals.revenuePerRobotHour).toBeGreaterThan(0n);
  });

  it("the lying robot fleet's report is refused: more robots than registered, revenue above the model's maximum", () => {
    const rand = prng(4);
    for (const n of fleet(12, 12).filter(isRobot)) {
      const lie = telemetryOf(n, 1n, rand, true);
      expect(plausible(n, lie)).toBe(false);
      const m = ROBOT_MODELS[n.model]!;
      expect(robotImplausibility(lie, n.gpus, m)).toContain(`robots online (gpusOnline) ${n.gpus * 2} is above the fleet's ${n.gpus} registered robots`);
      expect(robotImplausibility({...lie, gpusOnline: n.gpus}, n.gpus, m)).toMatch(/^revenue \d+ wei AID is above the most/);
      expect(robotImplausibility({...lie, gpusOnline: n.gpus, revenue: 0n, uptimeBps: 10_001}, n.gpus, m)).toBe("uptimeBps 10001 is above 10000 bps");
      expect(robotImplausibility({...lie, gpusOnline: n.gpus, revenue: 0n, powerW: n.gpus * m.watts * 2 + 1}, n.gpus, m)).toMatch(/^powerW \d+ is above 2 × the/);
      expect(robotImplausibility({...lie, gpusOnline: n.gpus, revenue: maxRevenue(n)}, n.gpus, m)).toBeUndefined();
    }
  });

  it("maps a registered model name to its table row; an unknown model is bounded by the highest price and draw", () => {
    expect(robotModelOf("Warehouse AMR").token).toBe("AMR");
    expect(robotModelOf("acme delivery bot").token).toBe("DELIVERY");
    const u = robotModelOf("mystery");
    expect(u.priceMicro).toBe(ROBOT_MODELS.reduce((a, m) => (m.priceMicro > a ? m.priceMicro : a), 0n));
    expect(u.watts).toBe(Math.max(...ROBOT_MODELS.map((m) => m.watts)));
  });
});

// A mixed fleet on a fresh Anvil (the real local deploy): 30 nodes, the last 12 robot fleets registered with the ROBOT
// asset class. A robot fleet lies (implausible telemetry: dropped by every operator), another robot fleet signs two
// reports for one epoch (proven on chain: its operator slashed, the node excluded), robot leaves of accepted roots
// verify on chain, and the forged root of the lying operator is challenged and slashed as for GPU nodes.
const NODES = 30;
const ROBOTS = 12;
const LYING_ROBOT = 20;
const EQUIVOCATING_ROBOT = 25;
const EPOCHS = 3;
const LIE_AT = 1;

describe("mixed GPU + robot fleet simulation on a local chain", () => {
  let anvil: Anvil;
  let d: LocalDeployment;
  let s: SimSummary;
  let nodes: SimNode[];
  const client = () => createPublicClient({transport: http(anvil.rpcUrl)});

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 52_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    s = await runNodeSim(anvil.rpcUrl, d, {
      nodes: NODES,
      robots: ROBOTS,
      epochs: EPOCHS,
      operators: 3,
      lieAtEpoch: LIE_AT,
      lyingNode: LYING_ROBOT,
      equivocatingNode: EQUIVOCATING_ROBOT,
      offlineRate: 0,
      keepTrees: true,
      progress: false,
    });
    nodes = fleet(NODES, ROBOTS, "gaib-sim");
  }, 600_000);
  afterAll(async () => anvil?.stop());

  it("registers the robot fleets with the ROBOT asset class, their model and robot count", async () => {
    const c = client();
    for (const n of [nodes[0]!, nodes[NODES - ROBOTS]!, nodes[NODES - 1]!]) {
      const r = (await c.readContract({address: d.nodeRegistry, abi: nodeRegistryAbi, functionName: "getNode", args: [n.nodeId]})) as {assetClass: number; model: Hex; unitCount: number};
      expect(r.assetClass).toBe(assetClassOf(n));
      expect(r.unitCount).toBe(n.gpus);
      expect(hexToString(r.model, {size: 32}).replace(/\0+$/, "")).toBe(modelNameOf(n));
    }
    expect(isRobot(nodes[LYING_ROBOT]!) && isRobot(nodes[EQUIVOCATING_ROBOT]!)).toBe(true);
  });

  it("catches the lying robot fleet: its report is dropped in every epoch, never in a tree", () => {
    const liar = nodes[LYING_ROBOT]!.nodeId.toLowerCase();
    for (const [k, m] of s.epochs.entries()) {
      expect(m.reports).toBe(NODES);
      expect(m.rejectedReports).toBe(1);
      expect([...s.trees![k]!.entries()].some(([, v]) => String(v[0]).toLowerCase() === liar)).toBe(false);
    }
  });

  it("robot leaves of accepted roots verify on chain and are node-signed", async () => {
    const c = client();
    const k = 0;
    const m = s.epochs[k]!;
    expect(m.accepted && m.root === m.honestRoot).toBe(true);
    const tree = s.trees![k]!;
    const robot = nodes[NODES - 1]!;
    const [, v] = [...tree.entries()].find(([, x]) => String(x[0]).toLowerCase() === robot.nodeId.toLowerCase())!;
    const l = leafFromValue(v);
    expect(plausible(robot, l.report)).toBe(true);
    expect(await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "verifyLeaf", args: [m.root, l.report, l.sig, proofOf(tree, robot.nodeId)]})).toBe(true);
    expect(await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "isNodeSigned", args: [m.epoch, l.report, l.sig]})).toBe(true);
  });

  it("the equivocating robot fleet is proven on chain: its operator slashed, the node excluded, the honest root stands", () => {
    expect(s.equivocations).toHaveLength(1);
    const [e] = s.equivocations;
    expect(e!.nodeId).toBe(nodes[EQUIVOCATING_ROBOT]!.nodeId);
    expect(e!.amount).toBeGreaterThan(0n);
    const op = s.operators.find((o) => o.equivocator)!;
    expect(e!.operator).toBe(op.address as Address);
    expect(op.stakeAfter).toBe(op.stakeBefore - e!.amount);
    const m = s.epochs.find((x) => x.epoch === e!.epoch)!;
    expect(m.equivocation && m.accepted && m.root === m.honestRoot).toBe(true);
  });

  it("the lying operator's forged root over the mixed fleet is challenged and its attester slashed", () => {
    const m = s.epochs[LIE_AT]!;
    expect(m.forged && m.challenged).toBe(true);
    expect(m.root).not.toBe(m.honestRoot);
    const liar = s.operators.find((o) => o.liar)!;
    expect(liar.stakeAfter).toBeLessThan(liar.stakeBefore);
    expect(s.slashed).toBeGreaterThan(0n);
  });
});

// An all-robot fleet: the lying operator's forged leaf is necessarily a robot fleet's report (altered under the
// fleet's real signature); the challenger proves it from the published tree and the attester is slashed.
describe("all-robot fleet: a forged robot leaf is challenged and its attester slashed", () => {
  let anvil: Anvil;
  let s: SimSummary;

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 53_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    s = await runNodeSim(anvil.rpcUrl, d, {nodes: 12, robots: 12, epochs: 2, operators: 3, lieAtEpoch: 0, seed: "gaib-robots", keepTrees: true, progress: false});
  }, 600_000);
  afterAll(async () => anvil?.stop());

  it("every node is a robot fleet; the forged root is rejected, only the liar slashed, the honest epoch accepted", () => {
    expect(fleet(12, 12, "gaib-robots").every(isRobot)).toBe(true);
    const [forged, honest] = s.epochs;
    expect(forged!.forged && forged!.challenged).toBe(true);
    expect(forged!.root).not.toBe(forged!.honestRoot);
    expect(honest!.accepted && !honest!.challenged && honest!.root === honest!.honestRoot).toBe(true);
    expect(honest!.revenue).toBeGreaterThan(0n);
    expect(s.slashRequests).toHaveLength(1);
    const liar = s.operators.find((o) => o.liar)!;
    expect(liar.stakeAfter).toBe(liar.stakeBefore - s.slashed);
    expect(s.slashed).toBeGreaterThan(0n);
    for (const o of s.operators.filter((x) => !x.liar)) expect(o.stakeAfter).toBe(o.stakeBefore);
  });
});
