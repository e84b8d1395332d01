// Peg scenarios on a local chain: a shared world (core deployment, Uniswap v3, an AID/USDC pool at 1.0 with
// concentrated liquidity, holders, an arbitrage bot), then one function per shock. Each run loops steps (one block
// every STEP_SECONDS) with the bot acting or not, records the pool price, then settles the redemption queue day by
// day (the reserve manager sells T-bills into the buffer; keepers claim in the least favourable order) and checks
// the books: FIFO funding, reserve value ≥ liabilities ≥ AID supply, value conserved between holders.
import type {Address} from "viem";
import {aidAbi, aidMinterAbi, aidReserveAbi, mockERC20Abi, mockPositionAbi, mockPositionBytecode, mockPriceFeedAbi, mockTBillVaultAbi, stakedAIDAbi} from "../abi/generated.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {ArbBot, DEFAULT_BOT, type BotAction, type BotConfig, type BotReport} from "./bot.ts";
import {devAccount, type Account, type Chain} from "./chain.ts";
import {bpsFromPeg, poolPrice} from "./pool.ts";
import {addLiquidity, createAidUsdcPool, deployUniswap, swapExactIn, type PoolInfo, type Uniswap} from "./uniswap.ts";

export const STEP_SECONDS = 12; // [s] one block
export const PEG_BAND_BPS = 10; // [bps] "back at peg"
const DAY = 86_400; // [s]
const WAD = 10n ** 18n;
const USDC = 10n ** 6n;
const SCALE = 10n ** 12n; // AID [wad] per USDC unit

/** The world every scenario starts from (amounts in whole tokens). */
export const WORLD = {
  lpAid: 1_000_000n, // AID and USDC each, in the pool, concentrated in [0.98, 1.02]
  range: {lo: 0.98, hi: 1.02},
  whaleAid: 6_000_000n,
  userAid: 500_000n, // each of the 6 users
  botUsdc: 3_000_000n,
  investUsdc: 8_900_000n, // of the 10M reserve into T-bills: ~11% stays liquid (target 10%)
} as const;
/** AID supply after setup [wad]. */
export const SUPPLY = (WORLD.lpAid + WORLD.whaleAid + 6n * WORLD.userAid) * WAD;

export interface World {
  c: Chain;
  d: LocalDeployment;
  uni: Uniswap;
  pool: PoolInfo;
  /** Deployer: LP, reserve manager, gatekeeper, sAID allocator, keeper. */
  admin: Account;
  bot: Account;
  whale: Account;
  users: Account[];
  /** The deal position of the default scenario, while it exists. */
  position?: Address;
}

/** Deploys Uniswap, the pool and liquidity, and funds every actor. `d` is a fresh home deployment. */
export async function setupWorld(c: Chain, d: LocalDeployment): Promise<World> {
  const [admin, bot, whale] = [devAccount(0), devAccount(1), devAccount(2)];
  const users = [3, 4, 5, 6, 7, 8].map(devAccount);
  const uni = await deployUniswap(c, admin);
  const pool = await createAidUsdcPool(c, admin, uni, d.aid, d.usdc);
  const w: World = {c, d, uni, pool, admin, bot, whale, users};

  const role = await c.read<`0x${string}`>({address: d.minter, abi: aidMinterAbi, functionName: "WHITELISTED_ROLE"});
  for (const a of [admin, bot, whale, ...users]) {
    await c.send(admin, {address: d.minter, abi: aidMinterAbi, functionName: "grantRole", args: [role, a.address]});
  }
  await mintAid(w, admin, WORLD.lpAid * WAD);
  await mintUsdc(w, admin.address, WORLD.lpAid * USDC);
  await addLiquidity(c, admin, uni, pool, {aid: WORLD.lpAid * WAD, usdc: WORLD.lpAid * USDC}, WORLD.range);
  await mintAid(w, whale, WORLD.whaleAid * WAD);
  for (const u of users) await mintAid(w, u, WORLD.userAid * WAD);
  await mintUsdc(w, bot.address, WORLD.botUsdc * USDC);
  await c.send(admin, {address: d.reserve, abi: aidReserveAbi, functionName: "invest", args: [WORLD.investUsdc * USDC]});
  return w;
}

/** Mints USDC (the local mock has a public mint). */
export async function mintUsdc(w: World, to: Address, amount: bigint): Promise<void> {
  await w.c.send(w.admin, {address: w.d.usdc, abi: mockERC20Abi, functionName: "mint", args: [to, amount]});
}

