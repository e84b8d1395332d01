// Runs one ChainIndexer per chain, side by side, until every chain is at its head (`follow: false`) or for ever,
// polling for new blocks (`follow: true`) until `signal` aborts. Prints a line per batch, reorg and caught-up chain.
import type {Db} from "./db.ts";
import {ChainIndexer, type StepResult} from "./indexer.ts";
import type {IndexedChain} from "./sources.ts";

export interface RunOptions {
  follow?: boolean;
  /** Wait between polls once a chain is at its head [ms], default 1,000. */
  pollMs?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export function describeStep(name: string, r: StepResult): string | undefined {
  switch (r.kind) {
    case "synced":
      return `${name}: blocks ${r.from}-${r.to} of ${r.head}: ${r.events} events`;
    case "reorg":
      return `${name}: reorg below block ${r.rolledBackFrom}: rolled back to ${r.rolledBackTo ?? "the start block"}`;
    case "retry":
      return `${name}: ${r.reason}; retrying`;
    case "idle":
      return undefined;
  }
}

export async function runIndexer(db: Db, chains: readonly IndexedChain[], opts: RunOptions = {}): Promise<void> {
  const log = opts.log ?? console.log;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      opts.signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), {once: true});
    });
  await Promise.all(
    chains.map(async (chain) => {
      const ix = new ChainIndexer(db, chain);
      await ix.init();
      let wasIdle = false;
      let retries = 0;
      while (!opts.signal?.aborted) {
        const r = await ix.step();
        const line = describeStep(chain.name, r);
        if (line) log(line);
        if (r.kind === "retry" && ++retries > 20) throw new Error(`${chain.name}: the chain keeps moving under the indexer (${r.reason})`);
        if (r.kind !== "retry") retries = 0;
        if (r.kind === "idle") {
          if (!wasIdle) log(`${chain.name}: at head ${r.head} (indexed to ${r.cursor ?? "-"})`);
          wasIdle = true;
          if (!opts.follow) return;
          await sleep(opts.pollMs ?? 1_000);
        } else wasIdle = false;
      }
    }),
  );
}
