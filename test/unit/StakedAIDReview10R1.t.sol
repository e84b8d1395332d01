// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice 10r-1 (HIGH, session-10 fresh-eyes review of the 9s-4 fix): a loss booked after a request on its bare part
///         joined no claim, so its cure went to the stakers (at supply 0 it ended stranded) and a full cure could leave
///         the request below its record. Failed on s10-said (958cfed): `7711670480549199084665 < 9608695652173913043478`,
///         `950000000000000000000 !~= 1000000000000000000000`, `125000000000000000000 > 1000000000`. Fixed by moving
///         the value carrying the bare part's drop into the pool at each loss ({PositionLogic-_moveBare}).
contract StakedAIDReview10R1Test is StakedAIDTestBase {
    /// @notice 10r-1: alice's 500 waits (pool), a loss of 600 (f = 0.3): her request bears 150 (the claim), the stakers
    ///         450 (ratio 0.43 per AID). dave deposits 1000 at entry price 1 (he pays for the stakers' part); bob unstakes
    ///         all: 820 AID carrying 180 of claim (ratio 0.22 < the pool's 0.43), so 420 goes into the pool with the
    ///         180 and 400 is bare. A second loss of 300 (f = 0.125) lowers the bare part by 50, but only the pool's
    ///         drop joins the queue's claim: the 50 joins the stakers' part. After the full cure of both losses bob's
    ///         request is 950 (fair: 1000, his value before the losses: 820 + the 180 he carried), dave's 1000 AID of
    ///         shares 1033.33, alice's remaining shares 516.67 (fair 500).
    function test_review10r1_bareShareOfALaterLossGoesToTheStakers() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        _stake(dave, 1000e18);
        assertEq(_unstake(bob, sAID.balanceOf(bob)), 820e18, "bob's request recorded at 820");
        (uint256 bs,) = _bare();
        assertGt(bs, 0, "partly bare");
        _markDown(300e18);
        position.mark(address(sAID), 900e18); // both losses cured
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        assertApproxEqAbs(_pending(bob), 1000e18, 1e9, "a full cure returns bob's request to its pre-loss value");
        assertLe(_value(dave), 1000e18 + 1e9, "the entrant gains nothing from the cure of losses it did not bear");
    }

    /// @notice 10r-1 breaks INV-13's lower bound (a full cure never leaves a request made while written off below its
    ///         record): dave enters with 10,000 after a loss, the allocator deploys 7,000, dave unstakes it all (9,608.7
    ///         recorded, carrying 391.3 of claim: mostly bare), a second loss of 3,000 lowers his bare part by far more
    ///         than the claim he carried; after the full cure his request stays below its record.
    function test_review10r1_fullCureLeavesARequestBelowItsRecord() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        uint256 got = _stake(dave, 10_000e18);
        _allocate(7000e18);
        uint256 recorded = _unstake(dave, got);
        _markDown(3000e18);
        position.mark(address(sAID), 3600e18); // both losses cured
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        assertGe(_pending(dave), recorded, "INV-13: a full cure never leaves a request below its record");
    }

    /// @notice 10r-1 at supply 0: after dave's entry every holder unstakes (the requests are partly bare); a second
    ///         loss lowers the bare parts too. The cure at supply 0 goes to the queue (all of w), but only the pool can
    ///         rise: the 125 AID the bare parts lost stay written off, `deallocate` realises them as AID of nobody and
    ///         once the queue is paid `strandedAssets` reports them for the admin, not the requests that bore them.
    function test_review10r1_atSupplyZeroTheBarePartsLossIsStranded() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        _stake(dave, 1000e18);
        _unstake(bob, sAID.balanceOf(bob));
        _unstake(dave, sAID.balanceOf(dave));
        _unstake(alice, sAID.balanceOf(alice));
        assertEq(sAID.totalSupply(), 0, "supply 0");
        _markDown(300e18);
        position.mark(address(sAID), 900e18); // both losses cured
        _sync();
        uint256 all = sAID.bookedOf(address(position)) + sAID.writtenOffOf(address(position));
        vm.prank(allocator);
        sAID.deallocate(address(position), all);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertLe(sAID.strandedAssets(), 1e9, "the cure of the losses the requests bore is paid to them, not stranded");
    }
}
