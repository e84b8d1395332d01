// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/// @notice v3 -> v4 (the write-down record: `Position.writtenOff` in the Position word's free bits 104–199 and the
///         appended `writeDowns`): a proxy whose state is laid out as v3 wrote it (as `test_review8s4_*` builds it) is
///         upgraded to the current implementation; every v3 field reads the same, the v4 fields start at 0, and the
///         8s-4 runbook (README "Upgrade from v3") leaves nothing undecided for an entrant after the upgrade to
///         capture. The layout itself is checked by upgrades-core (ts/upgrades/validate.test.ts: no v3 artifact is
///         kept, so this test pins the slots the v3 fields live at).
contract StakedAIDWriteDownsUpgradeTest is StakedAIDTestBase {
    /// @dev Words of the layout before v4: Hot .. queueEpoch (fields 0–12; mappings and the array hold their slot).
    uint256 internal constant V3_FIELDS = 13;

    /// @notice Every v3 field reads the same through the upgrade (raw words and views: supply, balances, queue head and
    ///         tail, each request, loss index, stream, positions, booked, restriction), and `writeDowns` reads (0, 0).
    function test_upgradeFromV3_keepsEveryFieldAndStartsWriteDownsAtZero() public {
        _v3State();
        uint256[] memory viewsBefore = _views();
        bytes32[] memory wordsBefore = _v3Words();

        StakedAID impl = _upgrade();

        assertEq(
            address(uint160(uint256(vm.load(address(sAID), ERC1967Utils.IMPLEMENTATION_SLOT)))),
            address(impl),
            "the proxy runs the current implementation"
        );
        bytes32[] memory wordsAfter = _v3Words();
        for (uint256 i; i < wordsBefore.length; ++i) {
            assertEq(wordsAfter[i], wordsBefore[i], string.concat("v3 word ", vm.toString(i)));
        }
        uint256[] memory viewsAfter = _views();
        for (uint256 i; i < viewsBefore.length; ++i) {
            assertEq(viewsAfter[i], viewsBefore[i], string.concat("view ", vm.toString(i)));
        }
        // the v3 words are read where v3 wrote them (the v3 layout, pinned): Hot.supply, QueueState.lossIndex,
        // Config.head / tail, Position.booked / slot
        assertEq(uint104(uint256(wordsAfter[0])), sAID.totalSupply(), "Hot.supply at field 0, bits 0-103");
        assertEq(uint256(wordsAfter[2]) >> 160, sAID.lossIndex(), "QueueState.lossIndex at field 2, bits 160-255");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(uint64(uint256(wordsAfter[3])), head, "Config.head at field 3, bits 0-63");
        assertEq(uint64(uint256(wordsAfter[3]) >> 64), tail, "Config.tail at field 3, bits 64-127");
        uint256 p = uint256(wordsAfter[V3_FIELDS]);
        assertEq(uint96(p), sAID.bookedOf(address(position)), "Position.booked at bits 0-95");
        assertEq(uint8(p >> 96), 1, "Position.slot at bits 96-103");
        assertEq(p >> 104, 0, "v3 never wrote bits 104-255 of the Position word");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 0, "writeDowns.total starts at 0");
        assertEq(claim, 0, "writeDowns.claim starts at 0");
        assertEq(sAID.writtenOffOf(address(position)), 0, "writtenOff starts at 0");
        assertEq(uint256(sAID.restrictionOf(carol)), uint256(IStakedAID.Restriction.FULL), "restriction kept");

        // the queue still pays in order, each request its value
        (, uint256 bobOwed) = sAID.getUnstakeRequest(bob);
        (, uint256 aliceOwed) = sAID.getUnstakeRequest(alice);
        uint256 a0 = aid.balanceOf(alice);
        uint256 b0 = aid.balanceOf(bob);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        (head, tail) = sAID.unstakeQueue();
        assertEq(head, tail, "queue paid");
        assertEq(aid.balanceOf(alice) - a0, aliceOwed, "alice paid her request");
        assertEq(aid.balanceOf(bob) - b0, bobOwed, "bob paid his request");
    }

    /// @notice Runbook, cured branch, through the upgrade: the cure is realised under v3 (deallocated: streamed to the
    ///         holders of the time), then the upgrade: nothing is undecided, an entrant after it captures nothing of the
    ///         cure (nor loses), the waiting request keeps its value and the holders get the cure.
    function test_upgradeFromV3_runbookCuredLeavesNothingToCapture() public {
        _v3State();
        // the holders' value, with the reward still vesting (theirs: an entrant pays for its part)
        uint256 holdersBefore = _value(alice) + _value(bob) + _value(carol) + sAID.unvestedAmount();
        (, uint256 owedBefore) = sAID.getUnstakeRequest(bob);
        position.mark(address(sAID), 400e18); // cured
        uint256 all = sAID.bookedOf(address(position)) + 400e18;
        vm.prank(allocator);
        sAID.deallocate(address(position), all); // runbook, under v3
        _upgrade();
        _assertNothingUndecided();
        uint256 x = 600e18;
        uint256 shares = _stake(dave, x);
        (, uint256 owed) = sAID.getUnstakeRequest(bob);
        assertEq(owed, owedBefore, "the entry moves nothing from the waiting request");
        vm.warp(block.timestamp + 800 days); // the realised cure has vested (APR cap)
        assertLe(sAID.previewRedeem(shares), x, "the entrant does not capture the recovery");
        assertApproxEqAbs(sAID.previewRedeem(shares), x, 1e9, "nor loses");
        assertApproxEqAbs(
            _value(alice) + _value(bob) + _value(carol), holdersBefore + 400e18, 1e9, "the cure returns to the holders"
        );
    }

    /// @notice Runbook, uncured branch, through the upgrade: the write-down is realised under v3 (deallocated in full
    ///         at its mark, delisted), then the upgrade: nothing is undecided, an entrant is priced on NAV alone and
    ///         moves nothing from the holders or the waiting request.
    function test_upgradeFromV3_runbookUncuredLeavesNothingToCapture() public {
        _v3State();
        vm.startPrank(allocator);
        sAID.deallocate(address(position), sAID.bookedOf(address(position))); // all it reports: the loss is realised
        sAID.removePosition(address(position));
        vm.stopPrank();
        _upgrade();
        _assertNothingUndecided();
        vm.warp(block.timestamp + 800 days); // the reward has vested: NAV alone prices the entry
        assertEq(sAID.unvestedAmount(), 0, "nothing vesting");
        uint256 aliceBefore = _value(alice);
        (, uint256 owedBefore) = sAID.getUnstakeRequest(bob);
        uint256 x = 600e18;
        uint256 shares = _stake(dave, x);
        assertApproxEqAbs(sAID.previewRedeem(shares), x, VIRTUAL, "priced on NAV alone (the virtual offset rounds)");
        assertLe(sAID.previewRedeem(shares), x, "the entrant takes nothing");
        assertApproxEqAbs(_value(alice), aliceBefore, VIRTUAL, "the entry moves nothing from alice");
        (, uint256 owed) = sAID.getUnstakeRequest(bob);
        assertEq(owed, owedBefore, "nor from the waiting request");
    }

    /// @notice v4 -> v5 (9s-4: the bare part of the queue, appended after `writeDowns`, slots +14..+17): a v4 sAID in
    ///         use has them all 0 (bare index 0); after the upgrade with a write-down live and a request waiting that
    ///         bore it, an entrant's round trip is split (its bare part starts at 1e27) and the cure returns the waiting
    ///         request to its value before the loss, not less.
    function test_upgradeFromV4_bareStartsEmptyAndSplitsTheNextRoundTrip() public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(1000e18);
        uint256 queued = _unstake(alice, sAID.balanceOf(alice) / 2);
        _markDown(600e18);
        for (uint256 i = 14; i < 16; ++i) {
            assertEq(uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + i))), 0, "v5 fields start at 0");
        }
        _upgrade();
        uint256 got = _stake(dave, 100_000e18);
        uint256 recorded = _unstake(dave, got);
        (uint256 bareShares, uint256 bareIndex) = _bare();
        assertGt(bareShares, 0, "the round trip is partly bare");
        assertEq(bareIndex, 1e27, "the bare part starts at 1e27");
        position.mark(address(sAID), 600e18);
        _sync();
        assertApproxEqAbs(_pending(alice), queued, 1e9, "the waiting request gets its part back");
        assertLe(_pending(dave), recorded + 450e18, "the entrant gains at most the stakers' part it carried");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev A v3 sAID in use: three holders (carol FULL-restricted), a position deployed and written down by 400 (the
    ///      index < 1e27), requests before and after the loss, a reward streaming; then laid out as v3 wrote it (the
    ///      Position word without `writtenOff`, no `writeDowns`).
    function _v3State() internal {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _stake(carol, 500e18);
        _listPosition();
        _allocate(1000e18);
        _unstake(bob, 400e18); // id 0: before the loss
        _markDown(400e18);
        _unstake(alice, 300e18); // id 1: after it
        _reward(10e18);
        _restrict(carol, IStakedAID.Restriction.FULL);
        vm.warp(block.timestamp + 1 hours);
        assertLt(sAID.lossIndex(), 1e27, "the loss moved the index");
        bytes32 slot = keccak256(abi.encode(address(position), uint256(LAYOUT) + POSITION_OF));
        uint256 word = uint256(vm.load(address(sAID), slot));
        vm.store(address(sAID), slot, bytes32(word & ((1 << 104) - 1)));
        vm.store(address(sAID), bytes32(uint256(LAYOUT) + WRITE_DOWNS), bytes32(0));
        assertEq(sAID.writtenOffOf(address(position)), 0, "as v3 wrote it");
    }

    /// @dev Upgrades the proxy to a fresh build of the current implementation (no reinitializer: 8s-4 decision).
    function _upgrade() internal returns (StakedAID impl) {
        impl = new StakedAID(IAID(address(aid)));
        vm.prank(admin);
        sAID.upgradeToAndCall(address(impl), "");
    }

    /// @dev The v3 fields' raw words (Hot .. queueEpoch) and the listed position's word.
    function _v3Words() internal view returns (bytes32[] memory w) {
        w = new bytes32[](V3_FIELDS + 1);
        for (uint256 i; i < V3_FIELDS; ++i) {
            w[i] = vm.load(address(sAID), bytes32(uint256(LAYOUT) + i));
        }
        w[V3_FIELDS] = vm.load(address(sAID), keccak256(abi.encode(address(position), uint256(LAYOUT) + POSITION_OF)));
    }

    /// @dev What the v3 fields read through the views.
    function _views() internal view returns (uint256[] memory v) {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        v = new uint256[](17 + 4 * (tail - head));
        (v[0], v[1], v[2]) = (sAID.totalSupply(), sAID.totalAssets(), sAID.balanceOf(alice));
        (v[3], v[4], v[5]) = (sAID.balanceOf(bob), sAID.balanceOf(carol), sAID.pendingUnstakeAssets());
        (v[6], v[7], v[8]) = (sAID.unvestedAmount(), sAID.bookedOf(address(position)), sAID.idleAssets());
        (v[9], v[10], v[11]) = (sAID.lossIndex(), head, tail);
        (v[12], v[13]) = (sAID.positions().length, uint256(uint160(sAID.positions()[0])));
        (v[14], v[15], v[16]) = (sAID.convertToAssetsWithLoss(1e18), sAID.unstakeDelay(), sAID.freeLiquidity());
        for (uint256 id = head; id < tail; ++id) {
            (address owner, uint256 time, uint256 claimableAt, uint256 value) = sAID.unstakeRequest(id);
            uint256 k = 17 + 4 * (id - head);
            (v[k], v[k + 1], v[k + 2], v[k + 3]) = (uint256(uint160(owner)), time, claimableAt, value);
        }
    }

    function _assertNothingUndecided() internal view {
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided after the upgrade");
        if (sAID.positions().length != 0) assertEq(sAID.writtenOffOf(address(position)), 0, "nothing written off");
    }
}
