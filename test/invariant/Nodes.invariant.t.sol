// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {NodesHandler} from "./NodesHandler.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Oracle invariants over random attestations (node-signed and forged roots, double attempts), an
///         equivocating node, third-party challenges of every leaf, attester slash requests, revenue proofs, stake
///         changes, slash executions and time. op1 and op2 (75%) may lie; op3 attests only node-signed trees.
contract NodesInvariantTest is NodesBase {
    NodesHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory ops = new address[](3);
        (ops[0], ops[1], ops[2]) = (op1, op2, op3); // the last one is the honest operator
        address[] memory stakers = new address[](4);
        (stakers[0], stakers[1], stakers[2], stakers[3]) = (alice, bob, carol, dave);
        handler = new NodesHandler(
            vault, slasher, oracle, ops, stakers, [nodeIds[0], nodeIds[1]], [nodeKeys[0], nodeKeys[1]]
        );
        targetContract(address(handler));
    }

    /// INV-ORC-01: an accepted root always has ≥ 2/3 of its round's stake behind it. Recomputed from history: the
    ///             weights of the operators that attested it (stake at the weight epoch's start) add up to at least
    ///             2/3 of that epoch's total weight, whatever happened to stake since.
    function invariant_INV_ORC_01_acceptedRootHasTwoThirds() public view {
        for (uint256 i; i < handler.epochCount(); ++i) {
            uint256 epoch = handler.epochs(i);
            ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
            if (r.status != ITelemetryOracle.RootStatus.Accepted) continue;
            uint256 total = vault.totalWeightForEpoch(r.weightEpoch);
            assertEq(r.totalWeight, total, "epoch snapshot moved");
            bytes32 key = oracle.candidateKey(r.root, r.nodeCount, r.totalRevenue);
            uint256 behind;
            for (uint256 o; o < handler.operatorCount(); ++o) {
                address op = handler.operators(o);
                if (oracle.attestationOf(epoch, op) == key) behind += vault.operatorWeightForEpoch(op, r.weightEpoch);
            }
            assertEq(behind, oracle.candidateWeight(epoch, key), "tally != recomputed weight");
            assertGe(3 * uint256(r.attestedWeight), 2 * total, "accepted below 2/3");
            assertGe(3 * behind, 2 * total, "accepted below 2/3 (recomputed)");
        }
    }

    /// INV-ORC-02: no operator ever attests one round of an epoch twice.
    function invariant_INV_ORC_02_oneAttestationPerRound() public view {
        assertEq(handler.ghostDoubleAttests(), 0);
    }

    /// INV-ORC-03: every attester of a rejected root can be slashed (once, inside the request window), nobody else.
    function invariant_INV_ORC_03_everyAttesterOfRejectedRootSlashable() public view {
        assertEq(handler.ghostUnexpectedRequestFailures(), 0);
    }

    /// INV-ORC-04: revenue proven for an epoch never exceeds what was attested, only accepted roots carry revenue,
    ///             and the deal's cumulative revenue is exactly what was proven.
    function invariant_INV_ORC_04_revenueBounded() public view {
        for (uint256 i; i < handler.epochCount(); ++i) {
            ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(handler.epochs(i));
            assertLe(r.provenRevenue, r.totalRevenue);
            assertLe(r.provenNodes, r.nodeCount);
            if (r.provenNodes != 0) assertEq(uint8(r.status), uint8(ITelemetryOracle.RootStatus.Accepted));
        }
        assertEq(oracle.cumulativeDealRevenue(DEAL_A), handler.ghostProvenRevenue());
    }

    /// INV-ORC-05: an operator that attests only node-signed leaves is never slashed, though the nodes equivocate
    ///             and third parties call every challenge function: no slash request ever names it.
    function invariant_INV_ORC_05_nodeSignedAttesterNeverSlashed() public view {
        assertEq(handler.ghostHonestForgedAttests(), 0, "handler: the honest operator stayed honest");
        address honest = handler.honest();
        for (uint256 id = 1; id <= slasher.requestCount(); ++id) {
            assertTrue(slasher.getRequest(id).operator != honest, "honest operator slashed");
        }
        assertEq(vault.pendingSlashes(honest), 0);
    }

    function afterInvariant() external view {
        string[10] memory names = [
            "attest",
            "challengeAttempt",
            "challenge",
            "equivocation",
            "slashRequest",
            "prove",
            "stake",
            "queue",
            "execute",
            "warp"
        ];
        for (uint256 i; i < names.length; ++i) {
            console2.log(names[i], handler.calls(bytes32(bytes(names[i]))));
        }
        console2.log("accepted epochs", handler.epochCount());
    }
}
