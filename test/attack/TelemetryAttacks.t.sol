// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Attacks on the telemetry oracle: double attestation, replayed and cross-chain signatures, forged Merkle
///         proofs, flash stake, omitted attesters, griefing an honest root.
contract TelemetryAttacksTest is NodesBase {
    /// @dev A root with node 0's revenue understated, accepted by op1 + op2; returns (truth, leaf, proof).
    function _acceptedLie()
        internal
        returns (TelemetryLib.Telemetry memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof)
    {
        r = _reports(epoch0);
        truth = _copy(r[0]);
        r[0].revenue = 1e18;
        _accept(epoch0, r);
        proof = MerkleHelper.proof(_leaves(r), 0);
    }

    // ================================================================ double attest

    function test_attack_doubleAttest_sameOrOtherRoot_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        bytes32 root = _attest(op1, epoch0, r);
        vm.startPrank(op1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyAttested.selector, epoch0, op1));
        oracle.attest(epoch0, root, 4, 1000e18);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyAttested.selector, epoch0, op1));
        oracle.attest(epoch0, bytes32("other"), 4, 1000e18);
        vm.stopPrank();
        assertEq(oracle.candidateWeight(epoch0, oracle.candidateKey(root, 4, 1000e18)), OP1_WEIGHT, "counted once");
    }

    // ================================================================ signatures

    /// @dev A node signature for epoch e cannot be replayed as a report of epoch e+1: the epoch is signed.
    function test_attack_replayedSignatureOtherEpoch_reverts() public {
        (TelemetryLib.Telemetry memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptedLie();
        bytes memory sig = _sign(0, truth);
        TelemetryLib.Telemetry memory replay = _copy(truth);
        replay.epoch = uint64(epoch0 + 1);
        vm.expectRevert(ITelemetryOracle.ReportMismatch.selector);
        oracle.challenge(epoch0, replay, sig, r[0], proof, _sorted(op1, op2));
        // the same signature over the other epoch's struct recovers someone else
        replay.epoch = uint64(epoch0);
        replay.revenue = 7;
        address recovered = oracle.recoverReportSigner(replay, sig);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], recovered));
        oracle.challenge(epoch0, replay, sig, r[0], proof, _sorted(op1, op2));
    }

    /// @dev A report signed for the same oracle address on another chain (Arbitrum's id) does not verify here.
    function test_attack_crossChainSignature_reverts() public {
        (TelemetryLib.Telemetry memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptedLie();
        bytes memory foreign = _signWith(nodeKeys[0], truth, 42_161, address(oracle));
        address recovered = oracle.recoverReportSigner(truth, foreign);
        assertTrue(recovered != nodeSigners[0]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], recovered));
        oracle.challenge(epoch0, truth, foreign, r[0], proof, _sorted(op1, op2));
        // and for this chain but another verifying contract
        bytes memory otherOracle = _signWith(nodeKeys[0], truth, block.chainid, address(0xBEEF));
        recovered = oracle.recoverReportSigner(truth, otherOracle);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], recovered));
        oracle.challenge(epoch0, truth, otherOracle, r[0], proof, _sorted(op1, op2));
        // the genuine one works
        oracle.challenge(epoch0, truth, _sign(0, truth), r[0], proof, _sorted(op1, op2));
    }

    /// @dev A signature by the node's operator (not the node key) is refused.
    function test_attack_signatureByWrongKey_reverts() public {
        (TelemetryLib.Telemetry memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptedLie();
        (address mallory, uint256 key) = makeAddrAndKey("mallory");
        bytes memory sig = _signWith(key, truth, block.chainid, address(oracle));
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.InvalidNodeSignature.selector, nodeIds[0], mallory));
        oracle.challenge(epoch0, truth, sig, r[0], proof, _sorted(op1, op2));
    }

    // ================================================================ Merkle proofs

    /// @dev A leaf that is not in the root, proven with some other leaf's path, is refused (challenge and revenue).
    function test_attack_forgedProof_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        TelemetryLib.Telemetry memory inflated = _copy(r[0]);
        inflated.revenue = 1_000_000e18;
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, inflated, proof);
        // a made-up path
        bytes32[] memory fake = new bytes32[](2);
        fake[0] = keccak256("x");
        fake[1] = keccak256("y");
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, r[1], fake);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 0);
    }

    /// @dev Second preimage: an inner node of the tree cannot be presented as a leaf, because leaves are hashed twice
    ///      (OpenZeppelin standard leaf). The pair (leaf0, leaf1) re-read as a report never hashes to their parent.
    function test_attack_innerNodeAsLeaf_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        bytes32[] memory leaves = _leaves(r);
        bytes32 parent = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        // a "report" whose fields are the two children (nodeId = left child, revenue = right child)
        (bytes32 lo, bytes32 hi) = leaves[0] < leaves[1] ? (leaves[0], leaves[1]) : (leaves[1], leaves[0]);
        TelemetryLib.Telemetry memory fake = TelemetryLib.Telemetry(lo, uint64(epoch0), 0, 0, 0, 0, uint256(hi));
        assertTrue(oracle.leafHash(fake) != parent);
        bytes32[] memory upper = new bytes32[](1);
        upper[0] = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, fake, upper);
    }

    // ================================================================ stake and attesters

    /// @dev Stake added during an epoch does not count for it: a whale cannot stake at the last minute and push its
    ///      own root over 2/3 for an epoch it was not staked in.
    function test_attack_flashStakeDuringEpoch_noWeight() public {
        uint256 e = vault.currentEpoch(); // running
        _register(dave, 0, MIN_SELF_STAKE);
        _stake(attacker, dave, 50_000_000e18);
        vm.prank(dave);
        vault.setOptIn(true);
        vm.warp(block.timestamp + 1 days);
        vault.finalizeOptChange(dave);
        // e ended long ago but is still inside the attest window
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NoWeight.selector, dave, e));
        vm.prank(dave);
        oracle.attest(e, bytes32("lie"), 1, 0);
        assertEq(vault.totalWeightForEpoch(e), TOTAL_WEIGHT);
    }

    /// @dev Operators that attested a rejected root cannot be left out of the slash by a friendly challenger.
    function test_attack_omitAttester_reverts() public {
        (TelemetryLib.Telemetry memory truth, TelemetryLib.Telemetry[] memory r, bytes32[] memory proof) =
            _acceptedLie();
        bytes memory sig = _sign(0, truth);
        address[] memory onlyOne = new address[](1);
        onlyOne[0] = op2;
        vm.expectRevert(ITelemetryOracle.InvalidAttesters.selector);
        oracle.challenge(epoch0, truth, sig, r[0], proof, onlyOne);
    }

    /// @dev An honest root cannot be griefed: presenting the node's own (matching) signed report is no conflict.
    function test_attack_griefHonestRoot_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 3);
        vm.expectRevert(ITelemetryOracle.NoConflict.selector);
        oracle.challenge(epoch0, r[3], _sign(3, r[3]), r[3], proof, _sorted(op1, op2));
    }

    /// @dev Revenue of a root can never exceed what the attesters committed to, even with valid proofs.
    function test_attack_doubleProveRevenue_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        _prove(epoch0, r, 1);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyProven.selector, epoch0, nodeIds[1]));
        oracle.proveRevenue(epoch0, r[1], proof);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 200e18);
    }
}
