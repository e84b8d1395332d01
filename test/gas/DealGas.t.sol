// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {DealBase} from "../deals/DealBase.sol";

/// @notice GPU deal hot paths with `--isolate` (each call its own transaction): create a deal (three clones), fund a
///         tranche, repay through the waterfall, claim through the per-share index.
contract DealGasTest is DealBase {
    function test_gas_createDeal() public {
        IGpuDeal.Terms memory t = _terms();
        vm.prank(underwriter);
        dealFactory.createDeal(t);
        vm.snapshotGasLastCall("createDeal");
    }

    function test_gas_deposit() public {
        GpuDeal deal = _create(_terms());
        _giveAid(seniorInvestor, SENIOR);
        vm.prank(seniorInvestor);
        aid.approve(address(deal), SENIOR);
        vm.prank(seniorInvestor);
        deal.deposit(IGpuDeal.Tranche.SENIOR, SENIOR / 2);
        vm.snapshotGasLastCall("deposit_tranche");
    }

    function test_gas_repayWaterfall() public {
        GpuDeal deal = _activeDeal();
        vm.warp(deal.dueDate());
        uint256 amount = _owedInterest(deal) + 10_000e18; // interest, fees and some senior principal
        _giveAid(borrower, amount);
        vm.prank(borrower);
        aid.approve(address(deal), amount);
        vm.prank(borrower);
        deal.repay(amount);
        vm.snapshotGasLastCall("repay_waterfall");
    }

    function test_gas_claim() public {
        GpuDeal deal = _activeDeal();
        vm.warp(deal.dueDate());
        _repay(deal, borrower, _owedInterest(deal));
        vm.prank(seniorInvestor);
        deal.claim(IGpuDeal.Tranche.SENIOR, seniorInvestor);
        vm.snapshotGasLastCall("claim_tranche");
    }

    /// @dev REVENUE_SHARE repayment in month 4 of a deal whose first three periods are reported (the due-date scan
    ///      reads each period's revenue).
    function test_gas_repayRevenueShare() public {
        GpuDeal deal = _create(_rsTerms());
        _fund(deal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR);
        _fund(deal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
        vm.warp(deal.activatedAt() + 3 * INTERVAL);
        for (uint256 p; p < 3; ++p) {
            _report(deal, p, 50_000e18);
        }
        uint256 amount = 100_000e18;
        _giveAid(borrower, amount);
        vm.prank(borrower);
        aid.approve(address(deal), amount);
        vm.prank(borrower);
        deal.repay(amount);
        vm.snapshotGasLastCall("repay_revenueShare");
    }

    /// @dev Valuing a REVENUE_SHARE tranche in period 36 of a 3-year deal paid period by period after each report (what
    ///      sAID does for every position on deposit, unstake and queue processing): the deal caches the cumulative due
    ///      of the reported, covered periods, so no period's revenue is read again (O(1), not one read per period).
    function test_gas_trancheValueRevenueShareLate() public {
        IGpuDeal.Terms memory t = _rsTerms();
        t.tenor = uint32(3 * 365 days);
        GpuDeal deal = _create(t);
        _fund(deal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR);
        _fund(deal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
        for (uint256 p; p < 36; ++p) {
            vm.warp(deal.activatedAt() + (p + 1) * INTERVAL);
            _report(deal, p, 40_000e18);
            (uint256 due,) = deal.periodPayment(p);
            _repay(deal, borrower, due);
        }
        vm.warp(block.timestamp + 5 days);
        deal.trancheValue(IGpuDeal.Tranche.JUNIOR);
        vm.snapshotGasLastCall("trancheValue_revenueShare_late");
        assertLt(vm.lastCallGas().gasTotalUsed, 60_000, "no revenue read per elapsed period");
    }
}
