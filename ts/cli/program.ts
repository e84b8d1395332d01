// `gaib` operator CLI (commander). runCli() is the whole program with injectable output and environment, so tests
// run it in-process; ts/cli/bin.ts is the executable (bin/gaib, `npx gaib`, `npm run gaib --`).
import {readFileSync} from "node:fs";
import {Command, CommanderError} from "commander";
import * as cmd from "./commands.ts";
import {createContext, type GlobalOptions} from "./context.ts";
import {CliError, ERRORS_HELP} from "./errors.ts";

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

const defaultIo: CliIo = {out: (l) => console.log(l), err: (l) => console.error(l), env: process.env};

export function buildProgram(io: CliIo, results: unknown[] = []): Command {
  const program = new Command("gaib")
    .description("GAIB operator CLI: operators, nodes, telemetry attestations, challenges and staking")
    .option("--rpc <url>", "JSON-RPC endpoint (env GAIB_RPC, default http://127.0.0.1:8545)")
    .option("--chain <name|id>", "expected chain (ethereum, arbitrum, plume or an id); refused if the RPC differs")
    .option("--key <hex>", "signer private key (env GAIB_KEY)")
    .option("--deployment <file>", "deployment record (default deployments/local/<chainId>.json)")
    .addHelpText("after", ERRORS_HELP)
    .configureOutput({writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd())})
    .exitOverride();

  const ctx = () => createContext(program.opts<GlobalOptions>(), io.env);
  const done = (r: unknown) => void results.push(r);
  const log = io.out;

  const operator = program.command("operator").description("staking operators");
  operator
    .command("register")
    .description("register the signer as an operator with a commission and a self-stake (approves GAIB)")
    .requiredOption("--commission <bps>", "commission in basis points (max 2000)")
    .requiredOption("--self-stake <gaib>", "GAIB staked to yourself (at least the vault's minimum)")
    .option("--opt-in", "also schedule opting in to the node network")
    .action(async (o) => done(await cmd.operatorRegister(await ctx(), o, log)));
  operator
    .command("opt-in")
    .description("schedule opting in to the node network, or finalize it once the delay passed")
    .action(async () => done(await cmd.operatorOptIn(await ctx(), log)));

  const node = program.command("node").description("nodes and their telemetry");
  node
    .command("register")
    .description("register nodes under your labels, node id = nodeIdOf(operator, label) (one from options, or a batch from --file: JSON array of {label, signer, dealId, model, units, assetClass?}); a deal's nodes need its approval first")
    .option("--file <json>", "batch file")
    .option("--label <label>", "node label (0x + 64 hex, or a name of at most 31 characters)")
    .option("--signer <address>", "the node's telemetry key")
    .option("--deal <id>", "deal financing the node (0: none)", "0")
    .option("--model <model>", "GPU model", "H100")
    .option("--units <n>", "GPU count", "8")
    .option("--asset-class <n>", "1 = GPU cluster, 2 = robot fleet", "1")
    .action(async (o) => {
      const specs: cmd.NodeSpec[] = o.file
        ? (JSON.parse(readFileSync(o.file, "utf8")) as cmd.NodeSpec[])
        : [{label: o.label, signer: o.signer, dealId: o.deal, model: o.model, units: o.units, assetClass: o.assetClass}];
      if (!o.file && (!o.label || !o.signer)) throw new CliError("node register needs --file, or --label and --signer");
      done(await cmd.nodeRegister(await ctx(), specs, log));
    });
  node
    .command("approve <deal> <nodeIds...>")
    .description("as the deal's underwriter or borrower, approve node ids for registration on <deal>")
    .option("--revoke", "revoke the approval instead")
    .action(async (deal: string, ids: string[], o) => done(await cmd.nodeApprove(await ctx(), deal, ids, o, log)));
  node
    .command("report")
    .description("node reporter: sign the node's telemetry for an ended epoch with the node key (EIP-712)")
    .requiredOption("--node-id <id>", "node id")
    .option("--node-key <hex>", "the node's signing key (env GAIB_NODE_KEY)")
    .option("--epoch <n>", "ended epoch (default: the last one)")
    .option("--uptime-bps <bps>", "uptime", "10000")
    .option("--utilisation-bps <bps>", "average utilisation", "0")
    .option("--gpus <n>", "GPUs online", "0")
    .option("--power-w <w>", "power draw [W]", "0")
    .option("--revenue <aid>", "revenue in AID", "0")
    .option("--out <dir>", "reports folder", "reports")
    .action(async (o) => done(await cmd.nodeReport(await ctx(), o, io.env, log)));

  program
    .command("attest <epoch>")
    .description("build the epoch tree from the signed reports in <reports>/<epoch>/ and attest its root")
    .option("--reports <dir>", "reports folder", "reports")
    .action(async (epoch: string, o) => done(await cmd.attest(await ctx(), epoch, o, log)));
  program
    .command("challenge <epoch>")
    .description("reject an accepted root by proving a forged leaf (its signature does not recover to the node's signer), then request each attester's slash")
    .requiredOption("--tree <file>", "the attested epoch tree (attest output: <reports>/<epoch>.tree.json)")
    .option("--node <id>", "the forged leaf's node (default: the first forged leaf found)")
    .action(async (epoch: string, o) => done(await cmd.challenge(await ctx(), epoch, o, log)));
  program
    .command("equivocation <reportA> <reportB>")
    .description("prove a node signed two different reports for one epoch (node report files): its operator is slashed, the node excluded")
    .action(async (a: string, b: string) => done(await cmd.equivocation(await ctx(), {a, b}, log)));
  program
    .command("stake <operator> <amount>")
    .description("stake <amount> GAIB delegated to <operator> (approves GAIB)")
    .action(async (op: string, amount: string) => done(await cmd.stake(await ctx(), op, amount, log)));
  program
    .command("delegate <from> <to> <amount>")
    .description('move <amount> GAIB (or "all") of your stake from operator <from> to <to> (effective after one epoch)')
    .action(async (from: string, to: string, amount: string) => done(await cmd.delegate(await ctx(), from, to, amount, log)));
  program
    .command("status")
    .description("chain, epoch, last root, and the account's GAIB, operator record, stake and node")
    .option("--address <address>", "account to show (default: the --key / GAIB_KEY account)")
    .option("--operator <address>", "show the account's stake with this operator")
    .option("--node <id>", "show this node")
    .action(async (o) => done(await cmd.status(await ctx(), o, log)));
  return program;
}

/** Runs `gaib <argv...>`; returns the exit code (0 ok, 1 refused or failed) and what the command returned. */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<{code: number; result?: unknown}> {
  const results: unknown[] = [];
  const program = buildProgram(io, results);
  try {
    await program.parseAsync([...argv], {from: "user"});
    return {code: 0, result: results[0]};
  } catch (e) {
    if (e instanceof CommanderError) return {code: e.exitCode};
    io.err(`gaib: ${e instanceof CliError ? e.message : e instanceof Error ? e.message : String(e)}`);
    return {code: 1};
  }
}
