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

/// @notice Drives the telemetry oracle together with stake changes: attest (honest or lying root, including
///         double-attest attempts), challenge a lying accepted root with the node's signed report, prove revenue,
///         stake / queue (weights of later epochs move), execute slashes, and time.
contract NodesHandler is CommonBase, StdUtils {
    StakingVault public immutable vault;
    VetoSlasher public immutable slasher;
    TelemetryOracle public immutable oracle;
    address[] public operators;
    address[] public stakers;
    bytes32 public immutable nodeId;
    uint256 public immutable nodeKey;

    uint256[] public acceptedEpochs;
    uint256 public ghostDoubleAttests; // INV-ORC-02: second attestations that succeeded
    uint256 public ghostChallenges;
    uint256 public ghostMissingSlashRequests; // INV-ORC-03: attesters of a rejected root without a slash request
    uint256 public ghostProvenRevenue;
    bytes4 public lastChallengeError;
    mapping(bytes32 name => uint256) public calls;

    constructor(
        StakingVault vault_,
        VetoSlasher slasher_,
        TelemetryOracle oracle_,
        address[] memory operators_,
        address[] memory stakers_,
        bytes32 nodeId_,
        uint256 nodeKey_
    ) {
        vault = vault_;
        slasher = slasher_;
        oracle = oracle_;
        operators = operators_;
        stakers = stakers_;
        nodeId = nodeId_;
        nodeKey = nodeKey_;
    }

    // ---------------------------------------------------------------- trees

    /// @dev The single node's report for `epoch`: honest (revenue 100) or a lie (revenue 1).
    function report(uint256 epoch, bool lie) public view returns (TelemetryLib.Telemetry memory) {
        return TelemetryLib.Telemetry(nodeId, uint64(epoch), 9990, 8000, 8, 5600, lie ? 1e18 : 100e18);
    }

    /// @dev A two-leaf tree: the node's report and a filler leaf.
    function leaves(uint256 epoch, bool lie) public view returns (bytes32[] memory l) {
        l = new bytes32[](2);
        l[0] = oracle.leafHash(report(epoch, lie));
        l[1] = keccak256(abi.encode("filler", epoch));
    }

    function rootOf(uint256 epoch, bool lie) public view returns (bytes32) {
        return MerkleHelper.root(leaves(epoch, lie));
    }

    // ---------------------------------------------------------------- actions

    function attest(uint256 opSeed, uint256 back, uint256 lieSeed) external {
        _attest(operators[opSeed % operators.length], _bound(back, 0, 1), lieSeed % 3 == 0);
    }

    /// @dev Every operator attests the same root for the same epoch (a coordinated network, honest or not).
    function attestAll(uint256 back, uint256 lieSeed) external {
        for (uint256 i; i < operators.length; ++i) {
            _attest(operators[i], _bound(back, 0, 1), lieSeed % 3 == 0);
        }
    }

    function _attest(address op, uint256 back, bool lie) internal {
        uint256 current = vault.currentEpoch();
        uint256 epoch = current - 1 - back;
        bool hadAttested = oracle.attestationOf(epoch, op) != bytes32(0);
        uint256 revenue = report(epoch, lie).revenue;
        bytes32 root = rootOf(epoch, lie); // before the prank: it calls the oracle
        vm.prank(op);
        try oracle.attest(epoch, root, 2, revenue) {
            if (hadAttested) ++ghostDoubleAttests;
            ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
            if (r.status == ITelemetryOracle.RootStatus.Accepted && r.acceptedIndex == oracle.acceptedCount()) {
                if (!_contains(epoch)) acceptedEpochs.push(epoch);
            }
            ++calls["attest"];
        } catch {}
    }

    function challenge(uint256 seed) external {
        if (acceptedEpochs.length == 0) return;
        uint256 epoch = acceptedEpochs[seed % acceptedEpochs.length];
        ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
        if (r.status != ITelemetryOracle.RootStatus.Accepted || r.root != rootOf(epoch, true)) return;
        ++calls["challengeAttempt"];
        TelemetryLib.Telemetry memory truth = report(epoch, false);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(nodeKey, oracle.reportDigest(truth));
        address[] memory attesters = _attestersOf(epoch, oracle.candidateKey(r.root, r.nodeCount, r.totalRevenue));
        uint256 before = slasher.requestCount();
        try oracle.challenge(
            epoch,
            truth,
            abi.encodePacked(rr, s, v),
            report(epoch, true),
            MerkleHelper.proof(leaves(epoch, true), 0),
            attesters
        ) returns (
            uint256 n
        ) {
            ++ghostChallenges;
            uint256 expected;
            for (uint256 i; i < attesters.length; ++i) {
                if ((vault.operatorWeightForEpoch(attesters[i], epoch) * oracle.challengeSlashBps()) / 10_000 != 0) {
                    ++expected;
                }
            }
            if (n != expected || slasher.requestCount() - before != expected) ++ghostMissingSlashRequests;
            ++calls["challenge"];
        } catch (bytes memory err) {
            lastChallengeError = bytes4(err);
        }
    }

    function prove(uint256 seed) external {
        if (acceptedEpochs.length == 0) return;
        uint256 epoch = acceptedEpochs[seed % acceptedEpochs.length];
        ITelemetryOracle.EpochRoot memory r = oracle.getEpochRoot(epoch);
        bool lie = r.root == rootOf(epoch, true);
        TelemetryLib.Telemetry memory t = report(epoch, lie);
        try oracle.proveRevenue(epoch, t, MerkleHelper.proof(leaves(epoch, lie), 0)) {
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

    function acceptedCount() external view returns (uint256) {
        return acceptedEpochs.length;
    }

    function operatorCount() external view returns (uint256) {
        return operators.length;
    }

    /// @dev Operators that attested `key` for `epoch`, sorted ascending.
    function _attestersOf(uint256 epoch, bytes32 key) internal view returns (address[] memory a) {
        uint256 n;
        address[] memory tmp = new address[](operators.length);
        for (uint256 i; i < operators.length; ++i) {
            if (oracle.attestationOf(epoch, operators[i]) == key) tmp[n++] = operators[i];
        }
        a = new address[](n);
        for (uint256 i; i < n; ++i) {
            a[i] = tmp[i];
        }
        for (uint256 i = 1; i < n; ++i) {
            for (uint256 j = i; j > 0 && a[j - 1] > a[j]; --j) {
                (a[j - 1], a[j]) = (a[j], a[j - 1]);
            }
        }
    }

    function _contains(uint256 epoch) internal view returns (bool) {
        for (uint256 i; i < acceptedEpochs.length; ++i) {
            if (acceptedEpochs[i] == epoch) return true;
        }
        return false;
    }
}
