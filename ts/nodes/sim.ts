// GPU node network simulation on a local chain (SPEC §6–§7, issue 6). N nodes (default 1,000; 10,000 fine), each with a
// deterministic key and a telemetry model (uptime, utilisation, power, revenue per GPU-hour by GPU model); faults
// (offline nodes, a lying node, a lying operator, an equivocating node); operators staked and delegated on-chain
// (StakingVault) that keep only node-signed reports, build the epoch Merkle tree of report + signature leaves
// (@openzeppelin/merkle-tree) and attest it (TelemetryOracle); a challenger that checks every leaf of the accepted root
// against the node's registered signer, proves the forged leaf (`challengeForgedLeaf`) and requests the slash of each
// attester (`requestAttesterSlash`); a watcher that proves a node signed two reports for one epoch
// (`reportEquivocation`: its operator's slash, the node excluded, the honest root stands); the slash requests are
// executed after the veto window (time travel on Anvil). Per-epoch metrics, a stderr progress bar and a CSV file.
import {mkdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import {keccak256, padHex, parseEventLogs, parseUnits, stringToHex, toHex, type Address, type Hex} from "viem";
import {privateKeyToAccount, type PrivateKeyAccount} from "viem/accounts";
import {gaibAbi, nodeRegistryAbi, stakingVaultAbi, telemetryOracleAbi, vetoSlasherAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {connect, now, pools, read, send, sendMany, timed, warpTo, type Ctx, type Stages, type TxCall} from "./chain.ts";
import {packSig, sigFromHex, sigHexAt} from "./ecdsa.ts";
import {
  DELEGATED,
  SELF_STAKE,
  applyRobots,
  assetClassOf,
  domainSeparator,
  makeNodes,
  modelNameOf,
  nodeKey,
  operatorKey,
  plausible,
  prng,
  seedOf,
  telemetryOf,
  type Equivocation,
  type EpochMetrics,
  type SimNode,
  type SimOptions,
  type SimSummary,
} from "./model.ts";
import {SignerPool} from "./signer.ts";
import {leafFromValue, type EpochTree, type NodeRecord, type SignedLeaf, type Telemetry} from "./telemetry.ts";
import {buildEpochTreeFast} from "./tree.ts";

export * from "./model.ts";
export type {EpochTree, Stages};

// ---------------------------------------------------------------------------------------------------------- chain

function bar(done: number, total: number, label: string) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write("\n");
}

/** Registers, stakes and opts in the operators (operator 0 is the liar, with `liarStakeBps` of the delegation), with
 *  a delegator each; returns their accounts. Idempotent for a seed already set up on this chain. */
async function setupOperators(ctx: Ctx, count: number, seed: string, liarStakeBps: number): Promise<PrivateKeyAccount[]> {
  const admin = anvilAccount(0);
  const ops = Array.from({length: count}, (_, i) => privateKeyToAccount(operatorKey(seed, i)));
  const dels = Array.from({length: count}, (_, i) => privateKeyToAccount(keccak256(stringToHex(`${seed}/delegator/${i}`))));
  const vault = ctx.d.staking;
  let pendingOptIn = false;
  for (let i = 0; i < count; i++) {
    const op = ops[i]!;
    const del = dels[i]!;
    if (await ctx.client.readContract({address: vault, abi: stakingVaultAbi, functionName: "isOperator", args: [op.address]})) continue;
    const share = i === 0 ? (DELEGATED * BigInt(liarStakeBps)) / 10_000n : (DELEGATED * BigInt(10_000 - liarStakeBps)) / 10_000n / BigInt(count - 1);
    for (const who of [op, del]) await ctx.test.setBalance({address: who.address, value: parseUnits("100", 18)});
    await send(ctx, admin, ctx.d.gaib, gaibAbi, "transfer", [op.address, SELF_STAKE]);
    await send(ctx, admin, ctx.d.gaib, gaibAbi, "transfer", [del.address, share]);
    await send(ctx, op, ctx.d.gaib, gaibAbi, "approve", [vault, SELF_STAKE]);
    await send(ctx, op, vault, stakingVaultAbi, "registerOperator", [1000, SELF_STAKE]);
    await send(ctx, op, vault, stakingVaultAbi, "setOptIn", [true]);
    await send(ctx, del, ctx.d.gaib, gaibAbi, "approve", [vault, share]);
    await send(ctx, del, vault, stakingVaultAbi, "stake", [op.address, share]);
    pendingOptIn = true;
  }
  if (pendingOptIn) {
    const optDelay = (await ctx.client.readContract({address: vault, abi: stakingVaultAbi, functionName: "OPT_DELAY"})) as bigint;
    await warpTo(ctx, (await now(ctx)) + optDelay);
    for (const op of ops) {
      if (!(await ctx.client.readContract({address: vault, abi: stakingVaultAbi, functionName: "isOptedIn", args: [op.address]}))) {
        await send(ctx, admin, vault, stakingVaultAbi, "finalizeOptChange", [op.address]);
      }
    }
  }
  return ops;
}

/** The deal's underwriter or borrower approves the ids of the nodes registered on it (NodeRegistry.approveNodes). */
async function approveDealNodes(ctx: Ctx, approver: PrivateKeyAccount, nodes: SimNode[], batchSize: number) {
  const byDeal = new Map<bigint, Hex[]>();
  for (const n of nodes) {
    if (n.dealId === 0n) continue;
    const ids = byDeal.get(n.dealId) ?? [];
    ids.push(n.nodeId);
    byDeal.set(n.dealId, ids);
  }
  for (const [dealId, ids] of byDeal) {
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize);
      if (await ctx.client.readContract({address: ctx.d.nodeRegistry, abi: nodeRegistryAbi, functionName: "isApproved", args: [dealId, batch[0]!]})) continue;
      await send(ctx, approver, ctx.d.nodeRegistry, nodeRegistryAbi, "approveNodes", [dealId, batch, true]);
    }
  }
}

