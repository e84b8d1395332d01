// Node telemetry off-chain: the per-epoch report a node's inspector signs (EIP-712, viem `signTypedData`) and the
// epoch Merkle tree an operator builds from all reports WITH their node signatures (`@openzeppelin/merkle-tree`
// StandardMerkleTree). Both match src/libraries/TelemetryLib.sol and src/nodes/TelemetryOracle.sol byte for byte:
//   leaf   = keccak256(bytes.concat(keccak256(abi.encode(nodeId, epoch, uptimeBps, utilisationBps, gpusOnline, powerW, revenue, r, s, v))))
//   digest = EIP-712 over Telemetry(...) in the domain {name: "GAIB Telemetry", version: "1", chainId, verifyingContract}
// A leaf carries the node's signature, so anyone holding the tree can check every leaf against the node's registered
// signer; an operator that puts only node-signed leaves in its tree (`isNodeSigned`) can never be slashed.
import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {
  encodeAbiParameters,
  hashTypedData,
  keccak256,
  parseSignature,
  recoverAddress,
  recoverTypedDataAddress,
  serializeSignature,
  type Address,
  type Hex,
  type LocalAccount,
  type TypedDataDomain,
} from "viem";

/** One node's report for one epoch (TelemetryLib.Telemetry). */
export interface Telemetry {
  nodeId: Hex; // bytes32
  epoch: bigint; // uint64
  uptimeBps: number; // uint16 [bps]
  utilisationBps: number; // uint16 [bps]
  gpusOnline: number; // uint32
  powerW: number; // uint32 [W]
  revenue: bigint; // uint256 [wad AID]
}

/** A node's ECDSA signature of a report (TelemetryLib.NodeSignature): `v` 27/28, `s` in the lower half order. */
export interface NodeSignature {
  r: Hex; // bytes32
  s: Hex; // bytes32
  v: number; // uint8
}

/** One leaf of the epoch tree: a report and its node's signature. */
export interface SignedLeaf {
  report: Telemetry;
  sig: NodeSignature;
}

/** Leaf encoding of the epoch tree: the Solidity types in TelemetryLib order (report, then r, s, v). */
export const LEAF_TYPES = ["bytes32", "uint64", "uint16", "uint16", "uint32", "uint32", "uint256", "bytes32", "bytes32", "uint8"] as const;

export type LeafValue = [Hex, bigint, number, number, number, number, bigint, Hex, Hex, number];
export type EpochTree = StandardMerkleTree<LeafValue>;

/** secp256k1 group order / 2: OpenZeppelin ECDSA refuses s above it (malleable signatures). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** EIP-712 types of a report (primary type "Telemetry"). */
export const TELEMETRY_TYPES = {
  Telemetry: [
    {name: "nodeId", type: "bytes32"},
    {name: "epoch", type: "uint64"},
    {name: "uptimeBps", type: "uint16"},
    {name: "utilisationBps", type: "uint16"},
    {name: "gpusOnline", type: "uint32"},
    {name: "powerW", type: "uint32"},
    {name: "revenue", type: "uint256"},
  ],
} as const;

/** The oracle's EIP-712 domain on `chainId` at `oracle`: a signature never verifies on another chain or oracle. */
export function telemetryDomain(chainId: number, oracle: Address): TypedDataDomain {
  return {name: "GAIB Telemetry", version: "1", chainId, verifyingContract: oracle};
}

/** The node id `operator` gets for `label` (NodeRegistry.nodeIdOf): keccak256(abi.encode(operator, label)). */
export function nodeIdOf(operator: Address, label: Hex): Hex {
  return keccak256(encodeAbiParameters([{type: "address"}, {type: "bytes32"}], [operator, label]));
}

/** A 65-byte signature (r ‖ s ‖ v) as the oracle's {r, s, v}. */
export function toNodeSignature(signature: Hex): NodeSignature {
  const p = parseSignature(signature);
  const v = p.v !== undefined ? Number(p.v) : 27 + p.yParity;
  return {r: p.r, s: p.s, v: v < 27 ? v + 27 : v};
}

/** The 65-byte form of `sig`. */
export function fromNodeSignature(sig: NodeSignature): Hex {
  return serializeSignature({r: sig.r, s: sig.s, v: BigInt(sig.v)});
}

/** Whether `sig` is canonical under OpenZeppelin ECDSA rules (v 27/28, low s); anything else recovers to no one. */
export function isCanonical(sig: NodeSignature): boolean {
  return (sig.v === 27 || sig.v === 28) && BigInt(sig.s) <= HALF_N && BigInt(sig.r) !== 0n;
}

export function leafValue(l: SignedLeaf): LeafValue {
  const t = l.report;
  return [t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue, l.sig.r, l.sig.s, l.sig.v];
}

