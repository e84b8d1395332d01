// The points engine: replays the indexed events of every chain (ordered by block and log index) and integrates each
// account's dollar value over block time. Everything it reads is in the index (no RPC), so the same chain gives the
// same points whether it was indexed incrementally or from scratch, in PGlite or in PostgreSQL.
//
// Units: a holding's value is in 18-decimal dollars (AID = $1; sAID at its NAV per share); it accrues
// value x seconds x 1e18 (AID) or shares x ∫NAV dt (sAID) into an integer accumulator per (account, kind, chain), and
// points = accumulator x multiplier[bps] / (1e18 x 86,400 x 10,000), floored once per (account, kind, chain): 1 AID held
// for one day at 1x is exactly 1e18 (one point). Time is clamped to [start, min(end, the chain's indexed head)].
//
// sAID NAV per share comes from the indexed events, not from reads: every ERC-4626 Deposit and Withdraw and every
// Unstaked of the home vault carries (assets, shares) at that moment; NAV is the last such ratio (1.0 before the
// first), a step function of time that every chain reads by timestamp. Why: no archive RPC is needed, a reorg or a
// re-index changes it exactly with the events, and the API answers from the database alone. Cost: between two sAID
// events the last NAV is used (vesting rewards show up at the next deposit or withdrawal; the error is the NAV drift
// since the last event, a few bps a day at most).
//
// Incremental: a PointsEngine keeps each chain's replay state (replay.ts) and the per-(account, kind, chain)
// accumulators between calls, and each refresh replays only the events after the last block it replayed, up to the
// chain's cursor; what is still held accrues to the head in a copy (`tail`), never in the kept state. Everything a
// refresh reads comes from one database snapshot (REPEATABLE READ on PostgreSQL; PGlite runs one transaction at a time).
// It starts over from scratch (same code, from block none) when what it kept could be wrong:
// - a reorg: the block it replayed last is no longer in `blocks` with the same hash (the indexer rolled back);
// - the contracts or the excluded addresses changed (a new deal, a new sAID position: exclusion is retroactive);
// - a new NAV sample is not after every sAID clock reading it kept (the home chain's index lagging behind a spoke's
//   sAID events): the integral changed under accruals already made.
// Referrals and the campaign config never enter the kept state: referrals are applied to each result, and another
// config is another engine. So incremental == from scratch exactly (points.test.ts, incremental.test.ts).
import type {Db, Queryable} from "../indexer/db.ts";
import {big} from "../indexer/db.ts";
import {configKey, type Kind, type PointsConfig} from "./config.ts";
import {ChainReplay, navIntegral, pacer, WAD, ZERO, type ContractRow, type Credit, type EventRow, type NavSamples, type Pace} from "./replay.ts";

const DAY = 86_400n;
/** events replayed between two chances to yield to the event loop */
const APPLY_CHUNK = 256;

export interface AccountPoints {
  address: string; // lower case
  /** Own points per kind (summed over chains) and per chain name (summed over kinds). */
  byKind: Record<Kind, bigint>;
  byChain: Record<string, bigint>;
  /** Earned through referees (first and second level). */
  referral: bigint;
  referrer: string | null;
  total: bigint;
}

export interface PointsTable {
  /** Ordered by total desc, then address asc; only accounts with points > 0. */
  ranked: AccountPoints[];
  byAddress: Map<string, AccountPoints>;
  /** 1-based position in `ranked`. */
  rank: Map<string, number>;
  referrers: Map<string, string>;
  /** The indexed block of every chain the table describes (chain id -> block). */
  blocks: Map<number, bigint>;
}

const ZERO_KINDS = (): Record<Kind, bigint> => ({aid: 0n, said: 0n, aidLp: 0n, saidLp: 0n});

/** account -> kind -> chain name -> value x seconds x 1e18 */
type Acc = Map<string, Map<Kind, Map<string, bigint>>>;

