// `gaib slash list | execute`: the VetoSlasher's requests, with the veto window (executable at or after the veto
// deadline unless the resolver vetoed it). Anyone may execute a due request.
import type {Address, Hex} from "viem";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {CliError, when} from "../errors.ts";
import {fmt, parseAddress, parseId, type Log} from "./common.ts";

export const SLASH_STATUS = ["none", "pending", "vetoed", "executed"] as const;

export interface SlashView {
  id: bigint;
  operator: Address;
  status: (typeof SLASH_STATUS)[number];
  requested: bigint;
  executed: bigint;
  vetoDeadline: bigint;
  evidence: Hex;
}

async function request(ctx: Context, id: bigint): Promise<SlashView> {
  const r = await ctx.read<{operator: Address; vetoDeadline: number; status: number; requested: bigint; executed: bigint; evidence: Hex}>(
    ctx.address("vetoSlasher"),
    abi.vetoSlasher,
    "getRequest",
    [id],
  );
  return {id, operator: r.operator, status: SLASH_STATUS[r.status] ?? "none", requested: r.requested, executed: r.executed, vetoDeadline: BigInt(r.vetoDeadline), evidence: r.evidence};
}

/** Slash requests (ids 1 .. requestCount), optionally of one operator and only pending ones. */
export async function slashRequests(ctx: Context, o: {operator?: Address | undefined; pendingOnly?: boolean}): Promise<SlashView[]> {
  const count = await ctx.read<bigint>(ctx.address("vetoSlasher"), abi.vetoSlasher, "requestCount");
  const out: SlashView[] = [];
  for (let id = 1n; id <= count; id++) {
    const r = await request(ctx, id);
    if (r.status === "none") continue;
    if (o.operator && r.operator.toLowerCase() !== o.operator.toLowerCase()) continue;
    if (o.pendingOnly && r.status !== "pending") continue;
    out.push(r);
  }
  return out;
}

const describe = (r: SlashView, now: bigint) =>
  `slash request ${r.id}: operator ${r.operator}, ${fmt(r.requested)} requested, ${r.status}` +
  (r.status === "pending" ? (r.vetoDeadline <= now ? `, executable now (veto window closed ${when(r.vetoDeadline, now).split(" ")[0]})` : `, veto window open: executable at ${when(r.vetoDeadline, now)}`) : "") +
  (r.status === "executed" ? `, ${fmt(r.executed)} slashed` : "");

export async function slashList(ctx: Context, o: {operator?: string; all?: boolean}, log: Log) {
  const operator = o.operator ? parseAddress(o.operator, "operator") : undefined;
  const list = await slashRequests(ctx, {operator, pendingOnly: !o.all});
  const now = await ctx.now();
  if (list.length === 0) log(`no ${o.all ? "" : "pending "}slash requests${operator ? ` of ${operator}` : ""}`);
  for (const r of list) log(describe(r, now));
  return {requests: list};
}

/** Executes pending request `idArg` once its veto window has closed. */
export async function slashExecute(ctx: Context, idArg: string, log: Log) {
  const id = parseId(idArg, "slash request id");
  const count = await ctx.read<bigint>(ctx.address("vetoSlasher"), abi.vetoSlasher, "requestCount");
  if (id === 0n || id > count) throw new CliError(`reverted: UnknownRequest(${id}): there are ${count} slash requests`);
  const r = await request(ctx, id);
  if (r.status !== "pending") throw new CliError(`reverted: NotPending(${id}, ${SLASH_STATUS.indexOf(r.status)}): request ${id} is ${r.status}`);
  const now = await ctx.now();
  if (r.vetoDeadline > now) throw new CliError(`not ready: slash request ${id}'s veto window is open until ${when(r.vetoDeadline, now)}`);
  const {hash} = await ctx.write(ctx.address("vetoSlasher"), abi.vetoSlasher, "executeSlash", [id]);
  const after = await request(ctx, id);
  log(`slash request ${id} executed: ${fmt(after.executed)} slashed from operator ${r.operator} (tx ${hash})`);
  return {id, slashed: after.executed};
}
