// Test helpers: an Anvil chain with an ERC-20 standing in for AID (the same Transfer event, decoded by the AID ABI),
// activity on it (mints, transfers, burns; several per block) and the stores the indexer tests run against.
import {createPublicClient, createTestClient, createWalletClient, encodeFunctionData, http, parseUnits, type Address} from "viem";
import {foundry} from "viem/chains";
import {mockERC20Abi, mockERC20Bytecode} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {openDb, type Db} from "./db.ts";
import type {IndexedChain} from "./sources.ts";
import {startPgServer, type PgServer} from "./pgServer.ts";

export interface TokenChain {
  anvil: Anvil;
  token: Address;
  client: ReturnType<typeof createPublicClient>;
  test: ReturnType<typeof createTestClient>;
  /** `blocks` blocks with `perBlock` token transactions each (mints, transfers, burns among four accounts). */
  activity(blocks: number, perBlock?: number): Promise<void>;
  /** Calldata of one transaction of the activity (for anvil_reorg's replacement blocks). */
  transferData(to: Address, amount: bigint): `0x${string}`;
  indexed(opts?: Partial<IndexedChain>): IndexedChain;
  stop(): Promise<void>;
}

const accounts = [anvilAccount(0), anvilAccount(1), anvilAccount(2), anvilAccount(3)];

export async function startTokenChain(): Promise<TokenChain> {
  const anvil = await startAnvil({chainId: 31_337});
  const chain = {...foundry, id: 31_337};
  const transport = http(anvil.rpcUrl);
  const client = createPublicClient({chain, transport, cacheTime: 0});
  const test = createTestClient({chain, transport, mode: "anvil"});
  const wallets = accounts.map((account) => createWalletClient({account, chain, transport}));
  const hash = await wallets[0]!.deployContract({abi: mockERC20Abi, bytecode: mockERC20Bytecode, args: ["Stand-in AID", "AID", 18]});
  const token = (await client.waitForTransactionReceipt({hash})).contractAddress!;
  let step = 0;
  const nonces = new Map<number, number>();
  const nonce = async (i: number) => {
    const n = nonces.get(i) ?? (await client.getTransactionCount({address: accounts[i]!.address, blockTag: "pending"}));
    nonces.set(i, n + 1);
    return n;
  };
  const one = async () => {
    const s = step++;
    const i = s % 4;
    const amount = parseUnits(String(1 + (s % 7)), 18);
    const to = accounts[(i + 1) % 4]!.address;
    // mint first so every transfer and burn is covered
    const call =
      s % 5 === 4
        ? ({functionName: "burn", args: [accounts[i]!.address, amount / 2n]} as const)
        : s % 3 === 0
          ? ({functionName: "mint", args: [accounts[i]!.address, amount * 3n]} as const)
          : ({functionName: "transfer", args: [to, amount / 3n]} as const);
    return wallets[i]!.sendTransaction({to: token, data: encodeFunctionData({abi: mockERC20Abi, ...call} as never), gas: 100_000n, nonce: await nonce(i)});
  };
  return {
    anvil,
    token,
    client,
    test,
    async activity(blocks, perBlock = 2) {
      // first the balances every later transfer and burn needs
      for (const [i, a] of accounts.entries()) {
        await wallets[i]!.sendTransaction({to: token, data: encodeFunctionData({abi: mockERC20Abi, functionName: "mint", args: [a.address, parseUnits("1000000", 18)]}), gas: 100_000n, nonce: await nonce(i)});
      }
      await test.setAutomine(false);
      try {
        await test.mine({blocks: 1});
        for (let b = 0; b < blocks; b++) {
          const hashes: `0x${string}`[] = [];
          for (let t = 0; t < perBlock; t++) hashes.push(await one());
          await test.mine({blocks: 1});
          // every transaction of the block mined (none reverted)
          for (const h of hashes) if ((await client.getTransactionReceipt({hash: h})).status !== "success") throw new Error(`activity tx ${h} reverted`);
        }
      } finally {
        await test.setAutomine(true);
        nonces.clear();
      }
    },
    transferData: (to, amount) => encodeFunctionData({abi: mockERC20Abi, functionName: "transfer", args: [to, amount]}),
    indexed: (opts = {}) => ({name: "local", chainId: 31_337, rpcUrl: anvil.rpcUrl, contracts: [{name: "AID", address: token}], ...opts}),
    stop: () => anvil.stop(),
  };
}

/** The two stores: embedded PGlite (in memory, or in `dataDir`) and a database of a throwaway PostgreSQL cluster. */
export type StoreKind = "pglite" | "postgres";

export class Stores {
  private pg: PgServer | undefined;
  private n = 0;
  private template: Blob | undefined;
  /** In-memory PGlite dbs start from a dump of the first one (initdb once per test file: 10+ s on a loaded machine). */
  async open(kind: StoreKind): Promise<Db> {
    if (kind === "pglite") {
      if (this.template) return openDb({databaseUrl: null, loadDataDir: this.template});
      const db = await openDb({databaseUrl: null});
      this.template = await db.dump!();
      return db;
    }
    return openDb({databaseUrl: await this.url()});
  }
  /** A fresh PostgreSQL database's URL. */
  async url(): Promise<string> {
    this.pg ??= await startPgServer();
    return this.pg.createDatabase(`t${process.pid}_${++this.n}`);
  }
  async stop(): Promise<void> {
    await this.pg?.stop();
  }
}
