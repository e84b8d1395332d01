// The nodes' signing and the operators' signature checks, on worker threads (issue 17: both cores) or in-process
// (`workers: 0`, the reference path; both give the same digests, signatures and answers, sim.test.ts). Each worker
// holds the node keys once (no per-report key derivation) and the public keys of its share of the nodes (node index
// mod worker count: stable across epochs), derived once at start-up and checked against the registered signers (the
// node hands its public key to its operator at onboarding; `isNodeSigned` then needs no address compare per report).
// The crypto is libsecp256k1 and the keccak binding where they load (ts/nodes/native.ts: signing, key derivation and
// one recovery per check), @noble otherwise or with `native: false` (signing as before, the batch check).
// Messages carry packed bytes: 32-byte digests, 65-byte r ‖ s ‖ v signatures.
import {randomBytes} from "node:crypto";
import {availableParallelism} from "node:os";
import {Worker} from "node:worker_threads";
import type {Address, Hex} from "viem";
import {
  KECCAK_BACKEND,
  addressOfKey,
  bytesToHex,
  checkNative,
  hexToBytes,
  digestOfWords,
  leafOfWords,
  pointOfPublicKey,
  publicPoint,
  reportDigest,
  reportWords,
  signInto,
  toBig,
  unpackSig,
  verifyBatch,
  type Point,
  type VerifyItem,
} from "./ecdsa.ts";
import {loadNative, type NativeSecp256k1} from "./native.ts";
import type {Telemetry} from "./telemetry.ts";

export interface SignerInit {
  keys: readonly Hex[]; // node private keys, by node index
  /** Registered signer addresses, by node index; absent: the keys' own addresses (the threads derive them). */
  signers?: readonly Address[];
  /** Uncompressed public keys the nodes handed over (checked: on the curve, address = signer); derived if absent. */
  publicKeys?: readonly (Hex | undefined)[];
  sep: Hex; // EIP-712 domain separator of the oracle
  /** false: @noble only (the fallback where the bindings do not load, forced); default: native where it loads. */
  native?: boolean;
  /** This core's share: node indices i with i % of === part. */
  part: number;
  of: number;
}

export interface SignResult {
  digests: Uint8Array; // 32 bytes a report
  sigs: Uint8Array; // 65 bytes a report
  leaves: Uint8Array; // 32 bytes a report: its epoch-tree leaf hash (report + signature), for the operators' tree
}

/** The work of one thread: signs reports of its nodes, checks reports against its nodes' public keys. */
export class SignerCore {
  private readonly keyBytes: Uint8Array[] = [];
  /** Uncompressed public key (65 bytes) of node i, null where it does not match the registered signer. */
  private readonly pubs: (Uint8Array | null)[] = [];
  private readonly points: Point[] = [];
  private readonly sep: Uint8Array;
  private readonly lib: NativeSecp256k1 | undefined;

  constructor(private readonly init: SignerInit) {
    this.sep = hexToBytes(init.sep);
    this.lib = init.native === false ? undefined : loadNative()?.secp256k1;
  }

  /** The crypto this core runs: "libsecp256k1 + keccak (native)", or "@noble/curves + ..." (the fallback). */
  get backend(): string {
    return `${this.lib ? "libsecp256k1" : "@noble/curves"} + ${KECCAK_BACKEND}`;
  }

  private key(i: number): Uint8Array {
    return (this.keyBytes[i] ??= hexToBytes(this.init.keys[i]!));
  }

  /** The public key of node `i` if it matches the registered signer (null: it does not, nothing verifies). */
  private pub(i: number): Uint8Array | null {
    let q = this.pubs[i];
    if (q === undefined) {
      const given = this.init.publicKeys?.[i];
      if (given) q = pointOfPublicKey(given) ? hexToBytes(given) : null;
      else q = this.lib ? this.lib.publicKeyCreate(this.key(i), false) : publicPoint(toBig(this.key(i))).toRawBytes(false);
      const signer = this.init.signers?.[i];
      if (q && signer && bytesToHex(addressOfKey(q)).toLowerCase() !== signer.toLowerCase()) q = null;
      this.pubs[i] = q;
    }
    return q;
  }

  /** Derives the public keys of this core's nodes (start-up, not in the epoch loop); returns how many. */
  warm(): number {
    let n = 0;
    for (let i = this.init.part; i < this.init.keys.length; i += this.init.of, n++) this.pub(i);
    return n;
  }

