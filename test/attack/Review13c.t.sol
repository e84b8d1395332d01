// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";

/// @notice Third fresh-eyes review of issue 13 (equivocation cooldown, exclusion moved back, report window, keeper
///         bounty): attacks that turned out safe, pinned so a later change cannot silently break them.
contract Review13cTest is NodesBase {
    address internal keeper = makeAddr("keeper");

    /// @dev Two different reports of node `i` for `epoch`, both signed with `key`.
    function _pair(uint256 i, uint256 epoch, uint256 key)
        internal
        view
        returns (
            TelemetryLib.Telemetry memory a,
            TelemetryLib.NodeSignature memory sa,
            TelemetryLib.Telemetry memory b,
            TelemetryLib.NodeSignature memory sb
        )
    {
        a = _report(i, epoch, 100e18);
        b = _copy(a);
        b.revenue = 1;
        (sa, sb) = (_sigWith(key, a), _sigWith(key, b));
    }

    function _equivocate(address who, uint256 i, uint256 epoch) internal returns (uint256 id) {
        (
            TelemetryLib.Telemetry memory a,
            TelemetryLib.NodeSignature memory sa,
            TelemetryLib.Telemetry memory b,
            TelemetryLib.NodeSignature memory sb
        ) = _pair(i, epoch, nodeKeys[i]);
        vm.prank(who);
        id = oracle.reportEquivocation(a, sa, b, sb);
    }

    /// @dev Safe: a vetoed self-report puts op2 in its equivocation cooldown, but the cooldown covers equivocation
    ///      slashes only: attesting a forged root is still slashed (separate path, no cooldown).
    function test_review13c_cooldownDoesNotShieldForgedRoot() public {
        uint256 self = _equivocate(op2, 2, epoch0);
        assertGt(self, 0, "self-report filed");
        vm.prank(resolver);
        slasher.vetoSlash(self);

        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e24);
        vm.prank(keeper);
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        vm.prank(keeper);
        uint256 id = oracle.requestAttesterSlash(epoch0, 0, op2);
        assertGt(id, 0, "forged root slashed despite the cooldown");
        assertEq(slasher.getRequest(id).requested, (OP2_WEIGHT * oracle.challengeSlashBps()) / 10_000);
    }

    /// @dev Safe: a third party cannot sign for an honest operator's node, so it can neither slash it nor start its
    ///      cooldown (and thereby protect it from a later genuine report).
    function test_review13c_thirdPartyCannotStartHonestCooldown() public {
        (, uint256 attackerKey) = makeAddrAndKey("attacker-node-key");
        (
            TelemetryLib.Telemetry memory a,
            TelemetryLib.NodeSignature memory sa,
            TelemetryLib.Telemetry memory b,
            TelemetryLib.NodeSignature memory sb
        ) = _pair(0, epoch0, attackerKey);
        address recovered = oracle.recoverReportSigner(a, sa);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], recovered));
        oracle.reportEquivocation(a, sa, b, sb);
        (bool excluded,) = oracle.exclusionOf(nodeIds[0]);
        assertFalse(excluded);
        assertEq(slasher.requestCount(), 0);
    }

    /// @dev Safe: a report of an earlier epoch only moves the exclusion back; it files no second request, and the
    ///      node cannot be re-reported for a later epoch (no double slash, no un-exclusion).
    function test_review13c_exclusionMovedBackNeverSlashesTwice() public {
        vm.warp(vault.epochStart(epoch0 + 2) + 1); // epoch0 + 1 ended too
        uint256 first = _equivocate(keeper, 3, epoch0 + 1);
        assertGt(first, 0);
        uint256 count = slasher.requestCount();
        assertEq(_equivocate(keeper, 3, epoch0), 0, "no second request");
        assertEq(slasher.requestCount(), count);
        (bool excluded, uint256 from) = oracle.exclusionOf(nodeIds[3]);
        assertTrue(excluded);
        assertEq(from, epoch0, "moved back");
        (
            TelemetryLib.Telemetry memory a,
            TelemetryLib.NodeSignature memory sa,
            TelemetryLib.Telemetry memory b,
            TelemetryLib.NodeSignature memory sb
        ) = _pair(3, epoch0 + 1, nodeKeys[3]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeAlreadyExcluded.selector, nodeIds[3]));
        oracle.reportEquivocation(a, sa, b, sb);
    }

    /// @dev Limitation (not a loss of funds): the bounty is capped by the drop of the operator's ACTIVE own position,
    ///      so an operator reported for equivocation can opt out and queue its own stake within the veto window; the
    ///      slash still takes its pro-rata share from that queued exit, but the keeper is paid nothing and the
    ///      insurance fund receives the whole slash. The bounty never exceeds the operator's loss either way.
    function test_review13c_reportedOperatorQueuingOwnStakeZeroesBountyNotSlash() public {
        uint256 id = _equivocate(keeper, 3, epoch0);
        vm.prank(op3);
        vault.setOptIn(false);
        vm.warp(block.timestamp + vault.OPT_DELAY());
        vault.finalizeOptChange(op3);
        uint256 exitId = _queue(op3, op3, vault.sharesOf(op3, op3));
        uint256 queuedBefore = vault.exitAssets(exitId);
        assertEq(vault.stakeOf(op3, op3), 0);
        vm.warp(slasher.getRequest(id).vetoDeadline);
        uint256 insuranceBefore = gaib.balanceOf(insurance);
        uint256 slashed = slasher.executeSlash(id);
        assertGt(slashed, 0);
        assertLt(vault.exitAssets(exitId), queuedBefore, "the operator's queued stake is still slashed");
        assertEq(gaib.balanceOf(keeper), 0, "no bounty without an active own loss");
        assertEq(gaib.balanceOf(insurance) - insuranceBefore, slashed);
    }

    /// @dev By design, bounded: after a vetoed self-report, a genuine equivocation of another of op2's nodes within
    ///      EQUIVOCATION_SLASH_COOLDOWN files no slash request, but the node is still excluded (no revenue, no
    ///      liveness), which is what protects the protocol; both reports are node-signed so no root is touched, and
    ///      forged roots stay slashable (test above). At most one equivocation slash per operator per cooldown is the
    ///      price of not letting an operator freeze its delegators' exits for ever.
    function test_review13c_cooldownStillExcludesEquivocatingNode() public {
        (address signer, uint256 key) = makeAddrAndKey("op2-fresh-key");
        vm.warp(vault.epochStart(epoch0) - 1); // registered before epoch0 ends
        bytes32 fresh = _registerAs(op2, "fresh", signer, 0);
        vm.warp(vault.epochStart(epoch0 + 1) + 1);
        TelemetryLib.Telemetry memory a = TelemetryLib.Telemetry(fresh, uint64(epoch0), 1, 1, 1, 1, 0);
        TelemetryLib.Telemetry memory b = _copy(a);
        b.revenue = 1;
        vm.prank(op2);
        uint256 self = oracle.reportEquivocation(a, _sigWith(key, a), b, _sigWith(key, b));
        vm.prank(resolver);
        slasher.vetoSlash(self);

        assertEq(_equivocate(keeper, 2, epoch0), 0, "no request in the cooldown");
        (bool excluded, uint256 from) = oracle.exclusionOf(nodeIds[2]);
        assertTrue(excluded, "excluded all the same");
        assertEq(from, epoch0);
    }
}
