// The sAID/AID Uniswap v3 pool (stock v3 bytecode from npm, deployed by ts/amm/uniswap.ts): created at sAID's price,
// seeded with concentrated liquidity, read as AID per sAID [wad], and traded with a price floor (Uniswap stops the
// swap at `sqrtPriceLimitX96`; the v3 SwapRouter then takes only the part of the input it used).
import type {Address} from "viem";
import {mockERC20Abi} from "../abi/generated.ts";
import type {Account, Chain} from "../amm/chain.ts";
import {DEADLINE, sqrtBig, TICK_SPACING, UNI, type Uniswap} from "../amm/uniswap.ts";

const WAD = 10n ** 18n;
const Q192 = 2n ** 192n;
export const SAID_POOL_FEE = 500; // [hundredths of a bp] 0.05%: a correlated pair

/** A pool of two 18-decimal tokens, priced as `quote` per `base` (here AID per sAID). */
export interface PairPool {
  pool: Address;
  base: Address; // sAID
  quote: Address; // AID
  baseIsToken0: boolean;
  fee: number;
}

/** sqrtPriceX96 of the pool for `priceWad` quote per base. */
export function sqrtForPrice(priceWad: bigint, baseIsToken0: boolean): bigint {
  return baseIsToken0 ? sqrtBig((priceWad * Q192) / WAD) : sqrtBig((WAD * Q192) / priceWad);
}

/** Quote per base [wad] at `sqrtPriceX96`. */
export function priceOfSqrt(sqrtP: bigint, baseIsToken0: boolean): bigint {
  const raw = sqrtP * sqrtP; // token1 per token0 × 2^192
  return baseIsToken0 ? (raw * WAD) / Q192 : (Q192 * WAD) / raw;
}

/** The tick (aligned to the spacing, rounded outward) of a quote-per-base price. */
function tickOf(price: number, baseIsToken0: boolean, up: boolean): number {
  const t = Math.log(baseIsToken0 ? price : 1 / price) / Math.log(1.0001);
  return (up ? Math.ceil(t / TICK_SPACING) : Math.floor(t / TICK_SPACING)) * TICK_SPACING;
}

export async function createPairPool(c: Chain, deployer: Account, uni: Uniswap, base: Address, quote: Address, priceWad: bigint): Promise<PairPool> {
  const baseIsToken0 = BigInt(base) < BigInt(quote);
  const [token0, token1] = baseIsToken0 ? [base, quote] : [quote, base];
  await c.send(deployer, {
    address: uni.positionManager,
    abi: UNI.positionManager.abi,
    functionName: "createAndInitializePoolIfNecessary",
    args: [token0, token1, SAID_POOL_FEE, sqrtForPrice(priceWad, baseIsToken0)],
  });
  const pool = await c.read<Address>({address: uni.factory, abi: UNI.factory.abi, functionName: "getPool", args: [token0, token1, SAID_POOL_FEE]});
  return {pool, base, quote, baseIsToken0, fee: SAID_POOL_FEE};
}

/** `lp` (holding and approving both) adds liquidity between quote-per-base prices `lo` and `hi`. */
export async function addPairLiquidity(c: Chain, lp: Account, uni: Uniswap, p: PairPool, amounts: {base: bigint; quote: bigint}, lo: number, hi: number): Promise<void> {
  const a = tickOf(lo, p.baseIsToken0, !p.baseIsToken0);
  const b = tickOf(hi, p.baseIsToken0, p.baseIsToken0);
  const [tickLower, tickUpper] = a < b ? [a, b] : [b, a];
  for (const [token, amount] of [[p.base, amounts.base], [p.quote, amounts.quote]] as const) {
    await c.send(lp, {address: token, abi: mockERC20Abi, functionName: "approve", args: [uni.positionManager, amount]});
  }
  const [token0, token1] = p.baseIsToken0 ? [p.base, p.quote] : [p.quote, p.base];
  const [amount0, amount1] = p.baseIsToken0 ? [amounts.base, amounts.quote] : [amounts.quote, amounts.base];
  await c.send(lp, {
    address: uni.positionManager,
    abi: UNI.positionManager.abi,
    functionName: "mint",
    args: [{token0, token1, fee: p.fee, tickLower, tickUpper, amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0n, amount1Min: 0n, recipient: lp.address, deadline: DEADLINE}],
  });
}

/** The pool's price: quote per base [wad]. */
export async function pairPrice(c: Chain, p: PairPool): Promise<bigint> {
  const slot0 = await c.read<readonly [bigint, ...unknown[]]>({address: p.pool, abi: UNI.pool.abi, functionName: "slot0"});
  return priceOfSqrt(slot0[0], p.baseIsToken0);
}

/** Sells up to `amount` base for quote, stopping where the pool price reaches `floorWad` (quote per base). Returns the
 *  base actually sold and the quote received (balance deltas). */
export async function sellBase(c: Chain, who: Account, uni: Uniswap, p: PairPool, amount: bigint, floorWad: bigint): Promise<{sold: bigint; received: bigint}> {
  if (amount === 0n || (await pairPrice(c, p)) <= floorWad) return {sold: 0n, received: 0n};
  const bal = (t: Address) => c.read<bigint>({address: t, abi: mockERC20Abi, functionName: "balanceOf", args: [who.address]});
  const [b0, q0] = [await bal(p.base), await bal(p.quote)];
  await c.send(who, {address: p.base, abi: mockERC20Abi, functionName: "approve", args: [uni.router, amount]});
  await c.send(who, {
    address: uni.router,
    abi: UNI.router.abi,
    functionName: "exactInputSingle",
    args: [{tokenIn: p.base, tokenOut: p.quote, fee: p.fee, recipient: who.address, deadline: DEADLINE, amountIn: amount, amountOutMinimum: 0n, sqrtPriceLimitX96: sqrtForPrice(floorWad, p.baseIsToken0)}],
  });
  return {sold: b0 - (await bal(p.base)), received: (await bal(p.quote)) - q0};
}
