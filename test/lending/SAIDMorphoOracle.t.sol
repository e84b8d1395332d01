// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "../../src/interfaces/IMorphoMinimal.sol";
import {ISAIDMorphoOracle} from "../../src/interfaces/ISAIDMorphoOracle.sol";
import {SAIDMorphoOracle} from "../../src/lending/SAIDMorphoOracle.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {LendingBase} from "./LendingBase.sol";

/// @dev A share vault with any decimals whose whole share is worth `ratio` [wad] whole assets, rounded down.
contract RatioVault {
    address public immutable asset;
    uint8 public immutable decimals;
    uint256 public immutable ratio; // [wad] whole assets per whole share
    uint256 internal immutable assetUnit;
    uint256 internal immutable shareUnit;

    constructor(address asset_, uint8 decimals_, uint256 ratio_) {
        asset = asset_;
        decimals = decimals_;
        ratio = ratio_;
        assetUnit = 10 ** MockERC20(asset_).decimals();
        shareUnit = 10 ** decimals_;
    }

    function convertToAssetsWithLoss(uint256 shares) external view returns (uint256) {
        return shares * ratio / 1e18 * assetUnit / shareUnit;
    }
}

/// @notice SAIDMorphoOracle: Morpho's price scale for 18- and 6-decimal loan tokens, any decimals, constructor checks,
///         and the scaling fuzzed against real Morpho's health check.
contract SAIDMorphoOracleTest is LendingBase {
    function test_price_aidMarket_isLossAwareValueOfOneShareScaled1e36() public {
        _reward(100_000e18);
        vm.warp(sAID.vestingEnd());
        uint256 value = sAID.convertToAssetsWithLoss(1e18);
        assertGt(value, 1e18, "sAID above par");
        assertEq(aidOracle.price(), value * 1e36 / 1e18, "1 sAID unit in AID units, scaled 1e36");
        assertEq(1e18 * aidOracle.price() / ORACLE_PRICE_SCALE, value, "a whole sAID is worth its value in AID");
    }

    function test_price_usdcMarket_scalesToSixDecimals() public {
        _reward(100_000e18);
        vm.warp(sAID.vestingEnd());
        uint256 value = sAID.convertToAssetsWithLoss(1e18);
        assertEq(usdcOracle.price(), value * 1e6 * 1e36 / (1e18 * 1e18), "1 sAID unit in USDC units, scaled 1e36");
        assertEq(usdcOracle.price() * 1e12, aidOracle.price(), "same value, 12 decimals less");
        assertEq(1e18 * usdcOracle.price() / ORACLE_PRICE_SCALE, value / 1e12, "a whole sAID in USDC units");
    }

    function test_price_afterBookedLoss_isLossAwareValueBelowPar() public {
        uint256 nav = sAID.totalAssets();
        _bookLoss(nav / 2, nav / 10);
        assertEq(aidOracle.price(), sAID.convertToAssetsWithLoss(1e18) * 1e18, "loss-aware value");
        assertLt(aidOracle.price(), 1e36, "below par after the loss");
    }

    function test_immutables_matchTokenDecimals() public view {
        assertEq(aidOracle.vault(), address(sAID));
        assertEq(aidOracle.loanToken(), address(aid));
        assertEq(usdcOracle.loanToken(), address(usdc));
        assertEq(aidOracle.sample(), 1e18);
        assertEq(aidOracle.scaleNumerator(), 1e54);
        assertEq(usdcOracle.scaleNumerator(), 1e42);
        assertEq(usdcOracle.scaleDenominator(), 1e36);
    }

    function test_constructor_revertsOnZeroAddress() public {
        vm.expectRevert(ISAIDMorphoOracle.ZeroAddress.selector);
        new SAIDMorphoOracle(address(0), address(aid));
        vm.expectRevert(ISAIDMorphoOracle.ZeroAddress.selector);
        new SAIDMorphoOracle(address(sAID), address(0));
    }

    function test_constructor_revertsAbove36Decimals() public {
        MockERC20 wide = new MockERC20("Wide", "W", 37);
        vm.expectRevert(abi.encodeWithSelector(ISAIDMorphoOracle.InvalidDecimals.selector, address(wide), uint8(37)));
        new SAIDMorphoOracle(address(sAID), address(wide));
        RatioVault v = new RatioVault(address(aid), 37, 1e18);
        vm.expectRevert(abi.encodeWithSelector(ISAIDMorphoOracle.InvalidDecimals.selector, address(v), uint8(37)));
        new SAIDMorphoOracle(address(v), address(aid));
    }

    /// @dev Any share, asset and loan decimals (0..36) and share value: a whole share's collateral buys, in loan units,
    ///      the vault's own value of a whole share converted to loan decimals (within 1 unit of rounding).
    function testFuzz_price_anyDecimals(uint8 sDec, uint8 aDec, uint8 lDec, uint256 ratio) public {
        sDec = uint8(bound(sDec, 0, 36));
        aDec = uint8(bound(aDec, 0, 36));
        lDec = uint8(bound(lDec, 0, 36));
        ratio = bound(ratio, 1e15, 1e21); // 0.001 .. 1,000 assets per share
        MockERC20 asset = new MockERC20("Asset", "A", aDec);
        MockERC20 loan = new MockERC20("Loan", "L", lDec);
        RatioVault v = new RatioVault(address(asset), sDec, ratio);
        SAIDMorphoOracle o = new SAIDMorphoOracle(address(v), address(loan));
        uint256 wholeShare = 10 ** uint256(sDec);
        uint256 assets = v.convertToAssetsWithLoss(wholeShare);
        uint256 expected = assets * 10 ** uint256(lDec) / 10 ** uint256(aDec); // [loan units]
        uint256 got = wholeShare * o.price() / ORACLE_PRICE_SCALE;
        assertApproxEqAbs(got, expected, 1, "whole share in loan units");
        assertLe(got, expected, "rounded down");
    }

    /// @dev Morpho's own health check against the oracle: after a fuzzed gain and loss, a looper posts sAID and borrows
    ///      the most Morpho lets it; that equals the collateral's loss-aware value times the LLTV (within rounding), and
    ///      1 unit more reverts with Morpho's "insufficient collateral". Both loan tokens, both LLTVs.
    function testFuzz_maxBorrow_matchesOracleValueTimesLltv(
        uint256 assets,
        uint256 gainBps,
        uint256 lossBps,
        bool usdcLoan,
        bool highLltv
    ) public {
        assets = bound(assets, 1e18, 10_000_000e18);
        gainBps = bound(gainBps, 0, 3000);
        lossBps = bound(lossBps, 0, 5000);
        if (gainBps > 0) {
            _reward(BASE_STAKE * gainBps / 10_000);
            vm.warp(sAID.vestingEnd());
        }
        if (lossBps > 0) {
            uint256 nav = sAID.totalAssets();
            _bookLoss(nav * 7 / 10, nav * lossBps / 10_000);
        }
        MarketParams memory p = usdcLoan ? usdcMarket : aidMarket;
        p.lltv = highLltv ? 0.915e18 : 0.86e18;
        _ensureMarket(p);
        uint256 shares = _postCollateral(p, looper, assets);

        uint256 maxBorrow = _morphoMaxBorrow(p, shares);
        uint256 loanUnit = usdcLoan ? 1e6 : 1e18;
        uint256 implied = sAID.convertToAssetsWithLoss(shares) * loanUnit / 1e18 * p.lltv / WAD; // [loan units]
        // The oracle prices a whole share (floored): up to 1 AID wei per whole share plus 1 of flooring each step.
        uint256 tolerance = (shares / 1e18 + 2) * loanUnit / 1e18 + 2;
        assertApproxEqAbs(maxBorrow, implied, tolerance, "Morpho's limit = loss-aware value x LLTV");
        assertLe(maxBorrow, implied, "never above the value");

        _supply(p, maxBorrow + 1);
        vm.prank(looper);
        vm.expectRevert(bytes(INSUFFICIENT_COLLATERAL));
        morpho.borrow(p, maxBorrow + 1, 0, looper, looper);
        vm.prank(looper);
        (uint256 borrowed,) = morpho.borrow(p, maxBorrow, 0, looper, looper);
        assertEq(borrowed, maxBorrow);
        assertEq(MockERC20(p.loanToken).balanceOf(looper), maxBorrow, "looper received the loan");
    }
}
