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
///         Operators aggregate an epoch's reports, each WITH its node signature, into a Merkle tree (OpenZeppelin
///         standard leaves, {TelemetryLib-leaf}) and call `attest(epoch, root, nodeCount, totalRevenue)`: O(1), one
///         attestation per operator per round of an epoch, only after the epoch ended and within ATTEST_WINDOW epochs
///         of the round's weight epoch. An operator's weight is its stake for the weight epoch
///         ({IStakingVault-operatorWeightForEpoch}: opted-in active stake at that epoch's start; the weight epoch of
///         round 0 is the epoch itself). A root is accepted as soon as operators holding ≥ 2/3 of the weight epoch's
///         total weight attested the same (root, nodeCount, totalRevenue). Attesting after acceptance is recorded
///         (it makes the operator answerable for the root) but changes nothing a challenge depends on.
///
///         Node-signed leaf: a leaf of an epoch-e tree is node-signed when its report is for epoch e, its node was
///         registered before e ended and not deactivated before e started (facts fixed before anyone can attest e),
///         and its signature recovers (OpenZeppelin ECDSA rules) to the node's registered signer (never changes).
///         Whether a leaf is node-signed is therefore decided, for good, before the first attestation.
///
///         Forged leaf (fraud): within the challenge window after acceptance anyone proves, in O(log n), a leaf of the
///         accepted root that is not node-signed (`challengeForgedLeaf`). The root is rejected once, O(1) in the
///         number of attesters: the rejection freezes the root, the slash size and the capture time (the rejection).
///         Each operator that attested the rejected root is then slashed by a separate permissionless O(1)
///         `requestAttesterSlash` within the vault's MAX_CAPTURE_AGE after the rejection (a request of
///         `challengeSlashBps` of its weight, captured at the rejection; veto window applies). Stake behind an
///         attestation cannot leave before then: challengeWindow + MAX_CAPTURE_AGE ≤ the vault's MAX_CHALLENGE_WINDOW
///         (see {IStakingVault} exposure). A rejected epoch opens a new round: it can be attested again (weights of
///         the epoch current at the rejection, a fresh ATTEST_WINDOW) and, once accepted, it reuses the rejected
///         root's liveness index, so a rejection does not make honest nodes stale.
///
///         Equivocation: a node that signs two different reports for one epoch has equivocated
///         (`reportEquivocation`, anyone, for an ended epoch the node was active in, until one epoch after the last
///         epoch in which the epoch's current round can be attested: a retired node's leaked key cannot slash today's
///         stake for an old epoch): the node is excluded from that epoch on (no revenue, not
///         counted for liveness; a later report of an earlier epoch moves the exclusion back) and, on its first
///         report, its registering operator gets a slash request of `challengeSlashBps` of its slashable stake, unless
///         that operator got one less than EQUIVOCATION_SLASH_COOLDOWN ago: an operator reporting equivocations of its
///         own fresh nodes could otherwise keep a request always pending and its delegators' exits frozen for ever
///         (vetoed requests cost it nothing). Both reports are node-signed, so no root containing either is rejected.
///
///         Keeper bounty: the caller of `requestAttesterSlash` or `reportEquivocation` is the request's beneficiary in
///         the slasher ({IVetoSlasher-requestSlashWithBounty}): paid at execution only, never more than the slashed
///         operator itself loses, so reporting oneself never pays.
///         Consequently an operator that attests only roots whose every leaf is node-signed can never be slashed here.
///
///         Revenue and liveness: anyone proves a node-signed leaf of a final root with `proveRevenue` (O(log n)); that
///         credits the leaf's revenue to the node's deal (see {IRevenueOracle}) and records the node as present in
///         that root. A node is stale when the latest `staleAfter` accepted roots (default 24) are all newer than the
///         last root it was proven present in (or than its registration); a deal with a stale active node can be
///         flagged for its underwriter (bounded: a deal has at most the registry's MAX_NODES_PER_DEAL active nodes).
interface ITelemetryOracle is IRevenueOracle {
    /// @notice Life cycle of an epoch's root.
    enum RootStatus {
        None,
        Accepted,
        Rejected // the latest round's root was rejected; attesting opens the next round
    }

