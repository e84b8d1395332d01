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

    // ------------------------------------------------------------ finding 7dA (Info)

    /// @dev Info: with a share whose report time is still ahead, `graceFrom()` (and `dueDate()` for the 30-day lag)
    ///      answers that time even when it lies after the next due date, whose minimum the borrower has not paid: it
    ///      skips the next due date, so a borrower that owes MORE (deal `a`: period 0 reported, report time 50 days
    ///      after its due date) shows a LATER grace date than the same borrower owing less (deal `b`: not reported),
    ///      and with no payment and no new answer the grace date then jumps 20 days earlier. On-chain decisions
    ///      (`markLate`, the cure, `declareDefault`, `markBps`) are re-evaluated at their block and stay right; the
    ///      view / `NotLate` value a keeper schedules on is wrong. Before the fix every share fell due by now, so the
    ///      answer of a behind walk was never after the next due date.
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
        // keepers told: LATE from promised + 15 days; without any payment or new answer it comes 20 days sooner
        vm.warp(nextDue + 1);
        assertEq(a.graceFrom(), nextDue, "a at period 1's due date: behind for its minimum");
        // on-chain it is right: LATE after nextDue + 15 days
        vm.warp(nextDue + GRACE + 1);
        a.markLate();
        assertEq(uint256(a.state()), uint256(IGpuDeal.State.LATE));
        // the view: owing more must never show a later grace date than owing less
        assertLe(promised, nextDue, "graceFrom skipped the next due date (owing more shows later)");
    }
}
