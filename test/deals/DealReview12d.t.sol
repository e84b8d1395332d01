// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IRevenueSource} from "../../src/interfaces/IRevenueSource.sol";
import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";
import {TimedRevenueSource} from "./DealReview12c.t.sol";

/// @notice A source that claims every period was reported just now (a lying or misconfigured source): the deferral it
///         buys a borrower must stay bounded by `ScheduleLib.MAX_REPORT_LAG`.
contract MovingReportTimeSource is IRevenueSource {
    mapping(uint256 period => uint256) public revenue;

    function set(uint256 period, uint256 amount) external {
        revenue[period] = amount;
    }

    function revenueOf(address, uint256 period) external view returns (uint256, bool, uint256) {
        uint256 r = revenue[period];
        return (r, r != 0, block.timestamp);
    }
}

/// @notice Helpers of the review-12c tests.
abstract contract DealReview12dBase is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant GRACE = 15 days; // [s]
    uint256 internal constant MIN = 10_000e18; // [wad] `_rsTerms` minimum payment
    uint256 internal constant WEEK = 7 days; // [s]

    function _deal(uint256 tenor, uint256 interval, address source) internal returns (GpuDeal deal) {
        return _deal(tenor, interval, source, MIN);
    }

    function _deal(uint256 tenor, uint256 interval, address source, uint256 minPayment)
        internal
        returns (GpuDeal deal)
    {
        vm.prank(dealAdmin);
        dealFactory.setRevenueReporter(source);
        IGpuDeal.Terms memory t = _rsTerms();
        t.tenor = uint32(tenor);
        t.paymentInterval = uint32(interval);
        t.minPeriodPayment = minPayment;
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }
}

