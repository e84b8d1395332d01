// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";

/// @notice Issue 5: stake that backed a false root leaves its operator (redelegation or withdrawal) after the
///         attestation and before the challenge. It must still bear its pro-rata share of the challenge slash: exits
///         mature no earlier than `exposureEnd` of their queue time, after every challenge deadline of a root the
///         stake backed.
abstract contract SlashDodgeBase is NodesBase {
    /// @dev op1 + op2 attest a root with node 0's revenue understated (a forged leaf: the node signed the truth) for
    ///      `epoch0` (accepted); returns the forged leaf's signature, the lying reports and node 0's proof.
    function _acceptLie()
        internal
        returns (TelemetryLib.NodeSignature memory g, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof)
    {
        r = _reports(epoch0);
        (g, proof) = _acceptForged(epoch0, r, 0, 1e18);
    }

    /// @dev Challenges the lie one second before its deadline and requests op1's slash at the last moment the
    ///      request window allows (MAX_CAPTURE_AGE after the rejection); returns op1's slash request id.
    function _challengeLate(TelemetryLib.NodeSignature memory g, TelemetryLib.Telemetry[] memory r, bytes32[] memory p)
        internal
        returns (uint256 op1Request)
    {
        vm.warp(oracle.getEpochRoot(epoch0).challengeDeadline - 1);
        oracle.challengeForgedLeaf(epoch0, r[0], g, p);
        vm.warp(block.timestamp + vault.MAX_CAPTURE_AGE());
        oracle.requestAttesterSlash(epoch0, 0, op2);
        return oracle.requestAttesterSlash(epoch0, 0, op1);
    }

    /// @dev What op1's challenge slash takes: challengeSlashBps of its epoch weight.
    function _op1Penalty() internal view returns (uint256) {
        return (OP1_WEIGHT * oracle.challengeSlashBps()) / 10_000;
    }
}

/// @notice Default 1-hour epochs: redelegating right after the false attestation.
contract SlashDodgeRedelegateTest is SlashDodgeBase {
    function test_attack_redelegateAfterFalseAttestation_stillSlashed() public {
        (TelemetryLib.NodeSignature memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptLie();
        uint256 aliceStake = vault.stakeOf(alice, op1);
        uint256 exitId = _redelegate(alice, op1, op3, vault.sharesOf(alice, op1));
        uint256 maturity = vault.getExit(exitId).maturity;
        assertGt(maturity, oracle.getEpochRoot(epoch0).challengeDeadline, "in transit past the challenge deadline");

        // one epoch later (the old redelegation delay) the stake cannot leave op1 yet
        vm.warp(block.timestamp + EPOCH);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotMature.selector, exitId, maturity));
        vault.completeRedelegation(exitId);

        uint256 id = _challengeLate(truth, r, proof);
        assertEq(slasher.getRequest(id).slashableAtCapture, OP1_WEIGHT, "alice's stake is slashable at the capture");
        vm.warp(slasher.getRequest(id).vetoDeadline);
        uint256 penalty = _op1Penalty();
        assertEq(slasher.executeSlash(id), penalty);

        vm.warp(maturity);
        vault.completeRedelegation(exitId);
        uint256 expected = aliceStake - (penalty * aliceStake) / OP1_WEIGHT;
        assertApproxEqAbs(vault.stakeOf(alice, op3), expected, 3, "alice paid her share");
        assertApproxEqAbs(vault.stakeOf(op1, op1), MIN_SELF_STAKE - (penalty * MIN_SELF_STAKE) / OP1_WEIGHT, 3);
    }

    /// @dev The same with a withdrawal: 21 days already cover the exposure with 1-hour epochs; the claim waits for it.
    function test_attack_withdrawAfterFalseAttestation_stillSlashed() public {
        (TelemetryLib.NodeSignature memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptLie();
        uint256 aliceStake = vault.stakeOf(alice, op1);
        uint256 exitId = _queue(alice, op1, vault.sharesOf(alice, op1));
        assertGe(vault.getExit(exitId).maturity, vault.exposureEnd(block.timestamp));
        uint256 id = _challengeLate(truth, r, proof);
        vm.warp(slasher.getRequest(id).vetoDeadline);
        uint256 penalty = _op1Penalty();
        assertEq(slasher.executeSlash(id), penalty);
        vm.warp(vault.getExit(exitId).maturity);
        vm.prank(alice);
        assertApproxEqAbs(vault.claimWithdrawal(exitId), aliceStake - (penalty * aliceStake) / OP1_WEIGHT, 3);
    }

    /// @dev The vault's exposure bounds cover the oracle's attestation window and challenge-window bound.
    function test_exposure_coversOracleWindows() public view {
        assertEq(vault.EXPOSURE_EPOCHS(), oracle.ATTEST_WINDOW() + 1);
        // a rejection comes before the challenge deadline, the attester slash requests up to MAX_CAPTURE_AGE later
        assertEq(vault.MAX_CHALLENGE_WINDOW(), oracle.MAX_CHALLENGE_WINDOW() + vault.MAX_CAPTURE_AGE());
    }
}

/// @notice The longest epochs (1 day): the 24-epoch attestation window outlasts the 21-day withdrawal delay, so
///         without the exposure rule a withdrawal queued in the epoch it backs is claimed before the late false
///         attestation is even made.
contract SlashDodgeLongEpochTest is SlashDodgeBase {
    function _epochDuration() internal pure override returns (uint256) {
        return 1 days;
    }

    function test_attack_withdrawBeforeLateFalseAttestation_stillSlashed() public {
        uint256 aliceStake = vault.stakeOf(alice, op1);
        // alice leaves during epoch0 + 1: she still counts in epoch0's weight
        uint256 exitId = _queue(alice, op1, vault.sharesOf(alice, op1));
        uint256 maturity = vault.getExit(exitId).maturity;
        assertGt(maturity, block.timestamp + vault.WITHDRAWAL_DELAY(), "held past 21 days");

        vm.warp(block.timestamp + vault.WITHDRAWAL_DELAY());
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.ExitNotMature.selector, exitId, maturity));
        vm.prank(alice);
        vault.claimWithdrawal(exitId);

        // the last epoch op1 + op2 may still attest epoch0
        vm.warp(vault.epochStart(epoch0 + oracle.ATTEST_WINDOW()));
        (TelemetryLib.NodeSignature memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptLie();
        assertEq(vault.operatorWeightForEpoch(op1, epoch0), OP1_WEIGHT, "alice backed the lie");
        uint256 id = _challengeLate(truth, r, proof);
        assertLt(block.timestamp, maturity);
        vm.warp(slasher.getRequest(id).vetoDeadline);
        uint256 penalty = _op1Penalty();
        assertEq(slasher.executeSlash(id), penalty, "the whole penalty, not just what stayed");

        vm.warp(maturity);
        vm.prank(alice);
        assertApproxEqAbs(vault.claimWithdrawal(exitId), aliceStake - (penalty * aliceStake) / OP1_WEIGHT, 3);
    }
}
