// `npm run local`: the three GAIB chains (or the home chain alone) on Anvil that stay up until Ctrl-C, deployed by the
// same code as the demo (script/00_DeployLocal.s.sol through ts/multichain/deploy.ts, broadcast with --slow), with a
// few operator accounts funded with GAIB and AID on the home chain.
import {copyFileSync, existsSync, mkdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {formatUnits, parseUnits, toHex, type Address, type Hex} from "viem";
import {mnemonicToAccount, privateKeyToAccount, type PrivateKeyAccount} from "viem/accounts";
import {aidAbi, gaibAbi} from "../abi/generated.ts";
import {ANVIL_KEYS} from "../lib/accounts.ts";
import type {LocalChainDeployment, LocalDeployment} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {addLocalUniswap} from "../amm/local.ts";
import {connectDemo, mintAid} from "../demo/chain.ts";
import {CHAINS, type ChainSpec} from "../multichain/chains.ts";
import {startLocalNetwork, type LocalNetwork} from "../multichain/deploy.ts";

/** Anvil's default dev mnemonic: its accounts are funded with 10,000 ETH on every local chain. Never real funds. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export interface LocalOptions {
  /** "all" (default): ethereum (home), arbitrum, plume; "home" (or "ethereum"): the home chain alone. */
  chains?: "all" | "home" | undefined;
  /** Port of the home chain; the others follow (+1, +2). Default 8545 (the CLI's default RPC). */
  basePort?: number | undefined;
  /** Persist each chain with `anvil --state <dir>/<name>.json`; a restart restores it instead of deploying again. */
  stateDir?: string | undefined;
  /** Where the deployment records go (default deployments/local, where the CLI and every tool look). */
  recordDir?: string | undefined;
  /** Operator accounts to fund (anvil accounts 1..n), default 3, at most 9. */
  operators?: number | undefined;
  /** GAIB and AID each operator gets [wad], default 100,000 of each. */
  fund?: bigint | undefined;
}

export interface LocalAccount {
  address: Address;
  key: Hex;
}

export interface LocalChainInfo {
  spec: ChainSpec;
  rpcUrl: string;
  deploymentFile: string;
  deployment: LocalChainDeployment & Partial<LocalDeployment>;
  restored: boolean;
}

export interface RunningLocalNetwork {
  chains: LocalChainInfo[];
  admin: LocalAccount;
  operators: (LocalAccount & {gaib: bigint; aid: bigint})[];
  net: LocalNetwork;
  stop(): Promise<void>;
}

export const DEFAULT_BASE_PORT = 8545;
export const DEFAULT_FUND = parseUnits("100000", 18);

/** Anvil dev account `index` with its key (0 is the deployer: every role, the whole GAIB supply). */
export function devAccount(index: number): LocalAccount {
  const key = index < ANVIL_KEYS.length ? ANVIL_KEYS[index as 0]! : toHex(mnemonicToAccount(ANVIL_MNEMONIC, {addressIndex: index}).getHdKey().privateKey!);
  return {address: privateKeyToAccount(key).address, key};
}

