// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RevenueReadLib} from "./RevenueReadLib.sol";
import {WaterfallLib} from "./WaterfallLib.sol";

/// @title ScheduleLib
/// @notice A GPU deal's payment schedule (§5 of the spec): which periods the borrower is current through, judged
///         lazily from amounts, never from when they were paid. FIXED: from what it has paid down against everything
///         accrued by a due date plus the principal scheduled by then. REVENUE_SHARE: from the cumulative amount due
///         against what the current borrower has paid since it took over. Runs in the deal's context (internal),
///         reading the deal's revenue source fail-safe (`RevenueReadLib`). Amounts AID [wad]; times [s].
library ScheduleLib {
    /// @notice A FIXED deal's schedule and its accrual state as of `last`.
    struct Fixed {
        uint256 activatedAt; // [s]
        uint256 maturity; // [s]
        uint256 interval; // [s] payment interval
        uint256 periods; // periodCount
        uint256 principal; // [wad] senior + junior
        bool amortising;
        uint256 seniorAprBps; // [bps]
        uint256 juniorAprBps; // [bps]
        WaterfallLib.Owed owed; // [wad] as of `last`
        uint256 accrued; // [wad] accruedTotal as of `last`
        uint256 last; // [s] lastAccrual
    }

    /// @notice The most a late revenue report defers the part of a period's due above the minimum payment past the
    ///         period's due date [s] (the oracle adapter's longest settlement delay): a report later than that counts
    ///         as made then, so neither a slow reporter nor a slow checkpoint can defer a due for longer.
    uint256 internal constant MAX_REPORT_LAG = 30 days; // [s]

    /// @notice The most a late revenue report defers the LATE grace and the default timer of what it adds past the
    ///         period's due date [s]: what a report adds falls due, for those, only from the report (a borrower cannot
    ///         pay an amount before it is known), bounded so that a source that keeps moving its report times (or a
    ///         reporter months late) cannot hold them off for longer. Marks keep `MAX_REPORT_LAG` (conservative NAV).
    uint256 internal constant MAX_LATE_REPORT_LAG = 180 days; // [s]

    /// @notice The current borrower's REVENUE_SHARE schedule.
    struct RevenueShare {
        address source; // the deal's IRevenueSource
        uint256 shareBps; // [bps] of reported revenue due per period
        uint256 minPayment; // [wad] due per period at least (and for an unreported period)
        uint256 capRoom; // [wad] principal × cap multiple − what was paid before the current borrower took over
        uint256 start; // [s] activation: period p falls due at start + (p + 1) × interval (all but the last)
        uint256 interval; // [s]
        uint256 failedAt; // the first period whose read failed (type(uint256).max: none): it and later periods are not
        // read again in this call (they count as unreported), so a failing source costs one capped read
        uint256 lag; // [s] the most a report is counted late: `MAX_REPORT_LAG` (marks) or `MAX_LATE_REPORT_LAG` (the
        // LATE grace and the default timer)
    }

    /// @notice One period as read: its due (capped cumulative, see `coverage`), the part above the minimum and when
    ///         that part falls due.
    struct Period {
        uint256 next; // [wad] the cumulative due through this period, capped at `capRoom`
        uint256 extra; // [wad] the period's due above the minimum (0 while not reported)
        uint256 extraAt; // [s] when `extra` falls due: max(due date, report time), at most `s.lag` after it (a report
        // time in the future too: a reported period's share falls due by its due date + `s.lag` whatever it answers)
        bool reported;
    }

    /// @notice Walks periods `from`, `from` + 1, … (< `end`) on top of `due`, the cumulative due of the current
    ///         borrower's periods before `from`, while `paid` (what it paid since it took over) covers the cumulative
    ///         due: each period's due is max(minimum, share × reported revenue), an unreported period (or a failed
    ///         read: after one failure later periods are not read) counts at the minimum, the sum is capped at
    ///         `capRoom`. Pass `paid` = type(uint256).max for the cumulative due through `end`.
    /// @return k The periods covered (≥ `from`; `end` at most).
    /// @return dueK The cumulative due through period k − 1 [wad].
    /// @return prefix The end of the covered run whose periods were all reported and whose dues all fell due by now
    ///         and by the due date of period `prefix` (≤ k): reports are final, so its cumulative due never changes
    ///         again and, from that due date on, all of it is due: a deal may cache it (`behindSince` needs no more of
    ///         it). A share whose report time is still ahead is not cached (that time may yet move, up to `s.lag`).
    /// @return prefixDue The cumulative due through period `prefix` − 1 [wad].
    function coverage(RevenueShare memory s, uint256 from, uint256 due, uint256 end, uint256 paid)
        internal
        view
        returns (uint256 k, uint256 dueK, uint256 prefix, uint256 prefixDue)
    {
        (prefix, prefixDue) = (from, due);
        bool run = true; // every period walked so far is reported
        uint256 lastAt; // [s] the latest time a part of a walked period's due falls due
        for (; from < end; ++from) {
            Period memory q = _next(s, from, due);
            if (paid < q.next) break;
            due = q.next;
            // a report time still ahead may yet move (up to `s.lag`): only a part fallen due by now is cached
            run = run && q.reported && q.extraAt <= block.timestamp;
            if (q.extraAt > lastAt) lastAt = q.extraAt;
            if (run && lastAt <= dueAt(s, from + 1)) (prefix, prefixDue) = (from + 1, q.next);
        }
        (k, dueK) = (from, due);
    }

    /// @notice The coverage k (as `coverage` returns it, from `from`, `due`, `end`, `paid`) and, for k < `end`, when
    ///         the current borrower fell behind [s]: the earliest time by which what had fallen due exceeds `paid`,
    ///         where each period's minimum falls due at its due date and the part above it at max(due date, report
    ///         time) (a report is counted at most `s.lag` late; an unreported period adds nothing above the minimum). So
    ///         a borrower that paid everything known at a due date is behind for a due a later report adds only from
    ///         that report, and one that had not paid the minimum from the due date. One walk: each period from `from`
    ///         through k is read once (its part above the minimum kept in memory, not read again), those after k only
    ///         while their due dates come before the answer, which is at most `s.lag` after period k's due date and at
    ///         most `maturity` (everything is due then: no period due after it is read). Raw sums: `paid` is below the
    ///         cap while the deal runs.
    function behindSince(RevenueShare memory s, uint256 from, uint256 due, uint256 end, uint256 paid, uint256 maturity)
        internal
        view
        returns (uint256 k, uint256 at)
    {
        // one heap entry per period walked: those before `end` and, past it, at most `s.lag` / `s.interval` more
        Pending memory w = Pending(new uint256[](end - from + s.lag / s.interval), 0, due);
        // the coverage walk (as `coverage`), keeping each period's part above the minimum and when it falls due
        for (k = from; k < end; ++k) {
            Period memory q = _next(s, k, due);
            w.part[w.n] = _pack(q);
            ++w.n;
            w.due += s.minPayment;
            if (paid < q.next) break;
            due = q.next;
        }
        if (k == end) return (k, 0); // current through every elapsed period
        uint256 dueK = dueAt(s, k);
        // count the parts due by then; heap those due later (in place: entry i is read before index i is written)
        uint256 n = w.n;
        w.n = 0;
        for (uint256 i; i < n; ++i) {
            uint256 x = w.part[i];
            if (x >> 192 <= dueK) w.due += uint192(x);
            else _push(w, x);
        }
        if (w.due > paid) return (k, dueK);
        // what falls due after period k's due date, in time order: later minimums and the parts above them, past `end`
        // too (a pending part after the next due date must not skip that date's minimum). Ends by the last pending
        // part of periods `from`…k at the latest (≤ `s.lag` after k's due date): their cumulative due exceeds `paid`
        uint256 p = k + 1;
        while (true) {
            uint256 grid = dueAt(s, p);
            uint256 first = w.n > 0 ? w.part[0] >> 192 : type(uint256).max; // the pending part that falls due first
            // everything is due at maturity: no period after it is read (review 8d1: one read per period at most)
            if (first >= maturity && grid >= maturity) return (k, maturity);
            if (first <= grid) {
                w.due += uint192(w.part[0]);
                _pop(w);
                if (w.due > paid) return (k, first);
            } else {
                _add(s, w, p, grid);
                if (w.due > paid) return (k, grid);
                ++p;
            }
        }
    }

    /// @dev Parts of dues above the minimum that fall due later than the time being judged (after the coverage walk: a
    ///      binary min-heap on `part`, i.e. by time, so the walk in time order costs O(n log n), not a rescan per step), and the
    ///      running sum.
    struct Pending {
        uint256[] part; // when each falls due [s] << 192 | its amount [wad] (ordered by time; see `_pack`)
        uint256 n; // entries used
        uint256 due; // [wad] everything counted as fallen due so far
    }

    /// @dev Adds period `p` as of `by` [s] (its due date or later): its minimum, and the part above it if due by then
    ///      (else kept pending).
    function _add(RevenueShare memory s, Pending memory w, uint256 p, uint256 by) private view {
        Period memory q = _next(s, p, 0);
        w.due += s.minPayment;
        if (q.extraAt <= by) {
            w.due += q.extra;
        } else {
            _push(w, _pack(q));
        }
    }

    /// @dev A period's part above the minimum as one heap entry: when it falls due [s] (< 2^64) in the top 64 bits, the
    ///      amount [wad] (< 2^192: at most the share of `RevenueReadLib.MAX_REVENUE` = 2^128 − 1) below.
    function _pack(Period memory q) private pure returns (uint256) {
        return q.extraAt << 192 | q.extra;
    }

    /// @dev Adds a pending part to the heap (sift up).
    function _push(Pending memory w, uint256 x) private pure {
        unchecked {
            uint256 i = w.n++; // < the array's length (one entry per period at most)
            while (i > 0) {
                uint256 up = (i - 1) / 2;
                if (w.part[up] <= x) break;
                w.part[i] = w.part[up];
                i = up;
            }
            w.part[i] = x;
        }
    }

    /// @dev Removes the heap's root, the pending part that falls due first (sift the last entry down).
    function _pop(Pending memory w) private pure {
        unchecked {
            uint256 n = --w.n; // called only while w.n > 0
            uint256 x = w.part[n];
            uint256 i;
            while (true) {
                uint256 c = 2 * i + 1;
                if (c >= n) break;
                if (c + 1 < n && w.part[c + 1] < w.part[c]) ++c;
                if (x <= w.part[c]) break;
                w.part[i] = w.part[c];
                i = c;
            }
            w.part[i] = x;
        }
    }

    /// @notice Due date of period `p` (0-based) below the last [s].
    function dueAt(RevenueShare memory s, uint256 p) internal pure returns (uint256) {
        return s.start + (p + 1) * s.interval;
    }

    /// @dev Period `period` on top of `due` (see `Period`); the source is read only below the first period whose read
    ///      failed (`s.failedAt`; a failed or skipped read counts as unreported).
    function _next(RevenueShare memory s, uint256 period, uint256 due) private view returns (Period memory q) {
        uint256 revenue;
        uint256 reportedAt;
        if (period < s.failedAt) {
            bool ok;
            (revenue, q.reported, ok, reportedAt) = RevenueReadLib.read(s.source, address(this), period);
            if (!ok) s.failedAt = period;
        }
        uint256 full = WaterfallLib.revenueShareDue(q.reported ? revenue : 0, s.shareBps, s.minPayment);
        q.extra = full - s.minPayment;
        q.next = due + full;
        if (q.next > s.capRoom) q.next = s.capRoom;
        uint256 dueDate = dueAt(s, period);
        q.extraAt = dueDate;
        if (reportedAt > dueDate) {
            q.extraAt = reportedAt < dueDate + s.lag ? reportedAt : dueDate + s.lag;
        }
    }

    // ------------------------------------------------------------ FIXED

    /// @notice Due date of period `k` (1-based) [s]: k intervals after activation, the last one at maturity.
    function dueOf(Fixed memory f, uint256 k) internal pure returns (uint256) {
        uint256 due = f.activatedAt + k * f.interval;
        return due < f.maturity ? due : f.maturity;
    }

    /// @notice What `f.owed` accrues from `f.last` to `at` (≥ `f.last`) if nothing is paid meanwhile [wad].
    function accrualTo(Fixed memory f, uint256 at) internal pure returns (uint256) {
        (uint256 si, uint256 ji, uint256 pf) = WaterfallLib.accrual(f.owed, f.seniorAprBps, f.juniorAprBps, at - f.last);
        return si + ji + pf;
    }

    /// @notice The due dates passed since `f.last` beyond the coverage `floor` (periods `first`, `first` + 1, … up to
    ///         now) and `f.accrued` plus the accrual by each: a deal keeps those still uncovered after a payment, so a
    ///         later (late) payment is judged against what had accrued by that due date.
    function passedDues(Fixed memory f, uint256 floor) internal view returns (uint256 first, uint256[] memory atDue) {
        first = (f.last - f.activatedAt) / f.interval + 1; // first due date after `last`
        if (first <= floor) first = floor + 1;
        uint256 end = first;
        while (end <= f.periods && dueOf(f, end) <= block.timestamp) ++end;
        atDue = new uint256[](end - first);
        for (uint256 k = first; k < end; ++k) {
            atDue[k - first] = f.accrued + accrualTo(f, dueOf(f, k));
        }
    }

    /// @notice The periods the borrower is current through, from `floor` on: period k (< the last, which needs
    ///         everything owed and matures the deal) is covered when what it has paid down covers everything accrued
    ///         by due date k plus the principal scheduled to be repaid by then: owed − (accrued − accrued at due date
    ///         k) ≤ `WaterfallLib.scheduledPrincipal` after k. An early payment counts at once (a due date still ahead
    ///         is judged on the accrual projected to it), a late one cures. Coverage only grows (what was paid down
    ///         only grows, accrual by a past due date is fixed), so it is the first uncovered period from `floor` on.
    /// @param atDue The accrual at due dates `first`, `first` + 1, … just passed (not yet in `stored`).
    /// @param stored The accrual recorded at past due dates not covered when they passed.
    function currentThrough(
        Fixed memory f,
        uint256 floor,
        uint256 first,
        uint256[] memory atDue,
        mapping(uint256 => uint256) storage stored
    ) internal view returns (uint256 k) {
        k = floor;
        uint256 owedNow = WaterfallLib.total(f.owed);
        while (k + 1 < f.periods) {
            uint256 due = dueOf(f, k + 1);
            uint256 byDue;
            if (due > f.last) byDue = f.accrued + accrualTo(f, due);
            else if (k + 1 >= first && k + 1 < first + atDue.length) byDue = atDue[k + 1 - first];
            else byDue = stored[k + 1];
            if (
                owedNow + byDue
                    > WaterfallLib.scheduledPrincipal(f.principal, k + 1, f.periods, f.amortising) + f.accrued
            ) {
                break;
            }
            ++k;
        }
    }

    /// @notice What a payment now must bring for `currentThrough` to cover period `k` (0 < k < periods, not yet
    ///         covered) [wad]: judged as after the payment's accrual to now (`o`, `accrued` since `f.last`); a payment
    ///         only lowers principal, so it never raises the accrual projected to a due date ahead.
    function shortfall(
        Fixed memory f,
        uint256 k,
        WaterfallLib.Owed memory o,
        uint256 accrued,
        mapping(uint256 => uint256) storage stored
    ) internal view returns (uint256) {
        uint256 due = dueOf(f, k);
        uint256 accruedNow = f.accrued + accrued;
        uint256 byDue;
        if (due > block.timestamp) {
            (uint256 si, uint256 ji, uint256 pf) =
                WaterfallLib.accrual(o, f.seniorAprBps, f.juniorAprBps, due - block.timestamp);
            byDue = accruedNow + si + ji + pf;
        } else {
            byDue = due > f.last ? f.accrued + accrualTo(f, due) : stored[k];
        }
        uint256 need = WaterfallLib.total(o) + byDue;
        uint256 cover = WaterfallLib.scheduledPrincipal(f.principal, k, f.periods, f.amortising) + accruedNow;
        return need > cover ? need - cover : 0;
    }
}
