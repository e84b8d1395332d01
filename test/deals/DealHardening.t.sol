// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {IDealFactory} from "../../src/interfaces/IDealFactory.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Regression tests of issue 12 (deals part): early FIXED installments are credited, the performance fee is
///         charged only on interest paid to a tranche, the cash reserve is first-loss on every path, the factory's
///         underwriter role is authoritative, a swept position values at what it can still pay, and a missed payment
///         reaches the tranche values from the due date without anyone calling `markLate`.
contract DealHardeningTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant GRACE = 15 days; // [s]

    function _activeWith(bool amortising) internal returns (GpuDeal deal) {
        IGpuDeal.Terms memory t = _terms();
        t.amortising = amortising;
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }

    /// @dev Scheduled principal outstanding after `k` periods of `n` (amortising: equal parts; bullet: all at the end).
    function _scheduled(bool amortising, uint256 k, uint256 n) internal pure returns (uint256) {
        if (k >= n) return 0;
        return amortising ? PRINCIPAL - PRINCIPAL * k / n : PRINCIPAL;
    }

    /// @dev What the deal will owe in total at time `at` (≥ now) if nothing else happens: the view at `at`.
    function _owedAt(GpuDeal deal, uint256 at) internal returns (uint256 o) {
        uint256 snap = vm.snapshotState();
        vm.warp(at);
        o = _owedTotal(deal);
        vm.revertToState(snap);
    }

    // ------------------------------------------------------------ finding 1

    /// @dev A bullet borrower pays the first period's full interest one hour before the due date: it is current
    ///      through period 1, so 15 days after that due date `markLate` reverts with the next due date's grace end.
    function test_finding1_earlyInstallmentCredited() public {
        GpuDeal deal = _activeWith(false);
        uint256 start = deal.activatedAt();
        uint256 due1 = start + INTERVAL;
        uint256 installment = _owedAt(deal, due1) - PRINCIPAL; // interest and fees through the due date
        vm.warp(due1 - 1 hours);
        _repay(deal, borrower, installment);
        vm.warp(due1 + GRACE + 1);
        assertEq(deal.dueDate(), start + 2 * INTERVAL, "current through period 1");
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, start + 2 * INTERVAL + GRACE));
        deal.markLate();
    }

    /// @dev Amortising: interest through the due date plus one principal installment, paid one hour early.
    function test_finding1_earlyAmortisingInstallmentCredited() public {
        GpuDeal deal = _activeWith(true);
        uint256 start = deal.activatedAt();
        uint256 n = deal.periodCount();
        uint256 due1 = start + INTERVAL;
        uint256 installment = _owedAt(deal, due1) - _scheduled(true, 1, n);
        vm.warp(due1 - 1 hours);
        _repay(deal, borrower, installment);
        vm.warp(due1 + GRACE + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, start + 2 * INTERVAL + GRACE));
        deal.markLate();
    }

    /// @dev Any payment times (early, on time, late within the grace, partial, several periods at once, twice):
    ///      once the cumulative repayments cover everything accrued through due date k plus the scheduled principal,
    ///      the deal is not markable late for any due date ≤ k.
    struct Cover {
        uint256 dueK; // due date k [s]
        uint256 target; // scheduled principal after k [wad]
        uint256 owedAtDue; // total owed at due date k (recorded once time passes it) [wad]
        uint256 paidAfterDue; // [wad]
    }

    /// @dev Pays at `at` a part (all when `last`) of what is still needed to cover the schedule through due date k.
    function _payTowards(GpuDeal deal, Cover memory c, uint256 at, uint256 part, bool last) internal {
        if (at > c.dueK && c.owedAtDue == 0) c.owedAtDue = _owedAt(deal, c.dueK);
        vm.warp(at);
        uint256 need;
        if (at <= c.dueK) {
            uint256 projected = _owedAt(deal, c.dueK);
            need = projected > c.target ? projected - c.target : 0;
        } else {
            uint256 left = c.owedAtDue > c.target ? c.owedAtDue - c.target : 0;
            need = left > c.paidAfterDue ? left - c.paidAfterDue : 0;
        }
        uint256 amount = last ? need : bound(part, 0, need);
        if (amount == 0) return;
        _repay(deal, borrower, amount);
        if (at > c.dueK) c.paidAfterDue += amount;
    }

    /// @dev Any payment times (early, on time, late within the grace, partial, several periods at once, twice):
    ///      once the cumulative repayments cover everything accrued through due date k plus the scheduled principal,
    ///      the deal is not markable late for any due date ≤ k.
    function testFuzz_finding1_coveredScheduleNeverLate(
        bool amortising,
        uint256 kSeed,
        uint256[3] memory times,
        uint256[3] memory parts
    ) public {
        GpuDeal deal = _activeWith(amortising);
        uint256 start = deal.activatedAt();
        Cover memory c;
        uint256 k = bound(kSeed, 1, 3);
        c.dueK = start + k * INTERVAL;
        c.target = _scheduled(amortising, k, deal.periodCount());
        // sorted payment times in (start, dueK + grace]
        times[0] = bound(times[0], start + 1, c.dueK + GRACE);
        times[1] = bound(times[1], times[0], c.dueK + GRACE);
        times[2] = bound(times[2], times[1], c.dueK + GRACE);
        for (uint256 i; i < 3; ++i) {
            _payTowards(deal, c, times[i], parts[i], i == 2);
        }
        assertGe(deal.dueDate(), c.dueK + INTERVAL, "current through k");
        vm.warp(c.dueK + GRACE + 1);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, deal.dueDate() + GRACE));
        deal.markLate();
    }

    // ------------------------------------------------------------ finding 2

    /// @dev Default with liquidation short of the senior claim: the junior never gets interest, so the treasury's
    ///      performance fee is at most 15% of the senior interest (the only interest paid), and the senior receives
    ///      everything else that came in after the protocol fee.
    function test_finding2_noFeeOnUnpaidJuniorInterestInDefault() public {
        GpuDeal deal = _activeDeal();
        uint256 start = deal.activatedAt();
        uint256 due = deal.dueDate();
        vm.warp(due + GRACE + 1);
        deal.markLate();
        vm.warp(due + 60 days);
        vm.prank(underwriter);
        deal.declareDefault();
        uint256 elapsed = block.timestamp - start;
        uint256 proceeds = 300_000e18;
        _giveAid(underwriter, proceeds);
        vm.startPrank(underwriter);
        aid.approve(address(deal), proceeds);
        deal.recover(proceeds);
        deal.close();
        vm.stopPrank();
        assertEq(deal.claimable(JR, juniorInvestor), 0, "junior gets nothing");
        uint256 perfFee = deal.owedTo(treasury) - deal.tokenizationFee();
        uint256 seniorInterest = WaterfallLib.interest(SENIOR, 1000, elapsed);
        assertLe(perfFee, seniorInterest * 1500 / 10_000, "fee only on interest the senior was paid");
        uint256 protocolFee = deal.owedTo(stakerFees);
        assertLe(protocolFee, WaterfallLib.interest(SENIOR, 25, elapsed) + 1);
        assertApproxEqAbs(
            deal.claimable(SR, seniorInvestor),
            66_000e18 + proceeds - protocolFee - perfFee,
            2,
            "senior gets the rest (index dust)"
        );
    }

    // ------------------------------------------------------------ finding 3

    function _activeRsCap1x() internal returns (GpuDeal deal) {
        IGpuDeal.Terms memory t = _rsTerms();
        t.capMultipleBps = 10_000; // 1x: the borrower's payments stop at the principal
        deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
    }

    /// @dev The cap is reached with less interest owed than the reserve: the reserve makes both tranches whole and
    ///      only the rest goes back to the borrower; no loss is realised.
    function test_finding3_capReachedReserveMakesJuniorWhole() public {
        GpuDeal deal = _activeRsCap1x();
        vm.warp(deal.activatedAt() + INTERVAL);
        uint256 shortfall = _owedTotal(deal) - PRINCIPAL; // what the capped payments leave unpaid
        assertLt(shortfall, 66_000e18);
        _repay(deal, borrower, PRINCIPAL);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        assertEq(deal.owedTo(borrower), 66_000e18 - shortfall, "only the leftover reserve goes back");
        assertGe(deal.claimable(JR, juniorInvestor), JUNIOR, "junior whole");
        assertEq(deal.trancheValue(JR), 0);
    }

    /// @dev The cap is reached with more interest owed than the reserve: the whole reserve goes to the tranches, the
    ///      borrower gets none of it back, and the junior's realised loss is the shortfall net of the reserve.
    function test_finding3_capReachedReserveSpentBeforeJuniorLoss() public {
        GpuDeal deal = _activeRsCap1x();
        vm.warp(deal.activatedAt() + 8 * INTERVAL);
        uint256 shortfall = _owedTotal(deal) - PRINCIPAL;
        assertGt(shortfall, 66_000e18);
        uint256 treasuryBefore = deal.owedTo(treasury) + deal.owedTo(stakerFees);
        _repay(deal, borrower, PRINCIPAL);
        assertEq(deal.owedTo(borrower), 0, "no reserve back to the borrower while the junior loses");
        uint256 toHolders = deal.claimable(SR, seniorInvestor) + deal.claimable(JR, juniorInvestor);
        uint256 fees = deal.owedTo(treasury) + deal.owedTo(stakerFees) - treasuryBefore;
        assertApproxEqAbs(toHolders + fees, PRINCIPAL + 66_000e18, 2, "cap and reserve both paid out");
        assertEq(deal.cashReserve(), 0);
    }

    // ------------------------------------------------------------ finding 4

    /// @dev Revoking UNDERWRITER_ROLE in the factory stops the underwriter acting on its existing deals.
    function test_finding4_revokedUnderwriterCannotActOnDeal() public {
        GpuDeal deal = _activeDeal();
        uint256 due = deal.dueDate();
        vm.warp(due + GRACE + 1);
        deal.markLate();
        bytes32 role = dealFactory.UNDERWRITER_ROLE();
        vm.prank(admin);
        dealFactory.revokeRole(role, underwriter);
        vm.warp(due + 60 days);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.Unauthorized.selector, underwriter));
        vm.prank(underwriter);
        deal.declareDefault();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
    }

    /// @dev The deal admin rotates a deal's underwriter through the factory (to a holder of the role only); the old
    ///      underwriter loses the deal's calls, the new one gets them, and nobody else can rotate.
    function test_finding4_factoryRotatesDealUnderwriter() public {
        GpuDeal deal = _activeDeal();
        address newUw = makeAddr("newUnderwriter");
        bytes32 adminRole = dealFactory.DEAL_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, adminRole)
        );
        vm.prank(attacker);
        dealFactory.setDealUnderwriter(address(deal), newUw);
        vm.expectRevert(abi.encodeWithSelector(IDealFactory.NotUnderwriter.selector, newUw));
        vm.prank(dealAdmin);
        dealFactory.setDealUnderwriter(address(deal), newUw);
        vm.expectRevert(abi.encodeWithSelector(IDealFactory.UnknownDeal.selector, attacker));
        vm.prank(dealAdmin);
        dealFactory.setDealUnderwriter(attacker, newUw);
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.Unauthorized.selector, dealAdmin));
        vm.prank(dealAdmin);
        deal.setUnderwriter(newUw);
        bytes32 role = dealFactory.UNDERWRITER_ROLE();
        vm.prank(admin);
        dealFactory.grantRole(role, newUw);
        vm.expectEmit(address(deal));
        emit IGpuDeal.UnderwriterChanged(underwriter, newUw);
        vm.expectEmit(address(dealFactory));
        emit IDealFactory.DealUnderwriterSet(address(deal), newUw);
        vm.prank(dealAdmin);
        dealFactory.setDealUnderwriter(address(deal), newUw);
        assertEq(deal.terms().underwriter, newUw);
        uint256 due = deal.dueDate();
        vm.warp(due + 60 days);
        deal.markLate();
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.Unauthorized.selector, underwriter));
        vm.prank(underwriter);
        deal.declareDefault();
        vm.prank(newUw);
        deal.declareDefault();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.DEFAULTED));
    }

    // ------------------------------------------------------------ finding 5

    /// @dev A cancelled deal whose refund sAID never took is swept: the position values at 0, sAID writes it off
    ///      through `bookLoss` and removes it, and its NAV equals the AID it really holds.
    function test_finding5_sweptCancelledPositionWrittenOffAndRemoved() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR / 2); // never fills
        vm.warp(uint256(deal.terms().fundingDeadline) + 365 days + 1);
        deal.sweep();
        assertEq(p.valueOf(address(sAID)), 0, "nothing left to pay");
        vm.prank(allocator);
        assertEq(sAID.bookLoss(address(p)), SENIOR);
        vm.prank(allocator);
        sAID.removePosition(address(p));
        assertEq(sAID.positions().length, 0);
        assertEq(sAID.totalAssets(), aid.balanceOf(address(sAID)), "NAV = real assets");
    }

    /// @dev A matured, closed deal whose payments sAID never collected is swept: `deallocate` no longer reverts, it
    ///      receives nothing and books the write-off; the position is then removable.
    function test_finding5_sweptClosedPositionDeallocatesAndIsRemovable() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        vm.warp(deal.maturity());
        _repay(deal, borrower, _owedTotal(deal));
        vm.prank(underwriter);
        deal.close();
        assertGt(deal.claimable(SR, address(p)), SENIOR);
        vm.warp(block.timestamp + 365 days);
        deal.sweep();
        assertEq(deal.claimable(SR, address(p)), 0, "swept: nothing claimable");
        assertEq(p.valueOf(address(sAID)), 0);
        vm.prank(allocator);
        assertEq(sAID.deallocate(address(p), SENIOR), 0);
        assertEq(sAID.bookedOf(address(p)), 0, "written off");
        vm.prank(allocator);
        sAID.removePosition(address(p));
        assertEq(sAID.totalAssets(), aid.balanceOf(address(sAID)), "NAV = real assets");
    }

    // ------------------------------------------------------------ finding 6

    /// @dev A missed payment: past the grace the junior's value is written down from the due date without anyone
    ///      calling `markLate`, so sAID can book the loss at once.
    function test_finding6_missedPaymentMarkedWithoutMarkLate() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, JR, JUNIOR);
        _fund(deal, seniorInvestor, SR, SENIOR);
        uint256 due = deal.dueDate();
        vm.warp(due + 30 days);
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.ACTIVE), "nobody marked it");
        assertEq(deal.markBps(), 10_000 * uint256(30 days) / 90 days, "30 of 90 days");
        assertLt(p.valueOf(address(sAID)), JUNIOR, "the junior is written down");
        vm.prank(allocator);
        assertGt(sAID.bookLoss(address(p)), 0);
    }

    /// @dev Marks run from the due date (0 at it, linear to 100% at day 90); the cash reserve absorbs the mark first,
    ///      so the first days write no tranche down; past that the mark shows in the tranche values inside the 15-day
    ///      grace and without `markLate`, and a payment that makes the borrower current again removes it at once.
    function test_finding6_marksRunFromDueDateAndClearOnPayment() public {
        GpuDeal deal = _activeDeal();
        uint256 due = deal.dueDate();
        vm.warp(due);
        assertEq(deal.markBps(), 0, "not overdue at the due date");
        vm.warp(due + 1 days);
        assertEq(deal.markBps(), 10_000 * uint256(1 days) / 90 days);
        assertGe(deal.trancheValue(JR), JUNIOR, "within the cash reserve");
        vm.warp(due + GRACE - 1);
        assertLt(deal.trancheValue(JR), JUNIOR, "written down inside the grace, without markLate");
        _repay(deal, borrower, _owedTotal(deal) - PRINCIPAL); // everything accrued: current through period 1
        assertEq(deal.markBps(), 0);
        assertEq(deal.dueDate(), due + INTERVAL);
    }

    /// @dev The schedule and fee helpers: amortising principal steps down in equal parts to 0 at the last period, a
    ///      bullet stays whole until it; the performance fee is 15% rounded down.
    function testFuzz_waterfallLib_scheduleAndFee(uint256 principal, uint256 k, uint256 n, uint256 paid) public pure {
        principal = bound(principal, 1, 1e30);
        n = bound(n, 1, 156);
        k = bound(k, 0, n);
        uint256 amortising = WaterfallLib.scheduledPrincipal(principal, k, n, true);
        uint256 bullet = WaterfallLib.scheduledPrincipal(principal, k, n, false);
        assertEq(bullet, k < n ? principal : 0);
        assertEq(amortising, k < n ? principal - k * (principal / n) : 0);
        if (k < n) assertGe(amortising, WaterfallLib.scheduledPrincipal(principal, k + 1, n, true));
        // equal installments of ⌊principal / n⌋ that sum to the principal exactly (the last takes the remainder)
        if (k + 1 < n) {
            assertEq(amortising - WaterfallLib.scheduledPrincipal(principal, k + 1, n, true), principal / n);
        }
        assertEq(WaterfallLib.scheduledPrincipal(principal, 0, n, true), principal);
        paid = bound(paid, 0, 1e30);
        assertLe(WaterfallLib.performanceFee(paid) * 10_000, paid * 1500);
        assertGt((WaterfallLib.performanceFee(paid) + 1) * 10_000, paid * 1500);
    }
}
