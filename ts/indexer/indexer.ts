// The indexer core: follows one chain in batches of blocks, decodes the logs of the watched contracts and writes each
// batch in one transaction together with the new cursor (last block + its hash). Reorg-safe: every step first checks
// that the cursor block's hash is still the chain's; if not, it walks back over the stored headers to the newest one
// the chain still has (the common ancestor: hashes chain, so everything below it agrees too), deletes what lies above
// it and continues from there. Resumable: a process killed at any point leaves the last committed batch, and the next
// run continues from its cursor.
import {createPublicClient, decodeEventLog, http, toEventSelector, toHex, zeroAddress, type Abi, type AbiEvent, type Address, type Hex} from "viem";
import {big, type Db, type Queryable} from "./db.ts";
import {ABIS, type IndexedChain} from "./sources.ts";

export const DEFAULT_BATCH_BLOCKS = 2_000;
/** What providers (and viem's response-size limit) say when an eth_getLogs answer would be too large. */
const TOO_MANY = /too ?large|too many|more than|exceed|limit|range/i;

interface Header {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

interface RawLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  blockHash: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  logIndex: Hex;
  removed?: boolean;
}

export type StepResult =
  | {kind: "idle"; head: bigint; cursor: bigint | null}
  | {kind: "synced"; head: bigint; from: bigint; to: bigint; events: number}
  | {kind: "reorg"; head: bigint; rolledBackFrom: bigint; rolledBackTo: bigint | null}
  /** the chain moved under a batch being fetched (a reorg in flight): nothing written, try again */
  | {kind: "retry"; head: bigint; reason: string};

/** Decoders per contract name: topic0 -> the event's ABI item. */
const decoders = new Map<string, Map<Hex, AbiEvent>>();
function decoderOf(name: string): Map<Hex, AbiEvent> {
  let d = decoders.get(name);
  if (!d) {
    const abi = ABIS[name];
    if (!abi) throw new Error(`no ABI for contract ${name}`);
    d = new Map((abi.filter((x) => x.type === "event" && !x.anonymous) as AbiEvent[]).map((e) => [toEventSelector(e), e]));
    decoders.set(name, d);
  }
  return d;
}