/** Registers every node with its operator under its label, `batchSize` at a time (NodeRegistry.registerNodes); the
 *  deals approve their nodes first. The batches go out `inFlight` at a time (signed locally, one batched round trip,
 *  receipts fetched together). */
async function registerNodes(ctx: Ctx, ops: PrivateKeyAccount[], nodes: SimNode[], batchSize: number, progress: boolean, approver: PrivateKeyAccount, onRegistered?: (done: number, total: number) => void) {
  await approveDealNodes(ctx, approver, nodes, batchSize);
  const batches: {op: PrivateKeyAccount; batch: SimNode[]}[] = [];
  for (const [o, op] of ops.entries()) {
    const mine = nodes.filter((n) => n.operator === o);
    for (let i = 0; i < mine.length; i += batchSize) batches.push({op, batch: mine.slice(i, i + batchSize)});
  }
  let gas = 0n;
  let txs = 0;
  let done = 0;
  const inFlight = 20;
  for (let i = 0; i < batches.length; i += inFlight) {
    const group = batches.slice(i, i + inFlight);
    const known = await Promise.all(group.map(({batch}) => read<{operator: Address}>(ctx, ctx.d.nodeRegistry, nodeRegistryAbi, "getNode", [batch[0]!.nodeId])));
    const calls: TxCall[] = [];
    for (const [j, {op, batch}] of group.entries()) {
      if (known[j]!.operator !== "0x0000000000000000000000000000000000000000") continue;
      const input = batch.map((n) => ({label: n.label, signer: n.signer, dealId: n.dealId, assetClass: assetClassOf(n), model: padHex(toHex(modelNameOf(n).slice(0, 31)), {dir: "right", size: 32}), unitCount: n.gpus}));
      // ≈ 120k gas a node without a deal, more on a deal (its active-node list): a fixed limit with headroom, no
      // estimate
      const perNode = batch.some((x) => x.dealId !== 0n) ? 250_000n : 150_000n;
      calls.push({account: op, address: ctx.d.nodeRegistry, abi: nodeRegistryAbi, functionName: "registerNodes", args: [input], gas: perNode * BigInt(batch.length) + 100_000n});
    }
    for (const r of await sendMany(ctx, calls)) gas += r.gasUsed;
    txs += calls.length;
    done += group.reduce((a, g) => a + g.batch.length, 0);
    if (progress) bar(done, nodes.length, "registering nodes");
    onRegistered?.(done, nodes.length);
  }
  return {gas, txs};
}

