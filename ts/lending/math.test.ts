import {describe, expect, it} from "vitest";
import {maxLeverage} from "./loop.ts";
import {health, leverageOf, liquidationIncentive, ltvOf, marketId, toAssetsDown, toAssetsUp, WAD} from "./morpho.ts";
import {priceOfSqrt, sqrtForPrice} from "./pool.ts";

const e = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n; // [wad] from a float with 6 decimals

describe("lending math (Morpho's formulas in bigint)", () => {
  it("liquidation incentive: 1 / (1 − 0.3 (1 − LLTV)), capped at 1.15", () => {
    for (const lltv of [0.385, 0.625, 0.77, 0.86, 0.915, 0.945]) {
      const want = Math.min(1.15, 1 / (1 - 0.3 * (1 - lltv)));
      expect(Number(liquidationIncentive(e(lltv))) / 1e18).toBeCloseTo(want, 12);
    }
    expect(liquidationIncentive(0n)).toBe(115n * 10n ** 16n); // the cap
  });

  it("shares to assets round like SharesMathLib (virtual 1e6 shares, 1 asset)", () => {
    expect(toAssetsUp(10n ** 6n, 0n, 0n)).toBe(1n);
    expect(toAssetsDown(10n ** 6n - 1n, 0n, 0n)).toBe(0n);
    expect(toAssetsUp(10n ** 6n - 1n, 0n, 0n)).toBe(1n);
    const [ta, ts] = [1_000n * WAD + 7n, 1_000n * WAD * 10n ** 6n];
    expect(toAssetsUp(ts / 3n, ta, ts) - toAssetsDown(ts / 3n, ta, ts)).toBeLessThanOrEqual(1n);
  });

  it("health: healthy exactly while collateral × price × LLTV covers the debt", () => {
    const market = {totalSupplyAssets: 0n, totalSupplyShares: 0n, totalBorrowAssets: 915n * WAD, totalBorrowShares: 915n * WAD * 10n ** 6n, lastUpdate: 0n};
    const pos = {supplyShares: 0n, borrowShares: 915n * WAD * 10n ** 6n, collateral: 1_000n * WAD};
    const price = WAD * WAD; // 1 AID per sAID on the 1e36 scale
    expect(health(pos, market, price, e(0.915)).healthy).toBe(true);
    expect(health(pos, market, price - 10n ** 24n, e(0.915)).healthy).toBe(false);
    expect(Number(health(pos, market, price, e(0.915)).ltv) / 1e18).toBeCloseTo(0.915, 9);
  });

  it("leverage and LTV are inverse; the max loop at 91.5% with 0.5% headroom is 11.1x", () => {
    for (const l of [2, 3, 7.5, 11]) expect(leverageOf(ltvOf(l))).toBeCloseTo(l, 12);
    expect(maxLeverage(e(0.915))).toBeCloseTo(1 / 0.09, 9);
  });

  it("market id is keccak256(abi.encode(params))", () => {
    const a = "0x0000000000000000000000000000000000000001" as const;
    const p = {loanToken: a, collateralToken: a, oracle: a, irm: a, lltv: e(0.915)};
    expect(marketId(p)).toMatch(/^0x[0-9a-f]{64}$/);
    expect(marketId({...p, lltv: e(0.86)})).not.toBe(marketId(p));
  });

  it("pool price ↔ sqrtPriceX96 round-trips for either token order", () => {
    for (const baseIsToken0 of [true, false]) {
      for (const p of [e(1), e(0.888685), e(1.05)]) {
        const back = priceOfSqrt(sqrtForPrice(p, baseIsToken0), baseIsToken0);
        expect(Number(back) / Number(p)).toBeCloseTo(1, 12);
      }
    }
  });
});
