// Points over a real index of the scenario chain (ts/points/scenario.ts): against an independent integration of
// on-chain reads at every block, incremental = from scratch, PGlite = PostgreSQL, referral shares, the campaign window,
// exclusions, the leaderboard and the CSV; the incremental engine after every batch and across a reorg.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Db} from "../indexer/db.ts";
import {ChainIndexer} from "../indexer/indexer.ts";
import {Stores} from "../indexer/testChain.ts";
import {leaderboard, pointsCsv, pointsOf} from "./api.ts";
import {encodeFunctionData} from "viem";
import {mockERC20Abi} from "../abi/generated.ts";
import {computePoints, pointsEngineStats, pointsTable, type PointsTable} from "./compute.ts";
import {loadPointsConfig, type PointsConfig} from "./config.ts";
import {onChainPoints} from "./onchain.ts";
import {bindReferralAt} from "./referrals.ts";
import {referralTypedData} from "./referrals.ts";
import {runPointsScenario, type PointsScenario} from "./scenario.ts";

const stores = new Stores();
const cfg: PointsConfig = loadPointsConfig();
/** A comparable form of a points table. */
const plain = (t: PointsTable) => JSON.parse(JSON.stringify(t.ranked, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

let s: PointsScenario;
let full: Db;
let incremental: Db;
let ix: ChainIndexer | undefined;
const midway: string[] = [];
/** After every indexer step of the story: the incremental engine's table and one computed from scratch. */
const steps: {block: string; incremental: string; scratch: string}[] = [];

beforeAll(async () => {
  incremental = await stores.open("pglite");
  s = await runPointsScenario(async (sc) => {
    // indexed in 2-block batches while the story runs, the incremental engine refreshed after every batch
    ix ??= new ChainIndexer(incremental, sc.indexed({batchBlocks: 2}));
    for (let r = await ix.step(); r.kind !== "idle"; r = await ix.step()) {
      const t = await pointsTable(incremental, cfg);
      steps.push({block: String([...t.blocks.values()][0]), incremental: JSON.stringify(plain(t)), scratch: JSON.stringify(plain(await computePoints(incremental, cfg)))});
    }
    midway.push(JSON.stringify(plain(await pointsTable(incremental, cfg))));
  });
  await ix!.syncToHead();
  full = await stores.open("pglite");
  await new ChainIndexer(full, s.indexed({batchBlocks: 10_000})).syncToHead();
}, 120_000);
afterAll(async () => {
  await full?.close();
  await incremental?.close();
  await s?.stop();
  await stores.stop();
});

describe("points of the scenario chain", () => {
  it("equal an independent integration of balances, vault value and the position's AID read on-chain at every block", async () => {
    const head = await s.c.pub.getBlockNumber();
    // the oracle integrates exactly the span the index covers: the chain's head, read fresh (no client cache)
    const [cursor] = await full.query<{cursor_block: unknown}>(`SELECT cursor_block FROM chains`);
    expect(BigInt(String(cursor!.cursor_block))).toBe(head);
    const expected = await onChainPoints(s, cfg, head);
    const t = await computePoints(full, cfg);
    let lpSeen = 0n;
    for (const [who, e] of expected) {
      const got = t.byAddress.get(who)?.byKind ?? {aid: 0n, said: 0n, aidLp: 0n, saidLp: 0n};
      // AID held and the LP's AID side: exact (same integer integration, one floor)
      expect(got.aid, `${who} aid`).toBe(e.aid);
      expect(got.aidLp, `${who} aidLp`).toBe(e.aidLp);
      // sAID held and the sAID side of the sAID/AID position: the index values shares at the NAV of the last
      // deposit/withdrawal (assets*1e18/shares, floored), the chain at convertToAssets: within 1e-9 relative
      for (const k of ["said", "saidLp"] as const) {
        const diff = got[k] > e[k] ? got[k] - e[k] : e[k] - got[k];
        expect(diff * 1_000_000_000n <= e[k], `${who} ${k} ${got[k]} vs ${e[k]}`).toBe(true);
      }
      lpSeen += e.aidLp;
    }
    // the story covers every kind it can: sAID at 3x after a NAV jump, LP points for two owners (NFT transferred)
    expect(expected.get(s.actors.alice.address.toLowerCase())!.said).toBeGreaterThan(0n);
    expect(expected.get(s.actors.lp.address.toLowerCase())!.aidLp).toBeGreaterThan(0n);
    expect(expected.get(s.actors.bob.address.toLowerCase())!.aidLp).toBeGreaterThan(0n);
    expect(expected.get(s.actors.carol.address.toLowerCase())!.saidLp).toBeGreaterThan(0n);
    expect(lpSeen).toBeGreaterThan(0n);
  });

  it("are the same indexed incrementally (2-block batches during the story) as from scratch", async () => {
    expect(plain(await computePoints(incremental, cfg))).toEqual(plain(await computePoints(full, cfg)));
    // and the points grew along the way
    expect(new Set(midway).size).toBeGreaterThan(3);
  });

  it("the incremental engine (only the new blocks replayed) equals a replay from scratch after every 2-block sync", async () => {
    expect(steps.length).toBeGreaterThan(10);
    for (const st of steps) expect(st.incremental, `at block ${st.block}`).toBe(st.scratch);
    // it replayed from scratch once (the first refresh), every later refresh only the blocks the indexer added
    const stats = pointsEngineStats(incremental)!;
    expect(stats.full).toBe(1);
    expect(stats.incremental).toBeGreaterThanOrEqual(steps.length - 1);
    expect(plain(await pointsTable(incremental, cfg))).toEqual(plain(await computePoints(full, cfg)));
  });

  it("are the same in PostgreSQL as in PGlite", async () => {
    const pg = await stores.open("postgres");
    try {
      await new ChainIndexer(pg, s.indexed({batchBlocks: 5})).syncToHead();
      expect(plain(await computePoints(pg, cfg))).toEqual(plain(await computePoints(full, cfg)));
      expect(await pointsCsv(pg, cfg)).toBe(await pointsCsv(full, cfg));
    } finally {
      await pg.close();
    }
  });

  it("never credit excluded addresses (the pool, the vault, the position manager) and credit nothing out of range", async () => {
    const t = await computePoints(full, cfg);
    for (const a of [s.pool.pool, s.saidPool.pool, s.vault, s.uni.positionManager, s.aid]) expect(t.byAddress.get(a.toLowerCase())).toBeUndefined();
    // the last swap pushed the price out of the position's range: ending the campaign there changes no LP points
    const [row] = await full.query<{block_time: unknown}>(`SELECT max(block_time) AS block_time FROM events WHERE contract = 'AIDUSDCPool' AND event = 'Swap'`);
    const cut = computePoints(full, {...cfg, end: Number(row!.block_time)});
    const bob = s.actors.bob.address.toLowerCase();
    expect((await cut).byAddress.get(bob)!.byKind.aidLp).toBe(t.byAddress.get(bob)!.byKind.aidLp);
    // and AID held keeps accruing after it: bob's AID points grew
    expect((await cut).byAddress.get(bob)!.byKind.aid).toBeLessThan(t.byAddress.get(bob)!.byKind.aid);
  });

  it("follow the campaign window: nothing before start or after end, points scale with the multipliers", async () => {
    const [row] = await full.query<{t: unknown}>(`SELECT max(block_time) AS t FROM events`);
    const after = computePoints(full, {...cfg, start: Number(row!.t) + 10_000_000});
    expect((await after).ranked).toEqual([]);
    const doubled = await computePoints(full, {...cfg, multiplierBps: {aid: 20_000n, said: 60_000n, aidLp: 80_000n, saidLp: 240_000n}});
    const base = await computePoints(full, cfg);
    for (const p of base.ranked) {
      const d = doubled.byAddress.get(p.address)!;
      // each (kind, chain) part is floored once: doubling shifts the total by at most one wei per part
      expect(d.total - 2n * p.total).toBeGreaterThanOrEqual(0n);
      expect(d.total - 2n * p.total).toBeLessThanOrEqual(4n);
    }
  });

  it("pay 20% of a referee's points to its referrer and 10% to the referrer's referrer; leaderboard and CSV agree", async () => {
    // the incremental index, already compared with the full one above (the last test: bindings change its points)
    const db = incremental;
    {
      const {alice, bob, carol} = s.actors;
      const now = BigInt(Math.floor(Date.now() / 1000));
      const bind = async (referee: typeof alice, referrer: typeof alice) => {
        const msg = {referee: referee.address, referrer: referrer.address, deadline: now + 3_600n};
        const signature = await referee.signTypedData(referralTypedData(cfg, msg));
        return bindReferralAt(db, {...msg, deadline: msg.deadline.toString(), signature}, cfg, now);
      };
      const before = await computePoints(db, cfg);
      await bind(carol, alice);
      await bind(alice, bob);
      const after = await pointsTable(db, cfg);
      const own = (who: string) => before.byAddress.get(who.toLowerCase())!.total;
      const [a, b, c] = [alice, bob, carol].map((x) => after.byAddress.get(x.address.toLowerCase())!);
      expect(a!.referral).toBe((own(carol.address) * 2_000n) / 10_000n);
      expect(b!.referral).toBe((own(alice.address) * 2_000n) / 10_000n + (own(carol.address) * 1_000n) / 10_000n);
      expect(c!.referral).toBe(0n);
      expect(c!.total).toBe(own(carol.address)); // the referee loses nothing
      expect(a!.referrer).toBe(bob.address.toLowerCase());

      const detail = await pointsOf(db, alice.address, cfg);
      expect(detail).toMatchObject({address: alice.address, points: a!.total.toString(), referral: a!.referral.toString(), referrer: bob.address});
      expect(Object.values(detail.byKind).reduce((x, y) => x + BigInt(y), 0n) + BigInt(detail.referral)).toBe(BigInt(detail.points));
      expect(Object.values(detail.byChain).reduce((x, y) => x + BigInt(y), 0n) + BigInt(detail.referral)).toBe(BigInt(detail.points));

      const top = await leaderboard(db, {limit: 500, offset: 0}, cfg);
      expect(top.length).toBe(after.ranked.length);
      for (let i = 1; i < top.length; i++) {
        const [p, q] = [BigInt(top[i - 1]!.points), BigInt(top[i]!.points)];
        expect(p > q || (p === q && top[i - 1]!.address.toLowerCase() < top[i]!.address.toLowerCase())).toBe(true);
      }
      expect(top.map((r) => r.rank)).toEqual(top.map((_, i) => i + 1));
      expect(top.find((r) => r.address === alice.address)!.rank).toBe(detail.rank);
      expect(await leaderboard(db, {limit: 2, offset: 1}, cfg)).toEqual(top.slice(1, 3));

      const csv = (await pointsCsv(db, cfg)).trim().split("\n");
      expect(csv[0]).toBe("address,points,aid,said,aidLp,saidLp,referral");
      expect(csv.length).toBe(top.length + 1);
      expect(csv[1]!.split(",").slice(0, 2)).toEqual([top[0]!.address, top[0]!.points]);
      // an address without points
      expect(await pointsOf(db, "0x00000000000000000000000000000000000000aa", cfg)).toMatchObject({points: "0", rank: 0, referrer: null});
    }
  });

  it("the incremental engine across a reorg: the rolled-back blocks are replayed again, the table equals one from scratch", async () => {
    const db = incremental; // with the referral bindings of the test above
    const before = plain(await pointsTable(db, cfg));
    const fulls = pointsEngineStats(db)!.full;
    // the last 3 blocks replaced by a block where alice sends 50 AID to a newcomer, then time passes
    const newcomer = "0x000000000000000000000000000000000000bEEF" as const;
    const data = encodeFunctionData({abi: mockERC20Abi, functionName: "transfer", args: [newcomer, 50n * 10n ** 18n]});
    await s.c.test.request({method: "anvil_reorg" as never, params: [3, [[{from: s.actors.alice.address, to: s.aid, data, gas: "0x30000"}, 0]]] as never});
    await s.c.step(6 * 3_600);
    const kinds: string[] = [];
    await ix!.syncToHead((r) => kinds.push(r.kind));
    expect(kinds).toContain("reorg");
    const after = await pointsTable(db, cfg);
    expect(pointsEngineStats(db)).toMatchObject({full: fulls + 1, lastReset: expect.stringMatching(/^reorg on chain 31337/)});
    expect(plain(after)).toEqual(plain(await computePoints(db, cfg)));
    expect(plain(after)).not.toEqual(before);
    expect(after.byAddress.get(newcomer.toLowerCase())!.byKind.aid).toBeGreaterThan(0n);
    // and the next blocks are incremental again
    await s.c.step(3_600);
    await ix!.syncToHead();
    const inc = pointsEngineStats(db)!.incremental;
    expect(plain(await pointsTable(db, cfg))).toEqual(plain(await computePoints(db, cfg)));
    expect(pointsEngineStats(db)).toMatchObject({full: fulls + 1, incremental: inc + 1});
  });
});
