// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDSlots, StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice 9s-4 (MEDIUM, session 9; fixed in session 10): the queue's claim on the undecided write-downs was one pool
///         paid through the single loss index pro rata to queue shares, so a request made while a write-down was
///         undecided carrying less claim per AID of value than the queue held (an entrant's round trip: a large
///         deposit, then an unstake of the new shares) took part of the recovery of the requests that bore the loss.
///         The fix splits the queue in two: the *pool* (every request in it holds the same claim per AID of value,
///         claim / pending; recoveries raise its index) and the *bare* part (value without claim; its index falls with
///         every loss like the pool's and never rises). `test_review9s4_*` state the fair outcome and failed before the
///         fix (the first two moved from docs/open-findings/StakedAIDReview8S.open.sol.txt and the former
///         StakedAIDInvariant9.open.sol.txt); `test_mech9s4_*` pin the mechanics of the two parts (records, payouts,
///         losses, recoveries, re-bases, stranded AID, previews). Open: 9s-4b, a tiny pool's ratio
///         (docs/open-findings/StakedAIDReview9S4b.open.sol.txt).
contract StakedAIDReview9S4Test is StakedAIDTestBase {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant SHARES_MASK = (1 << 224) - 1;

    address internal eve = makeAddr("eve");
    /// @dev bob's value before the first loss of {_splitScenario}.
    uint256 internal bobPreLoss;

    // ------------------------------------------------------------------ findings (failed before the fix)

    /// @notice 9s-4: a deposit then an unstake of the new shares before a cure diluted the queue's pooled claim: the
    ///         new request carried only its shares' part of the stakers' claim (small: they were bought at the entry
    ///         value) but shared the whole pool pro rata to its (large) queue shares. Fair: the request that bore the
    ///         loss is back at its pre-loss value, the entrant gets back what it paid (its value + the claim its shares
    ///         carried), the stakers are made whole.
    ///         Failed before the fix: `the request that bore the loss gets its part back: 352078664566183703506 !~=
    ///         500000000000000000000 (max delta: 1000000000, real delta: 147921335433816296494)`.
    function test_review9s4_entryThenUnstakeBeforeRecoveryDilutesTheQueuesClaim() public {
        uint256 queued = _aliceQueuedHalf();
        uint256 bobBefore = _value(bob);
        _markDown(600e18); // the request bears 150: the queue's claim
        uint256 x = 100_000e18;
        uint256 paid = _stake(dave, x);
        uint256 carried = _carried(paid);
        uint256 recorded = _unstake(dave, paid);
        position.mark(address(sAID), 600e18);
        _sync();
        assertApproxEqAbs(_pending(alice), queued, 1e9, "the request that bore the loss gets its part back");
        assertLe(_pending(dave), recorded + carried + 1e9, "the entrant gains at most the stakers' part it bought");
        assertApproxEqAbs(_pending(dave), recorded + carried, 1e9, "and gets that part back: what it paid");
        assertApproxEqAbs(_pending(dave), x, 1e9, "the entrant's round trip neither gains nor loses");
        assertApproxEqAbs(_value(bob), bobBefore, 1e9, "the stakers are made whole");
    }

    /// @notice 9s-4, sharper form (INV-13's lower bound): after a second loss, an entrant's round trip before a full
    ///         cure left a request made between the losses below its record (303.55 AID against 400). Fair: the full
    ///         cure returns the request to its value before both losses (its record + the part of the first loss its
    ///         shares carried), exactly as without the round trip.
    ///         Failed before the fix: `INV-13 a full cure left a request below its record: 303550818947523512511 <
    ///         400000000000000000000`.
    function test_review9s4_fullCureLeavesRequestAtLeastItsRecordAfterEntrantRoundTrip() public {
        _fullCureAfterRoundTrip(100_000e18, 600e18, 600e18);
    }

    /// @notice The same, fuzzed: any two losses, any entrant's round trip.
    ///         Failed before the fix (seed 0x6a1b, first run; entrant 1.06e25):
    ///         `INV-13 a full cure left a request below its record: 356388725816198345788 < 383499999999999999922`.
    function testFuzz_review9s4_fullCureLeavesRequestAtLeastItsRecord(uint256 x, uint256 l1, uint256 l2) public {
        _fullCureAfterRoundTrip(bound(x, 1e18, 1e26), bound(l1, 1e18, 700e18), bound(l2, 1e18, 700e18));
    }

    /// @notice 9s-4 fuzzed: any stakes, deployment, first loss before or after the watched request, optional second
    ///         loss, entrant of any size up to 1e26, partial cure: the entrant's round trip takes nothing from the
    ///         waiting request nor from the stakers, and gets back at most what it paid (the same sequence is run with
    ///         and without the round trip).
    ///         Failed before the fix (seed 0x6a1b, first run; entrant 2.78e22): `the round trip takes nothing from the
    ///         waiting request: 114914221766403023727256 < 268049065995293228060427`.
    function testFuzz_review9s4_roundTripNeverTakesFromWaitingRequests(
        uint256 a,
        uint256 b,
        uint256 deployedBps,
        uint256 l1Bps,
        bool lossBefore,
        uint256 l2Bps,
        uint256 x,
        uint256 cureBps
    ) public {
        a = bound(a, 10e18, 1e24);
        b = bound(b, 10e18, 1e24);
        _stake(alice, a);
        _stake(bob, b);
        _listPosition();
        uint256 deployed = (a + b) * bound(deployedBps, 1000, 7000) / 10_000; // within the 30% buffer
        _allocate(deployed);
        uint256 l1 = deployed * bound(l1Bps, 1, 9000) / 10_000;
        if (lossBefore) _markDown(l1);
        _unstake(alice, sAID.balanceOf(alice) / 2);
        if (!lossBefore) _markDown(l1);
        uint256 l2 = (deployed - l1) * bound(l2Bps, 0, 9000) / 10_000;
        if (l2 != 0) _markDown(l2);
        uint256 cure = (l1 + l2) * bound(cureBps, 0, 10_000) / 10_000;
        x = bound(x, 1e18, 1e26);

        uint256 snap = vm.snapshotState();
        _cure(cure);
        uint256 aliceWithout = _pending(alice);
        uint256 bobWithout = _value(bob);
        vm.revertToState(snap);

        uint256 got = _stake(dave, x);
        _unstake(dave, got);
        _cure(cure);
        assertGe(_pending(alice) + 1e9, aliceWithout, "the round trip takes nothing from the waiting request");
        assertGe(_value(bob) + 1e9, bobWithout, "nor from the stakers");
        assertLe(_pending(dave), x + 1e9, "the entrant gets back at most what it paid");
        _assertBacked();
    }

    /// @notice 9s-4 fuzzed over a longer sequence: a request at the head, a watched request made after a first loss,
    ///         an entrant's round trip, optionally the head paid (its claim forfeited), an optional second loss, a
    ///         second entrant's round trip, a partial cure. Against the same sequence without the round trips, the
    ///         watched request and the stakers lose nothing and neither entrant gets back more than it paid.
    ///         Failed before the fix (seed 0x6a1b): `the second entrant too: 79302719420781617091502148 >
    ///         79302707311746758368462710` (the entrant's pooled share of the claim beat what it paid).
    function testFuzz_review9s4_roundTripsAroundPayoutsAndLossesTakeNothing(
        uint256 x1,
        uint256 x2,
        uint256 l1,
        uint256 l2,
        uint256 cureBps,
        bool payHead
    ) public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _stake(carol, 1000e18);
        _listPosition();
        _allocate(1500e18);
        _unstake(carol, sAID.balanceOf(carol) / 2); // request 0: the head
        l1 = bound(l1, 1e18, 700e18);
        _markDown(l1);
        _unstake(alice, sAID.balanceOf(alice) / 2); // request 1: watched
        l2 = bound(l2, 0, 700e18);
        uint256 cure = (l1 + l2) * bound(cureBps, 0, 10_000) / 10_000;
        uint256 snap = vm.snapshotState();
        _sequence(0, 0, payHead, l2, cure);
        uint256 aliceWithout = _pending(alice);
        uint256 bobWithout = _value(bob);
        vm.revertToState(snap);
        x1 = bound(x1, 1e18, 1e26);
        x2 = bound(x2, 0, 1e26);
        _sequence(x1, x2, payHead, l2, cure);
        assertGe(_pending(alice) + 1e9, aliceWithout, "the round trips take nothing from the waiting request");
        assertGe(_value(bob) + 1e9, bobWithout, "nor from the stakers");
        assertLe(_pending(dave), x1 + 1e9, "the first entrant gets back at most what it paid");
        assertLe(_pending(eve), x2 + 1e9, "the second entrant too");
        _assertBacked();
    }

    // ------------------------------------------------------------------ mechanics of the two parts

    /// @notice The record is exact for a split request: `unstake` returns `convertToAssetsWithLoss(shares)` quoted
    ///         before, `unstakeRequest(id)` holds it to the wei and `getUnstakeRequest` grows by it (to the wei for the
    ///         owner's first request; a second one adds one floor over the sum, <= 2 wei). A below-minimum unstake is
    ///         refused and moves neither part nor the claim.
    function testFuzz_mech9s4_splitRecordIsExact(uint256 x, uint256 part) public {
        _aliceQueuedHalf();
        _markDown(600e18);
        uint256 small = sAID.balanceOf(bob) / 10_000; // ~0.07 AID
        uint256 quoteSmall = sAID.convertToAssetsWithLoss(small);
        uint256 bareWord = _bareWord();
        (, uint256 claimBefore) = _writeDowns();
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.UnstakeTooSmall.selector, quoteSmall, 1e18));
        _unstake(bob, small);
        (, uint256 claimAfter) = _writeDowns();
        assertEq(_bareWord(), bareWord, "a refused unstake leaves the bare part");
        assertEq(claimAfter, claimBefore, "and the claim");

        uint256 got = _stake(dave, bound(x, 1e18, 1e26));
        uint256 shares = bound(part, 1, got);
        if (sAID.convertToAssetsWithLoss(shares) < 1e18) shares = got; // dust leaves only as a whole balance
        uint256 quote = sAID.convertToAssetsWithLoss(shares);
        uint256 recorded = _unstake(dave, shares);
        assertEq(recorded, quote, "unstake records what convertToAssetsWithLoss quoted");
        assertEq(_requestValue(1), recorded, "the split request holds its record to the wei");
        assertEq(_pending(dave), recorded, "the owner's aggregate grows by it");
        (uint256 bareShares,) = _requestBare(1);
        assertGt(bareShares, 0, "the entrant's request has a bare part");
        if (shares == got) return;
        uint256 quote2 = sAID.convertToAssetsWithLoss(got - shares);
        uint256 recorded2 = _unstake(dave, got - shares);
        assertEq(recorded2, quote2, "second request: the quote");
        assertEq(_requestValue(2), recorded2, "second request: its record");
        assertApproxEqAbs(_pending(dave), recorded + recorded2, 2, "the aggregate: one floor over the sum");
        assertGe(_pending(dave), recorded + recorded2, "never below the records");
    }

    /// @notice A split request is paid exactly its value by `processUnstakeQueue`, and both parts are retired.
    function test_mech9s4_splitRequestPaidExactlyItsValue() public {
        (uint256 queued, uint256 recorded,) = _splitScenario(100_000e18);
        uint256 aliceValue = _pending(alice);
        assertLt(aliceValue, queued, "alice bore the loss");
        vm.warp(block.timestamp + DELAY);
        uint256 balAlice = aid.balanceOf(alice);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(dave), recorded, "the split request is paid its record");
        assertEq(aid.balanceOf(alice) - balAlice, aliceValue, "the pool request its value");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "queue empty");
        (uint256 bareShares,) = _bare();
        assertEq(bareShares, 0, "bare part drained");
        assertEq(_requestPoolShares(1), 0, "request deleted");
        _assertBacked();
    }

    /// @notice A split request paid in two steps (limited idle): both parts pay pro rata to their values (12e-1: the
    ///         value paid forfeits its part of the claim), and the two payments total exactly its value.
    function test_mech9s4_splitRequestPaidInTwoStepsTotalsItsValue() public {
        _aliceQueuedHalf();
        _markDown(600e18);
        MockPosition park = new MockPosition(IERC20(address(aid)));
        vm.prank(allocator);
        sAID.addPosition(address(park));
        uint256 got = _stake(dave, 100_000e18);
        vm.prank(allocator);
        sAID.allocate(address(park), 70_000e18); // idle is then short of dave's request
        uint256 value = _unstake(dave, got);
        uint256 pool = _requestPoolShares(1);
        (uint256 bare,) = _requestBare(1);
        assertGt(pool, 0, "split: a pool part");
        assertGt(bare, 0, "split: a bare part");
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1); // alice
        (, uint256 claim) = _writeDowns();
        uint256 first = sAID.processUnstakeQueue(1); // dave, in part
        assertGt(first, 0, "paid in part");
        assertLt(first, value, "not in full");
        (uint256 bareLeft,) = _requestBare(1);
        assertApproxEqRel(bareLeft, bare - bare * first / value, 1e9, "the bare part pays its share");
        assertApproxEqRel(_requestPoolShares(1), pool - pool * first / value, 1e9, "the pool part its share");
        (, uint256 claimAfter) = _writeDowns();
        assertApproxEqRel(
            claimAfter, claim - claim * first / value, 1e9, "the value paid forfeits its part of the claim"
        );
        // each part paid retires its shares rounded up: the rest is owed to <= 2 wei (never more)
        assertApproxEqAbs(_requestValue(1), value - first, 2, "the rest is still owed");
        assertLe(_requestValue(1), value - first, "never more");
        assertEq(_pending(dave), _requestValue(1), "and the owner's aggregate says so");
        vm.prank(allocator);
        sAID.deallocate(address(park), 70_000e18);
        uint256 second = sAID.processUnstakeQueue(1);
        assertApproxEqAbs(first + second, value, 2, "two payments total the record (<= 2 wei)");
        assertLe(first + second, value, "never more");
        assertEq(aid.balanceOf(dave), first + second, "dave got both");
        _assertBacked();
    }

    /// @notice A loss booked after a split request lowers it, a pool-only request and a staker by the same fraction
    ///         (G − L) / G (± dust); what the bare part fell by joins the queue's claim (10r-1): part of its value moves
    ///         into the pool carrying it, so the bare index falls by at least that fraction.
    function testFuzz_mech9s4_laterLossLowersEveryPartAlike(uint256 lossBps) public {
        _splitScenario(100_000e18);
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        uint256 loss = sAID.bookedOf(address(position)) * bound(lossBps, 1, 9999) / 10_000;
        uint256 aliceV = _pending(alice);
        uint256 daveV = _requestValue(1);
        uint256 bobV = _value(bob);
        (uint256 bareShares, uint256 bareIndex) = _bare();
        uint256 queueBefore = sAID.pendingUnstakeAssets();
        (, uint256 claimBefore) = _writeDowns();
        _markDown(loss);
        uint256 keep = gross - loss;
        assertApproxEqRel(_pending(alice), aliceV * keep / gross, 1e9, "pool-only request");
        assertApproxEqRel(_requestValue(1), daveV * keep / gross, 1e9, "split request");
        assertApproxEqRel(_value(bob), bobV * keep / gross, 1e9, "staker");
        (uint256 bareShares2, uint256 bareIndex2) = _bare();
        if (bareShares2 != 0 && bareShares2 == bareShares) {
            assertLe(bareIndex2, bareIndex * keep / gross + 1, "the bare index falls by at least the same fraction");
        }
        (, uint256 claimAfter) = _writeDowns();
        assertApproxEqAbs(
            claimAfter - claimBefore,
            queueBefore - sAID.pendingUnstakeAssets(),
            1e9,
            "10r-1: the whole queue's drop joins its claim, the bare part's too"
        );
    }

    /// @notice 10r-1: a recovery raises the pool, never the bare part; but a loss booked after a split request on its
    ///         bare part moves the value carrying that drop into the pool, so the recovery returns it to the request,
    ///         not the stakers. After a full cure: the pool-only request is back at its pre-loss value, the split request
    ///         at its record + the claim it carried, the stakers at their pre-loss value.
    function test_mech9s4_recoveryReturnsTheBarePartsLaterLossToItsRequest() public {
        (uint256 queued, uint256 recorded, uint256 carried) = _splitScenario(100_000e18);
        (uint256 bs, uint256 bi) = _bare();
        uint256 bareBefore = bs * bi / RAY;
        _markDown(300e18); // a loss after the request: its bare part bears its share
        (bs, bi) = _bare();
        uint256 bareLoss = bareBefore - bs * bi / RAY;
        assertGt(bareLoss, 0, "the bare part bore a loss");
        uint256 bareWord = _bareWord();
        _cure(900e18); // both losses cured in full
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "nothing written off any more");
        assertEq(_bareWord(), bareWord, "the recovery leaves the bare part (shares and index)");
        assertLt(bi, RAY, "its index stays lowered");
        assertApproxEqAbs(_pending(alice), queued, 1e9, "the pool-only request is back at its pre-loss value");
        assertApproxEqAbs(_requestValue(1), recorded + carried, 1e9, "the split request: its record + its claim");
        assertApproxEqAbs(_pending(dave), recorded + carried, 1e9, "and the owner's aggregate says so");
        assertApproxEqAbs(_value(bob), bobPreLoss, 1e9, "the stakers: their pre-loss value");
    }

    /// @notice The bare index restarts at 1e27 once the bare part is drained: a bare part made after a payout of the
    ///         lowered one starts at 1e27 and holds its value in shares 1:1.
    function test_mech9s4_barePartRestartsAtRayOnceDrained() public {
        _splitScenario(100_000e18);
        _markDown(100e18);
        (, uint256 bi) = _bare();
        assertLt(bi, RAY, "lowered by the loss");
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 bs,) = _bare();
        assertEq(bs, 0, "drained");
        _unstake(bob, sAID.balanceOf(bob) / 2); // a pool request again (pool empty: carries its claim)
        uint256 got = _stake(eve, 10_000e18);
        uint256 recorded = _unstake(eve, got);
        (uint256 bs2, uint256 bi2) = _bare();
        assertEq(bi2, RAY, "a new bare part starts at 1e27");
        (uint256 reqBare,) = _requestBare(3);
        assertEq(bs2, reqBare, "it holds only the new request's bare part");
        assertLe(bs2, recorded, "at 1e27 one bare share is one wei");
        assertEq(_requestValue(3), recorded, "the record is exact");
    }

    /// @notice A loss of more than 99.9% of gross with a bare part waiting re-bases both indexes (each its own epoch):
    ///         no field overflows, a later unstake records its quote and every request is paid exactly its value.
    function test_mech9s4_nearTotalLossWithBarePartKeepsQueueUsable() public {
        _splitScenario(100_000e18);
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _stake(carol, 1e27);
        _allocate(sAID.freeLiquidity());
        uint256 daveV = _requestValue(1);
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        uint256 loss = sAID.bookedOf(address(position)) - 1e18; // the position keeps 1 AID
        assertGt(loss * 1000, gross * 999, "a loss of more than 99.9%");
        position.mark(address(sAID), -int256(loss)); // reported: the views price it before it is booked
        uint256 carolShares = sAID.balanceOf(carol);
        uint256[4] memory seen = [
            sAID.convertToAssetsWithLoss(carolShares), _requestValue(0), _requestValue(1), sAID.pendingUnstakeAssets()
        ];
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.convertToAssetsWithLoss(carolShares), seen[0], "preview = action across the re-bases: NAV");
        assertApproxEqAbs(_requestValue(0), seen[1], 1, "the pool request (re-base floors it)");
        assertApproxEqAbs(_requestValue(1), seen[2], 1, "the split request (each part floored once)");
        assertApproxEqAbs(sAID.pendingUnstakeAssets(), seen[3], 2, "pending (the totals rounded up)");
        (uint256 bs, uint256 bi) = _bare();
        if (bs != 0) assertGe(bi, 1e24, "re-based above the floor");
        else assertEq(bi, RAY, "moved whole into the pool (10r-1): a restart at 1e27");
        assertGt(_bareEpoch(), 0, "in a later bare epoch");
        assertApproxEqRel(_requestValue(1), daveV * (gross - loss) / gross, 1e12, "the split request lost its fraction");
        assertGe(_pending(dave), _requestValue(1), "the owner's aggregate re-based with it");
        assertApproxEqAbs(_pending(dave), _requestValue(1), 2, "(one floor each)");
        uint256 half = sAID.balanceOf(carol) / 2;
        uint256 quote = sAID.convertToAssetsWithLoss(half);
        assertEq(_unstake(carol, half), quote, "a later unstake records its quote");
        uint256[3] memory owed = [_requestValue(0), _requestValue(1), _requestValue(2)];
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "every request paid");
        assertEq(aid.balanceOf(alice), owed[0], "alice: her value");
        assertEq(aid.balanceOf(dave), owed[1], "dave: his value");
        assertEq(aid.balanceOf(carol), owed[2], "carol: her value");
        _assertBacked();
    }

    /// @notice `strandedAssets` is 0 while a bare part waits, even with the supply at 0, nothing booked and the pool
    ///         empty (eve's small request, made after a large entry diluted the stakers' claim per AID, is mostly
    ///         bare); once it is paid, what nobody owns is stranded.
    function test_mech9s4_strandedZeroWhileBarePartPending() public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        vm.prank(alice);
        sAID.transfer(eve, 10e18);
        _listPosition();
        _allocate(2e18);
        _markDown(1e18);
        _unstake(alice, sAID.balanceOf(alice)); // request 0: the pool, with its claim
        _stake(dave, 100_000e18); // dilutes the stakers' claim per AID of NAV
        _unstake(eve, 10e18); // request 1: mostly value without a claim
        (uint256 bareShares,) = _requestBare(1);
        assertGt(bareShares, 0, "eve's request is partly bare");
        _markDown(1e18); // total loss: nothing booked
        _setDelay(0);
        vm.startPrank(bob);
        sAID.redeem(sAID.balanceOf(bob), bob, bob);
        vm.stopPrank();
        vm.startPrank(dave);
        sAID.redeem(sAID.balanceOf(dave), dave, dave);
        vm.stopPrank();
        assertEq(sAID.totalSupply(), 0, "supply 0");
        sAID.processUnstakeQueue(1); // alice: the pool is empty
        position.mark(address(sAID), 2e18); // the position pays back: realised at supply 0, nobody's claim
        vm.prank(allocator);
        sAID.deallocate(address(position), 2e18);
        assertEq(sAID.strandedAssets(), 0, "not stranded while the bare part waits");
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotStranded.selector));
        sAID.recoverStranded(admin);
        uint256 eveValue = _requestValue(1);
        sAID.processUnstakeQueue(1);
        assertEq(aid.balanceOf(eve), eveValue, "eve paid her value");
        assertGt(sAID.strandedAssets(), 0, "then stranded");
        assertEq(sAID.strandedAssets(), aid.balanceOf(address(sAID)), "all that is left is nobody's");
    }

    /// @notice Previews equal actions with a bare part waiting: a further loss or a recovery reported but not booked is
    ///         priced by the views exactly as the sync books it; pending and idle count both parts.
    function testFuzz_mech9s4_previewsEqualActionsWithBarePart(uint256 amountBps, bool recovery) public {
        _splitScenario(100_000e18);
        uint256 booked = sAID.bookedOf(address(position));
        if (recovery) {
            position.mark(address(sAID), int256(600e18 * bound(amountBps, 1, 10_000) / 10_000));
        } else {
            position.mark(address(sAID), -int256(booked * bound(amountBps, 1, 10_000) / 10_000));
        }
        uint256 bobShares = sAID.balanceOf(bob);
        uint256[6] memory v = [
            sAID.convertToAssetsWithLoss(bobShares),
            sAID.pendingUnstakeAssets(),
            _requestValue(0),
            _requestValue(1),
            _pending(dave),
            sAID.lossIndex()
        ];
        _sync();
        assertEq(sAID.convertToAssetsWithLoss(bobShares), v[0], "convertToAssetsWithLoss");
        assertEq(sAID.pendingUnstakeAssets(), v[1], "pendingUnstakeAssets");
        assertEq(_requestValue(0), v[2], "pool request");
        assertEq(_requestValue(1), v[3], "split request");
        assertEq(_pending(dave), v[4], "getUnstakeRequest");
        assertEq(sAID.lossIndex(), v[5], "lossIndex");
        uint256 sum = v[2] + v[3];
        assertGe(sAID.pendingUnstakeAssets(), sum, "pending counts both parts of every request");
        assertApproxEqAbs(sAID.pendingUnstakeAssets(), sum, 4, "one floor per part (9s-3)");
        assertEq(sAID.idleAssets(), aid.balanceOf(address(sAID)), "idle = what the vault holds (both parts pending)");
    }

    /// @notice 10r-1: a loss booked while a mostly bare request waits puts the bare part's drop into the queue's claim
    ///         (not the stakers' part, as before the fix), so a staker's shares then carry at most the pool's ratio; a
    ///         request made then leaves the waiting requests' recovery unchanged and gets at least its record back.
    function test_mech9s4_afterALossOnTheBarePartStakersCarryAtMostThePoolsRatio() public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(1000e18);
        _unstake(alice, sAID.balanceOf(alice) / 2); // request 0
        _markDown(100e18);
        uint256 got = _stake(dave, 1_000_000e18);
        _unstake(dave, got); // request 1: mostly bare
        _markDown(800e18); // the bare part's share of it joins the claim (10r-1)
        uint256 half = sAID.balanceOf(bob) / 2;
        uint256 v = sAID.convertToAssetsWithLoss(half);
        uint256 k = _carried(half);
        (, uint256 claim) = _writeDowns();
        uint256 poolPending = _poolPending();
        assertLe(k * poolPending, v * claim + poolPending, "bob's shares carry at most the pool's ratio");
        uint256 aliceShares = sAID.balanceOf(alice);

        uint256 snap = vm.snapshotState();
        _cure(900e18);
        uint256 aliceWithout = _pending(alice);
        uint256 stakerWithout = sAID.convertToAssetsWithLoss(aliceShares);
        vm.revertToState(snap);

        assertEq(_unstake(bob, half), v, "the record");
        _cure(900e18);
        assertApproxEqAbs(_pending(alice), aliceWithout, 1e9, "the waiting request's recovery is unchanged");
        assertApproxEqAbs(sAID.convertToAssetsWithLoss(aliceShares), stakerWithout, 1e9, "so is the stakers'");
        assertGe(_requestValue(2) + 1e9, v + k, "bob's request: its value + the claim it carried");
    }

    /// @notice Settling the write-down with a split request waiting: the claim lapses, neither part of any request
    ///         moves, and each is paid its record.
    function test_mech9s4_settleWithBarePartMovesNoRequest() public {
        (, uint256 recorded,) = _splitScenario(100_000e18);
        uint256 aliceV = _pending(alice);
        uint256 bareWord = _bareWord();
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided, no claim");
        assertEq(_bareWord(), bareWord, "the bare part unchanged");
        assertEq(_requestValue(1), recorded, "the split request unchanged");
        assertEq(_pending(alice), aliceV, "the pool request unchanged");
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(dave), recorded, "dave paid his record");
        assertEq(aid.balanceOf(alice), aliceV, "alice paid her value");
        _assertBacked();
    }

    // ------------------------------------------------------------------ helpers

    /// @dev alice and bob stake 1000 AID each, 1000 are deployed, alice unstakes half (request 0: 500, pool only).
    function _aliceQueuedHalf() internal returns (uint256 queued) {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(1000e18);
        queued = _unstake(alice, sAID.balanceOf(alice) / 2);
    }

    /// @dev {_aliceQueuedHalf}, a loss of 600 (the request bears 150: the queue's claim), then dave deposits `x` and
    ///      unstakes all of it (request 1, split: it carries `carried`, its shares' part of the stakers' claim).
    function _splitScenario(uint256 x) internal returns (uint256 queued, uint256 recorded, uint256 carried) {
        queued = _aliceQueuedHalf();
        bobPreLoss = _value(bob);
        _markDown(600e18);
        uint256 got = _stake(dave, x);
        carried = _carried(got);
        recorded = _unstake(dave, got);
    }

    /// @dev 3 x 1000 staked, 1500 deployed; loss `l1`; alice unstakes half (request 0); loss `l2`; a full cure with and
    ///      without dave's round trip of `x`: request 0 ends at its value before both losses either way.
    function _fullCureAfterRoundTrip(uint256 x, uint256 l1, uint256 l2) internal {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _stake(carol, 1000e18);
        _listPosition();
        _allocate(1500e18);
        uint256 half = sAID.balanceOf(alice) / 2;
        uint256 preLoss = sAID.convertToAssetsWithLoss(half); // what the shares were worth before both losses
        _markDown(l1);
        uint256 recorded = _unstake(alice, half); // request 0, made while l1 is written off
        _markDown(l2); // a second loss after the request
        uint256 snap = vm.snapshotState();
        _cure(l1 + l2);
        uint256 without = _requestValue(0);
        vm.revertToState(snap);
        uint256 got = _stake(dave, x);
        _unstake(dave, got); // request 1
        _cure(l1 + l2); // both losses cured in full
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "nothing written off any more");
        uint256 value = _requestValue(0);
        assertGe(value, recorded, "INV-13 a full cure left a request below its record");
        assertApproxEqAbs(value, without, 1e9, "the round trip moves nothing from the request");
        assertApproxEqAbs(value, preLoss, 1e9, "back at its value before both losses");
        assertLe(_requestValue(1), x + 1e9, "the entrant gets back at most what it paid");
    }

    /// @dev {testFuzz_review9s4_roundTripsAroundPayoutsAndLossesTakeNothing}'s sequence (a round trip of 0: none).
    function _sequence(uint256 x1, uint256 x2, bool payHead, uint256 l2, uint256 cure) internal {
        if (x1 != 0) _unstake(dave, _stake(dave, x1));
        if (payHead) {
            vm.warp(block.timestamp + DELAY);
            sAID.processUnstakeQueue(1);
        }
        if (l2 != 0) _markDown(l2);
        if (x2 >= 1e18) _unstake(eve, _stake(eve, x2));
        _cure(cure);
    }

    /// @dev The stakers' part of the undecided write-downs that `shares` carry now (what `unstake` adds to the claim).
    function _carried(uint256 shares) internal view returns (uint256) {
        (uint256 total, uint256 claim) = _writeDowns();
        return Math.mulDiv(total - claim, shares, sAID.totalSupply());
    }

    /// @dev `position` reports `amount` more and the vault books it.
    function _cure(uint256 amount) internal {
        if (amount != 0) position.mark(address(sAID), int256(amount));
        _sync();
    }

    function _requestValue(uint256 id) internal view returns (uint256 value) {
        (,,, value) = sAID.unstakeRequest(id);
    }

    /// @dev The pool's pending AID.
    function _poolPending() internal view returns (uint256) {
        (uint256 shares, uint256 index) = _pool();
        return shares * index / RAY;
    }

    /// @dev Request `id`'s pool shares (the struct's second word).
    function _requestPoolShares(uint256 id) internal view returns (uint256) {
        bytes32 base = StakedAIDSlots.slotOf(StakedAIDSlots.REQUESTS, id);
        return uint256(vm.load(address(sAID), bytes32(uint256(base) + 1))) & SHARES_MASK;
    }
}
