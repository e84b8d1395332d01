// The default cascade: loopers at several leverages on the sAID/AID market, then the deal in sAID's book marked down
// in steps; after each step the pool is arbitraged to sAID's new price (a holder sells sAID down to it) and the
// liquidation bot runs. Two runs from one snapshot: "cascade" (10%, 25%, 40% of the position, the bot between steps)
// and "sudden" (40% in one step). Every number the report prints comes from here.
import {aidAbi, stakedAIDAbi} from "../abi/generated.ts";
import {markDownTo} from "./default.ts";
import {Liquidator, type LiquidatorConfig} from "./liquidator.ts";
import {loop, maxLeverage, type Looper} from "./loop.ts";
import {liquidateEvents, liquidationIncentive, oraclePrice, WAD} from "./morpho.ts";
import {pairPrice, sellBase} from "./pool.ts";
import {WORLD, type LendingWorld} from "./world.ts";

export interface ScenarioSpec {
  name: string;
  /** Cumulative marks of the position's cost [bps], one bot run after each. */
  stepsBps: number[];
}

export const CASCADE: ScenarioSpec = {name: "cascade", stepsBps: [1000, 2500, 4000]};
export const SUDDEN: ScenarioSpec = {name: "sudden", stepsBps: [4000]};

export interface LendingOptions {
  /** Target leverages; "max" = the LLTV less 0.5% of LTV. */
  leverages: (number | "max")[];
  equity: bigint; // [wad] per looper
  liquidator?: LiquidatorConfig;
  scenarios?: ScenarioSpec[];
}

export const DEFAULT_OPTIONS: LendingOptions = {
  leverages: [2, 3, 5, 6, 7, 8, 10, "max"],
  equity: 20_000n * WAD,
};

export interface StepRow {
  scenario: string;
  step: number; // 0: after the loops, before the default
  targetBps: number; // cumulative mark asked for [bps of the position's cost]
  lossBps: number; // the position's actual loss [bps of its cost]
  daysLate: number;
  dealMarkBps: number;
  oraclePrice: bigint; // Morpho oracle price [1e36 scale]
  /** convertToAssetsWithLoss(1 sAID) [wad] in the block the bot read the oracle at: the oracle must equal it × 1e18. */
  lossAwareNav: bigint;
  /** sAID's totalAssets [wad] in that block. */
  totalAssets: bigint;
  priceChangeBps: number; // vs step 0
  scanned: number;
  liquidatable: number;
  seized: bigint; // [sAID units]
  repaid: bigint; // [wad] AID
  badDebt: bigint; // [wad] AID lenders lost
  sold: bigint;
  soldFor: bigint;
  queued: bigint;
  queuedAssets: bigint;
  poolPrice: bigint; // [wad AID per sAID] after the bot
  poolDiscountBps: number; // 1 − pool / oracle price, after the bot
  fromBlock: bigint;
  toBlock: bigint;
  /** Morpho's Liquidate events in the bot's blocks (read before the run is reverted for the next one). */
  events: {count: number; seized: bigint; badDebt: bigint};
}

export interface LooperRow {
  scenario: string;
  target: number;
  leverage: number;
  ltv0: number;
  equity: bigint;
  collateral: bigint;
  debt: bigint;
  liquidatedAt: number; // step, 0 if never
  ltvAtLiquidation: number;
  mode: string;
  badDebt: bigint;
}

export interface ScenarioResult {
  name: string;
  rows: StepRow[];
  loopers: LooperRow[];
  /** The liquidator's requests: AID recorded when queued (summed); after the last step the unstake delay passes, the
   *  loss is booked and the queue processed: AID paid. */
  queue: {recorded: bigint; paid: bigint; daysWaited: number};
}

export interface LendingReport {
  lltv: bigint;
  lif: bigint;
  equity: bigint;
  scenarios: ScenarioResult[];
  /** Sudden run: oracle price after / before the 40% step, the threshold LTV (ratio / LIF) and leverage. */
  threshold: {priceRatio: number; ltv: number; leverage: number; maxLeverage: number};
}

