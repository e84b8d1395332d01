// Typed reader of script/config/<network>.json (the chain configs the forge scripts read through
// script/lib/ChainConfig.sol; see script/config/README.md and /work/notes/LZSCHEMA.md for the `layerzero` object).
// `GAIB_CONFIG_DIR` overrides the folder and `GAIB_ENDPOINT` the endpoint, exactly as in the scripts.
import {existsSync, readFileSync, readdirSync} from "node:fs";
import path from "node:path";
import {getAddress, zeroAddress, type Address} from "viem";
import {repoRoot} from "./paths.ts";

/** Default enforced lzReceive gas when a config has no `oft.lzReceiveGas` (ChainConfig.DEFAULT_LZ_RECEIVE_GAS). */
export const DEFAULT_LZ_RECEIVE_GAS = 200_000n; // [gas]

/** The `layerzero` object: this chain's message libraries, executor and DVN policy. */
export interface LzConfig {
  sendLib: Address;
  receiveLib: Address;
  executor: Address;
  maxMessageSize: number; // [bytes]
  confirmations: bigint; // [blocks] for messages SENT FROM this chain
  requiredDVNs: Address[]; // sorted ascending
  optionalDVNs: Address[]; // sorted ascending
  optionalDVNThreshold: number;
  minRequiredDVNs: number;
}

export interface ChainConfig {
  file: string;
  name: string;
  chainId: number;
  eid: number;
  home: boolean;
  endpoint: Address;
  /** Zero in a development config (the deployer stays admin). */
  finalAdmin: Address;
  /** `roles.*`, checksummed; absent or zero roles are left out. */
  roles: Record<string, Address>;
  peers: number[];
  limit: bigint; // [wad] per window, each direction
  window: bigint; // [s]
  lzReceiveGas: bigint; // [gas]
  layerzero?: LzConfig | undefined;
}

/** The config folder: `GAIB_CONFIG_DIR` (relative to the repo or absolute), default script/config. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(repoRoot, env.GAIB_CONFIG_DIR ?? path.join("script", "config"));
}

type Json = Record<string, unknown>;

function addr(v: unknown, what: string): Address {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw new Error(`${what}: not an address (${String(v)})`);
  return getAddress(v);
}

function num(v: unknown, what: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  throw new Error(`${what}: not an unsigned integer (${String(v)})`);
}

function parseLz(j: Json, file: string): LzConfig {
  const list = (k: string) => {
    const v = j[k] ?? [];
    if (!Array.isArray(v)) throw new Error(`${file}: layerzero.${k} is not a list`);
    return v.map((a, i) => addr(a, `${file}: layerzero.${k}[${i}]`));
  };
  return {
    sendLib: addr(j.sendLib, `${file}: layerzero.sendLib`),
    receiveLib: addr(j.receiveLib, `${file}: layerzero.receiveLib`),
    executor: addr(j.executor, `${file}: layerzero.executor`),
    maxMessageSize: Number(num(j.maxMessageSize, `${file}: layerzero.maxMessageSize`)),
    confirmations: num(j.confirmations, `${file}: layerzero.confirmations`),
    requiredDVNs: list("requiredDVNs"),
    optionalDVNs: list("optionalDVNs"),
    optionalDVNThreshold: Number(num(j.optionalDVNThreshold ?? 0, `${file}: layerzero.optionalDVNThreshold`)),
    minRequiredDVNs: Number(num(j.minRequiredDVNs ?? 2, `${file}: layerzero.minRequiredDVNs`)),
  };
}

/** Reads `<dir>/<network>.json`. */
export function loadChainConfig(network: string, env: NodeJS.ProcessEnv = process.env, dir = configDir(env)): ChainConfig {
  const file = path.join(dir, `${network}.json`);
  if (!existsSync(file)) throw new Error(`no chain config ${path.relative(repoRoot, file)}`);
  return parseChainConfig(JSON.parse(readFileSync(file, "utf8")) as Json, file, env);
}

export function parseChainConfig(j: Json, file: string, env: NodeJS.ProcessEnv = process.env): ChainConfig {
  const oft = (j.oft ?? {}) as Json;
  const roles: Record<string, Address> = {};
  for (const [k, v] of Object.entries((j.roles ?? {}) as Json)) {
    const a = addr(v, `${file}: roles.${k}`);
    if (a !== zeroAddress) roles[k] = a;
  }
  return {
    file,
    name: String(j.name),
    chainId: Number(num(j.chainId, `${file}: chainId`)),
    eid: Number(num(j.eid, `${file}: eid`)),
    home: j.home === true,
    endpoint: addr(env.GAIB_ENDPOINT ?? j.endpoint, `${file}: endpoint`),
    finalAdmin: j.finalAdmin === undefined ? zeroAddress : addr(j.finalAdmin, `${file}: finalAdmin`),
    roles,
    peers: ((oft.peers ?? []) as unknown[]).map((p) => Number(num(p, `${file}: oft.peers`))),
    limit: num(oft.limit ?? 0, `${file}: oft.limit`),
    window: num(oft.window ?? 0, `${file}: oft.window`),
    lzReceiveGas: oft.lzReceiveGas === undefined ? DEFAULT_LZ_RECEIVE_GAS : num(oft.lzReceiveGas, `${file}: oft.lzReceiveGas`),
    layerzero: j.layerzero === undefined ? undefined : parseLz(j.layerzero as Json, file),
  };
}

/** Every config in `dir`, by endpoint id (the peers' configs: their names and `layerzero.confirmations`). As
 *  `ChainConfig.peerConfirmations` in the scripts: a config with a `layerzero` object wins over one without, and two
 *  configs with one for the same endpoint id are an error. */
export function loadAllChainConfigs(env: NodeJS.ProcessEnv = process.env, dir = configDir(env)): Map<number, ChainConfig> {
  const out = new Map<number, ChainConfig>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const c = loadChainConfig(f.slice(0, -".json".length), env, dir);
    const seen = out.get(c.eid);
    if (seen?.layerzero && c.layerzero) throw new Error(`${dir}: two configs with a layerzero object for eid ${c.eid}`);
    if (!seen || (c.layerzero && !seen.layerzero)) out.set(c.eid, c);
  }
  return out;
}
