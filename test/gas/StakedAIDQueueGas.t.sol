// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDSlots, StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";

/// @notice sAID's `processUnstakeQueue` after a bare epoch ended (with `--isolate`: every call its own transaction,
///         cold storage). A bare epoch ends once and `bare.epoch` never returns to 0; before `Config.noBareWords` (v6)
///         every later payout read its request's bare word (a cold SLOAD) although none held one. Measured: a batch of
///         10 first-time pool requests from distinct holders (as `processUnstakeQueue_10_sAID`), paid in one call, with
///         the flag as the vault keeps it and, from the same state, with it forced off (the path of v5 and before).
///         Before the flag this batch cost 333,432 gas; with it 312,676, as in a fresh vault (`processUnstakeQueue_10_sAID`).
contract StakedAIDQueueGasTest is StakedAIDTestBase {
    uint256 internal constant QUEUE_BATCH = 10;

    function test_gas_processAfterABareEpochEnded() public {
        _bareEpochEndedAndQueueEmptied();
        address[] memory holders = new address[](QUEUE_BATCH);
        for (uint256 i; i < QUEUE_BATCH; ++i) {
            holders[i] = makeAddr(string.concat("holder", vm.toString(i)));
            _fund(holders[i], 9000e18); // holds AID already (as in StakedAIDGasTest)
            _stake(holders[i], 1000e18);
            _unstake(holders[i], 100e18);
        }
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, QUEUE_BATCH, "a batch of pool requests");
        assertTrue(_noBareWords(), "none holds a bare word");
        vm.warp(block.timestamp + DELAY);

        uint256 snap = vm.snapshotState();
        sAID.processUnstakeQueue(QUEUE_BATCH);
        uint256 gas = vm.snapshotGasLastCall("processUnstakeQueue_10_afterBareEpoch_sAID");
        (uint256 h,) = sAID.unstakeQueue();
        assertEq(h, tail, "all paid");
        for (uint256 i; i < QUEUE_BATCH; ++i) {
            assertEq(aid.balanceOf(holders[i]), 9100e18, "each paid");
        }

        vm.revertToState(snap);
        bytes32 slot = StakedAIDSlots.slot(StakedAIDSlots.CONFIG);
        vm.store(address(sAID), slot, bytes32(uint256(vm.load(address(sAID), slot)) & ~(uint256(0xff) << 200)));
        assertFalse(_noBareWords(), "forced off");
        sAID.processUnstakeQueue(QUEUE_BATCH);
        uint256 v5 = vm.snapshotGasLastCall("processUnstakeQueue_10_afterBareEpoch_v5Path");
        // the v5 path reads the bare epoch and, as it is > 0, the accumulator and every request's bare word (cold,
        // 2,100 each); the payouts' refunds are capped at a fifth of the gas used, so 4/5 of that is saved net
        assertGe(v5, gas + QUEUE_BATCH * 1600, "a cold SLOAD saved per request (net of the refund cap)");
    }

    /// @dev A write-down, an entrant's round trip (partly bare: a bare word), the cure, everything paid: payouts
    ///      emptied the bare part (its epoch ended) and the queue; the position is then delisted (no loss sync), so the
    ///      batch measured compares with `processUnstakeQueue_10_sAID` of a fresh vault.
    function _bareEpochEndedAndQueueEmptied() internal {
        _twoStakersAllocated(1000e18);
        _unstake(alice, sAID.balanceOf(alice) / 2);
        _markDown(600e18);
        _unstake(dave, _stake(dave, 100_000e18));
        (uint256 rb,) = StakedAIDSlots.bareWord(StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE, 1));
        assertGt(rb, 0, "dave's request holds a bare word");
        position.mark(address(sAID), 600e18);
        _sync(); // cured: nothing undecided
        _deallocateAllThenPayQueue();
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "the queue emptied");
        assertGt(_bareEpoch(), 0, "a bare epoch ended");
        vm.prank(allocator);
        sAID.removePosition(address(position));
    }
}
