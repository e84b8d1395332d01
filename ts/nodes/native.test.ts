// Issue 17's native path (ts/nodes/native.ts): libsecp256k1 signs byte for byte like viem's `sign` (RFC 6979, low s),
// its recovery check answers like `isNodeSigned`, the keccak binding hashes like noble, and without the bindings
// (`native: false`: threads started with GAIB_NATIVE=0, or a binding that is not there) the simulation's signing and
// checking give the same bytes and answers on @noble.
import {keccak_256} from "@noble/hashes/sha3";
import {bytesToHex, hexToBytes, type Address} from "viem";
import {sign} from "viem/accounts";
import {afterAll, describe, expect, it} from "vitest";
import {canonical, canonicalPacked, keccak, packSig, reportDigest, signFast, signInto, sigHex, unpackSig, type RawSig} from "./ecdsa.ts";
import {domainSeparator, fastDigest, makeNodes, prng, telemetryOf} from "./model.ts";
import {loadNative, NATIVE_MODULES} from "./native.ts";
import {SignerPool} from "./signer.ts";
import {isNodeSigned} from "./telemetry.ts";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const ORACLE = "0x00000000000000000000000000000000000000bb" as Address;
const SEP = domainSeparator(31_337, ORACLE);
const nodes = makeNodes(24, 4, 0, "native-test");
const epoch = 4n;
const rand = prng(11);
const reports = nodes.map((n) => telemetryOf(n, epoch, rand));
const idx = Int32Array.from(nodes, (n) => n.index);
const init = {keys: nodes.map((n) => n.key), signers: nodes.map((n) => n.signer), sep: SEP};
const native = loadNative();
const onPrebuiltPlatform = ["linux-x64", "darwin-arm64", "win32-x64"].includes(`${process.platform}-${process.arch}`);

function be32(x: bigint): Uint8Array {
  return hexToBytes(`0x${x.toString(16).padStart(64, "0")}`);
}

