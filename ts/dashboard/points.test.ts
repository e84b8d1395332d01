// The dashboard's background points refresh (ts/points/live.ts) under a running follower, on an Anvil token chain
// indexed into PGlite: the points routes answer from the last COMPLETE table (with the block it describes) while a
// refresh is in progress, switch to the new block's table in one step when it ends, coalesce the kicks that arrive
// meanwhile into one follow-up, and a refresh that fails leaves the last table served with a stale marker (logged),
// the process alive, and the next refresh recovering. The computation is the real pointsTable behind a gate the test
// opens: what is "in progress" is decided by the test, not by timing.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {anvilAccount} from "../lib/accounts.ts";
import {openDb, type Db} from "../indexer/db.ts";
import {startTokenChain, type TokenChain} from "../indexer/testChain.ts";
import {computePoints, pointsTable, type PointsTable} from "../points/compute.ts";
import {loadPointsConfig} from "../points/config.ts";
import {startDashboard, type RunningDashboard} from "./app.ts";

const cfg = loadPointsConfig();

class Deferred<T = void> {
  resolve!: (v: T) => void;
  readonly promise = new Promise<T>((r) => (this.resolve = r));
}

/** Polls `cond` every 50 ms until it holds (a condition, not a sleep: fails with `what` after `ms`). */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Board = {pointsBlock: string; pointsRefreshing: boolean; pointsStale: {since: string; reason: string} | null; rows: {address: string; points: string; rank: number}[]};
const rowsOf = (t: PointsTable) => t.ranked.slice(0, 10).map((p, i) => ({points: p.total.toString(), rank: i + 1, address: expect.stringMatching(new RegExp(`^${p.address}$`, "i"))}));

