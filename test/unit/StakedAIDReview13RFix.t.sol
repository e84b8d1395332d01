// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Fix of review 13r (session 13): an empty pool carries no information in its index, so it is priced for the
///         request (or the bare or excess value) entering it at that entrant's OWN price, x = value × 1e27 / (value +
///         claim), never below VaultMath.PRICE_FLOOR (1e26): the pool holds at most 9× the entrant's value of claim
///         and the rest waits in the excess part (claim without value, which a re-base never lapses). So a request
///         made right after a deep loss (13r-1), or after forfeits concentrated the claim on few stakers (13r-1), or
///         after marks cured in full on an empty queue (13r-2), keeps its claim until a further loss of > 99% of gross
///         while it waits. Scenarios reused from StakedAIDReview13R.t.sol (branch s13-rev, f867929).
contract StakedAIDReview13RFixTest is StakedAIDReview11Base {
    uint256 internal constant RAY = 1e27;
    uint256 internal constant PRICE_FLOOR = 1e26;

    function setUp() public virtual override {
        super.setUp();
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
    }

    // ------------------------------------------------------------------ 13r-1

    /// @notice 13r's "right after" scenario: bob unstakes right after a loss of 99.945% of gross on an empty queue,
    ///         his shares carrying ~1817× their value of claim. The pool is priced at PRICE_FLOOR for him (not at
    ///         INDEX_FLOOR), holding 9× his value of claim, the excess part the rest; a 1-wei loss re-bases nothing
    ///         and a full cure returns what it returns without that loss (his stake, 1000 AID).
    function test_review13r_1_rightAfterRequestKeepsItsClaimThroughAOneWeiLoss() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1999e18);
        _allocateFree2(0.5e18);
        _markDown(1998.9e18); // 99.945% of gross 2000, with an empty queue
        uint256 value = _unstake(bob, sAID.balanceOf(bob)); // request 0
        (, uint256 index) = _pool();
        uint256 epoch = _queueEpoch();

        uint256 snap = vm.snapshotState();
        _cure();
        uint256 whole = _requestValue(0);
        assertApproxEqAbs(whole, 1000e18, 1e9, "no further loss: bob's request returns to his stake's value");
        vm.revertToState(snap);

        _lossOn(p2, 1); // one wei
        assertEq(_queueEpoch(), epoch, "a 1-wei loss re-bases nothing");
        assertGe(_requestValue(0) + 1, value, "the value at the mark is kept");
        _cure();
        assertApproxEqAbs(_requestValue(0), whole, 1e9, "13r-1 fixed: a 1-wei loss lapses nothing");
        assertEq(index, PRICE_FLOOR, "the empty pool was priced for bob at PRICE_FLOOR");
    }

    /// @notice The right-after request through a loss of 60% of gross while it waits, then a full cure: it recovers its
    ///         fair value (its stake, 1000 AID) and the staker (alice) hers: no AID created, none lapsed.
    function test_review13r_1_rightAfterRequestRecoversFromASixtyPercentLoss() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1996e18);
        _allocateFree2(3.9e18);
        _markDown(1995.9e18); // 99.795% of gross, with an empty queue: bob's shares carry ~487x their value
        uint256 value = _unstake(bob, sAID.balanceOf(bob));
        (, uint256 index) = _pool();
        (,, uint256 e,) = _excess();
        uint256 g = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        _lossOn(p2, g * 6 / 10); // 60% of gross
        assertEq(_queueEpoch(), 0, "a 60% loss re-bases nothing");
        assertLt(_requestValue(0), value / 2 + 1, "marked down");
        _cure();
        assertApproxEqAbs(_requestValue(0), 1000e18, 1e9, "13r-1 fixed: bob recovers his stake's value");
        assertApproxEqAbs(_value(alice), 1000e18, 1e9, "and alice hers");
        assertEq(index, PRICE_FLOOR, "the empty pool was priced at PRICE_FLOOR");
        assertGt(e, 900e18, "the claim above 9x his value waited in the excess part");
    }

    /// @notice 13r's forfeit scenario (a 50% loss only): alice (99.9% of the vault) is paid at the mark, her claim
    ///         forfeited to bob and carol, whose shares then carry ~1000x their NAV of claim; bob unstakes on the empty
    ///         pool. A 1-wei loss, and separately a 60% loss, then a full cure: bob gets his 25,025 AID either way.
    function test_review13r_1_forfeitConcentratedClaimSurvivesLaterLosses() public {
        _halfLossForfeitScenario();
        (, uint256 index) = _pool();

        uint256 snap = vm.snapshotState();
        _cure();
        uint256 whole = _requestValue(1);
        assertApproxEqRel(whole, 25_025e18, 1e12, "no further loss: bob gets his value and claim back");
        uint256 carolWhole = _value(carol);
        vm.revertToState(snap);

        _lossOn(p2, 1);
        assertEq(_queueEpoch(), 0, "a 1-wei loss re-bases nothing");
        _cure();
        assertApproxEqAbs(_requestValue(1), whole, 1e9, "13r-1 fixed: bob keeps his claim through a 1-wei loss");
        assertApproxEqAbs(_value(carol), carolWhole, 1e9, "carol takes nothing of it");
        vm.revertToState(snap);

        _lossOn(p2, (sAID.totalAssets() + sAID.pendingUnstakeAssets()) * 6 / 10);
        assertEq(_queueEpoch(), 0, "a 60% loss re-bases nothing");
        _cure();
        assertApproxEqAbs(_requestValue(1), whole, 1e9, "13r-1 fixed: bob keeps his claim through a 60% loss");
        assertApproxEqAbs(_value(carol), carolWhole, 1e9, "carol takes nothing of it");
        assertEq(index, PRICE_FLOOR, "bob's shares carry ~1000x their NAV of claim: PRICE_FLOOR, not INDEX_FLOOR");
    }

    /// @notice The limit as it stands after the fix: bob unstakes right after a loss of 99.5% of gross (his shares carry
    ///         199x their value of claim): the pool priced at PRICE_FLOOR holds 9x his value of claim, the excess part
    ///         the rest. A further loss of 98.9% of gross while he waits re-bases nothing and a full cure returns his
    ///         stake; one of 99.5% re-bases the pool and only the pool's part lapses (at most 10x his value: the value
    ///         and claim it held), the excess part's claim (~950 AID) survives.
    function test_review13r_1_reBaseNeedsMoreThan99PercentAfterPriceFloor() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1990e18);
        _allocateFree2(9.99e18);
        _markDown(1990e18); // 99.5% of gross, with an empty queue
        uint256 epoch = _queueEpoch();
        uint256 value = _unstake(bob, sAID.balanceOf(bob));
        (, uint256 index) = _pool();
        assertEq(index, PRICE_FLOOR, "priced at PRICE_FLOOR");
        uint256 g = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        uint256 snap = vm.snapshotState();
        _lossOn(p2, g * 989 / 1000); // 98.9%: no re-base
        assertEq(_queueEpoch(), epoch, "no re-base at a loss below 99%");
        _cure();
        assertApproxEqAbs(_requestValue(0), 1000e18, 1e9, "and a full cure returns bob's stake");
        vm.revertToState(snap);
        _lossOn(p2, g * 995 / 1000); // 99.5%
        assertEq(_queueEpoch(), epoch + 1, "a loss of > 99% of gross re-bases the PRICE_FLOOR pool");
        _cure();
        uint256 got = _requestValue(0);
        assertLt(got, 1000e18 - 8 * value, "the pool's part of the claim lapsed (the accepted limit)");
        assertGe(got + 10 * value, 1000e18, "only the pool's part: the excess part's claim survived");
    }

    /// @notice Bare value moving into an empty pool (PositionLogic._moved) is priced at its own price 1 - lambda of
    ///         the loss it waited through, floored at INDEX_FLOOR, not PRICE_FLOOR: the claim above PRICE_FLOOR's 9x
    ///         would have no excess part to wait in and would lapse. bob's request is wholly bare (a dust write-down is
    ///         undecided: his claim < MIN_CLAIM), waits through a 95% loss (its claim: 19x its value), then a full cure
    ///         returns his stake.
    function test_review13r_1_bareMovedIntoAnEmptyPoolKeepsItsClaimThroughA95PercentLoss() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1990e18);
        _allocateFree2(9e18);
        _lossOn(p2, 1e9); // dust, undecided: bob's claim is below MIN_CLAIM
        uint256 value = _unstake(bob, sAID.balanceOf(bob));
        (uint256 qs,) = _pool();
        assertEq(qs, 0, "bob's request is wholly bare");
        uint256 g = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        _markDown(g * 95 / 100);
        (uint256 qs1, uint256 index) = _pool();
        assertGt(qs1, 0, "the bare part moved into the empty pool");
        assertApproxEqRel(index, 5e25, 1e12, "at its own price, 1 - lambda, below PRICE_FLOOR");
        _cure();
        assertApproxEqAbs(_requestValue(0), value, 1e9, "a full cure returns bob's stake: nothing lapsed");
    }

    // ------------------------------------------------------------------ 13r-2

    /// @notice 13r-2's scenario: five marks of 70% of gross cured in full on an empty queue (a 1-AID write-down on p2
    ///         stays undecided) leave the era index at 0.3^5; bob's request is priced at its own price (~1 - 0.5 /
    ///         1000), not at the era index, so a 60% loss while he waits re-bases nothing and a full cure returns his
    ///         stake and his half of the lingering 1 AID.
    function test_review13r_2_curedMarksDoNotLowerTheEntrantsPrice() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(1800e18);
        _allocateFree2(100e18);
        _lossOn(p2, 1e18); // lingering: stays undecided
        _fiveCuredMarks();
        (uint256 qs, uint256 era) = _pool();
        assertEq(qs, 0, "the queue stayed empty");
        assertApproxEqRel(era, 2.43e24, 1e15, "the era index counts the cured marks (unchanged)");
        uint256 value = _unstake(bob, sAID.balanceOf(bob)); // request 0
        (, uint256 index) = _pool();

        _markDown((sAID.totalAssets() + sAID.pendingUnstakeAssets()) * 6 / 10); // 60% of gross
        assertEq(_queueEpoch(), 0, "a 60% loss re-bases nothing");
        _cure();
        assertApproxEqAbs(_requestValue(0), value + 0.5e18, 1e9, "13r-2 fixed: bob recovers in full");
        assertApproxEqRel(index, Math.mulDiv(value, RAY, value + 0.5e18), 1e12, "bob was priced at his own price");
    }

    // ------------------------------------------------------------------ fuzz

    /// @notice A request priced on an empty pool after any sequence of cured marks (with a write-down of any size on p2
    ///         staying undecided, so its claim per AID ranges up to ~95x), then any loss of < 99% of gross while it
    ///         waits, then a full cure: it returns to its value plus the claim it carried (± rounding), nothing
    ///         re-bases, and no AID is created or lost (the stakers' NAV + the request = before + what was written off).
    function testFuzz_review13r_entrantOnAnEmptyPoolRecoversFromAnyLossBelow99(
        uint256 lingering,
        uint256 marks,
        uint256 bps,
        uint256 loss
    ) public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(20e18);
        _allocateFree2(1979e18);
        lingering = bound(lingering, 1e15, 1979e18);
        _lossOn(p2, lingering);
        marks = bound(marks, 0, 6);
        for (uint256 i; i < marks; ++i) {
            bps = bound(uint256(keccak256(abi.encode(bps, i))), 100, 9990);
            _markDown(sAID.bookedOf(address(position)) * bps / 10_000);
            position.mark(address(sAID), int256(sAID.writtenOffOf(address(position))));
            _sync();
        }
        uint256 off;
        {
            (uint256 total, uint256 claim) = _writeDowns();
            off = Math.mulDiv(total - claim, sAID.balanceOf(bob), sAID.totalSupply());
        }
        uint256 value = _unstake(bob, sAID.balanceOf(bob)); // request 0, on the empty pool
        (, uint256 index) = _pool();
        uint256 before = sAID.totalAssets() + _requestValue(0);
        uint256 g = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        uint256 booked = sAID.bookedOf(address(position)) + sAID.bookedOf(address(p2));
        uint256 epoch = _queueEpoch(); // (the empty pool may have re-based at the marks: nothing waited)
        loss = bound(loss, 1, Math.min(g * 99 / 100 - 1, booked));
        uint256 onPosition = Math.min(loss, sAID.bookedOf(address(position)));
        if (onPosition != 0) position.mark(address(sAID), -int256(onPosition));
        if (loss > onPosition) p2.mark(address(sAID), -int256(loss - onPosition));
        _sync(); // one loss of `loss` on gross `g`
        assertEq(_queueEpoch(), epoch, "a loss of < 99% of gross re-bases nothing");
        _cure();
        uint256 got = _requestValue(0);
        assertApproxEqAbs(got, value + off, 1e9, "the request returns to its value and its claim");
        assertApproxEqAbs(sAID.totalAssets() + got, before + lingering, 1e9, "no AID created or lost");
        assertLe(sAID.totalAssets() + got, before + lingering + 2, "no AID created");
        assertGe(index, PRICE_FLOOR, "never priced below PRICE_FLOOR");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev 13r-2's marks: five of 70% of gross, each cured in full on the empty queue.
    function _fiveCuredMarks() internal {
        for (uint256 i; i < 5; ++i) {
            uint256 g = sAID.totalAssets();
            _markDown(g * 7 / 10);
            position.mark(address(sAID), int256(sAID.writtenOffOf(address(position))));
            _sync();
            assertEq(sAID.writtenOffOf(address(position)), 0, "cured in full");
        }
    }

    /// @dev 13r's forfeit scenario: a 50% loss, alice's request (99.9% of the vault) paid at the mark, then bob's
    ///      request (request 1) on the empty pool; carol stays a staker, p2 carries 40 AID.
    function _halfLossForfeitScenario() internal {
        _stake(alice, 99_900e18);
        _stake(bob, 50e18);
        _stake(carol, 50e18);
        _listPosition();
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _allocate(50_000e18);
        _allocateFree2(40e18);
        _unstake(alice, sAID.balanceOf(alice));
        _markDown(50_000e18);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "alice paid, the queue is empty");
        _unstake(bob, sAID.balanceOf(bob));
    }

    /// @dev Allocates `amount` into `p2`.
    function _allocateFree2(uint256 amount) internal {
        vm.prank(allocator);
        sAID.allocate(address(p2), amount);
    }

    /// @dev Both positions report everything written off back, booked by one sync.
    function _cure() internal {
        position.mark(address(sAID), int256(sAID.writtenOffOf(address(position))));
        p2.mark(address(sAID), int256(sAID.writtenOffOf(address(p2))));
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
    }
}
