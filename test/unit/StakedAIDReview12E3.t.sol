// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Review 12e3 (fresh eyes, session 12) of the fix of 12e-1 (`git diff 54d7856 s12-x4 -- src/`:
///         `QueueLogic._take`, `_payNext`, `_retire`, `_settleSides`): a partial payout pays the bare and pool parts
///         pro rata to their values and retires the excess shares pro rata to the value paid (rounded up).
///
///         NO FINDING (no test fails on s12-int d6d15be). Checked by reading (indices <= 1e27, so one share is worth
///         <= 1 wei): in the partial branch payBare = floor(pay × bv / v) <= bv and payPool = ceil(pay × pv / v) <= pv;
///         at least one part is paid >= 1 wei below its value and so keeps >= 1 share (ceil((val − 1) × 1e27 / i) <=
///         s − 1 for i <= 1e27), a part worth 0 retires nothing (the `!= 0` guards, no index read), so `completed` is
///         never reached by a partial payout; burntX = ceil(rx × pay / v) <= rx (pay < v); `r.queueShares`, the side
///         words and the aggregates cannot underflow (capped / guarded), and the totals (>= Σ requests) cannot reach 0
///         while the request keeps shares: no revert in the payout loop. What is left is worth <= v − pay (each part
///         floors); each part's claim forfeits >= pro rata (pool: shares retired rounded up, pool claim rounded down in
///         `_forfeit`; excess rounded up), so a request never keeps more than claim × (v − pay) / v. Dust: one partial
///         payout per call (it stops the loop); a 1-wei payout always goes to the pool part (ceil), so it can forfeit up
///         to the pool part's claim per wei (<= (1e27 − i) / i, i >= INDEX_FLOOR: <= 1000 wei) more than pro rata, and
///         1 excess share (<= 1 wei of claim): a griefer feeding 1 wei per transaction strips <= ~1e3 wei per
///         transaction (bounded by `test_review12e3_sound_oneWeiPayoutsMakeProgressAndDustBounded`). A payout that
///         leaves a request worth 0 (both parts floored) clears it at the next call with its last wei of claim
///         (the documented "worth nothing" rule; dust).
///
///         SOUND (tests below): 1-wei payouts (each pays exactly 1 wei, the request falls by 1 or 2 wei: the parts
///         floor, the extra wei stays in the vault, as before the fix), its claim stays
///         within the fair rule and a dust bound); a fuzz of many partial payouts of random sizes (1 wei .. all but 1
///         wei) with partial write-backs between them, for a split request (pool + bare) and a request with an excess
///         part, against the fair model (v, c: a payout of `paid` keeps c × (v − paid) / v, a write-back w of T adds
///         c × w / T to v), then the full cure (v + c); the queue's claim = the model's, owner aggregate = request,
///         AID backing, after every step; also with a second request of the same owner waiting behind the head (the
///         queue's claim = the sum of both fair claims, the owner's aggregate = both requests). Mutation check: with
///         the pre-fix `QueueLogic.sol` (54d7856) the split and excess fuzzes and the 1-wei split test fail (`claim <=
///         fair: 443349753694581280788 > 306857917970692671782`), so the model detects 12e-1.
///
///         NOT CHECKED: several waiting requests paid in part across pool re-bases / side epoch ends (covered by the
///         12e deep fuzz only through `processUnstakeQueue(50)`), gas of the new branch.
contract StakedAIDReview12E3Test is StakedAIDReview11Base {
    MockPosition internal park;
    uint256 internal constant FRANK = 1000e18;

    /// @dev Fair model of the request under test: its value v, its claim c, the undecided total T.
    uint256 internal mV;
    uint256 internal mC;
    uint256 internal mT;
    uint256 internal steps_;
    /// @dev A second request of the same owner waiting behind the head (0: none), its value and claim.
    uint256 internal bId;
    uint256 internal bV;
    uint256 internal bC;

    // ------------------------------------------------------------------ fixtures

    /// @dev 12e-1's split scenario (StakedAIDReview12E1Test): alice's request 0 bears a loss of 600, dave's round trip
    ///      (request 1: pool part with his claim + bare part) waits with idle short of it (`parked` deployed); alice is
    ///      paid in full. The model starts at request 1.
    function _splitScenario(uint256 parked) internal returns (uint256 id) {
        uint256 c;
        (park, c,) = _splitRequestShortOfIdle(parked);
        id = 1;
        _start(id, c);
    }

    /// @dev 10b-1's excess scenario (StakedAIDReview12ETest): request 2 (bob) carries an excess; all free liquidity is
    ///      parked before it, so idle pays request 1 only. The model starts at request 2.
    function _excessScenario() internal returns (uint256 id) {
        return _excessScenario(false);
    }

    /// @dev {_excessScenario}; `behind`: bob also unstakes 50 more shares right after request 2 (request 3, same owner,
    ///      waits behind it all along).
    function _excessScenario(bool behind) internal returns (uint256 id) {
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _twoStakersListedAliceQueuedHalf(); // request 0
        park = new MockPosition(IERC20(address(aid)));
        vm.prank(allocator);
        sAID.addPosition(address(park));
        _stake(frank, FRANK);
        vm.prank(allocator);
        sAID.allocate(address(park), FRANK); // the AID the partial payouts come from
        vm.warp(block.timestamp + DELAY - 1 hours);
        _unstake(bob, 100e18); // request 1
        _markDown(300e18);
        vm.warp(block.timestamp + 2 hours);
        sAID.processUnstakeQueue(10); // pays request 0
        uint256 free = sAID.freeLiquidity();
        vm.prank(allocator);
        sAID.allocate(address(park), free);
        (uint256 total, uint256 claim) = _writeDowns();
        uint256 c = Math.mulDiv(total - claim, 800e18, sAID.totalSupply());
        _unstake(bob, 800e18); // request 2
        (uint256 xs,,,) = _excess();
        assertGt(xs, 0, "request 2 has an excess part");
        if (behind) {
            (total, claim) = _writeDowns();
            bC = Math.mulDiv(total - claim, 50e18, sAID.totalSupply());
            bV = _unstake(bob, 50e18); // request 3
            bId = 3;
        }
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1); // request 1, in full
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, 2, "request 2 at the head");
        id = 2;
        _start(id, c);
    }

    /// @dev The model starts at request `id` (value now, claim `c`); the head is paid whatever idle is left (a partial
    ///      payout, modelled), so `available` is 0 afterwards.
    function _start(uint256 id, uint256 c) internal {
        (mV, mC) = (_requestValue(id), c);
        (mT,) = _writeDowns();
        uint256 paid = sAID.processUnstakeQueue(1);
        assertLt(paid, mV, "in part");
        mC = Math.mulDiv(mC, mV - paid, mV);
        mV -= paid;
        assertEq(sAID.processUnstakeQueue(1), 0, "nothing available");
    }

    // ------------------------------------------------------------------ model steps

    /// @dev `x` AID come back from the park and the head (request `id`) is paid in part: exactly `x`.
    function _partial(uint256 id, uint256 x) internal {
        vm.prank(allocator);
        sAID.deallocate(address(park), x);
        uint256 paid = sAID.processUnstakeQueue(1);
        assertEq(paid, x, "paid what came back");
        (uint256 head,) = sAID.unstakeQueue();
        assertEq(head, id, "paid in part: it waits");
        mC = Math.mulDiv(mC, mV - paid, mV);
        mV -= paid;
        ++steps_;
    }

    /// @dev `position` reports `w` of its write-down back; booked by a run that pays nothing (available 0).
    function _writeBack(uint256 w) internal {
        position.mark(address(sAID), int256(w));
        assertEq(sAID.processUnstakeQueue(1), 0, "books only");
        uint256 up = Math.mulDiv(mC, w, mT);
        uint256 upB = Math.mulDiv(bC, w, mT);
        (bV, bC) = (bV + upB, bC - upB);
        (mV, mC, mT) = (mV + up, mC - up, mT - w);
    }

    /// @dev The request and the queue's claim against the model: never above it, within a dust bound below it.
    function _check(uint256 id) internal view {
        uint256 tol = 1e9 + 2000 * steps_;
        uint256 v = _requestValue(id);
        assertLe(v, mV + tol, "value <= fair");
        assertApproxEqAbs(v, mV, tol, "value = fair");
        (, uint256 claim) = _writeDowns();
        uint256 vb;
        if (bId != 0) {
            vb = _requestValue(bId);
            assertLe(vb, bV + tol, "behind: value <= fair");
            assertApproxEqAbs(vb, bV, tol, "behind: value = fair");
        }
        assertLe(claim, mC + bC + tol, "claim <= fair");
        assertApproxEqAbs(claim, mC + bC, tol, "claim = the sum of the requests' fair claims");
        (address owner,,,) = sAID.unstakeRequest(id);
        assertApproxEqAbs(_pending(owner), v + vb, 6, "owner aggregate = its requests");
        _assertBacked();
    }

    /// @dev The full cure: the request ends at v + c (fair), the queue drains once the park comes back.
    function _cureAndDrain(uint256 id) internal {
        (uint256 total,) = _writeDowns();
        position.mark(address(sAID), int256(total));
        assertEq(sAID.processUnstakeQueue(1), 0, "books only");
        (total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        uint256 tol = 1e9 + 2000 * steps_;
        uint256 v = _requestValue(id);
        assertLe(v, mV + mC + tol, "cured: never above fair");
        assertApproxEqAbs(v, mV + mC, tol, "cured: left + the claim of what is left");
        uint256 vb;
        if (bId != 0) {
            vb = _requestValue(bId);
            assertApproxEqAbs(vb, bV + bC, tol, "cured: the request behind, v + c");
        }
        MockPosition[2] memory ps = [park, position];
        for (uint256 i; i < 2; ++i) {
            uint256 booked = sAID.bookedOf(address(ps[i]));
            vm.prank(allocator);
            if (booked != 0) sAID.deallocate(address(ps[i]), booked);
        }
        (address owner,,,) = sAID.unstakeRequest(id);
        uint256 before = aid.balanceOf(owner);
        sAID.processUnstakeQueue(10);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(head, tail, "drained");
        assertEq(aid.balanceOf(owner) - before, v + vb, "paid its cured value(s)");
        _assertBacked();
    }

    /// @dev `n` random steps: partial payouts of 1 wei, small or up to all but 1 wei, and partial write-backs.
    function _fuzz(uint256 id, uint256 seed, uint256 n) internal {
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 left = _requestValue(id);
            uint256 op = r % 5;
            if (op == 4) {
                (uint256 total,) = _writeDowns();
                if (total > 1) _writeBack(bound(r >> 8, 1, total / 2));
            } else if (left > 2) {
                uint256 x = op == 0 ? 1 : op == 1 ? bound(r >> 8, 1, 1e6) : bound(r >> 8, 1, left - 2);
                x = Math.min(x, park.principal(address(sAID))); // what the park can still give back
                if (x != 0) _partial(id, x);
            }
            _check(id);
        }
    }

    // ------------------------------------------------------------------ sound

    /// @notice Sound: 1-wei payouts on the split request each pay exactly 1 wei, lower it by 1 wei (progress: no dust
    ///         loop), and its claim stays within the fair rule minus a dust bound per payout (a griefer feeding 1 wei
    ///         per transaction cannot strip the claim faster than ~1e3 wei per transaction).
    function test_review12e3_sound_oneWeiPayoutsMakeProgressAndDustBounded() public {
        uint256 id = _splitScenario(70_000e18);
        for (uint256 i; i < 30; ++i) {
            uint256 before = _requestValue(id);
            (, uint256 c0) = _writeDowns();
            _partial(id, 1);
            assertLe(_requestValue(id), before - 1, "1 wei paid: progress");
            assertGe(_requestValue(id) + 2, before, "1 wei paid, at most 1 wei of rounding");
            (, uint256 c1) = _writeDowns();
            assertLe(c1, c0, "the claim never rises");
            assertLe(c0 - c1, Math.mulDiv(c0, 1, before, Math.Rounding.Ceil) + 1000, "dust per 1-wei payout");
        }
        _check(id);
        _cureAndDrain(id);
    }

    /// @notice Sound: the same for the request carrying an excess part.
    function test_review12e3_sound_oneWeiPayoutsOnExcess() public {
        uint256 id = _excessScenario();
        (,, uint256 x0,) = _excess();
        for (uint256 i; i < 30; ++i) {
            uint256 before = _requestValue(id);
            _partial(id, 1);
            assertLe(_requestValue(id), before - 1, "1 wei paid: progress");
            assertGe(_requestValue(id) + 2, before, "1 wei paid, at most 1 wei of rounding");
        }
        (,, uint256 x1,) = _excess();
        assertLe(x0 - x1, Math.mulDiv(x0, 30, mV + 30, Math.Rounding.Ceil) + 30, "<= 1 excess share per payout");
        _check(id);
        _cureAndDrain(id);
    }

    /// @notice Sound: many partial payouts of random sizes (1 wei .. all but 1 wei) with partial write-backs between
    ///         them, on a split request (pool + bare), against the fair model, then the full cure.
    function testFuzz_review12e3_sound_manyPartialPayoutsSplit(uint256 seed, uint256 parked) public {
        uint256 id = _splitScenario(bound(parked, 2000e18, 99_000e18));
        _check(id);
        _fuzz(id, seed, 24);
        _cureAndDrain(id);
    }

    /// @notice Sound: the same with a second request of the same owner waiting behind (its claim untouched by the
    ///         head's partial payouts; the queue's claim = the sum of both; the owner's aggregate, whose excess word holds
    ///         both requests' excess shares, = the sum of both requests after each partial payout).
    function testFuzz_review12e3_sound_manyPartialPayoutsExcessSameOwnerBehind(uint256 seed) public {
        uint256 id = _excessScenario(true);
        _check(id);
        _fuzz(id, seed, 24);
        _cureAndDrain(id);
    }

    /// @notice Sound: the same on a request with an excess part (claim without value, 10b-1).
    function testFuzz_review12e3_sound_manyPartialPayoutsExcess(uint256 seed) public {
        uint256 id = _excessScenario();
        _check(id);
        _fuzz(id, seed, 24);
        _cureAndDrain(id);
    }
}
