// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDSlots, StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Edge cases of the 10r-1 fix (the bare part's drop moves into the pool at each loss, through the accumulator
///         `bareAcc` and bare eras): the ACC_MAX fallback reached through public calls, many eras in sequence and the
///         packing of `bareEraEnd`, the same-era restart of an emptied bare part, views = actions across an era
///         restart, and an owner's aggregate across eras. Every request's value is checked against an independent
///         expectation: its record × (gross − loss) / gross for each loss booked after it that stays final, back to
///         its value before a loss that is cured, plus what it carried once everything is cured.
contract StakedAIDReview10R1EdgeTest is StakedAIDTestBase {
    /// @dev {PositionLogic} bound of the accumulator.
    uint256 internal constant ACC_MAX = 1 << 199;
    uint256 internal constant RAY = 1e27;
    /// @dev {StakedAIDSlots}: a `bareEraEnd` word above bit 247 is never written.
    uint256 internal constant ERA_END_BITS = 248;
    /// @dev The ACC cycles ({_accCycle}): the loss booked (and settled) on `position` per cycle, each cycle's entrant
    ///      round trip, and the write-down on `second` that stays undecided (tiny: the pool's claim left after each
    ///      settle is ~3e-10 of the next loss's drop, so each loss moves all but ~3e-10 of the bare part: its index
    ///      falls below INDEX_FLOOR, 3 re-bases, the accumulator × 1e9 per cycle; an entrant's shares carry < MIN_CLAIM
    ///      of claim, so its request is wholly bare).
    uint256 internal constant LOSS = 40e18;
    uint256 internal constant REFILL = 100e18;
    uint256 internal constant DUST_LOSS = 1e10;
    /// @dev Tolerance on the expectation: the share of `second`'s 1e-8 AID write-down a request bore or gets back
    ///      with its cure, and the rounding of the indices and gains (< 1 wei each).
    uint256 internal constant TOL = 1e10;

    MockPosition internal second;
    address internal eve = makeAddr("eve");
    /// @dev Per request id: the independent expectation of its value, and its owner.
    uint256[] internal expected;
    address[] internal owners;

    function setUp() public override {
        super.setUp();
        second = new MockPosition(IERC20(address(aid)));
        vm.label(address(second), "second");
    }

    // ------------------------------------------------------------ 1. the ACC_MAX fallback

    /// @notice The accumulator driven to ACC_MAX through public calls: each {_accCycle} moves all but ~3e-10 of the
    ///         bare part (3 bare re-bases: the accumulator × 1e9 plus at most 1000 × 1e27 of gain, the bound per step
    ///         asserted here), so from 0 it reaches ~1e54 after 3 cycles; the 4th would pass 2^199 (~8e59): the whole
    ///         bare part moves instead (a new era, accumulator 0). No vm.store is needed: the bound is reached by
    ///         ordinary losses. 12 cycles (3 fallbacks): loss booking, unstake and processUnstakeQueue never revert,
    ///         the accumulator stays below ACC_MAX, each era end packs its final accumulator (< 2^200), the pool epoch
    ///         and the bare epoch's low bits; once `second` is cured every request is worth its record × the loss
    ///         fractions of the losses after it, and the queue pays each exactly its view.
    function test_edge10r1_accumulatorBoundRestartsTheEraInsteadOfOverflowing() public {
        _accSetup();
        uint256 restarts;
        uint256 maxAcc;
        for (uint256 i; i < 12; ++i) {
            (, uint256 accBefore, uint256 epochBefore) = _accCycle(address(uint160(0xA000 + i)));
            uint256 acc = _bareAcc();
            maxAcc = Math.max(maxAcc, acc);
            assertLt(acc, ACC_MAX, "the accumulator never passes ACC_MAX");
            bool restart = _bareEpoch() >> 16 != epochBefore >> 16;
            assertEq(restart, accBefore >= ACC_MAX / 1e9, "restart exactly when 3 re-bases would pass ACC_MAX");
            if (restart) {
                ++restarts;
                _assertRestarted(epochBefore);
                (uint256 endAcc, uint256 poolEpoch, uint256 low) = _bareEraEnd(epochBefore >> 16);
                assertGe(endAcc, accBefore, "the era's final accumulator");
                assertLe(endAcc, accBefore + 1000 * RAY, "at most 1000 pool shares per bare share gained");
                assertEq(poolEpoch, _queueEpoch(), "the pool epoch at the era's end");
                assertEq(low, epochBefore & 0xffff, "the bare epoch's low bits at the era's end");
                assertEq(low, 9, "three cycles of 3 re-bases");
                assertEq(_rawEraEnd(epochBefore >> 16) >> ERA_END_BITS, 0, "nothing above bit 247");
            } else {
                (uint256 bs,) = _bare();
                assertGt(bs, 0, "a partial move: the bare part stays");
                assertEq(_bareEpoch(), epochBefore + 3, "its index re-based 3 times");
                assertGe(acc, accBefore * 1e9, "the accumulator x 1000 per re-base");
                assertLe(acc, (accBefore + 1000 * RAY) * 1e9, "bound per step: (acc + 1000 ray) x 1000^3");
            }
        }
        assertEq(restarts, 3, "the fallback restarted the era every 4th cycle");
        assertGt(maxAcc, ACC_MAX / 1e9, "the accumulator came within a re-base of the bound");
        _cureDustAndCheckExpected();
        _payAllAndCheckViews();
    }

    // ------------------------------------------------------------ helpers

    /// @dev alice and bob stake 1000 each, `position` (1300 deployed) and `second` (100) are listed, alice queues half
    ///      (request 0: the pool, no claim), then `second` loses DUST_LOSS: the only write-down left undecided.
    function _accSetup() internal {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(second));
        _allocate(1300e18);
        vm.prank(allocator);
        sAID.allocate(address(second), 100e18);
        _request(alice, sAID.balanceOf(alice) / 2);
        _lossOn(second, DUST_LOSS);
    }

    /// @dev `who` enters with REFILL and unstakes it all (wholly bare), LOSS is booked on `position` and settled (the
    ///      pool's claim on it lapses). `accBefore`, `epochBefore`: `bareAcc` and `bareEpoch` before the loss.
    function _accCycle(address who) internal returns (uint256 id, uint256 accBefore, uint256 epochBefore) {
        id = _request(who, _stake(who, REFILL));
        (uint256 rb,) = _requestBare(id);
        assertGt(rb, 0, "the entrant's request is bare");
        (accBefore, epochBefore) = (_bareAcc(), _bareEpoch());
        _lossOn(position, LOSS);
        sAID.processUnstakeQueue(1); // nothing mature: never reverts
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
    }

    /// @dev The bare part restarted in a new era (after `epochBefore`): no shares, index 1e27, accumulator 0.
    function _assertRestarted(uint256 epochBefore) internal view {
        assertEq(_bareEpoch(), ((epochBefore >> 16) + 1) << 16, "a new bare era");
        (uint256 bs, uint256 bi) = _bare();
        assertEq(bs, 0, "the whole bare part moved");
        assertEq(bi, RAY, "restarts at 1e27");
        assertEq(_bareAcc(), 0, "the accumulator restarts");
    }

    /// @dev `second` is cured (its DUST_LOSS back): nothing stays undecided; every waiting request is worth its
    ///      expectation.
    function _cureDustAndCheckExpected() internal {
        second.mark(address(sAID), int256(DUST_LOSS));
        _sync();
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "fully cured");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            assertApproxEqAbs(_requestValue(id), expected[id], TOL, "each request worth its fair value");
        }
    }

    /// @dev Everything deployed comes back, DELAY passes and the queue is processed: every request paid exactly its
    ///      view (owners hold no other AID), the queue empty, idle backed.
    function _payAllAndCheckViews() internal {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        uint256[] memory view_ = new uint256[](tail);
        for (uint256 id = head; id < tail; ++id) {
            view_[id] = _requestValue(id);
            assertEq(aid.balanceOf(owners[id]), 0, "owners hold no AID yet");
        }
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(100);
        (head,) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid");
        for (uint256 id; id < tail; ++id) {
            assertEq(aid.balanceOf(owners[id]), view_[id], "paid exactly its view");
        }
        _assertBacked();
    }

    function _deallocateAll() internal {
        vm.startPrank(allocator);
        uint256 booked = sAID.bookedOf(address(position));
        if (booked != 0) sAID.deallocate(address(position), booked);
        booked = sAID.bookedOf(address(second));
        if (booked != 0) sAID.deallocate(address(second), booked);
        vm.stopPrank();
    }

    /// @dev Gross (idle + booked; no reward vests, nothing is held): what a loss's fraction is taken on.
    function _gross() internal view returns (uint256) {
        return aid.balanceOf(address(sAID)) + sAID.bookedOf(address(position)) + sAID.bookedOf(address(second));
    }

    /// @dev `p` reports `loss` less and it is booked; every waiting request's expectation loses the fraction.
    function _lossOn(MockPosition p, uint256 loss) internal {
        uint256 g = _gross();
        p.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(p));
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            expected[id] = Math.mulDiv(expected[id], g - loss, g);
        }
    }

    /// @dev `who` unstakes `shares`: the next request, expected at its record.
    function _request(address who, uint256 shares) internal returns (uint256 id) {
        (, id) = sAID.unstakeQueue();
        expected.push(_unstake(who, shares));
        owners.push(who);
    }

    function _requestValue(uint256 id) internal view returns (uint256 v) {
        (,,, v) = sAID.unstakeRequest(id);
    }

    function _rawEraEnd(uint256 era) internal view returns (uint256) {
        return StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.BARE_ERA_END, era);
    }
}
