// Operator CLI commands (ts/cli/program.ts wires them to commander). Each checks what it can before sending, so the
// documented errors (ts/cli/errors.ts) come out instead of a raw revert; then sends through Context.write.
import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {formatUnits, isAddress, isHex, pad, parseEventLogs, parseUnits, stringToHex, type Address, type Hex} from "viem";
import {gaibAbi, nodeRegistryAbi, stakingVaultAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {
  buildEpochTree,
  isNodeSigned,
  leafFromValue,
  nodeIdOf,
  recoverTelemetrySigner,
  signTelemetry,
  telemetryDigest,
  telemetryDomain,
  toNodeSignature,
  type NodeRecord,
  type SignedLeaf,
  type Telemetry,
} from "../nodes/telemetry.ts";
import type {Context} from "./context.ts";
import {parseKey} from "./context.ts";
import {CliError} from "./errors.ts";

export type Log = (line: string) => void;

const fmt = (wad: bigint) => `${formatUnits(wad, 18)} GAIB`;
const ZERO = "0x0000000000000000000000000000000000000000";

/** Decimal GAIB (or AID) amount -> wad. */
export function parseAmount(s: string): bigint {
  if (!/^\d+(\.\d+)?$/.test(s)) throw new CliError(`bad amount "${s}" (decimal, e.g. 1000 or 0.5)`);
  return parseUnits(s, 18);
}

/** A node id: 0x + 64 hex, or a short name (<= 31 bytes) stored as a right-padded string. */
export function parseNodeId(s: string): Hex {
  if (isHex(s) && s.length === 66) return s;
  if (isHex(s) && s.length <= 66) return pad(s, {size: 32});
  if (s.length > 0 && s.length <= 31) return stringToHex(s, {size: 32});
  throw new CliError(`bad node id "${s}" (0x + 64 hex digits, or a name of at most 31 characters)`);
}

function parseAddress(s: string, what: string): Address {
  if (!isAddress(s)) throw new CliError(`bad ${what} address "${s}"`);
  return s;
}

async function requireOperator(ctx: Context, operator: Address): Promise<void> {
  const vault = ctx.address("stakingVault");
  if (!(await ctx.read<boolean>(vault, stakingVaultAbi, "isOperator", [operator]))) {
    throw new CliError(`unknown operator ${operator}: not registered in StakingVault ${vault}`);
  }
}

async function requireNode(ctx: Context, nodeId: Hex): Promise<Address> {
  const registry = ctx.address("nodeRegistry");
  const signer = await ctx.read<Address>(registry, nodeRegistryAbi, "signerOf", [nodeId]);
  if (signer === ZERO) throw new CliError(`unknown node ${nodeId}: not registered in NodeRegistry ${registry}`);
  return signer;
}

/** Approves the vault for `amount` GAIB if the allowance is short. */
async function approveGaib(ctx: Context, amount: bigint): Promise<void> {
  const [gaib, vault] = [ctx.address("gaib"), ctx.address("stakingVault")];
  const allowance = await ctx.read<bigint>(gaib, gaibAbi, "allowance", [ctx.account().address, vault]);
  if (allowance < amount) await ctx.write(gaib, gaibAbi, "approve", [vault, amount]);
}

async function requireBalance(ctx: Context, amount: bigint): Promise<void> {
  const who = ctx.account().address;
  const balance = await ctx.read<bigint>(ctx.address("gaib"), gaibAbi, "balanceOf", [who]);
  if (balance < amount) throw new CliError(`insufficient stake: ${who} holds ${fmt(balance)}, needs ${fmt(amount)}`);
}

// ---------------------------------------------------------------- operator

export async function operatorRegister(ctx: Context, o: {commission: string; selfStake: string; optIn?: boolean}, log: Log) {
  const bps = Number(o.commission);
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) throw new CliError(`bad commission "${o.commission}" (basis points, max 2000)`);
  const selfStake = parseAmount(o.selfStake);
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  if (await ctx.read<boolean>(vault, stakingVaultAbi, "isOperator", [me])) throw new CliError(`reverted: AlreadyOperator(${me})`);
  const min = await ctx.read<bigint>(vault, stakingVaultAbi, "minSelfStake");
  if (selfStake < min) throw new CliError(`insufficient stake: self-stake ${fmt(selfStake)} is below the minimum ${fmt(min)}`);
  await requireBalance(ctx, selfStake);
  await approveGaib(ctx, selfStake);
  const {hash} = await ctx.write(vault, stakingVaultAbi, "registerOperator", [bps, selfStake]);
  log(`operator ${me} registered: commission ${bps} bps, self-stake ${fmt(selfStake)} (tx ${hash})`);
  if (o.optIn) await operatorOptIn(ctx, log);
  return {operator: me, hash};
}

