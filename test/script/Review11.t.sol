// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Fresh-eyes review of issue 11 (the handoff): gaps in "after the handoff the deployer holds nothing".
contract Review11Test is Test {
    string internal constant CFG = "test/fixtures/config-gaib/ethereum.json";
    address internal constant DEPLOYER = address(0xDE9107E5);

    /// @notice A production config may not name the deployer for a role: the handoff revokes only the operational
    ///         roles it lists, so the deployer named as `roles.resolver` would keep the slasher's VETOER_ROLE (moved
    ///         only through the slasher's timelocked resolver change), named as `roles.treasury` it would receive the
    ///         whole GAIB supply, and named for any other role the handoff would strip the role from its only holder.
    function test_review11_productionConfigNamingDeployerRefused() public {
        vm.chainId(1);
        string memory json = vm.replace(
            vm.readFile(CFG), '"resolver": "0xee0000000000000000000000000000000000000a"', _q("resolver", DEPLOYER)
        );
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.RoleIsDeployer.selector, "resolver"));
        this.fundRole(json, "resolver");
        json = vm.replace(
            vm.readFile(CFG), '"gatekeeper": "0xee00000000000000000000000000000000000001"', _q("gatekeeper", DEPLOYER)
        );
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.RoleIsDeployer.selector, "gatekeeper"));
        this.role(json, "gatekeeper");
        // a development config (no finalAdmin) still defaults to, and may name, the deployer
        json = vm.replace(
            json,
            '"finalAdmin": "0x000000000000000000000000000000000000dA0d"',
            '"finalAdmin": "0x0000000000000000000000000000000000000000"'
        );
        vm.chainId(31_337);
        assertEq(this.role(json, "gatekeeper"), DEPLOYER, "development");
    }

    function _q(string memory key, address a) private pure returns (string memory) {
        return string.concat('"', key, '": "', vm.toString(a), '"');
    }

    function fundRole(string memory json, string memory name) external view returns (address) {
        return ChainConfig.fundRole(json, name, DEPLOYER);
    }

    function role(string memory json, string memory name) external view returns (address) {
        return ChainConfig.role(json, name, DEPLOYER);
    }
}
