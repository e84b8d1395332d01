import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {DEAL_DEMO, DealState, runDealDemo, type DealDemoReport} from "./deals.ts";

// The README deal demo on its own Anvil: deploy with the real local script, finance and repay a GPU deal with sAID in
// the senior tranche, then default and liquidate a second deal.
describe("GPU deal demo on a local chain", () => {
  let anvil: Anvil;
  let r: DealDemoReport;
  const lines: string[] = [];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 42_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    const deployment = await deployLocal(anvil.rpcUrl, anvil.chainId);
    r = await runDealDemo(anvil.rpcUrl, deployment, (l) => lines.push(l));
  }, 300_000); // ~15 s alone; room for a loaded shared machine
  afterAll(async () => anvil?.stop());

  it("activates deal 1 and disburses principal − fee − cash reserve", () => {
    const principal = DEAL_DEMO.principal1;
    const feeBps = BigInt(Math.max(25, Math.floor((100 * DEAL_DEMO.tenor1) / (365 * 86_400))));
    const fee = (principal * feeBps) / 10_000n;
    const reserve = (principal * 660n) / 10_000n;
    expect(r.disbursed1).toBe(principal - fee - reserve);
  });

  it("repays deal 1 monthly and sAID's NAV rises by the senior interest it collected", () => {
    expect(r.deal1State).toBe(DealState.CLOSED);
    expect(r.navByMonth.length).toBe(Math.ceil(DEAL_DEMO.tenor1 / DEAL_DEMO.interval));
    expect(r.saidCollected).toBeGreaterThan(DEAL_DEMO.senior1);
    for (let i = 1; i < r.navByMonth.length; i++) expect(r.navByMonth[i]!).toBeGreaterThanOrEqual(r.navByMonth[i - 1]!);
    expect(r.navByMonth[0]!).toBeGreaterThanOrEqual(r.navStart); // collecting never lowers NAV
    expect(r.navEnd).toBeGreaterThan(r.navStart);
    expect(r.juniorClaimed1).toBeGreaterThan(DEAL_DEMO.junior1);
  });

  it("keeps deal 1 on its monthly schedule: each payment makes alice current through that month, no further", () => {
    const periods = Math.ceil(DEAL_DEMO.tenor1 / DEAL_DEMO.interval);
    expect(r.dueDates1.length).toBe(periods);
    expect(r.periodsPaid1.length).toBe(periods);
    for (let m = 1; m <= periods; m++) {
      expect(r.dueDates1[m - 1]).toBe(r.activatedAt1 + BigInt(m * DEAL_DEMO.interval));
      expect(r.periodsPaid1[m - 1]).toBe(BigInt(m));
    }
  });

  it("liquidates deal 2 at a shortfall with the junior losing first", () => {
    expect(r.deal2State).toBe(DealState.CLOSED);
    expect(r.markBpsLate).toBeGreaterThan(0n);
    expect(r.juniorValueLate).toBeLessThan(DEAL_DEMO.junior2); // marks hit the junior first
    expect(r.seniorLoss2).toBe(0n);
    expect(r.juniorLoss2).toBeGreaterThan(0n);
    expect(r.seniorClaimed2).toBeGreaterThanOrEqual(DEAL_DEMO.senior2);
    // everything that came in (cash reserve + proceeds) went to the tranches and fees, never more
    expect(r.seniorClaimed2 + r.juniorClaimed2).toBeLessThanOrEqual(r.cashReserve2 + DEAL_DEMO.liquidationProceeds);
  });

  it("prints a readable report", () => {
    expect(lines.some((l) => l.includes("first loss"))).toBe(true);
    expect(lines.some((l) => l.startsWith("month 6"))).toBe(true);
  });
});