/** Schedules opting in to the node network, or finalizes a scheduled opt-in once due. */
export async function operatorOptIn(ctx: Context, log: Log) {
  const vault = ctx.address("stakingVault");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  if (await ctx.read<boolean>(vault, stakingVaultAbi, "isOptedIn", [me])) {
    log(`operator ${me} is opted in`);
    return {optedIn: true};
  }
  try {
    await ctx.write(vault, stakingVaultAbi, "finalizeOptChange", [me]);
    log(`operator ${me} opted in to the node network`);
    return {optedIn: true};
  } catch (e) {
    if (!(e instanceof CliError) || !/NoPendingOptChange/.test(e.message)) throw e;
  }
  await ctx.write(vault, stakingVaultAbi, "setOptIn", [true]);
  const delay = await ctx.read<bigint>(vault, stakingVaultAbi, "OPT_DELAY");
  log(`operator ${me}: opt-in scheduled; run \`gaib operator opt-in\` again in ${delay} s to finalize`);
  return {optedIn: false};
}

// ---------------------------------------------------------------- nodes

export interface NodeSpec {
  label: string; // the node id is nodeIdOf(operator, label)
  signer: string;
  dealId: string | number;
  model: string;
  units: string | number;
  assetClass?: string | number;
}

/** Registers one node or a batch (JSON array of NodeSpec) under the caller's labels; checks every entry before
 *  sending any. A node on a deal (≠ 0) needs the deal's approval first (`node approve`, by its underwriter or borrower). */
export async function nodeRegister(ctx: Context, specs: readonly NodeSpec[], log: Log) {
  const registry = ctx.address("nodeRegistry");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  const rows = specs.map((s) => {
    const units = Number(s.units);
    if (!Number.isInteger(units) || units <= 0) throw new CliError(`bad unit count "${s.units}" for node ${s.label}`);
    const model = isHex(s.model) && s.model.length === 66 ? s.model : stringToHex(s.model.slice(0, 31), {size: 32});
    return [parseNodeId(s.label), parseAddress(s.signer, "signer"), BigInt(s.dealId), Number(s.assetClass ?? 1), model, units] as const;
  });
  for (const [label, , dealId] of rows) {
    const nodeId = nodeIdOf(me, label);
    if ((await ctx.read<Address>(registry, nodeRegistryAbi, "signerOf", [nodeId])) !== ZERO) throw new CliError(`reverted: NodeExists(${nodeId})`);
    if (dealId !== 0n && !(await ctx.read<boolean>(registry, nodeRegistryAbi, "isApproved", [dealId, nodeId]))) {
      throw new CliError(`reverted: NodeNotApproved(${dealId}, ${nodeId})`);
    }
  }
  const ids: Hex[] = [];
  for (const row of rows) {
    const nodeId = nodeIdOf(me, row[0]);
    await ctx.write(registry, nodeRegistryAbi, "registerNode", [...row]);
    ids.push(nodeId);
    log(`node ${nodeId} (label ${row[0]}) registered for deal ${row[2]} (signer ${row[1]}, ${row[5]} units)`);
  }
  return {nodeIds: ids};
}

