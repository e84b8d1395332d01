// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TelemetryLib} from "../libraries/TelemetryLib.sol";
import {INodeRegistry} from "./INodeRegistry.sol";
import {IRevenueOracle} from "./IRevenueOracle.sol";
import {IStakingVault} from "./IStakingVault.sol";
import {IVetoSlasher} from "./IVetoSlasher.sol";

/// @title ITelemetryOracle
/// @notice Per-epoch telemetry roots attested by staked operators.
///
///         Nodes sign one {TelemetryLib.Telemetry} report per epoch with EIP-712 (domain "GAIB Telemetry" / "1" with
///         this chain's id and this contract's address, so a signature never verifies on another chain or oracle).
///         Operators aggregate an epoch's reports into a Merkle tree (OpenZeppelin standard leaves) and call
///         `attest(epoch, root, nodeCount, totalRevenue)`: O(1), one attestation per operator per epoch, only after
///         the epoch ended and within ATTEST_WINDOW epochs. An operator's weight is its stake for that epoch
///         ({IStakingVault-operatorWeightForEpoch}: opted-in active stake at the epoch's start). A root is accepted as
///         soon as operators holding ≥ 2/3 of the epoch's total weight attested the same (root, nodeCount,
///         totalRevenue).
///
///         Challenge: within the challenge window after acceptance anyone may show a node-signed report that differs
///         from the leaf proven for that node in the accepted root; the root is rejected (never final, no revenue or
///         presence from it) and every operator that attested it gets a slash request of `challengeSlashBps` of its
///         epoch weight (captured now, veto window applies). The attesters are passed in, sorted, and must add up to
///         the root's whole attested weight, so none can be left out; storage per attestation stays one slot.
///
///         Revenue and liveness: anyone proves a node's leaf of a final root with `proveRevenue` (O(log n)); that
///         credits the leaf's revenue to the node's deal (see {IRevenueOracle}) and records the node as present in
///         that root. A node is stale when the latest `staleAfter` accepted roots (default 24) are all newer than the
///         last root it was proven present in (or than its registration); a deal with a stale active node can be
///         flagged for its underwriter. Presence costs one proof per node per `staleAfter` roots; attest stays O(1).
interface ITelemetryOracle is IRevenueOracle {
    /// @notice Life cycle of an epoch's root.
    enum RootStatus {
        None,
        Accepted,
        Rejected
    }

