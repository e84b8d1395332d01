// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../script/lib/CoreDeployer.sol";
import {AIDMinter} from "../src/mint/AIDMinter.sol";
import {AIDReserve} from "../src/reserve/AIDReserve.sol";
import {AID} from "../src/token/AID.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {StakedAID} from "../src/vault/StakedAID.sol";
import {MockERC20} from "./mocks/MockERC20.sol";
import {MockEndpoint} from "./mocks/MockEndpoint.sol";
import {MockPriceFeed} from "./mocks/MockPriceFeed.sol";
import {MockTBillVault} from "./mocks/MockTBillVault.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Shared fixture: actors, the home-chain core (AID, minter, reserve) and sAID (the reserve's yield receiver)
///         deployed by the production deployer library, two 6-decimal stablecoins with feeds, and a T-bill fund stand-in.
abstract contract BaseTest is Test {
    // ------------------------------------------------------------ bounds and defaults
    uint256 internal constant USDC_UNIT = 1e6;
    uint256 internal constant SCALE = 1e12; // 6 -> 18 decimals
    uint256 internal constant ASSET_MINT_CAP = 10_000_000e18; // [wad] per block per asset
    uint256 internal constant ASSET_REDEEM_CAP = 10_000_000e18; // [wad] per block per asset
    uint256 internal constant GLOBAL_MINT_CAP = 15_000_000e18; // [wad] per block
    uint256 internal constant GLOBAL_REDEEM_CAP = 15_000_000e18; // [wad] per block
    uint256 internal constant SUPPLY_CAP = 1_000_000_000e18; // [wad]
    uint256 internal constant MAX_MINT = 10_000_000e6; // [USDC units] one mint at most the asset cap
    int192 internal constant ONE_USD = 1e8; // feeds have 8 decimals
    uint32 internal constant HEARTBEAT = 1 days;
    uint256 internal constant TBILL_APY_BPS = 500; // 5%
    uint32 internal constant HOME_EID = 30_101;

    // ------------------------------------------------------------ actors
    address internal admin = makeAddr("admin");
    address internal gatekeeper = makeAddr("gatekeeper");
    address internal whitelistManager = makeAddr("whitelistManager");
    address internal denylistManager = makeAddr("denylistManager");
    address internal reserveManager = makeAddr("reserveManager");
    address internal harvester = makeAddr("harvester");
    address internal alice = makeAddr("alice"); // whitelisted minter
    address internal bob = makeAddr("bob"); // whitelisted minter
    address internal carol = makeAddr("carol"); // plain holder
    address internal attacker = makeAddr("attacker");
    address internal allocator = makeAddr("allocator"); // sAID ALLOCATOR_ROLE
    address internal restrictionManager = makeAddr("restrictionManager"); // sAID RESTRICTION_MANAGER_ROLE
    address internal yieldReceiver; // sAID: harvests reach it through transferInRewards

    // ------------------------------------------------------------ contracts
    MockEndpoint internal endpoint;
    Create3Factory internal factory;
    AID internal aid;
    AIDMinter internal minter;
    AIDReserve internal reserve;
    MockERC20 internal usdc;
    MockERC20 internal usdt;
    MockPriceFeed internal usdcFeed;
    MockPriceFeed internal usdtFeed;
    MockTBillVault internal tbill;
    StakedAID internal sAID;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        endpoint = new MockEndpoint(HOME_EID);
        usdc = new MockERC20("USD Coin", "USDC", 6);
        usdt = new MockERC20("Tether USD", "USDT", 6);
        usdcFeed = new MockPriceFeed(8, ONE_USD);
        usdtFeed = new MockPriceFeed(8, ONE_USD);
        tbill = new MockTBillVault(usdc, TBILL_APY_BPS);

        vm.startPrank(admin);
        factory = CoreDeployer.deployFactory();
        CoreDeployer.Core memory core = CoreDeployer.deployHome(factory, address(endpoint), admin);
        (aid, minter, reserve) = (core.aid, core.minter, core.reserve);

        aid.grantRole(aid.PAUSER_ROLE(), gatekeeper);
        aid.grantRole(aid.DENYLIST_MANAGER_ROLE(), denylistManager);
        minter.grantRole(minter.GATEKEEPER_ROLE(), gatekeeper);
        minter.grantRole(minter.WHITELIST_MANAGER_ROLE(), whitelistManager);
        reserve.grantRole(reserve.RESERVE_MANAGER_ROLE(), reserveManager);
        reserve.grantRole(reserve.HARVESTER_ROLE(), harvester);

        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, HEARTBEAT);
        minter.setAsset(address(usdt), address(usdtFeed), true, 0, 0, HEARTBEAT);
        minter.setAssetCaps(address(usdc), ASSET_MINT_CAP, ASSET_REDEEM_CAP);
        minter.setAssetCaps(address(usdt), ASSET_MINT_CAP, ASSET_REDEEM_CAP);
        minter.setGlobalCaps(GLOBAL_MINT_CAP, GLOBAL_REDEEM_CAP);
        minter.setSupplyCap(SUPPLY_CAP);
        reserve.setTBillVault(address(tbill));
        sAID = CoreDeployer.deployStakedAID(factory, address(aid), admin);
        CoreDeployer.configureStakedAID(
            sAID, reserve, CoreDeployer.StakedParams(allocator, restrictionManager, gatekeeper, admin, 7 days)
        );
        yieldReceiver = address(sAID);
        vm.stopPrank();

        vm.startPrank(whitelistManager);
        minter.grantRole(minter.WHITELISTED_ROLE(), alice);
        minter.grantRole(minter.WHITELISTED_ROLE(), bob);
        vm.stopPrank();

        _label();
    }

    // ------------------------------------------------------------ helpers

    /// @dev Funds `who` with `amount` USDC, approves the minter and mints AID to `who`.
    function _mintAid(address who, uint256 amount) internal returns (uint256 aidOut) {
        usdc.mint(who, amount);
        vm.startPrank(who);
        usdc.approve(address(minter), amount);
        aidOut = minter.mint(address(usdc), amount, 0, who);
        vm.stopPrank();
    }

    /// @dev Requests a redemption of `aidAmount` AID for USDC by `who` (approving the minter first).
    /// @dev `holder` stakes `assets` of its AID into sAID, so a harvest has shares to vest to (sAID refuses rewards into
    ///      an empty vault with `NoStakers`, issue 12 finding 11).
    function _seedStake(address holder, uint256 assets) internal {
        vm.startPrank(holder);
        aid.approve(address(sAID), assets);
        sAID.deposit(assets, holder);
        vm.stopPrank();
    }

    function _requestRedeem(address who, uint256 aidAmount) internal returns (uint256 id) {
        vm.startPrank(who);
        aid.approve(address(minter), aidAmount);
        id = minter.requestRedeem(address(usdc), aidAmount, 0, who);
        vm.stopPrank();
    }

    function _label() private {
        vm.label(address(aid), "AID");
        vm.label(address(minter), "AIDMinter");
        vm.label(address(reserve), "AIDReserve");
        vm.label(address(usdc), "USDC");
        vm.label(address(usdt), "USDT");
        vm.label(address(tbill), "TBill");
        vm.label(address(endpoint), "Endpoint");
        vm.label(address(sAID), "sAID");
    }
}
