// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../interfaces/INodeRegistry.sol";
import {IStakingVault} from "../interfaces/IStakingVault.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title NodeRegistry
/// @notice See {INodeRegistry}.
contract NodeRegistry is INodeRegistry, AccessControlDefaultAdminRules {
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted [s].
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    /// @inheritdoc INodeRegistry
    uint256 public constant MAX_BATCH = 100; // [nodes] ≈ 117k gas each: ≈ 12M gas, well under a 30M block

    /// @notice The staking vault whose registered operators may register nodes.
    IStakingVault public immutable vault;

    mapping(bytes32 nodeId => Node) private _nodes;
    mapping(uint256 dealId => bytes32[]) private _dealNodes;

    /// @param vault_ The staking vault.
    /// @param admin DEFAULT_ADMIN_ROLE holder (may deactivate any node).
    constructor(IStakingVault vault_, address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        vault = vault_;
    }

    /// @inheritdoc INodeRegistry
    function registerNode(
        bytes32 nodeId,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) external {
        if (!vault.isOperator(msg.sender)) revert NotOperator(msg.sender);
        _register(nodeId, signer, dealId, assetClass, model, unitCount);
    }

    /// @inheritdoc INodeRegistry
    function registerNodes(NodeInput[] calldata nodes) external {
        if (!vault.isOperator(msg.sender)) revert NotOperator(msg.sender);
        uint256 n = nodes.length;
        if (n == 0 || n > MAX_BATCH) revert BadBatchSize(n, MAX_BATCH);
        for (uint256 i; i < n; ++i) {
            NodeInput calldata x = nodes[i];
            _register(x.nodeId, x.signer, x.dealId, x.assetClass, x.model, x.unitCount);
        }
    }

    /// @dev Records `nodeId` for the caller (already checked to be an operator).
    function _register(
        bytes32 nodeId,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) private {
        if (nodeId == bytes32(0)) revert ZeroNodeId();
        if (signer == address(0)) revert ZeroSigner();
        if (unitCount == 0) revert ZeroUnits();
        if (_nodes[nodeId].operator != address(0)) revert NodeExists(nodeId);
        _nodes[nodeId] = Node({
            operator: msg.sender,
            registeredAt: uint48(block.timestamp),
            deactivatedAt: 0,
            signer: signer,
            assetClass: assetClass,
            unitCount: unitCount,
            dealId: dealId,
            model: model
        });
        _dealNodes[dealId].push(nodeId);
        emit NodeRegistered(nodeId, msg.sender, dealId, signer, assetClass, model, unitCount);
    }

    /// @inheritdoc INodeRegistry
    function deactivateNode(bytes32 nodeId) external {
        Node storage n = _nodes[nodeId];
        if (n.operator == address(0)) revert UnknownNode(nodeId);
        if (n.deactivatedAt != 0) revert NodeInactive(nodeId);
        if (msg.sender != n.operator && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert NotNodeOperator(nodeId, msg.sender);
        }
        n.deactivatedAt = uint48(block.timestamp);
        emit NodeDeactivated(nodeId, msg.sender);
    }

    /// @inheritdoc INodeRegistry
    function getNode(bytes32 nodeId) external view returns (Node memory) {
        return _nodes[nodeId];
    }

    /// @inheritdoc INodeRegistry
    function signerOf(bytes32 nodeId) external view returns (address) {
        return _nodes[nodeId].signer;
    }

    /// @inheritdoc INodeRegistry
    function isActive(bytes32 nodeId) external view returns (bool) {
        Node storage n = _nodes[nodeId];
        return n.operator != address(0) && n.deactivatedAt == 0;
    }

    /// @inheritdoc INodeRegistry
    function nodesOfDeal(uint256 dealId) external view returns (bytes32[] memory) {
        return _dealNodes[dealId];
    }
}
