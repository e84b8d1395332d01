// Contract writes for all the local tooling (demos, the AMM bot, the node simulation, the relayer, the CLI): simulate
// (decodes custom errors), estimate with headroom, send, wait; on a mined revert, a report with the gas used against
// the limit and the decoded reason. One implementation: every tool gets the same headroom and the same diagnosis.
import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  http,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import {foundry} from "viem/chains";

export interface ContractCall {
  address: Address;
  abi: readonly unknown[];
  functionName: string;
  args?: readonly unknown[];
  value?: bigint | undefined;
}

/** Where a transaction goes: a public client on the chain `chainId` answering at `rpcUrl`. */
export interface TxTarget {
  client: PublicClient;
  rpcUrl: string;
  chainId: number;
}

export interface SendOptions {
  /** A fixed gas limit: skips the simulation and the estimate (big batches, where estimating re-executes the call). */
  gas?: bigint;
  /** How long to wait for the receipt [ms]; default `WAIT_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** How many blocks the chain may mine after the send without this transaction; default `WAIT_MAX_BLOCKS`. */
  maxBlocks?: number;
  /** Called once the transaction is in the node's pool, before the wait: a node that does not mine on its own (Anvil
   *  with automine off) mines its block here. */
  mine?: () => Promise<unknown>;
}

/** A transaction not in a receipt after this many new blocks is stuck: the node mines without it. */
export const WAIT_MAX_BLOCKS = 50;
/** And after this long [ms] even if no block came (automine with nothing else to mine). */
export const WAIT_TIMEOUT_MS = 300_000;

/** Gas headroom over the estimate [%]: the estimate runs on the state and block the node sees at that moment; the
 *  transaction lands in a later block, where state keyed by block timestamp (accrual, checkpoints, rate-limit
 *  windows, a deal's mark) or another transaction can make the same call cost more. */
export const GAS_HEADROOM_PCT = 130n;
/** Flat headroom on top [gas]: one storage slot written from zero (22,100 with the cold access) that the estimate did
 *  not see, which a percentage of a small estimate does not cover. */
export const GAS_HEADROOM_FLAT = 25_000n;

/** The gas limit sent for an estimate of `estimate`: +30% + 25,000. */
export function withHeadroom(estimate: bigint): bigint {
  return (estimate * GAS_HEADROOM_PCT) / 100n + GAS_HEADROOM_FLAT;
}

/** A mined transaction that reverted: the gas it used against its limit and, replayed on its block's state, why. */
export class TxRevertedError extends Error {
  constructor(
    readonly functionName: string,
    readonly hash: Hex,
    readonly blockNumber: bigint,
    readonly gasUsed: bigint,
    readonly gasLimit: bigint,
    /** The decoded revert of the replay (`Err(args)`), or what the replay said. */
    readonly reason: string,
  ) {
    super(
      `${functionName} reverted (tx ${hash}, block ${blockNumber}): gas used ${gasUsed} of limit ${gasLimit}` +
        `${TxRevertedError.outOfGas(gasUsed, gasLimit) ? " (out of gas)" : ""}; ${reason}`,
    );
    this.name = "TxRevertedError";
  }

  /** Used ≥ 63/64 of the limit: the call (or a sub-call starved by the 63/64 rule) ran out of gas. */
  static outOfGas(gasUsed: bigint, gasLimit: bigint): boolean {
    return gasUsed * 64n >= gasLimit * 63n;
  }

  get outOfGas(): boolean {
    return TxRevertedError.outOfGas(this.gasUsed, this.gasLimit);
  }
}

/** `Err(arg, …)` of a viem error that carries a decoded revert, else its short message. */
export function revertReason(e: unknown): string {
  if (e instanceof BaseError) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      if (revert.data?.errorName) return `${revert.data.errorName}(${(revert.data.args ?? []).map(String).join(", ")})`;
      if (revert.reason) return revert.reason;
    }
    return e.shortMessage;
  }
  return e instanceof Error ? e.message : String(e);
}

