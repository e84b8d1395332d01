// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueSource} from "./IRevenueSource.sol";

/// @title IRevenueReporter
/// @notice Source of per-period revenue for REVENUE_SHARE deals (§5, §6 of the spec). Today a role-gated reporter
///         (the underwriter's attestation), later the node network's telemetry oracle behind the same interface.
///         Amounts are AID [wad]; periods are counted from the deal's activation, starting at 0.
interface IRevenueReporter is IRevenueSource {
    /// @notice Emitted when `revenue` is reported for `deal`'s `period`.
    event RevenueReported(address indexed deal, uint256 indexed period, uint256 revenue, address indexed reporter);

    /// @notice Thrown when a period that was already reported is reported again.
    error PeriodAlreadyReported(address deal, uint256 period);

    /// @notice Thrown when a period is reported before it has ended.
    error PeriodNotEnded(address deal, uint256 period);

    /// @notice Thrown when the deal address is zero.
    error ZeroDeal();

    /// @notice The role allowed to report revenue: keccak256("REVENUE_REPORTER_ROLE").
    function REVENUE_REPORTER_ROLE() external view returns (bytes32);

    /// @notice Records the GPU revenue `deal` earned in `period` [wad]; each period is reported once.
    function reportRevenue(address deal, uint256 period, uint256 revenue) external;
}
