// Issue 17's fast paths give the reference results: the worker-thread signing equals the in-process one and viem's
// `sign`; the batch signature check answers like ecrecover == registered signer (`isNodeSigned`); the fast tree is
// the library's StandardMerkleTree.
import {bytesToHex, hexToBytes, numberToHex, type Address} from "viem";
import {sign} from "viem/accounts";
import {afterAll, describe, expect, it} from "vitest";
import {packSig, pointOfPublicKey, put32, recoverKey, reportDigest, signFast, sigHex, sigHexAt, unpackSig, verifyBatch, verifyFast, type RawSig} from "./ecdsa.ts";
import {domainSeparator, fastDigest, makeNodes, prng, telemetryOf, type SimNode} from "./model.ts";
import {SignerPool} from "./signer.ts";
import {buildEpochTree, isNodeSigned, type SignedLeaf, type Telemetry} from "./telemetry.ts";
import {buildEpochTreeFast} from "./tree.ts";

const ORACLE = "0x00000000000000000000000000000000000000aa" as Address;
const SEP = domainSeparator(31_337, ORACLE);
const nodes = makeNodes(40, 4, 0, "signer-test");
const epoch = 9n;
const rand = prng(5);
const reports = nodes.map((n) => telemetryOf(n, epoch, rand));
const idx = Int32Array.from(nodes, (n) => n.index);
const init = {keys: nodes.map((n) => n.key), signers: nodes.map((n) => n.signer), sep: SEP};

function leaves(sigs: Uint8Array, rs: readonly Telemetry[] = reports): SignedLeaf[] {
  return rs.map((report, i) => ({report, sig: sigHex(unpackSig(sigs, i))}));
}

