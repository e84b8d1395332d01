// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakingBase} from "../staking/StakingBase.sol";

/// @notice Issue 13, findings 4 and 5: rewards stream over time (a just-in-time stake earns only its time-weighted
///         share) and a commission change never applies to rewards that accrued before it took effect.
contract RewardAttacksTest is StakingBase {
    uint256 internal constant HONEST = 90_000e18; // [wad] GAIB alice has delegated to op1 for a week
    uint256 internal constant SNIPE = 900_000e18; // [wad] GAIB the attacker stakes one block before the reward
    uint256 internal constant REWARD = 90_000e18; // [wad] AID
    uint256 internal constant STREAM = 7 days; // [s] reward stream duration
    uint256 internal constant BLOCK = 12; // [s]

    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _activeOperator(op2);
        _stake(alice, op1, HONEST);
        vm.warp(block.timestamp + 7 days);
    }

    // ================================================================ finding 4

    /// @dev The review's attack: a one-block stake ten times the honest stake right before `notifyReward`, then
    ///      redelegated away. It must earn at most its time-weighted share (one block of a 7-day stream), and the
    ///      stakers who stayed receive the rest once the stream has run.
    function test_finding4_justInTimeStakeCannotSnipeReward() public {
        _stake(attacker, op1, SNIPE);
        vm.warp(block.timestamp + BLOCK);
        _reward(op1, REWARD);
        vm.warp(block.timestamp + BLOCK);
        _redelegate(attacker, op1, op2, vault.sharesOf(attacker, op1));
        uint256 sniped = vault.pendingRewards(attacker, op1);
        // its share of the pool (≈ 90%) of one block of the stream, at most
        assertLe(sniped, (REWARD * BLOCK) / STREAM + 1e6, "just-in-time stake took more than its time share");

        vm.warp(block.timestamp + STREAM);
        assertEq(vault.pendingRewards(attacker, op1), sniped, "nothing more once gone");
        uint256 honest =
            vault.pendingRewards(alice, op1) + vault.pendingRewards(op1, op1) + vault.pendingCommission(op1);
        assertApproxEqAbs(honest + sniped, REWARD, 1e6, "the whole reward is paid out over the stream");
        assertGe(honest, REWARD - (REWARD * BLOCK) / STREAM - 1e6, "the week-long stakers keep the reward");
        vm.prank(alice);
        assertEq(vault.claimRewards(op1), vault.totalRewardsPaid());
    }

    /// @dev Same through the pro-rata stream (operator = 0): the weight added just before it earns by time too.
    function test_finding4_justInTimeStakeCannotSnipeGlobalReward() public {
        _stake(attacker, op1, SNIPE);
        vm.warp(block.timestamp + BLOCK);
        _reward(address(0), REWARD);
        vm.warp(block.timestamp + BLOCK);
        _redelegate(attacker, op1, op2, vault.sharesOf(attacker, op1));
        assertLe(vault.pendingRewards(attacker, op1), (REWARD * BLOCK) / STREAM + 1e6);
    }

    /// @dev A just-in-time staker (stake `snipe` placed `lead` seconds before the reward, kept `hold` seconds after)
    ///      earns at most its time-weighted share: its pool fraction of the part of the stream it was present for.
    function testFuzz_finding4_justInTimeStakerEarnsAtMostTimeWeightedShare(
        uint256 snipe,
        uint256 amount,
        uint256 lead,
        uint256 hold,
        bool global
    ) public {
        snipe = bound(snipe, MIN_STAKE, MAX_STAKE);
        amount = bound(amount, 1e6, REWARD_FUND / 2);
        lead = bound(lead, 0, 1 days);
        hold = bound(hold, 1, 2 * STREAM);
        _stake(attacker, op1, snipe);
        vm.warp(block.timestamp + lead);
        _reward(global ? address(0) : op1, amount);
        vm.warp(block.timestamp + hold);
        _queue(attacker, op1, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + 3 * STREAM);
        uint256 present = hold < STREAM ? hold : STREAM; // [s] of the stream the stake was there for
        // pool fraction of the attacker ≤ snipe / (snipe + honest stake of op1); the global stream is split further
        uint256 bound_ = (amount * present * snipe) / (STREAM * (snipe + HONEST + MIN_SELF_STAKE));
        assertLe(vault.pendingRewards(attacker, op1), bound_ + 1e6, "more than the time-weighted share");
    }

    // ================================================================ finding 5

    /// @dev op1 and op2 schedule 10% -> 20% at t0 (effective t0 + 7 days); rewards streamed before that (pro-rata and
    ///      per-operator streams that finish exactly at the change) pay 10%, whether the operator was synced in between
    ///      (op2, several times) or not at all (op1); a reward streamed after the change pays 20%.
    function test_finding5_commissionIncreaseNotAppliedRetroactively() public {
        vm.prank(op1);
        vault.setCommission(2000);
        vm.prank(op2);
        vault.setCommission(2000);
        _reward(address(0), REWARD);
        _reward(op1, REWARD);
        _reward(op2, REWARD);
        for (uint256 i; i < 3; ++i) {
            vm.warp(block.timestamp + 3 days); // op2 is synced at t0 + 3, 6 and 9 days (a dust stake syncs it)
            _stake(op2, op2, 1);
        }
        vm.warp(block.timestamp + 1 days); // t0 + 10 days: past the change, nobody touched op1
        assertEq(vault.commissionOf(op1), 2000);
        (uint256 w1, uint256 w2) =
            (vault.operatorWeightAt(op1, block.timestamp), vault.operatorWeightAt(op2, block.timestamp));
        uint256 expected1 = ((REWARD + (REWARD * w1) / (w1 + w2)) * COMMISSION) / 10_000;
        uint256 expected2 = ((REWARD + (REWARD * w2) / (w1 + w2)) * COMMISSION) / 10_000;
        assertApproxEqAbs(vault.pendingCommission(op1), expected1, 1e6, "old rate for rewards accrued before (op1)");
        assertApproxEqAbs(vault.pendingCommission(op2), expected2, 1e6, "old rate for rewards accrued before (op2)");
        vm.prank(op1);
        assertApproxEqAbs(vault.claimCommission(), expected1, 1e6, "the claim pays what the view shows");

        // after the change the new rate applies
        _reward(op1, REWARD);
        vm.warp(block.timestamp + STREAM);
        assertApproxEqAbs(vault.pendingCommission(op1), (REWARD * 2000) / 10_000, 1e6, "new rate after");
    }
}
