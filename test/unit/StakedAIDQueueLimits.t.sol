// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice Issue 12, finding 7 follow-ups: the queue's remaining limits after a total or near-total loss (re-based loss
///         index, O(1) `unstake`, permissionless burning of worthless balances, cured marks).
contract StakedAIDQueueLimitsTest is StakedAIDTestBase {
    uint256 internal constant STUFFED = 70; // dust requests stuffed behind the bank run

    function _deny(address who) internal {
        vm.prank(denylistManager);
        aid.setDenied(who, true);
    }

    /// @dev Bank run drains idle AID (request 0 part-paid), `stuffers` dust whole-balance requests wait behind it, then
    ///      the deployed position is wiped out: every request is worth 0 and bob's 1000 shares are worthless.
    function _wipeOutBehind(uint256 stuffers) internal {
        _twoStakersAllocated(1400e18);
        _unstake(alice, 1000e18);
        for (uint256 i; i < stuffers; ++i) {
            address s = address(uint160(0x5100 + i));
            _unstake(s, _stake(s, 1e12)); // a whole balance: allowed below 1 AID
        }
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1); // the bank run takes all idle AID, alice's request keeps the head
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
        assertEq(sAID.pendingUnstakeAssets(), 0, "every request is worthless");
        assertEq(sAID.totalAssets(), 0, "wiped out");
    }

    // ------------------------------------------------------------ limit 1: near-total loss, then a recovery

    /// @dev Bank run (alice's request part-paid, 400 AID still owed), then the position loses all but `left` wei of
    ///      the 1400 deployed: the queue keeps a tiny value, so no new era starts. Then rewards bring NAV back.
    function _nearTotalLossThenRecovery(uint256 left) internal returns (uint256 alicePromised) {
        _bankRunDrainingIdle();
        position.lose(address(sAID), 1400e18 - left);
        (, uint256 previewed) = sAID.getUnstakeRequest(alice); // the loss is reported, not booked yet
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
        (, alicePromised) = sAID.getUnstakeRequest(alice);
        assertLe(alicePromised, previewed, "booking (and re-basing) never adds value to a request");
        assertApproxEqAbs(alicePromised, previewed, 2, "the re-base keeps the request's value (rounding)");
        assertGe(sAID.lossIndex(), 1e24, "re-based: the index never stays below 1e24 while requests wait");
        _reward(2000e18);
        vm.warp(sAID.vestingEnd()); // the APR cap stretches it over years: the vault recovers slowly, but it does
    }

    /// @notice Limit 1: after a near-total loss the index stayed tiny while the queue kept a few wei, so once NAV
    ///         recovered a normal-size `unstake` overflowed the queue-share fields (1M AID at index ~1e9 needs ~1e42
    ///         queue shares). The index is now re-based below 1e24, so the request fits and is paid in full.
    function test_limit1_nearTotalLossThenRecoveryRequestsFit() public {
        uint256 alicePromised = _nearTotalLossThenRecovery(1000);
        uint256 cap = sAID.maxDeposit(carol);
        assertGe(cap, 1_000_000e18, "NAV recovered: room for real money");
        uint256 shares = _stake(carol, 1_000_000e18);
        uint256 queued = _unstake(carol, shares);
        assertApproxEqRel(queued, 1_000_000e18, 1e12, "recorded at what it paid in");
        uint256 bobQueued = _unstake(bob, sAID.balanceOf(bob));
        assertGt(bobQueued, 1000e18, "bob's shares carry the recovery");
        vm.warp(block.timestamp + DELAY);
        uint256 paid = sAID.processUnstakeQueue(10);
        assertEq(paid, alicePromised + queued + bobQueued, "every request paid exactly what it was promised");
        assertEq(aid.balanceOf(carol), queued);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue is empty");
        assertEq(sAID.lossIndex(), 1e27, "and a new era starts");
        assertEq(sAID.totalSupply(), 0);
        assertLe(sAID.idleAssets(), 1e9, "nothing but rounding dust left behind");
    }

    /// @notice Limit 1, fuzzed down to 1 wei of remaining value: unstake and processUnstakeQueue keep working, and each
    ///         request is paid exactly what it was promised, never more than the vault holds.
    function testFuzz_limit1_nearTotalLossDownTo1Wei(uint256 left, uint256 amount, uint256 second) public {
        left = bound(left, 1, 1e20);
        uint256 alicePromised = _nearTotalLossThenRecovery(left);
        amount = bound(amount, 1e18, 1_000_000_000e18);
        uint256 cap = sAID.maxDeposit(carol);
        if (amount > cap) amount = cap;
        uint256 queued = _unstake(carol, _stake(carol, amount));
        assertLe(queued, amount, "never more than paid in");
        // a second near-total loss while carol waits: her request shares it and the queue still works
        second = bound(second, 0, 1e20);
        _allocate(sAID.freeLiquidity() * 6 / 10);
        uint256 deployed = sAID.bookedOf(address(position));
        position.lose(address(sAID), deployed > second ? deployed - second : 0);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        (, uint256 carolPromised) = sAID.getUnstakeRequest(carol);
        assertLe(carolPromised, queued, "a request never gains");
        uint256 dave_ = _unstake(dave, _stake(dave, 1e18)); // a fresh request after it fits too
        uint256 booked = sAID.bookedOf(address(position));
        if (booked != 0) {
            vm.prank(allocator);
            sAID.deallocate(address(position), booked);
        }
        vm.warp(block.timestamp + DELAY);
        uint256 balance = aid.balanceOf(address(sAID));
        uint256 paid = sAID.processUnstakeQueue(10);
        assertLe(paid, balance, "never more than the vault owns");
        assertEq(aid.balanceOf(carol), carolPromised, "carol paid what she was promised");
        assertEq(aid.balanceOf(dave), dave_, "dave paid what he was promised");
        assertLe(aid.balanceOf(alice) - 600e18, alicePromised, "alice never more than promised");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every mature request paid");
    }

    // ------------------------------------------------------------ limit 3: O(1) `unstake`

    /// @notice Limit 3: `unstake` cleared a worthless queue in one unbounded loop (it had to: the new request would
    ///         overflow at index 1), so a queue stuffed with dust requests could make it run out of gas. With the
    ///         re-based index it clears nothing: its gas does not depend on the queue, and `processUnstakeQueue` in
    ///         batches clears the worthless requests (paying nothing) before paying the new one.
    function test_limit3_unstakeIsO1WithAStuffedWorthlessQueue() public {
        _wipeOutBehind(STUFFED);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, STUFFED + 1, "71 worthless requests wait");

        uint256 bobShares = sAID.balanceOf(bob);
        vm.prank(bob); // burning a worthless balance does not touch the queue
        uint256 gasBefore = gasleft();
        assertEq(sAID.unstake(bobShares), 0);
        assertLt(gasBefore - gasleft(), 150_000, "no clearing loop in the burn");
        uint256 shares = _stake(carol, 500e18);
        vm.prank(carol);
        gasBefore = gasleft();
        uint256 queued = sAID.unstake(shares);
        assertLt(gasBefore - gasleft(), 300_000, "no clearing loop in unstake");
        assertEq(queued, 500e18, "recorded at what it paid in");
        (uint256 headNow, uint256 tailNow) = sAID.unstakeQueue();
        assertEq(headNow, head, "neither call cleared anything: O(1)");
        assertEq(tailNow - head, STUFFED + 2, "queued behind the worthless requests");
        tail = tailNow;

        assertEq(sAID.processUnstakeQueue(40), 0, "a batch clears worthless requests, paying nothing");
        assertEq(sAID.processUnstakeQueue(40), 0, "carol's request is not mature yet");
        (head,) = sAID.unstakeQueue();
        assertEq(tail - head, 1, "only carol's request waits");
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(1), queued);
        assertEq(aid.balanceOf(carol), 500e18);
        assertEq(sAID.lossIndex(), 1e27, "a new era");
    }

    // ------------------------------------------------------------ limit 2: burning worthless shares

    /// @notice Limit 2: a FULL-restricted or deny-listed holder (who cannot unstake) can still burn its own whole
    ///         worthless balance once no position is listed, so the vault can restart at 1:1; nobody else may burn it
    ///         (review 7s-6: while the vault is wiped, a worthless share still takes its slice of the next reward).
    function test_limit2_restrictedHoldersBurnTheirOwnWorthlessBalances() public {
        _wipeOutBehind(0);
        vm.prank(bob);
        sAID.transfer(dave, 500e18); // dave ends up deny-listed
        _restrict(bob, IStakedAID.Restriction.FULL);
        _deny(dave);
        assertLt(sAID.maxDeposit(carol), 1e18, "the worthless supply leaves no room");

        // a written-down position may still recover: nobody can burn while one is listed
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.PositionsListed.selector, 1));
        sAID.burnWorthless(bob);
        vm.prank(allocator);
        sAID.removePosition(address(position));

        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, bob));
        sAID.burnWorthless(bob);
        vm.expectEmit(address(sAID));
        emit IStakedAID.WorthlessSharesBurnt(bob, 500e18);
        vm.prank(bob);
        assertEq(sAID.burnWorthless(bob), 500e18, "FULL-restricted holder's worthless balance burnt");
        vm.prank(dave);
        assertEq(sAID.burnWorthless(dave), 500e18, "deny-listed holder's worthless balance burnt");
        assertEq(sAID.totalSupply(), 0, "no worthless share left");
        assertEq(aid.balanceOf(bob) + aid.balanceOf(dave) + aid.balanceOf(carol), 0, "nothing paid to anyone");
        assertGe(sAID.maxDeposit(carol), 1_000_000e18, "room again");

        // shares worth >= 1 wei are never burnt; an empty balance neither
        uint256 shares = _stake(carol, 1e18);
        uint256 value = sAID.convertToAssetsWithLoss(shares);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotWorthless.selector, carol, value));
        sAID.burnWorthless(carol);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotWorthless.selector, bob, 0));
        sAID.burnWorthless(bob);
    }

    function test_limit2_burnWorthlessRevertsWhilePaused() public {
        _wipeOutBehind(0);
        vm.prank(allocator);
        sAID.removePosition(address(position));
        bytes32 role = sAID.PAUSER_ROLE();
        vm.prank(admin);
        sAID.grantRole(role, admin);
        vm.prank(admin);
        sAID.pause();
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.burnWorthless(bob);
    }

    /// @notice Limit 2: a balance worth >= 1 wei at the loss-aware price can never be burnt, whatever the loss; a balance
    ///         worth 0 always can, by its holder (no position listed).
    function testFuzz_limit2_burnWorthlessNeverBurnsValue(uint256 bobAmount, uint256 dust, uint256 lost) public {
        bobAmount = bound(bobAmount, 1e18, 1_000_000e18);
        _stake(alice, 1000e18);
        _stake(bob, bobAmount);
        dust = bound(dust, 1, 1e12);
        vm.prank(bob);
        sAID.transfer(carol, dust); // carol holds a dust balance
        _listPosition();
        uint256 deployed = (1000e18 + bobAmount) * 7 / 10;
        _allocate(deployed);
        lost = bound(lost, 1, deployed);
        position.lose(address(sAID), lost);
        vm.prank(allocator);
        sAID.deallocate(address(position), deployed); // books the loss, takes the rest back, delists below
        vm.prank(allocator);
        sAID.removePosition(address(position));
        for (uint256 i; i < 2; ++i) {
            address who = i == 0 ? carol : bob;
            uint256 bal = sAID.balanceOf(who);
            uint256 value = sAID.convertToAssetsWithLoss(bal);
            uint256 supply = sAID.totalSupply();
            if (value != 0) {
                vm.prank(who);
                vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotWorthless.selector, who, value));
                sAID.burnWorthless(who);
            } else {
                uint256 nav = sAID.totalAssets();
                vm.prank(who);
                assertEq(sAID.burnWorthless(who), bal);
                assertEq(sAID.totalSupply(), supply - bal);
                assertEq(sAID.totalAssets(), nav, "no value moves");
            }
        }
    }

    // ------------------------------------------------------------ limit 4: a cured mark (option b, pinned)

    /// @notice Limit 4 (decision b): a queued request is priced at every loss booked while it waits, like a fund
    ///         redemption at NAV; a mark that is later cured is not written back to it (carrying values only move up
    ///         when a gain is realised, through the reward stream), so the cure goes to the holders.
    /// @dev Review 7s (session 8): the cure of a mark is written back at once, shared with the queue as the loss was
    ///      (before, the request kept the marked value and the cure streamed to the holders).
    function test_limit4_curedMarkAfterUnstakeRequestIsWrittenBackToTheQueue() public {
        _twoStakersAllocated(1000e18);
        uint256 queued = _unstake(alice, 1000e18);
        assertEq(queued, 1000e18, "requested at par");

        position.mark(address(sAID), -500e18); // a late payment marks the deal down
        vm.prank(allocator);
        sAID.bookLoss(address(position)); // gross 2000 loses 500: everyone -25%
        (, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertApproxEqAbs(pending, 750e18, 1, "the request shares the mark");
        assertApproxEqAbs(sAID.convertToAssets(sAID.balanceOf(bob)), 750e18, 1e9, "so does the holder");

        position.mark(address(sAID), 500e18); // the borrower pays: the mark is cured
        (, pending) = sAID.getUnstakeRequest(alice);
        assertLe(pending, 1000e18, "never above what it held before the loss");
        assertApproxEqAbs(pending, 1000e18, 2, "written back to the queue");
        assertApproxEqAbs(sAID.convertToAssets(sAID.balanceOf(bob)), 1000e18, 1e9, "and to the holder");
        vm.warp(block.timestamp + DELAY);
        assertApproxEqAbs(sAID.processUnstakeQueue(1), 1000e18, 2, "paid its value before the mark");
        assertEq(sAID.writtenOffOf(address(position)), 0, "recovered");

        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18); // realised at its carrying value: no gain
        assertEq(sAID.unvestedAmount(), 0, "nothing streamed");
        assertApproxEqAbs(aid.balanceOf(alice) + sAID.totalAssets(), 2000e18, 1e9, "nothing lost overall");
    }
}
