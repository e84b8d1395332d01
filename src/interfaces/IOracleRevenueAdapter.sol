// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueOracle} from "./IRevenueOracle.sol";
import {IRevenueSource} from "./IRevenueSource.sol";

/// @title IOracleRevenueAdapter
/// @notice Feeds REVENUE_SHARE deals from the node network's telemetry oracle (§6 of the spec). A deal is keyed in the
///         oracle by the id the `DealFactory` gave it (the node registry maps each node to that id).
/// @dev Design (why deltas of the cumulative figure, not sums over epoch ranges): the oracle only ever adds revenue
///      that is proven against accepted, unchallenged roots, and a proof may land well after its epoch. A period's
///      revenue is therefore fixed by a permissionless `checkpoint` once the period has ended plus `settlementDelay`
///      (time for roots to be attested, pass their challenge window and be proven): it is the growth of
///      `cumulativeDealRevenue(dealId)` since the previous checkpoint. Nothing proven is ever missed (a late proof
///      counts in the next checkpointed period), reads are O(1) (no epoch-range limit, no per-epoch finality
///      gaps), and every checkpointed figure is immutable. Periods are checkpointed in order, one per call; revenue
///      proven before the first checkpoint counts in period 0. Until a period is checkpointed the deal treats it as
///      unreported (only the minimum payment is due for it).
interface IOracleRevenueAdapter is IRevenueSource {
    /// @notice Emitted when `period` of `deal` is fixed at `revenue` (cumulative `cumulative` at that time).
    event PeriodCheckpointed(address indexed deal, uint256 indexed period, uint256 revenue, uint256 cumulative);

    /// @notice Thrown when a constructor address is zero.
    error ZeroAddress();

    /// @notice Thrown when the settlement delay is zero or longer than 30 days.
    error InvalidSettlementDelay(uint256 settlementDelay);

    /// @notice Thrown when `deal` was not created by the factory.
    error UnknownDeal(address deal);

    /// @notice Thrown when `deal` has not activated yet (it has no periods).
    error NotActivated(address deal);

    /// @notice Thrown when the next period of `deal` cannot be checkpointed before `readyAt` [s].
    error PeriodNotSettled(address deal, uint256 period, uint256 readyAt);

    /// @notice Fixes the revenue of `deal`'s next unchecked period (anyone, once it ended + `settlementDelay`).
    /// @return period The period fixed.
    /// @return revenue Its revenue [wad].
    function checkpoint(address deal) external returns (uint256 period, uint256 revenue);

    /// @notice Periods of `deal` already checkpointed (the next one to fix).
    function checkpointedPeriods(address deal) external view returns (uint256);

    /// @notice The telemetry oracle read.
    function oracle() external view returns (IRevenueOracle);

    /// @notice The factory that gives deals their ids.
    function factory() external view returns (address);

    /// @notice Wait after a period's end before it can be checkpointed [s].
    function settlementDelay() external view returns (uint256);
}
