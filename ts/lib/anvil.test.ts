import net from "node:net";
import {createPublicClient, http, parseEther} from "viem";
import {describe, expect, it} from "vitest";
import {startAnvil, withAnvil} from "./anvil.ts";

const DEV_ACCOUNT = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

/** True when nothing accepts TCP connections on 127.0.0.1:port. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({host: "127.0.0.1", port});
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("anvil helper", () => {
  it("runs two chains side by side and stops them", async () => {
    const [a, b] = await Promise.all([startAnvil({chainId: 1001}), startAnvil({chainId: 1002})]);
    try {
      expect(a.port).not.toBe(b.port);
      for (const node of [a, b]) {
        const client = createPublicClient({transport: http(node.rpcUrl)});
        expect(await client.getChainId()).toBe(node.chainId);
        expect(await client.getBalance({address: DEV_ACCOUNT})).toBe(parseEther("10000"));
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await portClosed(a.port)).toBe(true);
    expect(await portClosed(b.port)).toBe(true);
  });

  it("withAnvil stops the node even when the callback throws", async () => {
    let port = 0;
    await expect(
      withAnvil(async (node) => {
        port = node.port;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(port).toBeGreaterThan(0);
    expect(await portClosed(port)).toBe(true);
  });

  it("rejects when anvil cannot start", async () => {
    await expect(startAnvil({extraArgs: ["--no-such-flag"]})).rejects.toThrow(/exited early/);
  });
});
