// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "./CoreDeployer.sol";
import {Vm} from "forge-std/Vm.sol";

/// @title ChainConfig
/// @notice Reads `script/config/<network>.json` (see script/config/README.md; `GAIB_CONFIG_DIR` overrides the folder)
///         into typed parameters.
library ChainConfig {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Chain {
        string name;
        uint256 chainId;
        uint32 eid;
        bool home;
        address endpoint;
        address finalAdmin;
        uint32[] peers;
        uint96 limit; // [wad] per window, each direction
        uint24 window; // [s]
        uint128 lzReceiveGas; // [gas] enforced executor lzReceive gas per OFT send (`oft.lzReceiveGas`, optional)
    }

    /// @notice Default enforced lzReceive gas when a config has no `oft.lzReceiveGas`.
    uint128 internal constant DEFAULT_LZ_RECEIVE_GAS = 200_000; // [gas]

    /// @notice Thrown when the config's chain id is not the chain being deployed to.
    error WrongChain(string network, uint256 expected, uint256 actual);
    /// @notice Thrown when a config holds no endpoint.
    error MissingEndpoint(string network);

    /// @notice The config folder: `GAIB_CONFIG_DIR`, default `script/config`.
    function dir() internal view returns (string memory) {
        return vm.envOr("GAIB_CONFIG_DIR", string("script/config"));
    }

    function load(string memory configDir, string memory network)
        internal
        view
        returns (Chain memory c, string memory json)
    {
        json = vm.readFile(string.concat(configDir, "/", network, ".json"));
        c.name = vm.parseJsonString(json, ".name");
        c.chainId = vm.parseJsonUint(json, ".chainId");
        c.eid = uint32(vm.parseJsonUint(json, ".eid"));
        c.home = vm.parseJsonBool(json, ".home");
        c.endpoint = vm.envOr("GAIB_ENDPOINT", vm.parseJsonAddress(json, ".endpoint"));
        c.finalAdmin = vm.parseJsonAddress(json, ".finalAdmin");
        uint256[] memory peers = vm.parseJsonUintArray(json, ".oft.peers");
        c.peers = new uint32[](peers.length);
        for (uint256 i; i < peers.length; ++i) {
            c.peers[i] = uint32(peers[i]);
        }
        c.limit = uint96(vm.parseJsonUint(json, ".oft.limit"));
        c.window = uint24(vm.parseJsonUint(json, ".oft.window"));
        c.lzReceiveGas = vm.keyExistsJson(json, ".oft.lzReceiveGas")
            ? uint128(vm.parseJsonUint(json, ".oft.lzReceiveGas"))
            : DEFAULT_LZ_RECEIVE_GAS;
        if (c.endpoint == address(0)) revert MissingEndpoint(network);
    }

    /// @notice Reverts unless the config targets the current chain (the local mode skips this with GAIB_ANY_CHAIN).
    function requireChain(Chain memory c) internal view {
        if (c.chainId != block.chainid && !vm.envOr("GAIB_ANY_CHAIN", false)) {
            revert WrongChain(c.name, c.chainId, block.chainid);
        }
    }

    /// @notice Home-chain parameters; zero role holders default to `deployer`.
    function homeParams(string memory json, address deployer) internal view returns (CoreDeployer.HomeParams memory p) {
        p.globalMintCap = vm.parseJsonUint(json, ".home_params.globalMintCap");
        p.globalRedeemCap = vm.parseJsonUint(json, ".home_params.globalRedeemCap");
        p.supplyCap = vm.parseJsonUint(json, ".home_params.supplyCap");
        p.redeemDelay = vm.parseJsonUint(json, ".home_params.redeemDelay");
        p.tbillVault = vm.parseJsonAddress(json, ".home_params.tbillVault");
        p.gatekeeper = _orDeployer(vm.parseJsonAddress(json, ".roles.gatekeeper"), deployer);
        p.whitelistManager = _orDeployer(vm.parseJsonAddress(json, ".roles.whitelistManager"), deployer);
        p.denylistManager = _orDeployer(vm.parseJsonAddress(json, ".roles.denylistManager"), deployer);
        p.reserveManager = _orDeployer(vm.parseJsonAddress(json, ".roles.reserveManager"), deployer);
        p.harvester = _orDeployer(vm.parseJsonAddress(json, ".roles.harvester"), deployer);
        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".home_params.assets[", vm.toString(n), "]"))) ++n;
        p.assets = new CoreDeployer.AssetParams[](n);
        for (uint256 i; i < n; ++i) {
            string memory k = string.concat(".home_params.assets[", vm.toString(i), "]");
            p.assets[i] = CoreDeployer.AssetParams({
                asset: vm.parseJsonAddress(json, string.concat(k, ".asset")),
                feed: vm.parseJsonAddress(json, string.concat(k, ".feed")),
                mintFeeBps: uint16(vm.parseJsonUint(json, string.concat(k, ".mintFeeBps"))),
                redeemFeeBps: uint16(vm.parseJsonUint(json, string.concat(k, ".redeemFeeBps"))),
                heartbeat: uint32(vm.parseJsonUint(json, string.concat(k, ".heartbeat"))),
                mintCap: vm.parseJsonUint(json, string.concat(k, ".mintCap")),
                redeemCap: vm.parseJsonUint(json, string.concat(k, ".redeemCap"))
            });
        }
    }

    /// @notice Role holder for a non-home chain (gatekeeper / denylistManager); zero defaults to `deployer`.
    function role(string memory json, string memory name, address deployer) internal pure returns (address) {
        return _orDeployer(vm.parseJsonAddress(json, string.concat(".roles.", name)), deployer);
    }

    function _orDeployer(address a, address deployer) private pure returns (address) {
        return a == address(0) ? deployer : a;
    }
}
