// What the transparency page shows, computed from the index (event sums, lists) and, where a value is a contract's
// state rather than a sum of events (reserve value, liabilities, sAID NAV, the queue, a deal's state, marks and next
// due date, a node's staleness), read with viem AT THE INDEXED HEAD BLOCK of that chain, so every number of one answer
// describes the same block. Event queries are bounded by the same cursors (the indexer may commit meanwhile).
import {createPublicClient, http, type Abi, type Address, type PublicClient} from "viem";
import {aidMinterAbi, aidReserveAbi, stakedAIDAbi} from "../abi/generated.ts";
import {big, type Db} from "../indexer/db.ts";
import type {IndexedChain} from "../indexer/sources.ts";

export const WAD = 10n ** 18n;
const ZERO = "0x0000000000000000000000000000000000000000";
const DAY = 86_400;
export const DEAL_STATES = ["FUNDING", "ACTIVE", "LATE", "DEFAULTED", "RECOVERY", "MATURED", "CLOSED", "CANCELLED"] as const;

export interface Cursor {
  chainId: number;
  name: string;
  block: bigint;
  hash: string;
  time: bigint;
}

/** The index and the chains behind it. */
export class DashData {
  readonly db: Db;
  readonly chains: readonly IndexedChain[];
  private readonly clients = new Map<number, PublicClient>();
  /** Reads at historical blocks never change (keyed by block hash): cached. */
  private readonly cache = new Map<string, unknown>();

  constructor(db: Db, chains: readonly IndexedChain[]) {
    this.db = db;
    this.chains = chains;
  }

  /** The home chain: the one with the reserve (AIDReserve). */
  get home(): IndexedChain {
    const h = this.chains.find((c) => c.contracts.some((x) => x.name === "AIDReserve"));
    if (!h) throw new Error("no chain with an AIDReserve among the indexed chains");
    return h;
  }

  addr(name: string, chain: IndexedChain = this.home): Address {
    const c = chain.contracts.find((x) => x.name === name);
    if (!c) throw new Error(`${chain.name}: no ${name} in the deployment record`);
    return c.address;
  }

  client(chainId: number): PublicClient {
    let c = this.clients.get(chainId);
    if (!c) {
      const chain = this.chains.find((x) => x.chainId === chainId)!;
      c = createPublicClient({transport: http(chain.rpcUrl, {batch: true, retryCount: 0, timeout: 5_000})}) as PublicClient;
      this.clients.set(chainId, c);
    }
    return c;
  }

