import {spawn, type ChildProcess} from "node:child_process";
import {createWriteStream} from "node:fs";
import {repoBin} from "./paths.ts";

export interface AnvilOptions {
  chainId?: number;
  /** 0 (default) lets the OS pick a free port; anvil reports it on stdout. */
  port?: number;
  /** Seconds between blocks; default is automine. */
  blockTime?: number;
  /** Extra anvil CLI flags. */
  extraArgs?: readonly string[];
  /** Max time to wait for the node to answer eth_chainId (ms). */
  readyTimeoutMs?: number;
}

export interface Anvil {
  rpcUrl: string;
  /** The anvil process id, where this module spawned it (memory sampling: /proc/<pid>/status). */
  pid?: number;
  port: number;
  chainId: number;
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;

// Children still running; killed if the test process exits without calling stop().
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Spawns bin/anvil bound to 127.0.0.1 and resolves once it answers eth_chainId. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const chainId = opts.chainId ?? 31337;
  const args = ["--host", HOST, "--port", String(opts.port ?? 0), "--chain-id", String(chainId)];
  if (opts.blockTime !== undefined) args.push("--block-time", String(opts.blockTime));
  args.push(...(opts.extraArgs ?? []));

  const child = spawn(repoBin("anvil"), args, {stdio: ["ignore", "pipe", "pipe"]});
  // GAIB_ANVIL_LOG=FILE: a copy of Anvil's output (it says why a pooled transaction is not mined)
  if (process.env.GAIB_ANVIL_LOG) child.stdout?.pipe(createWriteStream(process.env.GAIB_ANVIL_LOG, {flags: "a"}));
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => live.delete(child));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    const port = await listeningPort(child, opts.readyTimeoutMs ?? 30_000);
    const rpcUrl = `http://${HOST}:${port}`;
    await waitForChainId(rpcUrl, chainId, opts.readyTimeoutMs ?? 30_000);
    return {rpcUrl, pid: child.pid!, port, chainId, stop};
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Runs fn against a fresh anvil and always stops it. */
export async function withAnvil<T>(fn: (anvil: Anvil) => Promise<T>, opts: AnvilOptions = {}): Promise<T> {
  const anvil = await startAnvil(opts);
  try {
    return await fn(anvil);
  } finally {
    await anvil.stop();
  }
}

/** Resolves with the port from anvil's "Listening on" line; rejects if it exits first. */
function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => fail(`anvil did not start within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString("utf8");
      const m = LISTENING.exec(log);
      if (m?.[1]) {
        cleanup();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null): void => fail(`anvil exited early (code ${code})`);
    const fail = (msg: string): void => {
      cleanup();
      reject(new Error(`${msg}\n${log.slice(-2000)}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      // Keep draining so a chatty anvil never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Polls eth_chainId until the node answers with the expected id. */
async function waitForChainId(rpcUrl: string, chainId: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: {"content-type": "application/json"},
        body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "eth_chainId", params: []}),
      });
      const body = (await res.json()) as {result?: string};
      if (body.result !== undefined && Number(body.result) === chainId) return;
      last = `unexpected eth_chainId reply ${JSON.stringify(body)}`;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`anvil at ${rpcUrl} not ready: ${String(last)}`);
}
