// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";

/// @notice REVENUE_SHARE deals: amount due per period = max(minimum, share × reported revenue), lateness judged on
///         the cumulative due, payments stop at principal × cap multiple.
contract RevenueShareTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;

    function _activeRs(IGpuDeal.Terms memory t) internal returns (GpuDeal deal) {
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }

    function _due(IGpuDeal.Terms memory t, uint256 revenue) internal pure returns (uint256) {
        uint256 share = revenue * t.revenueShareBps / 10_000;
        return share > t.minPeriodPayment ? share : t.minPeriodPayment;
    }

    function test_periodPayment_maxOfMinimumAndShare() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _activeRs(t);
        vm.warp(deal.activatedAt() + 2 * INTERVAL);
        _report(deal, 0, 100_000e18);
        _report(deal, 1, 5000e18);
        (uint256 d0, bool r0) = deal.periodPayment(0);
        (uint256 d1, bool r1) = deal.periodPayment(1);
        (uint256 d2, bool r2) = deal.periodPayment(2);
        assertEq(d0, _due(t, 100_000e18));
        assertGt(d0, t.minPeriodPayment);
        assertTrue(r0);
        assertEq(d1, t.minPeriodPayment); // 60% of 5,000 is below the minimum
        assertTrue(r1);
        assertEq(d2, t.minPeriodPayment); // not reported yet: the minimum applies
        assertFalse(r2);
    }

    function test_revenueShare_lateJudgedOnDueAmountThenCured() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _activeRs(t);
        uint256 start = deal.activatedAt();
        assertEq(deal.dueDate(), start + INTERVAL);
        vm.warp(start + INTERVAL);
        _report(deal, 0, 100_000e18);
        uint256 due0 = _due(t, 100_000e18);
        _repay(deal, borrower, due0 - 1); // one wei short of the revenue share
        assertEq(deal.dueDate(), start + INTERVAL);
        vm.warp(start + INTERVAL + WaterfallLib.GRACE + 1);
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        _repay(deal, borrower, 1);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE)); // cured
        assertEq(deal.dueDate(), start + 2 * INTERVAL);
        assertEq(deal.totalRepaid(), due0);
    }

    function test_revenueShare_laterReportRaisesDue() public {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _activeRs(t);
        uint256 start = deal.activatedAt();
        vm.warp(start + INTERVAL);
        _repay(deal, borrower, t.minPeriodPayment); // period 0 unreported: the minimum makes the borrower current
        assertEq(deal.dueDate(), start + 2 * INTERVAL);
        _report(deal, 0, 50_000e18); // 60% = 30,000 > minimum
        assertEq(deal.dueDate(), start + INTERVAL);
        vm.warp(start + INTERVAL + WaterfallLib.GRACE + 1);
        deal.markLate();
        _repay(deal, borrower, _due(t, 50_000e18) - t.minPeriodPayment);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
    }

    /// @dev Payments stop at the cap; the cash reserve then covers what the capped payments left unpaid (first-loss,
    ///      issue 12 finding 3) and only its rest goes back to the borrower.
    function test_revenueShare_capStopsPaymentsReserveCoversShortfall() public {
        IGpuDeal.Terms memory t = _rsTerms();
        t.capMultipleBps = 10_000; // 1x: the borrower's payments stop at the principal
        GpuDeal deal = _activeRs(t);
        vm.warp(deal.activatedAt() + INTERVAL);
        uint256 cap = PRINCIPAL;
        uint256 shortfall = _owedTotal(deal) - cap;
        _giveAid(borrower, 2 * PRINCIPAL);
        uint256 balanceBefore = aid.balanceOf(borrower);
        vm.startPrank(borrower);
        aid.approve(address(deal), 2 * PRINCIPAL);
        vm.expectEmit(address(deal));
        emit IGpuDeal.CapReached(cap);
        deal.repay(2 * PRINCIPAL);
        vm.stopPrank();
        assertEq(balanceBefore - aid.balanceOf(borrower), cap); // only the cap was taken
        assertEq(deal.totalRepaid(), cap);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertEq(deal.owedTo(borrower), 66_000e18 - shortfall, "reserve covers the shortfall, the rest goes back");
        assertGe(deal.claimable(SR, seniorInvestor), SENIOR);
        assertGe(deal.claimable(JR, juniorInvestor), JUNIOR);
        assertEq(deal.trancheValue(JR), 0);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.MATURED));
        vm.prank(borrower);
        deal.repay(1);
    }

    function test_revenueShare_fullRepaymentBeforeCapMatures() public {
        GpuDeal deal = _activeRs(_rsTerms());
        vm.warp(deal.activatedAt() + 3 * INTERVAL);
        uint256 owedNow = _owedTotal(deal);
        _repay(deal, borrower, owedNow);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertEq(deal.totalRepaid(), owedNow);
        assertLt(owedNow, PRINCIPAL * 15_000 / 10_000);
        assertGe(_claim(deal, seniorInvestor, SR), SENIOR);
        assertGe(_claim(deal, juniorInvestor, JR), JUNIOR);
    }

    function test_periodPayment_revertsOnFixedDeal() public {
        GpuDeal deal = _activeDeal();
        vm.expectRevert(IGpuDeal.NotRevenueShare.selector);
        deal.periodPayment(0);
    }

    function test_createDeal_revertsOnRevenueShareTerms() public {
        IGpuDeal.Terms memory t = _rsTerms();
        t.minPeriodPayment = 0;
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidMinPeriodPayment.selector, 0));
        _create(t);
        t = _rsTerms();
        t.capMultipleBps = 9999;
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidRevenueShare.selector, 6000, 9999));
        _create(t);
        t = _rsTerms();
        t.paymentInterval = uint32(TENOR / 157);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidPaymentInterval.selector, t.paymentInterval));
        _create(t);
    }

    /// @dev Any revenues and payments over four periods: the due date is the one of the first period whose
    ///      cumulative due (max(minimum, share × revenue) each, capped) exceeds what was paid.
    function testFuzz_revenueShare_dueDateFollowsCumulativeDue(uint256[4] memory revenues, uint256[4] memory pays)
        public
    {
        IGpuDeal.Terms memory t = _rsTerms();
        GpuDeal deal = _activeRs(t);
        uint256 start = deal.activatedAt();
        uint256 paid;
        uint256[4] memory cumDue;
        for (uint256 j; j < 4; ++j) {
            revenues[j] = bound(revenues[j], 0, 500_000e18);
            pays[j] = bound(pays[j], 0, 200_000e18); // 800k total < owed: never matures
            vm.warp(start + (j + 1) * INTERVAL);
            _report(deal, j, revenues[j]);
            cumDue[j] = (j == 0 ? 0 : cumDue[j - 1]) + _due(t, revenues[j]);
            if (pays[j] > 0) _repay(deal, borrower, pays[j]);
            paid += pays[j];
            uint256 k;
            while (k <= j && paid >= cumDue[k]) ++k;
            assertEq(deal.dueDate(), start + (k + 1) * INTERVAL);
        }
        assertEq(deal.totalRepaid(), paid);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
    }
}
