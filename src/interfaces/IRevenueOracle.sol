// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRevenueOracle
/// @notice What a REVENUE_SHARE deal reads: the revenue its nodes reported, from accepted and final telemetry roots.
///         An epoch's root is final once accepted (operators with ≥ 2/3 of the epoch's stake attested it) and its
///         challenge window passed without a successful challenge. Revenue enters only through Merkle proofs of
///         per-node leaves of final roots (`proveRevenue`), each node once per epoch, attributed to the node's deal
///         in the node registry; so every number here is final and never revised.
/// @dev Revenue proven late (after a deal read a period) shows up in a later read of `cumulativeDealRevenue`: a deal
///      that pays on deltas of the cumulative figure never misses revenue; `dealRevenue` gives the per-epoch view.
interface IRevenueOracle {
    /// @notice Thrown when `fromEpoch > toEpoch` or the range spans more than MAX_REVENUE_RANGE epochs.
    error InvalidEpochRange(uint256 fromEpoch, uint256 toEpoch);

    /// @notice Revenue [wad AID] of `dealId`'s nodes proven for epochs `fromEpoch` .. `toEpoch` (inclusive).
    function dealRevenue(uint256 dealId, uint256 fromEpoch, uint256 toEpoch) external view returns (uint256);

    /// @notice Revenue [wad AID] of `dealId`'s nodes proven so far, all epochs.
    function cumulativeDealRevenue(uint256 dealId) external view returns (uint256);

    /// @notice Revenue [wad AID] of `dealId`'s nodes proven for `epoch`.
    function dealEpochRevenue(uint256 dealId, uint256 epoch) external view returns (uint256);

    /// @notice Whether `epoch`'s root is accepted and past its challenge window (unchallenged).
    function isFinal(uint256 epoch) external view returns (bool);

    /// @notice Whether any active node of `dealId` is stale (missing from the last `staleAfter` accepted roots).
    function isDealStale(uint256 dealId) external view returns (bool);

    /// @notice Longest range `dealRevenue` sums, in epochs.
    function MAX_REVENUE_RANGE() external view returns (uint256);
}
