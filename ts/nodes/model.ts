// The node simulation's model (ts/nodes/sim.ts runs it on chain): GPU models, the deterministic fleet and keys, each
// node's hourly telemetry, the operators' plausibility check, the EIP-712 report digest, and the run's option and
// result types.
import {concatHex, keccak256, numberToHex, padHex, parseUnits, stringToHex, type Address, type Hex} from "viem";
import {privateKeyToAddress, publicKeyToAddress, type PrivateKeyAccount} from "viem/accounts";
import {publicKeyOf} from "./ecdsa.ts";
import {GPU_ASSET_CLASS, ROBOT_ASSET_CLASS, ROBOT_MODELS, makeRobots, robotMaxRevenue, robotPlausible, robotTelemetryOf} from "./robot.ts";
import {nodeIdOf, type EpochTree, type Telemetry} from "./telemetry.ts";

/** GPU models: price per GPU-hour [micro-AID] and board power [W]. */
export const GPU_MODELS = [
  {name: "NVIDIA H100 SXM", priceMicro: 2_400_000n, watts: 700},
  {name: "NVIDIA H200", priceMicro: 3_200_000n, watts: 700},
  {name: "NVIDIA B200", priceMicro: 4_800_000n, watts: 1000},
  {name: "NVIDIA A100 80GB", priceMicro: 1_300_000n, watts: 400},
] as const;

export interface SimNode {
  index: number;
  label: Hex; // registered under this label: nodeId = nodeIdOf(operator address, label)
  nodeId: Hex;
  key: Hex;
  signer: Address;
  /** Uncompressed public key of `key` (the node hands it to its operator at onboarding; its address is `signer`). */
  publicKey?: Hex;
  operator: number; // index into the operators
  dealId: bigint;
  model: number; // index into GPU_MODELS (ROBOT_MODELS for a robot fleet)
  gpus: number; // units: GPUs (robots for a robot fleet)
  baseUtilBps: number;
  /** NodeRegistry asset class: 1 GPU cluster (default), 2 robot fleet (ts/nodes/robot.ts). */
  assetClass?: number;
}

export interface SimOptions {
  nodes?: number; // default 1,000
  epochs?: number; // default 3
  operators?: number; // default 4 (≥ 2)
  /** Register the nodes on deal ids 1 .. `deals` (round robin; 0: no deal). Default 0. Deals must exist. */
  deals?: number;
  /** Register the nodes under these deal ids (round robin) instead of 1 .. `deals`. */
  dealIds?: readonly bigint[];
  /** The deals' underwriter or borrower: approves the nodes of each deal first. Default Anvil account 0. */
  dealApprover?: PrivateKeyAccount;
  seed?: string; // default "gaib-sim"
  offlineRate?: number; // share of nodes missing each epoch, default 0.02
  /** Index of a node that signs implausible telemetry (dropped by the operators' checks); -1: none. Default 1. */
  lyingNode?: number;
  /** Epoch (0-based, within the run) in which operator 0 attests a root with a forged leaf; -1: never. Default 1 (or 0). */
  lieAtEpoch?: number;
  /** Index of a node that signs two different reports in epoch `equivocateAtEpoch` (the first goes in the honest
   *  tree); -1: none. Default -1. */
  equivocatingNode?: number;
  /** Epoch (0-based, within the run) of the equivocation. Default the last one. */
  equivocateAtEpoch?: number;
  /** Share of the delegated stake behind the lying operator [bps], enough for its root to be accepted alone. */
  liarStakeBps?: number; // default 7000
  csvPath?: string;
  progress?: boolean; // stderr progress bar, default: when stderr is a TTY
  batchSize?: number; // nodes per registerNodes call, default 100 (NodeRegistry.MAX_BATCH)
  /** Execute the slash requests after the veto window (time travel). Default true. */
  executeSlash?: boolean;
  /** Return every epoch's honest tree in the summary (tests; memory grows with nodes × epochs). */
  keepTrees?: boolean;
  /** A mixed fleet: the last `robots` nodes are robot fleets (ts/nodes/robot.ts), registered with the ROBOT asset
   *  class; they report, are attested, challenged and slashed exactly like GPU nodes. Default 0. */
  robots?: number;
  /** Register the robot nodes under these deal ids (round robin) instead of the GPU nodes' deals. */
  robotDealIds?: readonly bigint[];
  /** Worker threads that sign the reports and check the signatures (default: the cores there are; 0: in-process). */
  workers?: number;
  /** false: @noble only in the threads (the fallback where the native bindings do not load); default native there. */
  native?: boolean;
  /** Called after each group of registration transactions with the nodes registered so far (the bench's memory
   *  curve). */
  onRegistered?: (done: number, total: number) => void;
}

