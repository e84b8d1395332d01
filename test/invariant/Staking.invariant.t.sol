// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {StakingBase} from "../staking/StakingBase.sol";
import {StakingHandler} from "./StakingHandler.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Staking invariants over random sequences of stake, delegate, redelegate, queue, claim, slash request,
///         veto, execute, reward and time.
contract StakingInvariantTest is StakingBase {
    StakingHandler internal handler;

    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _activeOperator(op2);
        _activeOperator(op3);
        address[] memory stakers = new address[](7);
        (stakers[0], stakers[1], stakers[2], stakers[3]) = (alice, bob, carol, dave);
        (stakers[4], stakers[5], stakers[6]) = (op1, op2, op3);
        address[] memory ops = new address[](3);
        (ops[0], ops[1], ops[2]) = (op1, op2, op3);
        // every staker starts delegated to every operator, so exits are exercised from the first call
        for (uint256 i; i < 4; ++i) {
            for (uint256 o; o < 3; ++o) {
                _stake(stakers[i], ops[o], 1_000_000e18);
            }
        }
        handler = new StakingHandler(
            vault, slasher, slashAgent, resolver, rewarder, stakers, ops, 3 * MIN_SELF_STAKE + 12 * 1_000_000e18
        );
        for (uint256 i; i < stakers.length; ++i) {
            vm.prank(stakers[i]);
            gaib.approve(address(vault), type(uint256).max);
        }
        targetContract(address(handler));
    }

    /// INV-STK-01: every GAIB staked is active, queued, claimed or slashed: Σ active + Σ queued + withdrawn + slashed
    ///             == deposited, and the vault holds exactly Σ active + Σ queued.
    function invariant_INV_STK_01_conservation() public view {
        uint256 pools;
        for (uint256 i; i < handler.operatorCount(); ++i) {
            pools += _poolTotal(handler.operators(i));
        }
        assertEq(gaib.balanceOf(address(vault)), pools, "vault balance != pools");
        assertEq(pools + handler.ghostWithdrawn() + handler.ghostSlashed(), handler.ghostDeposited(), "leak");
        assertEq(gaib.balanceOf(insurance), handler.ghostSlashed(), "insurance != slashed");
    }

    /// INV-STK-02: rewards paid plus rewards still claimable never exceed what was streamed; the vault holds the rest.
    function invariant_INV_STK_02_rewardsBounded() public view {
        uint256 claimable;
        for (uint256 o; o < handler.operatorCount(); ++o) {
            address op = handler.operators(o);
            claimable += vault.pendingCommission(op);
            for (uint256 s; s < handler.stakerCount(); ++s) {
                claimable += vault.pendingRewards(handler.stakers(s), op);
            }
        }
        assertEq(vault.totalRewardsNotified(), handler.ghostRewardsNotified());
        assertLe(vault.totalRewardsPaid() + claimable, vault.totalRewardsNotified(), "rewards exceed streamed");
        assertEq(aid.balanceOf(address(vault)), vault.totalRewardsNotified() - vault.totalRewardsPaid());
    }

    /// INV-STK-03: stake slashable at a capture cannot escape the slash. (a) No exit of an operator is ever claimed or
    ///             completed while it has a pending slash; (b) every request's effective capture is at or after the
    ///             operator's last exit at the request, so every unit counted at the capture was still in its pools
    ///             when the request froze them.
    function invariant_INV_STK_03_noEscapeFromPendingSlash() public view {
        assertEq(handler.ghostExitWhileFrozen(), 0, "exit while frozen");
        assertEq(handler.ghostCaptureBeforeExit(), 0, "capture before an exit");
    }

    /// INV-STK-04: checkpoints agree with the pools: weight == active assets while opted in, slashable == active +
    ///             queued, total weight == Σ weights.
    function invariant_INV_STK_04_checkpointsMatchPools() public view {
        uint256 total;
        for (uint256 i; i < handler.operatorCount(); ++i) {
            address op = handler.operators(i);
            (uint256 a,) = vault.activePool(op);
            uint256 w = vault.operatorWeightAt(op, block.timestamp);
            assertEq(w, vault.isOptedIn(op) ? a : 0, "weight");
            assertEq(vault.slashableAt(op, block.timestamp), _poolTotal(op), "slashable");
            total += w;
        }
        assertEq(vault.totalWeightAt(block.timestamp), total, "total weight");
    }

    /// INV-STK-05: no executed slash ever exceeds min(requested, slashable at capture), and all slashes of one
    ///             operator with one capture together never exceed what was slashable at that capture.
    function invariant_INV_STK_05_slashBounded() public view {
        assertEq(handler.ghostSlashOverCap(), 0);
        assertEq(handler.ghostCaptureOverCap(), 0, "same-capture slashes over the cap");
    }

    /// INV-STK-08: a just-in-time stake earns at most its time-weighted share: no more than its pool share of what
    ///             its operator earned while it was there, which is at most that time's worth of the streams.
    function invariant_INV_STK_08_justInTimeStakeEarnsTimeShare() public view {
        assertEq(handler.ghostJitOverProRata(), 0, "more than the pool share");
        assertEq(handler.ghostJitOverTimeShare(), 0, "more than the time share");
    }

    /// INV-STK-06: claims on a pool never exceed it: Σ staker stakes ≤ active assets, Σ open exits ≤ queued assets.
    function invariant_INV_STK_06_claimsCovered() public view {
        for (uint256 i; i < handler.operatorCount(); ++i) {
            address op = handler.operators(i);
            (uint256 a,) = vault.activePool(op);
            (uint256 q,) = vault.queuedPool(op);
            uint256 stakes;
            for (uint256 s; s < handler.stakerCount(); ++s) {
                stakes += vault.stakeOf(handler.stakers(s), op);
            }
            uint256 exits;
            for (uint256 e; e < handler.exitCount(); ++e) {
                IStakingVault.Exit memory x = vault.getExit(handler.exitIds(e));
                if (x.operator == op) exits += vault.exitAssets(handler.exitIds(e));
            }
            assertLe(stakes, a, "active overclaimed");
            assertLe(exits, q, "queued overclaimed");
        }
    }

    /// INV-STK-07: no exit is claimed or completed before `exposureEnd` of its queue time, so stake that backed an
    ///             attestation is still slashable by that operator until every root it backed can no longer be
    ///             challenged (redelegating or withdrawing cannot dodge a challenge).
    function invariant_INV_STK_07_exitsWaitForExposure() public view {
        assertEq(handler.ghostExitBeforeExposureEnd(), 0);
    }

    /// @dev Logs how often each action succeeded (run with -vv), so a silent handler is noticed.
    function afterInvariant() external view {
        string[12] memory names = [
            "stake",
            "queue",
            "redelegate",
            "claim",
            "complete",
            "request",
            "veto",
            "execute",
            "reward",
            "claimRewards",
            "jit",
            "warp"
        ];
        for (uint256 i; i < names.length; ++i) {
            console2.log(names[i], handler.calls(bytes32(bytes(names[i]))));
        }
    }
}
