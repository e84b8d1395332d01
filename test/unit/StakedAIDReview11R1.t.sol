// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Finding 11r-1 (session-11 review of 10r-1): a loss needing a bare re-base while `bareAcc` >= ACC_MAX / 1000
///         moved the WHOLE bare part into the pool, though only the value carrying its drop holds claim. The first two
///         tests are copied from s11-rev (test/unit/StakedAIDReview11R.t.sol; only what named the era mechanism is
///         adapted) and failed on d19588f: `a cure returns a request to its value, never above:
///         2276792186110358222743438 > 2000000000000000999934162` and `... 2010906432206589933433176 >
///         2000000000000000999985044`. The fix: a bare re-base ends the bare epoch (an end record keeps the
///         accumulator, the next epoch's starts at 0: {PositionLogic-_moveBare}), so no move is ever forced.
contract StakedAIDReview11R1Test is StakedAIDReview11Base {
    uint256 internal constant RAY = 1e27;

    /// @notice 11r-1: when a loss needs a bare re-base while `bareAcc` >= ACC_MAX / 1000, {PositionLogic-_moved} moves
    ///         the WHOLE bare part into the pool, though only m = fell / (pool ratio) of it carries claim: the rest
    ///         (here ~80% of frank's bare value) joins the pool with no claim and dilutes the pool's ratio, so the cure
    ///         pays frank part of the claim of the requests that bore the earlier losses. Reached by fair moves: a
    ///         bare part that keeps moving almost whole (pool ratio just above the bare part's, the allocator settling
    ///         write-downs between losses) re-bases ~10 times in one era (acc x1000 each), then a later round trip
    ///         into the bare part near the floor and one more loss. Fair: frank's request, after the full cure of
    ///         every undecided write-down, is at most its record + the claim its shares carried (what he paid).
    function test_review11r1_forcedWholeMoveAtAccMaxPaysTheEntrantOthersRecovery() public {
        _manyBareRebases();
        _tuneBareIndexTo(1.3e24, 5_000_000e18, 9900);
        (uint256 recorded, uint256 carried) = _frankRoundTrip();
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        {
            // the fair move: m / left = λ / (claim / pool pending + λ) (fell = λ·left at the pool's ratio after the loss)
            (, uint256 claim) = _writeDowns();
            (uint256 ps, uint256 pi) = _pool();
            uint256 poolPending = ps * pi / RAY;
            uint256 fairMovedBps = 10_000 * (gross / 5) / (Math.mulDiv(claim, gross, poolPending) + gross / 5);
            assertLt(fairMovedBps, 2500, "a fair move takes < 25% of the bare part");
        }
        _reBasingLossThenCureIsFair(gross / 5, recorded, carried); // a 20% loss
    }

    /// @notice 11r-1 with small losses: a tiny write-down stays undecided on `position` while 1% losses on `p2` are
    ///         each settled before the next (the pool's ratio stays just above the bare part's, so the bare part moves
    ///         almost whole and re-bases 3-4 times a loss): after three such losses, a round trip and a ~3% loss the
    ///         accumulator is in its top band; a 2M round trip then a 1% loss force the whole move. After the full
    ///         cure frank holds ~10.9k AID above what he paid (fair: at most his record + the claim he carried).
    function test_review11r1_reachedBySmallSettledLosses() public {
        (uint256 recorded, uint256 carried) = _smallSettledLossesThenFrank();
        _reBasingLossThenCureIsFair((sAID.totalAssets() + sAID.pendingUnstakeAssets()) / 100, recorded, carried); // 1%
    }

    /// @dev The 11r-1 check: a loss of `loss` on `p2` re-bases the bare part (its epoch ends) without moving it whole,
    ///      and after every write-down is cured frank's request (`recorded`, carrying `carried`) is worth exactly its
    ///      record + the claim its shares carried (± 1e9 wei of rounding).
    function _reBasingLossThenCureIsFair(uint256 loss, uint256 recorded, uint256 carried) internal {
        (,, uint256 epoch) = _bareState();
        _lossOn(p2, loss);
        (uint256 left,, uint256 after_) = _bareState();
        assertGt(after_, epoch, "the loss re-based the bare part: its epoch ended");
        assertGt(left, 0, "but did not move it whole: only the value carrying the drop moved");
        p2.mark(address(sAID), int256(sAID.writtenOffOf(address(p2)))); // every write-down cured
        position.mark(address(sAID), int256(sAID.writtenOffOf(address(position))));
        assertLe(_pending(frank), recorded + carried + 1e9, "a cure returns a request to its value, never above");
        assertGe(_pending(frank) + 1e9, recorded + carried, "and to no less (rounding)");
    }

    /// @notice A bare word spanning several bare epochs (re-bases) and a restart: every unbooked loss that ends a bare
    ///         epoch is previewed exactly (request values, the owner's aggregate, pending, free liquidity), the owner's
    ///         aggregate equals the sum of its requests (±1 wei per part of each) at every step, and the payouts after the cure
    ///         equal the previews.
    function test_review11r1_wordAcrossRebasesAndRestartPreviewedAndPaid() public {
        _poolThenBarePrelude();
        (, uint256 e1) = _requestBare(1);
        for (uint256 c; c < 2; ++c) {
            uint256 epoch = _previewedLoss((sAID.totalAssets() + sAID.pendingUnstakeAssets()) / 100);
            (,, uint256 now_) = _bareState();
            assertGt(now_, epoch, "the loss re-based the bare part: its epoch ended");
            vm.prank(allocator);
            sAID.settleWriteDown(address(p2));
            _assertDaveAggregate();
            if (c == 0) _unstake(dave, _stake(dave, 500_000e18)); // request 2: a later bare epoch
        }
        (uint256 bs2, uint256 e2) = _requestBare(2);
        assertGt(bs2, 0, "request 2 is mostly bare");
        assertGt(e2, e1, "written in a later bare epoch");
        // the pool's claim lapses: the next loss moves the whole bare part (a restart)
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        uint256 before = _previewedLoss((sAID.totalAssets() + sAID.pendingUnstakeAssets()) / 100);
        (uint256 bs,, uint256 after_) = _bareState();
        assertEq(bs, 0, "the whole bare part moved");
        assertEq(after_, before + 1, "its epoch ended with a restart");
        uint256 end = _rawEpochEnd(before);
        assertEq(end >> 232, 0, "the end record says restart");
        assertLe(end & ((1 << 200) - 1), ACC_BOUND, "the accumulator at its end is within the bound");
        _assertDaveAggregate();
        // the cure, reported; then every payout equals its preview
        p2.mark(address(sAID), int256(sAID.writtenOffOf(address(p2))));
        _assertDaveAggregate();
        uint256 v0 = _requestValue(0);
        uint256 daveOwed = _requestValue(1) + _requestValue(2);
        vm.startPrank(allocator);
        sAID.deallocate(address(p2), sAID.bookedOf(address(p2)));
        sAID.deallocate(address(position), sAID.bookedOf(address(position)));
        vm.stopPrank();
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(alice), v0, "alice paid her preview");
        assertEq(aid.balanceOf(dave), daveOwed, "dave paid both previews");
        (, uint256 p) = sAID.getUnstakeRequest(dave);
        assertEq(p, 0, "nothing left");
        _assertBacked();
    }

    /// @dev `p2` reports a loss of `loss`: every view before booking equals the state after; returns the bare epoch
    ///      before the loss.
    function _previewedLoss(uint256 loss) internal returns (uint256 epoch) {
        (,, epoch) = _bareState();
        p2.mark(address(sAID), -int256(loss));
        uint256[6] memory seen = [
            _requestValue(0),
            _requestValue(1),
            _requestValue(2),
            _pending(dave),
            sAID.pendingUnstakeAssets(),
            sAID.freeLiquidity()
        ];
        _assertDaveAggregate();
        vm.prank(allocator);
        sAID.bookLoss(address(p2));
        (,, uint256 after_) = _bareState();
        assertGt(after_, epoch, "the loss ended the bare epoch");
        assertEq(_requestValue(0), seen[0], "request 0: preview = booked");
        assertEq(_requestValue(1), seen[1], "request 1: preview = booked");
        assertEq(_requestValue(2), seen[2], "request 2: preview = booked");
        assertEq(_pending(dave), seen[3], "dave's aggregate: preview = booked");
        assertEq(sAID.pendingUnstakeAssets(), seen[4], "pending: preview = booked");
        assertEq(sAID.freeLiquidity(), seen[5], "free liquidity: preview = booked");
    }

    /// @dev dave's aggregate (`getUnstakeRequest`) = the sum of his requests, ±1 wei per part (pool, bare) of each:
    ///      every part's value and gain is floored on its own, the aggregate's on the summed shares.
    function _assertDaveAggregate() internal view {
        assertApproxEqAbs(_pending(dave), _requestValue(1) + _requestValue(2), 4, "dave's aggregate = his requests");
    }

    /// @dev Drives the bare part through ten re-bases (d19588f: `bareAcc` into [ACC_MAX / 1000, ACC_MAX)) by fair moves: a tiny undecided write-down keeps the pool's
    ///      ratio just above the bare part's after each settled loss, so the bare part moves almost whole and re-bases
    ///      (x1000) 3-4 times a loss; then a round trip refills the bare part and one more loss re-bases it 3 times.
    function _manyBareRebases() internal {
        _poolThenBarePrelude();
        for (uint256 c; c < 2; ++c) {
            _lossOn(p2, sAID.bookedOf(address(p2)) * 3 / 10);
            vm.prank(allocator);
            sAID.settleWriteDown(address(p2));
        }
        _unstake(eve, _stake(eve, 10_000e18));
        _lossOn(p2, sAID.bookedOf(address(p2)) * 39 / 80);
        (,, uint256 epoch) = _bareState();
        // (d19588f: the accumulator, x1000 a bare re-base, was then in its top band [ACC_MAX / 1000, ACC_MAX))
        assertGe(epoch, 10, "ten bare re-bases");
        assertLe(_bareAcc(), ACC_BOUND, "accumulator bound");
    }
}
