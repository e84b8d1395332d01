// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {NodesBase} from "../staking/NodesBase.sol";

/// @notice Unit tests of every NodeRegistry entry point and custom error.
contract NodeRegistryTest is NodesBase {
    bytes32 internal constant NEW_ID = bytes32("node-new");

    function test_registerNode_recordsAndLists() public {
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeRegistered(NEW_ID, op2, DEAL_B, dave, 2, bytes32("robot-x"), 50);
        vm.prank(op2);
        registry.registerNode(NEW_ID, dave, DEAL_B, 2, bytes32("robot-x"), 50);
        INodeRegistry.Node memory n = registry.getNode(NEW_ID);
        assertEq(n.operator, op2);
        assertEq(n.signer, dave);
        assertEq(n.dealId, DEAL_B);
        assertEq(n.assetClass, 2);
        assertEq(n.model, bytes32("robot-x"));
        assertEq(n.unitCount, 50);
        assertEq(n.registeredAt, block.timestamp);
        assertEq(n.deactivatedAt, 0);
        assertEq(registry.signerOf(NEW_ID), dave);
        assertTrue(registry.isActive(NEW_ID));
        bytes32[] memory ids = registry.nodesOfDeal(DEAL_B);
        assertEq(ids.length, 2);
        assertEq(ids[1], NEW_ID);
        assertEq(address(registry.vault()), address(vault));
    }

    function test_registerNode_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotOperator.selector, alice));
        vm.prank(alice);
        registry.registerNode(NEW_ID, dave, DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroNodeId() public {
        vm.expectRevert(INodeRegistry.ZeroNodeId.selector);
        vm.prank(op1);
        registry.registerNode(bytes32(0), dave, DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroSigner() public {
        vm.expectRevert(INodeRegistry.ZeroSigner.selector);
        vm.prank(op1);
        registry.registerNode(NEW_ID, address(0), DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroUnits() public {
        vm.expectRevert(INodeRegistry.ZeroUnits.selector);
        vm.prank(op1);
        registry.registerNode(NEW_ID, dave, DEAL_A, GPU, H100, 0);
    }

    function test_registerNode_revertsWhen_exists_evenAfterDeactivation() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, nodeIds[0]));
        vm.prank(op2);
        registry.registerNode(nodeIds[0], dave, DEAL_A, GPU, H100, 8);
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, nodeIds[0]));
        vm.prank(op1);
        registry.registerNode(nodeIds[0], dave, DEAL_A, GPU, H100, 8);
    }

    function test_deactivateNode_byOperator_keepsHistory() public {
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeDeactivated(nodeIds[0], op1);
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        assertFalse(registry.isActive(nodeIds[0]));
        INodeRegistry.Node memory n = registry.getNode(nodeIds[0]);
        assertEq(n.deactivatedAt, block.timestamp);
        assertEq(n.signer, nodeSigners[0], "history kept");
        assertEq(registry.nodesOfDeal(DEAL_A).length, 3);
    }

    function test_deactivateNode_byAdmin() public {
        vm.prank(admin);
        registry.deactivateNode(nodeIds[3]);
        assertFalse(registry.isActive(nodeIds[3]));
    }

    function test_deactivateNode_revertsWhen_notNodeOperator() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotNodeOperator.selector, nodeIds[0], op2));
        vm.prank(op2);
        registry.deactivateNode(nodeIds[0]);
    }

    function test_deactivateNode_revertsWhen_unknown() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, NEW_ID));
        vm.prank(op1);
        registry.deactivateNode(NEW_ID);
    }

    function test_deactivateNode_revertsWhen_inactive() public {
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeInactive.selector, nodeIds[0]));
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
    }

    function test_views_unknownNode() public view {
        assertEq(registry.getNode(NEW_ID).operator, address(0));
        assertEq(registry.signerOf(NEW_ID), address(0));
        assertFalse(registry.isActive(NEW_ID));
        assertEq(registry.nodesOfDeal(999).length, 0);
    }
}
