// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Mechanism of the 10b-1 fix, the excess part of the queue (claim without value): a request carrying more
///         than the pool's ratio goes into the pool whole and its excess claim waits in the excess part; a write-back
///         of φ of the total turns φ of it into value that moves into the pool with the claim at the pool's ratio after
///         the write-back ρ' (the excess keeps (1 − φ)e / (1 + φρ)); a settle scales it; a full write-back or settle
///         ends its epoch with a restart (11r-1 end records); a payout that completes the request forfeits it. Expected figures from the FAIR rules.
///         Scenario ({_scenario}): alice 1000, bob 1000, 1000 deployed; alice queues 500 (request 0), bob 100 an hour
///         before it matures (request 1); a loss of 300 (λ = 0.15): pool 510 with claim 90 (ρ = 15 / 85); request 0 is
///         paid (425) and forfeits 75, the pool keeps request 1 (85, claim 15); the stakers hold 285 of claim on 1190
///         of value (1400 shares). bob unstakes 800 shares: 680 AID carrying off = 285 × 800 / 1400 = 162.857: 120 at
///         ρ into the pool, e = 42.857 into the excess part. All failed on s10-r1 (89509f2), e.g. `request 2: v + phi c:
///         740000000000000000000 !~= 761428571428571428571`, `the excess stays with the request: 0 != 42857142857142857142`.
/// @notice The scenario of {StakedAIDReview10B1MechTest} (see there), shared with the 11r-1 tests of the excess part.
abstract contract StakedAIDReview10B1Scenario is StakedAIDTestBase {
    uint256 internal constant V = 680e18; // bob's request 2
    uint256 internal constant P = 120e18; // the claim it carries at the pool's ratio 15 / 85
    uint256 internal constant R1 = 85e18; // request 1
    uint256 internal constant C1 = 15e18; // its claim

    MockPosition internal second;

    function _requestValue(uint256 id) internal view returns (uint256 v) {
        (,,, v) = sAID.unstakeRequest(id);
    }

    /// @dev The scenario on `position` alone (`two` false: loss 300 on it) or on two positions (500 each, loss 150 on
    ///      each). Returns bob's request 2's claim `off`.
    function _scenario(bool two) internal returns (uint256 off) {
        return two ? _scenarioOnTwo(150e18) : _scenarioOn(0);
    }

    /// @dev The scenario on two positions (500 each) losing `a` (on `position`) and 300 − `a` (on `second`).
    function _scenarioOnTwo(uint256 a) internal returns (uint256 off) {
        second = new MockPosition(IERC20(address(aid)));
        _twoStakersOnTwoPositions(second, 500e18);
        _unstake(alice, sAID.balanceOf(alice) / 2);
        return _scenarioOn(a);
    }

    /// @dev The scenario after alice's request: bob's, the loss (300 on `position` alone, or `a` on `position` and
    ///      300 − `a` on `second`), request 0 paid, bob's request 2.
    function _scenarioOn(uint256 a) private returns (uint256 off) {
        if (address(second) == address(0)) _twoStakersListedAliceQueuedHalf();
        vm.warp(block.timestamp + DELAY - 1 hours);
        _unstake(bob, 100e18);
        if (address(second) != address(0)) {
            _markDown(a);
            second.mark(address(sAID), -int256(300e18 - a));
            _sync();
        } else {
            _markDown(300e18);
        }
        vm.warp(block.timestamp + 2 hours);
        sAID.processUnstakeQueue(10); // pays request 0
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(claim, C1, "request 0 forfeited its claim");
        off = Math.mulDiv(total - claim, 800e18, sAID.totalSupply());
        assertEq(_unstake(bob, 800e18), V, "request 2");
    }
}

