// Test fixture: one Anvil chain with stand-ins for what earns points (a MockERC20 indexed as AID, an ERC-4626
// MockTBillVault over it indexed as StakedAID) and the real Uniswap v3 (published artifacts): the AID/USDC pool and an
// NFT position. A fixed story of holds, transfers, deposits, a NAV jump, swaps (one of them out of the position's
// range), a withdrawal and a position NFT changing hands, with time moving by hours between steps. Every change is
// one block (the NAV jump and the deposit that records it share one), so balances are constant between blocks.
import {createWalletClient, http, parseUnits, type Address, type Hex} from "viem";
import {foundry} from "viem/chains";
import {mockERC20Abi, mockERC20Bytecode, mockTBillVaultAbi, mockTBillVaultBytecode} from "../abi/generated.ts";
import {connect, devAccount, type Account, type Chain} from "../amm/chain.ts";
import {addLiquidity, createAidUsdcPool, DEADLINE, deployUniswap, POOL_FEE, swapExactIn, UNI, type PoolInfo, type Uniswap} from "../amm/uniswap.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import type {IndexedChain} from "../indexer/sources.ts";

const aidAmt = (n: string) => parseUnits(n, 18);
const usdcAmt = (n: string) => parseUnits(n, 6);
const HOUR = 3_600;

export interface PointsScenario {
  anvil: Anvil;
  c: Chain;
  aid: Address;
  usdc: Address;
  vault: Address;
  uni: Uniswap;
  pool: PoolInfo;
  /** The sAID/AID pool (vault shares against AID, created at 1:1) and its token order. */
  saidPool: {pool: Address; token0: Address; token1: Address};
  /** The LP's AID/USDC position NFT and carol's sAID/AID one (the position manager's token ids). */
  tokenId: bigint;
  saidTokenId: bigint;
  actors: {alice: Account; bob: Account; carol: Account; lp: Account; trader: Account};
  /** First block of the story (every holding is zero before it). */
  firstBlock: bigint;
  /** What the indexer watches: AID, sAID (the vault), the pool (with its tokens) and the position manager. */
  indexed(opts?: Partial<IndexedChain>): IndexedChain;
  stop(): Promise<void>;
}

