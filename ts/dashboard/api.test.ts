// The dashboard API's contract without a chain: bad input gets 400/404 JSON `{error}`, unknown paths 404, a chain
// that cannot be read 503 with the stale info; extra routes (the points API's shape: errors with `.status`, a CSV
// export) plug into the same table; the page and uPlot are served; the freshness rule; the PostgreSQL server stopped
// under a running dashboard and its follower: the summary flagged stale since the indexed block, every other route a 503
// with the stale info; started again: the follower resumes and the page is current with the right numbers.
import {createTestClient, getAddress, http} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mockERC20Abi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {startTokenChain, type TokenChain} from "../indexer/testChain.ts";
import {computePoints} from "../points/compute.ts";
import {loadPointsConfig} from "../points/config.ts";
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

describe("dashboard API when the database goes away and comes back (PostgreSQL, DATABASE_URL mode, follower running)", () => {
  // an Anvil token chain standing in for AID, with the home contracts the page reads answering every view call with
  // zeros (0x1..0x9 are precompiles: shifted), followed by the dashboard into a throwaway PostgreSQL cluster whose
  // server is then stopped under the running follower and API, and started again
  const B = (n: number) => A(0x1000 + n);
  let chain: TokenChain;
  let pg: PgServer | undefined;
  let db: Db;
  let dash: RunningDashboard;
  const cfg = loadPointsConfig();
  const get = async (path: string) => {
    const r = await fetch(`${dash.url}${path}`);
    return {status: r.status, body: (await r.json()) as Record<string, unknown>};
  };
  const who = anvilAccount(1).address;
  const until = async (what: string, cond: () => Promise<boolean>, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  /** The page is current at `head`: the summary (not stale) and the points table both describe it. */
  const currentAt = async (head: bigint) => {
    const s = await get("/api/summary");
    const p = s.status === 200 ? await get("/api/points?limit=10") : undefined;
    return s.status === 200 && s.body.stale === null && s.body.block === head.toString() && p?.status === 200 && p.body.pointsBlock === head.toString() && p.body.pointsStale === null;
  };
  /** The summary and the points equal what the chain and a from-scratch computation say at `head`. */
  const rightNumbers = async (head: bigint) => {
    const supply = (await chain.client.readContract({address: chain.token, abi: mockERC20Abi, functionName: "totalSupply", blockNumber: head})) as bigint;
    expect((await get("/api/summary")).body).toMatchObject({block: head.toString(), stale: null, aid: {totalSupply: supply.toString()}});
    const scratch = await computePoints(db, cfg);
    expect(scratch.blocks.get(31_337)).toBe(head);
    expect(scratch.byAddress.get(who.toLowerCase())!.total).toBeGreaterThan(0n);
    const mine = await get(`/api/points/${who}`);
    expect(mine).toMatchObject({status: 200, body: {pointsBlock: head.toString(), points: scratch.byAddress.get(who.toLowerCase())!.total.toString(), rank: scratch.rank.get(who.toLowerCase())}});
    expect((await get("/api/points?limit=10")).body.rows).toEqual(scratch.ranked.slice(0, 10).map((p, i) => ({address: getAddress(p.address), points: p.total.toString(), rank: i + 1})));
  };

  beforeAll(async () => {
    chain = await startTokenChain();
    const rpc = createTestClient({mode: "anvil", transport: http(chain.anvil.rpcUrl)});
    for (const c of CHAIN.contracts.slice(1)) await rpc.setCode({address: B(Number(BigInt(c.address))), bytecode: "0x60806000f3"}); // return 128 zero bytes
    await chain.activity(3);
    await rpc.increaseTime({seconds: 86_400}); // a day held: the holders' points are well above zero
    await rpc.mine({blocks: 1});
    pg = await startPgServer();
    db = await openDb({databaseUrl: await pg.createDatabase("api_db_down")});
    const indexed: IndexedChain = {
      ...chain.indexed(),
      name: "ethereum",
      contracts: [{name: "AID", address: chain.token}, ...CHAIN.contracts.slice(1).map((c) => ({...c, address: B(Number(BigInt(c.address)))}))],
    };
    dash = await startDashboard(db, [indexed], {port: 0, pollMs: 200, log: () => {}});
  }, 120_000);
  afterAll(async () => {
    await dash?.stop();
    await db?.close().catch(() => {});
    await pg?.stop();
    await chain?.stop();
  });

  // before the fix, the pool's idle connections dying with the server were an uncaught exception ('error' event of
  // pg.Pool without a listener): "Error: Connection terminated unexpectedly" ended the process
  it("db down: the last numbers are flagged 'stale since block N' naming the database, the data routes answer 503; db back: the follower resumes and the page is current with the right numbers", async () => {
    const h1 = await chain.client.getBlockNumber();
    await until("the page current at the head", () => currentAt(h1));
    await rightNumbers(h1);
    const up = await get("/api/summary");

    await pg!.halt();
    await chain.activity(2); // new blocks while the database is away: the follower cannot index them
    const h2 = await chain.client.getBlockNumber();
    await until("the stale summary", async () => ((await get("/api/summary")).body.stale as {since?: string} | null)?.since === h1.toString());
    const down = await get("/api/summary");
    // the page shows "stale since block h1" with the reason naming the database, over the last numbers it was given
    expect(down).toMatchObject({status: 200, body: {block: h1.toString(), stale: {since: h1.toString(), chain: "ethereum", reason: expect.stringMatching(/^database unreadable: /)}}});
    expect(down.body.aid).toEqual(up.body.aid);
    for (const path of ["/api/points?limit=10", `/api/points/${who}`, "/api/points.csv", "/api/deals", `/api/accounts/${who}`, "/api/positions"]) {
      const r = await get(path);
      expect(r, path).toMatchObject({status: 503, body: {error: expect.stringMatching(/^database unreadable: /), stale: {since: h1.toString(), chain: "ethereum"}}});
      expect(r.body, path).not.toHaveProperty("points");
      expect(r.body, path).not.toHaveProperty("rows");
    }
    // the follower keeps failing on the database, and the process lives on
    expect(dash.dashboard.follower!.health.get(31_337)!.error).toMatchObject({database: true});

    await pg!.resume();
    await until("the page current at the new head", () => currentAt(h2));
    expect(dash.dashboard.follower!.health.get(31_337)!.error).toBeNull();
    await rightNumbers(h2);
  });
});
