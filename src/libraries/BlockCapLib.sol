// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BlockCapLib
/// @notice A per-block amount cap in one storage word, keyed by `block.timestamp`.
/// @dev Arbitrum-family chains (Arbitrum, Plume) return the L1 block number from `block.number`, so the cap is keyed
///      by timestamp instead: on every chain it holds per block, and on chains with several blocks per second it
///      holds per second (stricter). The window resets on the first use in a new timestamp.
library BlockCapLib {
    struct BlockCap {
        uint40 stamp; // [unix s] timestamp of the window `used` belongs to
        uint104 used; // [wad]
        uint104 limit; // [wad] per block; 0 disables
    }

    /// @notice Counts `amount` against this block's cap; returns false (and writes nothing) if it would exceed it.
    function consume(BlockCap storage self, uint256 amount) internal returns (bool ok) {
        BlockCap memory c = self;
        uint256 used = (c.stamp == block.timestamp ? c.used : 0) + amount;
        if (used > c.limit) return false;
        self.stamp = uint40(block.timestamp);
        // forge-lint: disable-next-line(unsafe-typecast)
        self.used = uint104(used); // <= limit, so it fits
        return true;
    }

    /// @notice What can still be used in this block.
    function remaining(BlockCap memory c) internal view returns (uint256) {
        uint256 used = c.stamp == block.timestamp ? c.used : 0;
        return c.limit > used ? c.limit - used : 0;
    }
}
