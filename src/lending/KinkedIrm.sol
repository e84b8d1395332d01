// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IKinkedIrm} from "../interfaces/IKinkedIrm.sol";
import {IIrm, Market, MarketParams} from "../interfaces/IMorphoMinimal.sol";

/// @title KinkedIrm
/// @notice GAIB's interest-rate model for its Morpho Blue markets (Morpho's adaptive-curve IRM is not on npm): a fixed
///         kinked curve, see {IKinkedIrm}. Stateless, so `borrowRate` equals `borrowRateView`.
contract KinkedIrm is IKinkedIrm {
    uint256 internal constant WAD = 1e18;
    /// @inheritdoc IKinkedIrm
    uint256 public constant SECONDS_PER_YEAR = 365 days; // [s]
    /// @inheritdoc IKinkedIrm
    uint256 public constant MAX_RATE_PER_YEAR = 10e18; // [wad per year] 1,000% APR

    /// @inheritdoc IKinkedIrm
    uint256 public immutable baseRatePerYear; // [wad per year]
    /// @inheritdoc IKinkedIrm
    uint256 public immutable slope1PerYear; // [wad per year]
    /// @inheritdoc IKinkedIrm
    uint256 public immutable slope2PerYear; // [wad per year]
    /// @inheritdoc IKinkedIrm
    uint256 public immutable kink; // [wad]

    /// @param baseRatePerYear_ Rate at 0% utilization [wad per year].
    /// @param slope1PerYear_ Added up to the kink [wad per year].
    /// @param slope2PerYear_ Added from the kink to 100% [wad per year].
    /// @param kink_ Kink utilization, strictly between 0 and 1 [wad].
    constructor(uint256 baseRatePerYear_, uint256 slope1PerYear_, uint256 slope2PerYear_, uint256 kink_) {
        if (kink_ == 0 || kink_ >= WAD) revert InvalidKink(kink_);
        // Each term is checked first so the sum cannot overflow.
        if (
            baseRatePerYear_ > MAX_RATE_PER_YEAR || slope1PerYear_ > MAX_RATE_PER_YEAR
                || slope2PerYear_ > MAX_RATE_PER_YEAR
                || baseRatePerYear_ + slope1PerYear_ + slope2PerYear_ > MAX_RATE_PER_YEAR
        ) revert RateTooHigh(MAX_RATE_PER_YEAR);
        baseRatePerYear = baseRatePerYear_;
        slope1PerYear = slope1PerYear_;
        slope2PerYear = slope2PerYear_;
        kink = kink_;
    }

    /// @inheritdoc IIrm
    function borrowRate(MarketParams memory, Market memory market) external view returns (uint256) {
        return rateAt(utilization(market.totalSupplyAssets, market.totalBorrowAssets));
    }

    /// @inheritdoc IIrm
    function borrowRateView(MarketParams memory, Market memory market) external view returns (uint256) {
        return rateAt(utilization(market.totalSupplyAssets, market.totalBorrowAssets));
    }

    /// @inheritdoc IKinkedIrm
    function rateAt(uint256 u) public view returns (uint256) {
        if (u > WAD) u = WAD;
        uint256 perYear; // [wad per year]
        if (u <= kink) {
            perYear = baseRatePerYear + slope1PerYear * u / kink;
        } else {
            perYear = baseRatePerYear + slope1PerYear + slope2PerYear * (u - kink) / (WAD - kink);
        }
        return perYear / SECONDS_PER_YEAR;
    }

    /// @inheritdoc IKinkedIrm
    function utilization(uint256 totalSupplyAssets, uint256 totalBorrowAssets) public pure returns (uint256) {
        if (totalSupplyAssets == 0) return 0;
        if (totalBorrowAssets >= totalSupplyAssets) return WAD;
        return totalBorrowAssets * WAD / totalSupplyAssets;
    }
}
