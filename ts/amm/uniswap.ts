// Uniswap v3 on Anvil from the published, compiled artifacts (@uniswap/v3-core, @uniswap/v3-periphery): the pool
// math is Uniswap's own bytecode; this module only deploys it, creates the AID/USDC pool at 1.0 and adds liquidity.
import {readFileSync} from "node:fs";
import path from "node:path";
import type {Abi, Address, Hex} from "viem";
import {mockERC20Abi, mockERC20Bytecode} from "../abi/generated.ts";
import {repoRoot} from "../lib/paths.ts";
import type {Account, Chain} from "./chain.ts";

interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

function artifact(pkg: "v3-core" | "v3-periphery", rel: string): Artifact {
  const file = path.join(repoRoot, "node_modules", "@uniswap", pkg, "artifacts", "contracts", rel);
  const json = JSON.parse(readFileSync(file, "utf8")) as {abi: Abi; bytecode: Hex; linkReferences?: object};
  if (json.linkReferences && Object.keys(json.linkReferences).length > 0) throw new Error(`${rel} needs linking`);
  return {abi: json.abi, bytecode: json.bytecode};
}

/** ABIs of the Uniswap contracts the scenarios talk to. */
export const UNI = {
  factory: artifact("v3-core", "UniswapV3Factory.sol/UniswapV3Factory.json"),
  pool: artifact("v3-core", "UniswapV3Pool.sol/UniswapV3Pool.json"),
  positionManager: artifact("v3-periphery", "NonfungiblePositionManager.sol/NonfungiblePositionManager.json"),
  router: artifact("v3-periphery", "SwapRouter.sol/SwapRouter.json"),
  quoter: artifact("v3-periphery", "lens/QuoterV2.sol/QuoterV2.json"),
};

/** 0.05% fee tier (enabled in the stock factory), tick spacing 10. */
export const POOL_FEE = 500; // [hundredths of a bp]
export const TICK_SPACING = 10;
export const AID_DECIMALS = 18;
export const USDC_DECIMALS = 6;
const Q96 = 2n ** 96n;
const WAD = 10n ** 18n;
/** A deadline far in the future: the scenarios move time by days. */
export const DEADLINE = 2n ** 40n;

export interface Uniswap {
  factory: Address;
  positionManager: Address;
  router: Address;
  quoter: Address;
  /** WETH9 stand-in (a plain ERC-20): the periphery only stores it; no scenario touches ETH. */
  weth: Address;
}

/** The AID/USDC pool and its token order. */
export interface PoolInfo {
  pool: Address;
  aid: Address;
  usdc: Address;
  /** token0 of the pool is AID (addresses sort AID < USDC). */
  aidIsToken0: boolean;
  fee: number;
}

/** Deploys factory, position manager, swap router and QuoterV2. */
export async function deployUniswap(c: Chain, deployer: Account): Promise<Uniswap> {
  const weth = await c.deploy(deployer, mockERC20Abi, mockERC20Bytecode, ["Wrapped Ether (stand-in)", "WETH", 18]);
  const factory = await c.deploy(deployer, UNI.factory.abi, UNI.factory.bytecode);
  // the token descriptor is only read by tokenURI, which no scenario calls
  const positionManager = await c.deploy(deployer, UNI.positionManager.abi, UNI.positionManager.bytecode, [factory, weth, weth]);
  const router = await c.deploy(deployer, UNI.router.abi, UNI.router.bytecode, [factory, weth]);
  const quoter = await c.deploy(deployer, UNI.quoter.abi, UNI.quoter.bytecode, [factory, weth]);
  return {factory, positionManager, router, quoter, weth};
}

/** Integer square root (floor). */
export function sqrtBig(x: bigint): bigint {
  if (x < 0n) throw new Error("sqrt of negative");
  if (x < 2n) return x;
  // Newton from above: x0 >= sqrt(x), the iterates decrease monotonically to floor(sqrt(x))
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / 2));
  for (;;) {
    const next = (r + x / r) / 2n;
    if (next >= r) return r;
    r = next;
  }
}

/** sqrtPriceX96 for a human price `priceWad` (USDC per AID, [wad]) given the pool's token order and decimals. */
export function sqrtPriceX96(priceWad: bigint, aidIsToken0: boolean): bigint {
  const scale = 10n ** BigInt(AID_DECIMALS - USDC_DECIMALS); // 1e12
  // token1/token0 in raw units: AID first -> USDC-units per AID-unit = p / 1e12; USDC first -> 1e12 / p
  return aidIsToken0 ? sqrtBig((priceWad * Q96 * Q96) / (WAD * scale)) : sqrtBig((scale * WAD * Q96 * Q96) / priceWad);
}

