// The lending world on one Anvil: the core deployment (script/00_DeployLocal), real Morpho Blue from the npm-built
// artifact with the sAID markets of the deploy script step (script/04_MorphoMarkets), a base staker, a real GPU deal
// whose junior tranche sAID holds (TranchePosition), a lender in the sAID/AID market, and an sAID/AID Uniswap v3 pool
// seeded at sAID's price. Amounts in whole tokens unless marked [wad].
import {parseUnits, type Address} from "viem";
import {aidAbi, dealFactoryAbi, gpuDealAbi, stakedAIDAbi, tranchePositionAbi, tranchePositionBytecode} from "../abi/generated.ts";
import {connect, devAccount, type Chain} from "../amm/chain.ts";
import {deployUniswap, type Uniswap} from "../amm/uniswap.ts";
import {connectDemo, mintAid, type Account, type DemoChain} from "../demo/chain.ts";
import {createGpuDeal} from "../demo/deals.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {deployMorpho} from "../morpho/deploy.ts";
import {createMarkets, morphoAbi, oraclePrice, type LendingMarkets} from "./morpho.ts";
import {addPairLiquidity, createPairPool, type PairPool} from "./pool.ts";

const DAY = 86_400;
const wad = (n: number) => parseUnits(String(n), 18);

/** The world's sizes (exported: the report and the tests derive expectations from them). */
export const WORLD = {
  baseStake: wad(6_000_000), // carol's sAID stake: sAID's NAV before the loopers
  dealSenior: wad(4_000_000), // an outside investor
  dealJunior: wad(2_000_000), // sAID's position: first loss, a third of the base NAV
  dealAppraised: wad(8_000_000),
  dealTenor: 365 * DAY, // bullet, monthly interest
  dealInterval: 30 * DAY,
  lenderSupply: wad(20_000_000), // AID supplied to the sAID/AID market
  liquidatorAid: wad(10_000_000),
  poolSaid: wad(150_000), // sAID in the sAID/AID pool, with AID of the same value, in [lo, hi] × sAID's price
  poolRange: {lo: 0.8, hi: 1.05},
} as const;

export interface LendingWorld {
  c: DemoChain;
  amm: Chain;
  d: LocalDeployment;
  m: LendingMarkets;
  uni: Uniswap;
  pool: PairPool;
  deal: Address;
  /** sAID's TranchePosition in the deal's junior tranche. */
  position: Address;
  admin: Account; // deployer, Morpho owner, sAID allocator, deal underwriter, pool LP
  lender: Account;
  liquidator: Account;
  carol: Account; // base staker, arbitrages the pool to sAID's price
  investor: Account;
  borrower: Account; // the GPU cloud
  /** Fresh accounts for loopers (funded with gas). */
  nextAccount(): Promise<Account>;
}

