// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BlockCapLib} from "../../src/libraries/BlockCapLib.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Exposes the library over one storage slot.
contract BlockCapHarness {
    using BlockCapLib for BlockCapLib.BlockCap;

    BlockCapLib.BlockCap public cap;

    function setLimit(uint104 limit) external {
        cap.limit = limit;
    }

    function consume(uint256 amount) external returns (bool) {
        return cap.consume(amount);
    }

    function remaining() external view returns (uint256) {
        return BlockCapLib.remaining(cap);
    }
}

/// @notice The per-block cap is keyed by `block.timestamp`, not `block.number` (Arbitrum/Plume report the L1 block).
contract BlockCapLibTest is Test {
    BlockCapHarness internal h;
    uint104 internal constant LIMIT = 1000e18;

    function setUp() public {
        vm.warp(1_750_000_000);
        h = new BlockCapHarness();
        h.setLimit(LIMIT);
    }

    function test_consume_upToLimit() public {
        assertTrue(h.consume(LIMIT - 1));
        assertEq(h.remaining(), 1);
        assertTrue(h.consume(1));
        assertEq(h.remaining(), 0);
        (uint40 stamp, uint104 used, uint104 limit) = h.cap();
        assertEq(stamp, block.timestamp);
        assertEq(used, LIMIT);
        assertEq(limit, LIMIT);
    }

    function test_consume_overLimit_returnsFalseAndWritesNothing() public {
        assertTrue(h.consume(400e18));
        (uint40 stampBefore, uint104 usedBefore,) = h.cap();
        assertFalse(h.consume(LIMIT - 400e18 + 1));
        (uint40 stamp, uint104 used,) = h.cap();
        assertEq(stamp, stampBefore, "stamp written");
        assertEq(used, usedBefore, "used written");
        assertEq(h.remaining(), LIMIT - 400e18);
    }

    function test_consume_zeroLimitDisables() public {
        h.setLimit(0);
        assertFalse(h.consume(1));
        assertTrue(h.consume(0), "zero always fits");
        assertEq(h.remaining(), 0);
    }

    function test_consume_resetsAtNextTimestamp() public {
        assertTrue(h.consume(LIMIT));
        vm.warp(block.timestamp + 1);
        assertEq(h.remaining(), LIMIT, "new window");
        assertTrue(h.consume(LIMIT));
        assertFalse(h.consume(1));
    }

    /// @dev Intended for Arbitrum/Plume: a new `block.number` in the same second is the same window.
    function test_consume_notResetByBlockNumberAlone() public {
        assertTrue(h.consume(LIMIT));
        vm.roll(block.number + 10);
        assertEq(h.remaining(), 0, "same timestamp, same window");
        assertFalse(h.consume(1));
    }

    function test_remaining_afterLimitLoweredBelowUse() public {
        assertTrue(h.consume(600e18));
        h.setLimit(500e18);
        assertEq(h.remaining(), 0, "never underflows");
        assertFalse(h.consume(1));
    }

    function test_remaining_staleUseIgnored() public {
        assertTrue(h.consume(700e18));
        vm.warp(block.timestamp + 12);
        assertEq(h.remaining(), LIMIT, "old window's use does not count");
    }

    function testFuzz_consume_neverExceedsLimitPerTimestamp(uint256[8] memory amounts, uint8 stepMask) public {
        uint256 usedThisStamp;
        for (uint256 i; i < amounts.length; ++i) {
            if (stepMask & (1 << i) != 0) {
                vm.warp(block.timestamp + 1);
                usedThisStamp = 0;
            } else {
                vm.roll(block.number + 1); // new block, same timestamp
            }
            uint256 amount = bound(amounts[i], 0, uint256(LIMIT) * 2);
            bool ok = h.consume(amount);
            assertEq(ok, usedThisStamp + amount <= LIMIT, "consume decision");
            if (ok) usedThisStamp += amount;
            assertLe(usedThisStamp, LIMIT, "cap held");
            assertEq(h.remaining(), LIMIT - usedThisStamp, "remaining");
        }
    }
}
