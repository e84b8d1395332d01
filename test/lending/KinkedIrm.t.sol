// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IKinkedIrm} from "../../src/interfaces/IKinkedIrm.sol";
import {Market, MarketParams} from "../../src/interfaces/IMorphoMinimal.sol";
import {KinkedIrm} from "../../src/lending/KinkedIrm.sol";
import {Test} from "forge-std/Test.sol";

/// @notice KinkedIrm: the curve's values and shape, utilization, the constructor's checks.
contract KinkedIrmTest is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant YEAR = 365 days; // [s]
    uint256 internal constant BASE = 0.01e18; // [wad per year]
    uint256 internal constant SLOPE1 = 0.08e18; // [wad per year]
    uint256 internal constant SLOPE2 = 1.5e18; // [wad per year]
    uint256 internal constant KINK = 0.9e18; // [wad]

    KinkedIrm internal irm;

    function setUp() public {
        irm = new KinkedIrm(BASE, SLOPE1, SLOPE2, KINK);
    }

    function _market(uint256 supplied, uint256 borrowed) internal pure returns (Market memory m) {
        m.totalSupplyAssets = uint128(supplied);
        m.totalBorrowAssets = uint128(borrowed);
    }

    function test_rateAt_pointsOfTheCurve() public view {
        assertEq(irm.rateAt(0), BASE / YEAR, "base at 0%");
        assertEq(irm.rateAt(KINK / 2), (BASE + SLOPE1 / 2) / YEAR, "half of slope1 at half the kink");
        assertEq(irm.rateAt(KINK), (BASE + SLOPE1) / YEAR, "base + slope1 at the kink");
        assertEq(irm.rateAt(0.95e18), (BASE + SLOPE1 + SLOPE2 / 2) / YEAR, "half of slope2 halfway above");
        assertEq(irm.rateAt(WAD), (BASE + SLOPE1 + SLOPE2) / YEAR, "everything at 100%");
        assertEq(irm.rateAt(5 * WAD), irm.rateAt(WAD), "capped at 100%");
    }

    function test_utilization_borrowedOverSupplied() public view {
        assertEq(irm.utilization(0, 0), 0, "empty market");
        assertEq(irm.utilization(0, 5), 0, "no supply: 0 (Morpho keeps borrowed <= supplied)");
        assertEq(irm.utilization(400, 100), 0.25e18);
        assertEq(irm.utilization(100, 100), WAD);
        assertEq(irm.utilization(100, 300), WAD, "capped");
    }

    function test_borrowRate_equalsViewAndReadsTheMarket() public view {
        MarketParams memory p;
        Market memory m = _market(1000e18, 900e18);
        assertEq(irm.borrowRateView(p, m), irm.rateAt(KINK));
        assertEq(irm.borrowRate(p, m), irm.borrowRateView(p, m));
    }

    function test_constructor_revertsOnKinkOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(IKinkedIrm.InvalidKink.selector, 0));
        new KinkedIrm(BASE, SLOPE1, SLOPE2, 0);
        vm.expectRevert(abi.encodeWithSelector(IKinkedIrm.InvalidKink.selector, WAD));
        new KinkedIrm(BASE, SLOPE1, SLOPE2, WAD);
    }

    function test_constructor_revertsAboveMaxRate() public {
        uint256 max = irm.MAX_RATE_PER_YEAR();
        vm.expectRevert(abi.encodeWithSelector(IKinkedIrm.RateTooHigh.selector, max));
        new KinkedIrm(1, max, 0, KINK);
        vm.expectRevert(abi.encodeWithSelector(IKinkedIrm.RateTooHigh.selector, max));
        new KinkedIrm(0, 0, type(uint256).max, KINK);
        KinkedIrm atMax = new KinkedIrm(0, 0, max, KINK);
        assertEq(atMax.rateAt(WAD), max / YEAR, "exactly the max is allowed");
    }

    /// @dev The rate never falls as utilization rises, and stays within [base, base + slope1 + slope2].
    function testFuzz_rateAt_monotoneAndBounded(uint256 u1, uint256 u2) public view {
        u1 = bound(u1, 0, 2 * WAD);
        u2 = bound(u2, u1, 2 * WAD);
        assertLe(irm.rateAt(u1), irm.rateAt(u2), "monotone");
        assertGe(irm.rateAt(u1), BASE / YEAR);
        assertLe(irm.rateAt(u2), (BASE + SLOPE1 + SLOPE2) / YEAR);
    }

    /// @dev Continuous at the kink for any curve: one wei of utilization either side moves the rate by at most
    ///      one slope step (rounding) plus the steeper slope's wei.
    function testFuzz_rateAt_continuousAtKink(uint256 base, uint256 s1, uint256 s2, uint256 kink) public {
        kink = bound(kink, 0.01e18, 0.99e18);
        base = bound(base, 0, 1e18);
        s1 = bound(s1, 0, 4e18);
        s2 = bound(s2, 0, 5e18);
        KinkedIrm k = new KinkedIrm(base, s1, s2, kink);
        uint256 atKink = k.rateAt(kink);
        assertEq(atKink, (base + s1) / YEAR);
        assertLe(k.rateAt(kink + 1) - atKink, 1 + s2 / (WAD - kink) / YEAR, "no jump above");
        assertLe(atKink - k.rateAt(kink - 1), 1 + s1 / kink / YEAR, "no jump below");
    }

    /// @dev The rate is what Morpho reads for the market's utilization.
    function testFuzz_borrowRate_matchesUtilization(uint128 supplied, uint128 borrowed) public view {
        MarketParams memory p;
        uint256 u = supplied == 0 ? 0 : borrowed >= supplied ? WAD : uint256(borrowed) * WAD / supplied;
        assertEq(irm.borrowRateView(p, _market(supplied, borrowed)), irm.rateAt(u));
    }
}
