// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../interfaces/IStakingVault.sol";
import {RewardMath} from "./RewardMath.sol";
import {ShareMath} from "./ShareMath.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title StakePoolLib
/// @notice The staking vault's share pools (an operator's active and queued pool, ShareMath pricing) and stakers'
///         positions in an active pool: minting, moving shares into the queued pool, burning queued shares, the
///         pro-rata slash and a position's reward accrual. Every conversion rounds down (against the staker).
/// @dev Pure bookkeeping: the vault syncs the operator's rewards before calling and re-derives its checkpoints after.
library StakePoolLib {
    /// @notice A share pool.
    struct Pool {
        uint256 assets; // [wad] GAIB
        uint256 shares;
    }

    /// @notice A staker's position in an operator's active pool.
    struct Position {
        uint256 shares; // active shares
        uint256 rewardIndex; // operator's rewardPerShare at the last accrual
        uint256 rewardAccrued; // [wad] AID
    }

    /// @notice GAIB `shares` of `pool` are worth now, rounded down.
    function value(Pool storage pool, uint256 shares) internal view returns (uint256) {
        return ShareMath.toAssets(shares, pool.assets, pool.shares);
    }

    /// @notice Shares of `pool` that `assets` would mint now, rounded down.
    function sharesFor(Pool storage pool, uint256 assets) internal view returns (uint256) {
        return ShareMath.toShares(assets, pool.assets, pool.shares);
    }

    /// @notice Brings `p`'s accrued rewards up to the operator's index `perShare`.
    function accrue(Position storage p, uint256 perShare) internal {
        uint256 shares = p.shares;
        if (shares != 0) p.rewardAccrued += RewardMath.accrued(shares, p.rewardIndex, perShare);
        p.rewardIndex = perShare;
    }

    /// @notice Adds `assets` (already held) to `pool` as shares of `p`, after accruing `p` to `perShare`.
    ///         Reverts `ZeroShares` if they are worth no share.
    function mint(Pool storage pool, Position storage p, uint256 assets, uint256 perShare)
        internal
        returns (uint256 shares)
    {
        shares = sharesFor(pool, assets);
        if (shares == 0) revert IStakingVault.ZeroShares();
        accrue(p, perShare);
        p.shares += shares;
        pool.assets += assets;
        pool.shares += shares;
    }

    /// @notice Moves `shares` of `p` (accrued to `perShare` first) out of `active` into `queued`; returns the GAIB
    ///         moved and the queued shares minted for it. Reverts `ZeroAmount` / `ZeroShares` for dust.
    function queue(Pool storage active, Pool storage queued, Position storage p, uint256 shares, uint256 perShare)
        internal
        returns (uint256 assets, uint256 queuedShares)
    {
        accrue(p, perShare);
        assets = value(active, shares);
        if (assets == 0) revert IStakingVault.ZeroAmount();
        queuedShares = sharesFor(queued, assets);
        if (queuedShares == 0) revert IStakingVault.ZeroShares();
        p.shares -= shares;
        active.assets -= assets;
        active.shares -= shares;
        queued.assets += assets;
        queued.shares += queuedShares;
    }

    /// @notice Burns `shares` of `pool`; returns the GAIB they were worth (now outside the pool).
    function burn(Pool storage pool, uint256 shares) internal returns (uint256 assets) {
        assets = value(pool, shares);
        pool.assets -= assets;
        pool.shares -= shares;
    }

    /// @notice Takes up to `amount` GAIB pro-rata from `active` and `queued` (ShareMath.split); returns what was taken.
    function slash(Pool storage active, Pool storage queued, uint256 amount)
        internal
        returns (uint256 slashed, uint256 fromActive, uint256 fromQueued)
    {
        slashed = Math.min(amount, active.assets + queued.assets);
        (fromActive, fromQueued) = ShareMath.split(slashed, active.assets, queued.assets);
        if (slashed != 0) {
            active.assets -= fromActive;
            queued.assets -= fromQueued;
        }
    }
}
