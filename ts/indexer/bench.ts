// `npm run bench:indexer [-- --events 100000]`: a synthetic history on Anvil (a contract that emits AID-shaped
// Transfer events, 500 per transaction, one transaction per block), then a historical sync of it into the embedded
// store (PGlite in a tmp folder) and into PostgreSQL (a throwaway cluster, when the server binaries are installed):
// events per second, and the latency of a balance query over the indexed transfers. Not a test: numbers for README.
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {parseArgs} from "node:util";
import {createPublicClient, createWalletClient, encodeAbiParameters, http, toEventSelector, type Address, type Hex} from "viem";
import {foundry} from "viem/chains";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil} from "../lib/anvil.ts";
import {openDb, type Db} from "./db.ts";
import {ChainIndexer} from "./indexer.ts";
import {pgBinDir, startPgServer} from "./pgServer.ts";

const PER_TX = 500;
const TRANSFER = toEventSelector("Transfer(address,address,uint256)").slice(2);
// runtime: for i in [0, calldata[0]): mstore(0, i); log3(0, 32, Transfer, caller, i)
const RUNTIME = `6000356000` + `5b8181101561004057` + `80600052` + `8033` + `7f${TRANSFER}` + `60206000a3` + `600101600556` + `5b00`;
const CREATION = `0x60${(RUNTIME.length / 2).toString(16).padStart(2, "0")}80600b6000396000f3${RUNTIME}` as Hex;

const {values} = parseArgs({options: {events: {type: "string", default: "100000"}}});
const target = Number(values.events);
if (!Number.isSafeInteger(target) || target < PER_TX) throw new Error(`--events must be an integer >= ${PER_TX}`);

const anvil = await startAnvil({chainId: 31_337, extraArgs: ["--gas-limit", "100000000"]});
const dir = mkdtempSync(path.join(tmpdir(), "gaib-bench-"));
try {
  const chain = {...foundry, id: 31_337};
  const transport = http(anvil.rpcUrl);
  const client = createPublicClient({chain, transport, cacheTime: 0});
  const wallet = createWalletClient({account: anvilAccount(0), chain, transport});
  const deployed = await client.waitForTransactionReceipt({hash: await wallet.sendTransaction({data: CREATION})});
  const emitter = deployed.contractAddress as Address;

  let t = performance.now();
  const txs = Math.ceil(target / PER_TX);
  let nonce = await client.getTransactionCount({address: anvilAccount(0).address});
  const hashes: Hex[] = [];
  for (let i = 0; i < txs; i++) {
    hashes.push(await wallet.sendTransaction({to: emitter, data: encodeAbiParameters([{type: "uint256"}], [BigInt(PER_TX)]), gas: 3_000_000n, nonce: nonce++}));
  }
  for (const h of hashes.slice(-1)) await client.waitForTransactionReceipt({hash: h});
  const events = txs * PER_TX;
  const head = await client.getBlockNumber();
  console.log(`history: ${events.toLocaleString("en-US")} events in ${txs} transactions, ${head} blocks (${((performance.now() - t) / 1000).toFixed(1)} s to generate)`);

  const chainCfg = {name: "bench", chainId: 31_337, rpcUrl: anvil.rpcUrl, contracts: [{name: "AID", address: emitter}], batchBlocks: 2_000};
  const measure = async (label: string, db: Db) => {
    t = performance.now();
    await new ChainIndexer(db, chainCfg).syncToHead();
    const s = (performance.now() - t) / 1000;
    const [{n}] = (await db.query<{n: unknown}>("SELECT count(*) AS n FROM events")) as [{n: unknown}];
    if (Number(n) !== events) throw new Error(`${label}: stored ${String(n)} events, expected ${events}`);
    // the page's kind of query: one address's AID balance from the indexed transfers
    const lat: number[] = [];
    for (let i = 0; i < 40; i++) {
      const who = `0x${(i * 7 + 1).toString(16).padStart(40, "0")}`;
      const q0 = performance.now();
      await db.query(`SELECT COALESCE(sum(CASE WHEN "to" = $1 THEN value ELSE -value END), 0)::text AS b FROM aid_transfers WHERE "to" = $1 OR "from" = $1`, [who]);
      lat.push(performance.now() - q0);
    }
    lat.sort((a, b) => a - b);
    const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!.toFixed(1);
    console.log(`${label.padEnd(10)} ${Math.round(events / s).toLocaleString("en-US").padStart(8)} events/s (${s.toFixed(1)} s)   balance query p50 ${p(0.5)} ms, p95 ${p(0.95)} ms`);
  };

  const lite = await openDb({databaseUrl: null, dataDir: path.join(dir, "pglite")});
  try {
    await measure("PGlite", lite);
  } finally {
    await lite.close();
  }
  if (pgBinDir()) {
    const server = await startPgServer();
    try {
      const pg = await openDb({databaseUrl: await server.createDatabase("bench")});
      try {
        await measure("PostgreSQL", pg);
      } finally {
        await pg.close();
      }
    } finally {
      await server.stop();
    }
  } else console.log("PostgreSQL: server binaries not installed, skipped");
} finally {
  await anvil.stop();
  rmSync(dir, {recursive: true, force: true});
}
