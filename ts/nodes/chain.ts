// The node simulation's chain access (issue 17): one HTTP transport that batches the JSON-RPC calls made in the same
// tick (`batch: true`), transactions signed locally with explicit nonces and fixed gas limits and sent together
// (`sendMany`: the operators' attestations of an epoch, the registration batches), their receipts fetched in one
// batched round trip, and the time spent in each (`Stages`: rpc, receipts).
import {
  createPublicClient,
  createTestClient,
  encodeFunctionData,
  http,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type {PrivateKeyAccount} from "viem/accounts";
import {foundry} from "viem/chains";
import {stakingVaultAbi} from "../abi/generated.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {poolReport, revertReport, send as sendTx, TxNotMinedError, WAIT_MAX_BLOCKS} from "../lib/tx.ts";

/** Milliseconds spent per stage of the run (the bench's `--profile` table). */
export type Stages = Record<string, number>;

export interface Ctx {
  rpcUrl: string;
  d: LocalDeployment;
  client: PublicClient;
  test: ReturnType<typeof createTestClient>;
  chain: Chain;
  stages: Stages;
  /** Whether the node mines a block for each transaction on its own (Anvil's automine). The bench turns it off: its
   *  automine queues a snapshot of the pool each time a transaction arrives while a block is being built and mines
   *  the snapshots one block each, in order; at 100,000 nodes a block takes ≈ 5 s (the state root), so the snapshots
   *  of transactions already mined (by `receiptsOf`'s explicit mining, or by an earlier snapshot) piled up and were
   *  mined as empty blocks, one every ≈ 5 s, and a transaction sent later waited behind all of them. Without it
   *  every send here mines its own block. */
  automine: boolean;
}

export async function connect(rpcUrl: string, d: LocalDeployment, stages: Stages): Promise<Ctx> {
  const transport = http(rpcUrl, {batch: {batchSize: 2_000, wait: 0}});
  const client = createPublicClient({transport, pollingInterval: 25});
  const chainId = await client.getChainId();
  const chain: Chain = {...foundry, id: chainId};
  const automine = await client.request({method: "anvil_getAutomine"} as never).then(
    (on) => on !== false,
    () => true, // not Anvil: the node mines on its own
  );
  return {rpcUrl, d, client, chain, stages, automine, test: createTestClient({mode: "anvil", chain, transport: http(rpcUrl)})};
}

/** Adds the time `fn` takes to `stages[stage]`. */
export async function timed<T>(stages: Stages, stage: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    stages[stage] = (stages[stage] ?? 0) + performance.now() - t0;
  }
}

/** One contract call sent as a transaction. */
export interface TxCall {
  account: PrivateKeyAccount;
  address: Address;
  abi: readonly unknown[];
  functionName: string;
  args: readonly unknown[];
  /** Fixed gas limit (no estimate: the estimate re-executes the call); the receipt's gasUsed is the real cost. */
  gas: bigint;
}

/** Sends a contract call and waits for it through the shared send (ts/lib/tx.ts: headroom over the estimate, a revert
 *  report); with `gasLimit` it skips the simulation and the estimate. Set-up and rare calls. */
export function send(ctx: Ctx, account: PrivateKeyAccount, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], gasLimit?: bigint) {
  const target = {client: ctx.client, rpcUrl: ctx.rpcUrl, chainId: ctx.chain.id};
  return timed(ctx.stages, "rpc", () =>
    sendTx(target, account, {address, abi, functionName, args}, {
      timeoutMs: 300_000,
      ...(gasLimit !== undefined ? {gas: gasLimit} : {}),
      ...(ctx.automine ? {} : {mine: () => ctx.test.mine({blocks: 1})}),
    }),
  );
}

/** Sends every call (each account's in order, nonces assigned here, all signed locally and submitted in one batched
 *  round trip), then fetches all receipts in one more; throws the shared revert report on the first reverted one. */
