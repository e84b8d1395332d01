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

    // ================================================================ batch

    function _batch(uint256 n, uint256 salt) internal pure returns (INodeRegistry.NodeInput[] memory b) {
        b = new INodeRegistry.NodeInput[](n);
        for (uint256 i; i < n; ++i) {
            b[i] = INodeRegistry.NodeInput({
                nodeId: keccak256(abi.encode("batch", salt, i)),
                signer: address(uint160(uint256(keccak256(abi.encode("signer", salt, i))))),
                dealId: DEAL_B + (i % 2),
                assetClass: GPU,
                model: H100,
                unitCount: uint32(1 + (i % 8))
            });
        }
    }

    function testFuzz_registerNodes_recordsEveryNode(uint256 n, uint256 salt) public {
        n = bound(n, 1, 40);
        INodeRegistry.NodeInput[] memory b = _batch(n, salt);
        uint256 dealBBefore = registry.nodesOfDeal(DEAL_B).length;
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeRegistered(b[0].nodeId, op2, b[0].dealId, b[0].signer, GPU, H100, b[0].unitCount);
        vm.prank(op2);
        registry.registerNodes(b);
        uint256 inDealB;
        for (uint256 i; i < n; ++i) {
            INodeRegistry.Node memory x = registry.getNode(b[i].nodeId);
            assertEq(x.operator, op2);
            assertEq(x.signer, b[i].signer);
            assertEq(x.dealId, b[i].dealId);
            assertEq(x.unitCount, b[i].unitCount);
            assertEq(x.registeredAt, block.timestamp);
            if (b[i].dealId == DEAL_B) ++inDealB;
        }
        assertEq(registry.nodesOfDeal(DEAL_B).length, dealBBefore + inDealB);
    }

    function test_registerNodes_revertsWhen_badSize() public {
        uint256 max = registry.MAX_BATCH();
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.BadBatchSize.selector, 0, max));
        vm.prank(op1);
        registry.registerNodes(new INodeRegistry.NodeInput[](0));
        INodeRegistry.NodeInput[] memory tooMany = _batch(max + 1, 1);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.BadBatchSize.selector, max + 1, max));
        vm.prank(op1);
        registry.registerNodes(tooMany);
    }

    function test_registerNodes_revertsWhen_notOperator() public {
        INodeRegistry.NodeInput[] memory b = _batch(2, 2);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotOperator.selector, alice));
        vm.prank(alice);
        registry.registerNodes(b);
    }

    /// @dev A repeated id (or any bad entry) reverts the whole batch: the entries before it are not kept.
    function test_registerNodes_revertsWhen_duplicateInBatch_allOrNothing() public {
        INodeRegistry.NodeInput[] memory b = _batch(3, 3);
        b[2].nodeId = b[0].nodeId;
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, b[0].nodeId));
        vm.prank(op1);
        registry.registerNodes(b);
        assertEq(registry.getNode(b[0].nodeId).operator, address(0));
        b[2] = _batch(1, 4)[0];
        b[2].signer = address(0);
        vm.expectRevert(INodeRegistry.ZeroSigner.selector);
        vm.prank(op1);
        registry.registerNodes(b);
        assertEq(registry.getNode(b[1].nodeId).operator, address(0));
    }

    /// @dev A full batch fits comfortably in a 30M-gas block.
    function test_registerNodes_maxBatch_fitsInBlock() public {
        INodeRegistry.NodeInput[] memory b = _batch(registry.MAX_BATCH(), 5);
        vm.prank(op3);
        uint256 gasBefore = gasleft();
        registry.registerNodes(b);
        uint256 used = gasBefore - gasleft();
        assertLt(used, 30_000_000 / 2, "under half a block");
        assertEq(registry.getNode(b[b.length - 1].nodeId).operator, op3);
    }
}
