// The simulation's hot path (issue 17), on bytes and bigints instead of hex strings: the report digest (one per
// report), secp256k1 signing and the operators' signature check. Same results as viem (`sign`) and the oracle
// (`ecrecover` == registered signer, canonical signature), measured faster (bench/nodes.md):
// - signing: RFC 6979 deterministic nonces exactly as @noble/curves (so the very same signatures as viem), with the
//   HMAC-SHA256 of the nonce DRBG in node:crypto (native) instead of JS, a 10-bit base-point table, no hex round
//   trips, no signature objects (k·G stays noble's constant-time `multiply`: `multiplyUnsafe` on the precomputed base
//   point gave a different point with @noble/curves 1.9.1 here; not investigated further);
// - checking: against the node's public key (handed over at onboarding, checked on the curve and against the
//   registered signer address; no recovery, keccak or address compare per report), in batches: Σ aᵢ(sᵢRᵢ − zᵢG −
//   rᵢQᵢ) = 0 (`verifyBatch`), or one at a time: R' = (z/s)·G + (r/s)·Q has x = r and the y parity of v
//   (`verifyFast`); either way ecrecover(z, v, r, s) = Q exactly, with s in the lower half, v 27/28, 0 < r, s < n.
import {createHmac} from "node:crypto";
import {invert, mod} from "@noble/curves/abstract/modular";
import {secp256k1} from "@noble/curves/secp256k1";
import {keccak_256} from "@noble/hashes/sha3";
import type {Hex} from "viem";
import {loadNative, type NativeSecp256k1} from "./native.ts";
import type {Telemetry} from "./telemetry.ts";

/** keccak-256: the native binding where it loads (same digests, measured ≈ 5-7× faster on 64-256 bytes), else noble. */
export const keccak: (data: Uint8Array) => Uint8Array = loadNative()?.keccak256 ?? keccak_256;
/** Which keccak this thread uses. */
export const KECCAK_BACKEND = keccak === keccak_256 ? "@noble/hashes" : "keccak (native)";

// (no viem at run time here: the signing threads load this module and stay small and quick to start)
export function hexToBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.slice(2), "hex"));
}

export function bytesToHex(b: Uint8Array): Hex {
  return `0x${Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex")}`;
}

const Point = secp256k1.ProjectivePoint;
type Point = InstanceType<typeof Point>;
const N = secp256k1.CURVE.n;
const HALF_N = N >> 1n;
let precomputed = false;

/** Base-point table with 10-bit windows (26 additions a k·G instead of 33 with noble's default 8; ~13k points,
 *  built once a thread): same points, measured faster (bench/nodes.md). */
function ensureTable() {
  if (!precomputed) {
    secp256k1.utils.precompute(10);
    precomputed = true;
  }
}

const TELEMETRY_TYPEHASH = keccak(
  new TextEncoder().encode("Telemetry(bytes32 nodeId,uint64 epoch,uint16 uptimeBps,uint16 utilisationBps,uint32 gpusOnline,uint32 powerW,uint256 revenue)"),
);

export function toBig(b: Uint8Array, off = 0, len = 32): bigint {
  return BigInt("0x" + Buffer.from(b.buffer, b.byteOffset + off, len).toString("hex"));
}

/** Writes `x` (0 ≤ x < 2²⁵⁶) big-endian into `out[off .. off + 32)`. */
export function put32(out: Uint8Array, off: number, x: bigint | number) {
  if (typeof x === "number" && x >= 0 && x < 2 ** 32) {
    out.fill(0, off, off + 28);
    out[off + 28] = x >>> 24;
    out[off + 29] = (x >>> 16) & 0xff;
    out[off + 30] = (x >>> 8) & 0xff;
    out[off + 31] = x & 0xff;
    return;
  }
  const v = BigInt(x);
  if (v < 0n || v >> 256n !== 0n) throw new RangeError(`not a uint256: ${v}`);
  Buffer.from(out.buffer, out.byteOffset + off, 32).write(v.toString(16).padStart(64, "0"), "hex");
}

function be32(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  put32(out, 0, x);
  return out;
}

/** One report encoded once for both of its hashes (352 bytes): [0, 32) the Telemetry type hash, [32, 256) the report's
 *  seven words (nodeId .. revenue), [256, 352) r, s, v (zero until signed). The EIP-712 struct hash is keccak of
 *  [0, 256), the tree leaf's abi.encode(report, r, s, v) is [32, 352). */
