// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {StakedAID} from "../src/vault/StakedAID.sol";
import {MockERC20} from "../test/mocks/MockERC20.sol";
import {MockPriceFeed} from "../test/mocks/MockPriceFeed.sol";
import {MockTBillVault} from "../test/mocks/MockTBillVault.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployLocal
/// @notice Local mode: deploys a LayerZero endpoint mock, mock USDC/USDT with feeds and a T-bill fund stand-in, then
///         the home-chain core and sAID (the reserve's yield receiver) through the same {CoreDeployer} the mainnet
///         script and the tests use. The broadcaster is
///         admin and holds every operational role. Writes `deployments/local/<chainId>.json`.
/// @dev `forge script script/00_DeployLocal.s.sol --rpc-url $RPC --private-key $KEY --broadcast`
contract DeployLocal is Script {
    uint32 internal constant LOCAL_EID = 30_101; // the home chain's production endpoint id
    uint256 internal constant TBILL_APY_BPS = 500; // 5% a year
    uint256 internal constant UNSTAKE_DELAY = 7 days;

    function run() external returns (CoreDeployer.Core memory core) {
        address admin = msg.sender;
        vm.startBroadcast();
        EndpointV2Mock endpoint = new EndpointV2Mock(LOCAL_EID, admin);
        MockERC20 usdc = new MockERC20("USD Coin", "USDC", 6);
        MockERC20 usdt = new MockERC20("Tether USD", "USDT", 6);
        MockPriceFeed usdcFeed = new MockPriceFeed(8, 1e8);
        MockPriceFeed usdtFeed = new MockPriceFeed(8, 1e8);
        MockTBillVault tbill = new MockTBillVault(usdc, TBILL_APY_BPS);

        Create3Factory factory = CoreDeployer.deployFactory();
        core = CoreDeployer.deployHome(factory, address(endpoint), admin);
        CoreDeployer.configureHome(
            core, _params(admin, address(usdc), address(usdcFeed), address(usdt), address(usdtFeed), address(tbill))
        );
        StakedAID sAID = CoreDeployer.deployStakedAID(factory, address(core.aid), admin);
        CoreDeployer.configureStakedAID(
            sAID, core.reserve, CoreDeployer.StakedParams(admin, admin, admin, admin, UNSTAKE_DELAY)
        );
        vm.stopBroadcast();

        string memory key = "local";
        vm.serializeAddress(key, "endpoint", address(endpoint));
        vm.serializeAddress(key, "usdc", address(usdc));
        vm.serializeAddress(key, "usdt", address(usdt));
        vm.serializeAddress(key, "usdcFeed", address(usdcFeed));
        vm.serializeAddress(key, "usdtFeed", address(usdtFeed));
        vm.serializeAddress(key, "tbill", address(tbill));
        vm.serializeAddress(key, "aid", address(core.aid));
        vm.serializeAddress(key, "minter", address(core.minter));
        vm.serializeAddress(key, "reserve", address(core.reserve));
        vm.serializeAddress(key, "sAID", address(sAID));
        string memory json = vm.serializeAddress(key, "admin", admin);
        vm.createDir("deployments/local", true);
        vm.writeJson(json, string.concat("deployments/local/", vm.toString(block.chainid), ".json"));
    }

    function _params(address admin, address usdc, address usdcFeed, address usdt, address usdtFeed, address tbill)
        internal
        pure
        returns (CoreDeployer.HomeParams memory p)
    {
        p.globalMintCap = 10_000_000e18;
        p.globalRedeemCap = 10_000_000e18;
        p.supplyCap = 1_000_000_000e18;
        p.redeemDelay = 1 days;
        p.tbillVault = tbill;
        p.yieldReceiver = address(0); // sAID, set by configureStakedAID once deployed
        (p.gatekeeper, p.whitelistManager, p.denylistManager, p.reserveManager, p.harvester) =
        (admin, admin, admin, admin, admin);
        p.assets = new CoreDeployer.AssetParams[](2);
        p.assets[0] = CoreDeployer.AssetParams(usdc, usdcFeed, 0, 0, 1 days, 5_000_000e18, 5_000_000e18);
        p.assets[1] = CoreDeployer.AssetParams(usdt, usdtFeed, 0, 0, 1 days, 5_000_000e18, 5_000_000e18);
    }
}
