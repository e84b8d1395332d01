import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Anvil} from "../lib/anvil.ts";
import {expectBooks, expectRecovered, expectStaysOff} from "./books.ts";
import {runAll, startWorld} from "./index.ts";
import type {ScenarioPair} from "./report.ts";
import {PEG_BAND_BPS, SCENARIOS, SUPPLY, WORLD} from "./scenarios.ts";

// Shocks the bot must fix: a 5% dump, a 5% buy, a bank run. One Anvil and deployment; every run starts from the same
// snapshot of the world.
describe("AMM peg: dump, buy, bank run", () => {
  let anvil: Anvil | undefined;
  const runs = new Map<string, ScenarioPair>();
  const pair = (name: string) => runs.get(name)!;

  beforeAll(async () => {
    const started = await startWorld(43_337 + Number(process.env.VITEST_POOL_ID ?? 0));
    anvil = started.anvil;
    const names = ["dump", "buy", "bankrun"];
    for (const p of await runAll(started.c, started.w, SCENARIOS.filter((s) => names.includes(s.name)), () => {})) runs.set(p.bot.name, p);
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

  it("no run loses funds or breaks the reserve invariant", () => {
    for (const name of ["dump", "buy", "bankrun"]) {
      expectBooks(pair(name).bot);
      expectBooks(pair(name).noBot);
    }
    expect(SUPPLY).toBe((WORLD.lpAid + WORLD.whaleAid + 6n * WORLD.userAid) * 10n ** 18n);
  });
});