  /** The uncompressed public keys (65 bytes each) of this core's nodes, in index order (part, part + of, ...). */
  publicKeys(): Uint8Array {
    const count = Math.ceil((this.init.keys.length - this.init.part) / this.init.of);
    const out = new Uint8Array(65 * Math.max(0, count));
    for (let j = 0, i = this.init.part; i < this.init.keys.length; j++, i += this.init.of) {
      const q = this.pub(i);
      if (q) out.set(q, 65 * j);
    }
    return out;
  }

  sign(idx: Int32Array, reports: readonly Telemetry[]): SignResult {
    const digests = new Uint8Array(32 * idx.length);
    const sigs = new Uint8Array(65 * idx.length);
    const leaves = new Uint8Array(32 * idx.length);
    for (let j = 0; j < idx.length; j++) {
      const words = reportWords(reports[j]!); // encoded once: the digest and the leaf hash
      const digest = digestOfWords(this.sep, words);
      digests.set(digest, 32 * j);
      signInto(sigs, j, digest, this.key(idx[j]!), this.lib);
      leaves.set(leafOfWords(words, sigs, j), 32 * j);
    }
    return {digests, sigs, leaves};
  }

  /** 1 where report j's signature recovers (ecrecover) to node idx[j]'s registered signer. Digests as given (one
   *  per report, computed when it was signed), or computed from `reports`. */
  verify(idx: Int32Array, sigs: Uint8Array, digests: Uint8Array | undefined, reports: readonly Telemetry[] | undefined): Uint8Array {
    const out = new Uint8Array(idx.length);
    const digestAt = (j: number) => (digests ? digests.subarray(32 * j, 32 * j + 32) : reportDigest(this.sep, reports![j]!));
    if (this.lib) {
      // one recovery a report (libsecp256k1: ≈ 9× the noble batch check per signature, bench:crypto)
      const scratch = new Uint8Array(65);
      for (let j = 0; j < idx.length; j++) {
        const q = this.pub(idx[j]!);
        out[j] = q && checkNative(this.lib, digestAt(j), sigs, j, q, scratch) ? 1 : 0;
      }
      return out;
    }
    const items: VerifyItem[] = [];
    const at: number[] = [];
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const q = this.pub(i);
      if (!q) continue;
      items.push({digest: digestAt(j), sig: unpackSig(sigs, j), q: (this.points[i] ??= pointOfPublicKey(bytesToHex(q))!)});
      at.push(j);
    }
    // recomputed digests: a challenger going through a published tree, expecting a forged leaf
    const ok = verifyBatch(items, (n) => randomBytes(n), {expectBad: !digests});
    for (const [k, j] of at.entries()) out[j] = ok[k] ? 1 : 0;
    return out;
  }
}

type JobBody = {kind: "pubs"} | {kind: "backend"} | {kind: "sign"; idx: Int32Array; reports: Telemetry[]} | {kind: "verify"; idx: Int32Array; sigs: Uint8Array; digests?: Uint8Array; reports?: Telemetry[]} | {kind: "warm"};

/** Sign/verify over `workers` threads (0: in-process). Results in input order. */
export class SignerPool {
  private readonly cores: SignerCore[] = [];
  private readonly threads: Worker[] = [];
  private readonly waiting = new Map<number, (v: unknown) => void>();
  private nextId = 0;
  readonly parts: number;

  constructor(init: Omit<SignerInit, "part" | "of">, workers: number) {
    this.parts = Math.max(1, workers);
    if (workers <= 0) {
      this.cores.push(new SignerCore({...init, part: 0, of: 1}));
      return;
    }
    for (let p = 0; p < workers; p++) {
      // the fallback forced: the threads load no binding at all (keccak included)
      const env = init.native === false ? {...process.env, GAIB_NATIVE: "0"} : process.env;
      const w = new Worker(new URL("./signerWorker.mjs", import.meta.url), {workerData: {...init, part: p, of: workers}, env});
      w.on("message", (m: {id: number; result: unknown}) => {
        this.waiting.get(m.id)?.(m.result);
        this.waiting.delete(m.id);
      });
      w.on("error", (e) => {
        for (const r of this.waiting.values()) r(e);
        this.waiting.clear();
      });
      this.threads.push(w);
    }
  }

  /** Default worker count: the cores there are (2 here), at most 8. */
  static defaultWorkers(): number {
    return Math.min(8, availableParallelism());
  }

