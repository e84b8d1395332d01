// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IRevenueReporter} from "../../src/interfaces/IRevenueReporter.sol";
import {IRevenueSource} from "../../src/interfaces/IRevenueSource.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";

/// @notice Review 12b, open finding: a REVENUE_SHARE period's revenue-dependent due was judged from the period's due
///         date although it is only known once reported (reporter attestation, or the oracle adapter's settlement delay
///         of up to 30 days). The part of a due above the minimum now falls due at max(due date, report time), the
///         report time counted at most `ScheduleLib.MAX_REPORT_LAG` after the due date.
contract DealReview12cTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant GRACE = 15 days; // [s]
    uint256 internal constant MIN = 10_000e18; // [wad] `_rsTerms` minimum payment

    function _unmarkedJunior(GpuDeal deal) internal view returns (uint256) {
        WaterfallLib.Owed memory o = deal.owed();
        return o.juniorPrincipal + o.juniorInterest - WaterfallLib.performanceFee(o.juniorInterest);
    }

    /// @dev A REVENUE_SHARE borrower pays everything the deal says is due at period 0's due date (the minimum: the
    ///      period is not reported yet). The revenue is reported 8 days later. At the moment of the report the borrower
    ///      has had no chance to pay the higher due: it must not be judged 8 days late (a mark beyond the cash reserve
    ///      that the next sAID deposit books as a permanent loss).
    function test_review12b_lateRevenueReportWritesDownBorrowerWhoPaidEverythingDue() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _create(t);
        TranchePosition p = _saidPosition(deal, JR, JUNIOR);
        _fund(deal, seniorInvestor, SR, SENIOR);
        uint256 due = deal.dueDate();
        vm.warp(due);
        uint256 owedNow = deal.dueToBeCurrent(1);
        assertEq(owedNow, t.minPeriodPayment, "unreported: the minimum is all that is due");
        _repay(deal, borrower, owedNow);
        assertEq(deal.dueToBeCurrent(1), 0, "current through period 1");

        vm.warp(due + 8 days);
        assertEq(deal.markBps(), 0, "current: no mark");
        _report(deal, 0, 100_000e18); // 60,000 due for period 0, known only now
        assertGt(deal.dueToBeCurrent(1), 0, "the report raised the due");
        // the borrower learns of the higher due only now: it cannot be judged days late for it already
        assertEq(deal.trancheValue(JR), _unmarkedJunior(deal), "written down for a due not known until now");
        assertGe(p.valueOf(address(sAID)), JUNIOR, "sAID would book it as a loss");
    }

    /// @dev As above, but the report comes 16 days after the period ended (e.g. the oracle adapter's settlement delay
    ///      of up to 30 days): nobody may report-then-`markLate` in one transaction, before the borrower can pay.
    function test_review12b_lateRevenueReportMakesBorrowerLateAtOnce() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        uint256 due = deal.dueDate();
        vm.warp(due);
        _repay(deal, borrower, deal.dueToBeCurrent(1));
        vm.warp(due + GRACE + 1 days);
        _report(deal, 0, 100_000e18);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, due + GRACE + 1 days + GRACE));
        deal.markLate();
    }

    // ------------------------------------------------------------ edges of time

    /// @dev Activates a REVENUE_SHARE deal (`interval` [s]) and returns it with period 0's due date.
    function _rsDeal(uint256 interval) internal returns (GpuDeal deal, uint256 due0) {
        IGpuDeal.Terms memory t = _rsTerms();
        t.paymentInterval = uint32(interval);
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        due0 = deal.dueDate();
    }

    /// @dev At period 0's due date the borrower pays the minimum (all that is known); period 0 is reported `delay`
    ///      after it at 100,000 AID (60,000 due).
    function _minThenReport(uint256 delay) internal returns (GpuDeal deal, uint256 due0) {
        (deal, due0) = _rsDeal(INTERVAL);
        vm.warp(due0);
        _repay(deal, borrower, MIN);
        vm.warp(due0 + delay);
        _report(deal, 0, 100_000e18);
    }

    function _assertMarkLateAt(GpuDeal deal, uint256 lateAt) internal {
        uint256 snap = vm.snapshotState();
        vm.warp(lateAt);
        _assertLateAfter(deal, lateAt);
        vm.revertToState(snap);
    }

    /// @dev Reported exactly at the due date (the earliest the reporter accepts): the full due is known at the due
    ///      date, so a borrower that paid only the minimum is behind from the due date, LATE 15 days after it.
    function test_review12b_reportAtDueDate_fullDueFromDueDate() public {
        (GpuDeal deal, uint256 due0) = _minThenReport(0);
        assertEq(deal.dueDate(), due0);
        _assertMarkLateAt(deal, due0 + GRACE);
    }

    /// @dev The reporter refuses a report before the period ended (so before its due date).
    function test_review12b_reportBeforeDueDate_refused() public {
        (GpuDeal deal, uint256 due0) = _rsDeal(INTERVAL);
        vm.warp(due0 - 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueReporter.PeriodNotEnded.selector, address(deal), 0));
        vm.prank(reporterBot);
        revenueReporter.reportRevenue(address(deal), 0, 100_000e18);
    }

    /// @dev A source that knows a period before its due date: the full due is due at the due date (never earlier).
    function test_review12b_reportBeforeDueDate_sourceKnowsEarly_dueAtDueDate() public {
        TimedRevenueSource src = _timedSource();
        (GpuDeal deal, uint256 due0) = _rsDeal(INTERVAL);
        src.set(0, 100_000e18, due0 - 10 days);
        vm.warp(due0);
        _repay(deal, borrower, MIN);
        assertEq(deal.dueDate(), due0, "behind from the due date");
        assertEq(deal.markBps(), 0, "not past it yet");
        _assertMarkLateAt(deal, due0 + GRACE);
    }

    /// @dev Reported 1 s after the due date: the part above the minimum is due 1 s later.
    function test_review12b_reportOneSecondAfterDueDate() public {
        (GpuDeal deal, uint256 due0) = _minThenReport(1);
        assertEq(deal.dueDate(), due0 + 1);
        assertEq(deal.markBps(), 0);
        _assertMarkLateAt(deal, due0 + 1 + GRACE);
    }

    /// @dev Reported 29 days after the due date; the borrower pays the rest within the grace: never LATE, never
    ///      marked, current through period 1.
    function test_review12b_report29DaysAfter_paidWithinGrace_neverLate() public {
        (GpuDeal deal, uint256 due0) = _minThenReport(29 days);
        uint256 reportedAt = due0 + 29 days;
        assertEq(deal.dueDate(), reportedAt);
        vm.warp(reportedAt + GRACE);
        assertEq(deal.markBps(), WaterfallLib.markBps(GRACE), "marked from the report, not from the due date");
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, reportedAt + GRACE));
        deal.markLate();
        uint256 before = deal.trancheValue(SR);
        assertEq(before, deal.owed().seniorPrincipal + _netSeniorInterest(deal), "senior whole");
        _repay(deal, borrower, 50_000e18 + MIN); // the rest of period 0 and period 1's minimum (due at 30 days)
        assertEq(deal.periodsPaid(), 2);
        assertEq(deal.dueDate(), due0 + 2 * INTERVAL);
        assertEq(deal.markBps(), 0);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
    }

    /// @dev Reported more than `MAX_REPORT_LAG` late (a slow reporter or checkpoint): the rest counts as due 30 days
    ///      after the due date, not later (nobody can defer a due by delaying the report for longer).
    function test_review12b_reportAfterMaxLag_dueAtLag() public {
        (GpuDeal deal, uint256 due0) = _minThenReport(200 days);
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG);
    }

    /// @dev A borrower that never pays what the report added is LATE 15 days after the report, and may be defaulted
    ///      60 days after it.
    function test_review12b_neverPaysExtra_lateFromReport() public {
        (GpuDeal deal, uint256 due0) = _minThenReport(10 days);
        uint256 at = due0 + 10 days;
        _assertMarkLateAt(deal, at + GRACE);
        vm.warp(at + GRACE + 1);
        deal.markLate();
        vm.warp(at + 60 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.DefaultTooEarly.selector, at + 60 days));
        vm.prank(underwriter);
        deal.declareDefault();
        vm.warp(at + 60 days);
        vm.prank(underwriter);
        deal.declareDefault();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.DEFAULTED));
    }

    /// @dev A borrower that had not paid the minimum at the due date is behind from the due date, report or not.
    function test_review12b_unpaidMinimum_lateFromDueDate() public {
        (GpuDeal deal, uint256 due0) = _rsDeal(INTERVAL);
        vm.warp(due0 + 8 days);
        _report(deal, 0, 100_000e18);
        assertEq(deal.dueDate(), due0);
        assertEq(deal.markBps(), WaterfallLib.markBps(8 days));
        _assertMarkLateAt(deal, due0 + GRACE);
        // a partial payment that does not reach the minimum changes nothing
        _repay(deal, borrower, MIN - 1);
        assertEq(deal.dueDate(), due0);
    }

    /// @dev Weekly periods, the revenue of period 0 reported 25 days late (e.g. the oracle adapter's settlement delay):
    ///      the borrower paid every minimum on time, so the later minimums it paid are not eaten by period 0's higher
    ///      due: it is behind from the report, not from period 2's due date.
    function test_review12b_lateReportOfEarlierPeriod_laterMinimumsPaid_behindFromReport() public {
        (GpuDeal deal, uint256 due0) = _rsDeal(7 days);
        for (uint256 p; p < 4; ++p) {
            vm.warp(due0 + p * 7 days);
            _repay(deal, borrower, MIN);
        }
        vm.warp(due0 + 25 days);
        _report(deal, 0, 50_000e18); // 30,000 due: 20,000 above the minimum
        assertEq(deal.periodsPaid(), 2, "cumulative: periods 0 and 1 covered");
        assertEq(deal.dueDate(), due0 + 25 days, "behind from the report");
        assertEq(deal.markBps(), 0);
        vm.warp(due0 + 27 days);
        _repay(deal, borrower, 20_000e18);
        assertEq(deal.dueDate(), due0 + 4 * 7 days, "current through period 4");
    }

    /// @dev Adversarial: a reporter that never reports leaves only the minimum due (as before: the borrower paying it
    ///      is never late); one that reports late defers the part above it by at most `MAX_REPORT_LAG` for the due
    ///      date and marks; LATE opens 15 days after the report (review 12d-A: before, at once).
    function test_review12b_reporterDelay_boundedDeferral() public {
        (GpuDeal deal, uint256 due0) = _rsDeal(INTERVAL);
        for (uint256 p; p < 6; ++p) {
            vm.warp(due0 + p * INTERVAL);
            _repay(deal, borrower, MIN);
        }
        assertEq(deal.dueDate(), due0 + 6 * INTERVAL, "never reported: the minimums are all that is due");
        _report(deal, 0, 100_000e18); // 150 days late
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "deferred 30 days at most");
        assertEq(deal.markBps(), WaterfallLib.markBps(5 * INTERVAL - ScheduleLib.MAX_REPORT_LAG));
        // review 12d-A: LATE only 15 days after the report (the borrower could not pay the amount before it was known)
        uint256 lateAt = block.timestamp + WaterfallLib.GRACE;
        _assertLateAfter(deal, lateAt);
    }

    /// @dev A source answering a report time in the future: the period counts as reported at once and its share falls
    ///      due at that time (capped at the lag like any late report), the same answer before and after it passes
    ///      (review 12g; review 12f-F3 had read it as not reported until then, which a source that keeps its report
    ///      time ahead could use to keep the share off the schedule forever).
    function test_review12b_futureReportTime_noDeferral() public {
        TimedRevenueSource src = _timedSource();
        (GpuDeal deal, uint256 due0) = _rsDeal(INTERVAL);
        vm.warp(due0);
        _repay(deal, borrower, MIN);
        vm.warp(due0 + 5 days);
        src.set(0, 100_000e18, due0 + 20 days);
        (, bool reported, bool ok) = deal.revenueRead(0);
        assertTrue(ok);
        assertTrue(reported, "a future report time still reads as reported");
        assertEq(deal.periodsPaid(), 0, "period 0 at its full due: not covered");
        assertEq(deal.dueDate(), due0 + 20 days, "behind from the report time (still ahead)");
        assertEq(deal.markBps(), 0, "not marked before it");
        vm.warp(due0 + 20 days + 1);
        (, reported,) = deal.revenueRead(0);
        assertTrue(reported);
        assertEq(deal.dueDate(), due0 + 20 days, "behind from the report time once it has passed");
    }

    /// @dev The cached prefix (`syncSchedule`) never changes the answer: a covered, reported period whose higher due
    ///      falls due after the next due date is not cached while the time judged may come before it.
    function test_review12b_syncScheduleDoesNotMoveDueDate() public {
        (GpuDeal deal, uint256 due0) = _rsDeal(7 days);
        vm.warp(due0);
        _repay(deal, borrower, MIN);
        vm.warp(due0 + 7 days);
        _repay(deal, borrower, MIN);
        vm.warp(due0 + 13 days);
        _report(deal, 0, 30_000e18); // 18,000 due: 8,000 above the minimum, due from now
        assertEq(deal.periodsPaid(), 1);
        assertEq(deal.dueDate(), due0 + 13 days, "behind from the report");
        deal.syncSchedule();
        assertEq(deal.dueDate(), due0 + 13 days, "the cache does not move it");
        vm.warp(due0 + 20 days);
        deal.syncSchedule();
        assertEq(deal.dueDate(), due0 + 13 days);
        assertEq(deal.markBps(), WaterfallLib.markBps(7 days));
    }

    /// @dev Fuzz: period 0 reported `delay` after its due date, the borrower (who paid the minimum at the due date)
    ///      pays the rest `payAfter` after the report. It is behind from min(report, due date + 30 days), marked from
    ///      then only, LATE only past the grace from then, and cured by the payment within the grace.
    function testFuzz_review12b_reportDelayAndPaymentTime(uint256 delay, uint256 payAfter) public {
        delay = bound(delay, 0, 60 days);
        payAfter = bound(payAfter, 0, 40 days);
        (GpuDeal deal, uint256 due0) = _minThenReport(delay);
        uint256 behind = due0 + (delay < ScheduleLib.MAX_REPORT_LAG ? delay : ScheduleLib.MAX_REPORT_LAG);
        assertEq(deal.dueDate(), behind);
        assertEq(deal.markBps(), block.timestamp > behind ? WaterfallLib.markBps(block.timestamp - behind) : 0);
        vm.warp(block.timestamp + payAfter);
        bool late = block.timestamp > behind + GRACE;
        if (late) {
            deal.markLate();
        } else {
            vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, behind + GRACE));
            deal.markLate();
        }
        uint256 elapsed = (block.timestamp - deal.activatedAt()) / INTERVAL;
        _repay(deal, borrower, deal.dueToBeCurrent(elapsed));
        assertEq(deal.periodsPaid(), elapsed);
        assertGt(deal.dueDate(), block.timestamp, "current again");
        assertEq(deal.markBps(), 0);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE), "cured (or never LATE)");
    }

    function _netSeniorInterest(GpuDeal deal) internal view returns (uint256) {
        uint256 si = deal.owed().seniorInterest;
        return si - WaterfallLib.performanceFee(si);
    }

    function _timedSource() internal returns (TimedRevenueSource src) {
        src = new TimedRevenueSource();
        vm.prank(dealAdmin);
        dealFactory.setRevenueReporter(address(src));
    }
}

/// @notice A revenue source whose report times the test sets freely.
contract TimedRevenueSource is IRevenueSource {
    struct Figure {
        uint256 revenue;
        uint256 at;
    }

    mapping(uint256 period => Figure) internal _figures;

    function set(uint256 period, uint256 revenue, uint256 at) external {
        _figures[period] = Figure(revenue, at);
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        Figure memory f = _figures[period];
        return (f.revenue, f.at != 0, f.at);
    }
}
