// The native secp256k1 and keccak-256 of the node simulation (issue 17): libsecp256k1 through `secp256k1` (its
// N-API binding, loaded straight from the package's prebuilt linux-x64 / darwin-arm64 / win32-x64 binaries by
// node-gyp-build: no compiler and no install script needed) and the XKCP keccak of `keccak`. Both are optional at run
// time: where a binding does not load (another platform without a prebuild, a runtime without N-API) or
// `GAIB_NATIVE=0` is set, `loadNative` answers undefined and the simulation stays on @noble/curves / @noble/hashes
// (same digests, signatures and answers; signer.test.ts runs both). The packages' JS fallbacks (`elliptic`, a JS
// keccak) are never loaded: the bindings are required directly.
import {createRequire} from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

/** The part of `secp256k1`'s binding API the simulation uses (Uint8Array in and out). */
export interface NativeSecp256k1 {
  /** RFC 6979 nonce (libsecp256k1's default), low s; `signature` is r ‖ s, `recid` the y parity of R (+2 if x ≥ n). */
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): {signature: Uint8Array; recid: number};
  /** The public key (65 bytes uncompressed with `compressed` false); throws where recovery fails. */
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
  publicKeyCreate(seckey: Uint8Array, compressed: boolean): Uint8Array;
}

export interface Native {
  secp256k1: NativeSecp256k1;
  /** keccak-256 of `data` (32 bytes), or undefined where the keccak binding did not load (noble's then). */
  keccak256?: (data: Uint8Array) => Uint8Array;
}

/** Module names the loader requires; a test swaps them for missing ones (the fallback). */
export interface NativeModules {
  secp256k1: string;
  keccak: string;
}

export const NATIVE_MODULES: NativeModules = {secp256k1: "secp256k1/bindings", keccak: "keccak"};

let cached: Native | null | undefined;

/** The native bindings, or undefined (with `GAIB_NATIVE=0`, or where `secp256k1`'s binding does not load). Cached
 *  for the default module names. */
export function loadNative(modules: NativeModules = NATIVE_MODULES): Native | undefined {
  const useCache = modules === NATIVE_MODULES;
  if (useCache && cached !== undefined) return cached ?? undefined;
  let out: Native | undefined;
  if (process.env.GAIB_NATIVE !== "0") {
    try {
      out = {secp256k1: require(modules.secp256k1) as NativeSecp256k1};
      const k = loadKeccak(modules.keccak);
      if (k) out.keccak256 = k;
    } catch {
      out = undefined;
    }
  }
  if (useCache) cached = out ?? null;
  return out;
}

interface KeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  squeeze(length: number): Buffer;
}

/** keccak-256 on the binding's raw sponge (one state reused: the package's stream wrapper costs more than the hash). */
function loadKeccak(name: string): ((data: Uint8Array) => Uint8Array) | undefined {
  try {
    const dir = path.dirname(require.resolve(`${name}/package.json`));
    const State = createRequire(path.join(dir, "index.js"))("node-gyp-build")(dir) as unknown;
    if (typeof State !== "function") return undefined; // a runtime without N-API
    const st = new (State as new () => KeccakState)();
    return (data) => {
      st.initialize(1088, 512);
      st.absorb(Buffer.from(data.buffer, data.byteOffset, data.length));
      const b = st.squeeze(32);
      return new Uint8Array(b.buffer, b.byteOffset, 32); // a plain Uint8Array, as noble's

    };
  } catch {
    return undefined;
  }
}