    /// @notice The accepted (or rejected) root of an epoch's latest round.
    struct EpochRoot {
        bytes32 root;
        RootStatus status;
        uint48 challengeDeadline; // [s] challenges strictly before, final at or after
        uint32 acceptedIndex; // 1-based order of acceptance (kept across rounds)
        uint64 nodeCount;
        uint64 provenNodes; // leaves proven so far
        uint32 round; // 0, then +1 per rejection
        uint256 totalRevenue; // [wad] attested
        uint256 provenRevenue; // [wad] proven so far (≤ totalRevenue)
        uint128 attestedWeight; // [wad] GAIB behind the root when it was accepted
        uint128 totalWeight; // [wad] GAIB of all operators for the weight epoch
        uint64 weightEpoch; // epoch whose stake snapshot weighs this round (round 0: the epoch itself)
    }

    /// @notice What a rejection froze: everything `requestAttesterSlash` needs.
    struct Rejection {
        bytes32 root;
        bytes32 key; // candidateKey of the rejected (root, nodeCount, totalRevenue)
        uint48 rejectedAt; // [s] slash capture time
        uint16 slashBps; // [bps] of each attester's weight
        uint64 weightEpoch; // epoch whose weights the attesters used
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted for every attestation, with the operator's weight for the round.
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
    /// @notice Emitted when round `round` of `epoch` is rejected by `challenger` with a forged leaf of `nodeId`.
    event RootRejected(uint256 indexed epoch, uint256 round, address indexed challenger, bytes32 indexed nodeId);
    /// @notice Emitted when an attester of rejected round `round` of `epoch` gets slash request `requestId`.
    event AttesterSlashRequested(
        uint256 indexed epoch, uint256 round, address indexed operator, uint256 requestId, uint256 amount
    );
    /// @notice Emitted when `nodeId` is proven to have signed two reports for `epoch`: excluded from `epoch` on, its
    ///         `operator` gets slash request `requestId` (0 when none was filed: nothing slashable, node reported
    ///         before, operator in its cooldown).
    event NodeEquivocated(
        bytes32 indexed nodeId,
        uint256 epoch,
        address indexed operator,
        address indexed reporter,
        uint256 requestId,
        uint256 amount
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

    /// @notice Thrown when attesting, or reporting an equivocation in, an epoch that has not ended.
    error EpochNotEnded(uint256 epoch, uint256 currentEpoch);
    /// @notice Thrown when attesting more than ATTEST_WINDOW epochs after the round's weight epoch.
    error AttestationWindowClosed(uint256 epoch, uint256 currentEpoch);
    /// @notice Thrown when attesting a zero root or zero node count.
    error EmptyRoot();
    /// @notice Thrown when the caller has no weight for the round (not an opted-in operator with stake then).
    error NoWeight(address operator, uint256 epoch);
    /// @notice Thrown when an operator attests a round of an epoch a second time.
    error AlreadyAttested(uint256 epoch, address operator);
    /// @notice Thrown when the epoch has no accepted root (none yet, or rejected).
    error RootNotAccepted(uint256 epoch);
    /// @notice Thrown when challenging at or after the challenge deadline.
    error ChallengeWindowClosed(uint256 epoch, uint256 challengeDeadline);
    /// @notice Thrown when proving a leaf before the root is final.
    error RootNotFinal(uint256 epoch, uint256 challengeDeadline);
    /// @notice Thrown when a leaf is for another epoch, or two equivocation reports are for different nodes or epochs.
    error ReportMismatch();
    /// @notice Thrown when a node id is not in the registry.
    error UnknownNode(bytes32 nodeId);
    /// @notice Thrown when a report's signature does not recover to the node's signer.
    error InvalidNodeSignature(bytes32 nodeId, address recovered);
    /// @notice Thrown when the Merkle proof does not prove the leaf in the epoch's root.
    error InvalidProof();
    /// @notice Thrown when the two reports of an equivocation proof are the same report.
    error NoConflict();
    /// @notice Thrown when the challenged leaf is node-signed: not a forgery.
    error NotForged(bytes32 nodeId);
    /// @notice Thrown when round `round` of `epoch` was not rejected.
    error NotRejected(uint256 epoch, uint256 round);
    /// @notice Thrown when `operator` did not attest the rejected root of round `round` of `epoch`.
    error NotAttester(uint256 epoch, uint256 round, address operator);
    /// @notice Thrown when the slash of `operator` for round `round` of `epoch` was already requested.
    error SlashAlreadyRequested(uint256 epoch, uint256 round, address operator);
    /// @notice Thrown when requesting an attester slash after `deadline` (rejection + the vault's MAX_CAPTURE_AGE).
    error SlashRequestWindowClosed(uint256 epoch, uint256 round, uint256 deadline);
    /// @notice Thrown when reporting an equivocation in `epoch` after `lastEpoch`, the last epoch in which its current
    ///         round could be attested, plus one.
    error EquivocationReportTooLate(uint256 epoch, uint256 lastEpoch);
    /// @notice Thrown when reporting an equivocation of a node already excluded from that epoch or an earlier one.
    error NodeAlreadyExcluded(bytes32 nodeId);
    /// @notice Thrown when proving a leaf of a node excluded (equivocation) at or before `epoch`.
    error NodeExcluded(bytes32 nodeId, uint256 epoch);
    /// @notice Thrown when proving a leaf of (or reporting an equivocation by) a node registered after `epoch` ended or
    ///         deactivated before it started.
    error NodeNotActiveInEpoch(bytes32 nodeId, uint256 epoch);
    /// @notice Thrown when a node's leaf of an epoch is proven twice.
    error AlreadyProven(uint256 epoch, bytes32 nodeId);
    /// @notice Thrown when proven leaves would exceed the attested node count or total revenue.
    error ExceedsAttestedTotals(uint256 epoch);
    /// @notice Thrown when flagging a deal none of whose active nodes is stale.
    error DealNotStale(uint256 dealId);
    /// @notice Thrown when a parameter is set outside its bounds.
    error ParameterOutOfBounds(uint256 value);

    // ---------------------------------------------------------------- constants and wiring

    /// @notice How many epochs after a round's weight epoch the round may still be attested.
    function ATTEST_WINDOW() external view returns (uint256);
    /// @notice Least time between two equivocation slash requests of one operator [s] (above the slasher's longest
    ///         veto window, so its exits are never frozen by them without a gap).
    function EQUIVOCATION_SLASH_COOLDOWN() external view returns (uint256);
    /// @notice The staking vault (weights, epochs).
    function vault() external view returns (IStakingVault);
    /// @notice The veto slasher (this oracle holds its SLASHER_ROLE).
    function slasher() external view returns (IVetoSlasher);
    /// @notice The node registry (signers, deals).
    function registry() external view returns (INodeRegistry);

    // ---------------------------------------------------------------- operators

    /// @notice Attests `root` (with its node count and total revenue) for ended `epoch` in its current round, with
    ///         the caller's weight for the round; accepts the root once ≥ 2/3 of the round's weight attested the
    ///         same. O(1).
    function attest(uint256 epoch, bytes32 root, uint256 nodeCount, uint256 totalRevenue) external;

    // ---------------------------------------------------------------- anyone

    /// @notice Rejects `epoch`'s accepted root: `leaf` with signature `sig`, proven in the root by `proof`, is not
    ///         node-signed (see above). O(log n) in leaves, O(1) in attesters; opens the epoch's next round.
    function challengeForgedLeaf(
        uint256 epoch,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external;

    /// @notice Requests the slash of `operator`, an attester of the root rejected in round `round` of `epoch`:
    ///         `slashBps` of its weight, captured at the rejection. Once per attester, within MAX_CAPTURE_AGE of the
    ///         rejection. O(1). The caller is the request's bounty beneficiary ({IVetoSlasher-requestSlashWithBounty}).
    ///         Returns the slasher's request id (0 if the amount rounds to zero).
    function requestAttesterSlash(uint256 epoch, uint256 round, address operator) external returns (uint256 requestId);

    /// @notice Proves that one node signed two different reports `a` and `b` for one ended epoch: excludes the node
    ///         from that epoch on and requests a slash of `challengeSlashBps` of its operator's slashable stake (the
    ///         caller is the bounty beneficiary) on the node's first report outside the operator's
    ///         EQUIVOCATION_SLASH_COOLDOWN. Roots are not touched. Returns the slasher's request id (0 if nothing was
    ///         slashable, the node was reported before or the operator is in its cooldown). Reverts
    ///         `NodeAlreadyExcluded` unless the epoch is before the node's exclusion, `NodeNotActiveInEpoch` for an
    ///         epoch the node was not active in, `EquivocationReportTooLate` after the epoch's report window (see
    ///         above). Reverts with
    ///         `EpochNotEnded` for an epoch not yet ended (a self-report for a far epoch would otherwise "exclude" the
    ///         node only from then on and make every later report revert with `NodeAlreadyExcluded`).
    function reportEquivocation(
        TelemetryLib.Telemetry calldata a,
        TelemetryLib.NodeSignature calldata sigA,
        TelemetryLib.Telemetry calldata b,
        TelemetryLib.NodeSignature calldata sigB
    ) external returns (uint256 requestId);

    /// @notice Proves node-signed `leaf` (signature `sig`) in `epoch`'s final root: credits its revenue to its node's
    ///         deal and records the node present in that root. Leaves of nodes not active in the epoch, or excluded,
    ///         are refused.
    function proveRevenue(
        uint256 epoch,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external;

    /// @notice Emits {DealFlaggedStale} for `dealId` if any of its active nodes is stale; returns how many are.
    function flagStaleDeal(uint256 dealId) external returns (uint256 staleNodes);

    // ---------------------------------------------------------------- admin

    /// @notice Sets the challenge window for roots accepted from now on (1 hour .. MAX_CHALLENGE_WINDOW, and with the
    ///         vault's MAX_CAPTURE_AGE within the vault's MAX_CHALLENGE_WINDOW). Only admin.
    function setChallengeWindow(uint256 challengeWindow) external;

    /// @notice Sets the liveness threshold K in accepted roots (1 .. 10,000). Only admin.
    function setStaleAfter(uint256 staleAfter) external;

    /// @notice Sets the slash of a successful challenge or equivocation proof, in bps of the weight (attesters) or
    ///         slashable stake (equivocating node's operator) (1 .. 5,000). Only admin.
    function setChallengeSlashBps(uint256 bps) external;

    // ---------------------------------------------------------------- views

    /// @notice Challenge window applied to roots accepted now [s].
    function challengeWindow() external view returns (uint256);
    /// @notice Liveness threshold K [accepted roots].
    function staleAfter() external view returns (uint256);
    /// @notice Slash of a successful challenge [bps].
    function challengeSlashBps() external view returns (uint256);
    /// @notice Number of liveness indices handed out (roots accepted for a first time).
    function acceptedCount() external view returns (uint256);
    /// @notice `epoch`'s root record (its latest round).
    function getEpochRoot(uint256 epoch) external view returns (EpochRoot memory);
    /// @notice What the rejection of round `round` of `epoch` froze (zero `rejectedAt` if not rejected).
    function getRejection(uint256 epoch, uint256 round) external view returns (Rejection memory);
    /// @notice The key `operator` attested in `epoch`'s current round (zero if none).
    function attestationOf(uint256 epoch, address operator) external view returns (bytes32 key);
    /// @notice The key `operator` attested in round `round` of `epoch` (zero if none).
    function attestationIn(uint256 epoch, uint256 round, address operator) external view returns (bytes32 key);
    /// @notice Whether the slash of `operator` for rejected round `round` of `epoch` was requested.
    function attesterSlashRequested(uint256 epoch, uint256 round, address operator) external view returns (bool);
    /// @notice Weight attested so far for `key` in `epoch`'s current round.
    function candidateWeight(uint256 epoch, bytes32 key) external view returns (uint256);
    /// @notice The key attestations of (root, nodeCount, totalRevenue) are tallied under.
    function candidateKey(bytes32 root, uint256 nodeCount, uint256 totalRevenue) external pure returns (bytes32);
    /// @notice Whether `nodeId`'s leaf of `epoch` was proven.
    function isProven(uint256 epoch, bytes32 nodeId) external view returns (bool);
    /// @notice Whether active `nodeId` is stale.
    function isStale(bytes32 nodeId) external view returns (bool);
    /// @notice Accepted roots since `nodeId` was last proven present (or registered).
    function missedRoots(bytes32 nodeId) external view returns (uint256);
    /// @notice Whether `nodeId` is excluded for equivocation, and from which epoch on.
    function exclusionOf(bytes32 nodeId) external view returns (bool excluded, uint256 fromEpoch);
    /// @notice Whether `leaf` with `sig` is a node-signed leaf of an epoch-`epoch` tree (see above).
    function isNodeSigned(uint256 epoch, TelemetryLib.Telemetry calldata leaf, TelemetryLib.NodeSignature calldata sig)
        external
        view
        returns (bool);
    /// @notice EIP-712 digest a node signs for `t`.
    function reportDigest(TelemetryLib.Telemetry calldata t) external view returns (bytes32);
    /// @notice Signer recovered from `signature` over `t` (zero if malformed or not canonical).
    function recoverReportSigner(TelemetryLib.Telemetry calldata t, TelemetryLib.NodeSignature calldata signature)
        external
        view
        returns (address);
    /// @notice OpenZeppelin standard Merkle leaf of `t` with its node signature `sig`.
    function leafHash(TelemetryLib.Telemetry calldata t, TelemetryLib.NodeSignature calldata sig)
        external
        pure
        returns (bytes32);
    /// @notice Whether `proof` proves `leaf` (with `sig`) in `root`.
    function verifyLeaf(
        bytes32 root,
        TelemetryLib.Telemetry calldata leaf,
        TelemetryLib.NodeSignature calldata sig,
        bytes32[] calldata proof
    ) external pure returns (bool);
}
