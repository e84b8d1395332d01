// What the indexer watches: per chain, the GAIB contracts of a deployment record (deployments/<env>/<chainId>.json),
// each with the ABI its events are decoded by; deals and their tranche tokens join through DealFactory.DealCreated.
import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import {getAddress, type Abi, type Address} from "viem";
import {
  aidAbi,
  aidMinterAbi,
  aidReserveAbi,
  dealFactoryAbi,
  gaibAbi,
  gaibAdapterAbi,
  gaiboftAbi,
  gpuDealAbi,
  mockERC20Abi,
  nodeRegistryAbi,
  oracleRevenueAdapterAbi,
  revenueReporterAbi,
  stakedAIDAbi,
  stakedAIDOFTAbi,
  stakedAIDOFTAdapterAbi,
  stakingVaultAbi,
  telemetryOracleAbi,
  trancheTokenAbi,
  vetoSlasherAbi,
} from "../abi/generated.ts";
import {UNI} from "../amm/uniswap.ts";
import {repoRoot} from "../lib/paths.ts";
import {CHAINS} from "../multichain/chains.ts";

/** Contract name (the `contract` column) -> the ABI its logs are decoded by. */
export const ABIS: Record<string, Abi> = {
  AID: aidAbi as Abi,
  AIDMinter: aidMinterAbi as Abi,
  AIDReserve: aidReserveAbi as Abi,
  StakedAID: stakedAIDAbi as Abi,
  StakedAIDOFT: stakedAIDOFTAbi as Abi,
  StakedAIDOFTAdapter: stakedAIDOFTAdapterAbi as Abi,
  GAIB: gaibAbi as Abi,
  GAIBAdapter: gaibAdapterAbi as Abi,
  GAIBOFT: gaiboftAbi as Abi,
  StakingVault: stakingVaultAbi as Abi,
  VetoSlasher: vetoSlasherAbi as Abi,
  NodeRegistry: nodeRegistryAbi as Abi,
  TelemetryOracle: telemetryOracleAbi as Abi,
  RevenueReporter: revenueReporterAbi as Abi,
  OracleRevenueAdapter: oracleRevenueAdapterAbi as Abi,
  DealFactory: dealFactoryAbi as Abi,
  GpuDeal: gpuDealAbi as Abi,
  TrancheToken: trancheTokenAbi as Abi,
  /** Uniswap v3 (the published artifacts, ts/amm/uniswap.ts): the AID/USDC pool, an sAID/AID pool, the NFT positions. */
  AIDUSDCPool: UNI.pool.abi,
  SAIDAIDPool: UNI.pool.abi,
  PositionManager: UNI.positionManager.abi,
  /** Tests and the bench: a plain ERC-20 (Transfer, Approval). */
  MockERC20: mockERC20Abi as Abi,
};

/** Deployment-record field -> contract name, on the home chain and on the others. */
const HOME_FIELDS: Record<string, string> = {
  aid: "AID",
  minter: "AIDMinter",
  reserve: "AIDReserve",
  sAID: "StakedAID",
  sAIDAdapter: "StakedAIDOFTAdapter",
  gaib: "GAIB",
  gaibAdapter: "GAIBAdapter",
  staking: "StakingVault",
  slasher: "VetoSlasher",
  nodeRegistry: "NodeRegistry",
  telemetryOracle: "TelemetryOracle",
  revenueReporter: "RevenueReporter",
  revenueAdapter: "OracleRevenueAdapter",
  dealFactory: "DealFactory",
  positionManager: "PositionManager",
};
/** Uniswap v3 pools of a record: field -> [contract name, the record fields of its two tokens]. */
const POOL_FIELDS: Record<string, readonly [string, string, string]> = {
  aidUsdcPool: ["AIDUSDCPool", "aid", "usdc"],
  saidAidPool: ["SAIDAIDPool", "sAID", "aid"],
};
const REMOTE_FIELDS: Record<string, string> = {aid: "AID", sAID: "StakedAIDOFT", gaib: "GAIBOFT", positionManager: "PositionManager"};

