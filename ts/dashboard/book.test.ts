// The deal book, sAID's positions and the node network as the API reports them, after the demo's node-network step
// (two REVENUE_SHARE deals repaid from proven revenue, a forged root rejected and its attester slashed, an equivocating
// node excluded and its operator slashed) on one Anvil: every number equals a direct viem read at the block the
// answer names, and the event sums equal the contracts' own counters; on both stores (PGlite and PostgreSQL) indexing
// the same chain.
import {createPublicClient, http, type Abi, type Address, type Hex} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, aidMinterAbi, aidReserveAbi, gpuDealAbi, nodeRegistryAbi, stakedAIDAbi, stakingVaultAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {runRevenueShareDemo} from "../demo/revenue.ts";
import type {Db} from "../indexer/db.ts";
import {ChainIndexer} from "../indexer/indexer.ts";
import {contractsOf} from "../indexer/sources.ts";
import {Stores, type StoreKind} from "../indexer/testChain.ts";
import {account, deals, nodes, positions} from "./book.ts";
import {collateralHistory, DashData, DEAL_STATES, saidPriceHistory, summary} from "./data.ts";

let anvil: Anvil;
let d: LocalDeployment;
let client: ReturnType<typeof createPublicClient>;
const stores = new Stores();
const dbs: Db[] = [];
const read = <T>(address: Address, abi: unknown, functionName: string, args: readonly unknown[], blockNumber: bigint) =>
  client.readContract({address, abi: abi as Abi, functionName, args, blockNumber} as never) as Promise<T>;

