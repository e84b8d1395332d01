// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title DelayedParamLib
/// @notice A parameter whose changes are timelocked: a new value is scheduled with an effective time and replaces the
///         current one lazily, on the first read at or after that time. Scheduling again before it is effective
///         replaces the pending value (and restarts the delay); the current value is never changed early.
library DelayedParamLib {
    /// @dev One slot for values up to 160 bits (addresses, durations).
    struct Param {
        uint160 current;
        uint48 effectiveAt; // [s] when `pending` replaces `current`; 0: nothing pending
        uint160 pending;
    }

    /// @notice The value in force now.
    function get(Param storage p) internal view returns (uint256) {
        uint256 at = p.effectiveAt;
        return at != 0 && block.timestamp >= at ? p.pending : p.current;
    }

    /// @notice Sets the value immediately (initialisation only).
    function init(Param storage p, uint160 value) internal {
        p.current = value;
        p.effectiveAt = 0;
        p.pending = 0;
    }

    /// @notice Schedules `value` to take effect `delay` seconds from now; returns the effective time.
    function schedule(Param storage p, uint160 value, uint256 delay) internal returns (uint48 effectiveAt) {
        p.current = uint160(get(p)); // a matured pending value becomes current first
        // forge-lint: disable-next-line(unsafe-typecast)
        effectiveAt = uint48(block.timestamp + delay);
        p.pending = value;
        p.effectiveAt = effectiveAt;
    }

    /// @notice The scheduled value and its effective time (0, 0 when nothing is pending or it already applies).
    function pendingOf(Param storage p) internal view returns (uint256 value, uint256 effectiveAt) {
        uint256 at = p.effectiveAt;
        if (at == 0 || block.timestamp >= at) return (0, 0);
        return (p.pending, at);
    }
}
