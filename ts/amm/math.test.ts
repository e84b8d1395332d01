import {describe, expect, it} from "vitest";
import {bpsFromPeg} from "./pool.ts";
import {chartSvg, pricesCsv, spliceReadme, START, END, summaryMarkdown, type ScenarioPair} from "./report.ts";
import type {ScenarioResult} from "./scenarios.ts";
import {priceFromSqrt, sqrtBig, sqrtPriceX96, TICK_SPACING, tickRange} from "./uniswap.ts";

const WAD = 10n ** 18n;

describe("pool price math (AID 18 decimals, USDC 6)", () => {
  it("sqrtBig is the floor square root", () => {
    for (const x of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 2n ** 200n + 12345n]) {
      const r = sqrtBig(x);
      expect(r * r <= x && (r + 1n) * (r + 1n) > x).toBe(true);
    }
  });

  it("1.0 in human units round-trips through sqrtPriceX96 in both token orders", () => {
    for (const aidIsToken0 of [true, false]) {
      const s = sqrtPriceX96(WAD, aidIsToken0);
      expect(priceFromSqrt(s, aidIsToken0)).toBeCloseTo(1, 12);
      // raw price token1/token0: 1e-12 when AID is token0 (1 USDC unit per 1e12 AID wei), 1e12 otherwise
      const raw = (Number(s) / 2 ** 96) ** 2;
      expect(raw / (aidIsToken0 ? 1e-12 : 1e12)).toBeCloseTo(1, 12);
    }
  });

  it("a higher AID price is a higher sqrtPrice when AID is token0 and a lower one otherwise", () => {
    const up = (WAD * 10_100n) / 10_000n;
    expect(sqrtPriceX96(up, true)).toBeGreaterThan(sqrtPriceX96(WAD, true));
    expect(sqrtPriceX96(up, false)).toBeLessThan(sqrtPriceX96(WAD, false));
    expect(priceFromSqrt(sqrtPriceX96(up, false), false)).toBeCloseTo(1.01, 10);
  });

  it("tick ranges are spacing-aligned and cover the human range", () => {
    for (const aidIsToken0 of [true, false]) {
      const {tickLower, tickUpper} = tickRange(0.98, 1.02, aidIsToken0);
      expect(Math.abs(tickLower % TICK_SPACING)).toBe(0);
      expect(Math.abs(tickUpper % TICK_SPACING)).toBe(0);
      // the 1.0 tick, log_1.0001(raw), sits inside; the edges are about ±2% away (±~200 ticks)
      const center = Math.log(aidIsToken0 ? 1e-12 : 1e12) / Math.log(1.0001);
      expect(tickLower).toBeLessThan(center);
      expect(tickUpper).toBeGreaterThan(center);
      expect(tickUpper - tickLower).toBeGreaterThanOrEqual(Math.floor((2 * Math.log(1.02)) / Math.log(1.0001)) - TICK_SPACING);
    }
  });

  it("bps from peg is signed", () => {
    expect(bpsFromPeg(0.99)).toBeCloseTo(-100, 9);
    expect(bpsFromPeg(1.0005)).toBeCloseTo(5, 9);
  });
});

describe("report rendering", () => {
  const run = (withBot: boolean, bps: number[]): ScenarioResult => ({
    name: "dump",
    title: "Dump <5%> & more",
    withBot,
    bound: 5,
    blockedUntil: 0,
    steps: bps.map((b, i) => ({step: i, seconds: i * 12, price: 1 + b / 1e4, bps: b, queue: 0})),
    finalPrice: 1 + bps.at(-1)! / 1e4,
    finalBps: bps.at(-1)!,
    maxDepegBps: Math.max(...bps.map(Math.abs)),
    recoveredStep: withBot ? 2 : null,
    recoveredSeconds: withBot ? 24 : null,
    maxQueue: 0,
    queueByDay: [],
    claimOrder: [],
    fifoHeld: true,
    minReserveMargin: 0n,
    minReserveOverSupply: 0n,
    holdingsBefore: 0n,
    holdingsAfter: 0n,
    redemptions: 0,
    bot: null,
    extra: {},
  });
  const pair: ScenarioPair = {bot: run(true, [-100, -20, -6]), noBot: run(false, [-100, -100, -100])};

  it("writes one CSV row per step and run plus an end row", () => {
    const lines = pricesCsv([pair]).trim().split("\n");
    expect(lines.length).toBe(1 + 2 * (3 + 1));
    expect(lines[1]!.startsWith("dump,1,0,0,0.99000000,-100.000,")).toBe(true);
  });

  it("draws two polylines with escaped text and one table row per scenario", () => {
    const svg = chartSvg(pair);
    expect(svg.match(/<polyline /g)?.length).toBe(2);
    expect(svg).toContain("Dump &lt;5%&gt; &amp; more");
    expect(svg.startsWith("<svg")).toBe(true);
    const md = summaryMarkdown([pair]).trim().split("\n");
    expect(md.length).toBe(3);
    expect(md[2]).toContain("| 2 / 24 |");
    expect(md[2]).toContain("[svg](reports/amm/dump.svg)");
  });

  it("splices the README between its markers only", () => {
    const readme = `a\n${START}\nold\n${END}\nb\n`;
    expect(spliceReadme(readme, "new\n")).toBe(`a\n${START}\nnew\n${END}\nb\n`);
    expect(() => spliceReadme("no markers", "x")).toThrow(/markers|section/);
  });
});