export interface EpochMetrics {
  epoch: bigint;
  reports: number;
  offline: number;
  rejectedReports: number;
  revenue: bigint; // [wad AID] in the honest tree
  root: Hex; // accepted root
  honestRoot: Hex;
  accepted: boolean;
  forged: boolean;
  challenged: boolean;
  equivocation: boolean; // a node of this epoch's honest tree was proven to have signed a second report
  leaves: number; // in the honest tree
  attestGas: bigint;
  challengeGas: bigint;
  signMs: number;
  treeMs: number;
}

export interface OperatorSummary {
  address: Address;
  liar: boolean;
  equivocator: boolean; // registered the equivocating node
  nodes: number;
  stakeBefore: bigint; // [wad GAIB] active + queued pools
  stakeAfter: bigint;
}

export interface Equivocation {
  nodeId: Hex;
  epoch: bigint;
  operator: Address;
  requestId: bigint;
  amount: bigint; // [wad GAIB] requested
}

export interface SimSummary {
  nodes: number;
  equivocations: Equivocation[];
  attesterSlashGas: bigint; // all requestAttesterSlash calls
  epochs: EpochMetrics[];
  operators: OperatorSummary[];
  slashRequests: bigint[];
  slashed: bigint; // [wad GAIB] executed
  registrationGas: bigint;
  registrationTxs: number;
  signatures: number;
  signMs: number;
  wallMs: number;
  /** Milliseconds per stage (keys, setup, register, sign, verify, tree, rpc, receipts, challenge, slash); stages that
   *  overlap (the threads deriving the keys while the operators stake; rpc and receipts inside register) count in
   *  each. */
  stages?: Record<string, number>;
  /** The crypto the signing threads ran (e.g. "libsecp256k1 + keccak (native)", "@noble/curves + @noble/hashes"). */
  crypto?: string;
  csvPath?: string;
  trees?: EpochTree[];
}


const MICRO_TO_WAD = 10n ** 12n;
export const SELF_STAKE = parseUnits("10000", 18); // [wad] ≥ the local minimum self-stake
export const DELEGATED = parseUnits("1000000", 18); // [wad] spread over the operators
const TELEMETRY_TYPEHASH = keccak256(
  stringToHex("Telemetry(bytes32 nodeId,uint64 epoch,uint16 uptimeBps,uint16 utilisationBps,uint32 gpusOnline,uint32 powerW,uint256 revenue)"),
);
const DOMAIN_TYPEHASH = keccak256(stringToHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));

/** mulberry32: a small fast deterministic PRNG in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(...parts: (string | number | bigint)[]): number {
  return Number.parseInt(keccak256(stringToHex(parts.join("/"))).slice(2, 10), 16);
}

/** Node `index`'s key: keccak256(seed ‖ "node" ‖ index); its label: keccak256(seed ‖ "id" ‖ index). */
export function nodeKey(seed: string, index: number): Hex {
  return keccak256(stringToHex(`${seed}/node/${index}`));
}

/** Operator `index`'s key (deterministic in `seed`). */
export function operatorKey(seed: string, index: number): Hex {
  return keccak256(stringToHex(`${seed}/operator/${index}`));
}

/** The simulated fleet (deterministic in `seed`); node ids are the registry's nodeIdOf(operator, label). Deriving the
 *  public keys is the slow part (one k·G a node, once per run): `opts.publicKeys` (by index, derived elsewhere, e.g. on
 *  the signing threads) skips it. `deals` 0: no deal. */
export function makeNodes(n: number, operators: number, deals: number, seed: string, opts: {publicKeys?: readonly Hex[]} = {}): SimNode[] {
  const rand = prng(seedOf(seed, "fleet"));
  const opAddr = Array.from({length: operators}, (_, i) => privateKeyToAddress(operatorKey(seed, i)));
  const out: SimNode[] = [];
  for (let i = 0; i < n; i++) {
    const key = nodeKey(seed, i);
    const label = keccak256(stringToHex(`${seed}/id/${i}`));
    const publicKey = opts.publicKeys?.[i] ?? publicKeyOf(key);
    out.push({
      index: i,
      label,
      nodeId: nodeIdOf(opAddr[i % operators]!, label),
      key,
      signer: publicKeyToAddress(publicKey),
      publicKey,
      operator: i % operators,
      dealId: deals > 0 ? BigInt(1 + (i % deals)) : 0n,
      model: Math.floor(rand() * GPU_MODELS.length),
      gpus: 8,
      baseUtilBps: 5000 + Math.floor(rand() * 4500),
    });
  }
  return out;
}

