// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {VetoSlasher} from "../../src/staking/VetoSlasher.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice Drives the staking vault and the veto slasher with bounded random actions (stake, delegate, redelegate,
///         queue, claim, complete, slash request, veto, execute, reward, claim rewards, time) and keeps ghost totals.
contract StakingHandler is CommonBase, StdCheats, StdUtils {
    StakingVault public immutable vault;
    VetoSlasher public immutable slasher;
    IERC20 public immutable gaib;
    address public immutable slashAgent;
    address public immutable resolver;
    address public immutable rewarder;

    address[] public stakers;
    address[] public operators;
    uint256[] public exitIds; // open exits (claimed/completed ones are removed)
    uint256[] public slashIds; // pending slash requests

    // ---------------------------------------------------------------- ghosts
    uint256 public ghostDeposited; // GAIB ever staked into the vault
    uint256 public ghostWithdrawn; // GAIB ever paid out by claims (or redelegation dust)
    uint256 public ghostSlashed; // GAIB ever sent to the insurance fund
    uint256 public ghostExitWhileFrozen; // INV-STK-03: exits that succeeded while their operator had a pending slash
    uint256 public ghostCaptureBeforeExit; // INV-STK-03: requests whose capture precedes the operator's last exit
    uint256 public ghostSlashOverCap; // INV-STK-05: executions above min(requested, slashable at capture)
    uint256 public ghostRewardsNotified;
    uint256 public ghostExitBeforeExposureEnd; // INV-STK-07: exits finished before the exposure of their queue time
    uint256 public ghostCaptureOverCap; // INV-STK-05: Σ executed with one (operator, capture) above slashable then
    uint256 public ghostJitOverProRata; // INV-STK-08: a just-in-time staker earned more than its pool share
    uint256 public ghostJitOverTimeShare; // INV-STK-08: an operator earned more during a short stay than streamed
    mapping(bytes32 operatorCapture => uint256) public executedAtCapture; // [wad]
    mapping(uint256 exitId => uint256) public queuedAt; // [s]
    mapping(bytes32 name => uint256) public calls;

    constructor(
        StakingVault vault_,
        VetoSlasher slasher_,
        address slashAgent_,
        address resolver_,
        address rewarder_,
        address[] memory stakers_,
        address[] memory operators_,
        uint256 initialDeposits
    ) {
        vault = vault_;
        slasher = slasher_;
        gaib = vault_.gaib();
        slashAgent = slashAgent_;
        resolver = resolver_;
        rewarder = rewarder_;
        stakers = stakers_;
        operators = operators_;
        ghostDeposited = initialDeposits;
    }

    // ---------------------------------------------------------------- actions

    function stake(uint256 who, uint256 op, uint256 amount) external {
        address s = stakers[who % stakers.length];
        address o = operators[op % operators.length];
        amount = _bound(amount, 1e15, 5_000_000e18);
        if (gaib.balanceOf(s) < amount) return;
        vm.prank(s);
        try vault.stake(o, amount) {
            ghostDeposited += amount;
            ++calls["stake"];
        } catch {}
    }

    function queueWithdrawal(uint256 who, uint256 op, uint256 fraction) external {
        address s = stakers[who % stakers.length];
        address o = operators[op % operators.length];
        uint256 shares = (vault.sharesOf(s, o) * _bound(fraction, 1, 100)) / 100;
        if (shares == 0) return;
        vm.prank(s);
        try vault.queueWithdrawal(o, shares) returns (uint256 id) {
            exitIds.push(id);
            queuedAt[id] = block.timestamp;
            ++calls["queue"];
        } catch {}
    }

    function redelegate(uint256 who, uint256 from, uint256 to, uint256 fraction) external {
        address s = stakers[who % stakers.length];
        address f = operators[from % operators.length];
        address t = operators[to % operators.length];
        if (f == t) return;
        uint256 shares = (vault.sharesOf(s, f) * _bound(fraction, 1, 100)) / 100;
        if (shares == 0) return;
        vm.prank(s);
        try vault.redelegate(f, t, shares) returns (uint256 id) {
            exitIds.push(id);
            queuedAt[id] = block.timestamp;
            ++calls["redelegate"];
        } catch {}
    }

    /// @dev Claims a withdrawal or completes a redelegation, whichever exit `seed` picks.
    function finishExit(uint256 seed, bool settleFirst) external {
        if (exitIds.length == 0) return;
        if (settleFirst) _settleDue();
        uint256 i = seed % exitIds.length;
        uint256 id = exitIds[i];
        IStakingVault.Exit memory e = vault.getExit(id);
        bool frozen = vault.pendingSlashes(e.operator) != 0;
        bool exposed = block.timestamp < vault.exposureEnd(queuedAt[id]);
        if (e.to == address(0)) {
            vm.prank(e.owner);
            try vault.claimWithdrawal(id) returns (uint256 assets) {
                ghostWithdrawn += assets;
                if (frozen) ++ghostExitWhileFrozen;
                if (exposed) ++ghostExitBeforeExposureEnd;
                _removeExit(i);
                ++calls["claim"];
            } catch {}
        } else {
            uint256 before = gaib.balanceOf(e.owner);
            try vault.completeRedelegation(id) {
                ghostWithdrawn += gaib.balanceOf(e.owner) - before; // dust paid out, if any
                if (frozen) ++ghostExitWhileFrozen;
                if (exposed) ++ghostExitBeforeExposureEnd;
                _removeExit(i);
                ++calls["complete"];
            } catch {}
        }
    }

    function requestSlash(uint256 op, uint256 amount, uint256 age) external {
        if (op % 3 != 0) return; // rarer than the other actions: a pending slash freezes the operator's exits
        address o = operators[(op / 3) % operators.length];
        amount = _bound(amount, 1, 2_000_000e18);
        uint256 capture = block.timestamp - _bound(age, 0, vault.MAX_CAPTURE_AGE());
        vm.prank(slashAgent);
        try slasher.requestSlash(o, keccak256(abi.encode(o, amount, capture)), amount, capture) returns (uint256 id) {
            if (slasher.getRequest(id).captureTime < vault.lastExitAt(o)) ++ghostCaptureBeforeExit;
            slashIds.push(id);
            ++calls["request"];
        } catch {}
    }

    /// @dev Executes every pending slash whose veto window is over (what keepers do).
    function _settleDue() private {
        for (uint256 i = slashIds.length; i > 0; --i) {
            IVetoSlasher.SlashRequest memory r = slasher.getRequest(slashIds[i - 1]);
            if (block.timestamp < r.vetoDeadline) continue;
            uint256 slashed = slasher.executeSlash(slashIds[i - 1]);
            _recordSlash(r, slashed);
            _removeSlash(i - 1);
            ++calls["execute"];
        }
    }

    function veto(uint256 seed) external {
        if (slashIds.length == 0) return;
        uint256 i = seed % slashIds.length;
        vm.prank(resolver);
        try slasher.vetoSlash(slashIds[i]) {
            _removeSlash(i);
            ++calls["veto"];
        } catch {}
    }

    function execute(uint256 seed) external {
        if (slashIds.length == 0) return;
        uint256 i = seed % slashIds.length;
        IVetoSlasher.SlashRequest memory r = slasher.getRequest(slashIds[i]);
        try slasher.executeSlash(slashIds[i]) returns (uint256 slashed) {
            _recordSlash(r, slashed);
            _removeSlash(i);
            ++calls["execute"];
        } catch {}
    }

    function reward(uint256 op, uint256 amount, bool global) external {
        amount = _bound(amount, 1, 10_000e18);
        address o = global ? address(0) : operators[op % operators.length];
        vm.prank(rewarder);
        try vault.notifyReward(o, amount) {
            ghostRewardsNotified += amount;
            ++calls["reward"];
        } catch {}
    }

    /// @dev A staker stakes right before a per-operator reward, stays `dt` (≤ 10 minutes of a 7-day stream) and
    ///      leaves. What it earns is at most its pool share of what the operator earned meanwhile, and that is at most
    ///      `dt` worth of every stream (each stream's rate is ≤ Σ notified / REWARD_DURATION).
    function jitStakeAroundReward(uint256 who, uint256 op, uint256 stakeAmount, uint256 amount, uint256 dt) external {
        address s = stakers[who % stakers.length];
        address o = operators[op % operators.length];
        stakeAmount = _bound(stakeAmount, 1e18, 5_000_000e18);
        amount = _bound(amount, 1000e18, 10_000e18);
        dt = _bound(dt, 1, 10 minutes);
        if (gaib.balanceOf(s) < stakeAmount || vault.pendingSlashes(o) != 0) return;
        uint256 before = vault.pendingRewards(s, o);
        uint256 opBefore = _operatorEarned(o);
        vm.prank(s);
        vault.stake(o, stakeAmount);
        ghostDeposited += stakeAmount;
        vm.prank(rewarder);
        vault.notifyReward(o, amount);
        ghostRewardsNotified += amount;
        uint256 shares = vault.sharesOf(s, o);
        (, uint256 poolShares) = vault.activePool(o);
        vm.warp(block.timestamp + dt);
        uint256 earned = vault.pendingRewards(s, o) - before;
        uint256 opEarned = _operatorEarned(o) - opBefore;
        if (earned > (opEarned * shares) / poolShares + 1e6) ++ghostJitOverProRata;
        if (opEarned > (ghostRewardsNotified * dt) / vault.REWARD_DURATION() + 1e6) ++ghostJitOverTimeShare;
        vm.prank(s);
        try vault.queueWithdrawal(o, shares - (s == o ? vault.sharesOf(s, o) / 2 : 0)) returns (uint256 id) {
            exitIds.push(id);
            queuedAt[id] = block.timestamp;
        } catch {} // an operator keeps its minimum self-stake
        ++calls["jit"];
    }

    function claimRewards(uint256 who, uint256 op) external {
        address s = stakers[who % stakers.length];
        address o = operators[op % operators.length];
        vm.prank(s);
        try vault.claimRewards(o) {
            ++calls["claimRewards"];
        } catch {}
    }

    function warp(uint256 secs, bool long) external {
        secs = long ? _bound(secs, 1 days, 22 days) : _bound(secs, 1, 6 hours);
        vm.warp(block.timestamp + secs);
        ++calls["warp"];
    }

    // ---------------------------------------------------------------- views for the invariants

    function exitCount() external view returns (uint256) {
        return exitIds.length;
    }

    function stakerCount() external view returns (uint256) {
        return stakers.length;
    }

    function operatorCount() external view returns (uint256) {
        return operators.length;
    }

    /// @dev Σ of what `o`'s stakers and `o` itself can claim now.
    function _operatorEarned(address o) private view returns (uint256 sum) {
        sum = vault.pendingCommission(o);
        for (uint256 i; i < stakers.length; ++i) {
            sum += vault.pendingRewards(stakers[i], o);
        }
    }

    function _recordSlash(IVetoSlasher.SlashRequest memory r, uint256 slashed) private {
        uint256 cap = r.requested < r.slashableAtCapture ? r.requested : r.slashableAtCapture;
        if (slashed > cap) ++ghostSlashOverCap;
        bytes32 key = keccak256(abi.encode(r.operator, r.captureTime));
        executedAtCapture[key] += slashed;
        if (executedAtCapture[key] > r.slashableAtCapture) ++ghostCaptureOverCap;
        ghostSlashed += slashed;
    }

    function _removeExit(uint256 i) private {
        exitIds[i] = exitIds[exitIds.length - 1];
        exitIds.pop();
    }

    function _removeSlash(uint256 i) private {
        slashIds[i] = slashIds[slashIds.length - 1];
        slashIds.pop();
    }
}
