// The simulation's bulk sends (chain.ts `sendMany`) at 100,000-node scale: 1,000 registration transactions in 50
// rounds. Findings of the session-7 100,000-node run, which stalled at 68,000 nodes registered.
import {parseAbi, type Hex} from "viem";
import {privateKeyToAccount, type PrivateKeyAccount} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {connect, receiptsOf, send, sendMany, type Ctx, type TxCall} from "./chain.ts";

const PING = parseAbi(["function ping()"]);
const TARGET = "0x000000000000000000000000000000000000dEaD";

describe("sendMany at scale", () => {
  let anvil: Anvil;
  let ctx: Ctx;
  beforeAll(async () => {
    anvil = await startAnvil({chainId: 41_337 + Number(process.env.VITEST_POOL_ID ?? 0), extraArgs: ["--gas-limit", "1000000000"]});
    ctx = await connect(anvil.rpcUrl, {} as LocalDeployment, {});
  }, 60_000);
  afterAll(async () => {
    await anvil?.stop();
  });

  const ping = (account: PrivateKeyAccount, gas = 30_000n): TxCall => ({account, address: TARGET, abi: PING, functionName: "ping", args: [], gas});

  it("gas price feedback: the price paid stays flat over many rounds (Anvil's eth_gasPrice adds the tips just paid)", async () => {
    const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"); // Anvil account 1
    const prices: bigint[] = [];
    for (let round = 0; round < 12; round++) {
      const [r] = await sendMany(ctx, [ping(account), ping(account)]);
      prices.push(r!.effectiveGasPrice);
    }
    // paying 1.5 × eth_gasPrice compounded: × 1.5 a round (× 130 over 12), until the operators could not pay the
    // 10M-gas registrations and Anvil dropped them at mining
    expect(prices.at(-1)!).toBeLessThanOrEqual(2n * prices[0]!);
  }, 60_000);

  it("dropped transaction: waiting for a transaction neither mined nor pending throws instead of mining empty blocks", async () => {
    const before = await ctx.client.getBlockNumber();
    const never = "0x1111111111111111111111111111111111111111111111111111111111111111" as Hex;
    await expect(receiptsOf(ctx, [never])).rejects.toThrow(/dropped/);
    expect(await ctx.client.getBlockNumber()).toBeLessThanOrEqual(before + 1n);
  }, 30_000);
});

// Issue 17: at 100,000 nodes the forged epoch's challenge stayed in Anvil's pool while Anvil mined empty blocks. Its
// automine queues a snapshot of the pool each time a transaction arrives while a block is being built and mines the
// snapshots in order, one block each; a block took ≈ 5 s there (the state root of 100,000 registered nodes), so the
// snapshots of transactions already mined (by receiptsOf's explicit mining or an earlier snapshot) piled up during
// registration (197 of the first 348 blocks were empty) and the challenge waited behind them. The bench now runs Anvil
// with automine off after the deployment, and the simulation mines its own blocks.
describe("the simulation on an Anvil that does not mine on its own (the bench's)", () => {
  let anvil: Anvil;
  let ctx: Ctx;
  beforeAll(async () => {
    anvil = await startAnvil({chainId: 42_337 + Number(process.env.VITEST_POOL_ID ?? 0), extraArgs: ["--gas-limit", "1000000000"]});
    await fetch(anvil.rpcUrl, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "evm_setAutomine", params: [false]})});
    ctx = await connect(anvil.rpcUrl, {} as LocalDeployment, {});
  }, 60_000);
  afterAll(async () => {
    await anvil?.stop();
  });

  it("stale automine snapshots: send and sendMany mine their own blocks, one per send, none empty", async () => {
    const [a, b] = [anvilAccount(2), anvilAccount(3)];
    const before = await ctx.client.getBlockNumber({cacheTime: 0});
    const many = await sendMany(ctx, [a, a, b, b].map((x) => ({account: x, address: TARGET, abi: PING, functionName: "ping", args: [], gas: 30_000n})));
    const one = await send(ctx, a, TARGET, PING, "ping", []);
    expect(new Set(many.map((r) => r.blockNumber))).toEqual(new Set([before + 1n]));
    expect(one.blockNumber).toBe(before + 2n);
    expect(await ctx.client.getBlockNumber({cacheTime: 0})).toBe(before + 2n); // no empty block
    expect(Number((await ctx.client.request({method: "txpool_status"} as never) as {pending: Hex}).pending)).toBe(0);
    expect(ctx.automine).toBe(false);
  }, 30_000);
});
