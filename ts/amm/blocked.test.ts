import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {Anvil} from "../lib/anvil.ts";
import {expectBooks, expectRecovered, expectStaysOff} from "./books.ts";
import {runAll, startWorld} from "./index.ts";
import type {ScenarioPair} from "./report.ts";
import {PEG_BAND_BPS, SCENARIOS} from "./scenarios.ts";

const WAD = 10n ** 18n;

// Shocks the bot cannot or need not fix by design: a deal default (sAID takes the loss, AID keeps its peg), a paused
// minter and zeroed caps (the pool stays off peg until the minter reopens, then the bot restores it).
describe("AMM peg: deal default, paused minter, zero caps", () => {
  let anvil: Anvil | undefined;
  const runs = new Map<string, ScenarioPair>();
  const pair = (name: string) => runs.get(name)!;
  const scenario = (name: string) => SCENARIOS.find((s) => s.name === name)!;

  beforeAll(async () => {
    const started = await startWorld(44_337 + Number(process.env.VITEST_POOL_ID ?? 0));
    anvil = started.anvil;
    const names = ["default", "paused", "capszero"];
    for (const p of await runAll(started.c, started.w, SCENARIOS.filter((s) => names.includes(s.name)), () => {})) runs.set(p.bot.name, p);
  }, 240_000);
  afterAll(async () => anvil?.stop());

  it("deal default: sAID is marked down by the loss, the AID pool does not move, bot or not", () => {
    for (const r of [pair("default").bot, pair("default").noBot]) {
      expect(r.maxDepegBps).toBeLessThan(0.01);
      expect(r.redemptions).toBe(0);
      // 400k of a 2M NAV written off: the share price falls by exactly that fraction
      expect(r.extra.sAidPriceBefore).toBe(1);
      expect(r.extra.sAidPriceAfter).toBeCloseTo(1 - 400_000 / 2_000_000, 9);
    }
    expect(pair("default").bot.bot!.trades).toBe(0);
  });

  for (const [name, reason] of [["paused", "paused"], ["capszero", "caps"]] as const) {
    it(`${name}: the pool stays off peg while the minter is closed and recovers once it reopens`, () => {
      const {bot, noBot} = pair(name);
      const s = scenario(name);
      expect(s.blockedUntil).toBeGreaterThan(0);
      for (const step of bot.steps.slice(0, s.blockedUntil)) {
        expect(Math.abs(step.bps)).toBeGreaterThan(PEG_BAND_BPS);
        expect(step.bot).toMatchObject({kind: "idle", reason});
      }
      expectRecovered(bot);
      expect(bot.recoveredStep!).toBeGreaterThan(s.blockedUntil);
      expectStaysOff(noBot);
    });
  }

  it("capszero: after reopening at 100k AID a block, every redemption of the bot fits the cap", () => {
    const trades = pair("capszero").bot.steps.filter((s) => s.bot?.kind === "buy-redeem");
    expect(trades.length).toBeGreaterThan(1); // the cap spreads the repair over several blocks
    for (const t of trades) expect(t.bot!.aid).toBeLessThanOrEqual(100_000n * WAD + WAD / 1_000n); // bought ≈ redeemed
  });

  it("no run loses funds or breaks the reserve invariant", () => {
    for (const name of ["default", "paused", "capszero"]) {
      expectBooks(pair(name).bot);
      expectBooks(pair(name).noBot);
    }
  });
});
