// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {IAID} from "../../src/interfaces/IAID.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

/// @notice sAID: initialisation, ERC-4626 deposit/mint/withdraw/redeem, max functions, pause, parameters, roles.
contract StakedAIDCoreTest is StakedAIDTestBase {
    // ------------------------------------------------------------ initialisation

    function test_initialize_setsDefaults() public view {
        assertEq(sAID.asset(), address(aid));
        assertEq(sAID.name(), "Staked AI Dollar");
        assertEq(sAID.symbol(), "sAID");
        assertEq(sAID.decimals(), 18);
        assertEq(sAID.unstakeDelay(), 7 days);
        assertEq(sAID.vestingPeriod(), 8 hours);
        assertEq(sAID.maxAprBps(), 5000);
        assertEq(sAID.liquidityBufferBps(), 3000);
        assertEq(sAID.lossIndex(), 1e27);
        assertEq(sAID.defaultAdmin(), admin);
        assertTrue(sAID.hasRole(sAID.REWARDER_ROLE(), address(reserve)));
        assertTrue(sAID.hasRole(sAID.ALLOCATOR_ROLE(), allocator));
        assertTrue(sAID.hasRole(sAID.PAUSER_ROLE(), gatekeeper));
        assertTrue(sAID.hasRole(sAID.UPGRADER_ROLE(), admin));
        assertEq(reserve.yieldReceiver(), address(sAID));
        assertEq(sAID.ALLOCATOR_ROLE(), keccak256("ALLOCATOR_ROLE"));
        assertEq(sAID.RESTRICTION_MANAGER_ROLE(), keccak256("RESTRICTION_MANAGER_ROLE"));
    }

    function test_initialize_revertsTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        sAID.initialize(IAID(address(aid)), admin);
    }

    function test_initialize_implementationIsDisabled() public {
        StakedAID impl = new StakedAID(IAID(address(aid)));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        impl.initialize(IAID(address(aid)), admin);
    }

    function test_initialize_revertsOnZeroAddress() public {
        StakedAID impl = new StakedAID(IAID(address(aid)));
        vm.expectRevert(IStakedAID.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(StakedAID.initialize, (IAID(address(aid)), address(0))));
        vm.expectRevert(IStakedAID.ZeroAddress.selector);
        new ERC1967Proxy(address(impl), abi.encodeCall(StakedAID.initialize, (IAID(address(0)), admin)));
    }

    function test_initialize_revertsOnOtherAsset() public {
        StakedAID impl = new StakedAID(IAID(address(aid)));
        address other = makeAddr("otherAsset");
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AssetMismatch.selector, other, address(aid)));
        new ERC1967Proxy(address(impl), abi.encodeCall(StakedAID.initialize, (IAID(other), admin)));
    }

    function test_constructor_revertsOnZeroAsset() public {
        vm.expectRevert(IStakedAID.ZeroAddress.selector);
        new StakedAID(IAID(address(0)));
    }

    function test_asset_isTheImmutableAID() public view {
        assertEq(sAID.asset(), address(aid));
    }

    function test_deploy_addressIsDeterministic() public view {
        assertEq(address(sAID), factory.predict(admin, CoreDeployer.SAID_SALT));
    }

    // ------------------------------------------------------------ deposit / mint

    function test_deposit_mintsOneToOneOnEmptyVault() public {
        uint256 shares = _stake(alice, 1000e18);
        assertEq(shares, 1000e18);
        assertEq(sAID.balanceOf(alice), 1000e18);
        assertEq(sAID.totalSupply(), 1000e18);
        assertEq(sAID.totalAssets(), 1000e18);
        assertEq(sAID.idleAssets(), 1000e18);
        assertEq(aid.balanceOf(address(sAID)), 1000e18);
    }

    function test_deposit_emitsEvents() public {
        _fund(alice, 5e18);
        vm.startPrank(alice);
        aid.approve(address(sAID), 5e18);
        vm.expectEmit(address(sAID));
        emit IERC4626.Deposit(alice, bob, 5e18, 5e18);
        sAID.deposit(5e18, bob);
        vm.stopPrank();
        assertEq(sAID.balanceOf(bob), 5e18);
    }

    function test_deposit_revertsOnZeroShares() public {
        vm.prank(alice);
        vm.expectRevert(IStakedAID.ZeroShares.selector);
        sAID.deposit(0, alice);
    }

    function test_deposit_revertsOnZeroReceiver() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        sAID.deposit(1e18, address(0));
    }

    function test_deposit_revertsWhenPaused() public {
        vm.prank(gatekeeper);
        sAID.pause();
        vm.prank(alice);
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.deposit(1e18, alice);
        assertEq(sAID.maxDeposit(alice), 0);
        assertEq(sAID.maxMint(alice), 0);
    }

    function test_deposit_revertsForSoftRestrictedCallerOrReceiver() public {
        _restrict(carol, IStakedAID.Restriction.SOFT);
        _fund(carol, 1e18);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, carol, IStakedAID.Restriction.SOFT)
        );
        sAID.deposit(1e18, alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, carol, IStakedAID.Restriction.SOFT)
        );
        sAID.deposit(1e18, carol);
        assertEq(sAID.maxDeposit(carol), 0);
        // honest: the room left in the uint104 supply (issue 12 finding 7), not type(uint256).max
        assertEq(sAID.maxMint(alice), type(uint104).max - sAID.totalSupply());
        assertGt(sAID.maxDeposit(alice), 0);
        assertLe(sAID.previewDeposit(sAID.maxDeposit(alice)), sAID.maxMint(alice));
    }

    function test_deposit_donationDoesNotMovePrice() public {
        _stake(alice, 100e18);
        uint256 price = _price();
        _fund(attacker, 1_000_000e18);
        vm.prank(attacker);
        aid.transfer(address(sAID), 1_000_000e18);
        assertEq(_price(), price);
        assertEq(sAID.totalAssets(), 100e18);
    }

    function test_mint_pullsAssetsRoundedUp() public {
        _stake(alice, 1000e18);
        _reward(100e18);
        vm.warp(block.timestamp + VESTING);
        uint256 expected = sAID.previewMint(7e18);
        _fund(bob, expected);
        vm.startPrank(bob);
        aid.approve(address(sAID), expected);
        uint256 assets = sAID.mint(7e18, bob);
        vm.stopPrank();
        assertEq(assets, expected);
        assertEq(sAID.balanceOf(bob), 7e18);
        assertGe(assets * 1e18, 7e18 * (sAID.totalAssets() - assets) / (sAID.totalSupply() - 7e18));
    }

    function test_mint_revertsOnZeroShares() public {
        vm.prank(alice);
        vm.expectRevert(IStakedAID.ZeroShares.selector);
        sAID.mint(0, alice);
    }

    // ------------------------------------------------------------ withdraw / redeem

    function test_redeem_revertsWhileUnstakeDelayActive() public {
        _stake(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.UnstakeDelayActive.selector, DELAY));
        sAID.redeem(1e18, alice, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.UnstakeDelayActive.selector, DELAY));
        sAID.withdraw(1e18, alice, alice);
        assertEq(sAID.maxRedeem(alice), 0);
        assertEq(sAID.maxWithdraw(alice), 0);
    }

    function test_redeem_paysDirectlyWithZeroDelay() public {
        _setDelay(0);
        _stake(alice, 10e18);
        vm.prank(alice);
        uint256 assets = sAID.redeem(4e18, carol, alice);
        assertEq(assets, 4e18);
        assertEq(aid.balanceOf(carol), 4e18);
        assertEq(sAID.balanceOf(alice), 6e18);
        assertEq(sAID.totalAssets(), 6e18);
    }

    function test_withdraw_burnsSharesRoundedUp() public {
        _setDelay(0);
        _stake(alice, 10e18);
        _reward(1e18);
        vm.warp(block.timestamp + VESTING);
        uint256 expected = sAID.previewWithdraw(3e18);
        vm.prank(alice);
        uint256 shares = sAID.withdraw(3e18, alice, alice);
        assertEq(shares, expected);
        assertEq(aid.balanceOf(alice), 3e18);
    }

    function test_withdraw_spendsAllowance() public {
        _setDelay(0);
        _stake(alice, 10e18);
        vm.prank(alice);
        sAID.approve(bob, 2e18);
        vm.prank(bob);
        sAID.withdraw(2e18, bob, alice);
        assertEq(sAID.allowance(alice, bob), 0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 0, 1e18));
        sAID.redeem(1e18, bob, alice);
    }

    function test_withdraw_revertsAboveFreeLiquidity() public {
        _setDelay(0);
        _stake(alice, 10e18);
        _stake(bob, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.WithdrawTooLarge.selector, 21e18, 20e18));
        sAID.withdraw(21e18, alice, alice);
    }

    function test_redeem_revertsOnInsufficientShares() public {
        _setDelay(0);
        _stake(alice, 10e18);
        _stake(bob, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 10e18, 11e18));
        sAID.redeem(11e18, alice, alice);
    }

    function test_redeem_revertsOnZeroAssets() public {
        _setDelay(0);
        _stake(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.redeem(0, alice, alice);
        vm.prank(alice);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.withdraw(0, alice, alice);
    }

    function test_redeem_revertsOnZeroReceiver() public {
        _setDelay(0);
        _stake(alice, 10e18);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        sAID.redeem(1e18, address(0), alice);
    }

    function test_redeem_revertsWhenPaused() public {
        _setDelay(0);
        _stake(alice, 10e18);
        vm.prank(gatekeeper);
        sAID.pause();
        vm.prank(alice);
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.redeem(1e18, alice, alice);
        assertEq(sAID.maxRedeem(alice), 0);
    }

    function test_maxRedeem_cappedByFreeLiquidity() public {
        _setDelay(0);
        _stake(alice, 100e18);
        _listPosition();
        _allocate(70e18);
        assertEq(sAID.maxWithdraw(alice), 30e18);
        assertEq(sAID.maxRedeem(alice), 30e18);
        vm.prank(alice);
        sAID.redeem(30e18, alice, alice);
        assertEq(sAID.maxRedeem(alice), 0);
    }

    // ------------------------------------------------------------ pause

    function test_pause_onlyPauser() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, sAID.PAUSER_ROLE()
            )
        );
        vm.prank(attacker);
        sAID.pause();
    }

    function test_pause_blocksTransfersAndOnlyAdminUnpauses() public {
        _stake(alice, 10e18);
        vm.prank(gatekeeper);
        vm.expectEmit(address(sAID));
        emit IStakedAID.PausedSet(true);
        sAID.pause();
        assertTrue(sAID.paused());
        vm.prank(alice);
        vm.expectRevert(IStakedAID.EnforcedPause.selector);
        sAID.transfer(bob, 1e18);
        vm.prank(gatekeeper);
        vm.expectRevert(IStakedAID.PauseStateUnchanged.selector);
        sAID.pause();
        bytes32 adminRole = sAID.DEFAULT_ADMIN_ROLE();
        vm.prank(gatekeeper);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, gatekeeper, adminRole)
        );
        sAID.unpause();
        vm.prank(admin);
        sAID.unpause();
        vm.prank(alice);
        sAID.transfer(bob, 1e18);
        assertEq(sAID.balanceOf(bob), 1e18);
        vm.prank(admin);
        vm.expectRevert(IStakedAID.PauseStateUnchanged.selector);
        sAID.unpause();
    }

    // ------------------------------------------------------------ parameters

    function test_setUnstakeDelay_boundedAndAdminOnly() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidUnstakeDelay.selector, 90 days + 1));
        sAID.setUnstakeDelay(90 days + 1);
        vm.prank(admin);
        vm.expectEmit(address(sAID));
        emit IStakedAID.UnstakeDelaySet(90 days);
        sAID.setUnstakeDelay(90 days);
        assertEq(sAID.unstakeDelay(), 90 days);
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, bytes32(0))
        );
        sAID.setUnstakeDelay(0);
    }

    function test_setVestingPeriod_bounded() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidVestingPeriod.selector, 0));
        sAID.setVestingPeriod(0);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidVestingPeriod.selector, 7 days + 1));
        sAID.setVestingPeriod(7 days + 1);
        sAID.setVestingPeriod(7 days);
        vm.stopPrank();
        assertEq(sAID.vestingPeriod(), 7 days);
    }

    function test_setMaxApr_bounded() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidMaxApr.selector, 99));
        sAID.setMaxApr(99);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidMaxApr.selector, 10_001));
        sAID.setMaxApr(10_001);
        sAID.setMaxApr(10_000);
        vm.stopPrank();
        assertEq(sAID.maxAprBps(), 10_000);
    }

    function test_setLiquidityBuffer_bounded() public {
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.InvalidLiquidityBuffer.selector, 10_001));
        sAID.setLiquidityBuffer(10_001);
        sAID.setLiquidityBuffer(0);
        vm.stopPrank();
        assertEq(sAID.liquidityBufferBps(), 0);
    }

    // ------------------------------------------------------------ roles

    function test_renounceRole_adminCannotLockOut() public {
        bytes32 adminRole = sAID.DEFAULT_ADMIN_ROLE();
        vm.prank(admin);
        vm.expectRevert(IStakedAID.AdminRenounceDisabled.selector);
        sAID.renounceRole(adminRole, admin);
        bytes32 pauser = sAID.PAUSER_ROLE();
        vm.prank(gatekeeper);
        sAID.renounceRole(pauser, gatekeeper);
        assertFalse(sAID.hasRole(pauser, gatekeeper));
    }

    function test_upgradeToAndCall_onlyUpgrader() public {
        address impl = address(new StakedAID(IAID(address(aid))));
        bytes32 role = sAID.UPGRADER_ROLE();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        sAID.upgradeToAndCall(impl, "");
        vm.prank(admin);
        sAID.upgradeToAndCall(impl, "");
    }

    function test_adminTransfer_isTwoStep() public {
        vm.prank(admin);
        sAID.beginDefaultAdminTransfer(bob);
        assertEq(sAID.defaultAdmin(), admin);
        vm.warp(block.timestamp + 1 days + 1);
        vm.prank(bob);
        sAID.acceptDefaultAdminTransfer();
        assertEq(sAID.defaultAdmin(), bob);
    }
}
