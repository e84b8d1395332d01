// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IRevenueSource} from "../../src/interfaces/IRevenueSource.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealReview12dBase} from "./DealReview12d.t.sol";

/// @notice A hostile source: every period (also past the tenor) reported, each report time far ahead (so each share
///         falls due only `lag` after its due date and the prefix is never cached), each read burning almost all of
///         `RevenueReadLib.READ_GAS` while still answering well.
contract BurningFutureSource is IRevenueSource {
    uint256 public immutable big; // period whose share is large
    uint256 public immutable burnTo; // [gas] left when answering

    constructor(uint256 big_, uint256 burnTo_) {
        big = big_;
        burnTo = burnTo_;
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        while (gasleft() > burnTo) {}
        return (period == big ? 2000e18 : 5e18, true, type(uint64).max);
    }
}

/// @notice A source whose answers the test sets per period: revenue and report time (0: not reported).
contract ScriptedSource is IRevenueSource {
    mapping(uint256 => uint256) public revenue;
    mapping(uint256 => uint256) public at;

    function set(uint256 period, uint256 revenue_, uint256 at_) external {
        revenue[period] = revenue_;
        at[period] = at_;
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        uint256 r = revenue[period];
        return (r, r != 0, at[period]);
    }
}

/// @notice Fresh-eyes review 8d of the 7dA fix (`ScheduleLib.behindSince` walks on into the due dates ahead).
contract DealReview8dTest is DealReview12dBase {
    uint256 internal constant ONE = 1e18; // [wad] minimum payment of the gas scenario
    uint256 internal constant SHORT = 49_847; // [s] the shortest interval of a 90-day tenor (156 periods)

    /// @dev Shortest interval, 156 periods; the borrower is behind for period 154 (its large share has a report time
    ///      ahead) but prepaid 311 minimums ahead: the walk goes on 311 due dates past period 154's, far past maturity.
    function _worstCase(uint256 burnTo) internal returns (GpuDeal deal, BurningFutureSource src) {
        src = new BurningFutureSource(154, burnTo);
        deal = _deal(90 days, SHORT, address(src), ONE);
        assertEq(uint256(deal.periodCount()), 156);
        vm.warp(deal.activatedAt() + 155 * SHORT); // period 154's due date: end = 155 = periodCount - 1
        // covers periods 0..153 (3 each) and 312 minimums more; period 154 is due 1,200
        _repay(deal, borrower, (3 * 154 + 312) * ONE);
        assertEq(deal.periodsPaid(), 154);
    }

    /// @dev Finding 8d1 (Low, gas): the answer is clamped to maturity, yet the walk reads the revenue source for periods
    ///      past the tenor (here up to period 465 of a 156-period deal).
    function test_review8d1_walkReadsNoPeriodBeyondTenor() public {
        (GpuDeal deal, BurningFutureSource src) = _worstCase(2500);
        assertEq(deal.graceFrom(), deal.maturity(), "behind: everything due at maturity");
        vm.expectCall(address(src), abi.encodeCall(IRevenueSource.revenueOf, (address(deal), 156)), 0);
        deal.graceFrom();
    }

    /// @dev The worst case at the shortest interval (gas of each call, in order: graceFrom, markLate, trancheValue,
    ///      repay while LATE (the cure path), declareDefault).
    function _worstCaseGas() internal returns (uint256[5] memory g) {
        (GpuDeal deal,) = _worstCase(2500);
        uint256 left = gasleft();
        uint256 grace = deal.graceFrom();
        g[0] = left - gasleft();
        vm.warp(grace + WaterfallLib.GRACE + 1);
        left = gasleft();
        deal.markLate();
        g[1] = left - gasleft();
        left = gasleft();
        deal.trancheValue(SR);
        g[2] = left - gasleft();
        uint256 snap = vm.snapshotState();
        _giveAid(borrower, ONE);
        vm.startPrank(borrower);
        aid.approve(address(deal), ONE);
        left = gasleft();
        deal.repay(ONE); // a partial payment: still LATE
        g[3] = left - gasleft();
        vm.stopPrank();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        vm.revertToState(snap);
        vm.warp(grace + 60 days);
        vm.prank(underwriter);
        left = gasleft();
        deal.declareDefault();
        g[4] = left - gasleft();
        emit log_named_uint("graceFrom", g[0]);
        emit log_named_uint("markLate", g[1]);
        emit log_named_uint("trancheValue", g[2]);
        emit log_named_uint("repay (LATE)", g[3]);
        emit log_named_uint("declareDefault", g[4]);
    }

    /// @dev Finding 8d1 (Low, gas): a LATE borrower's payment must fit EIP-7825's per-transaction cap (2^24 gas, the
    ///      bound `NodeRegistry.MAX_BATCH` is sized to) even with a hostile source at the shortest interval; so must
    ///      the keeper's `markLate` and the underwriter's `declareDefault`.
    function test_review8d1_lateRepayUnderTxGasCap() public {
        uint256[5] memory g = _worstCaseGas();
        assertLt(g[3], 1 << 24, "repay while LATE under the EIP-7825 tx cap");
        assertLt(g[1], 1 << 24, "markLate under the EIP-7825 tx cap");
        assertLt(g[4], 1 << 24, "declareDefault under the EIP-7825 tx cap");
    }

    /// @dev Finding 8d1 (Low, gas): `markLate` within one capped read per period of the tenor plus 4,000 gas of walk
    ///      per period (what the walk cost before 7dA: ≈ 5.21M here).
    function test_review8d1_markLateGasWithinOneReadPerPeriod() public {
        uint256[5] memory g = _worstCaseGas();
        assertLe(g[1], 156 * (30_000 + 4000), "markLate within one read per period");
    }

    /// @dev Item 4: the heap is filled to exactly its size `end - from + lag / interval` (155 + 311) without a revert;
    ///      and marks (30-day lag) on the same deal.
    function test_review8d_heapFilledExactly_noRevert() public {
        (GpuDeal deal,) = _worstCase(type(uint256).max); // no burn
        assertEq(deal.graceFrom(), deal.maturity());
        assertEq(deal.dueDate(), deal.maturity());
        vm.warp(deal.maturity() + 1);
        assertEq(deal.markBps(), WaterfallLib.markBps(1));
    }

    /// @dev Item 1: a borrower that paid every elapsed period's full due (checked independently: minimum or share,
    ///      whatever each report time) is never LATE, whatever report times (past, ahead) the source answers for
    ///      elapsed and future periods, and however it paid (once, twice, early).
    function testFuzz_review8d_currentBorrowerNeverLate(uint256 seed, uint256 extraPaid, uint256 at) public {
        ScriptedSource src = new ScriptedSource();
        GpuDeal deal = _deal(365 days, 30 days, address(src));
        uint256 start = deal.activatedAt();
        uint256 n = deal.periodCount();
        at = bound(at, start, deal.maturity() - 1);
        uint256 elapsed = (at - start) / 30 days;
        uint256 owe; // independent: every elapsed period's due, all periods before the last
        for (uint256 p; p < n + 20; ++p) {
            uint256 r = uint256(keccak256(abi.encode(seed, p))) % 60_000e18;
            uint256 shift = uint256(keccak256(abi.encode(seed, p, "t"))) % 400 days;
            uint256 due = start + (p + 1) * 30 days;
            if (r % 3 == 0) r = 0; // unreported
            src.set(p, r, r % 2 == 0 ? due + shift : due - (shift > due ? due : shift));
            if (p < elapsed && p < n - 1) owe += r * 6000 / 10_000 > MIN ? r * 6000 / 10_000 : MIN;
        }
        extraPaid = bound(extraPaid, 0, 50_000e18);
        vm.warp(at);
        // paid in two goes (the second one early: part of what falls due later)
        _repay(deal, borrower, owe / 2 + 1);
        if (owe - owe / 2 + extraPaid > 1) _repay(deal, borrower, owe - owe / 2 + extraPaid - 1);
        if (deal.state() != IGpuDeal.State.ACTIVE) return; // cap reached / matured
        uint256 nextDue = start + (elapsed + 1) * 30 days;
        if (nextDue > deal.maturity()) nextDue = deal.maturity();
        assertGe(deal.graceFrom(), nextDue, "grace not before the next due date");
        assertGe(deal.dueDate(), nextDue, "marks not before the next due date");
        assertEq(deal.markBps(), 0);
        vm.expectRevert();
        deal.markLate();
        // LATE opens no earlier than 15 days after the next due date it has not paid yet
        vm.warp(nextDue + WaterfallLib.GRACE);
        vm.expectRevert();
        deal.markLate();
    }

    /// @dev Item 1/2: an independent brute force of "the earliest time by which what fell due exceeds what was paid"
    ///      (every due date's minimum, elapsed or not; every reported period's share above it, also future periods',
    ///      at max(due date, min(report time, due date + lag))), raw sums; current through every elapsed period: the
    ///      next due date; at most maturity. Partial payments, report times in the past and ahead.
    function testFuzz_review8d_behindSinceMatchesBruteForce(uint256 seed, uint256 paid, uint256 at) public {
        ScriptedSource src = new ScriptedSource();
        GpuDeal deal = _deal(365 days, 30 days, address(src));
        uint256 start = deal.activatedAt();
        uint256 n = deal.periodCount();
        at = bound(at, start, deal.maturity() - 1);
        uint256 end = (at - start) / 30 days;
        if (end > n - 1) end = n - 1;
        uint256[] memory extra = new uint256[](n + 10);
        uint256[] memory when = new uint256[](n + 10);
        for (uint256 p; p < n + 10; ++p) {
            uint256 r = uint256(keccak256(abi.encode(seed, p))) % 60_000e18;
            if (r % 3 == 0) r = 0;
            uint256 due = start + (p + 1) * 30 days;
            uint256 shift = uint256(keccak256(abi.encode(seed, p, "t"))) % 250 days;
            uint256 rep = r % 2 == 0 ? due + shift : due - (shift > due ? due : shift);
            src.set(p, r, rep);
            extra[p] = r * 6000 / 10_000 > MIN ? r * 6000 / 10_000 - MIN : 0;
            when[p] = rep;
        }
        uint256 owe;
        for (uint256 p; p < end; ++p) {
            owe += MIN + extra[p];
        }
        paid = bound(paid, 0, owe + 100_000e18);
        vm.warp(at);
        if (paid > 0) _repay(deal, borrower, paid);
        if (deal.state() != IGpuDeal.State.ACTIVE) return;
        assertEq(deal.graceFrom(), _brute(deal, extra, when, paid, end, owe, ScheduleLib.MAX_LATE_REPORT_LAG), "grace");
        assertEq(deal.dueDate(), _brute(deal, extra, when, paid, end, owe, ScheduleLib.MAX_REPORT_LAG), "marks");
    }

    function _brute(
        GpuDeal deal,
        uint256[] memory extra,
        uint256[] memory when,
        uint256 paid,
        uint256 end,
        uint256 owe,
        uint256 lag
    ) internal view returns (uint256 best) {
        uint256 start = deal.activatedAt();
        uint256 maturity = deal.maturity();
        if (owe <= paid) {
            best = start + (end + 1) * 30 days;
            return best < maturity ? best : maturity;
        }
        best = type(uint256).max;
        for (uint256 c; c < 2 * extra.length; ++c) {
            uint256 p = c / 2;
            uint256 t = start + (p + 1) * 30 days;
            if (c % 2 == 1) {
                if (extra[p] == 0) continue;
                uint256 w = when[p] > t ? when[p] : t;
                t = w < t + lag ? w : t + lag;
            }
            uint256 fallen = (t - start) / 30 days * MIN;
            for (uint256 q; q < extra.length; ++q) {
                uint256 d = start + (q + 1) * 30 days;
                uint256 w = when[q] > d ? when[q] : d;
                if ((w < d + lag ? w : d + lag) <= t) fallen += extra[q];
            }
            if (fallen > paid && t < best) best = t;
        }
        if (best > maturity) best = maturity;
    }
}