// ---------------------------------------------------------------------------------------------------------- run

/** One simulation's settings (resolved from `SimOptions`), chain context, participants and running tallies. */
interface SimRun {
  ctx: Ctx;
  opts: SimOptions;
  started: number;
  n: number;
  epochs: number;
  seed: string;
  offlineRate: number;
  lyingNode: number;
  lieAt: number;
  equivocator: number;
  equivocateAt: number;
  progress: boolean;
  ops: PrivateKeyAccount[];
  nodes: SimNode[];
  /** Node index by lower-case node id (the challenger maps a leaf to its node's registered key). */
  indexOf: Map<string, number>;
  /** The nodes' signing and the operators' signature checks (worker threads, or in-process with `workers: 0`). */
  pool: SignerPool;
  reg: {gas: bigint; txs: number};
  stakeBefore: bigint[];
  /** What the operators (and the challenger) know from the registry. */
  records: Map<string, NodeRecord>;
  watcher: PrivateKeyAccount;
  metrics: EpochMetrics[];
  slashRequests: bigint[];
  equivocations: Equivocation[];
  /** Nodes proven to equivocate: operators leave them out of later trees. */
  excluded: Set<string>;
  trees: EpochTree[];
  signatures: number;
  signMsTotal: number;
  attesterSlashGas: bigint;
  stages: Stages;
}

/** The reports of one epoch, signed by the nodes (the equivocating node's second report apart): leaves, and the same
 *  as packed bytes (the digest computed once, when signed; r ‖ s ‖ v) for the operators' checks. */
interface SignedEpoch {
  /** `hash`: the leaf's tree hash, computed on the signing thread. */
  signed: {node: SimNode; leaf: SignedLeaf; hash: Uint8Array}[];
  digests: Uint8Array;
  sigs: Uint8Array;
  second: {leaf: SignedLeaf; node: SimNode} | undefined;
  offline: number;
  signMs: number;
}

/** Runs the simulation against the local home chain at `rpcUrl` (deployed by script/00_DeployLocal.s.sol): set-up
 *  (operators, nodes), then per epoch: nodes sign, operators build and attest trees, the challenger and the watcher
 *  act; then the slash requests are executed. */
export async function runNodeSim(rpcUrl: string, d: LocalDeployment, opts: SimOptions = {}): Promise<SimSummary> {
  const run = await setUpSim(rpcUrl, d, opts);
  try {
    let epoch = (await read<bigint>(run.ctx, d.staking, stakingVaultAbi, "currentEpoch")) + 1n;
    for (let k = 0; k < run.epochs; k++, epoch++) {
      run.metrics.push(await runEpoch(run, k, epoch));
      if (run.progress) bar(k + 1, run.epochs, "epochs");
    }
    const slashed = (opts.executeSlash ?? true) ? await timed(run.stages, "slash", () => executeSlashes(run)) : 0n;
    return {...(await summarize(run, slashed)), crypto: await run.pool.backend()};
  } finally {
    await run.pool.close();
  }
}

/** Stage 1: resolves the options, stakes and opts in the operators, registers the fleet, starts the signing threads.
 *  The first simulated epoch starts after every stake and registration. */