  private run<T>(p: number, job: JobBody): Promise<T> {
    if (this.cores.length) {
      const c = this.cores[0]!;
      const j = job;
      if (j.kind === "sign") return Promise.resolve(c.sign(j.idx, j.reports) as T);
      if (j.kind === "verify") return Promise.resolve(c.verify(j.idx, j.sigs, j.digests, j.reports) as T);
      if (j.kind === "pubs") return Promise.resolve(c.publicKeys() as T);
      if (j.kind === "backend") return Promise.resolve(c.backend as T);
      return Promise.resolve(c.warm() as T);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, (v) => (v instanceof Error ? reject(v) : resolve(v as T)));
      this.threads[p]!.postMessage({...job, id});
    });
  }

  /** Positions of `nodeIdx` per part (node index mod parts). */
  private split(nodeIdx: ArrayLike<number>): number[][] {
    const parts: number[][] = Array.from({length: this.parts}, () => []);
    for (let i = 0; i < nodeIdx.length; i++) parts[nodeIdx[i]! % this.parts]!.push(i);
    return parts;
  }

  /** The crypto the threads run (SignerCore.backend), for the bench's table. */
  backend(): Promise<string> {
    return this.run<string>(0, {kind: "backend"});
  }

  async warm(): Promise<void> {
    await Promise.all(Array.from({length: this.parts}, (_, p) => this.run(p, {kind: "warm"})));
  }

  /** Every node's uncompressed public key, derived on the threads (in parallel) and kept there for the checks. */
  async publicKeys(count: number): Promise<Hex[]> {
    const res = await Promise.all(Array.from({length: this.parts}, (_, p) => this.run<Uint8Array>(p, {kind: "pubs"})));
    return Array.from({length: count}, (_, i) => {
      const b = res[i % this.parts]!;
      const j = Math.floor(i / this.parts);
      return bytesToHex(b.subarray(65 * j, 65 * j + 65));
    });
  }

  /** Node nodeIdx[i] signs reports[i]. */
  async sign(nodeIdx: ArrayLike<number>, reports: readonly Telemetry[]): Promise<SignResult> {
    const parts = this.split(nodeIdx);
    const res = await Promise.all(
      parts.map((pos, p) => this.run<SignResult>(p, {kind: "sign", idx: Int32Array.from(pos, (i) => nodeIdx[i]!), reports: pos.map((i) => reports[i]!)})),
    );
    const digests = new Uint8Array(32 * reports.length);
    const sigs = new Uint8Array(65 * reports.length);
    const leaves = new Uint8Array(32 * reports.length);
    for (const [p, pos] of parts.entries()) {
      for (const [j, i] of pos.entries()) {
        digests.set(res[p]!.digests.subarray(32 * j, 32 * j + 32), 32 * i);
        sigs.set(res[p]!.sigs.subarray(65 * j, 65 * j + 65), 65 * i);
        leaves.set(res[p]!.leaves.subarray(32 * j, 32 * j + 32), 32 * i);
      }
    }
    return {digests, sigs, leaves};
  }

  /** Whether report i (signature i, digest i or recomputed from reports[i]) is node nodeIdx[i]'s. */
  async verify(nodeIdx: ArrayLike<number>, sigs: Uint8Array, digests?: Uint8Array, reports?: readonly Telemetry[]): Promise<Uint8Array> {
    const parts = this.split(nodeIdx);
    const res = await Promise.all(
      parts.map((pos, p) => {
        const s = new Uint8Array(65 * pos.length);
        const d = digests ? new Uint8Array(32 * pos.length) : undefined;
        for (const [j, i] of pos.entries()) {
          s.set(sigs.subarray(65 * i, 65 * i + 65), 65 * j);
          d?.set(digests!.subarray(32 * i, 32 * i + 32), 32 * j);
        }
        const job = {kind: "verify" as const, idx: Int32Array.from(pos, (i) => nodeIdx[i]!), sigs: s, ...(d ? {digests: d} : {}), ...(reports ? {reports: pos.map((i) => reports[i]!)} : {})};
        return this.run<Uint8Array>(p, job);
      }),
    );
    const out = new Uint8Array(nodeIdx.length);
    for (const [p, pos] of parts.entries()) for (const [j, i] of pos.entries()) out[i] = res[p]![j]!;
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((w) => w.terminate()));
  }
}
