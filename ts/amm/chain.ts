// Viem clients and a checked send/read for the AMM scenarios: one Anvil, several anvil dev accounts.
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TestClient,
  type TransactionReceipt,
} from "viem";
import {mnemonicToAccount, type HDAccount, type PrivateKeyAccount} from "viem/accounts";
import {foundry} from "viem/chains";
import {send} from "../lib/tx.ts";

/** Anvil's default dev mnemonic (local chains only, never real funds); anvil funds its first 10 accounts. */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

export type Account = PrivateKeyAccount | HDAccount;

export interface ContractCall {
  address: Address;
  abi: Abi | readonly unknown[];
  functionName: string;
  args?: readonly unknown[];
}

export interface Chain {
  rpcUrl: string;
  pub: PublicClient;
  test: TestClient;
  /** Sends a transaction, waits for it and throws (with the decoded revert when simulation catches it) on failure. */
  send(account: Account, call: ContractCall): Promise<TransactionReceipt>;
  /** Deploys creation `bytecode` (+ encoded constructor `args`) and returns the new address. */
  deploy(account: Account, abi: Abi | readonly unknown[], bytecode: Hex, args?: readonly unknown[]): Promise<Address>;
  read<T>(call: ContractCall): Promise<T>;
  /** Advances time by `seconds` and mines one block. */
  step(seconds: number): Promise<void>;
  snapshot(): Promise<Hex>;
  revert(id: Hex): Promise<void>;
}

/** Anvil dev account `index` (0..9) from the default mnemonic. */
export function devAccount(index: number): HDAccount {
  return mnemonicToAccount(ANVIL_MNEMONIC, {addressIndex: index});
}

export async function connect(rpcUrl: string): Promise<Chain> {
  const transport = http(rpcUrl);
  const id = await createPublicClient({transport}).getChainId();
  const chain = {...foundry, id, rpcUrls: {default: {http: [rpcUrl]}}};
  // no block-number cache: a local story mines and reads the head at once (viem caches it for pollingInterval)
  const pub = createPublicClient({chain, transport, pollingInterval: 100, cacheTime: 0}) as PublicClient;
  const test = createTestClient({chain, transport, mode: "anvil"}) as unknown as TestClient;
  const wallet = (account: Account) => createWalletClient({chain, transport, account});

  const check = async (hash: Hex, what: string): Promise<TransactionReceipt> => {
    const receipt = await pub.waitForTransactionReceipt({hash});
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };

  return {
    rpcUrl,
    pub,
    test,
    // the shared send (ts/lib/tx.ts): headroom over the estimate (the tx may land in a later second where e.g. the pool
    // writes a new oracle observation, a cold SSTORE the estimate did not see) and a revert report
    send: (account, call) => send({client: pub, rpcUrl, chainId: id}, account, call),
    async deploy(account, abi, bytecode, args = []) {
      const hash = await wallet(account).deployContract({abi: abi as Abi, bytecode, args} as never);
      const receipt = await check(hash, "deploy");
      if (!receipt.contractAddress) throw new Error(`deploy ${hash}: no contract address`);
      return receipt.contractAddress;
    },
    read: <T>(call: ContractCall) => pub.readContract(call as never) as Promise<T>,
    async step(seconds) {
      await test.increaseTime({seconds});
      await test.mine({blocks: 1});
    },
    snapshot: () => test.snapshot(),
    async revert(id) {
      const ok = await test.request({method: "evm_revert", params: [id]} as never);
      if (ok !== true) throw new Error(`evm_revert ${id} failed`);
    },
  };
}
