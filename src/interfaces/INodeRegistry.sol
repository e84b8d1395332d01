// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title INodeRegistry
/// @notice Registry of the nodes (GPU hosts, or robot fleets: asset-agnostic) whose telemetry the oracle accepts.
///         A node is (nodeId, signer key, operator, dealId, asset class, model, unit count). Registered operators
///         register nodes for deals; a node can be deactivated by its operator or the admin, which keeps its record
///         (history: past reports stay verifiable) and frees nothing: a node id is never reused.
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
        bytes32 nodeId;
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

    /// @notice Thrown when the caller is not a registered operator of the staking vault.
    error NotOperator(address account);
    /// @notice Thrown when a node id is zero.
    error ZeroNodeId();
    /// @notice Thrown when a signer is the zero address.
    error ZeroSigner();
    /// @notice Thrown when a node is registered with zero units.
    error ZeroUnits();
    /// @notice Thrown when `nodeId` was registered before (ids are never reused).
    error NodeExists(bytes32 nodeId);
    /// @notice Thrown when a batch registration is empty or longer than MAX_BATCH.
    error BadBatchSize(uint256 size, uint256 max);
    /// @notice Thrown when `nodeId` was never registered.
    error UnknownNode(bytes32 nodeId);
    /// @notice Thrown when `nodeId` is already deactivated.
    error NodeInactive(bytes32 nodeId);
    /// @notice Thrown when someone other than the node's operator or the admin deactivates it.
    error NotNodeOperator(bytes32 nodeId, address caller);

    /// @notice Registers `nodeId` for `dealId`, run by the caller (a registered operator).
    function registerNode(
        bytes32 nodeId,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) external;

    /// @notice Registers every node of `nodes` (1 .. MAX_BATCH of them) for the caller, as `registerNode` would one
    ///         by one; all or nothing (any bad entry, or an id repeated in the batch, reverts the whole batch).
    function registerNodes(NodeInput[] calldata nodes) external;

    /// @notice Most nodes `registerNodes` takes in one call.
    function MAX_BATCH() external view returns (uint256);

    /// @notice Deactivates `nodeId` (its operator or the admin); the record is kept.
    function deactivateNode(bytes32 nodeId) external;

    /// @notice The record of `nodeId` (zero operator when unknown).
    function getNode(bytes32 nodeId) external view returns (Node memory);
    /// @notice The signer key of `nodeId` (zero when unknown).
    function signerOf(bytes32 nodeId) external view returns (address);
    /// @notice Whether `nodeId` is registered and not deactivated.
    function isActive(bytes32 nodeId) external view returns (bool);
    /// @notice Every node ever registered for `dealId` (active or not).
    function nodesOfDeal(uint256 dealId) external view returns (bytes32[] memory);
}
