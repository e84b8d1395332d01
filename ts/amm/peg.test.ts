import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Anvil} from "../lib/anvil.ts";
import {expectBooks, expectRecovered, expectStaysOff} from "./books.ts";
import {aidMinterAbi} from "../abi/generated.ts";
import {DEFAULT_BOT} from "./bot.ts";
import {runAll, startWorld} from "./index.ts";
import type {ScenarioPair} from "./report.ts";
import {PEG_BAND_BPS, runScenario, SCENARIOS, SUPPLY, WORLD, type Scenario, type ScenarioResult} from "./scenarios.ts";
import {POOL_FEE} from "./uniswap.ts";

const REDEEM_FEE_BPS = 20; // [bps] set for the fee run

// Shocks the bot must fix: a 5% dump, a 5% buy, a bank run. One Anvil and deployment; every run starts from the same
// snapshot of the world.
describe("AMM peg: dump, buy, bank run", () => {
  let anvil: Anvil | undefined;
  const runs = new Map<string, ScenarioPair>();
  const pair = (name: string) => runs.get(name)!;
  let feeRun: ScenarioResult;

  beforeAll(async () => {
    const started = await startWorld(43_337 + Number(process.env.VITEST_POOL_ID ?? 0));
    anvil = started.anvil;
    const names = ["dump", "buy", "bankrun"];
    for (const p of await runAll(started.c, started.w, SCENARIOS.filter((s) => names.includes(s.name)), () => {})) runs.set(p.bot.name, p);
    // the dump again with a redemption fee (runAll leaves the world at its snapshot)
    const {c, w} = started;
    const dump = SCENARIOS.find((s) => s.name === "dump")!;
    const withFee: Scenario = {
      ...dump,
      name: "dump-fee",
      async setup() {
        const cfg = await c.read<{feed: `0x${string}`; heartbeat: number; mintFeeBps: number}>({address: w.d.minter, abi: aidMinterAbi, functionName: "assetConfig", args: [w.d.usdc]});
        await c.send(w.admin, {address: w.d.minter, abi: aidMinterAbi, functionName: "setAsset", args: [w.d.usdc, cfg.feed, true, cfg.mintFeeBps, REDEEM_FEE_BPS, cfg.heartbeat]});
        return {};
      },
    };
    feeRun = await runScenario(w, withFee, true);
  }, 240_000);
  afterAll(async () => anvil?.stop());

  it("dump: the bot buys below peg, redeems, and brings the pool back; without it the pool stays down", () => {
    const {bot, noBot} = pair("dump");
    expectRecovered(bot);
    expectStaysOff(noBot);
    expect(bot.steps[0]!.bps).toBeLessThan(-PEG_BAND_BPS); // AID fell
    expect(bot.steps[0]!.bot?.kind).toBe("buy-redeem");
    expect(bot.bot!.aidSold).toBe(0n);
    // it redeemed what it bought (the queued tickets were paid at par after the delay)
    expect(bot.redemptions).toBe(bot.bot!.tickets.length);
  });

  it("buy: the bot mints and sells above peg; without it the pool stays up", () => {
    const {bot, noBot} = pair("buy");
    expectRecovered(bot);
    expectStaysOff(noBot);
    expect(bot.steps[0]!.bps).toBeGreaterThan(PEG_BAND_BPS);
    expect(bot.steps[0]!.bot?.kind).toBe("mint-sell");
    expect(bot.bot!.aidBought).toBe(0n);
    expect(bot.redemptions).toBe(0);
  });

  it("bank run: the queue fills past the buffer and drains FIFO over days while the pool is restored", () => {
    const {bot, noBot} = pair("bankrun");
    expectRecovered(bot);
    expectStaysOff(noBot);
    // 4 holders queue their whole balance; the 5% buffer cannot pay them on the first day
    expect(noBot.maxQueue).toBe(4);
    expect(noBot.queueByDay.length).toBeGreaterThan(1);
    expect(noBot.queueByDay[0]).toBeGreaterThan(0);
    // the bot's tickets join the end of the queue
    expect(bot.maxQueue).toBe(4 + bot.bot!.tickets.length);
    expect(Math.min(...bot.bot!.tickets.map(Number))).toBeGreaterThanOrEqual(4);
    // keepers tried the newest first, yet nothing was paid ahead of an unfunded older request
    expect(bot.claimOrder).not.toEqual([...bot.claimOrder].sort((a, b) => Number(a - b)));
  });

  it("with a redemption fee the bot stops at its fee-adjusted break-even and never trades at a loss", () => {
    const r = feeRun;
    const wait = 86_400; // redeemDelay; the queue ahead (the bot's own tickets) fits the buffer: no extra lag
    const capital = ((DEFAULT_BOT.hurdleAprBps / 1e4) * wait) / (365 * 86_400);
    const breakEven = (1 - POOL_FEE / 1e6) * (1 - REDEEM_FEE_BPS / 1e4) * (1 - capital);
    const breakEvenBps = (breakEven - 1) * 1e4;
    expect(breakEvenBps).toBeLessThan(-PEG_BAND_BPS); // the fee makes the band unreachable by design
    expect(r.finalBps).toBeLessThanOrEqual(breakEvenBps + 1e-6); // it never buys above break-even
    expect(r.finalBps).toBeGreaterThan(pair("dump").noBot.finalBps); // it still repaired most of the dump
    expect(r.bot!.trades).toBeGreaterThan(0);
    expect(r.bot!.profit).toBeGreaterThan(0n);
    expect(r.fifoHeld).toBe(true);
    expect(r.minReserveOverSupply).toBeGreaterThanOrEqual(0n);
    // the fee stays in the reserve: holders lose exactly what the reserve keeps, never more than fee + rounding
    const lost = r.holdingsBefore - r.holdingsAfter;
    const redeemed = r.steps.reduce((a, s) => a + (s.bot?.kind === "buy-redeem" ? s.bot.aid : 0n), 0n);
    expect(lost).toBeGreaterThan(0n);
    expect(lost).toBeLessThanOrEqual((redeemed * BigInt(REDEEM_FEE_BPS)) / 10_000n + BigInt(r.redemptions) * 2n * 10n ** 12n);
  });

  it("no run loses funds or breaks the reserve invariant", () => {
    for (const name of ["dump", "buy", "bankrun"]) {
      expectBooks(pair(name).bot);
      expectBooks(pair(name).noBot);
    }
    expect(SUPPLY).toBe((WORLD.lpAid + WORLD.whaleAid + 6n * WORLD.userAid) * 10n ** 18n);
  });
});
