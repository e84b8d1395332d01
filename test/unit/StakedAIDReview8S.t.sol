// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Review 8s (session 8, fresh eyes) of the recovery write-back (s8-said). `test_review8s<N>_` tests state the
///         fair outcome and failed on the reviewed code (8s-1 fixed in session 8; 8s-2, 8s-3 and the 8s-4 runbook in
///         session 9: the queue's claim on the undecided write-downs is recorded when the loss is booked); what stays
///         open (8s-4 without the runbook) is in docs/open-findings/StakedAIDReview8S.open.sol.txt; `test_check8s_`
///         tests are areas checked without a finding.
contract StakedAIDReview8STest is StakedAIDTestBase {
    // ------------------------------------------------------------------ findings

    /// @notice 8s-2: the queue's part of a recovery is measured on G at recovery time, so capital entering between the
    ///         loss and its recovery dilutes it: a staker (bob) who deposits a large amount just before a cured mark is
    ///         booked takes most of the waiting request's recovery. The entrant paid NAV + the whole write-down, but the
    ///         queue's claim on that write-down was fixed when it bore the loss.
    ///         Failed before the fix: `the request gets its part of the recovery: 352071005917159763313 !~=
    ///         500000000000000000000`.
    function test_review8s2_entryBeforeRecoveryTakesTheQueuesPart() public {
        uint256 queued = _twoStakersListedAliceQueuedHalf(); // 500 waits
        uint256 bobBefore = _value(bob);
        _markDown(600e18); // G = 2000: the request bears 150, stakers 450
        assertApproxEqAbs(_pending(alice), 350e18, 1e6, "the request bore its part");
        // bob front-runs the cure (a repayment / mark update) with a large deposit
        uint256 x = 100_000e18;
        uint256 bobShares = sAID.balanceOf(bob);
        uint256 extra = _stake(bob, x);
        position.mark(address(sAID), 600e18);
        _sync();
        // fair: the request is back at its value before the loss (± rounding), and bob's new shares are worth what he
        // paid while his old ones are back at their value before the loss
        assertApproxEqAbs(_pending(alice), queued, 1e9, "the request gets its part of the recovery");
        uint256 bobAfter = sAID.previewRedeem(bobShares + extra);
        assertLe(bobAfter, bobBefore + x + 1e9, "bob gains nothing from the queue");
    }

    /// @notice 8s-3: an ordinary entrant overpays while a request waits: entries are priced on NAV + unvested + the
    ///         whole undecided write-down, but only the stakers' part of it (w × NAV / G) comes back to the shares; the
    ///         difference goes to the prior holders at once (an immediate loss for the entrant, recovery or not).
    ///         Failed before the fix: `an entrant priced as if it recovered keeps its deposit when it does:
    ///         966981132075471710572 !~= 1000000000000000000000`.
    function test_review8s3_entrantPaysForTheQueuesPartOfTheRecovery() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(600e18);
        uint256 x = 1000e18;
        _stake(dave, x);
        position.mark(address(sAID), 600e18); // the best case for the entrant: a full recovery
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0, "recovered in full");
        assertApproxEqAbs(_value(dave), x, 1e9, "an entrant priced as if it recovered keeps its deposit when it does");
    }

    /// @notice 8s-4 (decision: deployment runbook, no reinitializer): a v3 sAID kept no record of what it wrote off
    ///         (the carrying value only), so an upgrade cannot know a live write-down. Runbook: before the upgrade every
    ///         live write-down is realised under v3 -- once cured, the allocator deallocates it (v3 streams the cure to
    ///         the holders of that time; an entry after it pays for the unvested part). Then nothing undecided is left
    ///         for v4 to miss, and an entrant after the upgrade captures nothing.
    function test_review8s4_runbookRealisesCuredWriteDownBeforeUpgrade() public {
        _stake(alice, 1000e18);
        _listPosition();
        _allocate(500e18);
        _markDown(400e18);
        _asWrittenByV3();
        uint256 aliceBefore = _value(alice); // 600
        position.mark(address(sAID), 400e18); // cured
        // runbook, under v3: realise the cure before upgrading (a v3 gain, streamed)
        vm.prank(allocator);
        sAID.deallocate(address(position), 500e18);
        // upgraded: nothing undecided; an entrant pays NAV + unvested
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim + sAID.writtenOffOf(address(position)), 0, "nothing undecided at the upgrade");
        uint256 x = 600e18;
        _stake(dave, x);
        vm.warp(block.timestamp + 800 days); // the realised cure has vested (APR cap)
        assertLe(_value(dave), x, "the entrant does not capture the recovery");
        assertApproxEqAbs(_value(dave), x, 1e9, "nor loses");
        assertApproxEqAbs(_value(alice), aliceBefore + 400e18, 1e9, "the recovery returns to alice");
    }

    /// @notice 8s-4 runbook, the other branch: a write-down that has not cured is realised under v3 by deallocating the
    ///         position in full at its mark and delisting it (the loss is then final, as `settleWriteDown` would make
    ///         it): nothing stays listed or undecided, entries after the upgrade are priced on NAV alone and keep
    ///         exactly what they paid.
    function test_review8s4_runbookRealisesUncuredWriteDownBeforeUpgrade() public {
        _stake(alice, 1000e18);
        _listPosition();
        _allocate(500e18);
        _markDown(400e18);
        _asWrittenByV3();
        vm.startPrank(allocator);
        sAID.deallocate(address(position), 100e18); // all it reports: the loss is realised
        sAID.removePosition(address(position));
        vm.stopPrank();
        uint256 aliceBefore = _value(alice); // 600
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "nothing undecided at the upgrade");
        uint256 x = 600e18;
        uint256 shares = _stake(dave, x);
        assertApproxEqAbs(sAID.previewRedeem(shares), x, VIRTUAL, "priced on NAV alone (the virtual offset rounds)");
        assertApproxEqAbs(_value(alice), aliceBefore, VIRTUAL, "the entry moves nothing from alice");
    }

    /// @notice 8s-2 fuzzed: a loss on a queue of two requests, optionally a third request made or the first paid before
    ///         any entry, an entry of any size, a cure of any fraction: the second request ends at its pre-loss value
    ///         less its part of what stays lost (its part of the loss × (1 − cure / loss)), the entrant at most what it
    ///         paid (its fair share: nothing of the queue's), and the recorded claim never exceeds what is written off.
    function testFuzz_review8s2_queuesPartIsFixedAtTheLoss(uint256 x, uint256 loss, uint256 cureBps, uint8 between)
        public
    {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _stake(carol, 1000e18);
        _listPosition();
        _allocate(1500e18);
        _unstake(alice, sAID.balanceOf(alice) / 2); // id 0
        uint256 queued = _unstake(carol, sAID.balanceOf(carol) / 2); // id 1: the request watched
        loss = bound(loss, 1e18, 1499e18);
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets(); // 3000
        _markDown(loss);
        between = between % 3;
        if (between == 1) {
            _unstake(bob, sAID.balanceOf(bob) / 2); // enters after the loss: carries its own part
        } else if (between == 2) {
            vm.warp(block.timestamp + DELAY);
            sAID.processUnstakeQueue(1); // alice's request leaves at its lowered value: its claim returns
            vm.warp(block.timestamp - DELAY); // carol's stays immature
        }
        x = bound(x, 1e18, 1e26);
        uint256 got = _stake(dave, x);
        uint256 cure = loss * bound(cureBps, 0, 10_000) / 10_000;
        position.mark(address(sAID), int256(cure));
        _sync();
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, loss - cure, "what stays written off");
        assertLe(claim, total, "claim <= written off");
        uint256 expected = queued - Math.mulDiv(queued, loss - cure, gross);
        assertApproxEqAbs(_pending(carol), expected, 1e9, "the request gets back its part of the cure");
        assertLe(_pending(carol), queued, "never above its pre-loss value");
        assertLe(sAID.previewRedeem(got), x + 1e9, "the entrant takes nothing from the queue");
        _assertBacked();
    }

    /// @dev The state as v3 wrote it: the Position word without `writtenOff` (bits 104–199 never written) and no
    ///      `writeDowns` (a v4 field).
    function _asWrittenByV3() internal {
        bytes32 slot = keccak256(abi.encode(address(position), uint256(LAYOUT) + POSITION_OF));
        uint256 word = uint256(vm.load(address(sAID), slot));
        vm.store(address(sAID), slot, bytes32(word & ((1 << 104) - 1)));
        vm.store(address(sAID), bytes32(uint256(LAYOUT) + WRITE_DOWNS), bytes32(0));
        assertEq(sAID.writtenOffOf(address(position)), 0, "as after an upgrade");
    }

    // ------------------------------------------------------------------ checked, no finding

    /// @notice Views = actions: two positions, one recovering before one losing in list order (and the reverse), an
    ///         entry: previewDeposit = deposit, previewRedeem and the request after = before the sync.
    function testFuzz_check8s_viewsMatchActionsTwoPositions(uint256 loss1, uint256 loss2, uint256 cure, bool order)
        public
    {
        MockPosition p2 = new MockPosition(IERC20(address(aid)));
        _twoStakersOnTwoPositions(p2, 600e18);
        _unstake(alice, sAID.balanceOf(alice) / 2);
        loss1 = bound(loss1, 1, 600e18);
        loss2 = bound(loss2, 1, 600e18);
        cure = bound(cure, 1, loss1);
        _markDown(loss1);
        MockPosition up = order ? position : p2;
        MockPosition down = order ? p2 : position;
        if (!order) {
            // move the write-down to p2 instead
            position.mark(address(sAID), int256(loss1));
            _sync();
            p2.mark(address(sAID), -int256(loss1));
            vm.prank(allocator);
            sAID.bookLoss(address(p2));
        }
        up.mark(address(sAID), int256(cure));
        down.mark(address(sAID), -int256(loss2));
        uint256 preview = sAID.previewDeposit(100e18);
        uint256 reqView = _pending(alice);
        uint256 got = _stake(dave, 100e18);
        assertEq(got, preview, "previewDeposit = deposit");
        assertEq(_pending(alice), reqView, "request view = booked");
        _assertBacked();
    }

    /// @notice Loss, recovery, loss, recovery on the same position with the queue waiting: the request never ends
    ///         above its recorded value and stakers + queue never exceed the AID that exists.
    function testFuzz_check8s_lossRecoveryCyclesNeverLift(uint256 a, uint256 b, uint8 cycles) public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        uint256 bobBefore = _value(bob);
        cycles = uint8(bound(cycles, 1, 8));
        for (uint256 i; i < cycles; ++i) {
            uint256 l = bound(uint256(keccak256(abi.encode(a, i))), 1, 999e18);
            uint256 r = bound(uint256(keccak256(abi.encode(b, i))), 0, l);
            _markDown(l);
            position.mark(address(sAID), int256(r));
            _sync();
            position.mark(address(sAID), int256(l - r));
            _sync();
        }
        assertEq(sAID.writtenOffOf(address(position)), 0, "all written back");
        assertLe(_pending(alice), queued, "never above the request");
        assertLe(_value(bob), bobBefore + 1e9, "never above the staker");
        assertApproxEqAbs(_pending(alice), queued, 1e12, "rounding drift small");
        _assertBacked();
    }

    /// @notice Payable: a request raised by a marked (unrealised) write-back is paid in full once the position is
    ///         deallocated, exactly what `getUnstakeRequest` reported; bob is back at his value before the loss.
    function test_check8s_raisedRequestIsPaidInFull() public {
        _twoStakersAllocated(1400e18);
        _unstake(alice, sAID.balanceOf(alice)); // 1000 owed, 600 idle
        _markDown(600e18);
        position.mark(address(sAID), 600e18);
        _sync();
        uint256 owed = _pending(alice);
        assertApproxEqAbs(owed, 1000e18, 1e9, "raised back");
        vm.warp(block.timestamp + DELAY);
        uint256 before = aid.balanceOf(alice);
        sAID.processUnstakeQueue(1); // pays what is idle, keeps its place
        vm.prank(allocator);
        sAID.deallocate(address(position), 1400e18);
        sAID.processUnstakeQueue(1);
        assertEq(aid.balanceOf(alice) - before, owed, "paid what was reported");
        assertApproxEqAbs(_value(bob), 1000e18, 1e9, "bob whole");
        _assertBacked();
    }

    /// @notice Liveness at supply 0: entries refused while a write-down is undecided, reopened by `settleWriteDown`.
    function test_check8s_supplyZeroRefusesThenSettleReopens() public {
        _stake(alice, 1000e18);
        _listPosition();
        _allocate(500e18);
        _unstake(alice, sAID.balanceOf(alice));
        _markDown(200e18);
        assertEq(sAID.totalSupply(), 0);
        assertEq(sAID.maxDeposit(dave), 0, "refused at supply 0");
        vm.prank(allocator);
        sAID.settleWriteDown(address(position));
        assertGt(sAID.maxDeposit(dave), 0, "reopened");
        assertGt(_stake(dave, 100e18), 0, "entry works");
    }

    /// @notice 8s-1: a holder who unstakes after a loss that was booked while the queue was empty gets none of the
    ///         recovery: the index sits at 1e27 (an empty queue does not move it), the request is recorded at 1e27 and
    ///         the cap at 1e27 refuses any write-back to it; its part (w × pending / G) stays with the stakers. The same
    ///         request recorded while some other request waited (index < 1e27) does get its part: `unstake`'s NatSpec
    ///         ("also for a write-down booked before the request") holds only in that case.
    function test_review8s1_requestAfterLossOnEmptyQueueGetsNoRecovery() public {
        _twoStakersAllocated(1000e18);
        uint256 aliceBefore = _value(alice); // 1000
        _markDown(500e18); // empty queue: the index stays 1e27
        uint256 recorded = _unstake(alice, sAID.balanceOf(alice)); // 750, at the mark
        assertApproxEqAbs(recorded, aliceBefore * 3 / 4, 1e6, "priced at the mark");
        position.mark(address(sAID), 500e18); // the mark is cured in full
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0, "written back");
        // fair: back to her value before the loss, as bob's stake is (the loss in reverse); bob gets no more
        assertApproxEqAbs(_pending(alice), aliceBefore, 1e9, "alice's request shares the recovery");
        assertApproxEqAbs(_value(bob), 1000e18, 1e9, "bob is made whole, not more");
    }

    /// @notice 8s-1 fuzzed: any loss booked on an empty queue (short of a re-base), a request made after it and a full
    ///         cure: the request and the staker are both back at their value before the loss; the next request on an
    ///         empty queue with nothing written off starts a new era at 1e27.
    function testFuzz_review8s1_requestAfterLossSharesRecovery(uint256 a, uint256 b, uint256 lossBps) public {
        a = bound(a, 1e18, 1e24);
        b = bound(b, 1e18, 1e24);
        lossBps = bound(lossBps, 1, 9000);
        _twoStakersListed(a, b);
        uint256 deployed = b / 2; // the idle AID pays alice in full
        _allocate(deployed);
        uint256 aliceBefore = _value(alice);
        uint256 bobBefore = _value(bob);
        uint256 loss = deployed * lossBps / 10_000;
        _markDown(loss);
        assertLt(sAID.lossIndex(), 1e27, "the loss moved the index with nothing queued");
        _unstake(alice, sAID.balanceOf(alice));
        position.mark(address(sAID), int256(loss));
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0, "written back");
        assertApproxEqAbs(_pending(alice), aliceBefore, 1e9, "the request shares the recovery");
        assertApproxEqAbs(_value(bob), bobBefore, 1e9, "the staker is made whole, not more");
        vm.warp(block.timestamp + sAID.unstakeDelay());
        sAID.processUnstakeQueue(1);
        _unstake(bob, sAID.balanceOf(bob));
        assertEq(sAID.lossIndex(), 1e27, "empty queue, nothing written off: a new era");
    }

    /// @notice `unstake` records what `convertToAssetsWithLoss` says, to the wei, also while the loss index is below
    ///         1e27 (the request's queue shares are rounded up, so they hold exactly that value): with the loss's mark
    ///         still reported (booked by the unstake itself) or booked, on an empty queue or behind a waiting request.
    ///         Failed before by one wei (queue shares rounded down; since 8s-1 also on an empty queue after a loss:
    ///         `test_bookLoss_makesBorrowerAtLimitLiquidatableAtOnce` 9900000000000000000085 != ...086).
    function testFuzz_review8s1_convertToAssetsWithLossIsWhatUnstakeRecords(
        uint256 a,
        uint256 lossBps,
        uint256 shares,
        bool booked,
        bool waiting
    ) public {
        a = bound(a, 3e18, 1e24);
        lossBps = bound(lossBps, 1, 9000);
        _twoStakersListed(a, a);
        _allocate(a / 2);
        if (waiting) _unstake(bob, sAID.balanceOf(bob) / 2);
        uint256 loss = (a / 2) * lossBps / 10_000;
        if (booked) {
            _markDown(loss);
        } else {
            position.mark(address(sAID), -int256(loss));
        }
        shares = bound(shares, 1, sAID.balanceOf(alice));
        uint256 view_ = sAID.convertToAssetsWithLoss(shares);
        if (view_ < sAID.MIN_UNSTAKE_ASSETS()) {
            shares = sAID.balanceOf(alice); // dust leaves only as a whole balance
            view_ = sAID.convertToAssetsWithLoss(shares);
        }
        vm.prank(alice);
        assertEq(sAID.unstake(shares), view_, "unstake records what convertToAssetsWithLoss says");
    }
}