async function setUpSim(rpcUrl: string, d: LocalDeployment, opts: SimOptions): Promise<SimRun> {
  const started = performance.now();
  const stages: Stages = {};
  const n = opts.nodes ?? 1000;
  const epochs = opts.epochs ?? 3;
  const opCount = Math.max(2, opts.operators ?? 4);
  const seed = opts.seed ?? "gaib-sim";
  const lyingNode = opts.lyingNode ?? 1;
  const equivocator = opts.equivocatingNode ?? -1;
  if (equivocator >= 0 && equivocator === lyingNode) throw new Error("the equivocating node must not be the lying node");
  const ctx = await connect(rpcUrl, d, stages);
  const progress = opts.progress ?? Boolean(process.stderr.isTTY);

  const workers = opts.workers ?? SignerPool.defaultWorkers();
  const pool = new SignerPool(
    {keys: Array.from({length: n}, (_, i) => nodeKey(seed, i)), sep: domainSeparator(ctx.chain.id, d.telemetryOracle), ...(opts.native === false ? {native: false} : {})},
    workers,
  );
  try {
    // the threads start and derive the nodes' public keys (kept there for the checks) while the operators stake
    const fleet = timed(stages, "keys", async () => {
      const publicKeys = await pool.publicKeys(n);
      const nodes = makeNodes(n, opCount, opts.deals ?? 0, seed, {publicKeys});
      if (opts.dealIds?.length) for (const node of nodes) node.dealId = opts.dealIds[node.index % opts.dealIds.length]!;
      applyRobots(nodes, opts, seed); // a mixed fleet: the last `opts.robots` nodes are robot fleets (ts/nodes/robot.ts)
      return nodes;
    });
    void fleet.catch(() => undefined); // awaited below; no unhandled rejection if the set-up fails first
    const ops = await timed(stages, "setup", () => setupOperators(ctx, opCount, seed, opts.liarStakeBps ?? 7000));
    const nodes = await fleet;
    const reg = await timed(stages, "register", () => registerNodes(ctx, ops, nodes, opts.batchSize ?? 100, progress, opts.dealApprover ?? anvilAccount(0), opts.onRegistered));
    const stakeBefore = await Promise.all(ops.map((o) => pools(ctx, o.address)));
    // every node registered before now, none deactivated
    const registeredAt = await now(ctx);
    return {
      ctx,
      opts,
      started,
      n,
      epochs,
      seed,
      offlineRate: opts.offlineRate ?? 0.02,
      lyingNode,
      lieAt: opts.lieAtEpoch ?? Math.min(1, epochs - 1),
      equivocator,
      equivocateAt: equivocator >= 0 ? (opts.equivocateAtEpoch ?? epochs - 1) : -1,
      progress,
      ops,
      nodes,
      indexOf: new Map(nodes.map((x) => [x.nodeId.toLowerCase(), x.index])),
      pool,
      reg,
      stakeBefore,
      records: new Map<string, NodeRecord>(nodes.map((x) => [x.nodeId, {signer: x.signer, registeredAt, deactivatedAt: 0}])),
      watcher: anvilAccount(0),
      metrics: [],
      slashRequests: [],
      equivocations: [],
      excluded: new Set<string>(),
      trees: [],
      signatures: 0,
      signMsTotal: 0,
      attesterSlashGas: 0n,
      stages,
    };
  } catch (e) {
    await pool.close();
    throw e;
  }
}

/** The registry part of `isNodeSigned` (telemetry.ts): a report of this epoch by a node registered before the epoch
 *  ended and not deactivated before it started. The signature part runs on the signing threads. */
function registeredFor(node: NodeRecord | undefined, t: Telemetry, window: {epoch: bigint; start: bigint; end: bigint}): boolean {
  if (!node || /^0x0{40}$/i.test(node.signer) || t.epoch !== window.epoch) return false;
  if (BigInt(node.registeredAt) >= window.end) return false;
  return !(BigInt(node.deactivatedAt) !== 0n && BigInt(node.deactivatedAt) <= window.start);
}

/** Stage 2, one epoch (`k`-th of the run): the epoch ends, nodes sign, operators keep the valid reports and attest (the
 *  liar a forged tree), the challenger proves a forged leaf, the watcher an equivocation. */