export function reportWords(t: Telemetry): Uint8Array {
  const b = new Uint8Array(352);
  b.set(TELEMETRY_TYPEHASH, 0);
  Buffer.from(b.buffer, b.byteOffset + 32, 32).write(t.nodeId.slice(2), "hex");
  put32(b, 64, t.epoch);
  put32(b, 96, t.uptimeBps);
  put32(b, 128, t.utilisationBps);
  put32(b, 160, t.gpusOnline);
  put32(b, 192, t.powerW);
  put32(b, 224, t.revenue);
  return b;
}

/** The EIP-712 digest (32 bytes) of the report encoded in `words` (`reportWords`) under the domain separator `sep`. */
export function digestOfWords(sep: Uint8Array, words: Uint8Array): Uint8Array {
  const outer = new Uint8Array(66);
  outer[0] = 0x19;
  outer[1] = 0x01;
  outer.set(sep, 2);
  outer.set(keccak(words.subarray(0, 256)), 34);
  return keccak(outer);
}

/** The EIP-712 digest of `t` under the domain separator `sep` (32 bytes): the same bytes as `telemetryDigest`. */
export function reportDigest(sep: Uint8Array, t: Telemetry): Uint8Array {
  return digestOfWords(sep, reportWords(t));
}

/** keccak256(keccak256(abi.encode(report, r, s, v))): the epoch tree's standard leaf hash of report `t` signed (r, s,
 *  v) (TelemetryLib's leaf; `leafHash` in telemetry.ts on hex). */
export function leafHashOf(t: Telemetry, r: bigint, s: bigint, v: number): Uint8Array {
  const b = reportWords(t);
  put32(b, 256, r);
  put32(b, 288, s);
  put32(b, 320, v);
  return keccak(keccak(b.subarray(32)));
}

/** The leaf hash of the report encoded in `words` (`reportWords`) with signature j of packed r ‖ s ‖ v bytes
 *  (`packSig`); writes the signature into `words`. */
export function leafOfWords(words: Uint8Array, sigs: Uint8Array, j: number): Uint8Array {
  words.set(sigs.subarray(65 * j, 65 * j + 64), 256);
  words.fill(0, 320, 351);
  words[351] = sigs[65 * j + 64]!;
  return keccak(keccak(words.subarray(32)));
}

/** `leafHashOf` for signature j of packed r ‖ s ‖ v bytes. */
export function leafHashPacked(t: Telemetry, sigs: Uint8Array, j: number): Uint8Array {
  return leafOfWords(reportWords(t), sigs, j);
}

function hmac(key: Uint8Array, ...msgs: Uint8Array[]): Uint8Array {
  const h = createHmac("sha256", key);
  for (const m of msgs) h.update(m);
  return h.digest();
}

const B0 = Uint8Array.of(0);
const B1 = Uint8Array.of(1);

/** A signature as the oracle takes it: v 27/28, s low. */
export interface RawSig {
  r: bigint;
  s: bigint;
  v: number;
}

/** ECDSA over `digest` (32 bytes) with the private key `d`: RFC 6979 nonce (HMAC-DRBG, as @noble/curves and so viem),
 *  low s. */
export function signFast(digest: Uint8Array, d: bigint): RawSig {
  ensureTable();
  const m = mod(toBig(digest), N);
  const seed = new Uint8Array(64);
  put32(seed, 0, d);
  put32(seed, 32, m);
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = hmac(k, v, B0, seed);
  v = hmac(k, v);
  k = hmac(k, v, B1, seed);
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const kk = toBig(v);
    if (kk > 0n && kk < N) {
      const q = Point.BASE.multiply(kk).toAffine();
      const r = mod(q.x, N);
      if (r !== 0n) {
        let s = mod(invert(kk, N) * mod(m + r * d, N), N);
        if (s !== 0n) {
          let rec = (q.x === r ? 0 : 2) | Number(q.y & 1n);
          if (s > HALF_N) {
            s = N - s;
            rec ^= 1;
          }
          if (rec > 1) continue; // x(R) ≥ n: ecrecover cannot express it (probability ~2^-128)
          return {r, s, v: 27 + rec};
        }
      }
    }
    k = hmac(k, v, B0);
    v = hmac(k, v);
  }
}

/** Whether the signature is canonical under OpenZeppelin ECDSA rules (v 27/28, 0 < r < n, 0 < s ≤ n/2). */
export function canonical(sig: RawSig): boolean {
  return (sig.v === 27 || sig.v === 28) && sig.r > 0n && sig.r < N && sig.s > 0n && sig.s <= HALF_N;
}

/** The public key ecrecover returns for `sig` over `digest`, or undefined where ecrecover returns 0. */
export function recoverKey(digest: Uint8Array, sig: RawSig): Point | undefined {
  if (!canonical(sig)) return undefined;
  try {
    return new secp256k1.Signature(sig.r, sig.s).addRecoveryBit(sig.v - 27).recoverPublicKey(digest) as Point;
  } catch {
    return undefined;
  }
}

