// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployCore} from "../../script/01_DeployCore.s.sol";
import {WireOFT} from "../../script/02_WireOFT.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {AID} from "../../src/token/AID.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Runs the production deploy scripts against each chain's config with the external contracts (LayerZero
///         endpoint, USDC/USDT, Chainlink feeds) etched at their real addresses.
contract DeployScriptsTest is Test, LzFixture {
    address internal constant USDC = 0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48;
    address internal constant USDT = 0xdAC17F958D2ee523a2206206994597C13D831ec7;
    address internal constant USDC_FEED = 0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6;
    address internal constant USDT_FEED = 0x3E7d1eAB13ad0104d2750B8863b489D65364e32D;

    DeployCore internal deployScript;
    address internal broadcaster;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        deployCodeTo("MockERC20.sol:MockERC20", abi.encode("USD Coin", "USDC", uint8(6)), USDC);
        deployCodeTo("MockERC20.sol:MockERC20", abi.encode("Tether USD", "USDT", uint8(6)), USDT);
        deployCodeTo("MockPriceFeed.sol:MockPriceFeed", abi.encode(uint8(8), int192(1e8)), USDC_FEED);
        deployCodeTo("MockPriceFeed.sol:MockPriceFeed", abi.encode(uint8(8), int192(1e8)), USDT_FEED);
        deployScript = new DeployCore();
        (, broadcaster,) = vm.readCallers();
    }

    function _deployOn(string memory network, uint256 chainId) internal returns (DeployCore.Deployment memory d) {
        vm.chainId(chainId);
        d = deployScript.deploy(ShippedConfig.DIR, network);
    }

    function test_deployCore_home_configuresEverythingFromJson() public {
        DeployCore.Deployment memory d = _deployOn("ethereum", 1);
        assertEq(address(d.aid), d.factory.predict(broadcaster, CoreDeployer.AID_SALT), "AID at its CREATE3 address");
        assertTrue(d.aid.hasRole(d.aid.MINTER_ROLE(), address(d.minter)), "minter can mint");
        assertEq(d.reserve.minter(), address(d.minter));
        assertEq(address(d.minter.aid()), address(d.aid));
        assertEq(d.minter.supplyCap(), 100_000_000e18);
        assertEq(d.minter.redeemDelay(), 1 days);
        address[] memory assets = d.minter.assets();
        assertEq(assets.length, 2);
        assertEq(assets[0], USDC);
        assertEq(assets[1], USDT);
        IAIDMinter.AssetConfig memory c = d.minter.assetConfig(USDC);
        assertEq(c.feed, USDC_FEED);
        assertEq(c.decimals, 6);
        assertTrue(c.enabled);
        assertEq(c.heartbeat, 1 days);
        string memory json = vm.readFile(string.concat(ShippedConfig.DIR, "/ethereum.json"));
        (address pending,) = d.aid.pendingDefaultAdmin();
        assertEq(pending, vm.parseJsonAddress(json, ".finalAdmin"), "handoff to the final admin begun");
        assertEq(d.aid.defaultAdmin(), broadcaster, "the deployer is admin until the final admin accepts");
        address gatekeeper = vm.parseJsonAddress(json, ".roles.gatekeeper");
        assertTrue(d.minter.hasRole(d.minter.GATEKEEPER_ROLE(), gatekeeper), "role holder from the config");
        assertFalse(d.minter.hasRole(d.minter.GATEKEEPER_ROLE(), broadcaster), "not the deployer");
    }

    /// @notice A development config (no finalAdmin, e.g. a local chain) may leave roles at zero: they default to the
    ///         deployer, who stays admin.
    function test_deployCore_devConfig_rolesDefaultToDeployer() public {
        vm.chainId(31_337);
        DeployCore.Deployment memory d = deployScript.deploy("test/fixtures/config-dev", "local");
        assertEq(d.aid.defaultAdmin(), broadcaster, "no finalAdmin: the deployer stays admin");
        assertTrue(d.minter.hasRole(d.minter.GATEKEEPER_ROLE(), broadcaster), "zero role holder defaults to deployer");
        assertEq(d.timelock.getMinDelay(), ChainConfig.DEV_TIMELOCK_DELAY, "default timelock delay");
        assertTrue(d.timelock.hasRole(d.timelock.PROPOSER_ROLE(), broadcaster), "the deployer governs the timelock");
    }

    function test_deployCore_sameAidAddressOnEveryChain() public {
        uint256 snap = vm.snapshotState();
        address onEthereum = address(_deployOn("ethereum", 1).aid);
        vm.revertToState(snap);
        DeployCore.Deployment memory arb = _deployOn("arbitrum", 42_161);
        vm.revertToState(snap);
        DeployCore.Deployment memory plume = _deployOn("plume", 98_866);
        assertEq(address(arb.aid), onEthereum, "arbitrum");
        assertEq(address(plume.aid), onEthereum, "plume (other endpoint, same address)");
        assertEq(address(arb.minter), address(0), "no minter off the home chain");
        assertEq(address(plume.reserve), address(0), "no reserve off the home chain");
        assertEq(plume.aid.totalSupply(), 0);
    }

    function test_deployCore_revertsOnWrongChain() public {
        vm.chainId(42_161);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.WrongChain.selector, "ethereum", 1, 42_161));
        deployScript.deploy("script/config", "ethereum");
    }

    function test_deployCore_beginsAdminHandoff() public {
        vm.chainId(1);
        DeployCore.Deployment memory d = deployScript.deploy("test/fixtures/config", "handoff");
        address finalAdmin = address(0xdA0d);
        (address pending,) = d.aid.pendingDefaultAdmin();
        assertEq(pending, finalAdmin, "AID handoff pending");
        (pending,) = d.minter.pendingDefaultAdmin();
        assertEq(pending, finalAdmin, "minter handoff pending");
        assertTrue(d.minter.hasRole(d.minter.GATEKEEPER_ROLE(), address(0xbEEF)), "configured gatekeeper");

        vm.warp(block.timestamp + d.aid.ADMIN_TRANSFER_DELAY() + 1);
        vm.prank(finalAdmin);
        d.aid.acceptDefaultAdminTransfer();
        assertEq(d.aid.owner(), finalAdmin, "OApp owner follows the admin role");
    }

    function test_wireOFT_setsPeersAndRateLimits() public {
        AID aid = _deployOn("ethereum", 1).aid;
        new WireOFT().wire(ShippedConfig.DIR, "ethereum", aid);
        bytes32 self = bytes32(uint256(uint160(address(aid))));
        assertEq(aid.peers(30_110), self, "arbitrum peer = same address");
        assertEq(aid.peers(30_370), self, "plume peer = same address");
        (uint256 limit, uint256 window,, uint256 available) = aid.rateLimit(30_110, true);
        assertEq(limit, 1_000_000e18);
        assertEq(window, 1 days);
        assertEq(available, limit);
        (limit,,,) = aid.rateLimit(30_370, false);
        assertEq(limit, 1_000_000e18, "inbound too");
        (limit,,,) = aid.rateLimit(30_111, true);
        assertEq(limit, 0, "unconfigured pathway keeps zero capacity");
    }
}