/** `who` mints `aid` [wad] through the minter with fresh USDC, in chunks below the per-block caps. */
async function mintAid(w: World, who: Account, aid: bigint): Promise<void> {
  const chunk = 2_000_000n * WAD;
  const usdc = aid / SCALE;
  await mintUsdc(w, who.address, usdc);
  await w.c.send(who, {address: w.d.usdc, abi: mockERC20Abi, functionName: "approve", args: [w.d.minter, usdc]});
  for (let left = aid; left > 0n; left -= left < chunk ? left : chunk) {
    const a = left < chunk ? left : chunk;
    await w.c.send(who, {address: w.d.minter, abi: aidMinterAbi, functionName: "mint", args: [w.d.usdc, a / SCALE, a, who.address]});
    await w.c.step(1); // next cap window
  }
}

/** `who` sells `aid` [wad] on the pool. */
export async function dumpAid(w: World, who: Account, aid: bigint): Promise<void> {
  await swapExactIn(w.c, who, w.uni, w.pool, w.d.aid, aid);
}

/** `who` queues a redemption of `aid` [wad] for USDC. */
async function queueRedeem(w: World, who: Account, aid: bigint): Promise<void> {
  await w.c.send(who, {address: w.d.aid, abi: aidAbi, functionName: "approve", args: [w.d.minter, aid]});
  await w.c.send(who, {address: w.d.minter, abi: aidMinterAbi, functionName: "requestRedeem", args: [w.d.usdc, aid, aid / SCALE, who.address]});
}

async function refreshFeeds(w: World): Promise<void> {
  for (const feed of [w.d.usdcFeed, w.d.usdtFeed]) {
    await w.c.send(w.admin, {address: feed, abi: mockPriceFeedAbi, functionName: "setAnswer", args: [100_000_000n]});
  }
}

export interface Scenario {
  name: string;
  title: string;
  steps: number;
  /** The step by which (with the bot) the pool must be back within PEG_BAND_BPS and stay there. */
  bound: number;
  /** Steps before this one cannot be fixed by design (minter paused, caps zero); 0 otherwise. */
  blockedUntil: number;
  /** Whether the shock moves the pool at all (false: the peg holds by design, bot or not). */
  movesPool: boolean;
  /** USDC the reserve manager can raise from T-bills per settlement day [USDC units]. */
  divestPerDay: bigint;
  /** Runs before the books are opened (may bring in outside money). */
  setup?(w: World): Promise<Record<string, number>>;
  /** The shock, at the start of each step, before the bot looks. */
  onStep(w: World, step: number): Promise<void>;
  /** Scenario-specific numbers after the run. */
  measure?(w: World): Promise<Record<string, number>>;
}

const DUMP = SUPPLY / 20n; // 5% of supply [wad]

