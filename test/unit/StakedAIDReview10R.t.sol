// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice Session-10 fresh-eyes review of the 9s-4 fix (s10-said 51eb231: a request = pool shares + bare shares): the
///         areas found sound. Finding 10r-1 (failing on s10-said) is test/unit/StakedAIDReview10R1.t.sol.
contract StakedAIDReview10RTest is StakedAIDTestBase {
    // ------------------------------------------------------------ checks (sound)

    /// @dev alice queues 500 (pool), a loss of `l1` is booked, dave deposits `x` and unstakes it all (round trip: his
    ///      request is mostly bare). `daveRecorded`: what his request is recorded at.
    function _roundTrip(uint256 l1, uint256 x) internal returns (uint256 queued, uint256 daveRecorded) {
        queued = _twoStakersListedAliceQueuedHalf();
        _markDown(l1);
        uint256 got = _stake(dave, x);
        daveRecorded = _unstake(dave, got);
    }

    /// @notice Entrant round trip (9s-4's class), with or without a second loss before the full cure: the request that
    ///         waited gets back its record, the entrant's request never more than it paid in (± rounding).
    function testFuzz_check10r_roundTripTakesNothingFromTheWaitingRequest(uint256 l1, uint256 x, uint256 l2) public {
        l1 = bound(l1, 1e18, 900e18);
        x = bound(x, 1e18, 1e26);
        (uint256 queued,) = _roundTrip(l1, x);
        l2 = bound(l2, 0, 1000e18 - l1 - 1e18);
        if (l2 != 0) _markDown(l2);
        _cureFully(l1 + l2);
        assertGe(_pending(alice) + 1e9, queued, "the waiting request is back at its record");
        assertLe(_pending(dave), x + 1e9, "the round trip gains nothing");
    }

    /// @notice Views equal actions with a second loss pending: the request views read before the booking equal the
    ///         booked state; then the queue pays each request exactly its view (bare part first, partial payouts in
    ///         a first round on scarce liquidity, the rest once a deposit brings AID), once (a partial payout rounds the shares it retires up: the
    ///         rest of the request may lose 1 wei per part, as before the fix); afterwards nothing is owed,
    ///         the bare part restarts at 1e27 and idle is backed.
    function testFuzz_check10r_viewsEqualBookingAndEveryRequestPaidItsValue(uint256 l2) public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        uint256 got = _stake(dave, 10_000e18);
        _allocate(7000e18); // the entrant's AID deployed: the queue will be paid in parts
        _unstake(dave, got);
        _unstake(bob, sAID.balanceOf(bob));
        (uint256 bs,) = _bare();
        assertGt(bs, 0, "bare shares");
        l2 = bound(l2, 1, 6000e18); // the position carries 7400 (a larger loss leaves the queue paid in one round)
        position.mark(address(sAID), -int256(l2));
        uint256 va = _pending(alice);
        uint256 vd = _pending(dave);
        uint256 vb = _pending(bob);
        uint256 owed = sAID.pendingUnstakeAssets();
        _sync();
        assertEq(_pending(alice), va, "alice: view = booked");
        assertEq(_pending(dave), vd, "dave: view = booked");
        assertEq(_pending(bob), vb, "bob: view = booked");
        assertEq(sAID.pendingUnstakeAssets(), owed, "pending: view = booked");
        assertGe(owed + 3, va + vb + vd, "pending covers the requests");
        assertLe(va, queued, "never above the record");
        vm.warp(block.timestamp + DELAY);
        uint256 aliceBal = aid.balanceOf(alice);
        uint256 bobBal = aid.balanceOf(bob);
        uint256 daveBal = aid.balanceOf(dave);
        uint256 first = sAID.processUnstakeQueue(10); // scarce: stops inside dave's request
        assertLt(first, va + vd + vb, "a partial round");
        _stake(carol, va + vd + vb); // AID arrives
        sAID.processUnstakeQueue(10);
        assertLe(aid.balanceOf(alice) - aliceBal, va, "alice: never more than her view");
        assertApproxEqAbs(
            aid.balanceOf(alice) - aliceBal, va, 2, "alice: her view (1 wei a part split by a partial payout)"
        );
        assertLe(aid.balanceOf(dave) - daveBal, vd, "dave: never more than his view");
        assertApproxEqAbs(
            aid.balanceOf(dave) - daveBal, vd, 2, "dave: his view (1 wei a part split by a partial payout)"
        );
        assertLe(aid.balanceOf(bob) - bobBal, vb, "bob: never more than his view");
        assertApproxEqAbs(aid.balanceOf(bob) - bobBal, vb, 2, "bob: his view (1 wei a part split by a partial payout)");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "queue empty");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        (uint256 s, uint256 i) = _bare();
        assertEq(s, 0, "bare empty");
        assertEq(i, 1e27, "bare restarts at 1e27");
        _assertBacked();
    }

    /// @notice Re-bases of both indices: with idle drained, a near-total or total second loss re-bases the pool and
    ///         the bare part (`bareEpoch`, requests' `requestBare` words converted when touched); a cure follows. The
    ///         views read before each booking equal the booked state, nothing overflows or divides by 0, and once the
    ///         position is taken back the queue pays every request its view (never more), once, and ends empty with
    ///         nothing owed; whatever stays is idle AID of nobody only if the supply is 0.
    function testFuzz_check10r_rebaseOfBothIndicesThenCureKeepsQueueSound(uint256 lossBps, uint256 cureBps) public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        uint256 got = _stake(dave, 1000e18);
        _allocate(1000e18);
        _unstake(dave, got);
        _unstake(bob, sAID.balanceOf(bob));
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10); // idle drained: alice paid, dave in part
        uint256 loss = 1400e18 * bound(lossBps, 9990, 10_001) / 10_000;
        if (loss > 1400e18) loss = 1400e18; // a total loss in ~1/12 of the runs
        position.mark(address(sAID), -int256(loss));
        uint256 vd = _pending(dave);
        uint256 vb = _pending(bob);
        uint256 owed = sAID.pendingUnstakeAssets();
        _sync();
        if (loss == 1400e18) {
            assertGt(_bareEpoch(), 0, "the bare part re-based");
        }
        assertEq(_pending(dave), vd, "dave: view = booked");
        assertEq(_pending(bob), vb, "bob: view = booked");
        // the re-base rounds each part's shares up: its pending may be 1 wei above the view (liquid absorbs it)
        assertGe(sAID.pendingUnstakeAssets(), owed, "pending: booked >= view");
        assertApproxEqAbs(sAID.pendingUnstakeAssets(), owed, 2, "pending: view = booked (1 wei a part re-based)");
        uint256 cure = loss * bound(cureBps, 0, 10_000) / 10_000;
        position.mark(address(sAID), int256(cure));
        vd = _pending(dave);
        vb = _pending(bob);
        _sync();
        assertEq(_pending(dave), vd, "dave after the cure: view = booked");
        assertEq(_pending(bob), vb, "bob after the cure: view = booked");
        assertLe(sAID.lossIndex(), 1e27, "index <= 1e27");
        uint256 all = sAID.bookedOf(address(position));
        if (all != 0) {
            vm.prank(allocator);
            sAID.deallocate(address(position), all);
        }
        uint256 bobBal = aid.balanceOf(bob);
        uint256 daveBal = aid.balanceOf(dave);
        sAID.processUnstakeQueue(10);
        assertLe(aid.balanceOf(dave) - daveBal, vd, "dave: never more than his view");
        assertApproxEqAbs(aid.balanceOf(dave) - daveBal, vd, 2, "dave paid his view");
        assertLe(aid.balanceOf(bob) - bobBal, vb, "bob: never more than his view");
        assertApproxEqAbs(aid.balanceOf(bob) - bobBal, vb, 2, "bob paid his view");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid once");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        (uint256 bs, uint256 bi) = _bare();
        assertEq(bs + bi, 1e27, "the bare part restarts at 1e27 with no shares");
        _assertBacked();
    }

    /// @notice The owner's bare aggregate (`accountBare`) across payouts and a re-base of the bare index: bob's two
    ///         split requests, the first paid in part (idle drained), a near-total loss re-bases, the first is paid: `getUnstakeRequest` (the aggregates) equals
    ///         the second request's own view (± 1 wei of the re-base flooring); once both are paid, bob's views read 0
    ///         and `strandedAssets` stays 0 while any bare part is owed.
    function test_check10r_accountBareAggregateFollowsRequestsAcrossRebase() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        _stake(dave, 1000e18);
        _allocate(1000e18);
        _unstake(bob, sAID.balanceOf(bob) * 9 / 10); // more than idle will hold
        vm.warp(block.timestamp + 1 days);
        _unstake(bob, sAID.balanceOf(bob));
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, 3, "alice, bob, bob");
        vm.warp(block.timestamp + DELAY - 1 days);
        sAID.processUnstakeQueue(10); // alice's request, bob's first in part: idle drained
        _markDown(1400e18 - 1e15); // near-total: re-bases
        assertGt(_bareEpoch(), 0, "the bare part re-based");
        (,,, uint256 second) = sAID.unstakeRequest(tail - 1);
        (,,, uint256 first) = sAID.unstakeRequest(tail - 2);
        assertGt(first, 0, "bob's first still owed");
        assertApproxEqAbs(_pending(bob), first + second, 2, "aggregate = sum of bob's requests");
        assertEq(sAID.strandedAssets(), 0, "nothing stranded while requests are owed");
        uint256 all = sAID.bookedOf(address(position));
        vm.prank(allocator);
        sAID.deallocate(address(position), all);
        sAID.processUnstakeQueue(10); // bob's first (the second is not mature)
        (head,) = sAID.unstakeQueue();
        assertEq(head, tail - 1, "bob's first paid");
        assertApproxEqAbs(_pending(bob), second, 2, "aggregate = bob's remaining request");
        vm.warp(block.timestamp + 1 days);
        sAID.processUnstakeQueue(10);
        assertEq(_pending(bob), 0, "bob's requests paid: his views read 0");
        (uint256 bs, uint256 bi) = _bare();
        assertEq(bs + bi, 1e27, "the bare part restarts empty at 1e27");
    }

    /// @notice `_poolPart` edges. A pool without a claim (requests made before any write-down, then nothing lost by
    ///         them: claim 0) takes a later request whole: no bare part. A request whose shares carry no claim (the
    ///         write-down settled: total and claim 0) goes whole into the pool. With a claim, a request carrying at least
    ///         the pool's ratio goes in whole and the claim grows by at most what it carried.
    function test_check10r_poolPartEdges() public {
        _twoStakersAllocated(1000e18);
        _unstake(alice, 100e18); // no write-down: claim 0
        _unstake(bob, 100e18);
        (uint256 bs,) = _bare();
        assertEq(bs, 0, "claim 0: whole");
        _markDown(600e18);
        (uint256 total, uint256 claim) = _writeDowns();
        assertGt(claim, 0, "the pool bore part of the loss");
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        (total, claim) = _writeDowns();
        assertEq(total + claim, 0, "settled");
        uint256 p0 = sAID.pendingUnstakeAssets();
        uint256 a = _unstake(bob, 100e18);
        (bs,) = _bare();
        assertEq(bs, 0, "no claim carried, none in the pool: whole");
        assertApproxEqAbs(sAID.pendingUnstakeAssets(), p0 + a, 1, "pending grew by the request");
    }

    /// @notice Settling a write-down while a request is partly bare: nothing rises afterwards (a later rise of the
    ///         position is a gain, streamed), bob's request keeps its value and is paid it once liquid.
    function test_check10r_settleWithBarePartKeepsRequestValue() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        _stake(dave, 1000e18);
        uint256 rb = _unstake(bob, sAID.balanceOf(bob));
        (uint256 bs,) = _bare();
        assertGt(bs, 0, "partly bare");
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "final");
        assertEq(_pending(bob), rb, "bob keeps his value");
        position.mark(address(sAID), 600e18); // a later rise is a gain, not a write-back
        _sync();
        assertEq(_pending(bob), rb, "no rise after the settlement");
        uint256 bal = aid.balanceOf(bob);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(bob) - bal, rb, "bob paid his value");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        _assertBacked();
    }

    /// @notice 10r-2: 1400 of 2000 deployed; alice unstakes shares worth 600 AID + 1 wei, all 600 idle is paid: 1 wei
    ///         stays owed (the pool). A loss of 420 (f = 0.3) floors the pool to 0 and gives it a claim of 1 wei (its
    ///         room). bob then unstakes all (700 AID, carrying 300 of the stakers' 420): `_poolPart(700, 300, 0, 1)`
    ///         returns p = 0, so his whole request is bare with no claim. At the cure the queue's part is 420 × 1 / 420
    ///         = 1 wei: bob stays at 700 (fair: 1000), alice's remaining shares go from 280 to 700 (fair: 400).
    ///         Fixed by 9s-4b; failed before: `700000000000000000000 !~= 1000000000000000000000`.
    function test_review10r2_poolWorthZeroStripsNewRequestsOfTheirClaim() public {
        _twoStakersAllocated(1400e18);
        _unstake(alice, 600e18 + 1);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), 600e18, "all idle paid: 1 wei stays owed");
        _markDown(420e18);
        (, uint256 claim) = _writeDowns();
        assertEq(sAID.pendingUnstakeAssets(), 0, "the pool is worth 0");
        assertEq(claim, 1, "with a claim of 1 wei");
        assertEq(_unstake(bob, sAID.balanceOf(bob)), 700e18, "bob's request");
        position.mark(address(sAID), 420e18); // cured
        _sync();
        assertApproxEqAbs(_pending(bob), 1000e18, 1e9, "a full cure returns bob's request to its pre-loss value");
    }

    /// @notice 10r-3 (gas): plain unstakes by bob right after a loss (no entry, no vesting: his claim per AID equals
    ///         the pool's): 1-2 wei go bare in 3 of 6 (91,707 gas each against 66,037 without dust).
    ///         Fixed by 9s-4b (the ratio before rounding); failed before: `... goes into the pool whole: 1 != 0`.
    function test_review10r3_plainUnstakeAfterLossCreatesNoBareDust() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        uint256 sh = sAID.balanceOf(bob) / 7;
        for (uint256 j; j < 6; ++j) {
            (uint256 b0,) = _bare();
            _unstake(bob, sh + j * 1e15 + j);
            (uint256 b1,) = _bare();
            assertEq(b1, b0, "a request holding the pool's claim per AID (up to rounding) goes into the pool whole");
        }
    }
}
