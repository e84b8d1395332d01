import {copyFileSync, mkdirSync, readFileSync, renameSync, rmSync} from "node:fs";
import path from "node:path";
import type {Address} from "viem";
import {ANVIL_KEYS} from "./accounts.ts";
import {forgeScript} from "./forge.ts";
import {repoRoot} from "./paths.ts";

/** Addresses written by script/00_DeployLocal.s.sol on any local chain. */
export interface LocalChainDeployment {
  eid: number;
  home: boolean;
  admin: Address;
  endpoint: Address;
  messageLib: Address;
  aid: Address;
  /** sAID: the vault proxy on the home chain, the share OFT (same address) elsewhere. */
  sAID?: Address;
  /** Home chain: the sAID OFT adapter (lockbox). */
  sAIDAdapter?: Address;
  /** GAIB: the token at home, the OFT elsewhere (same address on every chain). */
  gaib: Address;
}

/** What the home chain has on top. */
export interface LocalDeployment extends LocalChainDeployment {
  minter: Address;
  reserve: Address;
  sAID: Address;
  usdc: Address;
  usdt: Address;
  usdcFeed: Address;
  usdtFeed: Address;
  tbill: Address;
  /** GAIB stack (home only). */
  gaibAdapter: Address;
  staking: Address;
  slasher: Address;
  nodeRegistry: Address;
  telemetryOracle: Address;
  /** Start of staking epoch 0 and the epoch length [s]. */
  stakingGenesis: number;
  epochDuration: number;
  dealFactory: Address;
  revenueReporter: Address;
  /** OracleRevenueAdapter: REVENUE_SHARE deals fed by the telemetry oracle. */
  revenueAdapter: Address;
  /** Uniswap v3 and the AID/USDC pool, when `npm run demo` / `npm run local` added them (ts/amm/local.ts). */
  uniswapFactory?: Address;
  positionManager?: Address;
  swapRouter?: Address;
  aidUsdcPool?: Address;
  /** An sAID/AID pool, where one exists. */
  saidAidPool?: Address;
}

/** Local deploy settings (script/00_DeployLocal.s.sol reads them from the environment). */
export interface LocalDeployEnv {
  GAIB_LOCAL_EID?: string;
  GAIB_LOCAL_HOME?: string;
  GAIB_LOCAL_PEERS?: string;
  GAIB_LOCAL_HOME_EID?: string;
}

let runs = 0;

/** Runs the local deploy script against `rpcUrl` (broadcasting as anvil account 0, `--slow`: one transaction at a
 *  time, each confirmed before the next) and returns its addresses; with no `env` it deploys a home chain. The record
 *  lands in `<recordDir>/<chainId>.json` (default deployments/local, where every tool looks). */
export async function deployLocal<T extends LocalChainDeployment = LocalDeployment>(
  rpcUrl: string,
  chainId: number,
  env: LocalDeployEnv = {},
  recordDir: string = path.join(repoRoot, "deployments", "local"),
): Promise<T> {
  // each run writes to its own folder (parallel test files deploy the same chain ids), then the record is copied to
  // deployments/local/<chainId>.json, the default every tool reads
  const runDir = path.join("deployments", "local", "runs", `${process.pid}-${++runs}`);
  const res = await forgeScript("script/00_DeployLocal.s.sol", {
    rpcUrl,
    broadcast: true,
    env: {...env, GAIB_LOCAL_OUT: runDir},
    extraArgs: ["--private-key", ANVIL_KEYS[0], "--slow"],
  });
  if (res.code !== 0) throw new Error(`local deploy on chain ${chainId} failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  const written = path.join(repoRoot, runDir, `${chainId}.json`);
  const record = JSON.parse(readFileSync(written, "utf8")) as T;
  const dir = recordDir;
  mkdirSync(dir, {recursive: true});
  const tmp = path.join(dir, `.${chainId}.${process.pid}.json`);
  copyFileSync(written, tmp);
  renameSync(tmp, path.join(dir, `${chainId}.json`));
  rmSync(path.join(repoRoot, runDir), {recursive: true, force: true});
  return record;
}