/** The six scenarios of issue 7. */
export const SCENARIOS: Scenario[] = [
  {
    name: "dump",
    title: "Large AID dump (5% of supply sold on the pool)",
    steps: 12,
    bound: 5,
    blockedUntil: 0,
    movesPool: true,
    divestPerDay: 10_000_000n * USDC,
    async onStep(w, step) {
      if (step === 0) await dumpAid(w, w.whale, DUMP);
    },
  },
  {
    name: "buy",
    title: "Large AID buy (USDC worth 5% of supply bought on the pool)",
    steps: 12,
    bound: 5,
    blockedUntil: 0,
    movesPool: true,
    divestPerDay: 10_000_000n * USDC,
    async setup(w) {
      await mintUsdc(w, w.whale.address, DUMP / SCALE);
      return {};
    },
    async onStep(w, step) {
      if (step === 0) await swapExactIn(w.c, w.whale, w.uni, w.pool, w.d.usdc, DUMP / SCALE);
    },
  },
  {
    name: "bankrun",
    title: "Bank run (20% of supply queued against a 5% buffer, 3% dumped)",
    steps: 12,
    bound: 6,
    blockedUntil: 0,
    movesPool: true,
    divestPerDay: 750_000n * USDC,
    async setup(w) {
      // run the buffer down to its 5% floor
      await w.c.send(w.admin, {address: w.d.reserve, abi: aidReserveAbi, functionName: "setBufferTarget", args: [500n]});
      await w.c.send(w.admin, {address: w.d.reserve, abi: aidReserveAbi, functionName: "invest", args: [500_000n * USDC]});
      return {};
    },
    async onStep(w, step) {
      if (step !== 0) return;
      for (const u of w.users.slice(0, 4)) await queueRedeem(w, u, WORLD.userAid * WAD); // 2M queued
      for (const u of w.users.slice(4)) await dumpAid(w, u, (SUPPLY * 3n) / 200n); // 2 × 1.5%
    },
  },
  {
    name: "default",
    title: "Deal default: sAID's deal position marked down 40%",
    steps: 8,
    bound: 0,
    blockedUntil: 0,
    movesPool: false,
    divestPerDay: 10_000_000n * USDC,
    async setup(w) {
      const stake = 2_000_000n * WAD;
      await w.c.send(w.whale, {address: w.d.aid, abi: aidAbi, functionName: "approve", args: [w.d.sAID, stake]});
      await w.c.send(w.whale, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [stake, w.whale.address]});
      const position = await w.c.deploy(w.admin, mockPositionAbi, mockPositionBytecode, [w.d.aid]);
      await w.c.send(w.admin, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "addPosition", args: [position]});
      await w.c.send(w.admin, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "allocate", args: [position, stake / 2n]});
      w.position = position;
      return {sAidPriceBefore: await sAidPrice(w)};
    },
    async onStep(w, step) {
      if (step !== 0 || !w.position) return;
      const loss = (2_000_000n * WAD * 2n) / 10n; // 40% of the 1M allocated
      await w.c.send(w.admin, {address: w.position, abi: mockPositionAbi, functionName: "mark", args: [w.d.sAID, -loss]});
      await w.c.send(w.admin, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "bookLoss", args: [w.position]});
    },
    async measure(w) {
      return {sAidPriceAfter: await sAidPrice(w)};
    },
  },
  {
    name: "paused",
    title: "Minter paused during a 5% dump, unpaused at step 6",
    steps: 16,
    bound: 11,
    blockedUntil: 6,
    movesPool: true,
    divestPerDay: 10_000_000n * USDC,
    async onStep(w, step) {
      if (step === 0) {
        await w.c.send(w.admin, {address: w.d.minter, abi: aidMinterAbi, functionName: "pause"});
        await dumpAid(w, w.whale, DUMP);
      }
      if (step === 6) await w.c.send(w.admin, {address: w.d.minter, abi: aidMinterAbi, functionName: "unpause"});
    },
  },
  {
    name: "capszero",
    title: "Caps zeroed by the gatekeeper during a 5% dump, 100k/block from step 6",
    steps: 18,
    bound: 14,
    blockedUntil: 6,
    movesPool: true,
    divestPerDay: 10_000_000n * USDC,
    async onStep(w, step) {
      if (step === 0) {
        await w.c.send(w.admin, {address: w.d.minter, abi: aidMinterAbi, functionName: "disableMintAndRedeem"});
        await dumpAid(w, w.whale, DUMP);
      }
      if (step === 6) {
        const cap = 100_000n * WAD; // reopened cautiously: 1% of supply per block each way
        await w.c.send(w.admin, {address: w.d.minter, abi: aidMinterAbi, functionName: "setGlobalCaps", args: [cap, cap]});
      }
    },
  },
];

async function sAidPrice(w: World): Promise<number> {
  const a = await w.c.read<bigint>({address: w.d.sAID, abi: stakedAIDAbi, functionName: "convertToAssets", args: [WAD]});
  return Number(a) / 1e18;
}

export interface StepRecord {
  step: number;
  seconds: number;
  /** Pool price after the step's shock, before the bot acts (what the market sees this block). */
  price: number;
  bps: number;
  /** Unpaid redemption requests. */
  queue: number;
  bot?: BotAction;
}

export interface ScenarioResult {
  name: string;
  title: string;
  withBot: boolean;
  bound: number;
  blockedUntil: number;
  steps: StepRecord[];
  finalPrice: number;
  finalBps: number;
  maxDepegBps: number;
  /** First step from which the pool stays within PEG_BAND_BPS to the end (null: never). */
  recoveredStep: number | null;
  recoveredSeconds: number | null;
  maxQueue: number;
  /** Unpaid requests at the end of each settlement day. */
  queueByDay: number[];
  /** Request ids in the order keepers got them paid (they try the newest first). */
  claimOrder: bigint[];
  /** After every claim, every earlier unpaid request was covered by earmarked funds. */
  fifoHeld: boolean;
  /** Min over the run of reserve.totalValue − minter.liabilities() [wad]. */
  minReserveMargin: bigint;
  /** Min over the run of reserve.totalValue − AID totalSupply [wad]. */
  minReserveOverSupply: bigint;
  /** Holders' + pool's value at par (USDC, AID, unpaid tickets) before and after [wad]. */
  holdingsBefore: bigint;
  holdingsAfter: bigint;
  /** Redemptions made (each may round ≤ 1e12 wei AID to the reserve). */
  redemptions: number;
  bot: BotReport | null;
  extra: Record<string, number>;
}

