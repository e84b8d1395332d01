// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDSlots} from "../unit/StakedAIDTestBase.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Ghost accounting of sAID's unstake queue rounding for {StakedAIDHandler}: INV-1b, the dust bound of the
///         pending total (review 11x-2).
/// @dev Derivation (every figure below from the rounding in {QueueLogic}, {QueueSide}, {PositionLogic}). The pending
///      total is ⌊Q·I⌋ + ⌊B·Ib⌋ (pool shares Q at index I, bare shares B at Ib, both /1e27, both indices <= 1e27), a
///      request's value ⌊(r + g)·I⌋ + ⌊b·Ib⌋ (r its pool shares, g what its side words gained, b its bare shares).
///      So gap = pending − Σ requests < Σ (the two floors of each request, < 1 wei each) + (Q − Σ(r + g))·I + (B −
///      Σb)·Ib, and one pool or bare share is worth <= 1 wei at any index <= 1e27 (a side share's value + what it
///      gains never exceeds its value before it, nor its claim for the excess part: INV-12, 10b-1). The shares owed to
///      nobody come from:
///      (a) a waiting request's unsettled side gain: each side word gains Σ over the side epochs it spans (one term per
///          epoch, `terms` = 1 + the side epochs since the word's) of ⌊f·acc⌋ − ⌈f·base⌉ ({QueueSide-_term}): < 2
///          pool shares a term. Per waiting request: 2 (floors) + 2 × its words' terms.
///      (b) a settlement: a payout of a request holding side words writes g into its pool shares (or takes it out of
///          Q with the request), so the < 2 a term of (a) stays in Q after the request left (11x-2): 2 × terms.
///      (c) a move of a side part into the pool (a loss on the bare part, a write-back on the excess part): Q takes
///          ms, every side share ⌊ms·1e27 / S⌋ [ray] ({QueueSide-gainOf}): < S / 1e27 pool shares (S the part's shares,
///          + 1 for the case it is not < 1).
///      (d) a pool re-base: Q is rounded up (÷ 1000), each waiting request down, the side accumulators down: < n + 3.
///      (e) a side re-base (an end record with steps > 0): the part's shares rounded up, each word down: < n + 1 side
///          shares of nobody (each worth <= 1 wei, with what it gains later).
///      A restart (the whole side part moved or emptied) leaves no side share. Payouts retire ⌈pay / I⌉ shares off a
///      request and the total alike (no dust). (b) to (e) accumulate in {dustBudget} from the state each handler call
///      leaves; it returns to 0 when the queue empties: {QueueLogic-processUnstakeQueue} then zeroes Q and B, so the
///      dust is released to liquid (idle − pending), i.e. to the stakers (INV-1c).
abstract contract StakedAIDQueueGhosts is Test {
    address private immutable vault;

    /// [wei] what (b) to (e) may leave in the pending total since the queue last emptied (INV-1b)
    uint256 public dustBudget;
    uint256 public sideSettlements; // payouts of requests holding side words, ever (coverage of (b))
    uint256 public sideMoves; // (c), ever
    uint256 public reBases; // (d) and (e), ever
    uint256 public dustReleases; // the queue emptied with dust budgeted (INV-1c coverage)
    bool public ghostINV1DustKept; // the queue emptied but the pending total or a part's shares did not go to 0
    uint256 public maxGap; // largest pending total − Σ requests seen (coverage)
    mapping(uint256 id => uint256) private termsAtPay; // side terms a request held right before a payout run
    uint256 private dustHead; // the queue's head after the last call
    uint256 private poolEpoch;
    uint256 private bareWord; // the bare part's {QueueState} word after the last call
    uint256 private bareEpoch;
    uint256 private bareAcc;
    uint256 private xWord;
    uint256 private xEpoch;
    uint256 private xAcc;

    constructor(address vault_) {
        vault = vault_;
        (dustHead,) = IStakedAID(vault_).unstakeQueue();
    }

    /// @dev Side terms of request `id` now: per side word, 1 + the side epochs since the word's ((a), (b)).
    function termsOf(uint256 id) public view returns (uint256 terms) {
        uint256 w = StakedAIDSlots.loadOf(vault, StakedAIDSlots.REQUEST_BARE, id);
        if (w != 0) terms += 1 + StakedAIDSlots.load(vault, StakedAIDSlots.BARE_EPOCH) - (w >> 224);
        w = StakedAIDSlots.loadOf(vault, StakedAIDSlots.EXCESS + 2, id);
        if (w != 0) terms += 1 + StakedAIDSlots.load(vault, StakedAIDSlots.EXCESS + 1) - (w >> 224);
    }

    /// @notice INV-1b: the bound of pending total − Σ requests now: (a) for every waiting request + {dustBudget}.
    function inv1Bound() external view returns (uint256 bound) {
        (uint256 head, uint256 tail) = IStakedAID(vault).unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            bound += 2 + 2 * termsOf(id);
        }
        bound += dustBudget;
    }

    /// @dev Records the side terms of the requests the next payout run may reach (before `processUnstakeQueue`).
    function _beforePayouts(uint256 iterations) internal {
        (uint256 head, uint256 tail) = IStakedAID(vault).unstakeQueue();
        uint256 end = tail - head > iterations ? head + iterations : tail;
        for (uint256 id = head; id < end; ++id) {
            termsAtPay[id] = termsOf(id);
        }
    }

    /// @dev (b): a payout of request `id` (an `UnstakePaid` event) settled its side words.
    function _settled(uint256 id) internal {
        uint256 terms = termsAtPay[id];
        if (terms == 0) return;
        dustBudget += 2 * terms;
        ++sideSettlements;
    }

    /// @dev (c) to (e) from the state this call left against the last one; (INV-1c) the release when the queue empties.
    function _dustAfterCall() internal {
        (uint256 head, uint256 tail) = IStakedAID(vault).unstakeQueue();
        uint256 n = tail - dustHead; // every request that waited during the call
        uint256 e = StakedAIDSlots.load(vault, StakedAIDSlots.QUEUE_EPOCH);
        if (e != poolEpoch) (dustBudget, reBases) = (dustBudget + n + 3, reBases + 1);
        poolEpoch = e;
        // the bare part (its fields at BARE: state, epoch, ..., acc at + 4, end records at + 7)
        (bareWord, bareEpoch, bareAcc) = _side(StakedAIDSlots.BARE, bareWord, bareEpoch, bareAcc, n);
        (xWord, xEpoch, xAcc) = _side(StakedAIDSlots.EXCESS, xWord, xEpoch, xAcc, n);
        if (head == tail) {
            (uint256 q,) = StakedAIDSlots.pool(vault);
            (uint256 b,) = StakedAIDSlots.bare(vault);
            if (IStakedAID(vault).pendingUnstakeAssets() != 0 || q != 0 || b != 0) ghostINV1DustKept = true;
            if (dustBudget != 0) ++dustReleases;
            dustBudget = 0;
        }
        dustHead = head;
    }

    /// @dev (c) and (e) for the side part at `base` whose word, epoch and accumulator were `w0`, `e0`, `a0`.
    function _side(uint256 base, uint256 w0, uint256 e0, uint256 a0, uint256 n)
        private
        returns (uint256 w, uint256 e, uint256 a)
    {
        (w, e, a) =
        (StakedAIDSlots.load(vault, base), StakedAIDSlots.load(vault, base + 1), StakedAIDSlots.load(vault, base + 4));
        uint256 s0 = uint160(w0);
        if (s0 != 0 && (a != a0 || e != e0)) {
            dustBudget += 1 + s0 / 1e27; // (c)
            ++sideMoves;
        }
        // (e): the re-bases among the epochs that ended since
        for (uint256 j = e0; j < e;) {
            (,, uint256 steps) = StakedAIDSlots.epochEnd(vault, base + 7, j);
            if (steps == 0) {
                ++j;
            } else {
                (dustBudget, reBases) = (dustBudget + n + 1, reBases + 1);
                j += steps;
            }
        }
    }

    /// @dev Tracks the largest gap seen (coverage of INV-1b).
    function _gapSeen(uint256 gap) internal {
        if (gap > maxGap) maxGap = gap;
    }
}
