// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Attacks on the telemetry oracle and node registry: equivocating nodes, late attestations, double
///         attestation, replayed and cross-chain signatures, forged Merkle proofs, flash stake, griefing an honest
///         root, nodes on foreign deals, squatted node ids, unbounded deal node lists.
contract TelemetryAttacksTest is NodesBase {
    // ================================================================ issue 13 findings

    /// @dev Finding 1: node 0 signs R1 (in the honest root) and R2 ≠ R1 for the same epoch. Its second signature
    ///      cannot reject the honest root or slash the honest attesters; it proves the node's equivocation instead:
    ///      its operator (op1) gets a slash request and the node is excluded, while the root stands.
    function test_finding1_equivocatingNodeCannotSlashHonestAttesters() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        TelemetryLib.Telemetry memory r2 = _copy(r[0]);
        r2.revenue = 1;
        TelemetryLib.NodeSignature memory sig1 = _sign(0, r[0]);
        TelemetryLib.NodeSignature memory sig2 = _sign(0, r2);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);

        // the leaf in the root is node-signed: nothing to challenge
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[0]));
        vm.prank(attacker);
        oracle.challengeForgedLeaf(epoch0, r[0], sig1, proof);
        // R2 is not in the root at all
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        vm.prank(attacker);
        oracle.challengeForgedLeaf(epoch0, r2, sig2, proof);

        vm.prank(attacker);
        uint256 id = oracle.reportEquivocation(r[0], sig1, r2, sig2);
        assertEq(slasher.getRequest(id).operator, op1, "the equivocating node's operator is punished");
        assertEq(slasher.requestCount(), 1, "nobody else");
        (bool excluded,) = oracle.exclusionOf(nodeIds[0]);
        assertTrue(excluded);

        // the honest root stands, becomes final, its other nodes' revenue is provable
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Accepted));
        _finalize(epoch0);
        assertTrue(oracle.isFinal(epoch0));
        _prove(epoch0, r, 1);
        _prove(epoch0, r, 3);
        assertEq(oracle.cumulativeDealRevenue(DEAL_B), 400e18);
        assertEq(vault.pendingSlashes(op2), 0, "honest attester untouched");
    }

    /// @dev Finding 3: an operator attesting the accepted root after acceptance (front-running a challenge) changes
    ///      nothing the challenge needs: the challenge goes through and the late attester is answerable too.
    function test_finding3_attestAfterAcceptanceCannotBlockChallenge() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.NodeSignature[] memory g = _sigs(r);
        r[0].revenue = 1e30;
        _attestWith(op1, epoch0, r, g);
        _attestWith(op2, epoch0, r, g);
        ITelemetryOracle.EpochRoot memory before = oracle.getEpochRoot(epoch0);
        _attestWith(op3, epoch0, r, g); // front-run
        ITelemetryOracle.EpochRoot memory afterLate = oracle.getEpochRoot(epoch0);
        assertEq(afterLate.attestedWeight, before.attestedWeight, "acceptance record frozen");
        assertEq(afterLate.challengeDeadline, before.challengeDeadline);

        oracle.challengeForgedLeaf(epoch0, r[0], g[0], MerkleHelper.proof(_leavesWith(r, g), 0));
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
        oracle.requestAttesterSlash(epoch0, 0, op1);
        oracle.requestAttesterSlash(epoch0, 0, op2);
        oracle.requestAttesterSlash(epoch0, 0, op3);
        assertEq(slasher.requestCount(), 3);
    }

    /// @dev A rejected epoch does not make honest nodes stale: the re-accepted root reuses its liveness slot.
    function test_attack_rejectionsDoNotMakeHonestNodesStale() public {
        vm.prank(admin);
        oracle.setStaleAfter(2);
        uint256 e = epoch0;
        for (uint256 k; k < 3; ++k) {
            TelemetryLib.Telemetry[] memory r = _reports(e);
            (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(e, r, 0, 0);
            oracle.challengeForgedLeaf(e, r[0], g, proof);
            TelemetryLib.Telemetry[] memory honest = _reports(e);
            _accept(e, honest);
            _finalize(e);
            _prove(e, honest, 3);
            e = vault.currentEpoch();
            vm.warp(vault.epochStart(e + 1) + 1);
        }
        assertEq(oracle.acceptedCount(), 3, "three epochs, three liveness slots");
        assertEq(oracle.missedRoots(nodeIds[3]), 0);
        assertFalse(oracle.isStale(nodeIds[3]));
        assertFalse(oracle.isDealStale(DEAL_B));
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

    /// @dev Accepts `r` with leaf 0 carrying signature `g0`; then shows that leaf is a provable forgery.
    function _acceptAndCatch(TelemetryLib.Telemetry[] memory r, TelemetryLib.NodeSignature memory g0) internal {
        TelemetryLib.NodeSignature[] memory g = _sigs(r);
        g[0] = g0;
        _attestWith(op1, epoch0, r, g);
        _attestWith(op2, epoch0, r, g);
        assertFalse(oracle.isNodeSigned(epoch0, r[0], g0));
        oracle.challengeForgedLeaf(epoch0, r[0], g0, MerkleHelper.proof(_leavesWith(r, g), 0));
        assertEq(uint8(oracle.getEpochRoot(epoch0).status), uint8(ITelemetryOracle.RootStatus.Rejected));
    }

    /// @dev A node signature for epoch e-1 cannot be replayed in an epoch-e leaf: the epoch is signed.
    function test_attack_replayedSignatureOtherEpoch_isForgery() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory old = _copy(r[0]);
        old.epoch = uint64(epoch0 - 1);
        _acceptAndCatch(r, _sign(0, old));
    }

    /// @dev A report signed for this oracle address on another chain (Arbitrum's id) is no node signature here.
    function test_attack_crossChainSignature_isForgery() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.NodeSignature memory foreign = _signWith(nodeKeys[0], r[0], 42_161, address(oracle));
        assertTrue(oracle.recoverReportSigner(r[0], foreign) != nodeSigners[0]);
        _acceptAndCatch(r, foreign);
    }

    /// @dev Signed for this chain but another verifying contract: a forgery too.
    function test_attack_otherOracleSignature_isForgery() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _acceptAndCatch(r, _signWith(nodeKeys[0], r[0], block.chainid, address(0xBEEF)));
    }

    /// @dev A signature by the node's operator (not the node key) is a forgery.
    function test_attack_signatureByWrongKey_isForgery() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (, uint256 key) = makeAddrAndKey("mallory");
        _acceptAndCatch(r, _signWith(key, r[0], block.chainid, address(oracle)));
    }

    /// @dev The high-s twin of a valid signature recovers to no one under OpenZeppelin's rules: a forgery, so an
    ///      honest operator must check signatures with the same rules before attesting.
    function test_attack_malleatedSignature_isForgery() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.NodeSignature memory g = _sign(0, r[0]);
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        g.s = bytes32(n - uint256(g.s));
        g.v = g.v == 27 ? 28 : 27;
        assertEq(oracle.recoverReportSigner(r[0], g), address(0));
        _acceptAndCatch(r, g);
    }

    // ================================================================ Merkle proofs

    /// @dev A leaf that is not in the root, proven with some other leaf's path, is refused.
    function test_attack_forgedProof_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        TelemetryLib.Telemetry memory inflated = _copy(r[0]);
        inflated.revenue = 1_000_000e18;
        TelemetryLib.NodeSignature memory g = _sign(0, inflated); // even node-signed: not in the root
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 0);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, inflated, g, proof);
        // a made-up path
        bytes32[] memory fake = new bytes32[](2);
        fake[0] = keccak256("x");
        fake[1] = keccak256("y");
        g = _sign(1, r[1]);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, r[1], g, fake);
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
        (bytes32 lo, bytes32 hi) = leaves[0] < leaves[1] ? (leaves[0], leaves[1]) : (leaves[1], leaves[0]);
        TelemetryLib.Telemetry memory fake = TelemetryLib.Telemetry(lo, uint64(epoch0), 0, 0, 0, 0, 0);
        TelemetryLib.NodeSignature memory g = TelemetryLib.NodeSignature(hi, bytes32(0), 0);
        assertTrue(oracle.leafHash(fake, g) != parent);
        bytes32[] memory upper = new bytes32[](1);
        upper[0] = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        vm.expectRevert(ITelemetryOracle.InvalidProof.selector);
        oracle.proveRevenue(epoch0, fake, g, upper);
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

    /// @dev No attester of a rejected root can be left out: anyone requests each one's slash, whoever challenged.
    function test_attack_friendlyChallengerCannotSpareAttester() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e18);
        vm.prank(op2); // a "friendly" challenger
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        vm.prank(dave);
        uint256 id = oracle.requestAttesterSlash(epoch0, 0, op2);
        assertEq(slasher.getRequest(id).operator, op2);
    }

    /// @dev An honest root cannot be griefed: its leaves are node-signed.
    function test_attack_griefHonestRoot_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 3);
        TelemetryLib.NodeSignature memory g = _sign(3, r[3]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NotForged.selector, nodeIds[3]));
        oracle.challengeForgedLeaf(epoch0, r[3], g, proof);
    }

    /// @dev Revenue of a root can never exceed what the attesters committed to, even with valid proofs.
    function test_attack_doubleProveRevenue_reverts() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        _prove(epoch0, r, 1);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        TelemetryLib.NodeSignature memory g = _sign(1, r[1]);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.AlreadyProven.selector, epoch0, nodeIds[1]));
        oracle.proveRevenue(epoch0, r[1], g, proof);
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), 200e18);
    }

    // ================================================================ node binding (suspicions)

    /// @dev An operator cannot put its self-reporting node on someone else's deal without the deal's approval, and
    ///      cannot approve it itself.
    function test_attack_nodeOnForeignDeal_needsDealApproval() public {
        bytes32 id = registry.nodeIdOf(op3, "rogue");
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotApproved.selector, DEAL_A, id));
        vm.prank(op3);
        registry.registerNode("rogue", attacker, DEAL_A, GPU, H100, 8);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = id;
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotDealParty.selector, DEAL_A, op3));
        vm.prank(op3);
        registry.approveNodes(DEAL_A, ids, true);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownDeal.selector, 99));
        vm.prank(op3);
        registry.approveNodes(99, ids, true);
        // the borrower may approve as well as the underwriter
        vm.prank(borrower);
        registry.approveNodes(DEAL_A, ids, true);
        vm.prank(op3);
        registry.registerNode("rogue", attacker, DEAL_A, GPU, H100, 8);
        assertEq(registry.getNode(id).dealId, DEAL_A);
    }

    /// @dev Node ids are namespaced by operator: the same label from another operator is another node, so an
    ///      announced id cannot be taken first (and an approval for op1's node does not let op3 in).
    function test_attack_nodeIdSquatting_impossible() public {
        bytes32 mine = registry.nodeIdOf(op1, "announced");
        _approve(DEAL_A, mine);
        vm.prank(op3);
        bytes32 theirs = registry.registerNode("announced", attacker, 0, GPU, H100, 8);
        assertTrue(theirs != mine);
        bytes32 theirs2 = registry.nodeIdOf(op3, "announced-2");
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotApproved.selector, DEAL_A, theirs2));
        vm.prank(op3);
        registry.registerNode("announced-2", attacker, DEAL_A, GPU, H100, 8);
        assertEq(_registerAs(op1, "announced", nodeSigners[0], DEAL_A), mine);
    }

    /// @dev A deal's active node list is capped, so `isDealStale`/`flagStaleDeal` walk at most MAX_NODES_PER_DEAL
    ///      nodes; deactivating frees a slot.
    function test_attack_dealNodeList_bounded() public {
        uint256 max = registry.MAX_NODES_PER_DEAL();
        uint256 have = registry.activeNodesOfDeal(DEAL_A).length; // 3
        bytes32[] memory ids = new bytes32[](max - have + 1);
        INodeRegistry.NodeInput[] memory b = new INodeRegistry.NodeInput[](max - have);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = registry.nodeIdOf(op1, bytes32(1000 + i));
            if (i < b.length) b[i] = INodeRegistry.NodeInput(bytes32(1000 + i), dave, DEAL_A, GPU, H100, 8);
        }
        vm.prank(underwriter);
        registry.approveNodes(DEAL_A, ids, true);
        vm.prank(op1);
        registry.registerNodes(b);
        assertEq(registry.activeNodesOfDeal(DEAL_A).length, max);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.DealFull.selector, DEAL_A, max));
        vm.prank(op1);
        registry.registerNode(bytes32(1000 + b.length), dave, DEAL_A, GPU, H100, 8);
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        vm.prank(op1);
        registry.registerNode(bytes32(1000 + b.length), dave, DEAL_A, GPU, H100, 8);
        assertEq(registry.activeNodesOfDeal(DEAL_A).length, max);
        // the full walk stays well inside a block
        uint256 g = gasleft();
        oracle.isDealStale(DEAL_A);
        assertLt(g - gasleft(), 5_000_000);
    }
}
