// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealFactory} from "../interfaces/IDealFactory.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
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
    uint256 public constant MAX_BATCH = 100; // [nodes] ≤ ≈ 156k gas each (on a deal): < 2^24, EIP-7825's tx cap
    /// @inheritdoc INodeRegistry
    uint256 public constant MAX_NODES_PER_DEAL = 100; // [nodes] the oracle's liveness walk: ≈ 25k gas each

    /// @notice The staking vault whose registered operators may register nodes.
    IStakingVault public immutable vault;
    /// @inheritdoc INodeRegistry
    address public dealFactory;

    mapping(bytes32 nodeId => Node) private _nodes;
    mapping(uint256 dealId => bytes32[]) private _dealNodes;
    mapping(uint256 dealId => bytes32[]) private _dealActive;
    mapping(bytes32 nodeId => uint256 position) private _activePos; // index in _dealActive + 1 (0: not listed)
    mapping(uint256 dealId => mapping(bytes32 nodeId => bool)) private _approved;

    /// @param vault_ The staking vault.
    /// @param admin DEFAULT_ADMIN_ROLE holder (may deactivate any node, sets the deal factory once).
    constructor(IStakingVault vault_, address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        vault = vault_;
    }

    /// @inheritdoc INodeRegistry
    function setDealFactory(address dealFactory_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (dealFactory_ == address(0) || dealFactory != address(0)) revert DealFactoryLocked();
        dealFactory = dealFactory_;
        emit DealFactorySet(dealFactory_);
    }

    /// @inheritdoc INodeRegistry
    function approveNodes(uint256 dealId, bytes32[] calldata nodeIds, bool approved) external {
        uint256 n = nodeIds.length;
        if (n == 0 || n > MAX_BATCH) revert BadBatchSize(n, MAX_BATCH);
        address deal = dealFactory == address(0) || dealId == 0 ? address(0) : IDealFactory(dealFactory).deals(dealId);
        if (deal == address(0)) revert UnknownDeal(dealId);
        IGpuDeal.Terms memory t = IGpuDeal(deal).terms();
        if (msg.sender != t.underwriter && msg.sender != t.borrower) revert NotDealParty(dealId, msg.sender);
        for (uint256 i; i < n; ++i) {
            _approved[dealId][nodeIds[i]] = approved;
            emit NodeApproval(dealId, nodeIds[i], msg.sender, approved);
        }
    }

    /// @inheritdoc INodeRegistry
    function registerNode(
        bytes32 label,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) external returns (bytes32 nodeId) {
        if (!vault.isOperator(msg.sender)) revert NotOperator(msg.sender);
        nodeId = _register(label, signer, dealId, assetClass, model, unitCount);
    }

    /// @inheritdoc INodeRegistry
    function registerNodes(NodeInput[] calldata nodes) external {
        if (!vault.isOperator(msg.sender)) revert NotOperator(msg.sender);
        uint256 n = nodes.length;
        if (n == 0 || n > MAX_BATCH) revert BadBatchSize(n, MAX_BATCH);
        for (uint256 i; i < n; ++i) {
            NodeInput calldata x = nodes[i];
            _register(x.label, x.signer, x.dealId, x.assetClass, x.model, x.unitCount);
        }
    }

    /// @dev Records `nodeIdOf(msg.sender, label)` for the caller (already checked to be an operator).
    function _register(
        bytes32 label,
        address signer,
        uint256 dealId,
        uint16 assetClass,
        bytes32 model,
        uint32 unitCount
    ) private returns (bytes32 nodeId) {
        if (label == bytes32(0)) revert ZeroNodeId();
        if (signer == address(0)) revert ZeroSigner();
        if (unitCount == 0) revert ZeroUnits();
        nodeId = nodeIdOf(msg.sender, label);
        if (_nodes[nodeId].operator != address(0)) revert NodeExists(nodeId);
        if (dealId != 0) {
            if (!_approved[dealId][nodeId]) revert NodeNotApproved(dealId, nodeId);
            bytes32[] storage active = _dealActive[dealId];
            if (active.length >= MAX_NODES_PER_DEAL) revert DealFull(dealId, MAX_NODES_PER_DEAL);
            active.push(nodeId);
            _activePos[nodeId] = active.length;
        }
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
        uint256 pos = _activePos[nodeId];
        if (pos != 0) {
            bytes32[] storage active = _dealActive[n.dealId];
            bytes32 last = active[active.length - 1];
            active[pos - 1] = last;
            _activePos[last] = pos;
            active.pop();
            delete _activePos[nodeId];
        }
        emit NodeDeactivated(nodeId, msg.sender);
    }

    /// @inheritdoc INodeRegistry
    function nodeIdOf(address operator, bytes32 label) public pure returns (bytes32) {
        return keccak256(abi.encode(operator, label));
    }

    /// @inheritdoc INodeRegistry
    function isApproved(uint256 dealId, bytes32 nodeId) external view returns (bool) {
        return _approved[dealId][nodeId];
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

    /// @inheritdoc INodeRegistry
    function activeNodesOfDeal(uint256 dealId) external view returns (bytes32[] memory) {
        return _dealActive[dealId];
    }
}
