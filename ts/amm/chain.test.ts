// The local-chain client every story uses (ts/amm/chain.ts): reads must see the block just mined. viem caches
// getBlockNumber for the client's pollingInterval (4 s by default), so a story that mines and then asks for the head
// within 4 s got an older block: the points oracle integrated a chain cut short (session-7 CI flake).
import {describe, expect, it} from "vitest";
import {withAnvil} from "../lib/anvil.ts";
import {connect, devAccount} from "./chain.ts";

describe("amm chain client", () => {
  it("reads the head just mined, not a cached one (step, send, mine)", async () => {
    await withAnvil(async (anvil) => {
      const c = await connect(anvil.rpcUrl);
      const first = await c.pub.getBlockNumber();
      await c.step(3_600);
      expect(await c.pub.getBlockNumber()).toBe(first + 1n);
      await c.test.mine({blocks: 3});
      expect(await c.pub.getBlockNumber()).toBe(first + 4n);
      const [a, b] = [devAccount(0), devAccount(1)];
      const hash = await c.test.request({method: "eth_sendTransaction", params: [{from: a.address, to: b.address, value: "0x1"}]} as never);
      // automine mines it after answering the send: wait for the receipt (its block), then the head is that block
      const receipt = await c.pub.waitForTransactionReceipt({hash: hash as `0x${string}`});
      expect(receipt.blockNumber).toBe(first + 5n);
      expect(await c.pub.getBlockNumber()).toBe(first + 5n);
    });
  });
});
