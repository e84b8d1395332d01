import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {
  createPublicClient,
  createTestClient,
  http,
  parseUnits,
  stringToHex,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {foundry} from "viem/chains";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {gaibAbi, nodeRegistryAbi, stakingVaultAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {ANVIL_KEYS, anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {sendContract} from "../lib/tx.ts";
import {run} from "../lib/proc.ts";
import {attestation, buildEpochTree, nodeIdOf, toNodeSignature, type SignedLeaf} from "../nodes/telemetry.ts";
import {reportFromJson, type SignedReport} from "./commands.ts";
import {runCli} from "./program.ts";

// The operator CLI against a local chain deployed by the real 00_DeployLocal (AID and the GAIB stack: token, staking,
// slasher, node registry, telemetry oracle): every command succeeds on good input and each documented error comes out
// for its bad input.
const NODE_KEYS: readonly Hex[] = [
  "0x2000000000000000000000000000000000000000000000000000000000000001",
  "0x2000000000000000000000000000000000000000000000000000000000000002",
  "0x2000000000000000000000000000000000000000000000000000000000000003",
];
const nodeKeys: PrivateKeyAccount[] = NODE_KEYS.map((k) => privateKeyToAccount(k));
const label = (i: number): Hex => `0x${(0xa0 + i).toString(16).padStart(64, "0")}`;

describe("gaib operator CLI", () => {
  let anvil: Anvil;
  let pub: PublicClient;
  let dir: string;
  let deploymentFile: string;
  let d: Record<string, Address>;
  const [admin, op1, staker, op2] = [anvilAccount(0), anvilAccount(1), anvilAccount(2), anvilAccount(3)];
  const keyOf = (a: PrivateKeyAccount) => ANVIL_KEYS[[admin, op1, staker, op2].indexOf(a)]!;
  // node ids are namespaced by their operator: nodeIdOf(op1, label)
  const nodeId = (i: number): Hex => nodeIdOf(op1.address, label(i));

  /** Runs the CLI in-process with output captured and an empty environment (plus `env`). */
  async function gaib(args: readonly string[], opts: {as?: PrivateKeyAccount; env?: NodeJS.ProcessEnv} = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const base = ["--rpc", anvil.rpcUrl, "--deployment", deploymentFile, ...(opts.as ? ["--key", keyOf(opts.as)] : [])];
    const r = await runCli([...base, ...args], {out: (l) => out.push(l), err: (l) => err.push(l), env: opts.env ?? {}});
    return {...r, out: out.join("\n"), err: err.join("\n")};
  }
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    pub.readContract({address, abi, functionName, args} as never) as Promise<T>;
  async function write(account: PrivateKeyAccount, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) {
    const receipt = await sendContract(pub, anvil.rpcUrl, 1, account, {address, abi, functionName, args});
    expect(receipt.status).toBe("success");
  }
  async function warp(seconds: bigint) {
    const test = createTestClient({chain: {...foundry, id: 1}, transport: http(anvil.rpcUrl), mode: "anvil"});
    await test.increaseTime({seconds: Number(seconds)});
    await test.mine({blocks: 1});
  }
  async function warpToEpoch(e: bigint) {
    const start = await read<bigint>(d.stakingVault!, stakingVaultAbi, "epochStart", [e]);
    const now = (await pub.getBlock()).timestamp;
    if (start + 1n > now) await warp(start + 1n - now);
  }
  const leafOf = (file: string): SignedLeaf => {
    const {report, signature} = reportFromJson(JSON.parse(readFileSync(file, "utf8")) as SignedReport);
    return {report, sig: toNodeSignature(signature)};
  };
  const currentEpoch = () => read<bigint>(d.stakingVault!, stakingVaultAbi, "currentEpoch");
  const reportArgs = (i: number, epoch: bigint, revenue: string) => [
    "node", "report", "--node-id", nodeId(i), "--node-key", NODE_KEYS[i]!, "--epoch", String(epoch),
    "--uptime-bps", "9990", "--utilisation-bps", String(8000 - i), "--gpus", "8", "--power-w", String(5600 + i),
    "--revenue", revenue, "--out", path.join(dir, "reports"),
  ];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 1});
    pub = createPublicClient({transport: http(anvil.rpcUrl)}) as PublicClient;
    // the local deploy (00_DeployLocal) carries the whole GAIB stack: its record is what the CLI reads by default
    const local = await deployLocal(anvil.rpcUrl, 1);
    dir = mkdtempSync(path.join(tmpdir(), "gaib-cli-"));
    d = local as unknown as Record<string, Address>;
    d.stakingVault = d.staking!; // 00_DeployLocal's names; the CLI accepts both
    deploymentFile = path.join(dir, "1.json");
    writeFileSync(deploymentFile, JSON.stringify(local));
    // the treasury (admin) funds the operators and the staker
    for (const [who, amount] of [[op1, "50000"], [op2, "15000"], [staker, "8000"]] as const) {
      await write(admin, d.gaib!, gaibAbi, "transfer", [who.address, parseUnits(amount, 18)]);
    }
  }, 900_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  describe("refusals before anything is sent", () => {
    it("missing key: a signing command without --key or GAIB_KEY", async () => {
      const r = await gaib(["operator", "register", "--commission", "500", "--self-stake", "2000"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^gaib: missing key: pass --key <0x…> or set GAIB_KEY/);
      expect(await read<boolean>(d.stakingVault!, stakingVaultAbi, "isOperator", [op1.address])).toBe(false);
    });

    it("wrong chain: --chain differs from the RPC, or the deployment record is for another chain", async () => {
      const r = await gaib(["--chain", "arbitrum", "status"], {as: op1});
      expect(r.code).toBe(1);
      expect(r.err).toContain("gaib: wrong chain: the RPC at");
      expect(r.err).toContain("is chain 1, --chain arbitrum is chain 42161");
      const other = path.join(dir, "arbitrum.json");
      writeFileSync(other, JSON.stringify({...d, chainId: 42_161}));
      const errs: string[] = [];
      const r2 = await runCli(["--rpc", anvil.rpcUrl, "--deployment", other, "status"], {out: () => {}, err: (l) => errs.push(l), env: {}});
      expect(r2.code).toBe(1);
      expect(errs.join("\n")).toMatch(/^gaib: wrong chain: .* is chain 1, the deployment .*arbitrum\.json is for chain 42161$/);
    });

    it("insufficient stake: self-stake below the minimum, or more than the balance", async () => {
      const low = await gaib(["operator", "register", "--commission", "500", "--self-stake", "9999"], {as: op1});
      expect(low.code).toBe(1);
      expect(low.err).toBe("gaib: insufficient stake: self-stake 9999 GAIB is below the minimum 10000 GAIB");
      const poor = await gaib(["operator", "register", "--commission", "500", "--self-stake", "50001"], {as: op1});
      expect(poor.err).toBe(`gaib: insufficient stake: ${op1.address} holds 50000 GAIB, needs 50001 GAIB`);
    });
  });

  describe("operators, nodes, staking", () => {
    it("operator register (+ opt-in scheduled), then opt-in finalized after the delay", async () => {
      const r = await gaib(["operator", "register", "--commission", "500", "--self-stake", "20000", "--opt-in"], {as: op1});
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toContain(`operator ${op1.address} registered: commission 500 bps, self-stake 20000 GAIB`);
      expect(r.out).toContain("opt-in scheduled");
      expect(await read<boolean>(d.stakingVault!, stakingVaultAbi, "isOperator", [op1.address])).toBe(true);
      expect(await read<bigint>(d.stakingVault!, stakingVaultAbi, "stakeOf", [op1.address, op1.address])).toBe(parseUnits("20000", 18));

      const second = await gaib(["operator", "register", "--commission", "0", "--self-stake", "10000"], {as: op2});
      expect(second.code).toBe(0);

      await warp(await read<bigint>(d.stakingVault!, stakingVaultAbi, "OPT_DELAY"));
      const opt = await gaib(["operator", "opt-in"], {as: op1});
      expect(opt.code).toBe(0);
      expect(opt.out).toContain("opted in to the node network");
      expect(await read<boolean>(d.stakingVault!, stakingVaultAbi, "isOptedIn", [op1.address])).toBe(true);
    });

    it("node register: a batch from a file under the operator's labels; a second registration is refused", async () => {
      const file = path.join(dir, "nodes.json");
      const specs = nodeKeys.map((k, i) => ({label: label(i), signer: k.address, dealId: 0, model: "H100", units: 8}));
      writeFileSync(file, JSON.stringify(specs));
      const r = await gaib(["node", "register", "--file", file], {as: op1});
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.result).toEqual({nodeIds: [0, 1, 2].map(nodeId), registered: 3, skipped: 0});
      expect(await read<Hex>(d.nodeRegistry!, nodeRegistryAbi, "nodeIdOf", [op1.address, label(0)])).toBe(nodeId(0));
      expect(await read<Hex[]>(d.nodeRegistry!, nodeRegistryAbi, "nodesOfDeal", [0n])).toEqual([0, 1, 2].map(nodeId));
      // the same node again is skipped (a re-run resumes); the same label with another signer is refused
      const again = await gaib(["node", "register", "--label", label(0), "--signer", nodeKeys[0]!.address], {as: op1});
      expect(again.code).toBe(0);
      expect(again.out).toBe(`node ${nodeId(0)}: already registered identically, skipped`);
      const other = await gaib(["node", "register", "--label", label(0), "--signer", nodeKeys[1]!.address], {as: op1});
      expect(other.err).toBe(
        `gaib: reverted: NodeExists(${nodeId(0)}): options: node already registered with signer ${nodeKeys[0]!.address.toLowerCase()}, the input says ${nodeKeys[1]!.address.toLowerCase()}`,
      );
      // a deal id that does not exist is refused before anything is sent
      const unknownDeal = await gaib(["node", "register", "--label", "gpu-7", "--signer", nodeKeys[0]!.address, "--deal", "7"], {as: op1});
      expect(unknownDeal.err).toBe('gaib: reverted: UnknownDeal(7): options: field "dealId": no deal 7 in the DealFactory');
      const noDeal = await gaib(["node", "approve", "7", nodeId(0)], {as: staker});
      expect(noDeal.err).toBe("gaib: reverted: UnknownDeal(7)");
      const notOp = await gaib(["node", "register", "--label", "gpu-9", "--signer", nodeKeys[0]!.address], {as: staker});
      expect(notOp.err).toBe(`gaib: unknown operator ${staker.address}: not registered in StakingVault ${d.stakingVault}`);
    });

    it("stake: delegates GAIB to an operator; unknown operator and insufficient balance are refused", async () => {
      const r = await gaib(["stake", op1.address, "5000"], {as: staker});
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(await read<bigint>(d.stakingVault!, stakingVaultAbi, "stakeOf", [staker.address, op1.address])).toBe(parseUnits("5000", 18));
      const unknown = await gaib(["stake", staker.address, "1"], {as: staker});
      expect(unknown.err).toBe(`gaib: unknown operator ${staker.address}: not registered in StakingVault ${d.stakingVault}`);
      const poor = await gaib(["stake", op1.address, "3001"], {as: staker});
      expect(poor.err).toBe(`gaib: insufficient stake: ${staker.address} holds 3000 GAIB, needs 3001 GAIB`);
    });

    it("delegate: queues the move of stake to another operator; more than delegated is refused", async () => {
      const too = await gaib(["delegate", op1.address, op2.address, "5001"], {as: staker});
      expect(too.err).toBe(`gaib: insufficient stake: ${staker.address} has 5000 GAIB delegated to ${op1.address}, asked to move 5001 GAIB`);
      const r = await gaib(["delegate", op1.address, op2.address, "2000"], {as: staker});
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/redelegation \d+ queued/);
      expect(await read<bigint>(d.stakingVault!, stakingVaultAbi, "stakeOf", [staker.address, op1.address])).toBe(parseUnits("3000", 18));
    });
  });

  describe("telemetry: node reporter, attest, challenge", () => {
    let honest: bigint;

    it("node report: signs for a registered node with its key; unknown node, wrong key, missing key refused", async () => {
      honest = (await currentEpoch()) + 1n; // op1 opted in before it starts: weight
      await warpToEpoch(honest + 2n);
      for (const i of [0, 1, 2]) {
        const r = await gaib(reportArgs(i, honest, String(5 * (i + 1))));
        expect(r.err).toBe("");
        expect(r.out).toContain(`report for epoch ${honest} signed by ${nodeKeys[i]!.address}`);
      }
      const unknown = await gaib(["node", "report", "--node-id", nodeId(9), "--node-key", NODE_KEYS[0]!, "--out", dir]);
      expect(unknown.err).toBe(`gaib: unknown node ${nodeId(9)}: not registered in NodeRegistry ${d.nodeRegistry}`);
      const wrongKey = await gaib(["node", "report", "--node-id", nodeId(0), "--node-key", NODE_KEYS[1]!, "--out", dir]);
      expect(wrongKey.err).toBe(
        `gaib: not the node signer: key ${nodeKeys[1]!.address} does not sign for node ${nodeId(0)} (registered signer ${nodeKeys[0]!.address})`,
      );
      const noKey = await gaib(["node", "report", "--node-id", nodeId(0), "--out", dir]);
      expect(noKey.err).toBe("gaib: missing key: pass --node-key <0x…> or set GAIB_NODE_KEY");
      const viaEnv = await gaib(["node", "report", "--node-id", nodeId(0), "--epoch", String(honest), "--out", path.join(dir, "env")], {
        env: {GAIB_NODE_KEY: NODE_KEYS[0]!},
      });
      expect(viaEnv.code).toBe(0);
    });

    it("attest: the operator's root over the signed reports is accepted; no weight / not an operator refused", async () => {
      const noWeight = await gaib(["attest", String(honest), "--reports", path.join(dir, "reports")], {as: op2});
      expect(noWeight.err).toBe(
        `gaib: insufficient stake: operator ${op2.address} has no stake weight for epoch ${honest} (stake and opt in before the epoch starts)`,
      );
      const notOp = await gaib(["attest", String(honest), "--reports", path.join(dir, "reports")], {as: staker});
      expect(notOp.err).toContain(`gaib: unknown operator ${staker.address}`);

      const r = await gaib(["attest", String(honest), "--reports", path.join(dir, "reports")], {as: op1});
      expect(r.err).toBe("");
      const leaves = [0, 1, 2].map((i) => leafOf(path.join(dir, "reports", String(honest), `${nodeId(i)}.json`)));
      const expected = attestation(leaves);
      expect(r.result).toMatchObject({root: expected.root, nodeCount: 3, totalRevenue: parseUnits("30", 18), accepted: true});
      const root = await read<{root: Hex; status: number}>(d.telemetryOracle!, telemetryOracleAbi, "getEpochRoot", [honest]);
      expect([root.root, root.status]).toEqual([expected.root, 1]);
      const again = await gaib(["attest", String(honest), "--reports", path.join(dir, "reports")], {as: op1});
      expect(again.err).toBe(`gaib: reverted: AlreadyAttested(${honest}, ${op1.address})`);
    });

    it("challenge: a forged leaf rejects a lying root and requests a slash of its attester", async () => {
      const lying = honest + 1n;
      const reportsDir = path.join(dir, "reports");
      for (const i of [0, 1, 2]) expect((await gaib(reportArgs(i, lying, String(5 * (i + 1))))).code).toBe(0);
      const truth = [0, 1, 2].map((i) => leafOf(path.join(reportsDir, String(lying), `${nodeId(i)}.json`)));
      // a dishonest operator's own tooling inflates node 2's revenue under its real signature and attests that root
      const lie = truth.map((l, i) => (i === 2 ? {report: {...l.report, revenue: l.report.revenue * 10n}, sig: l.sig} : l));
      const tree = buildEpochTree(lie);
      const a = attestation(lie);
      await write(op1, d.telemetryOracle!, telemetryOracleAbi, "attest", [a.epoch, a.root, a.nodeCount, a.totalRevenue]);
      const treeFile = path.join(dir, "lying.tree.json");
      writeFileSync(treeFile, JSON.stringify(tree.dump(), (_k, v) => (typeof v === "bigint" ? v.toString() : v)));

      const wrongTree = await gaib(["challenge", String(lying), "--tree", path.join(reportsDir, `${honest}.tree.json`)], {as: staker});
      expect(wrongTree.err).toMatch(/is not epoch \d+'s accepted root/);
      const notForged = await gaib(["challenge", String(lying), "--tree", treeFile, "--node", nodeId(0)], {as: staker});
      expect(notForged.err).toBe(`gaib: reverted: NotForged(${nodeId(0)})`);

      const r = await gaib(["challenge", String(lying), "--tree", treeFile], {as: staker});
      expect(r.err).toBe("");
      expect(r.result).toMatchObject({nodeId: nodeId(2), round: 0n, slashRequests: 1n, attesters: [op1.address]});
      expect((r.result as {requestIds: bigint[]}).requestIds[0]).toBeGreaterThan(0n);
      expect(r.out).toContain(`attester ${op1.address}: slash request`);
      expect((await read<{status: number}>(d.telemetryOracle!, telemetryOracleAbi, "getEpochRoot", [lying])).status).toBe(2);
      expect(await read<boolean>(d.telemetryOracle!, telemetryOracleAbi, "attesterSlashRequested", [lying, 0n, op1.address])).toBe(true);
      const twice = await gaib(["challenge", String(lying), "--tree", treeFile], {as: staker});
      expect(twice.err).toBe(`gaib: reverted: RootNotAccepted(${lying})`);
    });

    it("equivocation: two signed reports of one node for one epoch exclude the node; the honest root stands", async () => {
      // node 0 signed a second, different report for the honest epoch (the GAIB_NODE_KEY run above)
      const a = path.join(dir, "reports", String(honest), `${nodeId(0)}.json`);
      const b = path.join(dir, "env", String(honest), `${nodeId(0)}.json`);
      const r = await gaib(["equivocation", a, b], {as: staker});
      expect(r.err).toBe("");
      expect(r.result).toMatchObject({nodeId: nodeId(0), operator: op1.address});
      expect((r.result as {requestId: bigint}).requestId).toBeGreaterThan(0n);
      expect(await read<readonly [boolean, bigint]>(d.telemetryOracle!, telemetryOracleAbi, "exclusionOf", [nodeId(0)])).toEqual([true, honest]);
      expect((await read<{status: number}>(d.telemetryOracle!, telemetryOracleAbi, "getEpochRoot", [honest])).status).toBe(1);
      const same = await gaib(["equivocation", a, a], {as: staker});
      expect(same.err).toBe("gaib: reverted: NoConflict()");
      const again = await gaib(["equivocation", a, b], {as: staker});
      expect(again.err).toBe(`gaib: reverted: NodeAlreadyExcluded(${nodeId(0)})`);
    });
  });

  describe("status and the executable", () => {
    it("status shows the account, its operator record, a stake and a node; an unknown node is refused", async () => {
      const r = await gaib(["status", "--operator", op1.address, "--node", nodeId(1)], {as: staker});
      expect(r.code).toBe(0);
      expect(r.out).toContain(`account ${staker.address}: 3000 GAIB`);
      expect(r.out).toContain(`stake with ${op1.address}: 3000 GAIB`);
      expect(r.out).toContain(`node ${nodeId(1)}: operator ${op1.address}, deal 0, 8 units, active`);
      const op = await gaib(["status", "--address", op1.address]);
      expect(op.out).toMatch(/operator: commission 500 bps, opted in, active stake 23000 GAIB/);
      const unknown = await gaib(["status", "--node", nodeId(9)]);
      expect(unknown.err).toBe(`gaib: unknown node ${nodeId(9)}: not registered in NodeRegistry ${d.nodeRegistry}`);
    });

    it("bin/gaib runs the CLI as a process: exit 0 on success, 1 with the message on stderr", async () => {
      const base = ["--rpc", anvil.rpcUrl, "--deployment", deploymentFile];
      const ok = await run(path.join(repoRoot, "bin", "gaib"), [...base, "status", "--address", op1.address], {env: {...process.env, GAIB_KEY: ""}});
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("operator: commission 500 bps");
      const bad = await run(path.join(repoRoot, "bin", "gaib"), [...base, "stake", op1.address, "1"], {env: {...process.env, GAIB_KEY: ""}});
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim()).toBe("gaib: missing key: pass --key <0x…> or set GAIB_KEY");
    });
  });
});