describe("fast signing and checking (issue 17)", () => {
  const inline = new SignerPool(init, 0);
  const threads = new SignerPool(init, 2);
  afterAll(async () => {
    await threads.close();
    await inline.close();
  });

  it("encodes uint256 words like viem (numbers and bigints)", () => {
    for (const x of [0, 1, 255, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 0n, 2n ** 64n + 5n, 2n ** 255n, 2n ** 256n - 1n]) {
      const out = new Uint8Array(40).fill(7);
      put32(out, 4, x);
      expect(bytesToHex(out.subarray(4, 36))).toBe(numberToHex(BigInt(x), {size: 32}));
      expect([...out.subarray(0, 4), ...out.subarray(36)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    }
    expect(() => put32(new Uint8Array(32), 0, -1n)).toThrow(RangeError);
    expect(() => put32(new Uint8Array(32), 0, 2n ** 256n)).toThrow(RangeError);
  });

  it("signs exactly like viem's sign (RFC 6979, low s) over the EIP-712 digest", async () => {
    for (const [i, n] of nodes.slice(0, 10).entries()) {
      const digest = reportDigest(hexToBytes(SEP), reports[i]!);
      expect(digest).toEqual(hexToBytes(fastDigest(SEP, reports[i]!)));
      const ours = signFast(digest, BigInt(n.key));
      const viem = await sign({hash: fastDigest(SEP, reports[i]!), privateKey: n.key});
      expect(sigHex(ours)).toEqual({r: viem.r, s: viem.s, v: Number(viem.v)});
    }
  });

  it("the worker-thread path gives the in-process path's digests, signatures and tree root", async () => {
    // the threads derive the same public keys as makeNodes, and makeNodes built on them gives the same fleet
    const pubs = await threads.publicKeys(nodes.length);
    expect(pubs).toEqual(nodes.map((n) => n.publicKey));
    expect(makeNodes(40, 4, 0, "signer-test", {publicKeys: pubs})).toEqual(nodes);
    const a = await inline.sign(idx, reports);
    const b = await threads.sign(idx, reports);
    expect(b.digests).toEqual(a.digests);
    expect(b.sigs).toEqual(a.sigs);
    expect(b.leaves).toEqual(a.leaves);
    expect(nodes.map((_, i) => sigHexAt(b.sigs, i))).toEqual(nodes.map((_, i) => sigHex(unpackSig(a.sigs, i))));
    const hashes = reports.map((_, i) => b.leaves.subarray(32 * i, 32 * i + 32));
    expect(buildEpochTreeFast(leaves(b.sigs), hashes).dump()).toEqual(buildEpochTree(leaves(a.sigs)).dump());
    // and the checks agree, with the digests given or recomputed from the reports
    expect([...(await threads.verify(idx, b.sigs, b.digests))]).toEqual(nodes.map(() => 1));
    expect([...(await inline.verify(idx, a.sigs, undefined, reports))]).toEqual(nodes.map(() => 1));
  });

  it("checks like isNodeSigned: a tampered report, a flipped v, another node's key and a high s fail, the rest pass", async () => {
    const {sigs} = await threads.sign(idx, reports);
    const bad = reports.map((r) => ({...r}));
    bad[3] = {...bad[3]!, revenue: bad[3]!.revenue + 1n}; // report changed after signing
    const tampered = sigs.slice();
    tampered[65 * 7 + 64] = 55 - tampered[65 * 7 + 64]!; // v flipped: recovers to someone else
    tampered.set(sigs.subarray(65 * 11, 65 * 12), 65 * 12); // node 12 presents node 11's signature
    const hi = unpackSig(sigs, 20);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS: RawSig = {r: hi.r, s: n - hi.s, v: 55 - hi.v}; // the same point, the malleable twin
    packSig(tampered, 20, highS);
    const window = {epoch, start: 0n, end: 10n};
    const expected = await Promise.all(
      leaves(tampered, bad).map((l, i) => isNodeSigned(l, {signer: nodes[i]!.signer, registeredAt: 0, deactivatedAt: 0}, window, fastDigest(SEP, l.report))),
    );
    expect(expected.filter((x) => !x)).toHaveLength(4);
    for (const pool of [threads, inline]) {
      const got = await pool.verify(idx, tampered, undefined, bad);
      expect([...got].map((x) => x === 1)).toEqual(expected);
    }
  });

  it("public keys handed over by the nodes are checked: on the curve and matching the registered signer", async () => {
    expect(nodes.every((n) => n.publicKey && pointOfPublicKey(n.publicKey))).toBe(true);
    const pubs = nodes.map((n) => n.publicKey);
    pubs[2] = pubs[3]; // another node's key: its address is not node 2's signer
    const offCurve = hexToBytes(nodes[4]!.publicKey!);
    offCurve[64] = offCurve[64]! ^ 1;
    pubs[4] = bytesToHex(offCurve);
    expect(pointOfPublicKey(pubs[4])).toBeUndefined();
    const given = new SignerPool({...init, publicKeys: pubs}, 0);
    const {sigs, digests} = await inline.sign(idx, reports);
    const ok = await given.verify(idx, sigs, digests);
    expect([...ok].map((x, i) => (x ? -1 : i)).filter((i) => i >= 0)).toEqual([2, 4]);
  });

  it("batch check = one check per signature, against the recovered key", () => {
    const items = nodes.slice(0, 12).map((n: SimNode, i) => {
      const digest = reportDigest(hexToBytes(SEP), reports[i]!);
      const sig = signFast(digest, BigInt(n.key));
      return {digest, sig, q: recoverKey(digest, sig)!};
    });
    items[5] = {...items[5]!, digest: items[6]!.digest};
    const one = items.map((it) => verifyFast(it.digest, it.sig, it.q));
    expect(one.filter((x) => !x)).toHaveLength(1);
    let c = 0;
    const random = (len: number) => Uint8Array.from({length: len}, () => (c = (c * 31 + 7) & 255));
    expect(verifyBatch(items, random)).toEqual(one);
    const many = Array.from({length: 90}, (_, i) => items[i % items.length]!);
    expect(verifyBatch(many, random, {expectBad: true})).toEqual(many.map((_, i) => one[i % items.length]));
  });

  it("the fast tree is the library's StandardMerkleTree (same dump, same proofs)", async () => {
    const {sigs} = await inline.sign(idx, reports);
    for (const count of [1, 2, 3, 17, 40]) {
      const ls = leaves(sigs).slice(0, count);
      const fast = buildEpochTreeFast(ls);
      const ref = buildEpochTree(ls);
      expect(fast.dump()).toEqual(ref.dump());
      expect(fast.getProof(count - 1)).toEqual(ref.getProof(count - 1));
    }
    expect(() => buildEpochTreeFast([...leaves(sigs).slice(0, 2), leaves(sigs)[0]!])).toThrow(/two reports/);
  });
});
