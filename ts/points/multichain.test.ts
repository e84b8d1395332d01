// Points on two chains: a home chain (a stand-in AID and an ERC-4626 vault indexed as StakedAID, whose NAV jumps) and a
// spoke (a stand-in AID and a plain ERC-20 indexed as the sAID OFT). The spoke's sAID is valued at the home vault's NAV
// by timestamp (a NAV change between two spoke blocks splits that interval); each chain's points are checked against an
// integration of on-chain reads at every block of both chains, and the per-chain breakdown adds up; the incremental
// engine when the home chain's NAV samples arrive after the spoke's sAID events.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {formatUnits, parseUnits, type Address} from "viem";
import {openDb} from "../indexer/db.ts";
import {repoRoot} from "../lib/paths.ts";
import {run} from "../lib/proc.ts";
import {pointsOf} from "./api.ts";
import {mockERC20Abi, mockERC20Bytecode, mockTBillVaultAbi, mockTBillVaultBytecode} from "../abi/generated.ts";
import {connect, devAccount, type Account, type Chain} from "../amm/chain.ts";
import type {Db} from "../indexer/db.ts";
import {ChainIndexer} from "../indexer/indexer.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {Stores} from "../indexer/testChain.ts";
import {computePoints, pointsEngineStats, pointsTable, type PointsTable} from "./compute.ts";
import {loadPointsConfig} from "./config.ts";
import {sameBlock} from "./scenario.ts";

const WAD = 10n ** 18n;
const amt = (n: string) => parseUnits(n, 18);
const HOUR = 3_600;
const cfg = loadPointsConfig();
const stores = new Stores();

interface Side {
  anvil: Anvil;
  c: Chain;
  aid: Address;
  said: Address;
}

let home: Side;
let spoke: Side;
let db: Db;
const [admin, alice, bob] = [0, 1, 2].map(devAccount) as [Account, Account, Account];

beforeAll(async () => {
  const start = async (chainId: number, vault: boolean): Promise<Side> => {
    const anvil = await startAnvil({chainId});
    const c = await connect(anvil.rpcUrl);
    const aid = await c.deploy(admin, mockERC20Abi, mockERC20Bytecode, ["Stand-in AID", "AID", 18]);
    const said = vault
      ? await c.deploy(admin, mockTBillVaultAbi, mockTBillVaultBytecode, [aid, 0n])
      : await c.deploy(admin, mockERC20Abi, mockERC20Bytecode, ["Stand-in sAID OFT", "sAID", 18]);
    return {anvil, c, aid, said};
  };
  home = await start(1, true);
  spoke = await start(42_161, false);
  // both clocks move together (each anvil starts at wall-clock time)
  const both = async (hours: number) => {
    await home.c.step(hours * HOUR);
    await spoke.c.step(hours * HOUR);
  };
  const mint = (x: Side, token: Address, to: Address, v: bigint) => x.c.send(admin, {address: token, abi: mockERC20Abi, functionName: "mint", args: [to, v]});

  await mint(home, home.aid, alice.address, amt("1000"));
  await home.c.send(alice, {address: home.aid, abi: mockERC20Abi, functionName: "approve", args: [home.said, amt("500")]});
  await home.c.send(alice, {address: home.said, abi: mockTBillVaultAbi, functionName: "deposit", args: [amt("500"), alice.address]});
  await mint(spoke, spoke.aid, bob.address, amt("300"));
  await mint(spoke, spoke.said, bob.address, amt("200")); // sAID bridged to the spoke (the OFT mints it)
  await both(6);
  // NAV 1.0 -> 1.5: a donation of 250 to 500 assets, recorded by a deposit in the same block
  await mint(home, home.aid, admin.address, amt("10"));
  await home.c.send(admin, {address: home.aid, abi: mockERC20Abi, functionName: "approve", args: [home.said, amt("10")]});
  await home.c.step(HOUR); // the home clock runs an hour ahead from here: the jump falls between two spoke blocks
  await sameBlock(home.c, [
    [admin, {address: home.aid, abi: mockERC20Abi, functionName: "mint", args: [home.said, amt("250")]}],
    [admin, {address: home.said, abi: mockTBillVaultAbi, functionName: "deposit", args: [amt("10"), admin.address]}],
  ]);
  await both(5);
  await spoke.c.send(bob, {address: spoke.said, abi: mockERC20Abi, functionName: "transfer", args: [alice.address, amt("50")]});
  await spoke.c.send(bob, {address: spoke.aid, abi: mockERC20Abi, functionName: "transfer", args: [alice.address, amt("100")]});
  await both(12);

  db = await stores.open("pglite");
  await indexBoth(db);
}, 120_000);

