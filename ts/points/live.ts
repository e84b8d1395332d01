// The points table a server answers from, refreshed in the background. `kick()` (after each follower step that indexed
// new blocks, after a referral binding) starts a refresh unless one runs; kicks while one runs coalesce into ONE
// follow-up refresh (so the table catches up with the newest head, never more than one refresh behind). Requests read
// `current`: the last COMPLETE table, swapped in by one assignment when a refresh ends, together with the blocks it
// describes; they never wait for a refresh, except before the first table exists (then they wait for the first one,
// and get its error if it fails). A refresh that fails leaves the last table in place and is recorded in `error`
// (what the API shows as the points' stale marker) and logged; the next kick tries again.
//
// The computation itself is pointsTable (ts/points/compute.ts): the incremental engine, which replays from scratch on a
// reorg or a config change exactly as before, so the table served is the same whether the server refreshes in the
// background or per request.
import type {Db} from "../indexer/db.ts";
import type {PointsConfig} from "./config.ts";
import {pointsTable, type PointsTable} from "./compute.ts";

export interface PointsState {
  table: PointsTable;
  /** when the refresh that produced it ended [ms since epoch], and how long it took [ms] */
  at: number;
  ms: number;
}

export interface RefreshFailure {
  message: string;
  at: number;
  /** the table still served (null: none yet) describes these blocks */
  since: Map<number, bigint> | null;
}

/** What a refresh computes: the points of the index as it is now (tests pass a controllable stub). */
export type ComputePoints = () => Promise<PointsTable>;

export interface LivePointsOptions {
  log?: (line: string) => void;
}

export class PointsNotReady extends Error {}

export class LivePoints {
  /** the last complete table (null before the first) */
  current: PointsState | null = null;
  /** the last refresh's failure (null after a success) */
  error: RefreshFailure | null = null;
  readonly stats = {refreshes: 0, failures: 0, kicks: 0, coalesced: 0, lastMs: 0};
  private running: Promise<void> | null = null;
  private again = false;
  private readonly log: (line: string) => void;

  constructor(
    private readonly compute: ComputePoints,
    opts: LivePointsOptions = {},
  ) {
    this.log = opts.log ?? console.error;
  }

  /** The background refresh of `db`'s points under `cfg` (the engine pointsTable keeps per database and config). */
  static of(db: Db, cfg: PointsConfig, opts?: LivePointsOptions): LivePoints {
    return new LivePoints(() => pointsTable(db, cfg), opts);
  }

  /** Whether a refresh is running (or a follow-up is queued behind it). */
  get refreshing(): boolean {
    return this.running !== null;
  }

  /** Starts a refresh in the background; while one runs, this only asks for one follow-up refresh after it. */
  kick(): void {
    this.stats.kicks++;
    if (this.running) {
      if (this.again) this.stats.coalesced++;
      this.again = true;
      return;
    }
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        const t0 = performance.now();
        try {
          const table = await this.compute();
          const ms = performance.now() - t0;
          this.current = {table, at: Date.now(), ms}; // the swap: one assignment, a complete table
          this.stats.refreshes++;
          this.stats.lastMs = ms;
          if (this.error) this.log(`points: refreshed again (blocks ${blocksText(table.blocks)})`);
          this.error = null;
        } catch (e) {
          this.stats.failures++;
          const message = ((e as Error).message ?? String(e)).split("\n")[0]!;
          const since = this.current?.table.blocks ?? null;
          if (!this.error) this.log(`points: background refresh failed: ${message}; serving the table at ${since ? `blocks ${blocksText(since)}` : "(none yet)"}`);
          this.error = {message, at: Date.now(), since};
        }
      } while (this.again);
    } finally {
      this.running = null;
    }
  }

  /** Resolves when no refresh runs and none is queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The last complete table. Before the first one: waits for the first refresh (starting one when none runs) and
   *  throws its error when it fails. */
  async table(): Promise<PointsState> {
    if (this.current) return this.current;
    if (!this.running) this.kick();
    await this.idle();
    if (this.current) return this.current;
    throw new PointsNotReady(this.error ? this.error.message : "no points table yet");
  }
}

const blocksText = (blocks: Map<number, bigint>) => [...blocks].map(([id, b]) => `${id}:${b}`).join(", ") || "-";
