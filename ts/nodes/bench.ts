// `npm run bench:nodes`: the node simulation at scale on a fresh local Anvil (10,000 nodes × 24 epochs by default;
// `--nodes N`, `--epochs E`, `--workers W`, `--robots N` or BENCH_NODES / BENCH_EPOCHS / BENCH_WORKERS / BENCH_ROBOTS
// override (`--robots N`: N of the nodes are robot fleets); `--profile` prints the time per stage: keys, register,
// sign, verify, tree, rpc, receipts, challenge, slash; `--out DIR` writes elsewhere than bench/; `--no-native` runs
// the @noble fallback instead of libsecp256k1; `--anvil-prune N|off` (default 2) and `--max-rss-mb M` (default 8000:
// the run stops above it) for the memory). Measures wall time, on-chain gas per epoch (attestations, O(1) in the
// number of nodes), registration gas, reports signed per second, and the peak memory of this process and of Anvil. Writes bench/nodes.json and bench/nodes.md (and the per-epoch CSV bench/nodes.csv). Not a test: run it by
// hand, copy the numbers into the README "Benchmarks" section.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {startAnvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {MemoryWatch} from "./memory.ts";
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

// Anvil keeps a full copy of the state for each of the last 500 blocks in memory (then serialises the older ones to
// disk), and the state grows with every node registered: its memory grew faster than linearly (9.2 GB at 62,000 nodes
// registered, bench/nodes.md). `--prune-history N` keeps N states, in memory only; the simulation reads the latest
// state only (logs and receipts are kept either way). Default 2; `--anvil-prune off` runs Anvil as it comes.
const prune = flag("anvil-prune") ?? process.env.BENCH_ANVIL_PRUNE ?? "2";
// the whole run (this process with its threads + Anvil) is stopped above this (the machine is shared)
const maxRssMb = Number(flag("max-rss-mb") ?? process.env.BENCH_MAX_RSS_MB ?? 8000);
// A block gas limit of 1 billion (default; `--anvil-gas-limit G|off`) puts all 20 registration transactions sent
// together (≈ 10M gas each) in one block instead of 3 a block at 30M: the same transactions, 7× fewer blocks, and
// registration 3.6× faster here at 20,000 nodes (Anvil's work per block grows with the state).
const gasLimit = flag("anvil-gas-limit") ?? process.env.BENCH_ANVIL_GAS_LIMIT ?? "1000000000";
const anvilArgs = [...(prune === "off" ? [] : ["--prune-history", prune]), ...(gasLimit === "off" ? [] : ["--gas-limit", gasLimit])];
const anvil = await startAnvil({chainId: 61_337, extraArgs: anvilArgs});
const mem = new MemoryWatch(anvil.pid!, maxRssMb, (totalMb) => {
  console.error(`\nstopped: this process and Anvil use ${totalMb} MB, above --max-rss-mb ${maxRssMb}`);
  process.exit(3); // ts/lib/anvil.ts kills Anvil on exit
});
try {
  console.error(`deploying on ${anvil.rpcUrl} ...`);
  const d = await deployLocal(anvil.rpcUrl, anvil.chainId);
  // the simulation mines its own blocks (ts/nodes/chain.ts `Ctx.automine`): Anvil's automine, with blocks that take
  // seconds at 100,000 nodes, mined stale snapshots of its pool as empty blocks and left the challenge behind them
  const off = (await (await fetch(anvil.rpcUrl, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [false]})})).json()) as {error?: unknown};
  if (off.error) throw new Error(`evm_setAutomine false: ${JSON.stringify(off.error)}`);
  const t0 = performance.now();
  const curve: {registered: number; seconds: number; anvilMb: number; simMb: number}[] = [];
  let nextMark = 0;
  const s = await runNodeSim(anvil.rpcUrl, d, {
    nodes,
    robots,
    epochs,
    csvPath: path.join(outDir, "nodes.csv"),
    progress: true,
    ...(workersArg !== undefined ? {workers: Number(workersArg)} : {}),
    ...(process.argv.includes("--no-native") ? {native: false} : {}),
    onRegistered: (done, total) => {
      if (done < nextMark && done < total) return;
      nextMark = done + Math.max(1000, Math.ceil(total / 10));
      curve.push({registered: done, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)), ...mem.now()});
    },
  });
  const peak = mem.stop();
  const wallS = (performance.now() - t0) / 1000;
  const stages = Object.fromEntries(Object.entries(s.stages ?? {}).map(([k, v]) => [k, Number((v / 1000).toFixed(2))]));
  const attestGas = s.epochs.map((m) => m.attestGas);
  // the epochs without the forged root (all of them in a one-epoch run, where the only epoch is the forged one)
  const honestGas = s.epochs.some((m) => !m.forged) ? s.epochs.filter((m) => !m.forged).map((m) => m.attestGas) : attestGas;
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
    crypto: s.crypto ?? "?",
    anvilArgs: anvilArgs.join(" "),
    peakRssMb: peak.simMb, // this process (worker threads included): VmHWM
    peakAnvilRssMb: peak.anvilMb, // Anvil: VmHWM
    peakTotalRssMb: peak.totalMb, // the two together, sampled every 250 ms
    memoryCurve: curve, // RSS [MB] as the nodes register
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
    `| crypto (signing threads) | ${result.crypto} |`,
    `| peak RSS: simulation process, Anvil, both (sampled) | ${result.peakRssMb.toLocaleString("en-US")} MB, ${result.peakAnvilRssMb.toLocaleString("en-US")} MB, ${result.peakTotalRssMb.toLocaleString("en-US")} MB (Anvil ${anvilArgs.join(" ") || "defaults"}) |`,
    `| RSS as the nodes register (nodes at s: Anvil / simulation MB) | ${curve.map((c) => `${c.registered.toLocaleString("en-US")} at ${c.seconds} s: ${c.anvilMb} / ${c.simMb}`).join("; ")} |`,
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
  mem.stop();
  await anvil.stop();
}