const indexers = (target: Db) =>
  (
    [
      [home, "ethereum", "StakedAID"],
      [spoke, "arbitrum", "StakedAIDOFT"],
    ] as const
  ).map(([x, name, saidName]) => {
    const contracts = [
      {name: "AID", address: x.aid},
      {name: saidName, address: x.said},
    ];
    return new ChainIndexer(target, {name, chainId: x.anvil.chainId, rpcUrl: x.anvil.rpcUrl, contracts});
  });

async function indexBoth(target: Db): Promise<void> {
  for (const ix of indexers(target)) await ix.syncToHead();
}
afterAll(async () => {
  await db?.close();
  await home?.anvil.stop();
  await spoke?.anvil.stop();
  await stores.stop();
});

/** ∫ value dt over every block of `x` for `who` [wei x s x 1e18]; `valueDt(balance, t0, t1)` is the $ x seconds of a
 *  balance held from t0 to t1. */
async function integrate(x: Side, token: Address, who: Address, valueDt: (bal: bigint, t0: bigint, t1: bigint) => Promise<bigint>): Promise<bigint> {
  const head = await x.c.pub.getBlockNumber();
  let sum = 0n;
  for (let b = 0n; b < head; b++) {
    const [t0, t1] = [(await x.c.pub.getBlock({blockNumber: b})).timestamp, (await x.c.pub.getBlock({blockNumber: b + 1n})).timestamp];
    if (!(await x.c.pub.getCode({address: token, blockNumber: b}))) continue; // not deployed yet
    const bal = await x.c.pub.readContract({address: token, abi: mockERC20Abi, functionName: "balanceOf", args: [who], blockNumber: b});
    if (bal > 0n) sum += (await valueDt(bal, t0, t1)) * WAD;
  }
  return sum;
}

const atPar = async (bal: bigint, t0: bigint, t1: bigint) => bal * (t1 - t0);

/** `shares` held from t0 to t1 valued at the home vault's convertToAssets, piece by piece between the home chain's
 *  blocks (the value at a home block holds until the next one). */
async function atHomeNav(shares: bigint, t0: bigint, t1: bigint): Promise<bigint> {
  const head = await home.c.pub.getBlockNumber();
  const times: bigint[] = [];
  for (let b = 0n; b <= head; b++) times.push((await home.c.pub.getBlock({blockNumber: b})).timestamp);
  const valueAt = async (t: bigint) => {
    let b = times.length - 1;
    while (b > 0 && times[b]! > t) b--;
    return home.c.pub.readContract({address: home.said, abi: mockTBillVaultAbi, functionName: "convertToAssets", args: [shares], blockNumber: BigInt(b)});
  };
  const cuts = [t0, ...times.filter((t) => t > t0 && t < t1), t1];
  let sum = 0n;
  for (let i = 0; i + 1 < cuts.length; i++) sum += (await valueAt(cuts[i]!)) * (cuts[i + 1]! - cuts[i]!);
  return sum;
}

