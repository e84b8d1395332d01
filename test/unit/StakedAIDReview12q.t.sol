// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice Review of the issue-12 queue limits (re-based loss index, epochs): shared scenario.
abstract contract StakedAIDReview12qBase is StakedAIDTestBase {
    /// @dev Bank run (alice part-paid), `carol` queues two requests of `sharesEach` behind it, then the position keeps
    ///      only 1000 wei of 1400 AID: the index re-bases 6 times (÷1e18), flooring each of carol's requests.
    function _rebaseBehind(uint256 sharesEach) internal returns (uint256 id1, uint256 id2) {
        _twoStakersAllocated(1400e18);
        _unstake(alice, 1000e18);
        uint256 s = _stake(carol, 4e18);
        (, id1) = sAID.unstakeQueue();
        _unstake(carol, sharesEach);
        (, id2) = sAID.unstakeQueue();
        _unstake(carol, sharesEach);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1); // the bank run takes all idle AID, alice's request keeps the head
        assertLe(2 * sharesEach, s);
        position.lose(address(sAID), 1400e18 - 1000);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertGe(sAID.lossIndex(), 1e24, "re-based");
    }
}

/// @notice Sound checks: requests are paid what `unstakeRequest` promised across re-bases, and the queue empties.
contract StakedAIDReview12qTest is StakedAIDReview12qBase {
    function testFuzz_review12q_eachRequestPaidItsPromiseAcrossRebases(uint256 sharesEach) public {
        sharesEach = bound(sharesEach, 1e18, 1.5e18);
        (uint256 id1, uint256 id2) = _rebaseBehind(sharesEach);
        (,,, uint256 p1) = sAID.unstakeRequest(id1);
        (,,, uint256 p2) = sAID.unstakeRequest(id2);
        (,,, uint256 p0) = sAID.unstakeRequest(0);
        assertGe(sAID.pendingUnstakeAssets(), p0 + p1 + p2, "the total covers every request");
        assertLe(sAID.pendingUnstakeAssets(), p0 + p1 + p2 + 3, "and by at most 1 wei per request");
        _reward(10e18);
        vm.warp(sAID.vestingEnd());
        uint256 aliceBefore = aid.balanceOf(alice);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(carol), p1 + p2, "carol paid exactly her two promises");
        assertEq(aid.balanceOf(alice) - aliceBefore, p0, "alice paid exactly her promise");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "queue empty");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        assertLt(sAID.lossIndex(), 1e27, "no new era while the loss is undecided (9s-1)");
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        sAID.processUnstakeQueue(1);
        assertEq(sAID.lossIndex(), 1e27, "a new era once the write-down is settled");
    }
}

/// @notice ERC-4626: `deposit(maxDeposit)` must not revert. `maxDeposit` previews reported losses without the
///         re-base, while `deposit` books them with it (the pending total rounded up, NAV down by up to 1 wei): with a
///         tiny NAV and a near-empty supply, 1 wei less NAV mints more shares than the uint104 room `maxDeposit` saw.
contract StakedAIDReview12qMaxDepositTest is StakedAIDTestBase {
    function testFuzz_review12q_depositOfMaxDepositAcrossUnbookedRebase(uint256 left, uint256 odd) public {
        left = 1 + left % 10 ** (1 + odd % 18); // log-spread: the index lands anywhere below 1e24
        odd = bound(odd, 0, 1e18); // queue shares not a multiple of the re-base factor
        uint256 aliceShares = _stake(alice, 1000e18);
        _stake(bob, 1000e18 - odd); // alice keeps 390 AID + odd of queue shares after the bank run
        _listPosition();
        _allocate(1390e18);
        _unstake(alice, aliceShares);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1);
        position.lose(address(sAID), 1390e18 - left); // reported, not booked: the deposit books it (and re-bases)
        uint256 cap = sAID.maxDeposit(carol);
        vm.assume(cap != 0);
        uint256 navView = sAID.totalAssets();
        uint256 shares = _stake(carol, cap);
        assertEq(sAID.totalAssets(), navView + cap, "booking moved NAV as previewed");
        assertGt(shares, 0, "deposit(maxDeposit) succeeds");
        assertGe(sAID.lossIndex(), 1e24, "booked and re-based");
    }
}