/** Starts the chains, deploys (or restores), funds the operators; the chains run until `stop()`. */
export async function startLocal(opts: LocalOptions = {}): Promise<RunningLocalNetwork> {
  const specs = opts.chains === "home" ? CHAINS.filter((c) => c.home) : CHAINS;
  const base = opts.basePort ?? DEFAULT_BASE_PORT;
  const recordDir = path.resolve(opts.recordDir ?? path.join(repoRoot, "deployments", "local"));
  const stateDir = opts.stateDir ? path.resolve(opts.stateDir) : undefined;
  const operatorCount = opts.operators ?? 3;
  if (!Number.isInteger(operatorCount) || operatorCount < 0 || operatorCount > 9) throw new Error(`--operators must be 0..9, got ${opts.operators}`);
  if (stateDir) mkdirSync(stateDir, {recursive: true});
  const stateFile = (s: ChainSpec) => path.join(stateDir!, `${s.name}.json`);
  const savedRecord = (s: ChainSpec) => path.join(stateDir!, `${s.name}.deployment.json`);
  const hadState = new Set(stateDir ? specs.filter((s) => existsSync(stateFile(s)) && existsSync(savedRecord(s))).map((s) => s.name) : []);
  const restored = new Set<string>();

  const net = await startLocalNetwork(specs, {
    ports: specs.map((_, i) => base + i),
    anvilArgs: (s) => (stateDir ? ["--state", stateFile(s)] : []),
    recordDir,
    // a chain restored from its state file keeps its contracts: reuse the record saved beside it (if the code is there)
    existing: async (s, anvil) => {
      if (!hadState.has(s.name)) return undefined;
      const record = JSON.parse(readFileSync(savedRecord(s), "utf8")) as LocalChainDeployment & Partial<LocalDeployment>;
      const res = await fetch(anvil.rpcUrl, {
        method: "POST",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [record.aid, "latest"]}),
      });
      const code = ((await res.json()) as {result?: string}).result ?? "0x";
      if (code.length <= 2) return undefined;
      mkdirSync(recordDir, {recursive: true});
      copyFileSync(savedRecord(s), path.join(recordDir, `${s.chainId}.json`));
      restored.add(s.name);
      return record;
    },
  });
  try {
    const chains: LocalChainInfo[] = net.chains.map((c) => ({
      spec: c.spec,
      rpcUrl: c.anvil.rpcUrl,
      deploymentFile: path.join(recordDir, `${c.spec.chainId}.json`),
      deployment: c.deployment,
      restored: restored.has(c.spec.name),
    }));
    // the AID/USDC pool on a freshly deployed home chain (a restored one has it in its record already)
    const fresh = chains.find((c) => c.spec.home && !c.restored);
    if (fresh) Object.assign(fresh.deployment, await addLocalUniswap(fresh.rpcUrl, fresh.deployment as LocalDeployment, fresh.deploymentFile));
    if (stateDir) for (const c of chains) copyFileSync(c.deploymentFile, savedRecord(c.spec));

    // operators: GAIB (the deployer holds the supply) and AID (minted against mock USDC) on the home chain
    const home = chains.find((c) => c.spec.home)!;
    const d = home.deployment as LocalDeployment;
    const demo = await connectDemo(home.rpcUrl);
    const admin = devAccount(0);
    const adminAccount = privateKeyToAccount(admin.key);
    const fund = opts.fund ?? DEFAULT_FUND;
    const operators: RunningLocalNetwork["operators"] = [];
    for (let i = 1; i <= operatorCount; i++) {
      const op = devAccount(i);
      const account: PrivateKeyAccount = privateKeyToAccount(op.key);
      const gaibOf = () => demo.read<bigint>({address: d.gaib, abi: gaibAbi, functionName: "balanceOf", args: [op.address]});
      const aidOf = () => demo.read<bigint>({address: d.aid, abi: aidAbi, functionName: "balanceOf", args: [op.address]});
      // topped up to `fund` (a restored chain keeps what the operators had)
      const gaib = await gaibOf();
      if (gaib < fund) await demo.send(adminAccount, {address: d.gaib, abi: gaibAbi, functionName: "transfer", args: [op.address, fund - gaib]});
      const aid = await aidOf();
      if (aid < fund) await mintAid(demo, d, account, fund - aid, adminAccount);
      operators.push({...op, gaib: await gaibOf(), aid: await aidOf()});
    }
    return {chains, admin, operators, net, stop: () => net.stop()};
  } catch (e) {
    await net.stop();
    throw e;
  }
}

/** What `npm run local` prints once everything is up. */
export function describeLocal(n: RunningLocalNetwork): string[] {
  const rel = (f: string) => (path.relative(process.cwd(), f).startsWith("..") ? f : path.relative(process.cwd(), f));
  const home = n.chains.find((c) => c.spec.home)!;
  const amount = (v: bigint) => Number(formatUnits(v, 18)).toLocaleString("en-US");
  const lines = ["", "GAIB local network: the chains keep running until Ctrl-C", "", "chain      id      eid    RPC                     deployment record"];
  for (const c of n.chains) {
    lines.push(
      `${c.spec.name.padEnd(10)} ${String(c.spec.chainId).padEnd(7)} ${String(c.spec.eid).padEnd(6)} ${c.rpcUrl.padEnd(23)} ${rel(c.deploymentFile)}` +
        `${c.spec.home ? "  (home: AID, sAID, deals, GAIB staking, nodes)" : ""}${c.restored ? "  (restored from its state file)" : ""}`,
    );
  }
  lines.push("", `deployer (every role, the GAIB supply): ${n.admin.address}  key ${n.admin.key}`);
  const hd = home.deployment;
  if (hd.aidUsdcPool) lines.push(`Uniswap v3 AID/USDC pool ${hd.aidUsdcPool} (position manager ${hd.positionManager}, router ${hd.swapRouter})`);
  if (n.operators.length) {
    lines.push(`operators (funded on ${home.spec.name}; 10,000 ETH on every chain):`);
    for (const o of n.operators) lines.push(`  ${o.address}  key ${o.key}  ${amount(o.gaib)} GAIB  ${amount(o.aid)} AID`);
  }
  const op = n.operators[0] ?? n.admin;
  const defaultRecord = path.join(repoRoot, "deployments", "local", `${home.spec.chainId}.json`);
  const record = path.resolve(home.deploymentFile) === defaultRecord ? "" : ` --deployment ${home.deploymentFile}`;
  lines.push(
    "",
    `CLI against the home chain (${record ? "its record" : "the record deployments/local/<chain id>.json is the default"}):`,
    `  bin/gaib --rpc ${home.rpcUrl} --key ${op.key}${record} status`,
    `  bin/gaib --rpc ${home.rpcUrl} --key ${op.key}${record} operator register --commission 1000 --self-stake 10000`,
    `  (or export GAIB_RPC=${home.rpcUrl} GAIB_KEY=<key>${record ? ` GAIB_DEPLOYMENT=${home.deploymentFile}` : ""})`,
    "advance time (opt-in 1 day, epochs 1 hour, veto window 2 days):",
    `  bin/cast rpc evm_increaseTime 86400 --rpc-url ${home.rpcUrl} && bin/cast rpc evm_mine --rpc-url ${home.rpcUrl}`,
    "  (each chain has its own clock: advance every chain you use)",
    "",
    "ready",
  );
  return lines;
}
