import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {concatHex, createPublicClient, createTestClient, createWalletClient, http, parseGwei, toFunctionSelector, type Address, type Hex, type PublicClient} from "viem";
import {foundry} from "viem/chains";
import {anvilAccount} from "./accounts.ts";
import {startAnvil, type Anvil} from "./anvil.ts";
import {send, TxNotMinedError, TxRevertedError, withHeadroom, type ContractCall, type TxTarget} from "./tx.ts";

// The one send helper, on a real Anvil against two hand-assembled contracts whose cost (or success) changes when
// another transaction lands first in the same block ("arm"): the situation of a transaction estimated on one state
// and mined on another. Automine is off while a test holds the block open.

/** Runtime: calldata > 4 bytes arms (slot 0 = 1); `poke()` writes slot 1 (0 → non-zero, +22,100 gas) when armed. */
const PRICEY_RUNTIME: Hex = "0x6004361160145760005415601257426001555b005b600160005500";
/** Runtime: calldata > 4 bytes arms; `poke()` reverts with `Armed()` when armed. */
const TRIPWIRE_RUNTIME = (): Hex =>
  concatHex(["0x6004361160205760005415601e57", "0x63", toFunctionSelector("Armed()"), "0x60e01b60005260046000fd5b005b600160005500"]);
const pokeAbi = [
  {type: "function", name: "poke", inputs: [], outputs: [], stateMutability: "nonpayable"},
  {type: "function", name: "arm", inputs: [{name: "x", type: "uint256"}], outputs: [], stateMutability: "nonpayable"},
  {type: "error", name: "Armed", inputs: []},
] as const;

/** Creation code returning `runtime`: CODECOPY(0, 11, len); RETURN(0, len). */
function initcode(runtime: Hex): Hex {
  const len = (runtime.length - 2) / 2;
  return concatHex([`0x60${len.toString(16).padStart(2, "0")}80600b6000396000f3`, runtime]);
}

