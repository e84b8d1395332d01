// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultMath} from "../../src/libraries/VaultMath.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The pure rules behind sAID: linear stream, APR cap, loss index, queue-share rounding.
contract VaultMathTest is Test {
    uint256 internal constant RAY = 1e27;

    function test_unvestedAt_linear() public pure {
        assertEq(VaultMath.unvestedAt(100, 10, 20, 5), 100);
        assertEq(VaultMath.unvestedAt(100, 10, 20, 10), 100);
        assertEq(VaultMath.unvestedAt(100, 10, 20, 15), 50);
        assertEq(VaultMath.unvestedAt(100, 10, 20, 19), 10);
        assertEq(VaultMath.unvestedAt(100, 10, 20, 20), 0);
        assertEq(VaultMath.unvestedAt(10, 0, 3, 1), 7, "rounded up: NAV never overstated");
    }

    function testFuzz_unvestedAt_monotone(uint256 amount, uint256 duration, uint256 t1, uint256 t2) public pure {
        amount = bound(amount, 0, type(uint96).max);
        duration = bound(duration, 1, 10 * 365 days);
        t1 = bound(t1, 0, duration + 1);
        t2 = bound(t2, t1, duration + 1);
        uint256 u1 = VaultMath.unvestedAt(amount, 0, duration, t1);
        uint256 u2 = VaultMath.unvestedAt(amount, 0, duration, t2);
        assertLe(u2, u1);
        assertLe(u1, amount);
    }

    function test_streamDuration_periodWhenUnderCap() public pure {
        assertEq(VaultMath.streamDuration(100e18, 1_000_000e18, 8 hours, 5000), 8 hours);
    }

    function test_streamDuration_stretchedByCap() public pure {
        // 50% of 1,000,000 a year = 500,000 a year: 10,000 needs 1/50 of a year
        assertEq(VaultMath.streamDuration(10_000e18, 1_000_000e18, 8 hours, 5000), VaultMath.YEAR / 50);
    }

    function test_streamDuration_navFloorAndMaxStream() public pure {
        assertEq(VaultMath.streamDuration(1e18, 0, 8 hours, 5000), 2 * VaultMath.YEAR, "NAV counted as 1 AID");
        assertEq(VaultMath.streamDuration(1_000_000e18, 0, 8 hours, 5000), VaultMath.MAX_STREAM);
    }

    function testFuzz_streamDuration_rateWithinCap(uint256 amount, uint256 nav, uint256 apr) public pure {
        amount = bound(amount, 1, 1e30);
        nav = bound(nav, 1e18, 1e30);
        apr = bound(apr, 100, 10_000);
        uint256 d = VaultMath.streamDuration(amount, nav, 8 hours, apr);
        assertGe(d, 8 hours);
        assertLe(d, VaultMath.MAX_STREAM);
        if (d < VaultMath.MAX_STREAM) {
            // amount / d <= apr × nav / year
            assertLe(amount * VaultMath.BPS * VaultMath.YEAR, d * apr * nav);
        }
    }

    function test_lossIndexAfter() public pure {
        assertEq(VaultMath.lossIndexAfter(RAY, 1000, 100), 0.9e27);
        assertEq(VaultMath.lossIndexAfter(RAY, 1000, 0), RAY);
        assertEq(VaultMath.lossIndexAfter(RAY, 0, 5), RAY, "nothing to share");
        assertEq(VaultMath.lossIndexAfter(RAY, 1000, 1000), 1, "total loss floors at 1");
        assertEq(VaultMath.lossIndexAfter(RAY, 1000, 2000), 1);
    }

    function testFuzz_lossIndexAfter_neverUp(uint256 index, uint256 gross, uint256 loss) public pure {
        index = bound(index, 1, RAY);
        gross = bound(gross, 0, 1e30);
        loss = bound(loss, 0, 1e30);
        uint256 next = VaultMath.lossIndexAfter(index, gross, loss);
        assertLe(next, index);
        assertGe(next, 1);
    }

    function testFuzz_queueShares_roundTripNeverGains(uint256 assets, uint256 index) public pure {
        assets = bound(assets, 0, 1e30);
        index = bound(index, 1e18, RAY);
        uint256 q = VaultMath.toQueueShares(assets, index);
        assertLe(VaultMath.toQueueAssets(q, index), assets);
        uint256 burnt = VaultMath.queueSharesFor(assets / 2, index, q);
        assertLe(burnt, q);
        assertLe(VaultMath.toQueueAssets(q - burnt, index), assets - assets / 2, "rest never exceeds what is left");
    }
}
