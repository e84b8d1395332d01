// The plausibility limits the node simulation's honest operators apply (ts/nodes/sim.ts `plausible`), applied by the
// CLI before a node signs a report and before an operator attests it: uptime and utilisation ≤ 10,000 bps, GPUs online
// ≤ the node's registered units, revenue ≤ units × the model's price per GPU-hour × epoch hours × utilisation × uptime.
// A robot fleet (asset class 2) is checked against its robot model's table (ts/nodes/robot.ts `robotImplausibility`):
// robots online ≤ units, average power ≤ 2 × the units' working draw, revenue ≤ units × price per robot-hour × ….
import {hexToString, keccak256, stringToHex, type Hex} from "viem";
import {ROBOT_ASSET_CLASS, robotImplausibility, robotModelOf} from "../../nodes/robot.ts";
import type {Telemetry} from "../../nodes/telemetry.ts";
import {CliError} from "../errors.ts";
import {fmtAid} from "./common.ts";

/** GPU models and their price per GPU-hour [micro-AID] (same table as ts/nodes/sim.ts GPU_MODELS; a test keeps them
 *  equal). An unknown model is bounded by the highest price. */
export const MODEL_PRICES: readonly {name: string; token: string; priceMicro: bigint}[] = [
  {name: "NVIDIA H100 SXM", token: "H100", priceMicro: 2_400_000n},
  {name: "NVIDIA H200", token: "H200", priceMicro: 3_200_000n},
  {name: "NVIDIA B200", token: "B200", priceMicro: 4_800_000n},
  {name: "NVIDIA A100 80GB", token: "A100", priceMicro: 1_300_000n},
];
const MICRO_TO_WAD = 1_000_000_000_000n; // 1e-6 AID -> wad
const BPS2 = 100_000_000n; // [bps × bps]

/** The price per GPU-hour [micro-AID] of a registered model (bytes32: a short string or keccak256 of the name). */
export function modelPrice(model: Hex): bigint {
  const max = MODEL_PRICES.reduce((a, m) => (m.priceMicro > a ? m.priceMicro : a), 0n);
  const byHash = MODEL_PRICES.find((m) => keccak256(stringToHex(m.name)) === model.toLowerCase());
  if (byHash) return byHash.priceMicro;
  let name = "";
  try {
    name = hexToString(model, {size: 32}).replace(/\0+$/, "").toUpperCase();
  } catch {
    return max;
  }
  return MODEL_PRICES.find((m) => name.includes(m.token))?.priceMicro ?? max;
}

/** Most revenue [wad AID] a node of `units` GPUs of `model` can earn in one epoch of `epochSeconds` at the reported
 *  utilisation and uptime (+1 wei for rounding). */
export function maxRevenue(units: number, model: Hex, epochSeconds: bigint, utilisationBps: number, uptimeBps: number): bigint {
  const perEpoch = (BigInt(units) * modelPrice(model) * MICRO_TO_WAD * epochSeconds) / 3600n;
  return (perEpoch * BigInt(utilisationBps) * BigInt(uptimeBps)) / BPS2 + 1n;
}

/** The registered bytes32 model as text ("" when it is not a short string, e.g. a keccak256 of the name). */
export function modelName(model: Hex): string {
  try {
    return hexToString(model, {size: 32}).replace(/\0+$/, "");
  } catch {
    return "";
  }
}

/** Refuses telemetry outside the node's registration ("implausible report: …", naming the field and its bound); a
 *  robot fleet (asset class 2) by its robot model's bounds. */
export function checkPlausible(t: Telemetry, node: {unitCount: number; model: Hex; assetClass?: number}, epochSeconds: bigint, where = "report"): void {
  if (node.assetClass === ROBOT_ASSET_CLASS) {
    const why = robotImplausibility(t, node.unitCount, robotModelOf(modelName(node.model)), epochSeconds);
    if (why) throw new CliError(`implausible report: ${where}: ${why}`);
    return;
  }
  const bad = (field: string, why: string) => new CliError(`implausible report: ${where}: ${field} ${why}`);
  if (t.uptimeBps > 10_000) throw bad("uptimeBps", `${t.uptimeBps} is above 10000 bps`);
  if (t.utilisationBps > 10_000) throw bad("utilisationBps", `${t.utilisationBps} is above 10000 bps`);
  if (t.gpusOnline > node.unitCount) throw bad("gpusOnline", `${t.gpusOnline} is above the node's ${node.unitCount} registered units`);
  const max = maxRevenue(node.unitCount, node.model, epochSeconds, t.utilisationBps, t.uptimeBps);
  if (t.revenue > max) {
    throw bad(
      "revenue",
      `${fmtAid(t.revenue)} is above the most ${node.unitCount} GPUs of this model earn in ${epochSeconds} s at ${t.utilisationBps} bps utilisation and ${t.uptimeBps} bps uptime (at most ${fmtAid(max)})`,
    );
  }
}
