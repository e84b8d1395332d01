// Resumable: `npm run index` (ts/indexer/index.ts) killed with SIGKILL mid-sync, then started again, leaves the same
// index as one uninterrupted run; on the embedded store (a PGlite folder) and on PostgreSQL (DATABASE_URL).
import {spawn} from "node:child_process";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {repoRoot} from "../lib/paths.ts";
import {openDb} from "./db.ts";
import {ChainIndexer, snapshot} from "./indexer.ts";
import {Stores, startTokenChain, type StoreKind, type TokenChain} from "./testChain.ts";

const stores = new Stores();
let c: TokenChain;
let dir: string;
let config: string;

beforeAll(async () => {
  c = await startTokenChain();
  await c.activity(120, 2);
  dir = mkdtempSync(path.join(tmpdir(), "gaib-indexer-"));
  writeFileSync(path.join(dir, "record.json"), JSON.stringify({home: false, aid: c.token}));
  config = path.join(dir, "indexer.json");
  writeFileSync(config, JSON.stringify({chains: [{name: "local", chainId: 31_337, rpcUrl: c.anvil.rpcUrl, deployment: "record.json", batchBlocks: 2}]}));
});
afterAll(async () => {
  await c?.stop();
  await stores.stop();
  if (dir) rmSync(dir, {recursive: true, force: true});
});

/** Runs `npm run index -- --once` as a child; with `killAfter`, SIGKILLs it once it has printed that many batches. */
function indexer(args: string[], env: NodeJS.ProcessEnv, killAfter?: number): Promise<{killed: boolean; out: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "ts/indexer/index.ts", "--config", config, "--once", ...args], {
      cwd: repoRoot,
      env: {...process.env, ...env},
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let batches = 0;
    const onData = (b: Buffer) => {
      out += b.toString();
      batches = (out.match(/: blocks \d+-\d+ of/g) ?? []).length;
      if (killAfter !== undefined && batches >= killAfter && child.exitCode === null) child.kill("SIGKILL");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve({killed: true, out});
      else if (code === 0) resolve({killed: false, out});
      else reject(new Error(`indexer exited ${code}:\n${out}`));
    });
  });
}

describe.each<StoreKind>(["pglite", "postgres"])("npm run index on %s", (kind) => {
  it("killed with SIGKILL mid-sync and restarted: the same index as one uninterrupted run", async () => {
    const dataDir = path.join(dir, `data-${kind}`);
    const url = kind === "postgres" ? await stores.url() : undefined;
    const args = kind === "pglite" ? ["--data", dataDir] : [];
    const env: NodeJS.ProcessEnv = url ? {DATABASE_URL: url} : {DATABASE_URL: ""};
    const open = () => openDb(url ? {databaseUrl: url} : {databaseUrl: null, dataDir});
    const head = await c.client.getBlockNumber();

    const first = await indexer(args, env, 3);
    expect(first.killed).toBe(true);
    let db = await open();
    const cursor = await new ChainIndexer(db, c.indexed()).cursor();
    await db.close();
    // stopped part-way: some batches committed, not all
    expect(cursor!.block).toBeGreaterThanOrEqual(5n);
    expect(cursor!.block).toBeLessThan(head);

    const second = await indexer(args, env);
    expect(second.killed).toBe(false);
    expect(second.out).toContain(`local: at head ${head}`);
    db = await open();
    const resumed = await snapshot(db);
    await db.close();

    const once = await stores.open(kind);
    await new ChainIndexer(once, c.indexed({batchBlocks: 10_000})).syncToHead();
    const uninterrupted = await snapshot(once);
    await once.close();
    expect(uninterrupted.events.length).toBeGreaterThan(240);
    expect(resumed).toEqual(uninterrupted);
  });
});
