// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "../interfaces/IGpuDeal.sol";

/// @title DealTermsLib
/// @notice The bounds a GPU deal's terms must meet (§5 of the spec): advance rate, senior ratio, tenor, payment
///         interval, coupons, REVENUE_SHARE parameters, funding deadline.
library DealTermsLib {
    uint256 internal constant BPS = 10_000; // [bps]
    uint256 internal constant MAX_ADVANCE_BPS = 8000; // [bps] principal ≤ 80% of appraised value
    uint256 internal constant MAX_SENIOR_BPS = 8000; // [bps] senior ≤ 80% of principal
    uint256 internal constant MAX_APR_BPS = 5000; // [bps] coupon bound
    uint256 internal constant MIN_TENOR = 90 days; // [s]
    uint256 internal constant MAX_TENOR = 3 * 365 days; // [s]
    uint256 internal constant MIN_SHARE_BPS = 5000; // [bps] REVENUE_SHARE share bounds
    uint256 internal constant MAX_SHARE_BPS = 7000; // [bps]
    uint256 internal constant MAX_PERIODS = 156; // payment periods per deal (weekly over 3 years)

    /// @notice Reverts with the `IGpuDeal` error naming the first rule `t` breaks (§5 of the spec).
    function validate(IGpuDeal.Terms calldata t) internal view {
        IGpuDeal.Collateral calldata c = t.collateral;
        if (c.unitCount == 0 || c.appraisedValue == 0 || c.serialsHash == bytes32(0)) {
            revert IGpuDeal.InvalidCollateral();
        }
        uint256 principal = t.seniorPrincipal + t.juniorPrincipal;
        if (principal == 0) revert IGpuDeal.ZeroAmount();
        if (principal * BPS > c.appraisedValue * MAX_ADVANCE_BPS) {
            revert IGpuDeal.AdvanceRateTooHigh(principal, c.appraisedValue);
        }
        if (t.juniorPrincipal == 0 || t.seniorPrincipal * BPS > principal * MAX_SENIOR_BPS) {
            revert IGpuDeal.SeniorRatioTooHigh(t.seniorPrincipal, principal);
        }
        if (t.tenor < MIN_TENOR || t.tenor > MAX_TENOR) revert IGpuDeal.InvalidTenor(t.tenor);
        if (
            t.paymentInterval == 0 || t.paymentInterval > t.tenor
                || (uint256(t.tenor) + t.paymentInterval - 1) / t.paymentInterval > MAX_PERIODS
        ) revert IGpuDeal.InvalidPaymentInterval(t.paymentInterval);
        if (t.seniorAprBps > MAX_APR_BPS) revert IGpuDeal.InvalidApr(t.seniorAprBps);
        if (t.juniorAprBps > MAX_APR_BPS) revert IGpuDeal.InvalidApr(t.juniorAprBps);
        if (
            t.structure == IGpuDeal.Structure.REVENUE_SHARE
                && (t.revenueShareBps < MIN_SHARE_BPS || t.revenueShareBps > MAX_SHARE_BPS || t.capMultipleBps < BPS)
        ) revert IGpuDeal.InvalidRevenueShare(t.revenueShareBps, t.capMultipleBps);
        if (t.structure == IGpuDeal.Structure.REVENUE_SHARE && t.minPeriodPayment == 0) {
            revert IGpuDeal.InvalidMinPeriodPayment(t.minPeriodPayment);
        }
        if (t.fundingDeadline <= block.timestamp) revert IGpuDeal.InvalidFundingDeadline(t.fundingDeadline);
    }
}
