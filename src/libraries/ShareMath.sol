// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ShareMath
/// @notice Share accounting of a staking pool with a virtual offset, and the pro-rata split of a slash between an
///         operator's active and queued pools.
/// @dev A pool values `shares` at `assets × (shares + VIRTUAL_SHARES) / (totalShares + VIRTUAL_SHARES)` against
///      `totalAssets + VIRTUAL_ASSETS`. The virtual shares and asset make the first share's price well-defined, keep a
///      slash strictly pro-rata (a slash lowers `totalAssets`, every share loses the same fraction) and make a pool
///      that was slashed to zero worthless to its old shares rather than a trap for new deposits. Every conversion
///      rounds down (against the staker: fewer shares in, fewer assets out).
library ShareMath {
    /// @notice Virtual shares (10^3) added to every pool.
    uint256 internal constant VIRTUAL_SHARES = 1e3;
    /// @notice Virtual asset (1 wei) added to every pool.
    uint256 internal constant VIRTUAL_ASSETS = 1;

    /// @notice Shares worth `assets` in a pool of `totalAssets` / `totalShares`, rounded down.
    function toShares(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    /// @notice Assets `shares` are worth in a pool of `totalAssets` / `totalShares`, rounded down.
    function toAssets(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    /// @notice Splits a slash of `amount` (≤ `active + queued`) pro-rata between the active and queued pools. The
    ///         active part is rounded up, the queued part is the rest, so the two add up to `amount` exactly and
    ///         neither exceeds its pool.
    function split(uint256 amount, uint256 active, uint256 queued)
        internal
        pure
        returns (uint256 fromActive, uint256 fromQueued)
    {
        uint256 total = active + queued;
        if (total == 0) return (0, 0);
        fromActive = Math.mulDiv(amount, active, total, Math.Rounding.Ceil);
        fromQueued = amount - fromActive;
    }
}