/** The Ethereum address bytes (20) of the public key `q`. */
export function addressOf(q: Point): Uint8Array {
  return addressOfKey(q.toRawBytes(false));
}

/** The Ethereum address bytes (20) of an uncompressed public key (65 bytes). */
export function addressOfKey(pub: Uint8Array): Uint8Array {
  return keccak(pub.subarray(1)).subarray(12);
}

/** ecrecover(digest, sig) === the key `q`, without recovering: R' = (z/s)·G + (r/s)·Q has x = r and the parity of v. */
export function verifyFast(digest: Uint8Array, sig: RawSig, q: Point): boolean {
  if (!canonical(sig)) return false;
  ensureTable();
  const w = invert(sig.s, N);
  const u1 = mod(mod(toBig(digest), N) * w, N);
  const u2 = mod(sig.r * w, N);
  const R = Point.BASE.multiplyAndAddUnsafe(q, u1, u2);
  if (!R) return false;
  const a = R.toAffine();
  return a.x === sig.r && Number(a.y & 1n) === sig.v - 27;
}

/** The node key's public point (for tests and the cache). */
export function publicPoint(d: bigint): Point {
  ensureTable();
  return Point.BASE.multiply(d);
}

/** The uncompressed public key (0x04 ‖ x ‖ y) of the private key `key`. */
export function publicKeyOf(key: Hex): Hex {
  return bytesToHex(publicPoint(BigInt(key)).toRawBytes(false));
}

/** The point of an uncompressed public key, or undefined if it is not one on the curve (a key handed over by a node
 *  is checked: an off-curve point could pass an off-chain check that ecrecover never would). */
export function pointOfPublicKey(pub: Hex): Point | undefined {
  const b = hexToBytes(pub);
  if (b.length !== 65 || b[0] !== 4) return undefined;
  const x = toBig(b, 1);
  const y = toBig(b, 33);
  const P = secp256k1.CURVE.Fp.ORDER;
  if (x >= P || y >= P || mod(y * y, P) !== mod(x * x * x + 7n, P)) return undefined;
  return Point.fromAffine({x, y});
}

/** Packs signatures as r ‖ s ‖ v (65 bytes each). */
export function packSig(out: Uint8Array, i: number, sig: RawSig) {
  put32(out, i * 65, sig.r);
  put32(out, i * 65 + 32, sig.s);
  out[i * 65 + 64] = sig.v;
}

export function unpackSig(b: Uint8Array, i: number): RawSig {
  return {r: toBig(b, i * 65), s: toBig(b, i * 65 + 32), v: b[i * 65 + 64]!};
}

/** Signature i of packed r ‖ s ‖ v bytes as the oracle's {r, s, v}, straight from the bytes. */
export function sigHexAt(b: Uint8Array, i: number): {r: Hex; s: Hex; v: number} {
  return {r: bytesToHex(b.subarray(65 * i, 65 * i + 32)), s: bytesToHex(b.subarray(65 * i + 32, 65 * i + 64)), v: b[65 * i + 64]!};
}

export function sigHex(sig: RawSig): {r: Hex; s: Hex; v: number} {
  return {r: bytesToHex(be32(sig.r)), s: bytesToHex(be32(sig.s)), v: sig.v};
}

export function sigFromHex(sig: {r: Hex; s: Hex; v: number}): RawSig {
  return {r: BigInt(sig.r), s: BigInt(sig.s), v: sig.v};
}

export type {Point};

const Fp = secp256k1.CURVE.Fp;

/** The point R of a signature (x = r, y of v's parity), or undefined where ecrecover fails. */
function pointR(sig: RawSig): Point | undefined {
  try {
    const y2 = Fp.add(Fp.mul(Fp.sqr(sig.r), sig.r), 7n);
    let y = Fp.sqrt(y2);
    if (Number(y & 1n) !== sig.v - 27) y = Fp.neg(y);
    return Point.fromAffine({x: sig.r, y});
  } catch {
    return undefined;
  }
}

/** One report's check: its digest, its signature, its node's public key. */
export interface VerifyItem {
  digest: Uint8Array;
  sig: RawSig;
  q: Point;
}

/** Batch check (same answer as `verifyFast` for each item, except with probability ~2^-128): Σ aᵢ(sᵢRᵢ − zᵢG − rᵢQᵢ)
 *  = 0 for random 128-bit aᵢ, one multi-scalar multiplication (Pippenger) for the lot; a failing batch is split in
 *  eighths until the bad items are found. */