describe("native secp256k1 and keccak (issue 17)", () => {
  const threads = new SignerPool(init, 2);
  const inline = new SignerPool(init, 0);
  const nobleThreads = new SignerPool({...init, native: false}, 2);
  const nobleInline = new SignerPool({...init, native: false}, 0);
  afterAll(async () => {
    await Promise.all([threads, inline, nobleThreads, nobleInline].map((p) => p.close()));
  });

  it("loads after a plain npm install where the package ships a prebuild (so CI runs the native path)", async () => {
    if (!onPrebuiltPlatform || process.env.GAIB_NATIVE === "0") return;
    expect(native?.secp256k1).toBeDefined();
    expect(native?.keccak256).toBeDefined();
    expect(await threads.backend()).toBe("libsecp256k1 + keccak (native)");
  });

  it("a missing binding falls back: loadNative answers undefined, or no keccak, and the pool says @noble", async () => {
    expect(loadNative({secp256k1: "secp256k1-not-installed/bindings", keccak: NATIVE_MODULES.keccak})).toBeUndefined();
    const noKeccak = loadNative({secp256k1: NATIVE_MODULES.secp256k1, keccak: "keccak-not-installed"});
    expect(noKeccak?.keccak256).toBeUndefined();
    expect(await nobleThreads.backend()).toBe("@noble/curves + @noble/hashes");
    expect(await nobleInline.backend()).toMatch(/^@noble\/curves \+ /);
  });

  it("the keccak binding hashes like noble (every length across two sponge blocks)", () => {
    const data = Uint8Array.from({length: 300}, (_, i) => (i * 37 + 11) & 255);
    for (let len = 0; len <= 300; len++) expect(keccak(data.subarray(0, len))).toEqual(keccak_256(data.subarray(0, len)));
    if (native?.keccak256) for (const len of [0, 64, 135, 136, 137, 256]) expect(native.keccak256(data.subarray(0, len))).toEqual(keccak_256(data.subarray(0, len)));
  });

  it("libsecp256k1 signs byte for byte like viem's sign and signFast (300 digests, 24 keys)", async () => {
    if (!native) return;
    const r = prng(3);
    for (let i = 0; i < 300; i++) {
      const digest = keccak_256(Uint8Array.of(i & 255, i >> 8, Math.floor(r() * 256)));
      const key = hexToBytes(nodes[i % nodes.length]!.key);
      const out = new Uint8Array(65);
      signInto(out, 0, digest, key, native.secp256k1);
      const viem = await sign({hash: bytesToHex(digest), privateKey: bytesToHex(key)});
      expect(sigHex(unpackSig(out, 0))).toEqual({r: viem.r, s: viem.s, v: Number(viem.v)});
      expect(unpackSig(out, 0)).toEqual(signFast(digest, BigInt(bytesToHex(key))));
    }
  });

  it("a digest ≥ n signs like viem: RFC 6979 seeds the nonce with digest mod n, libsecp256k1 with the raw bytes", async () => {
    if (!native) return;
    const key = hexToBytes(nodes[0]!.key);
    for (const digest of [be32(N), be32(N + 5n), be32(2n ** 256n - 1n)]) {
      const viem = await sign({hash: bytesToHex(digest), privateKey: bytesToHex(key)});
      const out = new Uint8Array(65);
      signInto(out, 0, digest, key, native.secp256k1);
      expect(sigHex(unpackSig(out, 0))).toEqual({r: viem.r, s: viem.s, v: Number(viem.v)});
      // the raw binding differs here: the reason signInto routes these digests to noble
      const raw = native.secp256k1.ecdsaSign(digest, key);
      expect(bytesToHex(raw.signature.subarray(0, 32))).not.toBe(viem.r);
    }
  });

  it("canonicalPacked is canonical on the packed bytes (r, s bounds, the half order, v)", () => {
    const half = N >> 1n;
    const cases: RawSig[] = [];
    for (const r of [0n, 1n, N - 1n, N, 2n ** 256n - 1n]) for (const s of [0n, 1n, half, half + 1n, N - 1n]) for (const v of [0, 26, 27, 28, 29]) cases.push({r, s, v});
    const packed = new Uint8Array(65 * cases.length);
    for (const [i, c] of cases.entries()) packSig(packed, i, c);
    expect(cases.map((_, i) => canonicalPacked(packed, i))).toEqual(cases.map(canonical));
    expect(cases.filter(canonical)).toHaveLength(2 * 2 * 2); // r ∈ {1, n − 1}, s ∈ {1, n/2}, v ∈ {27, 28}
  });

  it("native and noble pools, threads or in-process: the same digests, signatures, leaves, public keys", async () => {
    const ref = await nobleInline.sign(idx, reports);
    for (const pool of [threads, inline, nobleThreads]) {
      const got = await pool.sign(idx, reports);
      expect(got.digests).toEqual(ref.digests);
      expect(got.sigs).toEqual(ref.sigs);
      expect(got.leaves).toEqual(ref.leaves);
      expect(await pool.publicKeys(nodes.length)).toEqual(nodes.map((n) => n.publicKey));
    }
    for (const [i] of nodes.entries()) expect(bytesToHex(ref.digests.subarray(32 * i, 32 * i + 32))).toBe(fastDigest(SEP, reports[i]!));
    expect(reportDigest(hexToBytes(SEP), reports[0]!)).toEqual(ref.digests.subarray(0, 32));
  });

  it("the recovery check answers like isNodeSigned on both paths (tampered report, flipped v, another's signature, high s, r ≥ n)", async () => {
    const {sigs} = await nobleInline.sign(idx, reports);
    const bad = reports.map((r) => ({...r}));
    bad[2] = {...bad[2]!, uptimeBps: bad[2]!.uptimeBps + 1};
    const t = sigs.slice();
    t[65 * 5 + 64] = 55 - t[65 * 5 + 64]!;
    t.set(sigs.subarray(65 * 8, 65 * 9), 65 * 9);
    const hi = unpackSig(sigs, 13);
    packSig(t, 13, {r: hi.r, s: N - hi.s, v: 55 - hi.v});
    packSig(t, 17, {...unpackSig(sigs, 17), r: N + 1n}); // not a field-valid r for ecrecover's rules
    const window = {epoch, start: 0n, end: 10n};
    const expected = await Promise.all(
      bad.map((report, i) =>
        isNodeSigned({report, sig: sigHex(unpackSig(t, i))}, {signer: nodes[i]!.signer, registeredAt: 0, deactivatedAt: 0}, window, fastDigest(SEP, report)),
      ),
    );
    expect(expected.filter((x) => !x)).toHaveLength(5);
    for (const pool of [threads, inline, nobleThreads, nobleInline]) {
      expect([...(await pool.verify(idx, t, undefined, bad))].map((x) => x === 1)).toEqual(expected);
    }
  });
});
