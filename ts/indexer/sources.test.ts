// What the indexer watches, from deployment records and config files (no chain needed).
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {getAddress} from "viem";
import {ABIS, chainsFromConfig, contractsOf, localChains} from "./sources.ts";

const a = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const dir = mkdtempSync(path.join(tmpdir(), "gaib-sources-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("indexer sources", () => {
  it("watches the home chain's contracts by their ABI names, and AID, the sAID OFT and the GAIB OFT elsewhere", () => {
    const home = contractsOf({home: true, aid: a(1), minter: a(2), reserve: a(3), sAID: a(4), dealFactory: a(5), usdc: a(6), eid: 30101});
    expect(home).toEqual([
      {name: "AID", address: a(1)},
      {name: "AIDMinter", address: a(2)},
      {name: "AIDReserve", address: a(3)},
      {name: "StakedAID", address: a(4)},
      {name: "DealFactory", address: a(5)},
    ]);
    const remote = contractsOf({home: false, aid: a(1), sAID: a(4), gaib: a(7)});
    expect(remote.map((c) => c.name)).toEqual(["AID", "StakedAIDOFT", "GAIBOFT"]);
    for (const c of [...home, ...remote]) expect(ABIS[c.name]).toBeDefined();
  });

  it("watches the Uniswap v3 pools of a record with their sorted token pair, and the position manager", () => {
    const home = contractsOf({home: true, aid: a(9), usdc: a(6), sAID: a(4), positionManager: a(10), aidUsdcPool: a(11), saidAidPool: a(12)});
    expect(home.slice(2)).toEqual([
      {name: "PositionManager", address: a(10)},
      {name: "AIDUSDCPool", address: a(11), tokens: [a(6), a(9)]},
      {name: "SAIDAIDPool", address: a(12), tokens: [a(4), a(9)]},
    ]);
    for (const c of home) expect(ABIS[c.name]).toBeDefined();
    // a pool on a spoke chain (an sAID/AID pool where one exists)
    expect(contractsOf({home: false, aid: a(1), sAID: a(4), saidAidPool: a(12)}).at(-1)).toEqual({name: "SAIDAIDPool", address: a(12), tokens: [a(1), a(4)]});
    expect(() => contractsOf({home: true, aid: a(9), aidUsdcPool: a(11)})).toThrow(/aidUsdcPool needs the addresses "aid" and "usdc"/);
  });

  it("reads the local records by chain id, on the ports npm run local uses", () => {
    writeFileSync(path.join(dir, "1.json"), JSON.stringify({home: true, aid: a(1)}));
    writeFileSync(path.join(dir, "98866.json"), JSON.stringify({home: false, aid: a(1)}));
    const chains = localChains(9545, dir);
    expect(chains.map((c) => [c.name, c.chainId, c.rpcUrl])).toEqual([
      ["ethereum", 1, "http://127.0.0.1:9545"],
      ["plume", 98866, "http://127.0.0.1:9547"],
    ]);
  });

  it("reads a config file for real RPCs and names what is wrong in a bad one", () => {
    writeFileSync(path.join(dir, "rec.json"), JSON.stringify({home: false, aid: a(1)}));
    const good = path.join(dir, "good.json");
    writeFileSync(good, JSON.stringify({chains: [{name: "arbitrum", chainId: 42161, rpcUrl: "https://arb.example", deployment: "rec.json", startBlock: 100, confirmations: 20}]}));
    expect(chainsFromConfig(good)).toEqual([
      {name: "arbitrum", chainId: 42161, rpcUrl: "https://arb.example", contracts: [{name: "AID", address: a(1)}], startBlock: 100n, confirmations: 20, batchBlocks: undefined},
    ]);
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({chains: [{name: "x", chainId: 1, rpcUrl: "http://x", deployment: "rec.json", confirmations: -1}]}));
    expect(() => chainsFromConfig(bad)).toThrow(/chains\[0\]: "confirmations" must be a non-negative integer/);
    writeFileSync(bad, JSON.stringify({chains: [{name: "x", chainId: 1}]}));
    expect(() => chainsFromConfig(bad)).toThrow(/needs "name", "rpcUrl" and "deployment"/);
    writeFileSync(bad, JSON.stringify({}));
    expect(() => chainsFromConfig(bad)).toThrow(/no "chains" list/);
  });
});
