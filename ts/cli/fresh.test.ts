import {cpSync, existsSync, mkdtempSync, rmSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {ContractFunctionRevertedError, BaseError, encodeErrorResult} from "viem";
import {afterAll, describe, expect, it} from "vitest";
import {stakingVaultAbi, vetoSlasherAbi} from "../abi/generated.ts";
import {repoRoot} from "../lib/paths.ts";
import {run} from "../lib/proc.ts";
import {GPU_MODELS} from "../nodes/sim.ts";
import {loadAbis} from "./abi.ts";
import {parseDuration} from "./commands/time.ts";
import {MODEL_PRICES} from "./commands/plausible.ts";
import {describeRevert, oneLine, readJson} from "./errors.ts";
import {runCli} from "./program.ts";

// The CLI without a chain: a fresh clone (no ts/abi/generated.ts, no out/), error messages, pure helpers.
describe("gaib CLI on a fresh clone and its messages", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "gaib-fresh-"));
  afterAll(() => rmSync(tmp, {recursive: true, force: true}));

  it("fresh clone: bin/gaib --help works without ts/abi/generated.ts or out/; a command needing a contract names the build step", async () => {
    // a copy of the repository as a clone has it after `npm install`: sources, bin/, node_modules, no generated module
    for (const f of ["package.json", "tsconfig.json", "bin", "ts"]) cpSync(path.join(repoRoot, f), path.join(tmp, f), {recursive: true});
    rmSync(path.join(tmp, "ts", "abi", "generated.ts"), {force: true});
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(tmp, "node_modules"));
    expect(existsSync(path.join(tmp, "ts", "abi", "generated.ts"))).toBe(false);
    expect(existsSync(path.join(tmp, "out"))).toBe(false);

    const help = await run(path.join(tmp, "bin", "gaib"), ["--help"]);
    expect(help.stderr).toBe("");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: gaib [options] [command]");
    const sub = await run(path.join(tmp, "bin", "gaib"), ["operator", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain("claim-commission");
    // with no artifacts, a command that reads a contract says what to run (not ERR_MODULE_NOT_FOUND)
    expect(() => loadAbis(path.join(tmp, "out"))).toThrow(/^no artifacts: .*\/out\/\w+\.sol\/\w+\.json is missing; compile the contracts once with `npm run build`/);
  }, 60_000);

  it("errors: bad JSON names the file (never a bare 'Unexpected end of JSON input')", () => {
    const file = path.join(tmp, "empty.json");
    cpSync(path.join(repoRoot, "package.json"), file);
    expect(() => readJson(path.join(tmp, "missing.json"), "node batch")).toThrow(`bad file: ${path.join(tmp, "missing.json")}: no such file (node batch)`);
    rmSync(file);
    cpSync("/dev/null", file);
    expect(() => readJson(file, "node batch")).toThrow(`bad file: ${file}: not valid JSON (node batch): empty file`);
  });

  it("errors: custom-error timestamps are decoded to a date and a wait", () => {
    const at = 1_796_384_242n;
    const iso = new Date(Number(at) * 1000).toISOString().replace(".000Z", "Z");
    const data = encodeErrorResult({abi: stakingVaultAbi, errorName: "OptChangeNotReady", args: [at]});
    const err = new BaseError("simulate failed", {cause: new ContractFunctionRevertedError({abi: stakingVaultAbi, data, functionName: "finalizeOptChange"})});
    expect(describeRevert(err, at - 5n * 3600n).message).toBe(`reverted: OptChangeNotReady(${at}): effectiveAt ${iso} (wait 5 hours)`);
    const veto = encodeErrorResult({abi: vetoSlasherAbi, errorName: "VetoWindowOpen", args: [3n, at]});
    const err2 = new BaseError("x", {cause: new ContractFunctionRevertedError({abi: vetoSlasherAbi, data: veto, functionName: "executeSlash"})});
    expect(describeRevert(err2, at - 2n * 86_400n - 3600n).message).toBe(
      `reverted: VetoWindowOpen(3, ${at}): vetoDeadline ${iso} (wait 2 days 1 hour)`,
    );
  });

  it("errors: no library stack or version banner on stderr", async () => {
    expect(oneLine("HTTP request failed.\n\nURL: http://x\nRequest body: {}\n\nDetails: boom\nVersion: viem@2.57.20")).toBe("HTTP request failed.");
    const errs: string[] = [];
    const r = await runCli(["--rpc", "http://127.0.0.1:9", "status"], {out: () => {}, err: (l) => errs.push(l), env: {}});
    expect(r.code).toBe(1);
    expect(errs).toEqual(["gaib: no chain: nothing answers at http://127.0.0.1:9 (--rpc or GAIB_RPC)"]);
    expect(errs.join("\n")).not.toMatch(/Version: viem|\n\s+at /);
  });

  it("time advance parses durations; the model price table is the simulation's", () => {
    expect([parseDuration("1d"), parseDuration("3h"), parseDuration("90m"), parseDuration("1d12h"), parseDuration("45")]).toEqual([86_400, 10_800, 5400, 129_600, 45]);
    expect(() => parseDuration("1x")).toThrow('bad value: duration "1x"');
    expect(MODEL_PRICES.map((m) => [m.name, m.priceMicro])).toEqual(GPU_MODELS.map((m) => [m.name, m.priceMicro]));
  });
});
