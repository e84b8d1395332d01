// `gaib node …`: register (one, or a batch file in registerNodes batches; re-runs resume), approve, remove, rekey and
// report (the node reporter signs an epoch's telemetry; never two different reports for one epoch).
import {appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import path from "node:path";
import {isAddress, isHex, stringToHex, type Address, type Hex} from "viem";
import {GPU_ASSET_CLASS, ROBOT_ASSET_CLASS, ROBOT_MODELS} from "../../nodes/robot.ts";
import {nodeIdOf, signTelemetry, telemetryDigest, telemetryDomain, type Telemetry} from "../../nodes/telemetry.ts";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {parseKey} from "../context.ts";
import {CliError, readJson} from "../errors.ts";
import {parseAddress, parseAmount, parseId, parseIntArg, parseNodeId, requireNode, requireOperator, ZERO, type Log} from "./common.ts";
import {checkPlausible} from "./plausible.ts";

/** Asset classes the registry knows (INodeRegistry.Node.assetClass). */
export const ASSET_CLASSES: Readonly<Record<number, string>> = {1: "GPU cluster", 2: "robot fleet"};
/** Asset-class names `--asset-class` and a batch file's `assetClass` accept beside the numbers. */
export const ASSET_CLASS_NAMES: Readonly<Record<string, number>> = {gpu: GPU_ASSET_CLASS, robot: ROBOT_ASSET_CLASS};

/** The registry code of an asset class given as 1 / 2 (number or digits) or "gpu" / "robot" (any case); default GPU. */
export function parseAssetClass(v: unknown): number | undefined {
  if (v === undefined) return GPU_ASSET_CLASS;
  const cls = typeof v === "number" ? v : typeof v === "string" ? (/^\d+$/.test(v) ? Number(v) : ASSET_CLASS_NAMES[v.toLowerCase()]) : undefined;
  return cls !== undefined && ASSET_CLASSES[cls] ? cls : undefined;
}
/** Most units (GPUs, robots) one node may declare: a sanity bound of the CLI, well above any real cluster node. */
export const MAX_UNITS = 100_000;

export interface NodeSpec {
  label: string; // the node id is nodeIdOf(operator, label)
  signer: string;
  dealId?: string | number;
  model?: string;
  units: string | number;
  assetClass?: string | number;
}

/** A validated registry input (INodeRegistry.NodeInput). */
export interface NodeInput {
  label: Hex;
  signer: Address;
  dealId: bigint;
  assetClass: number;
  model: Hex;
  unitCount: number;
}

/** Checks one spec's fields; errors name `where` (file and entry index) and the field. */
export function parseNodeSpec(s: unknown, where: string): NodeInput {
  const bad = (field: string, why: string) => new CliError(`bad file: ${where}: field "${field}" ${why}`);
  if (s === null || typeof s !== "object" || Array.isArray(s)) throw new CliError(`bad file: ${where}: not an object {label, signer, units, dealId?, model?, assetClass?}`);
  const o = s as Record<string, unknown>;
  const known = new Set(["label", "signer", "dealId", "model", "units", "assetClass"]);
  for (const k of Object.keys(o)) if (!known.has(k)) throw bad(k, `is not a node field (${[...known].join(", ")})`);
  if (typeof o.label !== "string" || o.label === "") throw bad("label", "is missing (0x + 64 hex, or a name of at most 31 characters)");
  let label: Hex;
  try {
    label = parseNodeId(o.label);
  } catch {
    throw bad("label", `"${o.label}" is not 0x + 64 hex or a name of at most 31 characters`);
  }
  if (typeof o.signer !== "string" || !isAddress(o.signer) || /^0x0{40}$/.test(o.signer)) throw bad("signer", `${JSON.stringify(o.signer)} is not a non-zero address`);
  const units = o.units;
  if (!(typeof units === "number" || (typeof units === "string" && /^\d+$/.test(units))) || !Number.isSafeInteger(Number(units)) || Number(units) < 1 || Number(units) > MAX_UNITS) {
    throw bad("units", `${JSON.stringify(units)} is not a unit count from 1 to ${MAX_UNITS}`);
  }
  const deal = o.dealId ?? 0;
  if (!(typeof deal === "number" ? Number.isSafeInteger(deal) && deal >= 0 : typeof deal === "string" && /^\d+$/.test(deal))) throw bad("dealId", `${JSON.stringify(deal)} is not a deal id (0: none)`);
  const cls = parseAssetClass(o.assetClass);
  if (cls === undefined) {
    throw bad("assetClass", `${JSON.stringify(o.assetClass)} is not a known asset class (${Object.entries(ASSET_CLASSES).map(([k, v]) => `${k} = ${v}`).join(", ")})`);
  }
  if (cls === ROBOT_ASSET_CLASS && o.model === undefined) {
    throw bad("model", `is required for a robot fleet (${ROBOT_MODELS.map((r) => `"${r.name}"`).join(", ")}, or any name of at most 31 characters)`);
  }
  const m = o.model ?? "H100";
  if (typeof m !== "string" || m === "" || (!(isHex(m) && m.length === 66) && m.length > 31)) throw bad("model", `${JSON.stringify(m)} is not a name of at most 31 characters or a bytes32`);
  const model = isHex(m) && m.length === 66 ? m : stringToHex(m, {size: 32});
  return {label, signer: o.signer, dealId: BigInt(deal as string | number), assetClass: cls, model, unitCount: Number(units)};
}

/** Reads a batch file: a non-empty JSON array of node specs, no label twice. */
export function readNodeFile(file: string): NodeInput[] {
  const json = readJson(file, "node batch: a JSON array of {label, signer, units, dealId?, model?, assetClass?}");
  if (!Array.isArray(json) || json.length === 0) throw new CliError(`bad file: ${file}: expected a non-empty JSON array of nodes`);
  const rows = json.map((s, i) => parseNodeSpec(s, `${file}: entry ${i}`));
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const first = seen.get(r.label);
    if (first !== undefined) throw new CliError(`bad file: ${file}: entry ${i}: field "label" repeats entry ${first}'s label ${r.label} (one node id each)`);
    seen.set(r.label, i);
  });
  return rows;
}