/** The deal's underwriter or borrower approves `nodeIds` (or revokes them) for registration on deal `dealArg`. */
export async function nodeApprove(ctx: Context, dealArg: string, nodeIds: readonly string[], o: {revoke?: boolean}, log: Log) {
  if (!/^\d+$/.test(dealArg) || dealArg === "0") throw new CliError(`bad deal id "${dealArg}" (a deal of the deal factory, not 0)`);
  if (nodeIds.length === 0) throw new CliError("node approve needs at least one node id");
  const ids = nodeIds.map(parseNodeId);
  const {hash} = await ctx.write(ctx.address("nodeRegistry"), nodeRegistryAbi, "approveNodes", [BigInt(dealArg), ids, !o.revoke]);
  log(`${ids.length} node(s) ${o.revoke ? "revoked" : "approved"} for deal ${dealArg} (tx ${hash})`);
  return {dealId: BigInt(dealArg), nodeIds: ids, approved: !o.revoke};
}

/** A signed report as written by `node report` and read by `attest` / `equivocation`. */
export interface SignedReport {
  report: Record<keyof Telemetry, string | number>;
  signature: Hex;
}

export function reportToJson(t: Telemetry, signature: Hex): SignedReport {
  return {report: {...t, epoch: t.epoch.toString(), revenue: t.revenue.toString()}, signature};
}

export function reportFromJson(j: SignedReport): {report: Telemetry; signature: Hex} {
  const r = j.report;
  return {
    report: {
      nodeId: r.nodeId as Hex,
      epoch: BigInt(r.epoch),
      uptimeBps: Number(r.uptimeBps),
      utilisationBps: Number(r.utilisationBps),
      gpusOnline: Number(r.gpusOnline),
      powerW: Number(r.powerW),
      revenue: BigInt(r.revenue),
    },
    signature: j.signature,
  };
}

export interface ReportOptions {
  nodeId: string;
  nodeKey?: string;
  epoch?: string;
  uptimeBps: string;
  utilisationBps: string;
  gpus: string;
  powerW: string;
  revenue: string;
  out: string;
}

/** The node reporter: signs the node's telemetry for an ended epoch (default: the last one) with the node key (EIP-712,
 *  the oracle's domain) and writes `<out>/<epoch>/<nodeId>.json`. */
export async function nodeReport(ctx: Context, o: ReportOptions, env: NodeJS.ProcessEnv, log: Log) {
  const node = parseKey(o.nodeKey ?? env.GAIB_NODE_KEY, "--node-key <0x…> or set GAIB_NODE_KEY");
  const nodeId = parseNodeId(o.nodeId);
  const signer = await requireNode(ctx, nodeId);
  if (signer.toLowerCase() !== node.address.toLowerCase()) {
    throw new CliError(`not the node signer: key ${node.address} does not sign for node ${nodeId} (registered signer ${signer})`);
  }
  const current = await ctx.read<bigint>(ctx.address("stakingVault"), stakingVaultAbi, "currentEpoch");
  const epoch = o.epoch !== undefined ? BigInt(o.epoch) : current - 1n;
  if (epoch >= current) throw new CliError(`epoch ${epoch} has not ended (current epoch ${current})`);
  const t: Telemetry = {
    nodeId,
    epoch,
    uptimeBps: Number(o.uptimeBps),
    utilisationBps: Number(o.utilisationBps),
    gpusOnline: Number(o.gpus),
    powerW: Number(o.powerW),
    revenue: parseAmount(o.revenue),
  };
  const signature = await signTelemetry(node, telemetryDomain(ctx.chainId, ctx.address("telemetryOracle")), t);
  const dir = path.join(o.out, String(epoch));
  mkdirSync(dir, {recursive: true});
  const file = path.join(dir, `${nodeId}.json`);
  writeFileSync(file, `${JSON.stringify(reportToJson(t, signature), null, 2)}\n`);
  log(`node ${nodeId}: report for epoch ${epoch} signed by ${node.address} -> ${file}`);
  return {file, report: t, signature};
}