/// @notice Review 12q (low): a holder's pending aggregate (AccountWord, behind `getUnstakeRequest`) is converted at a
///         re-base as one floor, its requests each floor separately, so the aggregate could keep a residual after the
///         holder's last request was paid: `getUnstakeRequest` reported a request (time and a few wei) that did not
///         exist. The account word now names the holder's latest request, and paying it clears the aggregate.
contract StakedAIDReview12qOpenTest is StakedAIDReview12qBase {
    function test_review12q_aggregateClearedWhenLastRequestPaid() public {
        _rebaseBehind(1.6e18 + 7); // queue shares ÷1e18: floor each 1, floor of the sum 3
        _reward(10e18);
        vm.warp(sAID.vestingEnd());
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid");
        assertEq(sAID.pendingUnstakeAssets(), 0, "the vault owes nothing");
        (uint256 time, uint256 pendingAssets) = sAID.getUnstakeRequest(carol);
        assertEq(pendingAssets, 0, "carol has nothing pending");
        assertEq(time, 0, "and no request");
    }
}

/// @notice Review 12q: `getUnstakeRequest` across any number of requests by one holder and any losses (re-bases)
///         between them: it never reports more than the holder's unpaid requests (up to 2 wei of re-base rounding per
///         request: the aggregate floors once, each request on its own) and is (0, 0) once they are all paid.
contract StakedAIDReview12qAggregateFuzzTest is StakedAIDTestBase {
    uint256[] internal ids;

    function _unpaid() internal view returns (uint256 sum) {
        for (uint256 i; i < ids.length; ++i) {
            (,,, uint256 p) = sAID.unstakeRequest(ids[i]);
            sum += p;
        }
    }

    function _assertAggregateBounded() internal view {
        (uint256 time, uint256 pending) = sAID.getUnstakeRequest(carol);
        assertLe(pending, _unpaid() + 2 * ids.length, "never more than the unpaid requests, up to rounding");
        if (pending != 0) assertGt(time, 0, "a reported request has a time");
    }

    function _requests(uint256 count, uint256 seed) internal {
        for (uint256 i; i < count; ++i) {
            uint256 amount = bound(uint256(keccak256(abi.encode(seed, i))), 1e18, 5e18); // odd wei: floors differ
            uint256 cap = sAID.maxDeposit(carol);
            if (amount > cap) amount = cap;
            if (amount == 0) return;
            (, uint256 id) = sAID.unstakeQueue();
            uint256 shares = _stake(carol, amount);
            if (sAID.previewRedeem(shares) == 0) return; // worth 0: burnt, no request
            _unstake(carol, shares); // her whole balance
            ids.push(id);
            vm.warp(block.timestamp + 1 hours);
            _assertAggregateBounded();
        }
    }

    function testFuzz_review12q_aggregateMatchesRequestsAcrossRebases(
        uint256 before,
        uint256 afterLoss,
        uint256 left,
        uint256 partialPay,
        uint256 seed
    ) public {
        before = bound(before, 1, 6);
        afterLoss = bound(afterLoss, 0, 3);
        left = 1 + left % 10 ** (1 + seed % 21); // log-spread: 0 to 8 re-bases (÷1000 each)
        _bankRunDrainingIdle(); // alice's request keeps the head: carol's requests wait behind it
        _requests(before, seed);
        sAID.processUnstakeQueue(1); // alice's head takes carol's idle AID too: the loss below hits only the queue
        uint256 booked = sAID.bookedOf(address(position));
        if (booked > left) {
            position.lose(address(sAID), booked - left);
            vm.prank(allocator);
            sAID.bookLoss(address(position));
        }
        _assertAggregateBounded();
        _requests(afterLoss, ~seed);
        // pay part of the queue: some of carol's requests paid, some (one in part) still waiting
        _reward(bound(partialPay, 1e18, 500e18));
        vm.warp(sAID.vestingEnd() + DELAY);
        sAID.processUnstakeQueue(1 + partialPay % 8);
        _assertAggregateBounded();
        _reward(2000e18);
        vm.warp(sAID.vestingEnd() + DELAY);
        sAID.processUnstakeQueue(100);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid");
        assertEq(_unpaid(), 0);
        (uint256 time, uint256 pending) = sAID.getUnstakeRequest(carol);
        assertEq(pending, 0, "nothing pending once all are paid");
        assertEq(time, 0, "and no request reported");
    }
}