/** Registers nodes under the caller's labels: every entry is checked first (deal exists and approved the node; a node
 *  already registered identically is skipped, one registered differently refused), then the rest go out in
 *  registerNodes batches of MAX_BATCH. A re-run after a partial failure resumes where it stopped. */
export async function nodeRegister(ctx: Context, rows: readonly NodeInput[], source: string, log: Log) {
  const registry = ctx.address("nodeRegistry");
  const me = ctx.account().address;
  await requireOperator(ctx, me);
  const factory = await ctx.read<Address>(registry, abi.nodeRegistry, "dealFactory");
  const todo: NodeInput[] = [];
  const skipped: Hex[] = [];
  for (const [i, r] of rows.entries()) {
    const where = rows.length > 1 ? `${source}: entry ${i}` : source;
    const nodeId = nodeIdOf(me, r.label);
    const n = await ctx.read<{operator: Address; deactivatedAt: number; signer: Address; assetClass: number; unitCount: number; dealId: bigint; model: Hex}>(registry, abi.nodeRegistry, "getNode", [nodeId]);
    if (n.operator !== ZERO) {
      const diff = (
        [
          ["signer", n.signer.toLowerCase(), r.signer.toLowerCase()],
          ["dealId", n.dealId, r.dealId],
          ["assetClass", n.assetClass, r.assetClass],
          ["model", n.model, r.model],
          ["units", n.unitCount, r.unitCount],
        ] as const
      ).find(([, a, b]) => a !== b);
      if (diff) throw new CliError(`reverted: NodeExists(${nodeId}): ${where}: node already registered with ${diff[0]} ${diff[1]}, the input says ${diff[2]}`);
      if (n.deactivatedAt !== 0) throw new CliError(`reverted: NodeExists(${nodeId}): ${where}: node was removed; register it under a new label`);
      skipped.push(nodeId);
      continue;
    }
    if (r.dealId !== 0n) {
      const deal = factory === ZERO ? ZERO : await ctx.read<Address>(factory, abi.dealFactory, "deals", [r.dealId]);
      if (deal === ZERO) throw new CliError(`reverted: UnknownDeal(${r.dealId}): ${where}: field "dealId": no deal ${r.dealId} in the DealFactory`);
      if (!(await ctx.read<boolean>(registry, abi.nodeRegistry, "isApproved", [r.dealId, nodeId]))) {
        throw new CliError(`reverted: NodeNotApproved(${r.dealId}, ${nodeId}): ${where}: the deal's underwriter or borrower must run \`gaib node approve ${r.dealId} ${nodeId}\` first`);
      }
    }
    todo.push(r);
  }
  for (const id of skipped) log(`node ${id}: already registered identically, skipped`);
  const max = Number(await ctx.read<bigint>(registry, abi.nodeRegistry, "MAX_BATCH"));
  for (let i = 0; i < todo.length; i += max) {
    const batch = todo.slice(i, i + max);
    const {hash} = await ctx.write(registry, abi.nodeRegistry, "registerNodes", [batch]);
    for (const r of batch) log(`node ${nodeIdOf(me, r.label)} (label ${r.label}) registered for deal ${r.dealId} (signer ${r.signer}, ${r.unitCount} ${r.assetClass === ROBOT_ASSET_CLASS ? "robots" : "units"}) (tx ${hash})`);
  }
  return {nodeIds: rows.map((r) => nodeIdOf(me, r.label)), registered: todo.length, skipped: skipped.length};
}