const bps = (num: bigint, den: bigint) => (den === 0n ? 0 : Number((num * 1_000_000n) / den) / 100);

/** sAID's loss-aware value of 1 sAID [wad] at `blockNumber` (the block the bot read the oracle at). */
async function lossAwareNav(w: LendingWorld, blockNumber: bigint): Promise<bigint> {
  return w.c.client.readContract({address: w.d.sAID, abi: stakedAIDAbi, functionName: "convertToAssetsWithLoss", args: [WAD], blockNumber});
}

/** A holder arbitrages the pool to sAID's loss-aware price: sells sAID on it down to the oracle price. */
async function arbitrage(w: LendingWorld, price: bigint): Promise<void> {
  const bal = await w.c.read<bigint>({address: w.d.sAID, abi: stakedAIDAbi, functionName: "balanceOf", args: [w.carol.address]});
  await sellBase(w.amm, w.carol, w.uni, w.pool, bal, price / 10n ** 18n);
}

/** One run: the bot before the default, then one markdown, arbitrage and bot run per step, then the queue. */
async function runOne(w: LendingWorld, spec: ScenarioSpec, loopers: Looper[], cfg: LiquidatorConfig | undefined): Promise<ScenarioResult> {
  const bot = new Liquidator(w, w.liquidator, cfg);
  const rows: StepRow[] = [];
  const byBorrower = new Map(loopers.map((l) => [l.account.address, {l, at: 0, ltv: 0, mode: "", bad: 0n}]));
  const record = async (step: number, targetBps: number, mark: {loss: bigint; late: bigint; markBps: bigint} | undefined) => {
    const r = await bot.run();
    const nav = await lossAwareNav(w, r.priceBlock);
    const totalAssets = await w.c.client.readContract({address: w.d.sAID, abi: stakedAIDAbi, functionName: "totalAssets", blockNumber: r.priceBlock});
    const poolPrice = await pairPrice(w.amm, w.pool);
    const oracleWad = r.price / 10n ** 18n;
    for (const liq of r.liquidations) {
      const e = byBorrower.get(liq.borrower);
      if (e && e.at === 0) Object.assign(e, {at: step, ltv: Number(liq.found.ltv) / 1e18, mode: liq.mode});
      if (e) e.bad += liq.badDebt;
    }
    rows.push({
      scenario: spec.name, step, targetBps, lossBps: mark ? bps(mark.loss, WORLD.dealJunior) : 0, daysLate: mark ? Number(mark.late) / 86_400 : 0,
      dealMarkBps: mark ? Number(mark.markBps) : 0, oraclePrice: r.price, lossAwareNav: nav, totalAssets,
      priceChangeBps: rows.length === 0 ? 0 : bps(r.price - rows[0]!.oraclePrice, rows[0]!.oraclePrice), scanned: r.scanned,
      liquidatable: r.liquidatable, seized: r.seized, repaid: r.liquidations.reduce((s, l) => s + l.repaid, 0n), badDebt: r.badDebt,
      sold: r.sold, soldFor: r.soldFor, queued: r.queued, queuedAssets: r.queuedAssets, poolPrice,
      poolDiscountBps: bps(oracleWad - poolPrice, oracleWad), fromBlock: r.fromBlock, toBlock: r.toBlock,
      events: await liquidateEvents(w.c, w.m, r.fromBlock, r.toBlock),
    });
  };
  await record(0, 0, undefined);
  for (const [i, target] of spec.stepsBps.entries()) {
    const mark = await markDownTo(w, WORLD.dealJunior, target);
    await arbitrage(w, await oraclePrice(w.c, w.m));
    await record(i + 1, target, mark);
  }
  // the liquidator's queued sAID: the unstake delay passes (the deal keeps marking down), the allocator books it
  const recorded = rows.reduce((sum, x) => sum + x.queuedAssets, 0n); // what each request recorded when made
  let paid = 0n;
  const delay = Number(await w.c.read<bigint>({address: w.d.sAID, abi: stakedAIDAbi, functionName: "unstakeDelay"}));
  if (recorded > 0n) {
    await w.c.advance(delay + 1);
    await w.c.send(w.admin, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "bookLoss", args: [w.position]});
    const before = await w.c.read<bigint>({address: w.d.aid, abi: aidAbi, functionName: "balanceOf", args: [w.liquidator.address]});
    await w.c.send(w.admin, {address: w.d.sAID, abi: stakedAIDAbi, functionName: "processUnstakeQueue", args: [50n]});
    paid = (await w.c.read<bigint>({address: w.d.aid, abi: aidAbi, functionName: "balanceOf", args: [w.liquidator.address]})) - before;
  }
  const looperRows: LooperRow[] = [...byBorrower.values()].map(({l, at, ltv, mode, bad}) => ({
    scenario: spec.name, target: l.target, leverage: l.leverage, ltv0: Number(l.start.ltv) / 1e18, equity: l.equity, collateral: l.collateral,
    debt: l.start.debt, liquidatedAt: at, ltvAtLiquidation: ltv, mode, badDebt: bad,
  }));
  return {name: spec.name, rows, loopers: looperRows, queue: {recorded, paid, daysWaited: delay / 86_400}};
}