describe("background points refresh behind a running follower (Anvil token chain, PGlite)", () => {
  let chain: TokenChain;
  let db: Db;
  let dash: RunningDashboard;
  const logs: string[] = [];
  /** when set, the next computation announces itself (`entered`) and waits for `release` */
  let gate: {entered: Deferred; release: Deferred} | null = null;
  let failing: Error | null = null;
  let computes = 0;
  const compute = async () => {
    computes++;
    const g = gate;
    if (g) {
      gate = null;
      g.entered.resolve();
      await g.release.promise;
    }
    if (failing) throw failing;
    return pointsTable(db, cfg);
  };
  const hold = () => (gate = {entered: new Deferred(), release: new Deferred()});
  const get = async <T = Record<string, unknown>>(path: string) => {
    const r = await fetch(`${dash.url}${path}`);
    return {status: r.status, body: (r.headers.get("content-type") ?? "").startsWith("application/json") ? ((await r.json()) as T) : ((await r.text()) as unknown as T), headers: r.headers};
  };
  const indexedTo = async (block: bigint) => {
    const [c] = await db.query<{cursor_block: unknown}>(`SELECT cursor_block FROM chains`);
    return c !== undefined && BigInt(String(c.cursor_block)) === block;
  };
  const who = anvilAccount(1).address;

  beforeAll(async () => {
    chain = await startTokenChain();
    await chain.activity(3);
    await chain.test.increaseTime({seconds: 86_400}); // a day held: the holders' points are well above zero
    await chain.test.mine({blocks: 1});
    db = await openDb({databaseUrl: null});
  }, 120_000);
  afterAll(async () => {
    gate?.release.resolve();
    await dash?.stop();
    await db?.close();
    await chain?.stop();
  });

  it("a request before the first table waits for it; then the API answers from the last complete table while a refresh runs, and switches to the new block's table at once", async () => {
    const first = hold();
    dash = await startDashboard(db, [chain.indexed()], {port: 0, pollMs: 100, log: (l) => logs.push(l), points: {compute}});
    await first.entered.promise; // the first refresh runs (held)
    let answered = false;
    const early = get<Board>("/api/points?limit=10").then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false); // no table yet: the request waits for the first one instead of answering without it
    first.release.resolve();
    const r0 = await early;
    expect(r0.status).toBe(200);
    expect(r0.body.rows.length).toBeGreaterThan(0);

    // the follower catches up with the head, the background refresh follows it
    const b1 = await chain.client.getBlockNumber();
    await until("the index and the points at the head", async () => (await indexedTo(b1)) && dash.dashboard.points.current?.table.blocks.get(31_337) === b1 && !dash.dashboard.points.refreshing);
    const t1 = dash.dashboard.points.current!.table;
    const board1 = await get<Board>("/api/points?limit=10");
    expect(board1).toMatchObject({status: 200, body: {pointsBlock: b1.toString(), pointsRefreshing: false, pointsStale: null, rows: rowsOf(t1)}});
    const mine1 = await get<Record<string, unknown>>(`/api/points/${who}`);
    expect(mine1.body).toMatchObject({pointsBlock: b1.toString(), points: t1.byAddress.get(who.toLowerCase())!.total.toString()});

    // new blocks: the follower indexes them and kicks a refresh, which the test holds in progress
    const held = hold();
    const before = computes;
    await chain.activity(2);
    await held.entered.promise;
    const b2 = await chain.client.getBlockNumber();
    await until("the index at the new head", () => indexedTo(b2));
    // more blocks while it runs: their kicks coalesce into ONE follow-up
    await chain.activity(1);
    const b3 = await chain.client.getBlockNumber();
    await until("the index at the newest head", () => indexedTo(b3));
    expect(dash.dashboard.points.refreshing).toBe(true);
    // (and two more kicks, as from further steps: how many the follower made meanwhile depends on its polling)
    dash.dashboard.points.kick();
    dash.dashboard.points.kick();
    // answered while the refresh is held: the previous complete table, labelled with its block (not the index's head)
    for (let i = 0; i < 5; i++) {
      const b = await get<Board>("/api/points?limit=10");
      expect(b).toMatchObject({status: 200, body: {pointsBlock: b1.toString(), pointsRefreshing: true, rows: board1.body.rows}});
      expect((await get<Record<string, unknown>>(`/api/points/${who}`)).body).toMatchObject({pointsBlock: b1.toString(), points: mine1.body.points});
      const csv = await get<string>("/api/points.csv");
      expect(csv.headers.get("x-points-block")).toBe(b1.toString());
    }
    // release: every answer from now on is either the old table or the complete new one, and the switch happens once
    const seen: Board[] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) seen.push((await get<Board>("/api/points?limit=10")).body);
    })();
    held.release.resolve();
    await dash.dashboard.points.idle();
    done = true;
    await watcher;
    expect(computes - before).toBe(2); // the held refresh and one follow-up for every kick that came meanwhile
    expect(dash.dashboard.points.stats.coalesced).toBeGreaterThanOrEqual(2);
    const t3 = dash.dashboard.points.current!.table;
    expect(t3.blocks.get(31_337)).toBe(b3);
    const board3 = await get<Board>("/api/points?limit=10");
    expect(board3.body).toMatchObject({pointsBlock: b3.toString(), pointsRefreshing: false, pointsStale: null, rows: rowsOf(t3)});
    const blocks = seen.map((s) => s.pointsBlock);
    const switched = blocks.indexOf(b3.toString());
    for (const [i, s] of seen.entries()) expect(s.rows, `answer ${i}`).toEqual(i < switched || switched < 0 ? board1.body.rows : board3.body.rows);
    expect(blocks.every((b, i) => b === (switched < 0 || i < switched ? b1 : b3).toString())).toBe(true);
    // and the table the background computed incrementally equals one from scratch
    expect(JSON.stringify(t3.ranked, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(
      JSON.stringify((await computePoints(db, cfg)).ranked, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    );
  });

  it("a background refresh that fails keeps the last table served with a stale marker and a log line; the process lives and the next refresh recovers", async () => {
    const b3 = dash.dashboard.points.current!.table.blocks.get(31_337)!;
    failing = new Error("synthetic refresh failure");
    await chain.activity(1);
    const b4 = await chain.client.getBlockNumber();
    await until("the failed refresh", () => dash.dashboard.points.error !== null);
    const b = await get<Board>("/api/points?limit=10");
    expect(b).toMatchObject({status: 200, body: {pointsBlock: b3.toString(), pointsStale: {since: b3.toString(), reason: "points refresh failed: synthetic refresh failure"}}});
    expect((await get<Record<string, unknown>>(`/api/points/${who}`)).body).toMatchObject({pointsBlock: b3.toString(), pointsStale: {since: b3.toString()}});
    expect(logs.filter((l) => l.includes("points: background refresh failed: synthetic refresh failure"))).toHaveLength(1); // logged once, not per retry
    // the follower keeps retrying the refresh at every step; once it can compute again, the page is current
    failing = null;
    await until("the recovered refresh", () => dash.dashboard.points.error === null && dash.dashboard.points.current?.table.blocks.get(31_337) === b4);
    const after = await get<Board>("/api/points?limit=10");
    expect(after.body).toMatchObject({pointsBlock: b4.toString(), pointsStale: null, rows: rowsOf(dash.dashboard.points.current!.table)});
    expect(logs.some((l) => l.startsWith("points: refreshed again"))).toBe(true);
  });
});
