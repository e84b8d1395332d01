// Uniswap v3 on the local home chain (`npm run demo`, `npm run local`): the factory, the position manager, the swap
// router and the AID/USDC pool at 1.0, seeded by an LP account with an in-range position, and their addresses added to
// the chain's deployment record (deployments/local/<chainId>.json) so the indexer watches the pool and the positions.
import {readFileSync, renameSync, writeFileSync} from "node:fs";
import {getAddress, type Address} from "viem";
import {connectDemo, mintAid} from "../demo/chain.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {connect, devAccount} from "./chain.ts";
import {addLiquidity, createAidUsdcPool, deployUniswap, swapExactIn} from "./uniswap.ts";
import {mockERC20Abi} from "../abi/generated.ts";

export interface LocalUniswap {
  uniswapFactory: Address;
  positionManager: Address;
  swapRouter: Address;
  aidUsdcPool: Address;
}

/** The LP that seeds the pool: anvil dev account 9 (the demo and the local operators use 0..3). */
export const LOCAL_LP = 9;
const WAD = 10n ** 18n;

/** Deploys Uniswap and the AID/USDC pool on the home chain at `rpcUrl`, seeds it with `seed` AID and as much USDC
 *  (in [0.99, 1.01]) from the LP account, makes one small swap, and writes the addresses into `recordFile`. */
export async function addLocalUniswap(rpcUrl: string, d: LocalDeployment, recordFile: string, seed: bigint = 50_000n * WAD): Promise<LocalUniswap> {
  const c = await connect(rpcUrl);
  const admin = devAccount(0);
  const lp = devAccount(LOCAL_LP);
  const uni = await deployUniswap(c, admin);
  const pool = await createAidUsdcPool(c, admin, uni, d.aid, d.usdc);
  await mintAid(await connectDemo(rpcUrl), d, lp, seed + seed / 100n, admin);
  const usdc = seed / 10n ** 12n;
  await c.send(admin, {address: d.usdc, abi: mockERC20Abi, functionName: "mint", args: [lp.address, usdc + usdc / 100n]});
  await addLiquidity(c, lp, uni, pool, {aid: seed, usdc}, {lo: 0.99, hi: 1.01});
  // a first trade: the pool has a price history (Swap) from the start
  await swapExactIn(c, lp, uni, pool, d.usdc, usdc / 100n);
  const out: LocalUniswap = {
    uniswapFactory: getAddress(uni.factory),
    positionManager: getAddress(uni.positionManager),
    swapRouter: getAddress(uni.router),
    aidUsdcPool: getAddress(pool.pool),
  };
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as Record<string, unknown>;
  const tmp = `${recordFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({...record, ...out}, null, 2)}\n`);
  renameSync(tmp, recordFile);
  return out;
}
