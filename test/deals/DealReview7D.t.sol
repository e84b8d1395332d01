// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IRevenueSource} from "../../src/interfaces/IRevenueSource.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {TimedRevenueSource} from "./DealReview12c.t.sol";
import {DealReview12dBase} from "./DealReview12d.t.sol";

/// @notice A hostile source: any answer per period, changed at will (the tests keep an answer fixed once the deal may
///         cache it).
contract HostileRevenueSource is IRevenueSource {
    struct Answer {
        uint256 revenue;
        bool reported;
        uint256 at;
        bool moving; // answer `at` = block.timestamp + `at` (a report time always ahead)
    }

    mapping(uint256 period => Answer) public answers;

    function set(uint256 period, uint256 revenue, bool reported, uint256 at, bool moving) external {
        answers[period] = Answer(revenue, reported, at, moving);
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        Answer memory a = answers[period];
        return (a.revenue, a.reported, a.moving ? block.timestamp + a.at : a.at);
    }
}

/// @notice Fresh-eyes review (session 7) of review 12g (s7-deal): a report time in the future counts as reported, its
///         share due at min(report time, due date + lag); the cached prefix skips a share still ahead; `graceFrom()`.
contract DealReview7DTest is DealReview12dBase {
    uint256 internal constant BOUND = 30_000_000 / 20; // [gas] as DealReview12f

    // ------------------------------------------------------------ finding 7dA (Info, issue 12)

    /// @dev Info: with a share whose report time is still ahead, `graceFrom()` (and `dueDate()` for the 30-day lag)
    ///      answered that time even when it lies after the next due date, whose minimum the borrower has not paid: it
    ///      skipped the next due date, so a borrower that owes MORE (deal `a`: period 0 reported, report time 50 days
    ///      after its due date) showed a LATER grace date than the same borrower owing less (deal `b`: not reported),
    ///      and with no payment and no new answer the grace date then jumped 20 days earlier. On-chain decisions
    ///      (`markLate`, the cure, `declareDefault`, `markBps`) are re-evaluated at their block and stayed right; the
    ///      view / `NotLate` value a keeper schedules on was wrong.
    function test_review7dA_futureShareGraceFromSkipsNextDueDate() public {
        TimedRevenueSource srcA = new TimedRevenueSource();
        GpuDeal a = _deal(TENOR, INTERVAL, address(srcA));
        GpuDeal b = _deal(TENOR, INTERVAL, address(new TimedRevenueSource()));
        uint256 due0 = a.dueDate();
        assertEq(b.dueDate(), due0);
        vm.warp(due0);
        _repay(a, borrower, MIN);
        _repay(b, borrower, MIN);
        vm.warp(due0 + 1 days);
        srcA.set(0, 200_000e18, due0 + 50 days); // 120,000 due: 110,000 above the minimum, from day 50
        uint256 nextDue = due0 + INTERVAL; // period 1's minimum: unpaid by both
        assertEq(b.graceFrom(), nextDue, "b: the next due date");
        uint256 promised = a.graceFrom();
        // keepers told: LATE from promised + 15 days; without any payment or new answer it came 20 days sooner
        vm.warp(nextDue + 1);
        assertEq(a.graceFrom(), nextDue, "a at period 1's due date: behind for its minimum");
        // on-chain it is right: LATE after nextDue + 15 days
        vm.warp(nextDue + GRACE + 1);
        a.markLate();
        assertEq(uint256(a.state()), uint256(IGpuDeal.State.LATE));
        // the view: owing more must never show a later grace date than owing less
        assertLe(promised, nextDue, "graceFrom skipped the next due date (owing more shows later)");
    }

    /// @dev Fuzz (7dA): random interval, periods 0-3 reported or not with report times up to 250 days after their due
    ///      dates (ahead of the observation or not), the borrower paying any amount up front (paying early covers
    ///      minimums ahead). At a random time: `graceFrom()` is never after the due date of the first minimum the payment
    ///      does not cover (nor after maturity), `dueDate()` (30-day lag) never after that bound either; once behind,
    ///      `markLate` decides exactly on it: `NotLate(graceFrom + 15 days)` up to that time, LATE one second later
    ///      (current through every elapsed period: the next due date).
    function testFuzz_review7dA_graceFromNotAfterNextUnpaidDueDate(
        uint256 seed,
        uint256 interval,
        uint256 pay,
        uint256 obs
    ) public {
        TimedRevenueSource src = new TimedRevenueSource();
        interval = bound(interval, 3 days, 60 days);
        GpuDeal a = _deal(TENOR, interval, address(src));
        uint256 start = a.activatedAt();
        for (uint256 p; p < 4; ++p) {
            uint256 h = uint256(keccak256(abi.encode(seed, p)));
            if (h % 5 == 0) continue; // unreported: the minimum
            uint256 due = start + (p + 1) * interval;
            src.set(p, (h >> 8) % 6 * 40_000e18, due - 1 days + (h >> 16) % 251 days);
        }
        pay = bound(pay, 0, 12 * MIN + 200_000e18);
        if (pay > 0) _repay(a, borrower, pay);
        vm.warp(start + interval + bound(obs, 0, 120 days));
        uint256 g = a.graceFrom();
        uint256 k = a.periodsPaid();
        uint256 end = (block.timestamp - start) / interval;
        if (end > a.periodCount() - 1) end = a.periodCount() - 1;
        if (k == end) {
            // current through every elapsed period: the next due date (a payment ahead is judged only once due)
            uint256 next = start + (k + 1) * interval;
            assertEq(g, next < a.maturity() ? next : a.maturity(), "current: the next due date");
            return;
        }
        // the first minimum the payment does not cover (cumulative minimums, whatever the shares)
        uint256 nextUnpaid = start + (pay / MIN + 1) * interval;
        if (nextUnpaid > a.maturity()) nextUnpaid = a.maturity();
        assertLe(g, nextUnpaid, "graceFrom after the next unpaid due date");
        assertLe(a.dueDate(), nextUnpaid, "dueDate after the next unpaid due date");
        uint256 lateAt = g + GRACE;
        if (lateAt >= block.timestamp) {
            vm.warp(lateAt);
            _assertLateAfter(a, lateAt);
        } else {
            a.markLate();
            assertEq(uint256(a.state()), uint256(IGpuDeal.State.LATE), "LATE from graceFrom + grace");
        }
    }

    // ------------------------------------------------------------ held: cache vs fresh under a hostile source

    /// @dev Whether the deal may have cached period p's answer (reported, share time ≤ now for the 180-day lag): the
    ///      hostile source below keeps such an answer fixed and changes any other at will.
    function _settled(HostileRevenueSource src, uint256 due, uint256 p) internal view returns (bool) {
        (, bool reported, uint256 at, bool moving) = src.answers(p);
        if (!reported) return false;
        uint256 t = moving ? block.timestamp + at : at;
        uint256 cap = due + ScheduleLib.MAX_LATE_REPORT_LAG;
        return (t < cap ? t : cap) <= block.timestamp;
    }

    /// @dev Fuzz (held): weekly periods; at random days a hostile source reports / un-reports / re-prices each period
    ///      not yet settled, with a report time in the past (backdated), fixed ahead, or always ahead (moving); the
    ///      borrower pays random amounts into deal `a` and anyone syncs it. At every step `syncSchedule` does not change
    ///      `a`'s answers, a fresh deal `b` paid the same in one payment now answers the same (the cache never holds
    ///      what later moves), and the grace date is never before the marks' due date. Kills the mutant without
    ///      `q.extraAt <= block.timestamp` in `ScheduleLib.coverage` (fixed report times ahead within a week).
    function testFuzz_review7dB_hostileSourceCacheMatchesFresh(uint256 seed) public {
        HostileRevenueSource src = new HostileRevenueSource();
        GpuDeal a = _deal(TENOR, WEEK, address(src));
        GpuDeal b = _deal(TENOR, WEEK, address(src));
        uint256 start = a.activatedAt();
        assertEq(b.activatedAt(), start);
        uint256 t = start;
        for (uint256 step; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            t += 1 days + (r % 12) * 1 days;
            vm.warp(t);
            uint256 elapsed = (t - start) / WEEK;
            for (uint256 p; p < elapsed && p < 51; ++p) {
                uint256 due = start + (p + 1) * WEEK;
                if (_settled(src, due, p)) continue;
                uint256 q = uint256(keccak256(abi.encode(r, p)));
                uint256 action = q % 5;
                uint256 revenue = ((q >> 8) % 5) * 10_000e18;
                if (action == 1) {
                    src.set(p, revenue, true, t + 1 + (q >> 16) % ((q >> 12) % 2 == 0 ? 8 days : 250 days), false); // fixed, ahead
                } else if (action == 2) {
                    src.set(p, revenue, true, 1 + (q >> 16) % 200 days, true); // always ahead
                } else if (action == 3) {
                    uint256 lo = due > 10 days ? due - 10 days : 0;
                    src.set(p, revenue, true, lo + (q >> 16) % (t - lo + 1), false); // past (backdated)
                } else if (action == 4) {
                    src.set(p, 0, false, 0, false); // un-reported
                }
            }
            if ((r >> 64) % 3 == 0) _repay(a, borrower, ((r >> 72) % 5) * 10_000e18 + 1);
            _checkSame(a, b);
            if ((r >> 80) % 2 == 0) {
                (uint256 d, uint256 g, uint256 k) = (a.dueDate(), a.graceFrom(), a.periodsPaid());
                a.syncSchedule();
                assertEq(a.dueDate(), d, "sync: marks");
                assertEq(a.graceFrom(), g, "sync: grace");
                assertEq(a.periodsPaid(), k, "sync: coverage");
            }
        }
    }

    function _checkSame(GpuDeal a, GpuDeal b) internal {
        uint256 snap = vm.snapshotState();
        uint256 paid = a.totalRepaid();
        if (paid > 0) _repay(b, borrower, paid);
        assertEq(a.periodsPaid(), b.periodsPaid(), "coverage");
        assertEq(a.dueDate(), b.dueDate(), "marks: cached vs fresh");
        assertEq(a.graceFrom(), b.graceFrom(), "grace: cached vs fresh");
        assertEq(a.markBps(), b.markBps(), "markBps");
        assertGe(a.graceFrom(), a.dueDate(), "grace never before the marks' due date");
        vm.revertToState(snap);
    }

    // ------------------------------------------------------------ held: gas with every report time ahead

    /// @dev Gas (held): the 12e fixture (156 periods of ~13.85 h), a source answering every period reported with a
    ///      report time a day ahead at every read (the cache cannot pass period 0 before day 180, beyond maturity), the
    ///      borrower paying every minimum and most shares: `graceFrom` (= `markLate`'s walk) and `trancheValue` walk
    ///      every period with all shares pending in the heap. Compared with the same source answering "reported just
    ///      now" (possible before the fix, the same walk length): the fix adds no gas path of its own. Absolute numbers
    ///      depend on the source's own cost per read (a hostile source may burn `READ_GAS` per read in any case).
    function test_review7dC_gas_everyReportTimeAhead() public {
        (uint256 graceAhead, uint256 valueAhead) = _gasWalk(1 days);
        (uint256 graceNow, uint256 valueNow) = _gasWalk(0);
        emit log_named_uint("graceFrom gas (cold), report time a day ahead", graceAhead);
        emit log_named_uint("graceFrom gas (cold), report time now", graceNow);
        emit log_named_uint("trancheValue gas (cold), report time a day ahead", valueAhead);
        emit log_named_uint("trancheValue gas (cold), report time now", valueNow);
        assertLt(graceAhead, graceNow * 11 / 10, "graceFrom: no regression of the fix");
        assertLt(valueAhead, valueNow * 11 / 10, "trancheValue: no regression of the fix");
    }

    function _gasWalk(uint256 ahead) internal returns (uint256 grace, uint256 value) {
        uint256 snap = vm.snapshotState();
        HostileRevenueSource src = new HostileRevenueSource();
        uint256 tenor = 90 days;
        uint256 interval = (tenor + 155) / 156;
        GpuDeal deal = _deal(tenor, interval, address(src), 1000e18);
        uint256 start = deal.activatedAt();
        for (uint256 p; p < 155; ++p) {
            src.set(p, 2000e18, true, ahead, true); // 1,200 due: 200 above the minimum, reported `ahead` from any read
        }
        vm.warp(start + 85 days); // 147 periods elapsed
        _repay(deal, borrower, 147 * 1000e18 + 120 * 200e18);
        vm.warp(start + 86 days);
        vm.cool(address(deal));
        vm.cool(address(src));
        uint256 g = gasleft();
        deal.graceFrom();
        grace = g - gasleft();
        vm.cool(address(deal));
        vm.cool(address(src));
        g = gasleft();
        deal.trancheValue(JR);
        value = g - gasleft();
        vm.revertToState(snap);
    }
}
