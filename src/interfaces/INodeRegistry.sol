// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title INodeRegistry
/// @notice Registry of the nodes (GPU hosts, or robot fleets: asset-agnostic) whose telemetry the oracle accepts.
///         A node is (nodeId, signer key, operator, dealId, asset class, model, unit count). Registered operators
///         register nodes; a node can be deactivated by its operator or the admin, which keeps its record (history:
///         past reports stay verifiable) and frees nothing: a node id is never reused.
///
///         Ids cannot be squatted: a node id is namespaced by its operator, `nodeId = nodeIdOf(operator, label)`, so
///         no one else can take an operator's id. Nodes are bound to deals: a node registers on deal `dealId ≠ 0`
///         only if that deal's underwriter or borrower (read from the deal factory) approved its id, so no operator
///         can credit self-reported revenue to someone else's deal. `dealId = 0` means no deal (no approval needed,
///         revenue goes nowhere). A deal has at most MAX_NODES_PER_DEAL active nodes, so everything that walks a
///         deal's active nodes (the oracle's liveness flag) is bounded.
interface INodeRegistry {
    /// @notice A node's record.
    struct Node {
        address operator; // registered it; runs its attestation
        uint48 registeredAt; // [s]
        uint48 deactivatedAt; // [s] 0 while active
        address signer; // key that signs the node's telemetry (EIP-712)
        uint16 assetClass; // 1 = GPU cluster, 2 = robot fleet, ...
        uint32 unitCount; // GPUs (or robots)
        uint256 dealId; // the deal financing the node (0: none)
        bytes32 model; // e.g. keccak256("NVIDIA H100 SXM") or a short string
    }

    /// @notice One node of a batch registration (see `registerNodes`).
    struct NodeInput {
        bytes32 label; // the node id is nodeIdOf(operator, label)
        address signer;
        uint256 dealId;
        uint16 assetClass;
        bytes32 model;
        uint32 unitCount;
    }

    /// @notice Emitted when `nodeId` is registered by `operator` for `dealId`.
    event NodeRegistered(
        bytes32 indexed nodeId,
        address indexed operator,
        uint256 indexed dealId,
        address signer,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    );
    /// @notice Emitted when `nodeId` is deactivated by `by`.
    event NodeDeactivated(bytes32 indexed nodeId, address indexed by);
    /// @notice Emitted when `by` (the deal's underwriter or borrower) approves or revokes `nodeId` for `dealId`.
    event NodeApproval(uint256 indexed dealId, bytes32 indexed nodeId, address indexed by, bool approved);
    /// @notice Emitted when the deal factory is set (once).
    event DealFactorySet(address dealFactory);

    /// @notice Thrown when the caller is not a registered operator of the staking vault.
    error NotOperator(address account);
    /// @notice Thrown when a node label is zero.
    error ZeroNodeId();
    /// @notice Thrown when a signer is the zero address.
    error ZeroSigner();
    /// @notice Thrown when a node is registered with zero units.
    error ZeroUnits();
    /// @notice Thrown when `nodeId` was registered before (ids are never reused).
    error NodeExists(bytes32 nodeId);
    /// @notice Thrown when a batch registration or approval is empty or longer than MAX_BATCH.
    error BadBatchSize(uint256 size, uint256 max);
    /// @notice Thrown when `nodeId` was never registered.
    error UnknownNode(bytes32 nodeId);
    /// @notice Thrown when `nodeId` is already deactivated.
    error NodeInactive(bytes32 nodeId);
    /// @notice Thrown when someone other than the node's operator or the admin deactivates it.
    error NotNodeOperator(bytes32 nodeId, address caller);
    /// @notice Thrown when registering `nodeId` on `dealId` without the deal's approval.
    error NodeNotApproved(uint256 dealId, bytes32 nodeId);
    /// @notice Thrown when approving for a deal by someone other than its underwriter or borrower.
    error NotDealParty(uint256 dealId, address caller);
    /// @notice Thrown when `dealId` is not a deal of the deal factory (or the factory is not set).
    error UnknownDeal(uint256 dealId);
    /// @notice Thrown when `dealId` already has MAX_NODES_PER_DEAL active nodes.
    error DealFull(uint256 dealId, uint256 max);
    /// @notice Thrown when setting the deal factory to zero or a second time.
    error DealFactoryLocked();

    /// @notice Registers node `nodeIdOf(msg.sender, label)` for `dealId` (approved by the deal unless 0), run by the
    ///         caller (a registered operator). Returns the node id.
    function registerNode(
        bytes32 label,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) external returns (bytes32 nodeId);

    /// @notice Registers every node of `nodes` (1 .. MAX_BATCH of them) for the caller, as `registerNode` would one
    ///         by one; all or nothing (any bad entry, or a label repeated in the batch, reverts the whole batch).
    function registerNodes(NodeInput[] calldata nodes) external;

    /// @notice The deal's underwriter or borrower approves (or revokes, `approved = false`) `nodeIds` (1 .. MAX_BATCH)
    ///         for registration on `dealId`. Revoking does not deactivate a node already registered.
    function approveNodes(uint256 dealId, bytes32[] calldata nodeIds, bool approved) external;

    /// @notice Sets the deal factory deals are looked up in (once). Only admin.
    function setDealFactory(address dealFactory) external;

    /// @notice Most nodes `registerNodes` and `approveNodes` take in one call.
    function MAX_BATCH() external view returns (uint256);
    /// @notice Most active nodes one deal can have.
    function MAX_NODES_PER_DEAL() external view returns (uint256);
    /// @notice The deal factory (zero until set: then only `dealId = 0` registrations work).
    function dealFactory() external view returns (address);

    /// @notice Deactivates `nodeId` (its operator or the admin); the record is kept.
    function deactivateNode(bytes32 nodeId) external;

    /// @notice The node id `operator` gets for `label`: keccak256(abi.encode(operator, label)).
    function nodeIdOf(address operator, bytes32 label) external pure returns (bytes32);
    /// @notice Whether `nodeId` is approved for registration on `dealId`.
    function isApproved(uint256 dealId, bytes32 nodeId) external view returns (bool);
    /// @notice The record of `nodeId` (zero operator when unknown).
    function getNode(bytes32 nodeId) external view returns (Node memory);
    /// @notice The signer key of `nodeId` (zero when unknown).
    function signerOf(bytes32 nodeId) external view returns (address);
    /// @notice Whether `nodeId` is registered and not deactivated.
    function isActive(bytes32 nodeId) external view returns (bool);
    /// @notice Every node ever registered for `dealId` (active or not; unbounded: off-chain use).
    function nodesOfDeal(uint256 dealId) external view returns (bytes32[] memory);
    /// @notice The active nodes of `dealId` (at most MAX_NODES_PER_DEAL; any order).
    function activeNodesOfDeal(uint256 dealId) external view returns (bytes32[] memory);
}