async function runEpoch(run: SimRun, k: number, epoch: bigint): Promise<EpochMetrics> {
  const {ctx} = run;
  const [start, end] = await Promise.all([epoch, epoch + 1n].map((e) => read<bigint>(ctx, ctx.d.staking, stakingVaultAbi, "epochStart", [e])));
  await warpTo(ctx, end! + 1n); // the epoch has ended: attest it
  const window = {epoch, start: start!, end: end!};

  const reports = await timed(run.stages, "sign", () => signReports(run, k, epoch));
  run.signatures += reports.signed.length + (reports.second ? 1 : 0);
  run.signMsTotal += reports.signMs;

  // operators keep node-signed, plausible reports of nodes not excluded and build the tree (all honest ones agree)
  const t1 = performance.now();
  const valid = await timed(run.stages, "verify", async () => {
    const pos: number[] = [];
    for (const [i, s] of reports.signed.entries()) {
      if (!plausible(s.node, s.leaf.report) || run.excluded.has(s.node.nodeId)) continue;
      if (registeredFor(run.records.get(s.node.nodeId), s.leaf.report, window)) pos.push(i);
    }
    const sigs = new Uint8Array(65 * pos.length);
    const digests = new Uint8Array(32 * pos.length);
    for (const [j, i] of pos.entries()) {
      sigs.set(reports.sigs.subarray(65 * i, 65 * i + 65), 65 * j);
      digests.set(reports.digests.subarray(32 * i, 32 * i + 32), 32 * j);
    }
    const ok = await run.pool.verify(Int32Array.from(pos, (i) => reports.signed[i]!.node.index), sigs, digests);
    return pos.filter((_, j) => ok[j] === 1).map((i) => reports.signed[i]!);
  });
  const {honest, revenue} = await timed(run.stages, "tree", () => ({
    honest: buildEpochTreeFast(
      valid.map((s) => s.leaf),
      valid.map((s) => s.hash),
    ),
    revenue: valid.reduce((sum, s) => sum + s.leaf.report.revenue, 0n),
  }));
  const treeMs = performance.now() - t1;
  if (run.opts.keepTrees) run.trees.push(honest);

  const forged = k === run.lieAt;
  const {published, attestGas} = await attestEpoch(run, epoch, valid, honest, revenue, forged);
  const onChain = await read<{root: Hex; status: number}>(ctx, ctx.d.telemetryOracle, telemetryOracleAbi, "getEpochRoot", [epoch]);
  const accepted = onChain.status === 1;
  const challengeGas = accepted && onChain.root !== honest.root ? await timed(run.stages, "challenge", () => challengeForged(run, window, onChain.root, published)) : undefined;
  if (reports.second) await proveEquivocation(run, epoch, reports);
  return {
    epoch,
    reports: reports.signed.length,
    offline: reports.offline,
    rejectedReports: reports.signed.length - valid.length,
    revenue,
    root: onChain.root,
    honestRoot: honest.root as Hex,
    accepted,
    forged,
    challenged: challengeGas !== undefined,
    equivocation: reports.second !== undefined,
    leaves: valid.length,
    attestGas,
    challengeGas: challengeGas ?? 0n,
    signMs: reports.signMs,
    treeMs,
  };
}

/** Nodes report (signed); a few are offline; the lying node signs nonsense; the equivocating node signs twice. The
 *  telemetry is drawn here in node order (one PRNG stream per epoch), the signing runs on the threads. */
async function signReports(run: SimRun, k: number, epoch: bigint): Promise<SignedEpoch> {
  const rand = prng(seedOf(run.seed, "epoch", epoch));
  const t0 = performance.now();
  const nodes: SimNode[] = [];
  const reports: Telemetry[] = [];
  let second: Telemetry | undefined;
  let secondNode: SimNode | undefined;
  let offline = 0;
  for (const node of run.nodes) {
    const equivocating = node.index === run.equivocator && k === run.equivocateAt;
    if (rand() < run.offlineRate && !equivocating) {
      offline++;
      continue;
    }
    const t = telemetryOf(node, epoch, rand, node.index === run.lyingNode);
    nodes.push(node);
    reports.push(t);
    if (equivocating) {
      second = {...t, revenue: t.revenue + 1n};
      secondNode = node;
    }
  }
  const all = second ? [...reports, second] : reports;
  const idx = Int32Array.from(second ? [...nodes, secondNode!] : nodes, (x) => x.index);
  const {digests, sigs, leaves} = await run.pool.sign(idx, all);
  const leafAt = (i: number): SignedLeaf => ({report: all[i]!, sig: sigHexAt(sigs, i)});
  const signed = nodes.map((node, i) => ({node, leaf: leafAt(i), hash: leaves.subarray(32 * i, 32 * i + 32)}));
  return {
    signed,
    digests,
    sigs,
    second: second ? {node: secondNode!, leaf: leafAt(reports.length)} : undefined,
    offline,
    signMs: performance.now() - t0,
  };
}

