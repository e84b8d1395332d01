import {spawn, type ChildProcess} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {createServer, Socket} from "node:net";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createPublicClient, http, isAddress, type Address, type PublicClient} from "viem";
import {aidAbi, gaibAbi} from "../abi/generated.ts";
import {repoRoot} from "../lib/paths.ts";
import {DEFAULT_FUND} from "./network.ts";

// `npm run local` as a user runs it (the entry ts/local/index.ts in its own process), on a free port with the home
// chain alone and the records in a temporary folder: it prints "ready", the chain answers, the records point at live
// contracts, the operators hold GAIB and AID; SIGINT stops every Anvil it started.

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const {port} = server.address() as {port: number};
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
    s.connect(port, "127.0.0.1");
  });
}

describe("npm run local", () => {
  let child: ChildProcess;
  let out = "";
  let port: number;
  let records: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    port = await freePort();
    records = mkdtempSync(path.join(tmpdir(), "gaib-local-"));
    child = spawn(process.execPath, ["--import", "tsx", "ts/local/index.ts", "--chain", "home", "--port", String(port), "--records", records], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "ready" within 8 minutes:\n${out}`)), 480_000);
      const onData = (c: Buffer) => {
        out += c.toString("utf8");
        if (/^ready$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => reject(new Error(`npm run local exited (${code}) before "ready":\n${out}`)));
    });
  }, 600_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(records, {recursive: true, force: true});
  });

  const rpcUrl = () => `http://127.0.0.1:${port}`;
  const client = (): PublicClient => createPublicClient({transport: http(rpcUrl())}) as PublicClient;

  it("prints the RPC, the deployment record and the operators' keys", () => {
    expect(out).toContain(rpcUrl());
    expect(out).toContain(path.join(records, "1.json"));
    expect(out).toMatch(/key 0x[0-9a-f]{64}/);
    expect(out).toContain("evm_increaseTime");
  });

  it("runs the home chain with the deployment its record names", async () => {
    expect(await client().getChainId()).toBe(1);
    const record = JSON.parse(readFileSync(path.join(records, "1.json"), "utf8")) as Record<string, unknown>;
    const keys = ["aid", "sAID", "minter", "gaib", "staking", "nodeRegistry", "telemetryOracle", "dealFactory"];
    for (const k of keys) {
      const a = record[k] as Address;
      expect(isAddress(a), k).toBe(true);
      expect((await client().getCode({address: a}))?.length ?? 0, `${k} has code`).toBeGreaterThan(2);
    }
  });

  it("funds each printed operator with GAIB and AID", async () => {
    const record = JSON.parse(readFileSync(path.join(records, "1.json"), "utf8")) as {gaib: Address; aid: Address};
    const operators = [...out.matchAll(/^ {2}(0x[0-9a-fA-F]{40}) {2}key 0x[0-9a-f]{64}/gm)].map((m) => m[1] as Address);
    expect(operators.length).toBe(3);
    for (const op of operators) {
      expect(await client().readContract({address: record.gaib, abi: gaibAbi, functionName: "balanceOf", args: [op]})).toBeGreaterThanOrEqual(DEFAULT_FUND);
      expect(await client().readContract({address: record.aid, abi: aidAbi, functionName: "balanceOf", args: [op]})).toBeGreaterThanOrEqual(DEFAULT_FUND);
    }
  });

  it("stops its Anvils on SIGINT and says so", async () => {
    expect(await portOpen(port)).toBe(true);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/SIGINT: stopping the local chains/);
    expect(out).toMatch(/^stopped/m);
    expect(await portOpen(port)).toBe(false);
  });
});
