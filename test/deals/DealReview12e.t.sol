// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealReview12dBase, MovingReportTimeSource} from "./DealReview12d.t.sol";

/// @notice Review 12d, finding A (Medium): a revenue report later than `MAX_REPORT_LAG` + the 15-day grace made a
///         borrower that had paid everything known LATE in the block of the report (and defaultable at once when the
///         report came ≥ 90 days late): the 30-day cap backdated what the report added. Decision: what a report adds
///         falls due for the LATE grace and the default timer only from the report (at most `MAX_LATE_REPORT_LAG`
///         after the period's due date, so a source that moves its report times cannot hold them off longer), while
///         the due date and marks keep the 30-day cap (NAV stays conservative).
contract DealReview12eTest is DealReview12dBase {
    uint256 internal constant DEFAULT_AFTER = 60 days; // [s]
    uint256 internal constant REVENUE = 100_000e18; // [wad] period 0's revenue: due 60,000, 50,000 above the minimum
    uint256 internal constant EXTRA = 50_000e18; // [wad]

    /// @dev An RS deal on the real reporter (30-day periods); the borrower pays the minimum at each due date up to and
    ///      including `until`. Returns the deal and period 0's due date.
    function _currentDeal(uint256 until) internal returns (GpuDeal deal, uint256 due0) {
        deal = _deal(TENOR, INTERVAL, address(revenueReporter));
        due0 = deal.dueDate();
        for (uint256 p; due0 + p * INTERVAL <= until; ++p) {
            vm.warp(due0 + p * INTERVAL);
            _repay(deal, borrower, MIN);
        }
    }

    /// @dev The 12d open test (name kept): the report 100 days late must not make the current borrower LATE at once;
    ///      marks run from the capped time (what the report adds is counted 30 days after the due date).
    function test_review12c_reportBeyondLagDefaultsCurrentBorrowerAtOnce() public {
        (GpuDeal deal, uint256 due0) = _currentDeal(due0Of() + 3 * INTERVAL);
        vm.warp(due0 + 100 days);
        assertGt(deal.dueDate(), block.timestamp, "current before the report");
        assertEq(deal.markBps(), 0);
        _report(deal, 0, REVENUE); // the slow (trusted) reporter attests period 0, 100 days late
        // the borrower has had no chance to pay what the report added: it must not be LATE at once
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, block.timestamp + GRACE));
        deal.markLate();
        // marks stay conservative: the due date counts the report 30 days late
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "due date: capped");
        assertEq(deal.markBps(), WaterfallLib.markBps(block.timestamp - due0 - ScheduleLib.MAX_REPORT_LAG), "marks");
    }

    /// @dev Period 0's due date of a deal created now (activation at funding, same block).
    function due0Of() internal view returns (uint256) {
        return block.timestamp + INTERVAL;
    }

    /// @dev The default timer runs from the report too: not before report + 60 days, then it may be declared.
    function test_review12d_reportBeyondLag_defaultOnlySixtyDaysAfterReport() public {
        (GpuDeal deal, uint256 due0) = _currentDeal(due0Of() + 3 * INTERVAL);
        uint256 reportAt = due0 + 100 days;
        vm.warp(reportAt);
        _report(deal, 0, REVENUE);
        vm.warp(reportAt + GRACE + 1);
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        vm.prank(underwriter);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.DefaultTooEarly.selector, reportAt + DEFAULT_AFTER));
        deal.declareDefault();
        vm.warp(reportAt + DEFAULT_AFTER);
        vm.prank(underwriter);
        deal.declareDefault();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.DEFAULTED));
    }

    /// @dev A source that claims every report was made "now" defers the LATE grace of what it adds by
    ///      `MAX_LATE_REPORT_LAG` at most, for a borrower that pays every minimum on time.
    function test_review12d_movingReportTime_lateDeferralBounded() public {
        MovingReportTimeSource src = new MovingReportTimeSource();
        GpuDeal deal = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = deal.dueDate();
        src.set(0, 2 * REVENUE); // due 120,000: 110,000 above the minimum
        uint256 lateAt = due0 + ScheduleLib.MAX_LATE_REPORT_LAG + GRACE;
        for (uint256 p; due0 + p * INTERVAL <= lateAt; ++p) {
            vm.warp(due0 + p * INTERVAL);
            _repay(deal, borrower, MIN);
        }
        vm.warp(lateAt);
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "marks: capped at 30 days");
        _assertLateAfter(deal, lateAt);
    }

    /// @dev Fuzz: period 0 reported `lag` ∈ [29 d, 120 d] after its due date; the borrower paid every minimum at its
    ///      due date through the report. mode 0: it pays nothing more: LATE opens exactly 15 days after the report
    ///      (never at once), default 60 days after it; marks run from min(lag, 30 d). mode 1: it pays what the report
    ///      added (and minimums ahead) within the grace: never LATE. mode 2: it had paid the report's amount before the
    ///      report (and minimums ahead): never behind, no mark.
    function testFuzz_review12d_lateReport_graceRunsFromReport(uint256 lag, uint256 mode, uint256 payDelay) public {
        lag = bound(lag, 29 days, 120 days);
        mode = bound(mode, 0, 2);
        payDelay = bound(payDelay, 0, GRACE);
        uint256 reportAt = due0Of() + lag;
        (GpuDeal deal, uint256 due0) = _currentDeal(reportAt);
        if (mode == 2) _repay(deal, borrower, EXTRA + 3 * MIN);
        vm.warp(reportAt);
        _report(deal, 0, REVENUE);
        uint256 markFrom = due0 + (lag < ScheduleLib.MAX_REPORT_LAG ? lag : ScheduleLib.MAX_REPORT_LAG);
        if (mode == 2) {
            assertGt(deal.dueDate(), block.timestamp, "paid ahead: current");
            assertEq(deal.markBps(), 0);
        } else {
            assertEq(deal.dueDate(), markFrom, "due date: the report counted at most 30 days late");
            assertEq(deal.markBps(), block.timestamp > markFrom ? WaterfallLib.markBps(block.timestamp - markFrom) : 0);
        }
        if (mode != 2) {
            vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, reportAt + GRACE));
            deal.markLate();
        }
        if (mode == 0) {
            vm.warp(reportAt + GRACE);
            vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, reportAt + GRACE));
            deal.markLate();
            vm.warp(reportAt + GRACE + 1);
            deal.markLate();
            vm.prank(underwriter);
            vm.expectRevert(abi.encodeWithSelector(IGpuDeal.DefaultTooEarly.selector, reportAt + DEFAULT_AFTER));
            deal.declareDefault();
            vm.warp(reportAt + DEFAULT_AFTER);
            vm.prank(underwriter);
            deal.declareDefault();
            assertEq(uint256(deal.state()), uint256(IGpuDeal.State.DEFAULTED));
            return;
        }
        if (mode == 1) {
            vm.warp(reportAt + payDelay);
            _repay(deal, borrower, EXTRA + 3 * MIN);
        }
        // covered: what fell due by any time up to 40 days on is paid, so never LATE
        vm.warp(reportAt + 40 days);
        assertGt(deal.dueDate(), block.timestamp, "covered");
        assertEq(deal.markBps(), 0, "no mark once paid");
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, deal.dueDate() + GRACE));
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
    }
}

