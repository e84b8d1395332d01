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
  /** How long to wait for the receipt [ms]; default viem's. */
  timeoutMs?: number;
}

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
  const hash = await createWalletClient({account, chain, transport: http(rpcUrl)}).writeContract({...request, gas} as never);
  return client.waitForTransactionReceipt({hash, ...(opts.timeoutMs !== undefined ? {timeout: opts.timeoutMs} : {})});
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
