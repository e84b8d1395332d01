// Our liquidation bot for the sAID/AID market. Each run: find the market's borrowers (Morpho's Borrow events), accrue
// interest, compute each position's health from Morpho's position, the market totals and the oracle price (Morpho's
// own rounding), liquidate the unhealthy ones through `Morpho.liquidate` (all the debt when the collateral covers it at
// the liquidation incentive, else all the collateral: Morpho then writes the rest off as bad debt), and dispose of the
// seized sAID: sell it on the sAID/AID pool down to a price floor (oracle price − `maxImpactBps`), and queue what the
// pool cannot take at that price in sAID's unstake queue (paid at the loss-aware value after the unstake delay).
import type {Address} from "viem";
import {aidAbi, stakedAIDAbi} from "../abi/generated.ts";
import type {Account} from "../demo/chain.ts";
import {health, liquidationIncentive, MORPHO_EVENTS, morphoAbi, ORACLE_PRICE_SCALE, oraclePrice, readMarket, readPosition, WAD, type Health} from "./morpho.ts";
import {pairPrice, sellBase} from "./pool.ts";
import type {LendingWorld} from "./world.ts";

export interface LiquidatorConfig {
  /** The lowest price the bot sells seized sAID at, below the oracle price [bps]; the rest goes to the unstake queue. */
  maxImpactBps: number;
}

export const DEFAULT_LIQUIDATOR: LiquidatorConfig = {maxImpactBps: 200}; // under the 2.6% incentive at 91.5% LLTV

export interface Liquidation {
  borrower: Address;
  /** Health when found (LTV etc.). */
  found: Health;
  mode: "repay-all" | "seize-all";
  seized: bigint; // [sAID units] the bot's sAID balance change
  repaid: bigint; // [wad] the bot's AID balance change
  /** Lenders' loss: the market's total supply before − after (no interest in between: same timestamp) [wad]. */
  badDebt: bigint;
  block: bigint;
}

export interface LiquidatorRun {
  price: bigint; // oracle price seen [1e36 scale]
  priceBlock: bigint; // the block `price` was read at
  scanned: number;
  liquidatable: number;
  liquidations: Liquidation[];
  seized: bigint;
  badDebt: bigint;
  sold: bigint; // [sAID units] sold on the pool
  soldFor: bigint; // [wad] AID received
  queued: bigint; // [sAID units] sent to the unstake queue
  queuedAssets: bigint; // [wad] AID the queue recorded
  /** From the block before the bot's first transaction to its last one. */
  fromBlock: bigint;
  toBlock: bigint;
}

export class Liquidator {
  constructor(
    readonly w: LendingWorld,
    readonly account: Account,
    readonly cfg: LiquidatorConfig = DEFAULT_LIQUIDATOR,
  ) {}

  /** Everyone who has borrowed in the market (Morpho's Borrow events). */
  async borrowers(): Promise<Address[]> {
    const logs = await this.w.c.client.getLogs({
      address: this.w.m.morpho,
      event: MORPHO_EVENTS[1],
      args: {id: this.w.m.aidMarketId},
      fromBlock: 0n,
      strict: true,
    });
    return [...new Set(logs.map((l) => l.args.onBehalf))];
  }

  /** Accrues interest and returns each borrower's health at the current block. */
  async scan(): Promise<{borrower: Address; h: Health}[]> {
    const {c, m} = this.w;
    await c.send(this.account, {address: m.morpho, abi: morphoAbi, functionName: "accrueInterest", args: [m.aidMarket]});
    const [market, price] = [await readMarket(c, m), await oraclePrice(c, m)];
    const out: {borrower: Address; h: Health}[] = [];
    for (const b of await this.borrowers()) out.push({borrower: b, h: health(await readPosition(c, m, b), market, price, m.aidMarket.lltv)});
    return out;
  }