contract StakedAIDReview10B1MechTest is StakedAIDReview10B1Scenario {
    /// @notice The request goes into the pool whole; its claim above the pool's ratio is the excess part, which holds
    ///         no value; the queue's claim holds both.
    function test_mech10b1_requestAboveThePoolRatioSplitsIntoPoolAndExcess() public {
        uint256 off = _scenario(false);
        assertEq(off, uint256(285e18) * 800 / 1400, "its shares' part of the stakers' claim");
        (uint256 xs, uint256 index, uint256 e,) = _excess();
        assertEq(index, 1e27, "a new excess part at 1e27");
        assertEq(xs, off - P, "its excess shares");
        assertEq(e, off - P, "its excess claim: off - the pool ratio x 680");
        (, uint256 claim) = _writeDowns();
        assertEq(claim, C1 + off, "the queue's claim holds all it carried");
        assertEq(_requestValue(2), V, "the excess adds no value");
        assertEq(sAID.pendingUnstakeAssets(), R1 + V, "pending = the pool");
        assertEq(_pending(bob), R1 + V, "bob's aggregate");
    }

    /// @notice A write-back of 150 of the 300 (φ = 1/2): each request gets φ of its claim (v + φc); the excess keeps
    ///         (1 − φ)e / (1 + φρ) = e × 85 / 185; the queue's claim halves. Views before the booking = after it.
    function test_mech10b1_partialWriteBackConvertsTheExcess() public {
        uint256 off = _scenario(false);
        uint256 e = off - P;
        position.mark(address(sAID), 150e18); // reported, not booked
        uint256 preview2 = _requestValue(2);
        uint256 preview1 = _requestValue(1);
        uint256 previewBob = _pending(bob);
        uint256 previewPending = sAID.pendingUnstakeAssets();
        _sync();
        assertApproxEqAbs(_requestValue(2), V + off / 2, 10, "request 2: v + phi c");
        assertApproxEqAbs(_requestValue(1), R1 + C1 / 2, 10, "request 1: v + phi c");
        (,, uint256 left, uint256 epoch) = _excess();
        assertApproxEqAbs(left, e * 85 / 185, 10, "the excess keeps (1 - phi)e / (1 + phi rho)");
        assertEq(epoch, 0, "same epoch, no re-base");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 150e18, "half undecided");
        assertApproxEqAbs(claim, (C1 + off) / 2, 10, "the queue's claim halves");
        assertEq(_requestValue(2), preview2, "view = action (request 2)");
        assertEq(_requestValue(1), preview1, "view = action (request 1)");
        assertEq(_pending(bob), previewBob, "view = action (bob's aggregate)");
        assertEq(sAID.pendingUnstakeAssets(), previewPending, "view = action (pending)");
        assertApproxEqAbs(_pending(bob), _requestValue(1) + _requestValue(2), 2, "aggregate = its requests");
        // the other half: a full cure returns request 2 to v + c
        position.mark(address(sAID), 150e18);
        _sync();
        assertApproxEqAbs(_requestValue(2), V + off, 1e9, "cured: v + c");
        (uint256 xs,,, uint256 epoch2) = _excess();
        assertEq(xs, 0, "the excess moved whole");
        assertEq(epoch2, 1, "the excess epoch ended with a restart");
        (,, uint256 steps) = _excessEpochEnd(0);
        assertEq(steps, 0, "its end record: a restart");
    }

    /// @notice A full write-back (φ = 1) moves the whole excess into the pool at once (its epoch ends with a restart); the queue pays each
    ///         request its value + claim and the claim ends at 0.
    function test_mech10b1_fullWriteBackEndsTheExcessEpochAndPays() public {
        uint256 off = _scenario(false);
        position.mark(address(sAID), 300e18);
        uint256 preview = _requestValue(2);
        _sync();
        assertEq(_requestValue(2), preview, "view = action");
        assertApproxEqAbs(_requestValue(2), V + off, 1e9, "v + c");
        assertApproxEqAbs(_requestValue(1), R1 + C1, 1e9, "v + c");
        (uint256 xs,,, uint256 epoch) = _excess();
        assertEq(xs, 0, "no excess left");
        assertEq(epoch, 1, "excess epoch 1 (a restart)");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided");
        uint256 before = aid.balanceOf(bob);
        uint256 owed = _pending(bob);
        _deallocateAllThenPayQueue();
        assertEq(aid.balanceOf(bob) - before, owed, "bob is paid what his requests showed");
        assertApproxEqAbs(owed, R1 + C1 + V + off, 1e9, "their value + claim");
        _assertBacked();
    }

    /// @notice Settles (two positions, 150 lost on each): settling one (σ = 1/2) halves the excess and the pool's
    ///         claim, values unchanged; the cure of the other then gives request 2 v + c(1 − σ) and ends the excess epoch (a restart).
    function test_mech10b1_settleScalesTheExcess() public {
        uint256 off = _scenario(true);
        uint256 e = off - P;
        vm.prank(allocator);
        sAID.settleWriteDown(address(second));
        (, uint256 index, uint256 left,) = _excess();
        assertEq(index, 5e26, "the excess index halves");
        assertApproxEqAbs(left, e / 2, 1, "so does its claim");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 150e18, "half settled");
        assertApproxEqAbs(claim, (C1 + off) / 2, 2, "the queue's claim halves");
        assertEq(_requestValue(2), V, "a settle moves no value");
        position.mark(address(sAID), 150e18);
        _sync();
        assertApproxEqAbs(_requestValue(2), V + off / 2, 1e9, "v + c(1 - sigma)");
        assertApproxEqAbs(_requestValue(1), R1 + C1 / 2, 1e9, "v + c(1 - sigma)");
        (uint256 xs,,, uint256 epoch) = _excess();
        assertEq(xs + epoch, 1, "the cure ended the epoch (a restart)");
    }

    /// @notice A full settle lapses the excess with the rest of the claim (its epoch ends with a restart); the request keeps its
    ///         value.
    function test_mech10b1_fullSettleEndsTheExcessEpoch() public {
        _scenario(false);
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        (uint256 xs,, uint256 left, uint256 epoch) = _excess();
        assertEq(xs + left, 0, "the excess lapsed");
        assertEq(epoch, 1, "excess epoch 1 (a restart)");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided");
        assertEq(_requestValue(2), V, "the request keeps its value");
        // a new loss and request start the new epoch at 1e27
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        _markDown(100e18);
        assertApproxEqAbs(_requestValue(2), V - Math.mulDiv(V, 100e18, gross), 1, "v(1 - lambda)");
    }

    /// @notice Supply 0: after request 2 alice and bob unstake all they have left (each request carries its part of
    ///         the stakers' claim: more than the pool's ratio, so part of it is excess); the queue's claim is then the
    ///         whole write-down. A full cure gives every request its value + its claim: nothing is left to nobody.
    function test_mech10b1_supplyZeroEveryRequestGetsItsClaim() public {
        uint256 off = _scenario(false);
        uint256[2] memory v;
        uint256[2] memory c;
        address[2] memory who = [alice, bob];
        for (uint256 i; i < 2; ++i) {
            uint256 shares = sAID.balanceOf(who[i]);
            (uint256 t, uint256 cl) = _writeDowns();
            c[i] = Math.mulDiv(t - cl, shares, sAID.totalSupply());
            v[i] = _unstake(who[i], shares); // requests 3, 4
        }
        assertEq(sAID.totalSupply(), 0, "supply 0");
        (uint256 total, uint256 claim) = _writeDowns();
        assertApproxEqAbs(claim, total, 2, "the queue holds the whole claim");
        position.mark(address(sAID), 300e18);
        _sync();
        assertApproxEqAbs(_requestValue(1), R1 + C1, 1e9, "request 1: v + c");
        assertApproxEqAbs(_requestValue(2), V + off, 1e9, "request 2: v + c");
        assertApproxEqAbs(_requestValue(3), v[0] + c[0], 1e9, "request 3: v + c");
        assertApproxEqAbs(_requestValue(4), v[1] + c[1], 1e9, "request 4: v + c");
        (total, claim) = _writeDowns();
        assertEq(total + claim, 0, "all written back");
        assertLe(sAID.strandedAssets(), 1e9, "nothing left to nobody");
    }

    /// @notice At maturity the queue pays request 1 (85) and 490 of request 2 (all that is idle): request 2 keeps
    ///         190 / 680 of its excess and of its pool claim (12e-1: the value paid forfeits its part of both); the
    ///         cure then gives it 190 + (120 + e) × 190 / 680; its completion forfeits what is left of the claim: the
    ///         queue's claim ends at 0.
    function test_mech10b1_partialPayoutForfeitsItsPartOfTheExcessCompletionTheRest() public {
        uint256 off = _scenario(false);
        uint256 e = off - P;
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, 2, "request 2 paid in part");
        assertApproxEqAbs(_requestValue(2), 190e18, 1, "680 - 490");
        (,, uint256 kept,) = _excess();
        assertApproxEqAbs(kept, Math.mulDiv(e, 190, 680), 1e9, "the request keeps the excess of what is left");
        assertLe(kept, Math.mulDiv(e, 190, 680) + 1, "never more (its shares retired rounded up)");
        (, uint256 claim) = _writeDowns();
        assertApproxEqAbs(claim, Math.mulDiv(P + e, 190, 680), 1e9, "its pool claim and its excess pro rata");
        assertApproxEqAbs(_pending(bob), 190e18, 1, "bob's aggregate");
        position.mark(address(sAID), 300e18);
        _sync();
        uint256 fair = 190e18 + Math.mulDiv(P + e, 190, 680);
        assertApproxEqAbs(_requestValue(2), fair, 1e9, "cured: its value + what is left of its claim");
        position.mark(address(sAID), -50e18); // a new loss, then the completion forfeits the claim on it
        _sync();
        uint256 owed = _requestValue(2);
        uint256 before = aid.balanceOf(bob);
        _deallocateAllThenPayQueue();
        assertEq(aid.balanceOf(bob) - before, owed, "paid what it showed");
        (, claim) = _writeDowns();
        assertEq(claim, 0, "the completion forfeited the queue's whole claim");
        (uint256 xs,,,) = _excess();
        assertEq(xs, 0, "no excess shares left");
        _assertBacked();
    }
}
