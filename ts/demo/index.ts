// `npm run demo`: three local Anvil chains (Ethereum, Arbitrum, Plume ids) deployed by the real local script; on the
// home chain the AID/sAID flow (mint, transfer, T-bills, harvest into sAID, redeem, unstake), the GPU deals (a deal
// repaid monthly with sAID in the senior tranche, a default liquidated with the junior losing first), a mixed GPU +
// robot-fleet node network feeding two REVENUE_SHARE deals, a GPU deal and a robot-fleet deal (ROBOT asset class), each
// repaid from its nodes' proven revenue with sAID senior (a lying operator's forged leaf rejects its root and gets it
// slashed; a node that signs two reports is excluded and its operator slashed while the honest root stands); then AID
// and sAID bridged to Arbitrum and Plume and back. It ends with the transparency page's address and headline numbers.
// The Anvils are stopped on success, on failure and on Ctrl-C.
import path from "node:path";
import {addLocalUniswap} from "../amm/local.ts";
import {headlineLines, indexedSummary} from "../dashboard/headline.ts";
import {contractsOf} from "../indexer/sources.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {repoRoot} from "../lib/paths.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {startLocalNetwork} from "../multichain/deploy.ts";
import {runCrossChainDemo} from "./crosschain.ts";
import {runDealDemo} from "./deals.ts";
import {runRevenueShareDemo} from "./revenue.ts";
import {runDemo} from "./run.ts";

const started = performance.now();
console.log("starting three local chains and deploying GAIB on each...");
const net = await startLocalNetwork();
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the local chains`);
    void net.stop().finally(() => process.exit(130));
  });
}
try {
  const home = net.chains.find((c) => c.spec.home)!;
  const d = home.deployment as LocalDeployment;
  for (const c of net.chains) console.log(`  ${c.spec.name} chain ${c.spec.chainId} eid ${c.spec.eid} at ${c.anvil.rpcUrl}`);
  await runDemo(home.anvil.rpcUrl, d);
  await runDealDemo(home.anvil.rpcUrl, d);
  await runRevenueShareDemo(home.anvil.rpcUrl, d);
  // the AID/USDC pool (its LP earns points at 4x); its addresses join the record the indexer reads
  const uni = await addLocalUniswap(home.anvil.rpcUrl, d, path.join(repoRoot, "deployments", "local", `${home.spec.chainId}.json`));
  console.log(`\nUniswap v3 AID/USDC pool ${uni.aidUsdcPool} (position manager ${uni.positionManager}) seeded with 50,000 AID + 50,000 USDC`);
  await runCrossChainDemo(net, anvilAccount(2));
  // the transparency page's headline over what the demo did (the same summary() as its /api/summary)
  console.log("");
  const indexed = net.chains.map((c) => ({name: c.spec.name, chainId: c.spec.chainId, rpcUrl: c.anvil.rpcUrl, contracts: contractsOf(c.deployment as never)}));
  for (const line of headlineLines(await indexedSummary(indexed))) console.log(line);
  console.log(`\ndemo finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  process.exitCode = 1;
  throw e;
} finally {
  stopping = true;
  await net.stop();
}