/** Runs the story; `checkpoint` is awaited between its steps (tests index incrementally there). */
export async function runPointsScenario(checkpoint: (s: PointsScenario, step: number) => Promise<void> = async () => {}): Promise<PointsScenario> {
  const anvil = await startAnvil({chainId: 31_337});
  try {
    const c = await connect(anvil.rpcUrl);
    const [admin, alice, bob, carol, lp, trader] = [0, 1, 2, 3, 4, 5].map(devAccount) as [Account, Account, Account, Account, Account, Account];
    const aid = await c.deploy(admin, mockERC20Abi, mockERC20Bytecode, ["Stand-in AID", "AID", 18]);
    const usdc = await c.deploy(admin, mockERC20Abi, mockERC20Bytecode, ["Stand-in USDC", "USDC", 6]);
    const vault = await c.deploy(admin, mockTBillVaultAbi, mockTBillVaultBytecode, [aid, 0n]);
    const uni = await deployUniswap(c, admin);
    const pool = await createAidUsdcPool(c, admin, uni, aid, usdc);
    // the sAID/AID pool at 1 share per AID, range ticks [-600, 600]
    const [token0, token1] = BigInt(vault) < BigInt(aid) ? [vault, aid] : [aid, vault];
    await c.send(admin, {address: uni.positionManager, abi: UNI.positionManager.abi, functionName: "createAndInitializePoolIfNecessary", args: [token0, token1, POOL_FEE, 1n << 96n]});
    const saidPool = {pool: await c.read<Address>({address: uni.factory, abi: UNI.factory.abi, functionName: "getPool", args: [token0, token1, POOL_FEE]}), token0, token1};
    const firstBlock = (await c.pub.getBlockNumber()) + 1n;
    const s: PointsScenario = {
      anvil,
      c,
      aid,
      usdc,
      vault,
      uni,
      pool,
      saidPool,
      tokenId: 1n,
      saidTokenId: 2n,
      actors: {alice, bob, carol, lp, trader},
      firstBlock,
      indexed: (opts = {}) => ({
        name: "local",
        chainId: 31_337,
        rpcUrl: anvil.rpcUrl,
        contracts: [
          {name: "AID", address: aid},
          {name: "StakedAID", address: vault},
          {name: "AIDUSDCPool", address: pool.pool, tokens: pool.aidIsToken0 ? [aid, usdc] : [usdc, aid]},
          {name: "SAIDAIDPool", address: saidPool.pool, tokens: [token0, token1]},
          {name: "PositionManager", address: uni.positionManager},
        ],
        ...opts,
      }),
      stop: () => anvil.stop(),
    };
    const mint = (token: Address, to: Address, amount: bigint) => c.send(admin, {address: token, abi: mockERC20Abi, functionName: "mint", args: [to, amount]});
    const deposit = async (who: Account, assets: bigint) => {
      await c.send(who, {address: aid, abi: mockERC20Abi, functionName: "approve", args: [vault, assets]});
      await c.send(who, {address: vault, abi: mockTBillVaultAbi, functionName: "deposit", args: [assets, who.address]});
    };
    let step = 0;
    const next = async (hours: number) => {
      await c.step(hours * HOUR);
      await checkpoint(s, ++step);
    };

    await mint(aid, alice.address, aidAmt("1000"));
    await mint(aid, bob.address, aidAmt("500"));
    await mint(aid, lp.address, aidAmt("20000"));
    await mint(usdc, lp.address, usdcAmt("20000"));
    await mint(usdc, trader.address, usdcAmt("30000"));
    await next(1);
    await addLiquidity(c, lp, uni, pool, {aid: aidAmt("10000"), usdc: usdcAmt("10000")}, {lo: 0.99, hi: 1.01});
    await next(2);
    await deposit(alice, aidAmt("400"));
    // carol provides sAID/AID liquidity (12x on the sAID side)
    await mint(aid, carol.address, aidAmt("300"));
    await deposit(carol, aidAmt("150"));
    for (const t of [vault, aid]) await c.send(carol, {address: t, abi: mockERC20Abi, functionName: "approve", args: [uni.positionManager, aidAmt("100")]});
    await c.send(carol, {
      address: uni.positionManager,
      abi: UNI.positionManager.abi,
      functionName: "mint",
      args: [{token0, token1, fee: POOL_FEE, tickLower: -600, tickUpper: 600, amount0Desired: aidAmt("100"), amount1Desired: aidAmt("100"), amount0Min: 0n, amount1Min: 0n, recipient: carol.address, deadline: DEADLINE}],
    });
    await next(3);
    await swapExactIn(c, trader, uni, pool, usdc, usdcAmt("2000"));
    await next(5);
    // the vault's NAV jumps (a donation of 200 AID to 400 of assets) in the block where bob's deposit records it
    await c.send(bob, {address: aid, abi: mockERC20Abi, functionName: "approve", args: [vault, aidAmt("100")]});
    await sameBlock(c, [
      [admin, {address: aid, abi: mockERC20Abi, functionName: "mint", args: [vault, aidAmt("200")]}],
      [bob, {address: vault, abi: mockTBillVaultAbi, functionName: "deposit", args: [aidAmt("100"), bob.address]}],
    ]);
    await next(4);
    await c.send(alice, {address: aid, abi: mockERC20Abi, functionName: "transfer", args: [carol.address, aidAmt("100")]});
    await c.send(lp, {address: uni.positionManager, abi: UNI.positionManager.abi, functionName: "transferFrom", args: [lp.address, bob.address, 1n]});
    await next(6);
    // pushes the price above the position's upper bound: out of range, no LP points
    await swapExactIn(c, trader, uni, pool, usdc, usdcAmt("25000"));
    await next(2);
    await c.send(alice, {address: vault, abi: mockTBillVaultAbi, functionName: "redeem", args: [aidAmt("100"), alice.address, alice.address]});
    await next(24);
    await c.send(carol, {address: aid, abi: mockERC20Abi, functionName: "transfer", args: [alice.address, aidAmt("1")]});
    await next(3);
    return s;
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

/** Sends `calls` into one block (automine off, explicit nonces, then one block mined); each must succeed. */
export async function sameBlock(c: Chain, calls: [Account, {address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[]}][]): Promise<void> {
  const chain = {...foundry, id: await c.pub.getChainId()};
  await c.test.setAutomine(false);
  const hashes: Hex[] = [];
  try {
    for (const [account, call] of calls) {
      const wallet = createWalletClient({account, chain, transport: http(c.rpcUrl)});
      const nonce = await c.pub.getTransactionCount({address: account.address, blockTag: "pending"});
      hashes.push(await wallet.writeContract({...call, gas: 300_000n, nonce} as never));
    }
    await c.test.mine({blocks: 1});
  } finally {
    await c.test.setAutomine(true);
  }
  for (const hash of hashes) {
    const r = await c.pub.waitForTransactionReceipt({hash});
    if (r.status !== "success") throw new Error(`same-block tx ${hash} reverted`);
  }
}

