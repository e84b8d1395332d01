// `npm run bench:crypto`: the simulation's crypto primitives, native (secp256k1 / keccak bindings, ts/nodes/native.ts)
// vs @noble (ts/nodes/ecdsa.ts), in one process on one thread, back to back: sign, check (per signature and batched),
// k·G, keccak-256. Prints operations per second and the ratio; `--ms N` time per measurement (default 1,500).
import os from "node:os";
import {keccak_256} from "@noble/hashes/sha3";
import {sign} from "viem/accounts";
import {bytesToHex, hexToBytes, publicPoint, recoverKey, signFast, verifyBatch, verifyFast, type RawSig} from "./ecdsa.ts";
import {loadNative} from "./native.ts";

const msArg = process.argv.indexOf("--ms");
const MS = msArg >= 0 ? Number(process.argv[msArg + 1]) : 1500;

function rate(label: string, fn: (i: number) => unknown): number {
  for (let i = 0; i < 20; i++) fn(i); // warm-up (tables, JIT)
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < MS) for (let j = 0; j < 10; j++) fn(n++);
  const r = n / ((performance.now() - t0) / 1000);
  console.log(`${label.padEnd(52)} ${Math.round(r).toLocaleString("en-US").padStart(10)} /s`);
  return r;
}

const native = loadNative();
if (!native) throw new Error("native bindings did not load (GAIB_NATIVE=0, or no secp256k1 binding)");
const {secp256k1: lib} = native;
const COUNT = 512;
const keys = Array.from({length: COUNT}, (_, i) => keccak_256(new TextEncoder().encode(`bench-key-${i}`)));
const digests = Array.from({length: COUNT}, (_, i) => keccak_256(new TextEncoder().encode(`bench-msg-${i}`)));
const sigs: RawSig[] = keys.map((k, i) => signFast(digests[i]!, BigInt(bytesToHex(k))));
const points = keys.map((k) => publicPoint(BigInt(bytesToHex(k))));
const pubBytes = points.map((q) => q.toRawBytes(false));
const sig64 = sigs.map((s) => hexToBytes(`0x${s.r.toString(16).padStart(64, "0")}${s.s.toString(16).padStart(64, "0")}`));
const out65 = new Uint8Array(65);
const rows: [string, number, number][] = [];

console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? "?"}, load ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`);
const viemRate = rate("sign: viem sign (noble, JS HMAC)", (i) => sign({hash: bytesToHex(digests[i % COUNT]!), privateKey: bytesToHex(keys[i % COUNT]!)}));
console.log(`  (viem sign is async; ${Math.round(viemRate)} /s counts started calls)`);
rows.push(["sign", rate("sign: signFast (noble, native HMAC, 10-bit table)", (i) => signFast(digests[i % COUNT]!, BigInt(bytesToHex(keys[i % COUNT]!)))), rate("sign: libsecp256k1 ecdsaSign", (i) => lib.ecdsaSign(digests[i % COUNT]!, keys[i % COUNT]!))]);
rows.push([
  "check one",
  rate("check: verifyFast (noble, against the key)", (i) => verifyFast(digests[i % COUNT]!, sigs[i % COUNT]!, points[i % COUNT]!)),
  rate("check: libsecp256k1 ecdsaRecover + compare", (i) => {
    const k = i % COUNT;
    lib.ecdsaRecover(sig64[k]!, sigs[k]!.v - 27, digests[k]!, false, out65);
    return Buffer.compare(out65, pubBytes[k]!) === 0;
  }),
]);
const items = sigs.map((sig, i) => ({digest: digests[i]!, sig, q: points[i]!}));
const batchRate = rate("check: verifyBatch of 512 (noble MSM), per signature", () => verifyBatch(items, (n) => new Uint8Array(n).fill(7))) * COUNT;
console.log(`  = ${Math.round(batchRate).toLocaleString("en-US")} signatures/s`);
rows.push(["check batch", batchRate, rows[1]![2]]);
rate("check: viem-style recoverKey (noble)", (i) => recoverKey(digests[i % COUNT]!, sigs[i % COUNT]!));
rows.push(["k·G", rate("k·G: noble multiply (10-bit table)", (i) => publicPoint(BigInt(bytesToHex(keys[i % COUNT]!)))), rate("k·G: libsecp256k1 publicKeyCreate", (i) => lib.publicKeyCreate(keys[i % COUNT]!, false))]);
const buf = new Uint8Array(256).fill(3);
if (native.keccak256) {
  rows.push(["keccak 256 B", rate("keccak-256 of 256 bytes: noble", () => keccak_256(buf)), rate("keccak-256 of 256 bytes: keccak binding", () => native.keccak256!(buf))]);
  const b64 = buf.subarray(0, 64);
  rows.push(["keccak 64 B", rate("keccak-256 of 64 bytes: noble", () => keccak_256(b64)), rate("keccak-256 of 64 bytes: keccak binding", () => native.keccak256!(b64))]);
}
console.log("\n| primitive (one thread) | @noble /s | native /s | native ÷ noble |\n|---|---|---|---|");
for (const [name, a, b] of rows) console.log(`| ${name} | ${Math.round(a).toLocaleString("en-US")} | ${Math.round(b).toLocaleString("en-US")} | ${(b / a).toFixed(1)}× |`);
