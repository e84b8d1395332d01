// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Mechanism of the 10r-1 fix: at a loss the bare part's drop moves into the pool with the value carrying it
///         (an accumulator of pool shares per bare share, settled per request and per owner aggregate), and a move of
///         the whole bare part ends the bare epoch with a restart (11r-1: so does a re-base, with its steps).
contract StakedAIDReview10R1MechTest is StakedAIDTestBase {
    MockPosition internal second;

    function setUp() public override {
        super.setUp();
        second = new MockPosition(IERC20(address(aid)));
        _twoStakersOnTwoPositions(second, 500e18);
    }

    /// @notice A pool without a claim (its write-down settled) and a bare part waiting: a loss on the other position
    ///         moves the whole bare part into the pool (their ratios are equal: λ / (1 − λ)), the bare epoch ends
    ///         with a restart. Repeated: every cycle restarts it (the next accumulator starts at 0); each cycle's full
    ///         cure returns every waiting request and the stakers to their value before that cycle's loss, and the
    ///         queue pays every request its value.
    function test_mech10r1_wholeBarePartMovesAndRestartsTheBareEpochRepeatedly() public {
        _unstake(alice, sAID.balanceOf(alice) / 2); // request 0: the pool
        for (uint256 i; i < 6; ++i) {
            _markDown(10e18); // a claim on `position`
            address who = address(uint160(0xE000 + i));
            uint256 got = _stake(who, 5000e18);
            uint256 id = _tail();
            _unstake(who, got); // mostly bare
            vm.prank(allocator);
            sAID.settleWriteDown(address(position)); // the pool's claim lapses
            (uint256 total, uint256 claim) = _writeDowns();
            assertEq(total + claim, 0, "nothing undecided");
            (uint256 bs,) = _bare();
            assertGt(bs, 0, "a bare part waits");
            uint256 epoch = _bareEpoch();
            uint256 before = _requestValue(id);
            uint256 bobBefore = _value(bob);
            second.mark(address(sAID), -int256(50e18));
            _sync();
            assertGt(before, _requestValue(id), "the loss lowered the request");
            assertEq(_bareEpoch(), epoch + 1, "the whole bare part moved: its epoch ended with a restart");
            (bs,) = _bare();
            assertEq(bs, 0, "no bare shares left");
            second.mark(address(sAID), 50e18); // cured
            _sync();
            assertApproxEqAbs(_requestValue(id), before, 1e9, "the cure returns the request to its value");
            assertApproxEqAbs(_pending(who), before, 1e9, "and its owner's aggregate");
            assertApproxEqAbs(_value(bob), bobBefore, 1e9, "the stakers keep theirs");
        }
        uint256[7] memory owed;
        for (uint256 id; id < 7; ++id) {
            owed[id] = _requestValue(id);
        }
        uint256 deployed = sAID.bookedOf(address(second));
        vm.prank(allocator);
        sAID.deallocate(address(second), deployed);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid");
        for (uint256 i; i < 6; ++i) {
            assertEq(aid.balanceOf(address(uint160(0xE000 + i))), owed[i + 1], "each paid its value");
        }
        _assertBacked();
    }

    /// @notice A loss that moves part of the bare part: a request settled by a partial payout and one settled at its
    ///         full payout get the pool shares they gained (previews = payouts).
    function test_mech10r1_partialMoveSettlesAtPayout() public {
        _unstake(alice, sAID.balanceOf(alice) / 2); // request 0: the pool
        _markDown(300e18);
        uint256 got = _stake(dave, 5000e18);
        _unstake(dave, got); // request 1: mostly bare
        second.mark(address(sAID), -int256(100e18));
        _sync();
        (uint256 bs,) = _bare();
        assertGt(bs, 0, "part of the bare part stays");
        uint256 v0 = _requestValue(0);
        uint256 v1 = _requestValue(1);
        assertEq(_pending(dave), v1, "the owner's aggregate = its request");
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(alice), v0, "alice paid her value");
        assertEq(aid.balanceOf(dave), v1, "dave paid his value (bare part + the pool shares it gained)");
        _assertBacked();
    }

    function _tail() internal view returns (uint256 tail) {
        (, tail) = sAID.unstakeQueue();
    }

    function _requestValue(uint256 id) internal view returns (uint256 v) {
        (,,, v) = sAID.unstakeRequest(id);
    }
}