/// @notice Review 12d, finding B (Low, gas): the due date of a REVENUE_SHARE deal walked every period since the cached
///         prefix twice (coverage, then again for the behind-since time); it now reads each once (`behindSince` keeps
///         what the coverage walk read in memory).
contract DealReview12eGasTest is DealReview12dBase {
    /// @dev The longest walk: the shortest interval (156 periods over the minimum tenor), period 0 never reported (the
    ///      cached prefix can never pass it), every other period reported 30 days late above the minimum, and the
    ///      borrower paid far ahead once and is behind only near the end. `trancheValue` (read by sAID for each of up to
    ///      20 positions) and `markLate` must stay well inside a block. With every period read twice (coverage, then
    ///      the due date walked again from the cached prefix) it took ~1.82M gas cold with a two-slot source; measured
    ///      before the fix: ~1.58M cold with the real `RevenueReporter` (coverage alone ~0.77M); bc93a72 (re-reading only
    ///      the periods within `MAX_REPORT_LAG` before the first uncovered one) ~1.27M; one walk now (logged below).
    function test_review12c_gas_longestWalkBounded() public {
        uint256 tenor = 90 days;
        uint256 interval = (tenor + 155) / 156;
        GpuDeal deal = _deal(tenor, interval, address(revenueReporter), 1000e18);
        assertEq(deal.periodCount(), 156);
        uint256 start = deal.activatedAt();
        uint256 nowAt = start + 150 * interval;
        _repay(deal, borrower, 1000e18 + 140 * 1200e18); // through period 140 in full (below)
        // every period but 0 reported at 2,000 (due 1,200: 200 above the 1,000 minimum), 30 days late (or now)
        for (uint256 p = 1; p < 150; ++p) {
            uint256 at = start + (p + 1) * interval + ScheduleLib.MAX_REPORT_LAG;
            vm.warp(at < nowAt ? at : nowAt);
            _report(deal, p, 2000e18);
        }
        vm.warp(nowAt);
        deal.syncSchedule();
        assertEq(deal.periodsPaid(), 141);
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        uint256 g = gasleft();
        deal.periodsPaid();
        emit log_named_uint("periodsPaid gas (coverage walk only, cold)", g - gasleft());
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        g = gasleft();
        deal.trancheValue(JR);
        uint256 used = g - gasleft();
        emit log_named_uint("trancheValue gas (cold)", used);
        // sAID reads up to 20 positions per deposit / unstake: 20 such reads must fit a 30M block
        assertLt(used, 30_000_000 / 20, "trancheValue: 20 positions fit a block");
        vm.warp(nowAt + 16 days); // past the grace after period 141's due date
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        g = gasleft();
        deal.markLate(); // the grace date walks with reports counted up to 180 days late
        used = g - gasleft();
        emit log_named_uint("markLate gas", used);
        assertLt(used, 30_000_000 / 20, "markLate");
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
    }
}