/** Loops every leverage, then runs each scenario from the same snapshot. */
export async function runLending(w: LendingWorld, opts: LendingOptions = DEFAULT_OPTIONS, log: (l: string) => void = () => {}): Promise<LendingReport> {
  const lltv = w.m.aidMarket.lltv;
  const loopers: Looper[] = [];
  for (const lev of opts.leverages) {
    const target = lev === "max" ? maxLeverage(lltv) : lev;
    const l = await loop(w, await w.nextAccount(), opts.equity, target);
    log(`looper ${target.toFixed(2)}x: ${l.rounds} rounds, leverage ${l.leverage.toFixed(3)}x, LTV ${(Number(l.start.ltv) / 1e16).toFixed(2)}%`);
    loopers.push(l);
  }
  const scenarios: ScenarioResult[] = [];
  let snap = await w.c.test.snapshot();
  for (const [i, spec] of (opts.scenarios ?? [CASCADE, SUDDEN]).entries()) {
    if (i > 0) {
      const ok = await w.c.test.request({method: "evm_revert", params: [snap]} as never);
      if (ok !== true) throw new Error("evm_revert failed");
      snap = await w.c.test.snapshot(); // anvil snapshots are single use
    }
    const r = await runOne(w, spec, loopers, opts.liquidator);
    for (const row of r.rows) log(`${spec.name} step ${row.step}: price ${(Number(row.oraclePrice) / 1e36).toFixed(6)}, liquidatable ${row.liquidatable}, seized ${(Number(row.seized) / 1e18).toFixed(0)} sAID, bad debt ${(Number(row.badDebt) / 1e18).toFixed(2)} AID, pool discount ${row.poolDiscountBps} bps`);
    scenarios.push(r);
  }
  const lif = liquidationIncentive(lltv);
  const sudden = scenarios.find((s) => s.name === SUDDEN.name) ?? scenarios[scenarios.length - 1]!;
  const first = sudden.rows[0]!;
  const last = sudden.rows[sudden.rows.length - 1]!;
  const priceRatio = Number((last.oraclePrice * 10n ** 12n) / first.oraclePrice) / 1e12;
  const ltv = (priceRatio * 1e18) / Number(lif);
  return {lltv, lif, equity: opts.equity, scenarios, threshold: {priceRatio, ltv, leverage: 1 / (1 - ltv), maxLeverage: 1 / (1 - Number(lltv) / 1e18)}};
}
