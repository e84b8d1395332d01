// `npm run bench:nodes`: the node simulation at scale on a fresh local Anvil (10,000 nodes × 24 epochs by default;
// `--nodes N`, `--epochs E`, `--workers W`, `--robots N` or BENCH_NODES / BENCH_EPOCHS / BENCH_WORKERS / BENCH_ROBOTS
// override (`--robots N`: N of the nodes are robot fleets); `--profile` prints the time per stage: keys, register,
// sign, verify, tree, rpc, receipts, challenge, slash; `--out DIR` writes elsewhere than bench/). Measures wall time,
// on-chain gas per epoch (attestations, O(1) in the number of nodes), registration gas, and reports signed per
// second. Writes bench/nodes.json and bench/nodes.md (and the per-epoch CSV bench/nodes.csv). Not a test: run it by
// hand, copy the numbers into the README "Benchmarks" section.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {startAnvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {runNodeSim} from "./sim.ts";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const nodes = Number(flag("nodes") ?? process.env.BENCH_NODES ?? 10_000);
const epochs = Number(flag("epochs") ?? process.env.BENCH_EPOCHS ?? 24);
// a mixed fleet: `--robots N` (or BENCH_ROBOTS) of the nodes are robot fleets (ts/nodes/robot.ts)
const robots = Number(flag("robots") ?? process.env.BENCH_ROBOTS ?? 0);
if (!Number.isSafeInteger(robots) || robots < 0 || robots > nodes) throw new Error(`--robots must be an integer from 0 to ${nodes}`);
const workersArg = flag("workers") ?? process.env.BENCH_WORKERS;
const profile = process.argv.includes("--profile");
const START = "<!-- bench:nodes:start (written by npm run bench:nodes) -->";
const END = "<!-- bench:nodes:end -->";
const outDir = path.resolve(flag("out") ?? path.join(repoRoot, "bench"));
mkdirSync(outDir, {recursive: true});

// a generous block gas limit is not needed (registration batches stay under 30M), but big code/blocks are fine
// Anvil's own memory grows with the chain (registering 100,000 nodes: 9.2 GB RSS at 62,000 registered here, growing
// faster than linearly; 185 MB at 8,000). `--anvil-prune N` passes `--prune-history N` (keep N states in memory; the
// simulation reads only recent state) -- not measured at 100,000 yet (bench/nodes.md).
const prune = flag("anvil-prune");
const anvil = await startAnvil({chainId: 61_337, extraArgs: prune !== undefined ? ["--prune-history", prune] : []});
try {
  console.error(`deploying on ${anvil.rpcUrl} ...`);
  const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
  const t0 = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const s = await runNodeSim(anvil.rpcUrl, d, {
    nodes,
    robots,
    epochs,
    csvPath: path.join(outDir, "nodes.csv"),
    progress: true,
    ...(workersArg !== undefined ? {workers: Number(workersArg)} : {}),
  });
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const stages = Object.fromEntries(Object.entries(s.stages ?? {}).map(([k, v]) => [k, Number((v / 1000).toFixed(2))]));
  const attestGas = s.epochs.map((m) => m.attestGas);
  const honestGas = s.epochs.filter((m) => !m.forged).map((m) => m.attestGas);
  const result = {
    nodes,
    robots,
    epochs,
    operators: s.operators.length,
    wallSeconds: Number(wallS.toFixed(1)),
    secondsPerEpoch: Number((wallS / epochs).toFixed(2)),
    registrationTxs: s.registrationTxs,
    registrationGas: s.registrationGas.toString(),
    registrationGasPerNode: Number(s.registrationGas / BigInt(Math.max(1, nodes))),
    attestGasPerEpoch: {
      min: Math.min(...honestGas.map(Number)),
      max: Math.max(...honestGas.map(Number)),
      mean: Math.round(honestGas.reduce((a, b) => a + Number(b), 0) / Math.max(1, honestGas.length)),
    },
    attestGasPerEpochAll: attestGas.map(String),
    challengeGas: s.epochs.find((m) => m.challenged)?.challengeGas.toString() ?? "0",
    attesterSlashGas: s.attesterSlashGas.toString(), // all requestAttesterSlash calls (one per attester of the forged root)
    reportsSigned: s.signatures,
    signedPerSecond: Math.round(s.signatures / (s.signMs / 1000)),
    slashed: s.slashed.toString(),
    peakRssMb: Math.round(peakRss / 2 ** 20), // this process (worker threads included), sampled every 250 ms; not Anvil
    stagesSeconds: stages,
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(1))),
    machine: `${process.platform} ${process.arch}, ${os.availableParallelism()} cores, node ${process.version}`,
  };
  writeFileSync(path.join(outDir, "nodes.json"), JSON.stringify(result, null, 2) + "\n");
  const md = [
    `| metric | value |`,
    `|---|---|`,
    `| nodes × epochs | ${nodes.toLocaleString("en-US")} × ${epochs} (${result.operators} operators) |`,
    `| wall time | ${result.wallSeconds} s (${result.secondsPerEpoch} s per epoch) |`,
    `| node registration | ${result.registrationTxs} txs (registerNodes), ${result.registrationGasPerNode.toLocaleString("en-US")} gas per node |`,
    `| attestation gas per epoch (all operators) | mean ${result.attestGasPerEpoch.mean.toLocaleString("en-US")} (min ${result.attestGasPerEpoch.min.toLocaleString("en-US")}, max ${result.attestGasPerEpoch.max.toLocaleString("en-US")}) |`,
    `| forged-leaf challenge (fraud proof) gas | ${Number(result.challengeGas).toLocaleString("en-US")} |`,
    `| attester slash requests gas (all attesters) | ${Number(result.attesterSlashGas).toLocaleString("en-US")} |`,
    `| reports signed | ${result.reportsSigned.toLocaleString("en-US")} at ${result.signedPerSecond.toLocaleString("en-US")} per second |`,
    `| peak RSS (simulation process) | ${result.peakRssMb.toLocaleString("en-US")} MB |`,
    `| machine | ${result.machine}, load average ${result.loadAverage.join(" / ")} at the end |`,
  ].join("\n");
  const table = ["| stage | seconds |", "|---|---|", ...Object.entries(stages).map(([k, v]) => `| ${k} | ${v} |`)].join("\n");
  if (profile) console.log(table);
  // bench/nodes.md: the hand-written analysis stays, the run's tables go between the markers
  const mdFile = path.join(outDir, "nodes.md");
  const block = `${START}\n${md}\n\n${table}\n${END}`;
  const prev = existsSync(mdFile) ? readFileSync(mdFile, "utf8") : "";
  writeFileSync(mdFile, prev.includes(START) && prev.includes(END) ? prev.slice(0, prev.indexOf(START)) + block + prev.slice(prev.indexOf(END) + END.length) : `${block}\n`);
  console.log(md);
} finally {
  await anvil.stop();
}
