// The README demo's robot-fleet deal (issue 17) and the two steps every revenue-share deal of the demo shares with it:
// open (create, sAID's allocator funds the senior tranche through a SeniorPosition, a junior investor the junior) and
// settle (after the month and the adapter's settlement delay anyone checkpoints the period from the revenue proven in
// the telemetry oracle; the borrower pays max(minimum, share × revenue); sAID collects from its senior position).
// The robot deal is financed through the same DealFactory/GpuDeal contracts with the ROBOT asset class; its robot
// fleets report through the same node network (the mixed fleet of ts/demo/revenue.ts) and its revenue is proven from
// robot telemetry leaf by leaf exactly like the GPU deal's.
import {formatUnits, keccak256, parseUnits, stringToHex, type Address} from "viem";
import {
  aidAbi,
  dealFactoryAbi,
  gpuDealAbi,
  oracleRevenueAdapterAbi,
  seniorPositionAbi,
  seniorPositionBytecode,
  stakedAIDAbi,
  telemetryOracleAbi,
} from "../abi/generated.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {DEAL_ASSET_CLASS_ROBOT, ROBOT_MODELS, robotTotals, type RobotModel} from "../nodes/robot.ts";
import {applyRobots, isRobot, makeNodes, type SimNode, type SimSummary} from "../nodes/sim.ts";
import {leafFromValue, type Telemetry} from "../nodes/telemetry.ts";
import {aidBalance, mintAid, type Account, type DemoChain} from "./chain.ts";

const DAY = 86_400;
const BPS = 10_000n;

/** A revenue-share deal's terms in the demo. */
export interface RevenueDealParams {
  senior: bigint; // [wad] sAID's allocator
  junior: bigint; // [wad]
  appraised: bigint; // [wad]
  shareBps: number; // of reported revenue
  capMultipleBps: number; // repaid until this multiple of principal
  minPayment: bigint; // [wad] per period
  interval: number; // [s]
  tenor: number; // [s]
  assetClass: number; // IGpuDeal.AssetClass: 0 GPU, 1 ROBOT
  model: string; // collateral description (≤ 32 bytes)
  unitCount: number; // GPUs or robots
  label: string; // serials / node-id commitments
}

/** The robot-fleet deal: 16 robot fleets (sites) of the mixed demo fleet, ~800 robots. Sized, like the GPU deal, to the
 *  3 simulated hours of revenue (a pilot): the share of two proven hours clears the minimum payment. */
export const ROBOT_DEMO = {
  nodes: 16, // robot fleets, the last 16 nodes of the simulated fleet
  senior: parseUnits("40000", 18),
  junior: parseUnits("10000", 18),
  appraised: parseUnits("70000", 18), // ~71% advance
  shareBps: 6000,
  capMultipleBps: 13_000,
  minPayment: parseUnits("100", 18),
  interval: 30 * DAY,
  tenor: 360 * DAY,
  assetClass: DEAL_ASSET_CLASS_ROBOT,
  model: "RaaS robots: AMR/delivery/clean", // ≤ 32 bytes
  label: "robot fleet",
} as const;

export interface DemoParties {
  c: DemoChain;
  d: LocalDeployment;
  admin: Account; // underwriter, sAID allocator, KYC
  borrower: Account;
  junior: Account;
}

export interface OpenDeal {
  deal: Address;
  dealId: bigint;
  position: Address; // sAID's SeniorPosition
  activatedAt: bigint;
}

const fmt = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US", {maximumFractionDigits: 2});

/** Creates a REVENUE_SHARE deal (revenue from the telemetry oracle through the adapter: the factory's reporter must be
 *  set), sAID's allocator takes the senior tranche through a new SeniorPosition (topping sAID up so its liquidity
 *  buffer stays free), the junior investor the junior: the deal is ACTIVE. */
