// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployCore} from "../../script/01_DeployCore.s.sol";
import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {Test} from "forge-std/Test.sol";

/// @notice The shipped configs carry placeholder multisig addresses (`0x5afe…`, `_placeholders`): the deploy scripts
///         refuse them on a real chain id with an error naming the field, and accept them on a development chain.
contract ConfigPlaceholdersTest is Test {
    string[3] internal networks = ["ethereum", "arbitrum", "plume"];
    uint256[3] internal chainIds = [uint256(1), 42_161, 98_866];

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
    }

    /// @notice Deploying the shipped configs as they are to Ethereum, Arbitrum or Plume stops before any transaction,
    ///         naming the placeholder field; a config whose admin is real but one role a placeholder names that role.
    function test_placeholderAddressesRefusedOnRealChain() public {
        DeployCore core = new DeployCore();
        DeployGaib gaib = new DeployGaib();
        (, address deployer,) = vm.readCallers();
        uint64 nonce = vm.getNonce(deployer);
        bytes memory finalAdmin = abi.encodeWithSelector(ChainConfig.PlaceholderAddress.selector, "finalAdmin");
        for (uint256 i; i < networks.length; ++i) {
            vm.chainId(chainIds[i]);
            vm.expectRevert(finalAdmin);
            core.deploy("script/config", networks[i]);
            vm.expectRevert(finalAdmin);
            gaib.deploy("script/config", networks[i]);
        }
        assertEq(vm.getNonce(deployer), nonce, "nothing sent");

        vm.chainId(1);
        string memory json = vm.readFile(string.concat(ShippedConfig.DIR, "/ethereum.json"));
        this.refusePlaceholders(json); // the fixture copy carries none
        json = vm.replace(
            json,
            '"reserveManager": "0xf1c7000000000000000000000000000000000004"',
            '"reserveManager": "0x5afe000000000000000000000000000000000004"'
        );
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.PlaceholderAddress.selector, "roles.reserveManager"));
        this.refusePlaceholders(json);
    }

    /// @notice A development chain id (Anvil, a fork under another id) runs the shipped configs unchanged.
    function test_placeholderAddressesAcceptedInDevelopment() public {
        vm.chainId(31_337);
        for (uint256 i; i < networks.length; ++i) {
            this.refusePlaceholders(vm.readFile(string.concat("script/config/", networks[i], ".json")));
        }
        uint160 shippedAdmin = (uint160(0x5afe) << 144) | 0xad01; // 0x5afe…ad01, script/config's final admin
        assertTrue(_placeholder(shippedAdmin), "shipped final admin");
        assertFalse(_placeholder(shippedAdmin | (1 << 16)), "a fifth last digit set: not one");
        assertFalse(_placeholder((uint160(0xf1c7) << 144) | 0xad01), "the copies' final admin");
    }

    /// @notice The script tests' copies of the shipped configs ({ShippedConfig}) differ from script/config only in the
    ///         placeholder addresses (regenerate them as {ShippedConfig} says after editing a shipped config).
    function test_shippedConfigCopiesMatchShippedConfigs() public view {
        for (uint256 i; i < networks.length; ++i) {
            string memory shipped = vm.readFile(string.concat("script/config/", networks[i], ".json"));
            assertTrue(vm.indexOf(shipped, ShippedConfig.PLACEHOLDER_PREFIX) != type(uint256).max, "has placeholders");
            assertEq(
                vm.readFile(string.concat(ShippedConfig.DIR, "/", networks[i], ".json")),
                vm.replace(shipped, ShippedConfig.PLACEHOLDER_PREFIX, ShippedConfig.FIXTURE_PREFIX),
                networks[i]
            );
        }
    }

    function _placeholder(uint160 a) internal pure returns (bool) {
        return ChainConfig.isPlaceholder(address(a));
    }

    function refusePlaceholders(string memory json) external view {
        ChainConfig.refusePlaceholders(json);
    }
}
