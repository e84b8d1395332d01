// `gaib stake | delegate | withdraw | claim | complete | rewards`: a staker's (or an operator's self-stake's) life
// cycle in the StakingVault. Amounts are GAIB (shares are converted), times are dates with the wait.
import {parseEventLogs, type Address} from "viem";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {CliError, when} from "../errors.ts";
import {approveGaib, fmt, fmtAid, parseAddress, parseAmount, parseId, requireBalance, requireNotFrozen, requireOperator, ZERO, type Log} from "./common.ts";

export async function stake(ctx: Context, operatorArg: string, amountArg: string, log: Log) {
  ctx.account(); // a signing command asks for its key first
  const operator = parseAddress(operatorArg, "operator");
  const amount = parseAmount(amountArg);
  if (amount === 0n) throw new CliError("reverted: ZeroAmount()");
  await requireOperator(ctx, operator);
  await requireNotFrozen(ctx, operator);
  await requireBalance(ctx, amount);
  await approveGaib(ctx, amount);
  const {hash} = await ctx.write(ctx.address("stakingVault"), abi.stakingVault, "stake", [operator, amount]);
  log(`staked ${fmt(amount)} with operator ${operator} (tx ${hash})`);
  return {hash};
}

/** Shares of the caller's position with `operator` worth `amountArg` GAIB ("all": every share). */
async function sharesFor(ctx: Context, operator: Address, amountArg: string): Promise<{shares: bigint; assets: bigint}> {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  const [shares, staked] = await Promise.all([
    ctx.read<bigint>(vault, abi.stakingVault, "sharesOf", [me, operator]),
    ctx.read<bigint>(vault, abi.stakingVault, "stakeOf", [me, operator]),
  ]);
  if (shares === 0n) throw new CliError(`insufficient stake: ${me} has nothing delegated to ${operator}`);
  if (amountArg === "all") return {shares, assets: staked};
  const amount = parseAmount(amountArg);
  if (amount === 0n) throw new CliError("reverted: ZeroAmount()");
  if (amount > staked) throw new CliError(`insufficient stake: ${me} has ${fmt(staked)} delegated to ${operator}, asked to move ${fmt(amount)}`);
  const move = (shares * amount) / staked;
  if (move === 0n) throw new CliError(`bad value: ${fmt(amount)} is less than one share of ${operator}'s pool`);
  return {shares: move, assets: amount};
}

/** Moves `amount` GAIB (or "all") of the caller's stake from `from` to `to`: queued now, completable at the exposure
 *  end (the stake stays slashable for `from` until every epoch it backed is past its challenge window). */
export async function delegate(ctx: Context, fromArg: string, toArg: string, amountArg: string, log: Log) {
  const [from, to] = [parseAddress(fromArg, "from operator"), parseAddress(toArg, "to operator")];
  if (from.toLowerCase() === to.toLowerCase()) throw new CliError("reverted: SameOperator()");
  const vault = ctx.address("stakingVault");
  await requireOperator(ctx, from);
  await requireOperator(ctx, to);
  await requireNotFrozen(ctx, from);
  const {shares, assets} = await sharesFor(ctx, from, amountArg);
  const {hash, logs} = await ctx.write(vault, abi.stakingVault, "redelegate", [from, to, shares]);
  const [queued] = parseEventLogs({abi: abi.stakingVault, logs: logs as never, eventName: "ExitQueued"});
  const id = queued?.args.id;
  const maturity = queued?.args.maturity ?? 0n;
  log(
    `redelegation ${id ?? "?"} queued: ${fmt(queued?.args.assets ?? assets)} from ${from} to ${to}; it completes at the exposure end ${when(maturity, await ctx.now())}: then run \`gaib complete ${id}\` (tx ${hash})`,
  );
  return {id, shares, maturity};
}

/** Queues a withdrawal of `amount` GAIB (or "all") from `operator` (claimable after WITHDRAWAL_DELAY / exposure end). */
export async function withdraw(ctx: Context, operatorArg: string, amountArg: string, log: Log) {
  const operator = parseAddress(operatorArg, "operator");
  const vault = ctx.address("stakingVault");
  await requireOperator(ctx, operator);
  await requireNotFrozen(ctx, operator);
  const {shares, assets} = await sharesFor(ctx, operator, amountArg);
  const {hash, logs} = await ctx.write(vault, abi.stakingVault, "queueWithdrawal", [operator, shares]);
  const [queued] = parseEventLogs({abi: abi.stakingVault, logs: logs as never, eventName: "ExitQueued"});
  const id = queued?.args.id;
  const maturity = queued?.args.maturity ?? 0n;
  log(`withdrawal ${id} queued: ${fmt(queued?.args.assets ?? assets)} from ${operator}; claimable ${when(maturity, await ctx.now())}: then run \`gaib claim ${id}\` (tx ${hash})`);
  return {id, shares, maturity};
}