    /// @notice The accepted (or rejected) root of an epoch.
    struct EpochRoot {
        bytes32 root;
        RootStatus status;
        uint48 challengeDeadline; // [s] challenges strictly before, final at or after
        uint32 acceptedIndex; // 1-based order of acceptance
        uint64 nodeCount;
        uint64 provenNodes; // leaves proven so far
        uint256 totalRevenue; // [wad] attested
        uint256 provenRevenue; // [wad] proven so far (≤ totalRevenue)
        uint128 attestedWeight; // [wad] GAIB behind the root when it was accepted
        uint128 totalWeight; // [wad] GAIB of all operators for the epoch
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted for every attestation, with the operator's epoch weight.
    event Attested(
        uint256 indexed epoch,
        address indexed operator,
        bytes32 root,
        uint256 nodeCount,
        uint256 totalRevenue,
        uint256 weight
    );
    /// @notice Emitted when `epoch`'s root is accepted with `attestedWeight` of `totalWeight` behind it.
    event RootAccepted(
        uint256 indexed epoch, bytes32 root, uint256 attestedWeight, uint256 totalWeight, uint256 challengeDeadline
    );
    /// @notice Emitted when `epoch`'s root is rejected by `challenger` with a conflicting report of `nodeId`.
    event RootRejected(
        uint256 indexed epoch, address indexed challenger, bytes32 indexed nodeId, uint256 slashRequests
    );
    /// @notice Emitted when a node's leaf of `epoch` is proven: revenue credited to `dealId`, presence recorded.
    event RevenueProven(uint256 indexed epoch, bytes32 indexed nodeId, uint256 indexed dealId, uint256 revenue);
    /// @notice Emitted when `dealId` is flagged for its underwriter with `staleNodes` stale active nodes.
    event DealFlaggedStale(uint256 indexed dealId, uint256 staleNodes);
    /// @notice Emitted when the challenge window changes (applies to roots accepted afterwards).
    event ChallengeWindowSet(uint256 challengeWindow);
    /// @notice Emitted when the liveness threshold changes.
    event StaleAfterSet(uint256 staleAfter);
    /// @notice Emitted when the slash size of a successful challenge changes.
    event ChallengeSlashBpsSet(uint256 bps);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when attesting an epoch that has not ended.
    error EpochNotEnded(uint256 epoch, uint256 currentEpoch);
    /// @notice Thrown when attesting an epoch more than ATTEST_WINDOW epochs after it ended.
    error AttestationWindowClosed(uint256 epoch, uint256 currentEpoch);
    /// @notice Thrown when attesting a zero root or zero node count.
    error EmptyRoot();
    /// @notice Thrown when the caller has no weight for the epoch (not an opted-in operator with stake then).
    error NoWeight(address operator, uint256 epoch);
    /// @notice Thrown when an operator attests an epoch a second time.
    error AlreadyAttested(uint256 epoch, address operator);
    /// @notice Thrown when attesting an epoch whose root was rejected.
    error EpochRejected(uint256 epoch);
    /// @notice Thrown when the epoch has no accepted root (none yet, or rejected).
    error RootNotAccepted(uint256 epoch);
    /// @notice Thrown when challenging at or after the challenge deadline.
    error ChallengeWindowClosed(uint256 epoch, uint256 challengeDeadline);
    /// @notice Thrown when proving a leaf before the root is final.
    error RootNotFinal(uint256 epoch, uint256 challengeDeadline);
    /// @notice Thrown when a report or leaf is for another epoch, or the signed report and the leaf are for
    ///         different nodes.
    error ReportMismatch();
    /// @notice Thrown when a node id is not in the registry.
    error UnknownNode(bytes32 nodeId);
    /// @notice Thrown when the report's signature does not recover to the node's signer.
    error InvalidNodeSignature(bytes32 nodeId, address recovered);
    /// @notice Thrown when the Merkle proof does not prove the leaf in the epoch's root.
    error InvalidProof();
    /// @notice Thrown when the signed report equals the proven leaf: nothing to challenge.
    error NoConflict();
    /// @notice Thrown when the attesters passed are unsorted, did not attest the root, or do not add up to its weight.
    error InvalidAttesters();
    /// @notice Thrown when a node's leaf of an epoch is proven twice.
    error AlreadyProven(uint256 epoch, bytes32 nodeId);
    /// @notice Thrown when proven leaves would exceed the attested node count or total revenue.
    error ExceedsAttestedTotals(uint256 epoch);
    /// @notice Thrown when flagging a deal none of whose active nodes is stale.
    error DealNotStale(uint256 dealId);
    /// @notice Thrown when a parameter is set outside its bounds.
    error ParameterOutOfBounds(uint256 value);

    // ---------------------------------------------------------------- constants and wiring

    /// @notice How many epochs after its end an epoch may still be attested.
    function ATTEST_WINDOW() external view returns (uint256);
    /// @notice The staking vault (weights, epochs).
    function vault() external view returns (IStakingVault);
    /// @notice The veto slasher (this oracle holds its SLASHER_ROLE).
    function slasher() external view returns (IVetoSlasher);
    /// @notice The node registry (signers, deals).
    function registry() external view returns (INodeRegistry);

    // ---------------------------------------------------------------- operators

    /// @notice Attests `root` (with its node count and total revenue) for ended `epoch`, with the caller's epoch
    ///         weight; accepts the root once ≥ 2/3 of the epoch's weight attested the same. O(1).
    function attest(uint256 epoch, bytes32 root, uint256 nodeCount, uint256 totalRevenue) external;

    // ---------------------------------------------------------------- anyone

