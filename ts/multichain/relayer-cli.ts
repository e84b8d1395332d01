// Long-running local relayer: polls every chain and delivers packets until Ctrl-C, resuming from its state file.
//   npx tsx ts/multichain/relayer-cli.ts --rpc ethereum=http://127.0.0.1:8545 --rpc arbitrum=http://127.0.0.1:8546 \
//     --rpc plume=http://127.0.0.1:8547 [--state .relayer/state.json] [--interval 1000] [--once]
// Each chain's addresses come from deployments/local/<chainId>.json (script/00_DeployLocal.s.sol). Ctrl-C finishes the
// pass under way (the state file is written atomically after every step) and exits; a restart carries on.
import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {Command} from "commander";
import {createPublicClient, http, type PublicClient} from "viem";
import type {LocalChainDeployment} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {CHAINS} from "./chains.ts";
import type {LocalChain, LocalNetwork} from "./deploy.ts";
import {LocalRelayer, type Delivery} from "./relayer.ts";

/** A LocalNetwork over running chains (`name=url`), with addresses from their deployment records. */
export function networkFrom(rpcs: readonly string[], deploymentsDir = path.join(repoRoot, "deployments", "local")): LocalNetwork {
  const chains: LocalChain[] = rpcs.map((arg) => {
    const [name, url] = arg.split("=", 2);
    const spec = CHAINS.find((c) => c.name === name);
    if (!spec || !url) throw new Error(`bad --rpc "${arg}" (name=url with name in ${CHAINS.map((c) => c.name).join(", ")})`);
    const file = path.join(deploymentsDir, `${spec.chainId}.json`);
    if (!existsSync(file)) throw new Error(`no deployment record ${file}`);
    const deployment = JSON.parse(readFileSync(file, "utf8")) as LocalChainDeployment;
    const port = Number(new URL(url).port);
    return {
      spec,
      anvil: {rpcUrl: url, port, chainId: spec.chainId, stop: async () => {}},
      client: createPublicClient({transport: http(url)}) as PublicClient,
      deployment,
    };
  });
  const byEid = (eid: number) => {
    const c = chains.find((x) => x.spec.eid === eid);
    if (!c) throw new Error(`no chain with eid ${eid}`);
    return c;
  };
  return {chains, byEid, stop: async () => {}};
}

export interface WatchOptions {
  stateFile?: string;
  intervalMs?: number;
  /** Stops the loop after the pass under way. */
  signal?: AbortSignal;
  onDeliveries?: (d: Delivery[]) => void;
}

/** Relays until `signal` aborts; returns how many packets were delivered. */
export async function watch(net: LocalNetwork, o: WatchOptions = {}): Promise<number> {
  const relayer = new LocalRelayer(net, o.stateFile ? {stateFile: o.stateFile} : {});
  let delivered = 0;
  while (!o.signal?.aborted) {
    const d = await relayer.relay();
    delivered += d.filter((x) => x.ok).length;
    if (d.length > 0) o.onDeliveries?.(d);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, o.intervalMs ?? 1_000);
      o.signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), {once: true});
    });
  }
  return delivered;
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command("relayer")
    .description("local LayerZero relayer for the Anvil chains of the local mode")
    .option("--rpc <name=url...>", "a chain and its RPC (repeat for each chain)", [])
    .option("--state <file>", "state file (cursors, delivered GUIDs)", path.join(repoRoot, ".relayer", "state.json"))
    .option("--interval <ms>", "poll interval", "1000")
    .option("--once", "one pass, then exit")
    .parse([...argv], {from: "user"});
  const o = program.opts<{rpc: string[]; state: string; interval: string; once?: boolean}>();
  const net = networkFrom(o.rpc);
  const log = (d: Delivery[]) => {
    for (const x of d) console.log(`${x.ok ? "delivered" : "FAILED"} ${x.packet.guid} ${x.packet.srcEid} -> ${x.packet.dstEid} #${x.packet.nonce}${x.error ? `: ${x.error}` : ""}`);
  };
  if (o.once) {
    log(await new LocalRelayer(net, {stateFile: o.state}).relay());
    return;
  }
  const stop = new AbortController();
  process.once("SIGINT", () => {
    console.log("stopping after this pass (state is saved)");
    stop.abort();
  });
  const n = await watch(net, {stateFile: o.state, intervalMs: Number(o.interval), signal: stop.signal, onDeliveries: log});
  console.log(`relayed ${n} packets`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`relayer: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
