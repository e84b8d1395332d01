// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title VaultMath
/// @notice sAID's pure arithmetic: the linear reward stream, the APR cap, and the loss index that prices the unstake
///         queue. Kept apart from storage so each rule can be read (and fuzzed) on its own.
library VaultMath {
    /// @notice Virtual shares and virtual assets added to both sides of every share/asset conversion (inflation
    ///         defence without a decimals offset: sAID keeps 18 decimals and a 1:1 start). Whatever a near-empty vault
    ///         gains goes mostly to the virtual shares, and a depositor's rounding loss is bounded by NAV / 1e6 wei.
    uint256 internal constant VIRTUAL = 1e6;
    /// @notice Unit of the loss index (1.0).
    uint256 internal constant RAY = 1e27;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant YEAR = 365 days;
    /// @notice The APR cap is measured against NAV, but never against less than this (a near-empty vault cannot be
    ///         flooded with rewards that one share would capture).
    uint256 internal constant MIN_APR_BASE = 1e18;
    /// @notice Longest stream the APR cap may stretch rewards over (beyond it the cap gives way: nothing waits longer).
    uint256 internal constant MAX_STREAM = 10 * YEAR;
    /// @notice The vault is wiped, and refuses entries, while a share's entry value is below 1 / WIPED AID:
    ///         `entry value [wei] × WIPED < supply [shares, 18 decimals]`, i.e. under 1e-9 AID per share.
    uint256 internal constant WIPED = 1e9;

    /// @notice Reward still unvested at `t` of a stream of `amount` running linearly from `start` to `end`, rounded up
    ///         (NAV is never overstated).
    function unvestedAt(uint256 amount, uint256 start, uint256 end, uint256 t) internal pure returns (uint256) {
        if (t >= end) return 0;
        if (t <= start) return amount;
        return Math.mulDiv(amount, end - t, end - start, Math.Rounding.Ceil);
    }

    /// @notice How long `unvested` AID must take to vest: the vesting period, or longer when vesting it that fast would
    ///         lift NAV faster than `maxAprBps` a year (measured on `nav`, at least MIN_APR_BASE); at most MAX_STREAM.
    /// @dev duration = clamp(max(period, ceil(unvested × BPS × YEAR / (maxAprBps × max(nav, MIN_APR_BASE)))), MAX_STREAM).
    function streamDuration(uint256 unvested, uint256 nav, uint256 period, uint256 maxAprBps)
        internal
        pure
        returns (uint256 duration)
    {
        uint256 base = nav > MIN_APR_BASE ? nav : MIN_APR_BASE;
        duration = Math.mulDiv(unvested, BPS * YEAR, maxAprBps * base, Math.Rounding.Ceil);
        if (duration < period) duration = period;
        if (duration > MAX_STREAM) duration = MAX_STREAM;
    }

    /// @notice Assets paid for `shares` on exit, rounded down: the virtual-offset price, but below par (nav < supply)
    ///         the shares' pro-rata part of real NAV, so virtual assets never subsidise an exit.
    function exitAssets(uint256 shares, uint256 nav, uint256 supply) internal pure returns (uint256) {
        if (nav < supply) return Math.mulDiv(shares, nav, supply);
        return Math.mulDiv(shares, nav + VIRTUAL, supply + VIRTUAL);
    }

    /// @notice Shares burnt to pay `assets` on exit, rounded up (the inverse of {exitAssets}); max when NAV is 0.
    function exitShares(uint256 assets, uint256 nav, uint256 supply) internal pure returns (uint256) {
        if (nav < supply) {
            if (nav == 0) return assets == 0 ? 0 : type(uint256).max;
            return Math.mulDiv(assets, supply, nav, Math.Rounding.Ceil);
        }
        return Math.mulDiv(assets, supply + VIRTUAL, nav + VIRTUAL, Math.Rounding.Ceil);
    }

    /// @notice The loss index after a loss of `loss` on `gross` (value shared by stakers and pending requests): scaled
    ///         by (gross − loss) / gross, rounded down, never below 1 (so new requests can still be priced).
    function lossIndexAfter(uint256 index, uint256 gross, uint256 loss) internal pure returns (uint256 next) {
        if (loss == 0 || gross == 0) return index;
        next = loss >= gross ? 0 : Math.mulDiv(index, gross - loss, gross);
        if (next == 0) next = 1;
    }

    /// @notice While requests wait, a loss that leaves the loss index below this [ray] re-bases it: index × RESCALE,
    ///         queue shares ÷ RESCALE, epoch + 1 (repeated until the index is back above it). So the index stays in
    ///         [1e24, 1e27] and a new request's queue shares stay ≤ 1000 × its AID after any sequence of losses.
    uint256 internal constant INDEX_FLOOR = 1e24;
    /// @notice Factor of one re-base of the loss index.
    uint256 internal constant RESCALE = 1e3;
    /// @notice An empty pool [ray] is never priced below this for a request (or an excess part's value) entering it
    ///         (13r-1): it is priced at the entrant's own price, value × 1e27 / (value + claim), at least this, so it
    ///         holds at most (1e27 − PRICE_FLOOR) / PRICE_FLOOR = 9× the entrant's value of claim (the rest waits in
    ///         the excess part, whose claim a re-base never lapses), and only a further loss of more than
    ///         1 − INDEX_FLOOR / PRICE_FLOOR = 99% of gross while it waits re-bases it.
    uint256 internal constant PRICE_FLOOR = 1e26;

    /// @notice Queue shares recorded `epochs` re-bases ago, in today's units: ÷ RESCALE per re-base, rounded down
    ///         (against the requester, by less than 1 wei of value); 0 after 26 or more (1000^26 > 2^256).
    function rescaled(uint256 queueShares, uint256 epochs) internal pure returns (uint256) {
        if (epochs == 0) return queueShares;
        if (epochs >= 26) return 0;
        return queueShares / 10 ** (3 * epochs);
    }

    /// @notice Queue shares recorded for a request worth `assets` at `index`, rounded down.
    function toQueueShares(uint256 assets, uint256 index) internal pure returns (uint256) {
        return Math.mulDiv(assets, RAY, index);
    }

    /// @notice AID value of `queueShares` at `index`, rounded down (a request is never worth more than recorded).
    function toQueueAssets(uint256 queueShares, uint256 index) internal pure returns (uint256) {
        return Math.mulDiv(queueShares, index, RAY);
    }

    /// @notice Queue shares to retire for paying `assets` out of `queueShares` at `index`: rounded up, at most all.
    function queueSharesFor(uint256 assets, uint256 index, uint256 queueShares) internal pure returns (uint256 q) {
        q = Math.mulDiv(assets, RAY, index, Math.Rounding.Ceil);
        if (q > queueShares) q = queueShares;
    }
}