/** JSON of decoded args: bigints as decimal strings. */
const argsJson = (args: unknown) => JSON.parse(JSON.stringify(args ?? {}, (_k, v) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

interface EventRow {
  chain_id: number;
  block_number: string;
  log_index: number;
  block_hash: string;
  tx_hash: string;
  tx_index: number;
  block_time: string;
  address: string;
  contract: string;
  event: string;
  args: unknown;
}

/** PGlite runs no autovacuum, so no planner statistics unless asked: without them an account's transfers (the page's
 *  account lookup) are found by walking a whole index. ANALYZE after the first events and then every 20,000. */
const ANALYZE_EVERY = 20_000;
const unanalyzed = new WeakMap<Db, number>();
async function analyzeNowAndThen(db: Db, added: number): Promise<void> {
  const n = (unanalyzed.get(db) ?? ANALYZE_EVERY) + added;
  if (added > 0 && n >= ANALYZE_EVERY) {
    await db.query("ANALYZE events");
    unanalyzed.set(db, 0);
  } else unanalyzed.set(db, n);
}

export class ChainIndexer {
  readonly chain: IndexedChain;
  private readonly db: Db;
  private readonly rpc: ReturnType<typeof createPublicClient>;
  /** lower-case address -> contract name (static + dynamic found so far, as of the cursor) */
  private watched = new Map<string, string>();
  private ready = false;

  constructor(db: Db, chain: IndexedChain) {
    this.db = db;
    this.chain = chain;
    this.rpc = createPublicClient({transport: http(chain.rpcUrl, {batch: {batchSize: 200}, retryCount: 3})});
  }

  private get start(): bigint {
    return this.chain.startBlock ?? 0n;
  }

  /** Registers the chain and its static contracts (idempotent) and checks the node serves the configured chain id. */
  async init(): Promise<void> {
    const id = Number(await this.rpc.request({method: "eth_chainId"}));
    if (id !== this.chain.chainId) throw new Error(`${this.chain.name}: ${this.chain.rpcUrl} serves chain id ${id}, not ${this.chain.chainId}`);
    await this.db.tx(async (q) => {
      await q.query(`INSERT INTO chains (chain_id, name, start_block) VALUES ($1, $2, $3) ON CONFLICT (chain_id) DO NOTHING`, [this.chain.chainId, this.chain.name, this.start.toString()]);
      for (const c of this.chain.contracts) {
        await q.query(
          `INSERT INTO contracts (chain_id, address, name, from_block, dynamic, token0, token1) VALUES ($1, $2, $3, $4, false, $5, $6) ON CONFLICT (chain_id, address) DO NOTHING`,
          [this.chain.chainId, c.address.toLowerCase(), c.name, this.start.toString(), c.tokens?.[0].toLowerCase() ?? null, c.tokens?.[1].toLowerCase() ?? null],
        );
      }
    });
    await this.loadWatched();
    this.ready = true;
  }

  private async loadWatched(): Promise<void> {
    const rows = await this.db.query<{address: string; name: string}>(`SELECT address, name FROM contracts WHERE chain_id = $1`, [this.chain.chainId]);
    this.watched = new Map(rows.map((r) => [r.address, r.name]));
  }

  async cursor(q: Queryable = this.db): Promise<{block: bigint; hash: Hex} | null> {
    const [row] = await q.query<{cursor_block: unknown; cursor_hash: string | null}>(`SELECT cursor_block, cursor_hash FROM chains WHERE chain_id = $1`, [this.chain.chainId]);
    return row && row.cursor_block !== null && row.cursor_hash ? {block: big(row.cursor_block), hash: row.cursor_hash as Hex} : null;
  }

  private async header(n: bigint): Promise<Header | null> {
    const b = (await this.rpc.request({method: "eth_getBlockByNumber", params: [toHex(n), false]})) as {hash: Hex; parentHash: Hex; timestamp: Hex; number: Hex} | null;
    return b ? {number: BigInt(b.number), hash: b.hash, parentHash: b.parentHash, timestamp: BigInt(b.timestamp)} : null;
  }

  /** eth_getLogs over [from, to]; a range whose answer is too large (the HTTP body limit, or a provider's cap on
   *  results or range) is split in halves down to single blocks. */
  private async logs(addresses: string[], from: bigint, to: bigint): Promise<RawLog[]> {
    if (addresses.length === 0) return [];
    try {
      return (await this.rpc.request({method: "eth_getLogs", params: [{address: addresses as Address[], fromBlock: toHex(from), toBlock: toHex(to)}]})) as RawLog[];
    } catch (e) {
      if (to <= from || !TOO_MANY.test(`${(e as Error).name} ${(e as Error).message}`)) throw e;
      const mid = (from + to) / 2n;
      return [...(await this.logs(addresses, from, mid)), ...(await this.logs(addresses, mid + 1n, to))];
    }
  }

  /** One step: a reorg check, then at most one batch of blocks up to head - confirmations. */
  async step(): Promise<StepResult> {
    if (!this.ready) await this.init();
    const head = BigInt(await this.rpc.request({method: "eth_blockNumber"}));
    const target = head - BigInt(this.chain.confirmations ?? 0);
    const cursor = await this.cursor();
    if (cursor) {
      const onChain = await this.header(cursor.block);
      if (onChain?.hash !== cursor.hash) return {kind: "reorg", head, rolledBackFrom: cursor.block, rolledBackTo: await this.rollBack(cursor.block)};
    }
    const from = cursor ? cursor.block + 1n : this.start;
    if (from > target) return {kind: "idle", head, cursor: cursor?.block ?? null};
    const batch = BigInt(this.chain.batchBlocks ?? DEFAULT_BATCH_BLOCKS);
    const to = from + batch - 1n < target ? from + batch - 1n : target;

    const toHeader = await this.header(to);
    const fromHeader = from === to ? toHeader : await this.header(from);
    if (!toHeader || !fromHeader) return {kind: "retry", head, reason: `block ${to} not served`};
    if (cursor && fromHeader.parentHash !== cursor.hash) return {kind: "retry", head, reason: `block ${from} does not follow the cursor`};

    // logs of the watched contracts; contracts found on the way (DealCreated) add their own logs from their block on
    const watched = new Map(this.watched);
    const found: {address: string; name: string; block: bigint}[] = [];
    let logs = await this.logs([...watched.keys()], from, to);
    for (let pending = this.discover(logs, watched, found); pending.length > 0; ) {
      const since = pending.reduce((m, f) => (f.block < m ? f.block : m), to);
      const more = await this.logs(
        pending.map((f) => f.address),
        since,
        to,
      );
      logs = logs.concat(more);
      pending = this.discover(more, watched, found);
    }
    logs = logs.filter((l) => !l.removed);
    logs.sort((a, b) => Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex)));

    // headers of the blocks with logs (timestamps), each checked against the logs' block hashes
    const numbers = [...new Set(logs.map((l) => BigInt(l.blockNumber)))].filter((n) => n !== to && n !== from);
    const headers = new Map<bigint, Header>([
      [to, toHeader],
      [from, fromHeader],
    ]);
    for (const h of await Promise.all(numbers.map((n) => this.header(n)))) if (h) headers.set(h.number, h);
    for (const l of logs) {
      if (headers.get(BigInt(l.blockNumber))?.hash !== l.blockHash) return {kind: "retry", head, reason: `log of block ${BigInt(l.blockNumber)} from another fork`};
    }
    if ((await this.header(to))?.hash !== toHeader.hash) return {kind: "retry", head, reason: `block ${to} replaced while fetching`};

    const rows: EventRow[] = [];
    for (const l of logs) {
      const name = watched.get(l.address.toLowerCase());
      const item = name ? decoderOf(name).get(l.topics[0]!) : undefined;
      if (!name || !item) continue; // not an event of this contract's ABI (nothing GAIB emits)
      let decoded: {eventName: string; args: unknown};
      try {
        decoded = decodeEventLog({abi: [item] as Abi, topics: l.topics as [Hex, ...Hex[]], data: l.data, strict: true}) as never;
      } catch {
        continue;
      }
      rows.push({
        chain_id: this.chain.chainId,
        block_number: BigInt(l.blockNumber).toString(),
        log_index: Number(BigInt(l.logIndex)),
        block_hash: l.blockHash,
        tx_hash: l.transactionHash,
        tx_index: Number(BigInt(l.transactionIndex)),
        block_time: headers.get(BigInt(l.blockNumber))!.timestamp.toString(),
        address: l.address.toLowerCase(),
        contract: name,
        event: decoded.eventName,
        args: argsJson(decoded.args),
      });
    }

    await this.db.tx(async (q) => {
      const [row] = await q.query<{cursor_block: unknown; cursor_hash: string | null}>(`SELECT cursor_block, cursor_hash FROM chains WHERE chain_id = $1 FOR UPDATE`, [this.chain.chainId]);
      if ((row?.cursor_hash ?? null) !== (cursor?.hash ?? null)) throw new Error(`${this.chain.name}: cursor moved under the indexer (two indexers on one database?)`);
      for (let i = 0; i < rows.length; i += 5_000) {
        await q.query(
          `INSERT INTO events SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(chain_id integer, block_number bigint, log_index integer, block_hash text,
             tx_hash text, tx_index integer, block_time bigint, address text, contract text, event text, args jsonb)`,
          [JSON.stringify(rows.slice(i, i + 5_000))],
        );
      }
      const hs = [...headers.values()].map((h) => ({chain_id: this.chain.chainId, number: h.number.toString(), hash: h.hash, parent_hash: h.parentHash, block_time: h.timestamp.toString()}));
      await q.query(
        `INSERT INTO blocks SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(chain_id integer, number bigint, hash text, parent_hash text, block_time bigint)
         ON CONFLICT (chain_id, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash, block_time = EXCLUDED.block_time`,
        [JSON.stringify(hs)],
      );
      for (const f of found) {
        await q.query(`INSERT INTO contracts (chain_id, address, name, from_block, dynamic) VALUES ($1, $2, $3, $4, true) ON CONFLICT (chain_id, address) DO NOTHING`, [
          this.chain.chainId,
          f.address,
          f.name,
          f.block.toString(),
        ]);
      }
      await q.query(`UPDATE chains SET cursor_block = $2, cursor_hash = $3 WHERE chain_id = $1`, [this.chain.chainId, to.toString(), toHeader.hash]);
    });
    this.watched = watched;
    if (this.db.kind === "pglite") await analyzeNowAndThen(this.db, rows.length);
    return {kind: "synced", head, from, to, events: rows.length};
  }

  /** Contracts announced by `logs` (DealFactory.DealCreated: the deal and its tranche tokens) not yet in `watched`. */
  private discover(logs: RawLog[], watched: Map<string, string>, found: {address: string; name: string; block: bigint}[]) {
    const fresh: {address: string; name: string; block: bigint}[] = [];
    for (const l of logs) {
      if (watched.get(l.address.toLowerCase()) !== "DealFactory") continue;
      const item = decoderOf("DealFactory").get(l.topics[0]!);
      if (item?.name !== "DealCreated") continue;
      const {args} = decodeEventLog({abi: [item] as Abi, topics: l.topics as [Hex, ...Hex[]], data: l.data}) as unknown as {args: {deal: Address; seniorToken: Address; juniorToken: Address}};
      const block = BigInt(l.blockNumber);
      for (const [address, name] of [
        [args.deal, "GpuDeal"],
        [args.seniorToken, "TrancheToken"],
        [args.juniorToken, "TrancheToken"],
      ] as const) {
        const a = address.toLowerCase();
        if (address === zeroAddress || watched.has(a)) continue;
        watched.set(a, name);
        const f = {address: a, name, block};
        found.push(f);
        fresh.push(f);
      }
    }
    return fresh;
  }

  /** Rolls the index back to the newest stored header the chain still has (null: none, start over). */
  private async rollBack(cursorBlock: bigint): Promise<bigint | null> {
    let ancestor: {number: bigint; hash: string} | null = null;
    let below = cursorBlock + 1n;
    search: for (;;) {
      const page = await this.db.query<{number: unknown; hash: string}>(`SELECT number, hash FROM blocks WHERE chain_id = $1 AND number < $2 ORDER BY number DESC LIMIT 64`, [
        this.chain.chainId,
        below.toString(),
      ]);
      if (page.length === 0) break;
      const onChain = await Promise.all(page.map((r) => this.header(big(r.number))));
      for (const [i, r] of page.entries()) {
        if (onChain[i]?.hash === r.hash) {
          ancestor = {number: big(r.number), hash: r.hash};
          break search;
        }
      }
      below = big(page[page.length - 1]!.number);
    }
    const keep = ancestor ? ancestor.number.toString() : (this.start - 1n).toString();
    await this.db.tx(async (q) => {
      const id = this.chain.chainId;
      await q.query(`DELETE FROM events WHERE chain_id = $1 AND block_number > $2`, [id, keep]);
      await q.query(`DELETE FROM blocks WHERE chain_id = $1 AND number > $2`, [id, keep]);
      await q.query(`DELETE FROM contracts WHERE chain_id = $1 AND dynamic AND from_block > $2`, [id, keep]);
      await q.query(`UPDATE chains SET cursor_block = $2, cursor_hash = $3 WHERE chain_id = $1`, [id, ancestor ? keep : null, ancestor?.hash ?? null]);
    });
    await this.loadWatched();
    return ancestor?.number ?? null;
  }

  /** Steps until the chain is indexed up to head - confirmations. */
  async syncToHead(onStep: (r: StepResult) => void = () => {}): Promise<void> {
    for (let retries = 0; ; ) {
      const r = await this.step();
      onStep(r);
      if (r.kind === "idle") return;
      if (r.kind === "retry" && ++retries > 20) throw new Error(`${this.chain.name}: chain keeps moving under the indexer (${r.reason})`);
    }
  }
}

/** A comparable dump of what the indexer stored (events, contracts, cursors): equal dumps = equal index. */
export async function snapshot(db: Db): Promise<{chains: unknown[]; contracts: unknown[]; events: unknown[]}> {
  return {
    chains: await db.query(`SELECT chain_id, name, start_block::text, cursor_block::text, cursor_hash FROM chains ORDER BY chain_id`),
    contracts: await db.query(`SELECT chain_id, address, name, from_block::text, dynamic FROM contracts ORDER BY chain_id, address`),
    events: await db.query(
      `SELECT chain_id, block_number::text, log_index, block_hash, tx_hash, tx_index, block_time::text, address, contract, event, args::text
       FROM events ORDER BY chain_id, block_number, log_index`,
    ),
  };
}
