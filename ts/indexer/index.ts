// `npm run index -- [--config <file>] [--port <home port>] [--data <dir>] [--once] [--confirmations <n>]
//   [--batch <blocks>] [--poll <ms>]`: indexes the GAIB chains into the embedded store (PGlite in --data, default
// .indexer/pglite) or into PostgreSQL when DATABASE_URL is set, and keeps following them (until Ctrl-C) unless --once.
// Without --config it follows the local chains of `npm run local` (127.0.0.1:8545, 8546, 8547 with the records in
// deployments/local/).
import path from "node:path";
import {intArg, parseCli} from "../lib/cli.ts";
import {repoRoot} from "../lib/paths.ts";
import {openDb} from "./db.ts";
import {runIndexer} from "./run.ts";
import {chainsFromConfig, localChains, type IndexedChain} from "./sources.ts";

const USAGE = "usage: npm run index -- [--config <file>] [--port <home port>] [--data <dir>] [--once] [--confirmations <n>] [--batch <blocks>] [--poll <ms>]";
const args = parseCli(USAGE, {
  config: {type: "string"},
  port: {type: "string"},
  data: {type: "string"},
  once: {type: "boolean"},
  confirmations: {type: "string"},
  batch: {type: "string"},
  poll: {type: "string"},
});
const num = (v: string | undefined, what: string) => intArg(USAGE, v, what);
const confirmations = num(args.confirmations, "confirmations");
const batch = num(args.batch, "batch");
let chains: IndexedChain[] = args.config ? chainsFromConfig(path.resolve(args.config)) : localChains(num(args.port, "port"));
if (chains.length === 0) {
  console.error("no chains to index: start them with `npm run local` (writes deployments/local/<chain id>.json) or pass --config <file>");
  process.exit(1);
}
chains = chains.map((c) => ({...c, ...(confirmations !== undefined ? {confirmations} : {}), ...(batch !== undefined ? {batchBlocks: batch} : {})}));

const dataDir = path.resolve(args.data ?? path.join(repoRoot, ".indexer", "pglite"));
const db = await openDb({dataDir});
console.log(`indexing ${chains.map((c) => `${c.name} (${c.rpcUrl})`).join(", ")} into ${db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${dataDir}`}`);
const abort = new AbortController();
for (const s of ["SIGINT", "SIGTERM"] as const) process.once(s, () => abort.abort());
try {
  await runIndexer(db, chains, {follow: !args.once, signal: abort.signal, ...(args.poll ? {pollMs: num(args.poll, "poll")!} : {})});
  const [n] = await db.query<{n: unknown}>("SELECT count(*) AS n FROM events");
  console.log(`${abort.signal.aborted ? "stopped" : "done"}: ${String(n?.n)} events stored`);
} catch (e) {
  console.error(`indexer failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
