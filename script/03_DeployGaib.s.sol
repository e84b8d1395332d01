// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueOracle} from "../src/interfaces/IRevenueOracle.sol";
import {NodeRegistry} from "../src/nodes/NodeRegistry.sol";
import {TelemetryOracle} from "../src/nodes/TelemetryOracle.sol";
import {StakingVault} from "../src/staking/StakingVault.sol";
import {VetoSlasher} from "../src/staking/VetoSlasher.sol";
import {GAIBAdapter} from "../src/token/GAIBAdapter.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {DealDeployer} from "./lib/DealDeployer.sol";
import {GaibDeployer} from "./lib/GaibDeployer.sol";
import {Handoff} from "./lib/Handoff.sol";
import {LzConfig} from "./lib/LzConfig.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployGaib
/// @notice Deploys GAIB on one chain from `script/config/$GAIB_NETWORK.json` (chain, endpoint, OFT peers, roles, final
///         admin). Home chain: GAIB (whole supply to `roles.treasury`), its OFT adapter, the staking vault (rewards in
///         AID at its CREATE3 address), the veto slasher (slashed GAIB to `roles.insuranceFund`, vetoes by
///         `roles.resolver`), the node registry, the telemetry oracle and the GPU deal stack ({DealDeployer}: deal
///         factory with its implementations, revenue reporter, oracle revenue adapter; roles from `roles.*`; the node
///         registry reads deals from that factory, {DealDeployer.wireRegistry}). Other
///         chains: the GAIB OFT at the home token's address. Peers are set from the config's peer list (every address
///         is deterministic: GAIB everywhere, the adapter at home), after the LayerZero security config of every
///         pathway of the adapter / OFT ({LzConfig}, as in 02_WireOFT: libraries, executor, ULN configs with the
///         config's DVNs and the source chain's confirmations; skipped only for a config without `layerzero` off the
///         real chain ids). Then the handoff to `finalAdmin`, if set
///         ({Handoff}: the deployer's remaining roles revoked, the two-step admin transfer begun on every contract).
///         Writes `deployments/<network>-gaib.json`. Run after 01_DeployCore (same deployer, same factory).
///         Idempotent: every contract (staking vault, slasher, registry and oracle included) lives at its CREATE3
///         address (`GaibDeployer` salts, the same on every chain) and is deployed only where no code is; peers,
///         roles and the admin handoff are read first and written only when missing, so a re-run completes a partial
///         deployment and otherwise sends nothing.
/// @dev Settings from the config only (script/config/README.md): `roles.treasury` (the whole 1e9 GAIB supply, deal
///      fees), `roles.insuranceFund` (slashed GAIB), `roles.resolver` (slash vetoes), `roles.protocolFeeReceiver`
///      ({ChainConfig.fundRole}: unset, a production config reverts with `MissingRole` and a real chain id with
///      `RoleDefaultRefused`; a local development config defaults them to the deployer), `gaib.epochDuration` [s] and
///      `gaib.minSelfStake` [wad] ({ChainConfig.gaibParams}: unset on a real chain id, `GaibParamUnset`; locally
///      3600 and 100,000 GAIB). Optional environment: GAIB_HOME_NETWORK (default "ethereum").
contract DeployGaib is Script {
    struct Deployment {
        Create3Factory factory;
        address gaib;
        GAIBAdapter adapter; // zero off the home chain
        StakingVault vault; // zero off the home chain
        VetoSlasher slasher;
        NodeRegistry registry;
        TelemetryOracle oracle;
        DealDeployer.Deals deals; // home only
    }

    function run() external returns (Deployment memory d) {
        return deploy(ChainConfig.dir(), vm.envString("GAIB_NETWORK"));
    }

    function deploy(string memory configDir, string memory network) public returns (Deployment memory d) {
        (ChainConfig.Chain memory c, string memory json) = ChainConfig.load(configDir, network);
        ChainConfig.requireChain(c);
        ChainConfig.refusePlaceholders(json);
        uint64[] memory peerConfirmations;
        if (ChainConfig.wiresLayerZero(c)) peerConfirmations = ChainConfig.peerConfirmations(configDir, c);
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        d.factory = _factory();
        if (c.home) _home(d, c, json, deployer);
        else d.gaib = address(GaibDeployer.ensureRemote(d.factory, c.endpoint, deployer));
        _wire(d, c, configDir, deployer, peerConfirmations);
        if (c.finalAdmin != address(0) && c.finalAdmin != deployer) _handoff(d, c.finalAdmin, deployer);
        vm.stopBroadcast();
        _write(network, d);
    }

    function _home(Deployment memory d, ChainConfig.Chain memory c, string memory json, address deployer) private {
        address aidAt = d.factory.predict(deployer, CoreDeployer.AID_SALT);
        // The treasury, then the insurance fund and the resolver (RoleDefaultRefused), then the staking parameters.
        GaibDeployer.Home memory h =
            GaibDeployer.ensureHome(d.factory, c.endpoint, deployer, ChainConfig.fundRole(json, "treasury", deployer));
        GaibDeployer.Staking memory s = GaibDeployer.ensureStaking(
            d.factory, IERC20(address(h.gaib)), IERC20(aidAt), deployer, _stakingParams(json, deployer)
        );
        GaibDeployer.Nodes memory n = GaibDeployer.ensureNodes(d.factory, s, deployer);
        (d.gaib, d.adapter, d.vault, d.slasher) = (address(h.gaib), h.adapter, s.vault, s.slasher);
        (d.registry, d.oracle) = (n.registry, n.oracle);
        d.deals = DealDeployer.ensureDeals(
            d.factory, aidAt, IRevenueOracle(address(n.oracle)), deployer, _dealParams(json, deployer)
        );
        DealDeployer.wireRegistry(n.registry, d.deals.factory, deployer);
    }

    /// @dev The GAIB OApp's LayerZero security config (first), then its peers: GAIB's address everywhere, the adapter
    ///      for the home chain's endpoint id (the adapter's peers are all GAIB OFTs).
    function _wire(
        Deployment memory d,
        ChainConfig.Chain memory c,
        string memory configDir,
        address deployer,
        uint64[] memory peerConfirmations
    ) private {
        address oapp = c.home ? address(d.adapter) : d.gaib;
        if (c.hasLayerZero) LzConfig.wire(c.endpoint, oapp, c.lz, c.peers, peerConfirmations);
        uint32 homeEid = c.eid;
        if (!c.home) {
            (ChainConfig.Chain memory home,) =
                ChainConfig.load(configDir, vm.envOr("GAIB_HOME_NETWORK", string("ethereum")));
            homeEid = home.eid;
        }
        address gaibAt = GaibDeployer.predictGaib(d.factory, deployer);
        address adapterAt = d.factory.predict(deployer, GaibDeployer.ADAPTER_SALT);
        for (uint256 i; i < c.peers.length; ++i) {
            _setPeer(OAppCore(oapp), c.peers[i], c.peers[i] == homeEid ? adapterAt : gaibAt);
        }
    }

    /// @dev The staking vault's and slasher's settings from the config: `roles.insuranceFund`, `roles.resolver`
    ///      ({ChainConfig.fundRole}), `gaib.epochDuration`, `gaib.minSelfStake` ({ChainConfig.gaibParams}).
    function _stakingParams(string memory json, address deployer)
        private
        view
        returns (GaibDeployer.StakingParams memory p)
    {
        p.insuranceFund = ChainConfig.fundRole(json, "insuranceFund", deployer);
        p.resolver = ChainConfig.fundRole(json, "resolver", deployer);
        ChainConfig.GaibParams memory g = ChainConfig.gaibParams(json);
        (p.genesis, p.epochDuration, p.minSelfStake) = (block.timestamp, g.epochDuration, g.minSelfStake);
    }

    /// @dev The deal stack's fee receivers and role holders from `roles.*`.
    function _dealParams(string memory json, address deployer) private view returns (DealDeployer.Params memory p) {
        p.treasury = ChainConfig.fundRole(json, "treasury", deployer);
        p.protocolFeeReceiver = ChainConfig.fundRole(json, "protocolFeeReceiver", deployer);
        p.dealAdmin = ChainConfig.role(json, "dealAdmin", deployer);
        p.underwriter = ChainConfig.role(json, "underwriter", deployer);
        p.kycManager = ChainConfig.role(json, "kycManager", deployer);
        p.pauser = ChainConfig.role(json, "gatekeeper", deployer);
        p.revenueReporter = ChainConfig.role(json, "revenueReporter", deployer);
        p.settlementDelay = ChainConfig.revenueSettlementDelay(json);
    }

    /// @dev The handoff of every contract deployed here that has an admin (the deal implementations and the oracle
    ///      revenue adapter have none); contracts already handed off or pending are skipped.
    function _handoff(Deployment memory d, address finalAdmin, address deployer) private {
        if (address(d.adapter) == address(0)) {
            Handoff.handOff(d.gaib, finalAdmin, deployer);
        } else {
            Handoff.handOff(address(d.adapter), finalAdmin, deployer);
            Handoff.handOff(address(d.vault), finalAdmin, deployer);
            Handoff.handOff(address(d.slasher), finalAdmin, deployer);
            Handoff.handOff(address(d.registry), finalAdmin, deployer);
            Handoff.handOff(address(d.oracle), finalAdmin, deployer);
            Handoff.handOff(address(d.deals.factory), finalAdmin, deployer);
            Handoff.handOff(address(d.deals.reporter), finalAdmin, deployer);
        }
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
        vm.serializeAddress(key, "dealFactory", address(d.deals.factory));
        vm.serializeAddress(key, "dealImplementation", d.deals.dealImpl);
        vm.serializeAddress(key, "trancheImplementation", d.deals.trancheImpl);
        vm.serializeAddress(key, "revenueReporter", address(d.deals.reporter));
        vm.serializeAddress(key, "revenueAdapter", address(d.deals.revenueAdapter));
        string memory json = vm.serializeAddress(key, "gaib", d.gaib);
        string memory dir = vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
        vm.createDir(dir, true);
        vm.writeJson(json, string.concat(dir, "/", network, "-gaib.json"));
    }
}
