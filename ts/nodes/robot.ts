// Robot fleets, the second asset class of the node network (issue 17): a robot telemetry model beside the GPU one
// (ts/nodes/model.ts). A robot node is one site's fleet of `units` robots of one model, registered in the NodeRegistry
// with asset class ROBOT_ASSET_CLASS (2). The signed report, the epoch tree, the oracle, its fraud proofs and its
// revenue proofs are asset-agnostic and unchanged: a robot report is carried in the same Telemetry fields, mapped as
//   gpusOnline     <- robots online (units that reported in the epoch)                     ≤ units
//   uptimeBps      <- fleet availability: share of the epoch the online robots were up (not charging, faulted) [bps]
//   utilisationBps <- task utilisation: tasks completed / (robots online × rated tasks per hour × up-hours) [bps]
//   powerW         <- the fleet's average power draw [W]: energy = powerW × epoch hours [Wh]
//   revenue        <- billed robot-hours × the model's price per robot-hour [wad AID]
//                     = robots online × price × uptime × utilisation (robotics-as-a-service billed per productive hour)
// so tasks completed and energy are recovered from a signed leaf with the model's table (`robotView`).
import type {Telemetry} from "./telemetry.ts";

/** NodeRegistry asset-class codes (INodeRegistry.Node.assetClass: 1 = GPU cluster, 2 = robot fleet). */
export const GPU_ASSET_CLASS = 1;
export const ROBOT_ASSET_CLASS = 2;
/** The deal's collateral class (IGpuDeal.AssetClass enum: GPU = 0, ROBOT = 1; a different numbering than the registry). */
export const DEAL_ASSET_CLASS_ROBOT = 1;

/** A robot model: price per robot-hour billed [micro-AID], average draw of a working robot [W] (an idle one draws
 *  IDLE_SHARE of it, peak PEAK_FACTOR×), rated tasks per working hour, and the usual fleet size of one site (node).
 *  ILLUSTRATIVE figures, in the range of public robotics-as-a-service list prices (monthly subscriptions of roughly
 *  1,000–3,000 USD a robot) and vendor battery/runtime specs; not quotes, not sourced market data. */
export interface RobotModel {
  name: string; // ≤ 31 characters: registered as the node's bytes32 model
  token: string; // matched (upper case) in a registered model name by the CLI's plausibility check
  priceMicro: bigint; // [micro-AID per robot-hour]
  watts: number; // [W] average draw while working
  tasksPerHour: number; // [tasks per robot per working hour] at full utilisation
  task: string; // what one task is
  fleet: number; // [robots] per node (one site)
}

export const ROBOT_MODELS: readonly RobotModel[] = [
  // commercial floor scrubber / vacuum (Primech-, Brain-Corp-style RaaS): ~2,000 USD a month at ~450 h
  {name: "Commercial cleaning robot", token: "CLEAN", priceMicro: 4_500_000n, watts: 600, tasksPerHour: 2, task: "zone cleaned", fleet: 12},
  // sidewalk / campus delivery robot: a few deliveries an hour at a few USD each
  {name: "Sidewalk delivery robot", token: "DELIVERY", priceMicro: 6_000_000n, watts: 250, tasksPerHour: 3, task: "delivery", fleet: 20},
  // warehouse autonomous mobile robot (goods-to-person picking), run around the clock: ~2,200 USD a month at 720 h
  {name: "Warehouse AMR", token: "AMR", priceMicro: 3_000_000n, watts: 200, tasksPerHour: 80, task: "pick", fleet: 40},
  // restaurant / hotel service robot: ~1,000 USD a month at ~500 h
  {name: "Service robot", token: "SERVICE", priceMicro: 2_000_000n, watts: 150, tasksPerHour: 25, task: "run", fleet: 10},
];

export const IDLE_SHARE = 0.25; // an online robot not on a task draws 25% of its working power
export const PEAK_FACTOR = 2; // plausibility bound on the average draw: ≤ 2 × the working draw of every unit
const MICRO_TO_WAD = 10n ** 12n;
const BPS2 = 100_000_000n; // [bps × bps]

/** The fields of a simulated node the robot model reads (a subset of model.ts SimNode). */
export interface RobotNodeLike {
  nodeId: `0x${string}`;
  model: number; // index into ROBOT_MODELS
  gpus: number; // units: robots in the fleet
  baseUtilBps: number;
}

