import {readFileSync} from "node:fs";
import path from "node:path";
import type {Address} from "viem";
import {ANVIL_KEYS} from "./accounts.ts";
import {forgeScript} from "./forge.ts";
import {repoRoot} from "./paths.ts";

/** Addresses written by script/00_DeployLocal.s.sol. */
export interface LocalDeployment {
  admin: Address;
  endpoint: Address;
  aid: Address;
  minter: Address;
  reserve: Address;
  sAID: Address;
  usdc: Address;
  usdt: Address;
  usdcFeed: Address;
  usdtFeed: Address;
  tbill: Address;
}

/** Runs the local deploy script against `rpcUrl` (broadcasting as anvil account 0) and returns its addresses. */
export async function deployLocal(rpcUrl: string, chainId: number): Promise<LocalDeployment> {
  const res = await forgeScript("script/00_DeployLocal.s.sol", {
    rpcUrl,
    broadcast: true,
    extraArgs: ["--private-key", ANVIL_KEYS[0], "--slow"],
  });
  if (res.code !== 0) throw new Error(`local deploy failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  const file = path.join(repoRoot, "deployments", "local", `${chainId}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as LocalDeployment;
}