const creditInto =
  (acc: Acc, excluded: Set<string>): Credit =>
  (who, kind, chain, v) => {
    if (v === 0n || excluded.has(who)) return;
    let k = acc.get(who);
    if (!k) acc.set(who, (k = new Map()));
    let c = k.get(kind);
    if (!c) k.set(kind, (c = new Map()));
    c.set(chain, (c.get(chain) ?? 0n) + v);
  };

interface ChainRow {
  chain_id: number;
  name: string;
  cursor_block: unknown;
  cursor_hash: string;
  head_time: unknown;
}
interface NavRow {
  chain_id: number;
  block_number: unknown;
  log_index: number;
  block_time: unknown;
  args: Record<string, string>;
}
/** A NAV sample with its place in the full order (time, chain, block, log). */
type Sample = {time: bigint; nav: bigint; key: readonly [bigint, number, bigint, number]};
const after = (x: Sample["key"], y: Sample["key"]) => x[0] !== y[0] ? x[0] > y[0] : x[1] !== y[1] ? x[1] > y[1] : x[2] !== y[2] ? x[2] > y[2] : x[3] > y[3];

/** What one refresh reads, all from one snapshot of the database. */
interface Snapshot {
  reset: string | null;
  chains: ChainRow[];
  contracts: ContractRow[];
  shape: string;
  excluded: Set<string>;
  samples: Sample[];
  events: Map<number, EventRow[]>;
  referrers: Map<string, string>;
}

const POINTS_EVENTS = `((contract IN ('AID', 'StakedAID', 'StakedAIDOFT') AND event = 'Transfer') OR contract IN ('AIDUSDCPool', 'SAIDAIDPool', 'PositionManager'))`;

export interface EngineStats {
  /** refreshes that replayed from scratch, and why the last one did */
  full: number;
  lastReset: string | null;
  /** refreshes that replayed only the new events */
  incremental: number;
}

/** The points of one database under one campaign config, kept up to date by `refresh()` (one at a time). */
export class PointsEngine {
  readonly stats: EngineStats = {full: 0, lastReset: null, incremental: 0};
  private replays = new Map<number, ChainReplay>();
  private acc: Acc = new Map();
  private excluded = new Set<string>();
  /** the contracts and excluded addresses the kept state was built with (null: nothing kept) */
  private shape: string | null = null;
  private samples: Sample[] = [];
  private navCum: (t: bigint) => bigint;
  /** the latest time an sAID clock was read in the kept state */
  private saidMax: bigint;
  private readonly start: bigint;

  constructor(
    private readonly db: Db,
    private readonly cfg: PointsConfig,
  ) {
    this.start = BigInt(cfg.start);
    this.saidMax = this.start;
    this.navCum = navIntegral([], this.start);
  }

  /** Replays what the index gained since the last refresh (or everything, see the file comment) and returns the table. */
  async refresh(): Promise<PointsTable> {
    const snap = await this.db.tx((q) => this.read(q));
    try {
      await this.apply(snap);
    } catch (e) {
      this.shape = null; // half-applied: start over next time
      throw e;
    }
    return this.table(snap);
  }

  /** Yields to the event loop every 2 ms of the table's computation (the replay of the new events stays one
   *  synchronous step: a few ms per 500 events). */
  private readonly pace = pacer(2);

