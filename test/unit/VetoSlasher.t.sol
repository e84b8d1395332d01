// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {VetoSlasher} from "../../src/staking/VetoSlasher.sol";
import {StakingBase} from "../staking/StakingBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Unit tests of every VetoSlasher entry point and custom error.
contract VetoSlasherTest is StakingBase {
    function setUp() public override {
        super.setUp();
        _activeOperator(op1);
        _stake(alice, op1, 90_000e18); // op1 holds 100k
    }

    // ================================================================ constructor and roles

    function test_constructor_setsParameters() public view {
        assertEq(address(slasher.vault()), address(vault));
        assertEq(slasher.vetoWindow(), 2 days);
        assertEq(slasher.insuranceFund(), insurance);
        assertEq(slasher.resolver(), resolver);
        assertTrue(slasher.hasRole(slasher.VETOER_ROLE(), resolver));
        assertTrue(slasher.hasRole(slasher.SLASHER_ROLE(), slashAgent));
        assertEq(slasher.SLASHER_ROLE(), keccak256("SLASHER_ROLE"));
        assertEq(slasher.VETOER_ROLE(), keccak256("VETOER_ROLE"));
        assertEq(slasher.PARAM_DELAY(), 7 days);
        assertEq(slasher.MIN_VETO_WINDOW(), 1 days);
        assertEq(slasher.MAX_VETO_WINDOW(), 7 days);
        assertEq(slasher.requestCount(), 0);
    }

    function test_constructor_revertsWhen_zeroAddress() public {
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        new VetoSlasher(IStakingVault(address(vault)), admin, address(0), resolver);
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        new VetoSlasher(IStakingVault(address(vault)), admin, insurance, address(0));
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        new VetoSlasher(IStakingVault(address(0)), admin, insurance, resolver);
    }

    // ================================================================ requestSlash

    function test_requestSlash_recordsAndFreezes() public {
        bytes32 evidence = keccak256("double-sign");
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.SlashRequested(1, op1, evidence, 5000e18, block.timestamp, 100_000e18, block.timestamp + VETO);
        vm.prank(slashAgent);
        uint256 id = slasher.requestSlash(op1, evidence, 5000e18, block.timestamp);
        IVetoSlasher.SlashRequest memory r = slasher.getRequest(id);
        assertEq(r.operator, op1);
        assertEq(r.requested, 5000e18);
        assertEq(r.slashableAtCapture, 100_000e18);
        assertEq(r.vetoDeadline, block.timestamp + VETO);
        assertEq(uint8(r.status), uint8(IVetoSlasher.Status.Pending));
        assertEq(r.evidence, evidence);
        assertEq(vault.pendingSlashes(op1), 1);
        assertEq(slasher.requestCount(), 1);
    }

    function test_requestSlash_pastCapture_readsCheckpoint() public {
        uint256 t0 = block.timestamp;
        vm.warp(t0 + 1 hours);
        _stake(bob, op1, 50_000e18); // after the capture: not in the cap
        uint256 id = _requestSlash(op1, 1_000_000e18, t0);
        assertEq(slasher.getRequest(id).slashableAtCapture, 100_000e18);
        assertEq(slasher.getRequest(id).captureTime, t0);
    }

    function test_requestSlash_revertsWhen_zeroAmount() public {
        vm.expectRevert(IVetoSlasher.ZeroAmount.selector);
        vm.prank(slashAgent);
        slasher.requestSlash(op1, bytes32(0), 0, block.timestamp);
        assertEq(vault.pendingSlashes(op1), 0);
    }

    function test_requestSlash_revertsWhen_notSlasher() public {
        bytes32 role = slasher.SLASHER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        vm.prank(attacker);
        slasher.requestSlash(op1, bytes32(0), 1, block.timestamp);
    }

    function test_requestSlash_revertsWhen_captureTooOld() public {
        uint256 t = block.timestamp - 1 days - 1;
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.CaptureTooOld.selector, t, block.timestamp - 1 days));
        _requestSlash(op1, 1, t);
    }

    function test_requestSlash_revertsWhen_notOperator() public {
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.NotOperator.selector, bob));
        _requestSlash(bob, 1, block.timestamp);
    }

    // ================================================================ vetoSlash

    function test_vetoSlash_cancelsAndUnfreezes() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        vm.warp(block.timestamp + VETO - 1);
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.SlashVetoed(id, resolver);
        vm.prank(resolver);
        slasher.vetoSlash(id);
        assertEq(uint8(slasher.getRequest(id).status), uint8(IVetoSlasher.Status.Vetoed));
        assertEq(vault.pendingSlashes(op1), 0);
        assertEq(_poolTotal(op1), 100_000e18, "nothing slashed");
    }

    function test_vetoSlash_revertsWhen_windowClosed() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        uint256 deadline = block.timestamp + VETO;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.VetoWindowClosed.selector, id, deadline));
        vm.prank(resolver);
        slasher.vetoSlash(id);
    }

    function test_vetoSlash_revertsWhen_notVetoer() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        bytes32 role = slasher.VETOER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        vm.prank(attacker);
        slasher.vetoSlash(id);
    }

    function test_vetoSlash_revertsWhen_unknown() public {
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.UnknownRequest.selector, 9));
        vm.prank(resolver);
        slasher.vetoSlash(9);
    }

    function test_vetoSlash_revertsWhen_notPending() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        vm.prank(resolver);
        slasher.vetoSlash(id);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.NotPending.selector, id, IVetoSlasher.Status.Vetoed));
        vm.prank(resolver);
        slasher.vetoSlash(id);
    }

    // ================================================================ executeSlash

    function test_executeSlash_afterWindow_anyone_toInsurance() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        vm.warp(block.timestamp + VETO);
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.SlashExecuted(id, op1, 5000e18);
        vm.prank(dave);
        uint256 slashed = slasher.executeSlash(id);
        assertEq(slashed, 5000e18);
        assertEq(gaib.balanceOf(insurance), 5000e18);
        assertEq(slasher.getRequest(id).executed, 5000e18);
        assertEq(uint8(slasher.getRequest(id).status), uint8(IVetoSlasher.Status.Executed));
        assertEq(vault.pendingSlashes(op1), 0);
        assertEq(_poolTotal(op1), 95_000e18);
    }

    function test_executeSlash_cappedAtSlashableAtCapture() public {
        uint256 capture = block.timestamp;
        vm.warp(block.timestamp + 1 hours);
        _stake(bob, op1, 500_000e18); // joins after the capture (before the request: no stake joins while pending)
        uint256 id = _requestSlash(op1, 1_000_000e18, capture);
        vm.warp(block.timestamp + VETO);
        uint256 slashed = slasher.executeSlash(id);
        assertEq(slashed, 100_000e18, "min(requested, slashable at capture)");
        assertEq(gaib.balanceOf(insurance), 100_000e18);
    }

    function test_executeSlash_revertsWhen_windowOpen() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        uint256 deadline = block.timestamp + VETO;
        vm.warp(deadline - 1);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.VetoWindowOpen.selector, id, deadline));
        slasher.executeSlash(id);
    }

    function test_executeSlash_revertsWhen_executedTwice() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.NotPending.selector, id, IVetoSlasher.Status.Executed));
        slasher.executeSlash(id);
        assertEq(gaib.balanceOf(insurance), 5000e18);
    }

    function test_executeSlash_revertsWhen_vetoed() public {
        uint256 id = _requestSlash(op1, 5000e18, block.timestamp);
        vm.prank(resolver);
        slasher.vetoSlash(id);
        vm.warp(block.timestamp + VETO);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.NotPending.selector, id, IVetoSlasher.Status.Vetoed));
        slasher.executeSlash(id);
    }

    function test_executeSlash_revertsWhen_unknown() public {
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.UnknownRequest.selector, 3));
        slasher.executeSlash(3);
    }

    // ================================================================ timelocked parameters

    function test_scheduleVetoWindow_delayed_pendingRequestsKeepDeadline() public {
        uint256 id = _requestSlash(op1, 1e18, block.timestamp);
        uint256 deadline = slasher.getRequest(id).vetoDeadline;
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.VetoWindowScheduled(1 days, block.timestamp + 7 days);
        vm.prank(admin);
        slasher.scheduleVetoWindow(1 days);
        (uint256 v, uint256 at) = slasher.pendingVetoWindow();
        assertEq(v, 1 days);
        assertEq(at, block.timestamp + 7 days);
        assertEq(slasher.vetoWindow(), 2 days);
        vm.warp(at);
        assertEq(slasher.vetoWindow(), 1 days);
        (v, at) = slasher.pendingVetoWindow();
        assertEq(v, 0);
        assertEq(slasher.getRequest(id).vetoDeadline, deadline);
        uint256 id2 = _requestSlash(op1, 1e18, block.timestamp);
        assertEq(slasher.getRequest(id2).vetoDeadline, block.timestamp + 1 days);
    }

    function test_scheduleVetoWindow_revertsWhen_outOfBounds() public {
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.VetoWindowOutOfBounds.selector, 1 days - 1));
        vm.prank(admin);
        slasher.scheduleVetoWindow(1 days - 1);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.VetoWindowOutOfBounds.selector, 7 days + 1));
        vm.prank(admin);
        slasher.scheduleVetoWindow(7 days + 1);
    }

    function test_scheduleVetoWindow_revertsWhen_notAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0))
        );
        vm.prank(attacker);
        slasher.scheduleVetoWindow(3 days);
    }

    function test_scheduleInsuranceFund_delayed() public {
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.InsuranceFundScheduled(dave, block.timestamp + 7 days);
        vm.prank(admin);
        slasher.scheduleInsuranceFund(dave);
        (address v, uint256 at) = slasher.pendingInsuranceFund();
        assertEq(v, dave);
        assertEq(slasher.insuranceFund(), insurance);
        vm.warp(at);
        assertEq(slasher.insuranceFund(), dave);
    }

    function test_scheduleInsuranceFund_revertsWhen_zero() public {
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        vm.prank(admin);
        slasher.scheduleInsuranceFund(address(0));
    }

    function test_scheduleResolver_thenApply_movesRole() public {
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.ResolverScheduled(dave, block.timestamp + 7 days);
        vm.prank(admin);
        slasher.scheduleResolver(dave);
        (address v, uint256 at) = slasher.pendingResolver();
        assertEq(v, dave);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.ResolverNotReady.selector, at));
        slasher.applyResolver();
        vm.warp(at);
        vm.expectEmit(address(slasher));
        emit IVetoSlasher.ResolverApplied(resolver, dave);
        slasher.applyResolver();
        assertEq(slasher.resolver(), dave);
        assertTrue(slasher.hasRole(slasher.VETOER_ROLE(), dave));
        assertFalse(slasher.hasRole(slasher.VETOER_ROLE(), resolver));
        vm.expectRevert(IVetoSlasher.NoPendingResolver.selector);
        slasher.applyResolver();
    }

    function test_scheduleResolver_revertsWhen_zero() public {
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        vm.prank(admin);
        slasher.scheduleResolver(address(0));
    }

    function test_applyResolver_revertsWhen_nothingScheduled() public {
        vm.expectRevert(IVetoSlasher.NoPendingResolver.selector);
        slasher.applyResolver();
    }

    function test_grantRole_revertsWhen_vetoerRole() public {
        bytes32 role = slasher.VETOER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.RoleManagedByTimelock.selector, role));
        vm.prank(admin);
        slasher.grantRole(role, attacker);
    }

    function test_revokeRole_revertsWhen_vetoerRole() public {
        bytes32 role = slasher.VETOER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.RoleManagedByTimelock.selector, role));
        vm.prank(admin);
        slasher.revokeRole(role, resolver);
        assertTrue(slasher.hasRole(role, resolver));
    }

    function test_grantRole_slasherRoleByAdmin() public {
        bytes32 role = slasher.SLASHER_ROLE();
        vm.prank(admin);
        slasher.grantRole(role, dave);
        assertTrue(slasher.hasRole(role, dave));
        vm.prank(admin);
        slasher.revokeRole(role, dave);
        assertFalse(slasher.hasRole(role, dave));
    }

    function test_renounceRole_revertsWhen_vetoerRole() public {
        bytes32 role = slasher.VETOER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.RoleManagedByTimelock.selector, role));
        vm.prank(resolver);
        slasher.renounceRole(role, resolver);
        assertTrue(slasher.hasRole(role, resolver));
    }

    function test_renounceRole_slasherRoleAllowed() public {
        bytes32 role = slasher.SLASHER_ROLE();
        vm.prank(slashAgent);
        slasher.renounceRole(role, slashAgent);
        assertFalse(slasher.hasRole(role, slashAgent));
    }
}
