import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {DEMO, runDemo, type DemoSummary} from "./run.ts";

// The README demo, end to end on its own Anvil: deploy with the real script, run every step, check the books.
describe("demo on a local chain", () => {
  let anvil: Anvil;
  let s: DemoSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 41_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    const deployment = await deployLocal(anvil.rpcUrl, anvil.chainId);
    s = await runDemo(anvil.rpcUrl, deployment, (l) => lines.push(l));
  });
  afterAll(async () => anvil?.stop());

  it("mints 1:1, moves AID and redeems 1:1 through the queue", () => {
    const minted = DEMO.mintUsdc * 10n ** 12n;
    expect(s.aliceAid).toBe(minted - DEMO.transferAid - DEMO.redeemAid);
    expect(s.bobAid).toBe(DEMO.transferAid - DEMO.stakeAid + s.unstakedAid);
    expect(s.redeemedUsdc * 10n ** 12n).toBe(DEMO.redeemAid);
    expect(s.aliceUsdc).toBe(s.redeemedUsdc);
  });

  it("harvests T-bill yield into sAID without breaking the backing", () => {
    // 5% APY on the invested USDC for a year, less the 0.5% safety margin on liabilities: strictly positive
    expect(s.harvested).toBeGreaterThan(0n);
    expect(s.yieldReceiverAid).toBe(s.sAIDAid);
    expect(s.sAIDAid).toBe(DEMO.stakeAid + s.harvested - s.unstakedAid);
    expect(s.aidSupply).toBe(DEMO.mintUsdc * 10n ** 12n + s.harvested - DEMO.redeemAid);
    expect(s.reserveValue).toBeGreaterThanOrEqual(s.aidSupply);
  });

  it("stakes into sAID, vests the harvest into the share price, unstakes through the queue", () => {
    const one = 10n ** 18n;
    expect(s.bobShares).toBe(DEMO.stakeAid); // first deposit: 1 share per AID
    expect(s.sharePriceBefore).toBe(one); // the harvest itself does not move the price
    expect(s.sharePriceAfter).toBeGreaterThan(s.sharePriceBefore);
    // never more than the whole harvest, and at most 8 h of a 50% APR on the stake
    expect(s.sharePriceAfter - one).toBeLessThanOrEqual((s.harvested * one) / DEMO.stakeAid);
    const aprCap = (DEMO.stakeAid * 5000n * BigInt(DEMO.vesting)) / (10_000n * 365n * 86_400n);
    expect(((s.sharePriceAfter - one) * DEMO.stakeAid) / one).toBeLessThanOrEqual(aprCap + 1n);
    // the queue pays exactly what unstake recorded, worth more than the shares' cost
    expect(s.unstakedAid).toBe(s.unstakeRecorded);
    expect(s.unstakedAid).toBeGreaterThan(DEMO.unstakeShares);
  });

  it("prints a balance table", () => {
    expect(lines.some((l) => l.startsWith("balances"))).toBe(true);
    expect(lines.some((l) => l.startsWith("AID supply"))).toBe(true);
  });
});
