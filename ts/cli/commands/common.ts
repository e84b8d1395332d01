// Helpers shared by the CLI command groups: argument parsing (bad value: …), the on-chain checks that come before any
// transaction, and amount formatting (GAIB / AID units, never raw shares or wei).
import {formatUnits, isAddress, isHex, pad, parseUnits, stringToHex, type Address, type Hex} from "viem";
import {abi} from "../abi.ts";
import type {Context} from "../context.ts";
import {CliError} from "../errors.ts";

export type Log = (line: string) => void;

export const ZERO = "0x0000000000000000000000000000000000000000";

/** A GAIB amount [wad] for people: "1234.5 GAIB". */
export const fmt = (wad: bigint) => `${formatUnits(wad, 18)} GAIB`;
/** An AID amount [wad]: "12.5 AID". */
export const fmtAid = (wad: bigint) => `${formatUnits(wad, 18)} AID`;

/** Decimal GAIB (or AID) amount -> wad. */
export function parseAmount(s: string, what = "amount"): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(s)) throw new CliError(`bad value: ${what} "${s}" (decimal, e.g. 1000 or 0.5)`);
  return parseUnits(s, 18);
}

/** A non-negative integer argument within [min, max]. */
export function parseIntArg(s: string | number | undefined, what: string, min: number, max: number): number {
  const n = typeof s === "number" ? s : /^\d+$/.test(String(s ?? "")) ? Number(s) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`bad value: ${what} "${s}" (an integer from ${min} to ${max})`);
  return n;
}

/** A uint256 id argument ("7"). */
export function parseId(s: string | number | bigint, what: string): bigint {
  if (typeof s === "bigint") return s;
  if (!/^\d+$/.test(String(s))) throw new CliError(`bad value: ${what} "${s}" (a non-negative integer)`);
  return BigInt(s);
}

/** A node id or label: 0x + 64 hex, or a short name (<= 31 bytes) stored as a right-padded string. */
export function parseNodeId(s: string): Hex {
  if (typeof s === "string" && isHex(s) && s.length === 66) return s;
  if (typeof s === "string" && isHex(s) && s.length <= 66 && s.length > 2) return pad(s, {size: 32});
  if (typeof s === "string" && s.length > 0 && s.length <= 31) return stringToHex(s, {size: 32});
  throw new CliError(`bad value: node id "${s}" (0x + 64 hex digits, or a name of at most 31 characters)`);
}

export function parseAddress(s: string, what: string): Address {
  if (typeof s !== "string" || !isAddress(s)) throw new CliError(`bad value: ${what} address "${s}"`);
  return s;
}

export async function requireOperator(ctx: Context, operator: Address): Promise<void> {
  const vault = ctx.address("stakingVault");
  if (!(await ctx.read<boolean>(vault, abi.stakingVault, "isOperator", [operator]))) {
    throw new CliError(`unknown operator ${operator}: not registered in StakingVault ${vault}`);
  }
}

export async function requireNode(ctx: Context, nodeId: Hex): Promise<Address> {
  const registry = ctx.address("nodeRegistry");
  const signer = await ctx.read<Address>(registry, abi.nodeRegistry, "signerOf", [nodeId]);
  if (signer === ZERO) throw new CliError(`unknown node ${nodeId}: not registered in NodeRegistry ${registry}`);
  return signer;
}

/** Approves the vault for `amount` GAIB if the allowance is short (call only after every check of the command). */
export async function approveGaib(ctx: Context, amount: bigint): Promise<void> {
  const [gaib, vault] = [ctx.address("gaib"), ctx.address("stakingVault")];
  const allowance = await ctx.read<bigint>(gaib, abi.gaib, "allowance", [ctx.account().address, vault]);
  if (allowance < amount) await ctx.write(gaib, abi.gaib, "approve", [vault, amount]);
}

export async function requireBalance(ctx: Context, amount: bigint): Promise<void> {
  const who = ctx.account().address;
  const balance = await ctx.read<bigint>(ctx.address("gaib"), abi.gaib, "balanceOf", [who]);
  if (balance < amount) throw new CliError(`insufficient stake: ${who} holds ${fmt(balance)}, needs ${fmt(amount)}`);
}

/** The vault's operator freeze: stake movements of an operator with pending slashes revert (OperatorFrozen). */
export async function requireNotFrozen(ctx: Context, operator: Address): Promise<void> {
  const pending = await ctx.read<bigint>(ctx.address("stakingVault"), abi.stakingVault, "pendingSlashes", [operator]);
  if (pending > 0n) throw new CliError(`reverted: OperatorFrozen(${operator}, ${pending}): ${pending} slash request(s) pending; see \`gaib slash list\``);
}
