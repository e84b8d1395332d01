// The peg arbitrageur: a whitelisted minter account that trades the AID/USDC pool against the minter.
//  - AID below peg: buy AID on the pool with USDC, redeem it 1:1 through the minter (instant when redeemDelay is 0 and
//    the buffer covers it, else a queued ticket claimed later; the capital lock is priced in).
//  - AID above peg: mint AID 1:1 with USDC, sell it on the pool.
// Trades are sized with QuoterV2 to push the pool to the closest price that is still profitable after the pool fee,
// the minter's fees, the cost of locked capital and the estimated gas; every size respects the minter's remaining
// per-block caps, the pause, the bot's balance and its per-step risk limit.
import type {Address} from "viem";
import {aidAbi, aidMinterAbi, mockERC20Abi} from "../abi/generated.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import type {Account, Chain} from "./chain.ts";
import {poolSqrtPrice} from "./pool.ts";
import {priceFromSqrt, sqrtPriceX96, swapExactIn, UNI, type PoolInfo, type Uniswap} from "./uniswap.ts";

const BPS = 10_000n;
const SCALE = 10n ** 12n; // AID [wad] per USDC unit
const YEAR = 365 * 86_400; // [s]

export interface BotConfig {
  /** Cost of capital while a redemption is locked in the queue [bps a year]. */
  hurdleAprBps: number;
  /** Extra wait assumed when the queue ahead exceeds the free buffer (T-bills must be sold first) [s]. */
  settlementLag: number;
  /** Assumed gas price [gwei] and ETH price [USD] for the gas cost model. */
  gasPriceGwei: number;
  ethUsd: number;
  /** Gas of a minter call (mint or requestRedeem) and of a claim, added to the Quoter's swap estimate. */
  minterGas: bigint;
  claimGas: bigint;
  /** Most USDC the bot puts into one step [USDC units] (risk limit). */
  maxStepUsdc: bigint;
}

export const DEFAULT_BOT: BotConfig = {
  hurdleAprBps: 500, // 5% a year, about the T-bill rate
  settlementLag: 86_400,
  gasPriceGwei: 20,
  ethUsd: 3_000,
  minterGas: 200_000n,
  claimGas: 100_000n,
  maxStepUsdc: 400_000n * 10n ** 6n,
};

/** What the bot did in one step. */
export interface BotAction {
  kind: "buy-redeem" | "mint-sell" | "idle";
  /** Why it did nothing, when idle. */
  reason?: "in-band" | "paused" | "caps" | "unprofitable" | "no-capital";
  usdc: bigint; // USDC paid (buy) or minted with (sell) [USDC units]
  aid: bigint; // AID bought and redeemed, or minted and sold [wad]
  expectedProfit: bigint; // [USDC units], after gas and capital cost
  ticket?: bigint;
}

export interface BotReport {
  trades: number;
  aidBought: bigint; // [wad]
  aidSold: bigint; // [wad]
  tickets: bigint[]; // redemption ids, in the order requested
  pendingUsdc: bigint; // owed by unclaimed tickets [USDC units]
  gasUsed: bigint; // actually used on Anvil
  gasCostUsdc: bigint; // gasUsed priced with the config's gas model [USDC units]
  /** (USDC + AID at par + pending tickets) now − at start, before gas [USDC units]. */
  grossProfit: bigint;
  /** grossProfit − gasCostUsdc [USDC units]. */
  profit: bigint;
}

type AssetConfig = {mintFeeBps: number; redeemFeeBps: number};
type Quote = readonly [bigint, bigint, number, bigint];

export class ArbBot {
  readonly tickets: bigint[] = [];
  private trades = 0;
  private aidBought = 0n;
  private aidSold = 0n;
  private gasUsed = 0n;
  private start = 0n;

  constructor(
    private readonly c: Chain,
    readonly account: Account,
    private readonly d: LocalDeployment,
    private readonly uni: Uniswap,
    private readonly pool: PoolInfo,
    readonly cfg: BotConfig = DEFAULT_BOT,
  ) {}

