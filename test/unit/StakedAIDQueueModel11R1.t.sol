// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDQueueModelTest} from "./StakedAIDQueueModel.t.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice 11r-1 against the exact model ({StakedAIDQueueModelTest}): long runs of settled losses, each moving the
///         bare part almost whole into the pool (the pool's ratio just above the bare part's) and re-basing the bare
///         index several times, while bare requests wait (on d19588f the accumulator, × 1000 a bare re-base, reached
///         its bound and forced whole moves). Every request stays at its fair value at every step and after the cure.
contract StakedAIDQueueModel11R1Test is StakedAIDQueueModelTest {
    /// @notice A kind of sequence: a pool request, a tiny write-down left undecided, a bare round trip, then `n`
    ///         (30..40) losses of 0.3%..2% of gross on the second position, each settled before the next (so each
    ///         moves the bare part almost whole and re-bases it), a new bare round trip every few losses; then the
    ///         full cure and every payout. sAID follows the model after each step, nothing reverts, the accumulator
    ///         stays under its bound.
    function testFuzz_model11r1_settledLossesRebasingTheBarePart(uint256 seed, uint256 n) public {
        n = bound(n, 30, 40);
        _stake(carol, 20_000e18);
        vm.prank(allocator);
        sAID.allocate(address(p2), 18_000e18); // p2 carries most of the gross: the losses fall on it
        _unstakeModel(alice, sAID.balanceOf(alice) / 10); // the pool
        _bookLoss(position, 6e12); // stays undecided: the pool's ratio stays just above the bare part's
        _roundTrip(dave, 2000e18);
        uint256 epoch0 = _bareEpoch();
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 loss = (sAID.totalAssets() + sAID.pendingUnstakeAssets()) * bound(r, 30, 200) / 10_000;
            _bookLoss(p2, Math.min(loss, sAID.bookedOf(address(p2)) / 2));
            _checkModel();
            _opSettle(p2);
            _checkModel();
            assertLe(_bareAcc(), ACC_BOUND, "acc bound");
            if (i % 5 == 4) _roundTrip((r >> 128) % 2 == 0 ? dave : eve, bound(r >> 64, 100e18, 2000e18));
        }
        assertGe(_bareEpoch() - epoch0, n, "at least a bare re-base a loss");
        _opRecover(position, 0, true); // the full cure
        _checkModel();
        vm.startPrank(allocator);
        sAID.deallocate(address(p2), sAID.bookedOf(address(p2)));
        sAID.deallocate(address(position), sAID.bookedOf(address(position)));
        vm.stopPrank();
        _opProcess(DELAY); // every request paid at its fair value
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "all paid");
        _assertBacked();
    }

    /// @dev `who` deposits `x` and unstakes all of it (mostly bare: the deposit diluted the stakers' claim per AID).
    function _roundTrip(address who, uint256 x) internal {
        uint256 got = _stake(who, x);
        _unstakeModel(who, got);
        (uint256 bs,) = _bare();
        assertGt(bs, 0, "a bare part waits");
    }
}
