// `npm run bench:nodes`: the node simulation at scale on a fresh local Anvil (10,000 nodes × 24 epochs by default;
// BENCH_NODES / BENCH_EPOCHS override; `-- --robots N` or BENCH_ROBOTS: N of them robot fleets). Measures wall
// time, on-chain gas per epoch (attestations, O(1) in the number of nodes), registration gas, and reports signed per
// second. Writes bench/nodes.json and bench/nodes.md (and the per-epoch CSV bench/nodes.csv). Not a test: run it by
// hand, copy the numbers into the README "Benchmarks" section.
import {mkdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import {startAnvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {runNodeSim} from "./sim.ts";

const nodes = Number(process.env.BENCH_NODES ?? 10_000);
const epochs = Number(process.env.BENCH_EPOCHS ?? 24);
// a mixed fleet: `--robots N` (or BENCH_ROBOTS) of the nodes are robot fleets (ts/nodes/robot.ts)
const robotsArg = process.argv.indexOf("--robots");
const robots = Number(robotsArg >= 0 ? process.argv[robotsArg + 1] : (process.env.BENCH_ROBOTS ?? 0));
if (!Number.isSafeInteger(robots) || robots < 0 || robots > nodes) throw new Error(`--robots must be an integer from 0 to ${nodes}`);
const outDir = path.join(repoRoot, "bench");
mkdirSync(outDir, {recursive: true});

// a generous block gas limit is not needed (registration batches stay under 30M), but big code/blocks are fine
const anvil = await startAnvil({chainId: 61_337});
try {
  console.error(`deploying on ${anvil.rpcUrl} ...`);
  const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
  const t0 = performance.now();
  const s = await runNodeSim(anvil.rpcUrl, d, {nodes, robots, epochs, csvPath: path.join(outDir, "nodes.csv"), progress: true});
  const wallS = (performance.now() - t0) / 1000;
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
    machine: `${process.platform} ${process.arch}, node ${process.version}`,
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
    `| machine | ${result.machine} |`,
  ].join("\n");
  writeFileSync(path.join(outDir, "nodes.md"), md + "\n");
  console.log(md);
} finally {
  await anvil.stop();
}