  /** Approves the minter once and records the starting book. */
  async init(): Promise<void> {
    const r = await this.c.send(this.account, {address: this.d.aid, abi: aidAbi, functionName: "approve", args: [this.d.minter, 2n ** 255n]});
    const r2 = await this.c.send(this.account, {address: this.d.usdc, abi: mockERC20Abi, functionName: "approve", args: [this.d.minter, 2n ** 255n]});
    this.gasUsed += r.gasUsed + r2.gasUsed;
    this.start = await this.book();
  }

  /** Gas priced in USDC units: gas × gwei × 1e-9 ETH × ethUsd × 1e6. */
  gasUsdc(gas: bigint): bigint {
    return (gas * BigInt(Math.round(this.cfg.gasPriceGwei * 1e3)) * BigInt(this.cfg.ethUsd)) / 1_000_000n;
  }

  /** One look at the pool; trades if AID is outside the profitable band. */
  async act(): Promise<BotAction> {
    const idle = (reason: NonNullable<BotAction["reason"]>): BotAction => ({kind: "idle", reason, usdc: 0n, aid: 0n, expectedProfit: 0n});
    const m = {address: this.d.minter, abi: aidMinterAbi} as const;
    const [sqrtP, paused, conf, caps, delay] = await Promise.all([
      poolSqrtPrice(this.c, this.pool),
      this.c.read<boolean>({...m, functionName: "paused"}),
      this.c.read<AssetConfig>({...m, functionName: "assetConfig", args: [this.d.usdc]}),
      this.c.read<readonly [bigint, bigint]>({...m, functionName: "remainingBlockCaps", args: [this.d.usdc]}),
      this.c.read<bigint>({...m, functionName: "redeemDelay"}),
    ]);
    const price = priceFromSqrt(sqrtP, this.pool.aidIsToken0);
    const poolFee = this.pool.fee / 1e6;
    const wait = Number(delay) + ((await this.queueAheadExceedsBuffer()) ? this.cfg.settlementLag : 0);
    const capitalCost = ((this.cfg.hurdleAprBps / 1e4) * wait) / YEAR;
    // break-even marginal prices: buying pays price/(1−fee) per AID, redeeming returns (1−redeemFee)(1−capital cost)
    const buyBelow = (1 - poolFee) * (1 - conf.redeemFeeBps / 1e4) * (1 - capitalCost);
    // minting costs 1/(1−mintFee) per AID, selling returns price × (1−fee)
    const sellAbove = 1 / ((1 - poolFee) * (1 - conf.mintFeeBps / 1e4));
    if (price >= buyBelow && price <= sellAbove) return idle("in-band");
    if (paused) return idle("paused");
    const usdcBal = await this.c.read<bigint>({address: this.d.usdc, abi: mockERC20Abi, functionName: "balanceOf", args: [this.account.address]});
    const budget = usdcBal < this.cfg.maxStepUsdc ? usdcBal : this.cfg.maxStepUsdc;
    if (budget === 0n) return idle("no-capital");
    return price < buyBelow
      ? this.buyAndRedeem(sqrtP, buyBelow, budget, caps[1], conf, delay, capitalCost)
      : this.mintAndSell(sqrtP, sellAbove, budget, caps[0], conf);
  }