/** Turns the last `opts.robots` nodes into robot fleets (deterministic in `seed`; ts/nodes/robot.ts). */
export function applyRobots(nodes: SimNode[], opts: Pick<SimOptions, "robots" | "robotDealIds">, seed: string): SimNode[] {
  return opts.robots ? makeRobots(nodes, opts.robots, prng(seedOf(seed, "robots")), opts.robotDealIds) : [];
}

export const isRobot = (node: SimNode) => node.assetClass === ROBOT_ASSET_CLASS;

/** The node's NodeRegistry asset class (1 GPU, 2 robot). */
export const assetClassOf = (node: SimNode) => node.assetClass ?? GPU_ASSET_CLASS;

/** The node's model name, registered as its bytes32 model. */
export const modelNameOf = (node: SimNode) => (isRobot(node) ? ROBOT_MODELS[node.model]! : GPU_MODELS[node.model]!).name;

/** Most revenue a node can honestly earn in one hour [wad AID]. */
export function maxRevenue(node: SimNode): bigint {
  if (isRobot(node)) return robotMaxRevenue(node);
  return BigInt(node.gpus) * GPU_MODELS[node.model]!.priceMicro * MICRO_TO_WAD;
}

/** One epoch's report of `node`: utilisation around its base, uptime mostly ≥ 99%, revenue = GPUs × price × util ×
 *  uptime. The lying node claims more GPUs than it has, full utilisation and 10× the possible revenue. */
export function telemetryOf(node: SimNode, epoch: bigint, rand: () => number, lying = false): Telemetry {
  if (isRobot(node)) return robotTelemetryOf(node, epoch, rand, lying);
  const m = GPU_MODELS[node.model]!;
  const uptimeBps = rand() < 0.05 ? 9000 + Math.floor(rand() * 1000) : 9900 + Math.floor(rand() * 101);
  const utilisationBps = Math.max(0, Math.min(10_000, node.baseUtilBps + Math.floor((rand() - 0.5) * 2000)));
  const gpusOnline = rand() < 0.03 ? node.gpus - 1 : node.gpus;
  const powerW = Math.round(gpusOnline * m.watts * (0.3 + (0.7 * utilisationBps) / 10_000));
  const revenue = (BigInt(gpusOnline) * m.priceMicro * BigInt(utilisationBps) * BigInt(uptimeBps) * MICRO_TO_WAD) / 100_000_000n;
  if (lying) {
    return {nodeId: node.nodeId, epoch, uptimeBps: 10_000, utilisationBps: 10_000, gpusOnline: node.gpus * 2, powerW, revenue: maxRevenue(node) * 10n};
  }
  return {nodeId: node.nodeId, epoch, uptimeBps, utilisationBps, gpusOnline, powerW, revenue};
}

/** The operators' plausibility check of a signed report against the node's registration. */
export function plausible(node: SimNode, t: Telemetry): boolean {
  if (isRobot(node)) return robotPlausible(node, t);
  return (
    t.uptimeBps <= 10_000 &&
    t.utilisationBps <= 10_000 &&
    t.gpusOnline <= node.gpus &&
    t.revenue <= (maxRevenue(node) * BigInt(t.utilisationBps) * BigInt(t.uptimeBps)) / 100_000_000n + 1n
  );
}

/** EIP-712 digest of `t` (hand-encoded: the same bytes as `telemetryDigest`, much faster for 10,000 reports). */
export function fastDigest(domainSeparator: Hex, t: Telemetry): Hex {
  const structHash = keccak256(
    concatHex([
      TELEMETRY_TYPEHASH,
      t.nodeId,
      numberToHex(t.epoch, {size: 32}),
      numberToHex(t.uptimeBps, {size: 32}),
      numberToHex(t.utilisationBps, {size: 32}),
      numberToHex(t.gpusOnline, {size: 32}),
      numberToHex(t.powerW, {size: 32}),
      numberToHex(t.revenue, {size: 32}),
    ]),
  );
  return keccak256(concatHex(["0x1901", domainSeparator, structHash]));
}

export function domainSeparator(chainId: number, oracle: Address): Hex {
  return keccak256(
    concatHex([
      DOMAIN_TYPEHASH,
      keccak256(stringToHex("GAIB Telemetry")),
      keccak256(stringToHex("1")),
      numberToHex(chainId, {size: 32}),
      padHex(oracle, {size: 32}),
    ]),
  );
}
