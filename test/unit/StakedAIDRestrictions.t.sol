// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice sAID restrictions: SOFT/FULL on owner, caller, spender and receiver; redistribution of locked holdings.
contract StakedAIDRestrictionsTest is StakedAIDTestBase {
    function setUp() public override {
        super.setUp();
        _stake(alice, 100e18);
        _stake(bob, 100e18);
    }

    function _fullError(address who) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, who, IStakedAID.Restriction.FULL);
    }

    function test_setRestriction_onlyManagerAndNotSelfOrZero() public {
        bytes32 role = sAID.RESTRICTION_MANAGER_ROLE();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        sAID.setRestriction(alice, IStakedAID.Restriction.FULL);
        vm.startPrank(restrictionManager);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.CannotRestrict.selector, address(0)));
        sAID.setRestriction(address(0), IStakedAID.Restriction.FULL);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.CannotRestrict.selector, address(sAID)));
        sAID.setRestriction(address(sAID), IStakedAID.Restriction.FULL);
        vm.expectEmit(address(sAID));
        emit IStakedAID.RestrictionSet(alice, IStakedAID.Restriction.FULL);
        sAID.setRestriction(alice, IStakedAID.Restriction.FULL);
        vm.stopPrank();
        assertEq(uint256(sAID.restrictionOf(alice)), uint256(IStakedAID.Restriction.FULL));
        assertEq(sAID.balanceOf(alice), 100e18, "balance untouched by the flag");
    }

    function test_transfer_fullSenderOrReceiverReverts() public {
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.prank(alice);
        vm.expectRevert(_fullError(alice));
        sAID.transfer(carol, 1e18);
        vm.prank(bob);
        vm.expectRevert(_fullError(alice));
        sAID.transfer(alice, 1e18);
    }

    function test_transfer_softRestrictedCanTransfer() public {
        _restrict(alice, IStakedAID.Restriction.SOFT);
        vm.prank(alice);
        sAID.transfer(carol, 1e18);
        assertEq(sAID.balanceOf(carol), 1e18);
    }

    function test_transferFrom_restrictedHolderViaApproval() public {
        vm.prank(alice);
        sAID.approve(carol, 50e18);
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.prank(carol);
        vm.expectRevert(_fullError(alice));
        sAID.transferFrom(alice, carol, 10e18);
    }

    function test_transferFrom_restrictedSpenderReverts() public {
        vm.prank(bob);
        sAID.approve(carol, 50e18);
        _restrict(carol, IStakedAID.Restriction.FULL);
        vm.prank(carol);
        vm.expectRevert(_fullError(carol));
        sAID.transferFrom(bob, dave, 10e18);
    }

    function test_approve_refusesFullOwnerOrSpender() public {
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.prank(alice);
        vm.expectRevert(_fullError(alice));
        sAID.approve(carol, 1);
        vm.prank(bob);
        vm.expectRevert(_fullError(alice));
        sAID.approve(alice, 1);
    }

    function test_redeem_restrictedOwnerCallerOrReceiverReverts() public {
        _setDelay(0);
        vm.prank(bob);
        sAID.approve(carol, 50e18);
        _restrict(carol, IStakedAID.Restriction.FULL);
        vm.prank(carol);
        vm.expectRevert(_fullError(carol));
        sAID.redeem(1e18, dave, bob);
        vm.prank(bob);
        vm.expectRevert(_fullError(carol));
        sAID.redeem(1e18, carol, bob);
        _restrict(bob, IStakedAID.Restriction.FULL);
        vm.prank(bob);
        vm.expectRevert(_fullError(bob));
        sAID.withdraw(1e18, bob, bob);
        assertEq(sAID.maxWithdraw(bob), 0);
        assertEq(sAID.maxRedeem(bob), 0);
    }

    function test_deposit_fullReceiverReverts() public {
        _restrict(carol, IStakedAID.Restriction.FULL);
        _fund(dave, 1e18);
        vm.startPrank(dave);
        aid.approve(address(sAID), 1e18);
        vm.expectRevert(_fullError(carol));
        sAID.deposit(1e18, carol);
        vm.expectRevert(_fullError(carol));
        sAID.mint(1e18, carol);
        vm.stopPrank();
    }

    function test_redistributeLockedAmount_movesSharesAndHeld() public {
        _unstake(alice, 30e18);
        _restrict(alice, IStakedAID.Restriction.FULL);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1);
        assertEq(sAID.heldOf(alice), 30e18);
        vm.expectEmit(address(sAID));
        emit IStakedAID.LockedAmountRedistributed(alice, dave, 70e18, 30e18);
        vm.prank(admin);
        sAID.redistributeLockedAmount(alice, dave);
        assertEq(sAID.balanceOf(alice), 0);
        assertEq(sAID.balanceOf(dave), 70e18);
        assertEq(aid.balanceOf(dave), 30e18);
        assertEq(sAID.heldOf(alice), 0);
        assertEq(sAID.totalSupply(), 170e18, "supply unchanged");
    }

    function test_redistributeLockedAmount_rejectsBadInput() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidRedistribution.selector, alice, dave));
        sAID.redistributeLockedAmount(alice, dave); // alice not restricted
        vm.stopPrank();
        _restrict(alice, IStakedAID.Restriction.FULL);
        _restrict(carol, IStakedAID.Restriction.SOFT);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidRedistribution.selector, alice, address(0)));
        sAID.redistributeLockedAmount(alice, address(0));
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidRedistribution.selector, alice, carol));
        sAID.redistributeLockedAmount(alice, carol);
        vm.stopPrank();
        vm.prank(restrictionManager);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, restrictionManager, 0)
        );
        sAID.redistributeLockedAmount(alice, dave);
    }
}
