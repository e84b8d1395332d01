// `npm run points -- [--address 0x..] [--top <n>] [--csv] [--config <file>] [--data <dir>]`: the points ("Spice") of
// the index that `npm run index` wrote (PGlite in --data, default .indexer/pglite, or PostgreSQL when DATABASE_URL is
// set): one address's breakdown, the top of the leaderboard (default 10), or the whole table as CSV. PGlite serves one
// process at a time: stop the indexer first (or use PostgreSQL).
import {existsSync} from "node:fs";
import path from "node:path";
import {formatUnits} from "viem";
import {openDb} from "../indexer/db.ts";
import {intArg, parseCli} from "../lib/cli.ts";
import {repoRoot} from "../lib/paths.ts";
import {leaderboard, loadPointsConfig, pointsCsv, pointsOf, PointsInputError} from "./api.ts";

const USAGE = "usage: npm run points -- [--address 0x..] [--top <n, 1-500>] [--csv] [--config <file>] [--data <dir>]";
const args = parseCli(USAGE, {
  address: {type: "string"},
  top: {type: "string"},
  csv: {type: "boolean"},
  config: {type: "string"},
  data: {type: "string"},
});
const top = intArg(USAGE, args.top, "top");

const fmt = (v: string) => Number(formatUnits(BigInt(v), 18)).toLocaleString("en-US", {maximumFractionDigits: 4});
const dataDir = path.resolve(args.data ?? path.join(repoRoot, ".indexer", "pglite"));
if (!process.env.DATABASE_URL && !existsSync(dataDir)) {
  console.error(`no index at ${dataDir}: run \`npm run index\` first (or set DATABASE_URL, or pass --data <dir>)`);
  process.exit(1);
}
let cfg;
try {
  cfg = loadPointsConfig(args.config === undefined ? undefined : path.resolve(args.config));
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const db = await openDb({dataDir});
try {
  if (args.csv) {
    process.stdout.write(await pointsCsv(db, cfg));
  } else if (args.address !== undefined) {
    const p = await pointsOf(db, args.address, cfg);
    console.log(`${p.address}: ${fmt(p.points)} points${p.rank ? ` (rank ${p.rank})` : ""}`);
    for (const [k, v] of Object.entries(p.byKind)) console.log(`  ${k.padEnd(8)} ${fmt(v).padStart(20)}`);
    console.log(`  ${"referral".padEnd(8)} ${fmt(p.referral).padStart(20)}${p.referrer ? `   (referred by ${p.referrer})` : ""}`);
    for (const [chain, v] of Object.entries(p.byChain)) console.log(`  on ${chain}: ${fmt(v)}`);
  } else {
    const rows = await leaderboard(db, {limit: top ?? 10, offset: 0}, cfg);
    if (rows.length === 0) console.log("no points yet");
    for (const r of rows) console.log(`${String(r.rank).padStart(4)}  ${r.address}  ${fmt(r.points).padStart(20)}`);
  }
} catch (e) {
  console.error(e instanceof PointsInputError ? `${e.message}\n${USAGE}` : `points failed: ${(e as Error).message}`);
  process.exitCode = e instanceof PointsInputError ? 2 : 1;
} finally {
  await db.close();
}
