// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {SeniorPosition} from "../../src/deals/SeniorPosition.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
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
        vm.expectRevert(abi.encodeWithSelector(TranchePosition.OnlyVault.selector, attacker));
        vm.prank(attacker);
        position.withdraw(1);
        vm.expectRevert(abi.encodeWithSelector(TranchePosition.OnlyVault.selector, attacker));
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

    /// @dev sAID books what a position pays back against its cost first (interest included) and streams only the
    ///      excess over cost: collecting never moves NAV, and once the tranche is repaid NAV has gained exactly
    ///      everything received above the principal. Holders lose nothing, interest is only recognised later.
    function test_deallocate_costFirstKeepsNavThenRealisesAllInterest() public {
        _fund(gpuDeal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
        uint256 nav0 = sAID.totalAssets();
        uint256 received;
        while (gpuDeal.state() == IGpuDeal.State.ACTIVE) {
            vm.warp(gpuDeal.dueDate());
            bool last = gpuDeal.dueDate() == gpuDeal.maturity();
            _repay(gpuDeal, borrower, last ? _owedTotal(gpuDeal) : _owedInterest(gpuDeal));
            uint256 navBefore = sAID.totalAssets();
            vm.prank(allocator);
            received += sAID.deallocate(address(position), type(uint96).max);
            if (received < SENIOR) {
                assertEq(sAID.totalAssets(), navBefore, "collecting below cost leaves NAV unchanged");
                assertEq(sAID.bookedOf(address(position)), SENIOR - received, "received reduces the cost");
            }
        }
        assertEq(uint256(gpuDeal.state()), uint256(IGpuDeal.State.MATURED));
        assertEq(sAID.bookedOf(address(position)), 0);
        assertGt(received, SENIOR);
        vm.warp(block.timestamp + 365 days); // the realised interest has vested (APR-capped stream)
        assertEq(sAID.totalAssets(), nav0 + received - SENIOR, "NAV gains everything above the principal");
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

/// @notice The same adapter on a JUNIOR tranche: sAID funds the junior, collects the junior's payments, and books the
///         junior's first-loss write-down.
contract JuniorPositionTest is DealBase {
    GpuDeal internal gpuDeal;
    TranchePosition internal position;

    function setUp() public override {
        super.setUp();
        gpuDeal = _create(_terms());
        position = new TranchePosition(gpuDeal, IGpuDeal.Tranche.JUNIOR, address(aid), address(sAID));
        _allow(address(position));
        _giveAid(carol, 1_000_000e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 1_000_000e18);
        sAID.deposit(1_000_000e18, carol);
        vm.stopPrank();
        vm.startPrank(allocator);
        sAID.addPosition(address(position));
        sAID.allocate(address(position), JUNIOR);
        vm.stopPrank();
        _fund(gpuDeal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR);
    }

    function test_juniorPosition_collectsAndRealisesJuniorInterest() public {
        assertEq(position.token().balanceOf(address(position)), JUNIOR);
        assertEq(uint256(gpuDeal.state()), uint256(IGpuDeal.State.ACTIVE));
        vm.warp(gpuDeal.maturity());
        _repay(gpuDeal, borrower, _owedTotal(gpuDeal));
        uint256 due = gpuDeal.claimable(IGpuDeal.Tranche.JUNIOR, address(position));
        assertGt(due, JUNIOR);
        vm.prank(allocator);
        uint256 received = sAID.deallocate(address(position), type(uint96).max);
        assertEq(received, due);
        assertEq(sAID.bookedOf(address(position)), 0);
    }

    function test_juniorPosition_booksFirstLoss() public {
        vm.warp(gpuDeal.dueDate() + 40 days);
        gpuDeal.markLate();
        uint256 value = position.valueOf(address(sAID));
        assertLt(value, JUNIOR, "the junior is written down first");
        assertEq(value, gpuDeal.trancheValue(IGpuDeal.Tranche.JUNIOR));
        vm.prank(allocator);
        uint256 loss = sAID.bookLoss(address(position));
        assertEq(loss, JUNIOR - value);
    }
}