  private async read(q: Queryable): Promise<Snapshot> {
    // one snapshot for every read below (PGlite: one transaction at a time anyway)
    if (this.db.kind === "postgres") await q.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const chains = await q.query<ChainRow>(
      `SELECT c.chain_id, c.name, c.cursor_block, c.cursor_hash, b.block_time AS head_time FROM chains c
       JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.cursor_block ORDER BY c.chain_id`,
    );
    const contracts = await q.query<ContractRow>(`SELECT chain_id, address, name, token0, token1 FROM contracts ORDER BY chain_id, address`);
    const excluded = new Set<string>([ZERO, ...this.cfg.exclude, ...contracts.filter((c) => this.cfg.excludeContracts.includes(c.name)).map((c) => c.address)]);
    // positions the vault allocates to (sAID's strategies) hold AID for the vault: protocol money, never points
    if (this.cfg.excludeContracts.includes("StakedAID")) {
      for (const r of await q.query<{p: string}>(`SELECT DISTINCT lower(args->>'position') AS p FROM events WHERE contract = 'StakedAID' AND event IN ('PositionListed', 'Allocated')`)) {
        excluded.add(r.p);
      }
    }
    const shape = JSON.stringify([contracts, [...excluded].sort()]);

    let reset: string | null = this.shape === null ? "first refresh" : shape !== this.shape ? "contracts or excluded addresses changed" : null;
    for (const [id, r] of reset ? [] : this.replays) {
      const [row] = r.block === null ? [] : await q.query<{hash: string}>(`SELECT hash FROM blocks WHERE chain_id = $1 AND number = $2`, [id, r.block.toString()]);
      if (!chains.some((c) => c.chain_id === id) || (r.block !== null && row?.hash !== r.hash)) {
        reset = `reorg on chain ${id} (block ${r.block} replaced)`;
        break;
      }
    }
    const from = (id: number) => (reset ? -1n : (this.replays.get(id)?.block ?? -1n));

    // NAV samples of the home vault (contract StakedAID) in the new blocks, in (time, chain, block, log) order
    const navSamples = async () => {
      const out: Sample[] = [];
      for (const c of chains) {
        const rows = await q.query<NavRow>(
          `SELECT chain_id, block_number, log_index, block_time, args FROM events
           WHERE chain_id = $1 AND block_number > $2 AND block_number <= $3 AND contract = 'StakedAID' AND event IN ('Deposit', 'Withdraw', 'Unstaked')`,
          [c.chain_id, from(c.chain_id).toString(), String(c.cursor_block)],
        );
        for (const r of rows) {
          const shares = BigInt(r.args.shares ?? "0");
          if (shares > 0n) out.push({time: big(r.block_time), nav: (BigInt(r.args.assets ?? "0") * WAD) / shares, key: [big(r.block_time), r.chain_id, big(r.block_number), r.log_index]});
        }
      }
      return out.sort((x, y) => (after(x.key, y.key) ? 1 : -1));
    };
    let samples = await navSamples();
    const first = samples[0];
    if (!reset && first) {
      const last = this.samples[this.samples.length - 1];
      // the integral changes only after a new sample's time: it must not precede a reading already kept
      if ((last && !after(first.key, last.key)) || (first.time > this.start ? first.time : this.start) < this.saidMax) {
        reset = `a NAV sample at ${first.time} precedes sAID accruals already replayed`;
        samples = await navSamples();
      }
    }

    const events = new Map<number, EventRow[]>();
    for (const c of chains) {
      events.set(
        c.chain_id,
        await q.query<EventRow>(
          `SELECT chain_id, block_number, log_index, block_time, tx_hash, address, contract, event, args FROM events
           WHERE chain_id = $1 AND block_number > $2 AND block_number <= $3 AND ${POINTS_EVENTS} ORDER BY block_number, log_index`,
          [c.chain_id, from(c.chain_id).toString(), String(c.cursor_block)],
        ),
      );
    }
    const referrers = new Map((await q.query<{referee: string; referrer: string}>(`SELECT referee, referrer FROM referrals`)).map((r) => [r.referee, r.referrer]));
    return {reset, chains, contracts, shape, excluded, samples, events, referrers};
  }

