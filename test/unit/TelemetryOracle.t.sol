// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueOracle} from "../../src/interfaces/IRevenueOracle.sol";
import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Unit tests of every TelemetryOracle entry point and custom error.
contract TelemetryOracleTest is NodesBase {
    // ================================================================ wiring and views

    function test_constructor_wiring() public view {
        assertEq(address(oracle.vault()), address(vault));
        assertEq(address(oracle.slasher()), address(slasher));
        assertEq(address(oracle.registry()), address(registry));
        assertTrue(slasher.hasRole(slasher.SLASHER_ROLE(), address(oracle)));
        assertEq(oracle.challengeWindow(), 1 days);
        assertEq(oracle.staleAfter(), 24);
        assertEq(oracle.challengeSlashBps(), 1000);
        assertEq(oracle.ATTEST_WINDOW(), 24);
        assertEq(oracle.MAX_REVENUE_RANGE(), 8784);
        assertEq(vault.totalWeightForEpoch(epoch0), TOTAL_WEIGHT);
        assertEq(vault.operatorWeightForEpoch(op1, epoch0), OP1_WEIGHT);
    }

    function test_leafHash_isOpenZeppelinStandardLeaf() public view {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 123e18);
        TelemetryLib.NodeSignature memory g = _sign(0, t);
        assertEq(oracle.leafHash(t, g), _leaf(t, g));
    }

    function test_reportDigest_isEip712WithChainAndContract() public view {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 123e18);
        assertEq(oracle.reportDigest(t), _digest(t, block.chainid, address(oracle)));
        assertEq(oracle.recoverReportSigner(t, _sign(0, t)), nodeSigners[0]);
        TelemetryLib.NodeSignature memory bad = _sign(0, t);
        bad.v = 29;
        assertEq(oracle.recoverReportSigner(t, bad), address(0), "malformed signature recovers nothing");
    }

    function test_verifyLeaf() public view {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32[] memory leaves = _leaves(r);
        bytes32 root = MerkleHelper.root(leaves);
        for (uint256 i; i < 4; ++i) {
            assertTrue(oracle.verifyLeaf(root, r[i], _sign(i, r[i]), MerkleHelper.proof(leaves, i)));
        }
        assertFalse(oracle.verifyLeaf(root, r[0], _sign(0, r[0]), MerkleHelper.proof(leaves, 1)));
        assertFalse(oracle.verifyLeaf(root, r[0], _sign(1, r[0]), MerkleHelper.proof(leaves, 0)), "sig is in the leaf");
    }

    function test_isNodeSigned() public {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 5e18);
        assertTrue(oracle.isNodeSigned(epoch0, t, _sign(0, t)));
        assertFalse(oracle.isNodeSigned(epoch0 + 1, t, _sign(0, t)), "other epoch");
        assertFalse(oracle.isNodeSigned(epoch0, t, _sign(1, t)), "other key");
        TelemetryLib.Telemetry memory ghost = _copy(t);
        ghost.nodeId = bytes32("ghost");
        assertFalse(oracle.isNodeSigned(epoch0, ghost, _sign(0, ghost)), "unknown node");
        // registered after the epoch ended: not a node of that epoch
        bytes32 late = _registerAs(op1, "late", nodeSigners[0], 0);
        TelemetryLib.Telemetry memory l = _copy(t);
        l.nodeId = late;
        assertFalse(oracle.isNodeSigned(epoch0, l, _sign(0, l)));
        // deactivated during a later epoch: still a node of epoch0
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        assertTrue(oracle.isNodeSigned(epoch0, t, _sign(0, t)));
        TelemetryLib.Telemetry memory after_ = _report(0, vault.currentEpoch() + 1, 5e18);
        assertFalse(oracle.isNodeSigned(after_.epoch, after_, _sign(0, after_)), "deactivated before the epoch");
    }

    function test_candidateKey() public view {
        assertEq(oracle.candidateKey(bytes32("r"), 4, 1000e18), keccak256(abi.encode(bytes32("r"), 4, 1000e18)));
    }

    // ================================================================ attest

    function test_attest_acceptedAtTwoThirds() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32 root = MerkleHelper.root(_leaves(r));
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.Attested(epoch0, op1, root, 4, 1000e18, OP1_WEIGHT);
        _attest(op1, epoch0, r);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.None), "40%: not yet");
        bytes32 key = oracle.candidateKey(root, 4, 1000e18);
        assertEq(oracle.attestationOf(epoch0, op1), key);
        assertEq(oracle.candidateWeight(epoch0, key), OP1_WEIGHT);

        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.RootAccepted(
            epoch0, root, OP1_WEIGHT + OP2_WEIGHT, TOTAL_WEIGHT, block.timestamp + 1 days
        );
        _attest(op2, epoch0, r);
        ITelemetryOracle.EpochRoot memory e = oracle.getEpochRoot(epoch0);
        assertEq(uint8(e.status), uint8(ITelemetryOracle.RootStatus.Accepted));
        assertEq(e.root, root);
        assertEq(e.nodeCount, 4);
        assertEq(e.totalRevenue, 1000e18);
        assertEq(e.attestedWeight, 750_000e18);
        assertEq(e.totalWeight, TOTAL_WEIGHT);
        assertEq(e.acceptedIndex, 1);
        assertEq(oracle.acceptedCount(), 1);
        assertFalse(oracle.isFinal(epoch0));
        _finalize(epoch0);
        assertTrue(oracle.isFinal(epoch0));
    }

    function test_attest_notAcceptedBelowTwoThirds() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _attest(op1, epoch0, r);
        _attest(op3, epoch0, r); // 65%
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.None));
        _attest(op2, epoch0, r); // 100%
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Accepted));
        assertEq(oracle.getEpochRoot(epoch0).attestedWeight, TOTAL_WEIGHT);
    }

    function test_attest_differentRootsTalliedApart() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _attest(op1, epoch0, r);
        r[0].revenue += 1; // op2 saw something else
        _attest(op2, epoch0, r);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.None));
    }

    function test_attest_afterAcceptance_recordedNotReaccepted() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32 root = _accept(epoch0, r);
        _attest(op3, epoch0, r);
        assertEq(oracle.candidateWeight(epoch0, oracle.candidateKey(root, 4, 1000e18)), TOTAL_WEIGHT);
        assertEq(oracle.getEpochRoot(epoch0).attestedWeight, 750_000e18, "the acceptance record is kept");
        assertEq(oracle.acceptedCount(), 1);
    }

    function test_attest_revertsWhen_epochNotEnded() public {
        uint256 current = vault.currentEpoch();
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.EpochNotEnded.selector, current, current));
        vm.prank(op1);
        oracle.attest(current, bytes32("r"), 1, 0);
    }

    function test_attest_revertsWhen_windowClosed() public {
        vm.warp(vault.epochStart(epoch0 + 25));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AttestationWindowClosed.selector, epoch0, epoch0 + 25));
        vm.prank(op1);
        oracle.attest(epoch0, bytes32("r"), 1, 0);
    }

    function test_attest_revertsWhen_emptyRoot() public {
        vm.expectRevert(ITelemetryOracle.EmptyRoot.selector);
        vm.prank(op1);
        oracle.attest(epoch0, bytes32(0), 1, 0);
        vm.expectRevert(ITelemetryOracle.EmptyRoot.selector);
        vm.prank(op1);
        oracle.attest(epoch0, bytes32("r"), 0, 0);
    }

    function test_attest_revertsWhen_noWeight() public {
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NoWeight.selector, alice, epoch0));
        vm.prank(alice);
        oracle.attest(epoch0, bytes32("r"), 1, 0);
    }

    function test_attest_revertsWhen_alreadyAttested() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _attest(op1, epoch0, r);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyAttested.selector, epoch0, op1));
        vm.prank(op1);
        oracle.attest(epoch0, bytes32("other"), 4, 0);
    }

    function test_attest_rejectedEpoch_opensNewRoundWithCurrentWeights() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 0);
        uint256 index = oracle.getEpochRoot(epoch0).acceptedIndex;
        vm.warp(vault.epochStart(epoch0 + 20)); // late in the first round's window
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        ITelemetryOracle.EpochRoot memory e = oracle.getEpochRoot(epoch0);
        assertEq(e.round, 1);
        assertEq(e.weightEpoch, epoch0 + 20);
        assertEq(oracle.attestationOf(epoch0, op1), bytes32(0), "new round: nobody attested yet");

        // the next round may be attested ATTEST_WINDOW epochs after its weight epoch, past the first window
        vm.warp(vault.epochStart(epoch0 + 30));
        TelemetryLib.Telemetry[] memory honest = _reports(epoch0);
        bytes32 root = _accept(epoch0, honest);
        e = oracle.getEpochRoot(epoch0);
        assertEq(uint8(e.status), uint8(ITelemetryOracle.RootStatus.Accepted));
        assertEq(e.root, root);
        assertEq(e.acceptedIndex, index, "liveness index reused");
        assertEq(oracle.acceptedCount(), 1);
        assertEq(oracle.attestationIn(epoch0, 0, op1), oracle.getRejection(epoch0, 0).key, "round 0 kept");
        _finalize(epoch0);
        _prove(epoch0, honest, 0);
        assertEq(oracle.dealEpochRevenue(DEAL_A, epoch0), 100e18, "the epoch's revenue is still provable");

        vm.warp(vault.epochStart(epoch0 + 20 + 25));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AttestationWindowClosed.selector, epoch0, epoch0 + 45));
        vm.prank(op3);
        oracle.attest(epoch0, bytes32("r"), 1, 0);
    }

    // ================================================================ challengeForgedLeaf

    function test_challengeForgedLeaf_rejectsOnceThenEachAttesterSlashedByItsOwnCall() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 2, 10_000e18);
        bytes32 root = oracle.getEpochRoot(epoch0).root;

        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.RootRejected(epoch0, 0, dave, nodeIds[2]);
        vm.prank(dave);
        oracle.challengeForgedLeaf(epoch0, r[2], g, proof);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
        assertEq(oracle.getEpochRoot(epoch0).root, root);
        assertFalse(oracle.isFinal(epoch0));
        assertEq(slasher.requestCount(), 0, "the challenge itself slashes no one: O(1) in attesters");
        ITelemetryOracle.Rejection memory j = oracle.getRejection(epoch0, 0);
        assertEq(j.root, root);
        assertEq(j.rejectedAt, block.timestamp);
        assertEq(j.slashBps, 1000);

        uint256 rejectedAt = block.timestamp;
        vm.warp(block.timestamp + 1 hours);
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.AttesterSlashRequested(epoch0, 0, op1, 1, OP1_WEIGHT / 10);
        assertEq(oracle.requestAttesterSlash(epoch0, 0, op1), 1);
        vm.prank(dave);
        assertEq(oracle.requestAttesterSlash(epoch0, 0, op2), 2);
        for (uint256 id = 1; id <= 2; ++id) {
            IVetoSlasher.SlashRequest memory q = slasher.getRequest(id);
            uint256 w = q.operator == op1 ? OP1_WEIGHT : OP2_WEIGHT;
            assertEq(q.requested, w / 10, "10% of the attester's epoch weight");
            assertEq(q.captureTime, rejectedAt, "captured at the rejection");
        }
        assertTrue(oracle.attesterSlashRequested(epoch0, 0, op1));
        assertEq(vault.pendingSlashes(op3), 0, "did not attest");
        vm.warp(block.timestamp + VETO);
        uint256 keepersBefore = gaib.balanceOf(address(this)) + gaib.balanceOf(dave);
        slasher.executeSlash(1);
        slasher.executeSlash(2);
        // the requesters (this test, dave) get the keeper bounty out of the slash, the insurance fund the rest
        uint256 bounties = gaib.balanceOf(address(this)) + gaib.balanceOf(dave) - keepersBefore;
        assertGt(bounties, 0);
        assertEq(gaib.balanceOf(insurance) + bounties, (OP1_WEIGHT + OP2_WEIGHT) / 10);
    }

    function test_requestAttesterSlash_revertsWhen_notRejected_notAttester_twice_late() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotRejected.selector, epoch0, 0));
        oracle.requestAttesterSlash(epoch0, 0, op1);
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotAttester.selector, epoch0, 0, op3));
        oracle.requestAttesterSlash(epoch0, 0, op3);
        oracle.requestAttesterSlash(epoch0, 0, op1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.SlashAlreadyRequested.selector, epoch0, 0, op1));
        oracle.requestAttesterSlash(epoch0, 0, op1);
        uint256 deadline = block.timestamp + vault.MAX_CAPTURE_AGE();
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.SlashRequestWindowClosed.selector, epoch0, 0, deadline));
        oracle.requestAttesterSlash(epoch0, 0, op2);
    }

    function test_challengeForgedLeaf_revertsWhen_noRoot() public {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 1);
        TelemetryLib.NodeSignature memory g = _sign(0, t);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.challengeForgedLeaf(epoch0, t, g, new bytes32[](0));
    }

    function test_challengeForgedLeaf_revertsWhen_windowClosed() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 0);
        uint256 deadline = oracle.getEpochRoot(epoch0).challengeDeadline;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ChallengeWindowClosed.selector, epoch0, deadline));
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
    }

    function test_challengeForgedLeaf_revertsWhen_invalidProof() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 0);
        TelemetryLib.Telemetry memory notInTree = _copy(r[0]);
        notInTree.revenue = 2;
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.challengeForgedLeaf(epoch0, notInTree, g, proof);
    }

    function test_challengeForgedLeaf_revertsWhen_leafIsNodeSigned() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[0]));
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Accepted));
    }

    /// @dev Leaves of unknown nodes, of other epochs, or signed by the wrong key are forgeries too.
    function test_challengeForgedLeaf_unknownNodeWrongEpochWrongKey() public {
        for (uint256 k; k < 3; ++k) {
            uint256 snap = vm.snapshotState();
            TelemetryLib.Telemetry[] memory r = _reports(epoch0);
            TelemetryLib.NodeSignature[] memory g = _sigs(r);
            if (k == 0) r[1].nodeId = bytes32("ghost");
            if (k == 1) r[1].epoch = uint64(epoch0 - 1);
            if (k == 0 || k == 1) g[1] = _sigOf(r[1]); // properly signed, by someone
            if (k == 2) g[1] = _sign(0, r[1]); // node 0's key signed node 1's report
            _attestWith(op1, epoch0, r, g);
            _attestWith(op2, epoch0, r, g);
            oracle.challengeForgedLeaf(epoch0, r[1], g[1], MerkleHelper.proof(_leavesWith(r, g), 1));
            assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
            vm.revertToState(snap);
        }
    }

    // ================================================================ reportEquivocation

    function test_reportEquivocation_slashesNodeOperatorAndExcludesNode() public {
        TelemetryLib.Telemetry memory a = _report(2, epoch0, 100e18);
        TelemetryLib.Telemetry memory b = _copy(a);
        b.revenue = 1;
        uint256 slashable = vault.slashableAt(op2, block.timestamp);
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.NodeEquivocated(nodeIds[2], epoch0, op2, dave, 1, slashable / 10);
        vm.prank(dave);
        assertEq(oracle.reportEquivocation(a, _sign(2, a), b, _sign(2, b)), 1);
        assertEq(slasher.getRequest(1).operator, op2, "the node's registering operator");
        assertEq(slasher.getRequest(1).requested, slashable / 10);
        (bool excluded, uint256 fromEpoch) = oracle.exclusionOf(nodeIds[2]);
        assertTrue(excluded);
        assertEq(fromEpoch, epoch0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeAlreadyExcluded.selector, nodeIds[2]));
        oracle.reportEquivocation(a, _sign(2, a), b, _sign(2, b));
    }

    function test_reportEquivocation_revertsWhen_badEvidence() public {
        TelemetryLib.Telemetry memory a = _report(0, epoch0, 100e18);
        TelemetryLib.Telemetry memory b = _copy(a);
        b.revenue = 1;
        TelemetryLib.NodeSignature memory ga = _sign(0, a);
        TelemetryLib.Telemetry memory otherNode = _report(1, epoch0, 1);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.reportEquivocation(a, ga, otherNode, _sign(1, otherNode));
        TelemetryLib.Telemetry memory otherEpoch = _report(0, epoch0 + 1, 1);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.reportEquivocation(a, ga, otherEpoch, _sign(0, otherEpoch));
        vm.expectRevert(ITelemetryOracle.NoConflict.selector);
        oracle.reportEquivocation(a, ga, a, ga);
        TelemetryLib.NodeSignature memory wrong = _sign(1, b);
        vm.expectRevert(
            abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], nodeSigners[1])
        );
        oracle.reportEquivocation(a, ga, b, wrong);
        TelemetryLib.Telemetry memory ga1 = _copy(a);
        ga1.nodeId = bytes32("ghost");
        TelemetryLib.Telemetry memory gb1 = _copy(b);
        gb1.nodeId = bytes32("ghost");
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.UnknownNode.selector, bytes32("ghost")));
        oracle.reportEquivocation(ga1, ga, gb1, ga);
        assertEq(slasher.requestCount(), 0);
    }

    // ================================================================ proveRevenue and deal revenue

    function test_proveRevenue_creditsDealAfterFinality() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.RevenueProven(epoch0, nodeIds[0], DEAL_A, 100e18);
        _prove(epoch0, r, 0);
        _prove(epoch0, r, 2);
        _prove(epoch0, r, 3);
        assertEq(oracle.dealEpochRevenue(DEAL_A, epoch0), 400e18);
        assertEq(oracle.dealEpochRevenue(DEAL_B, epoch0), 400e18);
        assertEq(oracle.dealRevenue(DEAL_A, epoch0, epoch0), 400e18);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 400e18);
        assertTrue(oracle.isProven(epoch0, nodeIds[0]));
        assertFalse(oracle.isProven(epoch0, nodeIds[1]));
        ITelemetryOracle.EpochRoot memory e = oracle.getEpochRoot(epoch0);
        assertEq(e.provenNodes, 3);
        assertEq(e.provenRevenue, 800e18);
    }

    function test_dealRevenue_sumsRangeOfEpochs() public {
        for (uint256 k; k < 3; ++k) {
            TelemetryLib.Telemetry[] memory r = _reports(epoch0 + k);
            _accept(epoch0 + k, r);
            vm.warp(vault.epochStart(epoch0 + k + 2) + 1);
        }
        for (uint256 k; k < 3; ++k) {
            TelemetryLib.Telemetry[] memory r = _reports(epoch0 + k);
            _finalize(epoch0 + k);
            _prove(epoch0 + k, r, 0);
        }
        assertEq(oracle.dealRevenue(DEAL_A, epoch0, epoch0 + 2), 300e18);
        assertEq(oracle.dealRevenue(DEAL_A, epoch0 + 1, epoch0 + 1), 100e18);
        assertEq(oracle.dealRevenue(DEAL_B, epoch0, epoch0 + 2), 0);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 300e18);
    }

    function test_dealRevenue_revertsWhen_invalidRange() public {
        vm.expectRevert(abi.encodeWithSelector(IRevenueOracle.InvalidEpochRange.selector, 5, 4));
        oracle.dealRevenue(DEAL_A, 5, 4);
        vm.expectRevert(abi.encodeWithSelector(IRevenueOracle.InvalidEpochRange.selector, 0, 8784));
        oracle.dealRevenue(DEAL_A, 0, 8784);
        assertEq(oracle.dealRevenue(DEAL_A, 0, 8783), 0);
    }

    function test_proveRevenue_revertsWhen_notAccepted() public {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 1);
        TelemetryLib.NodeSignature memory g = _sign(0, t);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.proveRevenue(epoch0, t, g, new bytes32[](0));
    }

    function test_proveRevenue_revertsWhen_notFinal() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        uint256 deadline = oracle.getEpochRoot(epoch0).challengeDeadline;
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotFinal.selector, epoch0, deadline));
        oracle.proveRevenue(epoch0, r[0], g, proof);
    }

    function test_proveRevenue_revertsWhen_rejected() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 1, 0);
        oracle.challengeForgedLeaf(epoch0, r[1], g, proof);
        vm.warp(block.timestamp + 2 days);
        TelemetryLib.NodeSignature memory g0 = _sign(0, r[0]);
        bytes32[] memory proof0 = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.proveRevenue(epoch0, r[0], g0, proof0);
    }

    function test_proveRevenue_revertsWhen_epochMismatch() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        TelemetryLib.Telemetry memory t = _copy(r[0]);
        t.epoch = uint64(epoch0 + 1);
        TelemetryLib.NodeSignature memory g = _sign(0, t);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.proveRevenue(epoch0, t, g, new bytes32[](0));
    }

    function test_proveRevenue_revertsWhen_invalidProof() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, r[0], g, proof);
    }

    function test_proveRevenue_revertsWhen_alreadyProven() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        _prove(epoch0, r, 0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyProven.selector, epoch0, nodeIds[0]));
        oracle.proveRevenue(epoch0, r[0], g, proof);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 100e18);
    }

    function test_proveRevenue_revertsWhen_unknownNode() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        r[3].nodeId = bytes32("ghost");
        _accept(epoch0, r);
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 3);
        TelemetryLib.NodeSignature memory g = _sigOf(r[3]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.UnknownNode.selector, bytes32("ghost")));
        oracle.proveRevenue(epoch0, r[3], g, proof);
    }

    function test_proveRevenue_revertsWhen_exceedsAttestedTotals() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32 root = MerkleHelper.root(_leaves(r));
        vm.prank(op1);
        oracle.attest(epoch0, root, 4, 500e18); // totals understated
        vm.prank(op2);
        oracle.attest(epoch0, root, 4, 500e18);
        _finalize(epoch0);
        _prove(epoch0, r, 0); // 100
        _prove(epoch0, r, 1); // 300
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 2);
        TelemetryLib.NodeSignature memory g = _sign(2, r[2]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ExceedsAttestedTotals.selector, epoch0));
        oracle.proveRevenue(epoch0, r[2], g, proof); // 600 > 500
    }

    function test_proveRevenue_revertsWhen_nodeNotActiveInEpoch() public {
        // registered after epoch0 ended (same key as node 0, its own id)
        bytes32 late = _registerAs(op1, "late", nodeSigners[0], DEAL_A);
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        r[3].nodeId = late;
        TelemetryLib.NodeSignature[] memory g = _sigs(r);
        g[3] = _sign(0, r[3]);
        _attestWith(op1, epoch0, r, g);
        _attestWith(op2, epoch0, r, g);
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leavesWith(r, g), 3);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeNotActiveInEpoch.selector, late, epoch0));
        oracle.proveRevenue(epoch0, r[3], g[3], proof);

        // deactivated before the epoch started
        uint256 e = vault.currentEpoch() + 1;
        vm.prank(op1);
        registry.deactivateNode(nodeIds[1]);
        vm.warp(vault.epochStart(e + 1) + 1);
        TelemetryLib.Telemetry[] memory r2 = _reports(e);
        _accept(e, r2);
        _finalize(e);
        proof = MerkleHelper.proof(_leaves(r2), 1);
        TelemetryLib.NodeSignature memory g1 = _sign(1, r2[1]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeNotActiveInEpoch.selector, nodeIds[1], e));
        oracle.proveRevenue(e, r2[1], g1, proof);
        _prove(e, r2, 0); // an active node of the same root is credited
        assertEq(oracle.dealEpochRevenue(DEAL_A, e), 100e18);
    }

    function test_proveRevenue_revertsWhen_nodeExcluded() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        TelemetryLib.Telemetry memory other = _copy(r[0]);
        other.revenue = 7;
        oracle.reportEquivocation(r[0], _sign(0, r[0]), other, _sign(0, other));
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeExcluded.selector, nodeIds[0], epoch0));
        oracle.proveRevenue(epoch0, r[0], g, proof);
        _prove(epoch0, r, 1); // the root stands for every other node
        assertEq(oracle.dealEpochRevenue(DEAL_A, epoch0), 200e18);
    }

    function test_proveRevenue_revertsWhen_forgedLeafWentUnchallenged() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 3, 400e18 + 1);
        _finalize(epoch0);
        address recovered = oracle.recoverReportSigner(r[3], g);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[3], recovered));
        oracle.proveRevenue(epoch0, r[3], g, proof);
        assertEq(oracle.cumulativeDealRevenue(DEAL_B), 0);
    }

    // ================================================================ liveness

    /// @dev Accepts `n` more roots in which only nodes 0..2 are proven present (node 3 is missing).
    function _runRoots(uint256 n) internal returns (uint256 next) {
        next = oracle.acceptedCount() == 0 ? epoch0 : vault.currentEpoch() - 1;
        for (uint256 k; k < n; ++k) {
            uint256 e = vault.currentEpoch() - 1;
            TelemetryLib.Telemetry[] memory r = _reports(e);
            _accept(e, r);
            vm.warp(block.timestamp + EPOCH);
            _finalize(e);
            _prove(e, r, 0);
            _prove(e, r, 1);
            _prove(e, r, 2);
            vm.warp(vault.epochStart(vault.currentEpoch() + 1) + 1);
        }
    }

    function test_liveness_staleAfterKMissedRoots() public {
        vm.prank(admin);
        oracle.setStaleAfter(3);
        _runRoots(2);
        assertEq(oracle.missedRoots(nodeIds[3]), 2);
        assertFalse(oracle.isStale(nodeIds[3]));
        assertFalse(oracle.isDealStale(DEAL_B));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.DealNotStale.selector, DEAL_B));
        oracle.flagStaleDeal(DEAL_B);

        _runRoots(1);
        assertEq(oracle.missedRoots(nodeIds[3]), 3);
        assertTrue(oracle.isStale(nodeIds[3]));
        assertEq(oracle.missedRoots(nodeIds[0]), 0);
        assertFalse(oracle.isStale(nodeIds[0]));
        assertTrue(oracle.isDealStale(DEAL_B));
        assertFalse(oracle.isDealStale(DEAL_A));
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.DealFlaggedStale(DEAL_B, 1);
        assertEq(oracle.flagStaleDeal(DEAL_B), 1);

        // a deactivated node is not stale
        vm.prank(op3);
        registry.deactivateNode(nodeIds[3]);
        assertFalse(oracle.isStale(nodeIds[3]));
        assertFalse(oracle.isDealStale(DEAL_B));
    }

    function test_liveness_presenceResetsAndNewNodeStartsFresh() public {
        vm.prank(admin);
        oracle.setStaleAfter(2);
        _runRoots(2);
        assertTrue(oracle.isStale(nodeIds[3]));
        // a node registered now only counts roots accepted after its registration
        bytes32 fresh = _registerAs(op1, "node-5", nodeSigners[0], DEAL_B);
        assertEq(oracle.missedRoots(fresh), 0);
        vm.warp(block.timestamp + 1); // roots accepted in the registration's second count as seen
        _runRoots(1);
        assertEq(oracle.missedRoots(fresh), 1);
        assertEq(oracle.missedRoots(nodeIds[0]), 0);
    }

    function test_missedRoots_revertsWhen_unknownNode() public {
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.UnknownNode.selector, bytes32("ghost")));
        oracle.missedRoots(bytes32("ghost"));
        assertFalse(oracle.isStale(bytes32("ghost")));
    }

    // ================================================================ admin

    function test_setChallengeWindow_boundsAndEffect() public {
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.ChallengeWindowSet(2 hours);
        vm.prank(admin);
        oracle.setChallengeWindow(2 hours);
        _accept(epoch0, _reports(epoch0));
        assertEq(oracle.getEpochRoot(epoch0).challengeDeadline, block.timestamp + 2 hours);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 1 hours - 1));
        vm.prank(admin);
        oracle.setChallengeWindow(1 hours - 1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 6 days + 1));
        vm.prank(admin);
        oracle.setChallengeWindow(6 days + 1);
        vm.prank(admin);
        oracle.setChallengeWindow(6 days); // + the vault's 1-day MAX_CAPTURE_AGE = its 7-day MAX_CHALLENGE_WINDOW
    }

    function test_setStaleAfter_bounds() public {
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.StaleAfterSet(48);
        vm.prank(admin);
        oracle.setStaleAfter(48);
        assertEq(oracle.staleAfter(), 48);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 0));
        vm.prank(admin);
        oracle.setStaleAfter(0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 10_001));
        vm.prank(admin);
        oracle.setStaleAfter(10_001);
    }

    function test_setChallengeSlashBps_bounds() public {
        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.ChallengeSlashBpsSet(5000);
        vm.prank(admin);
        oracle.setChallengeSlashBps(5000);
        assertEq(oracle.challengeSlashBps(), 5000);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 0));
        vm.prank(admin);
        oracle.setChallengeSlashBps(0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 5001));
        vm.prank(admin);
        oracle.setChallengeSlashBps(5001);
    }

    function test_setters_revertWhen_notAdmin() public {
        bytes memory err =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0));
        vm.startPrank(attacker);
        vm.expectRevert(err);
        oracle.setChallengeWindow(2 hours);
        vm.expectRevert(err);
        oracle.setStaleAfter(2);
        vm.expectRevert(err);
        oracle.setChallengeSlashBps(2);
        vm.stopPrank();
    }
}
