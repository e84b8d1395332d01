// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @notice sAID unstake queue: unstake, processUnstakeQueue, getUnstakeRequest, held payouts.
contract StakedAIDQueueTest is StakedAIDTestBase {
    function test_unstake_burnsSharesAndQueuesAssets() public {
        _stake(alice, 1000e18);
        vm.expectEmit(address(sAID));
        emit IStakedAID.Unstaked(alice, 0, 400e18, 400e18, block.timestamp + DELAY);
        uint256 assets = _unstake(alice, 400e18);
        assertEq(assets, 400e18);
        assertEq(sAID.balanceOf(alice), 600e18);
        assertEq(sAID.totalSupply(), 600e18);
        assertEq(sAID.totalAssets(), 600e18);
        assertEq(sAID.pendingUnstakeAssets(), 400e18);
        assertEq(sAID.idleAssets(), 1000e18);
        assertEq(sAID.freeLiquidity(), 600e18);
        (uint256 t, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertEq(t, block.timestamp);
        assertEq(pending, 400e18);
        (address owner, uint256 time, uint256 claimableAt, uint256 value) = sAID.unstakeRequest(0);
        assertEq(owner, alice);
        assertEq(time, block.timestamp);
        assertEq(claimableAt, block.timestamp + DELAY);
        assertEq(value, 400e18);
    }

    function test_unstake_revertsOnZero() public {
        vm.prank(alice);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.unstake(0);
    }

    function test_unstake_revertsWhenPaused() public {
        _stake(alice, 10e18);
        vm.prank(gatekeeper);
        sAID.pause();
        vm.prank(alice);
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.unstake(1e18);
    }

    function test_unstake_revertsForFullRestricted() public {
        _stake(alice, 10e18);
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, alice, IStakedAID.Restriction.FULL)
        );
        sAID.unstake(1e18);
    }

    function test_unstake_softRestrictedMayLeave() public {
        _stake(alice, 10e18);
        _restrict(alice, IStakedAID.Restriction.SOFT);
        assertEq(_unstake(alice, 10e18), 10e18);
    }

    function test_unstake_revertsOnInsufficientShares() public {
        _stake(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 10e18, 11e18));
        sAID.unstake(11e18);
    }

    function test_unstake_revertsBelowMinimumUnlessWholeBalance() public {
        _stake(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.UnstakeTooSmall.selector, 0.5e18, 1e18));
        sAID.unstake(0.5e18);
        _stake(bob, 0.5e18);
        assertEq(_unstake(bob, 0.5e18), 0.5e18); // dust can always leave whole
    }

    function test_getUnstakeRequest_aggregatesUserRequests() public {
        _stake(alice, 100e18);
        _unstake(alice, 10e18);
        vm.warp(block.timestamp + 1 days);
        _unstake(alice, 20e18);
        (uint256 t, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertEq(t, block.timestamp);
        assertEq(pending, 30e18);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, 0);
        assertEq(tail, 2);
        (uint256 none, uint256 zero) = sAID.getUnstakeRequest(bob);
        assertEq(none + zero, 0);
    }

    function test_processUnstakeQueue_revertsOnZeroIterations() public {
        vm.expectRevert(IStakedAID.ZeroIterations.selector);
        sAID.processUnstakeQueue(0);
    }

    function test_processUnstakeQueue_revertsWhenPaused() public {
        vm.prank(gatekeeper);
        sAID.pause();
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.processUnstakeQueue(1);
    }

    function test_processUnstakeQueue_waitsForTheDelay() public {
        _stake(alice, 100e18);
        _unstake(alice, 50e18);
        vm.warp(block.timestamp + DELAY - 1);
        assertEq(sAID.processUnstakeQueue(10), 0);
        assertEq(aid.balanceOf(alice), 0);
        vm.warp(block.timestamp + 1);
        vm.prank(carol); // anyone
        assertEq(sAID.processUnstakeQueue(10), 50e18);
        assertEq(aid.balanceOf(alice), 50e18);
        (, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertEq(pending, 0);
        assertEq(sAID.pendingUnstakeAssets(), 0);
        assertEq(sAID.idleAssets(), 50e18);
        assertEq(sAID.totalAssets(), 50e18);
    }

    function test_processUnstakeQueue_paysFifoWithinMaxIterations() public {
        _stake(alice, 100e18);
        _stake(bob, 100e18);
        _stake(carol, 100e18);
        _unstake(bob, 10e18);
        _unstake(alice, 20e18);
        _unstake(carol, 30e18);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(2), 30e18);
        assertEq(aid.balanceOf(bob), 10e18);
        assertEq(aid.balanceOf(alice), 20e18);
        assertEq(aid.balanceOf(carol), 0);
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, 2);
        assertEq(sAID.processUnstakeQueue(5), 30e18);
        assertEq(aid.balanceOf(carol), 30e18);
    }

    function test_processUnstakeQueue_partialPaymentKeepsPlace() public {
        _stake(alice, 1000e18);
        _listPosition();
        _allocate(700e18);
        _unstake(alice, 500e18);
        _stake(bob, 100e18);
        _unstake(bob, 100e18);
        vm.warp(block.timestamp + DELAY);
        // idle 400 (300 + bob's 100), owed 600: alice is paid 400 in part and keeps the head
        vm.expectEmit(address(sAID));
        emit IStakedAID.UnstakePaid(0, alice, 400e18, false, false);
        assertEq(sAID.processUnstakeQueue(10), 400e18);
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, 0);
        (, uint256 left) = sAID.getUnstakeRequest(alice);
        assertEq(left, 100e18);
        assertEq(aid.balanceOf(bob), 0);
        vm.prank(allocator);
        sAID.deallocate(address(position), 200e18);
        assertEq(sAID.processUnstakeQueue(10), 200e18);
        assertEq(aid.balanceOf(alice), 500e18);
        assertEq(aid.balanceOf(bob), 100e18);
    }

    function test_processUnstakeQueue_doesNotPayOutUnvestedRewards() public {
        _stake(alice, 1_000_000e18);
        _listPosition();
        _allocate(700_000e18);
        _unstake(alice, 400_000e18);
        _reward(100e18);
        vm.warp(block.timestamp + DELAY); // the reward is vested by now, so only rewards still streaming are kept
        _reward(100e18);
        assertEq(sAID.processUnstakeQueue(1), 300_000e18 + 100e18);
    }

    function test_setUnstakeDelay_loweringShortensWaitingRequests() public {
        _stake(alice, 100e18);
        _unstake(alice, 50e18);
        vm.warp(block.timestamp + 1 days);
        _setDelay(1 days);
        assertEq(sAID.processUnstakeQueue(1), 50e18);
    }

    function test_setUnstakeDelay_raisingDoesNotLengthenWaitingRequests() public {
        _stake(alice, 100e18);
        _unstake(alice, 50e18);
        _setDelay(90 days);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(1), 50e18);
    }

    function test_processUnstakeQueue_holdsForRestrictedOwner() public {
        _stake(alice, 100e18);
        _stake(bob, 100e18);
        _unstake(alice, 30e18);
        _unstake(bob, 20e18);
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), 50e18); // alice does not block bob
        assertEq(aid.balanceOf(alice), 0);
        assertEq(aid.balanceOf(bob), 20e18);
        assertEq(sAID.heldOf(alice), 30e18);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, alice, IStakedAID.Restriction.FULL)
        );
        sAID.releaseHeld(alice);
        _restrict(alice, IStakedAID.Restriction.NONE);
        vm.expectEmit(address(sAID));
        emit IStakedAID.HeldReleased(alice, alice, 30e18);
        assertEq(sAID.releaseHeld(alice), 30e18);
        assertEq(aid.balanceOf(alice), 30e18);
        assertEq(sAID.heldOf(alice), 0);
    }

    function test_processUnstakeQueue_holdsForAidDeniedOwner() public {
        _stake(alice, 100e18);
        _unstake(alice, 30e18);
        vm.prank(denylistManager);
        aid.setDenied(alice, true);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), 30e18);
        assertEq(sAID.heldOf(alice), 30e18);
        vm.prank(denylistManager);
        aid.setDenied(alice, false);
        sAID.releaseHeld(alice);
        assertEq(aid.balanceOf(alice), 30e18);
    }

    function test_releaseHeld_revertsWhenNothingHeldOrPaused() public {
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NothingHeld.selector, alice));
        sAID.releaseHeld(alice);
        vm.prank(gatekeeper);
        sAID.pause();
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.releaseHeld(alice);
    }

    function test_unstakeDelayZero_releasesWaitingRequestsAndOpensRedeem() public {
        _stake(alice, 100e18);
        _unstake(alice, 40e18);
        _setDelay(0);
        assertEq(sAID.processUnstakeQueue(10), 40e18);
        assertEq(aid.balanceOf(alice), 40e18);
        vm.prank(alice);
        sAID.redeem(60e18, alice, alice);
        assertEq(aid.balanceOf(alice), 100e18);
    }

    function test_redeem_cannotTakeWhatTheQueueIsOwed() public {
        _stake(alice, 100e18);
        _stake(bob, 100e18);
        _unstake(alice, 100e18);
        _setDelay(0);
        assertEq(sAID.maxWithdraw(bob), 100e18);
        assertEq(sAID.freeLiquidity(), 100e18);
        vm.prank(bob);
        sAID.redeem(100e18, bob, bob);
        assertEq(sAID.processUnstakeQueue(1), 100e18);
        assertEq(aid.balanceOf(alice), 100e18);
    }
}
