// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AIDMinter} from "../src/mint/AIDMinter.sol";
import {AIDReserve} from "../src/reserve/AIDReserve.sol";
import {AID} from "../src/token/AID.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployCore
/// @notice Deploys GAIB on one chain from `script/config/$GAIB_NETWORK.json`: the CREATE3 factory (through the
///         canonical CREATE2 deployer) and AID at the same address on every chain; on the home chain also the reserve
///         and the minter, configured. Then begins the two-step admin handoff to `finalAdmin`, if set.
///         Writes `deployments/<network>.json`.
/// @dev `GAIB_NETWORK=ethereum forge script script/01_DeployCore.s.sol --rpc-url $RPC --account deployer --broadcast`
contract DeployCore is Script {
    struct Deployment {
        Create3Factory factory;
        AID aid;
        AIDMinter minter; // zero off the home chain
        AIDReserve reserve; // zero off the home chain
    }

    function run() external returns (Deployment memory d) {
        return deploy(ChainConfig.dir(), vm.envString("GAIB_NETWORK"));
    }

    function deploy(string memory configDir, string memory network) public returns (Deployment memory d) {
        (ChainConfig.Chain memory c, string memory json) = ChainConfig.load(configDir, network);
        ChainConfig.requireChain(c);
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers(); // the broadcaster: admin until the handoff below
        d.factory = _factory();
        if (c.home) {
            CoreDeployer.Core memory core = CoreDeployer.deployHome(d.factory, c.endpoint, deployer);
            CoreDeployer.configureHome(core, ChainConfig.homeParams(json, deployer));
            (d.aid, d.minter, d.reserve) = (core.aid, core.minter, core.reserve);
        } else {
            d.aid = CoreDeployer.deployAID(d.factory, c.endpoint, deployer);
            d.aid.grantRole(d.aid.PAUSER_ROLE(), ChainConfig.role(json, "gatekeeper", deployer));
            d.aid.grantRole(d.aid.DENYLIST_MANAGER_ROLE(), ChainConfig.role(json, "denylistManager", deployer));
        }
        if (c.finalAdmin != address(0) && c.finalAdmin != deployer) {
            d.aid.beginDefaultAdminTransfer(c.finalAdmin);
            if (c.home) {
                d.minter.beginDefaultAdminTransfer(c.finalAdmin);
                d.reserve.beginDefaultAdminTransfer(c.finalAdmin);
            }
        }
        vm.stopBroadcast();

        _write(network, d);
    }

    /// @dev Reuses the factory if this chain already has it (its address is the same everywhere).
    function _factory() private returns (Create3Factory) {
        address predicted =
            vm.computeCreate2Address(CoreDeployer.FACTORY_SALT, keccak256(type(Create3Factory).creationCode));
        if (predicted.code.length != 0) return Create3Factory(predicted);
        return CoreDeployer.deployFactory();
    }

    function _write(string memory network, Deployment memory d) private {
        string memory key = network;
        vm.serializeUint(key, "chainId", block.chainid);
        vm.serializeAddress(key, "factory", address(d.factory));
        vm.serializeAddress(key, "minter", address(d.minter));
        vm.serializeAddress(key, "reserve", address(d.reserve));
        string memory json = vm.serializeAddress(key, "aid", address(d.aid));
        string memory dir = vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
        vm.createDir(dir, true);
        vm.writeJson(json, string.concat(dir, "/", network, ".json"));
    }
}
