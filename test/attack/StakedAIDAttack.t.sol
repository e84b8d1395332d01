// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";

/// @notice Attacks on sAID: first-depositor inflation, reward sandwich, loss front-run, restricted holder via an
///         approval, cooldown dropped to 0 with requests waiting, queue dust griefing.
contract StakedAIDAttackTest is StakedAIDTestBase {
    function test_attack_firstDepositorInflation_donationDoesNothing() public {
        _setDelay(0);
        _stake(attacker, 1); // 1 wei of shares
        _fund(attacker, 10_000e18);
        vm.prank(attacker);
        aid.transfer(address(sAID), 10_000e18); // classic donation: not counted
        uint256 shares = _stake(alice, 1000e18);
        assertEq(shares, 1000e18 * 2 / 2, "victim priced at 1:1");
        vm.prank(alice);
        assertEq(sAID.redeem(shares, alice, alice), 1000e18, "victim loses nothing");
        vm.prank(attacker);
        assertEq(sAID.redeem(1, attacker, attacker), 1, "attacker gets only its wei back");
    }

    function testFuzz_attack_firstDepositorViaRewards_isBounded(uint256 seed, uint256 reward, uint256 victim) public {
        seed = bound(seed, 1, 1e18);
        reward = bound(reward, 1e18, 1_000_000e18);
        victim = bound(victim, 1e18, 1_000_000e18);
        _setDelay(0);
        _stake(attacker, seed);
        _reward(reward); // a harvest lands on the near-empty vault
        vm.warp(block.timestamp + 1 days);
        uint256 entryValue = sAID.totalAssets() + sAID.unvestedAmount();
        uint256 shares = _stake(alice, victim);
        // review 12s: entries are priced on NAV + unvested, so the victim pays for its slice of the stream still vesting
        // and gets it back as it vests (an exit before would leave that premium behind, by design)
        vm.warp(sAID.vestingEnd());
        vm.prank(alice);
        uint256 back = sAID.redeem(shares, alice, alice);
        // its rounding loss is below one share at the entry price, which the 1e6 virtual shares keep to 1e-6 of the
        // entry value even when the harvest lands on a near-empty vault
        uint256 oneShare = (entryValue + 1e6) / (seed + 1e6) + 1;
        assertGe(back + 1e16 + oneShare, victim, "victim loses at most a dust amount");
        vm.prank(attacker);
        uint256 skim = sAID.redeem(seed, attacker, attacker);
        assertLe(
            skim, seed + reward * seed / (seed + 1e6) + oneShare, "the tiny stake skims at most one share's rounding"
        );
    }

    function test_attack_rewardSandwich_gainsOnlyTheVestedShare() public {
        _setDelay(0);
        _stake(alice, 1_000_000e18);
        uint256 amount = 1_000_000e18;
        uint256 shares = _stake(attacker, amount);
        _reward(100e18);
        vm.prank(attacker);
        uint256 back = sAID.redeem(shares, attacker, attacker);
        assertLe(back, amount, "nothing vested yet: no gain");
    }

    function test_attack_rewardSandwich_afterVestingGetsProRataOnly() public {
        _setDelay(0);
        _stake(alice, 1_000_000e18);
        uint256 shares = _stake(attacker, 1_000_000e18);
        _reward(100e18);
        vm.warp(block.timestamp + 1 hours);
        vm.prank(attacker);
        uint256 back = sAID.redeem(shares, attacker, attacker);
        uint256 vested = 100e18 * 1 hours / VESTING;
        assertLe(back, 1_000_000e18 + vested / 2, "at most half of what vested while staked");
    }

    function test_attack_lossFrontRun_pendingRequestSharesTheLoss() public {
        _stake(alice, 500e18);
        _stake(attacker, 500e18);
        _listPosition();
        _allocate(700e18);
        // the attacker sees a write-down coming and unstakes first
        uint256 recorded = _unstake(attacker, 500e18);
        assertEq(recorded, 500e18);
        position.mark(address(sAID), -200e18); // 20% of gross 1000
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        (, uint256 pending) = sAID.getUnstakeRequest(attacker);
        assertEq(pending, 400e18, "repriced down with the loss");
        assertApproxEqAbs(sAID.convertToAssets(500e18), 400e18, VIRTUAL, "stayers lose the same fraction");
        vm.warp(block.timestamp + DELAY);
        vm.prank(allocator);
        sAID.deallocate(address(position), 500e18);
        sAID.processUnstakeQueue(1);
        assertEq(aid.balanceOf(attacker), 400e18);
    }

    function test_attack_lossThenRecoveryNeverRepricesUp() public {
        _stake(attacker, 1000e18);
        _listPosition();
        _allocate(700e18);
        _unstake(attacker, 500e18);
        position.mark(address(sAID), -100e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        (, uint256 pending) = sAID.getUnstakeRequest(attacker);
        assertEq(pending, 450e18, "shares the loss");
        position.mark(address(sAID), 100e18); // the deal recovers: written back (review 7s), as the loss in reverse
        (, pending) = sAID.getUnstakeRequest(attacker);
        assertLe(pending, 500e18, "never repriced above its value before the loss");
        assertApproxEqAbs(pending, 500e18, 1, "gets its part of the recovery back");
        position.mark(address(sAID), 100e18); // above what was written off: a gain, not for the queue
        (, uint256 after_) = sAID.getUnstakeRequest(attacker);
        assertEq(after_, pending, "a gain never reprices the queue up");
    }

    function test_attack_restrictedHolderViaApproval() public {
        _setDelay(0);
        _stake(attacker, 100e18);
        vm.prank(attacker);
        sAID.approve(carol, type(uint256).max);
        _restrict(attacker, IStakedAID.Restriction.FULL);
        bytes memory err =
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, attacker, IStakedAID.Restriction.FULL);
        vm.startPrank(carol);
        vm.expectRevert(err);
        sAID.transferFrom(attacker, carol, 1e18);
        vm.expectRevert(err);
        sAID.redeem(1e18, carol, attacker);
        vm.expectRevert(err);
        sAID.withdraw(1e18, carol, attacker);
        vm.stopPrank();
        assertEq(sAID.balanceOf(attacker), 100e18);
    }

    function test_attack_cooldownSetToZeroWithPendingRequests() public {
        _stake(alice, 100e18);
        _stake(bob, 100e18);
        _unstake(alice, 100e18);
        _setDelay(0);
        // bob cannot jump the queue: only free liquidity (not what alice is owed) is withdrawable
        assertEq(sAID.maxWithdraw(bob), 100e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.WithdrawTooLarge.selector, 101e18, 100e18));
        sAID.withdraw(101e18, bob, bob);
        assertEq(sAID.processUnstakeQueue(1), 100e18);
        assertEq(aid.balanceOf(alice), 100e18);
        vm.prank(bob);
        sAID.redeem(100e18, bob, bob);
        assertEq(aid.balanceOf(bob), 100e18);
    }

    function test_attack_queueDust_isBoundedByMinimumAndIterations() public {
        _stake(alice, 100e18);
        _unstake(alice, 100e18);
        // dust requests need one holder each (the whole-balance exception) and cannot block: processing is bounded
        for (uint256 i; i < 5; ++i) {
            address d = makeAddr(string.concat("dust", vm.toString(i)));
            _stake(d, 1);
            _unstake(d, 1);
        }
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(1), 100e18, "alice first, one iteration");
        sAID.processUnstakeQueue(5);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail);
    }
}
