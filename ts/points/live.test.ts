// The background refresh's bookkeeping without a chain (ts/points/live.ts): one refresh at a time, kicks while one runs
// coalesce into one follow-up, the table is swapped only when complete, a failure keeps the last table and is recorded;
// and the paced sort the table's ranking uses gives exactly Array.prototype.sort's order.
import {describe, expect, it} from "vitest";
import {pacedSort, type PointsTable} from "./compute.ts";
import {LivePoints, PointsNotReady} from "./live.ts";
import {pacer} from "./replay.ts";

const tableAt = (block: bigint): PointsTable => ({ranked: [], byAddress: new Map(), rank: new Map(), referrers: new Map(), blocks: new Map([[1, block]])});

describe("LivePoints", () => {
  it("runs one refresh at a time, coalesces the kicks meanwhile into one follow-up, swaps complete tables only", async () => {
    let block = 1n;
    const releases: (() => void)[] = [];
    let calls = 0;
    const live = new LivePoints(async () => {
      calls++;
      const at = block;
      await new Promise<void>((r) => releases.push(r));
      return tableAt(at);
    }, {log: () => {}});
    const first = live.table(); // no table yet: starts the first refresh and waits for it
    expect(live.refreshing).toBe(true);
    releases.shift()!();
    expect((await first).table.blocks.get(1)).toBe(1n);
    block = 2n;
    live.kick();
    live.kick();
    live.kick();
    expect(calls).toBe(2);
    expect((await live.table()).table.blocks.get(1)).toBe(1n); // served at once, the previous table
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(3); // one follow-up for the two kicks that came while it ran
    expect(live.stats.coalesced).toBe(1);
    block = 3n;
    releases.shift()!();
    await live.idle();
    expect(calls).toBe(3);
    expect(live.current!.table.blocks.get(1)).toBe(2n); // the follow-up read the index when it started
  });

  it("a failing refresh keeps the last table, records and logs the failure once; before any table it is the waiting request's error", async () => {
    const logs: string[] = [];
    let fail = true;
    const live = new LivePoints(async () => {
      if (fail) throw new Error("db gone");
      return tableAt(7n);
    }, {log: (l) => logs.push(l)});
    await expect(live.table()).rejects.toThrow(PointsNotReady);
    fail = false;
    expect((await live.table()).table.blocks.get(1)).toBe(7n);
    fail = true;
    live.kick();
    await live.idle();
    live.kick();
    await live.idle();
    expect(live.error).toMatchObject({message: "db gone", since: new Map([[1, 7n]])});
    expect(live.current!.table.blocks.get(1)).toBe(7n);
    expect(logs.filter((l) => l.includes("background refresh failed: db gone"))).toHaveLength(2); // once before the first table, once after
    fail = false;
    live.kick();
    await live.idle();
    expect(live.error).toBeNull();
  });
});

describe("pacedSort", () => {
  it("gives Array.prototype.sort's order for a total order, yielding on the way", async () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const xs = Array.from({length: 5_003}, (_, i) => ({total: BigInt(rnd() % 50), address: `0x${i.toString(16).padStart(40, "0")}`}));
    const cmp = (x: (typeof xs)[0], y: (typeof xs)[0]) => (x.total === y.total ? (x.address < y.address ? -1 : 1) : x.total > y.total ? -1 : 1);
    expect(await pacedSort(xs, cmp, pacer(0))).toEqual([...xs].sort(cmp));
    expect(await pacedSort([], cmp, pacer(0))).toEqual([]);
  });
});
