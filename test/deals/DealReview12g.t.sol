// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IRevenueSource} from "../../src/interfaces/IRevenueSource.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {TimedRevenueSource} from "./DealReview12c.t.sol";
import {DealReview12dBase} from "./DealReview12d.t.sol";

/// @notice A source that reports a period (revenue known, `reported` true) but always answers a report time `offset`
///         in the future (a buggy or hostile oracle adapter).
contract FutureReportTimeSource is IRevenueSource {
    mapping(uint256 period => uint256) public revenue;
    uint256 public offset; // [s]

    function set(uint256 period, uint256 amount, uint256 offset_) external {
        revenue[period] = amount;
        offset = offset_;
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        uint256 r = revenue[period];
        return (r, r != 0, r != 0 ? block.timestamp + offset : 0);
    }
}

/// @notice Review 12g (Low): a report time in the future read as "not reported" (review 12f-F3), so a source that
///         keeps `reportedAt` ahead of `block.timestamp` kept the period's share above the minimum off the schedule
///         forever. Now a reported period counts as reported whatever its report time; the share falls due at
///         max(due date, min(report time, due date + lag)), i.e. by due date + lag at the latest; the cached prefix
///         takes a period only once that time has passed.
contract DealReview12gTest is DealReview12dBase {
    uint256 internal constant REVENUE = 200_000e18; // [wad] period 0's revenue: due 120,000, 110,000 above the minimum
    uint256 internal constant DUE0 = 120_000e18; // [wad]

    /// @dev The borrower pays every minimum at its due date through day 180 after period 0's due date; period 0 is
    ///      reported "tomorrow" at every read. Its share must fall due 30 days (marks) / 180 days (LATE) after the
    ///      due date at the latest, never later.
    function test_review12g_futureReportTimeKeepsShareOffScheduleForever() public {
        FutureReportTimeSource src = new FutureReportTimeSource();
        GpuDeal deal = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = deal.dueDate();
        src.set(0, REVENUE, 1 days);
        for (uint256 p; p <= ScheduleLib.MAX_LATE_REPORT_LAG / INTERVAL; ++p) {
            vm.warp(due0 + p * INTERVAL);
            _repay(deal, borrower, MIN);
        }
        assertEq(
            deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "marks: the share is due 30 days after the due date"
        );
        assertEq(deal.markBps(), WaterfallLib.markBps(block.timestamp - due0 - ScheduleLib.MAX_REPORT_LAG), "marks");
        (uint256 due, bool reported) = deal.periodPayment(0);
        assertTrue(reported, "reported");
        assertEq(due, DUE0);
        assertEq(deal.periodsPaid(), 0, "period 0 is not covered");
        // LATE: the share is enforced 180 days after the due date at the latest
        uint256 lateAt = due0 + ScheduleLib.MAX_LATE_REPORT_LAG + GRACE;
        vm.warp(lateAt);
        _assertLateAfter(deal, lateAt);
    }

    /// @dev Info: `graceFrom()` shows keepers the grace date they otherwise learnt only from `NotLate` /
    ///      `DefaultTooEarly`: 0 before activation, `dueDate` for FIXED, the 180-day walk for REVENUE_SHARE.
    function test_review12g_graceFromView() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal funding = _create(t);
        assertEq(funding.graceFrom(), 0, "before activation");
        GpuDeal fixedDeal = _activeDeal();
        assertEq(fixedDeal.graceFrom(), fixedDeal.dueDate(), "FIXED: the due date");
        FutureReportTimeSource src = new FutureReportTimeSource();
        GpuDeal deal = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = deal.dueDate();
        assertEq(deal.graceFrom(), due0, "current: the next due date");
        src.set(0, REVENUE, 1 days);
        for (uint256 p; p <= 3; ++p) {
            vm.warp(due0 + p * INTERVAL);
            _repay(deal, borrower, MIN);
        }
        vm.warp(due0 + 100 days);
        // every minimum paid: LATE from the share, due with the report time (a day ahead at every read, bounded)
        assertEq(deal.graceFrom(), due0 + 101 days, "REVENUE_SHARE: from the report time");
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "marks: the 30-day bound");
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, due0 + 101 days + GRACE));
        deal.markLate();
        // period 4's minimum (due at day 120) is not paid: behind from its due date
        vm.warp(due0 + 150 days);
        uint256 graceFrom = deal.graceFrom();
        assertEq(graceFrom, due0 + 4 * INTERVAL, "behind for period 4's minimum");
        deal.markLate();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.DefaultTooEarly.selector, graceFrom + 60 days));
        vm.prank(underwriter);
        deal.declareDefault();
    }

    /// @dev Fuzz: a report time always `offset` (1 s .. 10 years) ahead; the borrower has paid every elapsed minimum.
    ///      The share falls due at min(now + offset, due date + lag): by due date + lag (marks 30 d, LATE 180 d); the
    ///      borrower is behind from then, or from the next due date if that comes first (review 7dA).
    function testFuzz_review12g_movingFutureReportTime_dueByLag(uint256 offset, uint256 at) public {
        offset = bound(offset, 1, 10 * 365 days);
        FutureReportTimeSource src = new FutureReportTimeSource();
        GpuDeal deal = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = deal.dueDate();
        src.set(0, REVENUE, offset);
        at = bound(at, due0, due0 + 300 days); // before maturity (due0 + 335 days)
        vm.warp(at);
        _repay(deal, borrower, (at - deal.activatedAt()) / INTERVAL * MIN);
        // period `end`'s minimum is unpaid: due by its due date whatever the share (review 7dA)
        uint256 next = deal.activatedAt() + ((at - deal.activatedAt()) / INTERVAL + 1) * INTERVAL;
        uint256 markFrom = _min(_min(at + offset, due0 + ScheduleLib.MAX_REPORT_LAG), next);
        uint256 graceFrom = _min(_min(at + offset, due0 + ScheduleLib.MAX_LATE_REPORT_LAG), next);
        assertEq(deal.dueDate(), markFrom, "marks");
        assertLe(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "marks: due by the due date + 30 days");
        assertEq(deal.markBps(), at > markFrom ? WaterfallLib.markBps(at - markFrom) : 0);
        _assertGraceFrom(deal, graceFrom);
    }

    /// @dev The cached prefix must not take a share whose report time is still ahead: that time may yet move. Period
    ///      0 is answered with a report time 9 days ahead, before period 1's due date; the borrower pays its full due
    ///      and syncs (deal `a`); the source then moves the report time to 100 days after the due date while it is still
    ///      ahead. Deal `b`, paid the same once that time has passed, must judge the same (what `a` cached as due by
    ///      period 1's due date is due only from day 100 for the LATE grace).
    function test_review12g_cacheSkipsShareWhoseReportTimeIsAhead() public {
        TimedRevenueSource src = new TimedRevenueSource();
        GpuDeal a = _deal(TENOR, INTERVAL, address(src));
        GpuDeal b = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = a.dueDate();
        vm.warp(due0 + 1 days);
        src.set(0, REVENUE, due0 + 10 days);
        _repay(a, borrower, DUE0);
        a.syncSchedule();
        vm.warp(due0 + 5 days);
        src.set(0, REVENUE, due0 + 100 days); // still ahead: the hostile source moves it
        vm.warp(due0 + 100 days + 1);
        _repay(b, borrower, DUE0);
        assertEq(a.dueDate(), b.dueDate(), "marks");
        assertEq(b.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG, "marks: the 30-day bound");
        _assertGraceFrom(a, due0 + 100 days);
        _assertGraceFrom(b, due0 + 100 days);
    }

    /// @dev Fuzz: a fixed report time from 10 days before the due date to 200 days (+ two intervals) after it, which a
    ///      hostile source may move (odd `moveTo`) at `moveAt` while it is still ahead; the borrower pays period 0's
    ///      due in full (then nothing) at `payAt` (deal `a`, which also syncs its cached prefix) or at `at` (deal `b`).
    ///      At `at`, both deals' due date and grace date equal the brute force with the share due at max(due date,
    ///      min(report time, due date + lag)), whether the report time is past or still ahead.
    function testFuzz_review12g_reportTimeClampedAndCacheStable(
        uint256 interval,
        uint256 reportOffset,
        uint256 payAt,
        uint256 moveAt,
        uint256 at,
        uint256 moveTo
    ) public {
        interval = bound(interval, 3 days, 182 days);
        TimedRevenueSource src = new TimedRevenueSource();
        GpuDeal a = _deal(TENOR, interval, address(src));
        GpuDeal b = _deal(TENOR, interval, address(src));
        uint256 due0 = a.dueDate();
        uint256 reportedAt = due0 - 10 days + bound(reportOffset, 0, 2 * interval + 210 days);
        src.set(0, REVENUE, reportedAt);
        at = bound(at, due0, a.maturity() + 30 days);
        payAt = bound(payAt, due0, _min(at, due0 + 2 * interval));
        vm.warp(payAt);
        _repay(a, borrower, DUE0);
        a.syncSchedule();
        vm.warp(bound(moveAt, payAt, at));
        if (moveTo % 2 == 1 && reportedAt > block.timestamp) {
            reportedAt = block.timestamp + bound(moveTo, 1, 10 * 365 days); // still ahead
            src.set(0, REVENUE, reportedAt);
        }
        vm.warp(at);
        _repay(b, borrower, DUE0);
        uint256 markFrom = _modelBehind(a, reportedAt, ScheduleLib.MAX_REPORT_LAG);
        uint256 graceFrom = _modelBehind(a, reportedAt, ScheduleLib.MAX_LATE_REPORT_LAG);
        assertEq(a.dueDate(), markFrom, "cached: marks");
        assertEq(b.dueDate(), markFrom, "fresh: marks");
        _assertGraceFrom(a, graceFrom);
        _assertGraceFrom(b, graceFrom);
    }

    /// @dev Brute force for `testFuzz_review12g_reportTimeClampedAndCacheStable` (paid: period 0's due): current
    ///      through every elapsed period, the next due date; else the earliest time among the due dates (elapsed or
    ///      not) and period 0's share time at which what fell due exceeds it; at most maturity.
    function _modelBehind(GpuDeal deal, uint256 reportedAt, uint256 lag) internal view returns (uint256 best) {
        uint256 start = deal.activatedAt();
        uint256 interval = deal.terms().paymentInterval;
        uint256 end = (block.timestamp - start) / interval;
        if (end > deal.periodCount() - 1) end = deal.periodCount() - 1;
        uint256 due0 = start + interval;
        uint256 shareAt = reportedAt < due0 ? due0 : _min(reportedAt, due0 + lag);
        best = type(uint256).max;
        if (end < 2) {
            best = start + (end + 1) * interval; // period 0 paid, period 1 not elapsed: current, the next due date
        } else {
            // behind for period 1: the due dates ahead count too (review 7dA); by the 13th the minimums alone exceed
            // what was paid
            for (uint256 c; c <= DUE0 / MIN + 1; ++c) {
                uint256 t = c <= DUE0 / MIN ? start + (c + 1) * interval : shareAt;
                uint256 fallen = (t >= shareAt ? DUE0 - MIN : 0) + (t - start) / interval * MIN;
                if (fallen > DUE0 && t < best) best = t;
            }
        }
        best = _min(best, deal.maturity());
    }

    /// @dev `markLate` opens exactly `GRACE` after `graceFrom` (probed on a snapshot).
    function _assertGraceFrom(GpuDeal deal, uint256 graceFrom) internal {
        assertEq(deal.graceFrom(), graceFrom, "graceFrom view");
        uint256 snap = vm.snapshotState();
        if (block.timestamp > graceFrom + GRACE) {
            deal.markLate();
            assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        } else {
            vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, graceFrom + GRACE));
            deal.markLate();
        }
        vm.revertToState(snap);
    }

    function _min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x < y ? x : y;
    }
}
