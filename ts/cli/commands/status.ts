// `gaib status`: chain, epoch, last root; the account's GAIB, its operator record (commission and a pending change,
// opt-in state and a pending opt change, stake, commission accrued), its open exits, pending slash requests against
// it, rewards with an operator, and a node.
import type {Address, Hex} from "viem";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {when} from "../errors.ts";
import {fmt, fmtAid, parseAddress, parseNodeId, requireNode, requireOperator, type Log} from "./common.ts";
import {ASSET_CLASSES} from "./node.ts";
import {pendingOpt} from "./operator.ts";
import {modelName} from "./plausible.ts";
import {slashRequests} from "./slash.ts";
import {openExits} from "./staking.ts";

export async function status(ctx: Context, o: {address?: string; operator?: string; node?: string}, log: Log) {
  const who = o.address ? parseAddress(o.address, "account") : tryAccount(ctx);
  const [gaib, vault, oracle] = [ctx.address("gaib"), ctx.address("stakingVault"), ctx.address("telemetryOracle")];
  const epoch = await ctx.read<bigint>(vault, abi.stakingVault, "currentEpoch");
  const now = await ctx.now();
  const out: Record<string, unknown> = {chainId: ctx.chainId, deployment: ctx.deploymentFile, epoch};
  const next = await ctx.read<bigint>(vault, abi.stakingVault, "epochStart", [epoch + 1n]);
  log(`chain ${ctx.chainId}, epoch ${epoch} (next at ${when(next, now)}), deployment ${ctx.deploymentFile}`);
  if (epoch > 0n) {
    const r = await ctx.read<{root: Hex; status: number; nodeCount: bigint}>(oracle, abi.telemetryOracle, "getEpochRoot", [epoch - 1n]);
    const s = ["none", "accepted", "rejected"][r.status] ?? String(r.status);
    out.lastEpochRoot = s;
    log(`epoch ${epoch - 1n} root: ${s}${r.status ? ` ${r.root} (${r.nodeCount} nodes)` : ""}`);
  }
  if (who) {
    const balance = await ctx.read<bigint>(gaib, abi.gaib, "balanceOf", [who]);
    out.account = who;
    out.balance = balance;
    log(`account ${who}: ${fmt(balance)}`);
    if (await ctx.read<boolean>(vault, abi.stakingVault, "isOperator", [who])) {
      const [commission, optedIn, weight, pool, pendingC, commissionDue, opt, slashes] = await Promise.all([
        ctx.read<bigint>(vault, abi.stakingVault, "commissionOf", [who]),
        ctx.read<boolean>(vault, abi.stakingVault, "isOptedIn", [who]),
        ctx.read<bigint>(vault, abi.stakingVault, "operatorWeightForEpoch", [who, epoch]),
        ctx.read<readonly [bigint, bigint]>(vault, abi.stakingVault, "activePool", [who]),
        ctx.read<readonly [bigint, bigint]>(vault, abi.stakingVault, "pendingCommissionChange", [who]),
        ctx.read<bigint>(vault, abi.stakingVault, "pendingCommission", [who]),
        pendingOpt(ctx, who),
        slashRequests(ctx, {operator: who, pendingOnly: true}),
      ]);
      out.operator = {commissionBps: commission, optedIn, weight, activeStake: pool[0], pendingOpt: opt, commissionDue, pendingSlashes: slashes.map((s) => s.id)};
      log(`operator: commission ${commission} bps, ${optedIn ? "opted in" : "not opted in"}, active stake ${fmt(pool[0])}, weight this epoch ${fmt(weight)}`);
      if (pendingC[1] !== 0n) log(`  commission change to ${pendingC[0]} bps effective ${when(pendingC[1], now)}`);
      if (opt) log(`  pending ${opt.optIn ? "opt-in" : "opt-out"}: effective ${when(opt.effectiveAt, now)} (then \`gaib operator ${opt.optIn ? "opt-in" : "opt-out"}\`)`);
      log(`  commission accrued: ${fmtAid(commissionDue)}`);
      for (const s of slashes) {
        log(`  pending slash request ${s.id}: ${fmt(s.requested)}, ${s.vetoDeadline <= now ? "executable now" : `veto window open until ${when(s.vetoDeadline, now)}`}`);
      }
    }
    const exits = await openExits(ctx, who);
    out.exits = exits;
    for (const e of exits) {
      const kind = e.to === "0x0000000000000000000000000000000000000000" ? `withdrawal from ${e.operator}` : `redelegation ${e.operator} -> ${e.to}`;
      log(`  queued ${kind} ${e.id}: ${fmt(e.assets)}, ${e.maturity <= now ? "ready now" : `matures ${when(e.maturity, now)}`}`);
    }
    if (o.operator) {
      const op = parseAddress(o.operator, "operator");
      await requireOperator(ctx, op);
      const [staked, rewards] = await Promise.all([
        ctx.read<bigint>(vault, abi.stakingVault, "stakeOf", [who, op]),
        ctx.read<bigint>(vault, abi.stakingVault, "pendingRewards", [who, op]),
      ]);
      out.stake = staked;
      out.rewards = rewards;
      log(`stake with ${op}: ${fmt(staked)}, rewards ${fmtAid(rewards)}`);
    }
  }
  if (o.node) {
    const nodeId = parseNodeId(o.node);
    await requireNode(ctx, nodeId);
    const n = await ctx.read<{operator: Address; dealId: bigint; unitCount: number; deactivatedAt: number; assetClass: number; model: Hex}>(ctx.address("nodeRegistry"), abi.nodeRegistry, "getNode", [nodeId]);
    const cls = `${ASSET_CLASSES[n.assetClass] ?? `asset class ${n.assetClass}`}${modelName(n.model) ? ` "${modelName(n.model)}"` : ""}`;
    const stale = await ctx.read<boolean>(oracle, abi.telemetryOracle, "isStale", [nodeId]);
    out.node = {nodeId, operator: n.operator, dealId: n.dealId, units: n.unitCount, assetClass: n.assetClass, active: n.deactivatedAt === 0, stale};
    log(`node ${nodeId}: operator ${n.operator}, deal ${n.dealId}, ${n.unitCount} units, ${n.deactivatedAt === 0 ? "active" : "deactivated"}${stale ? ", stale" : ""}, ${cls}`);
  }
  return out;
}

function tryAccount(ctx: Context): Address | undefined {
  try {
    return ctx.account().address;
  } catch {
    return undefined;
  }
}
