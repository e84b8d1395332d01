// Contract writes for the local tooling: simulate (decodes custom errors), estimate with headroom, send, wait.
import {createWalletClient, http, type Address, type PrivateKeyAccount, type PublicClient, type TransactionReceipt} from "viem";
import {foundry} from "viem/chains";

export interface ContractCall {
  address: Address;
  abi: readonly unknown[];
  functionName: string;
  args?: readonly unknown[];
  value?: bigint | undefined;
}

/** Gas headroom over the estimate [%]: the estimate runs on the pending block, and state keyed by block timestamp
 *  (checkpoints, rate-limit windows) can cost more in the block the transaction actually lands in. */
export const GAS_HEADROOM_PCT = 130n;

/** Simulates, estimates (+30%), sends `call` as `account` on the chain at `rpcUrl` and returns the receipt (which
 *  may be a revert: callers check `status`). A failed simulation throws viem's decoded error. */
export async function sendContract(
  client: PublicClient,
  rpcUrl: string,
  chainId: number,
  account: PrivateKeyAccount,
  call: ContractCall,
): Promise<TransactionReceipt> {
  const chain = {...foundry, id: chainId, rpcUrls: {default: {http: [rpcUrl]}}};
  const params = {...call, args: call.args ?? [], account, chain} as never;
  const {request} = await client.simulateContract(params);
  const gas = ((await client.estimateContractGas(params)) * GAS_HEADROOM_PCT) / 100n;
  const hash = await createWalletClient({account, chain, transport: http(rpcUrl)}).writeContract({...(request as object), gas} as never);
  return client.waitForTransactionReceipt({hash});
}
