// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IRevenueOracle} from "../interfaces/IRevenueOracle.sol";
import {IStakingVault} from "../interfaces/IStakingVault.sol";
import {ITelemetryOracle} from "../interfaces/ITelemetryOracle.sol";
import {IVetoSlasher} from "../interfaces/IVetoSlasher.sol";
import {TelemetryLib} from "../libraries/TelemetryLib.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title TelemetryOracle
/// @notice See {ITelemetryOracle} and {IRevenueOracle}.
contract TelemetryOracle is ITelemetryOracle, EIP712, AccessControlDefaultAdminRules {
    using TelemetryLib for TelemetryLib.Telemetry;
    using Checkpoints for Checkpoints.Trace208;

    /// @inheritdoc ITelemetryOracle
    uint256 public constant ATTEST_WINDOW = 24; // [epochs]
    /// @inheritdoc IRevenueOracle
    uint256 public constant MAX_REVENUE_RANGE = 8784; // [epochs] a leap year of 1-hour epochs
    /// @notice Bounds of the challenge window [s].
    uint256 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    uint256 public constant MAX_CHALLENGE_WINDOW = 7 days;
    /// @notice Upper bound of the liveness threshold [accepted roots].
    uint256 public constant MAX_STALE_AFTER = 10_000;
    /// @notice Upper bound of the challenge slash [bps].
    uint256 public constant MAX_CHALLENGE_SLASH_BPS = 5000;
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted [s].
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    uint256 private constant BPS = 10_000;

    /// @inheritdoc ITelemetryOracle
    IStakingVault public immutable vault;
    /// @inheritdoc ITelemetryOracle
    IVetoSlasher public immutable slasher;
    /// @inheritdoc ITelemetryOracle
    INodeRegistry public immutable registry;

    /// @inheritdoc ITelemetryOracle
    uint256 public challengeWindow = 1 days; // [s]
    /// @inheritdoc ITelemetryOracle
    uint256 public staleAfter = 24; // [accepted roots]
    /// @inheritdoc ITelemetryOracle
    uint256 public challengeSlashBps = 1000; // [bps] 10% of the attester's epoch weight
    /// @inheritdoc ITelemetryOracle
    uint256 public acceptedCount;

    mapping(uint256 epoch => EpochRoot) private _roots;
    mapping(uint256 epoch => mapping(address operator => bytes32 key)) private _attested;
    mapping(uint256 epoch => mapping(bytes32 key => uint256 weight)) private _candidateWeight;
    mapping(uint256 epoch => mapping(bytes32 nodeId => bool)) private _proven;
    mapping(bytes32 nodeId => uint256 acceptedIndex) private _lastSeen;
    mapping(uint256 dealId => mapping(uint256 epoch => uint256 revenue)) private _dealEpochRevenue;
    mapping(uint256 dealId => uint256 revenue) private _dealCumulative;
    Checkpoints.Trace208 private _acceptedHistory; // acceptedCount by timestamp

    /// @param vault_ The staking vault.
    /// @param slasher_ The veto slasher (grant this oracle its SLASHER_ROLE).
    /// @param registry_ The node registry.
    /// @param admin DEFAULT_ADMIN_ROLE holder.
    constructor(IStakingVault vault_, IVetoSlasher slasher_, INodeRegistry registry_, address admin)
        EIP712("GAIB Telemetry", "1")
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {
        vault = vault_;
        slasher = slasher_;
        registry = registry_;
    }

    // ================================================================ attest

    /// @inheritdoc ITelemetryOracle
    function attest(uint256 epoch, bytes32 root, uint256 nodeCount, uint256 totalRevenue) external {
        uint256 current = vault.currentEpoch();
        if (epoch >= current) revert EpochNotEnded(epoch, current);
        if (current > epoch + ATTEST_WINDOW) revert AttestationWindowClosed(epoch, current);
        if (root == bytes32(0) || nodeCount == 0 || nodeCount > type(uint64).max) revert EmptyRoot();
        EpochRoot storage r = _roots[epoch];
        if (r.status == RootStatus.Rejected) revert EpochRejected(epoch);
        if (_attested[epoch][msg.sender] != bytes32(0)) revert AlreadyAttested(epoch, msg.sender);
        uint256 weight = vault.operatorWeightForEpoch(msg.sender, epoch);
        if (weight == 0) revert NoWeight(msg.sender, epoch);

        bytes32 key = candidateKey(root, nodeCount, totalRevenue);
        _attested[epoch][msg.sender] = key;
        uint256 attested = _candidateWeight[epoch][key] + weight;
        _candidateWeight[epoch][key] = attested;
        emit Attested(epoch, msg.sender, root, nodeCount, totalRevenue, weight);

        if (r.status == RootStatus.None) {
            uint256 total = vault.totalWeightForEpoch(epoch);
            if (3 * attested >= 2 * total) {
                uint256 index = ++acceptedCount;
                // forge-lint: disable-next-line(unsafe-typecast)
                uint48 deadline = uint48(block.timestamp + challengeWindow);
                r.root = root;
                r.status = RootStatus.Accepted;
                r.challengeDeadline = deadline;
                // forge-lint: disable-next-line(unsafe-typecast)
                r.acceptedIndex = uint32(index);
                // forge-lint: disable-next-line(unsafe-typecast)
                r.nodeCount = uint64(nodeCount);
                r.totalRevenue = totalRevenue;
                // forge-lint: disable-next-line(unsafe-typecast)
                r.attestedWeight = uint128(attested); // ≤ GAIB supply < 2^128
                // forge-lint: disable-next-line(unsafe-typecast)
                r.totalWeight = uint128(total);
                // forge-lint: disable-next-line(unsafe-typecast)
                _acceptedHistory.push(uint48(block.timestamp), uint208(index));
                emit RootAccepted(epoch, root, attested, total, deadline);
            }
        }
    }

    // ================================================================ challenge

    /// @inheritdoc ITelemetryOracle
    function challenge(
        uint256 epoch,
        TelemetryLib.Telemetry calldata signed,
        bytes calldata signature,
        TelemetryLib.Telemetry calldata leaf,
        bytes32[] calldata proof,
        address[] calldata attesters
    ) external returns (uint256 slashRequests) {
        EpochRoot storage r = _roots[epoch];
        if (r.status != RootStatus.Accepted) revert RootNotAccepted(epoch);
        if (block.timestamp >= r.challengeDeadline) revert ChallengeWindowClosed(epoch, r.challengeDeadline);
        bytes32 evidence = _verifyConflict(epoch, r.root, signed, signature, leaf, proof);
        r.status = RootStatus.Rejected;
        slashRequests = _slashAttesters(epoch, candidateKey(r.root, r.nodeCount, r.totalRevenue), attesters, evidence);
        emit RootRejected(epoch, msg.sender, signed.nodeId, slashRequests);
    }

    // ================================================================ revenue and liveness

    /// @inheritdoc ITelemetryOracle
    function proveRevenue(uint256 epoch, TelemetryLib.Telemetry calldata leaf, bytes32[] calldata proof) external {
        EpochRoot storage r = _roots[epoch];
        if (r.status != RootStatus.Accepted) revert RootNotAccepted(epoch);
        if (block.timestamp < r.challengeDeadline) revert RootNotFinal(epoch, r.challengeDeadline);
        if (leaf.epoch != epoch) revert ReportMismatch();
        if (!MerkleProof.verifyCalldata(proof, r.root, leaf.leaf())) revert InvalidProof();
        bytes32 nodeId = leaf.nodeId;
        if (_proven[epoch][nodeId]) revert AlreadyProven(epoch, nodeId);
        INodeRegistry.Node memory n = registry.getNode(nodeId);
        if (n.operator == address(0)) revert UnknownNode(nodeId);

        uint64 provenNodes = r.provenNodes + 1;
        uint256 provenRevenue = r.provenRevenue + leaf.revenue;
        if (provenNodes > r.nodeCount || provenRevenue > r.totalRevenue) revert ExceedsAttestedTotals(epoch);
        r.provenNodes = provenNodes;
        r.provenRevenue = provenRevenue;
        _proven[epoch][nodeId] = true;
        if (leaf.revenue != 0) {
            _dealEpochRevenue[n.dealId][epoch] += leaf.revenue;
            _dealCumulative[n.dealId] += leaf.revenue;
        }
        if (r.acceptedIndex > _lastSeen[nodeId]) _lastSeen[nodeId] = r.acceptedIndex;
        emit RevenueProven(epoch, nodeId, n.dealId, leaf.revenue);
    }

    /// @inheritdoc ITelemetryOracle
    function flagStaleDeal(uint256 dealId) external returns (uint256 staleNodes) {
        staleNodes = _staleNodes(dealId);
        if (staleNodes == 0) revert DealNotStale(dealId);
        emit DealFlaggedStale(dealId, staleNodes);
    }

    // ================================================================ admin

    /// @inheritdoc ITelemetryOracle
    function setChallengeWindow(uint256 challengeWindow_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        // the vault keeps leaving stake slashable for at most its MAX_CHALLENGE_WINDOW after an attestation window
        if (
            challengeWindow_ < MIN_CHALLENGE_WINDOW || challengeWindow_ > MAX_CHALLENGE_WINDOW
                || challengeWindow_ > vault.MAX_CHALLENGE_WINDOW()
        ) {
            revert ParameterOutOfBounds(challengeWindow_);
        }
        challengeWindow = challengeWindow_;
        emit ChallengeWindowSet(challengeWindow_);
    }

    /// @inheritdoc ITelemetryOracle
    function setStaleAfter(uint256 staleAfter_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (staleAfter_ == 0 || staleAfter_ > MAX_STALE_AFTER) revert ParameterOutOfBounds(staleAfter_);
        staleAfter = staleAfter_;
        emit StaleAfterSet(staleAfter_);
    }

    /// @inheritdoc ITelemetryOracle
    function setChallengeSlashBps(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps == 0 || bps > MAX_CHALLENGE_SLASH_BPS) revert ParameterOutOfBounds(bps);
        challengeSlashBps = bps;
        emit ChallengeSlashBpsSet(bps);
    }

    // ================================================================ views

    /// @inheritdoc IRevenueOracle
    function dealRevenue(uint256 dealId, uint256 fromEpoch, uint256 toEpoch) external view returns (uint256 revenue) {
        if (fromEpoch > toEpoch || toEpoch - fromEpoch >= MAX_REVENUE_RANGE) {
            revert InvalidEpochRange(fromEpoch, toEpoch);
        }
        mapping(uint256 => uint256) storage perEpoch = _dealEpochRevenue[dealId];
        for (uint256 e = fromEpoch; e <= toEpoch; ++e) {
            revenue += perEpoch[e];
        }
    }

    /// @inheritdoc IRevenueOracle
    function cumulativeDealRevenue(uint256 dealId) external view returns (uint256) {
        return _dealCumulative[dealId];
    }

    /// @inheritdoc IRevenueOracle
    function dealEpochRevenue(uint256 dealId, uint256 epoch) external view returns (uint256) {
        return _dealEpochRevenue[dealId][epoch];
    }

    /// @inheritdoc IRevenueOracle
    function isFinal(uint256 epoch) external view returns (bool) {
        EpochRoot storage r = _roots[epoch];
        return r.status == RootStatus.Accepted && block.timestamp >= r.challengeDeadline;
    }

    /// @inheritdoc IRevenueOracle
    function isDealStale(uint256 dealId) external view returns (bool) {
        return _staleNodes(dealId) != 0;
    }

    /// @inheritdoc ITelemetryOracle
    function getEpochRoot(uint256 epoch) external view returns (EpochRoot memory) {
        return _roots[epoch];
    }

    /// @inheritdoc ITelemetryOracle
    function attestationOf(uint256 epoch, address operator) external view returns (bytes32) {
        return _attested[epoch][operator];
    }

    /// @inheritdoc ITelemetryOracle
    function candidateWeight(uint256 epoch, bytes32 key) external view returns (uint256) {
        return _candidateWeight[epoch][key];
    }

    /// @inheritdoc ITelemetryOracle
    function candidateKey(bytes32 root, uint256 nodeCount, uint256 totalRevenue) public pure returns (bytes32) {
        return keccak256(abi.encode(root, nodeCount, totalRevenue));
    }

    /// @inheritdoc ITelemetryOracle
    function isProven(uint256 epoch, bytes32 nodeId) external view returns (bool) {
        return _proven[epoch][nodeId];
    }

    /// @inheritdoc ITelemetryOracle
    function isStale(bytes32 nodeId) public view returns (bool) {
        INodeRegistry.Node memory n = registry.getNode(nodeId);
        return n.operator != address(0) && n.deactivatedAt == 0 && _missed(nodeId, n.registeredAt) >= staleAfter;
    }

    /// @inheritdoc ITelemetryOracle
    function missedRoots(bytes32 nodeId) external view returns (uint256) {
        INodeRegistry.Node memory n = registry.getNode(nodeId);
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        return _missed(nodeId, n.registeredAt);
    }

    /// @inheritdoc ITelemetryOracle
    function reportDigest(TelemetryLib.Telemetry calldata t) public view returns (bytes32) {
        return _hashTypedDataV4(t.structHash());
    }

    /// @inheritdoc ITelemetryOracle
    function recoverReportSigner(TelemetryLib.Telemetry calldata t, bytes calldata signature)
        public
        view
        returns (address recovered)
    {
        (recovered,,) = ECDSA.tryRecover(reportDigest(t), signature);
    }

    /// @inheritdoc ITelemetryOracle
    function leafHash(TelemetryLib.Telemetry calldata t) external pure returns (bytes32) {
        return t.leaf();
    }

    /// @inheritdoc ITelemetryOracle
    function verifyLeaf(bytes32 root, TelemetryLib.Telemetry calldata leaf, bytes32[] calldata proof)
        external
        pure
        returns (bool)
    {
        return MerkleProof.verifyCalldata(proof, root, leaf.leaf());
    }

    // ================================================================ internals

    /// @dev Checks that node-signed `signed` and `leaf`, proven in `root`, are two different reports of one node for
    ///      `epoch`; returns the evidence hash of the conflict.
    function _verifyConflict(
        uint256 epoch,
        bytes32 root,
        TelemetryLib.Telemetry calldata signed,
        bytes calldata signature,
        TelemetryLib.Telemetry calldata leaf,
        bytes32[] calldata proof
    ) private view returns (bytes32 evidence) {
        if (signed.epoch != epoch || leaf.epoch != epoch || signed.nodeId != leaf.nodeId) revert ReportMismatch();
        _checkNodeSignature(signed, signature);
        bytes32 leafHash_ = leaf.leaf();
        if (!MerkleProof.verifyCalldata(proof, root, leafHash_)) revert InvalidProof();
        if (signed.leaf() == leafHash_) revert NoConflict();
        evidence = keccak256(abi.encode(block.chainid, address(this), epoch, root, signed.nodeId, signed.structHash()));
    }

    /// @dev Requests a slash of `challengeSlashBps` of its epoch weight for every attester of the rejected root.
    function _slashAttesters(uint256 epoch, bytes32 key, address[] calldata attesters, bytes32 evidence)
        private
        returns (uint256 slashRequests)
    {
        uint256[] memory weights = _checkAttesters(epoch, key, attesters);
        uint256 bps = challengeSlashBps;
        for (uint256 i; i < attesters.length; ++i) {
            uint256 amount = (weights[i] * bps) / BPS;
            if (amount == 0) continue;
            slasher.requestSlash(attesters[i], evidence, amount, block.timestamp);
            ++slashRequests;
        }
    }

    function _checkNodeSignature(TelemetryLib.Telemetry calldata signed, bytes calldata signature) private view {
        address signer = registry.signerOf(signed.nodeId);
        if (signer == address(0)) revert UnknownNode(signed.nodeId);
        address recovered = recoverReportSigner(signed, signature);
        if (recovered != signer) revert InvalidNodeSignature(signed.nodeId, recovered);
    }

    /// @dev `attesters` must be strictly increasing, each must have attested `key` for `epoch`, and their epoch
    ///      weights must add up to the whole weight attested for `key`: nobody who backed the root is left out.
    function _checkAttesters(uint256 epoch, bytes32 key, address[] calldata attesters)
        private
        view
        returns (uint256[] memory weights)
    {
        weights = new uint256[](attesters.length);
        uint256 sum;
        address prev;
        for (uint256 i; i < attesters.length; ++i) {
            address a = attesters[i];
            if (a <= prev || _attested[epoch][a] != key) revert InvalidAttesters();
            prev = a;
            weights[i] = vault.operatorWeightForEpoch(a, epoch);
            sum += weights[i];
        }
        if (sum != _candidateWeight[epoch][key]) revert InvalidAttesters();
    }

    /// @dev Accepted roots since `nodeId` was last proven present, or since it was registered.
    function _missed(bytes32 nodeId, uint48 registeredAt) private view returns (uint256) {
        uint256 baseline = Math.max(_lastSeen[nodeId], _acceptedHistory.upperLookupRecent(registeredAt));
        return acceptedCount - baseline;
    }

    function _staleNodes(uint256 dealId) private view returns (uint256 count) {
        bytes32[] memory ids = registry.nodesOfDeal(dealId);
        for (uint256 i; i < ids.length; ++i) {
            if (isStale(ids[i])) ++count;
        }
    }
}
