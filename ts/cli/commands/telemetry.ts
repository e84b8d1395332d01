// `gaib attest | challenge | equivocation`: the operator attests an epoch tree built from its nodes' signed reports;
// anyone challenges an accepted root with a forged leaf, or proves a node's equivocation.
import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {existsSync, readdirSync} from "node:fs";
import path from "node:path";
import {parseEventLogs, type Address, type Hex} from "viem";
import {
  buildEpochTree,
  isNodeSigned,
  leafFromValue,
  recoverTelemetrySigner,
  telemetryDigest,
  telemetryDomain,
  toNodeSignature,
  type NodeRecord,
  type SignedLeaf,
} from "../../nodes/telemetry.ts";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {CliError, readJson} from "../errors.ts";
import {fmt, fmtAid, parseId, parseNodeId, requireNode, requireOperator, ZERO, type Log} from "./common.ts";
import {readReport, writeAtomic} from "./node.ts";
import {checkPlausible} from "./plausible.ts";

/** `epoch`'s [start, end) from the vault. */
async function epochWindow(ctx: Context, epoch: bigint): Promise<{epoch: bigint; start: bigint; end: bigint}> {
  const vault = ctx.address("stakingVault");
  const [start, end] = await Promise.all([epoch, epoch + 1n].map((e) => ctx.read<bigint>(vault, abi.stakingVault, "epochStart", [e])));
  return {epoch, start: start!, end: end!};
}

/** The registry record of `nodeId` (undefined when unknown). */
async function nodeRecord(ctx: Context, nodeId: Hex): Promise<(NodeRecord & {unitCount: number; model: Hex; assetClass: number}) | undefined> {
  const n = await ctx.read<NodeRecord & {operator: Address; unitCount: number; model: Hex; assetClass: number}>(ctx.address("nodeRegistry"), abi.nodeRegistry, "getNode", [nodeId]);
  return n.operator === ZERO ? undefined : n;
}

/** Whether `leaf` is node-signed for `epoch` (the oracle's rule: see ts/nodes/telemetry.ts `isNodeSigned`). */
async function checkLeaf(ctx: Context, leaf: SignedLeaf, window: {epoch: bigint; start: bigint; end: bigint}): Promise<boolean> {
  const domain = telemetryDomain(ctx.chainId, ctx.address("telemetryOracle"));
  return isNodeSigned(leaf, await nodeRecord(ctx, leaf.report.nodeId), window, telemetryDigest(domain, leaf.report));
}

/** The tree file of `epoch` under `reports`: what challengers need (only the root is on chain). */
export const treeFileOf = (reports: string, epoch: bigint) => path.join(reports, `${epoch}.tree.json`);

/** Reads `<reports>/<epoch>/*.json`, checks every report is node-signed (registered node active in the epoch, canonical
 *  signature of its registered signer) and plausible, builds the epoch tree of report + signature leaves, attests its
 *  root and only then writes the tree to `<reports>/<epoch>.tree.json` (atomically): a refused attestation never
 *  replaces the proof data of an accepted root. */
