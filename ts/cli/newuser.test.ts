import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {createPublicClient, http, type Address, type Hex, type PublicClient} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {repoRoot} from "../lib/paths.ts";
import {devAccount} from "../local/network.ts";
import {startLocalProcess, type LocalProcess} from "../local/harness.ts";
import {nodeIdOf} from "../nodes/telemetry.ts";
import {runCli} from "./program.ts";

// A new user with README only: `npm run local -- --chain home` (the entry in its own process), then every `bin/gaib`
// command README lists, taken from README itself (the "Local network" and "Operator CLI" blocks, placeholders such
// as 0xOperator filled in), each on its happy path where a fresh local network allows one and with one bad input
// (bad address, bad amount, unknown node id, wrong file): exit codes, one plain `gaib: ` line (no stack, no library
// banner), and nothing sent on every refusal (the signer's nonce unchanged).

/** The `bin/gaib` commands (and `export` lines) of README's fenced bash blocks under `heading`, comments dropped, `a && b`
 *  split. */
function readmeCommands(readme: string, heading: string): string[] {
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no "${heading}" section`);
  const section = readme.slice(at + 1).split(/\n## /)[0]!;
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .join("\n")
    .replace(/\\\n\s*/g, "") // a line continued with a backslash is one command
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .flatMap((l) => l.split(" && "))
    .map((l) => l.trim())
    .filter((l) => /^(export |([A-Z_]+=\S+ )*bin\/gaib )/.test(l));
}

/** The command words of a README line: "node register", "attest", "stake"… */
function commandOf(line: string): string {
  const words = line.replace(/^([A-Z_]+=\S+ )*bin\/gaib /, "").split(" ");
  return ["operator", "node", "slash", "time"].includes(words[0]!) ? `${words[0]} ${words[1]}` : words[0]!;
}

describe("new-user pass: npm run local, then every CLI command README lists", () => {
  let local: LocalProcess;
  let pub: PublicClient;
  let cwd: string;
  const oldCwd = process.cwd();
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const lines = [...readmeCommands(readme, "## Local network: `npm run local`"), ...readmeCommands(readme, "## Operator CLI")];
  const done = new Set<string>();
  // anvil dev accounts 1..3 are the operators `npm run local` funds: the README's GAIB_KEY (1), a second operator (2),
  // a staker (3)
  const [op1, op2, staker] = [devAccount(1), devAccount(2), devAccount(3)];
  const nodeKeys: Hex[] = [1, 2, 3, 4, 5].map((i) => `0x${(0x3000 + i).toString(16).padStart(64, "0")}` as Hex);
  const signer = (i: number) => privateKeyToAccount(nodeKeys[i]!).address;
  const nodeOf = (label: string) => nodeIdOf(op1.address, `0x${Buffer.from(label).toString("hex").padEnd(64, "0")}` as Hex);
  const S: {env: NodeJS.ProcessEnv; node: Hex; epoch: bigint; slashId: bigint; reportA: string; reportB: string} = {
    env: {},
    node: "0x",
    epoch: 0n,
    slashId: 0n,
    reportA: "",
    reportB: "",
  };

  /** The README line for `command` whose text matches `filter`, with its placeholders filled in. */
  function readmeLine(command: string, filter: RegExp = /./): {argv: string[]; env: NodeJS.ProcessEnv} {
    const line = lines.find((l) => commandOf(l) === command && filter.test(l));
    if (!line) throw new Error(`README lists no "${command}" matching ${filter}`);
    done.add(command);
    const env: NodeJS.ProcessEnv = {};
    let words = [...line.replace(/[[\]]/g, "").matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!); // "a b" is one word
    while (/^[A-Z_]+=/.test(words[0]!)) {
      const [k, v] = words.shift()!.split("=") as [string, string];
      env[k] = k === "GAIB_NODE_KEY" ? nodeKeys[0] : v;
    }
    words = words.slice(1); // bin/gaib
    const fill: Record<string, string> = {
      "0xNodeId…": S.node,
      "0xOperator": op1.address,
      "0xFrom": op1.address,
      "0xTo": op2.address,
      "0xNewKey": signer(2),
      "0xKey": signer(4),
      "0xRobotNode…": nodeOf("amr-1"),
      "0x…": op1.address,
      "41": String(S.epoch),
      "41.tree.json": path.join("reports", `${S.epoch}.tree.json`),
      "a.json": S.reportA,
      "b.json": S.reportB,
    };
    if (command === "slash execute") fill["3"] = String(S.slashId);
    return {argv: words.map((w, i) => (w === "0x…" && words[i - 1] === "--node" ? S.node : (fill[w] ?? w))), env};
  }

  /** Runs the CLI in-process (cwd: a fresh folder) with the README's environment plus `env`. */
  async function gaib(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const r = await runCli(argv, {out: (l) => out.push(l), err: (l) => err.push(l), env: {...S.env, ...env}});
    return {...r, out: out.join("\n"), err: err.join("\n")};
  }
  const signerOf = (env: NodeJS.ProcessEnv) => privateKeyToAccount((env.GAIB_KEY ?? S.env.GAIB_KEY) as Hex).address;
  const nonce = (a: Address) => pub.getTransactionCount({address: a});

  /** A README command that works: exit 0, its output matches `expect`, nothing on stderr. */
  async function ok(command: string, expected: RegExp, o: {filter?: RegExp; env?: NodeJS.ProcessEnv} = {}) {
    const {argv, env} = readmeLine(command, o.filter);
    const r = await gaib(argv, {...env, ...o.env});
    expect(r.err, `${argv.join(" ")}`).toBe("");
    expect(r.code, argv.join(" ")).toBe(0);
    expect(r.out).toMatch(expected);
    return r;
  }

  /** A refusal: exit 1, exactly one plain `gaib: ` line matching `message` (no stack, no banner), nonce unchanged. */
  async function refused(argv: readonly string[], message: RegExp, env: NodeJS.ProcessEnv = {}) {
    const who = signerOf(env);
    const before = await nonce(who);
    const r = await gaib(argv, env);
    expect(r.code, argv.join(" ")).toBe(1);
    expect(r.err.split("\n"), argv.join(" ")).toHaveLength(1);
    expect(r.err).toMatch(/^gaib: /);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/Version: |viem@|\n\s+at |Error: /);
    expect(await nonce(who), `${argv.join(" ")} sent nothing`).toBe(before);
    return r;
  }
  /** The README line itself refused (a state a fresh network cannot satisfy, or a wait). */
  async function readmeRefused(command: string, message: RegExp, o: {filter?: RegExp; env?: NodeJS.ProcessEnv} = {}) {
    const {argv, env} = readmeLine(command, o.filter);
    return refused(argv, message, {...env, ...o.env});
  }

  beforeAll(async () => {
    local = await startLocalProcess(["--chain", "home"], 1);
    pub = createPublicClient({transport: http(local.rpcUrl())}) as PublicClient;
    cwd = mkdtempSync(path.join(tmpdir(), "gaib-newuser-"));
    process.chdir(cwd); // README's relative paths (nodes.json, reports/) land here
  }, 600_000);
  afterAll(() => {
    process.chdir(oldCwd);
    local?.cleanup();
    if (cwd) rmSync(cwd, {recursive: true, force: true});
  });

  it("README lists the commands this pass runs (and nothing else)", () => {
    const listed = new Set(lines.filter((l) => !l.startsWith("export")).map(commandOf));
    expect([...listed].sort()).toEqual(
      [
        "attest", "challenge", "claim", "claim-rewards", "complete", "delegate", "equivocation", "node approve", "node register",
        "node rekey", "node remove", "node report", "operator claim-commission", "operator commission", "operator opt-in",
        "operator opt-out", "operator register", "slash execute", "slash list", "stake", "status", "time advance", "withdraw",
      ].sort(),
    );
    // what npm run local prints is what README says to export
    expect(local.out()).toContain(`export GAIB_RPC=${local.rpcUrl()} GAIB_KEY=<key> GAIB_DEPLOYMENT=${path.join(local.records, "1.json")}`);
    expect(local.out()).toContain(`${op1.address}  key ${op1.key}`);
  });

  it("Local network: export GAIB_RPC/GAIB_KEY, operator register, status", async () => {
    const exp = lines.find((l) => l.startsWith("export GAIB_RPC="))!;
    const vars = Object.fromEntries(exp.replace(/^export /, "").split(/\s+/).map((kv) => kv.split("=") as [string, string]));
    expect(vars.GAIB_KEY).toBe(op1.key); // README's key is the first funded operator's
    S.env = {GAIB_RPC: local.rpcUrl(), GAIB_KEY: vars.GAIB_KEY, GAIB_DEPLOYMENT: path.join(local.records, "1.json")};

    await refused(["operator", "register", "--commission", "5000", "--self-stake", "10000"], /^gaib: bad value: commission 5000 bps is above the vault's maximum MAX_COMMISSION_BPS = 2000 bps$/);
    await refused(["operator", "register", "--commission", "500", "--self-stake", "10k"], /^gaib: bad value: /);
    await ok("operator register", /registered: commission 1000 bps, self-stake 10000 GAIB[\s\S]*opt-in scheduled, effective/, {filter: /--commission 1000/});
    await ok("status", /operator: commission 1000 bps/);
    await refused(["status", "--node", `0x${"ab".repeat(32)}`], /^gaib: unknown node 0x(ab){32}: not registered in NodeRegistry/);
  });

  it("Operator CLI: register a second operator, opt in (early: the date), time advance, opt in", async () => {
    S.env.GAIB_KEY = op2.key; // export GAIB_KEY=0x… (the operator's key)
    await ok("operator register", /registered: commission 500 bps, self-stake 100000 GAIB/, {filter: /--commission 500 /});
    await readmeRefused("operator opt-in", /^gaib: not ready: the opt-in of 0x[0-9a-fA-F]{40} takes effect at \d{4}-\d\d-\d\dT[\d:]+Z \(wait 1 day\); run `gaib operator opt-in` again then/);
    await refused(["operator", "opt-in"], /^gaib: unknown operator /, {GAIB_KEY: staker.key});
    await refused(["time", "advance", "soon"], /^gaib: bad value: duration "soon"/);
    await ok("time advance", /^chain 1: time .* \(\+86400 s\)$/);
    await ok("operator opt-in", /opted in to the node network/);
    await ok("operator opt-in", /opted in to the node network/, {env: {GAIB_KEY: op1.key}});
  });

  it("nodes: approve (no deal on a fresh network), register --file, rekey, remove", async () => {
    S.env.GAIB_KEY = op1.key;
    S.node = nodeOf("n1");
    await readmeRefused("node approve", /^gaib: reverted: UnknownDeal\(7\)$/);
    await refused(["node", "approve", "seven", S.node], /^gaib: bad value: deal id "seven"/);
    await refused(["node", "approve", "7", "an-id-that-is-neither-hex-nor-a-short-name"], /^gaib: bad value: node id "an-id-that/);
    writeFileSync("nodes.json", JSON.stringify(["n1", "n2", "n3"].map((label, i) => ({label, signer: signer(i === 2 ? 3 : i), units: 8}))));
    writeFileSync("broken.json", '[{"label": "n9", "signer": ');
    await refused(["node", "register", "--file", "missing.json"], /^gaib: bad file: .*missing\.json: no such file/);
    await refused(["node", "register", "--file", "broken.json"], /^gaib: bad file: .*broken\.json: not valid JSON/);
    writeFileSync("nodes.json", JSON.stringify(["n1", "n2", "n3"].map((label, i) => ({label, signer: signer(i === 2 ? 3 : i), units: 8}))));
    await ok("node register", /^node 0x[0-9a-f]{64} \(label 0x[0-9a-f]{64}\) registered for deal 0 .*\n.*\n.* 8 units/, {filter: /--file/});
    await ok("node register", new RegExp(`^node ${nodeOf("amr-1")} \\(label 0x[0-9a-f]{64}\\) registered for deal 0 `), {filter: /--asset-class robot/});
    S.node = nodeOf("n2");
    await ok("node rekey", new RegExp(`^node ${S.node} removed; re-registered as ${nodeOf("n1b")} with signer ${signer(2)}`));
    await refused(["node", "rekey", nodeOf("nope"), "--label", "n1c", "--signer", signer(2)], /^gaib: unknown node 0x[0-9a-f]{64}: not registered/);
    S.node = nodeOf("n3");
    await ok("node remove", new RegExp(`^node ${S.node} removed \\(tx`));
    await refused(["node", "remove", nodeOf("nope")], /^gaib: unknown node /);
  });

  it("telemetry: node report, attest, challenge (an honest tree: nothing to prove)", async () => {
    S.node = nodeOf("n1");
    await ok("time advance", /\+86400 s/); // n1 and op1 count from the next epoch on; a day of epochs later:
    const status = await ok("status", /^chain 1, epoch \d+ /, {filter: /status$/});
    S.epoch = BigInt(/^chain 1, epoch (\d+) /.exec(status.out)![1]!) - 1n; // the last ended epoch: node report's default
    await ok("node report", new RegExp(`report for epoch ${S.epoch} signed by ${signer(0)}`), {filter: /--gpus/});
    await ok("node report", new RegExp(`report for epoch ${S.epoch} signed by ${signer(4)}`), {filter: /--robots/, env: {GAIB_NODE_KEY: nodeKeys[4]}});
    S.reportA = path.join("reports", String(S.epoch), `${S.node}.json`);
    const again = ["node", "report", "--node-id", S.node, "--uptime-bps", "9990", "--utilisation-bps", "8000", "--gpus", "8"];
    await refused([...again, "--revenue", "14"], new RegExp(`^gaib: already signed: node ${S.node} signed a different report for epoch ${S.epoch}`), {GAIB_NODE_KEY: nodeKeys[0]});
    // newuser_implausibleRevenueInAid: the bound is printed in AID like every amount (it was "… wei AID … (1 wei)")
    await refused(
      [...again, "--utilisation-bps", "0", "--revenue", "14", "--out", "other"],
      new RegExp(`^gaib: implausible report: node ${S.node}, epoch ${S.epoch}: revenue 14 AID is above the most 8 GPUs of this model earn in 3600 s at 0 bps utilisation and 9990 bps uptime \\(at most 0\\.000000000000000001 AID\\)$`),
      {GAIB_NODE_KEY: nodeKeys[0]},
    );
    await refused(["node", "report", "--node-id", S.node, "--uptime-bps", "12000", "--out", "other"], /^gaib: (bad value|implausible report): .*uptime/, {GAIB_NODE_KEY: nodeKeys[0]});
    // a second, different report signed elsewhere (another journal): the equivocation proof used below
    const second = await gaib([...again, "--revenue", "14", "--out", "other"], {GAIB_NODE_KEY: nodeKeys[0]});
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    S.reportB = path.join("other", String(S.epoch), `${S.node}.json`);

    await refused(["attest", String(S.epoch), "--reports", "nowhere"], /^gaib: (bad file|bad value|no reports)/);
    // two reports: the GPU node (15 AID) and the robot fleet (90 AID) of README
    await ok("attest", new RegExp(`^epoch ${S.epoch}: attested root 0x[0-9a-f]{64} \\(2 nodes, revenue 105 AID, weight 10000 GAIB\\) \\(tx 0x[0-9a-f]{64}\\); tree -> reports/${S.epoch}\\.tree\\.json`));
    // the second operator (more weight) attests the same reports: the root is accepted
    await ok("attest", new RegExp(`^epoch ${S.epoch}: attested root .*, accepted \\(tx`), {env: {GAIB_KEY: op2.key}});
    expect(JSON.parse(readFileSync(path.join("reports", `${S.epoch}.tree.json`), "utf8"))).toHaveProperty("tree");
    await readmeRefused("challenge", /^gaib: no forged leaf: /, {env: {GAIB_KEY: staker.key}});
    await refused(["challenge", String(S.epoch), "--tree", "missing.tree.json"], /^gaib: bad file: .*missing\.tree\.json: no such file/, {GAIB_KEY: staker.key});
  });

  it("staking: stake, withdraw, claim, delegate, complete, claim-rewards", async () => {
    S.env.GAIB_KEY = staker.key;
    await refused(["stake", "0x1234", "2500"], /^gaib: bad value: operator address "0x1234"/);
    await refused(["stake", op1.address, "25OO"], /^gaib: bad value: amount "25OO"/);
    await ok("stake", /^staked 2500 GAIB with operator /);
    await refused(["withdraw", op1.address, "999999"], /^gaib: insufficient stake: /);
    await ok("withdraw", /^withdrawal \d+ queued: 1000 GAIB .* claimable \d{4}-/);
    await readmeRefused("claim", /^gaib: not ready: withdrawal \d+ matures at /);
    await refused(["claim", "99"], /^gaib: reverted: ExitNotFound\(99\)/);
    await refused(["delegate", op1.address, staker.address, "all"], /^gaib: unknown operator /);
    await ok("delegate", /redelegation \d+ queued/);
    await readmeRefused("complete", /^gaib: not ready: redelegation \d+ matures at /);
    await refused(["complete", "99"], /^gaib: reverted: ExitNotFound\(99\)/);
    await readmeRefused("claim-rewards", /^gaib: reverted: NothingToClaim\(\)/);
    await refused(["claim-rewards", staker.address], /^gaib: unknown operator /);
  });

  it("operator: commission, claim-commission, opt-out", async () => {
    S.env.GAIB_KEY = op1.key;
    await refused(["operator", "commission", "5000"], /^gaib: bad value: commission 5000 bps is above/);
    await ok("operator commission", /commission 1000 -> 800 bps, effective \d{4}-/);
    await readmeRefused("operator claim-commission", /^gaib: reverted: NothingToClaim\(\): operator .* has no commission accrued$/);
    await refused(["operator", "claim-commission"], /^gaib: unknown operator /, {GAIB_KEY: staker.key});
    await ok("operator opt-out", /opt-out scheduled, effective/);
    await refused(["operator", "opt-out"], /^gaib: unknown operator /, {GAIB_KEY: staker.key});
  });

  it("slashing: equivocation opens a slash request; slash list shows it; slash execute after the veto window", async () => {
    S.env.GAIB_KEY = staker.key;
    await refused(["equivocation", S.reportA, S.reportA], /^gaib: reverted: NoConflict\(\)$/);
    await refused(["equivocation", S.reportA, "missing.json"], /^gaib: bad file: .*missing\.json: no such file/);
    const eq = await ok("equivocation", /slash request \d+/);
    S.slashId = (eq.result as {requestId: bigint}).requestId;
    await ok("slash list", new RegExp(`${S.slashId}`));
    await refused(["slash", "list", "--operator", "0x12"], /^gaib: bad value: /);
    await readmeRefused("slash execute", /^gaib: not ready: slash request \d+'s veto window is open until /);
    await ok("time advance", /\+86400 s/);
    await ok("time advance", /\+86400 s/);
    await ok("slash execute", new RegExp(`slash request ${S.slashId} executed`));
    await refused(["slash", "execute", "99"], /^gaib: reverted: UnknownRequest\(99\)/);
    await ok("status", new RegExp(`node ${S.node}`), {filter: /--node/});
  });

  it("every README command ran", () => {
    expect([...done].sort()).toEqual([...new Set(lines.filter((l) => !l.startsWith("export")).map(commandOf))].sort());
  });
});
