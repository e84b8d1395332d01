import {repoBin, repoRoot} from "./paths.ts";
import {run, type RunOptions, type RunResult} from "./proc.ts";

/**
 * Runs the native forge through bin/forge (never the npm wrapper, which exits 0 on failed tests).
 * Defaults to the repo root as cwd; `env` is merged over process.env.
 */
export function runForge(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(repoBin("forge"), args, {
    cwd: opts.cwd ?? repoRoot,
    env: {...process.env, ...opts.env},
  });
}

/** `forge script <target> --rpc-url <url> [extra...]`, with `--broadcast` when asked. */
export function forgeScript(
  target: string,
  opts: RunOptions & {rpcUrl: string; broadcast?: boolean; extraArgs?: readonly string[]},
): Promise<RunResult> {
  const args = ["script", target, "--rpc-url", opts.rpcUrl, ...(opts.broadcast ? ["--broadcast"] : []), ...(opts.extraArgs ?? [])];
  return runForge(args, opts);
}
