// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Unit tests of every NodeRegistry entry point and custom error.
contract NodeRegistryTest is NodesBase {
    bytes32 internal constant NEW_LABEL = bytes32("node-new");
    bytes32 internal newId;

    function setUp() public override {
        super.setUp();
        newId = registry.nodeIdOf(op2, NEW_LABEL);
    }

    function test_registerNode_recordsAndLists() public {
        _approve(DEAL_B, newId);
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeRegistered(newId, op2, DEAL_B, dave, 2, bytes32("robot-x"), 50);
        vm.prank(op2);
        assertEq(registry.registerNode(NEW_LABEL, dave, DEAL_B, 2, bytes32("robot-x"), 50), newId);
        INodeRegistry.Node memory n = registry.getNode(newId);
        assertEq(n.operator, op2);
        assertEq(n.signer, dave);
        assertEq(n.dealId, DEAL_B);
        assertEq(n.assetClass, 2);
        assertEq(n.model, bytes32("robot-x"));
        assertEq(n.unitCount, 50);
        assertEq(n.registeredAt, block.timestamp);
        assertEq(n.deactivatedAt, 0);
        assertEq(registry.signerOf(newId), dave);
        assertTrue(registry.isActive(newId));
        bytes32[] memory ids = registry.nodesOfDeal(DEAL_B);
        assertEq(ids.length, 2);
        assertEq(ids[1], newId);
        assertEq(registry.activeNodesOfDeal(DEAL_B).length, 2);
        assertEq(address(registry.vault()), address(vault));
        assertEq(registry.dealFactory(), address(dealBook));
    }

    function test_nodeIdOf_namespacedByOperator() public view {
        assertEq(registry.nodeIdOf(op1, "x"), keccak256(abi.encode(op1, bytes32("x"))));
        assertTrue(registry.nodeIdOf(op1, "x") != registry.nodeIdOf(op2, "x"));
    }

    function test_approveNodes_byUnderwriterOrBorrower_andRevoke() public {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = newId;
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeApproval(DEAL_B, newId, borrower, true);
        vm.prank(borrower);
        registry.approveNodes(DEAL_B, ids, true);
        assertTrue(registry.isApproved(DEAL_B, newId));
        vm.prank(underwriter);
        registry.approveNodes(DEAL_B, ids, false);
        assertFalse(registry.isApproved(DEAL_B, newId));
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeNotApproved.selector, DEAL_B, newId));
        vm.prank(op2);
        registry.registerNode(NEW_LABEL, dave, DEAL_B, GPU, H100, 8);
    }

    function test_approveNodes_revertsWhen_badInput() public {
        bytes32[] memory ids = new bytes32[](1);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotDealParty.selector, DEAL_B, attacker));
        vm.prank(attacker);
        registry.approveNodes(DEAL_B, ids, true);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownDeal.selector, 0));
        vm.prank(underwriter);
        registry.approveNodes(0, ids, true);
        uint256 max = registry.MAX_BATCH();
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.BadBatchSize.selector, 0, max));
        vm.prank(underwriter);
        registry.approveNodes(DEAL_B, new bytes32[](0), true);
    }

    function test_setDealFactory_onceByAdmin() public {
        vm.expectRevert(INodeRegistry.DealFactoryLocked.selector);
        vm.prank(admin);
        registry.setDealFactory(address(1));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0))
        );
        vm.prank(attacker);
        registry.setDealFactory(address(1));
        assertEq(registry.dealFactory(), address(dealBook));
    }

    function test_registerNode_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NotOperator.selector, alice));
        vm.prank(alice);
        registry.registerNode(NEW_LABEL, dave, DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroNodeId() public {
        vm.expectRevert(INodeRegistry.ZeroNodeId.selector);
        vm.prank(op1);
        registry.registerNode(bytes32(0), dave, DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroSigner() public {
        vm.expectRevert(INodeRegistry.ZeroSigner.selector);
        vm.prank(op1);
        registry.registerNode(NEW_LABEL, address(0), DEAL_A, GPU, H100, 8);
    }

    function test_registerNode_revertsWhen_zeroUnits() public {
        vm.expectRevert(INodeRegistry.ZeroUnits.selector);
        vm.prank(op1);
        registry.registerNode(NEW_LABEL, dave, DEAL_A, GPU, H100, 0);
    }

    function test_registerNode_revertsWhen_exists_evenAfterDeactivation() public {
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, nodeIds[0]));
        vm.prank(op1);
        registry.registerNode(labels[0], dave, DEAL_A, GPU, H100, 8);
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        assertEq(registry.activeNodesOfDeal(DEAL_A).length, 2, "slot freed");
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, nodeIds[0]));
        vm.prank(op1);
        registry.registerNode(labels[0], dave, 0, GPU, H100, 8);
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
        bytes32[] memory active = registry.activeNodesOfDeal(DEAL_A);
        assertEq(active.length, 2);
        assertTrue(active[0] != nodeIds[0] && active[1] != nodeIds[0]);
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
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.UnknownNode.selector, newId));
        vm.prank(op1);
        registry.deactivateNode(newId);
    }

    function test_deactivateNode_revertsWhen_inactive() public {
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeInactive.selector, nodeIds[0]));
        vm.prank(op1);
        registry.deactivateNode(nodeIds[0]);
    }

    function test_views_unknownNode() public view {
        assertEq(registry.getNode(newId).operator, address(0));
        assertEq(registry.signerOf(newId), address(0));
        assertFalse(registry.isActive(newId));
        assertEq(registry.nodesOfDeal(999).length, 0);
    }

    // ================================================================ batch

    function _batch(uint256 n, uint256 salt) internal pure returns (INodeRegistry.NodeInput[] memory b) {
        b = new INodeRegistry.NodeInput[](n);
        for (uint256 i; i < n; ++i) {
            b[i] = INodeRegistry.NodeInput({
                label: keccak256(abi.encode("batch", salt, i)),
                signer: address(uint160(uint256(keccak256(abi.encode("signer", salt, i))))),
                dealId: i % 2 == 0 ? DEAL_B : 0,
                assetClass: GPU,
                model: H100,
                unitCount: uint32(1 + (i % 8))
            });
        }
    }

    /// @dev The deal's underwriter approves `op`'s nodes of batch `b`.
    function _approveBatch(address op, INodeRegistry.NodeInput[] memory b) internal {
        bytes32[] memory ids = new bytes32[](b.length);
        for (uint256 i; i < b.length; ++i) {
            ids[i] = registry.nodeIdOf(op, b[i].label);
        }
        vm.prank(underwriter);
        registry.approveNodes(DEAL_B, ids, true);
    }

    function testFuzz_registerNodes_recordsEveryNode(uint256 n, uint256 salt) public {
        n = bound(n, 1, 40);
        INodeRegistry.NodeInput[] memory b = _batch(n, salt);
        _approveBatch(op2, b);
        uint256 dealBBefore = registry.nodesOfDeal(DEAL_B).length;
        vm.expectEmit(address(registry));
        emit INodeRegistry.NodeRegistered(
            registry.nodeIdOf(op2, b[0].label), op2, b[0].dealId, b[0].signer, GPU, H100, b[0].unitCount
        );
        vm.prank(op2);
        registry.registerNodes(b);
        uint256 inDealB;
        for (uint256 i; i < n; ++i) {
            INodeRegistry.Node memory x = registry.getNode(registry.nodeIdOf(op2, b[i].label));
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
        _approveBatch(op1, b);
        b[2].label = b[0].label;
        bytes32 id0 = registry.nodeIdOf(op1, b[0].label);
        vm.expectRevert(abi.encodeWithSelector(INodeRegistry.NodeExists.selector, id0));
        vm.prank(op1);
        registry.registerNodes(b);
        assertEq(registry.getNode(id0).operator, address(0));
        b[2] = _batch(1, 4)[0];
        b[2].signer = address(0);
        vm.expectRevert(INodeRegistry.ZeroSigner.selector);
        vm.prank(op1);
        registry.registerNodes(b);
        assertEq(registry.getNode(registry.nodeIdOf(op1, b[1].label)).operator, address(0));
    }

    /// @dev A full batch (90 of its nodes on a deal: approval check and active-list slot) fits in one transaction
    ///      under EIP-7825's per-transaction cap of 2^24 gas.
    function test_registerNodes_maxBatch_fitsInBlock() public {
        INodeRegistry.NodeInput[] memory b = _batch(registry.MAX_BATCH(), 5);
        for (uint256 i; i < b.length; ++i) {
            b[i].dealId = i < 90 ? DEAL_B : 0; // DEAL_B has 1 node: 91 ≤ MAX_NODES_PER_DEAL
        }
        _approveBatch(op3, b);
        vm.prank(op3);
        uint256 gasBefore = gasleft();
        registry.registerNodes(b);
        uint256 used = gasBefore - gasleft();
        assertLt(used, 1 << 24, "under the EIP-7825 transaction gas cap");
        assertEq(registry.getNode(registry.nodeIdOf(op3, b[b.length - 1].label)).operator, op3);
    }
}
