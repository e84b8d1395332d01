// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {Test} from "forge-std/Test.sol";

/// @notice WaterfallLib: waterfall order, conservation, loss allocation, marks, fees, the claim index.
contract WaterfallLibTest is Test {
    uint256 internal constant MAX = 1e30; // [wad] bound on any amount (a trillion AID)

    function _owed(uint256[5] memory o) internal pure returns (WaterfallLib.Owed memory owed) {
        owed = WaterfallLib.Owed(
            bound(o[0], 0, MAX), bound(o[1], 0, MAX), bound(o[2], 0, MAX), bound(o[3], 0, MAX), bound(o[4], 0, MAX)
        );
    }

    function _sum(WaterfallLib.Split memory s) internal pure returns (uint256) {
        return s.fees + s.seniorInterest + s.seniorPrincipal + s.juniorInterest + s.juniorPrincipal + s.residual;
    }

    // ------------------------------------------------------------ split

    function test_split_paysInOrder() public pure {
        WaterfallLib.Owed memory owed = WaterfallLib.Owed(1, 10, 100, 1000, 10_000);
        WaterfallLib.Split memory s = WaterfallLib.split(owed, 1056);
        assertEq(s.fees, 1);
        assertEq(s.seniorInterest, 10);
        assertEq(s.seniorPrincipal, 100);
        assertEq(s.juniorInterest, 945);
        assertEq(s.juniorPrincipal, 0);
        assertEq(s.residual, 0);
        s = WaterfallLib.split(owed, 20_000);
        assertEq(s.juniorPrincipal, 10_000);
        assertEq(s.residual, 20_000 - 11_111);
    }

    /// INV-DEAL-01: a payment is split exactly (money in = money out), each step gets at most what it is owed, and a
    /// later step gets anything only when every earlier step is paid in full.
    function testFuzz_split_conservesAndOrders(uint256[5] memory o, uint256 amount) public pure {
        WaterfallLib.Owed memory owed = _owed(o);
        amount = bound(amount, 0, 6 * MAX);
        WaterfallLib.Split memory s = WaterfallLib.split(owed, amount);
        assertEq(_sum(s), amount, "conservation");
        assertLe(s.fees, owed.fees);
        assertLe(s.seniorInterest, owed.seniorInterest);
        assertLe(s.seniorPrincipal, owed.seniorPrincipal);
        assertLe(s.juniorInterest, owed.juniorInterest);
        assertLe(s.juniorPrincipal, owed.juniorPrincipal);
        if (s.seniorInterest > 0) assertEq(s.fees, owed.fees, "fees first");
        if (s.seniorPrincipal > 0) assertEq(s.seniorInterest, owed.seniorInterest, "senior interest before principal");
        if (s.juniorInterest + s.juniorPrincipal > 0) {
            assertEq(s.seniorInterest, owed.seniorInterest, "junior waits for senior interest");
            assertEq(s.seniorPrincipal, owed.seniorPrincipal, "junior waits for senior principal");
        }
        if (s.juniorPrincipal > 0) assertEq(s.juniorInterest, owed.juniorInterest, "junior interest first");
        if (s.residual > 0) assertEq(amount, WaterfallLib.total(owed) + s.residual, "residual only when all paid");
    }

    /// INV-DEAL-02: any sequence of accruals and payments: total paid in = paid out by step + residual; what is owed
    /// falls exactly by what each step received; senior principal is never paid while senior interest is due; the
    /// junior never receives while the senior is owed.
    function testFuzz_split_sequence(uint256[5] memory start, uint256[8] memory accrue, uint256[8] memory pays)
        public
        pure
    {
        WaterfallLib.Owed memory owed = _owed(start);
        uint256 paidIn;
        uint256 paidOut;
        uint256 residual;
        for (uint256 i; i < 8; ++i) {
            // interest and fees accrue between payments
            uint256 a = bound(accrue[i], 0, MAX);
            owed.fees += a / 7;
            owed.seniorInterest += a / 3;
            owed.juniorInterest += a / 2;
            uint256 before = WaterfallLib.total(owed);
            uint256 pay = bound(pays[i], 0, 2 * MAX);
            WaterfallLib.Split memory s = WaterfallLib.split(owed, pay);
            if (s.seniorPrincipal > 0) assertEq(s.seniorInterest, owed.seniorInterest);
            if (s.juniorInterest + s.juniorPrincipal > 0) {
                assertEq(owed.seniorInterest + owed.seniorPrincipal, s.seniorInterest + s.seniorPrincipal);
            }
            owed = WaterfallLib.settle(owed, s);
            assertEq(WaterfallLib.total(owed), before - (pay - s.residual), "owed falls by what was paid");
            paidIn += pay;
            paidOut += pay - s.residual;
            residual += s.residual;
        }
        assertEq(paidIn, paidOut + residual, "money in = money out");
    }

    // ------------------------------------------------------------ losses

    function test_applyLoss_juniorFirstFlooredAtZero() public pure {
        (uint256 sr, uint256 jr) = WaterfallLib.applyLoss(80, 20, 15);
        assertEq(sr, 80);
        assertEq(jr, 5);
        (sr, jr) = WaterfallLib.applyLoss(80, 20, 30);
        assertEq(sr, 70);
        assertEq(jr, 0);
        (sr, jr) = WaterfallLib.applyLoss(80, 20, 500);
        assertEq(sr, 0);
        assertEq(jr, 0);
    }

    /// INV-DEAL-03: the senior loses nothing while the junior has value; no claim goes below 0; the loss taken is
    /// min(loss, senior + junior).
    function testFuzz_applyLoss_juniorFirst(uint256 senior, uint256 junior, uint256 loss) public pure {
        senior = bound(senior, 0, MAX);
        junior = bound(junior, 0, MAX);
        loss = bound(loss, 0, 3 * MAX);
        (uint256 sr, uint256 jr) = WaterfallLib.applyLoss(senior, junior, loss);
        if (sr < senior) assertEq(jr, 0, "senior hit only after junior is wiped");
        uint256 taken = senior + junior - sr - jr;
        assertEq(taken, loss < senior + junior ? loss : senior + junior);
    }

    // ------------------------------------------------------------ marks, fees, interest

    function test_markBps_schedule() public pure {
        assertEq(WaterfallLib.markBps(0), 0);
        assertEq(WaterfallLib.markBps(9 days), 1000);
        assertEq(WaterfallLib.markBps(45 days), 5000);
        assertEq(WaterfallLib.markBps(90 days), 10_000);
        assertEq(WaterfallLib.markBps(400 days), 10_000);
    }

    function testFuzz_markBps_monotoneBounded(uint256 a, uint256 b) public pure {
        a = bound(a, 0, 10 * 365 days);
        b = bound(b, a, 10 * 365 days);
        assertLe(WaterfallLib.markBps(a), WaterfallLib.markBps(b));
        assertLe(WaterfallLib.markBps(b), 10_000);
    }

    function test_tokenizationFeeBps_floorAndSlope() public pure {
        assertEq(WaterfallLib.tokenizationFeeBps(90 days), 25); // 0.2466% -> floor 0.25%
        assertEq(WaterfallLib.tokenizationFeeBps(365 days), 100);
        assertEq(WaterfallLib.tokenizationFeeBps(3 * 365 days), 300);
    }

    function testFuzz_interest_roundsDownLinear(uint256 principal, uint256 apr, uint256 t1, uint256 t2) public pure {
        principal = bound(principal, 0, MAX);
        apr = bound(apr, 0, 5000);
        t1 = bound(t1, 0, 3 * 365 days);
        t2 = bound(t2, 0, 3 * 365 days);
        uint256 whole = WaterfallLib.interest(principal, apr, t1 + t2);
        uint256 parts = WaterfallLib.interest(principal, apr, t1) + WaterfallLib.interest(principal, apr, t2);
        assertGe(whole, parts, "accruing in parts never pays more");
        assertLe(whole - parts, 1, "dust per split bounded");
    }

    // ------------------------------------------------------------ claim index

    /// INV-DEAL-04: holders claiming through the index never get more than was distributed; the dust left behind is
    /// bounded by the number of holders plus one wei per distribution.
    function testFuzz_index_claimsBoundedByDistributed(uint256[4] memory balances, uint256[6] memory amounts)
        public
        pure
    {
        uint256 supply;
        for (uint256 i; i < 4; ++i) {
            balances[i] = bound(balances[i], 1, MAX);
            supply += balances[i];
        }
        uint256 index;
        uint256 distributed;
        for (uint256 j; j < 6; ++j) {
            uint256 amt = bound(amounts[j], 0, MAX);
            index += WaterfallLib.indexDelta(amt, supply);
            distributed += amt;
        }
        uint256 claimed;
        for (uint256 i; i < 4; ++i) {
            claimed += WaterfallLib.earned(balances[i], index, 0);
        }
        assertLe(claimed, distributed, "no over-claim");
        assertLe(distributed - claimed, 4 + 6 * (supply / 1e27 + 1), "dust bounded");
    }
}
