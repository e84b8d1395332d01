// The indexer's two stores behind one interface: embedded PGlite (Postgres compiled to wasm, a folder on disk or in
// memory) by default, a real PostgreSQL server when DATABASE_URL is set. Both run the same SQL (schema.ts) with
// `$1` parameters; int8 columns may come back as number (PGlite) or string (pg): read them through `big()`.
import {PGlite} from "@electric-sql/pglite";
import pg from "pg";
import {SCHEMA} from "./schema.ts";

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  kind: "pglite" | "postgres";
  /** Runs `fn` in one transaction: everything it writes is committed together or not at all. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite: the data folder as a tarball (a template for `DbOptions.loadDataDir`). */
  dump?(): Promise<Blob>;
}

export interface DbOptions {
  /** postgres://... : a PostgreSQL server; undefined: process.env.DATABASE_URL; null: the embedded store. */
  databaseUrl?: string | null | undefined;
  /** PGlite data folder (created if missing); undefined: in memory. */
  dataDir?: string | undefined;
  /** PGlite: start from this dump (`Db.dump()`) instead of running initdb (seconds faster; tests). */
  loadDataDir?: Blob | undefined;
}

/** A column value as bigint (int8 is a number in PGlite, a string in pg). */
export const big = (v: unknown): bigint => BigInt(v as string);

/** Opens the store `opts` names (DATABASE_URL wins) and creates the schema if needed. */
export async function openDb(opts: DbOptions = {}): Promise<Db> {
  const url = opts.databaseUrl === undefined ? process.env.DATABASE_URL : opts.databaseUrl;
  const db = url ? await openPostgres(url) : await openPglite(opts.dataDir, opts.loadDataDir);
  try {
    await db.tx(async (q) => {
      // one migration at a time when several indexers share a server
      if (db.kind === "postgres") await q.query("SELECT pg_advisory_xact_lock(741015)");
      for (const stmt of SCHEMA) await q.query(stmt);
    });
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Promise<Db> {
  const lite = await PGlite.create({...(dataDir ? {dataDir} : {}), ...(loadDataDir ? {loadDataDir} : {})});
  const query = async <T>(sql: string, params: readonly unknown[] = []) => (await lite.query<T>(sql, params as unknown[])).rows;
  return {
    kind: "pglite",
    query,
    tx: (fn) => lite.transaction((t) => fn({query: async <T>(sql: string, params: readonly unknown[] = []) => (await t.query<T>(sql, params as unknown[])).rows})),
    close: () => lite.close(),
    dump: async () => (await lite.dumpDataDir("none")) as Blob,
  };
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({connectionString: url, max: 4});
  // an idle connection the server drops (restart, crash, network) is an 'error' event on the pool: unhandled, it is an
  // uncaught exception that ends the process (the dashboard, the indexer). The pool discards that client; the next
  // query opens a new one or fails to its caller (the dashboard answers stale, the follower retries).
  pool.on("error", () => {});
  const query = async <T>(sql: string, params: readonly unknown[] = []) => (await pool.query(sql, params as unknown[])).rows as T[];
  // fail at open, not at the first query, when the server is unreachable
  await query("SELECT 1");
  return {
    kind: "postgres",
    query,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn({query: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[]});
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
