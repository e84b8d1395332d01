import {createServer, type Server} from "node:http";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {createPublicClient, http, parseUnits, type Address, type Hex, type PrivateKeyAccount, type PublicClient} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, aidMinterAbi, gaibAbi, mockERC20Abi, mockPriceFeedAbi, nodeRegistryAbi, stakingVaultAbi, vetoSlasherAbi} from "../abi/generated.ts";
import {ANVIL_KEYS, anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {sendContract} from "../lib/tx.ts";
import {nodeIdOf, signTelemetry, telemetryDomain} from "../nodes/telemetry.ts";
import {reportToJson} from "./commands.ts";
import {fmtAid} from "./commands/common.ts";
import {when} from "./errors.ts";
import {runCli} from "./program.ts";

// The CLI's promises and the operator life cycle against one local deployment (00_DeployLocal): every refusal sends
// nothing (nonce and allowance unchanged) and says why; every lifecycle command does what it prints.
const NODE_KEYS: readonly Hex[] = [1, 2, 3, 4].map((i) => `0x30000000000000000000000000000000000000000000000000000000000000${i.toString(16).padStart(2, "0")}` as Hex);
const nodeKeys: PrivateKeyAccount[] = NODE_KEYS.map((k) => privateKeyToAccount(k));

describe("gaib CLI promises and operator life cycle", () => {
  let anvil: Anvil;
  let pub: PublicClient;
  let dir: string;
  let deploymentFile: string;
  let d: Record<string, Address>;
  const [admin, opA, staker, opB] = [anvilAccount(0), anvilAccount(1), anvilAccount(2), anvilAccount(3)];
  const keyOf = (a: PrivateKeyAccount) => ANVIL_KEYS[[admin, opA, staker, opB].indexOf(a)]!;
  const nodeId = (label: string): Hex => nodeIdOf(opA.address, `0x${Buffer.from(label).toString("hex").padEnd(64, "0")}`);

  async function gaib(args: readonly string[], opts: {as?: PrivateKeyAccount; deployment?: string; rpc?: string} = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const base = ["--rpc", opts.rpc ?? anvil.rpcUrl, "--deployment", opts.deployment ?? deploymentFile, ...(opts.as ? ["--key", keyOf(opts.as)] : [])];
    const r = await runCli([...base, ...args], {out: (l) => out.push(l), err: (l) => err.push(l), env: {}});
    return {...r, out: out.join("\n"), err: err.join("\n")};
  }
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    pub.readContract({address, abi, functionName, args} as never) as Promise<T>;
  const nonce = (a: PrivateKeyAccount) => pub.getTransactionCount({address: a.address});
  const allowance = (a: PrivateKeyAccount) => read<bigint>(d.gaib!, gaibAbi, "allowance", [a.address, d.stakingVault]);
  const now = async () => (await pub.getBlock()).timestamp;
  const epoch = () => read<bigint>(d.stakingVault!, stakingVaultAbi, "currentEpoch");
  /** Runs `fn` and asserts `who` sent nothing (nonce unchanged) and left no allowance behind. */
  async function sendsNothing(who: PrivateKeyAccount, fn: () => Promise<{code: number; err: string}>) {
    const [n0, a0] = [await nonce(who), await allowance(who)];
    const r = await fn();
    expect(r.code).toBe(1);
    expect([await nonce(who), await allowance(who)]).toEqual([n0, a0]);
    return r.err;
  }
  const file = (name: string, content: unknown) => {
    const f = path.join(dir, name);
    writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
    return f;
  };
  const reportArgs = (i: number, e: bigint, o: {revenue?: string; uptime?: string; gpus?: string; out?: string} = {}) => [
    "node", "report", "--node-id", nodeId(`n${i}`), "--node-key", NODE_KEYS[i]!, "--epoch", String(e), "--uptime-bps", o.uptime ?? "9900",
    "--utilisation-bps", "8000", "--gpus", o.gpus ?? "8", "--power-w", "5000", "--revenue", o.revenue ?? "10", "--out", o.out ?? path.join(dir, "reports"),
  ];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 1});
    pub = createPublicClient({transport: http(anvil.rpcUrl)}) as PublicClient;
    const local = await deployLocal(anvil.rpcUrl, 1);
    dir = mkdtempSync(path.join(tmpdir(), "gaib-life-"));
    d = local as unknown as Record<string, Address>;
    d.stakingVault = d.staking!;
    d.vetoSlasher = d.slasher!;
    deploymentFile = path.join(dir, "1.json");
    writeFileSync(deploymentFile, JSON.stringify(local));
    for (const [who, amount] of [[opA, "50000"], [opB, "15000"], [staker, "8000"]] as const) {
      const r = await sendContract(pub, anvil.rpcUrl, 1, admin, {address: d.gaib!, abi: gaibAbi, functionName: "transfer", args: [who.address, parseUnits(amount, 18)]});
      expect(r.status).toBe("success");
    }
  }, 900_000);
  afterAll(async () => {
    await anvil?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it("validate before send: operator register --commission 5000 sends nothing (no approve left behind) and names the limit", async () => {
    const err = await sendsNothing(opA, () => gaib(["operator", "register", "--commission", "5000", "--self-stake", "20000"], {as: opA}));
    expect(err).toBe("gaib: bad value: commission 5000 bps is above the vault's maximum MAX_COMMISSION_BPS = 2000 bps");
    expect(await allowance(opA)).toBe(0n);
  });

  it("opt-in: scheduled with its date; finalizing early says when; `time advance 1d` then finalizes", async () => {
    const r = await gaib(["operator", "register", "--commission", "500", "--self-stake", "20000", "--opt-in"], {as: opA});
    expect(r.err).toBe("");
    const delay = await read<bigint>(d.stakingVault!, stakingVaultAbi, "OPT_DELAY");
    const t = await now();
    expect(r.out).toContain(`opt-in scheduled, effective ${when(t + delay, t)}`);
    const st = await gaib(["status"], {as: opA});
    expect(st.out).toContain(`pending opt-in: effective ${when(t + delay, t)}`);
    const early = await sendsNothing(opA, () => gaib(["operator", "opt-in"], {as: opA}));
    expect(early).toMatch(/^gaib: not ready: the opt-in of 0x\w+ takes effect at \S+Z \(wait (1 day|23 hours \d+ min)\)/);
    expect((await gaib(["time", "advance", "1d"])).code).toBe(0);
    const fin = await gaib(["operator", "opt-in"], {as: opA});
    expect(fin.out).toBe(`operator ${opA.address} opted in to the node network`);
    expect((await gaib(["operator", "register", "--commission", "0", "--self-stake", "10000"], {as: opB})).code).toBe(0);
  });

  it("node register --file: malformed entries, duplicate ids and absurd values are refused up front naming file, entry and field", async () => {
    const ok = (i: number) => ({label: `n${i}`, signer: nodeKeys[i]!.address, units: 8, model: "H100"});
    const cases: [unknown, string][] = [
      ["", "not valid JSON (node batch: a JSON array of {label, signer, units, dealId?, model?, assetClass?}): empty file"],
      [[ok(0), {label: "n1", units: 8}], 'entry 1: field "signer" undefined is not a non-zero address'],
      [[ok(0), ok(1), ok(0)], "entry 2: field \"label\" repeats entry 0's label"],
      [[{...ok(0), units: 0}], 'entry 0: field "units" 0 is not a unit count from 1 to 100000'],
      [[{...ok(0), units: 5_000_000}], 'entry 0: field "units" 5000000 is not a unit count from 1 to 100000'],
      [[{...ok(0), assetClass: 7}], 'entry 0: field "assetClass" 7 is not a known asset class (1 = GPU cluster, 2 = robot fleet)'],
      [[{...ok(0), dealId: 99}], 'gaib: reverted: UnknownDeal(99): '],
    ];
    for (const [i, [content, msg]] of cases.entries()) {
      const f = file(`bad${i}.json`, content);
      const err = await sendsNothing(opA, () => gaib(["node", "register", "--file", f], {as: opA}));
      expect(err).toContain(msg);
      expect(err).toContain(f);
    }
  });

  it("node register --file: registerNodes batches; a re-run skips identical nodes (resume) and refuses changed ones", async () => {
    const spec = (i: number) => ({label: `n${i}`, signer: nodeKeys[i]!.address, units: 8, model: "H100"});
    // a half-finished batch: node n0 went through before
    expect((await gaib(["node", "register", "--label", "n0", "--signer", nodeKeys[0]!.address], {as: opA})).code).toBe(0);
    const f = file("nodes.json", [0, 1, 2].map(spec));
    const n0 = await nonce(opA);
    const r = await gaib(["node", "register", "--file", f], {as: opA});
    expect(r.err).toBe("");
    expect(r.result).toMatchObject({registered: 2, skipped: 1});
    expect(await nonce(opA)).toBe(n0 + 1); // n1 and n2 in one registerNodes transaction
    expect(r.out).toContain(`node ${nodeId("n0")}: already registered identically, skipped`);
    expect(await read<Address>(d.nodeRegistry!, nodeRegistryAbi, "signerOf", [nodeId("n2")])).toBe(nodeKeys[2]!.address);
    const again = await gaib(["node", "register", "--file", f], {as: opA});
    expect([again.code, await nonce(opA)]).toEqual([0, n0 + 1]);
    const changed = file("changed.json", [spec(0), {...spec(1), units: 16}]);
    const err = await sendsNothing(opA, () => gaib(["node", "register", "--file", changed], {as: opA}));
    expect(err).toBe(`gaib: reverted: NodeExists(${nodeId("n1")}): ${changed}: entry 1: node already registered with units 8, the input says 16`);
  });

  let reported: bigint;
  it("node report: implausible telemetry refused; a second, different report for a signed epoch refused; the same one re-signs", async () => {
    reported = (await epoch()) + 1n; // opA opted in before it starts
    expect((await gaib(["time", "advance", "3h"])).code).toBe(0);
    for (const [o, msg] of [
      [{uptime: "10001"}, "uptimeBps 10001 is above 10000 bps"],
      [{gpus: "9"}, "gpusOnline 9 is above the node's 8 registered units"],
      [{revenue: "1000"}, "revenue 1000 AID is above the most 8 GPUs of this model earn in 3600 s"],
    ] as const) {
      const r = await gaib(reportArgs(0, reported, o));
      expect(r.err).toContain(`gaib: implausible report: node ${nodeId("n0")}, epoch ${reported}: ${msg}`);
    }
    for (const i of [0, 1]) expect((await gaib(reportArgs(i, reported))).err).toBe("");
    const f = path.join(dir, "reports", String(reported), `${nodeId("n0")}.json`);
    const first = readFileSync(f, "utf8");
    const same = await gaib(reportArgs(0, reported));
    expect(same.out).toContain("(same report as signed before)");
    const other = await gaib(reportArgs(0, reported, {revenue: "11"}));
    expect(other.code).toBe(1);
    expect(other.err).toMatch(new RegExp(`^gaib: already signed: node ${nodeId("n0")} signed a different report for epoch ${reported} \\(`));
    expect(readFileSync(f, "utf8")).toBe(first);
  });

  it("attest: implausible reports are refused; a refused attestation leaves the accepted root's tree file untouched", async () => {
    const reports = path.join(dir, "reports");
    // a report signed outside the CLI with more GPUs than the node has
    const bogusDir = path.join(dir, "bogus");
    const t = {nodeId: nodeId("n2"), epoch: reported, uptimeBps: 9900, utilisationBps: 8000, gpusOnline: 12, powerW: 5000, revenue: parseUnits("1", 18)};
    const sig = await signTelemetry(nodeKeys[2]!, telemetryDomain(1, d.telemetryOracle!), t);
    mkdirSync(path.join(bogusDir, String(reported)), {recursive: true});
    writeFileSync(path.join(bogusDir, String(reported), `${t.nodeId}.json`), JSON.stringify(reportToJson(t, sig)));
    const bad = await gaib(["attest", String(reported), "--reports", bogusDir], {as: opA});
    expect(bad.err).toContain("gaib: implausible report: ");
    expect(bad.err).toContain("gpusOnline 12 is above the node's 8 registered units");

    const ok = await gaib(["attest", String(reported), "--reports", reports], {as: opA});
    expect(ok.err).toBe("");
    const treeFile = path.join(reports, `${reported}.tree.json`);
    const tree = readFileSync(treeFile, "utf8");
    // a third node's report arrives late; attesting again is refused and must not replace the accepted tree
    expect((await gaib(reportArgs(2, reported))).code).toBe(0);
    const again = await gaib(["attest", String(reported), "--reports", reports], {as: opA});
    expect(again.err).toBe(`gaib: reverted: AlreadyAttested(${reported}, ${opA.address})`);
    expect(readFileSync(treeFile, "utf8")).toBe(tree);
    expect(existsSync(`${treeFile}.${process.pid}.tmp`)).toBe(false);
  });

  it("delegate prints GAIB and the real completion (exposure end, ~8 days); complete, withdraw and claim follow their dates", async () => {
    expect((await gaib(["stake", opA.address, "5000"], {as: staker})).code).toBe(0);
    const r = await gaib(["delegate", opA.address, opB.address, "2000"], {as: staker});
    expect(r.err).toBe("");
    const id = (r.result as {id: bigint}).id;
    const exit = await read<{maturity: number}>(d.stakingVault!, stakingVaultAbi, "getExit", [id]);
    const t = await now();
    expect(r.out).toContain(`redelegation ${id} queued: 2000 GAIB from ${opA.address} to ${opB.address}; it completes at the exposure end ${when(exit.maturity, t)}`);
    expect(r.out).toMatch(/\(wait 8 days/);
    expect(r.out).not.toMatch(/one epoch|shares/);
    const early = await sendsNothing(staker, () => gaib(["complete", String(id)], {as: staker}));
    expect(early).toBe(`gaib: not ready: redelegation ${id} matures at ${when(exit.maturity, t)}`);

    const w = await gaib(["withdraw", opA.address, "1000"], {as: staker});
    expect(w.err).toBe("");
    const wid = (w.result as {id: bigint}).id;
    const st = await gaib(["status"], {as: staker});
    expect(st.out).toContain(`queued redelegation ${opA.address} -> ${opB.address} ${id}: 2000 GAIB`);
    expect(st.out).toContain(`queued withdrawal from ${opA.address} ${wid}: 1000 GAIB`);

    expect((await gaib(["time", "advance", "9d"])).code).toBe(0);
    const done = await gaib(["complete", "all"], {as: staker});
    expect(done.out).toContain(`redelegation ${id} completed: 2000 GAIB now staked with ${opB.address}`);
    expect(await read<bigint>(d.stakingVault!, stakingVaultAbi, "stakeOf", [staker.address, opB.address])).toBe(parseUnits("2000", 18));
    expect(await sendsNothing(staker, () => gaib(["claim", String(wid)], {as: staker}))).toMatch(new RegExp(`^gaib: not ready: withdrawal ${wid} matures at `));
    expect((await gaib(["time", "advance", "13d"])).code).toBe(0);
    const before = await read<bigint>(d.gaib!, gaibAbi, "balanceOf", [staker.address]);
    expect((await gaib(["claim", "all"], {as: staker})).out).toContain(`withdrawal ${wid} claimed: 1000 GAIB`);
    expect(await read<bigint>(d.gaib!, gaibAbi, "balanceOf", [staker.address])).toBe(before + parseUnits("1000", 18));
  });

  it("commission: set shows the effective time; too high refused; nothing to claim refused", async () => {
    const r = await gaib(["operator", "commission", "1000"], {as: opA});
    expect(r.err).toBe("");
    const [bps, at] = await read<readonly [bigint, bigint]>(d.stakingVault!, stakingVaultAbi, "pendingCommissionChange", [opA.address]);
    expect(bps).toBe(1000n);
    expect(r.out).toContain(`commission 500 -> 1000 bps, effective ${when(at, await now())}`);
    expect(await sendsNothing(opA, () => gaib(["operator", "commission", "2001"], {as: opA}))).toContain("MAX_COMMISSION_BPS = 2000");
    expect(await sendsNothing(opA, () => gaib(["operator", "claim-commission"], {as: opA}))).toContain("NothingToClaim()");
    expect(await sendsNothing(staker, () => gaib(["claim-rewards", opA.address], {as: staker}))).toContain("NothingToClaim()");
  });

  const aidOf = (a: PrivateKeyAccount) => read<bigint>(d.aid!, aidAbi, "balanceOf", [a.address]);
  /** The rewarder (the admin holds REWARDER_ROLE in 00_DeployLocal) gets `usdc` whole USDC worth of AID through the
   *  minter and streams it to `operator` with notifyReward. */
  async function notifyReward(operator: Address, usdc: bigint) {
    const tx = async (address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) =>
      expect((await sendContract(pub, anvil.rpcUrl, 1, admin, {address, abi, functionName, args} as never)).status).toBe("success");
    const role = await read<Hex>(d.minter!, aidMinterAbi, "WHITELISTED_ROLE");
    if (!(await read<boolean>(d.minter!, aidMinterAbi, "hasRole", [role, admin.address]))) await tx(d.minter!, aidMinterAbi, "grantRole", [role, admin.address]);
    await tx(d.usdcFeed!, mockPriceFeedAbi, "setAnswer", [100_000_000n]); // a local feed does not tick by itself
    const amountIn = usdc * 10n ** 6n;
    await tx(d.usdc!, mockERC20Abi, "mint", [admin.address, amountIn]);
    await tx(d.usdc!, mockERC20Abi, "approve", [d.minter, amountIn]);
    const a0 = await aidOf(admin);
    await tx(d.minter!, aidMinterAbi, "mint", [d.usdc, amountIn, 0n, admin.address]);
    const amount = (await aidOf(admin)) - a0;
    expect(amount).toBeGreaterThan(0n);
    await tx(d.aid!, aidAbi, "approve", [d.stakingVault, amount]);
    await tx(d.stakingVault!, stakingVaultAbi, "notifyReward", [operator, amount]);
    return amount;
  }

  it("claim-rewards and operator claim-commission: pay exactly what the vault says is claimable; a second claim sends nothing", async () => {
    const rewarder = await read<Hex>(d.stakingVault!, stakingVaultAbi, "REWARDER_ROLE");
    expect(await read<boolean>(d.stakingVault!, stakingVaultAbi, "hasRole", [rewarder, admin.address])).toBe(true);
    const notified = await notifyReward(opA.address, 700n);
    // past the whole stream: what is claimable no longer grows between the read and the claim
    const duration = await read<bigint>(d.stakingVault!, stakingVaultAbi, "REWARD_DURATION");
    expect((await gaib(["time", "advance", `${duration + 3600n}s`])).code).toBe(0);
    const pending = (who: PrivateKeyAccount) => read<bigint>(d.stakingVault!, stakingVaultAbi, "pendingRewards", [who.address, opA.address]);
    const [stakerDue, selfDue, commissionDue] = [await pending(staker), await pending(opA), await read<bigint>(d.stakingVault!, stakingVaultAbi, "pendingCommission", [opA.address])];
    expect(stakerDue).toBeGreaterThan(0n);
    expect(commissionDue).toBeGreaterThan(0n);
    expect(stakerDue + selfDue + commissionDue).toBeLessThanOrEqual(notified);

    const s0 = await aidOf(staker);
    const r = await gaib(["claim-rewards", opA.address], {as: staker});
    expect(r.err).toBe("");
    expect((r.result as {amount: bigint}).amount).toBe(stakerDue);
    expect(r.out).toContain(`claimed ${fmtAid(stakerDue)} rewards from operator ${opA.address}`);
    expect(await aidOf(staker)).toBe(s0 + stakerDue);
    expect(await pending(staker)).toBe(0n);
    expect(await sendsNothing(staker, () => gaib(["claim-rewards", opA.address], {as: staker}))).toContain("NothingToClaim()");
    expect(await aidOf(staker)).toBe(s0 + stakerDue);

    const o0 = await aidOf(opA);
    const c = await gaib(["operator", "claim-commission"], {as: opA});
    expect(c.err).toBe("");
    expect((c.result as {amount: bigint}).amount).toBe(commissionDue);
    expect(c.out).toContain(`claimed ${fmtAid(commissionDue)} commission`);
    expect(await aidOf(opA)).toBe(o0 + commissionDue);
    expect(await read<bigint>(d.stakingVault!, stakingVaultAbi, "pendingCommission", [opA.address])).toBe(0n);
    expect(await sendsNothing(opA, () => gaib(["operator", "claim-commission"], {as: opA}))).toContain("NothingToClaim()");
    expect(await aidOf(opA)).toBe(o0 + commissionDue);
    // the commission claim left the operator's own staking rewards where they were
    expect(await pending(opA)).toBe(selfDue);
  });

  it("node remove and rekey: the old id is deactivated, the new one carries the new signer", async () => {
    const r = await gaib(["node", "rekey", nodeId("n1"), "--label", "n1b", "--signer", nodeKeys[3]!.address], {as: opA});
    expect(r.err).toBe("");
    expect(await read<boolean>(d.nodeRegistry!, nodeRegistryAbi, "isActive", [nodeId("n1")])).toBe(false);
    expect(await read<Address>(d.nodeRegistry!, nodeRegistryAbi, "signerOf", [nodeId("n1b")])).toBe(nodeKeys[3]!.address);
    expect((await gaib(["node", "remove", nodeId("n2")], {as: opA})).code).toBe(0);
    expect(await read<boolean>(d.nodeRegistry!, nodeRegistryAbi, "isActive", [nodeId("n2")])).toBe(false);
    expect(await sendsNothing(opB, () => gaib(["node", "remove", nodeId("n0")], {as: opB}))).toContain(`NotNodeOperator(${nodeId("n0")}, ${opB.address})`);
  });

  it("slash list / execute: veto window shown, early execution refused, stake to a frozen operator sends nothing, status shows it", async () => {
    // node n0 signs two reports for the last epoch (the second with another journal: an equivocation the CLI refuses
    // with one journal)
    const last = (await epoch()) - 1n;
    expect((await gaib(reportArgs(0, last))).code).toBe(0);
    const b = await gaib(reportArgs(0, last, {revenue: "9", out: path.join(dir, "rogue")}));
    expect(b.code).toBe(0);
    const eq = await gaib(["equivocation", path.join(dir, "reports", String(last), `${nodeId("n0")}.json`), path.join(dir, "rogue", String(last), `${nodeId("n0")}.json`)], {as: staker});
    expect(eq.err).toBe("");
    const id = (eq.result as {requestId: bigint}).requestId;
    const req = await read<{vetoDeadline: number}>(d.vetoSlasher!, vetoSlasherAbi, "getRequest", [id]);
    const list = await gaib(["slash", "list", "--operator", opA.address]);
    expect(list.out).toContain(`slash request ${id}: operator ${opA.address}`);
    expect(list.out).toContain(`veto window open: executable at ${when(req.vetoDeadline, await now())}`);
    expect(await sendsNothing(staker, () => gaib(["slash", "execute", String(id)], {as: staker}))).toBe(
      `gaib: not ready: slash request ${id}'s veto window is open until ${when(req.vetoDeadline, await now())}`,
    );
    expect(await sendsNothing(staker, () => gaib(["stake", opA.address, "1"], {as: staker}))).toMatch(/^gaib: reverted: OperatorFrozen\(/);
    expect((await gaib(["status"], {as: opA})).out).toContain(`pending slash request ${id}:`);
    expect((await gaib(["time", "advance", "2d1h"])).code).toBe(0);
    const ex = await gaib(["slash", "execute", String(id)], {as: staker});
    expect(ex.err).toBe("");
    expect((ex.result as {slashed: bigint}).slashed).toBeGreaterThan(0n);
  });

  it("wrong chain: staking on a non-home record says it lives on the home chain; time advance refused on a non-local RPC", async () => {
    const remote = file("remote.json", {chainId: 1, home: false, gaib: d.gaib});
    const r = await gaib(["status"], {deployment: remote});
    expect(r.err).toBe(
      `gaib: wrong chain: staking, nodes and telemetry live on the home chain (ethereum, chain 1); the RPC at ${anvil.rpcUrl} is chain 1: point --rpc at the home chain`,
    );
    // an RPC that is chain 1 but no Anvil (a real node behind a local port): no clock control
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const {id, method} = JSON.parse(body) as {id: number; method: string};
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(method === "eth_chainId" ? {jsonrpc: "2.0", id, result: "0x1"} : {jsonrpc: "2.0", id, error: {code: -32601, message: "method not found"}}));
      });
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as {port: number}).port;
    const t = await gaib(["time", "advance", "1d"], {rpc: `http://127.0.0.1:${port}`});
    server.close();
    expect(t.err).toBe(`gaib: wrong chain: time advance works on a local Anvil chain only; the RPC at http://127.0.0.1:${port} (chain 1) is not one`);
  });

  it("opt-out: after opting in, `operator opt-out` schedules it with its date, status shows it, early finalizing sends nothing, then it finalizes", async () => {
    const isOptedIn = () => read<boolean>(d.stakingVault!, stakingVaultAbi, "isOptedIn", [opB.address]);
    const delay = await read<bigint>(d.stakingVault!, stakingVaultAbi, "OPT_DELAY");
    expect(await isOptedIn()).toBe(false);
    expect((await gaib(["operator", "opt-in"], {as: opB})).err).toBe("");
    expect((await gaib(["time", "advance", `${delay}s`])).code).toBe(0);
    expect((await gaib(["operator", "opt-in"], {as: opB})).out).toBe(`operator ${opB.address} opted in to the node network`);
    expect(await isOptedIn()).toBe(true);

    const r = await gaib(["operator", "opt-out"], {as: opB});
    expect(r.err).toBe("");
    const t = await now();
    const scheduled = (await pub.getContractEvents({address: d.stakingVault!, abi: stakingVaultAbi, eventName: "OptChangeScheduled", args: {operator: opB.address}, fromBlock: 0n})).at(-1);
    expect(scheduled?.args).toMatchObject({optIn: false, effectiveAt: t + delay});
    expect(r.out).toContain(`opt-out scheduled, effective ${when(t + delay, t)}`);
    expect(await isOptedIn()).toBe(true); // still opted in until finalized
    const st = await gaib(["status"], {as: opB});
    expect(st.out).toContain("opted in, active stake");
    expect(st.out).toContain(`pending opt-out: effective ${when(t + delay, t)}`);
    expect(await sendsNothing(opB, () => gaib(["operator", "opt-out"], {as: opB}))).toMatch(/^gaib: not ready: the opt-out of 0x\w+ takes effect at /);

    expect((await gaib(["time", "advance", `${delay}s`])).code).toBe(0);
    const fin = await gaib(["operator", "opt-out"], {as: opB});
    expect(fin.out).toBe(`operator ${opB.address} opted out of the node network`);
    expect(await isOptedIn()).toBe(false);
    const after = await gaib(["status"], {as: opB});
    expect(after.out).toContain("not opted in, active stake");
    expect(after.out).not.toContain("pending opt-out");
    // asking again is a no-op that sends nothing
    const n0 = await nonce(opB);
    expect((await gaib(["operator", "opt-out"], {as: opB})).out).toBe(`operator ${opB.address} is opted out`);
    expect(await nonce(opB)).toBe(n0);
  });
});
