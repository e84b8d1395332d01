// Keeps the index following every chain (the indexer's ChainIndexer, one step at a time, as ts/indexer/run.ts does)
// but never gives up: a step that fails (RPC or database unreachable) is recorded and retried at the next poll. What it
// records per chain is what the freshness rule reads (see staleOf).
import type {Db} from "../indexer/db.ts";
import {ChainIndexer, type StepResult} from "../indexer/indexer.ts";
import {describeStep} from "../indexer/run.ts";
import type {IndexedChain} from "../indexer/sources.ts";

export interface ChainHealth {
  name: string;
  chainId: number;
  /** The chain's head at the last successful step. */
  head: bigint | null;
  /** When the last step succeeded [ms since epoch]. */
  okAt: number | null;
  /** The last step's failure (cleared by the next success); `database`: the index's database failed, not the RPC. */
  error: {message: string; at: number; database?: boolean} | null;
}

export interface Follower {
  health: Map<number, ChainHealth>;
  stop(): Promise<void>;
}

export interface FollowOptions {
  /** Wait between polls once a chain is at its head (and after a failure) [ms], default 500. */
  pollMs?: number;
  log?: (line: string) => void;
  /** Called after every successful step of a chain (`r.kind`: "synced" / "reorg" when the index changed). */
  onStep?: (chainId: number, r: StepResult) => void;
}

const short = (e: unknown) => ((e as {shortMessage?: string}).shortMessage ?? (e as Error).message ?? String(e)).split("\n")[0]!;

/** Starts following `chains` into `db`; `stop()` ends the loops (after their current step). */
export function follow(db: Db, chains: readonly IndexedChain[], opts: FollowOptions = {}): Follower {
  const log = opts.log ?? console.log;
  const pollMs = opts.pollMs ?? 500;
  const abort = new AbortController();
  const health = new Map<number, ChainHealth>(chains.map((c) => [c.chainId, {name: c.name, chainId: c.chainId, head: null, okAt: null, error: null}]));
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        abort.signal.removeEventListener("abort", done);
        resolve();
      };
      const t = setTimeout(done, ms);
      abort.signal.addEventListener("abort", done, {once: true});
    });
  const loops = chains.map(async (chain) => {
    const ix = new ChainIndexer(db, chain);
    const h = health.get(chain.chainId)!;
    while (!abort.signal.aborted) {
      let busy = false;
      try {
        const r = await ix.step();
        const line = describeStep(chain.name, r);
        if (line) log(line);
        if (h.error) log(`${chain.name}: reachable again`);
        Object.assign(h, {head: r.head, okAt: Date.now(), error: null});
        busy = r.kind !== "idle";
        opts.onStep?.(chain.chainId, r);
      } catch (e) {
        if (!h.error) log(`${chain.name}: ${short(e)}; retrying every ${pollMs} ms`);
        // viem's errors (the RPC) carry a shortMessage; the database's (pg, PGlite) do not
        h.error = {message: short(e), at: Date.now(), database: (e as {shortMessage?: string}).shortMessage === undefined};
      }
      if (!busy) await sleep(pollMs);
    }
  });
  return {
    health,
    async stop() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}
