// Real-chain deployment driver: `npm run deploy -- --network arbitrum [--broadcast | --rehearse] [--steps core,wire,gaib]`.
// Runs the forge scripts for one chain (01_DeployCore, 02_WireOFT, 03_DeployGaib) with its config from
// script/config/<network>.json (`--network all` or a comma list runs several, home chain first).
// - Preflight first (ts/deploy/preflight.ts): the RPC serves the config's chain id, the endpoint and every other
//   contract the config names have code, no shipped placeholder on a real chain id; a plain message otherwise.
// - Dry run by default: every step runs against a throwaway Anvil fork of the RPC (nothing reaches the chain), so the
//   wire and gaib steps are simulated too, on top of the simulated core step; records go to deployments/dry-run/.
// - --broadcast sends; records go to deployments/<network>.json (01/02) and deployments/<network>-gaib.json (03).
// - --rehearse runs on a fresh Anvil with the chain's id and LayerZero, stablecoins and feeds etched where the config
//   says (ts/deploy/rehearse.ts), then rehearses the final admin's acceptances and runs deploy:verify on the result.
// After every run: addresses, peers and rate limits, gas per step, the role table (deploy:verify) and the
// acceptDefaultAdminTransfer calls still needed per contract and chain. Scripts are idempotent (a re-run sends only
// what is missing). Forge's RPC cache is off for a node on this machine.
// Environment: the RPC from --rpc, GAIB_RPC_<NETWORK> (e.g. GAIB_RPC_ARBITRUM) or GAIB_RPC; the key from
// GAIB_DEPLOYER_KEY (or --account <forge keystore name or file>, or --sender <address> for a keyless dry run or
// rehearsal). A dry run or rehearsal never unlocks a keystore (no password prompt): it runs as the keystore's address,
// read from its JSON (`address`, as geth and clef write it) or given by --sender (forge keystores do not name it).
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {homedir} from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {Command} from "commander";
import {createPublicClient, getAddress, http, isAddress, parseEther, type Address, type PublicClient} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {ANVIL_KEYS} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {configDir, loadChainConfig, type ChainConfig} from "../lib/chainConfig.ts";
import {forgeScript} from "../lib/forge.ts";
import {repoRoot} from "../lib/paths.ts";
import {CHAINS} from "../multichain/chains.ts";
import {formatAcceptances, pendingAcceptances, type PendingAcceptance} from "./handoff.ts";
import {isLocalRpc, parseSteps, preflight, STEPS, type Step} from "./preflight.ts";
import {rehearsalConfigs, rpcCall, startRehearsal} from "./rehearse.ts";
import {verifyDeployment} from "./verify.ts";

export type {Step} from "./preflight.ts";

const SCRIPTS: Record<Step, {script: string; record: (network: string) => string}> = {
  core: {script: "script/01_DeployCore.s.sol", record: (n) => `${n}.json`},
  wire: {script: "script/02_WireOFT.s.sol", record: (n) => `${n}.json`},
  gaib: {script: "script/03_DeployGaib.s.sol", record: (n) => `${n}-gaib.json`},
};

export interface DeployOptions {
  network: string;
  rpc?: string;
  broadcast?: boolean;
  steps?: readonly string[];
  key?: string;
  account?: string;
  sender?: string;
  /** Extra environment for the scripts (e.g. GAIB_ENDPOINT, GAIB_ANY_CHAIN in tests). */
  env?: NodeJS.ProcessEnv;
  /** Deployment records folder, relative to the repo (default deployments, or deployments/dry-run without --broadcast). */
  deploymentsDir?: string;
  /** Print the deploy:verify role table after a broadcast (default true). */
  roleTable?: boolean;
}

export interface StepResult {
  step: Step;
  gas: bigint; // [gas] of the step's transactions (0: nothing to send)
}

export interface DeployResult {
  broadcast: boolean;
  records: Record<string, Record<string, unknown>>;
  steps: StepResult[];
  pending: PendingAcceptance[];
  output: string;
}

