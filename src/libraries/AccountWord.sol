// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AccountWord
/// @notice One storage word per sAID holder: share balance (bits 0–103), queue shares of the holder's pending unstake
///         requests (104–215), time of the latest request (216–247) and restriction (248–255). A transfer, deposit or
///         unstake touches this word anyway, so restrictions and the per-user queue aggregate cost no extra storage.
/// @dev Balances fit 104 bits because total supply is a uint104.
library AccountWord {
    uint256 internal constant BALANCE_MASK = type(uint104).max;
    uint256 internal constant QUEUE_SHIFT = 104;
    uint256 internal constant QUEUE_MASK = type(uint112).max;
    uint256 internal constant TIME_SHIFT = 216;
    uint256 internal constant RESTRICTION_SHIFT = 248;
    uint256 internal constant FULL = 2; // IStakedAID.Restriction.FULL

    function balance(uint256 w) internal pure returns (uint256) {
        return w & BALANCE_MASK;
    }

    function queueShares(uint256 w) internal pure returns (uint256) {
        return (w >> QUEUE_SHIFT) & QUEUE_MASK;
    }

    function lastTime(uint256 w) internal pure returns (uint256) {
        return (w >> TIME_SHIFT) & type(uint32).max;
    }

    function restriction(uint256 w) internal pure returns (uint256) {
        return w >> RESTRICTION_SHIFT;
    }

    function isFull(uint256 w) internal pure returns (bool) {
        return w >> RESTRICTION_SHIFT == FULL;
    }

    /// @notice `w` with its queue shares and latest request time replaced.
    function withQueue(uint256 w, uint256 q, uint256 time) internal pure returns (uint256) {
        if (q > QUEUE_MASK) revert SafeCast.SafeCastOverflowedUintDowncast(112, q);
        return (w & (BALANCE_MASK | (type(uint256).max << RESTRICTION_SHIFT))) | (q << QUEUE_SHIFT)
            // forge-lint: disable-next-line(unsafe-typecast)
            | (uint256(uint32(time)) << TIME_SHIFT);
    }

    /// @notice `w` with its restriction replaced.
    function withRestriction(uint256 w, uint256 r) internal pure returns (uint256) {
        return (w & ~(type(uint256).max << RESTRICTION_SHIFT)) | (r << RESTRICTION_SHIFT);
    }
}
