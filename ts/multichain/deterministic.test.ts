import {pad, parseUnits, type Address} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, stakedAIDAbi, stakedAIDOFTAbi, stakedAIDOFTAdapterAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {CHAINS} from "./chains.ts";
import {startLocalNetwork, type LocalChain, type LocalNetwork} from "./deploy.ts";
import {mintAid, writeAs} from "./fixture.ts";
import {LZ_RECEIVE_GAS, sendAid, sendOft} from "./oft.ts";
import {lzReceiveOptions} from "./packet.ts";
import {LocalRelayer} from "./relayer.ts";

// Two fresh local multi-chain deployments (three Anvil chains each, the real 00_DeployLocal): the same addresses on
// every chain and in both runs; then AID and sAID (home adapter <-> StakedAIDOFT) carried around all three chains by
// the relayer with supply conserved.
describe("local multi-chain deploy: deterministic, AID and sAID settle across three chains", () => {
  let a: LocalNetwork;
  let b: LocalNetwork;
  let relayer: LocalRelayer;
  const [alice, bob] = [anvilAccount(1), anvilAccount(2)];
  const minted = parseUnits("10000", 18);
  const home = () => a.chains.find((c) => c.spec.home)!;
  const remotes = () => a.chains.filter((c) => !c.spec.home);
  const arb = () => a.byEid(CHAINS[1]!.eid);
  const plume = () => a.byEid(CHAINS[2]!.eid);
  const said = (c: LocalChain) => c.deployment.sAID!;
  const balanceOf = (c: LocalChain, token: Address, who: Address) =>
    c.client.readContract({address: token, abi: aidAbi, functionName: "balanceOf", args: [who]});
  const supplyOf = (c: LocalChain, token: Address) => c.client.readContract({address: token, abi: aidAbi, functionName: "totalSupply"});
  async function relayAll() {
    const d = await relayer.relay();
    expect(d.map((x) => x.error)).toEqual(d.map(() => undefined));
    return d.length;
  }

  beforeAll(async () => {
    a = await startLocalNetwork();
    b = await startLocalNetwork();
    relayer = new LocalRelayer(a);
    await mintAid(a, alice, minted);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("AID, sAID and GAIB have one address on all three chains; the sAID lockbox sits at home only", async () => {
    expect(new Set(a.chains.map((c) => c.deployment.aid)).size).toBe(1);
    expect(new Set(a.chains.map((c) => c.deployment.gaib)).size).toBe(1);
    expect(new Set(a.chains.map(said)).size).toBe(1);
    for (const c of a.chains) {
      expect(await c.client.getCode({address: said(c)})).not.toBeUndefined();
      expect(c.deployment.sAIDAdapter === undefined).toBe(!c.spec.home);
    }
    expect(home().deployment.sAIDAdapter).not.toBe(said(home()));
  });

  it("two fresh runs give identical addresses on every chain", () => {
    // every address (stakingGenesis is a timestamp and differs)
    const addresses = (d: object) => Object.entries(d).filter(([, v]) => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v));
    for (const [i, c] of a.chains.entries()) {
      expect(addresses(c.deployment).length).toBeGreaterThanOrEqual(5);
      expect(addresses(b.chains[i]!.deployment)).toEqual(addresses(c.deployment));
    }
  });

  it("sAID peers: adapter <-> StakedAIDOFT on every pathway, remote <-> remote at sAID's address", async () => {
    const adapter = home().deployment.sAIDAdapter!;
    for (const r of remotes()) {
      expect(await home().client.readContract({address: adapter, abi: stakedAIDOFTAdapterAbi, functionName: "peers", args: [r.spec.eid]})).toBe(
        pad(said(r), {size: 32}).toLowerCase(),
      );
      for (const other of a.chains.filter((c) => c !== r)) {
        const expected = other.spec.home ? adapter : said(other);
        expect(await r.client.readContract({address: said(r), abi: stakedAIDOFTAbi, functionName: "peers", args: [other.spec.eid]})).toBe(
          pad(expected, {size: 32}).toLowerCase(),
        );
      }
    }
  });

  it("enforced options on every pathway: an OFT send always carries the executor lzReceive gas", async () => {
    const expected = lzReceiveOptions(LZ_RECEIVE_GAS);
    for (const c of a.chains) {
      const oapps = [c.deployment.aid, c.spec.home ? c.deployment.sAIDAdapter! : said(c)];
      for (const other of a.chains.filter((x) => x !== c)) {
        for (const oapp of oapps) {
          expect(await c.client.readContract({address: oapp, abi: aidAbi, functionName: "enforcedOptions", args: [other.spec.eid, 1]})).toBe(expected);
        }
      }
    }
  });

  it("AID and sAID go Ethereum -> Arbitrum -> Plume -> Ethereum; AID supply and sAID shares are conserved", async () => {
    const h = home();
    const adapter = h.deployment.sAIDAdapter!;
    // alice stakes 4,000 AID into sAID on the home chain
    const staked = parseUnits("4000", 18);
    await writeAs(h, alice, h.deployment.aid, aidAbi, "approve", [said(h), staked]);
    await writeAs(h, alice, said(h), stakedAIDAbi, "deposit", [staked, alice.address]);
    const shares = await balanceOf(h, said(h), alice.address);
    const homeShares = await supplyOf(h, said(h));
    expect(shares).toBe(homeShares);

    const [toArb, toPlume, back] = [parseUnits("1000", 18), parseUnits("400", 18), parseUnits("100", 18)];
    await writeAs(h, alice, said(h), stakedAIDAbi, "approve", [adapter, toArb]);
    await sendOft(h, alice, adapter, arb().spec.eid, bob.address, toArb);
    await sendAid(h, alice, arb().spec.eid, bob.address, toArb);
    expect(await relayAll()).toBe(2);
    await sendOft(arb(), bob, said(arb()), plume().spec.eid, alice.address, toPlume);
    await sendAid(arb(), bob, plume().spec.eid, alice.address, toPlume);
    expect(await relayAll()).toBe(2);
    await sendOft(plume(), alice, said(plume()), h.spec.eid, alice.address, back);
    await sendAid(plume(), alice, h.spec.eid, alice.address, back);
    expect(await relayAll()).toBe(2);

    // sAID: shares live on the home chain; the adapter locks exactly what the remote OFTs minted
    expect(await balanceOf(h, said(h), alice.address)).toBe(shares - toArb + back);
    expect(await balanceOf(arb(), said(arb()), bob.address)).toBe(toArb - toPlume);
    expect(await balanceOf(plume(), said(plume()), alice.address)).toBe(toPlume - back);
    expect(await supplyOf(h, said(h))).toBe(homeShares);
    const remoteShares = (await supplyOf(arb(), said(arb()))) + (await supplyOf(plume(), said(plume())));
    expect(await balanceOf(h, said(h), adapter)).toBe(remoteShares);
    expect(remoteShares).toBe(toArb - back);

    // AID: burn here, mint there; the three supplies add up to what was minted (minus nothing: sAID holds its part)
    expect(await balanceOf(arb(), arb().deployment.aid, bob.address)).toBe(toArb - toPlume);
    expect(await balanceOf(plume(), plume().deployment.aid, alice.address)).toBe(toPlume - back);
    const aidSupplies = await Promise.all(a.chains.map((c) => supplyOf(c, c.deployment.aid)));
    expect(aidSupplies.reduce((x, y) => x + y, 0n)).toBe(minted);
    expect(await relayer.relay()).toEqual([]);
  });
});
