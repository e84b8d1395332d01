// Node telemetry off-chain: the per-epoch report a node's inspector signs (EIP-712, viem `signTypedData`) and the
// epoch Merkle tree an operator builds from all reports (`@openzeppelin/merkle-tree` StandardMerkleTree). Both match
// src/libraries/TelemetryLib.sol and src/nodes/TelemetryOracle.sol byte for byte:
//   leaf   = keccak256(bytes.concat(keccak256(abi.encode(nodeId, epoch, uptimeBps, utilisationBps, gpusOnline, powerW, revenue))))
//   digest = EIP-712 over Telemetry(...) in the domain {name: "GAIB Telemetry", version: "1", chainId, verifyingContract}
import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {
  encodeAbiParameters,
  hashTypedData,
  keccak256,
  recoverTypedDataAddress,
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

/** Leaf encoding of the epoch tree: the Solidity types in TelemetryLib order. */
export const LEAF_TYPES = ["bytes32", "uint64", "uint16", "uint16", "uint32", "uint32", "uint256"] as const;

type LeafValue = [Hex, bigint, number, number, number, number, bigint];

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

export function leafValue(t: Telemetry): LeafValue {
  return [t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue];
}

/** OpenZeppelin standard leaf of `t`, computed directly (double keccak of the ABI encoding). */
export function leafHash(t: Telemetry): Hex {
  return keccak256(keccak256(encodeAbiParameters(LEAF_TYPES.map((type) => ({type})), leafValue(t))));
}

/** The epoch tree over every report of one epoch (reports of other epochs are refused). */
export function buildEpochTree(reports: readonly Telemetry[]): StandardMerkleTree<LeafValue> {
  if (reports.length === 0) throw new Error("an epoch tree needs at least one report");
  const epoch = reports[0]!.epoch;
  const seen = new Set<string>();
  for (const r of reports) {
    if (r.epoch !== epoch) throw new Error(`report of epoch ${r.epoch} in the tree of epoch ${epoch}`);
    if (seen.has(r.nodeId)) throw new Error(`two reports of node ${r.nodeId}`);
    seen.add(r.nodeId);
  }
  return StandardMerkleTree.of(reports.map(leafValue), [...LEAF_TYPES]);
}

/** What an operator attests for the epoch: `attest(epoch, root, nodeCount, totalRevenue)`. */
export function attestation(reports: readonly Telemetry[]): {epoch: bigint; root: Hex; nodeCount: bigint; totalRevenue: bigint} {
  const tree = buildEpochTree(reports);
  return {
    epoch: reports[0]!.epoch,
    root: tree.root as Hex,
    nodeCount: BigInt(reports.length),
    totalRevenue: reports.reduce((sum, r) => sum + r.revenue, 0n),
  };
}

/** The Merkle proof of `nodeId`'s leaf in `tree`. */
export function proofOf(tree: StandardMerkleTree<LeafValue>, nodeId: Hex): Hex[] {
  for (const [i, v] of tree.entries()) {
    if (v[0].toLowerCase() === nodeId.toLowerCase()) return tree.getProof(i) as Hex[];
  }
  throw new Error(`node ${nodeId} is not in the tree`);
}

/** The node key signs its report (EIP-712). */
export function signTelemetry(node: LocalAccount, domain: TypedDataDomain, t: Telemetry): Promise<Hex> {
  return node.signTypedData({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t});
}

/** The EIP-712 digest the oracle recomputes (`reportDigest`). */
export function telemetryDigest(domain: TypedDataDomain, t: Telemetry): Hex {
  return hashTypedData({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t});
}

/** Who signed `signature` over `t` in `domain`. */
export function recoverTelemetrySigner(domain: TypedDataDomain, t: Telemetry, signature: Hex): Promise<Address> {
  return recoverTypedDataAddress({domain, types: TELEMETRY_TYPES, primaryType: "Telemetry", message: t, signature});
}
