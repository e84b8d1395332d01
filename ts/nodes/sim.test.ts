import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {createPublicClient, http, type Address, type Hex} from "viem";
import {privateKeyToAddress} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {stakingVaultAbi, telemetryOracleAbi, vetoSlasherAbi} from "../abi/generated.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalDeployment} from "../lib/deployments.ts";
import {CSV_HEADER, domainSeparator, fastDigest, makeNodes, operatorKey, plausible, prng, runNodeSim, telemetryOf, type SimSummary} from "./sim.ts";
import {leafFromValue, leafValue, nodeIdOf, proofOf, telemetryDigest, telemetryDomain} from "./telemetry.ts";

const NODES = 50;
const EPOCHS = 3;
const LIE_AT = 1;

describe("node simulation (pure parts)", () => {
  it("derives keys deterministically and hashes reports exactly like EIP-712", () => {
    const a = makeNodes(5, 2, 3, "s");
    const b = makeNodes(5, 2, 3, "s");
    expect(a.map((n) => n.signer)).toEqual(b.map((n) => n.signer));
    expect(new Set(a.map((n) => n.nodeId)).size).toBe(5);
    // ids are the registry's nodeIdOf(operator, label); no deal unless asked
    expect(a[3]!.nodeId).toBe(nodeIdOf(privateKeyToAddress(operatorKey("s", 1)), a[3]!.label));
    expect(makeNodes(2, 2, 0, "s").map((n) => n.dealId)).toEqual([0n, 0n]);
    expect(makeNodes(1, 2, 3, "other")[0]!.signer).not.toBe(a[0]!.signer);
    const oracle = "0x00000000000000000000000000000000000000aa" as Address;
    const t = telemetryOf(a[0]!, 7n, prng(1));
    expect(fastDigest(domainSeparator(31337, oracle), t)).toBe(telemetryDigest(telemetryDomain(31337, oracle), t));
  });

  it("honest reports pass the operators' check, the lying node's do not", () => {
    const rand = prng(2);
    for (const n of makeNodes(20, 2, 3, "s")) {
      expect(plausible(n, telemetryOf(n, 1n, rand))).toBe(true);
      expect(plausible(n, telemetryOf(n, 1n, rand, true))).toBe(false);
    }
  });
});

// 50 nodes, 3 epochs on a fresh Anvil with the real local deploy script: honest roots are accepted and verify
// on-chain; in epoch LIE_AT the lying operator (70% of the stake) gets a root with a forged leaf accepted alone, the
// challenger proves the leaf no node signed, requests the attester's slash, and the slash executes after the veto window.
describe("node simulation on a local chain", () => {
  let anvil: Anvil;
  let d: LocalDeployment;
  let s: SimSummary;
  let dir: string;
  const client = () => createPublicClient({transport: http(anvil.rpcUrl)});

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 51_337 + Number(process.env.VITEST_POOL_ID ?? 0)});
    d = await deployLocal(anvil.rpcUrl, anvil.chainId);
    dir = mkdtempSync(path.join(tmpdir(), "gaib-sim-"));
    s = await runNodeSim(anvil.rpcUrl, d, {nodes: NODES, epochs: EPOCHS, lieAtEpoch: LIE_AT, operators: 3, csvPath: path.join(dir, "sim.csv"), keepTrees: true, progress: false});
  }, 600_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it("every node reports or is offline; the lying node's reports are dropped", () => {
    expect(s.epochs).toHaveLength(EPOCHS);
    for (const m of s.epochs) expect(m.reports + m.offline).toBe(NODES);
    const rejected = s.epochs.reduce((a, m) => a + m.rejectedReports, 0);
    expect(rejected).toBeGreaterThanOrEqual(1);
    for (const m of s.epochs) expect(m.rejectedReports).toBeLessThanOrEqual(1);
  });

  it("honest roots are accepted on-chain and their leaves verify", async () => {
    const c = client();
    for (const [k, m] of s.epochs.entries()) {
      const r = (await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "getEpochRoot", args: [m.epoch]})) as {root: Hex; status: number};
      expect(m.accepted).toBe(true);
      if (k === LIE_AT) continue;
      expect(r.status).toBe(1); // Accepted
      expect(r.root).toBe(m.honestRoot);
      const tree = s.trees![k]!;
      const [, leaf] = [...tree.entries()][Math.floor(tree.length / 2)]!;
      const l = leafFromValue(leaf);
      expect(leafValue(l)).toEqual(leaf);
      const ok = await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "verifyLeaf", args: [r.root, l.report, l.sig, proofOf(tree, l.report.nodeId)]});
      expect(ok).toBe(true);
      expect(await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "isNodeSigned", args: [m.epoch, l.report, l.sig]})).toBe(true);
    }
  });

  it("the root with a forged leaf is rejected and its attester slashed; only the liar is slashed", async () => {
    const c = client();
    const m = s.epochs[LIE_AT]!;
    expect(m.forged).toBe(true);
    expect(m.challenged).toBe(true);
    expect(m.root).not.toBe(m.honestRoot);
    const r = (await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "getEpochRoot", args: [m.epoch]})) as {status: number; round: number};
    expect(r.status).toBe(2); // Rejected
    expect(r.round).toBe(1); // a new round is open for re-attestation
    expect(s.equivocations).toEqual([]);
    expect(s.slashRequests).toHaveLength(1);
    const liar = s.operators.find((o) => o.liar)!;
    const req = (await c.readContract({address: d.slasher, abi: vetoSlasherAbi, functionName: "getRequest", args: [s.slashRequests[0]!]})) as {operator: Address; requested: bigint; status: number};
    expect(req.operator).toBe(liar.address);
    const weight = (await c.readContract({address: d.staking, abi: stakingVaultAbi, functionName: "operatorWeightForEpoch", args: [liar.address, m.epoch]})) as bigint;
    const bps = (await c.readContract({address: d.telemetryOracle, abi: telemetryOracleAbi, functionName: "challengeSlashBps"})) as bigint;
    expect(req.requested).toBe((weight * bps) / 10_000n);
    expect(s.slashed).toBe(req.requested);
    expect(liar.stakeAfter).toBe(liar.stakeBefore - s.slashed);
    for (const o of s.operators.filter((x) => !x.liar)) expect(o.stakeAfter).toBe(o.stakeBefore);
    expect(s.attesterSlashGas).toBeGreaterThan(0n);
    for (const [k, e] of s.epochs.entries()) if (k !== LIE_AT) expect(e.challenged).toBe(false);
  });

  it("writes the per-epoch CSV", () => {
    expect(existsSync(s.csvPath!)).toBe(true);
    const lines = readFileSync(s.csvPath!, "utf8").trim().split("\n");
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(EPOCHS + 1);
    expect(lines[1 + LIE_AT]!.split(",")[7]).toBe("true"); // challenged
  });
});
