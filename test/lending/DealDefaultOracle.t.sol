// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MorphoDeployer} from "../../script/lib/MorphoDeployer.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {IMorphoMinimal, MarketParams, marketId} from "../../src/interfaces/IMorphoMinimal.sol";
import {SAIDMorphoOracle} from "../../src/lending/SAIDMorphoOracle.sol";
import {DealBase} from "../deals/DealBase.sol";

/// @notice A real GPU deal in sAID's book misses a payment: the deal marks its junior tranche down from the due date, the
///         sAID oracle follows the mark block by block on real Morpho Blue, and a looper at the LLTV becomes liquidatable.
contract DealDefaultOracleTest is DealBase {
    uint256 internal constant ONE_WEI_PER_SHARE = 1e18; // 1 AID wei per whole sAID on the AID oracle's scale

    address internal morphoOwner = makeAddr("morphoOwner");
    address internal looper = makeAddr("looper");
    address internal lender = makeAddr("lender");
    address internal liquidator = makeAddr("liquidator");
    IMorphoMinimal internal morpho;
    SAIDMorphoOracle internal oracle;
    MarketParams internal market;

    function setUp() public override {
        super.setUp();
        morpho = IMorphoMinimal(deployCode("out-morpho/Morpho.json", abi.encode(morphoOwner)));
        vm.startPrank(morphoOwner);
        MorphoDeployer.Markets memory m = MorphoDeployer.deploy(
            MorphoDeployer.defaults(address(morpho), address(sAID), address(aid), address(usdc), true)
        );
        vm.stopPrank();
        oracle = SAIDMorphoOracle(m.aidOracle);
        market = m.aidMarket;
    }

    function test_missedPayment_juniorMarkMovesOraclePriceAndLiquidatesLooper() public {
        GpuDeal deal = _create(_terms());
        TranchePosition p = _saidPosition(deal, IGpuDeal.Tranche.JUNIOR, JUNIOR); // 3M staked, 200k in the junior
        _fund(deal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR); // fills: active

        // A looper borrows AID at the LLTV against its sAID.
        _giveAid(looper, 100_000e18);
        vm.startPrank(looper);
        aid.approve(address(sAID), 100_000e18);
        uint256 shares = sAID.deposit(100_000e18, looper);
        sAID.approve(address(morpho), shares);
        morpho.supplyCollateral(market, shares, looper, "");
        vm.stopPrank();
        _giveAid(lender, 1_000_000e18);
        vm.startPrank(lender);
        aid.approve(address(morpho), 1_000_000e18);
        morpho.supply(market, 1_000_000e18, 0, lender, "");
        vm.stopPrank();
        uint256 maxBorrow = shares * oracle.price() / 1e36 * market.lltv / 1e18;
        vm.prank(looper);
        morpho.borrow(market, maxBorrow * 99 / 100, 0, looper, looper); // 1% headroom: interest alone cannot liquidate

        uint256 p0 = oracle.price();
        uint256 nav0 = sAID.totalAssets();
        uint256 booked = sAID.bookedOf(address(p));
        vm.warp(deal.dueDate() + 30 days); // a third of the 90-day mark: nobody calls markLate or bookLoss
        uint256 value = p.valueOf(address(sAID));
        assertLt(value, booked, "the junior is marked down");
        uint256 loss = booked - value;
        assertApproxEqAbs(oracle.price(), p0 * (nav0 - loss) / nav0, ONE_WEI_PER_SHARE, "price follows the mark");
        morpho.accrueInterest(market);
        uint256 debt = morpho.market(marketId(market)).totalBorrowAssets; // the looper's debt, interest in
        assertLe(debt, shares * p0 / 1e36 * market.lltv / 1e18, "healthy at the pre-mark price");
        assertGt(debt, shares * oracle.price() / 1e36 * market.lltv / 1e18, "unhealthy at the marked price");

        _giveAid(liquidator, 1_000_000e18);
        vm.startPrank(liquidator);
        aid.approve(address(morpho), type(uint256).max);
        (uint256 seized,) = morpho.liquidate(market, looper, shares / 10, 0, "");
        vm.stopPrank();
        assertEq(sAID.balanceOf(liquidator), seized, "looper liquidated on the unbooked mark");
    }
}
