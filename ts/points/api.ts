// The points API the dashboard serves (GET /points/:address, GET /points?limit&offset, GET /points.csv,
// POST /referrals): JSON-friendly values (points as decimal strings of 18-decimal fixed point: "1000000000000000000" is
// one point), bad input as PointsInputError with its HTTP status.
import {getAddress} from "viem";
import type {Db} from "../indexer/db.ts";
import {KINDS, loadPointsConfig as loadConfigFile, type PointsConfig} from "./config.ts";
import {pointsTable, type AccountPoints, type PointsTable} from "./compute.ts";
import {bindReferralAt, PointsInputError} from "./referrals.ts";

export {PointsInputError};
export type {PointsConfig};

export interface PointsRow {
  address: `0x${string}`;
  /** decimal string, 18-decimal fixed point */
  points: string;
  /** 1 = most points (ties by address); 0 = no points yet */
  rank: number;
}

export interface PointsDetail extends PointsRow {
  /** own points per kind (aid, said, aidLp, saidLp) */
  byKind: Record<string, string>;
  /** own points per chain name */
  byChain: Record<string, string>;
  /** points earned through referees */
  referral: string;
  referrer: `0x${string}` | null;
}

export const MAX_PAGE = 500;

let defaultConfig: PointsConfig | undefined;
/** The campaign config: `cfg`, or config/points.json (loaded once). */
export const config = (cfg?: PointsConfig) => cfg ?? (defaultConfig ??= loadConfigFile());

/** The campaign config in `file` (default config/points.json). */
export function loadPointsConfig(file?: string): PointsConfig {
  return file === undefined ? loadConfigFile() : loadConfigFile(file);
}

const detail = (p: AccountPoints | undefined, address: string, rank: number, referrer: string | null): PointsDetail => ({
  address: getAddress(address),
  points: (p?.total ?? 0n).toString(),
  rank,
  byKind: Object.fromEntries(KINDS.map((k) => [k, (p?.byKind[k] ?? 0n).toString()])),
  byChain: Object.fromEntries(Object.entries(p?.byChain ?? {}).map(([c, v]) => [c, v.toString()])),
  referral: (p?.referral ?? 0n).toString(),
  referrer: referrer ? getAddress(referrer) : null,
});

/** 400 unless `address` is 0x + 40 hex digits. */
export function checkAddress(address: string): void {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new PointsInputError(400, `malformed address "${String(address)}"`);
}

/** 400 for a limit outside 1..500 or a negative offset. */
export function checkPage(opts: {limit: number; offset: number}): void {
  const {limit, offset} = opts ?? {};
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new PointsInputError(400, `limit must be an integer in 1..${MAX_PAGE}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new PointsInputError(400, "offset must be a non-negative integer");
}

/** An address's points in `t` (a table already computed); 400 for a malformed address. */
export function pointsIn(t: PointsTable, address: string): PointsDetail {
  checkAddress(address);
  const a = address.toLowerCase();
  return detail(t.byAddress.get(a), a, t.rank.get(a) ?? 0, t.referrers.get(a) ?? null);
}

/** A page of `t`'s leaderboard; 400 for a limit outside 1..500 or a negative offset. */
export function leaderboardIn(t: PointsTable, opts: {limit: number; offset: number}): PointsRow[] {
  checkPage(opts);
  const {limit, offset} = opts;
  return t.ranked.slice(offset, offset + limit).map((p, i) => ({address: getAddress(p.address), points: p.total.toString(), rank: offset + i + 1}));
}

const csvs = new WeakMap<PointsTable, string>();
/** `t` as CSV (built once per table). */
export function csvOf(t: PointsTable): string {
  let out = csvs.get(t);
  if (out === undefined) {
    const lines = [["address", "points", ...KINDS, "referral"].join(",")];
    for (const p of t.ranked) lines.push([getAddress(p.address), p.total, ...KINDS.map((k) => p.byKind[k]), p.referral].join(","));
    csvs.set(t, (out = `${lines.join("\n")}\n`));
  }
  return out;
}

/** An address's points; 400 for a malformed address. */
export async function pointsOf(db: Db, address: string, cfg?: PointsConfig): Promise<PointsDetail> {
  checkAddress(address);
  return pointsIn(await pointsTable(db, config(cfg)), address);
}

/** A page of the leaderboard (points desc, then address asc); 400 for a limit outside 1..500 or a negative offset. */
export async function leaderboard(db: Db, opts: {limit: number; offset: number}, cfg?: PointsConfig): Promise<PointsRow[]> {
  checkPage(opts);
  return leaderboardIn(await pointsTable(db, config(cfg)), opts);
}

/** Every account with points, leaderboard order: address, points, each kind, referral (18-decimal fixed point). */
export async function pointsCsv(db: Db, cfg?: PointsConfig): Promise<string> {
  return csvOf(await pointsTable(db, config(cfg)));
}

/** Binds a referee to a referrer from the referee's EIP-712 signature ({referee, referrer, deadline, signature});
 *  400 bad shape, signature or expired deadline; 409 self-referral, cycle or a second binding. */
export function bindReferral(db: Db, body: unknown, cfg?: PointsConfig): Promise<{referee: string; referrer: string}> {
  return bindReferralAt(db, body, config(cfg), BigInt(Math.floor(Date.now() / 1000)));
}
