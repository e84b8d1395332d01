// The points ("Spice") campaign settings: config/points.json by default (the local defaults, committed). Every field is
// checked at load; a bad file is an Error naming the field, never a silent default.
import {readFileSync} from "node:fs";
import path from "node:path";
import {repoRoot} from "../lib/paths.ts";

/** What earns points: AID held, sAID held (at NAV), the AID side of an AID/USDC LP position, the sAID side of an
 *  sAID/AID LP position (each while in range). */
export const KINDS = ["aid", "said", "aidLp", "saidLp"] as const;
export type Kind = (typeof KINDS)[number];

export interface PointsConfig {
  /** Chain id of the EIP-712 domain referral signatures are made for (the home chain; 1 locally too). */
  homeChainId: number;
  /** Campaign start and end [unix s]; end null: open (points accrue up to each chain's indexed head). */
  start: number;
  end: number | null;
  /** Points per dollar per day for each kind [bps: 10,000 = 1x]. */
  multiplierBps: Record<Kind, bigint>;
  /** Share of a referee's own points its referrer earns, and the referrer's referrer [bps]. */
  referralBps: readonly [bigint, bigint];
  /** Contract names from the index (`contracts.name`) whose addresses never earn, on every chain. */
  excludeContracts: readonly string[];
  /** Further addresses that never earn (lower case). */
  exclude: readonly string[];
}

export const DEFAULT_POINTS_CONFIG = path.join(repoRoot, "config", "points.json");

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A multiplier or percentage as bps; at most 4 decimals (1.25 -> 12,500). */
function bps(v: unknown, scale: number, where: string): bigint {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${where} must be a non-negative number`);
  const b = Math.round(v * scale);
  if (Math.abs(b - v * scale) > 1e-6 || !Number.isSafeInteger(b)) throw new Error(`${where} has more precision than 1 bp`);
  return BigInt(b);
}

/** A time as unix seconds or an ISO 8601 date. */
function time(v: unknown, where: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === "string" && !Number.isNaN(Date.parse(v))) return Math.floor(Date.parse(v) / 1000);
  throw new Error(`${where} must be unix seconds or an ISO date`);
}

/** Parses and checks a points config object (`where` names it in errors). */
export function parsePointsConfig(j: unknown, where = "points config"): PointsConfig {
  if (!isObj(j)) throw new Error(`${where}: not a JSON object`);
  const {homeChainId, start, end, multipliers, referralPercent, excludeContracts, exclude} = j;
  if (!Number.isSafeInteger(homeChainId) || (homeChainId as number) <= 0) throw new Error(`${where}: "homeChainId" must be a positive integer`);
  if (!isObj(multipliers)) throw new Error(`${where}: "multipliers" must be an object {${KINDS.join(", ")}}`);
  const unknownKind = Object.keys(multipliers).find((k) => !(KINDS as readonly string[]).includes(k));
  if (unknownKind) throw new Error(`${where}: unknown multiplier "${unknownKind}" (kinds: ${KINDS.join(", ")})`);
  const multiplierBps = Object.fromEntries(KINDS.map((k) => [k, bps(multipliers[k], 10_000, `${where}: multipliers.${k}`)])) as Record<Kind, bigint>;
  if (!Array.isArray(referralPercent) || referralPercent.length !== 2) throw new Error(`${where}: "referralPercent" must be [referrer %, referrer's referrer %]`);
  const referralBps = [bps(referralPercent[0], 100, `${where}: referralPercent[0]`), bps(referralPercent[1], 100, `${where}: referralPercent[1]`)] as const;
  const s = time(start, `${where}: "start"`);
  const e = end === null || end === undefined ? null : time(end, `${where}: "end"`);
  if (e !== null && e <= s) throw new Error(`${where}: "end" must be after "start"`);
  const strings = (v: unknown, what: string) => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new Error(`${where}: "${what}" must be a list of strings`);
    return v as string[];
  };
  const ex = strings(exclude, "exclude");
  const bad = ex.find((a) => !/^0x[0-9a-fA-F]{40}$/.test(a));
  if (bad) throw new Error(`${where}: "exclude" has a malformed address ${bad}`);
  return {
    homeChainId: homeChainId as number,
    start: s,
    end: e,
    multiplierBps,
    referralBps,
    excludeContracts: strings(excludeContracts, "excludeContracts"),
    exclude: ex.map((a) => a.toLowerCase()),
  };
}

/** The campaign config in `file` (default config/points.json). */
export function loadPointsConfig(file: string = DEFAULT_POINTS_CONFIG): PointsConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`points config ${file}: ${(e as Error).message}`);
  }
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`points config ${file}: ${(e as Error).message}`);
  }
  return parsePointsConfig(j, file);
}

/** A stable text form of a config (cache keys). */
export const configKey = (c: PointsConfig): string => JSON.stringify(c, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
