// `npm run bench:indexer [-- --events 100000] [--rounds 20]`: a synthetic history on Anvil, indexed into the embedded
// store (PGlite in a tmp folder) and into PostgreSQL (a throwaway cluster, when the server binaries are installed), then
// the transparency page's server (ts/dashboard/app.ts) over each index: events per second of the historical sync, and
// p50/p95 of every API route the page polls. Not a test: numbers for README.
//
// The history: one emitter contract per indexed name (AID, StakedAID, and the home contracts the page reads, which emit
// nothing and answer every view call with zeros), 500 events per transaction, one transaction per block: first 5,000
// AID mints (one per account), then AID transfers between the 5,000 accounts, with every tenth transaction 500 sAID
// Deposit events (NAV samples for the points) and every tenth 500 sAID share mints or transfers. Then `--rounds` new
// blocks of 500 events each, indexed one at a time, each followed by what the dashboard's follower does after a step:
// a background points refresh (ts/points/live.ts; the incremental engine replaying one block, ts/points/compute.ts);
// the points routes are timed WHILE that refresh runs (what a user sees: answers from the last complete table), and
// the refresh itself is timed as its own row, against the first request's wait for the replay of the whole history.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {createPublicClient, createWalletClient, encodeAbiParameters, http, toEventSelector, type Address, type Hex} from "viem";
import {foundry} from "viem/chains";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil} from "../lib/anvil.ts";
import {startDashboard} from "../dashboard/app.ts";
import {pointsEngineStats} from "../points/compute.ts";
import {openDb, type Db} from "./db.ts";
import {ChainIndexer} from "./indexer.ts";
import {pgBinDir, startPgServer} from "./pgServer.ts";
import type {IndexedChain} from "./sources.ts";

const PER_TX = 500;
const ACCOUNTS = 5_000n;
const FIRST = 0x1000n; // the accounts are 0x1000 ... 0x1000 + ACCOUNTS - 1
const E18 = 10n ** 18n;
const TRANSFER = BigInt(toEventSelector("Transfer(address,address,uint256)"));
const DEPOSIT = BigInt(toEventSelector("Deposit(address,address,uint256,uint256)"));

// --- the emitter: a few lines of EVM assembly -------------------------------------------------------------------
// calldata: 11 words [n, k, acc, fa, fmul, ts, v0, vs, topic, size, dm]; for i in [0, n):
//   value = v0 + i*vs; mem[0x20] = value; mem[0] = value + k*dm
//   log3(0, size, topic, from = fa + ((k + i) % acc) * fmul, to = 0x1000 + (k + i*ts + 1) % acc)
// Any other calldata (a view call of the page) returns 128 zero bytes.
const OP = {STOP: "00", ADD: "01", MUL: "02", MOD: "06", LT: "10", EQ: "14", ISZERO: "15", MLOAD: "51", MSTORE: "52", JUMP: "56", JUMPI: "57", JUMPDEST: "5b"} as const;
const DUP = (n: number) => (0x7f + n).toString(16);
const CALLDATASIZE = "36";
const CALLDATACOPY = "37";
const RETURN = "f3";
const LOG3 = "a3";
type Item = string | {label: string} | {ref: string};
const push = (v: bigint | number): string => {
  const hex = BigInt(v).toString(16);
  const bytes = Math.max(1, Math.ceil(hex.length / 2));
  return (0x5f + bytes).toString(16) + hex.padStart(bytes * 2, "0");
};
function assemble(items: Item[]): string {
  const at = new Map<string, number>();
  let pc = 0;
  for (const it of items) {
    if (typeof it === "string") pc += it.length / 2;
    else if ("label" in it) at.set(it.label, pc), (pc += 1);
    else pc += 3;
  }
  return items.map((it) => (typeof it === "string" ? it : "label" in it ? OP.JUMPDEST : `61${at.get(it.ref)!.toString(16).padStart(4, "0")}`)).join("");
}
const P = (j: number) => [push(0x40 + 0x20 * j), OP.MLOAD];
const PARAMS = 11;
const RUNTIME = assemble([
  push(PARAMS * 32), CALLDATASIZE, OP.EQ, {ref: "main"}, OP.JUMPI,
  push(0x80), push(0), RETURN,
  {label: "main"},
  push(PARAMS * 32), push(0), push(0x40), CALLDATACOPY,
  push(0),
  {label: "loop"},
  ...P(0), DUP(2), OP.LT, OP.ISZERO, {ref: "end"}, OP.JUMPI,
  ...P(7), DUP(2), OP.MUL, ...P(6), OP.ADD, // [i, value]
  DUP(1), push(0x20), OP.MSTORE, ...P(1), ...P(10), OP.MUL, OP.ADD, push(0), OP.MSTORE, // [i]
  ...P(2), ...P(5), DUP(3), OP.MUL, ...P(1), OP.ADD, push(1), OP.ADD, OP.MOD, push(FIRST), OP.ADD, // [i, to]
  ...P(2), DUP(3), ...P(1), OP.ADD, OP.MOD, ...P(4), OP.MUL, ...P(3), OP.ADD, // [i, to, from]
  ...P(8), ...P(9), push(0), LOG3, // [i]
  push(1), OP.ADD, {ref: "loop"}, OP.JUMP,
  {label: "end"}, OP.STOP,
]); // prettier-ignore
const CREATION = `0x61${(RUNTIME.length / 2).toString(16).padStart(4, "0")}80600c6000396000f3${RUNTIME}` as Hex;

