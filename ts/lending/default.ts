// The GPU deal in sAID's book defaults: the borrower misses its first payment and the deal marks its exposure down
// linearly from the due date (GpuDeal.markBps: 0 → 100% over 90 days, junior tranche first, after the cash reserve).
// `markDownTo` moves the clock to the first second at which sAID's junior position has lost a given share of its cost,
// marks the deal LATE once the grace has passed, and has sAID's allocator book the loss (`bookLoss`). The oracle
// price already follows the mark before the booking (sAID's views net reported losses): between two steps nobody
// acts, so each step is one jump for the borrowers.
import {gpuDealAbi, stakedAIDAbi, tranchePositionAbi} from "../abi/generated.ts";
import type {LendingWorld} from "./world.ts";

const DAY = 86_400n;
const GRACE = 15n * DAY; // GpuDeal: LATE after the 15-day grace
const FULL_MARK = 90n * DAY; // GpuDeal: fully marked 90 days past due
const ACTIVE = 1;

export interface MarkStep {
  /** The share of the position's cost asked for [bps]. */
  targetBps: number;
  /** Time past the missed due date [s]. */
  late: bigint;
  /** sAID's position value [wad] and its loss against the original cost [wad]. */
  value: bigint;
  loss: bigint;
  /** The deal's mark [bps]. */
  markBps: bigint;
  /** What `bookLoss` booked at this step [wad]. */
  booked: bigint;
}

/** sAID's junior position value at the current block [wad]. */
export const positionValue = (w: LendingWorld) =>
  w.c.read<bigint>({address: w.position, abi: tranchePositionAbi, functionName: "valueOf", args: [w.d.sAID]});

/** The position's value at time `t` (a block mined at `t` on a snapshot, then reverted). */
async function valueAt(w: LendingWorld, t: bigint): Promise<bigint> {
  const id = await w.c.test.snapshot();
  await w.c.test.setNextBlockTimestamp({timestamp: t});
  await w.c.test.mine({blocks: 1});
  const v = await positionValue(w);
  const ok = await w.c.test.request({method: "evm_revert", params: [id]} as never);
  if (ok !== true) throw new Error(`evm_revert ${id} failed`);
  return v;
}

/** Moves to the first second at which the position has lost `targetBps` of `cost`, then books the loss. */
export async function markDownTo(w: LendingWorld, cost: bigint, targetBps: number): Promise<MarkStep> {
  const {c, d, deal} = w;
  const due = await c.read<bigint>({address: deal, abi: gpuDealAbi, functionName: "dueDate"});
  const want = cost - (cost * BigInt(targetBps)) / 10_000n; // value at or below this
  let lo = (await c.now()) + 1n;
  if (lo <= due) lo = due + 1n;
  let hi = due + FULL_MARK;
  if ((await valueAt(w, lo)) <= want) hi = lo;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if ((await valueAt(w, mid)) <= want) hi = mid;
    else lo = mid + 1n;
  }
  await c.warpTo(hi);
  const state = Number(await c.read<number>({address: deal, abi: gpuDealAbi, functionName: "state"}));
  if (state === ACTIVE && hi > due + GRACE) await c.send(w.admin, {address: deal, abi: gpuDealAbi, functionName: "markLate"});
  const bookedBefore = await c.read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "bookedOf", args: [w.position]});
  // read in the block the loss is booked in (the mark moves every second)
  await c.test.setNextBlockTimestamp({timestamp: await c.now()});
  await c.test.mine({blocks: 1});
  const value = await positionValue(w);
  const markBps = await c.read<bigint>({address: deal, abi: gpuDealAbi, functionName: "markBps"});
  await c.sendAtReadTime(w.admin, {address: d.sAID, abi: stakedAIDAbi, functionName: "bookLoss", args: [w.position]});
  const bookedAfter = await c.read<bigint>({address: d.sAID, abi: stakedAIDAbi, functionName: "bookedOf", args: [w.position]});
  return {targetBps, late: hi - due, value, loss: cost - value, markBps, booked: bookedBefore - bookedAfter};
}
