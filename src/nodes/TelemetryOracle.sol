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
    /// @notice Bounds of the challenge window [s]. The upper bound leaves the vault's MAX_CAPTURE_AGE (1 day) inside
    ///         its MAX_CHALLENGE_WINDOW (7 days) for the attester slash requests that follow a rejection.
    uint256 public constant MIN_CHALLENGE_WINDOW = 1 hours;
    uint256 public constant MAX_CHALLENGE_WINDOW = 6 days;
    /// @notice Upper bound of the liveness threshold [accepted roots].
    uint256 public constant MAX_STALE_AFTER = 10_000;
    /// @notice Upper bound of the challenge slash [bps].
    uint256 public constant MAX_CHALLENGE_SLASH_BPS = 5000;
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted [s].
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    /// @inheritdoc ITelemetryOracle
    uint256 public constant EQUIVOCATION_SLASH_COOLDOWN = 8 days; // [s] > VetoSlasher.MAX_VETO_WINDOW (7 days)

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
    mapping(uint256 epoch => mapping(uint256 round => mapping(address operator => bytes32 key))) private _attested;
    mapping(uint256 epoch => mapping(uint256 round => mapping(bytes32 key => uint256 weight))) private _candidateWeight;
    mapping(uint256 epoch => mapping(uint256 round => Rejection)) private _rejections;
    mapping(uint256 epoch => mapping(uint256 round => mapping(address operator => bool))) private _slashRequested;
    mapping(bytes32 nodeId => uint256 epochPlusOne) private _excludedFrom; // 0: not excluded
    mapping(uint256 epoch => mapping(bytes32 nodeId => bool)) private _proven;
    mapping(bytes32 nodeId => uint256 acceptedIndex) private _lastSeen;
    mapping(uint256 dealId => mapping(uint256 epoch => uint256 revenue)) private _dealEpochRevenue;
    mapping(uint256 dealId => uint256 revenue) private _dealCumulative;
    Checkpoints.Trace208 private _acceptedHistory; // acceptedCount by timestamp
    mapping(address operator => uint256 time) private _lastEquivocationSlash; // [s] last equivocation slash request

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
        EpochRoot storage r = _roots[epoch];
        uint256 round = r.round;
        uint256 weightEpoch = round == 0 ? epoch : r.weightEpoch;
        if (current > weightEpoch + ATTEST_WINDOW) revert AttestationWindowClosed(epoch, current);
        if (root == bytes32(0) || nodeCount == 0 || nodeCount > type(uint64).max) revert EmptyRoot();
        if (_attested[epoch][round][msg.sender] != bytes32(0)) revert AlreadyAttested(epoch, msg.sender);
        uint256 weight = vault.operatorWeightForEpoch(msg.sender, weightEpoch);
        if (weight == 0) revert NoWeight(msg.sender, weightEpoch);

        bytes32 key = candidateKey(root, nodeCount, totalRevenue);
        _attested[epoch][round][msg.sender] = key;
        uint256 attested = _candidateWeight[epoch][round][key] + weight;
        _candidateWeight[epoch][round][key] = attested;
        emit Attested(epoch, msg.sender, root, nodeCount, totalRevenue, weight);

        // after acceptance an attestation is only recorded: nothing a challenge reads changes (finding 3)
        if (r.status != RootStatus.Accepted) {
            uint256 total = vault.totalWeightForEpoch(weightEpoch);
            if (3 * attested >= 2 * total) _accept(epoch, r, root, nodeCount, totalRevenue, attested, total);
        }
    }

    // ================================================================ fraud and equivocation

    /// @inheritdoc ITelemetryOracle
    function challengeForgedLeaf(
        uint256 epoch,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external {
        EpochRoot storage r = _roots[epoch];
        if (r.status != RootStatus.Accepted) revert RootNotAccepted(epoch);
        if (block.timestamp >= r.challengeDeadline) revert ChallengeWindowClosed(epoch, r.challengeDeadline);
        if (!MerkleProof.verifyCalldata(proof, r.root, leaf.leaf(sig))) revert InvalidProof();
        if (isNodeSigned(epoch, leaf, sig)) revert NotForged(leaf.nodeId);

        uint256 round = r.round;
        _rejections[epoch][round] = Rejection({
            root: r.root,
            key: candidateKey(r.root, r.nodeCount, r.totalRevenue),
            rejectedAt: uint48(block.timestamp),
            // forge-lint: disable-next-line(unsafe-typecast)
            slashBps: uint16(challengeSlashBps),
            weightEpoch: uint64(round == 0 ? epoch : r.weightEpoch)
        });
        r.status = RootStatus.Rejected;
        // forge-lint: disable-next-line(unsafe-typecast)
        r.round = uint32(round + 1);
        r.weightEpoch = uint64(vault.currentEpoch());
        emit RootRejected(epoch, round, msg.sender, leaf.nodeId);
    }

    /// @inheritdoc ITelemetryOracle
    function requestAttesterSlash(uint256 epoch, uint256 round, address operator) external returns (uint256 requestId) {
        Rejection storage j = _rejections[epoch][round];
        uint256 rejectedAt = j.rejectedAt;
        if (rejectedAt == 0) revert NotRejected(epoch, round);
        uint256 deadline = rejectedAt + vault.MAX_CAPTURE_AGE();
        if (block.timestamp > deadline) revert SlashRequestWindowClosed(epoch, round, deadline);
        if (_attested[epoch][round][operator] != j.key) revert NotAttester(epoch, round, operator);
        if (_slashRequested[epoch][round][operator]) revert SlashAlreadyRequested(epoch, round, operator);
        _slashRequested[epoch][round][operator] = true;

        uint256 amount = (vault.operatorWeightForEpoch(operator, j.weightEpoch) * j.slashBps) / BPS;
        if (amount != 0) {
            bytes32 evidence = keccak256(abi.encode(block.chainid, address(this), epoch, round, j.root));
            requestId = slasher.requestSlashWithBounty(operator, evidence, amount, rejectedAt, msg.sender);
        }
        emit AttesterSlashRequested(epoch, round, operator, requestId, amount);
    }

    /// @inheritdoc ITelemetryOracle
    function reportEquivocation(
        TelemetryLib.Telemetry calldata a,
        TelemetryLib.NodeSignature calldata sigA,
        TelemetryLib.Telemetry calldata b,
        TelemetryLib.NodeSignature calldata sigB
    ) external returns (uint256 requestId) {
        bytes32 nodeId = a.nodeId;
        if (b.nodeId != nodeId || b.epoch != a.epoch) revert ReportMismatch();
        // only an ended epoch: a node "excluded" from a far epoch on would be immune to later reports
        uint256 current = vault.currentEpoch();
        if (a.epoch >= current) revert EpochNotEnded(a.epoch, current);
        bytes32 hashA = a.structHash();
        bytes32 hashB = b.structHash();
        if (hashA == hashB) revert NoConflict();
        address operator = _checkEquivocation(a.epoch, nodeId, hashA, sigA, hashB, sigB);
        _checkReportWindow(a.epoch, current);
        uint256 amount;
        if (_exclude(nodeId, a.epoch)) (requestId, amount) = _slashEquivocator(operator, hashA, hashB);
        emit NodeEquivocated(nodeId, a.epoch, operator, msg.sender, requestId, amount);
    }

    // ================================================================ revenue and liveness

    /// @inheritdoc ITelemetryOracle
    function proveRevenue(
        uint256 epoch,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external {
        EpochRoot storage r = _roots[epoch];
        if (r.status != RootStatus.Accepted) revert RootNotAccepted(epoch);
        if (block.timestamp < r.challengeDeadline) revert RootNotFinal(epoch, r.challengeDeadline);
        if (leaf.epoch != epoch) revert ReportMismatch();
        if (!MerkleProof.verifyCalldata(proof, r.root, leaf.leaf(sig))) revert InvalidProof();
        bytes32 nodeId = leaf.nodeId;
        if (_proven[epoch][nodeId]) revert AlreadyProven(epoch, nodeId);
        INodeRegistry.Node memory n = registry.getNode(nodeId);
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        if (!_activeIn(n, epoch)) revert NodeNotActiveInEpoch(nodeId, epoch);
        uint256 excluded = _excludedFrom[nodeId];
        if (excluded != 0 && epoch + 1 >= excluded) revert NodeExcluded(nodeId, epoch);
        // a final root should hold node-signed leaves only; an unchallenged forgery is still never credited
        _checkSignature(nodeId, leaf.structHash(), sig, n.signer);

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
        // the vault keeps leaving stake slashable for at most its MAX_CHALLENGE_WINDOW after an attestation window;
        // attester slash requests come up to MAX_CAPTURE_AGE after a rejection, itself before the challenge deadline
        if (
            challengeWindow_ < MIN_CHALLENGE_WINDOW || challengeWindow_ > MAX_CHALLENGE_WINDOW
                || challengeWindow_ + vault.MAX_CAPTURE_AGE() > vault.MAX_CHALLENGE_WINDOW()
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
    function getEpochRoot(uint256 epoch) external view returns (EpochRoot memory e) {
        e = _roots[epoch];
        // forge-lint: disable-next-line(unsafe-typecast)
        if (e.round == 0) e.weightEpoch = uint64(epoch);
    }

    /// @inheritdoc ITelemetryOracle
    function getRejection(uint256 epoch, uint256 round) external view returns (Rejection memory) {
        return _rejections[epoch][round];
    }

    /// @inheritdoc ITelemetryOracle
    function attestationOf(uint256 epoch, address operator) external view returns (bytes32) {
        return _attested[epoch][_roots[epoch].round][operator];
    }

    /// @inheritdoc ITelemetryOracle
    function attestationIn(uint256 epoch, uint256 round, address operator) external view returns (bytes32) {
        return _attested[epoch][round][operator];
    }

    /// @inheritdoc ITelemetryOracle
    function attesterSlashRequested(uint256 epoch, uint256 round, address operator) external view returns (bool) {
        return _slashRequested[epoch][round][operator];
    }

    /// @inheritdoc ITelemetryOracle
    function candidateWeight(uint256 epoch, bytes32 key) external view returns (uint256) {
        return _candidateWeight[epoch][_roots[epoch].round][key];
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
        return n.operator != address(0) && n.deactivatedAt == 0 && _excludedFrom[nodeId] == 0
            && _missed(nodeId, n.registeredAt) >= staleAfter;
    }

    /// @inheritdoc ITelemetryOracle
    function exclusionOf(bytes32 nodeId) external view returns (bool excluded, uint256 fromEpoch) {
        uint256 e = _excludedFrom[nodeId];
        if (e != 0) (excluded, fromEpoch) = (true, e - 1);
    }

    /// @inheritdoc ITelemetryOracle
    function isNodeSigned(uint256 epoch, TelemetryLib.Telemetry calldata leaf, TelemetryLib.NodeSignature calldata sig)
        public
        view
        returns (bool)
    {
        if (leaf.epoch != epoch) return false;
        INodeRegistry.Node memory n = registry.getNode(leaf.nodeId);
        if (n.signer == address(0) || !_activeIn(n, epoch)) return false;
        return recoverReportSigner(leaf, sig) == n.signer;
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
    function recoverReportSigner(TelemetryLib.Telemetry calldata t, TelemetryLib.NodeSignature calldata sig)
        public
        view
        returns (address recovered)
    {
        (recovered,,) = ECDSA.tryRecover(reportDigest(t), sig.v, sig.r, sig.s);
    }

    /// @inheritdoc ITelemetryOracle
    function leafHash(TelemetryLib.Telemetry calldata t, TelemetryLib.NodeSignature calldata sig)
        external
        pure
        returns (bytes32)
    {
        return t.leaf(sig);
    }

    /// @inheritdoc ITelemetryOracle
    function verifyLeaf(
        bytes32 root,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, leaf.leaf(sig));
    }

    // ================================================================ internals

    /// @dev Accepts the current round's `root`. A re-accepted epoch (after a rejection) keeps its liveness index, so
    ///      the rejected root leaves no gap that would make honest nodes miss a root.
    function _accept(
        uint256 epoch,
        EpochRoot storage r,
        bytes32 root,
        uint256 nodeCount,
        uint256 totalRevenue,
        uint256 attested,
        uint256 total
    ) private {
        uint256 index = r.acceptedIndex;
        if (index == 0) {
            index = ++acceptedCount;
            // forge-lint: disable-next-line(unsafe-typecast)
            r.acceptedIndex = uint32(index);
            // forge-lint: disable-next-line(unsafe-typecast)
            _acceptedHistory.push(uint48(block.timestamp), uint208(index));
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        uint48 deadline = uint48(block.timestamp + challengeWindow);
        r.root = root;
        r.status = RootStatus.Accepted;
        r.challengeDeadline = deadline;
        // forge-lint: disable-next-line(unsafe-typecast)
        r.nodeCount = uint64(nodeCount);
        r.totalRevenue = totalRevenue;
        // forge-lint: disable-next-line(unsafe-typecast)
        r.attestedWeight = uint128(attested); // ≤ GAIB supply < 2^128
        // forge-lint: disable-next-line(unsafe-typecast)
        r.totalWeight = uint128(total);
        emit RootAccepted(epoch, root, attested, total, deadline);
    }

    /// @dev Excludes `nodeId` from `epoch` on; returns whether it was not excluded before. A report of an earlier
    ///      epoch moves the exclusion back (a later self-report cannot shield an earlier equivocation).
    function _exclude(bytes32 nodeId, uint256 epoch) private returns (bool first) {
        uint256 excluded = _excludedFrom[nodeId];
        if (excluded != 0 && epoch + 1 >= excluded) revert NodeAlreadyExcluded(nodeId);
        _excludedFrom[nodeId] = epoch + 1;
        return excluded == 0;
    }

    /// @dev Reverts once `epoch`'s current round can no longer be attested (+1 epoch to report): a node key leaked
    ///      long after cannot slash today's stake for an old epoch.
    function _checkReportWindow(uint256 epoch, uint256 current) private view {
        EpochRoot storage r = _roots[epoch];
        uint256 lastEpoch = (r.round == 0 ? epoch : r.weightEpoch) + ATTEST_WINDOW + 1;
        if (current > lastEpoch) revert EquivocationReportTooLate(epoch, lastEpoch);
    }

    /// @dev Requests the equivocation slash of `operator` (the caller is the bounty beneficiary), unless it got one
    ///      less than EQUIVOCATION_SLASH_COOLDOWN ago: an operator reporting its own fresh nodes cannot keep a request
    ///      always pending (and its delegators' exits frozen).
    function _slashEquivocator(address operator, bytes32 hashA, bytes32 hashB)
        private
        returns (uint256 requestId, uint256 amount)
    {
        if (block.timestamp < _lastEquivocationSlash[operator] + EQUIVOCATION_SLASH_COOLDOWN) return (0, 0);
        amount = (vault.slashableAt(operator, block.timestamp) * challengeSlashBps) / BPS;
        if (amount == 0) return (0, 0);
        _lastEquivocationSlash[operator] = block.timestamp;
        bytes32 evidence = keccak256(abi.encode(block.chainid, address(this), hashA, hashB));
        requestId = slasher.requestSlashWithBounty(operator, evidence, amount, block.timestamp, msg.sender);
    }

    /// @dev Checks the node was active in `epoch` (a retired node's key cannot be used) and both signatures are
    ///      `nodeId`'s; returns its operator.
    function _checkEquivocation(
        uint256 epoch,
        bytes32 nodeId,
        bytes32 hashA,
        TelemetryLib.NodeSignature calldata sigA,
        bytes32 hashB,
        TelemetryLib.NodeSignature calldata sigB
    ) private view returns (address operator) {
        INodeRegistry.Node memory n = registry.getNode(nodeId);
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        if (!_activeIn(n, epoch)) revert NodeNotActiveInEpoch(nodeId, epoch);
        _checkSignature(nodeId, hashA, sigA, n.signer);
        _checkSignature(nodeId, hashB, sigB, n.signer);
        return n.operator;
    }

    /// @dev Reverts unless `sig` over the report with struct hash `structHash_` recovers to `signer` (non-zero).
    function _checkSignature(
        bytes32 nodeId,
        bytes32 structHash_,
        TelemetryLib.NodeSignature calldata sig,
        address signer
    ) private view {
        (address recovered,,) = ECDSA.tryRecover(_hashTypedDataV4(structHash_), sig.v, sig.r, sig.s);
        if (recovered != signer || signer == address(0)) revert InvalidNodeSignature(nodeId, recovered);
    }

    /// @dev Whether node `n` was registered before `epoch` ended and not deactivated before it started.
    function _activeIn(INodeRegistry.Node memory n, uint256 epoch) private view returns (bool) {
        return n.registeredAt < vault.epochStart(epoch + 1)
            && (n.deactivatedAt == 0 || n.deactivatedAt > vault.epochStart(epoch));
    }

    /// @dev Accepted roots since `nodeId` was last proven present, or since it was registered.
    function _missed(bytes32 nodeId, uint48 registeredAt) private view returns (uint256) {
        uint256 baseline = Math.max(_lastSeen[nodeId], _acceptedHistory.upperLookupRecent(registeredAt));
        return acceptedCount - baseline;
    }

    /// @dev Walks the deal's active nodes: at most the registry's MAX_NODES_PER_DEAL.
    function _staleNodes(uint256 dealId) private view returns (uint256 count) {
        bytes32[] memory ids = registry.activeNodesOfDeal(dealId);
        for (uint256 i; i < ids.length; ++i) {
            if (isStale(ids[i])) ++count;
        }
    }
}
