// Checks the deploy driver runs before forge: the RPC serves the config's chain, and every address the config names
// that the scripts call (the LayerZero endpoint, ULN302 libraries, executor and DVNs, the home chain's assets and
// their feeds, the T-bill fund) has code. Each problem is one plain sentence naming the config field.
import path from "node:path";
import {zeroAddress, type Address, type PublicClient} from "viem";
import type {ChainConfig} from "../lib/chainConfig.ts";
import {repoRoot} from "../lib/paths.ts";
import {homeAssets} from "./rehearse.ts";
import {readFileSync} from "node:fs";

export const STEPS = ["core", "wire", "gaib"] as const;
export type Step = (typeof STEPS)[number];

/** Parses `--steps`: a comma-separated subset of core, wire, gaib; anything else is refused by name. */
export function parseSteps(list: string): Step[] {
  const steps = list.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const unknown = steps.filter((s) => !(STEPS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown --steps value${unknown.length > 1 ? "s" : ""} ${unknown.map((s) => `"${s}"`).join(", ")} (allowed: ${STEPS.join(", ")})`);
  if (steps.length === 0) throw new Error(`--steps is empty (allowed: ${STEPS.join(", ")})`);
  return STEPS.filter((s) => steps.includes(s)); // always in deployment order, each once
}

/** Every problem found (empty: forge may run). `anyChain` is GAIB_ANY_CHAIN (the scripts' explicit "not real"). */
export async function preflight(client: PublicClient, cfg: ChainConfig, steps: readonly Step[], anyChain = false): Promise<string[]> {
  const file = path.relative(repoRoot, cfg.file);
  const problems: string[] = [];
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch (e) {
    return [`the RPC does not answer (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`];
  }
  if (chainId !== cfg.chainId && !anyChain) problems.push(`the RPC serves chain id ${chainId}, but ${file} is for chain id ${cfg.chainId} (${cfg.name})`);
  if (REAL_CHAIN_IDS.includes(chainId)) {
    if (isPlaceholder(cfg.finalAdmin)) problems.push(`${file}: finalAdmin ${cfg.finalAdmin} is a placeholder (0x5afe…): put the real multisig there`);
    for (const [k, v] of Object.entries(cfg.roles)) if (isPlaceholder(v)) problems.push(`${file}: roles.${k} ${v} is a placeholder (0x5afe…): put the real holder there`);
  }
  const need = async (a: Address, field: string, why: string): Promise<void> => {
    if ((await client.getCode({address: a})) === undefined) problems.push(`${file}: ${field} ${a} has no code on chain ${chainId} (${why})`);
  };
  await need(cfg.endpoint, "endpoint", "the LayerZero EndpointV2 every OFT is built on");
  const lz = cfg.layerzero;
  if (lz) {
    await need(lz.sendLib, "layerzero.sendLib", "SendUln302");
    await need(lz.receiveLib, "layerzero.receiveLib", "ReceiveUln302");
    await need(lz.executor, "layerzero.executor", "LayerZero executor");
    for (const [i, d] of lz.requiredDVNs.entries()) await need(d, `layerzero.requiredDVNs[${i}]`, "DVN");
    for (const [i, d] of lz.optionalDVNs.entries()) await need(d, `layerzero.optionalDVNs[${i}]`, "DVN");
  }
  if (cfg.home && steps.includes("core")) {
    for (const a of homeAssets(cfg)) {
      await need(a.asset, `home_params.assets[${a.index}].asset`, "a reserve asset of the minter");
      await need(a.feed, `home_params.assets[${a.index}].feed`, "its Chainlink USD feed");
    }
    const tbill = (JSON.parse(readFileSync(cfg.file, "utf8")) as {home_params?: {tbillVault?: Address}}).home_params?.tbillVault;
    if (tbill && tbill.toLowerCase() !== zeroAddress) await need(tbill, "home_params.tbillVault", "the reserve's T-bill fund");
  }
  return problems;
}

/** Ethereum, Arbitrum One, Plume mainnet (ChainConfig.isRealChain). */
export const REAL_CHAIN_IDS: readonly number[] = [1, 42_161, 98_866];

/** A shipped-config placeholder (ChainConfig.isPlaceholder): `0x5afe`, 32 zero hex digits, any last four. */
export function isPlaceholder(a: Address): boolean {
  return /^0x5afe0{32}[0-9a-f]{4}$/i.test(a);
}

/** Whether `rpc` is a node on this machine (forge's RPC cache is keyed by chain id and block: a local Anvil with a
 *  real chain id would be served another node's cached state). */
export function isLocalRpc(rpc: string): boolean {
  try {
    const h = new URL(rpc).hostname;
    return h === "127.0.0.1" || h === "localhost" || h === "[::1]" || h === "0.0.0.0";
  } catch {
    return false;
  }
}
