// Runs `npm run local` as a user does (the entry ts/local/index.ts in its own process) for the tests: free ports, the
// records in a temporary folder, resolved once it prints "ready".
import {spawn, type ChildProcess} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import {Socket} from "node:net";
import {tmpdir} from "node:os";
import path from "node:path";
import {repoRoot} from "../lib/paths.ts";

/** `count` consecutive free ports on 127.0.0.1 below the kernel's ephemeral range (32768+ on Linux), where the Anvils
 *  other tests start on port 0 are never given a port: a port checked free here stays free until we bind it. */
export async function freePorts(count = 1): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * (12_000 - count));
    const open = await Promise.all(Array.from({length: count}, (_, i) => portOpen(port + i)));
    if (open.every((o) => !o)) return port;
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
    s.connect(port, "127.0.0.1");
  });
}

export interface LocalProcess {
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  out(): string;
  port: number;
  records: string;
  rpcUrl(offset?: number): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM if still running (it stops its Anvils), and the records folder removed. */
  cleanup(): void;
}

/** Starts `ts/local/index.ts <args> --port <free> --records <tmp>`; resolves once it prints "ready" (on other ports
 *  again if one was taken meanwhile). */
export async function startLocalProcess(args: readonly string[], chains: number, timeoutMs = 480_000): Promise<LocalProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(args, chains, timeoutMs);
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test((e as Error).message)) throw e;
    }
  }
}

async function startOnce(args: readonly string[], chains: number, timeoutMs: number): Promise<LocalProcess> {
  const port = await freePorts(chains);
  const records = mkdtempSync(path.join(tmpdir(), "gaib-local-"));
  const child = spawn(process.execPath, ["--import", "tsx", "ts/local/index.ts", ...args, "--port", String(port), "--records", records], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const p: LocalProcess = {
    child,
    out: () => out,
    port,
    records,
    rpcUrl: (offset = 0) => `http://127.0.0.1:${port + offset}`,
    exited,
    cleanup() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM"); // stops its Anvils too
      rmSync(records, {recursive: true, force: true});
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "ready" within ${timeoutMs / 1000} s:\n${out}`)), timeoutMs);
      const onData = (c: Buffer) => {
        out += c.toString("utf8");
        if (/^ready$/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => reject(new Error(`npm run local exited (${code}) before "ready":\n${out}`)));
    });
  } catch (e) {
    p.cleanup();
    throw e;
  }
  return p;
}
