// The transparency page's server: the index kept following the chains (follow.ts), the JSON API over it (route table
// below) and the page's static files (page/, uPlot from node_modules). Freshness: /api/summary says `stale` when a
// chain's RPC or the database cannot be read; then it returns the last numbers it computed, labelled with the block
// they describe, never as current. Points: answered from the last complete table of a background refresh
// (ts/points/live.ts) that each follower step starts, labelled with the blocks it describes (`pointsBlock`).
import type {Server} from "node:http";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {repoRoot} from "../lib/paths.ts";
import type {Db} from "../indexer/db.ts";
import type {IndexedChain} from "../indexer/sources.ts";
import {account, deal, deals, nodes, positions} from "./book.ts";
import {collateralHistory, DashData, NotIndexedError, saidPriceHistory, summary, type Summary} from "./data.ts";
import {follow, type ChainHealth, type Follower} from "./follow.ts";
import {bindReferral, checkAddress, config, csvOf, leaderboardIn, PointsInputError, pointsIn} from "../points/api.ts";
import type {PointsConfig} from "../points/config.ts";
import type {PointsTable} from "../points/compute.ts";
import {LivePoints, PointsNotReady, type ComputePoints, type PointsState} from "../points/live.ts";
import {HttpError, listen, parseAddress, parseId, parsePage, Raw, type Route, type StaticFiles} from "./http.ts";

/** `npm run dashboard`'s HTTP port. */
export const DEFAULT_PORT = 8788;

/** A chain whose last successful index step is older than this is stale even without an error (a hung RPC) [ms]. */
export const STALE_AFTER_MS = 15_000;

export interface Stale {
  /** the last block indexed on `chain` (the numbers shown describe the index up to it) */
  since: bigint | null;
  chain: string;
  reason: string;
}

/** Why the answer is not current, for every chain that cannot be followed now (first: the home chain). */
export function staleOf(health: Iterable<ChainHealth>, indexed: (chainId: number) => bigint | null, now = Date.now()): Stale[] {
  const out: Stale[] = [];
  for (const h of health) {
    const reason = h.error
      ? h.error.database
        ? `database unreadable: ${h.error.message}`
        : `${h.name} unreachable: ${h.error.message}`
      : h.okAt === null
        ? `${h.name} not reached yet`
        : now - h.okAt > STALE_AFTER_MS
          ? `${h.name}: no answer for ${Math.round((now - h.okAt) / 1000)} s`
          : null;
    if (reason) out.push({since: indexed(h.chainId), chain: h.name, reason});
  }
  return out;
}

/** An error the page shows as "stale" (503): the index or a chain cannot answer now. */
class Unavailable extends HttpError {
  readonly extra: object;
  constructor(message: string, stale: Stale) {
    super(503, message);
    this.extra = {stale};
  }
}

export class Dashboard {
  readonly data: DashData;
  readonly follower: Follower | undefined;
  /** the points table the points routes answer from, refreshed in the background */
  readonly points: LivePoints;
  private last: Summary | undefined;
  /** the last failure of this server's own database reads (cleared by the next read that succeeds) */
  private dbFailure: string | null = null;

  constructor(data: DashData, follower?: Follower, points?: LivePoints) {
    this.data = data;
    this.follower = follower;
    this.points = points ?? LivePoints.of(data.db, config());
  }

  private homeChain() {
    return this.data.chains.find((c) => c.contracts.some((x) => x.name === "AIDReserve")) ?? this.data.chains[0]!;
  }

  /** The database is known to be unreadable now: a follower step or one of this server's reads failed on it. */
  private databaseDown(): Stale | undefined {
    const fromFollower = this.staleNow().find((x) => x.reason.startsWith("database unreadable"));
    if (fromFollower) return fromFollower;
    if (this.dbFailure) return {since: this.last?.block ?? null, chain: this.homeChain().name, reason: this.dbFailure};
    return undefined;
  }

  /** What a points answer carries next to its numbers: the blocks its table describes, whether a newer one is being
   *  computed, and `pointsStale` when the last background refresh failed (the table is then behind the index). */
  pointsAsOf(s: PointsState) {
    const blocks = s.table.blocks;
    const home = blocks.get(this.homeChain().chainId) ?? null;
    const err = this.points.error;
    return {
      pointsBlock: home,
      pointsBlocks: Object.fromEntries(this.data.chains.filter((c) => blocks.has(c.chainId)).map((c) => [c.name, blocks.get(c.chainId)!])),
      pointsComputedAt: new Date(s.at).toISOString(),
      pointsRefreshing: this.points.refreshing,
      pointsStale: err ? {since: home, reason: `points refresh failed: ${err.message}`} : null,
    };
  }