/** The deal's underwriter or borrower approves `nodeIds` (or revokes them) for registration on deal `dealArg`. */
export async function nodeApprove(ctx: Context, dealArg: string, nodeIds: readonly string[], o: {revoke?: boolean}, log: Log) {
  if (!/^\d+$/.test(dealArg) || dealArg === "0") throw new CliError(`bad value: deal id "${dealArg}" (a deal of the deal factory, not 0)`);
  if (nodeIds.length === 0) throw new CliError("bad value: node approve needs at least one node id");
  const ids = nodeIds.map(parseNodeId);
  const {hash} = await ctx.write(ctx.address("nodeRegistry"), abi.nodeRegistry, "approveNodes", [BigInt(dealArg), ids, !o.revoke]);
  log(`${ids.length} node(s) ${o.revoke ? "revoked" : "approved"} for deal ${dealArg} (tx ${hash})`);
  return {dealId: BigInt(dealArg), nodeIds: ids, approved: !o.revoke};
}

/** The caller's active node `nodeId` (refused: unknown, someone else's, already removed). */
async function ownActiveNode(ctx: Context, nodeId: Hex) {
  await requireNode(ctx, nodeId);
  const me = ctx.account().address;
  const n = await ctx.read<{operator: Address; deactivatedAt: number; signer: Address; assetClass: number; unitCount: number; dealId: bigint; model: Hex}>(ctx.address("nodeRegistry"), abi.nodeRegistry, "getNode", [nodeId]);
  if (n.operator.toLowerCase() !== me.toLowerCase()) throw new CliError(`reverted: NotNodeOperator(${nodeId}, ${me}): node ${nodeId} is run by ${n.operator}`);
  if (n.deactivatedAt !== 0) throw new CliError(`reverted: NodeInactive(${nodeId}): removed already`);
  return n;
}

/** Removes (deactivates) one of the caller's nodes: it stops counting from now on; its past reports stay provable. */
export async function nodeRemove(ctx: Context, idArg: string, log: Log) {
  const nodeId = parseNodeId(idArg);
  await ownActiveNode(ctx, nodeId);
  const {hash} = await ctx.write(ctx.address("nodeRegistry"), abi.nodeRegistry, "deactivateNode", [nodeId]);
  log(`node ${nodeId} removed (tx ${hash})`);
  return {nodeId};
}

/** Re-keys a node: the registry binds a node id to one signer for life, so the node is removed and registered again
 *  under `newLabel` with the new signer (same deal, model, units, class). Both steps are checked before either is sent. */
