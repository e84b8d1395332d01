// `npm run demo:loop [-- --runs 10]`: runs the whole README demo (ts/demo/index.ts: three fresh Anvil chains, deploy,
// every step) N times in a row on one compile, each in its own process; prints each run's duration and stops at the
// first failure with that run's output (exit 1). Not part of `npm test`: a flake detector.
import {spawn} from "node:child_process";
import {parseArgs} from "node:util";
import {repoRoot} from "../lib/paths.ts";

const {values} = parseArgs({options: {runs: {type: "string", default: "10"}}});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}

function runOnce(): Promise<{code: number | null; ms: number; output: string}> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "ts/demo/index.ts"], {cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("close", (code) => resolve({code, ms: performance.now() - started, output}));
  });
}

const durations: number[] = [];
for (let i = 1; i <= runs; i++) {
  const r = await runOnce();
  const s = (r.ms / 1000).toFixed(1);
  if (r.code !== 0) {
    console.log(`run ${i}/${runs}: FAILED after ${s} s (exit ${r.code})\n\n${r.output.split("\n").slice(-60).join("\n")}`);
    console.log(`\n${i - 1}/${runs} runs passed before the failure`);
    process.exit(1);
  }
  durations.push(r.ms / 1000);
  console.log(`run ${i}/${runs}: ok in ${s} s`);
}
const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
console.log(`${runs}/${runs} runs passed; durations ${durations.map((d) => d.toFixed(1)).join(", ")} s; mean ${mean.toFixed(1)} s, max ${Math.max(...durations).toFixed(1)} s`);
