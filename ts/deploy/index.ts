// Real-chain deployment driver: `npm run deploy -- --network arbitrum [--broadcast]`. Runs the forge scripts for one
// chain (01_DeployCore, 02_WireOFT, optionally 03_DeployGaib) with its config from script/config/<network>.json.
// Dry-run by default: forge simulates against the RPC and nothing is sent; the would-be record is written to
// deployments/dry-run/<network>.json and printed. With --broadcast the record goes to deployments/<network>.json.
// The scripts are idempotent: a re-run deploys nothing that exists and wires only what is missing.
// Environment: the RPC from --rpc, GAIB_RPC_<NETWORK> (e.g. GAIB_RPC_ARBITRUM) or GAIB_RPC; the key from
// GAIB_DEPLOYER_KEY (or --account <forge keystore name>, or --sender <address> for a keyless dry run).
import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {Command} from "commander";
import {createPublicClient, http, type Address} from "viem";
import {forgeScript} from "../lib/forge.ts";
import {repoRoot} from "../lib/paths.ts";
import {CHAINS} from "../multichain/chains.ts";

export type Step = "core" | "wire" | "gaib";

const SCRIPTS: Record<Step, {script: string; record: (network: string) => string}> = {
  core: {script: "script/01_DeployCore.s.sol", record: (n) => `${n}.json`},
  wire: {script: "script/02_WireOFT.s.sol", record: (n) => `${n}.json`},
  gaib: {script: "script/03_DeployGaib.s.sol", record: (n) => `${n}-gaib.json`},
};

export interface DeployOptions {
  network: string;
  rpc?: string;
  broadcast?: boolean;
  steps?: readonly Step[];
  key?: string;
  account?: string;
  sender?: string;
  /** Extra environment for the scripts (e.g. GAIB_ENDPOINT, GAIB_ANY_CHAIN in tests). */
  env?: NodeJS.ProcessEnv;
  /** Deployment records folder, relative to the repo (default deployments, or deployments/dry-run without --broadcast). */
  deploymentsDir?: string;
}

export interface DeployResult {
  broadcast: boolean;
  records: Record<string, Record<string, unknown>>;
  output: string;
}

export async function deploy(o: DeployOptions, log: (l: string) => void = console.log): Promise<DeployResult> {
  if (!CHAINS.some((c) => c.name === o.network) && !existsSync(path.join(repoRoot, "script", "config", `${o.network}.json`))) {
    throw new Error(`unknown network "${o.network}" (no script/config/${o.network}.json)`);
  }
  const env = o.env ?? process.env;
  const rpc = o.rpc ?? env[`GAIB_RPC_${o.network.toUpperCase()}`] ?? env.GAIB_RPC;
  if (!rpc) throw new Error(`no RPC: pass --rpc or set GAIB_RPC_${o.network.toUpperCase()}`);
  const key = o.key ?? env.GAIB_DEPLOYER_KEY;
  const auth = key ? ["--private-key", key] : o.account ? ["--account", o.account] : o.sender ? ["--sender", o.sender] : [];
  if (auth.length === 0) throw new Error("missing key: set GAIB_DEPLOYER_KEY, or pass --account <keystore> (--sender <address> for a dry run)");
  if (o.broadcast && o.sender && !key && !o.account) throw new Error("missing key: --broadcast needs GAIB_DEPLOYER_KEY or --account");
  const broadcast = o.broadcast ?? false;
  const dir = o.deploymentsDir ?? (broadcast ? "deployments" : path.join("deployments", "dry-run"));
  const steps = o.steps ?? ["core", "wire"];
  log(`${broadcast ? "DEPLOYING" : "dry run (nothing is sent; add --broadcast)"}: ${o.network} via ${rpc}, steps ${steps.join(", ")}`);
  const records: DeployResult["records"] = {};
  let output = "";
  const client = createPublicClient({transport: http(rpc)});
  for (const step of steps) {
    const {script, record} = SCRIPTS[step];
    const aid = records.core?.aid as Address | undefined;
    if (!broadcast && step !== "core" && aid && (await client.getCode({address: aid})) === undefined) {
      log(`${step}: skipped in the dry run (AID is not deployed yet: ${path.basename(script, ".s.sol")} runs after --broadcast)`);
      continue;
    }
    const res = await forgeScript(script, {
      rpcUrl: rpc,
      broadcast,
      env: {...env, GAIB_NETWORK: o.network, GAIB_DEPLOYMENTS_DIR: dir},
      extraArgs: [...auth, ...(broadcast ? ["--slow"] : [])],
    });
    output += res.stdout + res.stderr;
    if (res.code !== 0) throw new Error(`${script} failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    const file = path.join(repoRoot, dir, record(o.network));
    if (existsSync(file)) records[step] = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    log(`${step}: ${script} ${broadcast ? "broadcast" : "simulated"}${records[step] ? ` -> ${path.relative(repoRoot, file)}` : ""}`);
    if (records[step] && step !== "wire") for (const [k, v] of Object.entries(records[step]!)) log(`  ${k.padEnd(14)} ${String(v)}`);
  }
  return {broadcast, records, output};
}

function main(argv: readonly string[]): Promise<void> {
  const program = new Command("deploy")
    .description("deploy GAIB to one chain with the forge scripts (dry run unless --broadcast)")
    .requiredOption("--network <name>", `config in script/config (${CHAINS.map((c) => c.name).join(", ")})`)
    .option("--rpc <url>", "RPC (default env GAIB_RPC_<NETWORK> or GAIB_RPC)")
    .option("--broadcast", "send the transactions (default: simulate only)")
    .option("--steps <list>", "comma-separated: core, wire, gaib", "core,wire")
    .option("--account <name>", "forge keystore account (instead of GAIB_DEPLOYER_KEY)")
    .option("--sender <address>", "deployer address for a keyless dry run")
    .action(async (opts: {network: string; rpc?: string; broadcast?: boolean; steps: string; account?: string; sender?: string}) => {
      await deploy({...opts, steps: opts.steps.split(",").map((s) => s.trim()) as Step[]});
    });
  return program.parseAsync([...argv], {from: "user"}).then(() => undefined);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`deploy: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
