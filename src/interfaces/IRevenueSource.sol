// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRevenueSource
/// @notice Where a REVENUE_SHARE deal reads the revenue of each of its payment periods (§5, §6 of the spec): the
///         role-gated `RevenueReporter` (the underwriter's attestation) or the `OracleRevenueAdapter` over the node
///         network's telemetry oracle. Periods are counted from the deal's activation, starting at 0; a period's figure
///         is final once reported (never revised). Amounts are AID [wad].
interface IRevenueSource {
    /// @notice The revenue of `deal`'s `period` [wad], whether it is known (final) yet, and when it became known [s]
    ///         (0 while not reported). The deal judges the part of the period's due above the minimum payment from
    ///         max(due date, `reportedAt`) (see `IGpuDeal.dueDate`); a source answering only the first two words gets
    ///         no such delay (the due date applies). A `reportedAt` in the future still counts as reported: the part
    ///         above the minimum falls due at it, but never later than the due date plus the lag (as a late report).
    function revenueOf(address deal, uint256 period)
        external
        view
        returns (uint256 revenue, bool reported, uint256 reportedAt);
}