/** Most revenue a robot fleet can earn in one hour [wad AID]: every unit billed the whole hour. */
export function robotMaxRevenue(node: RobotNodeLike): bigint {
  return BigInt(node.gpus) * ROBOT_MODELS[node.model]!.priceMicro * MICRO_TO_WAD;
}

/** One hourly report of a robot fleet: availability mostly ≥ 95% (charging and faults below), utilisation around the
 *  site's base, a robot or two offline now and then; power = online robots × draw (idle share when not on a task);
 *  revenue = online robots × price per robot-hour × uptime × utilisation. The lying fleet claims twice its robots,
 *  full availability and utilisation and 10× the possible revenue. */
export function robotTelemetryOf(node: RobotNodeLike, epoch: bigint, rand: () => number, lying = false): Telemetry {
  const m = ROBOT_MODELS[node.model]!;
  const uptimeBps = rand() < 0.1 ? 8500 + Math.floor(rand() * 1000) : 9500 + Math.floor(rand() * 501);
  const utilisationBps = Math.max(0, Math.min(10_000, node.baseUtilBps + Math.floor((rand() - 0.5) * 3000)));
  const robotsOnline = rand() < 0.05 ? Math.max(0, node.gpus - 1 - Math.floor(rand() * 2)) : node.gpus;
  const powerW = Math.round(robotsOnline * m.watts * (IDLE_SHARE + ((1 - IDLE_SHARE) * utilisationBps) / 10_000));
  const revenue = (BigInt(robotsOnline) * m.priceMicro * BigInt(utilisationBps) * BigInt(uptimeBps) * MICRO_TO_WAD) / BPS2;
  if (lying) {
    return {nodeId: node.nodeId, epoch, uptimeBps: 10_000, utilisationBps: 10_000, gpusOnline: node.gpus * 2, powerW, revenue: robotMaxRevenue(node) * 10n};
  }
  return {nodeId: node.nodeId, epoch, uptimeBps, utilisationBps, gpusOnline: robotsOnline, powerW, revenue};
}

/** Why a robot report is implausible for a fleet of `units` robots of `model` over `epochSeconds`, or undefined if it
 *  is plausible: uptime and utilisation ≤ 10,000 bps, robots online ≤ units, average draw ≤ PEAK_FACTOR × units ×
 *  the model's working draw, revenue ≤ units × price per robot-hour × epoch hours × utilisation × uptime (+1 wei). */
export function robotImplausibility(t: Telemetry, units: number, model: RobotModel, epochSeconds = 3600n): string | undefined {
  if (t.uptimeBps > 10_000) return `uptimeBps ${t.uptimeBps} is above 10000 bps`;
  if (t.utilisationBps > 10_000) return `utilisationBps ${t.utilisationBps} is above 10000 bps`;
  if (t.gpusOnline > units) return `robots online (gpusOnline) ${t.gpusOnline} is above the fleet's ${units} registered robots`;
  const maxW = Math.ceil(units * model.watts * PEAK_FACTOR);
  if (t.powerW > maxW) return `powerW ${t.powerW} is above ${PEAK_FACTOR} × the ${units} robots' working draw (${maxW} W)`;
  const max = robotRevenueBound(units, model, epochSeconds, t.utilisationBps, t.uptimeBps);
  if (t.revenue > max) {
    return `revenue ${t.revenue} wei AID is above the most ${units} robots of model "${model.name}" earn in ${epochSeconds} s at that utilisation and uptime (${max} wei)`;
  }
  return undefined;
}

/** Most revenue [wad AID] `units` robots of `model` earn in `epochSeconds` at the reported utilisation and uptime
 *  (+1 wei for rounding). */
export function robotRevenueBound(units: number, model: RobotModel, epochSeconds: bigint, utilisationBps: number, uptimeBps: number): bigint {
  const perEpoch = (BigInt(units) * model.priceMicro * MICRO_TO_WAD * epochSeconds) / 3600n;
  return (perEpoch * BigInt(utilisationBps) * BigInt(uptimeBps)) / BPS2 + 1n;
}

