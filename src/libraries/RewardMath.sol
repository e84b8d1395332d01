// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RewardMath
/// @notice Pull-based reward streams: an amount split into the operator's commission and a reward-per-share increment
///         of its active pool, and what a position accrued between two index values. Every division rounds down, so
///         what stakers and the operator can claim never exceeds what was streamed (the dust stays in the vault).
library RewardMath {
    /// @notice Scale of reward indices: AID [wad] per share (or per wad of weight) × 1e36.
    uint256 internal constant INDEX_SCALE = 1e36;
    uint256 internal constant BPS = 10_000;

    /// @notice Splits `amount` into `commission` (at `commissionBps`) and the per-share increment over `shares`
    ///         active shares; with no shares, everything is commission (nothing is stranded).
    function split(uint256 amount, uint256 commissionBps, uint256 shares)
        internal
        pure
        returns (uint256 commission, uint256 perShareIncrement)
    {
        if (shares == 0) return (amount, 0);
        commission = (amount * commissionBps) / BPS;
        perShareIncrement = Math.mulDiv(amount - commission, INDEX_SCALE, shares);
    }

    /// @notice What `units` (shares, or wad of weight) earned while an index moved from `fromIndex` to `toIndex`.
    function accrued(uint256 units, uint256 fromIndex, uint256 toIndex) internal pure returns (uint256) {
        return Math.mulDiv(units, toIndex - fromIndex, INDEX_SCALE);
    }

    /// @notice Index increment for streaming `amount` over `units`.
    function increment(uint256 amount, uint256 units) internal pure returns (uint256) {
        return Math.mulDiv(amount, INDEX_SCALE, units);
    }
}
