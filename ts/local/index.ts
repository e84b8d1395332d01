// `npm run local [-- --chain home] [--port 8545] [--state <dir>] [--operators 3] [--records <dir>]`: starts the local
// GAIB chains on Anvil, deploys, funds operator accounts, prints how to reach them and keeps them running; Ctrl-C
// (SIGINT) or SIGTERM stops every Anvil it started.
import {intArg, parseCli, usageError} from "../lib/cli.ts";
import {describeLocal, startLocal, type RunningLocalNetwork} from "./network.ts";

const USAGE = `usage: npm run local -- [--chain all|home] [--port <home port, default 8545>] [--state <dir>] [--operators <0-9>] [--records <dir>]`;

const args = parseCli(USAGE, {
  chain: {type: "string", default: "all"},
  port: {type: "string"},
  state: {type: "string"},
  operators: {type: "string"},
  records: {type: "string"},
});
const chain = args.chain === "ethereum" ? "home" : args.chain;
if (chain !== "all" && chain !== "home") {
  usageError(USAGE, `unknown --chain ${args.chain}: use "all" (ethereum, arbitrum, plume) or "home" (ethereum alone)`);
}
const num = (v: string | undefined, what: string) => intArg(USAGE, v, what);

let net: RunningLocalNetwork | undefined;
let stopping = false;
async function shutdown(signal: string, code: number) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local chains${net ? ` (${net.chains.map((c) => c.rpcUrl).join(", ")})` : ""}`);
  await net?.stop();
  console.log(`stopped${args.state ? `; state saved in ${args.state}` : ""}`);
  process.exit(code);
}
for (const s of ["SIGINT", "SIGTERM"] as const) process.on(s, () => void shutdown(s, 0));

console.log(`starting ${chain === "home" ? "the home chain" : "three local chains"} on Anvil and deploying GAIB (about a minute)...`);
try {
  const started = startLocal({
    chains: chain,
    basePort: num(args.port, "port"),
    stateDir: args.state,
    recordDir: args.records,
    operators: num(args.operators, "operators"),
  });
  net = await started;
  if (stopping) await net.stop(); // Ctrl-C during start-up
  else for (const line of describeLocal(net)) console.log(line);
} catch (e) {
  console.error(`local network failed: ${(e as Error).message}`);
  process.exit(1);
}
setInterval(() => {}, 1 << 30); // keep running until a signal