export async function openRevenueDeal(x: DemoParties, p: RevenueDealParams): Promise<OpenDeal> {
  const {c, d, admin, borrower, junior} = x;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) => c.read<T>({address, abi, functionName, args});
  const terms = {
    borrower: borrower.address,
    underwriter: admin.address,
    collateral: {
      assetClass: p.assetClass,
      model: stringToHex(p.model, {size: 32}),
      unitCount: p.unitCount,
      appraisedValue: p.appraised,
      serialsHash: keccak256(stringToHex(`${p.label} serial numbers`)),
      nodeIdsRoot: keccak256(stringToHex(`${p.label} node ids`)),
    },
    structure: 1, // REVENUE_SHARE
    seniorPrincipal: p.senior,
    juniorPrincipal: p.junior,
    seniorAprBps: 1000,
    juniorAprBps: 2000,
    revenueShareBps: p.shareBps,
    capMultipleBps: p.capMultipleBps,
    minPeriodPayment: p.minPayment,
    amortising: false,
    tenor: p.tenor,
    paymentInterval: p.interval,
    fundingDeadline: Number(await c.now()) + 14 * DAY,
  };
  const create = {address: d.dealFactory, abi: dealFactoryAbi, functionName: "createDeal", args: [terms]};
  const deal = await c.simulate<Address>(admin, create);
  await c.send(admin, create);
  const dealId = await read<bigint>(d.dealFactory, dealFactoryAbi, "dealIdOf", [deal]);
  const position = await c.deploy(admin, seniorPositionAbi, seniorPositionBytecode, [deal, d.aid, d.sAID]);
  for (const who of [position, junior.address]) {
    await c.send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setInvestorAllowed", args: [who, true]});
  }
  // sAID keeps a liquidity buffer (bps of NAV) free: top it up with a stake so the allocation fits
  // (free after = idle + x − senior ≥ buffer × (NAV + x)), with a 10% margin for queued unstakes
  const bufferBps = await read<bigint>(d.sAID, stakedAIDAbi, "liquidityBufferBps");
  const navTotal = await read<bigint>(d.sAID, stakedAIDAbi, "totalAssets");
  const idle = await aidBalance(c, d, d.sAID);
  const need = (bufferBps * navTotal + p.senior * BPS - idle * BPS) / (BPS - bufferBps);
  if (need > 0n) {
    const topUp = (need * 11n) / 10n;
    await mintAid(c, d, admin, topUp, admin);
    await c.send(admin, {address: d.aid, abi: aidAbi, functionName: "approve", args: [d.sAID, topUp]});
    await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [topUp, admin.address]});
  }
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "addPosition", args: [position]});
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "allocate", args: [position, p.senior]});
  await mintAid(c, d, junior, p.junior, admin);
  await c.send(junior, {address: d.aid, abi: aidAbi, functionName: "approve", args: [deal, p.junior]});
  await c.send(junior, {address: deal, abi: gpuDealAbi, functionName: "deposit", args: [1, p.junior]});
  const activatedAt = await read<bigint>(deal, gpuDealAbi, "activatedAt");
  return {deal, dealId, position, activatedAt};
}

export interface Settlement {
  provenRevenue: bigint; // [wad] cumulative revenue the oracle credits to the deal
  period: bigint;
  periodRevenue: bigint; // [wad] what the adapter checkpointed for the period
  due: bigint; // [wad]
  paid: bigint; // [wad]
  saidCollected: bigint; // [wad] AID sAID pulled back from the senior tranche
  seniorValueAfter: bigint; // [wad] the senior tranche's value after the payment
  positionValue: bigint; // [wad] what sAID books for its SeniorPosition (valueOf(sAID))
  dueDate: bigint; // [s] the deal is current until then
}

/** After the period and the settlement delay: checkpoint the period (anyone), the borrower pays what is due (it
 *  converts its revenue to AID), sAID's allocator collects from the senior position. */
