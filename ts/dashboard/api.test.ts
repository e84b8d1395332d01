// The dashboard API's contract without a chain: bad input gets 400/404 JSON `{error}`, unknown paths 404, a chain
// that cannot be read 503 with the stale info; extra routes (the points API's shape: errors with `.status`, a CSV
// export) plug into the same table; the page and uPlot are served; the freshness rule; the PostgreSQL server stopped
// under a running dashboard: the summary flagged stale since the indexed block, every other route a 503 with the stale info.
import {createTestClient, http} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {openDb, type Db} from "../indexer/db.ts";
import {startPgServer, type PgServer} from "../indexer/pgServer.ts";
import type {IndexedChain} from "../indexer/sources.ts";
import {STALE_AFTER_MS, staleOf, startDashboard, type RunningDashboard} from "./app.ts";
import {MAX_LIMIT, Raw} from "./http.ts";

const A = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
/** A home chain whose RPC nobody serves (port 1): every answer below comes from the index alone. */
const CHAIN: IndexedChain = {
  name: "ethereum",
  chainId: 1,
  rpcUrl: "http://127.0.0.1:1",
  contracts: [
    {name: "AID", address: A(1)},
    {name: "AIDMinter", address: A(2)},
    {name: "AIDReserve", address: A(3)},
    {name: "StakedAID", address: A(4)},
    {name: "DealFactory", address: A(5)},
  ],
};

class InputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

