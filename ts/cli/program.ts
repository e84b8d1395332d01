// `gaib` operator CLI (commander). runCli() is the whole program with injectable output and environment, so tests
// run it in-process; ts/cli/bin.ts is the executable (bin/gaib, `npx gaib`, `npm run gaib --`).
import {Command, CommanderError} from "commander";
import * as cmd from "./commands.ts";
import {createContext, type GlobalOptions} from "./context.ts";
import {CliError, ERRORS_HELP, oneLine} from "./errors.ts";

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
    .description("register the signer as an operator with a commission and a self-stake (approves GAIB; every limit is checked first)")
    .requiredOption("--commission <bps>", "commission in basis points (at most the vault's MAX_COMMISSION_BPS, 2000)")
    .requiredOption("--self-stake <gaib>", "GAIB staked to yourself (at least the vault's minimum)")
    .option("--opt-in", "also schedule opting in to the node network")
    .action(async (o) => done(await cmd.operatorRegister(await ctx(), o, log)));
  operator
    .command("opt-in")
    .description("schedule opting in to the node network (OPT_DELAY, 1 day), or finalize it once due")
    .action(async () => done(await cmd.operatorOpt(await ctx(), true, log)));
  operator
    .command("opt-out")
    .description("schedule opting out of the node network, or finalize it once due")
    .action(async () => done(await cmd.operatorOpt(await ctx(), false, log)));
  operator
    .command("commission <bps>")
    .description("schedule a commission change (COMMISSION_DELAY, 7 days, on a 1-day grid); prints when it takes effect")
    .action(async (bps: string) => done(await cmd.operatorCommission(await ctx(), bps, log)));
  operator
    .command("claim-commission")
    .description("claim the operator's accrued commission (AID)")
    .action(async () => done(await cmd.operatorClaimCommission(await ctx(), log)));

  const node = program.command("node").description("nodes and their telemetry");
  node
    .command("register")
    .description("register nodes under your labels, node id = nodeIdOf(operator, label): one from options, or a batch from --file (JSON array of {label, signer, units, dealId?, model?, assetClass?}) sent in registerNodes batches; a re-run skips nodes already registered identically; a deal's nodes need its approval first")
    .option("--file <json>", "batch file")
    .option("--label <label>", "node label (0x + 64 hex, or a name of at most 31 characters)")
    .option("--signer <address>", "the node's telemetry key")
    .option("--deal <id>", "deal financing the node (0: none)", "0")
    .option("--model <model>", 'GPU model (default H100), or the robot model of a robot fleet (required: e.g. "Warehouse AMR")')
    .option("--units <n>", "GPU count, or robots in the fleet", "8")
    .option("--asset-class <class>", "gpu (1, GPU cluster) or robot (2, robot fleet)", "gpu")
    .action(async (o) => {
      if (!o.file && (!o.label || !o.signer)) throw new CliError("bad value: node register needs --file, or --label and --signer");
      const rows = o.file
        ? cmd.readNodeFile(o.file)
        : [cmd.parseNodeSpec({label: o.label, signer: o.signer, dealId: o.deal, model: o.model, units: o.units, assetClass: o.assetClass}, "options")];
      done(await cmd.nodeRegister(await ctx(), rows, o.file ?? "options", log));
    });
  node
    .command("approve <deal> <nodeIds...>")
    .description("as the deal's underwriter or borrower, approve node ids for registration on <deal>")
    .option("--revoke", "revoke the approval instead")
    .action(async (deal: string, ids: string[], o) => done(await cmd.nodeApprove(await ctx(), deal, ids, o, log)));
  node
    .command("remove <nodeId>")
    .description("deactivate one of your nodes (it stops counting; its past reports stay provable)")
    .action(async (id: string) => done(await cmd.nodeRemove(await ctx(), id, log)));
  node
    .command("rekey <nodeId>")
    .description("replace a node's telemetry key: removes the node and registers it again under a new label with the new signer")
    .requiredOption("--label <label>", "the new label (a node id is bound to one signer for life)")
    .requiredOption("--signer <address>", "the new telemetry key")
    .action(async (id: string, o) => done(await cmd.nodeRekey(await ctx(), id, o, log)));
  node
    .command("report")
    .description("node reporter: sign the node's telemetry for an ended epoch with the node key (EIP-712); refuses implausible values and a second, different report for an epoch already signed (journal)")
    .requiredOption("--node-id <id>", "node id")
    .option("--node-key <hex>", "the node's signing key (env GAIB_NODE_KEY)")
    .option("--epoch <n>", "ended epoch (default: the last one)")
    .option("--uptime-bps <bps>", "uptime", "10000")
    .option("--utilisation-bps <bps>", "average utilisation", "0")
    .option("--gpus <n>", "GPUs online", "0")
    .option("--robots <n>", "robot fleets: robots online (the report's gpusOnline field; utilisation = tasks done / rated tasks, power = the fleet's average draw)")
    .option("--power-w <w>", "power draw [W] (average over the epoch: energy [Wh] = W × epoch hours)", "0")
    .option("--revenue <aid>", "revenue in AID", "0")
    .option("--out <dir>", "reports folder", "reports")
    .option("--journal <file>", "signed-reports journal (default <out>/signed-reports.jsonl); keep one per node key")
    .action(async (o) => done(await cmd.nodeReport(await ctx(), o, io.env, log)));

  program
    .command("attest <epoch>")
    .description("build the epoch tree from the signed reports in <reports>/<epoch>/, attest its root, then write the tree to <reports>/<epoch>.tree.json (publish it for challengers)")
    .option("--reports <dir>", "reports folder", "reports")
    .action(async (epoch: string, o) => done(await cmd.attest(await ctx(), epoch, o, log)));
  program
    .command("challenge <epoch>")
    .description("reject an accepted root by proving a forged leaf (its signature does not recover to the node's signer), then request each attester's slash")
    .requiredOption("--tree <file>", "the attested epoch tree (attest output: <reports>/<epoch>.tree.json, as published by the attester)")
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
    .description('move <amount> GAIB (or "all") of your stake from operator <from> to <to>; completes at the exposure end (about 8 days with 1-hour epochs), then `gaib complete <id>`')
    .action(async (from: string, to: string, amount: string) => done(await cmd.delegate(await ctx(), from, to, amount, log)));
  program
    .command("withdraw <operator> <amount>")
    .description('queue a withdrawal of <amount> GAIB (or "all") staked with <operator>; claimable after WITHDRAWAL_DELAY (21 days)')
    .action(async (op: string, amount: string) => done(await cmd.withdraw(await ctx(), op, amount, log)));
  program
    .command("claim <id>")
    .description('claim matured withdrawal <id> (or "all" matured ones)')
    .action(async (id: string) => done(await cmd.claim(await ctx(), id, log)));
  program
    .command("complete <id>")
    .description('complete matured redelegation <id> (or "all" matured ones)')
    .action(async (id: string) => done(await cmd.complete(await ctx(), id, log)));
  program
    .command("claim-rewards <operator>")
    .description("claim your staking rewards (AID) earned with <operator>")
    .action(async (op: string) => done(await cmd.claimRewards(await ctx(), op, log)));

  const slash = program.command("slash").description("slash requests of the VetoSlasher");
  slash
    .command("list")
    .description("pending slash requests with their veto window (executable at or after the deadline)")
    .option("--operator <address>", "only this operator's")
    .option("--all", "also vetoed and executed ones")
    .action(async (o) => done(await cmd.slashList(await ctx(), o, log)));
  slash
    .command("execute <id>")
    .description("execute a pending slash request whose veto window has closed (anyone may)")
    .action(async (id: string) => done(await cmd.slashExecute(await ctx(), id, log)));

  const time = program.command("time").description("local chains only");
  time
    .command("advance <duration>")
    .description("advance a local Anvil chain's clock (1d, 3h, 90m, 1d12h, or seconds) and mine a block; refused on other chains")
    .action(async (d: string) => done(await cmd.timeAdvance(await ctx(), d, log)));

  program
    .command("status")
    .description("chain, epoch, last root; the account's GAIB, operator record (pending opt change, commission change and accrued commission, pending slashes), queued exits, and rewards with --operator")
    .option("--address <address>", "account to show (default: the --key / GAIB_KEY account)")
    .option("--operator <address>", "show the account's stake and rewards with this operator")
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
    // one plain line: never a library stack or version banner
    io.err(`gaib: ${e instanceof CliError ? e.message : e instanceof Error ? oneLine(e.message) : String(e)}`);
    return {code: 1};
  }
}
