// `gaib operator …`: register, opt in / out, commission (set, claim). Every contract limit is read and checked before
// the first transaction (a refused command sends nothing, not even the GAIB approve).
import {parseEventLogs} from "viem";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {CliError, when} from "../errors.ts";
import {approveGaib, fmt, fmtAid, parseAmount, parseIntArg, requireBalance, requireOperator, type Log} from "./common.ts";

export async function operatorRegister(ctx: Context, o: {commission: string; selfStake: string; optIn?: boolean}, log: Log) {
  const vault = ctx.address("stakingVault");
  const max = Number(await ctx.read<bigint>(vault, abi.stakingVault, "MAX_COMMISSION_BPS"));
  const bps = parseIntArg(o.commission, `commission`, 0, 10_000);
  if (bps > max) throw new CliError(`bad value: commission ${bps} bps is above the vault's maximum MAX_COMMISSION_BPS = ${max} bps`);
  const selfStake = parseAmount(o.selfStake, "self-stake");
  const me = ctx.account().address;
  if (await ctx.read<boolean>(vault, abi.stakingVault, "isOperator", [me])) throw new CliError(`reverted: AlreadyOperator(${me})`);
  const min = await ctx.read<bigint>(vault, abi.stakingVault, "minSelfStake");
  if (selfStake < min) throw new CliError(`insufficient stake: self-stake ${fmt(selfStake)} is below the minimum ${fmt(min)}`);
  await requireBalance(ctx, selfStake);
  await approveGaib(ctx, selfStake);
  const {hash} = await ctx.write(vault, abi.stakingVault, "registerOperator", [bps, selfStake]);
  log(`operator ${me} registered: commission ${bps} bps, self-stake ${fmt(selfStake)} (tx ${hash})`);
  if (o.optIn) await operatorOpt(ctx, true, log);
  return {operator: me, hash};
}

/** Schedules opting in (or out) of the node network, or finalizes a scheduled change once due (OPT_DELAY). */
export async function operatorOpt(ctx: Context, optIn: boolean, log: Log) {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  const word = optIn ? "opt-in" : "opt-out";
  const pending = await pendingOpt(ctx, me);
  if ((await ctx.read<boolean>(vault, abi.stakingVault, "isOptedIn", [me])) === optIn && !pending) {
    log(`operator ${me} is ${optIn ? "opted in" : "opted out"}`);
    return {optedIn: optIn};
  }
  if (pending && pending.optIn === optIn) {
    const now = await ctx.now();
    if (pending.effectiveAt > now) {
      throw new CliError(`not ready: the ${word} of ${me} takes effect at ${when(pending.effectiveAt, now)}; run \`gaib operator ${word}\` again then (local chain: \`gaib time advance\`)`);
    }
    await ctx.write(vault, abi.stakingVault, "finalizeOptChange", [me]);
    log(`operator ${me} ${optIn ? "opted in to" : "opted out of"} the node network`);
    return {optedIn: optIn};
  }
  const {logs} = await ctx.write(vault, abi.stakingVault, "setOptIn", [optIn]);
  const [ev] = parseEventLogs({abi: abi.stakingVault, logs: logs as never, eventName: "OptChangeScheduled"});
  if (!ev) {
    log(`operator ${me}: the pending ${optIn ? "opt-out" : "opt-in"} was cancelled`);
    return {optedIn: !optIn};
  }
  const at = ev.args.effectiveAt;
  log(`operator ${me}: ${word} scheduled, effective ${when(at, await ctx.now())}; then run \`gaib operator ${word}\` again to finalize`);
  return {optedIn: !optIn, effectiveAt: at};
}

/** The operator's scheduled opt change (from its last OptChangeScheduled / OptChangeCancelled / OptChanged event). */
export async function pendingOpt(ctx: Context, operator: `0x${string}`): Promise<{optIn: boolean; effectiveAt: bigint} | undefined> {
  const vault = ctx.address("stakingVault");
  const names = ["OptChangeScheduled", "OptChangeCancelled", "OptChanged"] as const;
  const logs = (
    await Promise.all(names.map((eventName) => ctx.client.getContractEvents({address: vault, abi: abi.stakingVault, eventName, args: {operator}, fromBlock: 0n} as never)))
  ).flat() as unknown as {eventName: string; blockNumber: bigint; logIndex: number; args: {optIn: boolean; effectiveAt: bigint}}[];
  logs.sort((x, y) => (x.blockNumber === y.blockNumber ? x.logIndex - y.logIndex : x.blockNumber < y.blockNumber ? -1 : 1));
  let pending: {optIn: boolean; effectiveAt: bigint} | undefined;
  for (const l of logs) {
    if (l.eventName === "OptChangeScheduled") pending = {optIn: l.args.optIn, effectiveAt: l.args.effectiveAt};
    else pending = undefined;
  }
  return pending;
}

/** Schedules a commission change; prints when it takes effect (COMMISSION_DELAY, on the COMMISSION_GRID). */
export async function operatorCommission(ctx: Context, bpsArg: string, log: Log) {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  const max = Number(await ctx.read<bigint>(vault, abi.stakingVault, "MAX_COMMISSION_BPS"));
  const bps = parseIntArg(bpsArg, "commission", 0, 10_000);
  if (bps > max) throw new CliError(`bad value: commission ${bps} bps is above the vault's maximum MAX_COMMISSION_BPS = ${max} bps`);
  const current = await ctx.read<bigint>(vault, abi.stakingVault, "commissionOf", [me]);
  const {hash} = await ctx.write(vault, abi.stakingVault, "setCommission", [bps]);
  const [, at] = await ctx.read<readonly [bigint, bigint]>(vault, abi.stakingVault, "pendingCommissionChange", [me]);
  log(`operator ${me}: commission ${current} -> ${bps} bps, effective ${when(at, await ctx.now())} (tx ${hash})`);
  return {bps, effectiveAt: at};
}

/** Claims the operator's accrued commission. */
export async function operatorClaimCommission(ctx: Context, log: Log) {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  const pending = await ctx.read<bigint>(vault, abi.stakingVault, "pendingCommission", [me]);
  if (pending === 0n) throw new CliError(`reverted: NothingToClaim(): operator ${me} has no commission accrued`);
  const {hash} = await ctx.write(vault, abi.stakingVault, "claimCommission", []);
  log(`operator ${me}: claimed ${fmtAid(pending)} commission (tx ${hash})`);
  return {amount: pending};
}