  /** A points answer from the last complete table: never waits for a refresh (only for the first table); 503 when
   *  the database is known to be down (the numbers could not be brought up to date). */
  private async fromPoints<T>(fn: (t: PointsTable) => T): Promise<{asOf: ReturnType<Dashboard["pointsAsOf"]>; out: T}> {
    const down = this.databaseDown();
    if (down) throw new Unavailable(down.reason, down);
    const s = await this.points.table();
    return {asOf: this.pointsAsOf(s), out: fn(s.table)};
  }

  private staleNow(): Stale[] {
    if (!this.follower) return [];
    const home = this.homeChain().chainId;
    const health = [...this.follower.health.values()].sort((a, b) => Number(b.chainId === home) - Number(a.chainId === home));
    return staleOf(health, (id) => this.last?.chains.find((c) => c.chainId === id)?.indexedBlock ?? null);
  }

  /** /api/summary: the headline numbers at the indexed heads, with `stale` null when every chain and the database
   *  answered; otherwise the last numbers computed and `stale: {since, chain, reason}`. */
  async summary() {
    let fresh: Summary | undefined;
    let failure: string | undefined;
    try {
      fresh = await summary(this.data);
      this.last = fresh;
      this.dbFailure = null;
    } catch (e) {
      failure = what(e, this.data.home.name);
      if (failure.startsWith("database unreadable")) this.dbFailure = failure;
    }
    const stale = this.staleNow();
    if (failure && !stale.some((x) => x.chain === this.data.home.name)) stale.unshift({since: this.last?.block ?? null, chain: this.data.home.name, reason: failure});
    const s = fresh ?? this.last;
    if (!s) throw new Unavailable(failure ?? "not indexed yet", stale[0]!);
    // each chain's head as its RPC last reported it, next to the indexed block
    const chains = s.chains.map((c) => ({...c, rpcHead: this.follower?.health.get(c.chainId)?.head ?? null}));
    // the points table the points routes answer from (null before the first): the page re-reads them when it moves
    const pts = this.points.current;
    const points = pts ? this.pointsAsOf(pts) : null;
    return {...s, chains, stale: stale[0] ?? null, staleChains: stale, points};
  }

  /** Runs `fn`; a failure of the index or a chain (not the caller's) becomes a 503 with the stale info. */
  async guard<T>(fn: () => Promise<T>, readsDb = true): Promise<T> {
    try {
      const out = await fn();
      if (readsDb) this.dbFailure = null;
      return out;
    } catch (e) {
      if (e instanceof HttpError) throw e;
      const reason = what(e, this.homeChain().name);
      if (readsDb && reason.startsWith("database unreadable")) this.dbFailure = reason;
      throw new Unavailable(reason, {since: this.last?.block ?? null, chain: this.homeChain().name, reason});
    }
  }

  /** The API. One line per endpoint. */
  routes(): Route[] {
    const d = this.data;
    const g = <T>(fn: () => Promise<T>) => this.guard(fn);
    const p = <T>(fn: () => Promise<T>, readsDb = false) =>
      this.guard(async () => {
        try {
          return await fn();
        } catch (e) {
          throw e instanceof PointsInputError ? new HttpError(e.status, e.message) : e;
        }
      }, readsDb);
    return [
      {method: "GET", path: "/api/summary", handler: () => this.summary()},
      {method: "GET", path: "/api/history/collateral", handler: ({query}) => g(() => collateralHistory(d, parsePage(query, 200).limit))},
      {method: "GET", path: "/api/history/said-price", handler: ({query}) => g(() => saidPriceHistory(d, parsePage(query, 200).limit))},
      {method: "GET", path: "/api/deals", handler: ({query}) => g(() => deals(d, parsePage(query)))},
      {method: "GET", path: "/api/deals/:id", handler: ({params}) => g(() => deal(d, parseId(params.id, "deal id")))},
      {method: "GET", path: "/api/positions", handler: () => g(() => positions(d))},
      {method: "GET", path: "/api/nodes", handler: () => g(() => nodes(d))},
      {method: "GET", path: "/api/accounts/:address", handler: ({params}) => g(() => account(d, parseAddress(params.address)))},
      // points (ts/points/api.ts): its input errors keep their 400/404/409
      // from the last complete table of the background refresh, with the blocks it describes (pointsBlock)
      {
        method: "GET",
        path: "/api/points",
        handler: ({query}) =>
          p(async () => {
            const page = parsePage(query);
            const {asOf, out} = await this.fromPoints((t) => leaderboardIn(t, page));
            return {...asOf, rows: out};
          }),
      },
      {
        method: "GET",
        path: "/api/points.csv",
        handler: () =>
          p(async () => {
            const {asOf, out} = await this.fromPoints(csvOf);
            return new Raw(out, "text/csv; charset=utf-8", {"x-points-block": String(asOf.pointsBlock ?? "")});
          }),
      },
      {
        method: "GET",
        path: "/api/points/:address",
        handler: ({params}) =>
          p(async () => {
            checkAddress(params.address!); // 400 before anything else
            const {asOf, out} = await this.fromPoints((t) => pointsIn(t, params.address!));
            return {...out, ...asOf};
          }),
      },
      {
        method: "POST",
        path: "/api/referrals",
        handler: ({body}) =>
          p(async () => {
            const r = await bindReferral(d.db, body);
            this.points.kick(); // the referral shares change: a new table in the background
            return r;
          }, true),
      },
    ];
  }
}

