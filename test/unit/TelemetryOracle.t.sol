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
        assertEq(oracle.leafHash(t), _leaf(t));
    }

    function test_reportDigest_isEip712WithChainAndContract() public view {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 123e18);
        assertEq(oracle.reportDigest(t), _digest(t, block.chainid, address(oracle)));
        assertEq(oracle.recoverReportSigner(t, _sign(0, t)), nodeSigners[0]);
        assertEq(oracle.recoverReportSigner(t, hex"1234"), address(0), "malformed signature recovers nothing");
    }

    function test_verifyLeaf() public view {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32[] memory leaves = _leaves(r);
        bytes32 root = MerkleHelper.root(leaves);
        for (uint256 i; i < 4; ++i) {
            assertTrue(oracle.verifyLeaf(root, r[i], MerkleHelper.proof(leaves, i)));
        }
        assertFalse(oracle.verifyLeaf(root, r[0], MerkleHelper.proof(leaves, 1)));
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

    function test_attest_revertsWhen_epochRejected() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory truth = _copy(r[0]);
        r[0].revenue = 0; // operators dropped node 1's revenue
        _accept(epoch0, r);
        oracle.challenge(epoch0, truth, _sign(0, truth), r[0], MerkleHelper.proof(_leaves(r), 0), _sorted(op1, op2));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.EpochRejected.selector, epoch0));
        vm.prank(op3);
        oracle.attest(epoch0, bytes32("r"), 1, 0);
    }

    // ================================================================ challenge

    function test_challenge_rejectsRootAndRequestsSlashOfEveryAttester() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory truth = _copy(r[2]);
        r[2].revenue = 10_000e18; // inflated in the tree
        bytes32 root = _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 2);

        vm.expectEmit(address(oracle));
        emit ITelemetryOracle.RootRejected(epoch0, dave, nodeIds[2], 2);
        vm.prank(dave);
        uint256 n = oracle.challenge(epoch0, truth, _sign(2, truth), r[2], proof, _sorted(op1, op2));
        assertEq(n, 2);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
        assertEq(oracle.getEpochRoot(epoch0).root, root);
        assertFalse(oracle.isFinal(epoch0));
        assertEq(slasher.requestCount(), 2);
        for (uint256 id = 1; id <= 2; ++id) {
            IVetoSlasher.SlashRequest memory q = slasher.getRequest(id);
            uint256 w = q.operator == op1 ? OP1_WEIGHT : OP2_WEIGHT;
            assertEq(q.requested, w / 10, "10% of the attester's epoch weight");
            assertEq(q.captureTime, block.timestamp);
        }
        assertEq(vault.pendingSlashes(op1), 1);
        assertEq(vault.pendingSlashes(op2), 1);
        assertEq(vault.pendingSlashes(op3), 0, "did not attest");
        // the slashes execute after the veto window
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(1);
        slasher.executeSlash(2);
        assertEq(gaib.balanceOf(insurance), (OP1_WEIGHT + OP2_WEIGHT) / 10);
    }

    function test_challenge_revertsWhen_noRoot() public {
        TelemetryLib.Telemetry memory t = _report(0, epoch0, 1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.challenge(epoch0, t, "", t, new bytes32[](0), new address[](0));
    }

    function test_challenge_revertsWhen_windowClosed() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory truth = _copy(r[0]);
        r[0].revenue = 0;
        _accept(epoch0, r);
        uint256 deadline = oracle.getEpochRoot(epoch0).challengeDeadline;
        vm.warp(deadline);
        bytes memory sig = _sign(0, truth);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ChallengeWindowClosed.selector, epoch0, deadline));
        oracle.challenge(epoch0, truth, sig, r[0], proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_reportMismatch() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        TelemetryLib.Telemetry memory otherNode = _report(1, epoch0, 5);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.challenge(epoch0, otherNode, _sign(1, otherNode), r[0], proof, _sorted(op1, op2));
        TelemetryLib.Telemetry memory otherEpoch = _report(0, epoch0 + 1, 5);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.challenge(epoch0, otherEpoch, _sign(0, otherEpoch), r[0], proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_unknownNode() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        r[0].nodeId = bytes32("ghost");
        _accept(epoch0, r);
        TelemetryLib.Telemetry memory t = _copy(r[0]);
        t.revenue = 1;
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.UnknownNode.selector, bytes32("ghost")));
        oracle.challenge(epoch0, t, _sign(0, t), r[0], proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_invalidNodeSignature() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        TelemetryLib.Telemetry memory forged = _copy(r[0]);
        forged.revenue = 1;
        bytes memory sig = _sign(1, forged); // another node's key
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(
            abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], nodeSigners[1])
        );
        oracle.challenge(epoch0, forged, sig, r[0], proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_invalidProof() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        TelemetryLib.Telemetry memory truth = _copy(r[0]);
        truth.revenue = 1;
        TelemetryLib.Telemetry memory notInTree = _copy(r[0]);
        notInTree.revenue = 2;
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.challenge(epoch0, truth, _sign(0, truth), notInTree, proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_noConflict() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(ITelemetryOracle.NoConflict.selector);
        oracle.challenge(epoch0, r[0], _sign(0, r[0]), r[0], proof, _sorted(op1, op2));
    }

    function test_challenge_revertsWhen_invalidAttesters() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory truth = _copy(r[0]);
        r[0].revenue = 0;
        _accept(epoch0, r);
        bytes memory sig = _sign(0, truth);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        address[] memory sorted = _sorted(op1, op2);

        address[] memory one = new address[](1);
        one[0] = op1; // leaves op2 out
        vm.expectRevert(ITelemetryOracle.InvalidAttesters.selector);
        oracle.challenge(epoch0, truth, sig, r[0], proof, one);

        address[] memory unsorted = new address[](2);
        (unsorted[0], unsorted[1]) = (sorted[1], sorted[0]);
        vm.expectRevert(ITelemetryOracle.InvalidAttesters.selector);
        oracle.challenge(epoch0, truth, sig, r[0], proof, unsorted);

        address[] memory dup = new address[](2);
        (dup[0], dup[1]) = (op1, op1);
        vm.expectRevert(ITelemetryOracle.InvalidAttesters.selector);
        oracle.challenge(epoch0, truth, sig, r[0], proof, dup);

        address[] memory stranger = _sorted(op1, op3); // op3 did not attest
        vm.expectRevert(ITelemetryOracle.InvalidAttesters.selector);
        oracle.challenge(epoch0, truth, sig, r[0], proof, stranger);
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Accepted));
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
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.proveRevenue(epoch0, t, new bytes32[](0));
    }

    function test_proveRevenue_revertsWhen_notFinal() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        uint256 deadline = oracle.getEpochRoot(epoch0).challengeDeadline;
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotFinal.selector, epoch0, deadline));
        oracle.proveRevenue(epoch0, r[0], proof);
    }

    function test_proveRevenue_revertsWhen_rejected() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory truth = _copy(r[1]);
        r[1].revenue = 0;
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        oracle.challenge(epoch0, truth, _sign(1, truth), r[1], proof, _sorted(op1, op2));
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.RootNotAccepted.selector, epoch0));
        oracle.proveRevenue(epoch0, r[0], MerkleHelper.proof(_leaves(r), 0));
    }

    function test_proveRevenue_revertsWhen_epochMismatch() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        TelemetryLib.Telemetry memory t = _copy(r[0]);
        t.epoch = uint64(epoch0 + 1);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.proveRevenue(epoch0, t, new bytes32[](0));
    }

    function test_proveRevenue_revertsWhen_invalidProof() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, r[0], proof);
    }

    function test_proveRevenue_revertsWhen_alreadyProven() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        _prove(epoch0, r, 0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyProven.selector, epoch0, nodeIds[0]));
        oracle.proveRevenue(epoch0, r[0], proof);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 100e18);
    }

    function test_proveRevenue_revertsWhen_unknownNode() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        r[3].nodeId = bytes32("ghost");
        _accept(epoch0, r);
        _finalize(epoch0);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 3);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.UnknownNode.selector, bytes32("ghost")));
        oracle.proveRevenue(epoch0, r[3], proof);
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
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ExceedsAttestedTotals.selector, epoch0));
        oracle.proveRevenue(epoch0, r[2], proof); // 600 > 500
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
        bytes32 fresh = bytes32("node-5");
        vm.prank(op1);
        registry.registerNode(fresh, nodeSigners[0], DEAL_B, GPU, H100, 8);
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
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.ParameterOutOfBounds.selector, 7 days + 1));
        vm.prank(admin);
        oracle.setChallengeWindow(7 days + 1);
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
