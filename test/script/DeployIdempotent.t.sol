// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployCore} from "../../script/01_DeployCore.s.sol";
import {WireOFT} from "../../script/02_WireOFT.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {StakedAIDOFTAdapter} from "../../src/vault/StakedAIDOFTAdapter.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {EnforcedOptionParam} from "@layerzerolabs/oapp-evm/contracts/oapp/interfaces/IOAppOptionsType3.sol";
import {OAppOptionsType3} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OAppOptionsType3.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {IOFT} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Re-running the production deploy scripts: 01_DeployCore deploys nothing new and returns the same addresses
///         (AID, sAID, its adapter, minter, reserve), 02_WireOFT sends nothing when everything is wired and completes a
///         partial wiring with exactly the missing writes; sAID has one address on all three chains and its OApps are
///         peered adapter <-> StakedAIDOFT.
contract DeployIdempotentTest is Test, LzFixture {
    uint32 internal constant ETH = 30_101;
    uint32 internal constant ARB = 30_110;
    uint32 internal constant PLUME = 30_370;

    DeployCore internal core;
    WireOFT internal wire;
    address internal broadcaster;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        _etchHomeExternals();
        core = new DeployCore();
        wire = new WireOFT();
        (, broadcaster,) = vm.readCallers();
    }

    function _deployOn(string memory network, uint256 chainId) internal returns (DeployCore.Deployment memory) {
        vm.chainId(chainId);
        return core.deploy(ShippedConfig.DIR, network);
    }

    function _assertSame(DeployCore.Deployment memory a, DeployCore.Deployment memory b) internal pure {
        assertEq(address(a.factory), address(b.factory), "factory");
        assertEq(address(a.aid), address(b.aid), "aid");
        assertEq(address(a.minter), address(b.minter), "minter");
        assertEq(address(a.reserve), address(b.reserve), "reserve");
        assertEq(a.sAID, b.sAID, "sAID");
        assertEq(a.sAIDAdapter, b.sAIDAdapter, "sAID adapter");
    }

    function _rerunSendsNothing(string memory network, uint256 chainId) internal {
        DeployCore.Deployment memory first = _deployOn(network, chainId);
        uint64 nonce = vm.getNonce(broadcaster);
        DeployCore.Deployment memory second = _deployOn(network, chainId);
        assertEq(vm.getNonce(broadcaster), nonce, "second run sent no transaction");
        _assertSame(first, second);
    }

    function test_deployCore_home_rerunDeploysNothing() public {
        _rerunSendsNothing("ethereum", 1);
    }

    function test_deployCore_remote_rerunDeploysNothing() public {
        _rerunSendsNothing("arbitrum", 42_161);
    }

    function test_deployCore_sAIDSameAddressOnEveryChain() public {
        uint256 snap = vm.snapshotState();
        DeployCore.Deployment memory eth = _deployOn("ethereum", 1);
        assertEq(eth.sAID, eth.factory.predict(broadcaster, CoreDeployer.SAID_SALT), "sAID at its CREATE3 address");
        assertEq(eth.sAIDAdapter, eth.factory.predict(broadcaster, CoreDeployer.SAID_ADAPTER_SALT), "adapter too");
        assertEq(StakedAIDOFTAdapter(eth.sAIDAdapter).token(), eth.sAID, "the adapter locks sAID shares");
        assertEq(eth.reserve.yieldReceiver(), eth.sAID, "sAID receives the reserve's yield");
        vm.revertToState(snap);
        DeployCore.Deployment memory arb = _deployOn("arbitrum", 42_161);
        vm.revertToState(snap);
        DeployCore.Deployment memory plume = _deployOn("plume", 98_866);
        assertEq(arb.sAID, eth.sAID, "arbitrum");
        assertEq(plume.sAID, eth.sAID, "plume");
        assertEq(IOFT(plume.sAID).token(), plume.sAID, "remote sAID is the share OFT itself");
        assertEq(arb.sAIDAdapter, address(0), "no adapter off the home chain");
    }

    function test_wireOFT_rerunSendsNothing() public {
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        uint64 nonce = vm.getNonce(broadcaster);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce, "nothing to wire");
    }

    function test_wireOFT_completesPartialWiring() public {
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        // an interrupted wiring: an AID peer, an inbound rate limit and an sAID adapter peer missing
        vm.startPrank(broadcaster);
        d.aid.setPeer(ARB, bytes32(0));
        d.aid.setRateLimit(PLUME, false, 1, 1 hours);
        OAppCore(d.sAIDAdapter).setPeer(PLUME, bytes32(0));
        vm.stopPrank();
        uint64 nonce = vm.getNonce(broadcaster);

        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce + 3, "exactly the three missing writes");
        assertEq(d.aid.peers(ARB), bytes32(uint256(uint160(address(d.aid)))));
        (uint256 limit, uint256 window,,) = d.aid.rateLimit(PLUME, false);
        assertEq(limit, 1_000_000e18);
        assertEq(window, 1 days);
        assertEq(OAppCore(d.sAIDAdapter).peers(PLUME), bytes32(uint256(uint160(d.sAID))));
    }

    function test_wireOFT_peersSAIDAdapterAndRemotes() public {
        uint256 snap = vm.snapshotState();
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        bytes32 remote = bytes32(uint256(uint160(d.sAID)));
        assertEq(OAppCore(d.sAIDAdapter).peers(ARB), remote, "home adapter -> arbitrum OFT");
        assertEq(OAppCore(d.sAIDAdapter).peers(PLUME), remote, "home adapter -> plume OFT");

        vm.revertToState(snap);
        DeployCore.Deployment memory arb = _deployOn("arbitrum", 42_161);
        wire.wire(ShippedConfig.DIR, "arbitrum", arb.aid);
        assertEq(OAppCore(arb.sAID).peers(ETH), bytes32(uint256(uint160(d.sAIDAdapter))), "remote -> home adapter");
        assertEq(OAppCore(arb.sAID).peers(PLUME), remote, "remote -> remote at sAID's address");
    }

    function _sendOptions() internal pure returns (bytes memory) {
        return
            OptionsBuilder.addExecutorLzReceiveOption(
                OptionsBuilder.newOptions(), ChainConfig.DEFAULT_LZ_RECEIVE_GAS, 0
            );
    }

    function _assertEnforced(address oapp, uint32 eid, string memory what) internal view {
        assertEq(OAppOptionsType3(oapp).enforcedOptions(eid, 1), _sendOptions(), what);
    }

    function test_wireOFT_enforcesLzReceiveGasThenWritesNothing() public {
        uint256 snap = vm.snapshotState();
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        _assertEnforced(address(d.aid), ARB, "AID -> arbitrum");
        _assertEnforced(address(d.aid), PLUME, "AID -> plume");
        _assertEnforced(d.sAIDAdapter, ARB, "sAID adapter -> arbitrum");
        _assertEnforced(d.sAIDAdapter, PLUME, "sAID adapter -> plume");
        uint64 nonce = vm.getNonce(broadcaster);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce, "options already equal: nothing written");

        vm.revertToState(snap);
        DeployCore.Deployment memory arb = _deployOn("arbitrum", 42_161);
        wire.wire(ShippedConfig.DIR, "arbitrum", arb.aid);
        _assertEnforced(address(arb.aid), ETH, "remote AID -> home");
        _assertEnforced(arb.sAID, ETH, "remote sAID -> home");
        _assertEnforced(arb.sAID, PLUME, "remote sAID -> plume");
    }

    function test_wireOFT_rewritesOnlyChangedEnforcedOptions() public {
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        EnforcedOptionParam[] memory p = new EnforcedOptionParam[](1);
        p[0] =
            EnforcedOptionParam(PLUME, 1, OptionsBuilder.addExecutorLzReceiveOption(OptionsBuilder.newOptions(), 1, 0));
        vm.prank(broadcaster);
        OAppOptionsType3(d.sAIDAdapter).setEnforcedOptions(p);
        uint64 nonce = vm.getNonce(broadcaster);

        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce + 1, "one write for the changed pathway");
        _assertEnforced(d.sAIDAdapter, PLUME, "restored");
        _assertEnforced(d.sAIDAdapter, ARB, "untouched");
    }
}