export interface ExitView {
  id: bigint;
  operator: Address;
  to: Address;
  assets: bigint;
  maturity: bigint;
}

/** The caller's open exits (withdrawals and redelegations not yet claimed / completed), from ExitQueued events. */
export async function openExits(ctx: Context, owner: Address): Promise<ExitView[]> {
  const vault = ctx.address("stakingVault");
  const logs = await ctx.client.getContractEvents({address: vault, abi: abi.stakingVault, eventName: "ExitQueued", args: {owner}, fromBlock: 0n});
  const out: ExitView[] = [];
  for (const l of logs) {
    const id = l.args.id!;
    const e = await ctx.read<{owner: Address; maturity: number; operator: Address; to: Address; shares: bigint}>(vault, abi.stakingVault, "getExit", [id]);
    if (e.owner === ZERO) continue;
    out.push({id, operator: e.operator, to: e.to, maturity: BigInt(e.maturity), assets: await ctx.read<bigint>(vault, abi.stakingVault, "exitAssets", [id])});
  }
  return out;
}

/** Claims matured withdrawal `idArg` (or every matured one of the caller with "all"). */
export async function claim(ctx: Context, idArg: string, log: Log) {
  return finishExits(ctx, idArg, false, log);
}

/** Completes matured redelegation `idArg` (or every matured one with "all"): its stake joins the target operator. */
export async function complete(ctx: Context, idArg: string, log: Log) {
  return finishExits(ctx, idArg, true, log);
}

async function finishExits(ctx: Context, idArg: string, redelegation: boolean, log: Log) {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  const now = await ctx.now();
  const kind = redelegation ? "redelegation" : "withdrawal";
  const mine = (await openExits(ctx, me)).filter((e) => (e.to !== ZERO) === redelegation);
  let picked: ExitView[];
  if (idArg === "all") {
    picked = mine.filter((e) => e.maturity <= now);
    if (picked.length === 0) {
      const next = mine.sort((a, b) => Number(a.maturity - b.maturity))[0];
      throw new CliError(next ? `not ready: ${kind} ${next.id} matures at ${when(next.maturity, now)}` : `reverted: NothingToClaim(): ${me} has no open ${kind}`);
    }
  } else {
    const id = parseId(idArg, `${kind} id`);
    const e = mine.find((x) => x.id === id);
    if (!e) throw new CliError(`reverted: ExitNotFound(${id}): ${me} has no open ${kind} ${id}`);
    if (e.maturity > now) throw new CliError(`not ready: ${kind} ${id} matures at ${when(e.maturity, now)}`);
    picked = [e];
  }
  for (const e of picked) {
    await requireNotFrozen(ctx, e.operator);
    if (redelegation) await requireNotFrozen(ctx, e.to);
  }
  for (const e of picked) {
    const {hash} = await ctx.write(vault, abi.stakingVault, redelegation ? "completeRedelegation" : "claimWithdrawal", [e.id]);
    log(redelegation ? `redelegation ${e.id} completed: ${fmt(e.assets)} now staked with ${e.to} (tx ${hash})` : `withdrawal ${e.id} claimed: ${fmt(e.assets)} paid to ${me} (tx ${hash})`);
  }
  return {ids: picked.map((e) => e.id)};
}

/** Claims the caller's staking rewards with `operator`. */
export async function claimRewards(ctx: Context, operatorArg: string, log: Log) {
  const operator = parseAddress(operatorArg, "operator");
  await requireOperator(ctx, operator);
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  const pending = await ctx.read<bigint>(vault, abi.stakingVault, "pendingRewards", [me, operator]);
  if (pending === 0n) throw new CliError(`reverted: NothingToClaim(): ${me} has no rewards accrued with ${operator}`);
  const {hash} = await ctx.write(vault, abi.stakingVault, "claimRewards", [operator]);
  log(`claimed ${fmtAid(pending)} rewards from operator ${operator} (tx ${hash})`);
  return {amount: pending};
}
