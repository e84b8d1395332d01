import {existsSync, readdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createPublicClient, http, isAddress, pad, parseAbi, type Address, type PublicClient} from "viem";
import {aidAbi, gaibAbi} from "../abi/generated.ts";
import {runCli} from "../cli/program.ts";
import {CHAINS} from "../multichain/chains.ts";
import {DEFAULT_FUND, devAccount} from "./network.ts";
import {portOpen, startLocalProcess, type LocalProcess} from "./harness.ts";

// `npm run local` as a user runs it (the entry ts/local/index.ts in its own process) with all three chains, on free
// ports and the records in a temporary folder: it prints "ready", each RPC answers with its chain id, each record
// points at live contracts with the OFT peers set, the operators hold GAIB and AID; a staking query against the
// Arbitrum chain (chain id 42161, a spoke deployment) says staking lives on the home chain and sends nothing; SIGINT
// stops every Anvil it started and exits 0.

/** LayerZero OApp peers (the GAIB adapter at home, the GAIB OFT elsewhere). */
const PEERS_ABI = parseAbi(["function peers(uint32 eid) view returns (bytes32)"]);

/** Anvil processes still serving one of `ports` (Linux /proc; empty elsewhere). */
function anvilsOn(ports: readonly number[]): string[] {
  if (!existsSync("/proc")) return [];
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmd: string[];
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    const at = cmd.indexOf("--port");
    if (path.basename(cmd[0] ?? "").startsWith("anvil") && at >= 0 && ports.includes(Number(cmd[at + 1]))) found.push(`${pid}: ${cmd.join(" ")}`);
  }
  return found;
}

describe("npm run local (three chains)", () => {
  let local: LocalProcess;
  const ports = () => CHAINS.map((_, i) => local.port + i);
  const client = (i: number): PublicClient => createPublicClient({transport: http(local.rpcUrl(i))}) as PublicClient;
  const record = (chainId: number) => JSON.parse(readFileSync(path.join(local.records, `${chainId}.json`), "utf8")) as Record<string, unknown>;

  beforeAll(async () => {
    local = await startLocalProcess([], CHAINS.length);
  }, 600_000);
  afterAll(() => local?.cleanup());

  it("prints every chain's RPC and record, the operators' keys and the time recipe", () => {
    for (const [i, c] of CHAINS.entries()) {
      expect(local.out()).toMatch(new RegExp(`^${c.name} +${c.chainId} +${c.eid} +${local.rpcUrl(i).replace(/\./g, "\\.")} +${path.join(local.records, `${c.chainId}.json`)}`, "m"));
    }
    expect(local.out()).toMatch(/key 0x[0-9a-f]{64}/);
    expect(local.out()).toContain("evm_increaseTime");
  });

  it("runs each chain with its chain id, and each record names live contracts", async () => {
    for (const [i, c] of CHAINS.entries()) {
      expect(await client(i).getChainId(), c.name).toBe(c.chainId);
      const r = record(c.chainId);
      expect(r.home, c.name).toBe(c.home);
      expect(r.eid, c.name).toBe(c.eid);
      const keys = c.home ? ["aid", "sAID", "minter", "gaib", "gaibAdapter", "staking", "nodeRegistry", "telemetryOracle", "dealFactory"] : ["aid", "sAID", "gaib", "endpoint"];
      for (const k of keys) {
        const a = r[k] as Address;
        expect(isAddress(a), `${c.name} ${k}`).toBe(true);
        expect((await client(i).getCode({address: a}))?.length ?? 0, `${c.name} ${k} has code`).toBeGreaterThan(2);
      }
    }
  });

  it("peers every chain's AID and GAIB OFT with the other two", async () => {
    const home = CHAINS.find((c) => c.home)!;
    for (const [i, c] of CHAINS.entries()) {
      const r = record(c.chainId);
      const gaibOApp = (c.home ? r.gaibAdapter : r.gaib) as Address;
      for (const other of CHAINS.filter((o) => o.eid !== c.eid)) {
        const o = record(other.chainId);
        const aidPeer = await client(i).readContract({address: r.aid as Address, abi: aidAbi, functionName: "peers", args: [other.eid]});
        expect(aidPeer, `${c.name} AID -> ${other.name}`).toBe(pad(o.aid as Address, {size: 32}).toLowerCase());
        const gaibPeer = await client(i).readContract({address: gaibOApp, abi: PEERS_ABI, functionName: "peers", args: [other.eid]});
        const expected = (other.home ? o.gaibAdapter : o.gaib) as Address;
        expect(gaibPeer, `${c.name} GAIB -> ${other.name}`).toBe(pad(expected, {size: 32}).toLowerCase());
      }
      if (!c.home) expect(r.gaib, "GAIB OFT at the token's address").toBe(record(home.chainId).gaib);
    }
  });

  it("funds each printed operator with GAIB and AID on the home chain", async () => {
    const r = record(1) as {gaib: Address; aid: Address};
    const operators = [...local.out().matchAll(/^ {2}(0x[0-9a-fA-F]{40}) {2}key 0x[0-9a-f]{64}/gm)].map((m) => m[1] as Address);
    expect(operators).toEqual([1, 2, 3].map((i) => devAccount(i).address));
    for (const op of operators) {
      expect(await client(0).readContract({address: r.gaib, abi: gaibAbi, functionName: "balanceOf", args: [op]})).toBeGreaterThanOrEqual(DEFAULT_FUND);
      expect(await client(0).readContract({address: r.aid, abi: aidAbi, functionName: "balanceOf", args: [op]})).toBeGreaterThanOrEqual(DEFAULT_FUND);
    }
  });

  it("wrong chain: a staking query against Arbitrum (42161, a spoke record) says staking lives on the home chain, sends nothing", async () => {
    const arbitrum = CHAINS.findIndex((c) => c.chainId === 42_161);
    const rpc = local.rpcUrl(arbitrum);
    const op = devAccount(1);
    const deployment = path.join(local.records, "42161.json");
    const nonce = await client(arbitrum).getTransactionCount({address: op.address});
    for (const args of [["status"], ["operator", "register", "--commission", "500", "--self-stake", "100000"], ["stake", op.address, "10"]]) {
      const err: string[] = [];
      const out: string[] = [];
      const r = await runCli(["--rpc", rpc, "--key", op.key, "--deployment", deployment, ...args], {out: (l) => out.push(l), err: (l) => err.push(l), env: {}});
      expect(r.code, args.join(" ")).toBe(1);
      expect(err.join("\n")).toBe(
        `gaib: wrong chain: staking, nodes and telemetry live on the home chain (ethereum, chain 1); the RPC at ${rpc} is chain 42161 (arbitrum): point --rpc at the home chain`,
      );
      expect(out).toEqual([]);
    }
    expect(await client(arbitrum).getTransactionCount({address: op.address})).toBe(nonce);
  });

  it("stops every Anvil on SIGINT, exits 0 and says so", async () => {
    for (const p of ports()) expect(await portOpen(p)).toBe(true);
    expect(anvilsOn(ports()).length).toBe(existsSync("/proc") ? CHAINS.length : 0);
    local.child.kill("SIGINT");
    expect(await local.exited).toBe(0);
    expect(local.out()).toMatch(/SIGINT: stopping the local chains/);
    expect(local.out()).toMatch(/^stopped/m);
    for (const p of ports()) expect(await portOpen(p)).toBe(false);
    expect(anvilsOn(ports())).toEqual([]);
  });
});
