// The README demo's node-network step, tied to a deal: a REVENUE_SHARE deal whose repayments follow the revenue its
// GPU nodes report. sAID's allocator funds the senior tranche, the GPU nodes (registered under the deal's id) sign
// hourly telemetry, operators attest the epoch roots (one operator forges a leaf, its root is rejected and the operator
// slashed; one node signs two reports for one epoch: its operator is slashed and the node excluded while the honest
// root stands), the revenue of final roots is proven leaf by leaf (report + node signature) into the telemetry oracle, the OracleRevenueAdapter checkpoints the
// period, and the borrower pays max(minimum, share × revenue) through the waterfall. Asserted by revenue.test.ts.
import {formatUnits, keccak256, parseUnits, stringToHex, type Address} from "viem";
import {
  aidAbi,
  dealFactoryAbi,
  gpuDealAbi,
  oracleRevenueAdapterAbi,
  seniorPositionAbi,
  seniorPositionBytecode,
  stakedAIDAbi,
  telemetryOracleAbi,
} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import type {ContractCall} from "../lib/tx.ts";
import {formatSummary, runNodeSim, type SimOptions, type SimSummary} from "../nodes/sim.ts";
import {leafFromValue} from "../nodes/telemetry.ts";
import {aidBalance, connectDemo, mintAid, type Account} from "./chain.ts";

const DAY = 86_400;
const BPS = 10_000n;

/** Demo parameters (exported so the test derives its expectations from them). */
export const REVENUE_DEMO = {
  // sized to the revenue the simulation produces: it runs 3 of a month's ~720 hourly epochs
  senior: parseUnits("80000", 18), // sAID's allocator
  junior: parseUnits("20000", 18), // bob
  appraised: parseUnits("140000", 18), // principal at ~71% advance
  shareBps: 6000, // 60% of reported revenue
  capMultipleBps: 13_000, // until 1.3x principal is repaid
  minPayment: parseUnits("100", 18), // [wad] per period
  interval: 30 * DAY,
  tenor: 360 * DAY,
  nodes: 64,
  epochs: 3,
  equivocatingNode: 2, // signs two reports in the last epoch (operator 2's node; node 1 is the implausible one)
} as const;

export interface RevenueDemoReport {
  deal: Address;
  dealId: bigint;
  sim: SimSummary;
  provenLeaves: number;
  excludedLeaves: number; // leaves of the equivocating node in final roots: not provable
  excludedRevenue: bigint; // [wad] their revenue
  provenRevenue: bigint; // [wad] cumulative revenue the oracle credits to the deal
  period: bigint;
  periodRevenue: bigint; // [wad] what the adapter checkpointed for the period
  due: bigint; // [wad] the deal's payment due for the period
  paid: bigint; // [wad] what the borrower paid
  saidCollected: bigint; // [wad] AID sAID pulled back from the senior tranche
  seniorValueAfter: bigint;
}

const fmt = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US", {maximumFractionDigits: 2});

