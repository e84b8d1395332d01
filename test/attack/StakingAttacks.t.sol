// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {StakingBase} from "../staking/StakingBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Attacks on staking: withdrawing or redelegating to dodge a slash, vetoing after the window.
contract StakingAttacksTest is StakingBase {
    uint256 internal constant STAKE = 90_000e18; // attacker's delegation to op1; op1 holds 100k in total

    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _activeOperator(op2);
        _stake(attacker, op1, STAKE);
    }

    // ================================================================ withdraw to dodge

    /// @dev The slash is visible (pending) before the attacker acts: a withdrawal queued now stays in the queued pool
    ///      for 21 days, cannot be claimed while the slash is pending, and loses its pro-rata share.
    function test_attack_withdrawAfterRequest_stillSlashed() public {
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp); // 50% of op1
        uint256 exitId = _queue(attacker, op1, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.warp(block.timestamp + 21 days);
        vm.prank(attacker);
        uint256 got = vault.claimWithdrawal(exitId);
        assertApproxEqAbs(got, STAKE / 2, 2, "the queued withdrawal paid half");
    }

    /// @dev Capture in the past: the attacker queued after the capture time (but before the request). The withdrawal
    ///      cannot have matured before the request (captures are at most 1 day old, withdrawals take 21), so it is
    ///      frozen and slashed.
    function test_attack_withdrawAfterCapture_beforeRequest_stillSlashed() public {
        uint256 capture = block.timestamp;
        vm.warp(block.timestamp + 12 hours);
        uint256 exitId = _queue(attacker, op1, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + 6 hours);
        uint256 id = _requestSlash(op1, 50_000e18, capture);
        assertEq(slasher.getRequest(id).slashableAtCapture, 100_000e18, "the attacker's stake counts at the capture");
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.warp(block.timestamp + 21 days);
        vm.prank(attacker);
        assertApproxEqAbs(vault.claimWithdrawal(exitId), STAKE / 2, 2);
    }

    /// @dev Queued 20 days before the request (not yet claimable): mature during the veto window, the claim is refused
    ///      until the slash resolves, then pays the slashed amount.
    function test_attack_withdrawMaturingDuringVetoWindow_frozenThenSlashed() public {
        uint256 exitId = _queue(attacker, op1, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + 20 days);
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);
        vm.warp(block.timestamp + 1 days); // mature now
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        vm.prank(attacker);
        vault.claimWithdrawal(exitId);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.prank(attacker);
        assertApproxEqAbs(vault.claimWithdrawal(exitId), STAKE / 2, 2);
    }

    /// @dev Claimed before the request with a capture before the claim: the capture is raised to the claim, so the
    ///      claimed stake is not in the cap and the stakers who stayed do not pay for it (they pay their pro-rata
    ///      share of what remains: at most the requested amount, at most what was slashable after the exit).
    function test_attack_claimBetweenCaptureAndRequest_remainingNotOvercharged() public {
        uint256 exitId = _queue(attacker, op1, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + 21 days);
        uint256 capture = block.timestamp - 1 hours; // before the claim, within MAX_CAPTURE_AGE
        vm.prank(attacker);
        vault.claimWithdrawal(exitId);
        uint256 id = _requestSlash(op1, 1_000_000e18, capture);
        IVetoSlasher.SlashRequest memory r = slasher.getRequest(id);
        assertEq(r.captureTime, block.timestamp, "capture raised to the last exit");
        assertEq(r.slashableAtCapture, MIN_SELF_STAKE, "only what stayed");
        vm.warp(block.timestamp + VETO);
        assertEq(slasher.executeSlash(id), MIN_SELF_STAKE);
    }

    // ================================================================ redelegate to dodge

    /// @dev Redelegating after the request: the stake sits in op1's queued pool, completion is refused while the slash
    ///      is pending, and the slash takes its pro-rata share before it reaches op2.
    function test_attack_redelegateAfterRequest_stillSlashed() public {
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);
        uint256 exitId = _redelegate(attacker, op1, op2, vault.sharesOf(attacker, op1));
        vm.warp(vault.getExit(exitId).maturity);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        vault.completeRedelegation(exitId);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vault.completeRedelegation(exitId);
        assertApproxEqAbs(vault.stakeOf(attacker, op2), STAKE / 2, 2, "arrived at op2 slashed");
        assertEq(gaib.balanceOf(insurance), 50_000e18);
    }

    /// @dev Redelegating after the capture but before the request: one epoch in transit, the capture is at most one
    ///      day old, so a redelegation started after the capture is still in op1's queued pool at the request unless
    ///      it completed first; if it did not complete, it is slashed.
    function test_attack_redelegateAfterCapture_notCompleted_slashed() public {
        uint256 capture = block.timestamp;
        vm.warp(block.timestamp + 10 minutes);
        uint256 exitId = _redelegate(attacker, op1, op2, vault.sharesOf(attacker, op1));
        uint256 id = _requestSlash(op1, 50_000e18, capture);
        assertEq(slasher.getRequest(id).slashableAtCapture, 100_000e18);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.warp(vault.getExit(exitId).maturity);
        vault.completeRedelegation(exitId);
        assertApproxEqAbs(vault.stakeOf(attacker, op2), STAKE / 2, 2);
    }

    /// @dev The same slash cannot also hit op2's stakers: op2 is untouched by op1's slash.
    function test_attack_redelegate_doesNotSpreadSlashToTarget() public {
        _stake(bob, op2, 50_000e18);
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);
        _redelegate(attacker, op1, op2, vault.sharesOf(attacker, op1));
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        assertApproxEqAbs(vault.stakeOf(bob, op2), 50_000e18, 1);
    }

    // ================================================================ veto

    function test_attack_vetoAfterWindow_reverts_slashExecutes() public {
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);
        uint256 deadline = block.timestamp + VETO;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.VetoWindowClosed.selector, id, deadline));
        vm.prank(resolver);
        slasher.vetoSlash(id);
        assertEq(slasher.executeSlash(id), 50_000e18);
    }

    /// @dev The admin cannot shorten a pending slash's veto window, nor swap the resolver quickly.
    function test_attack_adminCannotRushWindowOrResolver() public {
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);
        vm.startPrank(admin);
        slasher.scheduleVetoWindow(1 days);
        slasher.scheduleResolver(attacker);
        vm.stopPrank();
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(IVetoSlasher.VetoWindowOpen.selector, id, slasher.getRequest(id).vetoDeadline)
        );
        slasher.executeSlash(id);
        (, uint256 resolverAt) = slasher.pendingResolver();
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.ResolverNotReady.selector, resolverAt));
        slasher.applyResolver();
        vm.prank(resolver);
        slasher.vetoSlash(id);
    }

    /// @dev A non-slasher cannot request, a non-vetoer cannot veto, nobody can call the vault's slashing hooks.
    function test_attack_unauthorisedSlashPaths() public {
        bytes32 role = slasher.SLASHER_ROLE();
        vm.startPrank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        slasher.requestSlash(op2, bytes32(0), 1, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotSlasher.selector, attacker));
        vault.beginSlash(op2, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotSlasher.selector, attacker));
        vault.executeSlash(op2, 1, attacker);
        vm.stopPrank();
    }

    // ================================================================ issue 13 suspicions

    /// @dev (a) Two requests with the same capture (each within the cap on its own) together take at most what was
    ///      slashable at the capture: stake that arrived after the capture (bob's) is not reached by the sum.
    function test_attack_sameCaptureRequests_takeAtMostSlashableAtCapture() public {
        uint256 capture = block.timestamp;
        uint256 atCapture = vault.slashableAt(op1, capture); // 100k
        vm.warp(block.timestamp + 1 hours);
        _stake(bob, op1, 100_000e18); // after the capture
        uint256 id1 = _requestSlash(op1, 80_000e18, capture);
        vm.prank(slashAgent);
        uint256 id2 = slasher.requestSlash(op1, keccak256("second"), 80_000e18, capture);
        assertEq(slasher.getRequest(id2).slashableAtCapture, atCapture);
        vm.warp(block.timestamp + VETO);
        uint256 first = slasher.executeSlash(id1);
        uint256 second = slasher.executeSlash(id2);
        assertEq(first, 80_000e18);
        assertEq(first + second, atCapture, "the sum is capped by the stake at the capture");
        assertEq(slasher.getRequest(id2).executed, second);
        assertEq(gaib.balanceOf(insurance), atCapture);
    }

    /// @dev (a) A later capture (still before the first execution) counts the first slash against its own cap.
    function test_attack_overlappingCaptures_sumCappedByLaterCapture() public {
        uint256 id1 = _requestSlash(op1, 60_000e18, block.timestamp);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id1); // op1 holds 40k now
        _stake(bob, op1, 100_000e18); // after capture2: must not be reached
        uint256 capture2 = block.timestamp - 1 days; // before the first execution: 100k counted then
        vm.prank(slashAgent);
        uint256 id2 = slasher.requestSlash(op1, keccak256("late"), 100_000e18, capture2);
        assertEq(slasher.getRequest(id2).slashableAtCapture, 100_000e18);
        vm.warp(block.timestamp + VETO);
        assertEq(slasher.executeSlash(id2), 40_000e18, "100k at capture2, of which 60k already slashed since");
    }

    /// @dev (b) Stake cannot arrive while a slash is pending: a new stake is refused, a matured redelegation into the
    ///      frozen operator waits, and both arrive whole once the slash is resolved.
    function test_attack_stakeArrivingDuringPendingSlash_doesNotPayIt() public {
        _stake(carol, op2, 50_000e18);
        uint256 exitId = _redelegate(carol, op2, op1, vault.sharesOf(carol, op2));
        vm.warp(vault.getExit(exitId).maturity);
        uint256 id = _requestSlash(op1, 50_000e18, block.timestamp);

        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        _stake(bob, op1, 100_000e18);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op1, 1));
        vault.completeRedelegation(exitId);

        vm.warp(block.timestamp + VETO);
        assertEq(slasher.executeSlash(id), 50_000e18);
        assertApproxEqAbs(vault.stakeOf(attacker, op1), STAKE / 2, 2, "the stakers at the capture paid");
        _stake(bob, op1, 100_000e18);
        vault.completeRedelegation(exitId);
        assertApproxEqAbs(vault.stakeOf(bob, op1), 100_000e18, 2, "bob arrived after: whole");
        assertApproxEqAbs(vault.stakeOf(carol, op1), 50_000e18, 2, "carol's redelegation arrived after: whole");
    }

    /// @dev (b) The residual case: stake that arrived after the capture but before the request (≤ MAX_CAPTURE_AGE)
    ///      sits in the same share pool and pays its pro-rata part. It is bounded: the executed total never exceeds
    ///      what was slashable at the capture, and the late staker's loss is exactly its pool fraction of it.
    function test_attack_stakeBetweenCaptureAndRequest_paysOnlyProRataOfCappedSlash() public {
        uint256 capture = block.timestamp;
        uint256 atCapture = vault.slashableAt(op1, capture);
        vm.warp(block.timestamp + 1 hours);
        _stake(bob, op1, 100_000e18);
        uint256 id = _requestSlash(op1, 1_000_000e18, capture);
        vm.warp(block.timestamp + VETO);
        uint256 slashed = slasher.executeSlash(id);
        assertEq(slashed, atCapture, "capped by the stake at the capture, not the pools");
        uint256 bobLoss = 100_000e18 - vault.stakeOf(bob, op1);
        assertApproxEqAbs(bobLoss, (slashed * 100_000e18) / (atCapture + 100_000e18), 2, "pro-rata share only");
    }

    /// @dev (d) The resolver cannot renounce VETOER_ROLE: the slasher always has the vetoer `resolver()` names.
    function test_attack_resolverRenouncesVetoerRole_reverts() public {
        bytes32 role = slasher.VETOER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.RoleManagedByTimelock.selector, role));
        vm.prank(resolver);
        slasher.renounceRole(role, resolver);
        assertTrue(slasher.hasRole(role, slasher.resolver()), "resolver() holds the role");
        uint256 id = _requestSlash(op1, 1e18, block.timestamp);
        vm.prank(resolver);
        slasher.vetoSlash(id);
        assertEq(uint256(slasher.getRequest(id).status), uint256(IVetoSlasher.Status.Vetoed));
    }

    /// @dev (c) Raising the minimum self-stake does not apply at once: operators have the delay to top up. Afterwards
    ///      an operator below it is opted out by anyone and loses its weight; one that topped up keeps it.
    function test_attack_minSelfStakeRaise_delayedThenOperatorsBelowLoseWeight() public {
        vm.prank(admin);
        vault.setMinSelfStake(2 * MIN_SELF_STAKE);
        assertEq(vault.minSelfStake(), MIN_SELF_STAKE, "raise scheduled, not in force");
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.SelfStakeNotBelowMinimum.selector, MIN_SELF_STAKE, MIN_SELF_STAKE)
        );
        vault.enforceMinSelfStake(op1);
        _stake(op2, op2, MIN_SELF_STAKE); // op2 tops up during the delay

        vm.warp(block.timestamp + vault.MIN_SELF_STAKE_DELAY());
        assertEq(vault.minSelfStake(), 2 * MIN_SELF_STAKE);
        uint256 total = vault.totalWeightAt(block.timestamp);
        vm.expectEmit(address(vault));
        emit IStakingVault.OptChanged(op1, false);
        vm.prank(dave); // anyone
        vault.enforceMinSelfStake(op1);
        assertFalse(vault.isOptedIn(op1));
        assertEq(vault.operatorWeightAt(op1, block.timestamp), 0, "op1 lost its weight");
        assertEq(vault.totalWeightAt(block.timestamp), total - 100_000e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStakingVault.SelfStakeNotBelowMinimum.selector, 2 * MIN_SELF_STAKE, 2 * MIN_SELF_STAKE
            )
        );
        vault.enforceMinSelfStake(op2);
        assertTrue(vault.isOptedIn(op2));
        // op1 can opt in again only with the new minimum
        vm.expectRevert(
            abi.encodeWithSelector(IStakingVault.SelfStakeBelowMinimum.selector, MIN_SELF_STAKE, 2 * MIN_SELF_STAKE)
        );
        vm.prank(op1);
        vault.setOptIn(true);
    }
}
