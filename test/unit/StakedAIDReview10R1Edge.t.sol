// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDReview10R1EdgeBase} from "./StakedAIDReview10R1EdgeBase.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Edge cases of the 10r-1 fix (the bare part's drop moves into the pool at each loss, through the accumulator
///         `bareAcc`) on the bare epochs of the 11r-1 fix (a bare re-base of `steps` ends the bare epoch with the end
///         record `bareEpochEnd[epoch]` = its final accumulator | pool epoch << 200 | steps << 232 and restarts the
///         accumulator at 0; a whole move or payouts emptying the bare part end it with a restart, steps 0): the cycles
///         that used to reach the old accumulator bound now keep re-basing, many restarts in sequence and the packing
///         of the end records, the restart at payout, views = actions across a restart, and an owner's aggregate across
///         bare epochs. Every request's value is checked against an independent expectation: its record × (gross −
///         loss) / gross for each loss booked after it that stays final, back to its value before a loss that is cured,
///         plus what it carried once everything is cured; every loss and cure checks that the views read before it
///         equal the booked state. An owner's aggregate is checked within its documented rounding, 2 wei per request
///         (OPEN, LOW, views only: the fuzz exceeds it, {_assertAggregate}).
contract StakedAIDReview10R1EdgeTest is StakedAIDReview10R1EdgeBase {
    // ------------------------------------------------------------ 1. bare re-bases end the bare epoch

    /// @notice The ACC cycles through public calls: each {_accCycle} moves all but ~3e-10 of the bare part, whose index
    ///         re-bases 3 (or 4) times (before 11r-1 the accumulator × 1e9 a cycle reached ACC_MAX = 2^199 after 3 cycles and
    ///         a forced whole move restarted the era). Now each re-base ends the bare epoch: 12 cycles, loss booking,
    ///         unstake and processUnstakeQueue never revert; each cycle leaves a partial bare part in the epoch `steps`
    ///         later, the accumulator restarted at 0, and the ended epoch's end record packs its final accumulator (what
    ///         this cycle's move gained: at most 1000 pool shares per bare share, <= 1e30), the pool epoch and `steps`;
    ///         every loss's views equal its booking (words from 12 bare epochs wait); once `second` is cured every
    ///         request is worth its record × the loss fractions of the losses after it, and the queue pays each
    ///         exactly its view.
    function test_edge10r1_accCyclesKeepRebasingWithinTheAccBound() public {
        _accSetup();
        uint256 epoch;
        for (uint256 i; i < 12; ++i) {
            (, uint256 accBefore, uint256 epochBefore) = _accCycle(address(uint160(0xA000 + i)));
            assertEq(accBefore, 0, "each cycle starts a fresh bare epoch's accumulator");
            assertEq(epochBefore, epoch, "no other epoch ended");
            (uint256 bs,) = _bare();
            assertGt(bs, 0, "a partial move: the bare part stays");
            epoch = _bareEpoch();
            assertEq(_bareAcc(), 0, "the next epoch's accumulator starts at 0");
            (uint256 endAcc, uint256 poolEpoch, uint256 steps) = _bareEpochEnd(epochBefore);
            // its index × ~3e-10 from [1e24, 1e27): 3 or 4 re-bases back above INDEX_FLOOR
            assertEq(epoch, epochBefore + steps, "the next epoch: `steps` later");
            assertTrue(steps == 3 || steps == 4, "3 or 4 re-bases");
            assertGt(endAcc, 0, "the ended epoch's bare shares gained");
            assertLe(endAcc, 1000 * RAY, "at most 1000 pool shares per bare share gained");
            assertLe(endAcc, ACC_BOUND, "the accumulator stays within its bound");
            assertEq(poolEpoch, _queueEpoch(), "the pool epoch at its end");
            assertEq(_rawEpochEnd(epochBefore), endAcc | (poolEpoch << 200) | (steps << 232), "the record's packing");
            for (uint256 e = epochBefore + 1; e < epoch; ++e) {
                assertEq(_rawEpochEnd(e), 0, "the skipped epochs: no record");
            }
        }
        assertGe(epoch, 36, "12 cycles: 36+ bare re-bases, no whole move forced");
        _cureDustAndCheckExpected();
        _payAllAndCheckViews();
    }

    /// @notice Fuzzed ACC cycles (the write-down left on `second`, the loss per cycle, the entrants' round trips and
    ///         which of carol, dave or a fresh holder makes each): the accumulator stays <= 1e30, every loss's
    ///         views equal its booking, carol's and dave's aggregates are the sums of their requests (± 3 wei per
    ///         request: {_assertAggregate}); once `second` is
    ///         cured each request is worth its record × the loss fractions after it (± `second`'s write-down, whose
    ///         cure the pool shares), and the queue pays each owner exactly its views; half the cycles end with 1–3
    ///         requests paid (each exactly its view; one paid in part keeps the rest).
    function testFuzz_edge10r1_accCyclesKeepFairValues(uint256 dust, uint256 loss, uint256 x, uint256 seed) public {
        dustLoss = bound(dust, 1, 1e17);
        cycleLoss = bound(loss, 1, 150e18);
        refill = bound(x, 1e18, 1e27);
        tol = dustLoss + 1e9;
        fuzzed = true;
        aggPerRequest = 3; // the documented 2n does not hold here: {_assertAggregate}
        _accSetupWith();
        for (uint256 i; i < 8; ++i) {
            uint256 pick = uint256(keccak256(abi.encode(seed, i))) % 3;
            _accCycle(pick == 0 ? carol : pick == 1 ? dave : address(uint160(0xB000 + i)));
            assertLe(_bareAcc(), ACC_BOUND, "the accumulator stays within its bound");
            _assertAggregate(carol);
            _assertAggregate(dave);
            if (uint256(keccak256(abi.encode(seed, i, 7))) % 2 == 0) {
                vm.warp(block.timestamp + DELAY); // every request so far matures: 1–3 of them are paid
                for (uint256 k = uint256(keccak256(abi.encode(seed, i, 9))) % 3; k < 3; ++k) {
                    _processOne();
                }
                _assertAggregate(carol);
                _assertAggregate(dave);
            }
        }
        _cureDustAndCheckExpected();
        _payAllAndCheckViews();
    }

    /// @notice Regression of the documented rounding of an owner's aggregate (a counterexample of the fuzz above on
    ///         s11-t1, once thought a LOW finding): ACC cycles with a larger write-down left on `second` (~1e-3 AID: the
    ///         pool keeps more claim, so each loss moves less of the bare part and re-bases its index 1–2 times) and
    ///         ~1M-AID round trips by a fresh holder, dave, a fresh holder, dave, carol: each bare re-base floors dave's
    ///         aggregate of bare shares once and each of his requests on its own, and the pool shares each gains are
    ///         floored on their own, so `getUnstakeRequest(dave)` drifts a few wei from the sum of his 2 requests (3
    ///         wei on s11-t1): within ± 1 wei per request per part (pool, bare), 4 here; payouts are per request and
    ///         exact.
    function test_edge10r1_ownerAggregateWithinOneWeiPerRequestPart() public {
        (dustLoss, cycleLoss, refill) = (999_999_999_001_567, 99_000_000_000_000_020_533, 999_999e18 + 20);
        tol = dustLoss + 1e9;
        _accSetupWith();
        address[5] memory who = [address(0xB000), dave, address(0xB002), dave, carol];
        for (uint256 i; i < 5; ++i) {
            _accCycle(who[i]);
            _assertAggregate(dave);
        }
        _cureDustAndCheckExpected();
        _payAllAndCheckViews();
    }

    // ------------------------------------------------------------ 2. many restarts, end records

    /// @notice 22 restarts in sequence: each cycle books a loss on `position` (a claim), carol enters with 5000 and
    ///         unstakes it all (mostly bare), the write-down is settled (the pool's claim lapses), then a loss on
    ///         `second` moves the whole bare part (a restart: bare epoch + 1; its end record packs the accumulator,
    ///         pool epoch 0 and steps 0) and is cured. After every cycle each request is worth its expectation (record
    ///         × the fractions of the settled losses after it: the cured ones return it) and carol's aggregate is the
    ///         sum of her requests ({_assertAggregate}). Her first request's bare word was written 22 bare epochs ago:
    ///         only its own epoch's end record settles it (every other record overwritten leaves its value; its own
    ///         changes it). The queue then pays each request exactly its view.
    function test_edge10r1_manyRestartsAndAWordFromAnOldEpoch() public {
        _twoStakersOnTwoPositions(second, 500e18);
        _request(alice, sAID.balanceOf(alice) / 2); // request 0: the pool
        for (uint256 i; i < 22; ++i) {
            _lossOn(position, 10e18);
            _request(carol, _stake(carol, 5000e18)); // request i + 1: mostly bare
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
            (uint256 bs,) = _bare();
            assertGt(bs, 0, "a bare part waits");
            uint256 epoch = _bareEpoch();
            (uint256 poolBefore,) = _pool();
            uint256 accBefore = _bareAcc();
            second.mark(address(sAID), -50e18);
            _viewsEqualBooking(address(0));
            _assertRestarted(epoch);
            assertEq(epoch, i, "one bare epoch per cycle");
            (uint256 poolAfter,) = _pool();
            (uint256 endAcc, uint256 poolEpoch, uint256 steps) = _bareEpochEnd(i);
            // the whole bare part (bs shares) gained the pool shares that moved in
            assertEq(endAcc, accBefore + Math.mulDiv(poolAfter - poolBefore, RAY, bs), "end record: final accumulator");
            assertEq(poolEpoch, 0, "end record: pool epoch");
            assertEq(steps, 0, "end record: a restart");
            assertEq(_rawEpochEnd(i), endAcc, "end record: packed (pool epoch 0, steps 0)");
            _cureSecond(50e18);
            _checkExpected(1e9);
            _assertAggregate(carol);
        }
        _onlyOwnEpochEndMatters(1, 0);
        _onlyOwnEpochEndMatters(11, 10);
        _payAllAndCheckViews();
    }

    /// @notice A restart at a loss that also re-bases the pool: after a bank run (idle drained, alice's 400 owed, the
    ///         pool), a loss of 10 (a claim), dave's round trip of 0.5 AID (mostly bare), the write-down settled, then
    ///         a loss of all but 1 wei of what the position carries: the pool's index falls below INDEX_FLOOR (a pool
    ///         re-base) and the whole bare part moves. The end record packs the pool epoch 1 (bits 200–231), steps 0
    ///         and the accumulator of the pool shares moved in (new units) per bare share; dave's word (pool epoch 0
    ///         snapshot) settles at it: worth record × the loss fractions; once the loss is cured every pool
    ///         request rises to its cap (its re-based shares at 1e27: the design of re-bases, not 10r-1), dave's to
    ///         the pool shares his bare part gained; the queue pays each request its view.
    function test_edge10r1_endRecordPacksThePoolEpochOfARebase() public {
        (uint256 id, uint256 loss, uint256 before0, uint256 before1) = _restartAtAPoolRebase();
        uint256 after1 = expected[id];
        position.mark(address(sAID), int256(loss));
        _sync(); // alice's request matured in the bank run: paid what idle holds
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "fully cured");
        // a re-based pool rises at most to 1e27 in the new epoch's units (the part its re-based shares cannot hold
        // stays with the stakers, {PositionLogic-_recoverAfter}): alice's 400e18 shares at 1e27 ÷ 1000 (she was paid
        // the 0.5 AID idle), dave's pool shares bought at the index after the loss, at 1e27
        assertEq(_requestValue(0) + aid.balanceOf(alice) - 600e18, (1000e18 - 600e18) / 1000, "alice: her cap");
        assertLe(_requestValue(0) + aid.balanceOf(alice) - 600e18, before0, "below her value before the loss");
        assertApproxEqAbs(_requestValue(id), Math.mulDiv(after1, RAY, poolIndexAfter), 2, "dave: his pool shares");
        assertLe(_requestValue(id), before1, "below his value before the loss");
        _payAllAndCheckViews();
    }

    // ------------------------------------------------------------ 3. restart at payout, dust words

    /// @notice Payouts emptying the bare part end its epoch with a restart ({_bareEmptiedByPayouts}: the index back at
    ///         1e27, bare epoch + 1, the end record keeps the accumulator with steps 0, the next accumulator starts at
    ///         0, the paid owner's words and aggregate cleared): a later request's bare word is written in the new
    ///         epoch's units with a snapshot of 0, and settles right: a later partial move gains it (the paid owner's
    ///         aggregate stays 0), the full cure leaves it at record + what it carried; the queue pays each request
    ///         exactly its view. (Supersedes s11-fx's `test_review11r1_payoutsEmptyingTheBarePartRestartItsEpoch`: the
    ///         same checks, plus the expectations of every request and the payouts.)
    function test_edge10r1_payoutsEmptyingTheBarePartWriteARestartRecord() public {
        (uint256 acc, uint256 epoch) = _bareEmptiedByPayouts();
        uint256 shares = sAID.balanceOf(bob) / 2;
        uint256 bobFair = sAID.convertToAssetsWithLoss(shares) + _carried(shares);
        _request(bob, shares); // request 2: into the empty pool, priced for it
        shares = _stake(carol, 2000e18);
        uint256 carolFair = sAID.convertToAssetsWithLoss(shares) + _carried(shares);
        uint256 id = _request(carol, shares); // request 3: partly bare
        (uint256 bs, uint256 bi) = _bare();
        (uint256 rb, uint256 re) = _requestBare(id);
        assertGt(rb, 0, "carol's request is partly bare");
        assertEq(rb, bs, "her word holds the whole (restarted) bare part");
        assertEq(bi, RAY, "at 1e27");
        assertEq(re, epoch + 1, "in the new epoch's units");
        (uint256 snap, uint256 snapEpoch) = _requestBareAcc(id);
        assertEq(snap, 0, "its snapshot: the new epoch's accumulator, 0");
        assertEq(snapEpoch, _queueEpoch(), "in this pool epoch's units");
        (uint256 ab,) = _accountBare(carol);
        assertEq(ab, rb, "carol's aggregate");
        assertEq(_requestValue(id), expected[id], "worth its record");

        _lossOn(second, 50e18); // a partial move of carol's bare part
        (bs,) = _bare();
        assertGt(bs, 0, "partial");
        assertGt(_bareAcc(), 0, "her bare part gained");
        {
            (uint256 endAcc,,) = _bareEpochEnd(epoch);
            assertEq(endAcc, acc, "the ended epoch's record unchanged");
        }
        assertEq(_pending(dave), 0, "the paid owner's aggregate stays 0");
        _checkExpected(1e9);
        assertEq(_pending(carol), _requestValue(id), "her aggregate = her request");
        position.mark(address(sAID), 300e18);
        _cureSecond(150e18);
        assertApproxEqAbs(_requestValue(2), bobFair, 1e9, "bob: record + what he carried");
        assertApproxEqAbs(_requestValue(id), carolFair, 1e9, "carol: record + what she carried");
        _payAllAndCheckViews();
    }

    /// @notice A request whose bare shares round to 0 while it still holds a bare word: eve's dust request (1e6 wei,
    ///         wholly bare) waits through a loss that re-bases the bare index 3 times: her bare shares (1e6 / 1e9) read
    ///         0, her word stays; her value is the pool shares she gained (her record × the loss fraction, ± 2 wei);
    ///         the queue pays her exactly that and deletes her words.
    function test_edge10r1_bareSharesRoundToZeroWhileTheWordStays() public {
        _accSetup();
        vm.prank(bob);
        sAID.transfer(eve, 1e6);
        uint256 id = _request(eve, 1e6);
        (uint256 rb, uint256 re) = _requestBare(id);
        assertGt(rb, 0, "eve's dust is wholly bare");
        assertLt(rb, 1e9, "below 1000^3 shares");
        _accCycle(address(0xA000));
        assertEq(_bareEpoch() - re, 3, "3 re-bases: her shares read 0");
        (uint256 rb2,) = _requestBare(id);
        assertEq(rb2, rb, "her word stays");
        assertGt(expected[id], 0, "she is owed something");
        assertApproxEqAbs(_requestValue(id), expected[id], 2, "her value: the pool shares she gained");
        _cureDustAndCheckExpected();
        _payAllAndCheckViews();
        _assertNoBareWord(id);
        _assertNoBareWord(id + 1);
    }

    // ------------------------------------------------------------ 4. views = actions across a restart

    /// @notice A reported, not yet booked loss that moves the whole bare part (a restart; carol also holds a word from
    ///         an earlier bare epoch, ended by a restart): `unstakeRequest`, `getUnstakeRequest`, `pendingUnstakeAssets`
    ///         read before the booking equal the values after it. (Across a bare re-base ending the epoch, with words
    ///         of many earlier epochs: every loss of {test_edge10r1_ownerAggregateAcrossBareEpochs}.)
    function test_edge10r1_viewsEqualBookingAcrossAWholeMoveRestart() public {
        _twoStakersOnTwoPositions(second, 500e18);
        _request(alice, sAID.balanceOf(alice) / 2);
        for (uint256 i; i < 2; ++i) {
            _lossOn(position, 10e18);
            _request(i == 0 ? carol : dave, _stake(i == 0 ? carol : dave, 5000e18));
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
            uint256 epoch = _bareEpoch();
            second.mark(address(sAID), -50e18);
            if (i == 0) {
                _sync(); // bare epoch 0 ends with a restart, carol's word in it
                _cureSecond(50e18);
                _request(carol, _stake(carol, 10e18)); // nothing written off: a pool request, in bare epoch 1
                continue;
            }
            _viewsEqualBooking(address(0));
            _assertRestarted(epoch);
        }
    }

    // ------------------------------------------------------------ 5. an owner's aggregate across bare epochs

    /// @notice carol makes every request of the ACC cycles (bare words written in 9 bare epochs, each ended by a
    ///         partial move re-basing the bare index 3 times) and alice's pool request waits: every loss's views (her
    ///         aggregate too) equal its booking and after every step `getUnstakeRequest(carol)` is the sum of her
    ///         requests' values ({_assertAggregate}); then the queue pays one request at a time and it stays so after
    ///         each payout, each paid its view.
    function test_edge10r1_ownerAggregateAcrossBareEpochs() public {
        _accSetup();
        for (uint256 i; i < 9; ++i) {
            _accCycle(carol);
            _assertAggregate(carol);
        }
        _cureDustAndCheckExpected();
        _assertAggregate(carol);
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            uint256 v = _requestValue(id);
            address owner = owners[id];
            uint256 before = aid.balanceOf(owner);
            assertEq(sAID.processUnstakeQueue(1), v, "one request paid its view");
            assertEq(aid.balanceOf(owner) - before, v, "to its owner");
            _assertAggregate(carol);
        }
        (, uint256 pending) = sAID.getUnstakeRequest(carol);
        assertEq(pending, 0, "all of carol's requests paid");
        _assertBacked();
    }
}