interface Batch {
  k: bigint;
  /** from = 0 (mints) or an account */
  mint?: boolean;
  ts: bigint;
  v0: bigint;
  vs: bigint;
  deposit?: boolean;
}
const calldata = (b: Batch) =>
  encodeAbiParameters(
    Array.from({length: PARAMS}, () => ({type: "uint256"})),
    [BigInt(PER_TX), b.k, ACCOUNTS, b.mint ? 0n : FIRST, b.mint ? 0n : 1n, b.ts, b.v0, b.vs, b.deposit ? DEPOSIT : TRANSFER, b.deposit ? 64n : 32n, b.deposit ? 10n ** 12n : 0n],
  );

// --- the run ------------------------------------------------------------------------------------------------------
const {values} = parseArgs({options: {events: {type: "string", default: "100000"}, rounds: {type: "string", default: "20"}, samples: {type: "string", default: "40"}}});
const target = Number(values.events);
const rounds = Number(values.rounds);
const samples = Number(values.samples);
if (!Number.isSafeInteger(target) || target < 20 * PER_TX) throw new Error(`--events must be an integer >= ${20 * PER_TX}`);
if (!Number.isSafeInteger(rounds) || rounds < 1 || !Number.isSafeInteger(samples) || samples < 2) throw new Error("--rounds and --samples must be positive integers");

