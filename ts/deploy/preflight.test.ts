import {createPublicClient, http, type PublicClient} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ANVIL_KEYS} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {loadChainConfig} from "../lib/chainConfig.ts";
import {deploy, forgeError, gasOf, parseNetworks, scriptFlags} from "./index.ts";
import {isLocalRpc, parseSteps, preflight} from "./preflight.ts";

// The driver's checks before forge runs: a bare Anvil with Arbitrum's chain id has no LayerZero, so the shipped config
// is refused with one plain sentence per missing contract, and nothing is run or sent.
describe("deploy preflight", () => {
  let arb: Anvil;
  let client: PublicClient;
  beforeAll(async () => {
    arb = await startAnvil({chainId: 42_161});
    client = createPublicClient({transport: http(arb.rpcUrl)}) as PublicClient;
  }, 60_000);
  afterAll(async () => arb.stop());

  it("refuses unknown --steps values by name and keeps the deployment order", () => {
    expect(() => parseSteps("core,wrie")).toThrow('unknown --steps value "wrie" (allowed: core, wire, gaib)');
    expect(() => parseSteps("gaib,all,x")).toThrow('unknown --steps values "all", "x"');
    expect(() => parseSteps(" ")).toThrow(/--steps is empty/);
    expect(parseSteps("gaib, core")).toEqual(["core", "gaib"]);
  });

  it("resolves --network all, home chain first, and refuses an unknown name", () => {
    expect(parseNetworks("all")).toEqual(["ethereum", "arbitrum", "plume"]);
    expect(parseNetworks("plume,ethereum")).toEqual(["ethereum", "plume"]);
    expect(() => parseNetworks("arbitrum,mars")).toThrow(/unknown network "mars"/);
  });

  it("names every missing contract and placeholder of the shipped Arbitrum config on a bare chain", async () => {
    const cfg = loadChainConfig("arbitrum", {});
    const problems = await preflight(client, cfg, ["core", "wire"]);
    expect(problems).toContain(`script/config/arbitrum.json: endpoint ${cfg.endpoint} has no code on chain 42161 (the LayerZero EndpointV2 every OFT is built on)`);
    expect(problems).toContain(`script/config/arbitrum.json: layerzero.sendLib ${cfg.layerzero!.sendLib} has no code on chain 42161 (SendUln302)`);
    expect(problems).toContain(`script/config/arbitrum.json: layerzero.requiredDVNs[1] ${cfg.layerzero!.requiredDVNs[1]} has no code on chain 42161 (DVN)`);
    expect(problems).toContain(`script/config/arbitrum.json: finalAdmin ${cfg.finalAdmin} is a placeholder (0x5afe…): put the real multisig there`);
    expect(problems.some((p) => p.includes("roles.gatekeeper"))).toBe(true);
  });

  it("names the chain id mismatch and the home chain's assets and feeds", async () => {
    const cfg = loadChainConfig("ethereum", {});
    const problems = await preflight(client, cfg, ["core"]);
    expect(problems[0]).toBe("the RPC serves chain id 42161, but script/config/ethereum.json is for chain id 1 (ethereum)");
    expect(problems.some((p) => p.startsWith("script/config/ethereum.json: home_params.assets[0].asset 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48 has no code"))).toBe(true);
    expect(problems.some((p) => p.startsWith("script/config/ethereum.json: home_params.assets[1].feed"))).toBe(true);
  });

  it("deploy stops at the preflight with a plain message, before forge, sending nothing", async () => {
    const nonce = await client.getTransactionCount({address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"});
    const err = await deploy({network: "arbitrum", rpc: arb.rpcUrl, key: ANVIL_KEYS[1], broadcast: true, env: {}}, () => {}).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^preflight: arbitrum is not ready, nothing was run or sent:\n {2}- script\/config\/arbitrum\.json: /);
    expect((err as Error).message).not.toMatch(/Traces|Revert|script failed/);
    expect(await client.getTransactionCount({address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"})).toBe(nonce);
    await expect(deploy({network: "arbitrum", rpc: arb.rpcUrl, key: ANVIL_KEYS[1], steps: ["core", "gaib2"], env: {}}, () => {})).rejects.toThrow('unknown --steps value "gaib2"');
  });

  it("keeps forge's RPC cache off for a node on this machine only", () => {
    expect(isLocalRpc(arb.rpcUrl)).toBe(true);
    expect(isLocalRpc("http://localhost:8545")).toBe(true);
    expect(isLocalRpc("https://arb1.arbitrum.io/rpc")).toBe(false);
    expect(scriptFlags(arb.rpcUrl, false)).toEqual(["--no-storage-caching"]);
    expect(scriptFlags("https://arb1.arbitrum.io/rpc", true)).toEqual(["--slow"]);
  });

  it("reads forge's gas and its error line without the trace", () => {
    expect(gasOf("Chain 1\n\nEstimated total gas used for script: 1234567\n")).toBe(1_234_567n);
    expect(gasOf("Total Paid: 0.0021 ETH (700000 gas * avg 3 gwei)\nTotal Paid: 0.001 ETH (300000 gas * avg 3 gwei)")).toBe(1_000_000n);
    expect(gasOf("No transactions to broadcast.")).toBe(0n);
    expect(forgeError('Traces:\n  [123] DeployCore::run()\n    └─ ← [Revert]\nError: script failed: PlaceholderAddress("finalAdmin")\n')).toBe('script failed: PlaceholderAddress("finalAdmin")');
  });
});