const short = (e: unknown) => ((e as {shortMessage?: string}).shortMessage ?? (e as Error).message ?? String(e)).split("\n")[0]!;
/** What could not be read: a chain (viem errors carry `shortMessage`) or the database. */
const what = (e: unknown, chain: string) => (e instanceof NotIndexedError ? e.message : e instanceof PointsNotReady ? `points not computed yet: ${e.message}` : `${(e as {shortMessage?: string}).shortMessage !== undefined ? `${chain} RPC` : "database"} unreadable: ${short(e)}`);

const pageDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "page");
/** The page, its script, and uPlot served from node_modules (installed by npm, never committed). */
export const PAGE_FILES: StaticFiles = {
  "/": path.join(pageDir, "index.html"),
  "/index.html": path.join(pageDir, "index.html"),
  "/app.js": path.join(pageDir, "app.js"),
  "/style.css": path.join(pageDir, "style.css"),
  "/vendor/uPlot.esm.js": path.join(repoRoot, "node_modules", "uplot", "dist", "uPlot.esm.js"),
  "/vendor/uPlot.min.css": path.join(repoRoot, "node_modules", "uplot", "dist", "uPlot.min.css"),
};

export interface DashboardOptions {
  /** HTTP port on 127.0.0.1 (0: any free port). */
  port: number;
  /** Keep indexing the chains (default true). */
  follow?: boolean;
  pollMs?: number;
  /** Endpoints served next to the dashboard's own (e.g. the points API). */
  extraRoutes?: (dashboard: Dashboard) => Route[];
  log?: (line: string) => void;
  /** The points campaign (default config/points.json), or the computation itself (tests: a controllable stub). */
  points?: {config?: PointsConfig; compute?: ComputePoints};
}

export interface RunningDashboard {
  url: string;
  dashboard: Dashboard;
  server: Server;
  stop(): Promise<void>;
}

/** Follows `chains` into `db` and serves the page and its API. */
export async function startDashboard(db: Db, chains: readonly IndexedChain[], opts: DashboardOptions): Promise<RunningDashboard> {
  const data = new DashData(db, chains);
  const logOpt = opts.log ? {log: opts.log} : {};
  const points = opts.points?.compute ? new LivePoints(opts.points.compute, logOpt) : LivePoints.of(db, config(opts.points?.config), logOpt);
  // after each step that changed the index (or when the last refresh failed / none exists yet): refresh in the background
  const onStep = (_id: number, r: {kind: string}) => {
    if (r.kind === "synced" || r.kind === "reorg" || points.error || !points.current) points.kick();
  };
  const follower = opts.follow === false ? undefined : follow(db, chains, {...(opts.pollMs ? {pollMs: opts.pollMs} : {}), ...logOpt, onStep});
  const dashboard = new Dashboard(data, follower, points);
  points.kick(); // the table of the index as it is at start
  try {
    const {server, url} = await listen([...dashboard.routes(), ...(opts.extraRoutes?.(dashboard) ?? [])], PAGE_FILES, opts.port, opts.log);
    return {
      url,
      dashboard,
      server,
      async stop() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await follower?.stop();
        await points.idle(); // no refresh left reading a database the caller closes next
      },
    };
  } catch (e) {
    await follower?.stop();
    throw e;
  }
}
