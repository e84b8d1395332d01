// One chain's replay for the points engine (compute.ts): the state that the chain's events build up in order (holdings
// per (kind, account) with their last clock reading, the watched pools' price and positions, the position manager's
// NFTs) and the accruals they credit. `apply` takes the chain's next events (block, log order); it never reads the
// chain's head, so replaying the events in one batch or in many gives the same state and the same credits: that is
// what makes the engine incremental. `tail` credits what is still held up to a time without changing the state.
import {big} from "../indexer/db.ts";
import type {Kind} from "./config.ts";
import {inRange, positionAmounts, type Range} from "./uniswapMath.ts";

export const WAD = 10n ** 18n;
export const ZERO = "0x0000000000000000000000000000000000000000";

export interface EventRow {
  chain_id: number;
  block_number: unknown;
  log_index: number;
  block_time: unknown;
  tx_hash: string;
  address: string;
  contract: string;
  event: string;
  args: Record<string, string>;
}

export interface ContractRow {
  chain_id: number;
  address: string;
  name: string;
  token0: string | null;
  token1: string | null;
}

/** value x seconds x 1e18 (AID kinds) or shares x ∫NAV dt (sAID kinds) for `who`. */
/** Called in long loops: resolves at once, or after yielding to the event loop when the loop has run long enough
 *  (so a server answering from the last table keeps answering while the next one is computed). */
export type Pace = () => Promise<void> | void;
const noPace: Pace = () => {};

/** A Pace that yields (setImmediate) once `budgetMs` of work has passed since the last yield. */
export function pacer(budgetMs = 4): Pace {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        since = performance.now();
        resolve();
      }),
    );
  };
}

export type Credit = (who: string, kind: Kind, chain: string, v: bigint) => void;

/** What every chain's replay shares: the campaign window and the sAID NAV clock. */
export interface ReplayEnv {
  start: bigint;
  /** the campaign's end (null: open) */
  end: bigint | null;
  /** ∫ NAV dt from `start` to t (t already clamped to the window) */
  navCum(t: bigint): bigint;
  /** called with every time at which an sAID clock was read (the engine keeps the latest) */
  saidRead(t: bigint): void;
}

interface Holding {
  units: bigint;
  lastCum: bigint;
}

interface Position {
  owner: string;
  pool: string;
  range: Range;
  liquidity: bigint;
  units: bigint;
  lastCum: bigint;
}

interface PoolState {
  kind: Kind; // aidLp or saidLp
  /** The points token (AID, sAID) is token0 of the pool. */
  side0: boolean;
  sqrtPriceX96: bigint;
  tick: number | null;
  positions: Set<Position>;
}

/** NAV per share [wad] samples of the home vault: (time, nav), in event order. */
export type NavSamples = {time: bigint; nav: bigint}[];

/** ∫ NAV dt from `from` to time t, over the step function of `samples` (NAV 1.0 before the first). Adding a sample at
 *  time T changes the integral only for t > T. */
export function navIntegral(samples: NavSamples, from: bigint): (t: bigint) => bigint {
  // prefix[i]: the integral from `from` to max(from, samples[i].time)
  const times: bigint[] = [];
  const navs: bigint[] = [];
  const prefix: bigint[] = [];
  let acc = 0n;
  let lastT = from;
  let lastNav = WAD;
  for (const s of samples) {
    const t = s.time > from ? s.time : from;
    acc += lastNav * (t - lastT);
    lastT = t;
    lastNav = s.nav;
    times.push(t);
    navs.push(s.nav);
    prefix.push(acc);
  }
  return (t: bigint) => {
    if (t <= from) return 0n;
    // last sample at or before t
    let lo = 0;
    let hi = times.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= t) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return i < 0 ? WAD * (t - from) : prefix[i]! + navs[i]! * (t - times[i]!);
  };
}

