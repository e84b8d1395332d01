// `npm run amm`: every peg scenario with and without the bot on a fresh Anvil, then the report (reports/amm/) and
// the README table between the AMM markers.
import {pathToFileURL} from "node:url";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {connect, type Chain} from "./chain.ts";
import {summaryMarkdown, updateReadme, writeReport, type ScenarioPair} from "./report.ts";
import {runScenario, SCENARIOS, setupWorld, type Scenario, type World} from "./scenarios.ts";

/** Runs each scenario twice (bot, no bot) from the same snapshot of `w`, restoring it after each run. */
export async function runAll(c: Chain, w: World, scenarios: readonly Scenario[] = SCENARIOS, log: (l: string) => void = console.log): Promise<ScenarioPair[]> {
  const pairs: ScenarioPair[] = [];
  let snap = await c.snapshot();
  const fresh = async () => {
    await c.revert(snap); // anvil snapshots are single use
    snap = await c.snapshot();
  };
  for (const s of scenarios) {
    const bot = await runScenario(w, s, true);
    await fresh();
    const noBot = await runScenario(w, s, false);
    await fresh();
    log(`${s.name}: max depeg ${bot.maxDepegBps.toFixed(1)} bps, back within band at block ${bot.recoveredStep ?? "never"}, without the bot ${noBot.finalBps.toFixed(1)} bps, bot profit ${bot.bot ? Number(bot.bot.profit) / 1e6 : 0} USDC`);
    pairs.push({bot, noBot});
  }
  return pairs;
}

/** A fresh Anvil with the core deployment and the scenario world on it (stop `anvil` when done). */
export async function startWorld(chainId: number): Promise<{anvil: Anvil; c: Chain; w: World}> {
  const anvil = await startAnvil({chainId});
  try {
    const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    const c = await connect(anvil.rpcUrl);
    return {anvil, c, w: await setupWorld(c, d)};
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

/** `tsx ts/amm/index.ts [scenario...]`: all scenarios write the report; named ones only print their table. */
async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  const {anvil, c, w} = await startWorld(31_337);
  try {
    if (names.length > 0) {
      console.log(`\n${summaryMarkdown(await runAll(c, w, SCENARIOS.filter((s) => names.includes(s.name))))}`);
      return;
    }
    const md = writeReport(await runAll(c, w));
    updateReadme(md);
    console.log(`\n${md}\nwrote reports/amm/ (prices.csv, summary.csv, summary.md, *.svg) and the README table`);
  } finally {
    await anvil.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
