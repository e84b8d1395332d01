// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";

/// @notice Regression tests of the review of the issue-12 fix (deals part): REVENUE_SHARE views scan only the periods
///         after the cached reported prefix (item 2), the FIXED schedule's installments sum exactly and a view says
///         what is due to be current (item 5), a partner is judged only on dues from its transfer on (item 6), and
///         overdue exposure is valued from the due date with the cash reserve absorbing the mark first (finding 6).
contract DealReview12Test is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant GRACE = 15 days; // [s]
    uint256 internal constant LONG_TENOR = 3 * 365 days; // [s] 37 periods of 30 days

    // ------------------------------------------------------------ item 2: RS views bounded late in a long deal

    function _activeRs(uint256 tenor) internal returns (GpuDeal deal) {
        IGpuDeal.Terms memory t = _rsTerms();
        t.tenor = uint32(tenor);
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }

    /// @dev Periods `from`..`to`−1: at the end of each, its revenue is reported and the borrower pays its due.
    function _payPeriods(GpuDeal deal, uint256 from, uint256 to) internal {
        for (uint256 p = from; p < to; ++p) {
            vm.warp(deal.activatedAt() + (p + 1) * INTERVAL);
            _report(deal, p, 40_000e18);
            (uint256 due,) = deal.periodPayment(p);
            _repay(deal, borrower, due);
        }
    }

    function _gasOfTrancheValue(GpuDeal deal) internal view returns (uint256 used) {
        uint256 g = gasleft();
        deal.trancheValue(JR);
        used = g - gasleft();
    }

    /// @dev A 3-year REVENUE_SHARE deal paid period by period: valuing a tranche (what sAID does for every position on
    ///      deposit, unstake and queue processing) costs the same in period 36 as in period 3, not one revenue read
    ///      per elapsed period.
    function test_review2_markBpsGasBoundedLateInLongRevenueShareDeal() public {
        GpuDeal deal = _activeRs(LONG_TENOR);
        assertEq(deal.periodCount(), 37);
        _payPeriods(deal, 0, 3);
        vm.warp(block.timestamp + 5 days);
        uint256 early = _gasOfTrancheValue(deal);
        _payPeriods(deal, 3, 36);
        vm.warp(block.timestamp + 5 days);
        assertEq(deal.periodsPaid(), 36, "current");
        uint256 late = _gasOfTrancheValue(deal);
        assertLe(late, early + 1000, "no scan over the paid periods");
    }

    /// @dev Reference: the periods the borrower is current through, scanning every elapsed period (no cache).
    function _fullScan(GpuDeal deal) internal view returns (uint256 k) {
        uint256 n = deal.periodCount();
        uint256 end = (block.timestamp - deal.activatedAt()) / INTERVAL;
        if (end > n - 1) end = n - 1;
        uint256 cap = PRINCIPAL * 15_000 / 10_000;
        uint256 due;
        for (uint256 j; j < end; ++j) {
            (uint256 d,) = deal.periodPayment(j);
            due += d;
            if (due > cap) due = cap;
            if (deal.totalRepaid() < due) break;
            k = j + 1;
        }
    }

    /// @dev Reference: Σ of the amounts due for periods 0..k−1 at the revenue reported so far, capped.
    function _cumulativeDue(GpuDeal deal, uint256 k) internal view returns (uint256 due) {
        uint256 cap = PRINCIPAL * 15_000 / 10_000;
        for (uint256 j; j < k; ++j) {
            (uint256 d,) = deal.periodPayment(j);
            due = due + d > cap ? cap : due + d;
        }
    }

    /// @dev Reports (in any order, late or never), payments of any size at any time: the cached coverage always
    ///      equals the full scan.
    function testFuzz_review2_cachedCoverageEqualsFullScan(
        uint256[8] memory dts,
        uint256[8] memory periods,
        uint256[8] memory revenues,
        uint256[8] memory amounts
    ) public {
        GpuDeal deal = _activeRs(TENOR);
        for (uint256 i; i < 8; ++i) {
            vm.warp(block.timestamp + bound(dts[i], 1 days, 45 days));
            uint256 elapsed = (block.timestamp - deal.activatedAt()) / INTERVAL;
            if (elapsed > 0) {
                uint256 p = bound(periods[i], 0, elapsed - 1);
                (, bool reported) = deal.periodPayment(p);
                if (!reported) _report(deal, p, bound(revenues[i], 0, 100_000e18));
            }
            IGpuDeal.State s = deal.state();
            if (s != IGpuDeal.State.ACTIVE && s != IGpuDeal.State.LATE) return;
            uint256 amount = bound(amounts[i], 0, 80_000e18);
            if (amount > 0) _repay(deal, borrower, amount);
            s = deal.state();
            if (s != IGpuDeal.State.ACTIVE && s != IGpuDeal.State.LATE) return;
            uint256 k = _fullScan(deal);
            assertEq(deal.periodsPaid(), k, "cache = full scan");
            if (k + 1 < deal.periodCount()) {
                uint256 dueNext = _cumulativeDue(deal, k + 1);
                uint256 paid = deal.totalRepaid();
                assertEq(deal.dueToBeCurrent(k + 1), dueNext > paid ? dueNext - paid : 0, "view = due - paid");
            }
        }
    }

    // ------------------------------------------------------------ item 5: installments sum exactly

    /// @dev Principal 1M − 2 over 13 periods: ⌊P/13⌋ has a fraction of 12/13 cut off, so ⌊P·k/13⌋ runs ahead of
    ///      k·⌊P/13⌋ from k = 2.
    function _activeAmortisingOddPrincipal() internal returns (GpuDeal deal) {
        deal = _activeFixed(true, true);
    }

    /// @dev A borrower paying, at each due date, everything accrued (interest and fees, as `owed()` shows them) plus the
    ///      principal installment ⌊P/n⌋ (what is owed after the payment is P − k·⌊P/n⌋) is current through every period
    ///      it paid and cannot be marked late.
    function test_review5_scheduleToleranceBorrowerPayingOwedIsCurrent() public {
        GpuDeal deal = _activeAmortisingOddPrincipal();
        uint256 start = deal.activatedAt();
        uint256 installment = (PRINCIPAL - 2) / deal.periodCount();
        for (uint256 k = 1; k <= 3; ++k) {
            vm.warp(start + k * INTERVAL);
            _repay(deal, borrower, _owedTotal(deal) - (PRINCIPAL - 2 - k * installment));
            assertEq(deal.periodsPaid(), k, "current through k");
        }
        vm.warp(start + 3 * INTERVAL + GRACE + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, start + 4 * INTERVAL + GRACE));
        deal.markLate();
    }

    // ------------------------------------------------------------ item 6: partner judged from its transfer on

    /// @dev The original borrower never pays and defaults; a partner takes over and pays every due of its own. A
    ///      predecessor period reported (high) after the transfer stays the predecessor's arrears in the waterfall; it
    ///      never makes the partner late.
    function test_review6_partnerNotLateForPredecessorArrears() public {
        GpuDeal deal = _activeRs(TENOR);
        uint256 start = deal.activatedAt();
        uint256 due = deal.dueDate();
        vm.warp(due + GRACE + 1);
        deal.markLate();
        vm.warp(due + 60 days);
        vm.prank(underwriter);
        deal.declareDefault();
        vm.prank(underwriter);
        deal.transferToPartner(partner);
        uint256 base = (block.timestamp - start) / INTERVAL; // the partner's first period
        assertEq(deal.dueDate(), start + (base + 1) * INTERVAL);
        _report(deal, 1, 1_000_000e18); // a predecessor period, reported after the transfer: 600,000 due
        vm.warp(start + (base + 1) * INTERVAL);
        (uint256 partnerDue,) = deal.periodPayment(base);
        _repay(deal, partner, partnerDue);
        assertEq(deal.periodsPaid(), base + 1, "the partner is current");
        assertEq(deal.dueDate(), start + (base + 2) * INTERVAL);
        vm.warp(start + (base + 1) * INTERVAL + GRACE + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, start + (base + 2) * INTERVAL + GRACE));
        deal.markLate();
    }

    // ------------------------------------------------------------ finding 6: valued from the due date

    /// @dev A missed FIXED payment is marked from the due date: 10 days later (inside the 15-day grace, nobody called
    ///      `markLate`) the junior is written down by what the mark takes beyond the cash reserve, sAID books it, and a
    ///      staker who ran for the exit right after the missed due date bears the loss booked while it waits.
    function test_finding6_overdueExposureValuedFromDueDate() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, JR, JUNIOR);
        _fund(deal, seniorInvestor, SR, SENIOR);
        uint256 due = deal.dueDate();
        vm.warp(due + 1 hours);
        uint256 shares = sAID.balanceOf(carol) / 10;
        vm.prank(carol);
        uint256 requested = sAID.unstake(shares);
        vm.warp(due + 10 days);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE), "inside the grace, nobody marked it");
        assertEq(deal.markBps(), 10_000 * uint256(10 days) / 90 days, "10 of 90 days");
        WaterfallLib.Owed memory o = deal.owed();
        uint256 unmarked = o.juniorPrincipal + o.juniorInterest - WaterfallLib.performanceFee(o.juniorInterest);
        uint256 writeDown = WaterfallLib.total(o) * deal.markBps() / 10_000 - deal.cashReserve();
        assertEq(deal.trancheValue(JR), unmarked - writeDown, "junior written down beyond the reserve");
        assertLt(p.valueOf(address(sAID)), JUNIOR);
        sAID.processUnstakeQueue(10);
        assertLt(aid.balanceOf(carol), requested, "the early exit shares the loss booked while it waited");
    }

    // ------------------------------------------------------------ item 2: sync and views

    /// @dev A borrower that prepaid ten periods and never pays again: `syncSchedule` (anyone) records the reported,
    ///      covered run, after which a valuation reads no period; it reverts on a FIXED deal and outside ACTIVE/LATE.
    function test_review2_syncScheduleRecordsReportedPrefix() public {
        GpuDeal deal = _activeRs(LONG_TENOR);
        _repay(deal, borrower, 10 * 24_000e18); // ten periods at 60% of 40,000
        for (uint256 p; p < 8; ++p) {
            vm.warp(deal.activatedAt() + (p + 1) * INTERVAL);
            _report(deal, p, 40_000e18);
        }
        vm.warp(block.timestamp + 5 days);
        assertEq(deal.periodsPaid(), 8);
        uint256 scanning = _gasOfTrancheValue(deal);
        vm.prank(attacker);
        deal.syncSchedule();
        assertEq(deal.periodsPaid(), 8);
        assertLt(_gasOfTrancheValue(deal) + 5000, scanning, "the reported prefix is cached");
        GpuDeal fixedDeal = _activeDeal();
        vm.expectRevert(IGpuDeal.NotRevenueShare.selector);
        fixedDeal.syncSchedule();
        GpuDeal funding = _create(_rsTerms());
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.FUNDING));
        funding.syncSchedule();
    }

    // ------------------------------------------------------------ item 5: dueToBeCurrent

    function _activeFixed(bool amortising, bool oddPrincipal) internal returns (GpuDeal deal) {
        IGpuDeal.Terms memory t = _terms();
        t.amortising = amortising;
        if (oddPrincipal) t.seniorPrincipal = SENIOR - 2;
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, t.seniorPrincipal);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }

    /// @dev Paying what `dueToBeCurrent(k)` says, at any time (early, on time, late within the grace, after a partial
    ///      payment), makes the borrower current through k: the view drops to 0, the due date moves past period k's
    ///      and `markLate` fails through the grace of due date k.
    function testFuzz_review5_payingDueToBeCurrentMakesCurrent(
        bool amortising,
        bool oddPrincipal,
        uint256 kSeed,
        uint256 atPart,
        uint256 at,
        uint256 part
    ) public {
        GpuDeal deal = _activeFixed(amortising, oddPrincipal);
        uint256 start = deal.activatedAt();
        uint256 k = bound(kSeed, 1, deal.periodCount() - 2);
        atPart = bound(atPart, start, start + k * INTERVAL + GRACE);
        at = bound(at, atPart, start + k * INTERVAL + GRACE);
        vm.warp(atPart);
        part = bound(part, 0, deal.dueToBeCurrent(k));
        if (part > 0) _repay(deal, borrower, part);
        vm.warp(at);
        uint256 need = deal.dueToBeCurrent(k);
        if (need > 0) _repay(deal, borrower, need);
        assertGe(deal.periodsPaid(), k, "current through k");
        assertEq(deal.dueToBeCurrent(k), 0);
        assertGe(deal.dueDate(), start + (k + 1) * INTERVAL);
        vm.warp(start + k * INTERVAL + GRACE + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, deal.dueDate() + GRACE));
        deal.markLate();
    }

    /// @dev The view's bounds: periods 1..periodCount, ACTIVE or LATE only; the last period asks for everything owed.
    function test_review5_dueToBeCurrentBounds() public {
        GpuDeal funding = _create(_terms());
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.FUNDING));
        funding.dueToBeCurrent(1);
        GpuDeal deal = _activeDeal();
        uint256 n = deal.periodCount();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.PeriodOutOfRange.selector, 0, n));
        deal.dueToBeCurrent(0);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.PeriodOutOfRange.selector, n + 1, n));
        deal.dueToBeCurrent(n + 1);
        vm.warp(block.timestamp + 100 days);
        assertEq(deal.dueToBeCurrent(n), _owedTotal(deal));
        _repay(deal, borrower, deal.dueToBeCurrent(n));
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
    }

    // ------------------------------------------------------------ finding 6: a few days late costs sAID nothing

    /// @dev What sAID's parties hold before the late payment (see `test_finding6_paymentDaysLateCostsSaidNothing`).
    struct Before {
        uint256 carolQueued; // [wad] a request queued before the due date
        uint256 index; // [ray] sAID's loss index
        uint256 price; // [wad] AID per sAID share
        uint256 erinValue; // [wad] what erin's shares are worth before the due date
        uint256 erinRequested; // [wad] what erin's unstake (1 day late) recorded
    }

    /// @dev The junior's claim with no mark: principal + interest net of the performance fee [wad].
    function _unmarkedJunior(GpuDeal deal) internal view returns (uint256) {
        WaterfallLib.Owed memory o = deal.owed();
        return o.juniorPrincipal + o.juniorInterest - WaterfallLib.performanceFee(o.juniorInterest);
    }

    /// @dev A FIXED payment 3 days late, sAID in the junior tranche: the mark runs from the due date but stays within
    ///      the cash reserve, so a deposit and an unstake in between book no loss; after the payment nobody (stakers,
    ///      the request queued before, the depositor and the unstaker in between) has lost anything.
    function test_finding6_paymentDaysLateCostsSaidNothing() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, JR, JUNIOR);
        _fund(deal, seniorInvestor, SR, SENIOR);
        address dave = makeAddr("dave");
        address erin = makeAddr("erin");
        _giveAid(erin, 100_000e18);
        _seedStake(erin, 100_000e18);
        uint256 due = deal.dueDate();
        vm.warp(due - 1 days);
        Before memory b;
        uint256 shares = sAID.balanceOf(carol) / 10;
        vm.prank(carol);
        sAID.unstake(shares); // queued before the due date
        (, b.carolQueued) = sAID.getUnstakeRequest(carol);
        b.index = sAID.lossIndex();
        b.price = sAID.convertToAssets(1e18);
        b.erinValue = sAID.convertToAssets(sAID.balanceOf(erin));

        vm.warp(due + 1 days); // missed: marked, but within the reserve
        assertGt(deal.markBps(), 0, "marked from the due date");
        assertEq(deal.trancheValue(JR), _unmarkedJunior(deal), "the reserve absorbs it");
        _giveAid(dave, 100_000e18);
        _seedStake(dave, 100_000e18);
        shares = sAID.balanceOf(erin);
        vm.prank(erin);
        b.erinRequested = sAID.unstake(shares);

        vm.warp(due + 3 days);
        _repay(deal, borrower, _owedInterest(deal)); // 3 days late: current through period 1
        assertEq(deal.markBps(), 0);
        assertEq(sAID.lossIndex(), b.index, "no loss booked on the queue");
        assertEq(sAID.bookedOf(address(p)), JUNIOR, "never written down");
        assertGe(b.erinRequested + 1, b.erinValue, "the unstaker in between got the full price");
        assertGe(sAID.convertToAssets(sAID.balanceOf(dave)) + 1, 100_000e18, "the depositor in between");
        assertGe(sAID.convertToAssets(1e18), b.price, "stakers");
        vm.warp(due + 10 days);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(carol), b.carolQueued, "the request queued before is paid in full");
        assertEq(aid.balanceOf(erin), b.erinRequested);
    }
}
