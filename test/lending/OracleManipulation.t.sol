// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams, Position} from "../../src/interfaces/IMorphoMinimal.sol";
import {ISAIDMorphoOracle} from "../../src/interfaces/ISAIDMorphoOracle.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {LendingBase} from "./LendingBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev Deposits and exits sAID in one call, recording the oracle price before, in between and after.
contract FlashStaker {
    function run(IStakedAID vault, ISAIDMorphoOracle oracle, uint256 assets)
        external
        returns (uint256 before, uint256 during, uint256 afterExit)
    {
        before = oracle.price();
        IERC20(vault.asset()).approve(address(vault), assets);
        uint256 shares = vault.deposit(assets, address(this));
        during = oracle.price();
        if (vault.unstakeDelay() == 0) vault.redeem(shares, address(this), address(this));
        else vault.unstake(shares);
        afterExit = oracle.price();
    }
}

/// @notice sAID's oracle price cannot be pushed within a block: donations, a flash deposit + exit and a reward top-up
///         leave it where vesting allows; a booked loss moves it down at once by the loss's share of NAV, and a
///         borrower at Morpho's limit becomes liquidatable in the same block.
contract OracleManipulationTest is LendingBase {
    /// @dev A move of at most 1 AID wei per whole sAID: the AID oracle scales that wei by 1e18.
    uint256 internal constant ONE_WEI_PER_SHARE = 1e18;

    function setUp() public override {
        super.setUp();
        _reward(50_000e18); // sAID above par, as in production
        vm.warp(sAID.vestingEnd());
    }

    function test_donation_doesNotMovePrice() public {
        uint256 pAid = aidOracle.price();
        uint256 pUsdc = usdcOracle.price();
        _fund(attacker, 10_000_000e18); // 10x the vault's NAV
        vm.prank(attacker);
        aid.transfer(address(sAID), 10_000_000e18);
        assertEq(aidOracle.price(), pAid, "AID market price unchanged");
        assertEq(usdcOracle.price(), pUsdc, "USDC market price unchanged");
    }

    function testFuzz_flashDepositAndUnstake_sameTx_doesNotMovePrice(uint256 assets) public {
        assets = bound(assets, 1e18, 100_000_000e18);
        FlashStaker flash = new FlashStaker();
        _fund(address(flash), assets);
        (uint256 before, uint256 during, uint256 afterExit) = flash.run(sAID, aidOracle, assets);
        _assertRoundTrip(before, during, afterExit);
    }

    /// @dev Rounding favours the vault: the price can only rise, by at most one AID wei per whole sAID per step.
    function _assertRoundTrip(uint256 before, uint256 during, uint256 afterExit) internal pure {
        assertGe(during, before, "deposit never lowers the price");
        assertLe(during - before, ONE_WEI_PER_SHARE, "deposit moves it at most by rounding");
        assertGe(afterExit, before, "exit never lowers the price");
        assertLe(afterExit - before, 2 * ONE_WEI_PER_SHARE, "exit moves it at most by rounding");
    }

    /// @dev With the unstake delay at 0 the exit is ERC-4626 `redeem`, paid at once: still no move beyond rounding.
    function testFuzz_flashDepositAndRedeem_noDelay_sameTx_doesNotMovePrice(uint256 assets) public {
        assets = bound(assets, 1e18, 100_000_000e18);
        _setDelay(0);
        FlashStaker flash = new FlashStaker();
        _fund(address(flash), assets);
        (uint256 before, uint256 during, uint256 afterExit) = flash.run(sAID, aidOracle, assets);
        _assertRoundTrip(before, during, afterExit);
        assertLe(aid.balanceOf(address(flash)), assets, "the round trip earns nothing");
    }

    function test_rewardTopUp_sameBlock_doesNotMovePrice() public {
        uint256 p0 = aidOracle.price();
        _reward(500_000e18); // half the NAV
        assertEq(aidOracle.price(), p0, "nothing vests in the block of the top-up");
    }

    /// @dev After a top-up, the price rises no faster than the stream vests, and never faster than the max APR allows.
    function testFuzz_rewardTopUp_priceRisesOnlyAsFastAsVesting(uint256 reward, uint256 dt) public {
        reward = bound(reward, 1e18, 5_000_000e18);
        dt = bound(dt, 1, 2 days);
        uint256 p0 = aidOracle.price();
        uint256 nav0 = sAID.totalAssets();
        uint256 supply = sAID.totalSupply();
        _reward(reward);
        uint256 unvested0 = sAID.unvestedAmount();
        uint256 duration = sAID.vestingEnd() - block.timestamp; // [s]
        vm.warp(block.timestamp + dt);
        uint256 vested = unvested0 - sAID.unvestedAmount(); // [AID wei]
        uint256 streamRate = dt >= duration ? unvested0 : unvested0 * dt / duration + 1; // [AID wei] linear vesting
        assertLe(vested, streamRate, "vests linearly");
        uint256 aprCap = nav0 * sAID.maxAprBps() * dt / (10_000 * 365 days) + 1; // [AID wei]
        assertLe(vested, aprCap, "within the max APR");
        uint256 p1 = aidOracle.price();
        // Price per whole share rises by the vested AID per whole share (plus one wei of rounding).
        assertLe(p1 - p0, (vested * 1e18 / supply + 1) * ONE_WEI_PER_SHARE, "price rise bounded by vesting");
    }

    function test_bookLoss_movesPriceDownAtOnceByTheLossFraction() public {
        uint256 pAid = aidOracle.price();
        uint256 pUsdc = usdcOracle.price();
        uint256 nav = sAID.totalAssets();
        uint256 loss = nav / 10;
        _bookLoss(nav / 2, loss);
        assertEq(sAID.totalAssets(), nav - loss, "NAV down by the loss");
        assertApproxEqAbs(aidOracle.price(), pAid * (nav - loss) / nav, ONE_WEI_PER_SHARE, "AID price down 10%");
        assertApproxEqAbs(
            usdcOracle.price(), pUsdc * (nav - loss) / nav, ONE_WEI_PER_SHARE / 1e12, "USDC price down 10%"
        );
    }

    /// @dev sAID's NAV views net the losses positions report: the price falls when the deal position reports the loss,
    ///      before the allocator books it, and booking it then moves nothing (no window between report and booking).
    function test_reportedLoss_movesPriceBeforeItIsBooked() public {
        uint256 p0 = aidOracle.price();
        uint256 nav = sAID.totalAssets();
        uint256 loss = nav / 4;
        _allocate(nav / 2);
        position.mark(address(sAID), -int256(loss)); // the position reports it; nobody booked it yet
        uint256 reported = aidOracle.price();
        assertApproxEqAbs(reported, p0 * (nav - loss) / nav, ONE_WEI_PER_SHARE, "down 25% on the report");
        vm.prank(allocator);
        assertEq(sAID.bookLoss(address(position)), loss);
        assertEq(aidOracle.price(), reported, "booking it moves nothing more");
    }

    function testFuzz_bookLoss_movesPriceDownByExactlyTheLossFraction(uint256 lossBps) public {
        lossBps = bound(lossBps, 1, 7000);
        uint256 p0 = aidOracle.price();
        uint256 nav = sAID.totalAssets();
        uint256 loss = nav * lossBps / 10_000;
        _bookLoss(nav * 7 / 10, loss);
        assertApproxEqAbs(aidOracle.price(), p0 * (nav - loss) / nav, ONE_WEI_PER_SHARE, "price x (1 - loss/NAV)");
    }

    /// @dev A looper at Morpho's limit: healthy before, liquidatable in the block the loss is booked, and the
    ///      liquidator seizes sAID through Morpho's `liquidate`.
    function test_bookLoss_makesBorrowerAtLimitLiquidatableAtOnce() public {
        MarketParams memory p = aidMarket;
        uint256 shares = _postCollateral(p, looper, 100_000e18);
        uint256 maxBorrow = _morphoMaxBorrow(p, shares);
        _supply(p, 1_000_000e18);
        vm.prank(looper);
        morpho.borrow(p, maxBorrow, 0, looper, looper);

        _fund(liquidator, 1_000_000e18);
        vm.startPrank(liquidator);
        aid.approve(address(morpho), type(uint256).max);
        vm.expectRevert(bytes(HEALTHY_POSITION));
        morpho.liquidate(p, looper, shares / 10, 0, "");
        vm.stopPrank();

        uint256 nav = sAID.totalAssets();
        _bookLoss(nav / 2, nav / 100); // 1% loss

        vm.prank(liquidator);
        (uint256 seized, uint256 repaid) = morpho.liquidate(p, looper, shares / 10, 0, "");
        assertEq(seized, shares / 10);
        assertGt(repaid, 0);
        assertEq(sAID.balanceOf(liquidator), seized, "liquidator holds the seized sAID");
        Position memory pos = _position(p, looper);
        assertEq(pos.collateral, shares - seized);
        // Seized sAID is worth its loss-aware value to the liquidator, payable through the unstake queue.
        uint256 worth = sAID.convertToAssetsWithLoss(seized);
        assertLe(repaid, worth, "liquidation incentive: seized worth more than repaid");

        // The liquidator exits through the unstake queue: its value is fixed (loss-aware) now, paid after the delay.
        vm.prank(liquidator);
        uint256 queued = sAID.unstake(seized);
        assertEq(queued, worth, "queued at the loss-aware value");
        vm.warp(block.timestamp + sAID.unstakeDelay());
        uint256 before = aid.balanceOf(liquidator);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(liquidator) - before, queued, "paid in full after the delay");
    }
}
