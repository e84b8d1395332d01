// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RateLimitLib
/// @notice Linearly decaying in-flight amount per window (LayerZero-style rate limiter) in one storage word.
/// @dev `inFlight` decays at `limit / window` per second. An unconfigured limit (`limit == 0`) has no capacity.
library RateLimitLib {
    struct RateLimit {
        uint96 limit; // [wad] capacity per window
        uint96 inFlight; // [wad] amount counted against the window at `lastUpdated`
        uint40 lastUpdated; // [unix s]
        uint24 window; // [s]
    }

    /// @notice Amount currently in flight after decay, and what can still pass now.
    function state(RateLimit memory rl) internal view returns (uint256 inFlight, uint256 available) {
        inFlight = rl.inFlight;
        if (rl.window != 0) {
            uint256 decay = (uint256(rl.limit) * (block.timestamp - rl.lastUpdated)) / rl.window;
            inFlight = inFlight > decay ? inFlight - decay : 0;
        }
        available = rl.limit > inFlight ? rl.limit - inFlight : 0;
    }

    /// @notice Counts `amount` against the limit; returns false (and writes nothing) if it does not fit.
    function consume(RateLimit storage self, uint256 amount) internal returns (bool ok) {
        RateLimit memory rl = self;
        (uint256 inFlight, uint256 available) = state(rl);
        if (amount > available) return false;
        // forge-lint: disable-next-line(unsafe-typecast)
        self.inFlight = uint96(inFlight + amount); // <= limit <= uint96 max
        self.lastUpdated = uint40(block.timestamp);
        return true;
    }

    /// @notice Sets a new limit and window, first settling the decay under the old parameters.
    function configure(RateLimit storage self, uint96 limit, uint24 window) internal {
        (uint256 inFlight,) = state(self);
        self.limit = limit;
        self.window = window;
        // forge-lint: disable-next-line(unsafe-typecast)
        self.inFlight = uint96(inFlight); // decayed value never exceeds the previous in-flight amount
        self.lastUpdated = uint40(block.timestamp);
    }
}
