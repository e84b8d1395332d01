// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRevenueSource
/// @notice Where a REVENUE_SHARE deal reads the revenue of each of its payment periods (§5, §6 of the spec): the
///         role-gated `RevenueReporter` (the underwriter's attestation) or the `OracleRevenueAdapter` over the node
///         network's telemetry oracle. Periods are counted from the deal's activation, starting at 0; a period's figure
///         is final once reported (never revised). Amounts are AID [wad].
interface IRevenueSource {
    /// @notice The revenue of `deal`'s `period` [wad] and whether it is known (final) yet.
    function revenueOf(address deal, uint256 period) external view returns (uint256 revenue, bool reported);
}