function chainOf(t: TxTarget) {
  return {...foundry, id: t.chainId, rpcUrls: {default: {http: [t.rpcUrl]}}};
}

/** Simulates (a failing simulation throws viem's decoded error), estimates with headroom (`withHeadroom`), sends `call`
 *  as `account` and returns the receipt, which may be a revert: callers check `status` (see `send` for the checked
 *  variant). With `opts.gas` it skips the simulation and the estimate. */
export async function sendContract(
  client: PublicClient,
  rpcUrl: string,
  chainId: number,
  account: Account,
  call: ContractCall,
  opts: SendOptions = {},
): Promise<TransactionReceipt> {
  const chain = chainOf({client, rpcUrl, chainId});
  const params = {...call, args: call.args ?? [], account, chain} as never;
  let request: object = params;
  let gas = opts.gas;
  if (gas === undefined) {
    request = (await client.simulateContract(params)).request as object;
    gas = withHeadroom(await client.estimateContractGas(params));
  }
  const from = await client.getBlockNumber({cacheTime: 0});
  const hash = await createWalletClient({account, chain, transport: http(rpcUrl)}).writeContract({...request, gas} as never);
  await opts.mine?.();
  return waitMined(client, hash, {label: call.functionName, fromBlock: from, maxBlocks: opts.maxBlocks, timeoutMs: opts.timeoutMs});
}

/** A sent transaction the node did not mine: still pooled after `WAIT_MAX_BLOCKS` new blocks (or the time limit), or
 *  gone from the pool without a receipt. The message names the transaction, its nonce, gas and fees against the
 *  sender's nonce, the block's gas limit and base fee, and the pool's state. */
export class TxNotMinedError extends Error {
  constructor(
    readonly label: string,
    readonly hash: Hex,
    /** What happened: "dropped", or how long it waited. */
    readonly why: string,
    /** The transaction and the pool as the node reports them (`poolReport`). */
    readonly pool: string,
  ) {
    super(`${label} not mined (tx ${hash}): ${why}; ${pool}`);
    this.name = "TxNotMinedError";
  }
}

export interface WaitOptions {
  /** Named in the error (the function called). */
  label?: string;
  /** The head when the transaction was sent; default the head when the wait starts. */
  fromBlock?: bigint | undefined;
  maxBlocks?: number | undefined;
  timeoutMs?: number | undefined;
}

/** Waits for the receipt of `hash`, bounded: throws `TxNotMinedError` once the chain has mined `maxBlocks` blocks
 *  past `fromBlock` without it, after `timeoutMs`, or as soon as the node no longer knows it (dropped from the pool). */
