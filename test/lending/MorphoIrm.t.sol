// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Market, MarketParams} from "../../src/interfaces/IMorphoMinimal.sol";
import {LendingBase} from "./LendingBase.sol";

/// @notice KinkedIrm driving real Morpho Blue's interest accrual on the sAID/AID market.
contract MorphoIrmTest is LendingBase {
    /// @dev At 90% utilization (the kink) Morpho reads slope1 per second and compounds it over a year with its
    ///      3-term Taylor expansion of e^(rt) - 1 (MathLib.wTaylorCompounded).
    function test_accrueInterest_atKink_compoundsTheKinkRate() public {
        MarketParams memory p = aidMarket;
        _supply(p, 1000e18);
        _postCollateral(p, looper, 2000e18);
        vm.prank(looper);
        morpho.borrow(p, 900e18, 0, looper, looper);
        uint256 rate = irm.rateAt(0.9e18); // [wad per second]
        assertEq(rate, 0.08e18 / uint256(365 days), "8% APR at the kink");

        vm.warp(block.timestamp + 365 days);
        morpho.accrueInterest(p);
        uint256 x = rate * 365 days; // [wad]
        uint256 growth = x + x * x / (2 * WAD) + (x * x / (2 * WAD)) * x / (3 * WAD); // [wad] e^x - 1, 3 terms
        uint256 interest = 900e18 * growth / WAD;
        Market memory m = _market(p);
        assertEq(m.totalBorrowAssets, 900e18 + interest, "borrowers owe the compounded kink rate");
        assertEq(m.totalSupplyAssets, 1000e18 + interest, "lenders earn it (no fee)");
        assertApproxEqRel(interest, 900e18 * 833 / 10_000, 0.001e18, "~8.33% a year");
    }

    /// @dev Above the kink the steep slope applies: a fully used market pays base + slope1 + slope2.
    function test_borrowRate_fullUtilization_usesSteepSlope() public {
        MarketParams memory p = aidMarket;
        _supply(p, 1000e18);
        _postCollateral(p, looper, 2000e18);
        vm.prank(looper);
        morpho.borrow(p, 1000e18, 0, looper, looper);
        assertEq(irm.borrowRateView(p, _market(p)), (0.08e18 + 1.5e18) / uint256(365 days));
    }
}
