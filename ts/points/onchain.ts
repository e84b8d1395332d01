// Test oracle: the scenario's points computed without the index. At every block of the story it reads, with
// `blockNumber`, each actor's AID balance, the value of its vault shares (convertToAssets) and, for the LP position,
// its owner, liquidity and the pool's tick; the AID side of the position comes from simulating the position manager's
// own decreaseLiquidity of the whole position at that block (Uniswap's math, not ours). A value read at block b is held
// from b's timestamp to b+1's (balances change only in blocks); the sums are value x seconds, turned into points with
// the same multiplier and a single floor per kind.
import type {Address} from "viem";
import {mockERC20Abi, mockTBillVaultAbi} from "../abi/generated.ts";
import {DEADLINE, UNI} from "../amm/uniswap.ts";
import type {Kind, PointsConfig} from "./config.ts";
import type {PointsScenario} from "./scenario.ts";

const WAD = 10n ** 18n;

export async function onChainPoints(s: PointsScenario, cfg: PointsConfig, toBlock: bigint): Promise<Map<string, Record<Kind, bigint>>> {
  const pub = s.c.pub;
  const actors = Object.values(s.actors).map((a) => a.address);
  const sums = new Map<string, Record<Kind, bigint>>(actors.map((a) => [a.toLowerCase(), {aid: 0n, said: 0n, aidLp: 0n, saidLp: 0n}]));
  const time = async (b: bigint) => (await pub.getBlock({blockNumber: b})).timestamp;
  const clamp = (t: bigint) => {
    const lo = BigInt(cfg.start);
    const hi = cfg.end === null ? t : BigInt(cfg.end);
    return t < lo ? lo : t > hi ? hi : t;
  };
  let t = await time(s.firstBlock - 1n);
  for (let b = s.firstBlock - 1n; b < toBlock; b++) {
    const tNext = await time(b + 1n);
    const dt = clamp(tNext) - clamp(t);
    t = tNext;
    if (dt === 0n) continue;
    await Promise.all(
      actors.map(async (who) => {
        const aid = await pub.readContract({address: s.aid, abi: mockERC20Abi, functionName: "balanceOf", args: [who], blockNumber: b});
        const shares = await pub.readContract({address: s.vault, abi: mockTBillVaultAbi, functionName: "balanceOf", args: [who], blockNumber: b});
        const said = shares === 0n ? 0n : await pub.readContract({address: s.vault, abi: mockTBillVaultAbi, functionName: "convertToAssets", args: [shares], blockNumber: b});
        const r = sums.get(who.toLowerCase())!;
        r.aid += aid * dt * WAD;
        r.said += said * dt * WAD;
      }),
    );
    const lp = await positionSide(s, b, s.tokenId, s.pool.pool, s.pool.aidIsToken0);
    if (lp) sums.get(lp.owner.toLowerCase())!.aidLp += lp.amount * dt * WAD;
    const slp = await positionSide(s, b, s.saidTokenId, s.saidPool.pool, s.saidPool.token0 === s.vault);
    if (slp && slp.amount > 0n) {
      const value = await pub.readContract({address: s.vault, abi: mockTBillVaultAbi, functionName: "convertToAssets", args: [slp.amount], blockNumber: b});
      sums.get(slp.owner.toLowerCase())!.saidLp += value * dt * WAD;
    }
  }
  const den = WAD * 86_400n * 10_000n;
  for (const r of sums.values()) for (const k of Object.keys(r) as Kind[]) r[k] = (r[k] * cfg.multiplierBps[k]) / den;
  return sums;
}

/** A position's owner and the amount of the points token (token0 if `side0`) it would pay out at block `b` if in
 *  range (undefined: not minted yet or out of range). */
async function positionSide(s: PointsScenario, b: bigint, tokenId: bigint, pool: Address, side0: boolean): Promise<{owner: Address; amount: bigint} | undefined> {
  const pub = s.c.pub;
  const npm = s.uni.positionManager;
  let owner: Address;
  try {
    owner = (await pub.readContract({address: npm, abi: UNI.positionManager.abi, functionName: "ownerOf", args: [tokenId], blockNumber: b})) as Address;
  } catch {
    return undefined; // not minted yet
  }
  const pos = (await pub.readContract({address: npm, abi: UNI.positionManager.abi, functionName: "positions", args: [tokenId], blockNumber: b})) as readonly unknown[];
  const [tickLower, tickUpper, liquidity] = [Number(pos[5]), Number(pos[6]), pos[7] as bigint];
  const slot0 = (await pub.readContract({address: pool, abi: UNI.pool.abi, functionName: "slot0", blockNumber: b})) as readonly unknown[];
  const tick = Number(slot0[1]);
  if (liquidity === 0n || tick < tickLower || tick >= tickUpper) return undefined;
  const {result} = await pub.simulateContract({
    account: owner,
    address: npm,
    abi: UNI.positionManager.abi,
    functionName: "decreaseLiquidity",
    args: [{tokenId, liquidity, amount0Min: 0n, amount1Min: 0n, deadline: DEADLINE}],
    blockNumber: b,
  });
  const [amount0, amount1] = result as readonly [bigint, bigint];
  return {owner, amount: side0 ? amount0 : amount1};
}