/** Every operator attests its tree (the attestations sent together, receipts fetched together); in a lying epoch
 *  operator 0 publishes a tree where one of its own nodes' reports is altered (revenue zeroed) with the node's
 *  signature kept. */
async function attestEpoch(run: SimRun, epoch: bigint, valid: SignedEpoch["signed"], honest: EpochTree, revenue: bigint, forged: boolean) {
  let published = honest;
  let forgedTotal = revenue;
  if (forged) {
    const victim = valid.find((s) => s.node.operator === 0 && s.leaf.report.revenue > 0n && s.node.index !== run.equivocator)!;
    const leaves = valid.map((s) => (s === victim ? {report: {...s.leaf.report, revenue: 0n}, sig: s.leaf.sig} : s.leaf));
    published = await timed(run.stages, "tree", () =>
      buildEpochTreeFast(
        leaves,
        valid.map((s) => (s === victim ? undefined : s.hash)),
      ),
    );
    forgedTotal = revenue - victim.leaf.report.revenue;
  }
  const calls: TxCall[] = run.ops.map((op, o) => ({
    account: op,
    address: run.ctx.d.telemetryOracle,
    abi: telemetryOracleAbi,
    functionName: "attest",
    args: [epoch, (o === 0 ? published : honest).root as Hex, BigInt(valid.length), o === 0 ? forgedTotal : revenue],
    gas: 1_000_000n, // ≈ 100k-150k used (the attestation that reaches the quorum accepts the root)
  }));
  const receipts = await sendMany(run.ctx, calls);
  return {published, attestGas: receipts.reduce((a, r) => a + r.gasUsed, 0n)};
}

/** The challenger: checks every leaf of the accepted root against its node's registered signer (it needs the published
 *  tree only, no other report; the digests are recomputed from the leaves); proves the first forged leaf, then
 *  requests each attester's slash. Returns the challenge's gas, or undefined if every leaf checks out. */
async function challengeForged(run: SimRun, window: {epoch: bigint; start: bigint; end: bigint}, root: Hex, published: EpochTree): Promise<bigint | undefined> {
  const {ctx} = run;
  const epoch = window.epoch;
  // (the honest tree was built from checked leaves only: nothing to look for in it)
  if (root !== published.root) throw new Error(`accepted root of epoch ${epoch} is not any published tree`);
  const leaves = [...published.entries()].map(([i, v]) => ({i, leaf: leafFromValue(v)}));
  const known = leaves.filter(({leaf}) => run.indexOf.has(leaf.report.nodeId.toLowerCase()));
  const sigs = new Uint8Array(65 * known.length);
  for (const [j, {leaf}] of known.entries()) packSig(sigs, j, sigFromHex(leaf.sig));
  const ok = await run.pool.verify(
    Int32Array.from(known, ({leaf}) => run.indexOf.get(leaf.report.nodeId.toLowerCase())!),
    sigs,
    undefined,
    known.map(({leaf}) => leaf.report),
  );
  const okAt = new Map(known.map(({i}, j) => [i, ok[j] === 1 && registeredFor(run.records.get(known[j]!.leaf.report.nodeId), known[j]!.leaf.report, window)]));
  for (const {i, leaf} of leaves) {
    if (okAt.get(i)) continue;
    const receipt = await send(ctx, run.watcher, ctx.d.telemetryOracle, telemetryOracleAbi, "challengeForgedLeaf", [epoch, leaf.report, leaf.sig, published.getProof(i)]);
    const [rejected] = parseEventLogs({abi: telemetryOracleAbi, logs: receipt.logs, eventName: "RootRejected"});
    const round = rejected!.args.round;
    for (const op of await attestersOf(ctx, epoch, round)) {
      const r = await send(ctx, run.watcher, ctx.d.telemetryOracle, telemetryOracleAbi, "requestAttesterSlash", [epoch, round, op]);
      run.attesterSlashGas += r.gasUsed;
      for (const log of parseEventLogs({abi: vetoSlasherAbi, logs: r.logs, eventName: "SlashRequested"})) run.slashRequests.push(log.args.id);
    }
    return receipt.gasUsed;
  }
  return undefined;
}

