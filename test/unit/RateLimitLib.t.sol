// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RateLimitLib} from "../../src/libraries/RateLimitLib.sol";
import {Test} from "forge-std/Test.sol";

/// @dev Exposes the library on one storage slot.
contract RateLimitHarness {
    using RateLimitLib for RateLimitLib.RateLimit;

    RateLimitLib.RateLimit public rl; // slot 0

    function configure(uint96 limit, uint24 window) external {
        rl.configure(limit, window);
    }

    function consume(uint256 amount) external returns (bool) {
        return rl.consume(amount);
    }

    function state() external view returns (uint256 inFlight, uint256 available) {
        return RateLimitLib.state(rl);
    }
}

/// @notice Properties of the linearly decaying rate limiter used for AID's OFT pathways.
contract RateLimitLibTest is Test {
    uint96 internal constant MAX_LIMIT = type(uint96).max;
    uint24 internal constant MAX_WINDOW = type(uint24).max;

    RateLimitHarness internal h;

    function setUp() public {
        vm.warp(1_750_000_000);
        h = new RateLimitHarness();
    }

    function _slot() internal view returns (bytes32) {
        return vm.load(address(h), bytes32(0));
    }

    function _inFlight() internal view returns (uint256 inFlight) {
        (inFlight,) = h.state();
    }

    function _available() internal view returns (uint256 available) {
        (, available) = h.state();
    }

    // ---------------------------------------------------------------- unconfigured

    function test_unconfigured_hasNoCapacity() public {
        assertEq(_available(), 0);
        assertFalse(h.consume(1));
        assertEq(_slot(), bytes32(0), "refused consume wrote nothing");
        vm.warp(block.timestamp + 365 days);
        assertEq(_available(), 0);
    }

    function test_unconfigured_zeroAmountPasses() public {
        assertTrue(h.consume(0));
        assertEq(_inFlight(), 0);
    }

    // ---------------------------------------------------------------- configure

    function testFuzz_configure_setsFullCapacity(uint96 limit, uint24 window) public {
        window = uint24(bound(window, 1, MAX_WINDOW));
        h.configure(limit, window);
        (uint96 l, uint96 inFlight, uint40 lastUpdated, uint24 w) = h.rl();
        assertEq(l, limit);
        assertEq(w, window);
        assertEq(inFlight, 0);
        assertEq(lastUpdated, block.timestamp);
        assertEq(_available(), limit);
    }

    /// @dev Reconfiguring first settles the decay under the old parameters, then keeps that in-flight amount.
    function testFuzz_configure_settlesDecay(
        uint96 limit,
        uint24 window,
        uint256 used,
        uint256 elapsed,
        uint96 newLimit,
        uint24 newWindow
    ) public {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        newWindow = uint24(bound(newWindow, 1, MAX_WINDOW));
        used = bound(used, 0, limit);
        elapsed = bound(elapsed, 0, 2 * uint256(window));
        h.configure(limit, window);
        assertTrue(h.consume(used));
        vm.warp(block.timestamp + elapsed);
        uint256 decayedInFlight = _inFlight();

        h.configure(newLimit, newWindow);
        (uint96 l, uint96 inFlight, uint40 lastUpdated, uint24 w) = h.rl();
        assertEq(inFlight, decayedInFlight, "decay settled under the old parameters");
        assertLe(inFlight, used);
        assertEq(lastUpdated, block.timestamp);
        assertEq(l, newLimit);
        assertEq(w, newWindow);
        assertEq(_available(), newLimit > decayedInFlight ? newLimit - decayedInFlight : 0);
    }

    /// @dev Lowering the limit below what is in flight leaves no capacity until enough has decayed.
    function test_configure_lowerLimitBelowInFlight() public {
        h.configure(100e18, 1 hours);
        assertTrue(h.consume(80e18));
        h.configure(50e18, 1 hours);
        assertEq(_inFlight(), 80e18);
        assertEq(_available(), 0);
        assertFalse(h.consume(1));
        // decay now runs at the new rate, 50e18 per hour: after an hour 30e18 is left in flight
        vm.warp(block.timestamp + 1 hours);
        assertEq(_inFlight(), 30e18);
        assertEq(_available(), 20e18);
    }

    // ---------------------------------------------------------------- consume

    function testFuzz_consume_countsAmount(uint96 limit, uint24 window, uint256 a, uint256 b) public {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        a = bound(a, 0, limit);
        b = bound(b, 0, limit - a);
        h.configure(limit, window);
        assertTrue(h.consume(a));
        assertTrue(h.consume(b));
        assertEq(_inFlight(), a + b);
        assertEq(_available(), limit - a - b);
    }

    /// @dev A refused consume returns false and leaves the whole storage word untouched.
    function testFuzz_consume_falseWritesNothing(
        uint96 limit,
        uint24 window,
        uint256 used,
        uint256 elapsed,
        uint256 excess
    ) public {
        limit = uint96(bound(limit, 1, MAX_LIMIT - 1));
        window = uint24(bound(window, 1, MAX_WINDOW));
        used = bound(used, 0, limit);
        h.configure(limit, window);
        assertTrue(h.consume(used));
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * uint256(window)));
        uint256 available = _available();
        bytes32 before = _slot();

        uint256 amount = bound(excess, available + 1, type(uint256).max);
        assertFalse(h.consume(amount));
        assertEq(_slot(), before);
    }

    function testFuzz_consume_exactlyAvailablePasses(uint96 limit, uint24 window, uint256 used, uint256 elapsed)
        public
    {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        used = bound(used, 0, limit);
        h.configure(limit, window);
        assertTrue(h.consume(used));
        vm.warp(block.timestamp + bound(elapsed, 0, 2 * uint256(window)));
        uint256 available = _available();
        assertTrue(h.consume(available));
        assertEq(_available(), 0);
        assertEq(_inFlight(), limit);
    }

    // ---------------------------------------------------------------- decay

    /// @dev Whatever happens, the capacity left never exceeds the limit, and in-flight never exceeds it either unless
    ///      the limit was lowered below an earlier in-flight amount.
    function testFuzz_state_capacityNeverExceedsLimit(
        uint96 limit,
        uint24 window,
        uint256[6] memory amounts,
        uint256[6] memory gaps
    ) public {
        limit = uint96(bound(limit, 0, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        h.configure(limit, window);
        for (uint256 i = 0; i < amounts.length; i++) {
            vm.warp(block.timestamp + bound(gaps[i], 0, 2 * uint256(window)));
            h.consume(bound(amounts[i], 0, uint256(limit) + 1));
            (uint256 inFlight, uint256 available) = h.state();
            assertLe(available, limit);
            assertLe(inFlight, limit);
            assertEq(inFlight + available, limit);
        }
    }

    /// @dev In-flight decays at `limit / window` per second: nothing at once, the floor of the elapsed share of the
    ///      limit later, and all of it after a full window.
    function testFuzz_state_decaysLinearly(uint96 limit, uint24 window, uint256 elapsed) public {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        elapsed = bound(elapsed, 0, window);
        h.configure(limit, window);
        assertTrue(h.consume(limit));
        assertEq(_inFlight(), limit, "no decay at once");

        vm.warp(block.timestamp + elapsed);
        uint256 decayed = limit - _inFlight();
        // decayed / limit == elapsed / window, to one wei of rounding (down)
        assertLe(decayed * window, uint256(limit) * elapsed);
        assertGt((decayed + 1) * window, uint256(limit) * elapsed);
    }

    function testFuzz_state_fullWindowRestoresCapacity(uint96 limit, uint24 window, uint256 used, uint256 extra)
        public
    {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        used = bound(used, 0, limit);
        h.configure(limit, window);
        assertTrue(h.consume(used));
        vm.warp(block.timestamp + uint256(window) + bound(extra, 0, 365 days));
        assertEq(_inFlight(), 0);
        assertEq(_available(), limit);
    }

    /// @dev Decay is additive: two steps decay as much as one step of the same total length, to rounding.
    function testFuzz_state_decayAdditive(uint96 limit, uint24 window, uint256 t1, uint256 t2) public {
        limit = uint96(bound(limit, 1, MAX_LIMIT));
        window = uint24(bound(window, 1, MAX_WINDOW));
        t1 = bound(t1, 0, window);
        t2 = bound(t2, 0, uint256(window) - t1);
        h.configure(limit, window);
        assertTrue(h.consume(limit));
        uint256 start = block.timestamp;

        vm.warp(start + t1);
        uint256 afterFirst = _inFlight();
        vm.warp(start + t1 + t2);
        uint256 afterBoth = _inFlight();
        assertLe(afterBoth, afterFirst, "monotone");

        // a consume(0) between the steps settles the decay; the rest decays from there
        vm.warp(start + t1);
        assertTrue(h.consume(0));
        vm.warp(start + t1 + t2);
        uint256 stepped = _inFlight();
        assertGe(stepped, afterBoth);
        assertLe(stepped, afterBoth + 1);
    }
}
