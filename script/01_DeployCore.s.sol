// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AIDMinter} from "../src/mint/AIDMinter.sol";
import {AIDReserve} from "../src/reserve/AIDReserve.sol";
import {AID} from "../src/token/AID.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {StakedAID} from "../src/vault/StakedAID.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {Handoff} from "./lib/Handoff.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployCore
/// @notice Deploys GAIB on one chain from `script/config/$GAIB_NETWORK.json`: the CREATE3 factory (through the
///         canonical CREATE2 deployer), AID and sAID at the same address on every chain (home: the sAID vault and its
///         OFT adapter at a CREATE3 address too; elsewhere: StakedAIDOFT at sAID's address); on the home chain also
///         the reserve and the minter, configured, and the upgrade timelock (an OpenZeppelin TimelockController with
///         `timelock.minDelay`, the final admin as proposer and executor) that holds sAID's UPGRADER_ROLE. Every
///         operational role comes from `roles.*` (a production config, one with a `finalAdmin`, must name each: see
///         {ChainConfig.role}). Then the handoff to `finalAdmin`, if set ({Handoff}): on every contract (AID, minter,
///         reserve, sAID, the sAID OFT adapter / StakedAIDOFT) the deployer's remaining roles are revoked and the
///         two-step admin transfer begins; once the final admin accepts, the deployer holds nothing.
///         Writes `deployments/<network>.json`.
///         Idempotent: a contract whose address already has code is reused, not redeployed (the home minter and
///         reserve, deployed with CREATE, are taken from the previous `deployments/<network>.json`); configuration
///         runs with the deployment that creates the contract, and a handoff already begun is not repeated.
/// @dev `GAIB_NETWORK=ethereum forge script script/01_DeployCore.s.sol --rpc-url $RPC --account deployer --broadcast`.
///      Optional `GAIB_UNSTAKE_DELAY` [s] (default 7 days).
contract DeployCore is Script {
    struct Deployment {
        Create3Factory factory;
        AID aid;
        AIDMinter minter; // zero off the home chain
        AIDReserve reserve; // zero off the home chain
        address sAID; // home: the StakedAID proxy; elsewhere: StakedAIDOFT (same address)
        address sAIDAdapter; // home only: the sAID OFT adapter
        TimelockController timelock; // home only: sAID's UPGRADER_ROLE holder
    }

    /// @notice Thrown when AID exists on the home chain but the previous record does not name a deployed minter/reserve.
    error MissingRecord(string file);

    function run() external returns (Deployment memory d) {
        return deploy(ChainConfig.dir(), vm.envString("GAIB_NETWORK"));
    }

    function deploy(string memory configDir, string memory network) public returns (Deployment memory d) {
        (ChainConfig.Chain memory c, string memory json) = ChainConfig.load(configDir, network);
        ChainConfig.requireChain(c);
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers(); // the broadcaster: admin until the handoff below
        d.factory = _factory();
        if (c.home) _home(d, c, json, deployer, network);
        else _remote(d, c, json, deployer);
        if (c.finalAdmin != address(0) && c.finalAdmin != deployer) {
            Handoff.handOff(address(d.aid), c.finalAdmin, deployer);
            Handoff.handOff(d.sAID, c.finalAdmin, deployer); // home: the vault; elsewhere: StakedAIDOFT
            if (c.home) {
                Handoff.handOff(address(d.minter), c.finalAdmin, deployer);
                Handoff.handOff(address(d.reserve), c.finalAdmin, deployer);
                Handoff.handOff(d.sAIDAdapter, c.finalAdmin, deployer);
            }
        }
        vm.stopBroadcast();

        _write(network, d);
    }

    function _home(
        Deployment memory d,
        ChainConfig.Chain memory c,
        string memory json,
        address deployer,
        string memory network
    ) private {
        address aidAt = d.factory.predict(deployer, CoreDeployer.AID_SALT);
        if (aidAt.code.length == 0) {
            CoreDeployer.Core memory core = CoreDeployer.deployHome(d.factory, c.endpoint, deployer);
            CoreDeployer.configureHome(core, ChainConfig.homeParams(json, deployer));
            (d.aid, d.minter, d.reserve) = (core.aid, core.minter, core.reserve);
        } else {
            d.aid = AID(aidAt);
            d.minter = AIDMinter(_previous(network, ".minter"));
            d.reserve = AIDReserve(_previous(network, ".reserve"));
        }
        address governor = c.finalAdmin == address(0) ? deployer : c.finalAdmin;
        d.timelock = CoreDeployer.ensureTimelock(d.factory, deployer, ChainConfig.timelockDelay(json), governor);
        d.sAID = d.factory.predict(deployer, CoreDeployer.SAID_SALT);
        if (d.sAID.code.length == 0) {
            StakedAID s = CoreDeployer.deployStakedAID(d.factory, address(d.aid), deployer);
            CoreDeployer.configureStakedAID(
                s,
                d.reserve,
                CoreDeployer.StakedParams({
                    allocator: ChainConfig.role(json, "allocator", deployer),
                    restrictionManager: ChainConfig.role(json, "restrictionManager", deployer),
                    pauser: ChainConfig.role(json, "gatekeeper", deployer),
                    upgrader: address(d.timelock),
                    unstakeDelay: vm.envOr("GAIB_UNSTAKE_DELAY", uint256(7 days))
                })
            );
        }
        d.sAIDAdapter = d.factory.predict(deployer, CoreDeployer.SAID_ADAPTER_SALT);
        if (d.sAIDAdapter.code.length == 0) {
            CoreDeployer.deployStakedAIDAdapterAt(d.factory, d.sAID, c.endpoint, deployer);
        }
    }

    function _remote(Deployment memory d, ChainConfig.Chain memory c, string memory json, address deployer) private {
        address aidAt = d.factory.predict(deployer, CoreDeployer.AID_SALT);
        if (aidAt.code.length == 0) {
            d.aid = CoreDeployer.deployAID(d.factory, c.endpoint, deployer);
            d.aid.grantRole(d.aid.PAUSER_ROLE(), ChainConfig.role(json, "gatekeeper", deployer));
            d.aid.grantRole(d.aid.DENYLIST_MANAGER_ROLE(), ChainConfig.role(json, "denylistManager", deployer));
        } else {
            d.aid = AID(aidAt);
        }
        d.sAID = d.factory.predict(deployer, CoreDeployer.SAID_SALT);
        if (d.sAID.code.length == 0) {
            CoreDeployer.deployStakedAIDRemote(d.factory, c.endpoint, deployer, address(d.aid));
        }
    }

    /// @dev A contract address from the previous run's record (CREATE-deployed contracts cannot be predicted).
    function _previous(string memory network, string memory field) private view returns (address a) {
        string memory file =
            string.concat(vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments")), "/", network, ".json");
        if (!vm.isFile(file)) revert MissingRecord(file);
        a = vm.parseJsonAddress(vm.readFile(file), field);
        if (a.code.length == 0) revert MissingRecord(file);
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
        vm.serializeAddress(key, "sAID", d.sAID);
        vm.serializeAddress(key, "sAIDAdapter", d.sAIDAdapter);
        vm.serializeAddress(key, "timelock", address(d.timelock));
        string memory json = vm.serializeAddress(key, "aid", address(d.aid));
        string memory dir = vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
        vm.createDir(dir, true);
        vm.writeJson(json, string.concat(dir, "/", network, ".json"));
    }
}
