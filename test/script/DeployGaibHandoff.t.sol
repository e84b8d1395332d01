// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {LzFixture} from "./LzFixture.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {Test} from "forge-std/Test.sol";

/// @notice script/03_DeployGaib.s.sol with `finalAdmin` set (test/fixtures/config-gaib: the production configs with a
///         final admin): every contract it deploys has the final admin pending, the final admin can accept after the
///         admin transfer delay, and from then on the deployer has no admin power left (the veto resolver, a separate
///         timelocked role, is moved by the new admin).
contract DeployGaibHandoffTest is Test, LzFixture {
    string internal constant CONFIG = "test/fixtures/config-gaib";

    DeployGaib internal script;
    address internal deployer;
    address internal finalAdmin;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        script = new DeployGaib();
        (, deployer,) = vm.readCallers();
        string memory json = vm.readFile(string.concat(CONFIG, "/ethereum.json"));
        finalAdmin = vm.parseJsonAddress(json, ".finalAdmin");
        assertTrue(finalAdmin != address(0) && finalAdmin != deployer, "fixture sets a distinct final admin");
    }

    function _contracts(DeployGaib.Deployment memory d) internal pure returns (address[5] memory c) {
        c = [address(d.adapter), address(d.vault), address(d.slasher), address(d.registry), address(d.oracle)];
    }

    function _acceptAll(address[5] memory c) internal {
        uint48 delay = IAccessControlDefaultAdminRules(c[0]).defaultAdminDelay();
        vm.warp(block.timestamp + delay + 1);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(finalAdmin);
            IAccessControlDefaultAdminRules(c[i]).acceptDefaultAdminTransfer();
        }
    }

    function _expectNotAdmin(address who) internal {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, bytes32(0))
        );
    }

    function test_deployGaib_home_handoffPendingOnEveryContract() public {
        vm.chainId(1);
        DeployGaib.Deployment memory d = script.deploy(CONFIG, "ethereum");
        address[5] memory c = _contracts(d);
        for (uint256 i; i < c.length; ++i) {
            IAccessControlDefaultAdminRules a = IAccessControlDefaultAdminRules(c[i]);
            (address pending, uint48 schedule) = a.pendingDefaultAdmin();
            assertEq(pending, finalAdmin, "final admin pending");
            assertGt(schedule, block.timestamp, "after the admin transfer delay");
            assertEq(a.defaultAdmin(), deployer, "deployer admin until accepted");
        }
        // not before the delay
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector,
                d.vault.ADMIN_TRANSFER_DELAY() + block.timestamp
            )
        );
        vm.prank(finalAdmin);
        d.vault.acceptDefaultAdminTransfer();
    }

    function test_deployGaib_home_acceptHandoff_deployerLosesPower() public {
        vm.chainId(1);
        DeployGaib.Deployment memory d = script.deploy(CONFIG, "ethereum");
        address[5] memory c = _contracts(d);
        _acceptAll(c);
        for (uint256 i; i < c.length; ++i) {
            IAccessControl a = IAccessControl(c[i]);
            assertEq(IAccessControlDefaultAdminRules(c[i]).defaultAdmin(), finalAdmin);
            assertTrue(a.hasRole(bytes32(0), finalAdmin));
            assertFalse(a.hasRole(bytes32(0), deployer), "deployer no longer admin");
        }
        assertEq(d.adapter.owner(), finalAdmin, "OApp owner follows the admin role");

        // the deployer's admin calls all fail
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        d.adapter.setPeer(30_110, bytes32(uint256(1)));
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        d.vault.setMinSelfStake(1);
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        d.slasher.scheduleVetoWindow(3 days);
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        d.oracle.setChallengeWindow(2 hours);
        bytes32 slasherRole = d.slasher.SLASHER_ROLE();
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        d.slasher.grantRole(slasherRole, deployer);

        // the final admin's work
        vm.startPrank(finalAdmin);
        d.vault.setMinSelfStake(1);
        d.oracle.setChallengeWindow(2 hours);
        d.adapter.setPeer(30_110, bytes32(uint256(1)));
        // the veto resolver (`roles.resolver`) moves through its own timelock
        d.slasher.scheduleResolver(finalAdmin);
        vm.stopPrank();
        assertEq(d.vault.minSelfStake(), 1);
        assertEq(d.oracle.challengeWindow(), 2 hours);
        vm.warp(block.timestamp + d.slasher.PARAM_DELAY());
        d.slasher.applyResolver();
        assertFalse(d.slasher.hasRole(d.slasher.VETOER_ROLE(), deployer), "deployer keeps no role");
        assertTrue(d.slasher.hasRole(d.slasher.VETOER_ROLE(), finalAdmin));
    }

    function test_deployGaib_remote_handoff() public {
        vm.chainId(42_161);
        DeployGaib.Deployment memory d = script.deploy(CONFIG, "arbitrum");
        GAIBOFT oft = GAIBOFT(d.gaib);
        (address pending,) = oft.pendingDefaultAdmin();
        assertEq(pending, finalAdmin);
        vm.warp(block.timestamp + oft.defaultAdminDelay() + 1);
        vm.prank(finalAdmin);
        oft.acceptDefaultAdminTransfer();
        assertEq(oft.owner(), finalAdmin);
        assertFalse(oft.hasRole(bytes32(0), deployer));
        _expectNotAdmin(deployer);
        vm.prank(deployer);
        oft.setPeer(30_101, bytes32(uint256(1)));
    }

    function test_deployGaib_home_handoffRerunSendsNothing() public {
        vm.chainId(1);
        DeployGaib.Deployment memory d = script.deploy(CONFIG, "ethereum");
        uint64 nonce = vm.getNonce(deployer);
        DeployGaib.Deployment memory again = script.deploy(CONFIG, "ethereum");
        assertEq(vm.getNonce(deployer), nonce, "handoff already pending: nothing sent");
        assertEq(address(again.oracle), address(d.oracle), "same oracle");
        (address pending,) = IAccessControlDefaultAdminRules(address(d.vault)).pendingDefaultAdmin();
        assertEq(pending, finalAdmin, "still pending");
    }
}
