// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MorphoDeployer} from "../../script/lib/MorphoDeployer.sol";
import {IMorphoMinimal, Market, MarketParams, Position, marketId} from "../../src/interfaces/IMorphoMinimal.sol";
import {KinkedIrm} from "../../src/lending/KinkedIrm.sol";
import {SAIDMorphoOracle} from "../../src/lending/SAIDMorphoOracle.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";

/// @notice Real Morpho Blue 1.0.0 (compiled from npm by `npm run build:morpho` into out-morpho/Morpho.json) over the
///         sAID fixture: our KinkedIrm and oracles, LLTVs 86% and 91.5% enabled by Morpho's owner, and the markets
///         sAID/AID (91.5%) and sAID/USDC (86%) created by {MorphoDeployer}. 1M AID staked by dave gives sAID a NAV.
abstract contract LendingBase is StakedAIDTestBase {
    string internal constant MORPHO_ARTIFACT = "out-morpho/Morpho.json";
    uint256 internal constant ORACLE_PRICE_SCALE = 1e36; // Morpho's ConstantsLib
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BASE_STAKE = 1_000_000e18; // [wad] dave's stake
    string internal constant INSUFFICIENT_COLLATERAL = "insufficient collateral"; // Morpho's ErrorsLib
    string internal constant HEALTHY_POSITION = "position is healthy"; // Morpho's ErrorsLib

    address internal morphoOwner = makeAddr("morphoOwner");
    address internal lender = makeAddr("lender");
    address internal looper = makeAddr("looper");
    address internal liquidator = makeAddr("liquidator");

    IMorphoMinimal internal morpho;
    KinkedIrm internal irm;
    SAIDMorphoOracle internal aidOracle;
    SAIDMorphoOracle internal usdcOracle;
    MarketParams internal aidMarket;
    MarketParams internal usdcMarket;

    function setUp() public virtual override {
        super.setUp();
        morpho = IMorphoMinimal(deployCode(MORPHO_ARTIFACT, abi.encode(morphoOwner)));
        vm.label(address(morpho), "Morpho");
        vm.startPrank(morphoOwner); // the library's calls run from this contract: Morpho's owner enables IRM and LLTVs
        MorphoDeployer.Markets memory m = MorphoDeployer.deploy(
            MorphoDeployer.defaults(address(morpho), address(sAID), address(aid), address(usdc), true)
        );
        vm.stopPrank();
        irm = KinkedIrm(m.irm);
        aidOracle = SAIDMorphoOracle(m.aidOracle);
        usdcOracle = SAIDMorphoOracle(m.usdcOracle);
        aidMarket = m.aidMarket;
        usdcMarket = m.usdcMarket;
        _stake(dave, BASE_STAKE);
        _listPosition();
    }

    // ------------------------------------------------------------ helpers

    /// @dev Mints `amount` of `token` (AID through the minter prank, USDC as a mock) to `who`.
    function _give(address token, address who, uint256 amount) internal {
        if (token == address(aid)) _fund(who, amount);
        else usdc.mint(who, amount);
    }

    /// @dev `lender` supplies `amount` loan tokens to market `p`.
    function _supply(MarketParams memory p, uint256 amount) internal {
        _give(p.loanToken, lender, amount);
        vm.startPrank(lender);
        (bool ok,) = p.loanToken.call(abi.encodeWithSignature("approve(address,uint256)", address(morpho), amount));
        assertTrue(ok, "approve");
        morpho.supply(p, amount, 0, lender, "");
        vm.stopPrank();
    }

    /// @dev `who` stakes `assets` AID and posts all the sAID it gets as collateral in `p`; returns the shares posted.
    function _postCollateral(MarketParams memory p, address who, uint256 assets) internal returns (uint256 shares) {
        shares = _stake(who, assets);
        vm.startPrank(who);
        sAID.approve(address(morpho), shares);
        morpho.supplyCollateral(p, shares, who, "");
        vm.stopPrank();
    }

    /// @dev Morpho's own borrowing limit of `collateral` sAID units in `p` (Morpho.sol `_isHealthy`):
    ///      collateral.mulDivDown(price, 1e36).wMulDown(lltv).
    function _morphoMaxBorrow(MarketParams memory p, uint256 collateral) internal view returns (uint256) {
        uint256 price = SAIDMorphoOracle(p.oracle).price();
        return (collateral * price / ORACLE_PRICE_SCALE) * p.lltv / WAD;
    }

    /// @dev Books a loss of `loss` AID on a freshly allocated position of `allocated` AID.
    function _bookLoss(uint256 allocated, uint256 loss) internal {
        _allocate(allocated);
        position.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    /// @dev Creates market `p` (Morpho's owner already enabled the IRM and both LLTVs) unless it exists.
    function _ensureMarket(MarketParams memory p) internal {
        if (morpho.market(marketId(p)).lastUpdate == 0) morpho.createMarket(p);
    }

    function _position(MarketParams memory p, address who) internal view returns (Position memory) {
        return morpho.position(marketId(p), who);
    }

    function _market(MarketParams memory p) internal view returns (Market memory) {
        return morpho.market(marketId(p));
    }
}