export class ChainReplay {
  /** The last block replayed and its hash (null: nothing yet). */
  block: bigint | null = null;
  hash: string | null = null;
  private readonly aid: string | undefined;
  private readonly sAID: string | undefined;
  private readonly npm: string | undefined;
  private readonly pools = new Map<string, PoolState>();
  private readonly holdings = new Map<string, Holding>(); // `${kind}:${account}`
  private readonly nfts = new Map<string, Position>(); // position manager token id -> position
  private readonly nftOwner = new Map<string, string>();
  private readonly direct = new Map<string, Position>(); // `${pool}:${owner}:${lower}:${upper}` -> minted at the pool
  private pendingMint: {tx: string; pool: string; range: Range} | null = null;

  constructor(
    readonly chainId: number,
    readonly name: string,
    mine: readonly ContractRow[],
    private readonly env: ReplayEnv,
    private readonly credit: Credit,
  ) {
    this.aid = mine.find((c) => c.name === "AID")?.address;
    this.sAID = mine.find((c) => c.name === "StakedAID" || c.name === "StakedAIDOFT")?.address;
    this.npm = mine.find((c) => c.name === "PositionManager")?.address;
    for (const c of mine) {
      if ((c.name !== "AIDUSDCPool" && c.name !== "SAIDAIDPool") || !c.token0 || !c.token1) continue;
      const token = c.name === "AIDUSDCPool" ? this.aid : this.sAID;
      if (!token || (token !== c.token0 && token !== c.token1)) continue; // a pool of other tokens: nothing to value
      this.pools.set(c.address, {kind: c.name === "AIDUSDCPool" ? "aidLp" : "saidLp", side0: token === c.token0, sqrtPriceX96: 0n, tick: null, positions: new Set()});
    }
  }

  /** The kind's cumulative clock at a time already in the window: AID kinds seconds x 1e18, sAID kinds ∫NAV dt. */
  private cumAt(kind: Kind, t: bigint, kept = true): bigint {
    if (kind === "said" || kind === "saidLp") {
      if (kept) this.env.saidRead(t);
      return this.env.navCum(t);
    }
    return (t - this.env.start) * WAD;
  }

  /** An event's time clamped to the campaign (an indexed event is at or before its chain's head, so the head does not
   *  enter: the same event gets the same clock reading whenever it is replayed). */
  private cumOf(kind: Kind, t: bigint): bigint {
    const {start, end} = this.env;
    return this.cumAt(kind, t < start ? start : end !== null && t > end ? end : t);
  }

  private touch(kind: Kind, who: string, t: bigint, delta: bigint) {
    const key = `${kind}:${who}`;
    const now = this.cumOf(kind, t);
    const h = this.holdings.get(key) ?? {units: 0n, lastCum: now};
    this.credit(who, kind, this.name, h.units * (now - h.lastCum));
    h.units += delta;
    h.lastCum = now;
    this.holdings.set(key, h);
  }

  private settle(p: Position, kind: Kind, t: bigint) {
    const now = this.cumOf(kind, t);
    this.credit(p.owner, kind, this.name, p.units * (now - p.lastCum));
    p.lastCum = now;
  }

  private revalue(p: Position, pool: PoolState) {
    if (pool.tick === null || !inRange(p.range, pool.tick)) {
      p.units = 0n;
      return;
    }
    const {amount0, amount1} = positionAmounts(p.liquidity, p.range, pool.sqrtPriceX96, pool.tick);
    p.units = pool.side0 ? amount0 : amount1;
  }