export async function nodeRekey(ctx: Context, idArg: string, o: {label: string; signer: string}, log: Log) {
  const nodeId = parseNodeId(idArg);
  const n = await ownActiveNode(ctx, nodeId);
  const signer = parseAddress(o.signer, "new signer");
  const row: NodeInput = {label: parseNodeId(o.label), signer, dealId: n.dealId, assetClass: n.assetClass, model: n.model, unitCount: n.unitCount};
  const me = ctx.account().address;
  const newId = nodeIdOf(me, row.label);
  const registry = ctx.address("nodeRegistry");
  if ((await ctx.read<Address>(registry, abi.nodeRegistry, "signerOf", [newId])) !== ZERO) throw new CliError(`reverted: NodeExists(${newId}): label ${row.label} is taken; pick a new one`);
  if (n.dealId !== 0n && !(await ctx.read<boolean>(registry, abi.nodeRegistry, "isApproved", [n.dealId, newId]))) {
    throw new CliError(`reverted: NodeNotApproved(${n.dealId}, ${newId}): the deal's underwriter or borrower must approve the new node id first`);
  }
  await ctx.write(registry, abi.nodeRegistry, "deactivateNode", [nodeId]);
  const {hash} = await ctx.write(registry, abi.nodeRegistry, "registerNode", [row.label, row.signer, row.dealId, row.assetClass, row.model, row.unitCount]);
  log(`node ${nodeId} removed; re-registered as ${newId} with signer ${signer} (tx ${hash})`);
  return {oldNodeId: nodeId, nodeId: newId};
}

// ---------------------------------------------------------------- node reporter

/** A signed report as written by `node report` and read by `attest` / `equivocation`. */
export interface SignedReport {
  report: Record<keyof Telemetry, string | number>;
  signature: Hex;
}

export function reportToJson(t: Telemetry, signature: Hex): SignedReport {
  return {report: {...t, epoch: t.epoch.toString(), revenue: t.revenue.toString()}, signature};
}

/** A signed report from its JSON; malformed fields name `where` (the file) and the field. */
export function reportFromJson(j: SignedReport, where = "report"): {report: Telemetry; signature: Hex} {
  const bad = (field: string) => new CliError(`bad file: ${where}: field "${field}" is missing or malformed`);
  if (!j || typeof j !== "object" || !j.report || typeof j.report !== "object") throw new CliError(`bad file: ${where}: expected {report, signature}`);
  const r = j.report;
  const int = (k: keyof Telemetry, max: number) => {
    const v = r[k];
    if (!(typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v))) || Number(v) > max || !Number.isSafeInteger(Number(v))) throw bad(k);
    return Number(v);
  };
  const big = (k: keyof Telemetry) => {
    const v = r[k];
    if (!(typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v)))) throw bad(k);
    return BigInt(v);
  };
  if (typeof r.nodeId !== "string" || !isHex(r.nodeId) || r.nodeId.length !== 66) throw bad("nodeId");
  if (typeof j.signature !== "string" || !isHex(j.signature) || j.signature.length !== 132) throw bad("signature");
  return {
    report: {
      nodeId: r.nodeId as Hex,
      epoch: big("epoch"),
      uptimeBps: int("uptimeBps", 65_535),
      utilisationBps: int("utilisationBps", 65_535),
      gpusOnline: int("gpusOnline", 4_294_967_295),
      powerW: int("powerW", 4_294_967_295),
      revenue: big("revenue"),
    },
    signature: j.signature,
  };
}

/** Reads a signed report file (`node report` output). */
export function readReport(file: string) {
  return reportFromJson(readJson(file, "signed report") as SignedReport, file);
}

/** Writes `text` to `file` atomically (a temporary file renamed over it). */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), {recursive: true});
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export interface ReportOptions {
  nodeId: string;
  nodeKey?: string;
  epoch?: string;
  uptimeBps: string;
  utilisationBps: string;
  gpus: string;
  /** Robots online (robot fleets): the same report field as `gpus` (gpusOnline). */
  robots?: string;
  powerW: string;
  revenue: string;
  out: string;
  journal?: string;
}

/** The signed-reports journal: one JSON line {nodeId, epoch, digest, file} per signature made. */
export function journalPath(o: {out: string; journal?: string}): string {
  return o.journal ?? path.join(o.out, "signed-reports.jsonl");
}

