// A staker's loop on the sAID/AID market: stake AID, post the sAID as collateral, borrow AID, stake it again, until
// the debt reaches (leverage − 1) × equity or Morpho's limit (collateral value × LLTV) stops it. Leverage here is
// collateral value / equity at the oracle price: a loop at LTV t has leverage 1 / (1 − t).
import {maxUint256, type Address} from "viem";
import {aidAbi, stakedAIDAbi} from "../abi/generated.ts";
import {mintAid, type Account} from "../demo/chain.ts";
import {health, morphoAbi, oraclePrice, readMarket, readPosition, type Health} from "./morpho.ts";
import type {LendingWorld} from "./world.ts";

export interface Looper {
  account: Account;
  /** The leverage asked for (collateral value / equity). */
  target: number;
  equity: bigint; // [wad] AID of its own
  collateral: bigint; // [sAID units] posted
  debt: bigint; // [wad] AID borrowed
  rounds: number;
  /** Health right after the loop. */
  start: Health;
  /** Achieved leverage: collateral value / (collateral value − debt). */
  leverage: number;
}

/** The highest leverage a market allows with `headroomBps` of LTV left below its LLTV: 1 / (1 − (LLTV − headroom)). */
export function maxLeverage(lltv: bigint, headroomBps = 50): number {
  return 1 / (1 - (Number(lltv) / 1e18 - headroomBps / 10_000));
}

/** Loops `account` with `equity` AID [wad] to `leverage` on the world's sAID/AID market. */
export async function loop(w: LendingWorld, account: Account, equity: bigint, leverage: number, maxRounds = 80): Promise<Looper> {
  const {c, d, m} = w;
  await mintAid(c, d, account, equity, w.admin);
  await c.send(account, {address: d.aid, abi: aidAbi, functionName: "approve", args: [d.sAID, maxUint256]});
  await c.send(account, {address: d.sAID, abi: aidAbi, functionName: "approve", args: [m.morpho, maxUint256]});
  const targetDebt = (equity * BigInt(Math.round((leverage - 1) * 1e9))) / 10n ** 9n;
  const dust = equity / 1000n;
  let [cash, collateral, debt, rounds] = [equity, 0n, 0n, 0];
  const balance = (a: Address) => c.read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "balanceOf", args: [a]});
  while (rounds < maxRounds) {
    rounds++;
    const before = await balance(account.address);
    await c.send(account, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [cash, account.address]});
    const shares = (await balance(account.address)) - before;
    await c.send(account, {address: m.morpho, abi: morphoAbi, functionName: "supplyCollateral", args: [m.aidMarket, shares, account.address, "0x"]});
    collateral += shares;
    // Morpho's view of the position (its debt has accrued interest since the last touch: keep 10 ppm of headroom)
    const h = health(await readPosition(c, m, account.address), await readMarket(c, m), await oraclePrice(c, m), m.aidMarket.lltv);
    const room = h.maxBorrow - h.debt - h.debt / 100_000n - 10n ** 12n;
    const left = targetDebt - h.debt;
    const want = room < left ? room : left;
    if (want < dust) break;
    await c.send(account, {address: m.morpho, abi: morphoAbi, functionName: "borrow", args: [m.aidMarket, want, 0n, account.address, account.address]});
    debt += want;
    cash = want;
  }
  const start = health(await readPosition(c, m, account.address), await readMarket(c, m), await oraclePrice(c, m), m.aidMarket.lltv);
  const lev = Number(start.collateralValue) / Number(start.collateralValue - start.debt);
  return {account, target: leverage, equity, collateral, debt, rounds, start, leverage: lev};
}
