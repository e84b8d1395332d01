// The README demo's node-network step, tied to a deal: a REVENUE_SHARE deal whose repayments follow the revenue its
// GPU nodes report. sAID's allocator funds the senior tranche, the GPU nodes (registered under the deal's id) sign
// hourly telemetry, operators attest the epoch roots (one operator forges a leaf, its root is rejected and the operator
// slashed; one node signs two reports for one epoch: its operator is slashed and the node excluded while the honest
// root stands), the revenue of final roots is proven leaf by leaf (report + node signature) into the telemetry oracle, the OracleRevenueAdapter checkpoints the
// period, and the borrower pays max(minimum, share × revenue) through the waterfall. The fleet is mixed: the last
// ROBOT_DEMO.nodes nodes are robot fleets (ROBOT asset class) registered on a second REVENUE_SHARE deal with the ROBOT
// collateral class, repaid the same way from the robot revenue proven through the same oracle (ts/demo/robots.ts).
// Asserted by revenue.test.ts.
import {formatUnits, parseUnits, type Address, type Hex} from "viem";
import {dealFactoryAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import type {ContractCall} from "../lib/tx.ts";
import {formatSummary, runNodeSim, type SimOptions, type SimSummary} from "../nodes/sim.ts";
import {leafFromValue} from "../nodes/telemetry.ts";
import {connectDemo, type Account} from "./chain.ts";
import {
  ROBOT_DEMO,
  logRobotSettlement,
  openRevenueDeal,
  openRobotDeal,
  robotFleetTotals,
  robotNodesOf,
  settleRevenueDeal,
  type OpenDeal,
  type Settlement,
} from "./robots.ts";

const DAY = 86_400;
const BPS = 10_000n;

/** Demo parameters (exported so the test derives its expectations from them). */
export const REVENUE_DEMO = {
  // sized to the revenue the simulation produces: it runs 3 of a month's ~720 hourly epochs
  senior: parseUnits("80000", 18), // sAID's allocator
  junior: parseUnits("20000", 18), // bob
  appraised: parseUnits("140000", 18), // principal at ~71% advance
  shareBps: 6000, // 60% of reported revenue
  capMultipleBps: 13_000, // until 1.3x principal is repaid
  minPayment: parseUnits("100", 18), // [wad] per period
  interval: 30 * DAY,
  tenor: 360 * DAY,
  nodes: 64,
  epochs: 3,
  equivocatingNode: 2, // signs two reports in the last epoch (operator 2's node; node 1 is the implausible one)
} as const;

export interface RevenueDemoReport {
  deal: Address;
  dealId: bigint;
  sim: SimSummary;
  provenLeaves: number;
  excludedLeaves: number; // leaves of the equivocating node in final roots: not provable
  excludedRevenue: bigint; // [wad] their revenue
  provenRevenue: bigint; // [wad] cumulative revenue the oracle credits to the deal
  period: bigint;
  periodRevenue: bigint; // [wad] what the adapter checkpointed for the period
  due: bigint; // [wad] the deal's payment due for the period
  paid: bigint; // [wad] what the borrower paid
  saidCollected: bigint; // [wad] AID sAID pulled back from the senior tranche
  seniorValueAfter: bigint;
  seniorPositionValue: bigint; // [wad] what sAID books for its senior position
  /** The robot-fleet deal (ROBOT asset class) repaid from the robot nodes' proven revenue. */
  robot: OpenDeal & Settlement & {nodeIds: Hex[]; totals: ReturnType<typeof robotFleetTotals>};
}

const fmt = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US", {maximumFractionDigits: 2});

export async function runRevenueShareDemo(
  rpcUrl: string,
  d: LocalDeployment,
  opts: SimOptions = {},
  log: (line: string) => void = console.log,
): Promise<RevenueDemoReport> {
  const c = await connectDemo(rpcUrl);
  // admin: underwriter, sAID allocator, KYC; alice: the GPU cloud; carol: the robot fleets' RaaS operator; bob: junior investor
  const [admin, alice, bob, carol] = [anvilAccount(0), anvilAccount(1), anvilAccount(2), anvilAccount(3)];
  const send = (account: Account, req: ContractCall) => c.send(account, req);
  const read = <T>(req: ContractCall) => c.read<T>(req);

  log(`\n== GPU and robot node network feeding two REVENUE_SHARE deals ==  oracle ${d.telemetryOracle}  adapter ${d.revenueAdapter}`);
  // deals created from now on read their revenue from the telemetry oracle through the adapter
  await send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setRevenueReporter", args: [d.revenueAdapter]});
  // alice (a GPU cloud) borrows against the GPU fleet, carol (a robotics-as-a-service operator) against the robot
  // fleets; sAID's allocator takes both senior tranches, bob both juniors
  const parties = {c, d, admin, junior: bob};
  const gpu = await openRevenueDeal({...parties, borrower: alice}, {
    ...REVENUE_DEMO,
    assetClass: 0, // GPU
    model: "H100/H200/B200 mixed fleet",
    unitCount: REVENUE_DEMO.nodes * 8,
    label: "revenue-share fleet",
  });
  const {deal, dealId} = gpu;
  log(`deal #${dealId} ${deal}: ${REVENUE_DEMO.nodes} nodes x 8 GPUs (a pilot sized to the ${REVENUE_DEMO.epochs} simulated hours of revenue), senior ${fmt(REVENUE_DEMO.senior)} / junior ${fmt(REVENUE_DEMO.junior)} AID, ` +
    `${REVENUE_DEMO.shareBps / 100}% of reported revenue each month (minimum ${fmt(REVENUE_DEMO.minPayment)}) until ${Number(REVENUE_DEMO.capMultipleBps) / 100}% of principal`);
  log(`sAID allocates ${fmt(REVENUE_DEMO.senior)} AID to the senior tranche, bob funds the junior: deal ACTIVE`);
  const robotDeal = await openRobotDeal({...parties, borrower: carol}, log);

  // the nodes of the deals report (the deals' underwriter approves them first): a mixed fleet, the GPU nodes on the GPU
  // deal, the last ROBOT_DEMO.nodes robot fleets (ROBOT asset class) on the robot deal; operators attest; the forged
  // leaf rejects its root and its attester is slashed; the equivocating node's operator is slashed, the root stands
  const sim = await runNodeSim(rpcUrl, d, {
    nodes: REVENUE_DEMO.nodes + ROBOT_DEMO.nodes,
    robots: ROBOT_DEMO.nodes,
    robotDealIds: [robotDeal.dealId],
    epochs: REVENUE_DEMO.epochs,
    dealIds: [dealId],
    dealApprover: admin,
    equivocatingNode: REVENUE_DEMO.equivocatingNode,
    keepTrees: true,
    ...opts,
  });
  log(formatSummary(sim));

  // anyone proves the deal's revenue from final (accepted, unchallenged) roots, one leaf per node and epoch; the
  // leaves of a node excluded for equivocation (from its equivocation epoch on) are refused, so they are skipped
  let provenLeaves = 0;
  let excludedLeaves = 0;
  let excludedRevenue = 0n;
  const excludedFrom = new Map(sim.equivocations.map((e) => [e.nodeId, e.epoch]));
  for (const [k, m] of sim.epochs.entries()) {
    const tree = sim.trees![k]!;
    if (m.root !== m.honestRoot || m.root !== tree.root) continue; // a rejected (forged) epoch proves nothing
    if (!(await read<boolean>({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "isFinal", args: [m.epoch]}))) continue;
    for (const [i, v] of tree.entries()) {
      const {report, sig} = leafFromValue(v);
      const from = excludedFrom.get(report.nodeId);
      if (from !== undefined && m.epoch >= from) {
        excludedLeaves++;
        excludedRevenue += report.revenue;
        continue;
      }
      await send(admin, {address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "proveRevenue", args: [m.epoch, report, sig, tree.getProof(i)]});
      provenLeaves++;
    }
  }
  const gpuSettled = await settleRevenueDeal({...parties, borrower: alice}, gpu, REVENUE_DEMO);
  const {provenRevenue, period, periodRevenue, due, saidCollected, seniorValueAfter} = gpuSettled;
  log(`${provenLeaves} node reports proven from final roots (${excludedLeaves} of the excluded equivocating node refused): the oracle credits deal #${dealId} with ${fmt(provenRevenue)} AID of revenue`);
  log(`period ${period} checkpointed at ${fmt(periodRevenue)} AID: due = max(${fmt(REVENUE_DEMO.minPayment)}, ${REVENUE_DEMO.shareBps / 100}% x ${fmt(periodRevenue)}) = ${fmt(due)} AID`);
  log(`alice pays ${fmt(due)} AID through the waterfall; sAID collects ${fmt(saidCollected)} AID from the senior tranche ` +
    `(senior value now ${fmt(seniorValueAfter)}); the deal is current until ${new Date(Number(gpuSettled.dueDate) * 1000).toISOString().slice(0, 10)}`);

  // the robot deal: repaid from the robot fleets' revenue proven through the same oracle
  const robotNodes = robotNodesOf(REVENUE_DEMO.nodes + ROBOT_DEMO.nodes, sim.operators.length, opts.seed ?? "gaib-sim");
  const robotSettled = await settleRevenueDeal({...parties, borrower: carol}, robotDeal, ROBOT_DEMO);
  const robotTotals = robotFleetTotals(sim, robotNodes);
  logRobotSettlement(log, robotDeal, robotSettled, robotTotals);
  return {
    deal,
    dealId,
    sim,
    provenLeaves,
    excludedLeaves,
    excludedRevenue,
    provenRevenue,
    period,
    periodRevenue,
    due,
    paid: due,
    saidCollected,
    seniorValueAfter,
    seniorPositionValue: gpuSettled.positionValue,
    robot: {...robotDeal, ...robotSettled, nodeIds: robotNodes.map((n) => n.nodeId), totals: robotTotals},
  };
}

/** The share of `revenue` a period owes, floored at the minimum (what the deal must compute). */
export function expectedDue(revenue: bigint): bigint {
  const share = (revenue * BigInt(REVENUE_DEMO.shareBps)) / BPS;
  return share > REVENUE_DEMO.minPayment ? share : REVENUE_DEMO.minPayment;
}
