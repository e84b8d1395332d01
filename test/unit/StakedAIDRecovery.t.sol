// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Review 7s (session 8): the recovery of a written-down listed position is a write-back shared by stakers and
///         the unstake queue as the loss in reverse; entries pay for undecided write-downs; `settleWriteDown` and
///         `removePosition` make a write-down final.
contract StakedAIDRecoveryTest is StakedAIDTestBase {
    /// @notice A loss L then a recovery r <= L of the mark: stakers and the waiting request get back r × their part of
    ///         the loss (L fully: their value before), ± rounding against them; views (previews) = the booked state.
    function testFuzz_lossThenRecoveryRoundTrip(uint256 loss, uint256 r) public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        uint256 bobBefore = sAID.previewRedeem(sAID.balanceOf(bob));
        loss = bound(loss, 1, 1000e18);
        r = bound(r, 0, loss);
        _markDown(loss);
        assertEq(sAID.writtenOffOf(address(position)), loss);
        uint256 reqLost = queued - _pending(alice);
        uint256 bobLost = bobBefore - sAID.previewRedeem(sAID.balanceOf(bob));
        position.mark(address(sAID), int256(r));
        uint256 viewBob = sAID.previewRedeem(sAID.balanceOf(bob));
        uint256 viewReq = _pending(alice);
        _sync();
        assertEq(sAID.previewRedeem(sAID.balanceOf(bob)), viewBob, "previews = actions (staker)");
        assertEq(_pending(alice), viewReq, "previews = actions (request)");
        assertEq(sAID.writtenOffOf(address(position)), loss - r, "the rest stays written off");
        assertLe(_pending(alice), queued, "a request never exceeds its value before the loss");
        // the queue's part is rounded down: the wei it leaves stays with the stakers
        assertLe(sAID.previewRedeem(sAID.balanceOf(bob)), bobBefore + 2, "nor a staker (rounding)");
        // each gets back its own part of the recovery: r / loss of what it lost, ± rounding
        assertApproxEqAbs(_pending(alice), queued - reqLost + reqLost * r / loss, 3, "the request's part");
        assertApproxEqAbs(
            sAID.previewRedeem(sAID.balanceOf(bob)), bobBefore - bobLost + bobLost * r / loss, 1e9, "bob's part"
        );
        if (r == loss) {
            assertApproxEqAbs(_pending(alice), queued, 3, "round trip: the request");
            assertApproxEqAbs(sAID.previewRedeem(sAID.balanceOf(bob)), bobBefore, 1e9, "round trip: bob");
        }
        assertEq(sAID.unvestedAmount(), 0, "nothing streamed");
    }

    /// @notice Recovery in two parts, then beyond what was written off: the excess is a gain, streamed when realised.
    function test_recoveryInPartsThenBeyondWrittenOffStreamsTheExcess() public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        uint256 bobBefore = sAID.previewRedeem(sAID.balanceOf(bob));
        _markDown(400e18);
        position.mark(address(sAID), 100e18);
        vm.expectEmit(true, false, false, false, address(sAID));
        emit IStakedAID.LossRecovered(address(position), 100e18, 0);
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 300e18);
        position.mark(address(sAID), 300e18);
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0);
        assertApproxEqAbs(_pending(alice), queued, 3, "the request is whole");
        assertApproxEqAbs(sAID.previewRedeem(sAID.balanceOf(bob)), bobBefore, 1e9, "bob is whole");
        // 50 more than it ever carried: a gain, not a write-back
        _fund(address(position), 50e18);
        position.credit(address(sAID), 50e18);
        _sync();
        assertApproxEqAbs(_pending(alice), queued, 3, "a gain never reprices the queue up");
        vm.prank(allocator);
        sAID.deallocate(address(position), 1050e18);
        assertApproxEqAbs(sAID.unvestedAmount(), 50e18, 1, "only the gain streams");
    }

    /// @notice Loss, recovery, loss again: the second write-down is undecided again, its recovery shared again.
    function test_lossRecoveryLoss() public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        _markDown(300e18);
        position.mark(address(sAID), 300e18);
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0);
        _markDown(200e18);
        assertEq(sAID.writtenOffOf(address(position)), 200e18);
        assertLt(_pending(alice), queued);
        position.mark(address(sAID), 200e18);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18); // realised: a write-back, not a gain
        assertEq(sAID.unvestedAmount(), 0, "nothing streamed");
        assertApproxEqAbs(_pending(alice), queued, 4, "the request is whole");
        assertEq(sAID.writtenOffOf(address(position)), 0);
    }

    /// @notice A realised recovery through `deallocate` equals the written-back one through the mark.
    function testFuzz_deallocatedRecoveryMatchesMarkedRecovery(uint256 loss) public {
        loss = bound(loss, 1, 1000e18);
        _twoStakersListedAliceQueuedHalf();
        _markDown(loss);
        position.mark(address(sAID), int256(loss));
        uint256 bobView = sAID.previewRedeem(sAID.balanceOf(bob));
        uint256 reqView = _pending(alice);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18);
        assertApproxEqAbs(sAID.previewRedeem(sAID.balanceOf(bob)), bobView, 2, "staker");
        assertApproxEqAbs(_pending(alice), reqView, 2, "request");
        assertEq(sAID.unvestedAmount(), 0);
    }

    /// @notice An entrant pays for the undecided write-down as if all of it came back to the stakers; it never gets more
    ///         than it paid, recovered or settled. While requests wait they take their part of the recovery (w × pending
    ///         / gross): the entrant then gets back less than it paid, by at most that share (documented).
    function testFuzz_entrantPaysForUndecidedWriteDown(uint256 loss, uint256 paid, bool recovers) public {
        _twoStakersListedAliceQueuedHalf();
        loss = bound(loss, 1e18, 1000e18);
        paid = bound(paid, 1e18, 1e24);
        _markDown(loss);
        uint256 bobShares = sAID.balanceOf(bob);
        uint256 nav = sAID.totalAssets();
        uint256 pending = sAID.pendingUnstakeAssets();
        uint256 daveShares = _stake(dave, paid);
        if (recovers) {
            position.mark(address(sAID), int256(loss));
            _sync();
            assertLe(sAID.previewRedeem(daveShares), paid, "at most what it paid");
            assertGe(
                sAID.previewRedeem(daveShares) + 1e9, paid * (nav + paid) / (nav + pending + paid), "the queue's part"
            );
        } else {
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
            assertLe(sAID.previewRedeem(daveShares), paid, "it paid for a recovery that did not come");
        }
        assertGe(sAID.previewRedeem(bobShares) + 1e9, 1000e18 - (recovers ? 0 : loss), "bob keeps his part");
    }

    /// @notice Total loss, then a recovery, then business goes on: deposits, unstake and the queue work.
    function test_totalLossThenRecoveryThenKeepGoing() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(1000e18);
        position.mark(address(sAID), 1000e18);
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0);
        uint256 daveShares = _stake(dave, 500e18);
        assertApproxEqRel(sAID.previewRedeem(daveShares), 500e18, 1e12, "priced fairly");
        uint256 queued = _unstake(dave, daveShares);
        _unstake(bob, sAID.balanceOf(bob));
        vm.warp(block.timestamp + DELAY);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(dave), queued, "dave paid");
        assertGt(aid.balanceOf(bob), 0, "bob paid");
    }

    // ------------------------------------------------------------ settleWriteDown / removePosition

    function test_settleWriteDown_makesItFinal() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(200e18);
        vm.expectEmit(true, false, false, true, address(sAID));
        emit IStakedAID.WriteDownSettled(address(position), 200e18);
        vm.prank(allocator);
        assertEq(sAID.settleWriteDown(address(position)), 200e18);
        assertEq(sAID.writtenOffOf(address(position)), 0);
        uint256 before = _pending(alice);
        position.mark(address(sAID), 200e18); // a later cure is a gain now
        _sync();
        assertEq(_pending(alice), before, "not written back");
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18);
        assertApproxEqAbs(sAID.unvestedAmount(), 200e18, 1, "streamed");
    }

    function test_settleWriteDown_writesBackAReportedRecoveryFirst() public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        _markDown(200e18);
        position.mark(address(sAID), 150e18);
        vm.prank(allocator);
        assertEq(sAID.settleWriteDown(address(position)), 50e18, "only what is still written off");
        assertLt(_pending(alice), queued);
        // gross 2000 lost 200 (-10%: the request 450); 150 of 1800 come back, the request's part 150 × 450 / 1800
        assertApproxEqAbs(_pending(alice), 487.5e18, 2, "the 150 came back first");
    }

    function test_settleWriteDown_revertsBadInput() public {
        _twoStakersListedAliceQueuedHalf();
        vm.prank(allocator);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NothingWrittenOff.selector, address(position)));
        sAID.settleWriteDown(address(position));
        vm.prank(allocator);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.UnknownPosition.selector, dave));
        sAID.settleWriteDown(dave);
        bytes32 role = sAID.ALLOCATOR_ROLE();
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, dave, role));
        sAID.settleWriteDown(address(position));
    }

    function test_removePosition_settlesWhatIsWrittenOff() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(1000e18);
        vm.expectEmit(true, false, false, true, address(sAID));
        emit IStakedAID.WriteDownSettled(address(position), 1000e18);
        vm.prank(allocator);
        sAID.removePosition(address(position));
        assertEq(sAID.writtenOffOf(address(position)), 0);
    }

    /// @notice At supply 0 with a write-down undecided, entries are refused; settling it reopens them.
    function test_supplyZeroEntryRefusedUntilSettled() public {
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(700e18);
        _unstake(bob, sAID.balanceOf(bob));
        _markDown(100e18);
        assertEq(sAID.maxDeposit(dave), 0);
        _fund(dave, 1e18);
        vm.startPrank(dave);
        aid.approve(address(sAID), 1e18);
        vm.expectRevert(IStakedAID.VaultWiped.selector);
        sAID.deposit(1e18, dave);
        vm.stopPrank();
        (, uint256 owedBefore) = sAID.getUnstakeRequest(bob);
        position.mark(address(sAID), 100e18); // cured: all of it goes back to the queue (nobody else holds)
        (, uint256 owed) = sAID.getUnstakeRequest(bob);
        assertApproxEqAbs(owed, 1000e18, 2, "the queued loss-bearer is whole");
        assertGt(owed, owedBefore);
        assertEq(sAID.maxDeposit(dave), sAID.maxDeposit(carol), "open again once nothing is written off");
        assertGt(sAID.maxDeposit(dave), 0);
    }
}
