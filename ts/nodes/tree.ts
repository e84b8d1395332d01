// The epoch tree built fast (issue 17): the same @openzeppelin/merkle-tree StandardMerkleTree as `buildEpochTree`
// (same root, tree array, values and proofs; sim.test.ts compares the dumps), with the leaves hashed from a
// hand-written ABI encoding on bytes (10 static words) and the nodes hashed on bytes, instead of the generic ABI
// encoder and hex strings (keccak: the native binding where it loads, ecdsa.ts).
import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {bytesToHex, keccak, leafHashOf} from "./ecdsa.ts";
import {LEAF_TYPES, leafValue, type EpochTree, type LeafValue, type SignedLeaf} from "./telemetry.ts";

/** The standard leaf hash of `l`. */
export function leafHashBytes(l: SignedLeaf): Uint8Array {
  return leafHashOf(l.report, BigInt(l.sig.r), BigInt(l.sig.s), l.sig.v);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

const pair = new Uint8Array(64);
function nodeHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  const [x, y] = compare(a, b) <= 0 ? [a, b] : [b, a];
  pair.set(x, 0);
  pair.set(y, 32);
  return keccak(pair);
}

type TreeCtor = new (tree: string[], values: {value: LeafValue; treeIndex: number}[], leafEncoding: string[]) => EpochTree;

export {leafHashOf};

/** `buildEpochTree(leaves)` (same checks, same tree), faster; `hashes[i]`, where given, is leaf i's hash (computed
 *  on the signing threads with the signature). */
export function buildEpochTreeFast(leaves: readonly SignedLeaf[], hashes?: readonly (Uint8Array | undefined)[]): EpochTree {
  if (leaves.length === 0) throw new Error("an epoch tree needs at least one report");
  const epoch = leaves[0]!.report.epoch;
  const seen = new Set<string>();
  for (const {report: r} of leaves) {
    if (r.epoch !== epoch) throw new Error(`report of epoch ${r.epoch} in the tree of epoch ${epoch}`);
    const id = r.nodeId.toLowerCase();
    if (seen.has(id)) throw new Error(`two reports of node ${r.nodeId}`);
    seen.add(id);
  }
  const hashed = leaves.map((l, valueIndex) => ({valueIndex, hash: hashes?.[valueIndex] ?? leafHashBytes(l)}));
  hashed.sort((a, b) => compare(a.hash, b.hash));
  const n = hashed.length;
  const nodes = new Array<Uint8Array>(2 * n - 1);
  for (let i = 0; i < n; i++) nodes[nodes.length - 1 - i] = hashed[i]!.hash;
  for (let i = nodes.length - 1 - n; i >= 0; i--) nodes[i] = nodeHash(nodes[2 * i + 1]!, nodes[2 * i + 2]!);
  const tree = nodes.map((x) => bytesToHex(x));
  const values = leaves.map((l) => ({value: leafValue(l), treeIndex: 0}));
  for (const [leafIndex, {valueIndex}] of hashed.entries()) values[valueIndex]!.treeIndex = tree.length - leafIndex - 1;
  return new (StandardMerkleTree as unknown as TreeCtor)(tree, values, [...LEAF_TYPES]);
}
