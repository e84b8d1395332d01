// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueReporter} from "../interfaces/IRevenueReporter.sol";
import {IRevenueSource} from "../interfaces/IRevenueSource.sol";
import {GpuDeal} from "./GpuDeal.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title RevenueReporter
/// @notice Role-gated per-period revenue of REVENUE_SHARE deals (the underwriter's attestation today; the node
///         network's telemetry oracle replaces the reporter role later behind the same interface). See
///         `IRevenueReporter`.
contract RevenueReporter is IRevenueReporter, AccessControlDefaultAdminRules {
    /// @notice Thrown when the admin tries to renounce its role (no lock-out).
    error AdminRenounceDisabled();

    /// @inheritdoc IRevenueReporter
    bytes32 public constant REVENUE_REPORTER_ROLE = keccak256("REVENUE_REPORTER_ROLE");

    struct Report {
        uint192 revenue; // [wad]
        uint64 reportedAt; // [s] 0 while not reported
    }

    mapping(address deal => mapping(uint256 period => Report)) internal _reports;

    constructor(address admin) AccessControlDefaultAdminRules(1 days, admin) {}

    /// @inheritdoc IRevenueReporter
    function reportRevenue(address deal, uint256 period, uint256 revenue) external onlyRole(REVENUE_REPORTER_ROLE) {
        if (deal == address(0)) revert ZeroDeal();
        uint256 activatedAt = GpuDeal(deal).activatedAt();
        uint256 interval = GpuDeal(deal).terms().paymentInterval;
        if (activatedAt == 0 || block.timestamp < activatedAt + (period + 1) * interval) {
            revert PeriodNotEnded(deal, period);
        }
        Report storage r = _reports[deal][period];
        if (r.reportedAt != 0) revert PeriodAlreadyReported(deal, period);
        r.revenue = SafeCast.toUint192(revenue); // reporter input: refused if it does not fit
        r.reportedAt = uint64(block.timestamp);
        emit RevenueReported(deal, period, revenue, msg.sender);
    }

    /// @inheritdoc IRevenueSource
    function revenueOf(address deal, uint256 period)
        external
        view
        returns (uint256 revenue, bool reported, uint256 reportedAt)
    {
        Report memory r = _reports[deal][period];
        return (r.revenue, r.reportedAt != 0, r.reportedAt);
    }

    /// @notice Disabled for DEFAULT_ADMIN_ROLE: the admin cannot renounce into a lock-out.
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE) revert AdminRenounceDisabled();
        super.renounceRole(role, account);
    }
}
