// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Review 9b (session 9, fresh eyes) of the recorded queue claim on undecided write-downs (s9-said9, 8s-2/8s-3:
///         `writeDowns { total, claim }`). `test_review9b<N>_` tests state the fair outcome and FAIL on the reviewed
///         code; `test_check9b_` / `testFuzz_check9b_` tests are areas checked without a finding.
contract StakedAIDReview9BTest is StakedAIDTestBase {
    MockPosition internal p2;
    bool internal bookByAllocating;

    function setUp() public override {
        super.setUp();
        p2 = new MockPosition(IERC20(address(aid)));
    }

    // ------------------------------------------------------------------ findings

    /// @notice 9b-1 (MEDIUM, regression of dedf255 on 8s-1): `QueueLogic.unstake` now pro-rates `off` to the request
    ///         (`off = off × shares / supply`, rounded down) BEFORE the new-era test `q.queueShares == 0 && off == 0`.
    ///         So on an empty queue with a write-down undecided, an unstake of a dust whole balance (a few wei of shares,
    ///         any holder; MIN_UNSTAKE_ASSETS does not apply to a whole balance) has a part of 0 and resets the index
    ///         to 1e27, erasing the loss booked on the empty queue (8s-1). Every later request is recorded at 1e27, can
    ///         carry no claim (its raise potential is 0) and gets nothing of the recovery: its part goes to the stakers
    ///         (the griefer, if a staker, profits pro rata). README: "the index returns to 1e27 only when a request is
    ///         made on an empty queue with nothing written off" -- broken.
    ///         Fair: alice's request, made after the loss and before its full cure, is back at her pre-loss value.
    ///         Fails on s9-said9: `alice's request shares the recovery: 750000000000000000000 !~= 1000000000000000000000`
    ///         (her 250 AID part of the cure goes to bob, the staker who sent the 3 wei).
    function test_review9b1_dustUnstakeOnEmptyQueueResetsIndexAndStripsLaterRequestsOfRecovery() public {
        _twoStakersAllocated(1000e18);
        uint256 aliceBefore = _value(alice); // 1000
        uint256 bobBefore = _value(bob); // 1000
        _markDown(500e18); // empty queue: the index falls to 0.75e27 (8s-1)
        uint256 indexAfterLoss = sAID.lossIndex();
        assertLt(indexAfterLoss, 1e27, "the loss moved the index");
        // dust whole balance: 3 wei of shares worth 2 wei; its part of the stakers' claim, 500e18 x 3 / 2000e18, is 0
        vm.prank(bob);
        sAID.transfer(dave, 3);
        assertGt(_unstake(dave, 3), 0, "a dust request is queued");
        uint256 indexAfterDust = sAID.lossIndex();
        _unstake(alice, sAID.balanceOf(alice));
        position.mark(address(sAID), 500e18); // cured in full
        _sync();
        assertEq(sAID.writtenOffOf(address(position)), 0, "written back");
        assertApproxEqAbs(_pending(alice), aliceBefore, 1e9, "alice's request shares the recovery");
        assertLe(_value(bob), bobBefore + 1e9, "bob (a staker) takes none of her part");
        assertEq(indexAfterDust, indexAfterLoss, "something is written off: no new era");
    }

    // ------------------------------------------------------------------ checked, no finding

    /// @notice Drift: loss on p1 -> partial recovery -> loss on p2 -> a request -> settle p1 -> payout -> full cure of
    ///         p2, views read before each booking. After every step: total = Σ writtenOff, claim <= total, pending +
    ///         claim <= the queue shares at 1e27, index <= 1e27; views = what the booking then gives; carol's request
    ///         (made after p2's loss) ends at her value before p2's loss, bob at his plus at most what alice (paid at her
    ///         lowered value before the cure) bore of p2's loss (p1's settled loss is final).
    function testFuzz_check9b_claimAndTotalFollowTheirMeaningAcrossASequence(uint256 l1, uint256 r1, uint256 l2)
        public
    {
        _twoStakersOnTwoPositions(p2, 600e18);
        _stake(carol, 1000e18);
        _unstake(alice, sAID.balanceOf(alice) / 2); // id 0
        l1 = bound(l1, 1e18, 550e18);
        r1 = bound(r1, 0, l1);
        l2 = bound(l2, 1e18, 550e18);
        _markDown(l1);
        _checkState();
        position.mark(address(sAID), int256(r1));
        _syncMatchesViews();
        _checkState();
        uint256 carolBefore = sAID.previewRedeem(sAID.balanceOf(carol) / 2);
        uint256 bobBefore = _value(bob);
        uint256 aliceLost = _pending(alice);
        p2.mark(address(sAID), -int256(l2));
        _syncMatchesViews();
        _checkState();
        aliceLost -= _pending(alice); // what alice bore of p2's loss: forfeited when she is paid before the cure
        vm.warp(block.timestamp + DELAY / 2);
        _unstake(carol, sAID.balanceOf(carol) / 2); // id 1: carries its part of the stakers' claim; matures after
        _checkState();
        if (l1 > r1) {
            vm.prank(allocator);
            sAID.settleWriteDown(address(position));
            _checkState();
        }
        vm.warp(block.timestamp + DELAY / 2);
        sAID.processUnstakeQueue(1); // alice leaves at her lowered value: her part of the claim returns to stakers
        _checkState();
        p2.mark(address(sAID), int256(l2));
        _syncMatchesViews();
        _checkState();
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "nothing undecided, nothing claimed");
        assertApproxEqAbs(_pending(carol), carolBefore, 1e9, "carol back at her value before p2's loss");
        assertLe(_pending(carol), carolBefore + 1e6, "not above it");
        assertGe(_value(bob) + 1e9, bobBefore, "bob back at his value before p2's loss");
        assertLe(_value(bob), bobBefore + aliceLost + 1e9, "plus at most the paid request's forfeited part");
        _assertBacked();
    }

    /// @notice A deallocate that realises a recovery: the request view before (a marked write-back) equals the booked
    ///         request after; the request and the staker are back at their value before the loss; total and claim 0.
    function testFuzz_check9b_deallocateRealisingRecoveryMatchesView(uint256 loss, uint256 cure) public {
        uint256 queued = _twoStakersListedAliceQueuedHalf();
        uint256 bobBefore = _value(bob);
        loss = bound(loss, 1e18, 999e18);
        cure = bound(cure, 1, loss);
        _markDown(loss);
        position.mark(address(sAID), int256(cure));
        uint256 view_ = _pending(alice);
        uint256 navView = sAID.totalAssets();
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18 - loss + cure); // all it reports: `cure` above its carrying value
        assertEq(_pending(alice), view_, "realised = marked write-back (request)");
        assertEq(sAID.totalAssets(), navView, "realised = marked write-back (NAV)");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, loss - cure, "total = what stays written off");
        assertEq(total, sAID.writtenOffOf(address(position)), "total = writtenOff");
        assertLe(claim, total, "claim <= total");
        if (cure == loss) {
            assertApproxEqAbs(_pending(alice), queued, 1e9, "request whole");
            assertApproxEqAbs(_value(bob), bobBefore, 1e9, "staker whole");
        }
        _assertBacked();
    }

    /// @notice Remove: a loss realised by deallocating at the mark, then delisting: total and claim 0, an entry is
    ///         priced on NAV alone (keeps what it pays), entries at supply 0 are not refused afterwards.
    function test_check9b_removePositionDropsTotalAndClaim() public {
        _twoStakersListedAliceQueuedHalf();
        _markDown(400e18);
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 400e18, "written off");
        assertGt(claim, 0, "the waiting request's claim");
        vm.startPrank(allocator);
        sAID.deallocate(address(position), 600e18);
        sAID.removePosition(address(position));
        vm.stopPrank();
        (total, claim) = _writeDowns();
        assertEq(total + claim, 0, "final: nothing undecided, nothing claimed");
        uint256 shares = _stake(dave, 500e18);
        assertApproxEqAbs(sAID.previewRedeem(shares), 500e18, VIRTUAL, "priced on NAV alone");
    }

    /// @notice Supply 0 while written off: everything waits in the queue; a cure goes to the queue up to 1e27 (each
    ///         request at most its pre-loss value), entries refused while anything stays written off, the view of the
    ///         requests equals the booking; a full cure makes both whole and reopens entries.
    function testFuzz_check9b_supplyZeroRecoveryGoesToQueueCapped(uint256 loss, uint256 cure) public {
        _twoStakersAllocated(1000e18);
        uint256 qa = _unstake(alice, sAID.balanceOf(alice));
        loss = bound(loss, 1e18, 999e18);
        cure = bound(cure, 0, loss);
        uint256 bobBefore = _value(bob);
        _markDown(loss);
        _unstake(bob, sAID.balanceOf(bob));
        assertEq(sAID.totalSupply(), 0, "supply 0");
        assertEq(sAID.maxDeposit(dave), 0, "refused at supply 0 while written off");
        position.mark(address(sAID), int256(cure));
        uint256 va = _pending(alice);
        uint256 vb = _pending(bob);
        _sync();
        assertEq(_pending(alice), va, "view = booked (alice)");
        assertEq(_pending(bob), vb, "view = booked (bob)");
        assertLe(sAID.lossIndex(), 1e27, "index <= 1e27");
        assertLe(_pending(alice), qa, "alice never above her pre-loss value");
        assertLe(_pending(bob), bobBefore, "bob never above his pre-loss value");
        _checkState();
        if (cure == loss) {
            assertApproxEqAbs(_pending(alice), qa, 1e9, "alice whole");
            assertApproxEqAbs(_pending(bob), bobBefore, 1e9, "bob whole");
        }
        vm.warp(block.timestamp + DELAY);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1000e18);
        sAID.processUnstakeQueue(10);
        (, uint256 tail) = sAID.unstakeQueue();
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, tail, "everything paid");
        _assertBacked();
    }

    /// @notice Views = actions with a claim recorded, a cure reported on p1 and a loss on p2 (unbooked): NAV, pending,
    ///         index, previewRedeem, maxDeposit/maxMint and the request view equal what booking gives; then
    ///         convertToAssetsWithLoss = unstake, previewDeposit = deposit, previewMint = mint.
    function testFuzz_check9b_viewsEqualActionsWithClaim(uint256 l1, uint256 cure, uint256 l2, uint256 x) public {
        _twoStakersOnTwoPositions(p2, 600e18);
        _unstake(alice, sAID.balanceOf(alice) / 2);
        l1 = bound(l1, 1e18, 600e18);
        _markDown(l1);
        cure = bound(cure, 1, l1);
        l2 = bound(l2, 1, 600e18);
        position.mark(address(sAID), int256(cure));
        p2.mark(address(sAID), -int256(l2));
        uint256[7] memory v = [
            sAID.totalAssets(),
            sAID.pendingUnstakeAssets(),
            sAID.lossIndex(),
            _value(bob),
            _pending(alice),
            sAID.maxDeposit(dave),
            sAID.maxMint(dave)
        ];
        _sync();
        assertEq(sAID.totalAssets(), v[0], "NAV");
        assertEq(sAID.pendingUnstakeAssets(), v[1], "pending");
        assertEq(sAID.lossIndex(), v[2], "index");
        assertEq(_value(bob), v[3], "previewRedeem");
        assertEq(_pending(alice), v[4], "request");
        assertEq(sAID.maxDeposit(dave), v[5], "maxDeposit");
        assertEq(sAID.maxMint(dave), v[6], "maxMint");
        _checkState();
        uint256 s = sAID.balanceOf(bob) / 3;
        uint256 w = sAID.convertToAssetsWithLoss(s);
        assertEq(_unstake(bob, s), w, "convertToAssetsWithLoss = unstake");
        x = bound(x, 1e6, 1e24);
        uint256 preview = sAID.previewDeposit(x);
        assertEq(_stake(dave, x), preview, "previewDeposit = deposit");
        uint256 pm = sAID.previewMint(x);
        _fund(carol, pm);
        vm.startPrank(carol);
        aid.approve(address(sAID), pm);
        assertEq(sAID.mint(x, carol), pm, "previewMint = mint");
        vm.stopPrank();
        _checkState();
    }

    /// @notice Ordering: bob unstaking part of his shares just before a cure is booked (the sync runs first) gets what
    ///         he would have had by waiting (± rounding): neither a staker nor the queue gains by the order.
    function testFuzz_check9b_unstakeBeforeCureGainsNothing(uint256 loss, uint256 part) public {
        _twoStakersListedAliceQueuedHalf();
        loss = bound(loss, 1e18, 999e18);
        _markDown(loss);
        part = bound(part, sAID.balanceOf(bob) / 100, sAID.balanceOf(bob) - sAID.balanceOf(bob) / 100);
        uint256 snap = vm.snapshotState();
        position.mark(address(sAID), int256(loss));
        _sync();
        uint256 waited = _value(bob);
        uint256 aliceWaited = _pending(alice);
        vm.revertToState(snap);
        uint256 recorded = _unstake(bob, part);
        position.mark(address(sAID), int256(loss));
        _sync();
        uint256 got = _value(bob) + _pending(bob);
        assertLe(got, waited + 1e9, "bob gains nothing by unstaking first");
        assertApproxEqAbs(got, waited, 1e9, "nor loses");
        assertApproxEqAbs(_pending(alice), aliceWaited, 1e9, "alice unaffected");
        assertGe(_pending(bob), recorded, "bob's request was raised");
    }

    /// @notice No brick: a near-total or total loss (re-base) with a claim, then a cure: unstake, processUnstakeQueue,
    ///         deposit and the views neither overflow nor divide by 0; the state stays within INV-12.
    function testFuzz_check9b_totalLossRebaseThenCureDoesNotBrick(uint256 lossBps, uint256 cureBps) public {
        _bankRun(); // 600 paid, 400 owed
        uint256 loss = 1400e18 * bound(lossBps, 9990, 10_000) / 10_000;
        _markDown(loss);
        _checkState();
        position.mark(address(sAID), int256(loss * bound(cureBps, 0, 10_000) / 10_000));
        sAID.totalAssets();
        sAID.maxDeposit(dave);
        _pending(alice);
        _sync();
        _checkState();
        if (sAID.maxDeposit(dave) >= 1e18) _stake(dave, 1e18);
        if (sAID.convertToAssetsWithLoss(sAID.balanceOf(bob) / 2) >= 1e18) _unstake(bob, sAID.balanceOf(bob) / 2);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1400e18);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        _checkState();
        _assertBacked();
    }

    /// @notice Layout: `writeDowns` is appended after `queueEpoch` (v3) at base + 13; a re-base writes slot 12 only,
    ///         a loss slot 13 only (low 128 bits total, high 128 bits claim).
    function test_check9b_storageLayoutAppendsWriteDowns() public {
        _bankRun();
        _markDown(1399e18); // a re-base
        assertGt(_queueEpoch(), 0, "queueEpoch at base + 12");
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, 1399e18, "total at base + 13, low half");
        assertLe(claim, total, "claim in the high half");
        assertEq(_bareWord(), 0, "nothing beyond");
    }

    /// @notice Random sequences over two positions (losses, cures, requests, an entry, payouts, settles, a realising
    ///         deallocate): after every step total = Σ writtenOff, claim <= total, pending + claim <= the queue shares
    ///         at 1e27, index <= 1e27, the views read before a booking equal the booked state, and idle is backed.
    function testFuzz_check9b_randomSequencesKeepClaimAndTotal(uint256 seed) public {
        _twoStakersOnTwoPositions(p2, 600e18);
        _stake(carol, 1000e18);
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        bookByAllocating = true;
        for (uint256 i; i < 14; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            MockPosition p = r % 2 == 0 ? position : p2;
            uint256 op = (r >> 8) % 8;
            uint256 amt = r >> 16;
            if (op == 0 && sAID.bookedOf(address(p)) >= 2e18) {
                p.mark(address(sAID), -int256(bound(amt, 1e18, sAID.bookedOf(address(p)) / 2)));
                _syncMatchesViews();
            } else if (op == 1 && sAID.writtenOffOf(address(p)) != 0) {
                p.mark(address(sAID), int256(bound(amt, 1, sAID.writtenOffOf(address(p)))));
                _syncMatchesViews();
            } else if (op == 2 || op == 3) {
                address who = op == 2 ? bob : carol;
                uint256 sh = sAID.balanceOf(who) / 3;
                if (sh != 0 && sAID.convertToAssetsWithLoss(sh) >= 1e18) {
                    uint256 w = sAID.convertToAssetsWithLoss(sh);
                    assertEq(_unstake(who, sh), w, "convertToAssetsWithLoss = unstake");
                }
            } else if (op == 4 && sAID.maxDeposit(dave) >= 1e20) {
                uint256 x = bound(amt, 1e18, 1e20);
                uint256 pv = sAID.previewDeposit(x);
                assertEq(_stake(dave, x), pv, "previewDeposit = deposit");
            } else if (op == 5) {
                vm.warp(block.timestamp + DELAY);
                sAID.processUnstakeQueue(1 + amt % 3);
            } else if (op == 6 && sAID.writtenOffOf(address(p)) != 0) {
                vm.prank(allocator);
                sAID.settleWriteDown(address(p));
            } else if (op == 7 && p.principal(address(sAID)) != 0) {
                uint256 v = p.valueOf(address(sAID));
                if (v != 0) {
                    vm.prank(allocator);
                    sAID.deallocate(address(p), v); // all it reports: realises a reported cure, principal otherwise
                }
            }
            _checkState();
            _assertBacked();
        }
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Books what the positions report and checks the views read before equal the booked state.
    function _syncMatchesViews() internal {
        uint256 nav = sAID.totalAssets();
        uint256 pending = sAID.pendingUnstakeAssets();
        uint256 index = sAID.lossIndex();
        uint256 dep = sAID.previewDeposit(100e18);
        if (bookByAllocating) {
            // a sync that pays nothing (processUnstakeQueue would pay matured requests, and restarts the index on an
            // empty queue: the known reset): 1 wei allocated moves neither NAV, pending, the index nor the entry value
            vm.prank(allocator);
            sAID.allocate(address(position), 1);
        } else {
            _sync();
        }
        assertEq(sAID.totalAssets(), nav, "NAV view = booked");
        assertEq(sAID.pendingUnstakeAssets(), pending, "pending view = booked");
        assertEq(sAID.lossIndex(), index, "index view = booked");
        assertEq(sAID.previewDeposit(100e18), dep, "previewDeposit view = booked");
    }

    /// @dev total = Σ writtenOff, claim <= total, pending + the pool's claim (the queue's less the excess part's,
    ///      10b-1) <= the queue shares at 1e27, index <= 1e27.
    function _checkState() internal view {
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(
            total, sAID.writtenOffOf(address(position)) + sAID.writtenOffOf(address(p2)), "total = sum of writtenOff"
        );
        assertLe(claim, total, "claim <= total");
        (uint256 shares, uint256 index) = _pool();
        assertLe(index, 1e27, "index <= 1e27");
        (,, uint256 excess,) = _excess();
        assertLe(excess, claim, "the excess part's claim <= the queue's");
        assertLe(
            Math.mulDiv(shares, index, 1e27) + claim - excess, shares, "pending + pool claim <= queue shares at 1e27"
        );
    }
}
