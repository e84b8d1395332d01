// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Market, MarketParams, Position} from "../../src/interfaces/IMorphoMinimal.sol";
import {LendingBase} from "./LendingBase.sol";

/// @notice A GPU deal in sAID's book (half its NAV) is marked down in steps (10%, 25%, 40% of the position) while a
///         staker loops sAID/AID on real Morpho Blue (91.5% LLTV) to a target LTV; after each step a liquidator
///         liquidates through Morpho's `liquidate` if the position is unhealthy. Morpho realises bad debt exactly when
///         the liquidated position's LTV exceeds 1 / LIF (LIF = Morpho's liquidation incentive factor): the collateral,
///         sold at the incentive, no longer covers the debt. The Anvil scenario with pool sales is `npm run lending`.
contract DefaultCascadeTest is LendingBase {
    uint256 internal constant DEAL = 500_000e18; // [wad] sAID's deal position: half of dave's 1M NAV
    uint256 internal constant EQUITY = 10_000e18; // [wad] the looper's own AID
    uint256 internal constant LIQUIDATION_CURSOR = 0.3e18; // Morpho's ConstantsLib
    uint256 internal constant MAX_LIF = 1.15e18; // Morpho's ConstantsLib

    function setUp() public override {
        super.setUp();
        _allocate(DEAL);
        _supply(aidMarket, 5_000_000e18);
        _fund(liquidator, 10_000_000e18);
        vm.prank(liquidator);
        aid.approve(address(morpho), type(uint256).max);
    }

    /// @dev Morpho's liquidation incentive factor for `lltv` [wad].
    function _lif(uint256 lltv) internal pure returns (uint256) {
        uint256 f = WAD * WAD / (WAD - LIQUIDATION_CURSOR * (WAD - lltv) / WAD);
        return f < MAX_LIF ? f : MAX_LIF;
    }

    /// @dev Stake, post, borrow at `targetLtv` of the collateral's value, stake the loan again; until the next loan
    ///      would be under 0.1% of the equity. Returns the collateral [sAID units] and debt [AID wei].
    function _loop(MarketParams memory p, uint256 targetLtv) internal returns (uint256 collateral, uint256 debt) {
        _fund(looper, EQUITY);
        uint256 cash = EQUITY;
        vm.startPrank(looper);
        aid.approve(address(sAID), type(uint256).max);
        sAID.approve(address(morpho), type(uint256).max);
        for (uint256 i; i < 300; ++i) {
            uint256 shares = sAID.deposit(cash, looper);
            morpho.supplyCollateral(p, shares, looper, "");
            collateral += shares;
            uint256 want = collateral * aidOracle.price() / ORACLE_PRICE_SCALE * targetLtv / WAD;
            if (want < debt + EQUITY / 1000) break;
            cash = want - debt;
            morpho.borrow(p, cash, 0, looper, looper);
            debt += cash;
        }
        vm.stopPrank();
    }

    /// @dev Liquidates `looper` if unhealthy: all its debt if the collateral covers it at the incentive, else all its
    ///      collateral (Morpho then writes the rest off as bad debt). Returns the bad debt realised [AID wei] and the
    ///      position's LTV at liquidation [wad] (0 when healthy).
    function _liquidateIfUnhealthy(MarketParams memory p) internal returns (uint256 badDebt, uint256 ltv) {
        Position memory pos = _position(p, looper);
        Market memory m = _market(p);
        if (pos.borrowShares == 0) return (0, 0);
        uint256 debt = m.totalBorrowAssets; // the only borrower, no time passes
        uint256 value = uint256(pos.collateral) * aidOracle.price() / ORACLE_PRICE_SCALE; // [AID wei]
        if (value * p.lltv / WAD >= debt) return (0, 0);
        ltv = debt * WAD / value;
        uint256 supplyBefore = m.totalSupplyAssets;
        vm.prank(liquidator);
        if (value * WAD / _lif(p.lltv) >= debt) morpho.liquidate(p, looper, 0, pos.borrowShares, "");
        else morpho.liquidate(p, looper, pos.collateral, 0, "");
        badDebt = supplyBefore - _market(p).totalSupplyAssets;
    }

    /// @dev Any loop LTV up to the LLTV: after the 10% / 25% / 40% markdowns, bad debt appears iff the position was
    ///      liquidated at an LTV above 1 / LIF; otherwise lenders lose nothing and the debt is repaid in full.
    function testFuzz_defaultCascade_badDebtIffLiquidatedAboveOneOverLif(uint256 targetLtv) public {
        MarketParams memory p = aidMarket;
        targetLtv = bound(targetLtv, 0.5e18, p.lltv);
        (uint256 collateral,) = _loop(p, targetLtv);
        assertGt(collateral, 0);
        uint256 lif = _lif(p.lltv);
        uint256[3] memory cumulativeBps = [uint256(1000), 2500, 4000];
        uint256 marked;
        uint256 totalBadDebt;
        for (uint256 i; i < 3; ++i) {
            uint256 target = DEAL * cumulativeBps[i] / 10_000;
            position.mark(address(sAID), -int256(target - marked));
            marked = target;
            (uint256 badDebt, uint256 ltv) = _liquidateIfUnhealthy(p);
            totalBadDebt += badDebt;
            if (ltv == 0) continue; // healthy at this step
            // Rounding: LTV within 1e-9 of 1 / LIF may go either way.
            if (ltv * lif / WAD > WAD + 1e9) assertGt(badDebt, 0, "liquidated beyond 1/LIF: bad debt");
            if (ltv * lif / WAD < WAD - 1e9) assertEq(badDebt, 0, "liquidated within 1/LIF: repaid in full");
        }
        Position memory pos = _position(p, looper);
        assertTrue(pos.borrowShares == 0 || pos.collateral > 0, "no debt left without collateral");
        if (totalBadDebt > 0) assertEq(pos.borrowShares, 0, "bad debt clears the position");
    }

    /// @dev At 91.5% LLTV (LIF 1.0262, 1 / LIF = 97.45%), the deal half of sAID's NAV before the loop (the looper's
    ///      stake adds to NAV, so a step moves the price a little less than half the step): a 90% loop (10x) is
    ///      liquidated at the first step (-10%: price ~-4.6%, LTV ~94%) without bad debt; an 86.7% loop (~7.5x) stays
    ///      healthy at step 1 (LTV ~90.9%) and is liquidated at step 2 (-25%: price ~-11.6%, LTV ~98%): bad debt.
    function test_defaultCascade_loopLeverageVersusBadDebt() public {
        MarketParams memory p = aidMarket;
        uint256 snap = vm.snapshotState();
        uint256[2] memory ltvs = [uint256(0.9e18), 0.867e18];
        uint256[2] memory bad;
        uint256[2] memory liquidatedAt; // step number (1..3), 0 if never
        for (uint256 k; k < 2; ++k) {
            vm.revertToState(snap);
            _loop(p, ltvs[k]);
            uint256 marked;
            uint256[3] memory cumulativeBps = [uint256(1000), 2500, 4000];
            for (uint256 i; i < 3; ++i) {
                uint256 target = DEAL * cumulativeBps[i] / 10_000;
                position.mark(address(sAID), -int256(target - marked));
                marked = target;
                (uint256 badDebt, uint256 ltv) = _liquidateIfUnhealthy(p);
                if (ltv != 0 && liquidatedAt[k] == 0) liquidatedAt[k] = i + 1;
                bad[k] += badDebt;
            }
        }
        assertEq(liquidatedAt[0], 1, "10x loop: liquidated at the first step");
        assertEq(bad[0], 0, "10x loop: lenders whole");
        assertEq(liquidatedAt[1], 2, "7.5x loop: survives step 1, liquidated at step 2");
        assertGt(bad[1], 0, "7.5x loop: bad debt for lenders");
    }
}