    /// @notice Rejects `epoch`'s accepted root: `signed` (signed by its node's key: `signature`) conflicts with `leaf`,
    ///         proven in the root by `proof`. `attesters` (strictly increasing) must be exactly the operators that
    ///         attested the root; each gets a slash request. Returns the number of slash requests made. O(log n) in
    ///         the number of leaves.
    function challenge(
        uint256 epoch,
        TelemetryLib.Telemetry calldata signed,
        bytes calldata signature,
        TelemetryLib.Telemetry calldata leaf,
        bytes32[] calldata proof,
        address[] calldata attesters
    ) external returns (uint256 slashRequests);

    /// @notice Proves `leaf` in `epoch`'s final root: credits its revenue to its node's deal and records the node
    ///         present in that root.
    function proveRevenue(uint256 epoch, TelemetryLib.Telemetry calldata leaf, bytes32[] calldata proof) external;

    /// @notice Emits {DealFlaggedStale} for `dealId` if any of its active nodes is stale; returns how many are.
    function flagStaleDeal(uint256 dealId) external returns (uint256 staleNodes);

    // ---------------------------------------------------------------- admin

    /// @notice Sets the challenge window for roots accepted from now on (1 hour .. 7 days). Only admin.
    function setChallengeWindow(uint256 challengeWindow) external;

    /// @notice Sets the liveness threshold K in accepted roots (1 .. 10,000). Only admin.
    function setStaleAfter(uint256 staleAfter) external;

    /// @notice Sets the slash of a successful challenge, in bps of each attester's epoch weight (1 .. 5,000).
    ///         Only admin.
    function setChallengeSlashBps(uint256 bps) external;

    // ---------------------------------------------------------------- views

    /// @notice Challenge window applied to roots accepted now [s].
    function challengeWindow() external view returns (uint256);
    /// @notice Liveness threshold K [accepted roots].
    function staleAfter() external view returns (uint256);
    /// @notice Slash of a successful challenge [bps of the attester's epoch weight].
    function challengeSlashBps() external view returns (uint256);
    /// @notice Number of roots accepted so far.
    function acceptedCount() external view returns (uint256);
    /// @notice `epoch`'s root record.
    function getEpochRoot(uint256 epoch) external view returns (EpochRoot memory);
    /// @notice The (root, nodeCount, totalRevenue) key `operator` attested for `epoch` (zero if none).
    function attestationOf(uint256 epoch, address operator) external view returns (bytes32 key);
    /// @notice Weight attested so far for `key` in `epoch`.
    function candidateWeight(uint256 epoch, bytes32 key) external view returns (uint256);
    /// @notice The key attestations of (root, nodeCount, totalRevenue) are tallied under.
    function candidateKey(bytes32 root, uint256 nodeCount, uint256 totalRevenue) external pure returns (bytes32);
    /// @notice Whether `nodeId`'s leaf of `epoch` was proven.
    function isProven(uint256 epoch, bytes32 nodeId) external view returns (bool);
    /// @notice Whether active `nodeId` is stale.
    function isStale(bytes32 nodeId) external view returns (bool);
    /// @notice Accepted roots since `nodeId` was last proven present (or registered).
    function missedRoots(bytes32 nodeId) external view returns (uint256);
    /// @notice EIP-712 digest a node signs for `t`.
    function reportDigest(TelemetryLib.Telemetry calldata t) external view returns (bytes32);
    /// @notice Signer recovered from `signature` over `t` (zero if malformed).
    function recoverReportSigner(TelemetryLib.Telemetry calldata t, bytes calldata signature)
        external
        view
        returns (address);
    /// @notice OpenZeppelin standard Merkle leaf of `t`.
    function leafHash(TelemetryLib.Telemetry calldata t) external pure returns (bytes32);
    /// @notice Whether `proof` proves `leaf` in `root`.
    function verifyLeaf(bytes32 root, TelemetryLib.Telemetry calldata leaf, bytes32[] calldata proof)
        external
        pure
        returns (bool);
}