/** The watcher: the node's two signed reports of one epoch prove equivocation; the honest root is not touched. */
async function proveEquivocation(run: SimRun, epoch: bigint, reports: SignedEpoch) {
  const second = reports.second!;
  const first = reports.signed.find((s) => s.node === second.node)!;
  const receipt = await send(run.ctx, run.watcher, run.ctx.d.telemetryOracle, telemetryOracleAbi, "reportEquivocation", [first.leaf.report, first.leaf.sig, second.leaf.report, second.leaf.sig]);
  const [ev] = parseEventLogs({abi: telemetryOracleAbi, logs: receipt.logs, eventName: "NodeEquivocated"});
  const {requestId, amount, operator} = ev!.args;
  if (requestId !== 0n) run.slashRequests.push(requestId);
  run.equivocations.push({nodeId: second.node.nodeId, epoch, operator, requestId, amount});
  run.excluded.add(second.node.nodeId);
}

/** Stage 3: every slash request executed after its veto window (time travel); returns the GAIB slashed. */
async function executeSlashes(run: SimRun): Promise<bigint> {
  const {ctx} = run;
  let slashed = 0n;
  for (const id of run.slashRequests) {
    const r = (await ctx.client.readContract({address: ctx.d.slasher, abi: vetoSlasherAbi, functionName: "getRequest", args: [id]})) as {vetoDeadline: number | bigint};
    await warpTo(ctx, BigInt(r.vetoDeadline));
    const receipt = await send(ctx, anvilAccount(0), ctx.d.slasher, vetoSlasherAbi, "executeSlash", [id]);
    for (const log of parseEventLogs({abi: vetoSlasherAbi, logs: receipt.logs, eventName: "SlashExecuted"})) slashed += log.args.amount;
  }
  return slashed;
}

/** Stage 4: the operators' stakes after, the run's figures, the CSV. */
async function summarize(run: SimRun, slashed: bigint): Promise<SimSummary> {
  const {ops, nodes, opts} = run;
  const stakeAfter = await Promise.all(ops.map((o) => pools(run.ctx, o.address)));
  const equivocatorOp = run.equivocator >= 0 ? nodes[run.equivocator]?.operator : undefined;
  const summary: SimSummary = {
    nodes: run.n,
    epochs: run.metrics,
    operators: ops.map((o, i) => ({
      address: o.address,
      liar: i === 0 && run.lieAt >= 0,
      equivocator: i === equivocatorOp,
      nodes: nodes.filter((x) => x.operator === i).length,
      stakeBefore: run.stakeBefore[i]!,
      stakeAfter: stakeAfter[i]!,
    })),
    slashRequests: run.slashRequests,
    equivocations: run.equivocations,
    attesterSlashGas: run.attesterSlashGas,
    slashed,
    registrationGas: run.reg.gas,
    registrationTxs: run.reg.txs,
    signatures: run.signatures,
    signMs: run.signMsTotal,
    wallMs: performance.now() - run.started,
    stages: run.stages,
  };
  if (opts.keepTrees) summary.trees = run.trees;
  if (opts.csvPath) {
    writeCsv(opts.csvPath, run.metrics);
    summary.csvPath = opts.csvPath;
  }
  return summary;
}

/** Operators that attested the root rejected in round `round` of `epoch`: the Attested events' operators whose
 *  attestation in that round is the rejected key (`requestAttesterSlash` takes one at a time, any order). */
