// The indexer core on both stores (embedded PGlite, a throwaway PostgreSQL cluster): what it stores, reorgs through
// anvil_reorg, confirmations, and incremental = full re-index.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createWalletClient, encodeAbiParameters, getAddress, http, parseUnits, toEventSelector, type Address, type Hex} from "viem";
import {foundry} from "viem/chains";
import {mockERC20Abi, mockERC20Bytecode} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {big, type Db} from "./db.ts";
import {ChainIndexer, snapshot} from "./indexer.ts";
import type {IndexedChain} from "./sources.ts";
import {Stores, startTokenChain, type StoreKind, type TokenChain} from "./testChain.ts";

const stores = new Stores();
afterAll(() => stores.stop());

describe.each<StoreKind>(["pglite", "postgres"])("indexer on %s", (kind) => {
  let c: TokenChain;
  const dbs: Db[] = [];
  const open = async () => {
    const db = await stores.open(kind);
    dbs.push(db);
    return db;
  };
  /** A fresh index of the chain as it is now, in one pass. */
  const freshOf = async (chain: IndexedChain) => {
    const db = await open();
    await new ChainIndexer(db, {...chain, batchBlocks: 10_000}).syncToHead();
    return snapshot(db);
  };
  const fresh = () => freshOf(c.indexed());

  beforeAll(async () => {
    c = await startTokenChain();
    await c.activity(30, 3);
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await c?.stop();
  });

  it("stores every Transfer decoded, with block number, log index, tx hash, block timestamp and chain id", async () => {
    const db = await open();
    await new ChainIndexer(db, c.indexed({batchBlocks: 7})).syncToHead();
    const onChain = await c.client.getContractEvents({address: c.token, abi: mockERC20Abi, eventName: "Transfer", fromBlock: 0n});
    const rows = await db.query<{chain_id: number; block_number: unknown; log_index: number; tx_hash: string; block_hash: string; block_time: unknown; event: string; args: {from: string; to: string; value: string}}>(
      `SELECT * FROM events ORDER BY block_number, log_index`,
    );
    expect(rows.length).toBe(onChain.length);
    expect(onChain.length).toBeGreaterThan(90);
    for (const [i, log] of onChain.entries()) {
      const r = rows[i]!;
      expect(r.chain_id).toBe(31_337);
      expect(big(r.block_number)).toBe(log.blockNumber);
      expect(r.log_index).toBe(log.logIndex);
      expect(r.tx_hash).toBe(log.transactionHash);
      expect(r.block_hash).toBe(log.blockHash);
      expect(big(r.block_time)).toBe((await c.client.getBlock({blockNumber: log.blockNumber})).timestamp);
      expect(r.event).toBe("Transfer");
      expect(r.args).toEqual({from: log.args.from, to: log.args.to, value: log.args.value!.toString()});
    }
    // the aid_transfers view rebuilds every balance and the supply
    const balances = await db.query<{who: string; bal: string}>(
      `SELECT who, sum(v)::text AS bal FROM (SELECT "to" AS who, value AS v FROM aid_transfers UNION ALL SELECT "from", -value FROM aid_transfers) x
       WHERE who <> '0x0000000000000000000000000000000000000000' GROUP BY who`,
    );
    expect(balances.length).toBe(4);
    let supply = 0n;
    for (const b of balances) {
      expect(BigInt(b.bal)).toBe(await c.client.readContract({address: c.token, abi: mockERC20Abi, functionName: "balanceOf", args: [b.who as Address]}));
      supply += BigInt(b.bal);
    }
    expect(supply).toBe(await c.client.readContract({address: c.token, abi: mockERC20Abi, functionName: "totalSupply"}));
  });

  it("incremental sync (1-block batches, new blocks mined in between) equals a full re-index", async () => {
    const db = await open();
    const ix = new ChainIndexer(db, c.indexed({batchBlocks: 1}));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 15; i++) await ix.step();
      await c.activity(3, 2);
    }
    await ix.syncToHead();
    const incremental = await snapshot(db);
    expect(incremental.chains[0]).toMatchObject({cursor_block: String(await c.client.getBlockNumber())});
    expect(await fresh()).toEqual(incremental);
  });

  it("keeps `confirmations` blocks off the index and indexes them once deep enough", async () => {
    const db = await open();
    const ix = new ChainIndexer(db, c.indexed({confirmations: 5}));
    await ix.syncToHead();
    const head = await c.client.getBlockNumber();
    expect(await ix.cursor()).toMatchObject({block: head - 5n});
    const [{n}] = (await db.query<{n: unknown}>(`SELECT max(block_number) AS n FROM events`)) as [{n: unknown}];
    expect(big(n)).toBeLessThanOrEqual(head - 5n);
    await c.test.mine({blocks: 5});
    await ix.syncToHead();
    expect(await ix.cursor()).toMatchObject({block: head});
  });

  it("anvil_reorg: after the last 4 blocks are replaced, the index equals a fresh index of the new chain", async () => {
    const db = await open();
    const ix = new ChainIndexer(db, c.indexed({batchBlocks: 3}));
    await c.activity(6, 2);
    await ix.syncToHead();
    const head = await c.client.getBlockNumber();
    const before = await snapshot(db);
    const oldTip = (await c.client.getBlock({blockNumber: head})).hash;

    // replace the last 4 blocks: other transfers in two of them (a new recipient), empty blocks for the rest
    const newcomer = "0x000000000000000000000000000000000000bEEF" as Address;
    const from = anvilAccount(1).address;
    const tx = (amount: bigint) => ({from, to: c.token, data: c.transferData(newcomer, amount), gas: "0x30000"});
    await c.test.request({method: "anvil_reorg" as never, params: [4, [[tx(parseUnits("1", 18)), 0], [tx(parseUnits("2", 18)), 2]]] as never});
    expect(await c.client.getBlockNumber()).toBe(head);
    expect((await c.client.getBlock({blockNumber: head})).hash).not.toBe(oldTip);

    const steps: string[] = [];
    await ix.syncToHead((r) => steps.push(r.kind));
    expect(steps).toContain("reorg");
    const after = await snapshot(db);
    expect(after).not.toEqual(before);
    expect(after).toEqual(await fresh());
    const [{n}] = (await db.query<{n: unknown}>(`SELECT count(*) AS n FROM aid_transfers WHERE "to" = lower($1)`, [newcomer])) as [{n: unknown}];
    expect(big(n)).toBe(2n);
  });

  it("a deal found through DealCreated is followed, and forgotten with the reorg that removes its creation", async () => {
    // a stand-in factory: emits DealCreated(dealId, deal, borrower, underwriter, seniorToken, juniorToken) from calldata
    const sig = toEventSelector("DealCreated(uint256,address,address,address,address,address)").slice(2);
    const runtime = `606060606000376040356020356000357f${sig}60606000a400`;
    const creation = `0x60${(runtime.length / 2).toString(16)}80600b6000396000f3${runtime}` as Hex;
    const wallet = createWalletClient({account: anvilAccount(0), chain: {...foundry, id: 31_337}, transport: http(c.anvil.rpcUrl)});
    const deployed = async (hash: Hex) => (await c.client.waitForTransactionReceipt({hash})).contractAddress!;
    const factory = await deployed(await wallet.sendTransaction({data: creation}));
    const senior = await deployed(await wallet.deployContract({abi: mockERC20Abi, bytecode: mockERC20Bytecode, args: ["Senior", "SR", 18]}));
    const deal = getAddress("0x000000000000000000000000000000000000dea1");
    const chain = c.indexed({contracts: [{name: "AID", address: c.token}, {name: "DealFactory", address: factory}], batchBlocks: 4});
    const db = await open();
    const ix = new ChainIndexer(db, chain);
    await ix.syncToHead();
    const before = await snapshot(db);

    const args = encodeAbiParameters(
      ["uint256", "address", "address", "address", "address", "address"].map((type) => ({type})),
      [7n, deal, anvilAccount(2).address, anvilAccount(3).address, senior, "0x0000000000000000000000000000000000000000"],
    );
    await c.client.waitForTransactionReceipt({hash: await wallet.sendTransaction({to: factory, data: args, gas: 100_000n})});
    await c.client.waitForTransactionReceipt({hash: await wallet.writeContract({address: senior, abi: mockERC20Abi, functionName: "mint", args: [anvilAccount(1).address, 5n]})});
    await ix.syncToHead();
    const dynamic = await db.query<{address: string; name: string}>(`SELECT address, name FROM contracts WHERE dynamic ORDER BY name`);
    expect(dynamic).toEqual([
      {address: deal.toLowerCase(), name: "GpuDeal"},
      {address: senior.toLowerCase(), name: "TrancheToken"},
    ]);
    const [created] = await db.query<{args: {dealId: string; deal: string}}>(`SELECT args FROM deal_events WHERE event = 'DealCreated'`);
    expect(created!.args).toMatchObject({dealId: "7", deal});
    const [minted] = await db.query<{contract: string; args: {value: string}}>(`SELECT contract, args FROM events WHERE address = $1`, [senior.toLowerCase()]);
    expect(minted).toEqual({contract: "TrancheToken", args: {from: "0x0000000000000000000000000000000000000000", to: anvilAccount(1).address, value: "5"}});
    expect(await snapshot(db)).toEqual(await freshOf(chain));

    // both blocks replaced by empty ones: the deal, its tranche token and their events go
    await c.test.request({method: "anvil_reorg" as never, params: [2, []] as never});
    await ix.syncToHead();
    const after = await snapshot(db);
    expect(after.contracts).toEqual(before.contracts);
    expect(after.events).toEqual(before.events);
    expect(after).toEqual(await freshOf(chain));
  });
});
