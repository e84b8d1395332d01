// `npm run dashboard -- [--port <http port, default 8788>] [--config <file>] [--chain-port <home RPC port>]
//   [--data <dir>] [--poll <ms>]`: indexes the GAIB chains (the local three of `npm run local` by default, or those of
// --config, as `npm run index` does) into the embedded store (PGlite in --data, default .indexer/dashboard) or into
// PostgreSQL when DATABASE_URL is set, keeps following them, and serves the transparency page and its JSON API on
// http://127.0.0.1:<port> until Ctrl-C.
import path from "node:path";
import {intArg, parseCli} from "../lib/cli.ts";
import {repoRoot} from "../lib/paths.ts";
import {openDb} from "../indexer/db.ts";
import {chainsFromConfig, localChains} from "../indexer/sources.ts";
import {DEFAULT_PORT, startDashboard} from "./app.ts";

const USAGE = "usage: npm run dashboard -- [--port <http port, default 8788>] [--config <file>] [--chain-port <home RPC port>] [--data <dir>] [--poll <ms>]";
const args = parseCli(USAGE, {
  port: {type: "string"},
  config: {type: "string"},
  "chain-port": {type: "string"},
  data: {type: "string"},
  poll: {type: "string"},
});
const num = (v: string | undefined, what: string, max?: number) => intArg(USAGE, v, what, max);
const port = num(args.port, "port", 65_535) ?? DEFAULT_PORT;
const pollMs = num(args.poll, "poll");
const chains = args.config ? chainsFromConfig(path.resolve(args.config)) : localChains(num(args["chain-port"], "chain-port", 65_535));
if (chains.length === 0) {
  console.error("no chains to index: start them with `npm run local` (writes deployments/local/<chain id>.json) or pass --config <file>");
  process.exit(1);
}
const dataDir = path.resolve(args.data ?? path.join(repoRoot, ".indexer", "dashboard"));
const db = await openDb({dataDir});
console.log(`indexing ${chains.map((c) => `${c.name} (${c.rpcUrl})`).join(", ")} into ${db.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${dataDir}`}`);
let dash;
try {
  dash = await startDashboard(db, chains, {port, ...(pollMs ? {pollMs} : {})});
} catch (e) {
  console.error(`dashboard failed to start: ${(e as Error).message}`);
  await db.close();
  process.exit(1);
}
console.log(`dashboard: ${dash.url}  (API: ${dash.url}/api/summary; Ctrl-C stops)`);
const running = dash;
for (const s of ["SIGINT", "SIGTERM"] as const) {
  process.once(s, () => {
    void running
      .stop()
      .then(() => db.close())
      .finally(() => process.exit(0));
  });
}