export async function waitMined(client: PublicClient, hash: Hex, opts: WaitOptions = {}): Promise<TransactionReceipt> {
  const label = opts.label ?? "transaction";
  const maxBlocks = BigInt(opts.maxBlocks ?? WAIT_MAX_BLOCKS);
  const deadline = Date.now() + (opts.timeoutMs ?? WAIT_TIMEOUT_MS);
  const from = opts.fromBlock ?? (await client.getBlockNumber({cacheTime: 0}));
  const interval = Math.min(client.pollingInterval ?? 1_000, 1_000);
  for (;;) {
    const receipt = await client.getTransactionReceipt({hash}).catch(() => undefined);
    if (receipt) return receipt;
    const [head, tx] = await Promise.all([client.getBlockNumber({cacheTime: 0}), client.getTransaction({hash}).catch(() => undefined)]);
    // the receipt may have landed between the two reads
    const late = await client.getTransactionReceipt({hash}).catch(() => undefined);
    if (late) return late;
    let why: string | undefined;
    if (!tx) why = "dropped: the node no longer knows it and has no receipt";
    else if (head - from >= maxBlocks) why = `still pending after ${head - from} blocks (${from} → ${head})`;
    else if (Date.now() > deadline) why = `still pending after ${opts.timeoutMs ?? WAIT_TIMEOUT_MS} ms (${head - from} blocks)`;
    if (why) throw new TxNotMinedError(label, hash, why, await poolReport(client, hash));
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** What the node says about a transaction that is not mined: its nonce, gas and fees; the sender's nonce at `latest`
 *  and `pending` (a gap means an earlier transaction is missing); the head's gas limit and base fee; the pool's counts
 *  and the sender's pooled transactions (`txpool_*`, where the node has them). Never throws. */
export async function poolReport(client: PublicClient, hash: Hex): Promise<string> {
  const rpc = (method: string, params: unknown[]) => client.request({method, params} as never).catch((e: unknown) => `unavailable (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`) as Promise<unknown>;
  const [tx, head, status] = await Promise.all([
    client.getTransaction({hash}).catch(() => undefined),
    client.getBlock({blockTag: "latest"}).catch(() => undefined),
    rpc("txpool_status", []),
  ]);
  const parts: string[] = [];
  if (tx) {
    const fees = tx.maxFeePerGas !== undefined ? `max fee ${tx.maxFeePerGas}, tip ${tx.maxPriorityFeePerGas}` : `gas price ${tx.gasPrice}`;
    const [latest, pending] = await Promise.all(
      (["latest", "pending"] as const).map((blockTag) => client.getTransactionCount({address: tx.from, blockTag}).catch(() => undefined)),
    );
    parts.push(`from ${tx.from} nonce ${tx.nonce} (account nonce latest ${latest}, pending ${pending}), ${tx.type}, gas ${tx.gas}, ${fees}`);
  } else parts.push("the node does not know the transaction");
  if (head) parts.push(`head ${head.number} at ${head.timestamp}: gas limit ${head.gasLimit}, base fee ${head.baseFeePerGas}`);
  parts.push(`pool ${JSON.stringify(status)}`);
  if (tx) {
    const inspect = (await rpc("txpool_inspect", [])) as {pending?: Record<string, unknown>; queued?: Record<string, unknown>} | string;
    if (typeof inspect === "object") {
      const mine = (q?: Record<string, unknown>) => Object.entries(q ?? {}).find(([a]) => a.toLowerCase() === tx.from.toLowerCase())?.[1];
      parts.push(`the sender's pooled: pending ${JSON.stringify(mine(inspect.pending) ?? {})}, queued ${JSON.stringify(mine(inspect.queued) ?? {})}`);
    }
  }
  return parts.join("; ");
}

/** `sendContract`, checked: throws `TxRevertedError` (gas used vs limit, the replayed reason) when the mined
 *  transaction reverted. */
export async function send(t: TxTarget, account: Account, call: ContractCall, opts: SendOptions = {}): Promise<TransactionReceipt> {
  const receipt = await sendContract(t.client, t.rpcUrl, t.chainId, account, call, opts);
  if (receipt.status !== "success") throw await revertReport(t, account, call, receipt);
  return receipt;
}

/** Explains a mined revert: the limit the transaction carried, and the call replayed on the state after its block
 *  (a reverted transaction changed nothing; one transaction a block locally, so that is the state it ran on). */
export async function revertReport(t: TxTarget, account: Account, call: ContractCall, receipt: TransactionReceipt): Promise<TxRevertedError> {
  const tx = await t.client.getTransaction({hash: receipt.transactionHash});
  let reason: string;
  try {
    await t.client.simulateContract({...call, args: call.args ?? [], account, chain: chainOf(t), blockNumber: receipt.blockNumber, gas: tx.gas} as never);
    reason = TxRevertedError.outOfGas(receipt.gasUsed, tx.gas)
      ? "the replay with the same limit succeeds: the state it ran on needed more gas than estimated"
      : "the replay succeeds: the revert depended on the state inside its block";
  } catch (e) {
    reason = `replay: ${revertReason(e)}`;
  }
  return new TxRevertedError(call.functionName, receipt.transactionHash, receipt.blockNumber, receipt.gasUsed, tx.gas, reason);
}