function journalEntry(file: string, nodeId: Hex, epoch: bigint): {digest: Hex; file: string} | undefined {
  if (!existsSync(file)) return undefined;
  for (const [i, line] of readFileSync(file, "utf8").split("\n").entries()) {
    if (!line.trim()) continue;
    let e: {nodeId?: string; epoch?: string; digest?: Hex; file?: string};
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      throw new CliError(`bad file: ${file}: line ${i + 1} is not JSON (signed-reports journal)`);
    }
    if (e.nodeId?.toLowerCase() === nodeId.toLowerCase() && e.epoch === epoch.toString() && e.digest) return {digest: e.digest, file: e.file ?? "?"};
  }
  return undefined;
}

/** The node reporter: signs the node's telemetry for an ended epoch (default: the last one) with the node key (EIP-712,
 *  the oracle's domain) and writes `<out>/<epoch>/<nodeId>.json`. Refuses implausible telemetry, and a report that
 *  differs from one this journal says the node already signed for the epoch (two are an equivocation proof). */
export async function nodeReport(ctx: Context, o: ReportOptions, env: NodeJS.ProcessEnv, log: Log) {
  const node = parseKey(o.nodeKey ?? env.GAIB_NODE_KEY, "--node-key <0x…> or set GAIB_NODE_KEY");
  const nodeId = parseNodeId(o.nodeId);
  const signer = await requireNode(ctx, nodeId);
  if (signer.toLowerCase() !== node.address.toLowerCase()) {
    throw new CliError(`not the node signer: key ${node.address} does not sign for node ${nodeId} (registered signer ${signer})`);
  }
  const vault = ctx.address("stakingVault");
  const current = await ctx.read<bigint>(vault, abi.stakingVault, "currentEpoch");
  const epoch = o.epoch !== undefined ? parseId(o.epoch, "epoch") : current - 1n;
  if (epoch >= current) throw new CliError(`not ready: epoch ${epoch} has not ended (current epoch ${current})`);
  const t: Telemetry = {
    nodeId,
    epoch,
    uptimeBps: parseIntArg(o.uptimeBps, "uptime-bps", 0, 65_535),
    utilisationBps: parseIntArg(o.utilisationBps, "utilisation-bps", 0, 65_535),
    gpusOnline: o.robots !== undefined ? parseIntArg(o.robots, "robots", 0, 4_294_967_295) : parseIntArg(o.gpus, "gpus", 0, 4_294_967_295),
    powerW: parseIntArg(o.powerW, "power-w", 0, 4_294_967_295),
    revenue: parseAmount(o.revenue, "revenue"),
  };
  const n = await ctx.read<{unitCount: number; model: Hex; assetClass: number}>(ctx.address("nodeRegistry"), abi.nodeRegistry, "getNode", [nodeId]);
  if (o.robots !== undefined && n.assetClass !== ROBOT_ASSET_CLASS) throw new CliError(`bad value: --robots is for robot fleets; node ${nodeId} is a ${ASSET_CLASSES[n.assetClass] ?? `class ${n.assetClass}`} node (use --gpus)`);
  checkPlausible(t, n, await ctx.read<bigint>(vault, abi.stakingVault, "EPOCH_DURATION"), `node ${nodeId}, epoch ${epoch}`);
  const domain = telemetryDomain(ctx.chainId, ctx.address("telemetryOracle"));
  const digest = telemetryDigest(domain, t);
  const journal = journalPath(o);
  const prior = journalEntry(journal, nodeId, epoch);
  if (prior && prior.digest !== digest) {
    throw new CliError(
      `already signed: node ${nodeId} signed a different report for epoch ${epoch} (${prior.file}, journal ${journal}); a second signed report is an equivocation proof that gets the node excluded and its operator slashed`,
    );
  }
  const signature = await signTelemetry(node, domain, t);
  const file = path.join(o.out, String(epoch), `${nodeId}.json`);
  if (!prior) {
    mkdirSync(path.dirname(journal), {recursive: true});
    appendFileSync(journal, `${JSON.stringify({nodeId, epoch: epoch.toString(), digest, file})}\n`);
  }
  writeAtomic(file, `${JSON.stringify(reportToJson(t, signature), null, 2)}\n`);
  log(`node ${nodeId}: report for epoch ${epoch} signed by ${node.address} -> ${file}${prior ? " (same report as signed before)" : ""}`);
  return {file, report: t, signature};
}
