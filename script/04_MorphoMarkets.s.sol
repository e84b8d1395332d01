// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MorphoDeployer} from "./lib/MorphoDeployer.sol";
import {Script} from "forge-std/Script.sol";

/// @title MorphoMarkets
/// @notice Creates sAID's Morpho Blue markets ({MorphoDeployer}: KinkedIrm, one SAIDMorphoOracle per loan token,
///         sAID/AID at 91.5% and sAID/USDC at 86% LLTV) on the Morpho at GAIB_MORPHO, for the core deployment recorded
///         in `deployments/<GAIB_NETWORK>.json` (its `aid` and `sAID`). Writes `deployments/<network>-morpho.json`.
///         Run after 01_DeployCore. Not idempotent: Morpho refuses to create a market twice ("market already created").
/// @dev Environment: GAIB_NETWORK, GAIB_MORPHO (Morpho Blue), GAIB_MORPHO_USDC (the USDC market's loan token);
///      optional GAIB_MORPHO_IRM (an IRM Morpho enabled; default: deploy our KinkedIrm), GAIB_MORPHO_ENABLE (default
///      false: the broadcaster is Morpho's owner and enables the IRM and LLTVs not enabled yet), GAIB_DEPLOYMENTS_DIR.
contract MorphoMarkets is Script {
    function run() external returns (MorphoDeployer.Markets memory) {
        string memory network = vm.envString("GAIB_NETWORK");
        string memory core = vm.readFile(string.concat(_dir(), "/", network, ".json"));
        MorphoDeployer.Params memory p = MorphoDeployer.defaults(
            vm.envAddress("GAIB_MORPHO"),
            vm.parseJsonAddress(core, ".sAID"),
            vm.parseJsonAddress(core, ".aid"),
            vm.envAddress("GAIB_MORPHO_USDC"),
            vm.envOr("GAIB_MORPHO_ENABLE", false)
        );
        p.irm = vm.envOr("GAIB_MORPHO_IRM", address(0));
        return deploy(network, p);
    }

    /// @notice Deploys with `p` (broadcast) and writes the record for `network`.
    function deploy(string memory network, MorphoDeployer.Params memory p)
        public
        returns (MorphoDeployer.Markets memory m)
    {
        vm.startBroadcast();
        m = MorphoDeployer.deploy(p);
        vm.stopBroadcast();
        _write(network, p, m);
    }

    function _dir() private view returns (string memory) {
        return vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
    }

    function _write(string memory network, MorphoDeployer.Params memory p, MorphoDeployer.Markets memory m) private {
        string memory key = string.concat(network, "-morpho");
        vm.serializeUint(key, "chainId", block.chainid);
        vm.serializeAddress(key, "morpho", p.morpho);
        vm.serializeAddress(key, "irm", m.irm);
        vm.serializeAddress(key, "aidOracle", m.aidOracle);
        vm.serializeAddress(key, "usdcOracle", m.usdcOracle);
        vm.serializeBytes32(key, "aidMarketId", m.aidMarketId);
        vm.serializeBytes32(key, "usdcMarketId", m.usdcMarketId);
        vm.serializeUint(key, "aidMarketLltv", p.lltvAid);
        string memory json = vm.serializeUint(key, "usdcMarketLltv", p.lltvUsdc);
        vm.createDir(_dir(), true);
        vm.writeJson(json, string.concat(_dir(), "/", network, "-morpho.json"));
    }
}
