// `npm run demo`: three local Anvil chains (Ethereum, Arbitrum, Plume ids) deployed by the real local script, the
// single-chain flow on the home chain (mint, transfer, T-bills, harvest, redeem), then AID bridged to the other two.
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {startLocalNetwork} from "../multichain/deploy.ts";
import {runNodeDemo} from "../nodes/sim.ts";
import {runCrossChainDemo} from "./crosschain.ts";
import {runDemo} from "./run.ts";

console.log("starting three local chains and deploying GAIB on each...");
const net = await startLocalNetwork();
try {
  const home = net.chains.find((c) => c.spec.home)!;
  for (const c of net.chains) console.log(`  ${c.spec.name} chain ${c.spec.chainId} eid ${c.spec.eid} at ${c.anvil.rpcUrl}`);
  await runDemo(home.anvil.rpcUrl, home.deployment as LocalDeployment);
  await runNodeDemo(home.anvil.rpcUrl, home.deployment as LocalDeployment);
  await runCrossChainDemo(net, anvilAccount(2));
} finally {
  await net.stop();
}