/** Runs `s` on `w` (from its current state: revert to a snapshot between runs). */
export async function runScenario(w: World, s: Scenario, withBot: boolean, cfg: BotConfig = DEFAULT_BOT): Promise<ScenarioResult> {
  const {c, d} = w;
  delete w.position; // a snapshot revert removed it
  const extra = {...((await s.setup?.(w)) ?? {})};
  const firstId = await c.read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "redeemRequestCount"});
  const bot = withBot ? new ArbBot(c, w.bot, d, w.uni, w.pool, cfg) : null;
  await bot?.init();
  const holdingsBefore = await holdings(w);
  let minReserveMargin = 2n ** 255n;
  let minReserveOverSupply = 2n ** 255n;
  const checkReserve = async () => {
    const [value, liabilities, supply] = await Promise.all([
      c.read<bigint>({address: d.reserve, abi: aidReserveAbi, functionName: "totalValue"}),
      c.read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "liabilities"}),
      c.read<bigint>({address: d.aid, abi: aidAbi, functionName: "totalSupply"}),
    ]);
    if (value - liabilities < minReserveMargin) minReserveMargin = value - liabilities;
    if (value - supply < minReserveOverSupply) minReserveOverSupply = value - supply;
  };

  const steps: StepRecord[] = [];
  for (let i = 0; i < s.steps; i++) {
    await s.onStep(w, i);
    const price = await poolPrice(c, w.pool);
    const queue = await unpaid(w, firstId);
    const action = bot ? await bot.act() : undefined;
    steps.push({step: i, seconds: i * STEP_SECONDS, price, bps: bpsFromPeg(price), queue: queue.length, ...(action ? {bot: action} : {})});
    await checkReserve();
    await c.step(STEP_SECONDS);
  }
  const finalPrice = await poolPrice(c, w.pool);

  const settled = await settle(w, s, firstId, bot);
  await checkReserve();
  Object.assign(extra, (await s.measure?.(w)) ?? {});
  const count = await c.read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "redeemRequestCount"});

  const bps = steps.map((r) => r.bps);
  let recoveredStep: number | null = null;
  const finalIn = Math.abs(bpsFromPeg(finalPrice)) <= PEG_BAND_BPS;
  if (finalIn) {
    recoveredStep = steps.length;
    while (recoveredStep > 0 && Math.abs(bps[recoveredStep - 1]!) <= PEG_BAND_BPS) recoveredStep--;
  }
  return {
    name: s.name,
    title: s.title,
    withBot,
    bound: s.bound,
    blockedUntil: s.blockedUntil,
    steps,
    finalPrice,
    finalBps: bpsFromPeg(finalPrice),
    maxDepegBps: Math.max(...bps.map(Math.abs), Math.abs(bpsFromPeg(finalPrice))),
    recoveredStep,
    recoveredSeconds: recoveredStep === null ? null : recoveredStep * STEP_SECONDS,
    maxQueue: Math.max(0, ...steps.map((r) => r.queue)),
    queueByDay: settled.queueByDay,
    claimOrder: settled.claimOrder,
    fifoHeld: settled.fifoHeld,
    minReserveMargin,
    minReserveOverSupply,
    holdingsBefore,
    holdingsAfter: await holdings(w),
    redemptions: Number(count - firstId),
    bot: bot ? await bot.report() : null,
    extra,
  };
}

type Req = {receiver: Address; claimableAt: number; claimed: boolean; asset: Address; assetAmount: bigint};

async function request(w: World, id: bigint): Promise<Req> {
  return w.c.read<Req>({address: w.d.minter, abi: aidMinterAbi, functionName: "redeemRequest", args: [id]});
}

