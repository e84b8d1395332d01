// The npm-script command lines (`npm run index`, `dashboard`, `points`, `local`): one parser and one rule for bad
// input — the message and the usage on stderr, exit code 2, nothing started; `-h`/`--help` prints the usage, exit 0.
import {parseArgs} from "node:util";

type Options = Record<string, {type: "string" | "boolean"; short?: string; default?: string | boolean}>;
type Values<O extends Options> = {[K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string};

/** Prints `message` and `usage` on stderr and exits 2 (bad command line). */
export function usageError(usage: string, message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/** `process.argv` parsed strictly against `options` (plus `-h`/`--help`). */
export function parseCli<O extends Options>(usage: string, options: O): Values<O> {
  let values: Values<O> & {help?: boolean};
  try {
    values = parseArgs({options: {...options, help: {type: "boolean", short: "h"}}, strict: true}).values as Values<O> & {help?: boolean};
  } catch (e) {
    return usageError(usage, (e as Error).message);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** The integer value of `--name` (0..max), undefined when absent; anything else is a usage error. */
export function intArg(usage: string, value: string | undefined, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a non-negative integer" : `an integer between 0 and ${max}`;
    usageError(usage, `--${name} must be ${range}, got "${value}"`);
  }
  return Number(value);
}
