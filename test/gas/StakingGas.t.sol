// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakingBase} from "../staking/StakingBase.sol";

/// @notice Gas of the staking hot paths, each call its own transaction (`--isolate`): stakers and operators already
///         hold GAIB and positions where that is the realistic case.
contract StakingGasTest is StakingBase {
    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _activeOperator(op2);
        _stake(alice, op1, 10_000e18);
        _stake(bob, op1, 10_000e18);
        _reward(op1, 100e18);
        vm.warp(block.timestamp + 1 days); // part of the stream has accrued
    }

    function test_gas_stake() public {
        vm.prank(carol);
        vault.stake(op1, 1000e18);
        vm.snapshotGasLastCall("stake_newPosition");
        vm.prank(alice);
        vault.stake(op1, 1000e18);
        vm.snapshotGasLastCall("stake_topUp");
    }

    function test_gas_queueAndClaim() public {
        uint256 shares = vault.sharesOf(alice, op1) / 2;
        vm.prank(alice);
        uint256 id = vault.queueWithdrawal(op1, shares);
        vm.snapshotGasLastCall("queueWithdrawal");
        vm.warp(block.timestamp + 21 days);
        vm.prank(alice);
        vault.claimWithdrawal(id);
        vm.snapshotGasLastCall("claimWithdrawal");
    }

    function test_gas_redelegate() public {
        uint256 shares = vault.sharesOf(alice, op1) / 2;
        vm.prank(alice);
        uint256 id = vault.redelegate(op1, op2, shares);
        vm.snapshotGasLastCall("redelegate");
        vm.warp(vault.getExit(id).maturity);
        vault.completeRedelegation(id);
        vm.snapshotGasLastCall("completeRedelegation");
    }

    function test_gas_rewards() public {
        vm.prank(rewarder);
        vault.notifyReward(op1, 100e18);
        vm.snapshotGasLastCall("notifyReward_operator");
        vm.prank(rewarder);
        vault.notifyReward(address(0), 100e18);
        vm.snapshotGasLastCall("notifyReward_proRata");
        vm.prank(alice);
        vault.claimRewards(op1);
        vm.snapshotGasLastCall("claimRewards");
    }

    function test_gas_slash() public {
        vm.prank(slashAgent);
        uint256 id = slasher.requestSlash(op1, bytes32("evidence"), 1000e18, block.timestamp);
        vm.snapshotGasLastCall("requestSlash");
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.snapshotGasLastCall("executeSlash");
    }
}