/** Human price (USDC per AID) from a pool's sqrtPriceX96. */
export function priceFromSqrt(sqrtP: bigint, aidIsToken0: boolean): number {
  const s = Number(sqrtP) / 2 ** 96;
  const raw = s * s; // token1 per token0 in raw units
  const scale = 10 ** (AID_DECIMALS - USDC_DECIMALS);
  return aidIsToken0 ? raw * scale : scale / raw;
}

/** The pool tick range (aligned to the spacing) that covers human prices [lo, hi]. */
export function tickRange(lo: number, hi: number, aidIsToken0: boolean): {tickLower: number; tickUpper: number} {
  const scale = 10 ** (AID_DECIMALS - USDC_DECIMALS);
  const tick = (p: number) => Math.log(aidIsToken0 ? p / scale : scale / p) / Math.log(1.0001);
  const [a, b] = [tick(lo), tick(hi)].sort((x, y) => x - y) as [number, number];
  return {
    tickLower: Math.floor(a / TICK_SPACING) * TICK_SPACING,
    tickUpper: Math.ceil(b / TICK_SPACING) * TICK_SPACING,
  };
}

/** Creates the AID/USDC pool at 1.0 through the position manager and returns it. */
export async function createAidUsdcPool(c: Chain, deployer: Account, uni: Uniswap, aid: Address, usdc: Address): Promise<PoolInfo> {
  const aidIsToken0 = BigInt(aid) < BigInt(usdc);
  const [token0, token1] = aidIsToken0 ? [aid, usdc] : [usdc, aid];
  await c.send(deployer, {
    address: uni.positionManager,
    abi: UNI.positionManager.abi,
    functionName: "createAndInitializePoolIfNecessary",
    args: [token0, token1, POOL_FEE, sqrtPriceX96(WAD, aidIsToken0)],
  });
  const pool = await c.read<Address>({address: uni.factory, abi: UNI.factory.abi, functionName: "getPool", args: [token0, token1, POOL_FEE]});
  return {pool, aid, usdc, aidIsToken0, fee: POOL_FEE};
}

/** Adds concentrated liquidity in human price range [lo, hi] from `lp` (who holds and approves both tokens). */
export async function addLiquidity(
  c: Chain,
  lp: Account,
  uni: Uniswap,
  p: PoolInfo,
  amounts: {aid: bigint; usdc: bigint},
  range: {lo: number; hi: number},
): Promise<{tickLower: number; tickUpper: number}> {
  const {tickLower, tickUpper} = tickRange(range.lo, range.hi, p.aidIsToken0);
  for (const [token, amount] of [[p.aid, amounts.aid], [p.usdc, amounts.usdc]] as const) {
    await c.send(lp, {address: token, abi: mockERC20Abi, functionName: "approve", args: [uni.positionManager, amount]});
  }
  const [token0, token1] = p.aidIsToken0 ? [p.aid, p.usdc] : [p.usdc, p.aid];
  const [amount0, amount1] = p.aidIsToken0 ? [amounts.aid, amounts.usdc] : [amounts.usdc, amounts.aid];
  await c.send(lp, {
    address: uni.positionManager,
    abi: UNI.positionManager.abi,
    functionName: "mint",
    args: [{token0, token1, fee: p.fee, tickLower, tickUpper, amount0Desired: amount0, amount1Desired: amount1, amount0Min: 0n, amount1Min: 0n, recipient: lp.address, deadline: DEADLINE}],
  });
  return {tickLower, tickUpper};
}

/** Swaps exactly `amountIn` of `tokenIn` for the other pool token through the SwapRouter (approving it first),
 *  stopping early at `sqrtPriceLimitX96` when given. Returns what the account paid and received (balance deltas). */
export async function swapExactIn(
  c: Chain,
  who: Account,
  uni: Uniswap,
  p: PoolInfo,
  tokenIn: Address,
  amountIn: bigint,
  opts: {minOut?: bigint; sqrtPriceLimitX96?: bigint} = {},
): Promise<{paid: bigint; received: bigint; gasUsed: bigint}> {
  const tokenOut = tokenIn === p.aid ? p.usdc : p.aid;
  const bal = (t: Address) => c.read<bigint>({address: t, abi: mockERC20Abi, functionName: "balanceOf", args: [who.address]});
  const [inBefore, outBefore] = [await bal(tokenIn), await bal(tokenOut)];
  const a = await c.send(who, {address: tokenIn, abi: mockERC20Abi, functionName: "approve", args: [uni.router, amountIn]});
  const r = await c.send(who, {
    address: uni.router,
    abi: UNI.router.abi,
    functionName: "exactInputSingle",
    args: [{tokenIn, tokenOut, fee: p.fee, recipient: who.address, deadline: DEADLINE, amountIn, amountOutMinimum: opts.minOut ?? 0n, sqrtPriceLimitX96: opts.sqrtPriceLimitX96 ?? 0n}],
  });
  return {paid: inBefore - (await bal(tokenIn)), received: (await bal(tokenOut)) - outBefore, gasUsed: a.gasUsed + r.gasUsed};
}
