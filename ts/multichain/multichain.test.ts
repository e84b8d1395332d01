import {createWalletClient, http, parseUnits, type Address} from "viem";
import {foundry} from "viem/chains";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, aidMinterAbi, gaibAbi, gaiboftAbi, mockERC20Abi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {CHAINS} from "./chains.ts";
import {startLocalNetwork, type LocalChain, type LocalNetwork} from "./deploy.ts";
import {sendAid, sendGaib} from "./oft.ts";
import {LocalRelayer} from "./relayer.ts";

// Three Anvil chains (Ethereum, Arbitrum, Plume ids), the real deploy script on each, AID moved between them by OFT
// and carried by the local relayer.
describe("local multi-chain mode", () => {
  let net: LocalNetwork;
  let relayer: LocalRelayer;
  const [admin, alice, bob] = [anvilAccount(0), anvilAccount(1), anvilAccount(2)];
  const minted = parseUnits("10000", 18);
  const home = () => net.chains.find((c) => c.spec.home)!;
  const balance = (c: LocalChain, who: Address) =>
    c.client.readContract({address: c.deployment.aid, abi: aidAbi, functionName: "balanceOf", args: [who]});
  const supply = (c: LocalChain) => c.client.readContract({address: c.deployment.aid, abi: aidAbi, functionName: "totalSupply"});

  async function write(c: LocalChain, account: typeof admin, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) {
    const chain = {...foundry, id: c.spec.chainId};
    const {request} = await c.client.simulateContract({address, abi, functionName, args, account, chain} as never);
    const hash = await createWalletClient({account, chain, transport: http(c.anvil.rpcUrl)}).writeContract(request as never);
    expect((await c.client.waitForTransactionReceipt({hash})).status).toBe("success");
  }

  beforeAll(async () => {
    net = await startLocalNetwork();
    relayer = new LocalRelayer(net);
    const h = home();
    const d = h.deployment;
    const role = await h.client.readContract({address: d.minter!, abi: aidMinterAbi, functionName: "WHITELISTED_ROLE"});
    await write(h, admin, d.minter!, aidMinterAbi, "grantRole", [role, alice.address]);
    await write(h, admin, d.usdc!, mockERC20Abi, "mint", [alice.address, minted / 10n ** 12n]);
    await write(h, alice, d.usdc!, mockERC20Abi, "approve", [d.minter!, minted / 10n ** 12n]);
    await write(h, alice, d.minter!, aidMinterAbi, "mint", [d.usdc!, minted / 10n ** 12n, minted, alice.address]);
  }, 300_000);
  afterAll(async () => net?.stop());

  it("deploys AID at the same address on all three chains, with production endpoint ids", () => {
    const addresses = new Set(net.chains.map((c) => c.deployment.aid));
    expect(addresses.size).toBe(1);
    expect(net.chains.map((c) => c.deployment.eid)).toEqual(CHAINS.map((c) => c.eid));
  });

  it("moves AID Ethereum -> Arbitrum -> Plume -> Ethereum and conserves supply", async () => {
    const [eth, arb, plume] = [home(), net.byEid(CHAINS[1]!.eid), net.byEid(CHAINS[2]!.eid)];
    const toArb = parseUnits("3000", 18);
    const toPlume = parseUnits("1000", 18);
    const back = parseUnits("400", 18);

    await sendAid(eth, alice, arb.spec.eid, bob.address, toArb);
    expect(await balance(arb, bob.address)).toBe(0n); // nothing arrives until the packet is relayed
    let deliveries = await relayer.relay();
    expect(deliveries.map((d) => d.ok)).toEqual([true]);
    expect(await balance(arb, bob.address)).toBe(toArb);

    await sendAid(arb, bob, plume.spec.eid, alice.address, toPlume);
    const d2 = await relayer.relay();
    expect(d2.map((d) => d.ok), JSON.stringify(d2.map((d) => d.error))).toEqual([true]);
    await sendAid(plume, alice, eth.spec.eid, alice.address, back);
    const d3 = await relayer.relay();
    expect(d3.map((d) => d.ok), JSON.stringify(d3.map((d) => d.error))).toEqual([true]);

    expect(await balance(eth, alice.address)).toBe(minted - toArb + back);
    expect(await balance(arb, bob.address)).toBe(toArb - toPlume);
    expect(await balance(plume, alice.address)).toBe(toPlume - back);
    const supplies = await Promise.all(net.chains.map(supply));
    expect(supplies.reduce((a, b) => a + b, 0n)).toBe(minted);
  });

  it("deploys GAIB at one address everywhere and bridges it home -> Arbitrum through the adapter (local GAIB)", async () => {
    const [eth, arb, plume] = [home(), net.byEid(CHAINS[1]!.eid), net.byEid(CHAINS[2]!.eid)];
    const gaib = eth.deployment.gaib;
    expect(new Set(net.chains.map((c) => c.deployment.gaib)).size).toBe(1);
    const d = eth.deployment;
    for (const a of [d.gaibAdapter, d.staking, d.slasher, d.nodeRegistry, d.telemetryOracle]) expect(a).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const gaibBalance = (c: LocalChain, who: Address) =>
      c.client.readContract({address: gaib, abi: c.spec.home ? gaibAbi : gaiboftAbi, functionName: "balanceOf", args: [who]});
    const gaibSupply = (c: LocalChain) =>
      c.client.readContract({address: gaib, abi: c.spec.home ? gaibAbi : gaiboftAbi, functionName: "totalSupply"});
    const total = await gaibSupply(eth);
    const amount = parseUnits("250000", 18);
    const adminBefore = await gaibBalance(eth, admin.address);

    await sendGaib(eth, admin, arb.spec.eid, bob.address, amount);
    expect(await gaibBalance(arb, bob.address)).toBe(0n);
    const deliveries = await relayer.relay();
    expect(deliveries.map((x) => x.ok), JSON.stringify(deliveries.map((x) => x.error))).toEqual([true]);
    expect(await gaibBalance(arb, bob.address)).toBe(amount);
    expect(await gaibBalance(eth, admin.address)).toBe(adminBefore - amount);
    // supply conserved: the home supply is fixed, what is locked in the adapter is exactly what exists remotely
    expect(await gaibSupply(eth)).toBe(total);
    const locked = await gaibBalance(eth, d.gaibAdapter!);
    expect(locked).toBe((await gaibSupply(arb)) + (await gaibSupply(plume)));
    expect(locked).toBe(amount);
  });

  it("replays nothing: a second relay pass delivers no packet", async () => {
    expect(await relayer.relay()).toEqual([]);
  });
});
