import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Anvil} from "../lib/anvil.ts";
import {DEFAULT_LIQUIDATOR} from "./liquidator.ts";
import {WAD} from "./morpho.ts";
import {chartSvg, loopersCsv, stepsCsv, summaryMarkdown} from "./report.ts";
import {runLending, type LendingReport} from "./scenario.ts";
import {startLendingWorld, WORLD} from "./world.ts";

// The default cascade, short: four loopers (3x, 6x, 8x, 10x) instead of eight; both runs (10/25/40% in steps, 40% at
// once) from one snapshot. The expectations are derived from the report's own numbers and from Morpho's events.
describe("lending: default cascade on real Morpho Blue", () => {
  let anvil: Anvil | undefined;
  let r: LendingReport;

  beforeAll(async () => {
    const started = await startLendingWorld(46_337 + Number(process.env.VITEST_POOL_ID ?? 0));
    anvil = started.anvil;
    r = await runLending(started.world, {leverages: [3, 6, 8, 10], equity: 20_000n * WAD});
  }, 240_000);
  afterAll(async () => anvil?.stop());

  const rows = () => r.scenarios.flatMap((s) => s.rows);
  const run = (name: string) => r.scenarios.find((s) => s.name === name)!;

  it("the oracle price is convertToAssetsWithLoss(1 sAID) on Morpho's 1e36 scale, and falls by the booked loss's share of NAV", () => {
    for (const s of r.scenarios) {
      const base = s.rows[0]!;
      expect(base.oraclePrice).toBe(WAD * WAD); // no loss yet: 1 AID per sAID
      for (const x of s.rows) {
        expect(x.oraclePrice).toBe(x.lossAwareNav * WAD);
        // the position's loss over sAID's NAV before the default, within the few seconds the mark runs on to the bot
        const expected = 1 - (x.lossBps / 10_000) * (Number(WORLD.dealJunior) / Number(base.totalAssets));
        expect(Number(x.oraclePrice) / Number(base.oraclePrice)).toBeCloseTo(expected, 4);
      }
    }
    expect(run("cascade").rows.map((x) => x.targetBps)).toEqual([0, 1000, 2500, 4000]);
    for (const x of rows().filter((x) => x.step > 0)) expect(x.lossBps).toBeGreaterThanOrEqual(x.targetBps); // first second at or past
  });

  it("collateral seized and bad debt per step equal Morpho's Liquidate events", () => {
    let liquidations = 0;
    for (const x of rows()) {
      liquidations += x.events.count;
      expect(x.events.count).toBe(x.liquidatable);
      expect(x.events.seized).toBe(x.seized); // the bot's sAID balance change
      expect(x.events.badDebt).toBe(x.badDebt); // the market's total supply change
      expect(x.sold + x.queued).toBe(x.seized); // every seized sAID sold or queued
    }
    expect(liquidations).toBeGreaterThan(0);
  });

  it("the sudden 40% mark: bad debt exactly for the loops above the threshold leverage, none below", () => {
    const t = r.threshold;
    expect(t.leverage).toBeGreaterThan(6.2);
    expect(t.leverage).toBeLessThan(7.8); // the fixture puts it between the 6x and 8x loopers
    for (const l of run("sudden").loopers) {
      if (l.leverage < t.leverage) expect(l.badDebt, `${l.leverage}x`).toBe(0n);
      else expect(l.badDebt, `${l.leverage}x`).toBeGreaterThan(0n);
    }
    const lifInv = Number(WAD * WAD / r.lif) / 1e18;
    for (const s of r.scenarios) {
      for (const l of s.loopers) {
        if (l.liquidatedAt === 0) continue;
        if (l.ltvAtLiquidation > lifInv + 1e-6) expect(l.badDebt).toBeGreaterThan(0n);
        if (l.ltvAtLiquidation < lifInv - 1e-6) expect(l.badDebt).toBe(0n);
      }
    }
  });

  it("the cascade gives the bot a run between steps: every loop above the LLTV is liquidated without bad debt", () => {
    const c = run("cascade");
    expect(c.rows.reduce((s, x) => s + x.badDebt, 0n)).toBe(0n);
    expect(c.loopers.filter((l) => l.liquidatedAt > 0).map((l) => l.target)).toEqual([6, 8, 10]);
    expect(c.loopers.find((l) => l.target === 3)!.liquidatedAt).toBe(0);
  });

  it("the bot sells on the pool only down to its floor and queues the rest; the queue pays less than it recorded", () => {
    for (const x of rows()) {
      expect(x.poolDiscountBps).toBeLessThanOrEqual(DEFAULT_LIQUIDATOR.maxImpactBps + 1);
      if (x.seized > 0n) expect(x.queued).toBeGreaterThan(0n); // the pool is thin: most goes to the queue
    }
    for (const s of r.scenarios) {
      expect(s.queue.recorded).toBeGreaterThan(0n);
      expect(s.queue.paid).toBeLessThan(s.queue.recorded); // the deal kept marking down during the unstake delay
    }
  });

  it("writes a consistent report", () => {
    const csv = stepsCsv(r).trim().split("\n");
    expect(csv.length).toBe(1 + rows().length);
    expect(loopersCsv(r).trim().split("\n").length).toBe(1 + r.scenarios.length * 4);
    expect(summaryMarkdown(r)).toContain(`leverage ${r.threshold.leverage.toFixed(2)}x`);
    expect(chartSvg(r)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });
});
