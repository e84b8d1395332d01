// Red-proof: a failing Solidity test must make forge, and the project's `test:forge` script, exit non-zero.
// Runs against a temp copy of fixtures/verdict with `bin` and `node_modules` symlinked to the repo's,
// so the script runs exactly as in the repo root.
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {runForge} from "../lib/forge.ts";
import {repoRoot} from "../lib/paths.ts";
import {run} from "../lib/proc.ts";

const FIXTURE = path.join(repoRoot, "ts", "test", "fixtures", "verdict");
const FAILING_TEST = "test_failsOnPurpose";

const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {scripts: Record<string, string>};
const testForgeScript = pkg.scripts["test:forge"] ?? "";

describe("forge verdict", () => {
  let root = "";

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "gaib-verdict-"));
    cpSync(FIXTURE, root, {recursive: true, filter: (src) => !/[\\/](out|cache)$/.test(src)});
    symlinkSync(path.join(repoRoot, "bin"), path.join(root, "bin"));
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  });
  afterAll(() => {
    if (root) rmSync(root, {recursive: true, force: true});
  });

  it("passes a passing suite (exit 0)", async () => {
    const r = await runForge(["test", "--root", root, "--match-contract", "Passing"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("[PASS] test_addsUp()");
  });

  it("fails a failing suite (exit != 0)", async () => {
    const r = await runForge(["test", "--root", root, "--match-contract", "Failing"]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain(`[FAIL: deliberate failure: 4 != 5] ${FAILING_TEST}()`);
  });

  it("test:forge calls the native bin/forge wrapper, never the npm one", () => {
    const forgeCalls = testForgeScript.split(/\s+/).filter((word) => /forge$/.test(word));
    expect(forgeCalls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(forgeCalls)).toEqual(new Set(["bin/forge"]));
    expect(testForgeScript).not.toMatch(/npx|node_modules/);
  });

  // npm run prepends node_modules/.bin (the npm forge wrapper, which exits 0 on failed tests) to PATH;
  // do the same, so a script calling a bare `forge` would wrongly pass here.
  const scriptEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
  });

  it("the test:forge script (sh -c, as npm runs it) exits non-zero on the failing test", async () => {
    const r = await run("sh", ["-c", testForgeScript], {cwd: root, env: scriptEnv()});
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(FAILING_TEST);
    expect(r.stdout).toContain("[PASS] test_addsUp()"); // fmt --check passed; the test run is what failed
  });

  it("the test:forge script exits 0 once the failing test is gone (control)", async () => {
    rmSync(path.join(root, "test", "Fail.t.sol"));
    const r = await run("sh", ["-c", testForgeScript], {cwd: root, env: scriptEnv()});
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("[PASS] test_addsUp()");
  });
});