  private async buyAndRedeem(sqrtP: bigint, target: number, budget: bigint, redeemable: bigint, conf: AssetConfig, delay: bigint, capitalCost: number): Promise<BotAction> {
    const limit = sqrtPriceX96(toWad(target), this.pool.aidIsToken0);
    // already at the target in exact terms (the float comparison above can be off by one ulp)
    if (this.pool.aidIsToken0 ? sqrtP >= limit : sqrtP <= limit) return {kind: "idle", reason: "in-band", usdc: 0n, aid: 0n, expectedProfit: 0n};
    const [usdc, aid] = [this.d.usdc, this.d.aid];
    let [aidOut, , , swapGas] = await this.quoteIn(usdc, aid, budget, limit);
    if (aidOut > redeemable) aidOut = redeemable; // the redeem cap of this block bounds the whole trade
    if (aidOut === 0n) return {kind: "idle", reason: redeemable === 0n ? "caps" : "unprofitable", usdc: 0n, aid: 0n, expectedProfit: 0n};
    const [usdcIn] = await this.quoteOut(usdc, aid, aidOut);
    const gas = swapGas + this.cfg.minterGas + (delay > 0n ? this.cfg.claimGas : 0n);
    const usdcBack = (aidOut * (BPS - BigInt(conf.redeemFeeBps))) / BPS / SCALE;
    const lockCost = BigInt(Math.ceil(Number(usdcIn) * capitalCost));
    const expectedProfit = usdcBack - usdcIn - lockCost - this.gasUsdc(gas);
    if (expectedProfit <= 0n || usdcIn > budget) return {kind: "idle", reason: "unprofitable", usdc: 0n, aid: 0n, expectedProfit};

    const swap = await swapExactIn(this.c, this.account, this.uni, this.pool, usdc, usdcIn, {minOut: aidOut - aidOut / BPS, sqrtPriceLimitX96: limit});
    this.gasUsed += swap.gasUsed;
    this.aidBought += swap.received;
    this.trades++;
    const m = {address: this.d.minter, abi: aidMinterAbi} as const;
    // redeem what it holds (this buy, plus any AID left over), within what the caps leave in this block
    const [held, [, room]] = await Promise.all([
      this.c.read<bigint>({address: aid, abi: aidAbi, functionName: "balanceOf", args: [this.account.address]}),
      this.c.read<readonly [bigint, bigint]>({...m, functionName: "remainingBlockCaps", args: [usdc]}),
    ]);
    const redeem = held < room ? held : room;
    if (redeem === 0n) return {kind: "buy-redeem", usdc: swap.paid, aid: swap.received, expectedProfit};
    const ticket = await this.c.read<bigint>({...m, functionName: "redeemRequestCount"});
    const minOut = (redeem * (BPS - BigInt(conf.redeemFeeBps))) / BPS / SCALE;
    const r = await this.c.send(this.account, {...m, functionName: "requestRedeem", args: [usdc, redeem, minOut, this.account.address]});
    this.gasUsed += r.gasUsed;
    this.tickets.push(ticket);
    return {kind: "buy-redeem", usdc: swap.paid, aid: swap.received, expectedProfit, ticket};
  }

  private async mintAndSell(sqrtP: bigint, target: number, budget: bigint, mintable: bigint, conf: AssetConfig): Promise<BotAction> {
    const limit = sqrtPriceX96(toWad(target), this.pool.aidIsToken0);
    if (this.pool.aidIsToken0 ? sqrtP <= limit : sqrtP >= limit) return {kind: "idle", reason: "in-band", usdc: 0n, aid: 0n, expectedProfit: 0n};
    const [usdc, aid] = [this.d.usdc, this.d.aid];
    const fee = BigInt(conf.mintFeeBps);
    const affordable = (budget * SCALE * (BPS - fee)) / BPS; // AID the budget mints
    const maxAid = affordable < mintable ? affordable : mintable;
    if (maxAid === 0n) return {kind: "idle", reason: mintable === 0n ? "caps" : "no-capital", usdc: 0n, aid: 0n, expectedProfit: 0n};
    const [usdcOut, , , swapGas] = await this.quoteIn(aid, usdc, maxAid, limit);
    if (usdcOut === 0n) return {kind: "idle", reason: "unprofitable", usdc: 0n, aid: 0n, expectedProfit: 0n};
    const [aidIn] = await this.quoteOut(aid, usdc, usdcOut);
    // USDC to mint at least aidIn after the (rounded-up) fee
    const usdcMint = ceilDiv(ceilDiv(aidIn * BPS, BPS - fee), SCALE) + (fee > 0n ? 1n : 0n);
    const expectedProfit = usdcOut - usdcMint - this.gasUsdc(swapGas + this.cfg.minterGas);
    if (expectedProfit <= 0n || usdcMint > budget) return {kind: "idle", reason: "unprofitable", usdc: 0n, aid: 0n, expectedProfit};

    const m = {address: this.d.minter, abi: aidMinterAbi} as const;
    const r = await this.c.send(this.account, {...m, functionName: "mint", args: [usdc, usdcMint, aidIn, this.account.address]});
    this.gasUsed += r.gasUsed;
    const swap = await swapExactIn(this.c, this.account, this.uni, this.pool, aid, aidIn, {minOut: usdcOut - usdcOut / BPS, sqrtPriceLimitX96: limit});
    this.gasUsed += swap.gasUsed;
    this.aidSold += swap.paid;
    this.trades++;
    return {kind: "mint-sell", usdc: usdcMint, aid: swap.paid, expectedProfit};
  }

