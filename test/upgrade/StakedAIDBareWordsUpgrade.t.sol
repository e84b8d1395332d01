// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDReview10R1EdgeBase} from "../unit/StakedAIDReview10R1EdgeBase.sol";
import {StakedAIDSlots} from "../unit/StakedAIDTestBase.sol";

/// @notice v5 -> v6 (`Config.noBareWords`, appended after `excessWords` in bits 200–207 of the config word, which v5
///         left 0; no reinitializer, as 8s-4 decided). A v5 vault reads the flag as false: "a waiting request may hold
///         a bare word", so processing reads the bare words as v5 did until the queue first empties, and only then
///         skips them. The opposite default (a `bareWords` flag, false = none) would skip the words v5 wrote: a word
///         holding the gain of an ended bare epoch would not be settled ({StakedAIDBareWordsTest}).
contract StakedAIDBareWordsUpgradeTest is StakedAIDReview10R1EdgeBase {
    /// @notice A v5 vault with a bare epoch ended by a whole move (carol's word holds 0 bare shares and a gain) and
    ///         requests waiting, its config word as v5 wrote it (bits 200–207 zero): after the upgrade the other config
    ///         fields read the same, every request is paid its view (carol's gain settled), the queue emptied sets the
    ///         flag, and a refill of pool requests is then paid without reading any bare word.
    function test_upgradeFromV5_bareWordsOfAnEndedEpochStillSettle() public {
        uint256 id = _v5WithAGainInAWord();
        uint256 cfg = StakedAIDSlots.load(address(sAID), StakedAIDSlots.CONFIG);
        assertEq(cfg >> 200, 0, "as v5 wrote it: nothing above excessWords");
        _upgrade();
        assertEq(StakedAIDSlots.load(address(sAID), StakedAIDSlots.CONFIG), cfg, "the config word kept");
        assertFalse(_noBareWords(), "read as: a request may hold a bare word");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(sAID.vestingPeriod(), 8 hours, "v5 fields read the same");
        assertEq(sAID.maxAprBps(), 5000, "v5 fields read the same");
        assertEq(sAID.liquidityBufferBps(), 3000, "v5 fields read the same");
        uint256 v = _requestValue(id);
        assertGt(v, 0, "carol is owed her gain");
        uint256 b0 = aid.balanceOf(carol);
        _payAllAndCheckViews(); // every owner paid exactly its views
        assertEq(aid.balanceOf(carol) - b0, v, "carol paid her view, the gain of her word included");
        (uint256 h,) = sAID.unstakeQueue();
        assertEq(h, tail, "every request paid");
        assertGt(tail, head, "(there were requests)");
        assertTrue(_noBareWords(), "set once the queue emptied");

        // after it, pool requests are paid without a bare word read
        _request(bob, sAID.balanceOf(bob) / 2);
        _request(eve, _stake(eve, 1000e18));
        (head, tail) = sAID.unstakeQueue();
        vm.warp(block.timestamp + DELAY);
        vm.record();
        sAID.processUnstakeQueue(10);
        (bytes32[] memory reads,) = vm.accesses(address(sAID));
        for (uint256 i; i < reads.length; ++i) {
            assertTrue(reads[i] != StakedAIDSlots.slot(StakedAIDSlots.BARE_EPOCH), "the bare epoch not read");
            for (uint256 r = head; r < tail; ++r) {
                assertTrue(reads[i] != StakedAIDSlots.slotOf(StakedAIDSlots.REQUEST_BARE, r), "no bare word read");
            }
        }
        (h,) = sAID.unstakeQueue();
        assertEq(h, tail, "paid");
    }

    /// @notice A v5 vault whose queue holds only pool requests after a bare epoch ended: the flag reads false after the
    ///         upgrade (processing reads as v5 did, nothing differs), and the first payout that empties the queue sets
    ///         it; a vault the upgrade finds empty sets it at its first processing.
    function test_upgradeFromV5_flagSetByTheFirstEmptying() public {
        _bareEmptiedByPayouts();
        position.mark(address(sAID), 300e18);
        _cureSecond(100e18);
        _request(bob, sAID.balanceOf(bob) / 2);
        _asV5();
        _upgrade();
        assertFalse(_noBareWords(), "false after the upgrade");
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        uint256 b0 = aid.balanceOf(bob);
        uint256 v = _requestValue(2);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(bob) - b0, v, "bob paid his view");
        assertTrue(_noBareWords(), "set by the first emptying");
        _asV5();
        assertFalse(_noBareWords(), "(an empty v5 vault)");
        sAID.processUnstakeQueue(1);
        assertTrue(_noBareWords(), "set by processing the empty queue");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev alice queues half (the pool), a loss of 10 on `position`, carol's round trip of 5000 (mostly bare), the
    ///      write-down settled, a loss of 50 on `second` moves the whole bare part (a restart: carol's word holds 0 bare
    ///      shares and a gain) and is cured; then the config word as v5 wrote it. Returns carol's request.
    function _v5WithAGainInAWord() private returns (uint256 id) {
        _twoStakersOnTwoPositions(second, 500e18);
        _request(alice, sAID.balanceOf(alice) / 2);
        _lossOn(position, 10e18);
        id = _request(carol, _stake(carol, 5000e18));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        uint256 epoch = _bareEpoch();
        second.mark(address(sAID), -50e18);
        _sync();
        _assertRestarted(epoch);
        _cureSecond(50e18);
        (uint256 rb, uint256 re) = _requestBare(id);
        assertGt(rb, 0, "her word stays");
        assertEq(re, epoch, "written in the ended epoch");
        _asV5();
    }

    /// @dev The config word as v5 wrote it: bits 200–255 zero (no `noBareWords`).
    function _asV5() private {
        bytes32 slot = StakedAIDSlots.slot(StakedAIDSlots.CONFIG);
        vm.store(address(sAID), slot, bytes32(uint256(vm.load(address(sAID), slot)) & ((1 << 200) - 1)));
    }

    /// @dev Upgrades the proxy to a fresh build of the current implementation (no reinitializer: 8s-4 decision).
    function _upgrade() private {
        StakedAID impl = new StakedAID(IAID(address(aid)));
        vm.prank(admin);
        sAID.upgradeToAndCall(address(impl), "");
    }
}
