// What every CLI command needs: the RPC (checked against the expected chain), the signer key, and the deployment
// record (JSON addresses written by the deploy scripts) that every tool reads.
import {existsSync} from "node:fs";
import path from "node:path";
import {
  createPublicClient,
  http,
  isAddress,
  isHex,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {repoRoot} from "../lib/paths.ts";
import {sendContract} from "../lib/tx.ts";
import {CHAINS} from "../multichain/chains.ts";
import {CliError, describeRevert, missingKey, readJson} from "./errors.ts";

/** Global options (commander camel-cases them). */
export interface GlobalOptions {
  rpc?: string;
  chain?: string;
  key?: string;
  deployment?: string;
}

/** Deployment record keys the CLI uses (03_DeployGaib output; 00_DeployLocal writes `staking` and `slasher`). */
export type ContractKey = "gaib" | "stakingVault" | "vetoSlasher" | "nodeRegistry" | "telemetryOracle";

/** The GAIB staking stack lives on the home chain only; remote chains carry the GAIB OFT at most. */
const HOME_ONLY: ReadonlySet<ContractKey> = new Set(["stakingVault", "vetoSlasher", "nodeRegistry", "telemetryOracle"]);

const ALIASES: Partial<Record<ContractKey, string>> = {stakingVault: "staking", vetoSlasher: "slasher"};

export interface Context {
  rpcUrl: string;
  chainId: number;
  client: PublicClient;
  deploymentFile: string;
  deployment: Record<string, unknown>;
  /** The address of `key` in the deployment record; a clear error when absent. */
  address(key: ContractKey): Address;
  /** The signer (--key / GAIB_KEY); "missing key" when neither is set. */
  account(): PrivateKeyAccount;
  /** Simulates (decoding custom errors) then sends and waits; returns the receipt's logs. */
  write(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]): Promise<{hash: Hex; logs: unknown[]}>;
  read<T>(address: Address, abi: readonly unknown[], functionName: string, args?: readonly unknown[]): Promise<T>;
  /** The latest block's timestamp [s]. */
  now(): Promise<bigint>;
}

export const DEFAULT_RPC = "http://127.0.0.1:8545";

/** A chain given by name (ethereum / arbitrum / plume) or id. */
export function parseChain(s: string): number {
  const spec = CHAINS.find((c) => c.name === s.toLowerCase());
  if (spec) return spec.chainId;
  if (/^\d+$/.test(s)) return Number(s);
  throw new CliError(`wrong chain: unknown chain "${s}" (use ${CHAINS.map((c) => c.name).join(", ")} or a chain id)`);
}

export function parseKey(key: string | undefined, what?: string): PrivateKeyAccount {
  if (!key) throw missingKey(what);
  const hex = (key.startsWith("0x") ? key : `0x${key}`) as Hex;
  if (!isHex(hex) || hex.length !== 66) throw new CliError("missing key: the key is not a 32-byte hex private key");
  return privateKeyToAccount(hex);
}

/** Chain a deployment record is for: its `chainId`, else the file name (`<chainId>.json`, `<network>[-gaib].json`). */
function recordChain(file: string, record: Record<string, unknown>): number | undefined {
  if (record.chainId !== undefined) return Number(record.chainId);
  const base = path.basename(file);
  const id = /^(\d+)(-gaib)?\.json$/.exec(base)?.[1];
  if (id) return Number(id);
  return CHAINS.find((c) => base === `${c.name}.json` || base === `${c.name}-gaib.json`)?.chainId;
}

export async function createContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Promise<Context> {
  const rpcUrl = opts.rpc ?? env.GAIB_RPC ?? DEFAULT_RPC;
  const client = createPublicClient({transport: http(rpcUrl)}) as PublicClient;
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    throw new CliError(`no chain: nothing answers at ${rpcUrl} (--rpc or GAIB_RPC)`);
  }
  if (opts.chain !== undefined && parseChain(opts.chain) !== chainId) {
    throw new CliError(`wrong chain: the RPC at ${rpcUrl} is chain ${chainId}, --chain ${opts.chain} is chain ${parseChain(opts.chain)}`);
  }
  const deploymentFile = path.resolve(opts.deployment ?? env.GAIB_DEPLOYMENT ?? path.join(repoRoot, "deployments", "local", `${chainId}.json`));
  if (!existsSync(deploymentFile)) throw new CliError(`no deployment: ${deploymentFile} does not exist (--deployment)`);
  const deployment = readJson(deploymentFile, "deployment record") as Record<string, unknown>;
  const expected = recordChain(deploymentFile, deployment);
  if (expected !== undefined && expected !== chainId) {
    throw new CliError(`wrong chain: the RPC at ${rpcUrl} is chain ${chainId}, the deployment ${deploymentFile} is for chain ${expected}`);
  }
  let signer: PrivateKeyAccount | undefined;
  const ctx: Context = {
    rpcUrl,
    chainId,
    client,
    deploymentFile,
    deployment,
    address(key) {
      const alias = ALIASES[key];
      const a = deployment[key] ?? (alias ? deployment[alias] : undefined);
      const remote = CHAINS.find((c) => c.chainId === chainId && !c.home);
      if ((a === undefined || deployment.home === false || remote) && HOME_ONLY.has(key)) {
        const home = CHAINS.find((c) => c.home)!;
        if (remote || deployment.home === false) {
          throw new CliError(
            `wrong chain: staking, nodes and telemetry live on the home chain (${home.name}, chain ${home.chainId}); the RPC at ${rpcUrl} is chain ${chainId}${remote ? ` (${remote.name})` : ""}: point --rpc at the home chain`,
          );
        }
      }
      if (typeof a !== "string" || !isAddress(a) || /^0x0{40}$/.test(a)) {
        throw new CliError(`no deployment: ${deploymentFile} has no ${key} address (deploy script/03_DeployGaib.s.sol first)`);
      }
      return a;
    },
    account() {
      signer ??= parseKey(opts.key ?? env.GAIB_KEY);
      return signer;
    },
    async write(address, abi, functionName, args) {
      const account = ctx.account();
      try {
        const receipt = await sendContract(client, rpcUrl, chainId, account, {address, abi, functionName, args});
        const hash = receipt.transactionHash;
        if (receipt.status !== "success") throw new CliError(`reverted: ${functionName} (tx ${hash})`);
        return {hash, logs: receipt.logs};
      } catch (e) {
        throw describeRevert(e, await ctx.now().catch(() => undefined));
      }
    },
    async read<T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) {
      try {
        return (await client.readContract({address, abi, functionName, args} as never)) as T;
      } catch (e) {
        throw describeRevert(e);
      }
    },
    async now() {
      return (await client.getBlock()).timestamp;
    },
  };
  return ctx;
}
