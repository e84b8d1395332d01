// `npm run demo`: starts a local Anvil, deploys the home-chain core with mocks, runs the demo, stops the chain.
import {startAnvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {runDemo} from "./run.ts";

const anvil = await startAnvil({chainId: 31337});
try {
  console.log(`anvil at ${anvil.rpcUrl} (chain ${anvil.chainId}); deploying...`);
  const deployment = await deployLocal(anvil.rpcUrl, anvil.chainId);
  await runDemo(anvil.rpcUrl, deployment);
} finally {
  await anvil.stop();
}