// ---------------------------------------------------------------- attest / challenge / equivocation

/** `epoch`'s [start, end) from the vault. */
async function epochWindow(ctx: Context, epoch: bigint): Promise<{epoch: bigint; start: bigint; end: bigint}> {
  const vault = ctx.address("stakingVault");
  const [start, end] = await Promise.all([epoch, epoch + 1n].map((e) => ctx.read<bigint>(vault, stakingVaultAbi, "epochStart", [e])));
  return {epoch, start: start!, end: end!};
}

/** The registry record of `nodeId` (undefined when unknown). */
async function nodeRecord(ctx: Context, nodeId: Hex): Promise<NodeRecord | undefined> {
  const n = await ctx.read<NodeRecord & {operator: Address}>(ctx.address("nodeRegistry"), nodeRegistryAbi, "getNode", [nodeId]);
  return n.operator === ZERO ? undefined : n;
}

/** Whether `leaf` is node-signed for `epoch` (the oracle's rule: see ts/nodes/telemetry.ts `isNodeSigned`). */
async function checkLeaf(ctx: Context, leaf: SignedLeaf, window: {epoch: bigint; start: bigint; end: bigint}): Promise<boolean> {
  const domain = telemetryDomain(ctx.chainId, ctx.address("telemetryOracle"));
  return isNodeSigned(leaf, await nodeRecord(ctx, leaf.report.nodeId), window, telemetryDigest(domain, leaf.report));
}

/** Reads `<reports>/<epoch>/*.json`, checks every report is node-signed (registered node active in the epoch, canonical
 *  signature of its registered signer: only such leaves keep an operator safe from slashing), builds the epoch tree of
 *  report + signature leaves, writes it to `<reports>/<epoch>.tree.json` and attests its root. */
