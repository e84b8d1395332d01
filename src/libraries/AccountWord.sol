// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultMath} from "./VaultMath.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AccountWord
/// @notice One storage word per sAID holder: share balance (bits 0–103), queue shares of the holder's pending unstake
///         requests (104–207) in the units of loss-index epoch `tag` (208–215: the epoch mod 256), id of the latest
///         request (216–247, mod 2^32) and restriction (248–255). A transfer, deposit or unstake touches this word
///         anyway, so restrictions and the per-user queue aggregate cost no extra storage.
/// @dev Balances fit 104 bits because total supply is a uint104; the aggregate fits 104 bits because a request's queue
///      shares are at most 1000 × its AID ({VaultMath.INDEX_FLOOR}). Every write converts the aggregate to the current
///      epoch; a read converts it by (epoch − tag) mod 256 re-bases (an aggregate left untouched through 256 re-bases,
///      at least 32 losses of > 99.9%, would be misread; it is worth 0 after 26). Re-bases floor the aggregate once and
///      each request on its own, so the aggregate can exceed the sum of the requests by rounding: paying the holder's
///      latest request (FIFO: their last) clears it. Words written before v4 hold a request time (> any id) there.
library AccountWord {
    uint256 internal constant BALANCE_MASK = type(uint104).max;
    uint256 internal constant QUEUE_SHIFT = 104;
    uint256 internal constant QUEUE_MASK = type(uint104).max;
    uint256 internal constant EPOCH_SHIFT = 208;
    uint256 internal constant LAST_SHIFT = 216;
    uint256 internal constant RESTRICTION_SHIFT = 248;
    uint256 internal constant FULL = 2; // IStakedAID.Restriction.FULL

    function balance(uint256 w) internal pure returns (uint256) {
        return w & BALANCE_MASK;
    }

    function queueShares(uint256 w) internal pure returns (uint256) {
        return (w >> QUEUE_SHIFT) & QUEUE_MASK;
    }

    /// @notice Id (mod 2^32) of the holder's latest unstake request.
    function lastRequest(uint256 w) internal pure returns (uint256) {
        return (w >> LAST_SHIFT) & type(uint32).max;
    }

    function restriction(uint256 w) internal pure returns (uint256) {
        return w >> RESTRICTION_SHIFT;
    }

    function isFull(uint256 w) internal pure returns (bool) {
        return w >> RESTRICTION_SHIFT == FULL;
    }

    /// @notice The queue shares of `w` in the units of loss-index epoch `epoch` (≥ the epoch they were written in).
    function queueSharesAt(uint256 w, uint256 epoch) internal pure returns (uint256) {
        return VaultMath.rescaled(queueShares(w), (epoch - ((w >> EPOCH_SHIFT) & 0xff)) & 0xff);
    }

    /// @notice `w` with its queue shares (in epoch `epoch`'s units) and latest request id replaced.
    function withQueue(uint256 w, uint256 q, uint256 last, uint256 epoch) internal pure returns (uint256) {
        if (q > QUEUE_MASK) revert SafeCast.SafeCastOverflowedUintDowncast(104, q);
        return (w & (BALANCE_MASK | (type(uint256).max << RESTRICTION_SHIFT))) | (q << QUEUE_SHIFT)
            | ((epoch & 0xff) << EPOCH_SHIFT)
            // forge-lint: disable-next-line(unsafe-typecast)
            | (uint256(uint32(last)) << LAST_SHIFT);
    }

    /// @notice `w` with its restriction replaced.
    function withRestriction(uint256 w, uint256 r) internal pure returns (uint256) {
        return (w & ~(type(uint256).max << RESTRICTION_SHIFT)) | (r << RESTRICTION_SHIFT);
    }
}
