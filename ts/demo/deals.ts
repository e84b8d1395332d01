// The README deal demo on the home chain: a GPU cluster financed through a DealFactory deal (sAID's allocator in the
// senior tranche, an investor in the junior), repaid monthly over simulated months while sAID collects; then a second
// deal that defaults and is liquidated at a shortfall, the junior tranche losing first. Asserted by deals.test.ts.
import {formatUnits, keccak256, parseUnits, stringToHex, type Address} from "viem";
import {aidAbi, dealFactoryAbi, gpuDealAbi, seniorPositionAbi, seniorPositionBytecode, stakedAIDAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import type {ContractCall} from "../lib/tx.ts";
import {aidBalance, connectDemo, mintAid, type Account, type DemoChain} from "./chain.ts";

const DAY = 86_400;
const WAD = 10n ** 18n;
/** GpuDeal.State as numbered in IGpuDeal. */
export const DealState = {FUNDING: 0, ACTIVE: 1, LATE: 2, DEFAULTED: 3, RECOVERY: 4, MATURED: 5, CLOSED: 6, CANCELLED: 7} as const;
const STATE_NAMES = Object.keys(DealState);

/** Demo parameters (exported so the test derives its expectations from them). */
export const DEAL_DEMO = {
  // deal 1: 512 H100, 75% advance, senior 80% / junior 20%, amortising monthly over 6 months
  units1: 512,
  appraised1: parseUnits("16000000", 18),
  principal1: parseUnits("12000000", 18),
  senior1: parseUnits("9600000", 18),
  junior1: parseUnits("2400000", 18),
  tenor1: 180 * DAY,
  // deal 2: 128 H100, same advance, bullet over a year; defaults, GPUs sold for less than owed
  units2: 128,
  appraised2: parseUnits("4000000", 18),
  senior2: parseUnits("2400000", 18),
  junior2: parseUnits("600000", 18),
  tenor2: 365 * DAY,
  liquidationProceeds: parseUnits("2450000", 18),
  seniorAprBps: 1000,
  juniorAprBps: 2000,
  interval: 30 * DAY,
  stake: parseUnits("15000000", 18), // carol's sAID stake
  borrowerRevenue: parseUnits("2000000", 18), // AID the GPU cloud earns on top of the disbursement
} as const;

export interface DealDemoReport {
  deal1: Address;
  deal2: Address;
  position: Address;
  disbursed1: bigint; // AID the borrower received at activation
  navStart: bigint; // sAID convertToAssets(1e18) before investing
  navByMonth: bigint[]; // after each month's collection
  activatedAt1: bigint; // deal 1's activation [s]
  dueDates1: bigint[]; // the due date alice paid at, each month [s]
  periodsPaid1: bigint[]; // deal 1's periodsPaid() after each month's payment
  navEnd: bigint; // after the last collection has vested
  saidCollected: bigint; // AID sAID pulled back from the senior tranche
  deal1State: number;
  juniorClaimed1: bigint;
  deal2Principal: bigint;
  markBpsLate: bigint; // deal 2's write-down 16 days late
  seniorValueLate: bigint;
  juniorValueLate: bigint;
  cashReserve2: bigint;
  seniorClaimed2: bigint;
  juniorClaimed2: bigint;
  seniorLoss2: bigint; // principal the senior never got back
  juniorLoss2: bigint;
  deal2State: number;
}

const fmt = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US", {maximumFractionDigits: 2});
const fmtPrice = (v: bigint) => Number(formatUnits(v, 18)).toFixed(6);

/** A FIXED-structure H100 deal as the demos and the lending scenario create it. */
export interface GpuDealParams {
  borrower: Address;
  /** Names the deal's serials and node ids. */
  label: string;
  units: number;
  appraised: bigint; // [wad]
  senior: bigint; // [wad]
  junior: bigint; // [wad]
  tenor: number; // [s]
  amortising: boolean;
  seniorAprBps: number;
  juniorAprBps: number;
  interval: number; // [s] between payments
}

/** Creates a deal through the DealFactory with `underwriter` (the factory's underwriter role; the local admin) and
 *  returns its address; funding opens for 14 days. */
export async function createGpuDeal(c: DemoChain, d: LocalDeployment, underwriter: Account, p: GpuDealParams): Promise<Address> {
  const terms = {
    borrower: p.borrower,
    underwriter: underwriter.address,
    collateral: {
      assetClass: 0, // GPU
      model: stringToHex("H100-SXM5-80GB", {size: 32}),
      unitCount: p.units,
      appraisedValue: p.appraised,
      serialsHash: keccak256(stringToHex(`${p.label} serial numbers`)),
      nodeIdsRoot: keccak256(stringToHex(`${p.label} node ids`)),
    },
    structure: 0, // FIXED
    seniorPrincipal: p.senior,
    juniorPrincipal: p.junior,
    seniorAprBps: p.seniorAprBps,
    juniorAprBps: p.juniorAprBps,
    revenueShareBps: 0,
    capMultipleBps: 0,
    minPeriodPayment: 0n,
    amortising: p.amortising,
    tenor: p.tenor,
    paymentInterval: p.interval,
    fundingDeadline: Number(await c.now()) + 14 * DAY,
  };
  const create = {address: d.dealFactory, abi: dealFactoryAbi, functionName: "createDeal", args: [terms]};
  const address = await c.simulate<Address>(underwriter, create);
  await c.send(underwriter, create);
  return address;
}

export async function runDealDemo(rpcUrl: string, d: LocalDeployment, log: (line: string) => void = console.log): Promise<DealDemoReport> {
  const c = await connectDemo(rpcUrl);
  // admin: underwriter, KYC manager, sAID allocator, treasury; alice: the GPU cloud (borrower); bob: junior investor;
  // carol: sAID staker and deal 2's senior investor
  const [admin, alice, bob, carol] = [anvilAccount(0), anvilAccount(1), anvilAccount(2), anvilAccount(3)];
  type Req = ContractCall;
  const send = (account: Account, req: Req) => c.send(account, req);
  const read = <T>(req: Req) => c.read<T>(req);
  const aidBal = (who: Address) => aidBalance(c, d, who);
  const nav = () => read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "convertToAssets", args: [WAD]});
  const deal = (address: Address) => ({
    read: <T>(functionName: string, args: readonly unknown[] = []) => read<T>({address, abi: gpuDealAbi, functionName, args}),
    send: (account: Account, functionName: string, args: readonly unknown[] = []) => send(account, {address, abi: gpuDealAbi, functionName, args}),
  });
  const mint = (to: Account, amount: bigint) => mintAid(c, d, to, amount, admin);
  const approveAid = (from: Account, spender: Address, amount: bigint) =>
    send(from, {address: d.aid, abi: aidAbi, functionName: "approve", args: [spender, amount]});

  log(`\n== GPU deals ==  factory ${d.dealFactory}  revenue reporter ${d.revenueReporter}`);
  const kyc = (who: Address) => send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setInvestorAllowed", args: [who, true]});
  await kyc(bob.address);
  await kyc(carol.address);

  const createDeal = (units: number, appraised: bigint, senior: bigint, junior: bigint, tenor: number, amortising: boolean, label: string) =>
    createGpuDeal(c, d, admin, {
      borrower: alice.address, label, units, appraised, senior, junior, tenor, amortising,
      seniorAprBps: DEAL_DEMO.seniorAprBps, juniorAprBps: DEAL_DEMO.juniorAprBps, interval: DEAL_DEMO.interval,
    });

  // ---------------------------------------------------------------- deal 1: financed, repaid, sAID earns
  await mint(carol, DEAL_DEMO.stake);
  await approveAid(carol, d.sAID, DEAL_DEMO.stake);
  await send(carol, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [DEAL_DEMO.stake, carol.address]});
  const navStart = await nav();
  log(`carol stakes ${fmt(DEAL_DEMO.stake)} AID in sAID; sAID NAV per share ${fmtPrice(navStart)}`);

  const deal1 = await createDeal(DEAL_DEMO.units1, DEAL_DEMO.appraised1, DEAL_DEMO.senior1, DEAL_DEMO.junior1, DEAL_DEMO.tenor1, true, "deal 1");
  const d1 = deal(deal1);
  log(`deal 1 ${deal1}: ${DEAL_DEMO.units1} H100 appraised ${fmt(DEAL_DEMO.appraised1)} AID, principal ${fmt(DEAL_DEMO.principal1)} (75% advance), ` +
    `senior ${fmt(DEAL_DEMO.senior1)} @ ${DEAL_DEMO.seniorAprBps / 100}% / junior ${fmt(DEAL_DEMO.junior1)} @ ${DEAL_DEMO.juniorAprBps / 100}%, 6 months amortising`);

  // sAID's allocator invests idle AID into the senior tranche through a SeniorPosition adapter
  const position = await c.deploy(admin, seniorPositionAbi, seniorPositionBytecode, [deal1, d.aid, d.sAID]);
  await kyc(position);
  await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "addPosition", args: [position]});
  await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "allocate", args: [position, DEAL_DEMO.senior1]});
  log(`sAID allocates ${fmt(DEAL_DEMO.senior1)} AID to the senior tranche (position ${position})`);

  await mint(bob, DEAL_DEMO.junior1 + DEAL_DEMO.junior2);
  await approveAid(bob, deal1, DEAL_DEMO.junior1);
  const aliceBefore = await aidBal(alice.address);
  await d1.send(bob, "deposit", [1, DEAL_DEMO.junior1]);
  const disbursed1 = (await aidBal(alice.address)) - aliceBefore;
  log(`bob funds the junior tranche: deal ACTIVE, alice receives ${fmt(disbursed1)} AID ` +
    `(principal − fee ${fmt(await d1.read<bigint>("tokenizationFee"))} − cash reserve ${fmt(await d1.read<bigint>("cashReserve"))})`);

  await mint(alice, DEAL_DEMO.borrowerRevenue); // the cluster's rental income, on top of the disbursement
  await approveAid(alice, deal1, 2n ** 255n);
  const periods = Number(await d1.read<number>("periodCount"));
  const activatedAt1 = await d1.read<bigint>("activatedAt");
  const navByMonth: bigint[] = [];
  const dueDates1: bigint[] = [];
  const periodsPaid1: bigint[] = [];
  let saidCollected = 0n;
  for (let m = 1; m <= periods; m++) {
    const due = await d1.read<bigint>("dueDate");
    dueDates1.push(due);
    await c.warpTo(due);
    // what the schedule asks by due date m: everything accrued (protocol fee, both coupons, gross) plus principal down
    // to what the amortisation keeps outstanding after m periods; the waterfall pays it senior first, so junior
    // coupons wait while the senior principal is repaid ahead of schedule (the total is what counts)
    const owed = await d1.read<{fees: bigint; seniorInterest: bigint; seniorPrincipal: bigint; juniorInterest: bigint; juniorPrincipal: bigint}>("owed");
    const owedTotal = owed.fees + owed.seniorInterest + owed.seniorPrincipal + owed.juniorInterest + owed.juniorPrincipal;
    const scheduledAfter = DEAL_DEMO.principal1 - (DEAL_DEMO.principal1 * BigInt(m)) / BigInt(periods);
    const payment = owedTotal - scheduledAfter;
    // paid in the second the amounts were read at: a second later, interest has accrued and the last payment would
    // leave dust owed (the deal would not mature)
    await c.sendAtReadTime(alice, {address: deal1, abi: gpuDealAbi, functionName: "repay", args: [payment]});
    periodsPaid1.push(await d1.read<bigint>("periodsPaid"));
    const before = await aidBal(d.sAID);
    await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "deallocate", args: [position, 2n ** 96n - 1n]});
    const collected = (await aidBal(d.sAID)) - before;
    saidCollected += collected;
    const booked = await read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "bookedOf", args: [position]});
    navByMonth.push(await nav());
    log(`month ${m}: alice pays ${fmt(payment)} AID; sAID collects ${fmt(collected)} (cost still booked ${fmt(booked)}); ` +
      `state ${STATE_NAMES[Number(await d1.read<number>("state"))]}; sAID NAV/share ${fmtPrice(navByMonth[navByMonth.length - 1]!)}`);
  }
  await c.advance(30 * DAY); // the realised interest vests into the share price (APR-capped)
  const navEnd = await nav();
  await d1.send(admin, "close");
  const juniorClaimed1 = await d1.read<bigint>("claimable", [1, bob.address]);
  await d1.send(bob, "claim", [1, bob.address]);
  log(`deal 1 CLOSED. sAID collected ${fmt(saidCollected)} AID for ${fmt(DEAL_DEMO.senior1)} invested; ` +
    `NAV/share ${fmtPrice(navStart)} -> ${fmtPrice(navEnd)}; bob's junior claim ${fmt(juniorClaimed1)} AID for ${fmt(DEAL_DEMO.junior1)}`);
  log("  (sAID books what a position pays back against its cost first; interest reaches NAV once the cost is recovered)");

  // ---------------------------------------------------------------- deal 2: default, liquidation, junior first
  const deal2 = await createDeal(DEAL_DEMO.units2, DEAL_DEMO.appraised2, DEAL_DEMO.senior2, DEAL_DEMO.junior2, DEAL_DEMO.tenor2, false, "deal 2");
  const d2 = deal(deal2);
  const deal2Principal = DEAL_DEMO.senior2 + DEAL_DEMO.junior2;
  log(`deal 2 ${deal2}: ${DEAL_DEMO.units2} H100 appraised ${fmt(DEAL_DEMO.appraised2)}, senior ${fmt(DEAL_DEMO.senior2)} (carol) / junior ${fmt(DEAL_DEMO.junior2)} (bob), bullet`);
  await mint(carol, DEAL_DEMO.senior2);
  await approveAid(carol, deal2, DEAL_DEMO.senior2);
  await d2.send(carol, "deposit", [0, DEAL_DEMO.senior2]);
  await approveAid(bob, deal2, DEAL_DEMO.junior2);
  await d2.send(bob, "deposit", [1, DEAL_DEMO.junior2]);
  const cashReserve2 = await d2.read<bigint>("cashReserve");
  const due = await d2.read<bigint>("dueDate");
  await c.warpTo(due + 16n * BigInt(DAY));
  await d2.send(admin, "markLate");
  const markBpsLate = await d2.read<bigint>("markBps");
  const seniorValueLate = await d2.read<bigint>("trancheValue", [0]);
  const juniorValueLate = await d2.read<bigint>("trancheValue", [1]);
  log(`alice misses the first payment: LATE at day 16, marked ${Number(markBpsLate) / 100}%: senior value ${fmt(seniorValueLate)}, junior value ${fmt(juniorValueLate)}`);
  await c.warpTo(due + 60n * BigInt(DAY));
  await d2.send(admin, "declareDefault");
  log(`day 60: DEFAULTED; the cash reserve ${fmt(cashReserve2)} AID enters the waterfall`);
  await mint(admin, DEAL_DEMO.liquidationProceeds); // the underwriter sells the GPUs
  await approveAid(admin, deal2, DEAL_DEMO.liquidationProceeds);
  await d2.send(admin, "recover", [DEAL_DEMO.liquidationProceeds]);
  await d2.send(admin, "close");
  const seniorClaimed2 = await d2.read<bigint>("claimable", [0, carol.address]);
  const juniorClaimed2 = await d2.read<bigint>("claimable", [1, bob.address]);
  if (seniorClaimed2 > 0n) await d2.send(carol, "claim", [0, carol.address]);
  if (juniorClaimed2 > 0n) await d2.send(bob, "claim", [1, bob.address]);
  const seniorLoss2 = seniorClaimed2 >= DEAL_DEMO.senior2 ? 0n : DEAL_DEMO.senior2 - seniorClaimed2;
  const juniorLoss2 = juniorClaimed2 >= DEAL_DEMO.junior2 ? 0n : DEAL_DEMO.junior2 - juniorClaimed2;
  const deal2State = Number(await d2.read<number>("state"));
  log(`GPUs liquidated for ${fmt(DEAL_DEMO.liquidationProceeds)} AID; deal ${STATE_NAMES[deal2State]}`);
  log(`  tranche  principal      paid back      loss`);
  log(`  senior   ${fmt(DEAL_DEMO.senior2).padEnd(13)}  ${fmt(seniorClaimed2).padEnd(13)}  ${fmt(seniorLoss2)}`);
  log(`  junior   ${fmt(DEAL_DEMO.junior2).padEnd(13)}  ${fmt(juniorClaimed2).padEnd(13)}  ${fmt(juniorLoss2)}   <- first loss`);

  return {
    deal1, deal2, position, disbursed1, navStart, navByMonth, activatedAt1, dueDates1, periodsPaid1, navEnd, saidCollected,
    deal1State: Number(await d1.read<number>("state")), juniorClaimed1, deal2Principal, markBpsLate, seniorValueLate,
    juniorValueLate, cashReserve2, seniorClaimed2, juniorClaimed2, seniorLoss2, juniorLoss2, deal2State,
  };
}
