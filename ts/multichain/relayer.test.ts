import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {parseUnits, type Address, type Hex} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {CHAINS} from "./chains.ts";
import {startLocalNetwork, type LocalChain, type LocalNetwork} from "./deploy.ts";
import {mintAid, packetsOf, writeAs} from "./fixture.ts";
import {sendAid} from "./oft.ts";
import {networkFrom, watch} from "./relayer-cli.ts";
import {LocalRelayer, type RelayerState, type RelayStep} from "./relayer.ts";
import type {Packet} from "./packet.ts";

class Crash extends Error {}

/** onStep hook that "crashes" (throws) at the `n`-th occurrence of `step`. */
function crashAt(step: RelayStep, n: number) {
  let seen = 0;
  return (s: RelayStep, _p: Packet) => {
    if (s === step && ++seen === n) throw new Crash(`crash after ${step} #${n}`);
  };
}

// The relayer persists its cursors and delivered GUIDs; it is killed mid-pass (after a delivery it had not recorded
// yet, and between validatePacket and lzReceive), more packets are sent, and a new relayer on the same state file
// delivers every packet exactly once.
describe("local relayer resume", () => {
  let net: LocalNetwork;
  let dir: string;
  let stateFile: string;
  const [alice, bob, carol] = [anvilAccount(1), anvilAccount(2), anvilAccount(0)];
  const minted = parseUnits("10000", 18);
  const home = () => net.chains.find((c) => c.spec.home)!;
  const arb = () => net.byEid(CHAINS[1]!.eid);
  const plume = () => net.byEid(CHAINS[2]!.eid);
  const balance = (c: LocalChain, who: Address) =>
    c.client.readContract({address: c.deployment.aid, abi: aidAbi, functionName: "balanceOf", args: [who]});
  const supply = (c: LocalChain) => c.client.readContract({address: c.deployment.aid, abi: aidAbi, functionName: "totalSupply"});
  const state = () => JSON.parse(readFileSync(stateFile, "utf8")) as RelayerState;

  // [destination, amount] of every transfer, in send order; a packet each.
  const sent: {dst: () => LocalChain; amount: bigint; guid?: Hex; packet?: Packet}[] = [
    {dst: arb, amount: parseUnits("100", 18)},
    {dst: arb, amount: parseUnits("200", 18)},
    {dst: plume, amount: parseUnits("300", 18)},
    {dst: arb, amount: parseUnits("400", 18)},
    {dst: plume, amount: parseUnits("500", 18)},
  ];
  async function send(i: number): Promise<void> {
    const s = sent[i]!;
    const hash = await sendAid(home(), alice, s.dst().spec.eid, bob.address, s.amount);
    const [packet] = await packetsOf(home(), hash);
    s.packet = packet!;
    s.guid = packet!.guid;
  }
  const expectedOn = (c: () => LocalChain, upTo: number) =>
    sent.slice(0, upTo).filter((s) => s.dst() === c()).reduce((a, s) => a + s.amount, 0n);

  beforeAll(async () => {
    net = await startLocalNetwork();
    dir = mkdtempSync(path.join(tmpdir(), "gaib-relayer-"));
    stateFile = path.join(dir, "relayer.json");
    await mintAid(net, alice, minted);
  }, 300_000);
  afterAll(async () => {
    await net?.stop();
    if (dir) rmSync(dir, {recursive: true, force: true});
  });

  it("crashes after an unrecorded delivery, keeping the cursor where it was", async () => {
    for (const i of [0, 1, 2]) await send(i);
    const r1 = new LocalRelayer(net, {stateFile, onStep: crashAt("delivered", 2)});
    await expect(r1.relay()).rejects.toBeInstanceOf(Crash);
    // packet 0 recorded; packet 1 executed on chain but not recorded; packet 2 untouched; home cursor not advanced
    expect(state().delivered).toEqual([sent[0]!.guid]);
    expect(state().cursors[String(home().spec.eid)]).toBeUndefined();
    expect(await balance(arb(), bob.address)).toBe(expectedOn(arb, 2));
    expect(await balance(plume(), bob.address)).toBe(0n);
  });

  it("crashes between validatePacket and lzReceive", async () => {
    const r2 = new LocalRelayer(net, {stateFile, onStep: crashAt("validated", 1)});
    await expect(r2.relay()).rejects.toBeInstanceOf(Crash);
    expect(await r2.status(sent[2]!.packet!)).toBe("verified"); // verified on Plume, not executed
    expect(await r2.status(sent[1]!.packet!)).toBe("delivered");
    expect(await balance(plume(), bob.address)).toBe(0n);
    // packet 1 was found delivered on chain and recorded without a second lzReceive
    expect(state().delivered).toEqual([sent[0]!.guid, sent[1]!.guid]);
  });

  it("restarts from the state file and delivers every packet exactly once", async () => {
    await send(3);
    await send(4);
    const r3 = new LocalRelayer(net, {stateFile});
    const deliveries = await r3.relay();
    expect(deliveries.map((d) => d.error)).toEqual([undefined, undefined, undefined]);
    expect(deliveries.map((d) => d.packet.guid)).toEqual([sent[2]!.guid, sent[3]!.guid, sent[4]!.guid]);
    expect(state().delivered).toEqual(sent.map((s) => s.guid));
    expect(state().failed).toEqual([]);
    for (const c of net.chains) {
      expect(BigInt(state().cursors[String(c.spec.eid)]!)).toBe((await c.client.getBlockNumber({cacheTime: 0})) + 1n);
    }

    const total = sent.reduce((a, s) => a + s.amount, 0n);
    expect(await balance(home(), alice.address)).toBe(minted - total);
    expect(await balance(arb(), bob.address)).toBe(expectedOn(arb, sent.length));
    expect(await balance(plume(), bob.address)).toBe(expectedOn(plume, sent.length));
    const supplies = await Promise.all(net.chains.map(supply));
    expect(supplies.reduce((a, b) => a + b, 0n)).toBe(minted);
    expect(await r3.relay()).toEqual([]);
  });

  it("a relayer that lost its state file skips delivered packets by the on-chain check", async () => {
    const fresh = path.join(dir, "lost.json");
    expect(existsSync(fresh)).toBe(false);
    const before = await Promise.all(net.chains.map((c) => balance(c, bob.address)));
    const r4 = new LocalRelayer(net, {stateFile: fresh});
    expect(await r4.relay()).toEqual([]); // rescans from block 0: all five packets found delivered on chain
    expect(new Set(r4.snapshot.delivered)).toEqual(new Set(sent.map((s) => s.guid)));
    expect(await Promise.all(net.chains.map((c) => balance(c, bob.address)))).toEqual(before);
  });

  it("a packet whose lzReceive reverts is kept and retried on the next pass", async () => {
    // carol (admin) pauses AID on Arbitrum: the credit reverts, the packet stays verified and listed as failed
    await writeAs(arb(), carol, arb().deployment.aid, aidAbi, "pause", []);
    const stateB = path.join(dir, "paused.json");
    const r = new LocalRelayer(net, {stateFile: stateB});
    await r.relay(); // catch up (everything already delivered)
    const amount = parseUnits("50", 18);
    await sendAid(home(), alice, arb().spec.eid, bob.address, amount);
    const failed = await r.relay();
    expect(failed.map((d) => d.ok)).toEqual([false]);
    expect(r.snapshot.failed).toHaveLength(1);
    expect(await r.status(failed[0]!.packet)).toBe("verified");

    const before = await balance(arb(), bob.address);
    await writeAs(arb(), carol, arb().deployment.aid, aidAbi, "unpause", []);
    const resumed = new LocalRelayer(net, {stateFile: stateB});
    const retried = await resumed.relay();
    expect(retried.map((d) => [d.ok, d.packet.guid])).toEqual([[true, failed[0]!.packet.guid]]);
    expect(resumed.snapshot.failed).toEqual([]);
    expect(await balance(arb(), bob.address)).toBe(before + amount);
  });

  it("watch mode (relayer-cli): chains from RPC URLs + records, delivers while running, stops on abort", async () => {
    const records = path.join(dir, "records");
    mkdirSync(records, {recursive: true});
    for (const c of net.chains) writeFileSync(path.join(records, `${c.spec.chainId}.json`), JSON.stringify(c.deployment));
    const fromUrls = networkFrom(net.chains.map((c) => `${c.spec.name}=${c.anvil.rpcUrl}`), records);
    expect(() => networkFrom(["mars=http://127.0.0.1:1"], records)).toThrow(/bad --rpc "mars=/);

    const stop = new AbortController();
    const running = watch(fromUrls, {stateFile: path.join(dir, "watch.json"), intervalMs: 100, signal: stop.signal});
    const before = await balance(plume(), bob.address);
    const amount = parseUnits("70", 18);
    await sendAid(home(), alice, plume().spec.eid, bob.address, amount);
    const deadline = Date.now() + 30_000;
    while ((await balance(plume(), bob.address)) === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    expect(await running).toBe(1); // fresh state: every earlier packet found delivered on chain, only the new one sent
    expect(await balance(plume(), bob.address)).toBe(before + amount);
  });
});