const anvil = await startAnvil({chainId: 31_337, extraArgs: ["--gas-limit", "100000000"]});
const dir = mkdtempSync(path.join(tmpdir(), "gaib-bench-"));
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toString());
try {
  const chain = {...foundry, id: 31_337};
  const transport = http(anvil.rpcUrl);
  const client = createPublicClient({chain, transport, cacheTime: 0});
  const wallet = createWalletClient({account: anvilAccount(0), chain, transport});
  let nonce = await client.getTransactionCount({address: anvilAccount(0).address});
  const names = ["AID", "StakedAID", "AIDMinter", "AIDReserve", "DealFactory", "NodeRegistry", "TelemetryOracle"] as const;
  const hashes: Hex[] = [];
  for (const _ of names) hashes.push(await wallet.sendTransaction({data: CREATION, nonce: nonce++}));
  const addr = {} as Record<(typeof names)[number], Address>;
  for (const [i, n] of names.entries()) addr[n] = (await client.waitForTransactionReceipt({hash: hashes[i]!})).contractAddress as Address;

  const send = (to: Address, b: Batch) => wallet.sendTransaction({to, data: calldata(b), gas: 3_000_000n, nonce: nonce++});
  /** the j-th transaction of the history (j >= the mints) */
  const tx = (j: number) => {
    const k = BigInt(j * PER_TX);
    const v = {ts: 7n, v0: E18, vs: 10n ** 15n};
    if (j % 10 === 0) return send(addr.StakedAID, {k, ts: 3n, v0: E18, vs: 10n ** 15n, deposit: true});
    if (j % 10 === 1) return send(addr.StakedAID, {k, mint: j < 60, ts: 3n, v0: E18, vs: 0n});
    return send(addr.AID, {k, ...v});
  };
  let t = performance.now();
  const txs = Math.ceil(target / PER_TX);
  const mints = Number(ACCOUNTS) / PER_TX;
  let last: Hex | undefined;
  for (let j = 0; j < txs; j++) last = await (j < mints ? send(addr.AID, {k: BigInt(j * PER_TX), mint: true, ts: 1n, v0: 1_000_000n * E18, vs: 0n}) : tx(j));
  await client.waitForTransactionReceipt({hash: last!});
  const events = txs * PER_TX;
  console.log(`history: ${events.toLocaleString("en-US")} events in ${txs} transactions (${((performance.now() - t) / 1000).toFixed(1)} s to generate)`);

  const chainCfg: IndexedChain = {name: "bench", chainId: 31_337, rpcUrl: anvil.rpcUrl, contracts: names.map((name) => ({name, address: addr[name]})), batchBlocks: 2_000};
  const someone = (i: number) => `0x${(FIRST + BigInt((i * 997) % Number(ACCOUNTS))).toString(16).padStart(40, "0")}`;
  const ROUTES = [
    "/api/summary",
    "/api/history/collateral",
    "/api/history/said-price",
    "/api/deals?limit=500",
    "/api/positions",
    "/api/nodes",
    "/api/points?limit=10",
    "/api/points/:address",
    "/api/accounts/:address",
    "/api/points.csv",
  ];
  let next = txs; // the next transaction of the story (the new blocks of the first store stay on the chain)
  let indexed = events; // events on the chain
  const results = new Map<string, Map<string, string>>(); // row -> store -> "p50 / p95"
  const put = (row: string, store: string, v: string) => {
    if (!results.has(row)) results.set(row, new Map());
    results.get(row)!.set(store, v);
  };

  const measure = async (label: string, db: Db) => {
    const ix = new ChainIndexer(db, chainCfg);
    t = performance.now();
    await ix.syncToHead();
    const s = (performance.now() - t) / 1000;
    const [{n}] = (await db.query<{n: unknown}>("SELECT count(*) AS n FROM events")) as [{n: unknown}];
    if (Number(n) !== indexed) throw new Error(`${label}: stored ${String(n)} events, expected ${indexed}`);
    put("historical sync", label, `${Math.round(indexed / s).toLocaleString("en-US")} events/s (${s.toFixed(1)} s)`);

    const dash = await startDashboard(db, [chainCfg], {port: 0, follow: false, log: () => {}});
    try {
      const get = async (route: string, i: number) => {
        const url = dash.url + route.replace(":address", someone(i));
        const q0 = performance.now();
        const r = await fetch(url);
        const body = await r.text();
        const dt = performance.now() - q0;
        if (r.status !== 200) throw new Error(`${label} ${url}: ${r.status} ${body.slice(0, 300)}`);
        return dt;
      };
      // the first points request waits for the first table (the server started its refresh: the whole history)
      put("first points request (waits for the first table: full replay)", label, `${ms(await get("/api/points?limit=10", 0))} ms`);
      for (const route of ROUTES) {
        await get(route, 0); // warm (the page's reads at the head block are cached by block hash)
        const lat: number[] = [];
        for (let i = 1; i <= samples; i++) lat.push(await get(route, i));
        put(route, label, `${ms(pct(lat, 0.5))} / ${ms(pct(lat, 0.95))} ms`);
      }
      // new blocks: 500 events each, indexed one at a time; after each, the background refresh the follower starts
      // (kick), with the points routes requested in a row while it runs, and the refresh's own time
      const board: number[] = [];
      const one: number[] = [];
      const refresh: number[] = [];
      const points = dash.dashboard.points;
      const fulls = pointsEngineStats(db)!.full;
      for (let r = 0; r < rounds; r++) {
        const h = await tx(next++);
        const receipt = await client.waitForTransactionReceipt({hash: h});
        indexed += PER_TX;
        await ix.syncToHead();
        const before = points.stats.refreshes;
        points.kick(); // what the follower does after a step that indexed new blocks
        const done = points.idle();
        let running = true;
        void done.then(() => (running = false));
        for (let i = 0; running; i++) {
          board.push(await get("/api/points?limit=10", r * 1000 + i));
          if (running) one.push(await get("/api/points/:address", r * 1000 + i));
        }
        await done;
        if (points.stats.refreshes !== before + 1 || points.current?.table.blocks.get(chainCfg.chainId) !== receipt.blockNumber) throw new Error(`${label}: the refresh did not reach block ${receipt.blockNumber}`);
        refresh.push(points.stats.lastMs);
      }
      const stats = pointsEngineStats(db)!;
      if (stats.full !== fulls) throw new Error(`${label}: the new blocks were replayed from scratch (${stats.lastReset})`);
      console.log(`${label}: ${board.length} + ${one.length} points requests while ${rounds} refreshes ran`);
      put(`/api/points?limit=10 while the refresh after each of ${rounds} new blocks runs`, label, `${ms(pct(board, 0.5))} / ${ms(pct(board, 0.95))} ms`);
      put(`/api/points/:address while it runs`, label, `${ms(pct(one, 0.5))} / ${ms(pct(one, 0.95))} ms`);
      put(`background points refresh after each new block (incremental, ${rounds} blocks)`, label, `${ms(pct(refresh, 0.5))} / ${ms(pct(refresh, 0.95))} ms`);
    } finally {
      await dash.stop();
    }
    console.log(`${label}: done`);
  };

  const stores: string[] = [];
  const lite = await openDb({databaseUrl: null, dataDir: path.join(dir, "pglite")});
  try {
    stores.push("PGlite");
    await measure("PGlite", lite);
  } finally {
    await lite.close();
  }
  if (pgBinDir()) {
    const server = await startPgServer();
    try {
      const pg = await openDb({databaseUrl: await server.createDatabase("bench")});
      try {
        stores.push("PostgreSQL");
        await measure("PostgreSQL", pg);
      } finally {
        await pg.close();
      }
    } finally {
      await server.stop();
    }
  } else console.log("PostgreSQL: server binaries not installed, skipped");

  console.log(`\n| ${events.toLocaleString("en-US")} events, ${ACCOUNTS.toLocaleString("en-US")} accounts | ${stores.map((s) => `${s} (p50 / p95)`).join(" | ")} |`);
  console.log(`|---|${stores.map(() => "---").join("|")}|`);
  for (const [row, per] of results) console.log(`| ${row.startsWith("/") ? `\`${row}\`` : row} | ${stores.map((s) => per.get(s) ?? "-").join(" | ")} |`);
} finally {
  await anvil.stop();
  rmSync(dir, {recursive: true, force: true});
}
