// Book checks every scenario run must pass (used by the vitest suites): FIFO funding, reserve backing, no value lost.
import {expect} from "vitest";
import {PEG_BAND_BPS, type ScenarioResult} from "./scenarios.ts";

const ROUNDING = 10n ** 12n; // [wei AID] a redemption may leave in the reserve (18 -> 6 decimals, rounded down)

/** The books of one run add up. */
export function expectBooks(r: ScenarioResult): void {
  // the reserve is worth at least the AID supply and every queued redemption, at every step and after settlement
  expect(r.minReserveOverSupply).toBeGreaterThanOrEqual(0n);
  expect(r.minReserveMargin).toBeGreaterThanOrEqual(0n);
  // every request was paid, and never before an older request had its USDC set aside (FIFO)
  expect(r.fifoHeld).toBe(true);
  expect(r.claimOrder.length).toBe(r.redemptions);
  expect(new Set(r.claimOrder).size).toBe(r.redemptions);
  if (r.redemptions > 0) expect(r.queueByDay.at(-1)).toBe(0);
  // value at par held by holders + pool + sAID is conserved up to the per-redemption rounding, which stays in the
  // reserve (it never moves the other way)
  const lost = r.holdingsBefore - r.holdingsAfter;
  expect(lost).toBeGreaterThanOrEqual(0n);
  expect(lost).toBeLessThanOrEqual(BigInt(r.redemptions) * ROUNDING);
  if (r.bot) {
    // the bot's P&L: gross (balances + tickets at par) minus its gas at the modelled price; all its tickets paid
    expect(r.bot.pendingUsdc).toBe(0n);
    expect(r.bot.profit).toBe(r.bot.grossProfit - r.bot.gasCostUsdc);
    if (r.bot.trades > 0) expect(r.bot.profit).toBeGreaterThan(0n);
  }
}

/** With the bot the pool is back within the band by the scenario's bound and stays there. */
export function expectRecovered(r: ScenarioResult): void {
  expect(r.withBot).toBe(true);
  expect(r.maxDepegBps).toBeGreaterThan(PEG_BAND_BPS); // the shock was real
  expect(r.recoveredStep).not.toBeNull();
  expect(r.recoveredStep!).toBeLessThanOrEqual(r.bound);
  expect(Math.abs(r.finalBps)).toBeLessThanOrEqual(PEG_BAND_BPS);
  expect(r.bot!.trades).toBeGreaterThan(0);
}

/** Without the bot the same shock leaves the pool outside the band at every step. */
export function expectStaysOff(r: ScenarioResult): void {
  expect(r.withBot).toBe(false);
  expect(r.recoveredStep).toBeNull();
  for (const s of r.steps) expect(Math.abs(s.bps)).toBeGreaterThan(PEG_BAND_BPS);
  expect(Math.abs(r.finalBps)).toBeGreaterThan(PEG_BAND_BPS);
}
