// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IIrm} from "./IMorphoMinimal.sol";

/// @title IKinkedIrm
/// @notice A stateless kinked ("jump-rate") interest-rate model for Morpho Blue markets. With utilization
///         `u = totalBorrowAssets / totalSupplyAssets` [wad], capped at 1 (and 0 for an empty market):
///           u <= kink: rate(u) = base + slope1 * u / kink
///           u >  kink: rate(u) = base + slope1 + slope2 * (u - kink) / (1 - kink)
///         The curve is set in annual rates [wad per year, 1e18 = 100% APR, simple]; Morpho reads it per second:
///         `borrowRate = rate(u) / SECONDS_PER_YEAR`, rounded down. Morpho compounds it (`wTaylorCompounded`).
///         Parameters are immutable: a new curve is a new IRM (Morpho markets never change IRM).
interface IKinkedIrm is IIrm {
    /// @notice The kink is not strictly between 0 and 1 [wad].
    error InvalidKink(uint256 kink);
    /// @notice `base + slope1 + slope2`, the rate at full utilization, exceeds MAX_RATE_PER_YEAR [wad per year].
    error RateTooHigh(uint256 maxRatePerYear);

    /// @notice Seconds in the year the annual rates are divided by (365 days) [s].
    function SECONDS_PER_YEAR() external view returns (uint256);
    /// @notice Highest annual rate a curve may reach at full utilization (1,000% APR) [wad per year].
    function MAX_RATE_PER_YEAR() external view returns (uint256);

    /// @notice Annual rate at zero utilization [wad per year].
    function baseRatePerYear() external view returns (uint256);
    /// @notice Annual rate added from zero to kink utilization [wad per year].
    function slope1PerYear() external view returns (uint256);
    /// @notice Annual rate added from kink to full utilization [wad per year].
    function slope2PerYear() external view returns (uint256);
    /// @notice Utilization at which the steep slope starts [wad].
    function kink() external view returns (uint256);

    /// @notice Borrow rate per second [wad] at `utilization` [wad] (values above 1e18 count as 1e18).
    function rateAt(uint256 utilization) external view returns (uint256 ratePerSecond);

    /// @notice `market`'s utilization [wad]: borrowed / supplied, 0 for an empty market, capped at 1e18.
    function utilization(uint256 totalSupplyAssets, uint256 totalBorrowAssets) external pure returns (uint256);
}