export interface WatchedContract {
  name: string;
  address: Address;
  /** A Uniswap v3 pool's tokens, sorted as the pool sorts them (token0 < token1). */
  tokens?: readonly [Address, Address] | undefined;
}

export interface IndexedChain {
  name: string;
  chainId: number;
  rpcUrl: string;
  contracts: WatchedContract[];
  /** First block to index (default 0). */
  startBlock?: bigint | undefined;
  /** Blocks behind the head that are not indexed yet (default 0 locally; set 12+ on a real chain). */
  confirmations?: number | undefined;
  /** Blocks per eth_getLogs batch (default 2,000). */
  batchBlocks?: number | undefined;
}

/** The watched contracts of one deployment record. */
export function contractsOf(record: Record<string, unknown>): WatchedContract[] {
  const fields = record.home === true ? HOME_FIELDS : REMOTE_FIELDS;
  const out: WatchedContract[] = [];
  for (const [field, name] of Object.entries(fields)) {
    const v = record[field];
    if (isAddress(v)) out.push({name, address: getAddress(v)});
  }
  for (const [field, [name, a, b]] of Object.entries(POOL_FIELDS)) {
    const [pool, x, y] = [record[field], record[a], record[b]];
    if (!isAddress(pool)) continue;
    if (!isAddress(x) || !isAddress(y)) throw new Error(`deployment record: ${field} needs the addresses "${a}" and "${b}" of its tokens`);
    const [t0, t1] = BigInt(x) < BigInt(y) ? [x, y] : [y, x];
    out.push({name, address: getAddress(pool), tokens: [getAddress(t0), getAddress(t1)]});
  }
  return out;
}

const isAddress = (v: unknown): v is string => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v);

/** The local chains `npm run local` starts (ports base, base+1, base+2) whose records exist in `recordDir`. */
export function localChains(basePort = 8545, recordDir = path.join(repoRoot, "deployments", "local")): IndexedChain[] {
  return CHAINS.flatMap((spec, i) => {
    const file = path.join(recordDir, `${spec.chainId}.json`);
    if (!existsSync(file)) return [];
    const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    return [{name: spec.name, chainId: spec.chainId, rpcUrl: `http://127.0.0.1:${basePort + i}`, contracts: contractsOf(record)}];
  });
}

/** A config file for real RPCs: {"chains": [{"name", "chainId", "rpcUrl", "deployment": "<record file>",
 *  "startBlock"?, "confirmations"?, "batchBlocks"?}]}; relative paths are relative to the file. */
export function chainsFromConfig(file: string): IndexedChain[] {
  const j = JSON.parse(readFileSync(file, "utf8")) as {chains?: Record<string, unknown>[]};
  if (!Array.isArray(j.chains) || j.chains.length === 0) throw new Error(`${file}: no "chains" list`);
  return j.chains.map((c, i) => {
    const where = `${file}: chains[${i}]`;
    if (typeof c.name !== "string" || typeof c.rpcUrl !== "string" || typeof c.deployment !== "string") {
      throw new Error(`${where}: needs "name", "rpcUrl" and "deployment"`);
    }
    if (!Number.isSafeInteger(c.chainId)) throw new Error(`${where}: "chainId" must be an integer`);
    const record = JSON.parse(readFileSync(path.resolve(path.dirname(file), c.deployment), "utf8")) as Record<string, unknown>;
    const opt = (k: string) => {
      const v = c[k];
      if (v === undefined) return undefined;
      if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Error(`${where}: "${k}" must be a non-negative integer`);
      return v as number;
    };
    const start = opt("startBlock");
    return {
      name: c.name,
      chainId: c.chainId as number,
      rpcUrl: c.rpcUrl,
      contracts: contractsOf(record),
      startBlock: start === undefined ? undefined : BigInt(start),
      confirmations: opt("confirmations"),
      batchBlocks: opt("batchBlocks"),
    };
  });
}