export async function attest(ctx: Context, epochArg: string, o: {reports: string}, log: Log) {
  const epoch = parseId(epochArg, "epoch");
  const me = ctx.account().address;
  const [vault, oracle] = [ctx.address("stakingVault"), ctx.address("telemetryOracle")];
  await requireOperator(ctx, me);
  const weight = await ctx.read<bigint>(vault, abi.stakingVault, "operatorWeightForEpoch", [me, epoch]);
  if (weight === 0n) {
    throw new CliError(`insufficient stake: operator ${me} has no stake weight for epoch ${epoch} (stake and opt in before the epoch starts)`);
  }
  const dir = path.join(o.reports, String(epoch));
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort() : [];
  if (files.length === 0) throw new CliError(`no reports for epoch ${epoch} in ${dir}`);
  const window = await epochWindow(ctx, epoch);
  const epochSeconds = await ctx.read<bigint>(vault, abi.stakingVault, "EPOCH_DURATION");
  const leaves: SignedLeaf[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const {report, signature} = readReport(file);
    if (report.epoch !== epoch) throw new CliError(`bad file: ${file}: field "epoch" is ${report.epoch}, not ${epoch}`);
    const signer = await requireNode(ctx, report.nodeId);
    const leaf: SignedLeaf = {report, sig: toNodeSignature(signature)};
    const node = await nodeRecord(ctx, report.nodeId);
    if (!(await checkLeaf(ctx, leaf, window))) {
      const recovered = await recoverTelemetrySigner(telemetryDomain(ctx.chainId, oracle), report, signature).catch(() => ZERO);
      throw new CliError(`not the node signer: report ${f} is not node-signed (recovers ${recovered}, node ${report.nodeId}'s signer is ${signer}, or the node was not active in epoch ${epoch})`);
    }
    checkPlausible(report, node!, epochSeconds, file);
    leaves.push(leaf);
  }
  const tree = buildEpochTree(leaves);
  const totalRevenue = leaves.reduce((a, l) => a + l.report.revenue, 0n);
  const {hash} = await ctx.write(oracle, abi.telemetryOracle, "attest", [epoch, tree.root as Hex, BigInt(leaves.length), totalRevenue]);
  const treeFile = treeFileOf(o.reports, epoch);
  writeAtomic(treeFile, `${JSON.stringify(tree.dump(), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  const root = await ctx.read<{status: number}>(oracle, abi.telemetryOracle, "getEpochRoot", [epoch]);
  const accepted = root.status === 1;
  log(`epoch ${epoch}: attested root ${tree.root} (${leaves.length} nodes, revenue ${fmtAid(totalRevenue)}, weight ${fmt(weight)})${accepted ? ", accepted" : ""} (tx ${hash}); tree -> ${treeFile} (publish it for challengers)`);
  return {root: tree.root as Hex, nodeCount: leaves.length, totalRevenue, accepted, treeFile};
}

/** Rejects `epoch`'s accepted root with a forged leaf of `tree` (the attested tree, a StandardMerkleTree dump): a leaf
 *  whose signature does not recover to its node's registered signer (`--node` picks it, else the first found).
 *  O(log n) in leaves; then requests the slash of each attester of the rejected root, one O(1) call each. */
export async function challenge(ctx: Context, epochArg: string, o: {tree: string; node?: string}, log: Log) {
  const epoch = parseId(epochArg, "epoch");
  const oracle = ctx.address("telemetryOracle");
  const dump = readJson(o.tree, "attested epoch tree (attest output <reports>/<epoch>.tree.json)") as Parameters<typeof StandardMerkleTree.load>[0];
  let tree: StandardMerkleTree<unknown[]>;
  try {
    tree = StandardMerkleTree.load(dump) as StandardMerkleTree<unknown[]>;
  } catch (e) {
    throw new CliError(`bad file: ${o.tree}: not a Merkle tree dump (${(e as Error).message.split("\n")[0]})`);
  }
  const root = await ctx.read<{root: Hex; status: number}>(oracle, abi.telemetryOracle, "getEpochRoot", [epoch]);
  if (root.status !== 1) throw new CliError(`reverted: RootNotAccepted(${epoch})`);
  if (root.root.toLowerCase() !== String(tree.root).toLowerCase()) throw new CliError(`the tree ${o.tree} is not epoch ${epoch}'s accepted root ${root.root}`);
  const wanted = o.node ? parseNodeId(o.node) : undefined;
  const window = await epochWindow(ctx, epoch);
  let forged: {leaf: SignedLeaf; proof: Hex[]} | undefined;
  for (const [i, v] of tree.entries()) {
    const leaf = leafFromValue(v as never);
    if (wanted && leaf.report.nodeId.toLowerCase() !== wanted.toLowerCase()) continue;
    if (await checkLeaf(ctx, leaf, window)) {
      if (wanted) throw new CliError(`reverted: NotForged(${wanted})`);
      continue;
    }
    forged = {leaf, proof: tree.getProof(i) as Hex[]};
    break;
  }
  if (!forged) throw new CliError(wanted ? `unknown node ${wanted}: not in the epoch tree ${o.tree}` : `no forged leaf: every leaf of ${o.tree} is node-signed`);
  const {logs, hash} = await ctx.write(oracle, abi.telemetryOracle, "challengeForgedLeaf", [epoch, forged.leaf.report, forged.leaf.sig, forged.proof]);
  const [rejected] = parseEventLogs({abi: abi.telemetryOracle, logs: logs as never, eventName: "RootRejected"});
  const round = rejected!.args.round;
  log(`epoch ${epoch}: root ${root.root} rejected (round ${round}) with the forged leaf of node ${forged.leaf.report.nodeId} (tx ${hash})`);
  const attesters = await attestersOf(ctx, epoch, round);
  const requestIds: bigint[] = [];
  for (const op of attesters) {
    const r = await ctx.write(oracle, abi.telemetryOracle, "requestAttesterSlash", [epoch, round, op]);
    const [ev] = parseEventLogs({abi: abi.telemetryOracle, logs: r.logs as never, eventName: "AttesterSlashRequested"});
    requestIds.push(ev?.args.requestId ?? 0n);
    log(`  attester ${op}: slash request ${ev?.args.requestId ?? 0n} of ${fmt(ev?.args.amount ?? 0n)} (tx ${r.hash})`);
  }
  return {nodeId: forged.leaf.report.nodeId, round, slashRequests: BigInt(attesters.length), attesters, requestIds};
}

/** Operators that attested the root rejected in round `round` of `epoch` (Attested events, checked against the
 *  oracle's frozen rejection key). */
async function attestersOf(ctx: Context, epoch: bigint, round: bigint): Promise<Address[]> {
  const oracle = ctx.address("telemetryOracle");
  const rejection = await ctx.read<{key: Hex}>(oracle, abi.telemetryOracle, "getRejection", [epoch, round]);
  const logs = await ctx.client.getLogs({
    address: oracle,
    event: abi.telemetryOracle.find((x) => x.type === "event" && x.name === "Attested") as never,
    args: {epoch} as never,
    fromBlock: 0n,
  });
  const out: Address[] = [];
  for (const op of new Set((logs as unknown as {args: {operator: Address}}[]).map((l) => l.args.operator))) {
    if ((await ctx.read<Hex>(oracle, abi.telemetryOracle, "attestationIn", [epoch, round, op])) === rejection.key) out.push(op);
  }
  return out;
}

/** Proves that one node signed two different reports for one epoch (`node report` files): its operator gets a slash
 *  request and the node is excluded from that epoch on; no root is touched. */
export async function equivocation(ctx: Context, o: {a: string; b: string}, log: Log) {
  const a = readReport(o.a);
  const b = readReport(o.b);
  if (a.report.nodeId.toLowerCase() !== b.report.nodeId.toLowerCase() || a.report.epoch !== b.report.epoch) throw new CliError("reverted: ReportMismatch()");
  await requireNode(ctx, a.report.nodeId);
  const oracle = ctx.address("telemetryOracle");
  const {logs, hash} = await ctx.write(oracle, abi.telemetryOracle, "reportEquivocation", [a.report, toNodeSignature(a.signature), b.report, toNodeSignature(b.signature)]);
  const [ev] = parseEventLogs({abi: abi.telemetryOracle, logs: logs as never, eventName: "NodeEquivocated"});
  const {nodeId, operator, requestId, amount} = ev!.args;
  log(`node ${nodeId} equivocated in epoch ${a.report.epoch}: excluded from it on; slash request ${requestId} of ${fmt(amount)} on its operator ${operator} (tx ${hash})`);
  return {nodeId, operator, requestId, amount};
}
