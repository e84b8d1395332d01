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
import type {Db} from "../indexer/db.ts";
import {big} from "../indexer/db.ts";
import {configKey, KINDS, type Kind, type PointsConfig} from "./config.ts";
import {inRange, positionAmounts, type Range} from "./uniswapMath.ts";

const WAD = 10n ** 18n;
const DAY = 86_400n;
const ZERO = "0x0000000000000000000000000000000000000000";

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
}

interface EventRow {
  chain_id: number;
  block_number: unknown;
  block_time: unknown;
  tx_hash: string;
  address: string;
  contract: string;
  event: string;
  args: Record<string, string>;
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
type NavSamples = {time: bigint; nav: bigint}[];

/** ∫ NAV dt from `from` to time t, over the step function of `samples` (NAV 1.0 before the first). */
function navIntegral(samples: NavSamples, from: bigint): (t: bigint) => bigint {
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

const ZERO_KINDS = (): Record<Kind, bigint> => Object.fromEntries(KINDS.map((k) => [k, 0n])) as Record<Kind, bigint>;

/** Computes every account's points from the index. */
export async function computePoints(db: Db, cfg: PointsConfig): Promise<PointsTable> {
  const chains = await db.query<{chain_id: number; name: string; head_time: unknown}>(
    `SELECT c.chain_id, c.name, b.block_time AS head_time FROM chains c JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.cursor_block ORDER BY c.chain_id`,
  );
  const contracts = await db.query<{chain_id: number; address: string; name: string; token0: string | null; token1: string | null}>(
    `SELECT chain_id, address, name, token0, token1 FROM contracts ORDER BY chain_id, address`,
  );
  const excluded = new Set<string>([ZERO, ...cfg.exclude, ...contracts.filter((c) => cfg.excludeContracts.includes(c.name)).map((c) => c.address)]);
  // positions the vault allocates to (sAID's strategies) hold AID for the vault: protocol money, never points
  if (cfg.excludeContracts.includes("StakedAID")) {
    for (const r of await db.query<{p: string}>(`SELECT DISTINCT lower(args->>'position') AS p FROM events WHERE contract = 'StakedAID' AND event IN ('PositionListed', 'Allocated')`)) excluded.add(r.p);
  }
  const start = BigInt(cfg.start);

  // NAV samples of the home vault (contract StakedAID), over every chain's events, in (time, chain, block, log) order
  const navRows = await db.query<{block_time: unknown; args: Record<string, string>}>(
    `SELECT block_time, args FROM events WHERE contract = 'StakedAID' AND event IN ('Deposit', 'Withdraw', 'Unstaked')
     ORDER BY block_time, chain_id, block_number, log_index`,
  );
  const nav: NavSamples = navRows.flatMap((r) => {
    const shares = BigInt(r.args.shares ?? "0");
    return shares > 0n ? [{time: big(r.block_time), nav: (BigInt(r.args.assets ?? "0") * WAD) / shares}] : [];
  });
  const navCum = navIntegral(nav, start);

  // accumulators: account -> kind -> chain name -> value x seconds x 1e18
  const acc = new Map<string, Map<Kind, Map<string, bigint>>>();
  const credit = (who: string, kind: Kind, chain: string, v: bigint) => {
    if (v === 0n || excluded.has(who)) return;
    let k = acc.get(who);
    if (!k) acc.set(who, (k = new Map()));
    let c = k.get(kind);
    if (!c) k.set(kind, (c = new Map()));
    c.set(chain, (c.get(chain) ?? 0n) + v);
  };

  for (const chain of chains) {
    const head = big(chain.head_time);
    const cap = cfg.end === null || BigInt(cfg.end) > head ? head : BigInt(cfg.end);
    const end = cap < start ? start : cap; // a chain whose head is before the campaign: nothing accrues
    const clamp = (t: bigint) => (t < start ? start : t > end ? end : t);
    // the cumulative clock of each kind: AID-valued kinds accrue seconds x 1e18, sAID-valued kinds ∫NAV dt
    const cumOf = (kind: Kind, t: bigint) => (kind === "said" || kind === "saidLp" ? navCum(clamp(t)) : (clamp(t) - start) * WAD);

    const mine = contracts.filter((c) => c.chain_id === chain.chain_id);
    const aid = mine.find((c) => c.name === "AID")?.address;
    const sAID = mine.find((c) => c.name === "StakedAID" || c.name === "StakedAIDOFT")?.address;
    const npm = mine.find((c) => c.name === "PositionManager")?.address;
    const pools = new Map<string, PoolState>();
    for (const c of mine) {
      if ((c.name !== "AIDUSDCPool" && c.name !== "SAIDAIDPool") || !c.token0 || !c.token1) continue;
      const token = c.name === "AIDUSDCPool" ? aid : sAID;
      if (!token || (token !== c.token0 && token !== c.token1)) continue; // a pool of other tokens: nothing to value
      pools.set(c.address, {kind: c.name === "AIDUSDCPool" ? "aidLp" : "saidLp", side0: token === c.token0, sqrtPriceX96: 0n, tick: null, positions: new Set()});
    }

    const holdings = new Map<string, Holding>(); // `${kind}:${account}`
    const touch = (kind: Kind, who: string, t: bigint, delta: bigint) => {
      const key = `${kind}:${who}`;
      const now = cumOf(kind, t);
      const h = holdings.get(key) ?? {units: 0n, lastCum: now};
      credit(who, kind, chain.name, h.units * (now - h.lastCum));
      h.units += delta;
      h.lastCum = now;
      holdings.set(key, h);
    };
    const settle = (p: Position, kind: Kind, t: bigint) => {
      const now = cumOf(kind, t);
      credit(p.owner, kind, chain.name, p.units * (now - p.lastCum));
      p.lastCum = now;
    };
    const revalue = (p: Position, pool: PoolState) => {
      if (pool.tick === null || !inRange(p.range, pool.tick)) {
        p.units = 0n;
        return;
      }
      const {amount0, amount1} = positionAmounts(p.liquidity, p.range, pool.sqrtPriceX96, pool.tick);
      p.units = pool.side0 ? amount0 : amount1;
    };

    const nfts = new Map<string, Position>(); // position manager token id -> position
    const nftOwner = new Map<string, string>();
    const direct = new Map<string, Position>(); // `${pool}:${owner}:${lower}:${upper}` -> a position minted at the pool
    let pendingMint: {tx: string; pool: string; range: Range} | null = null;

    const rows = await db.query<EventRow>(
      `SELECT chain_id, block_number, block_time, tx_hash, address, contract, event, args FROM events
       WHERE chain_id = $1 AND ((contract IN ('AID', 'StakedAID', 'StakedAIDOFT') AND event = 'Transfer') OR contract IN ('AIDUSDCPool', 'SAIDAIDPool', 'PositionManager'))
       ORDER BY block_number, log_index`,
      [chain.chain_id],
    );
    for (const e of rows) {
      const t = big(e.block_time);
      const a = e.args;
      const lower = (k: string) => (a[k] ?? "").toLowerCase();
      if (e.event === "Transfer" && (e.address === aid || e.address === sAID)) {
        const kind: Kind = e.address === aid ? "aid" : "said";
        const v = BigInt(a.value!);
        touch(kind, lower("from"), t, -v);
        touch(kind, lower("to"), t, v);
        continue;
      }
      const pool = pools.get(e.address);
      if (pool) {
        if (e.event === "Initialize" || e.event === "Swap") {
          for (const p of pool.positions) settle(p, pool.kind, t);
          pool.sqrtPriceX96 = BigInt(a.sqrtPriceX96!);
          pool.tick = Number(a.tick);
          for (const p of pool.positions) revalue(p, pool);
        } else if (e.event === "Mint" || e.event === "Burn") {
          const range = {tickLower: Number(a.tickLower), tickUpper: Number(a.tickUpper)};
          const owner = lower("owner");
          const amount = BigInt(a.amount!);
          if (owner === npm) {
            if (e.event === "Mint") pendingMint = {tx: e.tx_hash, pool: e.address, range};
            continue; // the position manager's IncreaseLiquidity / DecreaseLiquidity that follow name the NFT
          }
          const key = `${e.address}:${owner}:${range.tickLower}:${range.tickUpper}`;
          let p = direct.get(key);
          if (!p) direct.set(key, (p = {owner, pool: e.address, range, liquidity: 0n, units: 0n, lastCum: cumOf(pool.kind, t)}));
          settle(p, pool.kind, t);
          p.liquidity += e.event === "Mint" ? amount : -amount;
          revalue(p, pool);
          if (p.liquidity > 0n) pool.positions.add(p);
          else pool.positions.delete(p);
        }
        continue;
      }
      if (e.address === npm) {
        const id = a.tokenId!;
        if (e.event === "Transfer") {
          const to = lower("to");
          nftOwner.set(id, to);
          const p = nfts.get(id);
          if (p) {
            const pl = pools.get(p.pool)!;
            settle(p, pl.kind, t);
            p.owner = to;
          }
        } else if (e.event === "IncreaseLiquidity" || e.event === "DecreaseLiquidity") {
          let p = nfts.get(id);
          const mint = pendingMint?.tx === e.tx_hash ? pendingMint : null;
          pendingMint = null;
          if (!p) {
            // a new position of a watched pool: its range and pool are the pool's Mint just before, in the same tx
            if (!mint || e.event !== "IncreaseLiquidity") continue;
            const pl = pools.get(mint.pool)!;
            p = {owner: nftOwner.get(id) ?? ZERO, pool: mint.pool, range: mint.range, liquidity: 0n, units: 0n, lastCum: cumOf(pl.kind, t)};
            nfts.set(id, p);
          }
          const pl = pools.get(p.pool)!;
          settle(p, pl.kind, t);
          const l = BigInt(a.liquidity!);
          p.liquidity += e.event === "IncreaseLiquidity" ? l : -l;
          revalue(p, pl);
          if (p.liquidity > 0n) pl.positions.add(p);
          else pl.positions.delete(p);
        }
      }
    }
    // everything still held accrues up to the end (the chain's indexed head or the campaign's end)
    for (const [key, h] of holdings) {
      const i = key.indexOf(":");
      const kind = key.slice(0, i) as Kind;
      credit(key.slice(i + 1), kind, chain.name, h.units * (cumOf(kind, end) - h.lastCum));
    }
    for (const pl of pools.values()) for (const p of pl.positions) settle(p, pl.kind, end);
  }

  // own points per (account, kind, chain), floored once each
  const den = WAD * DAY * 10_000n;
  const own = new Map<string, {byKind: Record<Kind, bigint>; byChain: Record<string, bigint>; base: bigint}>();
  for (const [who, kinds] of acc) {
    const byKind = ZERO_KINDS();
    const byChain: Record<string, bigint> = {};
    let base = 0n;
    for (const [kind, perChain] of kinds) {
      for (const [chainName, v] of perChain) {
        const p = (v * cfg.multiplierBps[kind]) / den;
        byKind[kind] += p;
        byChain[chainName] = (byChain[chainName] ?? 0n) + p;
        base += p;
      }
    }
    own.set(who, {byKind, byChain, base});
  }

  // referrals: a referee's own points earn referralBps[0] for its referrer and referralBps[1] for the referrer's referrer
  const referrers = new Map((await db.query<{referee: string; referrer: string}>(`SELECT referee, referrer FROM referrals`)).map((r) => [r.referee, r.referrer]));
  const referral = new Map<string, bigint>();
  for (const [who, o] of own) {
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
    const o = own.get(who) ?? {byKind: ZERO_KINDS(), byChain: {}, base: 0n};
    const r = referral.get(who) ?? 0n;
    byAddress.set(who, {address: who, byKind: o.byKind, byChain: o.byChain, referral: r, referrer: referrers.get(who) ?? null, total: o.base + r});
  }
  const ranked = [...byAddress.values()].filter((p) => p.total > 0n).sort((x, y) => (x.total === y.total ? (x.address < y.address ? -1 : 1) : x.total > y.total ? -1 : 1));
  return {ranked, byAddress, rank: new Map(ranked.map((p, i) => [p.address, i + 1])), referrers};
}

/** The points of the index as it is now, computed again only when a chain's cursor, the referrals or the config
 *  changed since the last call on this database. */
const cache = new WeakMap<Db, {key: string; table: Promise<PointsTable>}>();
export async function pointsTable(db: Db, cfg: PointsConfig): Promise<PointsTable> {
  const cursors = await db.query<{chain_id: number; cursor_hash: string | null}>(`SELECT chain_id, cursor_hash FROM chains ORDER BY chain_id`);
  const [refs] = await db.query<{n: unknown; last: string | null}>(`SELECT count(*) AS n, max(bound_at)::text AS last FROM referrals`);
  const key = JSON.stringify([cursors, String(refs?.n), refs?.last ?? null, configKey(cfg)]);
  const hit = cache.get(db);
  if (hit?.key === key) return hit.table;
  const table = computePoints(db, cfg);
  cache.set(db, {key, table});
  table.catch(() => cache.delete(db));
  return table;
}