/** `--network`: one name, a comma list or `all` (every shipped config), home chain first. */
export function parseNetworks(list: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const names = list === "all" ? CHAINS.map((c) => c.name) : list.split(",").map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!existsSync(path.join(configDir(env), `${n}.json`))) throw new Error(`unknown network "${n}" (no ${path.relative(repoRoot, path.join(configDir(env), `${n}.json`))})`);
  }
  const home = (n: string) => (loadChainConfig(n, env).home ? 0 : 1);
  return [...new Set(names)].sort((a, b) => home(a) - home(b));
}

/** `--account`: a keystore file path, or a name in forge's keystore folder (FOUNDRY_KEYSTORES_DIR, ~/.foundry/keystores). */
export function keystoreFile(account: string, env: NodeJS.ProcessEnv = process.env): string {
  if (existsSync(account)) return path.resolve(account);
  return path.join(env.FOUNDRY_KEYSTORES_DIR ?? path.join(env.HOME ?? homedir(), ".foundry", "keystores"), account);
}

/** The address a simulation (dry run, rehearsal) runs as without unlocking anything: --sender, else the `address`
 *  field of the --account keystore's JSON (geth and clef write it; forge's `cast wallet new/import` does not). */
export function simulationSender(o: Pick<DeployOptions, "account" | "sender">, env: NodeJS.ProcessEnv = process.env): Address | undefined {
  if (o.sender) return getAddress(o.sender);
  if (!o.account) return undefined;
  const file = keystoreFile(o.account, env);
  if (!existsSync(file)) throw new Error(`missing key: no keystore ${o.account} (${file}); --account takes a keystore file or a name in ~/.foundry/keystores`);
  let address: unknown;
  try {
    address = (JSON.parse(readFileSync(file, "utf8")) as {address?: unknown}).address;
  } catch {
    throw new Error(`missing key: ${file} is not a JSON keystore (--account)`);
  }
  if (typeof address !== "string" || !isAddress(address.startsWith("0x") ? address : `0x${address}`, {strict: false})) {
    throw new Error(`missing key: the keystore ${file} does not name its address (forge keystores don't) and a dry run or rehearsal never unlocks it: pass --sender <its address> too`);
  }
  return getAddress(address.startsWith("0x") ? address : `0x${address}`);
}

/** The forge auth flags: a key; in a simulation (fork or rehearsal, which impersonate it) the sender unlocked, so a
 *  keystore is never opened (no password prompt); when sending, the keystore (a file: --keystore, a name: --account). */
function authArgs(o: DeployOptions, key: string | undefined, simulated: boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  if (key) return ["--private-key", key];
  if (simulated) {
    const sender = simulationSender(o, env);
    return sender ? ["--unlocked", "--sender", sender] : [];
  }
  if (o.account) return existsSync(o.account) ? ["--keystore", path.resolve(o.account)] : ["--account", o.account];
  if (o.sender) return ["--sender", o.sender];
  return [];
}

/** Extra `forge script` flags for `rpc`: no RPC cache for a node on this machine, `--slow` when sending. */
export function scriptFlags(rpc: string, send: boolean): string[] {
  return [...(isLocalRpc(rpc) ? ["--no-storage-caching"] : []), ...(send ? ["--slow"] : [])];
}