/** The leaf back from a tree value (a loaded dump holds strings for the integers). */
export function leafFromValue(v: readonly unknown[]): SignedLeaf {
  return {
    report: {
      nodeId: v[0] as Hex,
      epoch: BigInt(v[1] as string),
      uptimeBps: Number(v[2]),
      utilisationBps: Number(v[3]),
      gpusOnline: Number(v[4]),
      powerW: Number(v[5]),
      revenue: BigInt(v[6] as string),
    },
    sig: {r: v[7] as Hex, s: v[8] as Hex, v: Number(v[9])},
  };
}

/** OpenZeppelin standard leaf of `l`, computed directly (double keccak of the ABI encoding). */
export function leafHash(l: SignedLeaf): Hex {
  return keccak256(keccak256(encodeAbiParameters(LEAF_TYPES.map((type) => ({type})), leafValue(l))));
}

/** The epoch tree over every signed report of one epoch (reports of other epochs, or two of one node, are refused). */
export function buildEpochTree(leaves: readonly SignedLeaf[]): EpochTree {
  if (leaves.length === 0) throw new Error("an epoch tree needs at least one report");
  const epoch = leaves[0]!.report.epoch;
  const seen = new Set<string>();
  for (const {report: r} of leaves) {
    if (r.epoch !== epoch) throw new Error(`report of epoch ${r.epoch} in the tree of epoch ${epoch}`);
    if (seen.has(r.nodeId.toLowerCase())) throw new Error(`two reports of node ${r.nodeId}`);
    seen.add(r.nodeId.toLowerCase());
  }
  return StandardMerkleTree.of(leaves.map(leafValue), [...LEAF_TYPES]);
}

/** What an operator attests for the epoch: `attest(epoch, root, nodeCount, totalRevenue)`. */
export function attestation(leaves: readonly SignedLeaf[]): {epoch: bigint; root: Hex; nodeCount: bigint; totalRevenue: bigint} {
  const tree = buildEpochTree(leaves);
  return {
    epoch: leaves[0]!.report.epoch,
    root: tree.root as Hex,
    nodeCount: BigInt(leaves.length),
    totalRevenue: leaves.reduce((sum, l) => sum + l.report.revenue, 0n),
  };
}

/** The Merkle proof of `nodeId`'s leaf in `tree`. */
export function proofOf(tree: {entries(): Iterable<[number, readonly unknown[]]>; getProof(index: number): string[]}, nodeId: Hex): Hex[] {
  for (const [i, v] of tree.entries()) {
    if (String(v[0]).toLowerCase() === nodeId.toLowerCase()) return tree.getProof(i) as Hex[];
  }
  throw new Error(`node ${nodeId} is not in the tree`);
}

/** The node key signs its report (EIP-712); 65-byte signature. */
export function signTelemetry(node: LocalAccount, domain: TypedDataDomain, t: Telemetry): Promise<Hex> {
  return node.signTypedData({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t});
}

/** The node key signs its report and returns the tree leaf (report + {r, s, v}). */
export async function signLeaf(node: LocalAccount, domain: TypedDataDomain, t: Telemetry): Promise<SignedLeaf> {
  return {report: t, sig: toNodeSignature(await signTelemetry(node, domain, t))};
}

/** The EIP-712 digest the oracle recomputes (`reportDigest`). */
export function telemetryDigest(domain: TypedDataDomain, t: Telemetry): Hex {
  return hashTypedData({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t});
}

/** Who signed `signature` over `t` in `domain`. */
export function recoverTelemetrySigner(domain: TypedDataDomain, t: Telemetry, signature: Hex): Promise<Address> {
  return recoverTypedDataAddress({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t, signature});
}

/** The registry facts `isNodeSigned` needs about a node (INodeRegistry.Node). */
export interface NodeRecord {
  signer: Address;
  registeredAt: number | bigint; // [s]
  deactivatedAt: number | bigint; // [s] 0 while active
}

/** The oracle's `isNodeSigned`, off-chain: `l` is a leaf of epoch `epoch` ([start, end) in seconds) of a node that
 *  was registered before the epoch ended and not deactivated before it started, and its canonical signature recovers
 *  to the node's signer. `digest` is the report's EIP-712 digest (`telemetryDigest`, or a faster equivalent). An
 *  operator that attests only trees of such leaves can never be slashed. */
export async function isNodeSigned(
  l: SignedLeaf,
  node: NodeRecord | undefined,
  epoch: {epoch: bigint; start: bigint; end: bigint},
  digest: Hex,
): Promise<boolean> {
  if (!node || /^0x0{40}$/i.test(node.signer) || l.report.epoch !== epoch.epoch) return false;
  if (BigInt(node.registeredAt) >= epoch.end) return false;
  if (BigInt(node.deactivatedAt) !== 0n && BigInt(node.deactivatedAt) <= epoch.start) return false;
  if (!isCanonical(l.sig)) return false;
  try {
    return (await recoverAddress({hash: digest, signature: fromNodeSignature(l.sig)})).toLowerCase() === node.signer.toLowerCase();
  } catch {
    return false;
  }
}