/** Starts Anvil, deploys everything and returns the world (stop `anvil` when done). */
export async function startLendingWorld(chainId: number, log: (l: string) => void = () => {}): Promise<{anvil: Anvil; world: LendingWorld}> {
  const anvil = await startAnvil({chainId});
  try {
    const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    log(`core deployed: AID ${d.aid}, sAID ${d.sAID}`);
    return {anvil, world: await setupWorld(anvil.rpcUrl, chainId, d, log)};
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

async function setupWorld(rpcUrl: string, chainId: number, d: LocalDeployment, log: (l: string) => void): Promise<LendingWorld> {
  const c = await connectDemo(rpcUrl);
  const amm = await connect(rpcUrl);
  const admin = anvilAccount(0);
  const [lender, liquidator, carol, investor, borrower] = [1, 2, 3, 4, 5].map(devAccount) as [Account, Account, Account, Account, Account];
  let next = 10;
  const nextAccount = async () => {
    const a = devAccount(next++);
    await c.test.setBalance({address: a.address, value: 10n ** 21n});
    return a;
  };
  const approve = (from: Account, token: Address, spender: Address, amount: bigint) =>
    c.send(from, {address: token, abi: aidAbi, functionName: "approve", args: [spender, amount]});

  // Morpho Blue (owner: admin) and the markets of the deploy script step
  const morpho = await deployMorpho(amm, admin, admin.address);
  const m = await createMarkets(rpcUrl, chainId, d, morpho);
  log(`Morpho ${morpho}; sAID/AID market ${m.aidMarketId} at LLTV ${Number(m.aidMarket.lltv) / 1e16}%, oracle ${m.aidOracle}`);

  // sAID's base NAV
  await mintAid(c, d, carol, WORLD.baseStake);
  await approve(carol, d.aid, d.sAID, WORLD.baseStake);
  await c.send(carol, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [WORLD.baseStake, carol.address]});

  // the GPU deal: sAID in the junior tranche, an investor in the senior
  const deal = await createGpuDeal(c, d, admin, {
    borrower: borrower.address, label: "lending deal", units: 256, appraised: WORLD.dealAppraised, senior: WORLD.dealSenior,
    junior: WORLD.dealJunior, tenor: WORLD.dealTenor, amortising: false, seniorAprBps: 1000, juniorAprBps: 2000, interval: WORLD.dealInterval,
  });
  const position = await c.deploy(admin, tranchePositionAbi, tranchePositionBytecode, [deal, 1, d.aid, d.sAID]);
  for (const who of [position, investor.address]) {
    await c.send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setInvestorAllowed", args: [who, true]});
  }
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "addPosition", args: [position]});
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "allocate", args: [position, WORLD.dealJunior]});
  await mintAid(c, d, investor, WORLD.dealSenior);
  await approve(investor, d.aid, deal, WORLD.dealSenior);
  await c.send(investor, {address: deal, abi: gpuDealAbi, functionName: "deposit", args: [0, WORLD.dealSenior]});
  log(`deal ${deal} ACTIVE: senior ${WORLD.dealSenior / 10n ** 18n} (investor), junior ${WORLD.dealJunior / 10n ** 18n} (sAID, position ${position})`);

  // lender and liquidator
  await mintAid(c, d, lender, WORLD.lenderSupply);
  await approve(lender, d.aid, morpho, WORLD.lenderSupply);
  await c.send(lender, {address: morpho, abi: morphoAbi, functionName: "supply", args: [m.aidMarket, WORLD.lenderSupply, 0n, lender.address, "0x"]});
  await mintAid(c, d, liquidator, WORLD.liquidatorAid);

  // the sAID/AID pool at sAID's price (Uniswap v3 from npm); admin is the LP
  const uni = await deployUniswap(amm, admin);
  const price = (await oraclePrice(c, m)) / 10n ** 18n; // AID per sAID [wad] (18-decimal loan token: price / 1e18)
  const pool = await createPairPool(amm, admin, uni, d.sAID, d.aid, price);
  const lpAid = (WORLD.poolSaid * price) / 10n ** 18n;
  await mintAid(c, d, admin, WORLD.poolSaid + lpAid + 10n ** 18n);
  await approve(admin, d.aid, d.sAID, WORLD.poolSaid + 10n ** 18n);
  await c.send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "mint", args: [WORLD.poolSaid, admin.address]});
  const p = Number(price) / 1e18;
  await addPairLiquidity(amm, admin, uni, pool, {base: WORLD.poolSaid, quote: lpAid}, WORLD.poolRange.lo * p, WORLD.poolRange.hi * p);
  log(`sAID/AID pool ${pool.pool}: ${WORLD.poolSaid / 10n ** 18n} sAID + AID in [${WORLD.poolRange.lo}, ${WORLD.poolRange.hi}] × ${p.toFixed(6)}`);

  return {c, amm, d, m, uni, pool, deal, position, admin, lender, liquidator, carol, investor, borrower, nextAccount};
}
