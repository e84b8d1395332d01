// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Gas of the telemetry oracle as the epoch tree grows: `attest` is O(1) (flat in the node count),
///         `challengeForgedLeaf` is O(log n) (grows by a bounded cost per proof level) and O(1) in the number of
///         attesters, as is each attester's `requestAttesterSlash`. Trees of 10, 1,000 and 100,000 leaves
///         are represented by synthetic sibling paths of depth ceil(log2 n) = 4, 10 and 17 around the challenged
///         leaf (the root is what such a tree would have). Every measurement starts from the same state (the
///         others are reverted) and runs with `--isolate`, so each call is its own transaction.
contract TelemetryGasTest is NodesBase {
    uint256[3] internal sizes = [uint256(10), 1000, 100_000];
    /// @dev Per extra proof level: 32 bytes of calldata (≤ 512 gas), one keccak of 64 bytes and the loop (~150).
    uint256 internal constant PER_LEVEL_BUDGET = 1000;

    function _path(uint256 n) internal pure returns (bytes32[] memory siblings) {
        siblings = new bytes32[](MerkleHelper.depth(n));
        for (uint256 i; i < siblings.length; ++i) {
            siblings[i] = keccak256(abi.encode("sibling", n, i));
        }
    }

    function test_gas_attest_flatInNodeCount() public {
        uint256[3] memory first;
        uint256[3] memory accepting;
        uint256 snap = vm.snapshotState();
        for (uint256 k; k < 3; ++k) {
            bytes32 root = keccak256(abi.encode("root", sizes[k]));
            vm.prank(op1);
            oracle.attest(epoch0, root, sizes[k], sizes[k] * 1e18);
            first[k] = vm.snapshotGasLastCall(string.concat("attest_", vm.toString(sizes[k]), "_nodes"));
            vm.prank(op2);
            oracle.attest(epoch0, root, sizes[k], sizes[k] * 1e18);
            accepting[k] = vm.snapshotGasLastCall(string.concat("attest_accepting_", vm.toString(sizes[k]), "_nodes"));
            vm.revertToState(snap);
        }
        console2.log("attest gas (10 / 1,000 / 100,000 nodes): %d / %d / %d", first[0], first[1], first[2]);
        console2.log("accepting attest gas: %d / %d / %d", accepting[0], accepting[1], accepting[2]);
        for (uint256 k = 1; k < 3; ++k) {
            // only the calldata bytes of nodeCount and totalRevenue differ (a zero byte costs 4, a non-zero 16)
            assertApproxEqAbs(first[k], first[0], 100, "attest depends on the node count");
            assertApproxEqAbs(accepting[k], accepting[0], 100, "accepting attest depends on the node count");
        }
    }

    function test_gas_challenge_logarithmicInNodeCount() public {
        uint256[3] memory used;
        uint256 snap = vm.snapshotState();
        for (uint256 k; k < 3; ++k) {
            TelemetryLib.Telemetry memory truth = _report(0, epoch0, 100e18);
            TelemetryLib.NodeSignature memory sig = _sign(0, truth);
            TelemetryLib.Telemetry memory lie = _copy(truth);
            lie.revenue = 1e18; // under the signature of the truth: forged
            bytes32[] memory proof = _path(sizes[k]);
            bytes32 root = MerkleHelper.rootFromPath(_leaf(lie, sig), proof);
            vm.prank(op1);
            oracle.attest(epoch0, root, sizes[k], 0);
            vm.prank(op2);
            oracle.attest(epoch0, root, sizes[k], 0);
            oracle.challengeForgedLeaf(epoch0, lie, sig, proof);
            used[k] = vm.snapshotGasLastCall(string.concat("challenge_", vm.toString(sizes[k]), "_nodes"));
            vm.revertToState(snap);
        }
        console2.log("challenge gas (depth 4 / 10 / 17): %d / %d / %d", used[0], used[1], used[2]);
        assertGt(used[1], used[0]);
        assertGt(used[2], used[1]);
        assertLe(used[1] - used[0], (10 - 4) * PER_LEVEL_BUDGET, "challenge grows faster than log n");
        assertLe(used[2] - used[1], (17 - 10) * PER_LEVEL_BUDGET, "challenge grows faster than log n");
    }

    /// @dev Finding 2: a forged root backed by 10, 100 or 1,000 attesters costs the same to challenge, and each
    ///      attester's slash request costs the same whatever their number (each its own transaction).
    function test_gas_challenge_flatInAttesterCount() public {
        uint256[3] memory counts = [uint256(10), 100, 1000];
        uint256[3] memory challengeGas;
        uint256[3] memory requestGas;
        address[] memory ops = new address[](1000);
        uint256 have;
        _requestSlash(op3, 1, block.timestamp); // the slasher's request counter is non-zero for every measurement
        for (uint256 k; k < 3; ++k) {
            _addOperators(ops, have, counts[k]);
            have = counts[k];
            (challengeGas[k], requestGas[k]) = _measureChallenge(ops, counts[k]);
        }
        console2.log(
            "challenge gas (10 / 100 / 1,000 attesters): %d / %d / %d",
            challengeGas[0],
            challengeGas[1],
            challengeGas[2]
        );
        console2.log("requestAttesterSlash gas: %d / %d / %d", requestGas[0], requestGas[1], requestGas[2]);
        for (uint256 k = 1; k < 3; ++k) {
            assertApproxEqAbs(challengeGas[k], challengeGas[0], 1000, "challenge grows with attesters");
            assertApproxEqAbs(requestGas[k], requestGas[0], 5000, "slash request grows with attesters");
        }
        assertLt(challengeGas[2], 200_000, "far below any transaction gas cap");
    }

    /// @dev Registers and opts in `ops[from .. to)` with the minimum self-stake.
    function _addOperators(address[] memory ops, uint256 from, uint256 to) internal {
        for (uint256 i = from; i < to; ++i) {
            ops[i] = address(uint160(0xA77E57000 + i));
            _fundGaib(ops[i], MIN_SELF_STAKE);
            _register(ops[i], COMMISSION, MIN_SELF_STAKE);
            vm.prank(ops[i]);
            vault.setOptIn(true);
        }
        vm.warp(block.timestamp + vault.OPT_DELAY());
        for (uint256 i = from; i < to; ++i) {
            vault.finalizeOptChange(ops[i]);
        }
    }

    /// @dev `ops[0 .. n)`, op1 and op2 attest a forged root of a fresh epoch; returns the gas of the challenge and of
    ///      the last attester's slash request.
    function _measureChallenge(address[] memory ops, uint256 n)
        internal
        returns (uint256 challengeGas, uint256 reqGas)
    {
        uint256 e = vault.currentEpoch() + 1;
        vm.warp(vault.epochStart(e + 1) + 1);
        TelemetryLib.Telemetry[] memory r = _reports(e);
        TelemetryLib.NodeSignature[] memory g = _sigs(r);
        r[0].revenue = 1; // forged under the true report's signature
        bytes32[] memory l = _leavesWith(r, g);
        bytes32 root = MerkleHelper.root(l);
        uint256 total = _total(r);
        for (uint256 i; i < n; ++i) {
            vm.prank(ops[i]);
            oracle.attest(e, root, 4, total);
        }
        vm.prank(op1);
        oracle.attest(e, root, 4, total);
        vm.prank(op2);
        oracle.attest(e, root, 4, total);
        assertEq(uint8(oracle.getEpochRoot(e).status), 1, "accepted");

        oracle.challengeForgedLeaf(e, r[0], g[0], MerkleHelper.proof(l, 0));
        challengeGas = vm.snapshotGasLastCall(string.concat("challenge_", vm.toString(n), "_attesters"));
        oracle.requestAttesterSlash(e, 0, ops[n - 1]);
        reqGas = vm.snapshotGasLastCall(string.concat("requestAttesterSlash_", vm.toString(n), "_attesters"));
    }

    function test_gas_proveRevenue() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        _accept(epoch0, r);
        _finalize(epoch0);
        _prove(epoch0, r, 0); // warm the deal's cumulative slot
        TelemetryLib.NodeSignature memory g = _sign(1, r[1]);
        bytes32[] memory proof = MerkleHelper.proof(_leaves(r), 1);
        oracle.proveRevenue(epoch0, r[1], g, proof);
        vm.snapshotGasLastCall("proveRevenue_4_nodes");
    }

    function test_gas_registerNode() public {
        _approve(DEAL_A, registry.nodeIdOf(op1, "node-x"));
        vm.prank(op1);
        registry.registerNode(bytes32("node-x"), dave, DEAL_A, GPU, H100, 8);
        vm.snapshotGasLastCall("registerNode");
    }

    /// @dev A full batch (NodeRegistry.MAX_BATCH nodes) in one call: 10,000 nodes take 100 such transactions.
    function test_gas_registerNodes_batch() public {
        INodeRegistry.NodeInput[] memory b = new INodeRegistry.NodeInput[](registry.MAX_BATCH());
        bytes32[] memory ids = new bytes32[](b.length);
        for (uint256 i; i < b.length; ++i) {
            b[i] = INodeRegistry.NodeInput(keccak256(abi.encode("gas", i)), dave, i < 90 ? DEAL_A : 0, GPU, H100, 8);
            ids[i] = registry.nodeIdOf(op1, b[i].label);
        }
        vm.prank(underwriter);
        registry.approveNodes(DEAL_A, ids, true);
        vm.prank(op1);
        registry.registerNodes(b);
        vm.snapshotGasLastCall("registerNodes_100");
        assertEq(registry.getNode(ids[b.length - 1]).operator, op1);
    }
}
