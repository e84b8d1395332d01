// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";

/// @notice Fresh-eyes review of the issue 13 fix: attempts to slash honest attesters, to let a forged root's attesters
///         escape, to freeze operators from outside, and to dodge equivocation punishment.
contract Review13Test is NodesBase {
    uint256 private constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    // ================================================================ equivocation

    /// @dev Bug: a node that signs two reports for a FUTURE epoch and reports itself gets "excluded" only from that
    ///      far epoch on; `NodeAlreadyExcluded` then refuses every later report, so it can equivocate in the epochs
    ///      that matter without exclusion or punishment, and its leaves stay provable. An equivocation is only
    ///      reportable for an epoch that has ended.
    function test_review_futureEpochEquivocationGrantsImmunity() public {
        uint256 future = epoch0 + 1_000_000;
        TelemetryLib.Telemetry memory f1 = _report(3, future, 1);
        TelemetryLib.Telemetry memory f2 = _report(3, future, 2);
        uint256 current = vault.currentEpoch();
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.EpochNotEnded.selector, future, current));
        vm.prank(op3); // the node's own operator "confesses" in advance
        oracle.reportEquivocation(f1, _sign(3, f1), f2, _sign(3, f2));

        // the node's real equivocation in epoch0 stays reportable: excluded from epoch0 on, its operator punished
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory r2 = _copy(r[3]);
        r2.revenue = 1e24;
        vm.prank(dave);
        uint256 id = oracle.reportEquivocation(r[3], _sign(3, r[3]), r2, _sign(3, r2));
        assertEq(slasher.getRequest(id).operator, op3);
        (bool excluded, uint256 fromEpoch) = oracle.exclusionOf(nodeIds[3]);
        assertTrue(excluded);
        assertEq(fromEpoch, epoch0);
    }

    /// @dev Safe: neither the leaf's own signature nor a high-s twin of it makes a second "report": equal struct
    ///      hashes are no conflict, and a signature moved to another report does not verify.
    function test_review_equivocationReusingLeafSignature_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        TelemetryLib.NodeSignature memory twin =
            TelemetryLib.NodeSignature(g.r, bytes32(SECP256K1_N - uint256(g.s)), g.v == 27 ? 28 : 27);
        vm.expectRevert(ITelemetryOracle.NoConflict.selector);
        oracle.reportEquivocation(r[0], g, r[0], twin);

        TelemetryLib.Telemetry memory other = _copy(r[0]);
        other.revenue = 0;
        address wrong = oracle.recoverReportSigner(other, g);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], wrong));
        oracle.reportEquivocation(r[0], g, other, g);
        assertEq(slasher.requestCount(), 0);
        (bool excluded,) = oracle.exclusionOf(nodeIds[0]);
        assertFalse(excluded);
    }

    /// @dev Safe: an excluded node's genuinely signed leaf in a later root is not a forgery (the root stands, its
    ///      attesters are not slashable); it is only refused as revenue.
    function test_review_excludedNodeLeafInRoot_rootStandsNotCredited() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory r2 = _copy(r[3]);
        r2.revenue = 7;
        oracle.reportEquivocation(r[3], _sign(3, r[3]), r2, _sign(3, r2));
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 3);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[3]));
        oracle.challengeForgedLeaf(epoch0, r[3], _sign(3, r[3]), proof);
        _finalize(epoch0);
        assertTrue(oracle.isFinal(epoch0));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeExcluded.selector, nodeIds[3], epoch0));
        oracle.proveRevenue(epoch0, r[3], _sign(3, r[3]), proof);
        _prove(epoch0, r, 0);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 100e18);
        assertEq(vault.pendingSlashes(op1) + vault.pendingSlashes(op2), 0, "attesters untouched");
    }

    // ================================================================ framing honest attesters

    /// @dev Safe: an attacker registering a node with an honest node's signer address gains nothing: the digest binds
    ///      the nodeId, so the honest node's signatures neither verify for the attacker's node nor pair with its
    ///      reports as an equivocation, and the honest leaf cannot be challenged.
    function test_review_sharedSignerKey_cannotFrameHonestNode() public {
        bytes32 evil = _registerAs(op3, bytes32("evil"), nodeSigners[0], 0); // op3 turns malicious
        uint256 e1 = epoch0 + 1;
        vm.warp(vault.epochStart(e1 + 1) + 1);
        TelemetryLib.Telemetry[] memory r = _reports(e1);
        _accept(e1, r);
        TelemetryLib.NodeSignature memory g0 = _sign(0, r[0]);

        TelemetryLib.Telemetry memory evilReport = _copy(r[0]);
        evilReport.nodeId = evil;
        assertTrue(oracle.recoverReportSigner(evilReport, g0) != nodeSigners[0], "signature bound to nodeId");
        assertFalse(oracle.isNodeSigned(e1, evilReport, g0));
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.reportEquivocation(r[0], g0, evilReport, g0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[0]));
        oracle.challengeForgedLeaf(e1, r[0], g0, MerkleHelper.proof(_leaves(r), 0));
        assertEq(vault.pendingSlashes(op1) + vault.pendingSlashes(op2), 0);
    }

    /// @dev Safe: a node deactivated during the epoch (by its operator) or after it (by the admin) stays active in
    ///      that epoch: its signed leaf cannot be turned into a forgery after the attestation.
    function test_review_deactivationAfterAttestation_leafStaysNodeSigned() public {
        uint256 e1 = epoch0 + 1;
        vm.warp(vault.epochStart(e1) + 10 minutes);
        vm.prank(op1);
        registry.deactivateNode(nodeIds[1]); // mid-epoch
        vm.warp(vault.epochStart(e1 + 1) + 1);
        TelemetryLib.Telemetry[] memory r = _reports(e1);
        _accept(e1, r);
        vm.prank(admin);
        registry.deactivateNode(nodeIds[0]); // after the epoch, root already accepted
        bytes32[] memory leaves = _leaves(r);
        for (uint256 i; i < 2; ++i) {
            assertTrue(oracle.isNodeSigned(e1, r[i], _sign(i, r[i])));
            vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[i]));
            oracle.challengeForgedLeaf(e1, r[i], _sign(i, r[i]), MerkleHelper.proof(leaves, i));
        }
        _finalize(e1);
        _prove(e1, r, 0);
        _prove(e1, r, 1);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 300e18);
    }

    /// @dev The trap for honest operators: a node handing out a `v` = 0/1 signature (which viem and ethers accept and
    ///      normalise) gets a leaf that recovers to no one under OpenZeppelin's rules, so attesting it is slashable.
    ///      The attesting tool must put the canonical (v 27/28, low-s) form in the leaf (off-chain requirement).
    function test_review_vZeroOneSignature_isForgery_canonicalFormIsNot() public view {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 5);
        TelemetryLib.NodeSignature memory g = _sign(0, t);
        assertTrue(oracle.isNodeSigned(epoch0, t, g));
        TelemetryLib.NodeSignature memory raw = TelemetryLib.NodeSignature(g.r, g.s, g.v - 27);
        assertEq(oracle.recoverReportSigner(t, raw), address(0));
        assertFalse(oracle.isNodeSigned(epoch0, t, raw));
    }

    // ================================================================ escaping a forged root

    /// @dev A re-attestation round is separate: the round-0 forgers stay slashable for round 0, round-1 attesters of
    ///      the honest root are not slashable, and an operator that did not attest round 0 cannot be charged for it.
    function test_review_reattestationRound_onlyForgersSlashable() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e24);
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);

        TelemetryLib.Telemetry[] memory honest = _reports(epoch0);
        _attest(op3, epoch0, honest);
        _accept(epoch0, honest);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Accepted));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotRejected.selector, epoch0, 1));
        oracle.requestAttesterSlash(epoch0, 1, op3);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotAttester.selector, epoch0, 0, op3));
        oracle.requestAttesterSlash(epoch0, 0, op3);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[0]));
        oracle.challengeForgedLeaf(epoch0, honest[0], _sign(0, honest[0]), MerkleHelper.proof(_leaves(honest), 0));

        oracle.requestAttesterSlash(epoch0, 0, op1);
        oracle.requestAttesterSlash(epoch0, 0, op2);
        assertEq(vault.pendingSlashes(op1), 1);
        assertEq(vault.pendingSlashes(op2), 1);
        assertEq(vault.pendingSlashes(op3), 0);
    }

    /// @dev Design gap (not a code bug): attester slashes must be requested within MAX_CAPTURE_AGE of the rejection;
    ///      if nobody does (no bounty), the forgers keep their stake. Keepers/challenger tooling must request them.
    function test_review_attesterSlashNotRequestedInTime_forgersEscape() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e24);
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        uint256 deadline = oracle.getRejection(epoch0, 0).rejectedAt + vault.MAX_CAPTURE_AGE();
        vm.warp(deadline);
        oracle.requestAttesterSlash(epoch0, 0, op1); // the last second still works
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.SlashRequestWindowClosed.selector, epoch0, 0, deadline));
        oracle.requestAttesterSlash(epoch0, 0, op2);
        assertEq(vault.pendingSlashes(op2), 0);
    }

    // ================================================================ freezing from outside

    /// @dev Safe: an outsider holding no node key and no rejected root cannot file a request on an honest operator, so
    ///      it cannot freeze it (stake keeps flowing in).
    function test_review_outsiderCannotFreezeHonestOperator() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        (address stranger, uint256 key) = makeAddrAndKey("stranger-key");
        TelemetryLib.Telemetry memory a = _copy(r[0]);
        TelemetryLib.Telemetry memory b = _copy(r[0]);
        b.revenue = 1;
        vm.startPrank(attacker);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], stranger));
        oracle.reportEquivocation(a, _sigWith(key, a), b, _sigWith(key, b));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotRejected.selector, epoch0, 0));
        oracle.requestAttesterSlash(epoch0, 0, op1);
        vm.stopPrank();
        assertEq(vault.pendingSlashes(op1), 0);
        assertGt(_stake(dave, op1, 1e18), 0, "op1 still takes stake");
    }

    /// @dev Bug: since the fix, stake cannot join a frozen operator, so an operator could hold a matured redelegation
    ///      into it hostage by keeping itself frozen: it registers nodes on deal 0 (no approval needed) and reports its
    ///      own equivocations, one request per node, before the previous one resolves. The redelegator could neither
    ///      complete nor withdraw. Now a redelegation still not completed WITHDRAWAL_DELAY after its maturity can be
    ///      claimed as a withdrawal (later than a withdrawal queued at the same time: no delay or exposure dodged).
    ///      (Since review 13b an operator's own equivocation reports can no longer keep it frozen without a gap
    ///      (`EQUIVOCATION_SLASH_COOLDOWN`, Review13b.t.sol); the freeze here is a series of slash requests, whatever
    ///      their source.)
    function test_review_selfFrozenOperatorCannotTrapIncomingRedelegation() public {
        uint256 id = _redelegate(bob, op2, op3, vault.sharesOf(bob, op2) / 2);
        uint256 maturity = vault.getExit(id).maturity;
        uint256 assets = vault.exitAssets(id);
        uint256 executed = slasher.requestCount();
        while (block.timestamp < maturity + vault.WITHDRAWAL_DELAY()) {
            _requestSlash(op3, 1e18, block.timestamp);
            vm.warp(block.timestamp + 1 days);
            while (
                executed < slasher.requestCount() && slasher.getRequest(executed + 1).vetoDeadline <= block.timestamp
            ) {
                slasher.executeSlash(++executed); // anyone executes the old ones: the freeze goes on
            }
            if (block.timestamp < maturity + vault.WITHDRAWAL_DELAY()) {
                vm.prank(bob); // before the grace the exit is still a redelegation only
                vm.expectRevert(abi.encodeWithSelector(IStakingVault.WrongExitKind.selector, id));
                vault.claimWithdrawal(id);
            }
        }
        uint256 pending = vault.pendingSlashes(op3);
        assertGt(pending, 0, "op3 still frozen");
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op3, pending));
        vault.completeRedelegation(id);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotExitOwner.selector, id));
        vault.claimWithdrawal(id);
        uint256 before = gaib.balanceOf(bob);
        vm.prank(bob);
        assertEq(vault.claimWithdrawal(id), assets, "bob gets his stake back (op2 was never slashed)");
        assertEq(gaib.balanceOf(bob) - before, assets);
    }

    /// @dev Safe: forgers cannot front-run a challenge by registering the forged leaf's (unused) nodeId with the
    ///      forged signature's key: a node registered after the epoch is not active in it, so the leaf stays forged.
    function test_review_frontRunChallengeByRegisteringForgedNode_fails() public {
        (address z, uint256 zKey) = makeAddrAndKey("forger-key");
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        r[0].nodeId = registry.nodeIdOf(op1, bytes32("late"));
        TelemetryLib.NodeSignature[] memory g = _sigs(r);
        g[0] = _sigWith(zKey, r[0]);
        _attestWith(op1, epoch0, r, g);
        _attestWith(op2, epoch0, r, g);
        assertEq(_registerAs(op1, bytes32("late"), z, 0), r[0].nodeId); // the front-run
        assertEq(oracle.recoverReportSigner(r[0], g[0]), z);
        assertFalse(oracle.isNodeSigned(epoch0, r[0], g[0]));
        oracle.challengeForgedLeaf(epoch0, r[0], g[0], MerkleHelper.proof(_leavesWith(r, g), 0));
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
    }
}