export async function runRevenueShareDemo(
  rpcUrl: string,
  d: LocalDeployment,
  opts: SimOptions = {},
  log: (line: string) => void = console.log,
): Promise<RevenueDemoReport> {
  const c = await connectDemo(rpcUrl);
  // admin: underwriter, sAID allocator, KYC; alice: the GPU cloud; bob: junior investor
  const [admin, alice, bob] = [anvilAccount(0), anvilAccount(1), anvilAccount(2)];
  const send = (account: Account, req: ContractCall) => c.send(account, req);
  const read = <T>(req: ContractCall) => c.read<T>(req);
  const dealRead = <T>(address: Address, functionName: string, args: readonly unknown[] = []) => read<T>({address, abi: gpuDealAbi, functionName, args});
  const aidBal = (who: Address) => aidBalance(c, d, who);
  const mint = (to: Account, amount: bigint) => mintAid(c, d, to, amount, admin);

  log(`\n== GPU node network feeding a REVENUE_SHARE deal ==  oracle ${d.telemetryOracle}  adapter ${d.revenueAdapter}`);
  // deals created from now on read their revenue from the telemetry oracle through the adapter
  await send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setRevenueReporter", args: [d.revenueAdapter]});
  const terms = {
    borrower: alice.address,
    underwriter: admin.address,
    collateral: {
      assetClass: 0, // GPU
      model: stringToHex("H100/H200/B200 mixed fleet", {size: 32}),
      unitCount: REVENUE_DEMO.nodes * 8,
      appraisedValue: REVENUE_DEMO.appraised,
      serialsHash: keccak256(stringToHex("revenue-share fleet serial numbers")),
      nodeIdsRoot: keccak256(stringToHex("revenue-share fleet node ids")),
    },
    structure: 1, // REVENUE_SHARE
    seniorPrincipal: REVENUE_DEMO.senior,
    juniorPrincipal: REVENUE_DEMO.junior,
    seniorAprBps: 1000,
    juniorAprBps: 2000,
    revenueShareBps: REVENUE_DEMO.shareBps,
    capMultipleBps: REVENUE_DEMO.capMultipleBps,
    minPeriodPayment: REVENUE_DEMO.minPayment,
    amortising: false,
    tenor: REVENUE_DEMO.tenor,
    paymentInterval: REVENUE_DEMO.interval,
    fundingDeadline: Number(await c.now()) + 14 * DAY,
  };
  const create = {address: d.dealFactory, abi: dealFactoryAbi, functionName: "createDeal", args: [terms]};
  const deal = await c.simulate<Address>(admin, create);
  await send(admin, create);
  const dealId = await read<bigint>({address: d.dealFactory, abi: dealFactoryAbi, functionName: "dealIdOf", args: [deal]});
  log(`deal #${dealId} ${deal}: ${REVENUE_DEMO.nodes} nodes x 8 GPUs (a pilot sized to the ${REVENUE_DEMO.epochs} simulated hours of revenue), senior ${fmt(REVENUE_DEMO.senior)} / junior ${fmt(REVENUE_DEMO.junior)} AID, ` +
    `${REVENUE_DEMO.shareBps / 100}% of reported revenue each month (minimum ${fmt(REVENUE_DEMO.minPayment)}) until ${Number(REVENUE_DEMO.capMultipleBps) / 100}% of principal`);

  // funding: sAID's allocator takes the senior tranche through a position adapter, bob the junior
  const position = await c.deploy(admin, seniorPositionAbi, seniorPositionBytecode, [deal, d.aid, d.sAID]);
  for (const who of [position, bob.address]) {
    await send(admin, {address: d.dealFactory, abi: dealFactoryAbi, functionName: "setInvestorAllowed", args: [who, true]});
  }
  // sAID keeps a liquidity buffer (bps of NAV) free: top it up with a stake so the allocation fits
  // (free after = idle + x − senior ≥ buffer × (NAV + x)), with a 10% margin for queued unstakes
  const bufferBps = await read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "liquidityBufferBps"});
  const navTotal = await read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "totalAssets"});
  const idle = await aidBal(d.sAID);
  const need = (bufferBps * navTotal + REVENUE_DEMO.senior * BPS - idle * BPS) / (BPS - bufferBps);
  if (need > 0n) {
    const topUp = (need * 11n) / 10n;
    await mint(admin, topUp);
    await send(admin, {address: d.aid, abi: aidAbi, functionName: "approve", args: [d.sAID, topUp]});
    await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "deposit", args: [topUp, admin.address]});
  }
  await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "addPosition", args: [position]});
  await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "allocate", args: [position, REVENUE_DEMO.senior]});
  await mint(bob, REVENUE_DEMO.junior);
  await send(bob, {address: d.aid, abi: aidAbi, functionName: "approve", args: [deal, REVENUE_DEMO.junior]});
  await send(bob, {address: deal, abi: gpuDealAbi, functionName: "deposit", args: [1, REVENUE_DEMO.junior]});
  const activatedAt = await dealRead<bigint>(deal, "activatedAt");
  log(`sAID allocates ${fmt(REVENUE_DEMO.senior)} AID to the senior tranche, bob funds the junior: deal ACTIVE`);

  // the nodes of this deal report (the deal's underwriter approves them first); operators attest; the forged leaf
  // rejects its root and its attester is slashed; the equivocating node's operator is slashed, the root stands
  const sim = await runNodeSim(rpcUrl, d, {
    nodes: REVENUE_DEMO.nodes,
    epochs: REVENUE_DEMO.epochs,
    dealIds: [dealId],
    dealApprover: admin,
    equivocatingNode: REVENUE_DEMO.equivocatingNode,
    keepTrees: true,
    ...opts,
  });
  log(formatSummary(sim));

  // anyone proves the deal's revenue from final (accepted, unchallenged) roots, one leaf per node and epoch; the
  // leaves of a node excluded for equivocation (from its equivocation epoch on) are refused, so they are skipped
  let provenLeaves = 0;
  let excludedLeaves = 0;
  let excludedRevenue = 0n;
  const excludedFrom = new Map(sim.equivocations.map((e) => [e.nodeId, e.epoch]));
  for (const [k, m] of sim.epochs.entries()) {
    const tree = sim.trees![k]!;
    if (m.root !== m.honestRoot || m.root !== tree.root) continue; // a rejected (forged) epoch proves nothing
    if (!(await read<boolean>({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "isFinal", args: [m.epoch]}))) continue;
    for (const [i, v] of tree.entries()) {
      const {report, sig} = leafFromValue(v);
      const from = excludedFrom.get(report.nodeId);
      if (from !== undefined && m.epoch >= from) {
        excludedLeaves++;
        excludedRevenue += report.revenue;
        continue;
      }
      await send(admin, {address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "proveRevenue", args: [m.epoch, report, sig, tree.getProof(i)]});
      provenLeaves++;
    }
  }
  const provenRevenue = await read<bigint>({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "cumulativeDealRevenue", args: [dealId]});
  log(`${provenLeaves} node reports proven from final roots (${excludedLeaves} of the excluded equivocating node refused): the oracle credits deal #${dealId} with ${fmt(provenRevenue)} AID of revenue`);

  // after the month and the settlement delay anyone checkpoints the period; the borrower pays what is due
  const delay = await read<bigint>({address: d.revenueAdapter, abi: oracleRevenueAdapterAbi, functionName: "settlementDelay"});
  const readyAt = activatedAt + BigInt(REVENUE_DEMO.interval) + delay;
  await c.warpTo(readyAt);
  const checkpoint = {address: d.revenueAdapter, abi: oracleRevenueAdapterAbi, functionName: "checkpoint", args: [deal]};
  const [period, periodRevenue] = await c.simulate<[bigint, bigint]>(admin, checkpoint);
  await send(admin, checkpoint);
  const [due] = await dealRead<[bigint, boolean]>(deal, "periodPayment", [period]);
  log(`period ${period} checkpointed at ${fmt(periodRevenue)} AID: due = max(${fmt(REVENUE_DEMO.minPayment)}, ${REVENUE_DEMO.shareBps / 100}% x ${fmt(periodRevenue)}) = ${fmt(due)} AID`);

  await mint(alice, due + 1n); // the cloud converts its USDC revenue to AID
  await send(alice, {address: d.aid, abi: aidAbi, functionName: "approve", args: [deal, due]});
  await send(alice, {address: deal, abi: gpuDealAbi, functionName: "repay", args: [due]});
  const before = await aidBal(d.sAID);
  await send(admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "deallocate", args: [position, 2n ** 96n - 1n]});
  const saidCollected = (await aidBal(d.sAID)) - before;
  const seniorValueAfter = await dealRead<bigint>(deal, "trancheValue", [0]);
  log(`alice pays ${fmt(due)} AID through the waterfall; sAID collects ${fmt(saidCollected)} AID from the senior tranche ` +
    `(senior value now ${fmt(seniorValueAfter)}); the deal is current until ${new Date(Number(await dealRead<bigint>(deal, "dueDate")) * 1000).toISOString().slice(0, 10)}`);
  return {deal, dealId, sim, provenLeaves, excludedLeaves, excludedRevenue, provenRevenue, period, periodRevenue, due, paid: due, saidCollected, seniorValueAfter};
}

/** The share of `revenue` a period owes, floored at the minimum (what the deal must compute). */
export function expectedDue(revenue: bigint): bigint {
  const share = (revenue * BigInt(REVENUE_DEMO.shareBps)) / BPS;
  return share > REVENUE_DEMO.minPayment ? share : REVENUE_DEMO.minPayment;
}
