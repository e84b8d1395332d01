// The rehearsal chain of `npm run deploy -- --network <name> --rehearse`: an Anvil with the network's chain id on which
// everything the config names outside GAIB exists, as the forge script tests set it up (test/script/LzFixture.sol):
// LayerZero's EndpointV2 (test-devtools' EndpointV2Mock, the real endpoint code) at `endpoint` with the network's eid,
// LayerZero's ULN302 send and receive libraries at `layerzero.sendLib` / `receiveLib` with default pathway configs for
// every endpoint id in the config folder and registered as the endpoint's defaults, code at the executor and DVNs, and
// on the home chain USDC/USDT-like tokens and $1 Chainlink-like feeds at `home_params.assets[]`. So 01_DeployCore,
// 02_WireOFT and 03_DeployGaib run the config unchanged (LzConfig reads before it writes against real ULN302 code).
// Contracts with constructor state are deployed normally by a helper account, then their code and first storage
// slots are copied to the config's address (Anvil's anvil_setCode / anvil_setStorageAt).
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import {
  createPublicClient,
  createWalletClient,
  http,
  numberToHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {loadAllChainConfigs, loadChainConfig, type ChainConfig} from "../lib/chainConfig.ts";
import {repoRoot} from "../lib/paths.ts";

/** Anvil's tenth dev key: owns the etched LayerZero contracts (never the deployer). */
const LZ_OWNER_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" as const;
/** Default (LayerZero-owned) pathway config on the etched libraries, as in LzFixture: one DVN, one confirmation. */
const DEFAULT_DVN = "0x00000000000000000000000000000000000def0d" as const;
const DEFAULT_EXECUTOR = "0x000000000000000000000000000000000000defe" as const;
/** Storage slots copied from a deployed contract to its etched twin (constructor state lives in the first few). */
const SLOTS = 64;
/** What the shipped configs' placeholder addresses become in the rehearsal copy (as test/script/ShippedConfig.sol). */
const PLACEHOLDER = /0x5afe0000/gi;
const REHEARSAL_PREFIX = "0xf1c70000";

export interface Rehearsal {
  anvil: Anvil;
  /** The config folder the rehearsal runs (placeholders swapped); pass as GAIB_CONFIG_DIR. */
  configDir: string;
  /** What was etched where, for the printout. */
  etched: string[];
}

function artifact(file: string): {abi: Abi; bytecode: Hex} {
  const dir = path.join(repoRoot, "out", file);
  const json = readdirSync(dir).find((f) => f.endsWith(".json") && !f.endsWith(".size.json"));
  if (!json) throw new Error(`no artifact in out/${file}: run bin/forge build first`);
  const j = JSON.parse(readFileSync(path.join(dir, json), "utf8")) as {abi: Abi; bytecode: {object: Hex}};
  return {abi: j.abi, bytecode: j.bytecode.object};
}

/** Copies the configs into `<dir>` with the shipped placeholders swapped (a rehearsal runs on a real chain id, where
 *  the scripts refuse placeholders); a config with real addresses is copied unchanged. */
export function rehearsalConfigs(srcDir: string, dir: string): {dir: string; swapped: string[]} {
  mkdirSync(dir, {recursive: true});
  const swapped: string[] = [];
  for (const f of readdirSync(srcDir).filter((n) => n.endsWith(".json"))) {
    const text = readFileSync(path.join(srcDir, f), "utf8");
    if (PLACEHOLDER.test(text)) swapped.push(f);
    writeFileSync(path.join(dir, f), text.replace(PLACEHOLDER, REHEARSAL_PREFIX));
  }
  return {dir, swapped};
}

/** Starts an Anvil with the network's chain id and etches the network's external contracts (see the header). */
export async function startRehearsal(network: string, configDir: string): Promise<Rehearsal> {
  const env: NodeJS.ProcessEnv = {...process.env, GAIB_CONFIG_DIR: configDir};
  delete env.GAIB_ENDPOINT;
  const cfg = loadChainConfig(network, env);
  const anvil = await startAnvil({chainId: cfg.chainId});
  try {
    const etched = await etchExternals(anvil.rpcUrl, cfg, [...loadAllChainConfigs(env).keys()]);
    return {anvil, configDir, etched};
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

async function etchExternals(rpc: string, cfg: ChainConfig, eids: number[]): Promise<string[]> {
  const client = createPublicClient({transport: http(rpc)}) as PublicClient;
  const owner = privateKeyToAccount(LZ_OWNER_KEY);
  const wallet = createWalletClient({account: owner, transport: http(rpc)});
  const chain = {id: cfg.chainId, name: cfg.name, nativeCurrency: {name: "ETH", symbol: "ETH", decimals: 18}, rpcUrls: {default: {http: [rpc]}}};
  const done: string[] = [];
  const send = async (address: Address, abi: Abi, functionName: string, args: unknown[]): Promise<void> => {
    const hash = await wallet.writeContract({chain, address, abi, functionName, args} as never);
    const r = await client.waitForTransactionReceipt({hash});
    if (r.status !== "success") throw new Error(`rehearsal setup: ${functionName} on ${address} reverted`);
  };
  const etch = async (file: string, args: unknown[], at: Address, what: string): Promise<Abi> => {
    const {abi, bytecode} = artifact(file);
    const hash = await wallet.deployContract({chain, abi, bytecode, args} as never);
    const r = await client.waitForTransactionReceipt({hash});
    if (r.status !== "success" || !r.contractAddress) throw new Error(`rehearsal setup: deploying ${file} failed`);
    const code = await client.getCode({address: r.contractAddress});
    await rpcCall(rpc, "anvil_setCode", [at, code]);
    for (let i = 0; i < SLOTS; i++) {
      const slot = numberToHex(i, {size: 32});
      const v = await client.getStorageAt({address: r.contractAddress, slot});
      if (v && BigInt(v) !== 0n) await rpcCall(rpc, "anvil_setStorageAt", [at, slot, v]);
    }
    done.push(`${what.padEnd(26)} ${at}`);
    return abi;
  };
  const endpointAbi = await etch("EndpointV2Mock.sol", [cfg.eid, owner.address], cfg.endpoint, "LayerZero EndpointV2");
  const lz = cfg.layerzero;
  if (lz) {
    const sendAbi = await etch("SendUln302Mock.sol", ["0x0000000000000000000000000000000000000000", cfg.endpoint, 10n ** 12n, 100_000n], lz.sendLib, "SendUln302");
    const recvAbi = await etch("ReceiveUln302Mock.sol", [cfg.endpoint], lz.receiveLib, "ReceiveUln302");
    const uln = eids.map((eid) => ({eid, config: {confirmations: 1n, requiredDVNCount: 1, optionalDVNCount: 0, optionalDVNThreshold: 0, requiredDVNs: [DEFAULT_DVN], optionalDVNs: []}}));
    const exec = eids.map((eid) => ({eid, config: {maxMessageSize: 10_000, executor: DEFAULT_EXECUTOR}}));
    await send(lz.sendLib, sendAbi, "setDefaultUlnConfigs", [uln]);
    await send(lz.sendLib, sendAbi, "setDefaultExecutorConfigs", [exec]);
    await send(lz.receiveLib, recvAbi, "setDefaultUlnConfigs", [uln]);
    await send(cfg.endpoint, endpointAbi, "registerLibrary", [lz.sendLib]);
    await send(cfg.endpoint, endpointAbi, "registerLibrary", [lz.receiveLib]);
    for (const eid of eids) {
      await send(cfg.endpoint, endpointAbi, "setDefaultSendLibrary", [eid, lz.sendLib]);
      await send(cfg.endpoint, endpointAbi, "setDefaultReceiveLibrary", [eid, lz.receiveLib, 0n]);
    }
    // The executor and the DVNs are only named in configs (ULN302 stores them); code makes them look deployed.
    for (const [a, what] of [[lz.executor, "executor"], ...[...lz.requiredDVNs, ...lz.optionalDVNs].map((d) => [d, "DVN"])] as [Address, string][]) {
      await rpcCall(rpc, "anvil_setCode", [a, "0x00"]);
      done.push(`${what.padEnd(26)} ${a} (placeholder code)`);
    }
  }
  for (const a of homeAssets(cfg)) {
    await etch("MockERC20.sol", [`Rehearsal ${a.index}`, `RH${a.index}`, 6], a.asset, `stablecoin (6 decimals)`);
    await etch("MockPriceFeed.sol", [8, 10n ** 8n], a.feed, `USD feed ($1, 8 decimals)`);
  }
  return done;
}

/** `home_params.assets[]` of the config file (tokens and their feeds: 01_DeployCore checks both have code). */
export function homeAssets(cfg: ChainConfig): {index: number; asset: Address; feed: Address}[] {
  const j = JSON.parse(readFileSync(cfg.file, "utf8")) as {home_params?: {assets?: {asset: Address; feed: Address}[]}};
  return (j.home_params?.assets ?? []).map((a, index) => ({index, asset: a.asset, feed: a.feed}));
}

export async function rpcCall(rpc: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(rpc, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({jsonrpc: "2.0", id: 1, method, params})});
  const body = (await res.json()) as {result?: unknown; error?: {message: string}};
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
