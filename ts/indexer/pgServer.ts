// Test fixture: a throwaway PostgreSQL cluster from the machine's server binaries (Debian `postgresql`: initdb, pg_ctl,
// postgres on PATH, /usr/local/bin or /usr/lib/postgresql/<v>/bin), listening only on a unix socket in its own tmp
// folder, removed by stop(). initdb refuses to run as root: as root the cluster runs as the `postgres` user.
import {execFileSync} from "node:child_process";
import {chownSync, existsSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import {tmpdir, userInfo} from "node:os";
import path from "node:path";
import {run} from "../lib/proc.ts";

export interface PgServer {
  /** postgres://... of the cluster's `postgres` database. */
  url: string;
  /** A fresh empty database in the cluster; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and keeps its data (the database "goes away" under its clients). */
  halt(): Promise<void>;
  /** Starts a halted server again on the same socket, with the same data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** The folder with initdb/pg_ctl/postgres, or undefined when PostgreSQL's server binaries are not installed. */
export function pgBinDir(): string | undefined {
  const dirs = [
    ...(process.env.PATH ?? "").split(":").filter(Boolean),
    "/usr/local/bin",
    ...(existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`) : []),
  ];
  return dirs.find((d) => ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(path.join(d, b))));
}

export const PG_MISSING =
  "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH, in /usr/local/bin or /usr/lib/postgresql/<v>/bin: " +
  "install the Debian package `postgresql` (.ci/run does) to run the PostgreSQL tests";

export async function startPgServer(): Promise<PgServer> {
  const bin = pgBinDir();
  if (!bin) throw new Error(PG_MISSING);
  const dir = mkdtempSync(path.join(tmpdir(), "gaib-pg-"));
  const data = path.join(dir, "data");
  const asRoot = userInfo().uid === 0;
  const user = "postgres";
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", user]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", user]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const exec = async (cmd: string, args: string[]) => {
    const full = path.join(bin, cmd);
    const r = asRoot ? await run("runuser", ["-u", user, "--", full, ...args]) : await run(full, args);
    if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  };
  const remove = () => rmSync(dir, {recursive: true, force: true});
  // no TCP: a socket in the tmp folder; fsync off (a test cluster)
  const start = () => exec("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-c listen_addresses='' -k ${dir} -c fsync=off -p 5432`, "start"]);
  const halt = () => exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  let running = true;
  try {
    await exec("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
    await start();
  } catch (e) {
    remove();
    throw e;
  }
  const urlOf = (db: string) => `postgresql://postgres@localhost/${db}?host=${encodeURIComponent(dir)}&port=5432`;
  const url = urlOf("postgres");
  return {
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const pg = (await import("pg")).default;
      const c = new pg.Client({connectionString: url});
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return urlOf(name);
    },
    async halt() {
      await halt();
      running = false;
    },
    async resume() {
      await start();
      running = true;
    },
    async stop() {
      try {
        if (running) await halt();
      } finally {
        remove();
      }
    },
  };
}