describe("send (ts/lib/tx.ts)", () => {
  let anvil: Anvil;
  let client: PublicClient;
  let target: TxTarget;
  const [sender, armer] = [anvilAccount(1), anvilAccount(2)];

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 31_337});
    const chain = {...foundry, id: anvil.chainId};
    client = createPublicClient({chain, transport: http(anvil.rpcUrl), pollingInterval: 50}) as PublicClient;
    target = {client, rpcUrl: anvil.rpcUrl, chainId: anvil.chainId};
  });
  afterAll(async () => anvil?.stop());

  const testClient = () => createTestClient({chain: {...foundry, id: anvil.chainId}, transport: http(anvil.rpcUrl), mode: "anvil"});

  async function deploy(runtime: Hex): Promise<Address> {
    const wallet = createWalletClient({account: sender, chain: {...foundry, id: anvil.chainId}, transport: http(anvil.rpcUrl)});
    const hash = await wallet.sendTransaction({data: initcode(runtime)});
    const r = await client.waitForTransactionReceipt({hash});
    expect(await client.getCode({address: r.contractAddress!})).toBe(runtime);
    return r.contractAddress!;
  }

  /** Runs `sending` (a send of `poke`) with automine off; once it is in the pool, arms the contract with a higher tip
   *  (mined first in the same block) and mines the block. */
  async function armedInTheSameBlock<T>(address: Address, sending: () => Promise<T>): Promise<T> {
    const test = testClient();
    await test.setAutomine(false);
    try {
      const pending = sending();
      pending.catch(() => {}); // awaited below
      const inPool = async (n: number) => {
        for (let i = 0; i < 200; i++) {
          const s = (await client.request({method: "txpool_status"} as never)) as {pending: Hex};
          if (Number(s.pending) >= n) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error("transaction never reached the pool");
      };
      await inPool(1);
      const wallet = createWalletClient({account: armer, chain: {...foundry, id: anvil.chainId}, transport: http(anvil.rpcUrl)});
      await wallet.writeContract({address, abi: pokeAbi, functionName: "arm", args: [1n], gas: 100_000n, maxPriorityFeePerGas: parseGwei("50"), maxFeePerGas: parseGwei("100")});
      await inPool(2);
      await test.mine({blocks: 1});
      return await pending;
    } finally {
      await test.setAutomine(true);
    }
  }

  const poke = (address: Address): ContractCall => ({address, abi: pokeAbi, functionName: "poke"});

  it("applies the headroom: a call that costs more in its block than estimated still succeeds", async () => {
    const address = await deploy(PRICEY_RUNTIME);
    const estimate = await client.estimateContractGas({...poke(address), account: sender} as never);
    const receipt = await armedInTheSameBlock(address, () => send(target, sender, poke(address)));
    expect(receipt.status).toBe("success");
    expect(receipt.gasUsed).toBeGreaterThan(estimate); // the plain estimate would have run out of gas
    const tx = await client.getTransaction({hash: receipt.transactionHash});
    expect(tx.gas).toBe(withHeadroom(estimate));
  });

  it("reports gas used against the limit when the plain estimate runs out of gas", async () => {
    const address = await deploy(PRICEY_RUNTIME);
    const estimate = await client.estimateContractGas({...poke(address), account: sender} as never);
    const err = await armedInTheSameBlock(address, () => send(target, sender, poke(address), {gas: estimate})).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TxRevertedError);
    const r = err as TxRevertedError;
    expect(r.gasLimit).toBe(estimate);
    expect(r.gasUsed).toBe(estimate); // out of gas burns the whole limit
    expect(r.outOfGas).toBe(true);
    expect(r.message).toContain(`gas used ${estimate} of limit ${estimate} (out of gas)`);
  });

  it("decodes the custom error of a transaction that reverts in its block after a passing simulation", async () => {
    const address = await deploy(TRIPWIRE_RUNTIME());
    const err = await armedInTheSameBlock(address, () => send(target, sender, poke(address))).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TxRevertedError);
    const r = err as TxRevertedError;
    expect(r.outOfGas).toBe(false);
    expect(r.gasUsed).toBeLessThan(r.gasLimit);
    expect(r.reason).toBe("replay: Armed()");
    expect(r.message).toMatch(/^poke reverted \(tx 0x[0-9a-f]{64}, block \d+\): gas used \d+ of limit \d+; replay: Armed\(\)$/);
  });

  it("throws the decoded error before sending when the simulation fails", async () => {
    const address = await deploy(TRIPWIRE_RUNTIME());
    await send(target, armer, {address, abi: pokeAbi, functionName: "arm", args: [1n]});
    const nonce = await client.getTransactionCount({address: sender.address});
    await expect(send(target, sender, poke(address))).rejects.toThrow(/Armed\(\)/);
    expect(await client.getTransactionCount({address: sender.address})).toBe(nonce); // nothing sent
  });

  it("stuck transaction: one that stays in the pool while the node mines blocks without it throws, naming the tx, its nonce and the pool (issue 17: the 100,000-node challenge)", async () => {
    const address = await deploy(PRICEY_RUNTIME);
    const test = testClient();
    const nonce = await client.getTransactionCount({address: sender.address});
    await test.setAutomine(false);
    // once the poke is pooled, the block gas limit drops below its gas: Anvil keeps it and mines every block without it
    // (what the 100,000-node run saw: the challenge pooled, empty blocks mined, no error anywhere)
    let stop = false;
    const miner = (async () => {
      while (!stop) {
        const s = (await client.request({method: "txpool_status"} as never)) as {pending: Hex};
        if (Number(s.pending) > 0) {
          await test.setBlockGasLimit({gasLimit: 30_000n});
          await test.mine({blocks: 1});
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      const err = await send(target, sender, poke(address), {maxBlocks: 5}).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TxNotMinedError);
      const m = (err as Error).message;
      expect(m).toMatch(/^poke not mined \(tx 0x[0-9a-f]{64}\): still pending after \d+ blocks/);
      expect(m).toContain(`nonce ${nonce} (account nonce latest ${nonce}, pending ${nonce + 1})`);
      expect(m).toContain("gas limit 30000");
      expect(m).toMatch(/pool \{"pending":"0x1","queued":"0x0"\}/);
      expect(m).toContain(`"${nonce}":`); // the sender's pooled transaction
    } finally {
      stop = true;
      await miner;
      await test.setBlockGasLimit({gasLimit: 30_000_000n});
      await test.mine({blocks: 1}); // the stuck poke goes through now: the sender's nonce moves on for the next test
      await test.setAutomine(true);
    }
    expect(await client.getTransactionCount({address: sender.address})).toBe(nonce + 1);
  }, 30_000);
});