describe("points on two chains", () => {
  it("value the spoke's sAID at the home vault's NAV by timestamp and agree with on-chain reads on each chain", async () => {
    const t = await computePoints(db, cfg);
    const den = WAD * 86_400n * 10_000n;
    const pts = (sum: bigint, bps: bigint) => (sum * bps) / den;
    const within = (got: bigint, want: bigint) => {
      const d = got > want ? got - want : want - got;
      expect(d * 1_000_000_000n <= want, `${got} vs ${want}`).toBe(true);
    };
    const a = t.byAddress.get(alice.address.toLowerCase())!;
    const b = t.byAddress.get(bob.address.toLowerCase())!;
    // AID: exact on each chain
    const aliceHomeAid = pts(await integrate(home, home.aid, alice.address, atPar), cfg.multiplierBps.aid);
    const aliceSpokeAid = pts(await integrate(spoke, spoke.aid, alice.address, atPar), cfg.multiplierBps.aid);
    expect(a.byKind.aid).toBe(aliceHomeAid + aliceSpokeAid);
    expect(b.byKind.aid).toBe(pts(await integrate(spoke, spoke.aid, bob.address, atPar), cfg.multiplierBps.aid));
    // sAID: alice's home shares at the vault's value; bob's and alice's spoke shares at the home NAV of their time
    const aliceHomeSaid = pts(await integrate(home, home.said, alice.address, atHomeNav), cfg.multiplierBps.said);
    const aliceSpokeSaid = pts(await integrate(spoke, spoke.said, alice.address, atHomeNav), cfg.multiplierBps.said);
    const bobSpokeSaid = pts(await integrate(spoke, spoke.said, bob.address, atHomeNav), cfg.multiplierBps.said);
    within(a.byKind.said, aliceHomeSaid + aliceSpokeSaid);
    within(b.byKind.said, bobSpokeSaid);
    // the NAV jump shows on the spoke: bob's 200 shares earned more than 200 AID would have at 3x over the same time
    expect(bobSpokeSaid).toBeGreaterThan((pts(await integrate(spoke, spoke.said, bob.address, atPar), cfg.multiplierBps.said) * 12n) / 10n);
    // per chain: the spoke holds all of bob's points; alice's split adds up
    expect(Object.keys(b.byChain)).toEqual(["arbitrum"]);
    expect(a.byChain.ethereum! + a.byChain.arbitrum!).toBe(a.total);
    within(a.byChain.arbitrum!, aliceSpokeAid + aliceSpokeSaid);
  });

  it("incremental with the spoke indexed before the home chain: the home vault's NAV samples arrive late, the engine replays from scratch, same table", async () => {
    const late = await stores.open("pglite");
    try {
      const [ixHome, ixSpoke] = indexers(late);
      await ixHome!.init(); // both chains' contracts known from the start: only the NAV samples come late
      await ixSpoke!.syncToHead();
      const spokeOnly = await pointsTable(late, cfg);
      expect(pointsEngineStats(late)).toMatchObject({full: 1});
      await ixHome!.syncToHead();
      const both = await pointsTable(late, cfg);
      expect(pointsEngineStats(late)).toMatchObject({full: 2, lastReset: expect.stringMatching(/^a NAV sample at \d+ precedes sAID accruals already replayed$/)});
      const plain = (t: PointsTable) => JSON.stringify(t.ranked, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
      expect(plain(both)).toBe(plain(await computePoints(db, cfg)));
      expect(plain(both)).not.toBe(plain(spokeOnly));
    } finally {
      await late.close();
    }
  });

  it("npm run points prints an address's points from a PGlite index folder", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gaib-points-cli-"));
    try {
      const dataDir = path.join(dir, "pglite");
      const folder = await openDb({databaseUrl: null, dataDir});
      await indexBoth(folder);
      const want = await pointsOf(folder, alice.address, cfg);
      await folder.close();
      const env = {...process.env, DATABASE_URL: ""};
      const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
      const r = await run(tsx, ["ts/points/index.ts", "--data", dataDir, "--address", alice.address], {cwd: repoRoot, env});
      expect(r.code, r.stderr).toBe(0);
      const shown = Number(formatUnits(BigInt(want.points), 18)).toLocaleString("en-US", {maximumFractionDigits: 4});
      expect(r.stdout).toContain(`${alice.address}: ${shown} points (rank ${want.rank})`);
      expect(r.stdout).toMatch(/on arbitrum: [\d,.]+/);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