describe("dashboard API", () => {
  let db: Db;
  let dash: RunningDashboard;
  const get = async (path: string, init?: RequestInit) => {
    const r = await fetch(`${dash.url}${path}`, init);
    const text = await r.text();
    return {status: r.status, type: r.headers.get("content-type") ?? "", text, body: (r.headers.get("content-type") ?? "").startsWith("application/json") ? (JSON.parse(text) as Record<string, unknown>) : undefined};
  };

  beforeAll(async () => {
    db = await openDb({databaseUrl: null});
    await db.query(`INSERT INTO chains (chain_id, name, start_block, cursor_block, cursor_hash) VALUES (1, 'ethereum', 0, 10, '0xaa')`);
    await db.query(`INSERT INTO blocks (chain_id, number, hash, parent_hash, block_time) VALUES (1, 10, '0xaa', '0x99', 1700000000)`);
    dash = await startDashboard(db, [CHAIN], {
      port: 0,
      follow: false,
      log: () => {},
      extraRoutes: () => [
        {method: "GET", path: "/api/test/conflict/:who", handler: ({params}) => Promise.reject(new InputError(409, `${params.who} already bound`))},
        {method: "POST", path: "/api/test/echo", handler: ({body}) => ({got: body})},
        {method: "GET", path: "/api/test/csv", handler: () => new Raw("address,points\n0x1,2\n", "text/csv; charset=utf-8")},
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await dash?.stop();
    await db?.close();
  });

  it("unknown paths and methods get JSON 404 / 405", async () => {
    expect(await get("/api/nope")).toMatchObject({status: 404, body: {error: "no such endpoint: /api/nope"}});
    expect(await get("/nothing/here")).toMatchObject({status: 404});
    expect(await get("/api/summary", {method: "POST"})).toMatchObject({status: 405, body: {error: "POST not allowed on /api/summary"}});
  });

  it("a malformed deal id is 400, an unknown one 404", async () => {
    for (const id of ["abc", "-1", "1.5", "0x10", "9".repeat(31)]) {
      expect(await get(`/api/deals/${id}`)).toMatchObject({status: 400, body: {error: expect.stringMatching(/^deal id must be a non-negative decimal integer/)}});
    }
    expect(await get("/api/deals/7")).toMatchObject({status: 404, body: {error: "no deal 7 at block 10"}});
  });

  it("limit must be an integer in 1..500 and offset a non-negative integer", async () => {
    for (const q of ["limit=501", "limit=1000000000", "limit=0", "limit=abc", "limit=-5", "limit=1e3", "offset=x", "offset=-1"]) {
      const r = await get(`/api/deals?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body!.error, q).toMatch(/^(limit|offset) must be/);
    }
    expect(await get("/api/history/collateral?limit=99999")).toMatchObject({status: 400});
    expect(await get(`/api/deals?limit=${MAX_LIMIT}&offset=3`)).toMatchObject({status: 200, body: {total: 0, limit: MAX_LIMIT, offset: 3, deals: [], block: "10"}});
  });

  it("a malformed address is 400; a well-formed one reads balances from the index", async () => {
    for (const a of ["0x1234", "0xZZ00000000000000000000000000000000000000", "hello", `${A(9)}00`]) {
      expect(await get(`/api/accounts/${a}`)).toMatchObject({status: 400, body: {error: expect.stringMatching(/^address must be a 20-byte hex address/)}});
    }
    expect(await get(`/api/accounts/${A(9)}`)).toMatchObject({status: 200, body: {chains: [{name: "ethereum", aid: "0", saidShares: "0", indexedBlock: "10"}]}});
  });

  it("a chain it cannot read is a 503 with the stale info, never a number", async () => {
    const r = await get("/api/summary");
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({stale: {chain: "ethereum", since: null}});
    expect(r.body).not.toHaveProperty("reserve");
    expect(await get("/api/positions")).toMatchObject({status: 503, body: {stale: {chain: "ethereum"}}});
  });

  it("extra routes join the table: errors with .status keep it, POST bodies arrive parsed, CSV passes through", async () => {
    expect(await get("/api/test/conflict/alice")).toMatchObject({status: 409, body: {error: "alice already bound"}});
    expect(await get("/api/test/echo", {method: "POST", body: JSON.stringify({a: 1}), headers: {"content-type": "application/json"}})).toMatchObject({status: 200, body: {got: {a: 1}}});
    expect(await get("/api/test/echo", {method: "POST", body: "{nope"})).toMatchObject({status: 400, body: {error: "body is not valid JSON"}});
    expect(await get("/api/test/csv")).toMatchObject({status: 200, type: "text/csv; charset=utf-8", text: "address,points\n0x1,2\n"});
  });

  it("serves the page and uPlot from node_modules", async () => {
    const page = await get("/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-testid="stale-banner"');
    expect(page.text).toContain('data-testid="points-panel"');
    const lib = await get("/vendor/uPlot.esm.js");
    expect(lib).toMatchObject({status: 200, type: "text/javascript; charset=utf-8"});
    expect(lib.text).toContain("export");
    expect((await get("/app.js")).text).toContain('from "/vendor/uPlot.esm.js"');
  });
});

describe("freshness rule", () => {
  const h = (over: object) => ({name: "arbitrum", chainId: 42161, head: 5n, okAt: 1_000_000, error: null, ...over});
  it("a chain whose last step failed, or that has not answered for a while, is stale since its indexed block", () => {
    const indexed = () => 77n;
    expect(staleOf([h({})], indexed, 1_000_000 + STALE_AFTER_MS)).toEqual([]);
    expect(staleOf([h({})], indexed, 1_000_001 + STALE_AFTER_MS)).toEqual([{since: 77n, chain: "arbitrum", reason: "arbitrum: no answer for 15 s"}]);
    expect(staleOf([h({error: {message: "fetch failed", at: 1}})], indexed, 1_000_000)).toEqual([{since: 77n, chain: "arbitrum", reason: "arbitrum unreachable: fetch failed"}]);
    expect(staleOf([h({okAt: null})], () => null, 0)).toEqual([{since: null, chain: "arbitrum", reason: "arbitrum not reached yet"}]);
  });
  // before the fix, a follower step that failed on the database read "arbitrum unreachable: <db error>"
  it("follow_dbDownStaleReasonNamesTheDatabase: a step failing on the database is 'database unreadable', not the chain", () => {
    const error = {message: "Connection terminated unexpectedly", at: 1, database: true};
    expect(staleOf([h({error})], () => 77n, 1_000_000)).toEqual([{since: 77n, chain: "arbitrum", reason: "database unreadable: Connection terminated unexpectedly"}]);
  });
});

describe("dashboard API when the database goes away (PostgreSQL, DATABASE_URL mode)", () => {
  // a home chain that answers every view call with zeros (the page's reads succeed), indexed up to block 5 in a
  // throwaway PostgreSQL cluster that is then stopped under the running dashboard (0x1..0x9 are precompiles: shifted)
  const B = (n: number) => A(0x1000 + n);
  const chain: IndexedChain = {...CHAIN, contracts: CHAIN.contracts.map((c, i) => ({...c, address: B(i + 1)}))};
  let anvil: Anvil;
  let pg: PgServer | undefined;
  let db: Db;
  let dash: RunningDashboard;
  const get = async (path: string) => {
    const r = await fetch(`${dash.url}${path}`);
    return {status: r.status, body: (await r.json()) as Record<string, unknown>};
  };

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 1});
    const rpc = createTestClient({mode: "anvil", transport: http(anvil.rpcUrl)});
    for (const c of chain.contracts) await rpc.setCode({address: c.address, bytecode: "0x60806000f3"}); // return 128 zero bytes
    await rpc.mine({blocks: 5});
    pg = await startPgServer();
    db = await openDb({databaseUrl: await pg.createDatabase("api_db_down")});
    await db.query(`INSERT INTO chains (chain_id, name, start_block, cursor_block, cursor_hash) VALUES (1, 'ethereum', 0, 5, '0xaa')`);
    await db.query(`INSERT INTO blocks (chain_id, number, hash, parent_hash, block_time) VALUES (1, 4, '0x99', '0x98', 1700000000), (1, 5, '0xaa', '0x99', 1700086400)`);
    await db.query(`INSERT INTO contracts (chain_id, address, name, from_block, dynamic) VALUES (1, $1, 'AID', 0, false)`, [B(1)]);
    // a mint of 10 AID to A(9) at block 4: one day before the head, 10 points
    await db.query(
      `INSERT INTO events VALUES (1, 4, 0, '0x99', '0x01', 0, 1700000000, $1, 'AID', 'Transfer', $2::jsonb)`,
      [B(1), JSON.stringify({from: A(0), to: A(9), value: (10n * 10n ** 18n).toString()})],
    );
    dash = await startDashboard(db, [{...chain, rpcUrl: anvil.rpcUrl}], {port: 0, follow: false, log: () => {}});
  }, 120_000);
  afterAll(async () => {
    await dash?.stop();
    await db?.close().catch(() => {});
    await pg?.stop();
    await anvil?.stop();
  });

  // before the fix, the pool's idle connections dying with the server were an uncaught exception ('error' event of
  // pg.Pool without a listener): "Error: Connection terminated unexpectedly" ended the process
  it("db down: idle pool connections dying do not crash the process; the last numbers are flagged stale since the indexed block, the rest is 503", async () => {
    const up = await get("/api/summary");
    expect(up).toMatchObject({status: 200, body: {block: "5", stale: null, aid: {totalSupply: (10n * 10n ** 18n).toString()}}});
    expect(await get(`/api/points/${A(9)}`)).toMatchObject({status: 200, body: {points: (10n * 10n ** 18n).toString(), rank: 1}});

    await pg!.stop();
    pg = undefined;
    const down = await get("/api/summary");
    // the page shows "stale since block 5" with the reason, over the last numbers it was given
    expect(down).toMatchObject({status: 200, body: {block: "5", stale: {since: "5", chain: "ethereum", reason: expect.stringMatching(/^database unreadable: /)}}});
    expect(down.body.aid).toEqual(up.body.aid);
    for (const path of ["/api/points?limit=10", `/api/points/${A(9)}`, "/api/deals", `/api/accounts/${A(9)}`, "/api/positions"]) {
      const r = await get(path);
      expect(r, path).toMatchObject({status: 503, body: {error: expect.stringMatching(/^database unreadable: /), stale: {since: "5", chain: "ethereum"}}});
      expect(r.body, path).not.toHaveProperty("points");
    }
  });
});
