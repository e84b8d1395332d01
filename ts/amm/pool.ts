// Reading the AID/USDC pool: price in human units (USDC per AID) and distance from the 1.0 peg in bps.
import type {Chain} from "./chain.ts";
import {priceFromSqrt, UNI, type PoolInfo} from "./uniswap.ts";

/** The pool's current sqrtPriceX96 (slot0). */
export async function poolSqrtPrice(c: Chain, p: PoolInfo): Promise<bigint> {
  const slot0 = await c.read<readonly [bigint, number, ...unknown[]]>({address: p.pool, abi: UNI.pool.abi, functionName: "slot0"});
  return slot0[0];
}

/** AID price in USDC (human units; 1.0 is the peg). */
export async function poolPrice(c: Chain, p: PoolInfo): Promise<number> {
  return priceFromSqrt(await poolSqrtPrice(c, p), p.aidIsToken0);
}

/** Signed distance of `price` from 1.0 [bps] (negative: AID below peg). */
export function bpsFromPeg(price: number): number {
  return (price - 1) * 10_000;
}
