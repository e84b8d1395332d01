// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {StakingBase} from "../staking/StakingBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Unit tests of every StakingVault entry point and custom error.
contract StakingVaultTest is StakingBase {
    // ================================================================ constructor

    function test_constructor_setsParameters() public view {
        assertEq(address(vault.gaib()), address(gaib));
        assertEq(address(vault.aid()), address(aid));
        assertEq(vault.GENESIS(), genesis);
        assertEq(vault.EPOCH_DURATION(), EPOCH);
        assertEq(vault.minSelfStake(), MIN_SELF_STAKE);
        assertEq(vault.slasher(), address(slasher));
        assertEq(vault.defaultAdmin(), admin);
        assertTrue(vault.hasRole(vault.REWARDER_ROLE(), rewarder));
        assertEq(vault.REWARDER_ROLE(), keccak256("REWARDER_ROLE"));
        assertEq(vault.WITHDRAWAL_DELAY(), 21 days);
        assertEq(vault.MAX_COMMISSION_BPS(), 2000);
        assertEq(vault.nextExitId(), 1);
    }

    function test_constructor_revertsWhen_epochDurationOutOfBounds() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.EpochDurationOutOfBounds.selector, 10 minutes - 1));
        new StakingVault(IERC20(address(gaib)), IERC20(address(aid)), admin, genesis, 10 minutes - 1, 0);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.EpochDurationOutOfBounds.selector, 1 days + 1));
        new StakingVault(IERC20(address(gaib)), IERC20(address(aid)), admin, genesis, 1 days + 1, 0);
    }

    function test_constructor_revertsWhen_genesisInFuture() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.GenesisInFuture.selector, block.timestamp + 1));
        new StakingVault(IERC20(address(gaib)), IERC20(address(aid)), admin, block.timestamp + 1, EPOCH, 0);
    }

    function test_constructor_revertsWhen_zeroToken() public {
        vm.expectRevert(IStakingVault.ZeroAddress.selector);
        new StakingVault(IERC20(address(0)), IERC20(address(aid)), admin, genesis, EPOCH, 0);
    }

    function test_constructor_revertsWhen_minSelfStakeTooHigh() public {
        uint256 tooHigh = 10_000_000e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.MinSelfStakeTooHigh.selector, tooHigh, 10_000_000e18));
        new StakingVault(IERC20(address(gaib)), IERC20(address(aid)), admin, genesis, EPOCH, tooHigh);
    }

    // ================================================================ epochs

    function test_epochs_fromGenesisAndDuration() public {
        assertEq(vault.currentEpoch(), 10);
        assertEq(vault.epochStart(10), genesis + 10 * EPOCH);
        assertEq(vault.epochAt(genesis + 10 * EPOCH - 1), 9);
        assertEq(vault.epochAt(genesis + 10 * EPOCH), 10);
        vm.warp(genesis + 11 * EPOCH);
        assertEq(vault.currentEpoch(), 11);
    }

    // ================================================================ registerOperator

    function test_registerOperator_stakesSelfAndRecords() public {
        vm.expectEmit(address(vault));
        emit IStakingVault.OperatorRegistered(op1, COMMISSION, MIN_SELF_STAKE);
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        assertTrue(vault.isOperator(op1));
        assertFalse(vault.isOptedIn(op1));
        assertEq(vault.commissionOf(op1), COMMISSION);
        assertEq(vault.stakeOf(op1, op1), MIN_SELF_STAKE);
        assertEq(gaib.balanceOf(address(vault)), MIN_SELF_STAKE);
        assertEq(vault.slashableAt(op1, block.timestamp), MIN_SELF_STAKE);
        assertEq(vault.operatorWeightAt(op1, block.timestamp), 0, "not opted in: no weight");
    }

    function test_registerOperator_revertsWhen_alreadyOperator() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.AlreadyOperator.selector, op1));
        _register(op1, COMMISSION, MIN_SELF_STAKE);
    }

    function test_registerOperator_revertsWhen_commissionTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.CommissionTooHigh.selector, 2001, 2000));
        _register(op1, 2001, MIN_SELF_STAKE);
        assertFalse(vault.isOperator(op1));
    }

    function test_registerOperator_revertsWhen_selfStakeBelowMinimum() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.SelfStakeBelowMinimum.selector, MIN_SELF_STAKE - 1, MIN_SELF_STAKE)
        );
        _register(op1, COMMISSION, MIN_SELF_STAKE - 1);
        assertFalse(vault.isOperator(op1));
        assertEq(gaib.balanceOf(address(vault)), 0);
    }

    // ================================================================ commission

    /// @dev Effective at the first grid time (GENESIS + k days) at least 7 days away.
    function test_setCommission_delayed() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        uint256 at = genesis + ((block.timestamp + 7 days - genesis + 1 days - 1) / 1 days) * 1 days;
        assertGe(at, block.timestamp + 7 days);
        assertLt(at, block.timestamp + 8 days);
        vm.expectEmit(address(vault));
        emit IStakingVault.CommissionScheduled(op1, 2000, at);
        vm.prank(op1);
        vault.setCommission(2000);
        (uint256 bps, uint256 effectiveAt) = vault.pendingCommissionChange(op1);
        assertEq(bps, 2000);
        assertEq(effectiveAt, at);
        assertEq(vault.commissionOf(op1), COMMISSION);
        vm.warp(at - 1);
        assertEq(vault.commissionOf(op1), COMMISSION);
        vm.warp(at);
        assertEq(vault.commissionOf(op1), 2000);
        (bps, effectiveAt) = vault.pendingCommissionChange(op1);
        assertEq(effectiveAt, 0);
        // a second change starts from the matured value
        vm.prank(op1);
        vault.setCommission(0);
        assertEq(vault.commissionOf(op1), 2000);
    }

    function test_setCommission_revertsWhen_tooHigh() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.CommissionTooHigh.selector, 2001, 2000));
        vm.prank(op1);
        vault.setCommission(2001);
    }

    function test_setCommission_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, alice));
        vm.prank(alice);
        vault.setCommission(100);
    }

    // ================================================================ opt in / out

    function test_setOptIn_delayedThenFinalized() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.expectEmit(address(vault));
        emit IStakingVault.OptChangeScheduled(op1, true, block.timestamp + 1 days);
        vm.prank(op1);
        vault.setOptIn(true);
        assertFalse(vault.isOptedIn(op1));
        vm.warp(block.timestamp + 1 days);
        vm.expectEmit(address(vault));
        emit IStakingVault.OptChanged(op1, true);
        vault.finalizeOptChange(op1);
        assertTrue(vault.isOptedIn(op1));
        assertEq(vault.operatorWeightAt(op1, block.timestamp), MIN_SELF_STAKE);
        assertEq(vault.totalWeightAt(block.timestamp), MIN_SELF_STAKE);

        vm.prank(op1);
        vault.setOptIn(false);
        vm.warp(block.timestamp + 1 days);
        vault.finalizeOptChange(op1);
        assertFalse(vault.isOptedIn(op1));
        assertEq(vault.totalWeightAt(block.timestamp), 0);
    }

    function test_setOptIn_sameAsInForce_cancelsScheduled() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.prank(op1);
        vault.setOptIn(true);
        vm.expectEmit(address(vault));
        emit IStakingVault.OptChangeCancelled(op1);
        vm.prank(op1);
        vault.setOptIn(false);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(IStakingVault.NoPendingOptChange.selector);
        vault.finalizeOptChange(op1);
    }

    function test_setOptIn_revertsWhen_unchanged() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.expectRevert(IStakingVault.OptStateUnchanged.selector);
        vm.prank(op1);
        vault.setOptIn(false);
        vm.prank(op1);
        vault.setOptIn(true);
        vm.expectRevert(IStakingVault.OptStateUnchanged.selector);
        vm.prank(op1);
        vault.setOptIn(true);
    }

    function test_setOptIn_revertsWhen_selfStakeBelowMinimum() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.prank(admin);
        vault.setMinSelfStake(MIN_SELF_STAKE + 1);
        vm.warp(block.timestamp + vault.MIN_SELF_STAKE_DELAY()); // a raise applies after its delay
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.SelfStakeBelowMinimum.selector, MIN_SELF_STAKE, MIN_SELF_STAKE + 1)
        );
        vm.prank(op1);
        vault.setOptIn(true);
    }

    function test_finalizeOptChange_revertsWhen_notReady() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.prank(op1);
        vault.setOptIn(true);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OptChangeNotReady.selector, block.timestamp + 1 days));
        vault.finalizeOptChange(op1);
    }

    function test_finalizeOptChange_revertsWhen_selfStakeSlashedBelowMinimum() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.prank(op1);
        vault.setOptIn(true);
        uint256 id = _requestSlash(op1, 1e18, block.timestamp);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingVault.SelfStakeBelowMinimum.selector, vault.stakeOf(op1, op1), MIN_SELF_STAKE
            )
        );
        vault.finalizeOptChange(op1);
    }

    function test_finalizeOptChange_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, alice));
        vault.finalizeOptChange(alice);
    }

    // ================================================================ stake

    function test_stake_mintsSharesAndCheckpoints() public {
        _activeOperator(op1);
        uint256 t = block.timestamp;
        vm.expectEmit(address(vault));
        emit IStakingVault.Staked(alice, op1, 1000e18, (1000e18 * (MIN_SELF_STAKE * 1e3 + 1e3)) / (MIN_SELF_STAKE + 1));
        uint256 shares = _stake(alice, op1, 1000e18);
        assertEq(vault.sharesOf(alice, op1), shares);
        assertApproxEqAbs(vault.stakeOf(alice, op1), 1000e18, 1, "rounded down by at most 1 wei");
        assertLe(vault.stakeOf(alice, op1), 1000e18);
        assertEq(vault.operatorWeightAt(op1, t), MIN_SELF_STAKE + 1000e18);
        assertEq(vault.slashableAt(op1, t), MIN_SELF_STAKE + 1000e18);
        assertEq(gaib.balanceOf(address(vault)), MIN_SELF_STAKE + 1000e18);
    }

    function test_stake_weightEffectiveForNextEpoch() public {
        _activeOperator(op1);
        vm.warp(block.timestamp + EPOCH / 2); // mid-epoch
        uint256 e = vault.currentEpoch();
        _stake(alice, op1, 5000e18);
        assertEq(vault.operatorWeightForEpoch(op1, e), MIN_SELF_STAKE, "the running epoch keeps its snapshot");
        assertEq(vault.operatorWeightForEpoch(op1, e + 1), MIN_SELF_STAKE + 5000e18);
        assertEq(vault.totalWeightForEpoch(e + 1), MIN_SELF_STAKE + 5000e18);
    }

    function test_stake_revertsWhen_zeroAmount() public {
        _activeOperator(op1);
        vm.expectRevert(IStakingVault.ZeroAmount.selector);
        _stake(alice, op1, 0);
    }

    function test_stake_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        _stake(alice, bob, 1e18);
    }

    // ================================================================ queue and claim

    function test_queueWithdrawal_movesToQueuedPool_weightDrops_slashableKept() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 1000e18);
        uint256 t = block.timestamp;
        vm.expectEmit(true, true, true, false, address(vault));
        emit IStakingVault.ExitQueued(1, alice, op1, address(0), 0, 0);
        uint256 id = _queue(alice, op1, shares);
        IStakingVault.Exit memory e = vault.getExit(id);
        assertEq(e.owner, alice);
        assertEq(e.operator, op1);
        assertEq(e.to, address(0));
        assertEq(e.maturity, t + 21 days);
        assertGe(e.maturity, vault.exposureEnd(t), "not before the exposure");
        assertEq(vault.sharesOf(alice, op1), 0);
        assertApproxEqAbs(vault.exitAssets(id), 1000e18, 2);
        assertApproxEqAbs(vault.operatorWeightAt(op1, t), MIN_SELF_STAKE, 2);
        assertEq(vault.slashableAt(op1, t), MIN_SELF_STAKE + 1000e18, "queued stake stays slashable");
    }

    function test_queueWithdrawal_revertsWhen_zeroShares() public {
        _activeOperator(op1);
        vm.expectRevert(IStakingVault.ZeroShares.selector);
        _queue(alice, op1, 0);
    }

    function test_queueWithdrawal_revertsWhen_dustShares() public {
        _activeOperator(op1);
        _stake(alice, op1, 1e18);
        vm.expectRevert(IStakingVault.ZeroAmount.selector); // 1 share < 1 wei
        _queue(alice, op1, 1);
    }

    function test_queueWithdrawal_revertsWhen_insufficientShares() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.InsufficientShares.selector, shares, shares + 1));
        _queue(alice, op1, shares + 1);
    }

    function test_queueWithdrawal_revertsWhen_operatorSelfStakeBelowMinimum() public {
        _activeOperator(op1);
        uint256 shares = vault.sharesOf(op1, op1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.SelfStakeBelowMinimum.selector, 0, MIN_SELF_STAKE));
        _queue(op1, op1, shares);
        // opted out, the operator may leave entirely
        vm.prank(op1);
        vault.setOptIn(false);
        vm.warp(block.timestamp + 1 days);
        vault.finalizeOptChange(op1);
        _queue(op1, op1, shares);
        assertEq(vault.sharesOf(op1, op1), 0);
    }

    function test_queueWithdrawal_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        _queue(alice, bob, 1);
    }

    function test_claimWithdrawal_paysAfter21Days() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 1000e18);
        uint256 id = _queue(alice, op1, shares);
        uint256 owed = vault.exitAssets(id);
        uint256 before = gaib.balanceOf(alice);
        vm.warp(block.timestamp + 21 days);
        vm.expectEmit(address(vault));
        emit IStakingVault.WithdrawalClaimed(id, alice, owed);
        vm.prank(alice);
        uint256 paid = vault.claimWithdrawal(id);
        assertEq(paid, owed);
        assertEq(gaib.balanceOf(alice), before + owed);
        assertEq(vault.getExit(id).owner, address(0));
        assertEq(vault.lastExitAt(op1), block.timestamp);
        assertApproxEqAbs(vault.slashableAt(op1, block.timestamp), MIN_SELF_STAKE, 2);
    }

    function test_claimWithdrawal_revertsWhen_notMature() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotMature.selector, id, block.timestamp + 1));
        vm.prank(alice);
        vault.claimWithdrawal(id);
    }

    function test_claimWithdrawal_revertsWhen_notOwner() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotExitOwner.selector, id));
        vm.prank(bob);
        vault.claimWithdrawal(id);
    }

    function test_claimWithdrawal_revertsWhen_notFound() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotFound.selector, 42));
        vault.claimWithdrawal(42);
    }

    function test_claimWithdrawal_revertsWhen_alreadyClaimed() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days);
        vm.prank(alice);
        vault.claimWithdrawal(id);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotFound.selector, id));
        vm.prank(alice);
        vault.claimWithdrawal(id);
    }

    function test_claimWithdrawal_revertsWhen_redelegation() public {
        _activeOperator(op1);
        _activeOperator(op2);
        uint256 id = _redelegate(alice, op1, op2, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.WrongExitKind.selector, id));
        vm.prank(alice);
        vault.claimWithdrawal(id);
    }

    function test_claimWithdrawal_revertsWhen_operatorFrozen() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days);
        _requestSlash(op1, 1e18, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        vm.prank(alice);
        vault.claimWithdrawal(id);
    }

    // ================================================================ redelegate

    function test_redelegate_effectiveAfterExposure() public {
        _activeOperator(op1);
        _activeOperator(op2);
        uint256 shares = _stake(alice, op1, 1000e18);
        uint256 id = _redelegate(alice, op1, op2, shares);
        uint256 end = vault.epochStart(vault.currentEpoch() + vault.EXPOSURE_EPOCHS()) + vault.MAX_CHALLENGE_WINDOW();
        assertEq(vault.exposureEnd(block.timestamp), end);
        assertEq(vault.getExit(id).to, op2);
        assertEq(vault.getExit(id).maturity, end);
        assertApproxEqAbs(vault.operatorWeightAt(op1, block.timestamp), MIN_SELF_STAKE, 2, "weight leaves at once");
        uint256 assets = vault.exitAssets(id);

        vm.warp(end - 1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotMature.selector, id, end));
        vault.completeRedelegation(id);

        vm.warp(end);
        vm.prank(dave); // anyone may complete
        uint256 newShares = vault.completeRedelegation(id);
        assertEq(vault.sharesOf(alice, op2), newShares);
        assertApproxEqAbs(vault.stakeOf(alice, op2), assets, 1);
        assertApproxEqAbs(vault.slashableAt(op1, block.timestamp), MIN_SELF_STAKE, 2);
        assertApproxEqAbs(vault.operatorWeightAt(op2, block.timestamp), MIN_SELF_STAKE + assets, 1);
        assertEq(vault.lastExitAt(op1), block.timestamp);
    }

    function test_redelegate_revertsWhen_sameOperator() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 1e18);
        vm.expectRevert(IStakingVault.SameOperator.selector);
        _redelegate(alice, op1, op1, shares);
    }

    function test_redelegate_revertsWhen_targetNotOperator() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        _redelegate(alice, op1, bob, shares);
    }

    function test_completeRedelegation_revertsWhen_withdrawal() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1e18));
        vm.warp(block.timestamp + 21 days);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.WrongExitKind.selector, id));
        vault.completeRedelegation(id);
    }

    function test_completeRedelegation_revertsWhen_sourceFrozen() public {
        _activeOperator(op1);
        _activeOperator(op2);
        uint256 id = _redelegate(alice, op1, op2, _stake(alice, op1, 1e18));
        _requestSlash(op1, 1e18, block.timestamp);
        vm.warp(vault.getExit(id).maturity);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        vault.completeRedelegation(id);
    }

    function test_completeRedelegation_revertsWhen_notFound() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotFound.selector, 7));
        vault.completeRedelegation(7);
    }

    // ================================================================ rewards

    function test_notifyReward_operator_splitsCommissionAndStakers() public {
        _activeOperator(op1);
        _stake(alice, op1, 90_000e18); // alice 90%, op1 self 10%
        vm.expectEmit(address(vault));
        emit IStakingVault.RewardNotified(op1, 1000e18);
        _reward(op1, 1000e18);
        vm.warp(block.timestamp + vault.REWARD_DURATION()); // streamed over 7 days (to 1 wei of rate rounding)
        uint256 commission = vault.pendingCommission(op1);
        assertApproxEqAbs(commission, 100e18, 1);
        assertLe(commission, 100e18);
        assertApproxEqAbs(vault.pendingRewards(alice, op1), 810e18, 1e6);
        assertApproxEqAbs(vault.pendingRewards(op1, op1), 90e18, 1e6);

        vm.prank(alice);
        uint256 got = vault.claimRewards(op1);
        assertEq(aid.balanceOf(alice), got);
        vm.prank(op1);
        assertEq(vault.claimCommission(), commission);
        assertEq(vault.totalRewardsNotified(), 1000e18);
        assertLe(vault.totalRewardsPaid(), 1000e18);
    }

    function test_notifyReward_global_proRataByWeight() public {
        _activeOperator(op1);
        _activeOperator(op2);
        _stake(alice, op2, 2 * MIN_SELF_STAKE); // op2 weight = 3x op1
        _reward(address(0), 4000e18);
        vm.warp(block.timestamp + vault.REWARD_DURATION());
        uint256 toOp1 = vault.pendingCommission(op1) + vault.pendingRewards(op1, op1);
        uint256 toOp2 = vault.pendingCommission(op2) + vault.pendingRewards(op2, op2) + vault.pendingRewards(alice, op2);
        assertApproxEqAbs(toOp1, 1000e18, 1e6);
        assertApproxEqAbs(toOp2, 3000e18, 1e6);
        // materialised by a sync (claim) the same as the view
        uint256 view_ = vault.pendingRewards(alice, op2);
        vm.prank(alice);
        assertEq(vault.claimRewards(op2), view_);
    }

    function test_notifyReward_operatorWithoutShares_allToCommission() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        _queue(op1, op1, vault.sharesOf(op1, op1)); // not opted in: may leave
        _reward(op1, 500e18);
        vm.warp(block.timestamp + vault.REWARD_DURATION());
        assertApproxEqAbs(vault.pendingCommission(op1), 500e18, 1, "all of the stream, to 1 wei of rate rounding");
        assertLe(vault.pendingCommission(op1), 500e18);
    }

    function test_notifyReward_revertsWhen_zeroAmount() public {
        _activeOperator(op1);
        vm.expectRevert(IStakingVault.ZeroAmount.selector);
        _reward(op1, 0);
    }

    function test_notifyReward_revertsWhen_noActiveStake() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE); // registered, not opted in: no weight
        vm.expectRevert(IStakingVault.NoActiveStake.selector);
        _reward(address(0), 1e18);
    }

    function test_notifyReward_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        _reward(bob, 1e18);
    }

    function test_notifyReward_revertsWhen_notRewarder() public {
        _activeOperator(op1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, vault.REWARDER_ROLE()
            )
        );
        vm.prank(alice);
        vault.notifyReward(op1, 1e18);
    }

    function test_claimRewards_revertsWhen_nothingToClaim() public {
        _activeOperator(op1);
        vm.expectRevert(IStakingVault.NothingToClaim.selector);
        vm.prank(alice);
        vault.claimRewards(op1);
    }

    function test_claimCommission_revertsWhen_nothingToClaim() public {
        _activeOperator(op1);
        vm.expectRevert(IStakingVault.NothingToClaim.selector);
        vm.prank(op1);
        vault.claimCommission();
    }

    function test_claimCommission_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, alice));
        vm.prank(alice);
        vault.claimCommission();
    }

    function test_rewards_queuedStakeEarnsNothing() public {
        _activeOperator(op1);
        uint256 shares = _stake(alice, op1, 90_000e18);
        _queue(alice, op1, shares);
        _reward(op1, 1000e18);
        vm.warp(block.timestamp + vault.REWARD_DURATION());
        assertEq(vault.pendingRewards(alice, op1), 0);
        assertApproxEqAbs(vault.pendingRewards(op1, op1), 900e18, 1e6);
    }

    // ================================================================ slashing entry points

    function test_beginSlash_revertsWhen_notSlasher() public {
        _activeOperator(op1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotSlasher.selector, attacker));
        vm.prank(attacker);
        vault.beginSlash(op1, block.timestamp);
    }

    function test_cancelSlash_revertsWhen_notSlasher() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotSlasher.selector, attacker));
        vm.prank(attacker);
        vault.cancelSlash(op1);
    }

    function test_executeSlash_revertsWhen_notSlasher() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotSlasher.selector, attacker));
        vm.prank(attacker);
        vault.executeSlash(op1, 1, attacker);
    }

    function test_beginSlash_revertsWhen_captureInFuture() public {
        _activeOperator(op1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.CaptureInFuture.selector, block.timestamp + 1));
        vm.prank(address(slasher));
        vault.beginSlash(op1, block.timestamp + 1);
    }

    function test_beginSlash_revertsWhen_captureTooOld() public {
        _activeOperator(op1);
        uint256 t = block.timestamp - 1 days - 1;
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.CaptureTooOld.selector, t, block.timestamp - 1 days));
        vm.prank(address(slasher));
        vault.beginSlash(op1, t);
    }

    function test_beginSlash_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        vm.prank(address(slasher));
        vault.beginSlash(bob, block.timestamp);
    }

    function test_beginSlash_raisesCaptureToLastExit() public {
        _activeOperator(op1);
        uint256 id = _queue(alice, op1, _stake(alice, op1, 1000e18));
        uint256 capture = block.timestamp + 21 days - 1 hours;
        vm.warp(block.timestamp + 21 days);
        vm.prank(alice);
        vault.claimWithdrawal(id);
        vm.prank(address(slasher));
        (uint48 eff, uint256 slashable) = vault.beginSlash(op1, capture);
        assertEq(eff, block.timestamp, "raised to the claim");
        assertApproxEqAbs(slashable, MIN_SELF_STAKE, 2, "the claimed stake is not counted");
        assertEq(vault.pendingSlashes(op1), 1);
    }

    function test_cancelSlash_revertsWhen_noPendingSlash() public {
        _activeOperator(op1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NoPendingSlash.selector, op1));
        vm.prank(address(slasher));
        vault.cancelSlash(op1);
    }

    function test_executeSlash_revertsWhen_noPendingSlash() public {
        _activeOperator(op1);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NoPendingSlash.selector, op1));
        vm.prank(address(slasher));
        vault.executeSlash(op1, 1, insurance);
    }

    function test_executeSlash_revertsWhen_zeroRecipient() public {
        _activeOperator(op1);
        vm.startPrank(address(slasher));
        vault.beginSlash(op1, block.timestamp);
        vm.expectRevert(IStakingVault.ZeroAddress.selector);
        vault.executeSlash(op1, 1, address(0));
        vm.stopPrank();
    }

    function test_executeSlash_proRataActiveAndQueued() public {
        _activeOperator(op1);
        _stake(alice, op1, 30_000e18); // active 40k
        uint256 id = _queue(alice, op1, vault.sharesOf(alice, op1) / 3); // ~10k queued, ~30k active
        (uint256 a0,) = vault.activePool(op1);
        (uint256 q0,) = vault.queuedPool(op1);
        vm.startPrank(address(slasher));
        vault.beginSlash(op1, block.timestamp);
        vm.expectEmit(true, false, false, false, address(vault));
        emit IStakingVault.Slashed(op1, 0, 0, 0, insurance);
        uint256 slashed = vault.executeSlash(op1, 4000e18, insurance);
        vm.stopPrank();
        assertEq(slashed, 4000e18);
        (uint256 a1,) = vault.activePool(op1);
        (uint256 q1,) = vault.queuedPool(op1);
        assertEq((a0 - a1) + (q0 - q1), 4000e18);
        assertApproxEqAbs((a0 - a1) * (a0 + q0), 4000e18 * a0, a0 + q0, "pro-rata (active part rounded up)");
        assertEq(gaib.balanceOf(insurance), 4000e18);
        assertApproxEqRel(vault.exitAssets(id), (q0 * 9) / 10, 1e12, "the queued withdrawal lost 10% too");
    }

    // ================================================================ admin

    function test_setSlasher_revertsWhen_alreadySet() public {
        vm.expectRevert(IStakingVault.SlasherAlreadySet.selector);
        vm.prank(admin);
        vault.setSlasher(attacker);
    }

    function test_setSlasher_revertsWhen_zero() public {
        vm.expectRevert(IStakingVault.ZeroAddress.selector);
        vm.prank(admin);
        vault.setSlasher(address(0));
    }

    function test_setSlasher_onceOnFreshVault() public {
        StakingVault v = new StakingVault(IERC20(address(gaib)), IERC20(address(aid)), admin, genesis, EPOCH, 0);
        vm.expectEmit(address(v));
        emit IStakingVault.SlasherSet(dave);
        vm.prank(admin);
        v.setSlasher(dave);
        assertEq(v.slasher(), dave);
    }

    function test_setSlasher_revertsWhen_notAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0))
        );
        vm.prank(attacker);
        vault.setSlasher(attacker);
    }

    function test_setMinSelfStake_setsAndBounds() public {
        vm.expectEmit(address(vault));
        emit IStakingVault.MinSelfStakeSet(1e18);
        vm.prank(admin);
        vault.setMinSelfStake(1e18);
        assertEq(vault.minSelfStake(), 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.MinSelfStakeTooHigh.selector, 10_000_000e18 + 1, 10_000_000e18)
        );
        vm.prank(admin);
        vault.setMinSelfStake(10_000_000e18 + 1);
        assertEq(vault.minSelfStake(), 1e18);
    }

    function test_setMinSelfStake_revertsWhen_notAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0))
        );
        vm.prank(attacker);
        vault.setMinSelfStake(0);
    }

    // ================================================================ issue 13: min self-stake, frozen inflows

    function test_setMinSelfStake_raiseDelayed() public {
        uint256 at = block.timestamp + vault.MIN_SELF_STAKE_DELAY();
        vm.expectEmit(address(vault));
        emit IStakingVault.MinSelfStakeScheduled(2 * MIN_SELF_STAKE, at);
        vm.prank(admin);
        vault.setMinSelfStake(2 * MIN_SELF_STAKE);
        assertEq(vault.minSelfStake(), MIN_SELF_STAKE);
        (uint256 value, uint256 effectiveAt) = vault.pendingMinSelfStake();
        assertEq(value, 2 * MIN_SELF_STAKE);
        assertEq(effectiveAt, at);
        vm.warp(at);
        assertEq(vault.minSelfStake(), 2 * MIN_SELF_STAKE);
        // a decrease applies at once
        vm.prank(admin);
        vault.setMinSelfStake(1);
        assertEq(vault.minSelfStake(), 1);
    }

    function test_enforceMinSelfStake_revertsWhen_aboveMinimum() public {
        _activeOperator(op1);
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.SelfStakeNotBelowMinimum.selector, MIN_SELF_STAKE, MIN_SELF_STAKE)
        );
        vault.enforceMinSelfStake(op1);
        assertTrue(vault.isOptedIn(op1));
    }

    function test_enforceMinSelfStake_revertsWhen_notOptedIn() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.expectRevert(IStakingVault.OptStateUnchanged.selector);
        vault.enforceMinSelfStake(op1);
    }

    function test_enforceMinSelfStake_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        vault.enforceMinSelfStake(bob);
    }

    function test_enforceMinSelfStake_cancelsPendingOptIn() public {
        _register(op1, COMMISSION, MIN_SELF_STAKE);
        vm.prank(op1);
        vault.setOptIn(true);
        vm.prank(admin);
        vault.setMinSelfStake(2 * MIN_SELF_STAKE);
        vm.warp(block.timestamp + vault.MIN_SELF_STAKE_DELAY());
        vault.enforceMinSelfStake(op1);
        vm.expectRevert(IStakingVault.NoPendingOptChange.selector);
        vault.finalizeOptChange(op1);
        assertFalse(vault.isOptedIn(op1));
    }

    function test_stake_revertsWhen_operatorFrozen() public {
        _activeOperator(op1);
        _requestSlash(op1, 1e18, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        _stake(alice, op1, 1e18);
        assertEq(vault.sharesOf(alice, op1), 0);
    }

    // ================================================================ issue 13: reward streams

    /// @dev A reward streams linearly: half after half the duration, all after it; a second notification restarts
    ///      the stream with the unstreamed rest.
    function test_notifyReward_streamsLinearly() public {
        _activeOperator(op1);
        uint256 d = vault.REWARD_DURATION();
        _reward(op1, 1000e18);
        assertEq(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 0, "nothing at once");
        vm.warp(block.timestamp + d / 2);
        assertApproxEqAbs(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 500e18, 1e6);
        _reward(op1, 500e18); // 500 left + 500 new over a fresh 7 days
        vm.warp(block.timestamp + d / 2);
        assertApproxEqAbs(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 1000e18, 1e6);
        vm.warp(block.timestamp + d);
        assertApproxEqAbs(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 1500e18, 1e6);
        assertLe(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 1500e18);
    }

    /// @dev What the pro-rata stream emits while no operator has weight is streamed again with the next reward.
    function test_notifyReward_global_noWeightCarriedToNextReward() public {
        _activeOperator(op1);
        _reward(address(0), 700e18);
        vm.warp(block.timestamp + 1 days);
        vm.prank(op1);
        vault.setOptIn(false);
        vm.warp(block.timestamp + vault.OPT_DELAY());
        vault.finalizeOptChange(op1); // no weight from here: 5/7 of the stream is carried
        vm.warp(block.timestamp + 10 days);
        assertApproxEqAbs(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 200e18, 1e6);
        _optIn(op1);
        _reward(address(0), 1e18);
        vm.warp(block.timestamp + vault.REWARD_DURATION());
        assertApproxEqAbs(vault.pendingCommission(op1) + vault.pendingRewards(op1, op1), 701e18, 1e6);
    }
}
