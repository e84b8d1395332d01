// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {VaultMath} from "../../src/libraries/VaultMath.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice sAID rewards: one entry point, linear vesting, top-ups, the APR cap, and the reserve harvest wiring.
contract StakedAIDRewardsTest is StakedAIDTestBase {
    uint256 internal constant NAV = 1_000_000e18;
    uint256 internal constant REWARD = 100e18; // well inside the APR cap over 8 hours

    function setUp() public override {
        super.setUp();
        _stake(alice, NAV);
    }

    function test_transferInRewards_onlyRewarder() public {
        bytes32 role = sAID.REWARDER_ROLE();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        sAID.transferInRewards(1e18);
    }

    function test_transferInRewards_revertsOnZero() public {
        vm.prank(rewarder);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.transferInRewards(0);
    }

    function test_transferInRewards_vestsLinearly() public {
        uint256 t0 = block.timestamp;
        _fund(rewarder, REWARD);
        vm.startPrank(rewarder);
        aid.approve(address(sAID), REWARD);
        vm.expectEmit(address(sAID));
        emit IStakedAID.RewardsReceived(rewarder, REWARD, REWARD, t0 + VESTING);
        sAID.transferInRewards(REWARD);
        vm.stopPrank();
        assertEq(sAID.totalAssets(), NAV, "no jump");
        assertEq(sAID.unvestedAmount(), REWARD);
        assertEq(sAID.vestingEnd(), t0 + VESTING);
        vm.warp(t0 + VESTING / 4);
        assertEq(sAID.totalAssets(), NAV + REWARD / 4);
        vm.warp(t0 + VESTING);
        assertEq(sAID.totalAssets(), NAV + REWARD);
        assertEq(sAID.unvestedAmount(), 0);
    }

    function test_transferInRewards_topUpExtendsTheStreamWithoutJump() public {
        uint256 t0 = block.timestamp;
        _reward(REWARD);
        vm.warp(t0 + VESTING / 2);
        uint256 before = sAID.totalAssets();
        _reward(REWARD);
        assertEq(sAID.totalAssets(), before, "no jump on top-up");
        assertEq(sAID.unvestedAmount(), REWARD / 2 + REWARD);
        assertEq(sAID.vestingEnd(), block.timestamp + VESTING);
        vm.warp(block.timestamp + VESTING);
        assertEq(sAID.totalAssets(), NAV + 2 * REWARD);
    }

    function test_transferInRewards_aprCapStretchesLargeRewards() public {
        uint256 big = 10_000e18; // vesting it in 8 hours would be ~1,095% APR on NAV
        uint256 t0 = block.timestamp;
        _reward(big);
        uint256 duration = Math.mulDiv(big, VaultMath.BPS * VaultMath.YEAR, 5000 * NAV, Math.Rounding.Ceil);
        assertGt(duration, VESTING);
        assertEq(sAID.vestingEnd(), t0 + duration);
        vm.warp(t0 + 1 days);
        // growth over a day stays within 50% a year
        assertLe((sAID.totalAssets() - NAV) * 365, NAV / 2 + 365);
        vm.warp(t0 + duration);
        assertEq(sAID.totalAssets(), NAV + big);
    }

    function test_transferInRewards_aprCapUsesHigherCapWhenRaised() public {
        vm.prank(admin);
        sAID.setMaxApr(10_000);
        _reward(10_000e18);
        uint256 duration = Math.mulDiv(10_000e18, VaultMath.BPS * VaultMath.YEAR, 10_000 * NAV, Math.Rounding.Ceil);
        assertEq(sAID.vestingEnd(), block.timestamp + duration);
    }

    function test_transferInRewards_customVestingPeriod() public {
        vm.prank(admin);
        sAID.setVestingPeriod(1 days);
        _reward(REWARD);
        assertEq(sAID.vestingEnd(), block.timestamp + 1 days);
    }

    function test_transferInRewards_allowedWhilePaused() public {
        vm.prank(gatekeeper);
        sAID.pause();
        _reward(REWARD);
        assertEq(sAID.unvestedAmount(), REWARD);
    }

    function test_harvest_streamsReserveSurplusIntoSAID() public {
        // the reserve holds USDC against AID; a year of T-bill yield is surplus
        _mintAid(bob, 1_000_000e6);
        vm.prank(reserveManager);
        reserve.invest(800_000e6);
        vm.warp(block.timestamp + 365 days);
        tbill.accrue();
        usdcFeed.setAnswer(ONE_USD);
        usdtFeed.setAnswer(ONE_USD);
        uint256 surplus = reserve.surplus();
        assertGt(surplus, 0);
        uint256 before = sAID.totalAssets();
        vm.prank(harvester);
        reserve.harvest();
        assertEq(aid.balanceOf(address(sAID)), NAV + surplus);
        assertEq(sAID.idleAssets(), NAV + surplus);
        assertEq(sAID.unvestedAmount(), surplus);
        assertEq(sAID.totalAssets(), before, "harvest vests, no jump");
        assertEq(aid.balanceOf(address(reserve)), 0);
        assertEq(aid.allowance(address(reserve), address(sAID)), 0);
        vm.warp(sAID.vestingEnd());
        assertEq(sAID.totalAssets(), before + surplus);
    }

    function test_harvest_keepsTheFee() public {
        address treasury = makeAddr("treasury");
        vm.prank(admin);
        reserve.setHarvestFee(1000, treasury);
        _mintAid(bob, 1_000_000e6);
        vm.prank(reserveManager);
        reserve.invest(800_000e6);
        vm.warp(block.timestamp + 365 days);
        tbill.accrue();
        usdcFeed.setAnswer(ONE_USD);
        usdtFeed.setAnswer(ONE_USD);
        uint256 surplus = reserve.surplus();
        vm.prank(harvester);
        reserve.harvest();
        uint256 fee = surplus * 1000 / 10_000;
        assertEq(aid.balanceOf(treasury), fee);
        assertEq(sAID.unvestedAmount(), surplus - fee);
    }

    function test_harvest_revertsWithoutRewarderRole() public {
        bytes32 role = sAID.REWARDER_ROLE();
        vm.prank(admin);
        sAID.revokeRole(role, address(reserve));
        _mintAid(bob, 1_000_000e6);
        vm.prank(reserveManager);
        reserve.invest(800_000e6);
        vm.warp(block.timestamp + 365 days);
        tbill.accrue();
        usdcFeed.setAnswer(ONE_USD);
        usdtFeed.setAnswer(ONE_USD);
        vm.prank(harvester);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(reserve), role)
        );
        reserve.harvest();
    }

    function testFuzz_unvested_neverIncreasesWithTime(uint256 amount, uint256 dt1, uint256 dt2) public {
        amount = bound(amount, 1, 1_000_000e18);
        dt1 = bound(dt1, 0, 30 days);
        dt2 = bound(dt2, dt1, 30 days);
        _reward(amount);
        uint256 t0 = block.timestamp;
        vm.warp(t0 + dt1);
        uint256 u1 = sAID.unvestedAmount();
        uint256 a1 = sAID.totalAssets();
        vm.warp(t0 + dt2);
        assertLe(sAID.unvestedAmount(), u1);
        assertGe(sAID.totalAssets(), a1);
        assertLe(sAID.totalAssets(), NAV + amount);
    }
}