export async function sendMany(ctx: Ctx, calls: readonly TxCall[]): Promise<TransactionReceipt[]> {
  if (calls.length === 0) return [];
  const hashes = await timed(ctx.stages, "rpc", async () => {
    const accounts = [...new Set(calls.map((c) => c.account))];
    const [block, ...nonces] = await Promise.all([ctx.client.getBlock({blockTag: "latest"}), ...accounts.map((a) => ctx.client.getTransactionCount({address: a.address, blockTag: "pending"}))]);
    // the price from the base fee (twice it: room for 6 full blocks of growth) plus a fixed 1 gwei tip; not from
    // eth_gasPrice, which on Anvil adds the tips recently paid: paying a multiple of it compounded round after round
    // (× 1.5 each) until, at 68,000 nodes, the operators could no longer pay and Anvil dropped their registrations
    const gasPrice = 2n * (block.baseFeePerGas ?? 0n) + 1_000_000_000n;
    const next = new Map(accounts.map((a, i) => [a, nonces[i]!]));
    const raws = await Promise.all(
      calls.map((c) => {
        const nonce = next.get(c.account)!;
        next.set(c.account, nonce + 1);
        const data = encodeFunctionData({abi: c.abi, functionName: c.functionName, args: c.args} as never);
        return c.account.signTransaction({to: c.address, data, gas: c.gas, gasPrice, nonce, chainId: ctx.chain.id, type: "legacy"});
      }),
    );
    // one account's transactions in nonce order within the batch
    const sent = await Promise.all(raws.map((raw) => ctx.client.request({method: "eth_sendRawTransaction", params: [raw]}) as Promise<Hex>));
    if (!ctx.automine) await ctx.test.mine({blocks: 1}); // all of them, as many as fit; receiptsOf mines the rest
    return sent;
  });
  const receipts = await timed(ctx.stages, "receipts", () => receiptsOf(ctx, hashes));
  for (const [i, r] of receipts.entries()) {
    if (r.status !== "success") {
      const c = calls[i]!;
      throw await revertReport({client: ctx.client, rpcUrl: ctx.rpcUrl, chainId: ctx.chain.id}, c.account, c, r);
    }
  }
  return receipts;
}

/** The receipts of `hashes`, fetched together (one batched round trip per try). Anvil's automine mines what fits in
 *  one block when transactions arrive together and leaves the rest pending until the next one: mine a block for
 *  those, at most `WAIT_MAX_BLOCKS`. A transaction still pooled after that, or neither mined nor known to the node any
 *  more (dropped from the pool, e.g. its sender could not pay for it when its turn came), throws `TxNotMinedError`
 *  with the pool's state, instead of mining empty blocks for it. */
export async function receiptsOf(ctx: Ctx, hashes: readonly Hex[], maxBlocks = WAIT_MAX_BLOCKS): Promise<TransactionReceipt[]> {
  const out = new Array<TransactionReceipt | undefined>(hashes.length);
  for (let tries = 0; ; tries++) {
    const missing = hashes.map((_, i) => i).filter((i) => !out[i]);
    if (missing.length === 0) return out as TransactionReceipt[];
    if (tries > 0) {
      const known = await Promise.all(missing.map((i) => ctx.client.request({method: "eth_getTransactionByHash", params: [hashes[i]!]})));
      const dropped = missing.filter((_, j) => known[j] === null);
      const stuck = dropped.length ? dropped : tries > maxBlocks ? missing : [];
      if (stuck.length) {
        const first = hashes[stuck[0]!]!;
        const why = dropped.length ? `${dropped.length} dropped by the node (neither mined nor pending)` : `${missing.length} still pending after ${maxBlocks} blocks mined for them`;
        throw new TxNotMinedError(`${hashes.length} transactions sent together`, first, why, await poolReport(ctx.client, first));
      }
      await ctx.test.mine({blocks: 1});
    }
    const got = await Promise.all(missing.map((i) => ctx.client.getTransactionReceipt({hash: hashes[i]!}).catch(() => undefined)));
    for (const [j, i] of missing.entries()) out[i] = got[j];
  }
}

export function read<T>(ctx: Ctx, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []): Promise<T> {
  return timed(ctx.stages, "rpc", () => ctx.client.readContract({address, abi, functionName, args} as never) as Promise<T>);
}

export async function now(ctx: Ctx): Promise<bigint> {
  return (await timed(ctx.stages, "rpc", () => ctx.client.getBlock({blockTag: "latest"}))).timestamp;
}

export async function warpTo(ctx: Ctx, t: bigint) {
  if ((await now(ctx)) >= t) return;
  await timed(ctx.stages, "rpc", async () => {
    await ctx.test.setNextBlockTimestamp({timestamp: t});
    await ctx.test.mine({blocks: 1});
  });
}

/** The operator's active + queued pool [wad GAIB]. */
export async function pools(ctx: Ctx, operator: Address): Promise<bigint> {
  const [[a], [q]] = await Promise.all([
    read<[bigint, bigint]>(ctx, ctx.d.staking, stakingVaultAbi, "activePool", [operator]),
    read<[bigint, bigint]>(ctx, ctx.d.staking, stakingVaultAbi, "queuedPool", [operator]),
  ]);
  return a + q;
}
