// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RewardMath} from "./RewardMath.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RewardStreamLib
/// @notice Linear reward streams. A notified amount (plus what is still unstreamed) is paid out at a constant rate
///         over the next `duration` seconds, so stake earns only for the time it is present: a stake placed just
///         before a notification and removed right after earns its share of those few seconds, not of the amount.
///         Emission over an interval rounds down, so Σ emitted ≤ Σ notified (the dust stays in the vault).
///
///         The pro-rata stream (`Global`) feeds a reward-per-weight index; between two updates the total weight and
///         the rate are constant, so the index is linear in time. The index is recorded at registered boundaries (the
///         effective times of commission changes) when an update crosses them, so an operator synced long after a
///         commission change still splits what it earned before and after it exactly.
library RewardStreamLib {
    /// @notice Scale of a stream's rate: AID [wad] per second × 1e18.
    uint256 internal constant RATE_SCALE = 1e18;

    /// @notice A linear stream; `last` is when it was last advanced [s].
    struct Stream {
        uint256 rate; // AID [wad] per second × RATE_SCALE
        uint48 finish; // [s] end of the stream
        uint48 last; // [s] emission before this time has been accounted
    }

    /// @notice The pro-rata stream over every opted-in operator's weight.
    struct Global {
        Stream stream;
        uint256 index; // AID per wad of weight × 1e36, at `stream.last`
        uint256 carry; // [wad] AID emitted while no operator had weight: streamed again with the next notification
        uint48[] boundaries; // ascending times at which the index is recorded
        uint256 head; // boundaries[head..] are not recorded yet
        mapping(uint256 time => uint256 index) recorded;
    }

    // ---------------------------------------------------------------- streams

    /// @notice What `s` emits over [from, to) (clipped at its finish).
    function emitted(Stream storage s, uint256 from, uint256 to) internal view returns (uint256) {
        uint256 end = Math.min(to, s.finish);
        if (end <= from) return 0;
        return Math.mulDiv(s.rate, end - from, RATE_SCALE);
    }

    /// @notice Restarts `s` (already advanced to now) with `amount` plus its unstreamed rest over `duration` from now.
    function notify(Stream storage s, uint256 amount, uint256 duration) internal {
        uint256 rest = emitted(s, block.timestamp, type(uint256).max);
        s.rate = Math.mulDiv(amount + rest, RATE_SCALE, duration);
        // forge-lint: disable-next-line(unsafe-typecast)
        s.finish = uint48(block.timestamp + duration);
        s.last = uint48(block.timestamp);
    }

    // ---------------------------------------------------------------- pro-rata stream

    /// @notice Advances the pro-rata index to now over `totalWeight` (constant since the last update), recording it
    ///         at every registered boundary crossed. Must run before any change of the total weight or the rate.
    function update(Global storage g, uint256 totalWeight) internal {
        uint256 last = g.stream.last;
        if (last == block.timestamp) return;
        uint256 index = g.index;
        uint256 carried;
        uint256 n = g.boundaries.length;
        uint256 i = g.head;
        for (; i < n; ++i) {
            uint256 b = g.boundaries[i];
            if (b > block.timestamp) break;
            (index, carried) = _step(g, index, carried, last, b, totalWeight);
            g.recorded[b] = index;
            last = b;
        }
        g.head = i;
        (g.index, carried) = _step(g, index, carried, last, block.timestamp, totalWeight);
        if (carried != 0) g.carry += carried;
        g.stream.last = uint48(block.timestamp);
    }

    /// @notice Registers `time` (> now, not before the last registered one) as a boundary.
    function addBoundary(Global storage g, uint256 time) internal {
        uint256 n = g.boundaries.length;
        // forge-lint: disable-next-line(unsafe-typecast)
        if (n == 0 || g.boundaries[n - 1] < time) g.boundaries.push(uint48(time));
    }

    /// @notice The index at `time`: recorded if an update crossed it (`time` must then be a boundary), else what
    ///         `update` would compute for it (views; `time` ≤ now). With `time` = now: the index as if updated now.
    function indexAt(Global storage g, uint256 time, uint256 totalWeight) internal view returns (uint256 index) {
        uint256 last = g.stream.last;
        if (time < last) return g.recorded[time];
        index = g.index;
        uint256 n = g.boundaries.length;
        for (uint256 i = g.head; i < n; ++i) {
            uint256 b = g.boundaries[i];
            if (b > time) break;
            (index,) = _step(g, index, 0, last, b, totalWeight);
            last = b;
        }
        (index,) = _step(g, index, 0, last, time, totalWeight);
    }

    /// @dev The index after streaming [from, to) over `totalWeight`; with no weight the emission is carried instead.
    function _step(Global storage g, uint256 index, uint256 carried, uint256 from, uint256 to, uint256 totalWeight)
        private
        view
        returns (uint256, uint256)
    {
        uint256 amount = emitted(g.stream, from, to);
        if (amount == 0) return (index, carried);
        if (totalWeight == 0) return (index, carried + amount);
        return (index + RewardMath.increment(amount, totalWeight), carried);
    }
}