export async function settleRevenueDeal(x: DemoParties, o: OpenDeal, p: Pick<RevenueDealParams, "interval">): Promise<Settlement> {
  const {c, d, admin, borrower} = x;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) => c.read<T>({address, abi, functionName, args});
  const provenRevenue = await read<bigint>(d.telemetryOracle, telemetryOracleAbi, "cumulativeDealRevenue", [o.dealId]);
  const delay = await read<bigint>(d.revenueAdapter, oracleRevenueAdapterAbi, "settlementDelay");
  await c.warpTo(o.activatedAt + BigInt(p.interval) + delay);
  const checkpoint = {address: d.revenueAdapter, abi: oracleRevenueAdapterAbi, functionName: "checkpoint", args: [o.deal]};
  const [period, periodRevenue] = await c.simulate<[bigint, bigint]>(admin, checkpoint);
  await c.send(admin, checkpoint);
  const [due] = await read<[bigint, boolean]>(o.deal, gpuDealAbi, "periodPayment", [period]);
  await mintAid(c, d, borrower, due + 1n, admin);
  await c.send(borrower, {address: d.aid, abi: aidAbi, functionName: "approve", args: [o.deal, due]});
  await c.send(borrower, {address: o.deal, abi: gpuDealAbi, functionName: "repay", args: [due]});
  const before = await aidBalance(c, d, d.sAID);
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "deallocate", args: [o.position, 2n ** 96n - 1n]});
  const saidCollected = (await aidBalance(c, d, d.sAID)) - before;
  return {
    provenRevenue,
    period,
    periodRevenue,
    due,
    paid: due,
    saidCollected,
    seniorValueAfter: await read<bigint>(o.deal, gpuDealAbi, "trancheValue", [0]),
    positionValue: await read<bigint>(o.position, seniorPositionAbi, "valueOf", [d.sAID]),
    dueDate: await read<bigint>(o.deal, gpuDealAbi, "dueDate"),
  };
}

/** The robot deal opened for the demo's mixed fleet (borrower: a robotics-as-a-service operator). */
export async function openRobotDeal(x: DemoParties, log: (line: string) => void): Promise<OpenDeal> {
  const units = ROBOT_DEMO.nodes * Math.round(ROBOT_MODELS.reduce((a, m) => a + m.fleet, 0) / ROBOT_MODELS.length);
  const o = await openRevenueDeal(x, {...ROBOT_DEMO, unitCount: units});
  log(`robot deal #${o.dealId} ${o.deal} (asset class ROBOT): ${ROBOT_DEMO.nodes} robot fleets (~${units} robots: ${ROBOT_MODELS.map((m) => m.name).join(", ")}), ` +
    `senior ${fmt(ROBOT_DEMO.senior)} (sAID) / junior ${fmt(ROBOT_DEMO.junior)} AID, ${ROBOT_DEMO.shareBps / 100}% of reported robot revenue each month: ACTIVE`);
  return o;
}

/** The demo fleet's robot nodes (the same deterministic fleet the simulation ran: its seed and operators). */
export function robotNodesOf(total: number, operators: number, seed: string): SimNode[] {
  const nodes = makeNodes(total, operators, 0, seed);
  applyRobots(nodes, {robots: ROBOT_DEMO.nodes}, seed);
  return nodes.filter(isRobot);
}

/** The robot fleets' totals in the final roots of `sim` (robots online, tasks, energy, revenue per robot-hour). */
export function robotFleetTotals(sim: SimSummary, robots: readonly SimNode[]) {
  const byId = new Map<string, SimNode>(robots.map((n) => [n.nodeId.toLowerCase(), n]));
  const rows: {t: Telemetry; model: RobotModel}[] = [];
  for (const [k, m] of sim.epochs.entries()) {
    if (m.root !== m.honestRoot) continue;
    for (const [, v] of sim.trees![k]!.entries()) {
      const n = byId.get(String(v[0]).toLowerCase());
      if (n) rows.push({t: leafFromValue(v).report, model: ROBOT_MODELS[n.model]!});
    }
  }
  return robotTotals(rows);
}

export function logRobotSettlement(log: (line: string) => void, o: OpenDeal, s: Settlement, totals: ReturnType<typeof robotFleetTotals>) {
  log(`robot fleets in the final roots: ${totals.reports} reports, ${totals.robotsOnline} robot-hours online at ${(totals.meanUptimeBps / 100).toFixed(2)}% uptime, ` +
    `${totals.tasksCompleted.toLocaleString("en-US")} tasks, ${(totals.energyWh / 1000).toFixed(1)} kWh, ${fmt(totals.revenue)} AID at ${fmt(totals.revenuePerRobotHour)} AID per billed robot-hour`);
  log(`robot deal #${o.dealId}: oracle credits ${fmt(s.provenRevenue)} AID of proven robot revenue; period ${s.period} checkpointed at ${fmt(s.periodRevenue)}: due ${fmt(s.due)} AID; ` +
    `the RaaS operator pays, sAID collects ${fmt(s.saidCollected)} AID from the senior tranche (its position now valued ${fmt(s.positionValue)}); current until ${new Date(Number(s.dueDate) * 1000).toISOString().slice(0, 10)}`);
}

