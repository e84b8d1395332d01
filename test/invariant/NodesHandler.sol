// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {TelemetryOracle} from "../../src/nodes/TelemetryOracle.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {VetoSlasher} from "../../src/staking/VetoSlasher.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice Drives the telemetry oracle together with stake changes. Two nodes (both op1's) report each epoch; node 0
///         equivocates: it signs report A (revenue 100) and report B (revenue 50). Trees: variant 0 = {A, node 1},
///         variant 1 = {B, node 1} (both fully node-signed), variant 2 = {A's revenue changed to 1 under A's
///         signature, node 1} (forged). The honest operator (the last one) only ever attests variants 0 and 1; the
///         others attest anything. Third parties call every challenge function on every root and leaf, report the
///         equivocation, request every attester's slash, prove revenue, stake / queue, execute slashes, and warp.
contract NodesHandler is CommonBase, StdUtils {
    StakingVault public immutable vault;
    VetoSlasher public immutable slasher;
    TelemetryOracle public immutable oracle;
    address[] public operators;
    address[] public stakers;
    bytes32[2] public nodeIds;
    uint256[2] internal nodeKeys;

    uint256[] public epochs; // epochs ever accepted
    uint256 public ghostDoubleAttests; // INV-ORC-02: second attestations in one round that succeeded
    uint256 public ghostRejections;
    uint256 public ghostHonestForgedAttests; // the honest operator attested a forged tree (handler bug guard)
    uint256 public ghostUnexpectedRequestFailures; // INV-ORC-03: an attester of a rejected root not slashable
    uint256 public ghostProvenRevenue;
    mapping(bytes32 name => uint256) public calls;

    constructor(
        StakingVault vault_,
        VetoSlasher slasher_,
        TelemetryOracle oracle_,
        address[] memory operators_,
        address[] memory stakers_,
        bytes32[2] memory nodeIds_,
        uint256[2] memory nodeKeys_
    ) {
        vault = vault_;
        slasher = slasher_;
        oracle = oracle_;
        operators = operators_;
        stakers = stakers_;
        nodeIds = nodeIds_;
        nodeKeys = nodeKeys_;
    }

    function honest() public view returns (address) {
        return operators[operators.length - 1];
    }

    // ---------------------------------------------------------------- trees

    /// @dev Node `i`'s report for `epoch` in tree `variant` (see the contract notice).
    function report(uint256 epoch, uint256 i, uint256 variant) public view returns (TelemetryLib.Telemetry memory) {
        uint256 revenue = i == 1 ? 10e18 : (variant == 1 ? 50e18 : variant == 2 ? 1 : 100e18);
        return TelemetryLib.Telemetry(nodeIds[i], uint64(epoch), 9990, 8000, 8, 5600, revenue);
    }

    /// @dev The signature in leaf `i` of tree `variant`: the node's own, except the forged leaf keeps A's.
    function sigOf(uint256 epoch, uint256 i, uint256 variant)
        public
        view
        returns (TelemetryLib.NodeSignature memory g)
    {
        TelemetryLib.Telemetry memory signed = report(epoch, i, variant == 2 ? 0 : variant);
        (g.v, g.r, g.s) = vm.sign(nodeKeys[i], oracle.reportDigest(signed));
    }

    function leaves(uint256 epoch, uint256 variant) public view returns (bytes32[] memory l) {
        l = new bytes32[](2);
        for (uint256 i; i < 2; ++i) {
            l[i] = oracle.leafHash(report(epoch, i, variant), sigOf(epoch, i, variant));
        }
    }

    function rootOf(uint256 epoch, uint256 variant) public view returns (bytes32) {
        return MerkleHelper.root(leaves(epoch, variant));
    }

    function totalOf(uint256 epoch, uint256 variant) public view returns (uint256) {
        return report(epoch, 0, variant).revenue + report(epoch, 1, variant).revenue;
    }

    /// @dev Which variant `root` is for `epoch` (3: none).
    function variantOf(uint256 epoch, bytes32 root) public view returns (uint256 v) {
        for (; v < 3; ++v) {
            if (rootOf(epoch, v) == root) return v;
        }
    }

    // ---------------------------------------------------------------- actions

    function attest(uint256 opSeed, uint256 back, uint256 variantSeed) external {
        uint256 k = opSeed % operators.length;
        _attest(operators[k], _bound(back, 0, 1), _variantFor(operators[k], variantSeed));
    }

    /// @dev Every operator attests (a coordinated network; the dishonest ones pick the same variant).
    function attestAll(uint256 back, uint256 variantSeed) external {
        for (uint256 i; i < operators.length; ++i) {
            _attest(operators[i], _bound(back, 0, 1), _variantFor(operators[i], variantSeed));
        }
    }

    function _variantFor(address op, uint256 seed) internal view returns (uint256) {
        return op == honest() ? seed % 2 : seed % 3;
    }

    function _attest(address op, uint256 back, uint256 variant) internal {
        uint256 epoch = vault.currentEpoch() - 1 - back;
        bool hadAttested = oracle.attestationOf(epoch, op) != bytes32(0);
        bytes32 root = rootOf(epoch, variant); // before the prank: it calls the oracle
        uint256 total = totalOf(epoch, variant);
        vm.prank(op);
        try oracle.attest(epoch, root, 2, total) {
            if (hadAttested) ++ghostDoubleAttests;
            if (op == honest() && variant == 2) ++ghostHonestForgedAttests;
            if (oracle.getEpochRoot(epoch).status == ITelemetryOracle.RootStatus.Accepted && !_contains(epoch)) {
                epochs.push(epoch);
            }
            ++calls["attest"];
        } catch {}
    }

    /// @dev A third party tries every leaf of the accepted root with every signature variant: only a leaf that is
    ///      really forged may reject it.
    function challengeAll(uint256 seed) external {
        if (epochs.length == 0) return;
        uint256 epoch = epochs[seed % epochs.length];
        ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
        if (r.status != ITelemetryOracle.RootStatus.Accepted) return;
        uint256 variant = variantOf(epoch, r.root);
        if (variant == 3) return;
        bytes32[] memory l = leaves(epoch, variant);
        for (uint256 i; i < 2; ++i) {
            ++calls["challengeAttempt"];
            try oracle.challengeForgedLeaf(
                epoch, report(epoch, i, variant), sigOf(epoch, i, variant), MerkleHelper.proof(l, i)
            ) {
                ++ghostRejections;
                ++calls["challenge"];
                return;
            } catch {}
        }
    }

    /// @dev Anyone proves node 0's equivocation (A and B).
    function reportEquivocation(uint256 epochSeed) external {
        uint256 epoch = vault.currentEpoch() - 1 - _bound(epochSeed, 0, 3);
        try oracle.reportEquivocation(
            report(epoch, 0, 0), sigOf(epoch, 0, 0), report(epoch, 0, 1), sigOf(epoch, 0, 1)
        ) {
            ++calls["equivocation"];
        } catch {}
    }

    /// @dev Anyone requests the slash of every operator for every rejected round: attesters must always succeed
    ///      (inside the request window, once), non-attesters must always fail.
    function requestAllSlashes() external {
        for (uint256 k; k < epochs.length; ++k) {
            uint256 epoch = epochs[k];
            uint256 rounds = oracle.getEpochRoot(epoch).round;
            for (uint256 round; round < rounds; ++round) {
                ITelemetryOracle.Rejection memory j = oracle.getRejection(epoch, round);
                bool open = block.timestamp <= j.rejectedAt + vault.MAX_CAPTURE_AGE();
                for (uint256 o; o < operators.length; ++o) {
                    address op = operators[o];
                    bool due = open && oracle.attestationIn(epoch, round, op) == j.key
                        && !oracle.attesterSlashRequested(epoch, round, op);
                    try oracle.requestAttesterSlash(epoch, round, op) {
                        if (!due) ++ghostUnexpectedRequestFailures;
                        ++calls["slashRequest"];
                    } catch {
                        if (due) ++ghostUnexpectedRequestFailures;
                    }
                }
            }
        }
    }

    function prove(uint256 seed, uint256 i) external {
        if (epochs.length == 0) return;
        uint256 epoch = epochs[seed % epochs.length];
        ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
        uint256 variant = variantOf(epoch, r.root);
        if (variant == 3) return;
        i = i % 2;
        TelemetryLib.Telemetry memory t = report(epoch, i, variant);
        try oracle.proveRevenue(epoch, t, sigOf(epoch, i, variant), MerkleHelper.proof(leaves(epoch, variant), i)) {
            ghostProvenRevenue += t.revenue;
            ++calls["prove"];
        } catch {}
    }

    function stake(uint256 who, uint256 op, uint256 amount) external {
        address s = stakers[who % stakers.length];
        vm.prank(s);
        try vault.stake(operators[op % operators.length], _bound(amount, 1e18, 500_000e18)) {
            ++calls["stake"];
        } catch {}
    }

    function queue(uint256 who, uint256 op, uint256 pct) external {
        address s = stakers[who % stakers.length];
        address o = operators[op % operators.length];
        uint256 shares = (vault.sharesOf(s, o) * _bound(pct, 1, 100)) / 100;
        if (shares == 0) return;
        vm.prank(s);
        try vault.queueWithdrawal(o, shares) {
            ++calls["queue"];
        } catch {}
    }

    /// @dev Executes every slash request past its veto window (weights of later epochs drop).
    function executeSlashes() external {
        for (uint256 id = 1; id <= slasher.requestCount(); ++id) {
            IVetoSlasher.SlashRequest memory q = slasher.getRequest(id);
            if (q.status != IVetoSlasher.Status.Pending || block.timestamp < q.vetoDeadline) continue;
            slasher.executeSlash(id);
            ++calls["execute"];
        }
    }

    function warp(uint256 secs, bool long) external {
        vm.warp(block.timestamp + (long && secs % 4 == 0 ? 1 days : _bound(secs, 1, 3 * vault.EPOCH_DURATION())));
        ++calls["warp"];
    }

    // ---------------------------------------------------------------- views

    function epochCount() external view returns (uint256) {
        return epochs.length;
    }

    function operatorCount() external view returns (uint256) {
        return operators.length;
    }

    function _contains(uint256 epoch) internal view returns (bool) {
        for (uint256 i; i < epochs.length; ++i) {
            if (epochs[i] == epoch) return true;
        }
        return false;
    }
}
