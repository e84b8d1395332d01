// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {DealFactory} from "../../src/deals/DealFactory.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {OracleRevenueAdapter} from "../../src/deals/OracleRevenueAdapter.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";

/// @notice A REVENUE_SHARE deal fed by the real telemetry oracle through the adapter: nodes registered to the deal's
///         factory id report revenue, roots are accepted and proven, and the checkpointed period revenue sets the
///         amount due.
contract OracleRevenueIntegrationTest is NodesBase {
    uint256 internal constant INTERVAL = 30 days; // [s]
    uint256 internal constant DELAY = 1 days; // [s]
    DealFactory internal dealFactory;
    OracleRevenueAdapter internal adapter;
    address internal borrowerCo = makeAddr("borrowerCo");
    address internal investor = makeAddr("investor");

    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        CoreDeployer.Deals memory d = CoreDeployer.deployDeals(address(aid), admin, admin, admin);
        CoreDeployer.configureDeals(d, admin, CoreDeployer.DealParams(admin, admin, admin, admin, admin));
        dealFactory = d.factory;
        adapter = new OracleRevenueAdapter(oracle, address(dealFactory), DELAY);
        dealFactory.setRevenueReporter(address(adapter));
        dealFactory.setInvestorAllowed(investor, true);
        vm.stopPrank();
    }

    function _terms() internal view returns (IGpuDeal.Terms memory t) {
        t.borrower = borrowerCo;
        t.underwriter = admin;
        t.collateral = IGpuDeal.Collateral(IGpuDeal.AssetClass.GPU, H100, 24, 1_250_000e18, keccak256("s"), bytes32(0));
        t.structure = IGpuDeal.Structure.REVENUE_SHARE;
        t.seniorPrincipal = 800_000e18;
        t.juniorPrincipal = 200_000e18;
        t.seniorAprBps = 1000;
        t.juniorAprBps = 2000;
        t.revenueShareBps = 6000;
        t.capMultipleBps = 15_000;
        t.minPeriodPayment = 100e18;
        t.tenor = uint32(365 days);
        t.paymentInterval = uint32(INTERVAL);
        t.fundingDeadline = uint32(block.timestamp + 14 days);
    }

    function test_oracleRevenue_setsRevenueShareDue() public {
        // the factory numbers deals from 1: the seventh deal carries DEAL_A, the id the nodes registered under
        GpuDeal deal;
        vm.startPrank(admin);
        for (uint256 i; i < DEAL_A; ++i) {
            deal = GpuDeal(dealFactory.createDeal(_terms()));
        }
        vm.stopPrank();
        assertEq(dealFactory.dealIdOf(address(deal)), DEAL_A);
        vm.prank(address(minter));
        aid.mint(investor, 1_000_000e18);
        vm.startPrank(investor);
        aid.approve(address(deal), 1_000_000e18);
        deal.deposit(IGpuDeal.Tranche.SENIOR, 800_000e18);
        deal.deposit(IGpuDeal.Tranche.JUNIOR, 200_000e18);
        vm.stopPrank();
        uint256 start = deal.activatedAt();

        // epoch0's root is accepted by 75% of stake, finalised, and DEAL_A's three nodes are proven
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        uint256 revenue;
        for (uint256 i; i < 3; ++i) {
            _prove(epoch0, r, i);
            revenue += r[i].revenue;
        }
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), revenue);

        vm.warp(start + INTERVAL + DELAY);
        (uint256 period, uint256 got) = adapter.checkpoint(address(deal));
        assertEq(period, 0);
        assertEq(got, revenue);
        (uint256 due, bool reported) = deal.periodPayment(0);
        assertTrue(reported);
        assertGt(revenue * 6000 / 10_000, 100e18, "the share is above the minimum");
        assertEq(due, revenue * 6000 / 10_000);
        assertEq(deal.dueDate(), start + INTERVAL);
    }
}
