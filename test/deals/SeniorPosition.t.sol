// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {SeniorPosition} from "../../src/deals/SeniorPosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {DealBase} from "./DealBase.sol";

/// @notice sAID invests idle AID into a gpuDeal's senior tranche through `SeniorPosition`, collects payments, is refunded
///         from a cancelled gpuDeal, and books the write-down of a late gpuDeal.
contract SeniorPositionTest is DealBase {
    GpuDeal internal gpuDeal;
    SeniorPosition internal position;

    function setUp() public override {
        super.setUp();
        gpuDeal = _create(_terms());
        position = new SeniorPosition(gpuDeal, address(aid), address(sAID));
        _allow(address(position));
        _giveAid(carol, 3_000_000e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 3_000_000e18);
        sAID.deposit(3_000_000e18, carol);
        vm.stopPrank();
        vm.startPrank(allocator);
        sAID.addPosition(address(position));
        sAID.allocate(address(position), SENIOR);
        vm.stopPrank();
    }

    function test_allocate_fundsSeniorTranche() public view {
        assertEq(gpuDeal.raised(0), SENIOR);
        assertEq(position.valueOf(address(sAID)), SENIOR);
        assertEq(position.valueOf(carol), 0);
        assertEq(sAID.bookedOf(address(position)), SENIOR);
    }

    function test_withdraw_onlyVault() public {
        vm.expectRevert(abi.encodeWithSelector(SeniorPosition.OnlyVault.selector, attacker));
        vm.prank(attacker);
        position.withdraw(1);
        vm.expectRevert(abi.encodeWithSelector(SeniorPosition.OnlyVault.selector, attacker));
        vm.prank(attacker);
        position.deposit(1);
    }

    function test_deallocate_collectsInterest() public {
        _fund(gpuDeal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
        vm.warp(gpuDeal.dueDate());
        uint256 valueBefore = position.valueOf(address(sAID));
        assertGt(valueBefore, SENIOR, "accrued senior interest counts");
        _repay(gpuDeal, borrower, _owedInterest(gpuDeal));
        uint256 paid = gpuDeal.claimable(IGpuDeal.Tranche.SENIOR, address(position));
        assertGt(paid, 0);
        assertEq(position.valueOf(address(sAID)), valueBefore, "a payment moves value from owed to claimable");
        uint256 idleBefore = sAID.idleAssets();
        vm.prank(allocator);
        uint256 received = sAID.deallocate(address(position), paid);
        assertEq(received, paid);
        assertEq(sAID.idleAssets(), idleBefore + paid);
        assertEq(position.valueOf(address(sAID)), valueBefore - paid);
    }

    function test_deallocate_refundOfCancelledDeal() public {
        vm.warp(gpuDeal.terms().fundingDeadline + 1);
        vm.prank(allocator);
        uint256 received = sAID.deallocate(address(position), SENIOR);
        assertEq(received, SENIOR);
        assertEq(sAID.bookedOf(address(position)), 0);
        assertEq(uint256(gpuDeal.state()), uint256(IGpuDeal.State.CANCELLED));
    }

    function test_bookLoss_lateDealWriteDown() public {
        _fund(gpuDeal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
        vm.warp(gpuDeal.dueDate() + 80 days);
        gpuDeal.markLate();
        uint256 value = position.valueOf(address(sAID));
        assertLt(value, SENIOR, "senior written down once the junior is gone");
        vm.prank(allocator);
        uint256 loss = sAID.bookLoss(address(position));
        assertEq(loss, SENIOR - value);
        assertEq(sAID.bookedOf(address(position)), value);
    }
}
