import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {createPublicClient, hexToString, http, parseUnits, recoverTypedDataAddress, type Address, type Hex, type PrivateKeyAccount, type PublicClient} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {gaibAbi, nodeRegistryAbi, telemetryOracleAbi, stakingVaultAbi} from "../abi/generated.ts";
import {ANVIL_KEYS, anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {sendContract} from "../lib/tx.ts";
import {ROBOT_ASSET_CLASS, ROBOT_MODELS, robotModelOf, robotView} from "../nodes/robot.ts";
import {TELEMETRY_TYPES, nodeIdOf, signTelemetry, telemetryDomain} from "../nodes/telemetry.ts";
import {reportFromJson, reportToJson, type SignedReport} from "./commands.ts";
import {runCli} from "./program.ts";

// The operator CLI for robot fleets (issue 17) against the real local deployment: `node register --asset-class robot`
// (options and the --file batch format), `node report --robots` for a robot node and `attest` of robot reports, each
// checked against the robot model's plausibility bounds; every refusal sends nothing and writes nothing.
const NODE_KEYS: readonly Hex[] = [1, 2, 3].map((i) => `0x40000000000000000000000000000000000000000000000000000000000000${i.toString(16).padStart(2, "0")}` as Hex);
const nodeKeys: PrivateKeyAccount[] = NODE_KEYS.map((k) => privateKeyToAccount(k));

describe("gaib CLI for robot fleets", () => {
  let anvil: Anvil;
  let pub: PublicClient;
  let dir: string;
  let deploymentFile: string;
  let d: Record<string, Address>;
  const [admin, op] = [anvilAccount(0), anvilAccount(1)];
  const nodeId = (label: string): Hex => nodeIdOf(op.address, `0x${Buffer.from(label).toString("hex").padEnd(64, "0")}`);

  async function gaib(args: readonly string[], as?: PrivateKeyAccount) {
    const out: string[] = [];
    const err: string[] = [];
    const base = ["--rpc", anvil.rpcUrl, "--deployment", deploymentFile, ...(as ? ["--key", ANVIL_KEYS[as === admin ? 0 : 1]!] : [])];
    const r = await runCli([...base, ...args], {out: (l) => out.push(l), err: (l) => err.push(l), env: {}});
    return {...r, out: out.join("\n"), err: err.join("\n")};
  }
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    pub.readContract({address, abi, functionName, args} as never) as Promise<T>;
  const nonce = () => pub.getTransactionCount({address: op.address});
  /** Runs `fn`, asserts it failed and the operator sent nothing; returns the error text. */
  async function sendsNothing(fn: () => Promise<{code: number; err: string}>) {
    const n0 = await nonce();
    const r = await fn();
    expect(r.code).toBe(1);
    expect(await nonce()).toBe(n0);
    return r.err;
  }
  const node = (id: Hex) => read<{assetClass: number; unitCount: number; model: Hex; signer: Address; operator: Address}>(d.nodeRegistry!, nodeRegistryAbi, "getNode", [id]);
  const file = (name: string, content: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, JSON.stringify(content));
    return f;
  };
  const reports = () => path.join(dir, "reports");
  const robotReport = (e: bigint, o: {robots?: string; revenue?: string; power?: string; label?: string; key?: number; gpus?: string} = {}) => [
    "node", "report", "--node-id", nodeId(o.label ?? "amr-site"), "--node-key", NODE_KEYS[o.key ?? 0]!, "--epoch", String(e),
    "--uptime-bps", "9900", "--utilisation-bps", "8000", ...(o.gpus ? ["--gpus", o.gpus] : ["--robots", o.robots ?? "38"]),
    "--power-w", o.power ?? "6200", "--revenue", o.revenue ?? "90", "--out", reports(),
  ];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 1});
    pub = createPublicClient({transport: http(anvil.rpcUrl)}) as PublicClient;
    const local = await deployLocal(anvil.rpcUrl, 1);
    dir = mkdtempSync(path.join(tmpdir(), "gaib-robot-"));
    d = local as unknown as Record<string, Address>;
    d.stakingVault = d.staking!;
    deploymentFile = path.join(dir, "1.json");
    writeFileSync(deploymentFile, JSON.stringify(local));
    const r = await sendContract(pub, anvil.rpcUrl, 1, admin, {address: d.gaib!, abi: gaibAbi, functionName: "transfer", args: [op.address, parseUnits("50000", 18)]});
    expect(r.status).toBe("success");
    expect((await gaib(["operator", "register", "--commission", "500", "--self-stake", "20000", "--opt-in"], op)).code).toBe(0);
    expect((await gaib(["time", "advance", "1d"])).code).toBe(0);
    expect((await gaib(["operator", "opt-in"], op)).code).toBe(0);
  }, 900_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it("node register --asset-class robot: refused without a model or with an unknown class, sending nothing", async () => {
    const noModel = await sendsNothing(() => gaib(["node", "register", "--label", "amr-site", "--signer", nodeKeys[0]!.address, "--asset-class", "robot", "--units", "40"], op));
    expect(noModel).toBe(`gaib: bad file: options: field "model" is required for a robot fleet (${ROBOT_MODELS.map((m) => `"${m.name}"`).join(", ")}, or any name of at most 31 characters)`);
    const badClass = await sendsNothing(() => gaib(["node", "register", "--label", "amr-site", "--signer", nodeKeys[0]!.address, "--asset-class", "android", "--model", "Warehouse AMR"], op));
    expect(badClass).toBe('gaib: bad file: options: field "assetClass" "android" is not a known asset class (1 = GPU cluster, 2 = robot fleet)');
    const f = file("robots-bad.json", [{label: "a", signer: nodeKeys[1]!.address, units: 20, model: "Sidewalk delivery robot", assetClass: "robot"}, {label: "b", signer: nodeKeys[2]!.address, units: 10, assetClass: "robot"}]);
    const batch = await sendsNothing(() => gaib(["node", "register", "--file", f], op));
    expect(batch).toContain(`${f}: entry 1: field "model" is required for a robot fleet`);
    expect((await node(nodeId("amr-site"))).operator).toBe("0x0000000000000000000000000000000000000000");
  });

  it("node register --asset-class robot and a --file batch mixing robot and GPU nodes: registered with class, model and robot count", async () => {
    const one = await gaib(["node", "register", "--label", "amr-site", "--signer", nodeKeys[0]!.address, "--asset-class", "robot", "--model", "Warehouse AMR", "--units", "40"], op);
    expect(one.err).toBe("");
    expect(one.out).toContain(`node ${nodeId("amr-site")} (label `);
    expect(one.out).toContain("40 robots)");
    const amr = await node(nodeId("amr-site"));
    expect([amr.assetClass, amr.unitCount, hexToString(amr.model, {size: 32}).replace(/\0+$/, ""), amr.signer]).toEqual([ROBOT_ASSET_CLASS, 40, "Warehouse AMR", nodeKeys[0]!.address]);

    const f = file("mixed.json", [
      {label: "delivery-site", signer: nodeKeys[1]!.address, units: 20, model: "Sidewalk delivery robot", assetClass: "robot"},
      {label: "gpu-rack", signer: nodeKeys[2]!.address, units: 8, model: "H100", assetClass: 1},
    ]);
    const n0 = await nonce();
    const batch = await gaib(["node", "register", "--file", f], op);
    expect(batch.err).toBe("");
    expect(await nonce()).toBe(n0 + 1); // one registerNodes transaction
    expect([(await node(nodeId("delivery-site"))).assetClass, (await node(nodeId("delivery-site"))).unitCount]).toEqual([ROBOT_ASSET_CLASS, 20]);
    expect((await node(nodeId("gpu-rack"))).assetClass).toBe(1);
    const st = await gaib(["status", "--node", nodeId("amr-site")], op);
    expect(st.out).toContain(`node ${nodeId("amr-site")}: operator ${op.address}, deal 0, 40 units, active, robot fleet "Warehouse AMR"`);
  });

  let reported: bigint;
  it("node report for a robot fleet: implausible robot telemetry and --robots on a GPU node refused, nothing written", async () => {
    reported = (await read<bigint>(d.stakingVault!, stakingVaultAbi, "currentEpoch")) + 1n; // opted in before it starts
    expect((await gaib(["time", "advance", "3h"])).code).toBe(0);
    const where = `gaib: implausible report: node ${nodeId("amr-site")}, epoch ${reported}: `;
    // 40 AMRs bill at most 40 × 3 AID × 0.8 × 0.99 = 95.04 AID in a one-hour epoch at 80% utilisation, 99% uptime
    for (const [o, msg] of [
      [{robots: "41"}, "robots online (gpusOnline) 41 is above the fleet's 40 registered robots"],
      [{power: "16001"}, "powerW 16001 is above 2 × the 40 robots' working draw (16000 W)"],
      [{revenue: "95.05"}, 'revenue 95050000000000000000 wei AID is above the most 40 robots of model "Warehouse AMR" earn in 3600 s'],
    ] as const) {
      const r = await gaib(robotReport(reported, o));
      expect(r.code).toBe(1);
      expect(r.err).toContain(where + msg);
    }
    const gpu = await gaib(robotReport(reported, {label: "gpu-rack", key: 2}));
    expect(gpu.err).toBe(`gaib: bad value: --robots is for robot fleets; node ${nodeId("gpu-rack")} is a GPU cluster node (use --gpus)`);
    expect(existsSync(path.join(reports(), String(reported)))).toBe(false);
    expect(existsSync(path.join(reports(), "signed-reports.jsonl"))).toBe(false);
  });

  it("node report --robots: the fleet's key signs the report; robots online, tasks and energy read back from it", async () => {
    const r = await gaib(robotReport(reported, {revenue: "95.04"}));
    expect(r.err).toBe("");
    const f = path.join(reports(), String(reported), `${nodeId("amr-site")}.json`);
    const {report, signature} = reportFromJson(JSON.parse(readFileSync(f, "utf8")) as SignedReport);
    expect(report).toMatchObject({gpusOnline: 38, uptimeBps: 9900, utilisationBps: 8000, powerW: 6200, revenue: parseUnits("95.04", 18)});
    const signer = await recoverTypedDataAddress({domain: telemetryDomain(1, d.telemetryOracle!), types: TELEMETRY_TYPES, primaryType: "Telemetry", message: report, signature});
    expect(signer).toBe(nodeKeys[0]!.address);
    const v = robotView(report, robotModelOf("Warehouse AMR"));
    expect(v.robotsOnline).toBe(38);
    expect(v.tasksCompleted).toBe(Math.floor(38 * 0.99 * 0.8 * 80)); // picks
    expect(v.energyWh).toBe(6200);
    // the GPU node of the same operator reports GPUs as before
    expect((await gaib(robotReport(reported, {label: "gpu-rack", key: 2, gpus: "8", revenue: "10", power: "5000"}))).err).toBe("");
  });

  it("attest: a robot report above the fleet's robots is refused; the plausible robot and GPU reports are attested", async () => {
    const bogusDir = path.join(dir, "bogus");
    const t = {nodeId: nodeId("delivery-site"), epoch: reported, uptimeBps: 9900, utilisationBps: 8000, gpusOnline: 21, powerW: 4000, revenue: parseUnits("1", 18)};
    const sig = await signTelemetry(nodeKeys[1]!, telemetryDomain(1, d.telemetryOracle!), t);
    mkdirSync(path.join(bogusDir, String(reported)), {recursive: true});
    writeFileSync(path.join(bogusDir, String(reported), `${t.nodeId}.json`), JSON.stringify(reportToJson(t, sig)));
    const bad = await sendsNothing(() => gaib(["attest", String(reported), "--reports", bogusDir], op));
    expect(bad).toContain("gaib: implausible report: ");
    expect(bad).toContain("robots online (gpusOnline) 21 is above the fleet's 20 registered robots");

    const ok = await gaib(["attest", String(reported), "--reports", reports()], op);
    expect(ok.err).toBe("");
    expect(ok.result).toMatchObject({nodeCount: 2, totalRevenue: parseUnits("105.04", 18)});
    const root = await read<{root: Hex; nodeCount: bigint}>(d.telemetryOracle!, telemetryOracleAbi, "getEpochRoot", [reported]);
    expect(root.root).toBe((ok.result as {root: Hex}).root);
  });
});
