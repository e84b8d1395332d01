// Operator CLI errors: every refusal is a CliError with a stable, documented message prefix (see ERRORS_HELP), printed
// on stderr with exit code 1. Nothing is sent when a check fails. Library errors are reduced to one plain line (no
// stack, no "Version: viem@…" banner); custom-error timestamps are decoded to a date and a wait.
import {existsSync, readFileSync} from "node:fs";
import {BaseError, ContractFunctionRevertedError} from "viem";

export class CliError extends Error {}

/** The documented error messages (prefixes are stable: scripts and tests match on them). */
export const ERRORS_HELP = `
Errors (stderr, exit code 1; nothing is sent):
  missing key: ...           a command that signs needs --key <0x…> or GAIB_KEY (node report: --node-key or GAIB_NODE_KEY)
  no chain: ...              nothing answers at --rpc / GAIB_RPC
  wrong chain: ...           the RPC's chain id differs from --chain or from the deployment record's chain, staking
                             queried on a chain other than the home chain, or \`time advance\` on a non-local chain
  no deployment: ...         no deployment record at --deployment (default deployments/local/<chainId>.json)
  no artifacts: ...          the contracts are not compiled (run \`npm run build\` once)
  bad file: <file>: ...      a JSON input is missing, not JSON, or an entry/field is malformed (entry index, field)
  bad value: ...             an argument is malformed or out of range (the contract's limit is named)
  implausible report: ...    telemetry outside the node's registration (uptime, GPUs, revenue bound)
  already signed: ...        node report: a different report for this epoch is already signed (equivocation risk)
  unknown node ...           the node id is not registered in the NodeRegistry (or not in the epoch tree)
  unknown operator ...       the address is not a registered operator of the StakingVault
  insufficient stake: ...    GAIB balance below the amount, self-stake below the minimum, fewer delegated shares
                             than asked, or no stake weight for the epoch being attested
  not ready: ...             a delay has not passed yet (date and wait named)
  not the node signer: ...   the node key is not the signer registered for the node, or (attest) a report is not
                             node-signed (wrong or non-canonical signature, node not active in the epoch)
  no forged leaf: ...        challenge: every leaf of the tree is node-signed, there is nothing to prove
  reverted: <Error>(args)    the contract rejected the call (custom error decoded from the ABI; timestamps as dates)
`;

export const missingKey = (what = "--key <0x…> or set GAIB_KEY") => new CliError(`missing key: pass ${what}`);

/** `t` [s] as an ISO date (seconds precision, UTC). */
export function isoDate(t: bigint | number): string {
  return new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
}

/** "in 2 days 3 hours" style wait from `now` to `t` [s]; "now" when due. */
export function waitFor(t: bigint | number, now: bigint | number): string {
  const s = Number(t) - Number(now);
  if (s <= 0) return "now";
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.ceil((s % 3600) / 60);
  if (d > 0) return `${d} day${d === 1 ? "" : "s"}${h ? ` ${h} hour${h === 1 ? "" : "s"}` : ""}`;
  if (h > 0) return `${h} hour${h === 1 ? "" : "s"}${m && m < 60 ? ` ${m} min` : ""}`;
  return `${Math.max(m, 1)} min`;
}

/** `t` [s] with its date and the wait from `now`: "2026-12-04T18:00:00Z (wait 23 hours 12 min)". */
export function when(t: bigint | number, now: bigint | number): string {
  const w = waitFor(t, now);
  return `${isoDate(t)} (${w === "now" ? "due now" : `wait ${w}`})`;
}

/** An error argument named like a time (effectiveAt, maturity, vetoDeadline, captureTime, …) with a plausible unix
 *  time value is a timestamp. */
const TIME_NAME = /(At|Time|maturity|Deadline|deadline|Allowed)$/;
const isTimestamp = (name: string | undefined, v: unknown) =>
  typeof v === "bigint" && !!name && TIME_NAME.test(name) && v > 1_000_000_000n && v < 100_000_000_000n;

/** The custom error behind a failed simulation as `reverted: Name(args)` (timestamps decoded when `now` is known);
 *  other library errors as their one-line summary. */
export function describeRevert(e: unknown, now?: bigint): Error {
  if (e instanceof CliError) return e;
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError && revert.data?.errorName) {
      const args = (revert.data.args ?? []) as readonly unknown[];
      const inputs = ((revert.data.abiItem as {inputs?: {name?: string}[]}).inputs ?? []) as {name?: string}[];
      const notes: string[] = [];
      args.forEach((a, i) => {
        const name = inputs[i]?.name;
        if (isTimestamp(name, a)) notes.push(`${name} ${now === undefined ? isoDate(a as bigint) : when(a as bigint, now)}`);
      });
      const text = `reverted: ${revert.data.errorName}(${args.map((a) => String(a)).join(", ")})`;
      return new CliError(notes.length ? `${text}: ${notes.join(", ")}` : text);
    }
    return new CliError(oneLine(e.shortMessage));
  }
  return e instanceof Error ? new CliError(oneLine(e.message)) : new CliError(String(e));
}

/** The first meaningful line of a library message, without its "Version:"/"Docs:"/"Details:" banner lines. */
export function oneLine(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^(Version|Docs|Details|URL|Request body|Raw Call Arguments|Contract Call|Meta messages):/i.test(l));
  return lines[0] ?? "failed";
}

/** Reads and parses a JSON file; a missing file or bad JSON is a CliError naming the file (`what` says what it is). */
export function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new CliError(`bad file: ${file}: no such file (${what})`);
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = text.trim() === "" ? "empty file" : (e as Error).message;
    throw new CliError(`bad file: ${file}: not valid JSON (${what}): ${reason}`);
  }
}
