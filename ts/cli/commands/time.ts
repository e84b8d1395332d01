// `gaib time advance <1d|3h|90m|45s|…>`: moves a local Anvil chain's clock (evm_increaseTime + evm_mine), for the
// opt-in delay (1 day), epochs (1 hour) and the veto window (2 days). Refused on any chain that is not a local one.
import {CHAINS} from "../../multichain/chains.ts";
import type {Context} from "../context.ts";
import {CliError, isoDate} from "../errors.ts";
import type {Log} from "./common.ts";

const UNITS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800};

/** "1d", "3h", "90m", "1d12h", "45" (seconds) -> seconds. */
export function parseDuration(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const parts = [...s.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== s) throw new CliError(`bad value: duration "${s}" (e.g. 1d, 3h, 90m, 1d12h, or seconds)`);
  return parts.reduce((a, p) => a + Number(p[1]) * UNITS[p[2]!]!, 0);
}

/** A local node: anvil answers `anvil_nodeInfo`; a chain the deployment tooling names (1, 42161, 98866) is local only
 *  when its RPC is on this machine. */
async function isLocal(ctx: Context): Promise<boolean> {
  const host = new URL(ctx.rpcUrl).hostname;
  const loopback = ["127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0"].includes(host);
  if (!loopback) return false;
  try {
    await ctx.client.request({method: "anvil_nodeInfo" as never, params: [] as never});
    return true;
  } catch {
    return ctx.chainId === 31_337 || !CHAINS.some((c) => c.chainId === ctx.chainId);
  }
}

export async function timeAdvance(ctx: Context, durationArg: string, log: Log) {
  const seconds = parseDuration(durationArg);
  if (seconds <= 0) throw new CliError(`bad value: duration "${durationArg}" must be positive`);
  if (!(await isLocal(ctx))) {
    throw new CliError(`wrong chain: time advance works on a local Anvil chain only; the RPC at ${ctx.rpcUrl} (chain ${ctx.chainId}) is not one`);
  }
  const before = await ctx.now();
  await ctx.client.request({method: "evm_increaseTime" as never, params: [`0x${seconds.toString(16)}`] as never});
  await ctx.client.request({method: "evm_mine" as never, params: [] as never});
  const after = await ctx.now();
  log(`chain ${ctx.chainId}: time ${isoDate(before)} -> ${isoDate(after)} (+${seconds} s)`);
  return {before, after};
}
