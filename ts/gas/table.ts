// Renders the README gas table from the committed forge gas snapshots (snapshots/*.json, written by the
// `--isolate` run of test/gas). `npm run gas:readme` rewrites README.md; table.test.ts fails if README drifted.
import {readFileSync, readdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {repoRoot} from "../lib/paths.ts";

export const START = "<!-- gas:start -->";
export const END = "<!-- gas:end -->";

/** Baseline pairs: our measurement, the bare reference it is compared with, and the target ratio (if any). */
export const RATIOS: readonly {ours: string; baseline: string; target: number; label: string}[] = [
  {ours: "transfer_AID", baseline: "transfer_ozERC20", target: 1.1, label: "AID `transfer` vs bare OZ ERC20 `transfer`"},
  {ours: "deposit_sAID", baseline: "deposit_ozERC4626", target: 1.1, label: "sAID `deposit` vs bare OZ ERC4626Upgradeable (proxy) `deposit`"},
  {ours: "redeem_sAID", baseline: "redeem_ozERC4626", target: 1.1, label: "sAID `redeem` (delay 0) vs bare OZ ERC4626Upgradeable (proxy) `redeem`"},
  {
    ours: "unstakeWithProcessShare_sAID",
    baseline: "unstakeWithProcessShare_budget",
    target: 1.0,
    label: "sAID `unstake` + its share of `processUnstakeQueue` vs the issue's budget (117,202 + 43,463)",
  },
  {ours: "unstake_sAID", baseline: "unstake_budget", target: 1.0, label: "sAID `unstake` (first request) vs budget 117,202"},
  {
    ours: "processUnstakeQueue_share_sAID",
    baseline: "processUnstakeQueue_share_budget",
    target: 1.0,
    label: "sAID `processUnstakeQueue` per request (batch of 10) vs budget 43,463",
  },
];

export type Snapshots = Record<string, Record<string, string>>;

export function readSnapshots(dir = path.join(repoRoot, "snapshots")): Snapshots {
  const out: Snapshots = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    out[file.replace(/\.json$/, "")] = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Record<string, string>;
  }
  return out;
}

/** The markdown between the README markers: every snapshot entry, then the ratio checks. */
export function renderGasTable(snaps: Snapshots): string {
  const flat = new Map<string, number>();
  const rows: string[] = ["| measurement | gas | from |", "|---|---:|---|"];
  for (const [suite, entries] of Object.entries(snaps)) {
    for (const [name, gas] of Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))) {
      flat.set(name, Number(gas));
      rows.push(`| \`${name}\` | ${Number(gas).toLocaleString("en-US")} | ${suite} |`);
    }
  }
  const ratios = RATIOS.filter((r) => flat.has(r.ours) && flat.has(r.baseline)).map((r) => {
    const x = flat.get(r.ours)! / flat.get(r.baseline)!;
    return `| ${r.label} | ${x.toFixed(3)}x | ≤ ${r.target.toFixed(2)}x |`;
  });
  const ratioTable = ratios.length ? ["", "| ratio | measured | target |", "|---|---:|---:|", ...ratios] : [];
  return [...rows, ...ratioTable].join("\n");
}

/** README text with the section between the markers replaced. */
export function withGasTable(readme: string, table: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README has no ${START} ... ${END} section`);
  return `${readme.slice(0, a + START.length)}\n${table}\n${readme.slice(b)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = path.join(repoRoot, "README.md");
  writeFileSync(file, withGasTable(readFileSync(file, "utf8"), renderGasTable(readSnapshots())));
  console.log("README.md gas table updated from snapshots/");
}
