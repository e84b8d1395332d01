// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice Factory guardian pause, KYC gating of tranche deposits, the funding-window rule, partner transfer keeping
///         the schedule, and the sweep of leftovers after CLOSED / cancellation.
contract DealControlsTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant SWEEP_DELAY = 365 days; // [s]

    // ------------------------------------------------------------ deployment

    function test_coreDeployer_wiresDealRoles() public view {
        assertTrue(dealFactory.hasRole(dealFactory.DEAL_ADMIN_ROLE(), dealAdmin));
        assertFalse(dealFactory.hasRole(dealFactory.DEAL_ADMIN_ROLE(), admin));
        assertTrue(dealFactory.hasRole(dealFactory.UNDERWRITER_ROLE(), underwriter));
        assertTrue(dealFactory.hasRole(dealFactory.KYC_ROLE(), kycAdmin));
        assertTrue(dealFactory.hasRole(dealFactory.PAUSER_ROLE(), guardian));
        assertEq(dealFactory.revenueReporter(), address(revenueReporter));
        assertTrue(revenueReporter.hasRole(revenueReporter.REVENUE_REPORTER_ROLE(), reporterBot));
        assertEq(dealFactory.treasury(), treasury);
        assertEq(dealFactory.protocolFeeReceiver(), stakerFees);
        assertEq(dealFactory.aid(), address(aid));
    }

    // ------------------------------------------------------------ pause and KYC

    function test_pause_stopsNewDealsAndDepositsNotRepayOrClaims() public {
        GpuDeal active = _activeDeal();
        IGpuDeal.Terms memory long = _terms();
        long.fundingDeadline = uint32(block.timestamp + 90 days);
        GpuDeal funding = _create(long);
        vm.prank(guardian);
        dealFactory.pause();
        assertTrue(dealFactory.paused());
        IGpuDeal.Terms memory t = _terms();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(underwriter);
        dealFactory.createDeal(t);
        _giveAid(seniorInvestor, 1);
        vm.startPrank(seniorInvestor);
        aid.approve(address(funding), 1);
        vm.expectRevert(IGpuDeal.DepositsPaused.selector);
        funding.deposit(SR, 1);
        vm.stopPrank();
        // money already in deals keeps moving
        vm.warp(active.dueDate());
        _repay(active, borrower, _owedInterest(active));
        assertGt(_claim(active, seniorInvestor, SR), 0);
        vm.prank(dealAdmin);
        dealFactory.unpause();
        _fund(funding, seniorInvestor, SR, 1);
        assertEq(funding.raised(0), 1);
    }

    function test_pause_rolesEnforced() public {
        bytes32 pauser = dealFactory.PAUSER_ROLE();
        bytes32 dealAdminRole = dealFactory.DEAL_ADMIN_ROLE();
        bytes32 kyc = dealFactory.KYC_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, pauser)
        );
        vm.prank(attacker);
        dealFactory.pause();
        vm.prank(guardian);
        dealFactory.pause();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, dealAdminRole)
        );
        vm.prank(guardian);
        dealFactory.unpause();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, kyc));
        vm.prank(attacker);
        dealFactory.setInvestorAllowed(attacker, true);
        vm.expectRevert(abi.encodeWithSignature("ZeroAddress()"));
        vm.prank(kycAdmin);
        dealFactory.setInvestorAllowed(address(0), true);
    }

    function test_deposit_requiresKycButTokensTransferFreely() public {
        GpuDeal deal = _create(_terms());
        _giveAid(attacker, 1);
        vm.startPrank(attacker);
        aid.approve(address(deal), 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvestorNotAllowed.selector, attacker));
        deal.deposit(SR, 1);
        vm.stopPrank();
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        // secondary transfers stay free: the KYC gate is on primary funding
        address buyer = makeAddr("buyer");
        GpuDealTokenLike token = GpuDealTokenLike(deal.trancheToken(SR));
        vm.prank(seniorInvestor);
        assertTrue(token.transfer(buyer, 1e18));
        vm.prank(kycAdmin);
        dealFactory.setInvestorAllowed(seniorInvestor, false);
        assertFalse(dealFactory.isInvestorAllowed(seniorInvestor));
    }

    function test_deposit_afterFundingWindowRejected() public {
        GpuDeal deal = _create(_terms());
        _fund(deal, seniorInvestor, SR, SENIOR / 2);
        uint256 deadline = deal.terms().fundingDeadline;
        vm.warp(deadline + 1);
        _giveAid(juniorInvestor, JUNIOR);
        vm.startPrank(juniorInvestor);
        aid.approve(address(deal), JUNIOR);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.FundingWindow.selector, deadline));
        deal.deposit(JR, JUNIOR);
        vm.stopPrank();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.FUNDING));
    }

    // ------------------------------------------------------------ partner transfer keeps the schedule

    function _defaulted(GpuDeal deal) internal {
        uint256 due = deal.dueDate();
        vm.warp(due + WaterfallLib.GRACE + 1);
        deal.markLate();
        vm.warp(due + 60 days);
        vm.prank(underwriter);
        deal.declareDefault();
    }

    function test_transferToPartner_keepsMaturityAndRemainingSchedule() public {
        IGpuDeal.Terms memory t = _terms();
        t.amortising = true;
        GpuDeal deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        uint256 maturity = deal.maturity();
        uint256 start = deal.activatedAt();
        uint256 periods = deal.periodCount();
        _defaulted(deal);
        vm.prank(underwriter);
        deal.transferToPartner(partner);
        uint256 elapsed = (block.timestamp - start) / INTERVAL;
        assertEq(deal.maturity(), maturity);
        assertEq(deal.periodCount(), periods);
        assertEq(deal.periodsPaid(), elapsed);
        assertEq(deal.dueDate(), start + (elapsed + 1) * INTERVAL); // next period of the original calendar
        assertEq(deal.terms().tenor, t.tenor);
        // the partner is late on the original calendar if it skips the next period, and cures by paying it
        vm.warp(start + (elapsed + 1) * INTERVAL + WaterfallLib.GRACE + 1);
        deal.markLate();
        _repay(deal, partner, _owedTotal(deal) - PRINCIPAL * (periods - elapsed - 2) / periods);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE));
        assertEq(deal.dueDate(), start + (elapsed + 2) * INTERVAL);
        vm.warp(maturity);
        _repay(deal, partner, _owedTotal(deal));
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertEq(deal.maturity(), maturity);
    }

    function test_transferToPartner_revenueShareRestartsDues() public {
        GpuDeal deal = _create(_rsTerms());
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        uint256 start = deal.activatedAt();
        uint256 maturity = deal.maturity();
        _defaulted(deal);
        vm.prank(underwriter);
        deal.transferToPartner(partner);
        uint256 elapsed = (block.timestamp - start) / INTERVAL;
        assertEq(deal.dueDate(), start + (elapsed + 1) * INTERVAL);
        assertEq(deal.maturity(), maturity);
        vm.warp(start + (elapsed + 1) * INTERVAL);
        (uint256 due,) = deal.periodPayment(elapsed);
        _repay(deal, partner, due);
        assertEq(deal.dueDate(), start + (elapsed + 2) * INTERVAL);
    }

    // ------------------------------------------------------------ sweep

    function test_sweep_afterCloseGraceSendsLeftoversToTreasury() public {
        GpuDeal deal = _activeDeal();
        vm.warp(deal.dueDate());
        _repay(deal, borrower, _owedTotal(deal));
        vm.prank(underwriter);
        deal.close();
        uint256 closedAt = deal.closedAt();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.SweepTooEarly.selector, closedAt + SWEEP_DELAY));
        deal.sweep();
        assertGt(_claim(deal, seniorInvestor, SR), 0); // one holder claims, the junior never does
        vm.warp(closedAt + SWEEP_DELAY);
        uint256 left = aid.balanceOf(address(deal));
        assertGt(left, 0);
        uint256 before = aid.balanceOf(treasury);
        vm.expectEmit(address(deal));
        emit IGpuDeal.Swept(treasury, left);
        assertEq(deal.sweep(), left);
        assertEq(aid.balanceOf(treasury) - before, left);
        assertEq(aid.balanceOf(address(deal)), 0);
        vm.expectRevert(IGpuDeal.AlreadySwept.selector);
        vm.prank(juniorInvestor);
        deal.claim(JR, juniorInvestor);
        vm.expectRevert(IGpuDeal.AlreadySwept.selector);
        deal.withdrawOwed(borrower);
        vm.expectRevert(IGpuDeal.AlreadySwept.selector);
        deal.sweep();
    }

    function test_sweep_unrefundedFundingAfterDeadlineGrace() public {
        GpuDeal deal = _create(_terms());
        _fund(deal, seniorInvestor, SR, SENIOR / 4);
        uint256 deadline = deal.terms().fundingDeadline;
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.SweepTooEarly.selector, deadline + SWEEP_DELAY));
        deal.sweep();
        vm.warp(deadline + SWEEP_DELAY);
        assertEq(deal.sweep(), SENIOR / 4);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.CANCELLED));
        vm.expectRevert(IGpuDeal.AlreadySwept.selector);
        vm.prank(seniorInvestor);
        deal.refund(SR);
    }

    function test_sweep_revertsWhileMoneyIsLive() public {
        GpuDeal funding = _create(_terms());
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.FUNDING));
        funding.sweep();
        GpuDeal deal = _activeDeal();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.ACTIVE));
        deal.sweep();
        vm.warp(deal.dueDate());
        _repay(deal, borrower, _owedTotal(deal));
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.InvalidState.selector, IGpuDeal.State.MATURED));
        deal.sweep();
    }
}

interface GpuDealTokenLike {
    function transfer(address to, uint256 amount) external returns (bool);
}