/** The operators' plausibility check of a simulated robot node's hourly report. */
export function robotPlausible(node: RobotNodeLike, t: Telemetry): boolean {
  return robotImplausibility(t, node.gpus, ROBOT_MODELS[node.model]!) === undefined;
}

/** The robot model a registered bytes32 model name denotes (its token in the upper-cased name), or the most
 *  permissive one (highest price, highest draw) when none matches: an unknown model is bounded generously. */
export function robotModelOf(name: string): RobotModel {
  const upper = name.toUpperCase();
  const known = ROBOT_MODELS.find((m) => upper.includes(m.token));
  if (known) return known;
  const price = ROBOT_MODELS.reduce((a, m) => (m.priceMicro > a ? m.priceMicro : a), 0n);
  const watts = Math.max(...ROBOT_MODELS.map((m) => m.watts));
  return {name: "unknown robot model", token: "", priceMicro: price, watts, tasksPerHour: 0, task: "task", fleet: 0};
}

/** A robot report read back in robot terms (from the signed fields and the model table), over `epochSeconds`. */
export interface RobotView {
  robotsOnline: number;
  uptimeBps: number;
  tasksCompleted: number; // robots online × rated tasks/h × hours × uptime × utilisation
  energyWh: number; // powerW × hours
  robotHours: number; // billed: robots online × hours × uptime × utilisation
  revenuePerRobotHour: bigint; // [wad AID] per billed robot-hour (0 when none)
}

export function robotView(t: Telemetry, model: RobotModel, epochSeconds = 3600n): RobotView {
  const hours = Number(epochSeconds) / 3600;
  const productive = (t.gpusOnline * hours * t.uptimeBps * t.utilisationBps) / 1e8;
  return {
    robotsOnline: t.gpusOnline,
    uptimeBps: t.uptimeBps,
    tasksCompleted: Math.floor(productive * model.tasksPerHour),
    energyWh: Math.round(t.powerW * hours),
    robotHours: productive,
    revenuePerRobotHour: productive > 0 ? (t.revenue * 1_000_000n) / BigInt(Math.round(productive * 1e6)) : 0n,
  };
}

/** Fleet totals of a set of robot reports (one per node and epoch), for printing. */
export function robotTotals(rows: readonly {t: Telemetry; model: RobotModel}[], epochSeconds = 3600n) {
  let robotsOnline = 0;
  let tasks = 0;
  let energyWh = 0;
  let robotHours = 0;
  let revenue = 0n;
  let uptime = 0;
  for (const {t, model} of rows) {
    const v = robotView(t, model, epochSeconds);
    robotsOnline += v.robotsOnline;
    tasks += v.tasksCompleted;
    energyWh += v.energyWh;
    robotHours += v.robotHours;
    revenue += t.revenue;
    uptime += t.uptimeBps;
  }
  return {
    reports: rows.length,
    robotsOnline,
    tasksCompleted: tasks,
    energyWh,
    robotHours,
    revenue,
    meanUptimeBps: rows.length ? Math.round(uptime / rows.length) : 0,
    revenuePerRobotHour: robotHours > 0 ? (revenue * 1_000_000n) / BigInt(Math.round(robotHours * 1e6)) : 0n,
  };
}

/** Turns the last `robots` of `nodes` into robot fleets (deterministic in `seed`): asset class ROBOT, a robot model,
 *  the model's fleet size as units, a site utilisation; with `dealIds` they are registered under those deals (round
 *  robin) instead. Returns the robot nodes. */
export function makeRobots<T extends RobotNodeLike & {index: number; assetClass?: number; dealId: bigint}>(
  nodes: T[],
  robots: number,
  rand: () => number,
  dealIds?: readonly bigint[],
): T[] {
  const count = Math.max(0, Math.min(nodes.length, Math.floor(robots)));
  const out = nodes.slice(nodes.length - count);
  for (const [j, n] of out.entries()) {
    const model = Math.floor(rand() * ROBOT_MODELS.length);
    n.assetClass = ROBOT_ASSET_CLASS;
    n.model = model;
    n.gpus = ROBOT_MODELS[model]!.fleet;
    n.baseUtilBps = 5500 + Math.floor(rand() * 4000);
    if (dealIds?.length) n.dealId = dealIds[j % dealIds.length]!;
  }
  return out;
}