/// @notice Security review of the review-12b fix (late revenue reports): the due date against a brute-force model of
///         "the earliest time by which what had fallen due exceeds what was paid", over random reports, report times,
///         payments and `syncSchedule` calls; bounded deferral.
contract DealReview12dTest is DealReview12dBase {
    // ------------------------------------------------------------ model

    struct Model {
        uint256 start; // [s]
        uint256 interval; // [s]
        uint256[] revenue; // [wad]
        bool[] reported;
        uint256[] lagDays; // report time − due date [days]
        bool[] early; // the source answers the period at its due date already, with the (future) report time
        uint256 paid; // [wad]
    }

    /// @dev Brute force: every event time (due dates, capped report times) is tried, the earliest at which the sum of
    ///      what had fallen due exceeds `paid` is the due date; if the borrower is current through every elapsed period,
    ///      the next period's due date. Due dates past the elapsed ones count too (their minimums, review 7dA).
    ///      `cap`: the most a report is counted late (`MAX_REPORT_LAG` for the due date and marks,
    ///      `MAX_LATE_REPORT_LAG` for the LATE grace and the default timer).
    function _modelDueDate(Model memory m, GpuDeal deal, uint256 end, uint256 cap) internal view returns (uint256) {
        if (_fallenDue(m, end, type(uint256).max, cap) + end * MIN <= m.paid) {
            return m.start + (end + 1) * m.interval; // current through every elapsed period
        }
        uint256 best = type(uint256).max;
        uint256 horizon = end + cap / m.interval + 1; // the answer is by the last capped report time
        for (uint256 e; e < horizon + end; ++e) {
            uint256 t = _dueAtModel(m, e < horizon ? e : e - horizon);
            if (e >= horizon) {
                if (!_knownNow(m, e - horizon)) continue;
                uint256 lag = m.lagDays[e - horizon] * 1 days;
                t += lag < cap ? lag : cap;
            }
            if (t >= best) continue;
            if (_fallenDue(m, end, t, cap) > m.paid) best = t;
        }
        uint256 maturity = deal.maturity();
        return best < maturity ? best : maturity;
    }

    /// @dev The minimums fallen due by `t` (every due date, elapsed or not).
    function _minimums(Model memory m, uint256 t) internal pure returns (uint256) {
        if (t == type(uint256).max) return 0;
        return t < m.start ? 0 : (t - m.start) / m.interval * MIN;
    }

    function _dueAtModel(Model memory m, uint256 p) internal pure returns (uint256) {
        return m.start + (p + 1) * m.interval;
    }

    /// @dev Whether the source answers period p as reported now (review 12g: also while its report time is ahead).
    function _knownNow(Model memory m, uint256 p) internal view returns (bool) {
        return m.reported[p] && _dueAtModel(m, p) + _answerDays(m, p) * 1 days <= block.timestamp;
    }

    /// @dev Days after its due date from which the source answers period p.
    function _answerDays(Model memory m, uint256 p) internal pure returns (uint256) {
        return m.early[p] ? 0 : m.lagDays[p];
    }

    /// @dev What fell due by `t`: every minimum (`type(uint256).max`: none) and the shares of periods before `end`.
    function _fallenDue(Model memory m, uint256 end, uint256 t, uint256 cap) internal view returns (uint256 sum) {
        sum = _minimums(m, t);
        for (uint256 p; p < end; ++p) {
            uint256 due = _dueAtModel(m, p);
            if (due > t || !_knownNow(m, p)) continue;
            uint256 lag = m.lagDays[p] * 1 days;
            if (lag > cap) lag = cap;
            if (due + lag > t) continue;
            uint256 share = m.revenue[p] * 6000 / 10_000;
            if (share > MIN) sum += share - MIN;
        }
    }

    /// @dev Fuzz: weekly periods, each reported (or not) 0–60 days after its due date at a random revenue (a third of
    ///      them answered at the due date already with that report time still ahead, review 12g); the
    ///      borrower pays random amounts on random days, anyone calls `syncSchedule` on random days. Every day the
    ///      deal's due date equals the model's, `markBps` runs from it and `markLate` opens exactly 15 days after the
    ///      model's grace date (the same walk with reports counted up to `MAX_LATE_REPORT_LAG` late: finding 12d-A).
    function testFuzz_review12c_dueDateMatchesModel(uint256 seed) public {
        TimedRevenueSource src = new TimedRevenueSource();
        GpuDeal deal = _deal(TENOR, WEEK, address(src));
        uint256 periods = 16;
        Model memory m = Model(
            deal.activatedAt(),
            WEEK,
            new uint256[](periods),
            new bool[](periods),
            new uint256[](periods),
            new bool[](periods),
            0
        );
        for (uint256 p; p < periods; ++p) {
            uint256 r = uint256(keccak256(abi.encode(seed, p)));
            m.revenue[p] = (r % 5) * 10_000e18; // 0–40,000 AID: due 10,000–24,000
            m.reported[p] = (r >> 8) % 4 != 0;
            m.lagDays[p] = (r >> 16) % 61;
            m.early[p] = (r >> 24) % 3 == 0;
        }
        for (uint256 day = 1; day <= 14 * 7; ++day) {
            vm.warp(m.start + day * 1 days);
            uint256 r = uint256(keccak256(abi.encode(seed, "day", day)));
            for (uint256 p; p < periods; ++p) {
                if (m.reported[p] && _dueAtModel(m, p) + _answerDays(m, p) * 1 days == block.timestamp) {
                    src.set(p, m.revenue[p], _dueAtModel(m, p) + m.lagDays[p] * 1 days);
                }
            }
            if (r % 5 == 0) {
                uint256 amount = 1e18 + (r >> 8) % 30_000e18;
                _repay(deal, borrower, amount);
                m.paid += amount;
            }
            if ((r >> 128) % 3 == 0 && deal.state() != IGpuDeal.State.DEFAULTED) deal.syncSchedule();
            uint256 end = (block.timestamp - m.start) / WEEK;
            uint256 expected = _modelDueDate(m, deal, end, ScheduleLib.MAX_REPORT_LAG);
            uint256 graceFrom = _modelDueDate(m, deal, end, ScheduleLib.MAX_LATE_REPORT_LAG);
            assertEq(deal.dueDate(), expected, "due date = model");
            assertEq(deal.markBps(), block.timestamp > expected ? WaterfallLib.markBps(block.timestamp - expected) : 0);
            if (deal.state() == IGpuDeal.State.ACTIVE) {
                if (block.timestamp > graceFrom + GRACE) {
                    deal.markLate();
                } else {
                    vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, graceFrom + GRACE));
                    deal.markLate();
                }
            }
        }
    }

    // ------------------------------------------------------------ bounded deferral

    /// @dev A source whose report time is always "now" defers what a report adds by `MAX_REPORT_LAG` at most: the
    ///      borrower that paid only the minimum is behind from 30 days after the due date and LATE 15 days later.
    function test_review12c_movingReportTime_deferralBounded() public {
        MovingReportTimeSource src = new MovingReportTimeSource();
        GpuDeal deal = _deal(TENOR, INTERVAL, address(src));
        uint256 due0 = deal.dueDate();
        src.set(0, 100_000e18);
        vm.warp(due0);
        _repay(deal, borrower, MIN);
        vm.warp(due0 + 200 days);
        assertEq(deal.dueDate(), due0 + ScheduleLib.MAX_REPORT_LAG);
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
    }
}
