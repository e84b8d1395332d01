import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {createWalletClient, hexToBigInt, http, type Address} from "viem";
import {foundry} from "viem/chains";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {connectDemo, type DemoChain} from "./chain.ts";

// The demo flake ("deallocate reverted", deal 1 never matured): a payment computed from reads of the latest block was
// mined a second later on a loaded machine (Anvil's clock follows the wall clock), after more interest had accrued.
// sendAtReadTime mines it at the timestamp the reads saw.

/** Runtime: stores block.timestamp in slot 0 on any call. */
const STAMP_RUNTIME = "0x4260005500";
const stampAbi = [{type: "function", name: "stamp", inputs: [], outputs: [], stateMutability: "nonpayable"}] as const;

describe("demo chain helpers", () => {
  let anvil: Anvil;
  let c: DemoChain;
  let stamp: Address;
  const account = anvilAccount(1);

  beforeAll(async () => {
    anvil = await startAnvil({chainId: 31_337});
    c = await connectDemo(anvil.rpcUrl);
    const wallet = createWalletClient({account, chain: {...foundry, id: anvil.chainId}, transport: http(anvil.rpcUrl)});
    // creation code: CODECOPY(0, 11, 5); RETURN(0, 5)
    const hash = await wallet.sendTransaction({data: `0x600580600b6000396000f3${STAMP_RUNTIME.slice(2)}`});
    stamp = (await c.client.waitForTransactionReceipt({hash})).contractAddress!;
  });
  afterAll(async () => anvil?.stop());

  const stamped = async () => hexToBigInt((await c.client.getStorageAt({address: stamp, slot: "0x0"}))!);
  const blockTime = async (n: bigint) => (await c.client.getBlock({blockNumber: n})).timestamp;
  const wallSecondPasses = () => new Promise((r) => setTimeout(r, 1_600));

  it("test_demoFlake_paymentMinedAtReadTime: a second of wall clock between the read and the send does not move the payment", async () => {
    await c.warpTo((await c.now()) + 1000n);
    const readAt = await c.now();
    await wallSecondPasses(); // a loaded machine
    const r = await c.sendAtReadTime(account, {address: stamp, abi: stampAbi, functionName: "stamp"});
    expect(await blockTime(r.blockNumber)).toBe(readAt);
    expect(await stamped()).toBe(readAt);
  });

  it("a plain send after the same pause lands later (what made the last payment leave dust owed)", async () => {
    const readAt = await c.now();
    await wallSecondPasses();
    const r = await c.send(account, {address: stamp, abi: stampAbi, functionName: "stamp"});
    expect(await blockTime(r.blockNumber)).toBeGreaterThan(readAt);
  });

  it("warps to an exact timestamp", async () => {
    const t = (await c.now()) + 30n * 86_400n;
    await c.warpTo(t);
    expect(await c.now()).toBe(t);
  });
});
