// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DelayedParamLib} from "../../src/libraries/DelayedParamLib.sol";
import {RewardMath} from "../../src/libraries/RewardMath.sol";
import {RewardStreamLib} from "../../src/libraries/RewardStreamLib.sol";
import {ShareMath} from "../../src/libraries/ShareMath.sol";
import {Test} from "forge-std/Test.sol";

/// @notice ShareMath, RewardMath and DelayedParamLib properties.
contract StakingLibsTest is Test {
    using DelayedParamLib for DelayedParamLib.Param;
    using RewardStreamLib for RewardStreamLib.Stream;

    uint256 internal constant MAX_ASSETS = 1e27; // [wad] the whole GAIB supply

    DelayedParamLib.Param internal param;
    RewardStreamLib.Stream internal stream;

    // ================================================================ ShareMath

    function test_toShares_firstDepositGetsOffsetShares() public pure {
        assertEq(ShareMath.toShares(5e18, 0, 0), 5e18 * 1e3);
        assertEq(ShareMath.toAssets(5e18 * 1e3, 5e18, 5e18 * 1e3), 5e18);
    }

    /// @dev Deposit then redeem never returns more than deposited (rounding against the staker).
    function testFuzz_roundTrip_neverGains(uint256 assets, uint256 totalAssets, uint256 totalShares) public pure {
        totalAssets = bound(totalAssets, 0, MAX_ASSETS);
        totalShares = bound(totalShares, 0, MAX_ASSETS * 1e3);
        assets = bound(assets, 0, MAX_ASSETS);
        uint256 shares = ShareMath.toShares(assets, totalAssets, totalShares);
        uint256 back = ShareMath.toAssets(shares, totalAssets + assets, totalShares + shares);
        assertLe(back, assets);
    }

    /// @dev The split adds up exactly, neither part exceeds its pool, the active part is the rounded-up pro-rata.
    function testFuzz_split_exactAndBounded(uint256 amount, uint256 active, uint256 queued) public pure {
        active = bound(active, 0, MAX_ASSETS);
        queued = bound(queued, 0, MAX_ASSETS);
        amount = bound(amount, 0, active + queued);
        (uint256 a, uint256 q) = ShareMath.split(amount, active, queued);
        assertEq(a + q, active + queued == 0 ? 0 : amount);
        assertLe(a, active);
        assertLe(q, queued);
        if (active + queued != 0) {
            assertGe(a * (active + queued), amount * active, "active part rounded up");
            assertLt(a * (active + queued), amount * active + (active + queued), "by less than one unit");
        }
    }

    function test_split_emptyPools() public pure {
        (uint256 a, uint256 q) = ShareMath.split(0, 0, 0);
        assertEq(a + q, 0);
    }

    // ================================================================ RewardMath

    function testFuzz_rewardSplit_neverExceedsAmount(uint256 amount, uint256 bps, uint256 shares, uint256 mine)
        public
        pure
    {
        amount = bound(amount, 0, MAX_ASSETS);
        bps = bound(bps, 0, 2000);
        shares = bound(shares, 1, MAX_ASSETS * 1e3);
        mine = bound(mine, 0, shares);
        (uint256 commission, uint256 inc) = RewardMath.split(amount, bps, shares);
        assertEq(commission, (amount * bps) / 10_000);
        // all shares together never earn more than the stakers' part
        assertLe(RewardMath.accrued(shares, 0, inc), amount - commission);
        assertLe(RewardMath.accrued(mine, 0, inc) + RewardMath.accrued(shares - mine, 0, inc), amount - commission);
    }

    function test_rewardSplit_noSharesAllCommission() public pure {
        (uint256 commission, uint256 inc) = RewardMath.split(7e18, 1000, 0);
        assertEq(commission, 7e18);
        assertEq(inc, 0);
    }

    // ================================================================ DelayedParamLib

    function test_delayedParam_appliesAtEffectiveTime() public {
        param.init(100);
        assertEq(param.get(), 100);
        uint48 at = param.schedule(200, 1 days);
        assertEq(at, block.timestamp + 1 days);
        (uint256 v, uint256 e) = param.pendingOf();
        assertEq(v, 200);
        assertEq(e, at);
        assertEq(param.get(), 100);
        vm.warp(at - 1);
        assertEq(param.get(), 100);
        vm.warp(at);
        assertEq(param.get(), 200);
        (v, e) = param.pendingOf();
        assertEq(v + e, 0);
    }

    function test_delayedParam_rescheduleKeepsCurrentAndRestartsDelay() public {
        param.init(100);
        param.schedule(200, 1 days);
        vm.warp(block.timestamp + 12 hours);
        uint48 at = param.schedule(300, 1 days);
        assertEq(param.get(), 100, "never changed early");
        vm.warp(at);
        assertEq(param.get(), 300);
        // a matured value becomes current before the next schedule
        param.schedule(400, 1 days);
        assertEq(param.get(), 300);
    }

    // ================================================================ RewardStreamLib

    /// @dev Whatever the notifications and the cut points, a stream never emits more than it was given, and emits
    ///      all of it (to rounding) once it has run.
    function testFuzz_stream_emitsAtMostNotified(uint256 a, uint256 b, uint256 gap, uint256 cut, uint256 duration)
        public
    {
        a = bound(a, 0, MAX_ASSETS);
        b = bound(b, 0, MAX_ASSETS);
        duration = bound(duration, 1, 30 days);
        gap = bound(gap, 0, 2 * duration);
        uint256 t0 = block.timestamp;
        stream.notify(a, duration);
        cut = bound(cut, t0, t0 + gap);
        uint256 out = stream.emitted(t0, cut) + stream.emitted(cut, t0 + gap);
        vm.warp(t0 + gap);
        stream.last = uint48(block.timestamp);
        stream.notify(b, duration);
        out += stream.emitted(block.timestamp, block.timestamp + duration);
        assertLe(out, a + b, "emitted more than notified");
        assertGe(out + 5, a + b, "all of it, to rounding");
    }
}