  /** Applies a snapshot to the kept state (after every read: a failed read above leaves the state as it was). It yields
   *  to the event loop between chunks of events (a replay from scratch takes seconds); refreshes never overlap
   *  (pointsTable queues them), so nothing else touches the state meanwhile. */
  private async apply(snap: Snapshot): Promise<void> {
    if (snap.reset) {
      this.replays = new Map();
      this.acc = new Map();
      this.samples = [];
      this.saidMax = this.start;
      this.excluded = snap.excluded;
      this.shape = snap.shape;
      this.stats.full++;
      this.stats.lastReset = snap.reset;
    } else this.stats.incremental++;
    if (snap.samples.length > 0) {
      this.samples = this.samples.concat(snap.samples);
      this.navCum = navIntegral(this.samples, this.start);
    } else if (snap.reset) this.navCum = navIntegral([], this.start);
    const env = {
      start: this.start,
      end: this.cfg.end === null ? null : BigInt(this.cfg.end),
      navCum: (t: bigint) => this.navCum(t),
      saidRead: (t: bigint) => {
        if (t > this.saidMax) this.saidMax = t;
      },
    };
    const credit = creditInto(this.acc, this.excluded);
    for (const c of snap.chains) {
      let r = this.replays.get(c.chain_id);
      if (!r) this.replays.set(c.chain_id, (r = new ChainReplay(c.chain_id, c.name, snap.contracts.filter((x) => x.chain_id === c.chain_id), env, credit)));
      const rows = snap.events.get(c.chain_id) ?? [];
      for (let i = 0; i < rows.length; i += APPLY_CHUNK) {
        r.apply(rows.length <= APPLY_CHUNK ? rows : rows.slice(i, i + APPLY_CHUNK));
        await this.pace();
      }
      r.block = big(c.cursor_block);
      r.hash = c.cursor_hash;
    }
  }

  /** The table at the snapshot: the kept accumulators plus what is held accrued up to each chain's head. */
  private async table(snap: Snapshot): Promise<PointsTable> {
    const {cfg, start, pace} = this;
    const excluded = this.excluded;
    const referrers = snap.referrers;
    // everything still held accrues up to the end (the chain's indexed head or the campaign's end): in a map of its own
    const tail: Acc = new Map();
    const credit = creditInto(tail, excluded);
    for (const c of snap.chains) {
      const head = big(c.head_time);
      const cap = cfg.end === null || BigInt(cfg.end) > head ? head : BigInt(cfg.end);
      await this.replays.get(c.chain_id)!.tail(cap < start ? start : cap, credit, pace); // a chain whose head is before the campaign: nothing
    }

    // own points per (account, kind, chain): kept accumulator + tail, floored once each
    const den = WAD * DAY * 10_000n;
    const own = new Map<string, {byKind: Record<Kind, bigint>; byChain: Record<string, bigint>; base: bigint}>();
    const part = (who: string, kind: Kind, chain: string, v: bigint) => {
      let o = own.get(who);
      if (!o) own.set(who, (o = {byKind: {aid: 0n, said: 0n, aidLp: 0n, saidLp: 0n}, byChain: {}, base: 0n}));
      const p = (v * cfg.multiplierBps[kind]) / den;
      o.byKind[kind] += p;
      o.byChain[chain] = (o.byChain[chain] ?? 0n) + p;
      o.base += p;
    };
    for (const [who, kinds] of this.acc) {
      await pace();
      const t = tail.get(who);
      for (const [kind, perChain] of kinds) {
        const tk = t?.get(kind);
        for (const [chain, v] of perChain) {
          const x = tk?.get(chain);
          if (x !== undefined) tk!.delete(chain);
          part(who, kind, chain, x === undefined ? v : v + x);
        }
      }
    }
    for (const [who, kinds] of tail) {
      await pace();
      for (const [kind, perChain] of kinds) for (const [chain, v] of perChain) part(who, kind, chain, v);
    }
    // chains in name order (the order events were replayed in must not show)
    for (const o of own.values()) {
      await pace();
      const names = Object.keys(o.byChain);
      if (names.length > 1) o.byChain = Object.fromEntries(names.sort().map((n) => [n, o.byChain[n]!]));
    }

    // referrals: a referee's own points earn referralBps[0] for its referrer and referralBps[1] for the referrer's referrer
    const referral = new Map<string, bigint>();
    for (const [who, o] of own) {
      await pace();
      const r1 = referrers.get(who);
      if (!r1 || o.base === 0n) continue;
      const pay = (to: string, b: bigint) => {
        if (!excluded.has(to)) referral.set(to, (referral.get(to) ?? 0n) + (o.base * b) / 10_000n);
      };
      pay(r1, cfg.referralBps[0]);
      const r2 = referrers.get(r1);
      if (r2) pay(r2, cfg.referralBps[1]);
    }

    const byAddress = new Map<string, AccountPoints>();
    for (const who of new Set([...own.keys(), ...referral.keys()])) {
      await pace();
      const o = own.get(who) ?? {byKind: ZERO_KINDS(), byChain: {}, base: 0n};
      const r = referral.get(who) ?? 0n;
      byAddress.set(who, {address: who, byKind: o.byKind, byChain: o.byChain, referral: r, referrer: referrers.get(who) ?? null, total: o.base + r});
    }
    const ranked = await pacedSort(
      [...byAddress.values()].filter((p) => p.total > 0n),
      (x, y) => (x.total === y.total ? (x.address < y.address ? -1 : 1) : x.total > y.total ? -1 : 1),
      pace,
    );
    const rank = new Map<string, number>();
    for (const [i, p] of ranked.entries()) {
      if ((i & 255) === 0) await pace();
      rank.set(p.address, i + 1);
    }
    return {ranked, byAddress, rank, referrers, blocks: new Map(snap.chains.map((c) => [c.chain_id, big(c.cursor_block)]))};
  }
}

