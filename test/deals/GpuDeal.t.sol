// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TrancheToken} from "../../src/deals/TrancheToken.sol";
import {IDealFactory} from "../../src/interfaces/IDealFactory.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {DealBase} from "./DealBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

/// @notice GpuDeal scenarios (maturity, late and cured, default with liquidation, default with partner transfer,
///         unfilled window) and every rejected term and out-of-state call.
contract GpuDealTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;

    // ------------------------------------------------------------ creation and funding

    function test_createDeal_setsTermsAndTokens() public {
        GpuDeal deal = _create(_terms());
        assertTrue(dealFactory.isDeal(address(deal)));
        assertEq(dealFactory.deals(1), address(deal));
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.FUNDING));
        assertEq(deal.tokenizationFee(), 10_000e18); // 1% for one year
        assertEq(deal.cashReserve(), 66_000e18); // 6.6%
        assertEq(TrancheToken(deal.trancheToken(SR)).deal(), address(deal));
        assertEq(TrancheToken(deal.trancheToken(JR)).symbol(), "gJR-1");
    }

    function test_deposit_fillActivatesAndDisburses() public {
        GpuDeal deal = _activeDeal();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
        assertEq(aid.balanceOf(borrower), PRINCIPAL - 10_000e18 - 66_000e18);
        assertEq(aid.balanceOf(address(deal)), 10_000e18 + 66_000e18);
        assertEq(deal.owedTo(treasury), 10_000e18);
        assertEq(deal.trancheValue(SR), SENIOR);
        assertEq(deal.trancheValue(JR), JUNIOR);
        assertEq(deal.dueDate(), block.timestamp + INTERVAL);
    }

    function test_refund_unfilledWindowRefundsInFull() public {
        GpuDeal deal = _create(_terms());
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR / 2);
        vm.warp(block.timestamp + 15 days);
        vm.prank(seniorInvestor);
        assertEq(deal.refund(SR), SENIOR);
        vm.prank(juniorInvestor);
        assertEq(deal.refund(JR), JUNIOR / 2);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.CANCELLED));
        assertEq(aid.balanceOf(seniorInvestor), SENIOR);
        assertEq(aid.balanceOf(juniorInvestor), JUNIOR / 2);
        assertEq(aid.balanceOf(address(deal)), 0);
    }

    // ------------------------------------------------------------ scenarios

    /// @dev Pays every period's interest (everything accrued since the last payment: the junior's unpaid coupon is not
    ///      paid twice) at its due date and everything at maturity.
    function test_scenario_happyPathToMaturity() public {
        GpuDeal deal = _activeDeal();
        uint256 periods;
        uint256 paidIn;
        while (deal.state() == IGpuDeal.State.ACTIVE) {
            vm.warp(deal.dueDate());
            bool last = deal.dueDate() == deal.maturity();
            uint256 amount = last ? _owedTotal(deal) : _owedTotal(deal) - PRINCIPAL;
            _repay(deal, borrower, amount);
            paidIn += amount;
            ++periods;
            assertLe(periods, 13);
        }
        assertEq(periods, 13);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        uint256 sr = _claim(deal, seniorInvestor, SR);
        uint256 jr = _claim(deal, juniorInvestor, JR);
        // the junior's coupon share pays senior principal down first (sequential waterfall), so the senior earns a
        // little less than its full coupon; the junior earns its full coupon net of the 15% performance fee
        assertGt(sr, SENIOR + SENIOR * 1000 / 10_000 * 85 / 100 * 9 / 10);
        assertLe(sr, SENIOR + SENIOR * 1000 / 10_000 * 85 / 100);
        assertApproxEqAbs(jr, JUNIOR + JUNIOR * 2000 / 10_000 * 85 / 100, 1e6);
        assertEq(deal.owedTo(borrower), 66_000e18); // cash reserve back
        uint256 fees = deal.owedTo(treasury) + deal.owedTo(stakerFees);
        assertApproxEqAbs(sr + jr + fees - 10_000e18, paidIn, 10, "every repaid AID reached a holder or a fee");
        deal.withdrawOwed(treasury);
        deal.withdrawOwed(stakerFees);
        deal.withdrawOwed(borrower);
        assertLe(aid.balanceOf(address(deal)), 10, "only index dust left");
        vm.prank(underwriter);
        deal.close();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.CLOSED));
    }

    function test_scenario_lateThenCured() public {
        GpuDeal deal = _activeDeal();
        uint256 due = deal.dueDate();
        vm.warp(due + 15 days);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, due + 15 days));
        deal.markLate();
        vm.warp(due + 20 days);
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
        assertEq(deal.markBps(), 10_000 * uint256(20 days) / 90 days); // from the due date, 100% at 90 days
        uint256 seniorInterest = deal.owed().seniorInterest; // gross: 15% of it goes to the treasury when paid
        assertEq(
            deal.trancheValue(SR),
            deal.owed().seniorPrincipal + seniorInterest - seniorInterest * 1500 / 10_000,
            "junior first"
        );
        assertLt(deal.trancheValue(JR), JUNIOR);
        // paying the interest through now cures (the next due date moves past now)
        _repay(deal, borrower, _owedInterest(deal));
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
        assertEq(deal.markBps(), 0);
        assertEq(deal.dueDate(), due + INTERVAL); // interest paid through day 20 of period 2
    }

    function test_scenario_defaultLiquidationShortfallJuniorFirst() public {
        GpuDeal deal = _activeDeal();
        uint256 due = deal.dueDate();
        vm.warp(due + 16 days);
        deal.markLate();
        vm.warp(due + 59 days);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.DefaultTooEarly.selector, due + 60 days));
        vm.prank(underwriter);
        deal.declareDefault();
        vm.warp(due + 60 days);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.Unauthorized.selector, attacker));
        vm.prank(attacker);
        deal.declareDefault();
        vm.prank(underwriter);
        deal.declareDefault();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.DEFAULTED));
        assertEq(deal.cashReserve(), 0, "cash reserve entered the waterfall");
        // liquidation: 500k of proceeds
        _giveAid(underwriter, 500_000e18);
        vm.startPrank(underwriter);
        aid.approve(address(deal), 500_000e18);
        deal.recover(500_000e18);
        deal.close();
        vm.stopPrank();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.CLOSED));
        uint256 sr = _claim(deal, seniorInvestor, SR);
        assertEq(deal.claimable(JR, juniorInvestor), 0, "junior takes the loss first");
        assertGt(sr, 500_000e18);
        assertLt(sr, SENIOR);
        assertEq(deal.trancheValue(SR), 0);
        assertEq(deal.trancheValue(JR), 0);
    }

    function test_scenario_defaultTransferToPartnerFullRepayment() public {
        GpuDeal deal = _activeDeal();
        uint256 due = deal.dueDate();
        vm.warp(due + 16 days);
        deal.markLate();
        vm.warp(due + 60 days);
        vm.prank(underwriter);
        deal.declareDefault();
        vm.prank(underwriter);
        deal.transferToPartner(partner);
        assertEq(deal.terms().borrower, partner);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
        assertGt(deal.dueDate(), block.timestamp);
        vm.warp(block.timestamp + 10 days);
        _repay(deal, partner, _owedTotal(deal));
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertGe(_claim(deal, seniorInvestor, SR), SENIOR);
        assertGe(_claim(deal, juniorInvestor, JR), JUNIOR);
    }

    function test_claim_followsTokenTransfer() public {
        GpuDeal deal = _activeDeal();
        vm.warp(deal.dueDate());
        _repay(deal, borrower, _owedInterest(deal));
        uint256 before = deal.claimable(SR, seniorInvestor);
        assertGt(before, 0);
        address buyer = makeAddr("buyer");
        TrancheToken sr = TrancheToken(deal.trancheToken(SR));
        vm.prank(seniorInvestor);
        sr.transfer(buyer, SENIOR / 2);
        assertEq(deal.claimable(SR, seniorInvestor), before, "paid before the transfer stays with the seller");
        assertEq(deal.claimable(SR, buyer), 0);
        vm.warp(deal.dueDate());
        _repay(deal, borrower, _owedInterest(deal));
        assertApproxEqAbs(deal.claimable(SR, buyer), deal.claimable(SR, seniorInvestor) - before, 1);
    }

    // ------------------------------------------------------------ invalid terms

    function _expectCreateRevert(IGpuDeal.Terms memory t, bytes memory err) internal {
        vm.expectRevert(err);
        vm.prank(underwriter);
        dealFactory.createDeal(t);
        assertEq(dealFactory.dealCount(), 0);
    }

    function test_createDeal_revertsOnAdvanceAbove80() public {
        IGpuDeal.Terms memory t = _terms();
        t.collateral.appraisedValue = APPRAISED - 1;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.AdvanceRateTooHigh.selector, PRINCIPAL, APPRAISED - 1));
    }

    function test_createDeal_revertsOnTenor() public {
        IGpuDeal.Terms memory t = _terms();
        t.tenor = uint32(90 days - 1);
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidTenor.selector, 90 days - 1));
        t.tenor = uint32(3 * 365 days + 1);
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidTenor.selector, 3 * 365 days + 1));
    }

    function test_createDeal_revertsOnSeniorRatio() public {
        IGpuDeal.Terms memory t = _terms();
        t.seniorPrincipal = SENIOR + 1;
        t.juniorPrincipal = JUNIOR - 1;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.SeniorRatioTooHigh.selector, SENIOR + 1, PRINCIPAL));
        t.seniorPrincipal = SENIOR;
        t.juniorPrincipal = 0;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.SeniorRatioTooHigh.selector, SENIOR, SENIOR));
    }

    function test_createDeal_revertsOnIntervalAprCollateralDeadlineShare() public {
        IGpuDeal.Terms memory t = _terms();
        t.paymentInterval = 0;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidPaymentInterval.selector, 0));
        t = _terms();
        t.seniorAprBps = 5001;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidApr.selector, 5001));
        t = _terms();
        t.collateral.serialsHash = bytes32(0);
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidCollateral.selector));
        t = _terms();
        t.fundingDeadline = uint32(block.timestamp);
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidFundingDeadline.selector, block.timestamp));
        t = _terms();
        t.structure = IGpuDeal.Structure.REVENUE_SHARE;
        t.revenueShareBps = 4999;
        t.capMultipleBps = 12_000;
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.InvalidRevenueShare.selector, 4999, 12_000));
        t = _terms();
        t.borrower = address(0);
        _expectCreateRevert(t, abi.encodeWithSelector(IGpuDeal.ZeroAddress.selector));
    }

    function test_createDeal_revertsOnRoleAndUnderwriter() public {
        IGpuDeal.Terms memory t = _terms();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, dealFactory.UNDERWRITER_ROLE()
            )
        );
        vm.prank(attacker);
        dealFactory.createDeal(t);
        t.underwriter = attacker;
        _expectCreateRevert(t, abi.encodeWithSelector(IDealFactory.UnderwriterMismatch.selector, underwriter, attacker));
    }

    function test_initialize_revertsOnImplementationAndClone() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        dealImpl.initialize(_terms(), address(aid), address(1), address(2), treasury, stakerFees, address(0));
        GpuDeal deal = _create(_terms());
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        deal.initialize(_terms(), address(aid), address(1), address(2), treasury, stakerFees, address(0));
    }

    // ------------------------------------------------------------ out-of-state calls

    function test_deposit_reverts() public {
        GpuDeal deal = _create(_terms());
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvestorNotAllowed.selector, address(this)));
        deal.deposit(SR, 1);
        _allow(address(this));
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.ZeroAmount.selector));
        deal.deposit(SR, 0);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.TrancheOverfilled.selector, JR, JUNIOR + 1, JUNIOR));
        deal.deposit(JR, JUNIOR + 1);
        uint256 deadline = deal.terms().fundingDeadline;
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.FundingWindow.selector, deadline));
        deal.deposit(SR, 1);
        deal = _activeDeal();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.ACTIVE));
        deal.deposit(SR, 1);
    }

    function test_refund_reverts() public {
        GpuDeal deal = _create(_terms());
        uint256 deadline = deal.terms().fundingDeadline;
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.FundingWindow.selector, deadline));
        deal.refund(SR);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NothingToClaim.selector, attacker));
        vm.prank(attacker);
        deal.refund(SR);
        deal = _activeDeal();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.ACTIVE));
        deal.refund(SR);
    }

    function test_lifecycle_outOfStateReverts() public {
        GpuDeal deal = _create(_terms());
        bytes memory funding = abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.FUNDING);
        vm.expectRevert(funding);
        deal.repay(1);
        vm.expectRevert(funding);
        deal.markLate();
        vm.startPrank(underwriter);
        vm.expectRevert(funding);
        deal.declareDefault();
        vm.expectRevert(funding);
        deal.recover(1);
        vm.expectRevert(funding);
        deal.transferToPartner(partner);
        vm.expectRevert(funding);
        deal.close();
        vm.stopPrank();
        vm.expectRevert(funding);
        deal.claim(SR, attacker);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotTrancheToken.selector, attacker));
        vm.prank(attacker);
        deal.onTrancheTransfer(attacker, attacker);
        TrancheToken srToken = TrancheToken(deal.trancheToken(SR));
        vm.expectRevert(abi.encodeWithSelector(TrancheToken.OnlyDeal.selector, attacker));
        vm.prank(attacker);
        srToken.mint(attacker, 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NothingToClaim.selector, attacker));
        deal.withdrawOwed(attacker);
    }

    // ------------------------------------------------------------ amortising and fuzz

    /// @dev Amortising: each due date the borrower pays down to the schedule (P × (n − k) / n) and stays current.
    function test_scenario_amortisingToMaturity() public {
        IGpuDeal.Terms memory t = _terms();
        t.amortising = true;
        GpuDeal deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        uint256 n = deal.periodCount();
        uint256 k;
        while (deal.state() == IGpuDeal.State.ACTIVE) {
            vm.warp(deal.dueDate());
            ++k;
            uint256 scheduled = PRINCIPAL * (n - k) / n;
            _repay(deal, borrower, _owedTotal(deal) - scheduled);
            assertEq(deal.periodsPaid(), k, "current through k");
            assertLe(k, n);
        }
        assertEq(k, n);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertGt(_claim(deal, seniorInvestor, SR), SENIOR);
        assertGt(_claim(deal, juniorInvestor, JR), JUNIOR);
    }

    /// INV-DEAL-08: any sequence of repayments at any times: once every holder and payee has pulled, the deal holds only
    /// its cash reserve plus index dust.
    function testFuzz_repay_anySequenceLeavesOnlyReserve(uint256[6] memory amounts, uint256[6] memory dts) public {
        GpuDeal deal = _activeDeal();
        for (uint256 i; i < 6; ++i) {
            vm.warp(block.timestamp + bound(dts[i], 1 hours, 40 days));
            if (deal.state() != IGpuDeal.State.ACTIVE) break;
            _repay(deal, borrower, bound(amounts[i], 1, 700_000e18));
        }
        _claim(deal, seniorInvestor, SR);
        _claim(deal, juniorInvestor, JR);
        address[3] memory payees = [treasury, stakerFees, borrower];
        for (uint256 i; i < 3; ++i) {
            if (deal.owedTo(payees[i]) > 0) deal.withdrawOwed(payees[i]);
        }
        assertEq(deal.claimable(SR, seniorInvestor) + deal.claimable(JR, juniorInvestor), 0);
        assertGe(aid.balanceOf(address(deal)), deal.cashReserve());
        assertLe(aid.balanceOf(address(deal)) - deal.cashReserve(), 20, "only index dust");
    }
}
