// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {StakedAIDSlots} from "./StakedAIDTestBase.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Review 11x-1 (MEDIUM), ACCEPTED as a documented limit (session 13; README, sAID design notes, "Limits"):
///         a booked loss that leaves the pool's loss index below INDEX_FLOOR (1e24: a loss of more than 99.9 % of
///         gross = idle + pending + booked − unvested since the era began) RE-BASES the pool (index × 1000^k, queue
///         shares ÷ 1000^k: the total rounded up, each request floored when next touched), and the pool's claim on the
///         undecided write-downs is kept <= `_room` (what the pool's shares can still be raised by, to 1e27). So a
///         request that WAITED through a re-basing loss recovers at most to its re-based RECORD (its shares at 1e27 in
///         the new units: its era-start value / 1000^k, floored); the rest of its claim lapses to the stakers. A request
///         made RIGHT AFTER the same loss keeps its whole claim (the part above the pool's ratio in the excess part,
///         10b-1). These tests pin that limit exactly: every expected value is derived from state read before the loss
///         and the documented rule (VaultMath.lossIndexAfter, the re-base steps, VaultMath.rescaled), never hard-coded.
///         Worse than the limit (a request below its value at the mark, AID created, a revert, a claim lapsing without
///         a re-base) would be a finding; none was found (fuzzed, also over random sequences with payouts). One INFO,
///         apart from the limit: `test_review11x1_info_supplyZeroWriteBackStoredAsViewed` (a view was ahead by 1 wei; fixed).
contract StakedAIDReview11X1Test is StakedAIDReview11Base {
    uint256 internal constant RAY = 1e27;
    /// @dev VaultMath.INDEX_FLOOR, VaultMath.RESCALE.
    uint256 internal constant FLOOR = 1e24;
    uint256 internal constant RESCALE = 1e3;
    uint256 private constant SHARES_MASK = (1 << 224) - 1;

    /// @dev The state read before the loss.
    struct Mark {
        uint256 v0; // request 0's value (alice's waiting request)
        uint256 shares0; // its pool shares as stored (era-start units) ...
        uint256 wordEpoch; // ... and the pool epoch of those units
        uint256 epoch0; // the pool epoch
        uint256 index0; // the pool's index
        uint256 nav0; // the stakers' NAV
        uint256 gross; // NAV + pending = idle + booked (nothing unvested)
    }

    function setUp() public virtual override {
        super.setUp();
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
    }

    // ================================================================== 1. the waiting request's cap

    /// @notice 11x-1, the limit: alice's request waits, a loss of 99.95 % of gross re-bases the pool once, the position
    ///         then reports its whole value again: her request ends at its re-based record (era-start value / 1000,
    ///         floored), not at its pre-loss value; what it did not get went to the stakers (exactly: NAV + pending =
    ///         idle + booked is conserved), and everything stays payable.
    function test_review11x1_waitingRequestRecoversAtMostItsReBasedRecord() public {
        Mark memory m = _waitingRequest(1000e18);
        uint256 loss = m.gross * 9995 / 10_000; // 99.95 % of gross
        (uint256 k, uint256 markIndex) = _expectedAfterLoss(m, loss);
        assertEq(k, 1, "99.95 %: one re-base");
        _markDown(loss);
        assertEq(_queueEpoch(), m.epoch0 + k, "the loss re-based the pool (queueEpoch + 1)");
        (, uint256 index) = _pool();
        assertEq(index, markIndex, "the re-based index: lossIndexAfter x 1000^k");
        uint256 record = _record(m, k);
        assertEq(record, m.v0 / RESCALE ** k, "the record: era-start value / 1000^k, floored");
        uint256 atMark = _requestValue(0);
        assertEq(atMark, Math.mulDiv(record, markIndex, RAY), "at the mark: the record at the re-based index");

        _fullRecovery(loss);
        uint256 value = _requestValue(0);
        assertEq(value, record, "the waiting request recovers exactly to its re-based record");
        assertLt(value, m.v0, "and NOT to its pre-loss value");
        uint256 lapsed = m.v0 - record;
        // conservation: idle + booked is back at gross and the pool's pending total is exactly the record here (the
        // re-base's ceil(shares0 / 1000) = floor: 1000 | shares0), so the stakers' NAV rose by exactly the lapsed part
        assertEq(m.shares0 % RESCALE ** k, 0, "1000^k divides the shares: no re-base rounding");
        assertEq(sAID.pendingUnstakeAssets(), record, "pending total = the record");
        assertEq(sAID.totalAssets(), m.nav0 + lapsed, "the stakers' NAV rose by the lapsed part");
        emit log_named_uint("11x-1 pre-loss value v0 [wei]", m.v0);
        emit log_named_uint("11x-1 value at the mark [wei]", atMark);
        emit log_named_uint("11x-1 re-based record = recovered value [wei]", value);
        emit log_named_uint("11x-1 lapsed to the stakers [wei]", lapsed);

        // payable: the request is paid exactly its value, then every holder exits and is paid what it was owed
        uint256 before = aid.balanceOf(alice);
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), value, "the payout is the request's value");
        assertEq(aid.balanceOf(alice) - before, value, "alice is paid exactly her request's value");
        _everyHolderExits();
    }

    // ================================================================== 2. the asymmetry

    /// @notice 11x-1, the other side: after the same re-basing loss bob unstakes everything right away (request 1, at
    ///         the mark). His request carries his shares' whole part of the stakers' claim (the part above the pool's
    ///         ratio in the excess part, 10b-1), which after the re-base includes his part of what alice's request's
    ///         claim lost: after the full recovery bob's request is worth what his shares would have been (carol's
    ///         identical stake, left staked), i.e. his pre-loss value PLUS his share of alice's lapsed part, while
    ///         alice's ends at her record. (Its stake's pre-loss value exactly only when no waiting request's claim
    ///         lapsed: here it returns to more, since the lapsed part is the stakers' at the loss, bob among them.)
    function test_review11x1_entrantRightAfterTheLossKeepsItsClaim() public {
        Mark memory m = _waitingRequest(1000e18);
        uint256 bobShares = sAID.balanceOf(bob);
        assertEq(bobShares, sAID.balanceOf(carol), "bob and carol hold identical stakes");
        uint256 bobBefore = _value(bob);
        uint256 supply = sAID.totalSupply();
        uint256 loss = m.gross * 9995 / 10_000;
        (uint256 k,) = _expectedAfterLoss(m, loss);
        _markDown(loss);
        assertEq(_queueEpoch(), m.epoch0 + k, "re-based");
        uint256 bobAtMark = _value(bob);
        assertEq(_unstake(bob, bobShares), bobAtMark, "bob's request at the mark");
        (uint256 xs,,,) = _excess();
        assertGt(xs, 0, "bob's claim above the pool's ratio waits in the excess part");

        _fullRecovery(loss);
        uint256 record = _record(m, k);
        assertEq(_requestValue(0), record, "alice (waited): her re-based record");
        uint256 bobValue = _requestValue(1);
        uint256 lapsed = m.v0 - record;
        // the lapsed part is the stakers' at the loss: bob (unstaked right after) keeps his share of it
        uint256 expected = bobBefore + Math.mulDiv(lapsed, bobShares, supply);
        // exact here (round figures: every floor on the way, his share of the stakers' claim, the split at the pool's
        // ratio, the conversion of his excess into pool shares at 1e27, is exact)
        assertEq(bobValue, expected, "bob: his pre-loss value + his share of the lapsed part");
        assertGe(bobValue, bobBefore, "bob (entered after) gets at least his pre-loss value back");
        // carol's identical stake, left staked: the virtual offset ({VaultMath.exitAssets} above par) rounds her
        // preview down by < VIRTUAL x (price - 1) <= VIRTUAL wei
        assertApproxEqAbs(bobValue, _value(carol), VIRTUAL, "bob's request = the identical stake left staked");
        emit log_named_uint("11x-1 carol (identical stake, left staked) after the recovery [wei]", _value(carol));
        emit log_named_uint("11x-1 bob (entrant) pre-loss value [wei]", bobBefore);
        emit log_named_uint("11x-1 bob at the mark [wei]", bobAtMark);
        emit log_named_uint("11x-1 bob after the recovery [wei]", bobValue);
        emit log_named_uint("11x-1 alice (waited) v0 [wei]", m.v0);
        emit log_named_uint("11x-1 alice after the recovery [wei]", record);
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        _everyHolderExits();
    }

    // ================================================================== 3. the edge

    /// @notice 11x-1's edge: the largest loss that leaves the index at (or just above) 1e24 does not re-base, and the
    ///         full recovery returns the waiting request to its pre-loss value exactly (nothing lapses without a
    ///         re-base); 1 wei more of loss re-bases (epoch + 1) and the same recovery ends at the record: the cliff.
    function test_review11x1_lossJustBelowTheFloorLapsesNothing() public {
        Mark memory m = _waitingRequest(1000e18);
        // the largest L with lossIndexAfter(I, G, L) = floor(I (G − L) / G) >= FLOOR: G − L >= ceil(FLOOR × G / I)
        uint256 edge = m.gross - Math.mulDiv(FLOOR, m.gross, m.index0, Math.Rounding.Ceil);
        uint256 snap = vm.snapshotState();

        _markDown(edge);
        assertEq(_queueEpoch(), m.epoch0, "at the floor: no re-base");
        (, uint256 index) = _pool();
        assertGe(index, FLOOR, "the index at or above 1e24");
        assertLt(index, FLOOR + m.index0 / m.gross + 1, "... by less than one step of the loss");
        _fullRecovery(edge);
        assertEq(_requestValue(0), m.v0, "no re-base: the request returns to its pre-loss value exactly");
        assertEq(sAID.totalAssets(), m.nav0, "and the stakers to theirs");

        vm.revertToState(snap);
        _markDown(edge + 1);
        assertEq(_queueEpoch(), m.epoch0 + 1, "1 wei past the edge: a re-base");
        _fullRecovery(edge + 1);
        uint256 record = _record(m, 1);
        assertEq(_requestValue(0), record, "the record only");
        assertEq(sAID.totalAssets(), m.nav0 + m.v0 - record, "the lapsed part is the stakers'");
        emit log_named_uint("11x-1 edge loss [wei]", edge);
        emit log_named_uint("11x-1 cliff: lost to the stakers by 1 more wei of loss [wei]", m.v0 - record);
    }

    /// @notice Below the edge (losses up to the largest one that does not re-base), a full recovery lapses nothing:
    ///         the waiting request returns to its pre-loss value exactly and the stakers to theirs.
    function testFuzz_review11x1_noReBaseNoLapse(uint256 stake, uint256 loss) public {
        Mark memory m = _waitingRequest(bound(stake, 4e18, 1e27));
        uint256 edge = m.gross - Math.mulDiv(FLOOR, m.gross, m.index0, Math.Rounding.Ceil);
        loss = bound(loss, edge * 99 / 100, edge);
        _markDown(loss);
        assertEq(_queueEpoch(), m.epoch0, "no re-base");
        _fullRecovery(loss);
        assertEq(_requestValue(0), m.v0, "the request returns to its pre-loss value");
        assertEq(sAID.totalAssets(), m.nav0, "the stakers to theirs");
    }

    // ================================================================== 4. the bound, fuzzed

    /// @notice Over losses in (99.9 %, 100 %] of gross (total losses included: the index then re-bases 8 times and the
    ///         record is 0), recoveries from none to full and an optional entrant right after the loss: the waiting
    ///         request's value after the recovery is <= its re-based record and >= its value at the mark (the limit caps
    ///         the recovery, it never takes value; a full recovery reaches the record exactly), the queue stays usable
    ///         (a new unstake and the payouts succeed and pay each request its value) and no AID is created.
    function testFuzz_review11x1_reBasedRecoveryIsBounded(
        uint256 stake,
        uint256 loss,
        uint256 recovered,
        uint8 mode,
        bool entrant
    ) public {
        Mark memory m = _waitingRequest(bound(stake, 4e18, 1e27));
        uint256 edge = m.gross - Math.mulDiv(FLOOR, m.gross, m.index0, Math.Rounding.Ceil);
        loss = mode % 4 == 0 ? m.gross : bound(loss, edge + 1, m.gross); // a total loss every 4th run
        recovered = mode % 8 == 1 ? loss : bound(recovered, 0, loss); // and full recoveries
        (uint256 k, uint256 markIndex) = _expectedAfterLoss(m, loss);
        _markDown(loss);
        assertEq(_queueEpoch(), m.epoch0 + k, "re-based k times");
        assertGe(k, 1, "past the edge: at least one re-base");
        uint256 record = _record(m, k);
        uint256 atMark = _requestValue(0);
        assertEq(atMark, Math.mulDiv(record, markIndex, RAY), "at the mark: the record at the re-based index");
        if (entrant) _unstake(bob, sAID.balanceOf(bob)); // request 1 (or burnt: worth 0)
        _assertNoAidCreated();

        position.mark(address(sAID), int256(recovered));
        _sync();
        uint256 value = _requestValue(0);
        assertLe(value, record, "at most the re-based record");
        assertGe(value, atMark, "never below its value at the mark");
        if (recovered == loss) {
            // a full recovery: exactly the record; with the entrant, ≤ 2 wei less: its carried claim is floored (1 wei
            // of the pool's claim short of its room), so the index stops ceil(1e27 / pool shares) short of 1e27 and
            // alice's value (record < pool shares) floors to record − 1, − 2 at worst with the floor of the index
            assertApproxEqAbs(value, record, entrant ? 2 : 0, "a full recovery: the record");
        }
        _assertNoAidCreated();

        // the queue stays usable: a new unstake, the payouts pay each owner its requests' value, nothing stays owed
        _deallocateAll();
        uint256 carolAsked = _unstake(carol, sAID.balanceOf(carol));
        vm.warp(block.timestamp + DELAY);
        (, uint256 aliceOwed) = sAID.getUnstakeRequest(alice);
        (, uint256 bobOwed) = sAID.getUnstakeRequest(bob);
        (, uint256 carolOwed) = sAID.getUnstakeRequest(carol);
        assertEq(aliceOwed, value, "alice is owed her request's value");
        assertEq(carolOwed, carolAsked, "carol's new request holds its record (no loss since)");
        uint256[3] memory before = [aid.balanceOf(alice), aid.balanceOf(bob), aid.balanceOf(carol)];
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(alice) - before[0], aliceOwed, "alice paid exactly her value");
        assertEq(aid.balanceOf(bob) - before[1], bobOwed, "bob paid exactly his value");
        assertEq(aid.balanceOf(carol) - before[2], carolOwed, "carol paid exactly her value");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue drained");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        _assertNoAidCreated();
    }

    /// @notice Beyond the brief's scenarios, a random sequence of losses (re-basing or not), partial recoveries,
    ///         unstakes at the mark (entrants into the pool, its excess or its bare part) and new deposits: no step but a
    ///         loss ever lowers a waiting request's value (the limit caps recoveries, it never takes value), no AID is
    ///         created, and after a full recovery every holder exits and is paid exactly what its requests are worth.
    function testFuzz_review11x1_sequenceNeverTakesValue(uint256 seed) public {
        _waitingRequest(bound(seed, 4e18, 1e24));
        address[5] memory who = [alice, bob, carol, dave, eve];
        uint256 lost;
        bool matured; // requests may be mature (a payout step warped)
        for (uint256 step; step < 10; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 action = r % 5;
            uint256[] memory before = _values();
            uint256[5] memory worth = _worth(who);
            if (action == 0) {
                uint256 booked = sAID.bookedOf(address(position));
                if (booked < 2) continue;
                uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
                // a re-basing loss (> 99.9 % of gross, capped at what is deployed) or an ordinary one (1 - 90 %)
                uint256 loss = (r >> 8) % 2 == 0
                    ? Math.min(booked, gross - gross / 1000 + ((r >> 16) % (gross / 1000 + 1)))
                    : booked * (1 + (r >> 16) % 90) / 100;
                if (loss == 0) continue;
                _markDown(loss);
                lost += loss;
                continue; // a loss may lower values
            } else if (action == 1) {
                uint256 back = lost * ((r >> 8) % 101) / 100; // 0 - 100 % of what is written off
                position.mark(address(sAID), int256(back));
                lost -= back;
                if (matured) {
                    // the sync (`processUnstakeQueue(1)`) also pays the matured head: checked as a payout
                    _sync();
                    _assertPayoutTakesNoValue(who, worth);
                    continue;
                }
                _sync();
            } else if (action == 2) {
                address u = who[(r >> 8) % 5];
                uint256 bal = sAID.balanceOf(u);
                if (bal == 0) continue;
                uint256 shares = (r >> 16) % 2 == 0 ? bal : bal * (1 + (r >> 24) % 99) / 100;
                if (shares != bal && sAID.previewRedeem(shares) < 1e18) shares = bal;
                _unstake(u, shares);
            } else if (action == 4) {
                // payouts: part of the capital comes back, the matured requests are paid (the last maybe in part)
                uint256 booked = sAID.bookedOf(address(position));
                uint256 back = booked * ((r >> 8) % 101) / 100;
                if (back != 0) {
                    vm.prank(allocator);
                    sAID.deallocate(address(position), back);
                }
                vm.warp(block.timestamp + DELAY);
                matured = true;
                sAID.processUnstakeQueue(1 + (r >> 16) % 3);
                _assertPayoutTakesNoValue(who, worth);
                continue;
            } else {
                address u = who[3 + (r >> 8) % 2];
                uint256 amount = 1e18 + (r >> 16) % 1e24;
                if (sAID.maxDeposit(u) < amount) continue; // wiped, or entries refused at supply 0
                _stake(u, amount);
                uint256 free = sAID.freeLiquidity(); // 0 while it backs requests the deployed capital does not
                if (free != 0) _allocate(free);
            }
            uint256[] memory after_ = _values();
            for (uint256 i; i < before.length; ++i) {
                assertGe(after_[i], before[i], "only a loss lowers a waiting request");
            }
            uint256[5] memory later = _worth(who);
            for (uint256 i; i < 5; ++i) {
                assertGe(later[i], worth[i], "nor what an owner holds in requests and AID");
            }
            _assertNoAidCreatedAll(who);
        }
        // the position reports all it lost again (at supply 0 only what the queue's records can hold is written back:
        // the rest stays written off, AID of nobody, README "Limits")
        position.mark(address(sAID), int256(lost));
        _sync();
        _assertNoAidCreatedAll(who);
        _deallocateAll();
        for (uint256 i; i < 5; ++i) {
            uint256 bal = sAID.balanceOf(who[i]);
            if (bal != 0) _unstake(who[i], bal);
        }
        vm.warp(block.timestamp + DELAY);
        // each owner is owed the sum of its requests' values (its aggregate, `getUnstakeRequest`, can exceed it by
        // the re-bases' rounding: AccountWord)
        uint256[5] memory owed = _owedByRequest(who);
        uint256[5] memory had;
        for (uint256 i; i < 5; ++i) {
            had[i] = aid.balanceOf(who[i]);
        }
        sAID.processUnstakeQueue(100);
        for (uint256 i; i < 5; ++i) {
            uint256 paid = aid.balanceOf(who[i]) - had[i];
            assertLe(paid, owed[i], "never more than its requests' value");
            // each request is paid exactly its value (before the fix of test_review11x1_info_supplyZeroWriteBackStoredAsViewed
            // the views could count a write-back the action dropped at supply 0: 1 wei a request)
            assertEq(paid, owed[i], "each owner paid its requests' value");
        }
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue drained");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
    }

    // ================================================================== INFO (not the limit): a view ahead by a wei

    /// @notice INFO found while fuzzing 11x-1 (not part of the accepted limit, 1 wei), fixed in session 13: at supply 0
    ///         a write-back goes to the queue only as far as the pool's pending total grows (`taken = grew`); when the
    ///         total cannot grow (a write-back of less than one wei of the pool: `floor(shares × index' / 1e27)`
    ///         unchanged) but the index can, {PositionLogic-_writeBack} returned at `taken == 0` before storing the
    ///         raised index, while the views ({PositionLogic-_reported}: `lossIndex`, `unstakeRequest`,
    ///         `getUnstakeRequest`) kept it: a request's view could exceed what it is paid by 1 wei (the sequence fuzz
    ///         hit it: seed 4427889338198465971924364508825354847136778105033105, bob paid ...370509 for a view of
    ///         ...510). Now the raised index is stored too: previews = actions. Failed before the fix with "the action
    ///         stores the index the view raised". The AID stays written off (nothing is lost or created).
    function test_review11x1_info_supplyZeroWriteBackStoredAsViewed() public {
        _stake(alice, 1000e18 + 12_345);
        _stake(bob, 777e18 + 999);
        _listPosition();
        _allocate(sAID.freeLiquidity());
        _unstake(alice, sAID.balanceOf(alice));
        uint256 loss = 500e18 + 1;
        _markDown(loss);
        _unstake(bob, sAID.balanceOf(bob)); // supply 0: a write-back goes to the queue only
        assertEq(sAID.totalSupply(), 0, "supply 0");
        (, uint256 before) = _pool();
        position.mark(address(sAID), 1); // the position reports 1 wei more
        uint256 viewIndex = sAID.lossIndex();
        uint256 viewPending = sAID.pendingUnstakeAssets();
        uint256 view0 = _requestValue(0);
        uint256 view1 = _requestValue(1);
        assertGt(viewIndex, before, "the view raises the index");
        _sync();
        (, uint256 booked) = _pool();
        assertEq(sAID.writtenOffOf(address(position)), loss, "the action writes nothing back (taken 0)");
        assertEq(sAID.pendingUnstakeAssets(), viewPending, "the pending total is the same either way");
        assertEq(booked, viewIndex, "the action stores the index the view raised");
        assertEq(sAID.lossIndex(), viewIndex, "and the view is unchanged by the sync");
        assertEq(_requestValue(0), view0, "request 0: view before the sync = after");
        assertEq(_requestValue(1), view1, "request 1: view before the sync = after");
    }

    // ================================================================== 5. two re-bases

    /// @notice Two successive re-basing losses (each 99.95 % of the gross then): k = 2, the waiting request's record is
    ///         its era-start value / 1e6 (floored), and the full recovery of both ends exactly there.
    function test_review11x1_twoReBasesCompound() public {
        Mark memory m = _waitingRequest(1000e18);
        uint256 loss1 = m.gross * 9995 / 10_000;
        (uint256 k1, uint256 index1) = _expectedAfterLoss(m, loss1);
        _markDown(loss1);
        assertEq(_queueEpoch(), m.epoch0 + k1, "first re-base");
        (, uint256 index) = _pool();
        assertEq(index, index1, "the first re-based index");
        uint256 g2 = sAID.totalAssets() + sAID.pendingUnstakeAssets(); // the gross now
        uint256 loss2 = g2 * 9995 / 10_000;
        uint256 index2 = Math.mulDiv(index1, g2 - loss2, g2);
        uint256 k2 = _steps(index2);
        _markDown(loss2);
        assertEq(k1 + k2, 2, "two re-bases");
        assertEq(_queueEpoch(), m.epoch0 + 2, "queueEpoch + 2");
        (, index) = _pool();
        assertEq(index, index2 * RESCALE ** k2, "the second re-based index");
        uint256 record = _record(m, 2);
        assertEq(record, m.v0 / 1e6, "the record: era-start value / 1e6, floored");
        uint256 atMark = _requestValue(0);
        assertEq(atMark, Math.mulDiv(record, index, RAY), "at the mark");

        _fullRecovery(loss1 + loss2);
        uint256 value = _requestValue(0);
        assertEq(value, record, "recovers to the record after two re-bases");
        assertEq(sAID.pendingUnstakeAssets(), record, "pending total = the record (1e6 | shares0)");
        assertEq(sAID.totalAssets(), m.nav0 + m.v0 - record, "the stakers got the rest");
        emit log_named_uint("11x-1 k=2 v0 [wei]", m.v0);
        emit log_named_uint("11x-1 k=2 at the mark [wei]", atMark);
        emit log_named_uint("11x-1 k=2 record = recovered [wei]", value);

        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        uint256 before = aid.balanceOf(alice);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(alice) - before, value, "paid exactly its value");
        _everyHolderExits();
    }

    // ================================================================== helpers

    /// @dev alice, bob and carol stake `stake` each, everything is deployed to `position`, alice unstakes half her
    ///      shares (request 0, waiting); the state before any loss.
    function _waitingRequest(uint256 stake) internal returns (Mark memory m) {
        _stake(alice, stake);
        _stake(bob, stake);
        _stake(carol, stake);
        _listPosition();
        _allocate(sAID.freeLiquidity());
        _unstake(alice, sAID.balanceOf(alice) / 2);
        m.v0 = _requestValue(0);
        (m.shares0, m.wordEpoch) = _requestWord(0);
        m.epoch0 = _queueEpoch();
        (, m.index0) = _pool();
        m.nav0 = sAID.totalAssets();
        m.gross = m.nav0 + sAID.pendingUnstakeAssets();
        assertEq(m.gross, aid.balanceOf(address(sAID)) + sAID.bookedOf(address(position)), "gross = idle + booked");
        assertEq(m.index0, RAY, "the era starts at 1e27");
        assertEq(m.shares0, m.v0, "at 1e27 its shares are its value");
        assertEq(m.wordEpoch, m.epoch0, "in the current units");
    }

    /// @dev The documented rule: a loss `loss` on the gross of `m` scales the index by (G − L) / G (rounded down, at
    ///      least 1: VaultMath.lossIndexAfter) and re-bases it k times to >= FLOOR; returns k and the index after.
    function _expectedAfterLoss(Mark memory m, uint256 loss) internal pure returns (uint256 k, uint256 index) {
        index = loss >= m.gross ? 0 : Math.mulDiv(m.index0, m.gross - loss, m.gross);
        if (index == 0) index = 1;
        k = _steps(index);
        index *= RESCALE ** k;
    }

    /// @dev Re-bases that bring `index` back to >= FLOOR.
    function _steps(uint256 index) internal pure returns (uint256 k) {
        while (index * RESCALE ** k < FLOOR) ++k;
    }

    /// @dev Request 0's re-based record after k re-bases: its stored shares in today's units (÷ 1000^k, floored, 0
    ///      from 26: VaultMath.rescaled) at 1e27, i.e. its era-start value / 1000^k.
    function _record(Mark memory m, uint256 k) internal pure returns (uint256) {
        return k >= 26 ? 0 : m.shares0 / RESCALE ** k;
    }

    /// @dev Request `id`'s stored pool shares and the epoch of their units (`requests[id].queueShares`).
    function _requestWord(uint256 id) internal view returns (uint256 shares, uint256 epoch) {
        bytes32 base = StakedAIDSlots.slotOf(StakedAIDSlots.REQUESTS, id);
        uint256 w = uint256(vm.load(address(sAID), bytes32(uint256(base) + 1)));
        return (w & SHARES_MASK, w >> 224);
    }

    /// @dev `position` reports `amount` more again (its whole value after a loss of `amount`) and it is booked: nothing
    ///      stays written off.
    function _fullRecovery(uint256 amount) internal {
        position.mark(address(sAID), int256(amount));
        _sync();
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "fully recovered");
    }

    /// @dev The allocator takes back everything `position` carries.
    function _deallocateAll() internal {
        uint256 booked = sAID.bookedOf(address(position));
        if (booked == 0) return;
        vm.prank(allocator);
        sAID.deallocate(address(position), booked);
    }

    /// @dev No AID is created: what every holder's shares redeem for plus what the queue is owed <= the AID sAID holds
    ///      plus what its position reports.
    function _assertNoAidCreated() internal view {
        uint256 claims = _value(alice) + _value(bob) + _value(carol) + sAID.pendingUnstakeAssets();
        // (the pending total: >= the sum of the requests' values, 9s-3; the stronger check holds here)
        assertLe(claims, aid.balanceOf(address(sAID)) + position.valueOf(address(sAID)), "no AID created");
    }

    /// @dev The values of all requests made so far (0 once paid).
    function _values() internal view returns (uint256[] memory v) {
        (, uint256 tail) = sAID.unstakeQueue();
        v = new uint256[](tail);
        for (uint256 i; i < tail; ++i) {
            v[i] = _requestValue(i);
        }
    }

    /// @dev After payouts: what each of `who` holds in requests and AID (`worth` before) did not fall: a payout moves
    ///      value into AID exactly, but a request paid in part keeps its value less the pay less the shares retired
    ///      rounded up (<= 1 wei for each of its pool and bare parts, 12e-1); a call pays at most one request in part.
    function _assertPayoutTakesNoValue(address[5] memory who, uint256[5] memory worth) internal view {
        uint256[5] memory now_ = _worth(who);
        for (uint256 i; i < 5; ++i) {
            assertGe(now_[i] + 2, worth[i], "a payout takes no value (rounding)");
        }
        _assertNoAidCreatedAll(who);
    }

    /// @dev What each of `who` holds in waiting requests and AID.
    function _worth(address[5] memory who) internal view returns (uint256[5] memory w) {
        w = _owedByRequest(who);
        for (uint256 i; i < 5; ++i) {
            w[i] += aid.balanceOf(who[i]);
        }
    }

    /// @dev What the waiting requests of each of `who` are worth (Σ `unstakeRequest` over its ids).
    function _owedByRequest(address[5] memory who) internal view returns (uint256[5] memory owed) {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            (address owner,,, uint256 v) = sAID.unstakeRequest(id);
            for (uint256 i; i < 5; ++i) {
                if (who[i] == owner) owed[i] += v;
            }
        }
    }

    /// @dev {_assertNoAidCreated} over the holders `who` (the queue: the sum of its requests' values, what they are
    ///      paid; the pending total can exceed it by 1 wei a request, 9s-3, owed to nobody).
    function _assertNoAidCreatedAll(address[5] memory who) internal view {
        uint256 claims;
        uint256[5] memory owed = _owedByRequest(who);
        for (uint256 i; i < 5; ++i) {
            claims += _value(who[i]) + owed[i];
        }
        assertLe(claims, aid.balanceOf(address(sAID)) + position.valueOf(address(sAID)), "no AID created");
    }

    /// @dev Every holder left (alice, bob, carol) unstakes its whole balance (capital already deallocated); after the
    ///      delay the queue pays each owner exactly what its requests are worth, nothing stays owed, and what the vault
    ///      keeps is the virtual offset's rounding (< VIRTUAL x the price per share, + 1 wei a request).
    function _everyHolderExits() internal {
        address[3] memory who = [alice, bob, carol];
        uint256 nav = sAID.totalAssets();
        uint256 supply = sAID.totalSupply();
        for (uint256 i; i < 3; ++i) {
            uint256 s = sAID.balanceOf(who[i]);
            if (s != 0) _unstake(who[i], s);
        }
        vm.warp(block.timestamp + DELAY);
        uint256[3] memory owed;
        uint256[3] memory before;
        for (uint256 i; i < 3; ++i) {
            (, owed[i]) = sAID.getUnstakeRequest(who[i]);
            before[i] = aid.balanceOf(who[i]);
        }
        sAID.processUnstakeQueue(10);
        for (uint256 i; i < 3; ++i) {
            assertEq(aid.balanceOf(who[i]) - before[i], owed[i], "each owner is paid exactly its requests' value");
        }
        assertEq(sAID.totalSupply(), 0, "every holder exited");
        assertEq(sAID.pendingUnstakeAssets(), 0, "nothing owed");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue drained");
        assertLe(aid.balanceOf(address(sAID)), Math.mulDiv(VIRTUAL, nav, supply) + 1 + 3, "only rounding stays");
    }
}