  /** Replays the chain's next events (block, log order; the points-relevant ones: AID and sAID transfers, the pools',
   *  the position manager's). */
  apply(rows: readonly EventRow[]): void {
    for (const e of rows) {
      const t = big(e.block_time);
      const a = e.args;
      const lower = (k: string) => (a[k] ?? "").toLowerCase();
      if (e.event === "Transfer" && (e.address === this.aid || e.address === this.sAID)) {
        const kind: Kind = e.address === this.aid ? "aid" : "said";
        const v = BigInt(a.value!);
        this.touch(kind, lower("from"), t, -v);
        this.touch(kind, lower("to"), t, v);
        continue;
      }
      const pool = this.pools.get(e.address);
      if (pool) {
        if (e.event === "Initialize" || e.event === "Swap") {
          for (const p of pool.positions) this.settle(p, pool.kind, t);
          pool.sqrtPriceX96 = BigInt(a.sqrtPriceX96!);
          pool.tick = Number(a.tick);
          for (const p of pool.positions) this.revalue(p, pool);
        } else if (e.event === "Mint" || e.event === "Burn") {
          const range = {tickLower: Number(a.tickLower), tickUpper: Number(a.tickUpper)};
          const owner = lower("owner");
          const amount = BigInt(a.amount!);
          if (owner === this.npm) {
            if (e.event === "Mint") this.pendingMint = {tx: e.tx_hash, pool: e.address, range};
            continue; // the position manager's IncreaseLiquidity / DecreaseLiquidity that follow name the NFT
          }
          const key = `${e.address}:${owner}:${range.tickLower}:${range.tickUpper}`;
          let p = this.direct.get(key);
          if (!p) this.direct.set(key, (p = {owner, pool: e.address, range, liquidity: 0n, units: 0n, lastCum: this.cumOf(pool.kind, t)}));
          this.settle(p, pool.kind, t);
          p.liquidity += e.event === "Mint" ? amount : -amount;
          this.revalue(p, pool);
          if (p.liquidity > 0n) pool.positions.add(p);
          else pool.positions.delete(p);
        }
        continue;
      }
      if (e.address === this.npm) {
        const id = a.tokenId!;
        if (e.event === "Transfer") {
          const to = lower("to");
          this.nftOwner.set(id, to);
          const p = this.nfts.get(id);
          if (p) {
            this.settle(p, this.pools.get(p.pool)!.kind, t);
            p.owner = to;
          }
        } else if (e.event === "IncreaseLiquidity" || e.event === "DecreaseLiquidity") {
          let p = this.nfts.get(id);
          const mint = this.pendingMint?.tx === e.tx_hash ? this.pendingMint : null;
          this.pendingMint = null;
          if (!p) {
            // a new position of a watched pool: its range and pool are the pool's Mint just before, in the same tx
            if (!mint || e.event !== "IncreaseLiquidity") continue;
            const pl = this.pools.get(mint.pool)!;
            p = {owner: this.nftOwner.get(id) ?? ZERO, pool: mint.pool, range: mint.range, liquidity: 0n, units: 0n, lastCum: this.cumOf(pl.kind, t)};
            this.nfts.set(id, p);
          }
          const pl = this.pools.get(p.pool)!;
          this.settle(p, pl.kind, t);
          const l = BigInt(a.liquidity!);
          p.liquidity += e.event === "IncreaseLiquidity" ? l : -l;
          this.revalue(p, pl);
          if (p.liquidity > 0n) pl.positions.add(p);
          else pl.positions.delete(p);
        }
      }
    }
  }

  /** Credits to `credit` what everything still held accrues from its last event up to `end` (already in the campaign
   *  window: the chain's indexed head or the campaign's end); the state is left as it was. */
  async tail(end: bigint, credit: Credit, pace: Pace = noPace): Promise<void> {
    for (const [key, h] of this.holdings) {
      await pace();
      if (h.units === 0n) continue;
      const i = key.indexOf(":");
      const kind = key.slice(0, i) as Kind;
      credit(key.slice(i + 1), kind, this.name, h.units * (this.cumAt(kind, end, false) - h.lastCum));
    }
    for (const pl of this.pools.values()) for (const p of pl.positions) credit(p.owner, pl.kind, this.name, p.units * (this.cumAt(pl.kind, end, false) - p.lastCum));
  }
}
