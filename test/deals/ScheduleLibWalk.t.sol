// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ScheduleLib} from "../../src/libraries/ScheduleLib.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {TimedRevenueSource} from "./DealReview12c.t.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Review 12f-F1/F2: `ScheduleLib.behindSince` (coverage walk, then a min-heap of pending parts merged with
///         the later due dates) against a brute force over every candidate time, on random schedules and reports.
contract ScheduleLibWalkTest is Test {
    uint256 internal constant MIN = 1000e18; // [wad]
    uint256 internal constant BPS = 6000; // [bps]

    TimedRevenueSource internal src;

    function behindSince(ScheduleLib.RevenueShare memory s, uint256 end, uint256 paid)
        external
        view
        returns (uint256 k, uint256 at)
    {
        return ScheduleLib.behindSince(s, 0, 0, end, paid, type(uint256).max);
    }

    /// @dev The earliest time by which what had fallen due exceeds `paid` (each minimum at its due date, the part above
    ///      it at max(due date, report) capped at `lag`, a report time in the future too, review 12g): scanned over all
    ///      times.
    function _brute(
        ScheduleLib.RevenueShare memory s,
        uint256 end,
        uint256 paid,
        uint256[] memory rev,
        uint256[] memory rep
    ) internal view returns (uint256 k, uint256 at) {
        uint256[] memory extra = new uint256[](end);
        uint256[] memory extraAt = new uint256[](end);
        uint256 cum;
        k = end;
        for (uint256 p; p < end; ++p) {
            bool known = rep[p] != 0;
            uint256 full = WaterfallLib.revenueShareDue(known ? rev[p] : 0, s.shareBps, s.minPayment);
            extra[p] = full - s.minPayment;
            uint256 d = ScheduleLib.dueAt(s, p);
            extraAt[p] = d;
            if (known && rep[p] > d) extraAt[p] = rep[p] < d + s.lag ? rep[p] : d + s.lag;
            cum += full;
            if (k == end && cum > paid) k = p;
        }
        if (k == end) return (k, 0);
        at = type(uint256).max;
        // the due dates past `end` count too (their minimums; the source answers nothing there), review 7dA; the
        // answer is by the last capped report time
        uint256 horizon = end + s.lag / s.interval + 1;
        for (uint256 c; c < horizon + end; ++c) {
            uint256 t = c < horizon ? ScheduleLib.dueAt(s, c) : extraAt[c - horizon];
            if (t >= at) continue;
            uint256 sum = t < s.start ? 0 : (t - s.start) / s.interval * s.minPayment;
            for (uint256 p; p < end; ++p) {
                if (extraAt[p] <= t) sum += extra[p];
            }
            if (sum > paid) at = t;
        }
    }

    function testFuzz_review12f_walkMatchesBruteForce(uint256 seed, uint256 n, uint256 interval, bool longLag) public {
        n = bound(n, 1, 40);
        interval = bound(interval, 1 hours, 30 days);
        src = new TimedRevenueSource();
        ScheduleLib.RevenueShare memory s = ScheduleLib.RevenueShare({
            source: address(src),
            shareBps: BPS,
            minPayment: MIN,
            capRoom: type(uint128).max,
            start: 1_000_000,
            interval: interval,
            failedAt: type(uint256).max,
            lag: longLag ? ScheduleLib.MAX_LATE_REPORT_LAG : ScheduleLib.MAX_REPORT_LAG
        });
        vm.warp(ScheduleLib.dueAt(s, n - 1) + bound(seed, 0, 200 days));
        uint256[] memory rev = new uint256[](n);
        uint256[] memory rep = new uint256[](n);
        uint256 total;
        for (uint256 p; p < n; ++p) {
            uint256 r = uint256(keccak256(abi.encode(seed, p)));
            rev[p] = (r % 4 == 0) ? 0 : (r >> 8) % 10_000e18; // below the minimum's revenue sometimes
            // unreported (1 in 5), else reported anywhere from one interval before the due date to 250 days after it
            if ((r >> 128) % 5 != 0) {
                rep[p] = ScheduleLib.dueAt(s, p) - interval + (r >> 136) % (interval + 250 days);
            }
            src.set(p, rev[p], rep[p]);
            total += WaterfallLib.revenueShareDue(rev[p], BPS, MIN);
        }
        uint256 paid = uint256(keccak256(abi.encode(seed, "paid"))) % (total + 1);
        (uint256 k, uint256 at) = this.behindSince(s, n, paid);
        (uint256 kB, uint256 atB) = _brute(s, n, paid, rev, rep);
        assertEq(k, kB, "coverage");
        assertEq(at, atB, "behind since");
    }
}
