// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDReview10R1EdgeBase} from "./StakedAIDReview10R1EdgeBase.sol";
import {StakedAIDSlots} from "./StakedAIDTestBase.sol";

/// @notice `Config.noBareWords` (v6, gas): no waiting request holds a bare word. Before it, `processUnstakeQueue` read
///         every paid request's bare word (a cold SLOAD, ~2.1k gas a request) forever once a bare epoch had ended,
///         since `bare.epoch` never returns to 0. The flag is set at `initialize` and whenever processing empties the
///         queue (with `excessWords` cleared, in the same store), cleared by every request that writes a bare word
///         (wholly bare or split); while it is set processing reads neither the bare words nor the bare epoch and
///         accumulator. Unset (a v5 vault after the upgrade: its bits were 0) processing reads exactly as v5 did, so
///         the flag can only skip reads of words that are 0. Checked here: the moments it is set and cleared, the
///         slots processing reads with it set (none of the bare part's) and without it (every request's bare word),
///         and a differential fuzz: every payout with the flag as the vault keeps it equals the same payout with it
///         forced off (the v5 path), in every outcome (payouts, held, views, raw words of the queue's parts).
contract StakedAIDBareWordsTest is StakedAIDReview10R1EdgeBase {
    uint256 private constant FLAG_SHIFT = 200;

    // ------------------------------------------------------------------ set and cleared

    /// @notice A fresh vault starts with the flag set (no request at all), in bits 200–207 of the config word (v5's
    ///         fields below it unchanged); processing an empty queue keeps it.
    function test_noBareWords_setAtInitializeInBits200To207() public {
        uint256 w = StakedAIDSlots.load(address(sAID), StakedAIDSlots.CONFIG);
        assertEq(w, (uint256(8 hours) << 128) | (uint256(5000) << 160) | (uint256(3000) << 176) | (1 << FLAG_SHIFT));
        assertTrue(_noBareWords(), "set at initialize");
        assertFalse(_excessWords(), "no excess word");
        sAID.processUnstakeQueue(1);
        assertTrue(_noBareWords(), "kept by processing an empty queue");
        assertEq(StakedAIDSlots.load(address(sAID), StakedAIDSlots.CONFIG), w, "the config word unchanged");
    }

    /// @notice Pool requests leave the flag set; a split request (pool part + bare part: {QueueLogic-_sides}) clears
    ///         it; payouts keep it cleared while any request waits, even once the bare part is emptied (its epoch
    ///         ended: a later request may still hold a word of that epoch); the payout that empties the queue sets it
    ///         again (and clears `excessWords`) in the same store as the head.
    function test_noBareWords_clearedBySplitRequestSetWhenTheQueueEmpties() public {
        _twoStakersOnTwoPositions(second, 500e18);
        _request(alice, sAID.balanceOf(alice) / 2); // request 0: the pool
        assertTrue(_noBareWords(), "a pool request writes no bare word");
        _markDown(300e18);
        uint256 id = _request(dave, _stake(dave, 5000e18)); // request 1: mostly bare
        (uint256 rb,) = _requestBare(id);
        assertGt(rb, 0, "dave's request holds a bare word");
        assertFalse(_noBareWords(), "cleared by the split request");
        position.mark(address(sAID), 300e18); // cured: nothing undecided
        _sync();
        _request(bob, sAID.balanceOf(bob) / 2); // request 2: a pool request, waits behind
        (rb,) = _requestBare(2);
        assertEq(rb, 0, "bob's request holds no bare word");
        assertFalse(_noBareWords(), "dave's word still waits");
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        uint256 epoch = _bareEpoch();
        sAID.processUnstakeQueue(2);
        (uint256 bs,) = _bare();
        assertEq(bs, 0, "the bare part emptied by payouts");
        assertEq(_bareEpoch(), epoch + 1, "its epoch ended");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, 1, "bob's request waits");
        assertFalse(_noBareWords(), "kept cleared while a request waits");
        sAID.processUnstakeQueue(1);
        (head, tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue emptied");
        assertTrue(_noBareWords(), "set when the queue empties");
        assertFalse(_excessWords(), "excessWords cleared with it");
        (uint256 h2, uint256 t2,,) = StakedAIDSlots.config(address(sAID));
        assertEq(h2, 3, "head stored");
        assertEq(t2, 3, "tail kept");
    }

    /// @notice A wholly bare request (its shares carry < MIN_CLAIM of claim while a write-down is undecided: the early
    ///         return of {QueueLogic-_enqueue}, 10b-2) clears the flag too.
    function test_noBareWords_clearedByWhollyBareRequest() public {
        _accSetup();
        assertTrue(_noBareWords(), "alice's pool request");
        (uint256 poolBefore,) = _pool();
        uint256 id = _request(carol, _stake(carol, 100e18));
        (uint256 poolAfter,) = _pool();
        assertEq(poolAfter, poolBefore, "no pool share: wholly bare");
        (uint256 rb,) = _requestBare(id);
        assertGt(rb, 0, "carol's request holds a bare word");
        assertFalse(_noBareWords(), "cleared by the wholly bare request");
    }

    /// @notice An excess request (claim above what the pool can pay: the INDEX_FLOOR case of 10b-1, {QueueLogic-_sides})
    ///         sets `excessWords` and leaves `noBareWords` set; emptying the queue clears the one and keeps the other.
    function test_noBareWords_excessRequestLeavesItSet() public {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _allocate(1999e18);
        _markDown(1998.6e18);
        _request(bob, sAID.balanceOf(bob));
        (uint256 xs,,,) = _excess();
        assertGt(xs, 0, "bob's request holds an excess word");
        assertTrue(_excessWords(), "excessWords set");
        assertTrue(_noBareWords(), "an excess word is no bare word");
        position.mark(address(sAID), int256(1998.6e18));
        _sync();
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "paid");
        assertFalse(_excessWords(), "excessWords cleared");
        assertTrue(_noBareWords(), "noBareWords still set");
    }

    // ------------------------------------------------------------------ what processing reads

    /// @notice (the gas fix) After a bare epoch ended (payouts emptied the bare part) and the queue emptied, a refill
    ///         of pool requests is paid without reading any bare word, nor the bare epoch or accumulator; with the flag
    ///         off (the v5 path, and the path before the flag) every request's bare word is read and the call costs
    ///         more; both pay exactly the same (the same payouts, views and words).
    function test_noBareWords_payoutAfterABareEpochEndedReadsNoBareWord() public {
        (uint256 head, uint256 tail) = _refillAfterABareEpoch();
        uint256 n = tail - head;
        uint256 snap = vm.snapshotState();
        vm.record();
        sAID.processUnstakeQueue(10);
        uint256 fast = vm.lastCallGas().gasTotalUsed;
        (bytes32[] memory reads,) = vm.accesses(address(sAID));
        for (uint256 id = head; id < tail; ++id) {
            assertFalse(_has(reads, StakedAIDSlots.slotOf(StakedAIDSlots.REQUEST_BARE, id)), "no bare word read");
            assertFalse(_has(reads, StakedAIDSlots.slotOf(StakedAIDSlots.REQUEST_BARE_ACC, id)), "nor its snapshot");
        }
        assertFalse(_has(reads, StakedAIDSlots.slot(StakedAIDSlots.BARE_EPOCH)), "nor the bare epoch");
        assertFalse(_has(reads, StakedAIDSlots.slot(StakedAIDSlots.BARE_ACC)), "nor the bare accumulator");
        uint256[] memory a = _outcome(head, tail);
        assertTrue(_noBareWords(), "set again: the queue emptied");

        vm.revertToState(snap);
        _forceNoBareWords(false);
        vm.record();
        sAID.processUnstakeQueue(10);
        uint256 slow = vm.lastCallGas().gasTotalUsed;
        (reads,) = vm.accesses(address(sAID));
        for (uint256 id = head; id < tail; ++id) {
            assertTrue(_has(reads, StakedAIDSlots.slotOf(StakedAIDSlots.REQUEST_BARE, id)), "v5 path: word read");
        }
        assertEq(_outcome(head, tail), a, "the same payouts, views and words");
        // (here the slots the test's own reads touched are warm: >= a warm SLOAD a request; 2,100 a request when
        // cold, measured in a transaction of its own by test/gas/StakedAIDQueueGas.t.sol)
        assertGe(slow, fast + n * 100, "an SLOAD saved per request");
        emit log_named_uint("processUnstakeQueue, 4 pool requests after a bare epoch ended: with the flag", fast);
        emit log_named_uint("                                               with it off (v5 path)", slow);
    }

    /// @notice With the flag off after a bare epoch ended (a request wrote a bare word in it), processing reads it:
    ///         a word holding only a gain from an ended epoch (the whole bare part moved into the pool at a loss, its
    ///         shares read 0) settles into the request's pool shares and is paid. Forcing the flag on in that state
    ///         (what a flag defaulting to "no words" would read in a v5 vault after the upgrade) would skip the gain:
    ///         carol would be paid less than her view, which is why 0 means "may hold" (see the upgrade test).
    function test_noBareWords_wordWithAGainOfAnEndedEpochIsRead() public {
        uint256 id = _wholeMoveLeavesAGainInAWord();
        uint256 v = _requestValue(id);
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        uint256 snap = vm.snapshotState();
        uint256 b0 = aid.balanceOf(carol);
        sAID.processUnstakeQueue(100);
        assertEq(aid.balanceOf(carol) - b0, v, "carol paid her view, the gain of her word included");
        _assertNoBareWord(id);
        assertTrue(_noBareWords(), "set: the queue emptied");
        vm.revertToState(snap);
        _forceNoBareWords(true);
        sAID.processUnstakeQueue(100);
        assertLt(aid.balanceOf(carol) - b0, v, "a wrongly set flag would skip the gain");
    }

    // ------------------------------------------------------------------ behaviour unchanged (differential)

    /// @notice Every processing call of a fuzzed history (losses on two positions, entrant round trips that write bare
    ///         words, settles, cures, payouts in parts and in full, the queue emptied and refilled with pool requests
    ///         or more bare ones) gives the same outcome with the flag as the vault keeps it as with the flag forced off
    ///         (the v5 path, reading every bare word whenever a bare epoch ended): payouts, held, head, every waiting
    ///         request's and owner's view, pending, NAV, and the raw words of the queue's parts and of every request's
    ///         side words. The flag is set exactly when the queue empties and cleared by every bare word.
    function testFuzz_noBareWords_processingSameAsReadingEveryWord(
        uint256 loss1,
        uint256 entrant,
        uint256 loss2,
        uint256 k,
        uint256 mode
    ) public {
        loss1 = bound(loss1, 1e18, 450e18);
        entrant = bound(entrant, 1e18, 10_000e18);
        loss2 = bound(loss2, 0, 120e18);
        k = bound(k, 1, 3);
        _twoStakersOnTwoPositions(second, 500e18);
        _request(alice, sAID.balanceOf(alice) / 2);
        _book(position, loss1);
        _request(dave, _stake(dave, entrant)); // split or wholly bare
        _checkFlag();
        bool settled = mode & 1 != 0;
        if (settled) {
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
        }
        _book(second, loss2); // moves part or all of the bare part into the pool (a restart when all)
        if (mode & 2 != 0) _request(carol, _stake(carol, entrant / 2 + 1e18));
        _checkFlag();
        if (mode & 4 != 0) {
            if (loss2 != 0) second.mark(address(sAID), int256(loss2));
            if (!settled) position.mark(address(sAID), int256(loss1));
        }
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
        _processDifferential(k);
        _processDifferential(100);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "all paid");
        assertTrue(_noBareWords(), "set: the queue emptied");

        // refill: pool requests (nothing undecided) or, while a write-down stays undecided, more bare words
        _request(bob, sAID.balanceOf(bob) / 2);
        _request(eve, _stake(eve, entrant));
        if (mode & 8 != 0) _request(carol, _stake(carol, 50e18));
        _checkFlag();
        vm.warp(block.timestamp + DELAY);
        _processDifferential(k == 1 ? 1 : 100);
        _processDifferential(100);
        (head, tail) = sAID.unstakeQueue();
        assertEq(head, tail, "all paid");
        assertTrue(_noBareWords(), "set: the queue emptied");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev `_bareEmptiedByPayouts` (a bare epoch ended, the queue emptied), every write-down cured, then four pool
    ///      requests of distinct owners (nothing undecided: none holds a bare word). Returns the queue.
    function _refillAfterABareEpoch() private returns (uint256 head, uint256 tail) {
        _bareEmptiedByPayouts();
        assertGt(_bareEpoch(), 0, "a bare epoch ended");
        assertTrue(_noBareWords(), "the queue emptied");
        position.mark(address(sAID), 300e18);
        _cureSecond(100e18);
        _request(bob, sAID.balanceOf(bob) / 2);
        _request(alice, sAID.balanceOf(alice) / 2);
        _request(carol, _stake(carol, 1000e18));
        _request(eve, _stake(eve, 1000e18));
        (head, tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            (uint256 rb, uint256 re) = _requestBare(id);
            assertEq(rb + re, 0, "a pool request");
        }
        assertTrue(_noBareWords(), "still set");
        _deallocateAll();
        vm.warp(block.timestamp + DELAY);
    }

    /// @dev alice queues half (the pool), a loss of 10 on `position`, carol's round trip of 5000 (mostly bare), the
    ///      write-down settled, then a loss of 50 on `second` moves the whole bare part into the pool (a restart: her
    ///      word holds 0 bare shares and a gain), and is cured. Returns carol's request.
    function _wholeMoveLeavesAGainInAWord() private returns (uint256 id) {
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
        assertEq(re, epoch, "in the ended epoch");
        assertFalse(_noBareWords(), "cleared by her word");
    }

    /// @dev `p` reports `loss` less and the allocator books it (nothing when 0).
    function _book(MockPosition p, uint256 loss) private {
        if (loss == 0) return;
        p.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(p));
    }

    /// @dev The flag is set iff no waiting request holds a bare word (its shares or its snapshot).
    function _checkFlag() private view {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        bool any;
        for (uint256 id = head; id < tail; ++id) {
            any = any || StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE, id) != 0;
        }
        assertEq(_noBareWords(), !any, "the flag = no waiting request holds a bare word");
    }

    /// @dev `processUnstakeQueue(n)` with the flag forced off (the v5 path) and, from the same state, with the flag
    ///      as kept (continued from): the outcomes are equal.
    function _processDifferential(uint256 n) private {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        uint256 snap = vm.snapshotState();
        _forceNoBareWords(false);
        uint256 paidSlow = sAID.processUnstakeQueue(n);
        uint256[] memory slow = _outcome(head, tail);
        vm.revertToState(snap);
        uint256 paid = sAID.processUnstakeQueue(n);
        assertEq(paid, paidSlow, "paid");
        assertEq(_outcome(head, tail), slow, "the same outcome with the flag as without");
        (uint256 h, uint256 t) = sAID.unstakeQueue();
        if (h == t) assertTrue(_noBareWords(), "set when the queue empties");
    }

    /// @dev Everything processing can change, for the requests `head..tail` and their owners; the config word without
    ///      the flag's bits.
    function _outcome(uint256 head, uint256 tail) private view returns (uint256[] memory o) {
        uint256 n = tail - head;
        o = new uint256[](40 + 16 * n);
        uint256 j;
        for (uint256 f; f < 30; ++f) {
            uint256 w = StakedAIDSlots.load(address(sAID), f);
            if (f == StakedAIDSlots.CONFIG) w &= ~(uint256(0xff) << FLAG_SHIFT);
            o[j++] = w;
        }
        (o[j++], o[j++]) = sAID.unstakeQueue();
        (o[j++], o[j++], o[j++]) = (sAID.pendingUnstakeAssets(), sAID.totalAssets(), sAID.idleAssets());
        (o[j++], o[j++]) = (sAID.lossIndex(), aid.balanceOf(address(sAID)));
        for (uint256 id = head; id < tail; ++id) {
            uint256[16] memory r = _requestOutcome(id);
            for (uint256 i; i < 16; ++i) {
                o[j++] = r[i];
            }
        }
    }

    /// @dev Request `id`'s view, its owner's view and AID, and the raw words of the request and its owner.
    function _requestOutcome(uint256 id) private view returns (uint256[16] memory r) {
        address owner = owners[id];
        (, r[0], r[1], r[2]) = sAID.unstakeRequest(id);
        (r[3], r[4]) = sAID.getUnstakeRequest(owner);
        (r[5], r[6]) = (aid.balanceOf(owner), sAID.heldOf(owner));
        uint256 key = uint256(uint160(owner));
        r[7] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE, id);
        r[8] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE_ACC, id);
        r[9] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.ACCOUNT_BARE, key);
        r[10] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.ACCOUNT_BARE_ACC, key);
        r[11] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.EXCESS + 2, id); // excess.requestWord
        r[12] = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.EXCESS + 5, id); // excess.requestAcc
        bytes32 req = StakedAIDSlots.slotOf(StakedAIDSlots.REQUESTS, id);
        r[13] = uint256(vm.load(address(sAID), req));
        r[14] = uint256(vm.load(address(sAID), bytes32(uint256(req) + 1)));
        r[15] = StakedAIDSlots.loadOf(address(sAID), 5, key); // accounts[owner]
    }

    /// @dev Writes the flag's bits of the config word (the rest kept).
    function _forceNoBareWords(bool on) private {
        bytes32 s = StakedAIDSlots.slot(StakedAIDSlots.CONFIG);
        uint256 w = uint256(vm.load(address(sAID), s)) & ~(uint256(0xff) << FLAG_SHIFT);
        vm.store(address(sAID), s, bytes32(w | (on ? 1 << FLAG_SHIFT : 0)));
        assertEq(_noBareWords(), on, "forced");
    }

    function _has(bytes32[] memory slots, bytes32 s) private pure returns (bool) {
        for (uint256 i; i < slots.length; ++i) {
            if (slots[i] == s) return true;
        }
        return false;
    }
}
