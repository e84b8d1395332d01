// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {NodeRegistry} from "../src/nodes/NodeRegistry.sol";
import {TelemetryOracle} from "../src/nodes/TelemetryOracle.sol";
import {StakingVault} from "../src/staking/StakingVault.sol";
import {VetoSlasher} from "../src/staking/VetoSlasher.sol";
import {GAIBAdapter} from "../src/token/GAIBAdapter.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {GaibDeployer} from "./lib/GaibDeployer.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployGaib
/// @notice Deploys GAIB on one chain from `script/config/$GAIB_NETWORK.json` (chain, endpoint, OFT peers, final
///         admin). Home chain: GAIB (whole supply to `GAIB_TREASURY`), its OFT adapter, the staking vault (rewards in
///         AID at its CREATE3 address), the veto slasher, the node registry and the telemetry oracle. Other chains:
///         the GAIB OFT at the home token's address. Peers are set from the config's peer list (every address is
///         deterministic: GAIB everywhere, the adapter at home). Then begins the admin handoff to `finalAdmin`, if set.
///         Writes `deployments/<network>-gaib.json`. Run after 01_DeployCore (same deployer, same factory).
///         Idempotent: every contract (staking vault, slasher, registry and oracle included) lives at its CREATE3
///         address (`GaibDeployer` salts, the same on every chain) and is deployed only where no code is; peers,
///         roles and the admin handoff are read first and written only when missing, so a re-run completes a partial
///         deployment and otherwise sends nothing.
/// @dev Optional environment: GAIB_TREASURY, GAIB_INSURANCE_FUND, GAIB_RESOLVER (default: the deployer),
///      GAIB_EPOCH_DURATION [s] (default 3600), GAIB_MIN_SELF_STAKE [wad] (default 100,000 GAIB),
///      GAIB_HOME_NETWORK (default "ethereum").
contract DeployGaib is Script {
    struct Deployment {
        Create3Factory factory;
        address gaib;
        GAIBAdapter adapter; // zero off the home chain
        StakingVault vault; // zero off the home chain
        VetoSlasher slasher;
        NodeRegistry registry;
        TelemetryOracle oracle;
    }

    function run() external returns (Deployment memory d) {
        return deploy(ChainConfig.dir(), vm.envString("GAIB_NETWORK"));
    }

    function deploy(string memory configDir, string memory network) public returns (Deployment memory d) {
        (ChainConfig.Chain memory c,) = ChainConfig.load(configDir, network);
        ChainConfig.requireChain(c);
        (ChainConfig.Chain memory home,) =
            ChainConfig.load(configDir, vm.envOr("GAIB_HOME_NETWORK", string("ethereum")));
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        d.factory = _factory();
        address gaibAt = GaibDeployer.predictGaib(d.factory, deployer);
        address adapterAt = d.factory.predict(deployer, GaibDeployer.ADAPTER_SALT);
        if (c.home) {
            GaibDeployer.Home memory h =
                GaibDeployer.ensureHome(d.factory, c.endpoint, deployer, vm.envOr("GAIB_TREASURY", deployer));
            GaibDeployer.Staking memory s = GaibDeployer.ensureStaking(
                d.factory,
                IERC20(address(h.gaib)),
                IERC20(d.factory.predict(deployer, CoreDeployer.AID_SALT)),
                deployer,
                GaibDeployer.StakingParams({
                    genesis: block.timestamp,
                    epochDuration: vm.envOr("GAIB_EPOCH_DURATION", uint256(1 hours)),
                    minSelfStake: vm.envOr("GAIB_MIN_SELF_STAKE", uint256(100_000e18)),
                    insuranceFund: vm.envOr("GAIB_INSURANCE_FUND", deployer),
                    resolver: vm.envOr("GAIB_RESOLVER", deployer),
                    rewarder: address(0)
                })
            );
            GaibDeployer.Nodes memory n = GaibDeployer.ensureNodes(d.factory, s, deployer);
            (d.gaib, d.adapter, d.vault, d.slasher) = (address(h.gaib), h.adapter, s.vault, s.slasher);
            (d.registry, d.oracle) = (n.registry, n.oracle);
            for (uint256 i; i < c.peers.length; ++i) {
                _setPeer(h.adapter, c.peers[i], gaibAt);
            }
        } else {
            d.gaib = address(GaibDeployer.ensureRemote(d.factory, c.endpoint, deployer));
            for (uint256 i; i < c.peers.length; ++i) {
                address peer = c.peers[i] == home.eid ? adapterAt : gaibAt;
                _setPeer(OAppCore(d.gaib), c.peers[i], peer);
            }
        }
        if (c.finalAdmin != address(0) && c.finalAdmin != deployer) _handoff(d, c.finalAdmin);
        vm.stopBroadcast();
        _write(network, d);
    }

    /// @dev Begins the two-step admin transfer of every contract deployed here, skipping those where `finalAdmin` is
    ///      already admin or already pending.
    function _handoff(Deployment memory d, address finalAdmin) private {
        if (address(d.adapter) == address(0)) {
            _beginHandoff(address(d.gaib), finalAdmin);
        } else {
            _beginHandoff(address(d.adapter), finalAdmin);
            _beginHandoff(address(d.vault), finalAdmin);
            _beginHandoff(address(d.slasher), finalAdmin);
            _beginHandoff(address(d.registry), finalAdmin);
            _beginHandoff(address(d.oracle), finalAdmin);
        }
    }

    function _beginHandoff(address target, address finalAdmin) private {
        IAccessControlDefaultAdminRules a = IAccessControlDefaultAdminRules(target);
        (address pending,) = a.pendingDefaultAdmin();
        if (a.defaultAdmin() != finalAdmin && pending != finalAdmin) a.beginDefaultAdminTransfer(finalAdmin);
    }

    function _setPeer(OAppCore oapp, uint32 eid, address peer) private {
        bytes32 want = bytes32(uint256(uint160(peer)));
        if (oapp.peers(eid) != want) oapp.setPeer(eid, want);
    }

    /// @dev Reuses the factory if this chain already has it (its address is the same everywhere).
    function _factory() private returns (Create3Factory) {
        address predicted =
            vm.computeCreate2Address(CoreDeployer.FACTORY_SALT, keccak256(type(Create3Factory).creationCode));
        if (predicted.code.length != 0) return Create3Factory(predicted);
        return CoreDeployer.deployFactory();
    }

    function _write(string memory network, Deployment memory d) private {
        string memory key = string.concat(network, "-gaib");
        vm.serializeUint(key, "chainId", block.chainid);
        vm.serializeAddress(key, "factory", address(d.factory));
        vm.serializeAddress(key, "adapter", address(d.adapter));
        vm.serializeAddress(key, "stakingVault", address(d.vault));
        vm.serializeAddress(key, "vetoSlasher", address(d.slasher));
        vm.serializeAddress(key, "nodeRegistry", address(d.registry));
        vm.serializeAddress(key, "telemetryOracle", address(d.oracle));
        string memory json = vm.serializeAddress(key, "gaib", d.gaib);
        string memory dir = vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
        vm.createDir(dir, true);
        vm.writeJson(json, string.concat(dir, "/", network, "-gaib.json"));
    }
}