export async function attest(ctx: Context, epochArg: string, o: {reports: string}, log: Log) {
  const epoch = BigInt(epochArg);
  const me = ctx.account().address;
  const [vault, oracle] = [ctx.address("stakingVault"), ctx.address("telemetryOracle")];
  await requireOperator(ctx, me);
  const weight = await ctx.read<bigint>(vault, stakingVaultAbi, "operatorWeightForEpoch", [me, epoch]);
  if (weight === 0n) {
    throw new CliError(`insufficient stake: operator ${me} has no stake weight for epoch ${epoch} (stake and opt in before the epoch starts)`);
  }
  const dir = path.join(o.reports, String(epoch));
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
  if (files.length === 0) throw new CliError(`no reports for epoch ${epoch} in ${dir}`);
  const window = await epochWindow(ctx, epoch);
  const leaves: SignedLeaf[] = [];
  for (const f of files) {
    const {report, signature} = reportFromJson(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as SignedReport);
    if (report.epoch !== epoch) throw new CliError(`report ${f} is for epoch ${report.epoch}, not ${epoch}`);
    const signer = await requireNode(ctx, report.nodeId);
    const leaf: SignedLeaf = {report, sig: toNodeSignature(signature)};
    if (!(await checkLeaf(ctx, leaf, window))) {
      const recovered = await recoverTelemetrySigner(telemetryDomain(ctx.chainId, oracle), report, signature).catch(() => ZERO);
      throw new CliError(`not the node signer: report ${f} is not node-signed (recovers ${recovered}, node ${report.nodeId}'s signer is ${signer}, or the node was not active in epoch ${epoch})`);
    }
    leaves.push(leaf);
  }
  const tree = buildEpochTree(leaves);
  const treeFile = path.join(o.reports, `${epoch}.tree.json`);
  writeFileSync(treeFile, `${JSON.stringify(tree.dump(), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  const totalRevenue = leaves.reduce((a, l) => a + l.report.revenue, 0n);
  const {hash} = await ctx.write(oracle, telemetryOracleAbi, "attest", [epoch, tree.root, BigInt(leaves.length), totalRevenue]);
  const root = await ctx.read<{status: number}>(oracle, telemetryOracleAbi, "getEpochRoot", [epoch]);
  const accepted = root.status === 1;
  log(`epoch ${epoch}: attested root ${tree.root} (${leaves.length} nodes, revenue ${formatUnits(totalRevenue, 18)} AID, weight ${fmt(weight)})${accepted ? ", accepted" : ""} (tx ${hash})`);
  return {root: tree.root as Hex, nodeCount: leaves.length, totalRevenue, accepted, treeFile};
}

/** Rejects `epoch`'s accepted root with a forged leaf of `tree` (the attested tree, a StandardMerkleTree dump): a leaf
 *  whose signature does not recover to its node's registered signer (`--node` picks it, else the first found).
 *  O(log n) in leaves; then requests the slash of each attester of the rejected root, one O(1) call each. */
export async function challenge(ctx: Context, epochArg: string, o: {tree: string; node?: string}, log: Log) {
  const epoch = BigInt(epochArg);
  const oracle = ctx.address("telemetryOracle");
  const dump = JSON.parse(readFileSync(o.tree, "utf8")) as Parameters<typeof StandardMerkleTree.load>[0];
  const tree = StandardMerkleTree.load(dump);
  const root = await ctx.read<{root: Hex; status: number}>(oracle, telemetryOracleAbi, "getEpochRoot", [epoch]);
  if (root.status !== 1) throw new CliError(`reverted: RootNotAccepted(${epoch})`);
  if (root.root.toLowerCase() !== String(tree.root).toLowerCase()) throw new CliError(`the tree ${o.tree} is not epoch ${epoch}'s accepted root ${root.root}`);
  const wanted = o.node ? parseNodeId(o.node) : undefined;
  const window = await epochWindow(ctx, epoch);
  let forged: {leaf: SignedLeaf; proof: Hex[]} | undefined;
  for (const [i, v] of tree.entries()) {
    const leaf = leafFromValue(v);
    if (wanted && leaf.report.nodeId.toLowerCase() !== wanted.toLowerCase()) continue;
    if (await checkLeaf(ctx, leaf, window)) {
      if (wanted) throw new CliError(`reverted: NotForged(${wanted})`);
      continue;
    }
    forged = {leaf, proof: tree.getProof(i) as Hex[]};
    break;
  }
  if (!forged) throw new CliError(wanted ? `unknown node ${wanted}: not in the epoch tree ${o.tree}` : `no forged leaf: every leaf of ${o.tree} is node-signed`);
  const {logs, hash} = await ctx.write(oracle, telemetryOracleAbi, "challengeForgedLeaf", [epoch, forged.leaf.report, forged.leaf.sig, forged.proof]);
  const [rejected] = parseEventLogs({abi: telemetryOracleAbi, logs: logs as never, eventName: "RootRejected"});
  const round = rejected!.args.round;
  log(`epoch ${epoch}: root ${root.root} rejected (round ${round}) with the forged leaf of node ${forged.leaf.report.nodeId} (tx ${hash})`);
  const attesters = await attestersOf(ctx, epoch, round);
  const requestIds: bigint[] = [];
  for (const op of attesters) {
    const r = await ctx.write(oracle, telemetryOracleAbi, "requestAttesterSlash", [epoch, round, op]);
    const [ev] = parseEventLogs({abi: telemetryOracleAbi, logs: r.logs as never, eventName: "AttesterSlashRequested"});
    requestIds.push(ev?.args.requestId ?? 0n);
    log(`  attester ${op}: slash request ${ev?.args.requestId ?? 0n} of ${fmt(ev?.args.amount ?? 0n)} (tx ${r.hash})`);
  }
  return {nodeId: forged.leaf.report.nodeId, round, slashRequests: BigInt(attesters.length), attesters, requestIds};
}

/** Operators that attested the root rejected in round `round` of `epoch` (Attested events, checked against the
 *  oracle's frozen rejection key). */
async function attestersOf(ctx: Context, epoch: bigint, round: bigint): Promise<Address[]> {
  const oracle = ctx.address("telemetryOracle");
  const rejection = await ctx.read<{key: Hex}>(oracle, telemetryOracleAbi, "getRejection", [epoch, round]);
  const logs = await ctx.client.getLogs({
    address: oracle,
    event: telemetryOracleAbi.find((x) => x.type === "event" && x.name === "Attested") as never,
    args: {epoch} as never,
    fromBlock: 0n,
  });
  const out: Address[] = [];
  for (const op of new Set((logs as unknown as {args: {operator: Address}}[]).map((l) => l.args.operator))) {
    if ((await ctx.read<Hex>(oracle, telemetryOracleAbi, "attestationIn", [epoch, round, op])) === rejection.key) out.push(op);
  }
  return out;
}

/** Proves that one node signed two different reports for one epoch (`node report` files): its operator gets a slash
 *  request and the node is excluded from that epoch on; no root is touched. */
export async function equivocation(ctx: Context, o: {a: string; b: string}, log: Log) {
  const a = reportFromJson(JSON.parse(readFileSync(o.a, "utf8")) as SignedReport);
  const b = reportFromJson(JSON.parse(readFileSync(o.b, "utf8")) as SignedReport);
  if (a.report.nodeId.toLowerCase() !== b.report.nodeId.toLowerCase() || a.report.epoch !== b.report.epoch) throw new CliError("reverted: ReportMismatch()");
  await requireNode(ctx, a.report.nodeId);
  const oracle = ctx.address("telemetryOracle");
  const {logs, hash} = await ctx.write(oracle, telemetryOracleAbi, "reportEquivocation", [a.report, toNodeSignature(a.signature), b.report, toNodeSignature(b.signature)]);
  const [ev] = parseEventLogs({abi: telemetryOracleAbi, logs: logs as never, eventName: "NodeEquivocated"});
  const {nodeId, operator, requestId, amount} = ev!.args;
  log(`node ${nodeId} equivocated in epoch ${a.report.epoch}: excluded from it on; slash request ${requestId} of ${fmt(amount)} on its operator ${operator} (tx ${hash})`);
  return {nodeId, operator, requestId, amount};
}

// ---------------------------------------------------------------- staking

export async function stake(ctx: Context, operatorArg: string, amountArg: string, log: Log) {
  const operator = parseAddress(operatorArg, "operator");
  const amount = parseAmount(amountArg);
  await requireOperator(ctx, operator);
  await requireBalance(ctx, amount);
  await approveGaib(ctx, amount);
  const {hash} = await ctx.write(ctx.address("stakingVault"), stakingVaultAbi, "stake", [operator, amount]);
  log(`staked ${fmt(amount)} with operator ${operator} (tx ${hash})`);
  return {hash};
}

/** Moves `amount` GAIB (or everything with "all") of the caller's stake from `from` to `to` (one epoch). */
export async function delegate(ctx: Context, fromArg: string, toArg: string, amountArg: string, log: Log) {
  const [from, to] = [parseAddress(fromArg, "from operator"), parseAddress(toArg, "to operator")];
  const vault = ctx.address("stakingVault");
  await requireOperator(ctx, from);
  await requireOperator(ctx, to);
  const me = ctx.account().address;
  const [shares, staked] = await Promise.all([
    ctx.read<bigint>(vault, stakingVaultAbi, "sharesOf", [me, from]),
    ctx.read<bigint>(vault, stakingVaultAbi, "stakeOf", [me, from]),
  ]);
  let move = shares;
  if (amountArg !== "all") {
    const amount = parseAmount(amountArg);
    if (amount > staked) throw new CliError(`insufficient stake: ${me} has ${fmt(staked)} delegated to ${from}, asked to move ${fmt(amount)}`);
    move = staked === 0n ? 0n : (shares * amount) / staked;
  }
  if (move === 0n) throw new CliError(`insufficient stake: ${me} has nothing delegated to ${from}`);
  const {hash, logs} = await ctx.write(vault, stakingVaultAbi, "redelegate", [from, to, move]);
  const [queued] = parseEventLogs({abi: stakingVaultAbi, logs: logs as never, eventName: "ExitQueued"});
  const id = (queued?.args as {id?: bigint} | undefined)?.id;
  log(`redelegation ${id ?? "?"} queued: ${move} shares from ${from} to ${to}, complete after one epoch (tx ${hash})`);
  return {id, shares: move};
}

// ---------------------------------------------------------------- status

export async function status(ctx: Context, o: {address?: string; operator?: string; node?: string}, log: Log) {
  const who = o.address ? parseAddress(o.address, "account") : tryAccount(ctx);
  const [gaib, vault, oracle] = [ctx.address("gaib"), ctx.address("stakingVault"), ctx.address("telemetryOracle")];
  const epoch = await ctx.read<bigint>(vault, stakingVaultAbi, "currentEpoch");
  const out: Record<string, unknown> = {chainId: ctx.chainId, deployment: ctx.deploymentFile, epoch};
  log(`chain ${ctx.chainId}, epoch ${epoch}, deployment ${ctx.deploymentFile}`);
  if (epoch > 0n) {
    const r = await ctx.read<{root: Hex; status: number; nodeCount: bigint}>(oracle, telemetryOracleAbi, "getEpochRoot", [epoch - 1n]);
    const s = ["none", "accepted", "rejected"][r.status] ?? String(r.status);
    out.lastEpochRoot = s;
    log(`epoch ${epoch - 1n} root: ${s}${r.status ? ` ${r.root} (${r.nodeCount} nodes)` : ""}`);
  }
  if (who) {
    const balance = await ctx.read<bigint>(gaib, gaibAbi, "balanceOf", [who]);
    out.account = who;
    out.balance = balance;
    log(`account ${who}: ${fmt(balance)}`);
    if (await ctx.read<boolean>(vault, stakingVaultAbi, "isOperator", [who])) {
      const [commission, optedIn, weight, pool] = await Promise.all([
        ctx.read<bigint>(vault, stakingVaultAbi, "commissionOf", [who]),
        ctx.read<boolean>(vault, stakingVaultAbi, "isOptedIn", [who]),
        ctx.read<bigint>(vault, stakingVaultAbi, "operatorWeightForEpoch", [who, epoch]),
        ctx.read<readonly [bigint, bigint]>(vault, stakingVaultAbi, "activePool", [who]),
      ]);
      out.operator = {commissionBps: commission, optedIn, weight, activeStake: pool[0]};
      log(`operator: commission ${commission} bps, ${optedIn ? "opted in" : "not opted in"}, active stake ${fmt(pool[0])}, weight this epoch ${fmt(weight)}`);
    }
    if (o.operator) {
      const op = parseAddress(o.operator, "operator");
      await requireOperator(ctx, op);
      const staked = await ctx.read<bigint>(vault, stakingVaultAbi, "stakeOf", [who, op]);
      out.stake = staked;
      log(`stake with ${op}: ${fmt(staked)}`);
    }
  }
  if (o.node) {
    const nodeId = parseNodeId(o.node);
    await requireNode(ctx, nodeId);
    const n = await ctx.read<{operator: Address; dealId: bigint; unitCount: number; deactivatedAt: number}>(ctx.address("nodeRegistry"), nodeRegistryAbi, "getNode", [nodeId]);
    const stale = await ctx.read<boolean>(oracle, telemetryOracleAbi, "isStale", [nodeId]);
    out.node = {nodeId, operator: n.operator, dealId: n.dealId, units: n.unitCount, active: n.deactivatedAt === 0, stale};
    log(`node ${nodeId}: operator ${n.operator}, deal ${n.dealId}, ${n.unitCount} units, ${n.deactivatedAt === 0 ? "active" : "deactivated"}${stale ? ", stale" : ""}`);
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