  /** One pass: liquidate every unhealthy borrower, then sell or queue what was seized. */
  async run(): Promise<LiquidatorRun> {
    const {c, d, m} = this.w;
    const me = this.account.address;
    const fromBlock = await c.client.getBlockNumber({cacheTime: 0});
    const sAidBalance = () => c.read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "balanceOf", args: [me]});
    const aidBalance = () => c.read<bigint>({address: d.aid, abi: aidAbi, functionName: "balanceOf", args: [me]});
    await c.send(this.account, {address: d.aid, abi: aidAbi, functionName: "approve", args: [m.morpho, 2n ** 256n - 1n]});
    const found = await this.scan(); // the last block before the liquidations, which land at its timestamp
    // the price of one named block: a caller compares it with other reads of that block (the chain's clock, and with
    // it a late deal's mark, moves on with the bot's own transactions after it)
    const priceBlock = await c.client.getBlockNumber({cacheTime: 0});
    const price = await oraclePrice(c, m, priceBlock);
    const unhealthy = found.filter((f) => !f.h.healthy);
    const lif = liquidationIncentive(m.aidMarket.lltv);
    const liquidations: Liquidation[] = [];
    for (const {borrower} of unhealthy) {
      // re-read in the block the liquidation lands in (same timestamp: no interest, no further mark)
      const [pos, market] = [await readPosition(c, m, borrower), await readMarket(c, m)];
      const h = health(pos, market, price, m.aidMarket.lltv);
      // collateral Morpho would seize for all the debt: debt × LIF / price, rounded up here (Morpho rounds down)
      const needed = (((h.debt * lif + WAD - 1n) / WAD) * ORACLE_PRICE_SCALE + price - 1n) / price;
      const mode = needed < pos.collateral ? "repay-all" : "seize-all";
      const args = mode === "repay-all" ? [m.aidMarket, borrower, 0n, pos.borrowShares, "0x"] : [m.aidMarket, borrower, pos.collateral, 0n, "0x"];
      const [s0, a0, supply0] = [await sAidBalance(), await aidBalance(), market.totalSupplyAssets];
      const r = await c.sendAtReadTime(this.account, {address: m.morpho, abi: morphoAbi, functionName: "liquidate", args});
      const supply1 = (await readMarket(c, m)).totalSupplyAssets;
      liquidations.push({borrower, found: h, mode, seized: (await sAidBalance()) - s0, repaid: a0 - (await aidBalance()), badDebt: supply0 - supply1, block: r.blockNumber});
    }
    const seized = liquidations.reduce((s, l) => s + l.seized, 0n);
    const badDebt = liquidations.reduce((s, l) => s + l.badDebt, 0n);
    // dispose: the pool down to the floor, the rest into the unstake queue
    const floor = (price / 10n ** 18n) * BigInt(10_000 - this.cfg.maxImpactBps) / 10_000n; // AID per sAID [wad]
    const {sold, received} = await sellBase(this.w.amm, this.account, this.w.uni, this.w.pool, seized, floor);
    const queued = seized - sold;
    let queuedAssets = 0n;
    if (queued > 0n) {
      const [, before] = await c.read<readonly [bigint, bigint]>({address: d.sAID, abi: stakedAIDAbi, functionName: "getUnstakeRequest", args: [me]});
      await c.send(this.account, {address: d.sAID, abi: stakedAIDAbi, functionName: "unstake", args: [queued]});
      const [, after] = await c.read<readonly [bigint, bigint]>({address: d.sAID, abi: stakedAIDAbi, functionName: "getUnstakeRequest", args: [me]});
      queuedAssets = after - before;
    }
    return {
      price, priceBlock, scanned: found.length, liquidatable: unhealthy.length, liquidations, seized, badDebt, sold, soldFor: received,
      queued, queuedAssets, fromBlock: fromBlock + 1n, toBlock: await c.client.getBlockNumber({cacheTime: 0}),
    };
  }

  /** The pool's price after the bot's sales [wad AID per sAID]. */
  poolPrice(): Promise<bigint> {
    return pairPrice(this.w.amm, this.w.pool);
  }
}
