// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {OracleRevenueAdapter} from "../../src/deals/OracleRevenueAdapter.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IOracleRevenueAdapter} from "../../src/interfaces/IOracleRevenueAdapter.sol";
import {IRevenueOracle} from "../../src/interfaces/IRevenueOracle.sol";
import {MockRevenueOracle} from "../mocks/MockRevenueOracle.sol";
import {DealBase} from "./DealBase.sol";

/// @notice OracleRevenueAdapter: per-period revenue as checkpointed deltas of the oracle's cumulative deal revenue,
///         keyed by the factory's deal id, read by REVENUE_SHARE deals.
contract OracleRevenueAdapterTest is DealBase {
    uint256 internal constant DELAY = 3 days; // [s]
    MockRevenueOracle internal oracle;
    OracleRevenueAdapter internal adapter;

    function setUp() public override {
        super.setUp();
        oracle = new MockRevenueOracle();
        adapter = new OracleRevenueAdapter(oracle, address(dealFactory), DELAY);
        vm.prank(dealAdmin);
        dealFactory.setRevenueReporter(address(adapter));
    }

    function _activeRs() internal returns (GpuDeal deal) {
        deal = _create(_rsTerms());
        _fund(deal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR);
        _fund(deal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
    }

    function test_checkpoint_deltasOfCumulativeFeedTheDeal() public {
        GpuDeal deal = _activeRs();
        uint256 id = dealFactory.dealIdOf(address(deal));
        assertEq(deal.revenueReporter(), address(adapter));
        uint256 start = deal.activatedAt();
        oracle.setCumulative(id, 120_000e18);
        uint256 ready0 = start + INTERVAL + DELAY;
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.PeriodNotSettled.selector, deal, 0, ready0));
        adapter.checkpoint(address(deal));
        vm.warp(ready0);
        (uint256 p0, uint256 r0) = adapter.checkpoint(address(deal));
        assertEq(p0, 0);
        assertEq(r0, 120_000e18);
        oracle.setCumulative(id, 200_000e18); // proven later: counts in period 1, never lost
        vm.warp(start + 2 * INTERVAL + DELAY);
        (uint256 p1, uint256 r1) = adapter.checkpoint(address(deal));
        assertEq(p1, 1);
        assertEq(r1, 200_000e18 - 120_000e18);
        (uint256 rev, bool reported, uint256 at) = adapter.revenueOf(address(deal), 1);
        assertEq(rev, r1);
        assertTrue(reported);
        assertEq(at, start + 2 * INTERVAL + DELAY, "known at the checkpoint");
        (, reported, at) = adapter.revenueOf(address(deal), 2);
        assertFalse(reported);
        assertEq(at, 0);
        assertEq(adapter.checkpointedPeriods(address(deal)), 2);
        (uint256 due0,) = deal.periodPayment(0);
        assertEq(due0, 120_000e18 * uint256(deal.terms().revenueShareBps) / 10_000);
        // nothing paid: the borrower owes the share of the oracle revenue for period 0
        assertEq(deal.dueDate(), start + INTERVAL);
    }

    function test_checkpoint_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.UnknownDeal.selector, address(this)));
        adapter.checkpoint(address(this));
        GpuDeal deal = _create(_rsTerms());
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.NotActivated.selector, address(deal)));
        adapter.checkpoint(address(deal));
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.ZeroAddress.selector));
        new OracleRevenueAdapter(IRevenueOracle(address(0)), address(dealFactory), DELAY);
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.ZeroAddress.selector));
        new OracleRevenueAdapter(oracle, address(0), DELAY);
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.InvalidSettlementDelay.selector, 0));
        new OracleRevenueAdapter(oracle, address(dealFactory), 0);
        vm.expectRevert(abi.encodeWithSelector(IOracleRevenueAdapter.InvalidSettlementDelay.selector, 31 days));
        new OracleRevenueAdapter(oracle, address(dealFactory), 31 days);
    }

    /// @dev However proofs land, the checkpointed periods add up to the oracle's cumulative at the last checkpoint.
    function testFuzz_checkpoint_periodsSumToCumulative(uint256[5] memory increments) public {
        GpuDeal deal = _activeRs();
        uint256 id = dealFactory.dealIdOf(address(deal));
        uint256 cumulative;
        uint256 sum;
        for (uint256 j; j < 5; ++j) {
            cumulative += bound(increments[j], 0, 1e30);
            oracle.setCumulative(id, cumulative);
            vm.warp(deal.activatedAt() + (j + 1) * INTERVAL + DELAY);
            (, uint256 r) = adapter.checkpoint(address(deal));
            sum += r;
        }
        assertEq(sum, cumulative);
    }
}
