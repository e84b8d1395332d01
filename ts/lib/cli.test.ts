// The shared command-line rule of `npm run index`, `dashboard`, `points` and `local` (ts/lib/cli.ts): a bad flag or
// value prints the message and the usage on stderr and exits 2 before anything starts; --help prints the usage, exit 0.
import {spawnSync} from "node:child_process";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {repoRoot} from "./paths.ts";

const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
const run = (script: string, ...args: string[]) => {
  const r = spawnSync(tsx, [path.join(repoRoot, script), ...args], {cwd: repoRoot, encoding: "utf8", timeout: 60_000, env: {...process.env, DATABASE_URL: ""}});
  return {code: r.status, out: r.stdout, err: r.stderr};
};

describe("npm-script command lines", () => {
  it.each([
    ["ts/indexer/index.ts", ["--batch", "x"], /^--batch must be a non-negative integer, got "x"\nusage: npm run index/],
    ["ts/points/index.ts", ["--top", "5x"], /^--top must be a non-negative integer, got "5x"\nusage: npm run points/],
    ["ts/dashboard/index.ts", ["--port", "70000"], /^--port must be an integer between 0 and 65535, got "70000"\nusage: npm run dashboard/],
    ["ts/local/index.ts", ["--chain", "moon"], /^unknown --chain moon: .*\nusage: npm run local/],
    ["ts/local/index.ts", ["--bogus"], /^Unknown option '--bogus'.*\nusage: npm run local/],
  ])("%s %j: exit 2 with the message and the usage, nothing started", (script, args, message) => {
    const r = run(script, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe("");
  });

  it.each(["ts/indexer/index.ts", "ts/points/index.ts", "ts/dashboard/index.ts", "ts/local/index.ts"])("%s --help: the usage, exit 0", (script) => {
    const r = run(script, "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: npm run /);
    expect(r.err).toBe("");
  });
});
