// The tick math against TickMath's documented bounds and 1.0001^tick, and position amounts against their definition.
import {describe, expect, it} from "vitest";
import {inRange, MAX_TICK, MIN_TICK, positionAmounts, sqrtRatioAtTick} from "./uniswapMath.ts";

const Q96 = 2n ** 96n;

describe("uniswap math", () => {
  it("sqrtRatioAtTick: TickMath's MIN_SQRT_RATIO and MAX_SQRT_RATIO at the bounds, 2^96 at tick 0", () => {
    expect(sqrtRatioAtTick(MIN_TICK)).toBe(4295128739n);
    expect(sqrtRatioAtTick(MAX_TICK)).toBe(1461446703485210103287273052203988822378723970342n);
    expect(sqrtRatioAtTick(0)).toBe(Q96);
    expect(() => sqrtRatioAtTick(MAX_TICK + 1)).toThrow(/out of range/);
  });

  it("sqrtRatioAtTick follows sqrt(1.0001^tick) within float precision (pow of a large tick: 1e-10)", () => {
    for (const tick of [-276_325, -50_000, -1, 1, 10, 4_055, 276_324]) {
      const want = Math.sqrt(1.0001 ** tick);
      const got = Number(sqrtRatioAtTick(tick)) / 2 ** 96;
      expect(Math.abs(got / want - 1)).toBeLessThan(1e-10);
    }
  });

  it("a position holds only token0 below its range, only token1 above, both inside", () => {
    const r = {tickLower: -100, tickUpper: 100};
    const L = 10n ** 24n;
    const below = positionAmounts(L, r, sqrtRatioAtTick(-200), -200);
    expect(below.amount0).toBeGreaterThan(0n);
    expect(below.amount1).toBe(0n);
    const above = positionAmounts(L, r, sqrtRatioAtTick(200), 200);
    expect(above).toEqual({amount0: 0n, amount1: (L * (sqrtRatioAtTick(100) - sqrtRatioAtTick(-100))) / Q96});
    const mid = positionAmounts(L, r, Q96, 0);
    expect(mid.amount0).toBeGreaterThan(0n);
    expect(mid.amount1).toBeGreaterThan(0n);
    // symmetric range around price 1: about equal amounts (token1 rounds down once, token0 twice)
    expect(mid.amount0 - mid.amount1 <= 2n && mid.amount1 - mid.amount0 <= 2n).toBe(true);
    expect(inRange(r, -100)).toBe(true);
    expect(inRange(r, 100)).toBe(false);
    expect(positionAmounts(0n, r, Q96, 0)).toEqual({amount0: 0n, amount1: 0n});
  });
});
