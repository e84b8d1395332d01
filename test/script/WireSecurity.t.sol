// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployCore} from "../../script/01_DeployCore.s.sol";
import {WireOFT} from "../../script/02_WireOFT.s.sol";
import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {LzConfig} from "../../script/lib/LzConfig.sol";
import {AID} from "../../src/token/AID.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {UlnConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/UlnBase.sol";
import {ILayerZeroEndpointV2} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {SetConfigParam} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/IMessageLibManager.sol";

/// @notice Issue 11, LayerZero security configuration, through the deploy scripts on the shipped configs (LayerZero's
///         EndpointV2 and ULN302 at the configured addresses, {LzFixture}): 02_WireOFT pins libraries, executor and
///         ULN configs on every AID and sAID pathway, 03_DeployGaib on every GAIB pathway; re-runs write nothing, a
///         drifted pathway is restored alone; configs without the `layerzero` object or with fewer than two required
///         DVNs are refused with the named error, and a real chain id never skips the step.
contract WireSecurityTest is LzFixture {
    string internal constant BAD = "test/fixtures/config-lz";

    DeployCore internal core;
    WireOFT internal wire;
    DeployGaib internal gaib;
    address internal broadcaster;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        _etchHomeExternals();
        core = new DeployCore();
        wire = new WireOFT();
        gaib = new DeployGaib();
        (, broadcaster,) = vm.readCallers();
    }

    function _coreAndWire(string memory network, uint256 chainId) internal returns (DeployCore.Deployment memory d) {
        vm.chainId(chainId);
        d = core.deploy(ShippedConfig.DIR, network);
        wire.wire(ShippedConfig.DIR, network, d.aid);
    }

    // ---------------------------------------------------------------- every pathway, every OApp

    function test_uln_wireOFTPinsSecurityOnEveryPathway_home() public {
        DeployCore.Deployment memory d = _coreAndWire("ethereum", 1);
        _assertPathways(ShippedConfig.DIR, "ethereum", address(d.aid));
        _assertPathways(ShippedConfig.DIR, "ethereum", d.sAIDAdapter);
        ILayerZeroEndpointV2 e = ILayerZeroEndpointV2(LZ_ENDPOINT);
        assertFalse(e.isDefaultSendLibrary(address(d.aid), ARB_EID), "send library pinned, not the default");
        UlnConfig memory u = abi.decode(
            e.getConfig(address(d.aid), 0xc02Ab410f0734EFa3F14628780e6e695156024C2, PLUME_EID, 2), (UlnConfig)
        );
        assertEq(u.confirmations, 20, "receive from Plume: Plume's confirmations (script/config/plume.json)");
        assertEq(u.requiredDVNCount, 2, "two required DVNs");
    }

    function test_uln_wireOFTPinsSecurityOnEveryPathway_remote() public {
        DeployCore.Deployment memory d = _coreAndWire("arbitrum", 42_161);
        _assertPathways(ShippedConfig.DIR, "arbitrum", address(d.aid));
        _assertPathways(ShippedConfig.DIR, "arbitrum", d.sAID);
    }

    function test_uln_deployGaibPinsSecurityOnEveryPathway() public {
        uint256 snap = vm.snapshotState();
        vm.chainId(1);
        DeployGaib.Deployment memory eth = gaib.deploy(ShippedConfig.DIR, "ethereum");
        _assertPathways(ShippedConfig.DIR, "ethereum", address(eth.adapter));
        vm.revertToState(snap);
        vm.chainId(98_866);
        DeployGaib.Deployment memory plume = gaib.deploy(ShippedConfig.DIR, "plume");
        _assertPathways(ShippedConfig.DIR, "plume", plume.gaib);
    }

    // ---------------------------------------------------------------- re-runs

    function test_uln_rerunWritesNothing() public {
        DeployCore.Deployment memory d = _coreAndWire("ethereum", 1);
        uint64 nonce = vm.getNonce(broadcaster);
        vm.recordLogs();
        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce, "no transaction");
        assertEq(vm.getRecordedLogs().length, 0, "no config, library or peer event");
    }

    function test_uln_rerunRestoresDriftedPathwayOnly() public {
        DeployCore.Deployment memory d = _coreAndWire("ethereum", 1);
        (ChainConfig.Chain memory c,) = ChainConfig.load(ShippedConfig.DIR, "ethereum");
        address[] memory one = new address[](1);
        one[0] = c.lz.requiredDVNs[0];
        SetConfigParam[] memory p = new SetConfigParam[](1);
        p[0] = SetConfigParam(ARB_EID, 2, abi.encode(UlnConfig(1, 1, 255, 0, one, new address[](0))));
        vm.prank(broadcaster); // still the endpoint delegate: the final admin has not accepted yet
        ILayerZeroEndpointV2(LZ_ENDPOINT).setConfig(d.sAIDAdapter, c.lz.sendLib, p);
        uint64 nonce = vm.getNonce(broadcaster);

        wire.wire(ShippedConfig.DIR, "ethereum", d.aid);
        assertEq(vm.getNonce(broadcaster), nonce + 1, "one write");
        _assertPathways(ShippedConfig.DIR, "ethereum", d.sAIDAdapter);
    }

    // ---------------------------------------------------------------- refused configs

    function test_uln_productionConfigWithoutLayerZeroRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingLayerZeroConfig.selector, "nolayerzero"));
        wire.wire(BAD, "nolayerzero", AID(address(0)));
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingLayerZeroConfig.selector, "nolayerzero"));
        core.deploy(BAD, "nolayerzero");
    }

    function test_uln_fewerThanTwoRequiredDVNsRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(LzConfig.TooFewRequiredDVNs.selector, 1, 2));
        wire.wire(BAD, "onedvn", AID(address(0)));
    }

    function test_uln_minRequiredDVNsBelowPolicyRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(LzConfig.MinRequiredDVNsBelowPolicy.selector, 1, 2));
        wire.wire(BAD, "policy", AID(address(0)));
    }

    function test_uln_unsortedDVNsRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(LzConfig.DVNsNotSorted.selector);
        gaib.deploy(BAD, "unsorted");
    }

    /// @notice The receive side needs each peer's confirmations: a peer without a config in the folder is refused.
    function test_uln_peerWithoutConfigRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingPeerConfig.selector, ETH_EID));
        wire.wire(BAD, "lonely", AID(address(0)));
    }

    /// @notice Two configs in the folder claim the peer's endpoint id: which confirmations to wait for is ambiguous.
    function test_uln_ambiguousPeerConfigRefused() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.AmbiguousPeerConfig.selector, ETH_EID));
        wire.wire("test/fixtures/config-lz-ambiguous", "lonely", AID(address(0)));
    }

    function validateSecurity(LzConfig.Security memory s) external pure {
        LzConfig.validate(s);
    }

    function _validSecurity() internal pure returns (LzConfig.Security memory s) {
        s.sendLib = address(0x5E);
        s.receiveLib = address(0x4E);
        s.executor = address(0xE0);
        s.maxMessageSize = 10_000;
        s.confirmations = 15;
        s.requiredDVNs = new address[](2);
        (s.requiredDVNs[0], s.requiredDVNs[1]) = (address(0xD1), address(0xD2));
        s.minRequiredDVNs = 2;
    }

    /// @notice A zero library, executor, message size or confirmation count would silently follow LayerZero's
    ///         defaults: each is refused, naming the field.
    function test_uln_zeroFieldRefused() public {
        this.validateSecurity(_validSecurity()); // the base config is valid
        string[5] memory fields = ["sendLib", "receiveLib", "executor", "maxMessageSize", "confirmations"];
        for (uint256 i; i < 5; ++i) {
            LzConfig.Security memory s = _validSecurity();
            if (i == 0) s.sendLib = address(0);
            if (i == 1) s.receiveLib = address(0);
            if (i == 2) s.executor = address(0);
            if (i == 3) s.maxMessageSize = 0;
            if (i == 4) s.confirmations = 0;
            vm.expectRevert(abi.encodeWithSelector(LzConfig.InvalidLayerZeroField.selector, fields[i]));
            this.validateSecurity(s);
        }
    }

    /// @notice An optional-DVN threshold above the optional DVNs, or zero while some are listed, is refused.
    function test_uln_invalidOptionalDVNThresholdRefused() public {
        LzConfig.Security memory s = _validSecurity();
        s.optionalDVNThreshold = 1; // no optional DVNs
        vm.expectRevert(abi.encodeWithSelector(LzConfig.InvalidOptionalDVNThreshold.selector, 1, 0));
        this.validateSecurity(s);
        s.optionalDVNs = new address[](1);
        s.optionalDVNs[0] = address(0xD3);
        s.optionalDVNThreshold = 0; // one listed, none required
        vm.expectRevert(abi.encodeWithSelector(LzConfig.InvalidOptionalDVNThreshold.selector, 0, 1));
        this.validateSecurity(s);
        s.optionalDVNThreshold = 1;
        this.validateSecurity(s); // 1 of 1 is valid
    }

    /// @notice A development config (no finalAdmin) without `layerzero` is not skipped on a real chain id.
    function test_uln_realChainNeverSkips() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingLayerZeroConfig.selector, "devnolayerzero"));
        wire.wire(BAD, "devnolayerzero", AID(address(0)));
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingLayerZeroConfig.selector, "devnolayerzero"));
        gaib.deploy(BAD, "devnolayerzero");
    }

    /// @notice Off the real chain ids a development config without `layerzero` skips the step: the pathway keeps the
    ///         endpoint's defaults.
    function test_uln_devConfigOffRealChainSkips() public {
        vm.chainId(31_337);
        DeployCore.Deployment memory d = core.deploy("test/fixtures/config-dev", "local");
        wire.wire("test/fixtures/config-dev", "local", d.aid);
        assertTrue(ILayerZeroEndpointV2(LZ_ENDPOINT).isDefaultSendLibrary(address(d.aid), ARB_EID), "not pinned");
        assertEq(d.aid.peers(ARB_EID), bytes32(uint256(uint160(address(d.aid)))), "peers still wired");
    }
}
