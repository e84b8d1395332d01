// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice 10b-1 (MEDIUM, session-10 review 10b): a payout forfeits the paid request's claim on the undecided
///         write-downs to the stakers, so their claim per AID of value rises above the pool's ratio while later
///         requests still wait in the pool. A request made then carried more than the pool's ratio, went in whole at
///         that ratio, and the excess stayed with the stakers. Fixed by the *excess* part of the queue (claim without
///         value, {StakedAIDStorage.Layout-excess}): the request's claim above the pool's ratio waits there and turns
///         into pool shares at write-backs. Oracle: the request is worth what its shares would be worth had its owner
///         stayed (the same losses, write-backs and settles, no payout after it). Failed on s10-r1 (89509f2):
///         `800000000000000000000 !~= 842857142857142857142` (the finding's test), `370000000000000000000 !~=
///         380714285714285714285` (write-back in parts), fuzz `465399845287120246766 !~= 466299158449291747132`.
contract StakedAIDReview10B1Test is StakedAIDTestBase {
    /// @dev The stakers' claim `shares` carry into a request now (what `unstake` computes, rounded down).
    function _carried(uint256 shares) internal view returns (uint256) {
        (uint256 total, uint256 claim) = _writeDowns();
        return Math.mulDiv(total - claim, shares, sAID.totalSupply());
    }

    function _requestValue(uint256 id) internal view returns (uint256 value) {
        (,,, value) = sAID.unstakeRequest(id);
    }

    /// @dev 10b-1's scenario up to the partial payout: alice's request 0 (half of her shares), bob's request 1 (100
    ///      shares) an hour before it matures, a loss of 300, and a payout that pays request 0 and stops at request 1
    ///      (not mature).
    function _requestOneWaitsAfterAPartialPayout() internal {
        _twoStakersListedAliceQueuedHalf(); // request 0
        vm.warp(block.timestamp + DELAY - 1 hours);
        _unstake(bob, 100e18); // request 1
        _markDown(300e18);
        vm.warp(block.timestamp + 2 hours);
        sAID.processUnstakeQueue(10); // pays request 0, stops at request 1 (not mature)
    }

    /// @notice 10b-1: alice queues 500 (request 0), bob 100 an hour before it matures (request 1); a loss of 300
    ///         (f = 0.15) gives the pool a claim of 90, ratio 0.176 per AID, like the stakers'. Request 0 is paid at
    ///         425 and forfeits its 75 of claim to the stakers (pro rata to the pool shares retired); request 1 keeps
    ///         the pool (claim 15, ratio 0.176) while the stakers' ratio rises to 285 / 1190 = 0.239. bob unstakes 800
    ///         shares: 680 AID carrying 162.9 of claim, more than the pool's ratio. After the full cure his request
    ///         must be worth what his shares would be: 842.9 (it was 800 before the fix: the 42.9 excess stayed with
    ///         the stakers).
    function test_review10b1_requestAfterAPartialPayoutLosesItsPartOfTheForfeitedClaim() public {
        _requestOneWaitsAfterAPartialPayout();
        (,,, uint256 left) = sAID.unstakeRequest(1);
        assertGt(left, 0, "request 1 still waits in the pool");
        uint256 shares = 800e18;
        uint256 off = _carried(shares);
        uint256 v = sAID.convertToAssetsWithLoss(shares);
        uint256 snap = vm.snapshotState();
        position.mark(address(sAID), 300e18);
        _sync();
        uint256 stayed = sAID.convertToAssetsWithLoss(shares);
        vm.revertToState(snap);
        assertApproxEqAbs(stayed, v + off, 1e9, "staying: value + the claim his shares carry");

        _unstake(bob, shares); // request 2
        position.mark(address(sAID), 300e18);
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        assertApproxEqAbs(_requestValue(2), v + off, 1e9, "a full cure returns the request to value + what it carried");
    }

    /// @notice 10b-1 fuzzed: alice queues a part of her shares, bob a part of his before it matures, a loss, request 0
    ///         is paid (request 1 waits), bob unstakes a part of what he has left; a recovery of a fraction of the loss
    ///         then (maybe) the settle of the rest. bob's new request is worth what its shares would be had he stayed,
    ///         and so is request 1 its fair value; the queue's claim stays within the write-downs.
    function testFuzz_review10b1_requestAfterAPartialPayoutKeepsItsClaim(
        uint256 aliceBps,
        uint256 bobEarly,
        uint256 loss,
        uint256 bobBps,
        uint256 backBps,
        bool settle
    ) public {
        _twoStakersAllocated(1000e18);
        _unstake(alice, Math.mulDiv(sAID.balanceOf(alice), bound(aliceBps, 1000, 9000), 10_000)); // request 0
        vm.warp(block.timestamp + DELAY - 1 hours);
        _unstake(bob, bound(bobEarly, 2e18, 300e18)); // request 1
        _markDown(bound(loss, 10e18, 900e18));
        vm.warp(block.timestamp + 2 hours);
        sAID.processUnstakeQueue(10);
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, 1, "request 0 paid, request 1 waits");
        uint256 shares = Math.mulDiv(sAID.balanceOf(bob), bound(bobBps, 100, 10_000), 10_000);
        vm.assume(sAID.convertToAssetsWithLoss(shares) >= 1e18);
        (uint256 total,) = _writeDowns();
        uint256 back = Math.mulDiv(total, bound(backBps, 1, 10_000), 10_000);

        uint256 snap = vm.snapshotState();
        _recoverThenSettle(back, settle);
        uint256 stayed = sAID.convertToAssetsWithLoss(shares);
        vm.revertToState(snap);

        _unstake(bob, shares); // request 2
        _recoverThenSettle(back, settle);
        assertApproxEqAbs(_requestValue(2), stayed, 1e9 + stayed / 1e12, "worth what the shares would be");
        assertLe(_requestValue(2), stayed + 1e9, "never more");
        (uint256 t, uint256 c) = _writeDowns();
        assertLe(c, t, "claim <= total");
    }

    /// @notice 10b-1 with the write-back in two parts and the rest settled: bob's request made after the partial
    ///         payout gets its claim's part of each write-back, exactly like the shares he kept.
    function test_review10b1_writeBackInPartsThenSettle() public {
        _requestOneWaitsAfterAPartialPayout();
        uint256 shares = 400e18;
        uint256 snap = vm.snapshotState();
        _recoverParts();
        uint256 stayed = sAID.convertToAssetsWithLoss(shares);
        uint256 stayedR1 = _requestValue(1);
        vm.revertToState(snap);

        uint256 v = sAID.convertToAssetsWithLoss(shares);
        _unstake(bob, shares); // request 2
        _recoverParts();
        assertGt(stayed, v, "the write-backs raised the shares");
        assertApproxEqAbs(_requestValue(2), stayed, 1e9, "the request rose with them");
        assertApproxEqAbs(_requestValue(1), stayedR1, 1e9, "request 1 keeps its fair value");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided");
    }

    /// @dev 100 of the 300 written back, then 50 more, then the rest settled.
    function _recoverParts() internal {
        position.mark(address(sAID), 100e18);
        _sync();
        position.mark(address(sAID), 50e18);
        _sync();
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
    }

    /// @dev `position` reports `back` more (booked), then its write-down is settled when `settle`.
    function _recoverThenSettle(uint256 back, bool settle) internal {
        position.mark(address(sAID), int256(back));
        _sync();
        if (settle && sAID.writtenOffOf(address(position)) != 0) {
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
        }
    }
}
