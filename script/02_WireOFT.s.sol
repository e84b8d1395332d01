// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AID} from "../src/token/AID.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {ChainConfig} from "./lib/ChainConfig.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {LzConfig} from "./lib/LzConfig.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {
    EnforcedOptionParam,
    IOAppOptionsType3
} from "@layerzerolabs/oapp-evm/contracts/oapp/interfaces/IOAppOptionsType3.sol";
import {OAppOptionsType3} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OAppOptionsType3.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {Script} from "forge-std/Script.sol";

/// @title WireOFT
/// @notice Connects this chain's AID and sAID to their peers from `script/config/$GAIB_NETWORK.json`. AID: the peer is
///         AID's own address on every chain (CREATE3), and each pathway gets the configured inbound and outbound rate
///         limit. sAID (when 01_DeployCore deployed it): the home adapter peers the StakedAIDOFT at sAID's address on
///         every other chain; a remote chain peers the home adapter for the home endpoint id and sAID's address for
///         the others. Every AID and sAID pathway gets an enforced executor lzReceive option for plain OFT sends
///         (`oft.lzReceiveGas`, default `ChainConfig.DEFAULT_LZ_RECEIVE_GAS`). Run on every chain after 01_DeployCore;
///         unconfigured pathways keep zero capacity.
///         LayerZero security ({LzConfig}, before any peer is set): for AID and sAID's OApp, per pathway, the send and
///         receive libraries pinned to the config's SendUln302 / ReceiveUln302, the executor config and the send-side
///         ULN config (this chain's confirmations and DVNs), and the receive-side ULN config (the peer chain's
///         confirmations, read from its config in the same folder). A config without `layerzero` skips this only off
///         the real chain ids ({ChainConfig.wiresLayerZero}); a production config always has it (at least 2 DVNs).
///         Idempotent: every value is read first and only what differs is written, so a re-run completes a partial
///         wiring and otherwise sends nothing.
/// @dev `GAIB_NETWORK=arbitrum forge script script/02_WireOFT.s.sol --rpc-url $RPC --account deployer --broadcast`;
///      `GAIB_HOME_NETWORK` (default "ethereum") names the home chain's config.
contract WireOFT is Script {
    uint16 internal constant SEND = 1; // OFTCore.SEND message type

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
        uint64[] memory peerConfirmations;
        if (ChainConfig.wiresLayerZero(c)) peerConfirmations = ChainConfig.peerConfirmations(configDir, c);
        (ChainConfig.Chain memory home,) =
            ChainConfig.load(configDir, vm.envOr("GAIB_HOME_NETWORK", string("ethereum")));
        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        _wireSecurity(c, address(aid), peerConfirmations);
        for (uint256 i; i < c.peers.length; ++i) {
            _setPeer(OAppCore(address(aid)), c.peers[i], address(aid));
            _setRateLimit(aid, c.peers[i], true, c.limit, c.window);
            _setRateLimit(aid, c.peers[i], false, c.limit, c.window);
        }
        _enforceOptions(address(aid), c);
        _wireStakedAID(c, home.eid, deployer, peerConfirmations);
        vm.stopBroadcast();
    }

    /// @dev The LayerZero security config of every pathway of `oapp` (skipped when the config has none, see
    ///      {ChainConfig.wiresLayerZero}); only what differs is written.
    function _wireSecurity(ChainConfig.Chain memory c, address oapp, uint64[] memory peerConfirmations) private {
        if (c.hasLayerZero) LzConfig.wire(c.endpoint, oapp, c.lz, c.peers, peerConfirmations);
    }

    /// @dev sAID peers, if sAID's OApp is deployed on this chain (the adapter at home, the OFT elsewhere).
    function _wireStakedAID(
        ChainConfig.Chain memory c,
        uint32 homeEid,
        address deployer,
        uint64[] memory peerConfirmations
    ) private {
        Create3Factory f = Create3Factory(
            vm.computeCreate2Address(CoreDeployer.FACTORY_SALT, keccak256(type(Create3Factory).creationCode))
        );
        if (address(f).code.length == 0) return;
        address sAID = f.predict(deployer, CoreDeployer.SAID_SALT);
        address adapter = f.predict(deployer, CoreDeployer.SAID_ADAPTER_SALT);
        address oapp = c.home ? adapter : sAID;
        if (oapp.code.length == 0) return;
        _wireSecurity(c, oapp, peerConfirmations);
        for (uint256 i; i < c.peers.length; ++i) {
            _setPeer(OAppCore(oapp), c.peers[i], c.peers[i] == homeEid ? adapter : sAID);
        }
        _enforceOptions(oapp, c);
    }

    /// @dev The executor lzReceive option enforced on every pathway of `oapp` for plain OFT sends; one write with only
    ///      the pathways whose current options differ, none when all match.
    function _enforceOptions(address oapp, ChainConfig.Chain memory c) private {
        bytes memory want = OptionsBuilder.addExecutorLzReceiveOption(OptionsBuilder.newOptions(), c.lzReceiveGas, 0);
        bool[] memory differs = new bool[](c.peers.length);
        uint256 n;
        for (uint256 i; i < c.peers.length; ++i) {
            differs[i] = keccak256(OAppOptionsType3(oapp).enforcedOptions(c.peers[i], SEND)) != keccak256(want);
            if (differs[i]) ++n;
        }
        if (n == 0) return;
        EnforcedOptionParam[] memory p = new EnforcedOptionParam[](n);
        n = 0;
        for (uint256 i; i < c.peers.length; ++i) {
            if (differs[i]) p[n++] = EnforcedOptionParam(c.peers[i], SEND, want);
        }
        IOAppOptionsType3(oapp).setEnforcedOptions(p);
    }

    function _setPeer(OAppCore oapp, uint32 eid, address peer) private {
        bytes32 want = bytes32(uint256(uint160(peer)));
        if (oapp.peers(eid) != want) oapp.setPeer(eid, want);
    }

    function _setRateLimit(AID aid, uint32 eid, bool outbound, uint96 limit, uint24 window) private {
        (uint256 l, uint256 w,,) = aid.rateLimit(eid, outbound);
        if (l != limit || w != window) aid.setRateLimit(eid, outbound, limit, window);
    }
}
