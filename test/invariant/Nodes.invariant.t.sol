// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {NodesHandler} from "./NodesHandler.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Oracle invariants over random attestations (honest and lying roots, double attempts), challenges, revenue
///         proofs, stake changes, slash executions and time.
contract NodesInvariantTest is NodesBase {
    NodesHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory ops = new address[](3);
        (ops[0], ops[1], ops[2]) = (op1, op2, op3);
        address[] memory stakers = new address[](4);
        (stakers[0], stakers[1], stakers[2], stakers[3]) = (alice, bob, carol, dave);
        handler = new NodesHandler(vault, slasher, oracle, ops, stakers, nodeIds[0], nodeKeys[0]);
        targetContract(address(handler));
    }

    /// INV-ORC-01: an accepted root always has ≥ 2/3 of its epoch's stake behind it. Recomputed from history: the
    ///             weights of the operators that attested it (stake at the epoch's start) add up to at least 2/3 of
    ///             the epoch's total weight, whatever happened to stake since (slashes, exits, new stake).
    function invariant_INV_ORC_01_acceptedRootHasTwoThirds() public view {
        for (uint256 i; i < handler.acceptedCount(); ++i) {
            uint256 epoch = handler.acceptedEpochs(i);
            ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
            uint256 total = vault.totalWeightForEpoch(epoch);
            assertEq(r.totalWeight, total, "epoch snapshot moved");
            bytes32 key = oracle.candidateKey(r.root, r.nodeCount, r.totalRevenue);
            uint256 behind;
            for (uint256 o; o < handler.operatorCount(); ++o) {
                address op = handler.operators(o);
                if (oracle.attestationOf(epoch, op) == key) behind += vault.operatorWeightForEpoch(op, epoch);
            }
            assertEq(behind, oracle.candidateWeight(epoch, key), "tally != recomputed weight");
            assertGe(3 * uint256(r.attestedWeight), 2 * total, "accepted below 2/3");
            assertGe(3 * behind, 2 * total, "accepted below 2/3 (recomputed)");
        }
    }

    /// INV-ORC-02: no operator ever attests the same epoch twice.
    function invariant_INV_ORC_02_oneAttestationPerEpoch() public view {
        assertEq(handler.ghostDoubleAttests(), 0);
    }

    /// INV-ORC-03: every successful challenge requested a slash of every attester of the rejected root.
    function invariant_INV_ORC_03_challengeSlashesEveryAttester() public view {
        assertEq(handler.ghostMissingSlashRequests(), 0);
    }

    /// INV-ORC-04: revenue proven for an epoch never exceeds what was attested, only final roots carry revenue, and
    ///             the deal's cumulative revenue is exactly what was proven.
    function invariant_INV_ORC_04_revenueBounded() public view {
        for (uint256 i; i < handler.acceptedCount(); ++i) {
            uint256 epoch = handler.acceptedEpochs(i);
            ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
            assertLe(r.provenRevenue, r.totalRevenue);
            assertLe(r.provenNodes, r.nodeCount);
            if (r.provenNodes != 0) assertEq(uint8(r.status), uint8(ITelemetryOracle.RootStatus.Accepted));
        }
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), handler.ghostProvenRevenue());
    }

    function afterInvariant() external view {
        string[8] memory names =
            ["attest", "challengeAttempt", "challenge", "prove", "stake", "queue", "execute", "warp"];
        for (uint256 i; i < names.length; ++i) {
            console2.log(names[i], handler.calls(bytes32(bytes(names[i]))));
        }
        console2.log("accepted roots", handler.acceptedCount());
    }
}