/** Unpaid request ids from `firstId`, oldest first. */
async function unpaid(w: World, firstId: bigint): Promise<{id: bigint; req: Req}[]> {
  const count = await w.c.read<bigint>({address: w.d.minter, abi: aidMinterAbi, functionName: "redeemRequestCount"});
  const out: {id: bigint; req: Req}[] = [];
  for (let id = firstId; id < count; id++) {
    const req = await request(w, id);
    if (!req.claimed) out.push({id, req});
  }
  return out;
}

/** Day by day: the reserve manager sells T-bills into the buffer (up to `divestPerDay`), keepers try to claim every
 *  due request newest first (the least favourable order for FIFO), then the bot claims its own tickets. */
async function settle(w: World, s: Scenario, firstId: bigint, bot: ArbBot | null) {
  const {c, d} = w;
  const queueByDay: number[] = [];
  const claimOrder: bigint[] = [];
  let fifoHeld = true;
  const botTickets = new Set(bot?.tickets ?? []);
  for (let day = 1; day <= 10; day++) {
    const open = await unpaid(w, firstId);
    if (open.length === 0) break;
    await c.step(DAY);
    await refreshFeeds(w);
    await topUpBuffer(w, s.divestPerDay);
    for (const {id} of [...open].reverse()) {
      if (botTickets.has(id)) continue;
      try {
        await c.send(w.admin, {address: d.minter, abi: aidMinterAbi, functionName: "claimRedeem", args: [id]});
      } catch {
        continue; // not funded yet: FIFO makes it wait for the buffer
      }
      claimOrder.push(id);
      fifoHeld &&= await earlierCovered(w, firstId, id);
    }
    if (bot) {
      const before = new Set((await unpaid(w, firstId)).map((r) => r.id));
      await bot.claimReady();
      for (const id of before) {
        if ((await request(w, id)).claimed) {
          claimOrder.push(id);
          fifoHeld &&= await earlierCovered(w, firstId, id);
        }
      }
    }
    queueByDay.push((await unpaid(w, firstId)).length);
  }
  return {queueByDay, claimOrder, fifoHeld};
}

/** Whether every unpaid request older than `id` is covered by USDC earmarked for it. */
async function earlierCovered(w: World, firstId: bigint, id: bigint): Promise<boolean> {
  const earmarked = await w.c.read<bigint>({address: w.d.minter, abi: aidMinterAbi, functionName: "earmarked", args: [w.d.usdc]});
  const owed = (await unpaid(w, firstId)).filter((r) => r.id < id).reduce((a, r) => a + r.req.assetAmount, 0n);
  return owed <= earmarked;
}

/** Sells T-bill shares for up to `max` USDC, as much as the unfunded queue needs. */
async function topUpBuffer(w: World, max: bigint): Promise<void> {
  const {c, d} = w;
  const [pending, balance] = await Promise.all([
    c.read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "pendingRedemptions"}),
    c.read<bigint>({address: d.usdc, abi: mockERC20Abi, functionName: "balanceOf", args: [d.reserve]}),
  ]);
  const need = pending / SCALE + 1n > balance ? pending / SCALE + 1n - balance : 0n;
  const want = need < max ? need : max;
  if (want === 0n) return;
  await c.send(w.admin, {address: d.tbill, abi: mockTBillVaultAbi, functionName: "accrue"});
  const shares = await c.read<bigint>({address: d.tbill, abi: mockTBillVaultAbi, functionName: "previewWithdraw", args: [want]});
  const held = await c.read<bigint>({address: d.tbill, abi: mockTBillVaultAbi, functionName: "balanceOf", args: [d.reserve]});
  await c.send(w.admin, {address: d.reserve, abi: aidReserveAbi, functionName: "divest", args: [shares < held ? shares : held]});
}

/** USDC + AID held by every actor, the pool, sAID and deal positions, plus unpaid tickets, at par [wad]. */
export async function holdings(w: World): Promise<bigint> {
  const {c, d} = w;
  const holders: Address[] = [w.admin, w.bot, w.whale, ...w.users].map((a) => a.address);
  holders.push(w.pool.pool, d.sAID);
  if (w.position) holders.push(w.position);
  let total = 0n;
  for (const h of holders) {
    const [u, a] = await Promise.all([
      c.read<bigint>({address: d.usdc, abi: mockERC20Abi, functionName: "balanceOf", args: [h]}),
      c.read<bigint>({address: d.aid, abi: aidAbi, functionName: "balanceOf", args: [h]}),
    ]);
    total += u * SCALE + a;
  }
  const pending = await c.read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "pendingRedemptions"});
  return total + pending;
}
