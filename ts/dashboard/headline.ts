// The headline numbers `npm run demo` ends with: the demo's chains indexed into an in-memory store and read through the
// same summary() the page's /api/summary serves.
import {formatUnits} from "viem";
import {openDb} from "../indexer/db.ts";
import {ChainIndexer} from "../indexer/indexer.ts";
import type {IndexedChain} from "../indexer/sources.ts";
import {DEFAULT_PORT} from "./app.ts";
import {DashData, summary, type Summary} from "./data.ts";

/** Indexes `chains` to their heads (embedded store, in memory) and returns the page's summary of them. */
export async function indexedSummary(chains: readonly IndexedChain[]): Promise<Summary> {
  const db = await openDb({databaseUrl: null});
  try {
    for (const c of chains) await new ChainIndexer(db, c).syncToHead();
    return await summary(new DashData(db, chains));
  } finally {
    await db.close();
  }
}

const amount = (v: bigint, dp = 2) => {
  const [int, frac = ""] = formatUnits(v, 18).split(".");
  return `${BigInt(int!).toLocaleString("en-US")}${dp > 0 ? `.${frac.padEnd(dp, "0").slice(0, dp)}` : ""}`;
};
const pct = (x: number | undefined | null) => (x === undefined || x === null ? "-" : `${(x * 100).toFixed(2)}%`);

/** The lines the demo prints: where the page is and what it would show at the top. */
export function headlineLines(s: Summary, url = `http://127.0.0.1:${DEFAULT_PORT}`): string[] {
  const ratio = s.reserve.collateralRatioBps === null ? "-" : `${(Number(s.reserve.collateralRatioBps) / 100).toFixed(2)}%`;
  return [
    `transparency page: npm run dashboard -> ${url} (over the chains of npm run local)`,
    `headline at block ${s.block} (${s.chains.find((c) => c.home)?.name ?? "home"}), as /api/summary reports it:`,
    `  AID supply ${amount(s.aid.totalSupply)} (${s.chains.map((c) => `${c.name} ${amount(c.aidSupply)}`).join(", ")})`,
    `  reserve ${amount(s.reserve.total)} USD (buffer ${amount(s.reserve.liquid)} + T-bills ${amount(s.reserve.tbills)}), collateral ratio ${ratio}`,
    `  sAID NAV per share ${amount(s.said.navPerShare, 6)} AID, TVL ${amount(s.said.tvl)} AID, APY 7 d ${pct(s.said.apy7d?.apy)} / 30 d ${pct(s.said.apy30d?.apy)}, unstake queue ${s.said.queue.length}`,
  ];
}
