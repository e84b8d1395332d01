// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDReview10B1Scenario} from "./StakedAIDReview10B1Mech.t.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice 11r-1 for the excess part (claim without value, 10b-1): like the bare part's, a re-base of the excess index
///         ends its epoch with an end record (`excess.epochEnd`: the accumulator, the pool epoch, the steps) and the
///         accumulator restarts at 0; a whole move, or payouts emptying it, end it with a restart. Before (s11-xs,
///         49f7b21) a re-base multiplied the accumulator × 1000 and, near its bound, ended the era with what was left
///         of the excess claim lapsing to the stakers. Expected outcomes from the FAIR rules only: a write-back of φ
///         of the total gives each request v' = v + φc, c' = c(1 − φ); a settle of σ: c' = c(1 − σ), v' = v. The
///         scenario ({StakedAIDReview10B1Scenario}): request 1 (R1 = 85, claim C1 = 15) in the pool, bob's request 2
///         (V = 680) carrying `off` of claim, P = 120 of it at the pool's ratio, e = off − P in the excess part.
contract StakedAIDReview11R1ExcessTest is StakedAIDReview10B1Scenario {
    /// @dev A write-back of φ = 1 − 1 / 2000 leaves the excess (1 − φ)e / (1 + φρ) < e / 1000: a re-base.
    uint256 internal constant KEEP = 2000;

    /// @notice A settle of σ = 299.8 / 300 (two positions: 0.2 lost on `position`, 299.8 on `second`) scales the excess
    ///         index by 1 − σ < 1 / 1000: the re-base ends excess epoch 0 (steps 1, accumulator 0: nothing moved yet),
    ///         the claim is c(1 − σ) and nothing lapses; the cure of the rest (an unbooked write-back, φ = 1) moves the
    ///         excess whole (a restart of epoch 1): bob's word of epoch 0 settles across both records, and every
    ///         request gets v + c(1 − σ). Views before the booking = after it.
    function test_review11r1x_settleRebasingTheExcessEndsItsEpoch() public {
        uint256 off = _scenarioOnTwo(0.2e18);
        _settleRebasingTheExcess(off);
        // the cure of the rest, reported, not booked yet: it moves the excess whole
        position.mark(address(sAID), 0.2e18);
        _syncAsPreviewed();
        (uint256 xs,,, uint256 epoch) = _excess();
        assertEq(xs, 0, "the excess moved whole");
        assertEq(epoch, 2, "a restart ended epoch 1");
        (uint256 acc,, uint256 steps) = _excessEpochEnd(1);
        assertEq(steps, 0, "its end record: a restart");
        assertGt(acc, 0, "with what its shares gained");
        assertApproxEqAbs(_requestValue(2), V + Math.mulDiv(off, 0.2e18, 300e18), 1e9, "request 2: v + c(1 - sigma)");
        assertApproxEqAbs(_requestValue(1), R1 + Math.mulDiv(C1, 0.2e18, 300e18), 1e9, "request 1: v + c(1 - sigma)");
        _payAll();
    }

    /// @notice Three write-backs of φ = 1 − 1 / 2000 of the total each, a loss between them: each re-bases the excess
    ///         (its claim keeps < 1 / 1000) and ends its epoch with the accumulator of what moved (no × 1000, nothing
    ///         lapses); after write-back k each request holds v + c(1 − 2000^-k) (the loss lowers the pool's values
    ///         by λ and adds λv to their claims, the excess is untouched), and the views before each booking equal
    ///         the booking. The cure of the rest then gives each request its value + claim, paid in full.
    function test_review11r1x_writeBacksRebasingTheExcessEndItsEpochs() public {
        uint256 off = _scenario(false);
        uint256[3] memory v = [R1, V, uint256(0)];
        uint256[3] memory c = [C1, off, uint256(0)];
        for (uint256 k; k < 3; ++k) {
            (uint256 total,) = _writeDowns();
            uint256 w = total - total / KEEP;
            (, uint256 epochBefore) = _writeBackAsPreviewed(w);
            for (uint256 i; i < 2; ++i) {
                uint256 up = Math.mulDiv(c[i], w, total);
                (v[i], c[i]) = (v[i] + up, c[i] - up);
            }
            (,,, uint256 epoch) = _excess();
            assertEq(epoch, epochBefore + 1, "the write-back re-based the excess: its epoch ended");
            (uint256 acc, uint256 poolEpoch, uint256 steps) = _excessEpochEnd(epochBefore);
            assertEq(steps, 1, "end record: one re-base");
            assertGt(acc, 0, "with the pool shares its shares gained");
            assertLe(acc, 1e30, "the accumulator is never scaled up");
            assertEq(poolEpoch, _queueEpoch(), "at the pool's epoch");
            assertApproxEqAbs(_requestValue(1), v[0], 1e9, "request 1: v + phi c");
            assertApproxEqAbs(_requestValue(2), v[1], 1e9, "request 2: v + phi c");
            if (k == 1) {
                // a loss between: lambda on gross (NAV + pending), v(1 - lambda), c + lambda v
                uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
                _markDown(50e18);
                for (uint256 i; i < 2; ++i) {
                    uint256 down = Math.mulDiv(v[i], 50e18, gross);
                    (v[i], c[i]) = (v[i] - down, c[i] + down);
                }
            }
        }
        (uint256 rest,) = _writeDowns();
        position.mark(address(sAID), int256(rest));
        _syncAsPreviewed();
        assertApproxEqAbs(_requestValue(1), v[0] + c[0], 1e9, "request 1: v + c");
        assertApproxEqAbs(_requestValue(2), v[1] + c[1], 1e9, "request 2: v + c");
        (uint256 xs,,,) = _excess();
        assertEq(xs, 0, "the excess moved whole");
        _payAll();
    }

    /// @notice Fuzz: 1–6 cycles of a write-back of φ = 1 − 1 / keep of the total (keep in [1001, 1e6]: each re-bases the
    ///         excess, or moves it whole once it is dust) and a loss of up to 50 AID: after every booking the requests
    ///         hold the FAIR values (write-back: v + φc, c(1 − φ); loss λ: v(1 − λ), c + λv), the views before it equal
    ///         it, the excess's epoch advanced with an end record, the accumulator stays <= 1e30; the cure of the rest
    ///         gives v + c, paid in full.
    function testFuzz_review11r1x_cyclesRebasingTheExcess(uint256 seed, uint256 n) public {
        uint256 off = _scenario(false);
        uint256[2] memory v = [R1, V];
        uint256[2] memory c = [C1, off];
        n = bound(n, 1, 6);
        for (uint256 k; k < n; ++k) {
            (uint256 total,) = _writeDowns();
            uint256 w = total - total / bound(uint256(keccak256(abi.encode(seed, k))), 1001, 1e6);
            (uint256 eBefore, uint256 epochBefore) = _writeBackAsPreviewed(w);
            for (uint256 i; i < 2; ++i) {
                uint256 up = Math.mulDiv(c[i], w, total);
                (v[i], c[i]) = (v[i] + up, c[i] - up);
            }
            (,,, uint256 epoch) = _excess();
            // (a dust excess, a few wei of claim, may have nothing that rounds into value)
            if (eBefore > 1000) assertGt(epoch, epochBefore, "the write-back ended the excess epoch");
            assertLe(uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS + 4))), 1e30, "acc bound");
            _assertValues(v);
            uint256 loss = bound(uint256(keccak256(abi.encode(seed, k, 1))), 0, 50e18);
            if (loss < 1e18) continue;
            uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
            _markDown(loss);
            for (uint256 i; i < 2; ++i) {
                uint256 down = Math.mulDiv(v[i], loss, gross);
                (v[i], c[i]) = (v[i] - down, c[i] + down);
            }
            _assertValues(v);
        }
        (uint256 rest,) = _writeDowns();
        position.mark(address(sAID), int256(rest));
        _syncAsPreviewed();
        _assertValues([v[0] + c[0], v[1] + c[1]]);
        _payAll();
    }

    /// @notice Two unbooked write-backs in one view (two positions: 299.8 lost on `position`, 0.2 on `second`): the
    ///         cure of `position` (φ = 299.8 / 300) re-bases the excess (epoch 0 ends), the cure of `second` moves
    ///         what is left whole (epoch 1 ends with a restart). The views carry both end records in memory: bob's
    ///         word of epoch 0 is previewed across them exactly as the booking then settles it; every request gets
    ///         v + c.
    function test_review11r1x_viewsEqualBookingAcrossTwoUnbookedEpochEnds() public {
        uint256 off = _scenarioOnTwo(299.8e18);
        position.mark(address(sAID), 299.8e18);
        second.mark(address(sAID), 0.2e18);
        _syncAsPreviewed();
        (uint256 xs,,, uint256 epoch) = _excess();
        assertEq(xs, 0, "the excess moved whole");
        assertEq(epoch, 2, "two epochs ended");
        (uint256 acc0,, uint256 steps0) = _excessEpochEnd(0);
        (uint256 acc1,, uint256 steps1) = _excessEpochEnd(1);
        assertEq(steps0, 1, "epoch 0: a re-base");
        assertEq(steps1, 0, "epoch 1: a restart");
        assertGt(acc0 * acc1, 0, "both hold what their shares gained");
        assertApproxEqAbs(_requestValue(2), V + off, 1e9, "request 2: v + c");
        assertApproxEqAbs(_requestValue(1), R1 + C1, 1e9, "request 1: v + c");
        _payAll();
    }

    /// @notice Payouts completing bob's request 2 (the only excess holder) empty the excess part: its epoch ends with a
    ///         restart (the claim forfeited to the stakers, 10b-1) and the next starts at 0; a later loss and cure
    ///         leave the stakers whole.
    function test_review11r1x_payoutsEmptyingTheExcessRestartItsEpoch() public {
        _scenario(false);
        _payAll();
        (uint256 xs, uint256 index,, uint256 epoch) = _excess();
        assertEq(xs, 0, "emptied");
        assertEq(index, 1e27, "restarted at 1e27");
        assertEq(epoch, 1, "its epoch ended");
        (,, uint256 steps) = _excessEpochEnd(0);
        assertEq(steps, 0, "with a restart");
        assertEq(uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS + 4))), 0, "the accumulator is 0");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev {test_review11r1x_settleRebasingTheExcessEndsItsEpoch}'s settle of `second` and what it must leave.
    function _settleRebasingTheExcess(uint256 off) internal {
        (uint256 xs0, uint256 index0, uint256 e,) = _excess();
        assertEq(e, off - P, "the excess part");
        vm.prank(allocator);
        sAID.settleWriteDown(address(second));
        (uint256 xs, uint256 index, uint256 left, uint256 epoch) = _excess();
        assertEq(epoch, 1, "the re-base ended excess epoch 0");
        (uint256 acc, uint256 poolEpoch, uint256 steps) = _excessEpochEnd(0);
        assertEq(steps, 1, "its end record: one re-base");
        assertEq(acc + poolEpoch, 0, "nothing moved in it, pool epoch 0");
        assertEq(index, Math.mulDiv(index0, 0.2e18, 300e18) * 1000, "index x (1 - sigma) x 1000");
        assertEq(xs, (xs0 + 999) / 1000, "shares / 1000, rounded up");
        assertApproxEqAbs(left, Math.mulDiv(e, 0.2e18, 300e18), 2, "the excess keeps e(1 - sigma): nothing lapses");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 0.2e18, "0.2 undecided");
        assertApproxEqAbs(claim, Math.mulDiv(C1 + off, 0.2e18, 300e18), 4, "the queue keeps c(1 - sigma)");
        assertEq(_requestValue(2), V, "a settle moves no value");
    }

    /// @dev Requests 1 and 2 are worth `v` (the fair values), ± 1e9 (rounding across re-bases, far below MIN_CLAIM).
    function _assertValues(uint256[2] memory v) internal view {
        assertApproxEqAbs(_requestValue(1), v[0], 1e9, "request 1: the fair value");
        assertApproxEqAbs(_requestValue(2), v[1], 1e9, "request 2: the fair value");
    }

    /// @dev The views: requests 1 and 2, bob's aggregate, pending.
    function _views() internal view returns (uint256[4] memory r) {
        r = [_requestValue(1), _requestValue(2), _pending(bob), sAID.pendingUnstakeAssets()];
    }

    /// @dev The views equal `preview` (taken before the booking).
    function _assertViews(uint256[4] memory preview) internal view {
        assertEq(_requestValue(1), preview[0], "view = booking (request 1)");
        assertEq(_requestValue(2), preview[1], "view = booking (request 2)");
        assertEq(_pending(bob), preview[2], "view = booking (bob's aggregate)");
        assertEq(sAID.pendingUnstakeAssets(), preview[3], "view = booking (pending)");
        assertApproxEqAbs(_pending(bob), _requestValue(1) + _requestValue(2), 4, "bob's aggregate = his requests");
    }

    /// @dev `position` reports `w` of its write-down back and a sync books it, the views before equal to the booking.
    ///      Returns the excess part's claim and epoch before.
    function _writeBackAsPreviewed(uint256 w) internal returns (uint256 eBefore, uint256 epochBefore) {
        position.mark(address(sAID), int256(w)); // reported, not booked
        (,, eBefore, epochBefore) = _excess();
        _syncAsPreviewed();
    }

    /// @dev A sync books what the positions report; the views before it equal the booking.
    function _syncAsPreviewed() internal {
        uint256[4] memory preview = _views();
        _sync();
        _assertViews(preview);
    }

    /// @dev Every request is paid what it shows; the vault stays backed.
    function _payAll() internal {
        uint256 owed = _pending(bob);
        uint256 before = aid.balanceOf(bob);
        _deallocateAllThenPayQueue();
        assertEq(aid.balanceOf(bob) - before, owed, "bob is paid what his requests showed");
        _assertBacked();
    }
}
