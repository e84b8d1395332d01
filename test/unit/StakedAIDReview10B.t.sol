// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Session-10 fresh-eyes review 10b of 9s-2 (an empty pool priced for the request made on it) and 9s-4b (the
///         pool's ratio before rounding, on the claim its index can still pay), s10-said 958cfed: the areas found
///         sound. Its findings were fixed: 10b-2 (tests here), 10b-1 (test/unit/StakedAIDReview10B1.t.sol, session 11).
contract StakedAIDReview10BTest is StakedAIDTestBase {
    uint256 internal constant RAY = 1e27;
    address internal eve = makeAddr("eve");

    // ------------------------------------------------------------ helpers

    /// @dev The stakers' claim `shares` carry into a request now (what `unstake` computes, rounded down).
    function _carried(uint256 shares) internal view returns (uint256) {
        (uint256 total, uint256 claim) = _writeDowns();
        return Math.mulDiv(total - claim, shares, sAID.totalSupply());
    }

    function _requestValue(uint256 id) internal view returns (uint256 value) {
        (,,, value) = sAID.unstakeRequest(id);
    }

    /// @dev alice and bob stake 1000 each, 1000 deployed, alice queues half (request 0, 500), a loss of `loss` is
    ///      booked, DELAY passes and request 0 is paid at its lowered value: its claim is forfeited to the stakers, the
    ///      pool is empty (its index stays where the loss left it), `total` = `loss`, claim 0.
    function _lossThenHeadPaid(uint256 loss) internal {
        _twoStakersListedAliceQueuedHalf();
        _markDown(loss);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 qs,) = _pool();
        assertEq(qs, 0, "the pool is empty");
    }

    // ------------------------------------------------------------ checks (sound)

    /// @notice 9s-2: after the head was paid (its claim forfeited: the stakers' claim per AID of value is now above what
    ///         the index the loss left can hold), a request on the empty pool is priced for itself: a full cure returns
    ///         it to its value + exactly the claim its shares carried, and the stakers who stay to their value.
    function testFuzz_check10b_emptyPoolPricedForTheRequestRecoversExactlyWhatItCarried(uint256 loss, uint256 frac)
        public
    {
        loss = bound(loss, 1e18, 990e18);
        frac = bound(frac, 1, 100);
        _lossThenHeadPaid(loss);
        uint256 shares = sAID.balanceOf(bob) * frac / 100;
        uint256 off = _carried(shares);
        uint256 v = sAID.convertToAssetsWithLoss(shares);
        uint256 aliceShares = sAID.balanceOf(alice);
        // what alice's shares are worth after the cure if bob does not unstake
        uint256 snap = vm.snapshotState();
        position.mark(address(sAID), int256(loss));
        _sync();
        uint256 aliceFair = sAID.convertToAssetsWithLoss(aliceShares);
        vm.revertToState(snap);

        assertEq(_unstake(bob, shares), v, "recorded at its loss-aware value");
        (, uint256 claim) = _writeDowns();
        assertEq(claim, off, "the pool's claim is exactly what the request carried");
        position.mark(address(sAID), int256(loss));
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        assertApproxEqAbs(_requestValue(1), v + off, 1e9, "the request: its value + what it carried");
        assertLe(_requestValue(1), v + off, "never more");
        assertApproxEqAbs(sAID.convertToAssetsWithLoss(aliceShares), aliceFair, 1e9, "the stakers: their value");
    }

    /// @notice PRICE_FLOOR (13r-1; INDEX_FLOOR before): a request whose shares carry more than 9 × its value (here
    ///         4996 ×, after a loss of 99.98% of gross on an empty queue) is priced at PRICE_FLOOR: queue shares = 10 ×
    ///         its value, its pool part brings 9 × its value of claim, the rest of what it carried waits in the excess
    ///         part (10b-1), claim <= total, and a full cure pays it value + carried.
    function test_check10b_priceFloorCapsThePoolsClaimTheRestIsExcess() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _allocate(1999e18);
        _markDown(1998.6e18); // NAV 0.4 of 2000: the stakers' claim is 4996 × NAV
        uint256 shares = sAID.balanceOf(bob);
        uint256 off = _carried(shares);
        uint256 v = sAID.convertToAssetsWithLoss(shares);
        assertGt(off, 999 * v, "carries more than even INDEX_FLOOR could pay");
        assertEq(_unstake(bob, shares), v, "recorded at its value");
        (uint256 qs, uint256 index) = _pool();
        assertEq(index, 1e26, "priced at PRICE_FLOOR");
        assertApproxEqAbs(qs, 10 * v, 1, "10 queue shares per AID");
        (uint256 total, uint256 claim) = _writeDowns();
        assertLe(claim, total, "claim <= total");
        assertApproxEqAbs(claim, off, 1, "the queue's claim: all it carried");
        (,, uint256 excess,) = _excess();
        assertApproxEqAbs(excess, off - 9 * v, 2, "beyond 9 x its value: the excess part");
        position.mark(address(sAID), int256(1998.6e18));
        _sync();
        assertLe(_requestValue(0), v + off, "never more than it carried");
        assertApproxEqAbs(_requestValue(0), v + off, 1e9, "a full cure: its value + what it carried");
    }

    /// @notice 9s-4b: whatever a round trip and a second loss leave, every request keeps the pool within its room: the
    ///         pool's pending + claim <= its shares' value at 1e27 (INV-12), claim <= total, and the split never gives
    ///         the pool part more claim than the request carried.
    function testFuzz_check10b_poolPartStaysWithinRoomAndCarried(uint256 l1, uint256 x, uint256 l2, uint256 frac)
        public
    {
        _twoStakersListedAliceQueuedHalf();
        l1 = bound(l1, 1e18, 900e18);
        _markDown(l1);
        x = bound(x, 1e18, 1e26);
        uint256 got = _stake(dave, x);
        l2 = bound(l2, 0, 1000e18 - l1 - 1e18);
        if (l2 != 0) _markDown(l2);
        frac = bound(frac, 1, 100);
        address[2] memory who = [dave, bob];
        for (uint256 i; i < 2; ++i) {
            uint256 balance = i == 0 ? got : sAID.balanceOf(bob);
            uint256 shares = balance * frac / 100;
            if (sAID.convertToAssetsWithLoss(shares) < 1e18) shares = balance; // below the minimum: the whole balance
            uint256 off = _carried(shares);
            (, uint256 claimBefore) = _writeDowns();
            _unstake(who[i], shares);
            (uint256 total, uint256 claim) = _writeDowns();
            (uint256 qs, uint256 index) = _pool();
            assertLe(claim, total, "claim <= total");
            assertLe(claim - claimBefore, off, "the pool part brings at most what the request carried");
            assertLe(Math.mulDiv(qs, index, RAY) + claim, qs, "pending + claim <= the pool's value at 1e27");
        }
    }

    /// @notice Views equal actions on a pool priced by 9s-2 with a cure reported but not booked: the request views and
    ///         the pending total read before the booking equal the booked state, and the queue pays the view.
    function testFuzz_check10b_viewsEqualActionsOnAnEmptyPoolPricedRequest(uint256 loss, uint256 cure) public {
        loss = bound(loss, 1e18, 990e18);
        _lossThenHeadPaid(loss);
        _unstake(bob, sAID.balanceOf(bob) / 2);
        cure = bound(cure, 1, loss);
        position.mark(address(sAID), int256(cure));
        uint256 viewValue = _requestValue(1);
        uint256 viewBob = _pending(bob);
        uint256 owed = sAID.pendingUnstakeAssets();
        _sync();
        assertEq(_requestValue(1), viewValue, "request: view = booked");
        assertEq(_pending(bob), viewBob, "bob: view = booked");
        assertEq(sAID.pendingUnstakeAssets(), owed, "pending: view = booked");
        vm.warp(block.timestamp + DELAY);
        uint256 before = aid.balanceOf(bob);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(bob) - before, viewValue, "paid its view");
        _assertBacked();
    }

    /// @notice No request takes more than its shares carried: the pool priced by 9s-2 for bob's request (after the head
    ///         forfeited its claim), an entrant's round trip at a lower ratio (split: pool + bare), an optional second
    ///         loss, then the full cure of both: each request is at most its value + what it carried (a second loss
    ///         then its cure leaves v + c unchanged), and the pool never claims above the total.
    function testFuzz_check10b_noRequestTakesMoreThanItCarried(uint256 l1, uint256 frac, uint256 x, uint256 l2) public {
        l1 = bound(l1, 1e18, 900e18);
        _lossThenHeadPaid(l1);
        frac = bound(frac, 10, 100);
        uint256[2] memory fair;
        uint256 shares = sAID.balanceOf(bob) * frac / 100;
        fair[0] = sAID.convertToAssetsWithLoss(shares) + _carried(shares);
        _unstake(bob, shares); // request 1: the empty pool priced for it
        x = bound(x, 1e18, 1e24);
        uint256 got = _stake(dave, x);
        fair[1] = sAID.convertToAssetsWithLoss(got) + _carried(got);
        _unstake(dave, got); // request 2: a lower ratio, split
        l2 = bound(l2, 0, 1000e18 - l1 - 1e18);
        if (l2 != 0) _markDown(l2);
        _cureFully(l1 + l2);
        assertLe(_requestValue(1), fair[0] + 1e9, "bob's request: at most value + carried");
        assertLe(_requestValue(2), fair[1] + 1e9, "dave's request: at most value + carried");
    }

    /// @notice 10b-2 (9s-2 bypassed): the pool is empty after a paid request forfeited its claim (the stakers' ratio,
    ///         300 / 1275 = 0.235 after 2 wei moved to eve, is above the 0.176 the index 0.85 can hold: what 9s-2 fixes).
    ///         eve unstakes her whole balance of 2 wei of shares: 1 wei carrying 0 of claim (rounded down). The pool is
    ///         no longer empty but holds no claim, so bob's request (850 AID carrying 200) skips both the 9s-2 pricing
    ///         and the split: it enters whole at the index 0.85 and brings only the 150 its room can hold. A full cure
    ///         returns it to 1000 instead of 1050; the 50 goes to alice's shares. Without eve's request: 1050.
    ///         Fixed: a request carrying less than MIN_CLAIM (1e-9 AID) of claim while written off is wholly bare.
    ///         Failed before: `999999999999999999999 !~= 1050000000000000000000`.
    function test_review10b2_dustRequestWithoutClaimDefeatsEmptyPoolPricing() public {
        _dustThenBobCured(2, 0, "eve's dust carries no claim"); // request 1: 1 wei, claim 0
    }

    /// @notice 10b-2 with 9 wei of shares: eve's request is 7 wei carrying 1 wei of claim (1.93 floored), so the pool's
    ///         ratio is 1 / 7.65 = 0.13 against the stakers' 0.235: bob's request (850 carrying 200) brings 111 of claim
    ///         (961 instead of 1050 after a full cure).
    ///         Fixed: a request carrying less than MIN_CLAIM (1e-9 AID) of claim while written off is wholly bare.
    ///         Failed before: `961111111111111111110 !~= 1050000000000000000000`.
    function test_review10b2_nineWeiOfSharesSetThePoolsRatioAtHalfTheStakers() public {
        _dustThenBobCured(9, 1, "eve's 9 wei carry 1 wei of claim");
    }

    /// @dev The 10b-2 scenario ({_dustSetup} with a loss of 300): eve's `dust` shares carry `dustCarries` of claim
    ///      (`why`), eve unstakes them (request 1), bob his whole balance (request 2), a full cure returns bob's request
    ///      to its value + what it carried.
    function _dustThenBobCured(uint256 dust, uint256 dustCarries, string memory why) internal {
        _dustSetup(dust, 300e18);
        uint256 shares = sAID.balanceOf(bob);
        uint256 off = _carried(shares);
        uint256 v = sAID.convertToAssetsWithLoss(shares);
        assertEq(_carried(dust), dustCarries, why);
        _unstake(eve, dust); // request 1
        _unstake(bob, shares); // request 2
        position.mark(address(sAID), 300e18);
        _sync();
        assertApproxEqAbs(_requestValue(2), v + off, 1e9, "a full cure returns the request to value + what it carried");
    }

    /// @notice 10b-2, any dust (1 wei .. 1e6 wei of shares) and any loss: the dust request's claim is floored to wei
    ///         (`unstake` rounds its part of the stakers' claim down), so the pool's ratio min(claim, room) / value is
    ///         the dust's rounding noise (0 .. 100% below the stakers' ratio), 9s-4b's precise ratio notwithstanding;
    ///         every later request carrying more goes in whole at that ratio, the excess to the stakers who stay.
    ///         Fixed: a request carrying less than MIN_CLAIM (1e-9 AID) of claim while written off is wholly bare.
    ///         Failed before: `1061290002318757383004 !~= 1061633251464200496447`.
    function testFuzz_review10b2_dustRequestSetsThePoolsRatio(uint256 dust, uint256 loss) public {
        dust = bound(dust, 1, 1e6);
        loss = bound(loss, 1e18, 900e18);
        _dustSetup(dust, loss);
        uint256 shares = sAID.balanceOf(bob);
        uint256 off = _carried(shares);
        uint256 v = sAID.convertToAssetsWithLoss(shares);
        if (sAID.convertToAssetsWithLoss(dust) == 0) return; // burnt, nothing queued
        _unstake(eve, dust); // request 1
        _unstake(bob, shares); // request 2
        position.mark(address(sAID), int256(loss));
        _sync();
        assertApproxEqAbs(_requestValue(2), v + off, 1e9, "a full cure returns the request to value + what it carried");
    }

    /// @dev alice and bob stake 1000 each, 1000 deployed, alice gives eve `dust` shares and queues half (request 0), a
    ///      loss of `loss` is booked and request 0 is paid (its claim forfeited): the pool is empty.
    function _dustSetup(uint256 dust, uint256 loss) internal {
        _twoStakersAllocated(1000e18);
        vm.prank(alice);
        sAID.transfer(eve, dust);
        _unstake(alice, 500e18);
        _markDown(loss);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
    }
}
