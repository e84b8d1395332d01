// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {RevenueReporter} from "../../src/deals/RevenueReporter.sol";
import {IRevenueReporter} from "../../src/interfaces/IRevenueReporter.sol";
import {DealBase} from "./DealBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice RevenueReporter: role-gated, one report per ended period.
contract RevenueReporterTest is DealBase {
    RevenueReporter internal reporter;
    address internal oracle = makeAddr("oracle");

    function setUp() public override {
        super.setUp();
        reporter = new RevenueReporter(admin);
        bytes32 role = reporter.REVENUE_REPORTER_ROLE();
        vm.prank(admin);
        reporter.grantRole(role, oracle);
    }

    function test_reportRevenue_recordsOncePerEndedPeriod() public {
        GpuDeal d = _activeDeal();
        vm.expectRevert(abi.encodeWithSelector(IRevenueReporter.PeriodNotEnded.selector, address(d), 0));
        vm.prank(oracle);
        reporter.reportRevenue(address(d), 0, 100e18);
        vm.warp(block.timestamp + INTERVAL);
        (,, uint256 notYet) = reporter.revenueOf(address(d), 0);
        assertEq(notYet, 0, "no report time before the report");
        vm.prank(oracle);
        reporter.reportRevenue(address(d), 0, 100e18);
        (uint256 revenue, bool reported, uint256 reportedAt) = reporter.revenueOf(address(d), 0);
        assertEq(revenue, 100e18);
        assertTrue(reported);
        assertEq(reportedAt, block.timestamp, "the report time");
        vm.expectRevert(abi.encodeWithSelector(IRevenueReporter.PeriodAlreadyReported.selector, address(d), 0));
        vm.prank(oracle);
        reporter.reportRevenue(address(d), 0, 1);
    }

    /// @dev A revenue that does not fit its uint192 slot is refused, never truncated.
    function test_reportRevenue_revertsWhen_revenueTooLarge() public {
        GpuDeal d = _activeDeal();
        vm.warp(block.timestamp + INTERVAL);
        uint256 tooLarge = uint256(type(uint192).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 192, tooLarge));
        vm.prank(oracle);
        reporter.reportRevenue(address(d), 0, tooLarge);
        (, bool reported,) = reporter.revenueOf(address(d), 0);
        assertFalse(reported, "nothing recorded");
    }

    function test_reportRevenue_reverts() public {
        bytes32 role = reporter.REVENUE_REPORTER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        vm.prank(attacker);
        reporter.reportRevenue(address(1), 0, 1);
        vm.expectRevert(abi.encodeWithSelector(IRevenueReporter.ZeroDeal.selector));
        vm.prank(oracle);
        reporter.reportRevenue(address(0), 0, 1);
        GpuDeal d = _create(_terms()); // not active yet
        vm.expectRevert(abi.encodeWithSelector(IRevenueReporter.PeriodNotEnded.selector, address(d), 0));
        vm.prank(oracle);
        reporter.reportRevenue(address(d), 0, 1);
        vm.expectRevert(abi.encodeWithSelector(RevenueReporter.AdminRenounceDisabled.selector));
        vm.prank(admin);
        reporter.renounceRole(bytes32(0), admin);
    }
}