async function attestersOf(ctx: Ctx, epoch: bigint, round: bigint | number): Promise<Address[]> {
  const oracle = ctx.d.telemetryOracle;
  const rejection = (await ctx.client.readContract({address: oracle, abi: telemetryOracleAbi, functionName: "getRejection", args: [epoch, BigInt(round)]})) as {key: Hex};
  const logs = await ctx.client.getContractEvents({address: oracle, abi: telemetryOracleAbi, eventName: "Attested", args: {epoch}, fromBlock: 0n});
  const out: Address[] = [];
  for (const op of new Set(logs.map((l) => (l.args as {operator: Address}).operator))) {
    const key = (await ctx.client.readContract({address: oracle, abi: telemetryOracleAbi, functionName: "attestationIn", args: [epoch, BigInt(round), op]})) as Hex;
    if (key === rejection.key) out.push(op);
  }
  return out;
}

export const CSV_HEADER = "epoch,reports,offline,rejected_reports,revenue_aid,accepted,forged,challenged,equivocation,attest_gas,challenge_gas,sign_ms,tree_ms,root";

export function writeCsv(file: string, rows: readonly EpochMetrics[]) {
  mkdirSync(path.dirname(file), {recursive: true});
  const lines = rows.map((m) =>
    [m.epoch, m.reports, m.offline, m.rejectedReports, formatWad(m.revenue), m.accepted, m.forged, m.challenged, m.equivocation, m.attestGas, m.challengeGas, m.signMs.toFixed(1), m.treeMs.toFixed(1), m.root].join(","),
  );
  writeFileSync(file, [CSV_HEADER, ...lines].join("\n") + "\n");
}

export function formatWad(x: bigint, decimals = 2): string {
  const neg = x < 0n;
  const v = neg ? -x : x;
  const whole = v / 10n ** 18n;
  const frac = ((v % 10n ** 18n) * 10n ** BigInt(decimals)) / 10n ** 18n;
  return `${neg ? "-" : ""}${whole}.${frac.toString().padStart(decimals, "0")}`;
}

/** A readable per-epoch table of `s`. */
export function formatSummary(s: SimSummary): string {
  const rows = [
    "epoch  reports offline rejected  revenue (AID)   accepted forged challenged equivocation  attest gas",
    ...s.epochs.map(
      (m) =>
        `${String(m.epoch).padStart(5)} ${String(m.reports).padStart(8)} ${String(m.offline).padStart(7)} ${String(m.rejectedReports).padStart(8)} ${formatWad(m.revenue).padStart(14)}   ${String(m.accepted).padEnd(8)} ${String(m.forged).padEnd(6)} ${String(m.challenged).padEnd(10)} ${String(m.equivocation).padEnd(12)} ${String(m.attestGas).padStart(11)}`,
    ),
    "operator                                     liar  equivocating node  nodes   stake before      stake after (GAIB)",
    ...s.operators.map(
      (o) => `${o.address} ${String(o.liar).padEnd(5)} ${String(o.equivocator).padEnd(18)} ${String(o.nodes).padStart(6)} ${formatWad(o.stakeBefore).padStart(14)} ${formatWad(o.stakeAfter).padStart(16)}`,
    ),
    ...s.equivocations.map(
      (e) => `node ${e.nodeId} signed two reports for epoch ${e.epoch}: excluded from it on, slash request ${e.requestId} of ${formatWad(e.amount)} GAIB on its operator ${e.operator}; the epoch's honest root stands`,
    ),
    `slash requests: ${s.slashRequests.length}, slashed ${formatWad(s.slashed)} GAIB; ${s.signatures} reports signed in ${(s.signMs / 1000).toFixed(1)} s; wall ${(s.wallMs / 1000).toFixed(1)} s`,
  ];
  return rows.join("\n");
}

/** The demo step (ts/demo/index.ts): a small network with one lying operator, printed as a table. */
export async function runNodeDemo(rpcUrl: string, d: LocalDeployment, opts: SimOptions = {}): Promise<SimSummary> {
  console.log("\nGPU node network: nodes report signed telemetry, operators attest the epoch root, a challenger catches a forged leaf");
  const summary = await runNodeSim(rpcUrl, d, {nodes: 200, epochs: 3, ...opts});
  console.log(formatSummary(summary));
  return summary;
}
