// The indexer over a real GAIB deployment (script/00_DeployLocal.s.sol on one Anvil) after the README demo and the
// deal demo: the events of AID, the minter, the reserve, sAID and the deals (found through DealCreated) are stored
// decoded, and the indexed AID transfers rebuild the on-chain supply. With the local AID/USDC pool (ts/amm/local.ts)
// added to the record, its events and the position manager's are indexed, and the points of the story follow.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, dealFactoryAbi} from "../abi/generated.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {runDealDemo} from "../demo/deals.ts";
import {runDemo} from "../demo/run.ts";
import path from "node:path";
import {createPublicClient, http} from "viem";
import {addLocalUniswap, LOCAL_LP} from "../amm/local.ts";
import {devAccount} from "../amm/chain.ts";
import {connectDemo} from "../demo/chain.ts";
import {repoRoot} from "../lib/paths.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {computePoints} from "../points/compute.ts";
import {loadPointsConfig} from "../points/config.ts";
import {big, openDb, type Db} from "./db.ts";
import {ChainIndexer} from "./indexer.ts";
import {contractsOf} from "./sources.ts";

describe("indexer over the local GAIB deployment", () => {
  let anvil: Anvil;
  let d: LocalDeployment;
  let db: Db;

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 51_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    await runDemo(anvil.rpcUrl, d, () => {});
    await runDealDemo(anvil.rpcUrl, d, () => {});
    Object.assign(d, await addLocalUniswap(anvil.rpcUrl, d, path.join(repoRoot, "deployments", "local", `${anvil.chainId}.json`)));
    await (await connectDemo(anvil.rpcUrl)).advance(86_400); // a day of holding and providing liquidity
    db = await openDb({databaseUrl: null});
    await new ChainIndexer(db, {name: "ethereum", chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, contracts: contractsOf(d as never), batchBlocks: 500}).syncToHead();
  }, 600_000);
  afterAll(async () => {
    await db?.close();
    await anvil?.stop();
  });

  const eventsOf = async (view: string) => new Set((await db.query<{event: string}>(`SELECT DISTINCT event FROM ${view}`)).map((r) => r.event));

  it("stores minter, reserve and sAID events decoded by their ABIs", async () => {
    const minter = await eventsOf("minter_events");
    for (const e of ["Minted", "RedeemRequested", "RedeemClaimed"]) expect(minter).toContain(e);
    const reserve = await eventsOf("reserve_events");
    for (const e of ["Invested", "Harvested"]) expect(reserve).toContain(e);
    const said = await eventsOf("said_events");
    for (const e of ["Deposit", "Unstaked", "UnstakePaid", "RewardsReceived", "Allocated"]) expect(said).toContain(e);
  });

  it("follows every deal the factory creates, with its tranche tokens, and stores their events", async () => {
    const client = createPublicClient({transport: http(anvil.rpcUrl)});
    const created = await client.getContractEvents({address: d.dealFactory, abi: dealFactoryAbi, eventName: "DealCreated", fromBlock: 0n});
    expect(created.length).toBeGreaterThanOrEqual(2);
    const dynamic = await db.query<{address: string; name: string}>(`SELECT address, name FROM contracts WHERE dynamic ORDER BY address`);
    const expected = created.flatMap((l) => [
      {address: l.args.deal!.toLowerCase(), name: "GpuDeal"},
      {address: l.args.seniorToken!.toLowerCase(), name: "TrancheToken"},
      {address: l.args.juniorToken!.toLowerCase(), name: "TrancheToken"},
    ]);
    expect(dynamic).toEqual(expected.sort((a, b) => (a.address < b.address ? -1 : 1)));
    const deal = await eventsOf("deal_events");
    for (const e of ["DealCreated", "Funded", "Activated", "Repaid", "StateChanged", "Claimed"]) expect(deal).toContain(e);
    // a deal event is attributed to the deal that emitted it
    const [row] = await db.query<{address: string}>(`SELECT address FROM deal_events WHERE event = 'Activated' ORDER BY block_number LIMIT 1`);
    expect(row!.address).toBe(created[0]!.args.deal!.toLowerCase());
  });

  it("the indexed AID transfers rebuild the AID supply", async () => {
    const [{s}] = (await db.query<{s: string}>(
      `SELECT (COALESCE(sum(value) FILTER (WHERE "from" = '0x0000000000000000000000000000000000000000'), 0)
             - COALESCE(sum(value) FILTER (WHERE "to" = '0x0000000000000000000000000000000000000000'), 0))::text AS s FROM aid_transfers`,
    )) as [{s: string}];
    const client = createPublicClient({transport: http(anvil.rpcUrl)});
    expect(BigInt(s)).toBe(await client.readContract({address: d.aid, abi: aidAbi, functionName: "totalSupply"}));
    const [{n}] = (await db.query<{n: unknown}>(`SELECT count(*) AS n FROM events WHERE contract = 'AID' AND event = 'Transfer'`)) as [{n: unknown}];
    expect(big(n)).toBeGreaterThan(10n);
  });

  it("indexes the AID/USDC pool and the position manager of the record, and the story's points follow", async () => {
    const pool = await eventsOf("pool_events");
    for (const e of ["Initialize", "Mint", "Swap", "IncreaseLiquidity", "Transfer"]) expect(pool).toContain(e);
    const [c] = await db.query<{token0: string; token1: string}>(`SELECT token0, token1 FROM contracts WHERE name = 'AIDUSDCPool'`);
    expect([c!.token0, c!.token1].sort()).toEqual([d.aid.toLowerCase(), d.usdc.toLowerCase()].sort());

    const t = await computePoints(db, loadPointsConfig());
    const of = (a: string) => t.byAddress.get(a.toLowerCase());
    // the LP's in-range position earns at 4x; sAID stakers (alice, bob of the demo) at 3x
    expect(of(devAccount(LOCAL_LP).address)!.byKind.aidLp).toBeGreaterThan(0n);
    expect(of(anvilAccount(2).address)!.byKind.said).toBeGreaterThan(0n);
    // protocol contracts never earn
    for (const a of [d.reserve, d.sAID, d.minter, d.aid, d.aidUsdcPool!, d.positionManager!, d.dealFactory]) expect(of(a)).toBeUndefined();
    const deals = await db.query<{address: string}>(`SELECT address FROM contracts WHERE dynamic`);
    for (const r of deals) expect(of(r.address)).toBeUndefined();
  });
});
