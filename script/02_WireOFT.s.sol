// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AID} from "../src/token/AID.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {Script} from "forge-std/Script.sol";

/// @title WireOFT
/// @notice Connects this chain's AID to its peers from `script/config/$GAIB_NETWORK.json`: the peer is AID's own
///         address on every chain (CREATE3), and each pathway gets the configured inbound and outbound rate limit.
///         Run on every chain after 01_DeployCore; unconfigured pathways keep zero capacity.
/// @dev `GAIB_NETWORK=arbitrum forge script script/02_WireOFT.s.sol --rpc-url $RPC --account deployer --broadcast`
contract WireOFT is Script {
    function run() external {
        string memory network = vm.envString("GAIB_NETWORK");
        string memory dir = vm.envOr("GAIB_DEPLOYMENTS_DIR", string("deployments"));
        wire(
            ChainConfig.dir(),
            network,
            AID(vm.parseJsonAddress(vm.readFile(string.concat(dir, "/", network, ".json")), ".aid"))
        );
    }

    function wire(string memory configDir, string memory network, AID aid) public {
        (ChainConfig.Chain memory c,) = ChainConfig.load(configDir, network);
        ChainConfig.requireChain(c);
        vm.startBroadcast();
        for (uint256 i; i < c.peers.length; ++i) {
            aid.setPeer(c.peers[i], bytes32(uint256(uint160(address(aid)))));
            aid.setRateLimit(c.peers[i], true, c.limit, c.window);
            aid.setRateLimit(c.peers[i], false, c.limit, c.window);
        }
        vm.stopBroadcast();
    }
}