  /** Claims every ticket of the bot that the minter can pay now (FIFO permitting); returns the USDC received. */
  async claimReady(): Promise<bigint> {
    let paid = 0n;
    for (const id of this.tickets) {
      const req = await this.c.read<{claimed: boolean; claimableAt: number; assetAmount: bigint}>({address: this.d.minter, abi: aidMinterAbi, functionName: "redeemRequest", args: [id]});
      if (req.claimed) continue;
      try {
        const r = await this.c.send(this.account, {address: this.d.minter, abi: aidMinterAbi, functionName: "claimRedeem", args: [id]});
        this.gasUsed += r.gasUsed;
        paid += req.assetAmount;
      } catch {
        break; // not ready or not funded yet: later tickets of the same queue are not either
      }
    }
    return paid;
  }

  /** The bot's P&L so far (tickets at face value; they are funded by the reserve in FIFO order). */
  async report(): Promise<BotReport> {
    const now = await this.book();
    const pendingUsdc = await this.pending();
    const gasCostUsdc = this.gasUsdc(this.gasUsed);
    const grossProfit = now - this.start;
    return {trades: this.trades, aidBought: this.aidBought, aidSold: this.aidSold, tickets: [...this.tickets], pendingUsdc, gasUsed: this.gasUsed, gasCostUsdc, grossProfit, profit: grossProfit - gasCostUsdc};
  }

  /** USDC + AID at par + unclaimed tickets [USDC units]. */
  private async book(): Promise<bigint> {
    const bal = (t: Address) => this.c.read<bigint>({address: t, abi: mockERC20Abi, functionName: "balanceOf", args: [this.account.address]});
    return (await bal(this.d.usdc)) + (await bal(this.d.aid)) / SCALE + (await this.pending());
  }

  private async pending(): Promise<bigint> {
    let owed = 0n;
    for (const id of this.tickets) {
      const req = await this.c.read<{claimed: boolean; assetAmount: bigint}>({address: this.d.minter, abi: aidMinterAbi, functionName: "redeemRequest", args: [id]});
      if (!req.claimed) owed += req.assetAmount;
    }
    return owed;
  }

  /** Whether the unpaid queue is larger than the reserve's free USDC (a new ticket then waits for T-bill sales). */
  private async queueAheadExceedsBuffer(): Promise<boolean> {
    const m = {address: this.d.minter, abi: aidMinterAbi} as const;
    const [pending, earmarked, balance] = await Promise.all([
      this.c.read<bigint>({...m, functionName: "pendingRedemptions"}),
      this.c.read<bigint>({...m, functionName: "earmarked", args: [this.d.usdc]}),
      this.c.read<bigint>({address: this.d.usdc, abi: mockERC20Abi, functionName: "balanceOf", args: [this.d.reserve]}),
    ]);
    const free = balance > earmarked ? balance - earmarked : 0n;
    return pending / SCALE > free + earmarked;
  }

  private quoteIn(tokenIn: Address, tokenOut: Address, amountIn: bigint, sqrtPriceLimitX96: bigint): Promise<Quote> {
    return this.c.read<Quote>({address: this.uni.quoter, abi: UNI.quoter.abi, functionName: "quoteExactInputSingle", args: [{tokenIn, tokenOut, amountIn, fee: this.pool.fee, sqrtPriceLimitX96}]});
  }

  private quoteOut(tokenIn: Address, tokenOut: Address, amount: bigint): Promise<Quote> {
    return this.c.read<Quote>({address: this.uni.quoter, abi: UNI.quoter.abi, functionName: "quoteExactOutputSingle", args: [{tokenIn, tokenOut, amount, fee: this.pool.fee, sqrtPriceLimitX96: 0n}]});
  }
}

function toWad(x: number): bigint {
  return BigInt(Math.round(x * 1e12)) * 10n ** 6n;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
