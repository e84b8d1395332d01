// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealFactory} from "../interfaces/IDealFactory.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {IOracleRevenueAdapter} from "../interfaces/IOracleRevenueAdapter.sol";
import {IRevenueOracle} from "../interfaces/IRevenueOracle.sol";
import {IRevenueSource} from "../interfaces/IRevenueSource.sol";
import {GpuDeal} from "./GpuDeal.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title OracleRevenueAdapter
/// @notice Per-period revenue of REVENUE_SHARE deals from the telemetry oracle, as deltas of the deal's cumulative
///         proven revenue fixed by permissionless checkpoints. See `IOracleRevenueAdapter`.
contract OracleRevenueAdapter is IOracleRevenueAdapter {
    uint256 internal constant MAX_SETTLEMENT_DELAY = 30 days; // [s]

    /// @inheritdoc IOracleRevenueAdapter
    IRevenueOracle public immutable oracle;
    /// @inheritdoc IOracleRevenueAdapter
    address public immutable factory;
    /// @inheritdoc IOracleRevenueAdapter
    uint256 public immutable settlementDelay; // [s]

    struct Track {
        uint64 periods; // checkpointed so far
        uint192 cumulative; // [wad] oracle cumulative at the last checkpoint
    }

    mapping(address deal => Track) internal _tracks;

    struct Figure {
        uint192 revenue; // [wad]
        uint64 at; // [s] when it was checkpointed
    }

    mapping(address deal => mapping(uint256 period => Figure)) internal _revenue;

    constructor(IRevenueOracle oracle_, address factory_, uint256 settlementDelay_) {
        if (address(oracle_) == address(0) || factory_ == address(0)) revert ZeroAddress();
        if (settlementDelay_ == 0 || settlementDelay_ > MAX_SETTLEMENT_DELAY) {
            revert InvalidSettlementDelay(settlementDelay_);
        }
        oracle = oracle_;
        factory = factory_;
        settlementDelay = settlementDelay_;
    }

    /// @inheritdoc IOracleRevenueAdapter
    function checkpoint(address deal) external returns (uint256 period, uint256 revenue) {
        uint256 dealId = IDealFactory(factory).dealIdOf(deal);
        if (dealId == 0) revert UnknownDeal(deal);
        uint256 activatedAt = GpuDeal(deal).activatedAt();
        if (activatedAt == 0) revert NotActivated(deal);
        Track memory t = _tracks[deal];
        period = t.periods;
        uint256 readyAt = activatedAt + (period + 1) * IGpuDeal(deal).terms().paymentInterval + settlementDelay;
        if (block.timestamp < readyAt) revert PeriodNotSettled(deal, period, readyAt);
        uint256 cumulative = oracle.cumulativeDealRevenue(dealId);
        revenue = cumulative - t.cumulative; // the oracle's cumulative only grows
        // forge-lint: disable-next-line(unsafe-typecast)
        _tracks[deal] = Track({periods: uint64(period + 1), cumulative: SafeCast.toUint192(cumulative)}); // oracle input
        // forge-lint: disable-next-line(unsafe-typecast)
        _revenue[deal][period] = Figure(uint192(revenue), uint64(block.timestamp)); // ≤ cumulative, checked above
        emit PeriodCheckpointed(deal, period, revenue, cumulative);
    }

    /// @inheritdoc IRevenueSource
    function revenueOf(address deal, uint256 period)
        external
        view
        returns (uint256 revenue, bool reported, uint256 reportedAt)
    {
        if (period >= _tracks[deal].periods) return (0, false, 0);
        Figure memory f = _revenue[deal][period];
        return (f.revenue, true, f.at);
    }

    /// @inheritdoc IOracleRevenueAdapter
    function checkpointedPeriods(address deal) external view returns (uint256) {
        return _tracks[deal].periods;
    }
}