  /** A view call on the home chain at `block` (cached when `hash` names the block). */
  async read<T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[], at: {block: bigint; hash?: string}, chainId = this.home.chainId): Promise<T> {
    const key = at.hash ? `${chainId}:${at.hash}:${address}:${functionName}:${args.join(",")}` : undefined;
    if (key && this.cache.has(key)) return this.cache.get(key) as T;
    const v = (await this.client(chainId).readContract({address, abi, functionName, args, blockNumber: at.block} as never)) as T;
    if (key) {
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  /** The indexed head of every chain (null: not indexed yet). */
  async cursors(): Promise<Map<number, Cursor | null>> {
    const rows = await this.db.query<{chain_id: number; name: string; cursor_block: unknown; cursor_hash: string | null; block_time: unknown}>(
      `SELECT c.chain_id, c.name, c.cursor_block, c.cursor_hash, b.block_time FROM chains c
       LEFT JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.cursor_block`,
    );
    const out = new Map<number, Cursor | null>(this.chains.map((c) => [c.chainId, null]));
    for (const r of rows) {
      if (!out.has(r.chain_id)) continue;
      out.set(
        r.chain_id,
        r.cursor_block === null || !r.cursor_hash ? null : {chainId: r.chain_id, name: r.name, block: big(r.cursor_block), hash: r.cursor_hash, time: r.block_time === null ? 0n : big(r.block_time)},
      );
    }
    return out;
  }

  /** The home chain's indexed head; throws when it is not indexed yet. */
  async homeCursor(): Promise<Cursor> {
    const c = (await this.cursors()).get(this.home.chainId);
    if (!c) throw new NotIndexedError(`${this.home.name} is not indexed yet`);
    return c;
  }

  /** sAID assets per 1e18 shares at a block. */
  navPerShare(at: {block: bigint; hash?: string}): Promise<bigint> {
    return this.read<bigint>(this.addr("StakedAID"), stakedAIDAbi as Abi, "convertToAssets", [WAD], at);
  }
}

export class NotIndexedError extends Error {}

/** `[{chain_id, cursor}]` as a JSON parameter: event queries join it to count only what is at or below the cursor. */
const bound = (cursors: Map<number, Cursor | null>) =>
  JSON.stringify([...cursors.values()].filter((c): c is Cursor => c !== null).map((c) => ({chain_id: c.chainId, cursor: c.block.toString()})));
const CUR = `jsonb_to_recordset($1::jsonb) AS cur(chain_id integer, cursor bigint)`;

/** AID supply per chain from the indexed transfers: mints (from 0) less burns (to 0), up to each chain's cursor. */
export async function aidSupplyByChain(data: DashData, cursors: Map<number, Cursor | null>): Promise<Map<number, bigint>> {
  const rows = await data.db.query<{chain_id: number; supply: string}>(
    // two sums over the mint and burn rows alone (the partial indexes on from / to), not a scan of every transfer
    `SELECT cur.chain_id,
            (COALESCE((SELECT sum(t.value) FROM aid_transfers t WHERE t."from" = '${ZERO}' AND t.chain_id = cur.chain_id AND t.block_number <= cur.cursor), 0)
           - COALESCE((SELECT sum(t.value) FROM aid_transfers t WHERE t."to" = '${ZERO}' AND t.chain_id = cur.chain_id AND t.block_number <= cur.cursor), 0))::text AS supply
     FROM ${CUR}`,
    [bound(cursors)],
  );
  return new Map(rows.map((r) => [r.chain_id, BigInt(r.supply)]));
}

export interface Apy {
  /** annualised, compounded: (nav1 / nav0)^(365 days / elapsed) - 1 */
  apy: number;
  fromBlock: bigint;
  toBlock: bigint;
  /** the actual window [days]: the newest indexed block at least `window` days before the head starts it */
  days: number;
}

/** sAID's yield over the last `days` days: NAV per share at the head against the newest indexed home block at least
 *  `days` days older (null when the index has no block that old, or sAID had no NAV then). */
export async function apyOver(data: DashData, head: Cursor, days: number, navNow: bigint): Promise<Apy | null> {
  const [row] = await data.db.query<{number: unknown; hash: string; block_time: unknown}>(
    `SELECT number, hash, block_time FROM blocks WHERE chain_id = $1 AND block_time <= $2 AND number <= $3 ORDER BY number DESC LIMIT 1`,
    [head.chainId, (head.time - BigInt(days * DAY)).toString(), head.block.toString()],
  );
  if (!row) return null;
  const then = {block: big(row.number), hash: row.hash};
  let nav0: bigint;
  try {
    nav0 = await data.navPerShare(then);
  } catch {
    return null; // sAID not deployed yet at that block
  }
  if (nav0 === 0n) return null;
  const elapsed = Number(head.time - big(row.block_time));
  const ratio = Number((navNow * 10n ** 12n) / nav0) / 1e12;
  return {apy: ratio ** ((365 * DAY) / elapsed) - 1, fromBlock: then.block, toBlock: head.block, days: elapsed / DAY};
}

/** The page's headline: supply, reserve, collateral ratio, sAID, queue, per-chain heads. */
export async function summary(data: DashData) {
  const cursors = await data.cursors();
  const head = cursors.get(data.home.chainId);
  if (!head) throw new NotIndexedError(`${data.home.name} is not indexed yet`);
  const supply = await aidSupplyByChain(data, cursors);
  const at = {block: head.block, hash: head.hash};
  const reserve = data.addr("AIDReserve");
  const minter = data.addr("AIDMinter");
  const sAID = data.addr("StakedAID");
  const r = <T>(address: Address, abi: unknown, fn: string, args: readonly unknown[] = []) => data.read<T>(address, abi as Abi, fn, args, at);
  const [liquid, tbills, total, liabilities, nav, totalAssets, shares, queue] = await Promise.all([
    r<bigint>(reserve, aidReserveAbi, "liquidValue"),
    r<bigint>(reserve, aidReserveAbi, "tbillValue"),
    r<bigint>(reserve, aidReserveAbi, "totalValue"),
    r<bigint>(minter, aidMinterAbi, "liabilities"),
    data.navPerShare(at),
    r<bigint>(sAID, stakedAIDAbi, "totalAssets"),
    r<bigint>(sAID, stakedAIDAbi, "totalSupply"),
    r<readonly [bigint, bigint]>(sAID, stakedAIDAbi, "unstakeQueue"),
  ]);
  const [qHead, qTail] = queue;
  let oldest = null;
  if (qTail > qHead) {
    const [owner, requestTime, claimableAt, pendingAssets] = await r<readonly [Address, bigint, bigint, bigint]>(sAID, stakedAIDAbi, "unstakeRequest", [qHead]);
    oldest = {id: qHead, owner, requestTime, claimableAt, pendingAssets, waitingSeconds: head.time > requestTime ? head.time - requestTime : 0n};
  }
  const [apy7d, apy30d] = await Promise.all([apyOver(data, head, 7, nav), apyOver(data, head, 30, nav)]);
  const totalSupply = [...supply.values()].reduce((a, b) => a + b, 0n);
  return {
    block: head.block,
    time: head.time,
    chains: data.chains.map((c) => {
      const cur = cursors.get(c.chainId);
      return {name: c.name, chainId: c.chainId, home: c.chainId === head.chainId, indexedBlock: cur?.block ?? null, indexedTime: cur?.time ?? null, aidSupply: supply.get(c.chainId) ?? 0n};
    }),
    aid: {totalSupply},
    reserve: {
      liquid,
      tbills,
      total,
      liabilities,
      /** reserve value / liabilities (outstanding AID + queued unpaid redemptions) [bps]; null with no liabilities */
      collateralRatioBps: liabilities === 0n ? null : (total * 10_000n) / liabilities,
    },
    said: {
      navPerShare: nav,
      /** TVL: the AID sAID holds and has allocated, valued by the vault (totalAssets) */
      tvl: totalAssets,
      totalShares: shares,
      apy7d,
      apy30d,
      queue: {length: qTail - qHead, head: qHead, tail: qTail, oldest},
    },
  };
}
export type Summary = Awaited<ReturnType<typeof summary>>;

/** Home-chain blocks where `where` has events, newest first, up to the cursor (plus the cursor itself). */
async function changeBlocks(data: DashData, head: Cursor, where: string, limit: number) {
  const rows = await data.db.query<{number: unknown; hash: string; block_time: unknown}>(
    `SELECT b.number, b.hash, b.block_time FROM blocks b
     WHERE b.chain_id = $1 AND b.number <= $2 AND (b.number = $2 OR EXISTS (SELECT 1 FROM events e WHERE e.chain_id = b.chain_id AND e.block_number = b.number AND (${where})))
     ORDER BY b.number DESC LIMIT $3`,
    [head.chainId, head.block.toString(), limit],
  );
  return rows.map((r) => ({block: big(r.number), hash: r.hash, time: big(r.block_time)})).reverse();
}

/** Collateral ratio history: reserve value and liabilities read at every home block where the minter or the reserve
 *  emitted an event (mints, redemptions, invest/divest, harvests) and at the head; oldest first, the last `limit`. */
export async function collateralHistory(data: DashData, limit: number) {
  const head = await data.homeCursor();
  const blocks = await changeBlocks(data, head, `e.contract IN ('AIDMinter', 'AIDReserve')`, limit);
  const reserve = data.addr("AIDReserve");
  const minter = data.addr("AIDMinter");
  const points = await Promise.all(
    blocks.map(async (b) => {
      const [total, liabilities] = await Promise.all([
        data.read<bigint>(reserve, aidReserveAbi as Abi, "totalValue", [], b).catch(() => null),
        data.read<bigint>(minter, aidMinterAbi as Abi, "liabilities", [], b).catch(() => null),
      ]);
      if (total === null || liabilities === null) return null;
      return {block: b.block, time: b.time, reserveValue: total, liabilities, collateralRatioBps: liabilities === 0n ? null : (total * 10_000n) / liabilities};
    }),
  );
  return {block: head.block, points: points.filter((p) => p !== null)};
}

/** sAID NAV per share history: read at every home block where sAID or the reserve (harvests) emitted an event and at
 *  the head; oldest first, the last `limit`. */
export async function saidPriceHistory(data: DashData, limit: number) {
  const head = await data.homeCursor();
  const blocks = await changeBlocks(data, head, `e.contract IN ('StakedAID', 'AIDReserve')`, limit);
  const points = await Promise.all(
    blocks.map(async (b) => {
      const nav = await data.navPerShare(b).catch(() => null);
      return nav === null ? null : {block: b.block, time: b.time, navPerShare: nav};
    }),
  );
  return {block: head.block, points: points.filter((p) => p !== null)};
}
