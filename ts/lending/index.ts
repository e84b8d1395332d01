// `npm run lending`: the default cascade on a fresh Anvil with real Morpho Blue (out-morpho/Morpho.json, built by
// `npm run build:morpho`): loopers, a GPU deal marked down in steps, our liquidation bot; writes
// reports/lending/ (default-cascade.csv, loopers.csv, summary.md, default-cascade.svg) and prints the summary.
import {pathToFileURL} from "node:url";
import {runLending, DEFAULT_OPTIONS, type LendingReport} from "./scenario.ts";
import {startLendingWorld} from "./world.ts";
import {summaryMarkdown, writeReport} from "./report.ts";

/** Runs the whole scenario on its own Anvil and returns the report (the Anvil is stopped). */
export async function lendingReport(chainId: number, log: (l: string) => void = () => {}, opts = DEFAULT_OPTIONS): Promise<LendingReport> {
  const {anvil, world} = await startLendingWorld(chainId, log);
  try {
    return await runLending(world, opts, log);
  } finally {
    await anvil.stop();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const report = await lendingReport(31_337, console.log);
  const dir = writeReport(report);
  console.log(`\n${summaryMarkdown(report)}\nwrote ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
