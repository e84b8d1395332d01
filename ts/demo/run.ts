// The README demo: one local chain, AID minted against USDC by a KYC'd account, moved, backed by T-bills, and
// redeemed through the queue. Every step prints what changed; the returned summary is asserted by demo.test.ts.
import {formatUnits, parseUnits, type Address} from "viem";
import {aidAbi, aidMinterAbi, aidReserveAbi, mockERC20Abi, mockTBillVaultAbi, stakedAIDAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import type {ContractCall} from "../lib/tx.ts";
import {aidBalance, connectDemo, type Account} from "./chain.ts";

export interface DemoSummary {
  aliceAid: bigint;
  bobAid: bigint;
  aliceUsdc: bigint;
  yieldReceiverAid: bigint;
  harvested: bigint;
  bobShares: bigint;
  sharePriceBefore: bigint;
  sharePriceAfter: bigint;
  unstakeShares: bigint;
  unstakeRecorded: bigint;
  unstakedAid: bigint;
  sAIDAid: bigint;
  aidSupply: bigint;
  reserveValue: bigint;
  redeemedUsdc: bigint;
}

const DAY = 86_400;
/** Demo amounts (exported so the test derives its expectations from them). */
export const DEMO = {
  mintUsdc: parseUnits("1000000", 6),
  transferAid: parseUnits("250000", 18),
  investUsdc: parseUnits("800000", 6),
  redeemAid: parseUnits("100000", 18),
  stakeAid: parseUnits("200000", 18),
  unstakeShares: parseUnits("50000", 18),
  year: 365 * DAY,
  redeemDelay: DAY,
  vesting: 8 * 3600,
  unstakeDelay: 7 * DAY,
} as const;
const fmt = (v: bigint, d = 18) => Number(formatUnits(v, d)).toLocaleString("en-US", {maximumFractionDigits: 6});

export async function runDemo(rpcUrl: string, d: LocalDeployment, log: (line: string) => void = console.log): Promise<DemoSummary> {
  const c = await connectDemo(rpcUrl);
  const [admin, alice, bob] = [anvilAccount(0), anvilAccount(1), anvilAccount(2)];
  const send = (account: Account, req: ContractCall) => c.send(account, req);
  const read = <T>(req: ContractCall) => c.read<T>(req);
  const aidBal = (who: Address) => aidBalance(c, d, who);
  const usdcBalance = (who: Address) => read<bigint>({address: d.usdc, abi: mockERC20Abi, functionName: "balanceOf", args: [who]});

  log(`AID ${d.aid}  minter ${d.minter}  reserve ${d.reserve}  sAID ${d.sAID}  USDC ${d.usdc}`);
  const sharePrice = () => read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "convertToAssets", args: [10n ** 18n]});

  // 1. KYC: the whitelist manager (admin locally) whitelists alice, a GPU cloud treasury.
  const whitelisted = await read<`0x${string}`>({address: d.minter, abi: aidMinterAbi, functionName: "WHITELISTED_ROLE"});
  await send(admin, {address: d.minter, abi: aidMinterAbi, functionName: "grantRole", args: [whitelisted, alice.address]});
  log(`1. whitelisted alice ${alice.address}`);

  // 2. alice mints 1,000,000 AID against 1,000,000 USDC (1:1, 6 -> 18 decimals).
  const usdcIn = DEMO.mintUsdc;
  await send(admin, {address: d.usdc, abi: mockERC20Abi, functionName: "mint", args: [alice.address, usdcIn]});
  await send(alice, {address: d.usdc, abi: mockERC20Abi, functionName: "approve", args: [d.minter, usdcIn]});
  await send(alice, {address: d.minter, abi: aidMinterAbi, functionName: "mint", args: [d.usdc, usdcIn, usdcIn * 10n ** 12n, alice.address]});
  log(`2. alice minted ${fmt(await aidBal(alice.address))} AID for ${fmt(usdcIn, 6)} USDC`);

  // 3. alice pays bob 250,000 AID (anyone can hold and move AID; only KYC'd accounts mint and redeem).
  await send(alice, {address: d.aid, abi: aidAbi, functionName: "transfer", args: [bob.address, DEMO.transferAid]});
  log(`3. alice -> bob 250,000 AID; bob holds ${fmt(await aidBal(bob.address))} AID`);

  // 4. The reserve manager moves 800,000 USDC into the T-bill fund, keeping >= 10% liquid.
  await send(admin, {address: d.reserve, abi: aidReserveAbi, functionName: "invest", args: [DEMO.investUsdc]});
  log(`4. reserve invested 800,000 USDC in T-bills; liquid ${fmt(await read<bigint>({address: d.reserve, abi: aidReserveAbi, functionName: "liquidValue"}))}`);

  // 4b. bob stakes 200,000 AID into sAID (first deposit: 1 share per AID).
  await send(bob, {address: d.aid, abi: aidAbi, functionName: "approve", args: [d.sAID, DEMO.stakeAid]});
  await send(bob, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [DEMO.stakeAid, bob.address]});
  const bobShares = await read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "balanceOf", args: [bob.address]});
  log(`4b. bob staked ${fmt(DEMO.stakeAid)} AID into sAID for ${fmt(bobShares)} sAID`);

  // 5. A year passes at 5% APY; the T-bill surplus above 100.5% of liabilities is harvested as AID for sAID.
  await c.advance(DEMO.year);
  await send(admin, {address: d.tbill, abi: mockTBillVaultAbi, functionName: "accrue"});
  for (const feed of [d.usdcFeed, d.usdtFeed]) {
    // feeds on a local chain do not tick by themselves; refresh them after the time jump
    await send(admin, {address: feed, abi: [{type: "function", name: "setAnswer", inputs: [{name: "", type: "int192"}], outputs: [], stateMutability: "nonpayable"}], functionName: "setAnswer", args: [100_000_000n]});
  }
  // what harvest actually mints (the T-bill fund keeps accruing until the harvest's own block): the supply change
  const aidSupply = () => read<bigint>({address: d.aid, abi: aidAbi, functionName: "totalSupply"});
  const supplyBefore = await aidSupply();
  await send(admin, {address: d.reserve, abi: aidReserveAbi, functionName: "harvest"});
  const surplus = (await aidSupply()) - supplyBefore;
  const yieldReceiver = await read<Address>({address: d.reserve, abi: aidReserveAbi, functionName: "yieldReceiver"});
  log(`5. one year of T-bill yield: harvested ${fmt(surplus)} AID into sAID's reward stream (transferInRewards)`);

  // 5b. The reward vests linearly (8 h at least, longer when the 50% APR cap needs it): the share price rises.
  const sharePriceBefore = await sharePrice();
  await c.advance(DEMO.vesting);
  const sharePriceAfter = await sharePrice();
  const vestingEnd = await read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "vestingEnd"});
  log(`5b. after 8 h the sAID share price went from ${fmt(sharePriceBefore)} to ${fmt(sharePriceAfter)} AID (stream ends at ${vestingEnd})`);

  // 6. alice redeems 100,000 AID: burnt now, USDC paid FIFO after the 1-day delay.
  const redeemAid = DEMO.redeemAid;
  await send(alice, {address: d.aid, abi: aidAbi, functionName: "approve", args: [d.minter, redeemAid]});
  const usdcBefore = await usdcBalance(alice.address);
  const id = await read<bigint>({address: d.minter, abi: aidMinterAbi, functionName: "redeemRequestCount"});
  await send(alice, {address: d.minter, abi: aidMinterAbi, functionName: "requestRedeem", args: [d.usdc, redeemAid, redeemAid / 10n ** 12n, alice.address]});
  log(`6. alice queued redemption #${id} of 100,000 AID`);
  await c.advance(DEMO.redeemDelay);
  await send(alice, {address: d.minter, abi: aidMinterAbi, functionName: "claimRedeem", args: [id]});
  const redeemedUsdc = (await usdcBalance(alice.address)) - usdcBefore;
  log(`   after 1 day: claimed ${fmt(redeemedUsdc, 6)} USDC`);

  // 7. bob unstakes 50,000 sAID through the queue: shares burnt now, AID paid FIFO after the 7-day unstake delay.
  await send(bob, {address: d.sAID, abi: stakedAIDAbi, functionName: "unstake", args: [DEMO.unstakeShares]});
  const [, unstakeRecorded] = await read<readonly [bigint, bigint]>({address: d.sAID, abi: stakedAIDAbi, functionName: "getUnstakeRequest", args: [bob.address]});
  log(`7. bob unstaked ${fmt(DEMO.unstakeShares)} sAID, queued ${fmt(unstakeRecorded)} AID`);
  const bobAidBefore = await aidBal(bob.address);
  await c.advance(DEMO.unstakeDelay);
  await send(alice, {address: d.sAID, abi: stakedAIDAbi, functionName: "processUnstakeQueue", args: [10n]});
  const unstakedAid = (await aidBal(bob.address)) - bobAidBefore;
  log(`   after 7 days: processUnstakeQueue paid bob ${fmt(unstakedAid)} AID`);

  const summary: DemoSummary = {
    aliceAid: await aidBal(alice.address),
    bobAid: await aidBal(bob.address),
    aliceUsdc: await usdcBalance(alice.address),
    yieldReceiverAid: await aidBal(yieldReceiver),
    harvested: surplus,
    bobShares,
    sharePriceBefore,
    sharePriceAfter,
    unstakeShares: DEMO.unstakeShares,
    unstakeRecorded,
    unstakedAid,
    sAIDAid: await aidBal(d.sAID),
    aidSupply: await read<bigint>({address: d.aid, abi: aidAbi, functionName: "totalSupply"}),
    reserveValue: await read<bigint>({address: d.reserve, abi: aidReserveAbi, functionName: "totalValue"}),
    redeemedUsdc,
  };
  log("");
  log("balances            AID              USDC");
  log(`alice      ${fmt(summary.aliceAid).padStart(16)}  ${fmt(summary.aliceUsdc, 6).padStart(16)}`);
  log(`bob        ${fmt(summary.bobAid).padStart(16)}  ${"0".padStart(16)}`);
  log(`sAID       ${fmt(summary.sAIDAid).padStart(16)}   share price ${fmt(await sharePrice())} AID`);
  log(`AID supply ${fmt(summary.aidSupply).padStart(16)}   reserve value ${fmt(summary.reserveValue)} USD`);
  return summary;
}