export function verifyBatch(items: readonly VerifyItem[], random: (n: number) => Uint8Array, opts: {expectBad?: boolean} = {}): boolean[] {
  const ok = new Array<boolean>(items.length).fill(false);
  const rs: (Point | undefined)[] = items.map((it) => (canonical(it.sig) ? pointR(it.sig) : undefined));
  const live: number[] = [];
  for (let i = 0; i < items.length; i++) if (rs[i]) live.push(i);
  const check = (idx: number[]) => {
    if (idx.length === 0) return;
    if (idx.length <= 4) {
      for (const i of idx) ok[i] = verifyFast(items[i]!.digest, items[i]!.sig, items[i]!.q);
      return;
    }
    const rnd = random(16 * idx.length);
    const points: Point[] = [];
    const scalars: bigint[] = [];
    let g = 0n;
    for (const [j, i] of idx.entries()) {
      const a = toBig(rnd, 16 * j, 16) | 1n;
      const it = items[i]!;
      points.push(rs[i]!, it.q);
      scalars.push(mod(a * it.sig.s, N), mod(-a * it.sig.r, N));
      g += a * mod(toBig(it.digest), N);
    }
    points.push(Point.BASE);
    scalars.push(mod(-g, N));
    if (Point.msm(points, scalars).equals(Point.ZERO)) {
      for (const i of idx) ok[i] = true;
      return;
    }
    // a failing batch holds a bad signature (a forged leaf): eighths, not halves (≈ 2.1× the batch's work to find
    // one, not 3×)
    const part = Math.ceil(idx.length / 8);
    for (let i = 0; i < idx.length; i += part) check(idx.slice(i, i + part));
  };
  // a challenger looking for a forged leaf starts from eighths (the first full batch would fail anyway)
  if (opts.expectBad && live.length > 64) {
    const part = Math.ceil(live.length / 8);
    for (let i = 0; i < live.length; i += part) check(live.slice(i, i + part));
  } else check(live);
  return ok;
}

// ---------------------------------------------------------------------------------------------------------- native

const N_BYTES = be32(N);
const HALF_N_BYTES = be32(HALF_N);
const ZERO32 = new Uint8Array(32);

/** Signs `digest` with the private key `key` (32 bytes) into `out` at signature j (r ‖ s ‖ v): the bytes of
 *  `signFast` (and so viem's `sign`). With `lib`, libsecp256k1 signs: its default nonce is RFC 6979 HMAC-DRBG over
 *  key ‖ digest, which is noble's wherever digest < n (RFC 6979 seeds with digest mod n; libsecp256k1 with the raw
 *  bytes), its s is low and its recovery id the y parity of R; a digest ≥ n, and the case x(R) ≥ n that ecrecover
 *  cannot express (recovery id 2/3, ~2^-128), go through `signFast` (noble). */
export function signInto(out: Uint8Array, j: number, digest: Uint8Array, key: Uint8Array, lib?: NativeSecp256k1) {
  if (lib && Buffer.compare(digest, N_BYTES) < 0) {
    const {signature, recid} = lib.ecdsaSign(digest, key);
    if (recid < 2) {
      out.set(signature, 65 * j);
      out[65 * j + 64] = 27 + recid;
      return;
    }
  }
  packSig(out, j, signFast(digest, toBig(key)));
}

/** `canonical` on signature j of packed r ‖ s ‖ v bytes. */
export function canonicalPacked(sigs: Uint8Array, j: number): boolean {
  const v = sigs[65 * j + 64];
  const r = sigs.subarray(65 * j, 65 * j + 32);
  const s = sigs.subarray(65 * j + 32, 65 * j + 64);
  return (v === 27 || v === 28) && Buffer.compare(r, ZERO32) > 0 && Buffer.compare(r, N_BYTES) < 0 && Buffer.compare(s, ZERO32) > 0 && Buffer.compare(s, HALF_N_BYTES) <= 0;
}

/** ecrecover(digest, signature j) === the uncompressed key `pub` (65 bytes), by libsecp256k1's recovery (what the
 *  EVM's ecrecover computes), on canonical signatures only (the oracle's rule); `scratch` takes the recovered key. */
export function checkNative(lib: NativeSecp256k1, digest: Uint8Array, sigs: Uint8Array, j: number, pub: Uint8Array, scratch: Uint8Array): boolean {
  if (!canonicalPacked(sigs, j)) return false;
  try {
    lib.ecdsaRecover(sigs.subarray(65 * j, 65 * j + 64), sigs[65 * j + 64]! - 27, digest, false, scratch);
  } catch {
    return false; // no point with x = r: ecrecover returns 0
  }
  return Buffer.compare(scratch, pub) === 0;
}
