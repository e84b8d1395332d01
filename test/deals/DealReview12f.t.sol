// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {TimedRevenueSource} from "./DealReview12c.t.sol";
import {DealReview12dBase} from "./DealReview12d.t.sol";

/// @notice Fresh-eyes review of review 12d (s6-deal12): the two-lag due date (marks: 30 d, LATE/default: 180 d), the
///         one-walk `behindSince` and the GpuDeal byte-freeing refactor.
contract DealReview12fTest is DealReview12dBase {
    uint256 internal constant BOUND = 30_000_000 / 20; // [gas] the bound the 12e gas test asserts (20 reads per block)

    /// @dev The 12e gas fixture: 90-day tenor, 156 periods (~13.85 h each), minimum 1,000.
    function _shortDeal(address source) internal returns (GpuDeal deal, uint256 start, uint256 interval) {
        uint256 tenor = 90 days;
        interval = (tenor + 155) / 156;
        deal = _deal(tenor, interval, source, 1000e18);
        assertEq(deal.periodCount(), 156);
        start = deal.activatedAt();
    }

    /// @dev Gas (30-day lag, `trancheValue` as sAID reads it): the walk after the first uncovered period k spans
    ///      30 days (52 periods here) and the pending parts of the 52 periods before k stay in the array while
    ///      `_earliest` rescans it at every step. Borrower-shaped: it pays so that it falls behind exactly when
    ///      period k's large share falls due (k's due + 30 d); every period reported 30 days late (the oracle
    ///      adapter with a 30-day settlement delay), period 0 never (the cached prefix cannot pass it).
    ///      Measured: 2.61M cold on s6-deal12 (2.89M on main: pre-existing; the 12e "longest walk" 1.18M is not the worst).
    function test_review12f_gas_trancheValueWorstWalk() public {
        (GpuDeal deal, uint256 start, uint256 interval) = _shortDeal(address(revenueReporter));
        uint256 nowAt = start + 150 * interval;
        uint256 k = 96;
        // period 0 unreported (1,000); 1..95 at 1,200 (200 above the minimum); k at 60,000 (59,000 above)
        uint256 paid = 1000e18 + 95 * 1200e18 + 52 * 1000e18;
        _repay(deal, borrower, paid);
        for (uint256 p = 1; p < 150; ++p) {
            uint256 at = start + (p + 1) * interval + ScheduleLib.MAX_REPORT_LAG;
            vm.warp(at < nowAt ? at : nowAt);
            _report(deal, p, p == k ? 100_000e18 : 2000e18);
        }
        vm.warp(nowAt);
        assertEq(deal.periodsPaid(), k);
        uint256 expected = start + (k + 1) * interval + ScheduleLib.MAX_REPORT_LAG;
        assertEq(deal.dueDate(), expected, "behind when k's share falls due");
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        uint256 g = gasleft();
        deal.trancheValue(JR);
        uint256 used = g - gasleft();
        emit log_named_uint("trancheValue gas (cold)", used);
        assertLt(used, BOUND, "trancheValue: 20 positions fit a block");
    }

    /// @dev Gas (180-day lag: `markLate`, `declareDefault`, the cure in `repay`): every period reported at once, 100
    ///      days after activation (a reporter / adapter checkpoint catching up), so every share above the minimum is
    ///      pending at once (155 entries) and `_earliest` rescans all of them for each of ~130 parts the borrower paid
    ///      ahead: quadratic in the periods. The borrower chooses `paid`.
    ///      Measured: markLate 5.17M cold on s6-deal12 vs 1.88M on main (regression of the 180-day lag).
    function test_review12f_gas_markLateWorstWalk() public {
        (GpuDeal deal, uint256 start,) = _shortDeal(address(revenueReporter));
        uint256 reportAt = start + 100 days; // after maturity (90 d): every period but the last elapsed
        vm.warp(reportAt);
        for (uint256 p; p < 155; ++p) {
            _report(deal, p, 2000e18); // 1,200 due: 200 above the minimum
        }
        // every minimum and the shares of periods 0..128: covered through period 149, behind at the report
        _repay(deal, borrower, 155 * 1000e18 + 129 * 200e18);
        assertEq(deal.periodsPaid(), 150);
        vm.warp(reportAt + 15 days + 1);
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        uint256 g = gasleft();
        deal.markLate();
        uint256 used = g - gasleft();
        emit log_named_uint("markLate gas (cold)", used);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        vm.cool(address(deal));
        vm.cool(address(revenueReporter));
        g = gasleft();
        deal.trancheValue(JR);
        emit log_named_uint("trancheValue gas (cold), same deal", g - gasleft());
        assertLt(used, BOUND, "markLate");
    }

    /// @dev Cache vs. fresh walk (Info; a source outside the stock ones): a report time in the future gets no deferral
    ///      when read, so `_rsCheckpoint` caches the period as due by its due date; once that time has passed a fresh
    ///      walk defers its share (180-day lag) and the grace date differs depending on whether a payment cached it.
    ///      README: "`syncSchedule` never changes the answer". Passes on main (30-day lag = the interval here).
    function test_review12f_futureReportTime_cacheMovesGraceDate() public {
        TimedRevenueSource a = new TimedRevenueSource();
        TimedRevenueSource b = new TimedRevenueSource();
        GpuDeal cached = _deal(TENOR, INTERVAL, address(a));
        GpuDeal fresh = _deal(TENOR, INTERVAL, address(b));
        uint256 due0 = cached.dueDate();
        assertEq(fresh.dueDate(), due0);
        // period 0: 100,000 revenue -> 60,000 due; the source answers a report time 100 days after the due date
        a.set(0, 100_000e18, due0 + 100 days);
        b.set(0, 100_000e18, due0 + 100 days);
        vm.warp(due0 + 1 days);
        _repay(cached, borrower, 60_000e18); // covers period 0 in full; caches it (report time still in the future)
        vm.warp(due0 + 100 days + 1);
        _repay(fresh, borrower, 60_000e18); // the same payment, made once the report time has passed: not cached
        assertEq(cached.totalRepaid(), fresh.totalRepaid());
        // same schedule, same payments, same time: the LATE grace must not depend on when the payment was made
        vm.warp(due0 + 100 days + 2);
        uint256 lateAtFresh;
        try fresh.markLate() {
            lateAtFresh = 0;
        } catch (bytes memory err) {
            lateAtFresh = abi.decode(_tail(err), (uint256));
        }
        uint256 lateAtCached;
        try cached.markLate() {
            lateAtCached = 0;
        } catch (bytes memory err) {
            lateAtCached = abi.decode(_tail(err), (uint256));
        }
        assertEq(lateAtCached, lateAtFresh, "grace date depends on the cache");
    }

    function _tail(bytes memory err) internal pure returns (bytes memory out) {
        out = new bytes(err.length - 4);
        for (uint256 i; i < out.length; ++i) {
            out[i] = err[i + 4];
        }
    }
}