/** `xs` sorted by `cmp` (a total order: the result is the one Array.prototype.sort gives), in runs of 256 sorted
 *  natively and merged, with a chance to yield to the event loop between runs and every 256 merged items. */
export async function pacedSort<T>(xs: T[], cmp: (a: T, b: T) => number, pace: Pace): Promise<T[]> {
  const RUN = 256;
  let runs: T[][] = [];
  for (let i = 0; i < xs.length; i += RUN) {
    runs.push(xs.slice(i, i + RUN).sort(cmp));
    await pace();
  }
  while (runs.length > 1) {
    const next: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      const a = runs[r]!;
      const b = runs[r + 1];
      if (!b) {
        next.push(a);
        continue;
      }
      const out: T[] = new Array<T>(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < b.length) {
        out[k++] = cmp(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
        if ((k & 255) === 0) await pace();
      }
      while (i < a.length) out[k++] = a[i++]!;
      while (j < b.length) out[k++] = b[j++]!;
      next.push(out);
    }
    runs = next;
  }
  return runs[0] ?? [];
}

/** Computes every account's points from the index, from scratch. */
export function computePoints(db: Db, cfg: PointsConfig): Promise<PointsTable> {
  return new PointsEngine(db, cfg).refresh();
}

interface Cached {
  cfg: string;
  engine: PointsEngine;
  key: string | null;
  table: PointsTable | null;
  queue: Promise<unknown>;
}
const engines = new WeakMap<Db, Cached>();

/** The points of the index as it is now: the last table when no chain's cursor and no referral changed since, else
 *  the engine of this database and config refreshed (incrementally). Calls queue behind each other. */
export function pointsTable(db: Db, cfg: PointsConfig): Promise<PointsTable> {
  const ck = configKey(cfg);
  let c = engines.get(db);
  if (!c || c.cfg !== ck) engines.set(db, (c = {cfg: ck, engine: new PointsEngine(db, cfg), key: null, table: null, queue: Promise.resolve()}));
  const cached = c;
  const run = cached.queue.then(async () => {
    const cursors = await db.query<{chain_id: number; cursor_hash: string | null}>(`SELECT chain_id, cursor_hash FROM chains ORDER BY chain_id`);
    const [refs] = await db.query<{n: unknown; last: string | null}>(`SELECT count(*) AS n, max(bound_at)::text AS last FROM referrals`);
    const key = JSON.stringify([cursors, String(refs?.n), refs?.last ?? null]);
    if (cached.table && cached.key === key) return cached.table;
    // read before the refresh: at worst older than the table, and the next call refreshes (incrementally) again
    const table = await cached.engine.refresh();
    Object.assign(cached, {key, table});
    return table;
  });
  cached.queue = run.catch(() => {});
  return run;
}

/** How the engine behind `pointsTable(db, ...)` has refreshed (tests, the benchmark). */
export const pointsEngineStats = (db: Db): EngineStats | undefined => engines.get(db)?.engine.stats;