beforeAll(async () => {
  anvil = await startAnvil({chainId: 61_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
  d = await deployLocal(anvil.rpcUrl, anvil.chainId);
  await runRevenueShareDemo(anvil.rpcUrl, d, {progress: false}, () => {});
  client = createPublicClient({transport: http(anvil.rpcUrl)});
}, 300_000);
afterAll(async () => {
  for (const db of dbs) await db.close();
  await stores.stop();
  await anvil?.stop();
});

describe.each<StoreKind>(["pglite", "postgres"])("deal book, positions and node network from the index on %s", (kind) => {
  let data: DashData;

  beforeAll(async () => {
    const db = await stores.open(kind);
    dbs.push(db);
    const chain = {name: "ethereum", chainId: anvil.chainId, rpcUrl: anvil.rpcUrl, contracts: contractsOf(d as never)};
    await new ChainIndexer(db, chain).syncToHead();
    data = new DashData(db, [chain]);
  }, 120_000);

  it("the summary, both histories and an account's balances: supply from the events, state read at the block", async () => {
    const s = await summary(data);
    expect(s.aid.totalSupply).toBe(await read<bigint>(d.aid, aidAbi, "totalSupply", [], s.block));
    expect(s.reserve.total).toBe(await read<bigint>(d.reserve, aidReserveAbi, "totalValue", [], s.block));
    expect(s.reserve.liabilities).toBe(await read<bigint>(d.minter, aidMinterAbi, "liabilities", [], s.block));
    expect(s.said.navPerShare).toBe(await read<bigint>(d.sAID, stakedAIDAbi, "convertToAssets", [10n ** 18n], s.block));
    const [coll, nav] = [await collateralHistory(data, 500), await saidPriceHistory(data, 500)];
    expect(coll.points.length).toBeGreaterThan(1);
    expect(coll.points.at(-1)).toMatchObject({block: s.block, reserveValue: s.reserve.total, liabilities: s.reserve.liabilities});
    expect(nav.points.at(-1)).toMatchObject({block: s.block, navPerShare: s.said.navPerShare});
    expect(nav.points.map((p) => p.block)).toEqual([...nav.points.map((p) => p.block)].sort((a, b) => (a < b ? -1 : 1)));
    const bob = anvilAccount(2).address;
    const a = await account(data, bob);
    expect(a.chains[0]!.aid).toBe(await read<bigint>(d.aid, aidAbi, "balanceOf", [bob], s.block));
    expect(a.chains[0]!.saidShares).toBe(await read<bigint>(d.sAID, stakedAIDAbi, "balanceOf", [bob], s.block));
  });

  it("each deal's state, mark, next due date and tranche values are the deal's own at the indexed block; repaid sums its Repaid events", async () => {
    const book = await deals(data, {limit: 500, offset: 0});
    expect(book.block).toBe(await client.getBlockNumber({cacheTime: 0}));
    expect(book.deals.length).toBe(2);
    for (const x of book.deals) {
      const r = <T>(fn: string, args: readonly unknown[] = []) => read<T>(x.address, gpuDealAbi, fn, args, book.block);
      expect(x.state).toBe(DEAL_STATES[await r<number>("state")]);
      expect(x.state).toBe("ACTIVE");
      expect(x.structure).toBe("REVENUE_SHARE");
      expect(x.nextDueDate).toBe(await r<bigint>("dueDate"));
      expect(x.markBps).toBe(await r<bigint>("markBps"));
      expect(x.tranches.map((t) => t.value)).toEqual([await r<bigint>("trancheValue", [0]), await r<bigint>("trancheValue", [1])]);
      // an event sum against the deal's own counter
      expect(x.repaid).toBe(await r<bigint>("totalRepaid"));
      expect(x.repaid).toBeGreaterThan(0n);
      expect(x.tranches[0]!.funded + x.tranches[1]!.funded).toBe(x.principal);
    }
  });

  it("sAID's positions: booked value and idle AID read at the block, allocations from the events", async () => {
    const p = await positions(data);
    expect(p.idle).toBe(await read<bigint>(d.sAID, stakedAIDAbi, "idleAssets", [], p.block));
    expect(p.positions.map((x) => x.position).sort()).toEqual((await read<Address[]>(d.sAID, stakedAIDAbi, "positions", [], p.block)).map((a) => a.toLowerCase()).sort());
    for (const x of p.positions) {
      expect(x.booked).toBe(await read<bigint>(d.sAID, stakedAIDAbi, "bookedOf", [x.position], p.block));
      expect(x.dealId).not.toBeNull();
      expect(x.allocated).toBeGreaterThan(0n);
    }
  });

  it("the node network: accepted roots match the oracle's count, the rejected root, the equivocation and both slashes are there", async () => {
    const n = await nodes(data);
    // every epoch that ever had a root accepted (the oracle's liveness count), each with its latest round as the oracle has it
    expect(BigInt(n.epochs.length)).toBe(await read<bigint>(d.telemetryOracle, telemetryOracleAbi, "acceptedCount", [], n.block));
    for (const e of n.epochs) {
      const onChain = await read<{root: Hex; status: number; round: number}>(d.telemetryOracle, telemetryOracleAbi, "getEpochRoot", [e.epoch], n.block);
      expect({root: e.root, round: e.round, status: e.status}).toEqual({root: onChain.root, round: onChain.round, status: ["none", "accepted", "rejected"][onChain.status]});
    }
    expect(n.acceptedRoots).toBe(n.epochs.filter((e) => e.status === "accepted").length);
    expect(n.rejectedRoots.length).toBe(1);
    expect(n.equivocations.length).toBe(1);
    expect(n.slashes.map((s) => s.status)).toEqual(["executed", "executed"]);
    const slashed = await client.getContractEvents({address: d.staking, abi: stakingVaultAbi, eventName: "Slashed", fromBlock: 0n, toBlock: n.block});
    expect(n.slashedTotal).toBe(slashed.reduce((a, l) => a + l.args.amount!, 0n));
    const registered = await client.getContractEvents({address: d.nodeRegistry, abi: nodeRegistryAbi, eventName: "NodeRegistered", fromBlock: 0n, toBlock: n.block});
    expect(n.nodes.registered).toBe(new Set(registered.map((l) => l.args.nodeId)).size);
    const stale: Hex[] = [];
    for (const l of registered) if (await read<boolean>(d.telemetryOracle, telemetryOracleAbi, "isStale", [l.args.nodeId], n.block)) stale.push(l.args.nodeId!);
    expect(n.nodes.stale).toEqual(stale);
  });
});
