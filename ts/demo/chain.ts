// What every README demo step needs on the local home chain: checked sends through the one send helper (ts/lib/tx.ts:
// gas headroom, revert report), reads, time travel, and AID minted the way a KYC'd institution gets it.
import {createPublicClient, createTestClient, createWalletClient, http, type Abi, type Address, type Hex, type PrivateKeyAccount, type PublicClient, type TransactionReceipt} from "viem";
import type {HDAccount} from "viem/accounts";
import {foundry} from "viem/chains";
import {aidAbi, aidMinterAbi, mockERC20Abi, mockPriceFeedAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {send, type ContractCall, type TxTarget} from "../lib/tx.ts";

/** A local signer: an anvil dev key (`anvilAccount`) or a dev mnemonic account (`devAccount`, ts/amm/chain.ts). */
export type Account = PrivateKeyAccount | HDAccount;

export interface DemoChain extends TxTarget {
  client: PublicClient;
  test: ReturnType<typeof createTestClient>;
  /** Sends and waits; throws the decoded error of a failing simulation, or the revert report of a mined revert. */
  send(account: Account, call: ContractCall): Promise<TransactionReceipt>;
  /** `send`, mined at the timestamp of the latest block: for an amount computed from reads of that block (interest
   *  accrues by the second; the chain's clock otherwise follows the wall clock, which a loaded machine moves on
   *  between the read and the transaction). */
  sendAtReadTime(account: Account, call: ContractCall): Promise<TransactionReceipt>;
  /** The value `call` returns when sent now as `account` (a simulation). */
  simulate<T>(account: Account, call: ContractCall): Promise<T>;
  read<T>(call: ContractCall): Promise<T>;
  deploy(account: Account, abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]): Promise<Address>;
  /** Timestamp of the latest block [s]. */
  now(): Promise<bigint>;
  /** Mines a block at exactly `t` (or the next block, if `t` has passed). */
  warpTo(t: bigint): Promise<void>;
  /** Moves the clock `seconds` on and mines a block. */
  advance(seconds: number): Promise<void>;
}

export async function connectDemo(rpcUrl: string): Promise<DemoChain> {
  const transport = http(rpcUrl);
  const chainId = await createPublicClient({transport}).getChainId();
  const chain = {...foundry, id: chainId, rpcUrls: {default: {http: [rpcUrl]}}};
  const client = createPublicClient({chain, transport, pollingInterval: 100, cacheTime: 0}) as PublicClient;
  const test = createTestClient({chain, transport, mode: "anvil"});
  const target: TxTarget = {client, rpcUrl, chainId};
  const now = async () => (await client.getBlock()).timestamp;
  const c: DemoChain = {
    ...target,
    test,
    send: (account, call) => send(target, account, call),
    async sendAtReadTime(account, call) {
      await test.setNextBlockTimestamp({timestamp: await now()});
      return send(target, account, call);
    },
    async simulate<T>(account: Account, call: ContractCall) {
      const {result} = await client.simulateContract({...call, account, chain} as never);
      return result as T;
    },
    read: <T>(call: ContractCall) => client.readContract(call as never) as Promise<T>,
    async deploy(account, abi, bytecode, args) {
      const hash = await createWalletClient({chain, transport, account}).deployContract({abi: abi as Abi, bytecode, args} as never);
      const receipt = await client.waitForTransactionReceipt({hash});
      if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploy reverted (tx ${hash})`);
      return receipt.contractAddress;
    },
    now,
    async warpTo(t) {
      if (t > (await now())) await test.setNextBlockTimestamp({timestamp: t});
      await test.mine({blocks: 1});
    },
    async advance(seconds) {
      await test.increaseTime({seconds});
      await test.mine({blocks: 1});
    },
  };
  return c;
}

export const aidBalance = (c: DemoChain, d: LocalDeployment, who: Address) =>
  c.read<bigint>({address: d.aid, abi: aidAbi, functionName: "balanceOf", args: [who]});

/** The minter's per-block mint cap [wad]: larger amounts are minted in chunks, one a second. */
const MINT_CHUNK = 5_000_000n * 10n ** 18n;

/** AID the way a KYC'd institution gets it: the admin (the local whitelist manager; anvil account 0) whitelists `to`,
 *  mints it mock USDC, and `to` mints AID 1:1 through the minter, at least `amount` [wad] (USDC has 6 decimals: each
 *  chunk is rounded up to whole USDC units). */
export async function mintAid(c: DemoChain, d: LocalDeployment, to: Account, amount: bigint, admin: Account = anvilAccount(0)): Promise<void> {
  const role = await c.read<Hex>({address: d.minter, abi: aidMinterAbi, functionName: "WHITELISTED_ROLE"});
  if (!(await c.read<boolean>({address: d.minter, abi: aidMinterAbi, functionName: "hasRole", args: [role, to.address]}))) {
    await c.send(admin, {address: d.minter, abi: aidMinterAbi, functionName: "grantRole", args: [role, to.address]});
  }
  // a local feed does not tick by itself: refresh it after the time jumps
  await c.send(admin, {address: d.usdcFeed, abi: mockPriceFeedAbi, functionName: "setAnswer", args: [100_000_000n]});
  for (let left = amount; left > 0n; ) {
    const chunk = left < MINT_CHUNK ? left : MINT_CHUNK;
    const usdc = (chunk + 10n ** 12n - 1n) / 10n ** 12n;
    await c.send(admin, {address: d.usdc, abi: mockERC20Abi, functionName: "mint", args: [to.address, usdc]});
    await c.send(to, {address: d.usdc, abi: mockERC20Abi, functionName: "approve", args: [d.minter, usdc]});
    await c.send(to, {address: d.minter, abi: aidMinterAbi, functionName: "mint", args: [d.usdc, usdc, usdc * 10n ** 12n, to.address]});
    await c.advance(1); // the per-block mint cap is stamped by timestamp: next second
    left -= chunk;
  }
}
