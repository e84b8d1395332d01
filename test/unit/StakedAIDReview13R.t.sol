// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Review 13r (session 13, fresh eyes) of the accepted limit 11x-1 (docs/decisions/11x-1-rebase-recovery.md,
///         README "Accepted limit (review 11x-1 ...)"): is the statement true and complete?
contract StakedAIDReview13RTest is StakedAIDReview11Base {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant FLOOR = 1e24;

    function setUp() public virtual override {
        super.setUp();
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
    }

    // ------------------------------------------------------------------ 13r-1: any later loss re-bases a floor-priced pool

    /// @notice The documented "right after" case: a request made right after a loss of > 99.9% of gross keeps its
    ///         whole claim (pool part at INDEX_FLOOR + excess part) -- but only until the next loss booked while it
    ///         waits, of ANY size: the pool sits exactly at INDEX_FLOOR, so a 1-wei loss re-bases it and the pool part
    ///         of the claim (up to 999x the request's value) lapses to the stakers. Measured against the same scenario
    ///         without the 1-wei loss.
    function test_review13r_rightAfterRequestLapsesAtAOneWeiLoss() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1999e18);
        vm.prank(allocator);
        sAID.allocate(address(p2), 0.5e18);
        _markDown(1998.9e18); // 99.945% of gross 2000, with an empty queue
        uint256 value = _unstake(bob, sAID.balanceOf(bob)); // right after: request 0
        (, uint256 index) = _pool();
        assertEq(index, FLOOR, "the empty pool is priced for bob's request at the floor");
        uint256 epoch = _queueEpoch();

        uint256 snap = vm.snapshotState();
        _cure(); // full recovery, no further loss
        uint256 whole = _requestValue(0);
        uint256 aliceWhole = _value(alice);
        assertApproxEqAbs(whole, 1000e18, 1e9, "right after: bob's request returns to his stake's value");
        vm.revertToState(snap);

        _lossOn(p2, 1); // one wei
        assertEq(_queueEpoch(), epoch + 1, "a 1-wei loss re-based the pool");
        assertGe(_requestValue(0) + 1, value, "the value at the mark is kept (the limit caps the recovery only)");
        _cure();
        uint256 got = _requestValue(0);
        uint256 lapsed = whole - got;
        emit log_named_decimal_uint("bob's stake, value at the mark", value, 18);
        emit log_named_decimal_uint("recovered without the 1-wei loss", whole, 18);
        emit log_named_decimal_uint("recovered with it", got, 18);
        // the pool part held min(claim, 999 x value) = 999 x 0.55 AID; all of it lapsed, the excess part survived
        assertApproxEqRel(lapsed, 999 * value, 1e15, "13r-1: the pool part's claim lapsed at a 1-wei loss");
        assertApproxEqAbs(_value(alice) - aliceWhole, lapsed, 1e9, "to the stakers (alice)");
    }

    /// @notice 13r-1 without any loss of 99.9%: after a 50% loss, a payout at the mark of a request holding 99.9% of
    ///         the vault forfeits its claim to the few stakers left (11x-3's rule), whose shares then carry 1000x their
    ///         NAV of claim; one of them unstakes on the empty pool, which is priced at INDEX_FLOOR (9s-2), and a
    ///         1-wei loss re-bases it: the request's whole pool claim lapses to the other staker. Gross since the era
    ///         began fell by 50% + 1 wei, not by 99.9%.
    function test_review13r_forfeitsPutThePoolAtTheFloorAfterAHalfLoss() public {
        _stake(alice, 99_900e18);
        _stake(bob, 50e18);
        _stake(carol, 50e18);
        _listPosition();
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(50_000e18);
        vm.prank(allocator);
        sAID.allocate(address(p2), 40e18);
        _unstake(alice, sAID.balanceOf(alice)); // request 0, waits through the loss
        _markDown(50_000e18); // 50% of gross
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10); // alice paid at the mark: her claim is forfeited to bob and carol
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "alice paid, the queue is empty");
        assertApproxEqAbs(aid.balanceOf(alice), 49_950e18, 1e9, "at the mark");
        uint256 value = _unstake(bob, sAID.balanceOf(bob)); // request 1
        (, uint256 index) = _pool();
        assertEq(index, FLOOR, "bob's shares carry ~1000x their NAV of claim: the floor");

        uint256 snap = vm.snapshotState();
        _cure();
        uint256 whole = _requestValue(1);
        assertApproxEqRel(whole, 25_025e18, 1e12, "no further loss: bob gets his value and claim back");
        uint256 carolWhole = _value(carol);
        vm.revertToState(snap);

        _lossOn(p2, 1);
        _cure();
        uint256 got = _requestValue(1);
        emit log_named_decimal_uint("bob's request at the mark", value, 18);
        emit log_named_decimal_uint("recovered without the 1-wei loss", whole, 18);
        emit log_named_decimal_uint("recovered after a 1-wei loss", got, 18);
        assertLt(got, 2 * value + 1e9, "13r-1: only the excess part's claim survived (~25 AID of 25,000)");
        assertApproxEqAbs(_value(carol) - carolWhole, whole - got, 1e9, "carol (a staker) takes bob's lapsed claim");
    }

    /// @notice 13r-1 fuzzed: a request priced on an empty pool at index x (its claim per AID r: x = 1 / (1 + r)) loses
    ///         the claim its pool part cannot hold at the first loss taking the index below 1e24, i.e. at a loss of
    ///         more than 1 - 1e24 / x WHILE IT WAITS, whatever gross fell by since the era began (here: 50%).
    function testFuzz_review13r_reBaseThresholdIsTheRequestsPriceNotTheEraLoss(uint256 aliceBps, uint256 later) public {
        aliceBps = bound(aliceBps, 9900, 9990); // the part of the vault paid at the mark: bob's claim ratio 99..999
        _stake(alice, 100_000e18 * aliceBps / 10_000);
        _stake(bob, 100_000e18 * (10_000 - aliceBps) / 20_000);
        _stake(carol, 100_000e18 * (10_000 - aliceBps) / 20_000);
        _listPosition();
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(50_000e18);
        _allocateFree2((10_000 - aliceBps) * 50_000e18 * 95 / 1_000_000); // 95% of what bob and carol keep
        _unstake(alice, sAID.balanceOf(alice));
        _markDown(50_000e18);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        _unstake(bob, sAID.balanceOf(bob));
        (, uint256 x) = _pool();
        // the loss on p2 (carrying 95% of the gross left) that takes the index to the floor
        uint256 g = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        uint256 edge = Math.mulDiv(g, x - FLOOR, x);
        later = bound(later, 1, Math.min(Math.max(edge * 2, 1e6), sAID.bookedOf(address(p2))));
        uint256 epoch = _queueEpoch();
        _lossOn(p2, later);
        if (_queueEpoch() == epoch) {
            assertLe(later, edge + 1, "no re-base below the threshold");
            return;
        }
        assertGe(later + 1, edge, "re-based above the threshold");
        (uint256 total, uint256 claim) = _writeDowns();
        (,, uint256 e,) = _excess();
        uint256 poolClaim = claim - e;
        // what the pool part holds now is within its re-based room: ~ what it lost while it waited, not its claim
        assertLe(poolClaim, later + 1e9, "the pool's claim lapsed to what this loss lowered it by");
        assertGt(total - claim, 40_000e18, "the rest joined the stakers' part");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Allocates `amount` into `p2`.
    function _allocateFree2(uint256 amount) internal {
        vm.prank(allocator);
        sAID.allocate(address(p2), amount);
    }

    /// @dev Both positions report everything written off back, booked by one sync.
    function _cure() internal {
        position.mark(address(sAID), int256(sAID.writtenOffOf(address(position))));
        if (sAID.positions().length > 1) p2.mark(address(sAID), int256(sAID.writtenOffOf(address(p2))));
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
    }
}
