// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";

/// @notice 03_DeployGaib's settings live in the chain config (`roles.treasury`, `roles.insuranceFund`,
///         `roles.resolver`, `gaib.epochDuration`, `gaib.minSelfStake`): no environment variable overrides them, a
///         real chain id never defaults them, and a local chain keeps its development defaults.
contract GaibSettingsTest is LzFixture {
    /// @dev A home config that names every fund role but has no `gaib` object.
    string internal constant NO_GAIB = '{"roles":{"treasury":"0x00000000000000000000000000000000000000A1"}}';

    function gaibParams(string memory json) external view returns (ChainConfig.GaibParams memory) {
        return ChainConfig.gaibParams(json);
    }

    function fundRole(string memory json, string memory name) external view returns (address) {
        return ChainConfig.fundRole(json, name, address(0xDE9107E5));
    }

    function test_gaibSettings_realChainRefusesDefaultEpochDuration() public {
        uint256[3] memory ids = [uint256(1), 42_161, 98_866];
        for (uint256 i; i < ids.length; ++i) {
            vm.chainId(ids[i]);
            vm.expectRevert(abi.encodeWithSelector(ChainConfig.GaibParamUnset.selector, "epochDuration", ids[i]));
            this.gaibParams(NO_GAIB);
        }
    }

    function test_gaibSettings_realChainRefusesDefaultMinSelfStake() public {
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.GaibParamUnset.selector, "minSelfStake", 1));
        this.gaibParams('{"gaib":{"epochDuration":3600}}');
    }

    function test_gaibSettings_localChainKeepsDevelopmentDefaults() public {
        vm.chainId(31_337);
        ChainConfig.GaibParams memory p = this.gaibParams(NO_GAIB);
        assertEq(p.epochDuration, ChainConfig.DEV_EPOCH_DURATION);
        assertEq(p.minSelfStake, ChainConfig.DEV_MIN_SELF_STAKE);
    }

    function test_gaibSettings_outOfBoundsRefusedBeforeSending() public {
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.InvalidGaibParam.selector, "epochDuration", 599));
        this.gaibParams('{"gaib":{"epochDuration":599,"minSelfStake":"1"}}');
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.InvalidGaibParam.selector, "epochDuration", 86_401));
        this.gaibParams('{"gaib":{"epochDuration":86401,"minSelfStake":"1"}}');
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.InvalidGaibParam.selector, "minSelfStake", 0));
        this.gaibParams('{"gaib":{"epochDuration":3600,"minSelfStake":"0"}}');
        vm.expectRevert(
            abi.encodeWithSelector(ChainConfig.InvalidGaibParam.selector, "minSelfStake", 10_000_000e18 + 1)
        );
        this.gaibParams('{"gaib":{"epochDuration":3600,"minSelfStake":"10000000000000000000000001"}}');
    }

    /// @notice The old environment overrides are gone: GAIB_TREASURY no longer redirects the 1e9 GAIB supply.
    function test_gaibSettings_environmentNoLongerOverridesFundRoles() public {
        vm.setEnv("GAIB_TREASURY", vm.toString(address(0xBAD)));
        vm.chainId(1);
        assertEq(this.fundRole(NO_GAIB, "treasury"), address(0xA1));
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.RoleDefaultRefused.selector, "insuranceFund", 1));
        this.fundRole(NO_GAIB, "insuranceFund");
    }

    /// @notice The shipped home config's `gaib` object reaches the staking vault, and a home config without it is
    ///         refused on Ethereum before anything is sent.
    function test_gaibSettings_shippedConfigReachesStakingVault() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        DeployGaib script = new DeployGaib();
        vm.chainId(1);
        string memory json = vm.readFile(string.concat(ShippedConfig.DIR, "/ethereum.json"));
        DeployGaib.Deployment memory d = script.deploy(ShippedConfig.DIR, "ethereum");
        assertEq(d.vault.EPOCH_DURATION(), vm.parseJsonUint(json, ".gaib.epochDuration"));
        assertEq(d.vault.minSelfStake(), vm.parseJsonUint(json, ".gaib.minSelfStake"));
    }
}