/** The gas forge reports for a script run (the estimate, or what was paid when broadcast); 0 when nothing is sent. */
export function gasOf(forgeOutput: string): bigint {
  const paid = [...forgeOutput.matchAll(/Total Paid: [\d.]+ ETH \((\d+) gas/g)].reduce((s, m) => s + BigInt(m[1]!), 0n);
  if (paid > 0n) return paid;
  const est = /Estimated total gas used for script: (\d+)/.exec(forgeOutput);
  return est ? BigInt(est[1]!) : 0n;
}

/** The first line of forge's own error (`Error: script failed: PlaceholderAddress("finalAdmin")`), without its trace. */
export function forgeError(out: string): string {
  const lines = out.split("\n").map((l) => l.trim());
  const err = lines.find((l) => /^Error:/.test(l)) ?? lines.reverse().find((l) => l !== "") ?? "no output";
  return err.replace(/^Error:\s*/, "");
}

const deployerOf = (o: DeployOptions, key: string | undefined, env: NodeJS.ProcessEnv = process.env): Address | undefined =>
  key ? privateKeyToAccount(key as `0x${string}`).address : simulationSender(o, env);

export async function deploy(o: DeployOptions, log: (l: string) => void = console.log): Promise<DeployResult> {
  const env = o.env ?? process.env;
  parseNetworks(o.network, env);
  const steps = parseSteps((o.steps ?? ["core", "wire"]).join(","));
  const cfg = loadChainConfig(o.network, env);
  const rpc = o.rpc ?? env[`GAIB_RPC_${o.network.toUpperCase()}`] ?? env.GAIB_RPC;
  if (!rpc) throw new Error(`no RPC: pass --rpc or set GAIB_RPC_${o.network.toUpperCase()}`);
  const key = o.key ?? env.GAIB_DEPLOYER_KEY;
  if (!key && !o.account && !o.sender) throw new Error("missing key: set GAIB_DEPLOYER_KEY, or pass --account <keystore> (--sender <address> for a dry run)");
  if (o.broadcast && o.sender && !key && !o.account) throw new Error("missing key: --broadcast needs GAIB_DEPLOYER_KEY or --account");
  const broadcast = o.broadcast ?? false;
  if (!broadcast && !key) simulationSender(o, env); // a keystore dry run: its address must be known without unlocking it

  const client = createPublicClient({transport: http(rpc)}) as PublicClient;
  const problems = await preflight(client, cfg, steps, Boolean(env.GAIB_ANY_CHAIN));
  if (problems.length > 0) throw new Error(`preflight: ${o.network} is not ready, nothing was run or sent:\n  - ${problems.join("\n  - ")}`);

  const dir = o.deploymentsDir ?? (broadcast ? "deployments" : path.join("deployments", "dry-run"));
  log(`${broadcast ? "DEPLOYING" : "dry run (nothing is sent; add --broadcast)"}: ${o.network} (chain ${cfg.chainId}) via ${rpc}, steps ${steps.join(", ")}`);
  // A dry run sends every step to a throwaway fork, so wire and gaib run against what core would have deployed.
  let fork: Anvil | undefined;
  if (!broadcast) {
    fork = await startAnvil({chainId: await client.getChainId(), extraArgs: ["--fork-url", rpc, "--auto-impersonate", ...(isLocalRpc(rpc) ? ["--no-storage-caching"] : [])]});
    const who = deployerOf(o, key, env);
    if (who) await rpcCall(fork.rpcUrl, "anvil_setBalance", [who, `0x${parseEther("1000").toString(16)}`]);
    log(`  simulating on a fork of the RPC (${fork.rpcUrl}); the real chain is not touched`);
  }
  try {
    return await runSteps({o, cfg, steps, rpc: fork?.rpcUrl ?? rpc, key, broadcast, simulated: !broadcast, dir, env}, log);
  } finally {
    await fork?.stop();
  }
}

interface Run {
  o: DeployOptions;
  cfg: ChainConfig;
  steps: Step[];
  rpc: string;
  key: string | undefined;
  broadcast: boolean;
  /** Sent to a fork or a rehearsal chain, not the real one. */
  simulated: boolean;
  dir: string;
  env: NodeJS.ProcessEnv;
}

async function runSteps(r: Run, log: (l: string) => void): Promise<DeployResult> {
  const {o, cfg, steps, rpc, dir, env} = r;
  const records: DeployResult["records"] = {};
  const results: StepResult[] = [];
  let output = "";
  for (const step of steps) {
    const {script, record} = SCRIPTS[step];
    const res = await forgeScript(script, {
      rpcUrl: rpc,
      broadcast: true,
      env: {...env, GAIB_NETWORK: o.network, GAIB_DEPLOYMENTS_DIR: dir},
      extraArgs: [...authArgs(o, r.key, r.simulated, env), ...scriptFlags(rpc, true)],
    });
    output += res.stdout + res.stderr;
    const logFile = path.join(repoRoot, dir, "logs", `${o.network}-${step}.log`);
    mkdirSync(path.dirname(logFile), {recursive: true});
    writeFileSync(logFile, res.stdout + res.stderr);
    if (res.code !== 0) {
      throw new Error(`${step} (${script}) failed: ${forgeError(res.stderr + "\n" + res.stdout)}\n  full forge output: ${path.relative(repoRoot, logFile)}`);
    }
    const file = path.join(repoRoot, dir, record(o.network));
    if (existsSync(file)) records[step] = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const gas = gasOf(res.stdout);
    results.push({step, gas});
    const how = !r.broadcast ? "simulated" : r.simulated ? "rehearsed" : "broadcast";
    log(`${step}: ${script} ${how}, ${gas === 0n ? "nothing to send (already done)" : `${gas.toLocaleString("en-US")} gas`}${records[step] ? ` -> ${path.relative(repoRoot, file)}` : ""}`);
    if (records[step] && step !== "wire") for (const [k, v] of Object.entries(records[step]!)) log(`  ${k.padEnd(22)} ${String(v)}`);
    if (step === "wire" || (step === "gaib" && !steps.includes("wire"))) {
      log(`  peers: ${cfg.peers.join(", ")}; AID/sAID rate limit ${cfg.limit} wei per ${cfg.window} s each way; lzReceive gas ${cfg.lzReceiveGas}`);
      if (cfg.layerzero) log(`  LayerZero: sendLib ${cfg.layerzero.sendLib}, receiveLib ${cfg.layerzero.receiveLib}, ${cfg.layerzero.requiredDVNs.length} required DVNs, ${cfg.layerzero.confirmations} confirmations`);
    }
  }
  const total = results.reduce((s, x) => s + x.gas, 0n);
  log(`gas: ${results.map((x) => `${x.step} ${x.gas.toLocaleString("en-US")}`).join(", ")}; total ${total.toLocaleString("en-US")}`);
  const client = createPublicClient({transport: http(rpc)}) as PublicClient;
  const pending = await pendingAcceptances(client, cfg, dir);
  for (const l of formatAcceptances(pending)) log(l);
  if (o.roleTable !== false && records.core !== undefined) await roleTable(r, log);
  return {broadcast: r.broadcast, records, steps: results, pending, output};
}

/** deploy:verify on what was just deployed: its per-contract role table, findings printed but not fatal here. */
async function roleTable(r: Run, log: (l: string) => void, peerRpcs?: Record<string, string>): Promise<boolean> {
  const deployer = deployerOf(r.o, r.key, r.env);
  const v = await verifyDeployment(
    {network: r.o.network, rpc: r.rpc, deploymentsDir: r.dir, env: r.env, deployer, peerRpcs, allowUncheckedPeers: true},
    () => {},
  ).catch((e: unknown) => ({ok: false, violations: [], output: `role table unavailable: ${e instanceof Error ? e.message : String(e)}`}));
  log(`role table (npm run deploy:verify -- --network ${r.o.network}${r.broadcast && !r.simulated ? "" : ` --deployments ${r.dir}`}):`);
  for (const l of v.output.split("\n")) log(`  ${l}`);
  if (!v.ok) log(`  (findings are expected until every peered chain is deployed and the final admin has accepted every transfer)`);
  return v.ok;
}

export interface RehearsalResult {
  results: Record<string, DeployResult>;
  /** deploy:verify after the rehearsed acceptances, per network. */
  verified: Record<string, boolean>;
}

/** `--rehearse`: every network on its own fresh Anvil with the real chain id (see ts/deploy/rehearse.ts). */
export async function rehearse(
  networks: readonly string[],
  o: Omit<DeployOptions, "network" | "rpc" | "broadcast">,
  log: (l: string) => void = console.log,
): Promise<RehearsalResult> {
  const env = o.env ?? process.env;
  const dir = o.deploymentsDir ?? path.join("deployments", "rehearsal");
  const {dir: cfgDir, swapped} = rehearsalConfigs(configDir(env), path.join(repoRoot, dir, "config"));
  const runEnv: NodeJS.ProcessEnv = {...env, GAIB_CONFIG_DIR: cfgDir};
  delete runEnv.GAIB_ENDPOINT;
  const steps = parseSteps((o.steps ?? STEPS).join(","));
  const key = o.key ?? env.GAIB_DEPLOYER_KEY ?? (o.sender || o.account ? undefined : ANVIL_KEYS[0]);
  if (!key) simulationSender(o, env); // --account: rehearsed as the keystore's address, never unlocked
  log(`REHEARSAL of ${networks.join(", ")} on local Anvil chains with the real chain ids; nothing leaves this machine`);
  if (swapped.length) log(`  placeholder addresses (0x5afe0000…) in ${swapped.join(", ")} stand in as 0xf1c70000… for this rehearsal only`);
  if (!o.key && !env.GAIB_DEPLOYER_KEY && !o.sender && !o.account) log(`  deployer: Anvil's first dev key; pass --sender <your deployer address> to rehearse the real addresses`);
  const chains = new Map<string, Anvil>();
  const results: Record<string, DeployResult> = {};
  const verified: Record<string, boolean> = {};
  try {
    for (const n of networks) {
      const rh = await startRehearsal(n, cfgDir);
      chains.set(n, rh.anvil);
      log(`${n}: Anvil ${rh.anvil.rpcUrl} (chain ${rh.anvil.chainId}) with`);
      for (const l of rh.etched) log(`  ${l}`);
      const who = deployerOf(o as DeployOptions, key, env);
      if (who) await rpcCall(rh.anvil.rpcUrl, "anvil_setBalance", [who, `0x${parseEther("1000").toString(16)}`]);
      if (who && !key) await rpcCall(rh.anvil.rpcUrl, "anvil_impersonateAccount", [who]); // --sender: forge --unlocked
    }
    for (const n of networks) {
      const cfg = loadChainConfig(n, runEnv);
      const rpc = chains.get(n)!.rpcUrl;
      const client = createPublicClient({transport: http(rpc)}) as PublicClient;
      const problems = await preflight(client, cfg, steps);
      if (problems.length > 0) throw new Error(`preflight (rehearsal of ${n}):\n  - ${problems.join("\n  - ")}`);
      log(`\n== ${n}: ${steps.join(", ")}`);
      results[n] = await runSteps({o: {...o, network: n, roleTable: false}, cfg, steps, rpc, key, broadcast: true, simulated: true, dir, env: runEnv}, log);
    }
    const peerRpcs = Object.fromEntries([...chains].map(([n, a]) => [n, a.rpcUrl]));
    for (const n of networks) {
      const pending = results[n]!.pending;
      if (pending.length === 0) continue;
      log(`\n== ${n}: rehearsing the final admin's ${pending.length} acceptance(s) after the admin delay`);
      await acceptAll(chains.get(n)!.rpcUrl, pending, log);
    }
    // Verified once every chain is handed off: the verifier checks each pathway's peer on the other chain too.
    for (const n of networks) {
      const rpc = chains.get(n)!.rpcUrl;
      log(`\n== ${n}: deploy:verify`);
      verified[n] = await roleTable({o: {...o, network: n}, cfg: loadChainConfig(n, runEnv), steps, rpc, key, broadcast: true, simulated: true, dir, env: runEnv}, log, peerRpcs);
    }
    log(`\nrehearsal ${Object.values(verified).every(Boolean) ? "OK" : "FOUND PROBLEMS"}: ${networks.map((n) => `${n} ${verified[n] ? "verified" : "NOT verified"} (${results[n]!.steps.map((s) => `${s.step} ${s.gas.toLocaleString("en-US")} gas`).join(", ")})`).join("; ")}`);
    return {results, verified};
  } finally {
    await Promise.all([...chains.values()].map((a) => a.stop()));
  }
}

/** The final admin's acceptances on a rehearsal chain: time moves past the last delay, the final admin is impersonated. */
async function acceptAll(rpc: string, pending: readonly PendingAcceptance[], log: (l: string) => void): Promise<void> {
  const client = createPublicClient({transport: http(rpc)}) as PublicClient;
  const latest = await client.getBlock();
  const last = pending.reduce((m, p) => (p.notBefore > m ? p.notBefore : m), 0n);
  if (last >= latest.timestamp) await rpcCall(rpc, "evm_setNextBlockTimestamp", [Number(last + 1n)]);
  await rpcCall(rpc, "evm_mine", []);
  for (const p of pending) {
    await rpcCall(rpc, "anvil_impersonateAccount", [p.from]);
    await rpcCall(rpc, "anvil_setBalance", [p.from, `0x${parseEther("1").toString(16)}`]);
    const hash = (await rpcCall(rpc, "eth_sendTransaction", [{from: p.from, to: p.contract, data: "0xcefc1429"}])) as `0x${string}`;
    const rc = await client.waitForTransactionReceipt({hash});
    if (rc.status !== "success") throw new Error(`rehearsal: ${p.label}.acceptDefaultAdminTransfer() by ${p.from} reverted`);
    log(`  ${p.label.padEnd(28)} ${p.contract} accepted by ${p.from} (${rc.gasUsed} gas)`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command("deploy")
    .description("deploy GAIB with the forge scripts (dry run on a fork unless --broadcast; --rehearse on local Anvil chains)")
    .requiredOption("--network <name>", `config in script/config (${CHAINS.map((c) => c.name).join(", ")}), a comma list, or all`)
    .option("--rpc <url>", "RPC (default env GAIB_RPC_<NETWORK> or GAIB_RPC); one network only")
    .option("--broadcast", "send the transactions (default: simulate on a fork of the RPC)")
    .option("--rehearse", "rehearse on fresh local Anvil chains with the real chain ids (no RPC needed)")
    .option("--steps <list>", "comma-separated: core, wire, gaib (default core,wire; all three with --rehearse)")
    .option("--account <keystore>", "forge keystore: a name in ~/.foundry/keystores or a file (instead of GAIB_DEPLOYER_KEY); unlocked only by --broadcast: a dry run or rehearsal runs as its address (the JSON's address field, or --sender)")
    .option("--sender <address>", "deployer address for a keyless dry run or rehearsal")
    .action(async (opts: {network: string; rpc?: string; broadcast?: boolean; rehearse?: boolean; steps?: string; account?: string; sender?: string}) => {
      const networks = parseNetworks(opts.network);
      const {steps: list, rehearse: rehearsal, ...rest} = opts;
      const steps = list === undefined ? {} : {steps: parseSteps(list)};
      if (rehearsal) {
        if (opts.broadcast || opts.rpc) throw new Error("--rehearse starts its own chains: drop --broadcast and --rpc");
        const {broadcast: _b, rpc: _r, network: _n, ...auth} = rest;
        const r = await rehearse(networks, {...auth, ...steps});
        if (!Object.values(r.verified).every(Boolean)) process.exitCode = 1;
        return;
      }
      if (opts.rpc && networks.length > 1) throw new Error("--rpc names one chain: set GAIB_RPC_<NETWORK> per network instead");
      for (const network of networks) await deploy({...rest, network, ...steps});
    });
  await program.parseAsync([...argv], {from: "user"});
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`deploy: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
