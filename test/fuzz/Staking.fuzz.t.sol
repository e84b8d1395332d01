// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakingBase} from "../staking/StakingBase.sol";

/// @notice Fuzz properties of staking: slashing never takes more than the slashable stake, never creates or loses GAIB
///         beyond the slashed amount and rounds against the staker; rewards never exceed what was streamed.
contract StakingFuzzTest is StakingBase {
    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _activeOperator(op2);
    }

    struct Before {
        uint256 vault;
        uint256 pools;
        uint256 other;
        uint256 alice;
        uint256 exit;
    }

    /// @dev Stakers with active and queued stake; a slash of any size captured at any admissible time.
    function testFuzz_slash_boundedBySlashableAndConservesGaib(
        uint256 aliceStake,
        uint256 bobStake,
        uint256 queuedPart,
        uint256 requested,
        uint256 captureAge,
        uint256 lateStake
    ) public {
        aliceStake = bound(aliceStake, MIN_STAKE, MAX_STAKE);
        bobStake = bound(bobStake, MIN_STAKE, MAX_STAKE);
        _stake(alice, op1, aliceStake);
        uint256 bobShares = _stake(bob, op1, bobStake);
        queuedPart = bound(queuedPart, bobShares / 1e6, bobShares); // ≥ ~1e-6 of bob's stake: never dust
        uint256 exitId = _queue(bob, op1, queuedPart);
        uint256 captureTime = block.timestamp;
        vm.warp(block.timestamp + bound(captureAge, 1, vault.MAX_CAPTURE_AGE())); // later stake is a later checkpoint
        lateStake = bound(lateStake, 0, MAX_STAKE);
        if (lateStake >= MIN_STAKE) _stake(carol, op1, lateStake); // joins after the capture
        uint256 slashable = vault.slashableAt(op1, captureTime);
        assertEq(slashable, MIN_SELF_STAKE + aliceStake + bobStake);

        requested = bound(requested, 1, 2 * MAX_STAKE);
        uint256 id = _requestSlash(op1, requested, captureTime);
        Before memory b = Before({
            vault: gaib.balanceOf(address(vault)),
            pools: _poolTotal(op1),
            other: _poolTotal(op2),
            alice: vault.stakeOf(alice, op1),
            exit: vault.exitAssets(exitId)
        });
        vm.warp(block.timestamp + VETO);
        uint256 slashed = slasher.executeSlash(id);

        // never more than requested, nor than slashable at the capture
        assertLe(slashed, requested);
        assertLe(slashed, slashable);
        assertEq(slashed, requested < slashable ? requested : slashable);
        // exactly the slashed GAIB left the vault, to the insurance fund; nothing else moved
        assertEq(b.vault - gaib.balanceOf(address(vault)), slashed);
        assertEq(gaib.balanceOf(insurance), slashed);
        assertEq(b.pools - _poolTotal(op1), slashed);
        assertEq(_poolTotal(op2), b.other, "other operators untouched");
        // pro-rata, rounded against the staker: nobody keeps more than its fair remainder (+1 wei of share rounding)
        assertLe(vault.stakeOf(alice, op1), (b.alice * (b.pools - slashed)) / b.pools + 1, "active staker");
        assertLe(vault.exitAssets(exitId), (b.exit * (b.pools - slashed)) / b.pools + 1, "queued withdrawal");
        // claims can never exceed the pools
        (uint256 activeAssets,) = vault.activePool(op1);
        (uint256 queuedAssets,) = vault.queuedPool(op1);
        assertLe(
            vault.stakeOf(alice, op1) + vault.stakeOf(bob, op1) + vault.stakeOf(carol, op1) + vault.stakeOf(op1, op1),
            activeAssets
        );
        assertLe(vault.exitAssets(exitId), queuedAssets);
    }

    /// @dev Repeated slashes compound pro-rata and never overdraw the operator.
    function testFuzz_slash_repeatedNeverOverdraws(uint256 stakeAmount, uint256[4] memory amounts) public {
        stakeAmount = bound(stakeAmount, MIN_STAKE, MAX_STAKE);
        _stake(alice, op1, stakeAmount);
        uint256 total;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 before = _poolTotal(op1);
            uint256 id = _requestSlash(op1, bound(amounts[i], 1, MAX_STAKE), block.timestamp);
            vm.warp(block.timestamp + VETO);
            uint256 slashed = slasher.executeSlash(id);
            assertLe(slashed, before);
            total += slashed;
        }
        assertEq(gaib.balanceOf(insurance), total);
        assertEq(_poolTotal(op1), MIN_SELF_STAKE + stakeAmount - total);
        assertLe(vault.stakeOf(alice, op1) + vault.stakeOf(op1, op1), _poolTotal(op1));
    }

    /// @dev Stake then withdraw: never more than staked, at most 2 wei less (rounding against the staker).
    function testFuzz_stakeQueueClaim_roundTrip(uint256 amount) public {
        amount = bound(amount, MIN_STAKE, MAX_STAKE);
        uint256 before = gaib.balanceOf(alice);
        uint256 shares = _stake(alice, op1, amount);
        uint256 id = _queue(alice, op1, shares);
        vm.warp(block.timestamp + vault.WITHDRAWAL_DELAY());
        vm.prank(alice);
        uint256 got = vault.claimWithdrawal(id);
        assertLe(got, amount);
        assertGe(got + 2, amount);
        assertEq(gaib.balanceOf(alice), before - amount + got);
    }

    /// @dev Random reward streams (per operator or pro-rata) interleaved with stake changes: what stakers and
    ///      operators can claim never exceeds what was streamed.
    function testFuzz_rewards_neverExceedStreamed(uint256 seed) public {
        address[4] memory stakers = [alice, bob, carol, dave];
        address[2] memory ops = [op1, op2];
        for (uint256 step; step < 12; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            address who = stakers[r % 4];
            address op = ops[(r >> 8) % 2];
            uint256 kind = (r >> 16) % 4;
            if (kind == 0) {
                _stake(who, op, bound(r >> 32, MIN_STAKE, MAX_STAKE / 10));
            } else if (kind == 1) {
                uint256 shares = vault.sharesOf(who, op) / 2;
                if (shares > 1e6) _queue(who, op, shares);
            } else if (kind == 2) {
                _reward((r >> 24) % 3 == 0 ? address(0) : op, bound(r >> 40, 1, REWARD_FUND / 20));
            } else if (vault.pendingRewards(who, op) != 0) {
                vm.prank(who);
                vault.claimRewards(op);
            }
        }
        uint256 claimable;
        for (uint256 i; i < 4; ++i) {
            claimable += vault.pendingRewards(stakers[i], op1) + vault.pendingRewards(stakers[i], op2);
        }
        claimable += vault.pendingRewards(op1, op1) + vault.pendingRewards(op2, op2);
        claimable += vault.pendingCommission(op1) + vault.pendingCommission(op2);
        assertLe(vault.totalRewardsPaid() + claimable, vault.totalRewardsNotified(), "rewards exceed streamed");
        assertEq(aid.balanceOf(address(vault)), vault.totalRewardsNotified() - vault.totalRewardsPaid());
    }

    /// @dev Commission never exceeds its rate of what the operator's stream carried.
    function testFuzz_rewards_commissionExact(uint256 amount, uint16 bps) public {
        bps = uint16(bound(bps, 0, 2000));
        _register(op3, bps, MIN_SELF_STAKE);
        _stake(alice, op3, MIN_SELF_STAKE);
        amount = bound(amount, 1, REWARD_FUND);
        _reward(op3, amount);
        vm.warp(block.timestamp + vault.REWARD_DURATION()); // the whole stream has run
        assertApproxEqAbs(vault.pendingCommission(op3), (amount * bps) / 10_000, 1, "at most 1 wei of stream rounding");
        assertLe(vault.pendingCommission(op3), (amount * bps) / 10_000);
        assertLe(
            vault.pendingCommission(op3) + vault.pendingRewards(alice, op3) + vault.pendingRewards(op3, op3), amount
        );
    }
}
