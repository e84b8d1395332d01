// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice The exact reference model of the FAIR outcome of sAID's loss-aware unstake queue (8s-2, 9s-4) shared by
///         {StakedAIDQueueModelTest} and {StakedAIDReview12ETest}: per waiting request i a value v_i and a claim c_i on
///         the undecided write-downs T (in wad, mulDiv), and the operations that drive sAID and the model alike:
///         - a loss of L on gross G (NAV + pending; stakers lose the same fraction λ = L / G): v' = v(1−λ), c' = c + λv;
///         - a write-back of w of T: v' = v + c·w/T, c' = c(1 − w/T) (the queue gets claim × w / T in total);
///         - a settle of s: c' = c(1 − s/T);
///         - a request made while T > 0 enters at its exit value, carrying its FULL part of the stakers' claim
///           (T − Σc) × shares / supply (10b-1; none below MIN_CLAIM, 1e-9 AID: 10b-2; a request that fits the pool
///           whole keeps only the pool's ratio when the rest, its excess, is below MIN_CLAIM: {_keptClaim});
///         - a payout: the request leaves with v (matured requests are paid in full: the ops keep idle MARGIN above
///           pending + claim).
abstract contract StakedAIDQueueModelBase is StakedAIDReview11Base {
    /// @dev Idle kept above pending + claim when a request is made (so every matured request is paid in full, and the
    ///      1-wei allocation that books a write-back always has free liquidity).
    uint256 internal constant MARGIN = 10e18;
    /// @dev QueueLogic.MIN_CLAIM (10b-2), VaultMath.RAY and VaultMath.PRICE_FLOOR (13r-1).
    uint256 internal constant MIN_CLAIM_ = 1e9;
    uint256 internal constant RAY_ = 1e27;
    uint256 internal constant PRICE_FLOOR_ = 1e26;

    /// @dev The model: T (undecided write-downs) and, per request id, v (value) and c (claim) [wad].
    uint256 internal mTotal;
    mapping(uint256 id => uint256) internal mValue;
    mapping(uint256 id => uint256) internal mClaim;

    // ------------------------------------------------------------------ fixtures

    /// @dev alice, bob and carol stake 1000 AID each; 600 are allocated to each of `position` and `p2`; no buffer.
    function _threeStakersOnTwoPositions() internal {
        _twoStakersOnTwoPositions(p2, 600e18);
        _stake(carol, 1000e18);
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
    }

    /// @dev 10b-1's prelude: alice unstakes, then bob half a delay later, a loss, and a payout half a delay later that
    ///      pays only alice's request (bob's may wait while the stakers' claim per AID rises above the pool's ratio).
    function _payoutLeavingBobWaiting(uint256 seed) internal {
        _opUnstake(alice, seed);
        vm.warp(block.timestamp + DELAY / 2);
        _opUnstake(bob, seed >> 8);
        _opLoss(seed % 2 == 0 ? position : p2, seed >> 16);
        _opProcess(DELAY / 2 + 1);
    }

    // ------------------------------------------------------------------ model ops

    /// @dev `p` reports a loss of 1 AID .. half its carrying value and the allocator books it. Model: λ = loss / G on
    ///      every request, G = NAV + pending before the loss; T grows by the loss.
    function _opLoss(MockPosition p, uint256 amt) internal {
        uint256 booked = sAID.bookedOf(address(p));
        if (booked < 2e18) return;
        _bookLoss(p, bound(amt, 1e18, booked / 2));
    }

    /// @dev `p` reports a loss of `loss` and the allocator books it; the model as {_opLoss}.
    function _bookLoss(MockPosition p, uint256 loss) internal {
        uint256 gross = sAID.totalAssets() + sAID.pendingUnstakeAssets();
        p.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(p));
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            uint256 v = mValue[id];
            uint256 after_ = Math.mulDiv(v, gross - loss, gross);
            mValue[id] = after_;
            mClaim[id] += v - after_;
        }
        mTotal += loss;
    }

    /// @dev The model of a write-back of `w` (booked by the caller): each waiting request gets c·w/T.
    function _modelWriteBack(uint256 w) internal {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            uint256 up = Math.mulDiv(mClaim[id], w, mTotal);
            mValue[id] += up;
            mClaim[id] -= up;
        }
        mTotal -= w;
    }

    /// @dev The allocator makes `p`'s write-down final. Model: c' = c(1 − s/T).
    function _opSettle(MockPosition p) internal {
        uint256 s = sAID.writtenOffOf(address(p));
        if (s == 0) return;
        vm.prank(allocator);
        sAID.settleWriteDown(address(p));
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            mClaim[id] = Math.mulDiv(mClaim[id], mTotal - s, mTotal);
        }
        mTotal -= s;
    }

    /// @dev `who` unstakes 1–50% of its shares (never a whole balance: the supply stays > 0), if worth at least 1 AID
    ///      and idle stays MARGIN above pending + claim + what the request can carry. Model: enters at its exit value
    ///      with its shares' full part of the stakers' claim (T − Σc); none below MIN_CLAIM (10b-2).
    function _opUnstake(address who, uint256 amt) internal {
        uint256 shares = Math.mulDiv(sAID.balanceOf(who), bound(amt, 1, 50), 100);
        if (shares == 0) return;
        uint256 assets = sAID.convertToAssetsWithLoss(shares);
        if (assets < 1e18) return;
        (, uint256 claimNow) = _writeDowns();
        uint256 carried = Math.mulDiv(mTotal - _modelClaim(), shares, sAID.totalSupply());
        if (sAID.pendingUnstakeAssets() + claimNow + carried + assets + MARGIN > sAID.idleAssets()) return;
        _unstakeModel(who, shares);
    }

    /// @dev `who` unstakes `shares` (state booked); the model as {_opUnstake} (a request carries its shares' full
    ///      part of the stakers' claim: the excess part holds what the pool's ratio cannot, 10b-1; none below
    ///      MIN_CLAIM, 10b-2; an excess below MIN_CLAIM stays with the stakers: {_keptClaim}). Returns the request's id.
    function _unstakeModel(address who, uint256 shares) internal returns (uint256 id) {
        uint256 assets = sAID.convertToAssetsWithLoss(shares);
        uint256 carried = Math.mulDiv(mTotal - _modelClaim(), shares, sAID.totalSupply());
        carried = _keptClaim(assets, carried);
        (, id) = sAID.unstakeQueue();
        assertEq(_unstake(who, shares), assets, "unstake = convertToAssetsWithLoss");
        mValue[id] = assets;
        mClaim[id] = carried;
    }

    /// @dev The claim a request worth `assets` whose shares carry `off` keeps (README, 9s-4 / 10b-1 / 10b-2): none
    ///      below MIN_CLAIM (wholly bare); else its pool part carries its claim at the pool's ratio (an empty pool is
    ///      priced at the entrant's own price, >= PRICE_FLOOR: 13r), at most what its record can still be raised by
    ///      (its queue shares at 1e27 − its pending: INV-12); a request that fits the pool whole puts the rest of `off`
    ///      into the excess part, unless that rest is below MIN_CLAIM: "an excess below MIN_CLAIM (rounding) stays
    ///      with the stakers" (a request carrying a little more than the pool's ratio gives up < 1e-9 AID); one that
    ///      does not fit whole keeps the claim of its pool part (its bare part has none).
    function _keptClaim(uint256 assets, uint256 off) internal view returns (uint256) {
        if (mTotal == 0 || off < MIN_CLAIM_) return 0;
        (uint256 qs, uint256 index) = _pool();
        (, uint256 claim) = _writeDowns();
        uint256 p = assets;
        uint256 carried = off;
        if (qs == 0) {
            index = Math.max(Math.mulDiv(assets, RAY_, assets + off), PRICE_FLOOR_);
        } else {
            (,, uint256 x,) = _excess();
            uint256 pc = claim - Math.min(x, claim);
            carried = 0;
            if (pc != 0) {
                uint256 value = qs * index;
                uint256 c = Math.min(pc * RAY_, qs * (RAY_ - index));
                carried = Math.mulDiv(assets, c, value);
                if (off < carried) {
                    p = Math.mulDiv(off, value, c);
                    carried = Math.mulDiv(p, c, value);
                }
            }
        }
        uint256 q = Math.mulDiv(p, RAY_, index, Math.Rounding.Ceil);
        uint256 grew = Math.mulDiv(qs + q, index, RAY_) - Math.mulDiv(qs, index, RAY_);
        carried = carried != 0 && q > grew ? Math.min(carried, q - grew) : 0;
        if (p == assets && off - carried >= MIN_CLAIM_) return off; // the rest: its excess part
        return carried;
    }

    /// @dev `who` deposits 1 .. 2000 AID (the entry price covers the stakers' claim). Model: nothing changes.
    function _opDeposit(address who, uint256 amt) internal {
        uint256 x = bound(amt, 1e18, 2000e18);
        if (sAID.maxDeposit(who) < x) return;
        uint256 preview = sAID.previewDeposit(x);
        assertEq(_stake(who, x), preview, "deposit = previewDeposit");
    }

    /// @dev `wait` (<= DELAY) passes and every matured request is paid (in full: idle covers pending). Model: the paid
    ///      requests leave with v; the payout is at most (and about) their Σv.
    function _opProcess(uint256 wait) internal {
        vm.warp(block.timestamp + wait);
        (uint256 head,) = sAID.unstakeQueue();
        uint256 paid = sAID.processUnstakeQueue(50);
        (uint256 after_,) = sAID.unstakeQueue();
        uint256 owed;
        for (uint256 id = head; id < after_; ++id) {
            owed += mValue[id];
            delete mValue[id];
            delete mClaim[id];
        }
        assertLe(paid, owed + _tol(owed), "model: sAID never pays the requests more than their value");
        assertApproxEqAbs(paid, owed, _tol(owed), "model: the requests paid leave at their value");
    }

    // ------------------------------------------------------------------ model helpers

    /// @dev Step `i` of the random sequence `seed`: its word `r`, the position it acts on (`position` or `p2`), its op
    ///      in [0, `ops`) and its amount.
    function _step(uint256 seed, uint256 i, uint256 ops)
        internal
        view
        returns (uint256 r, MockPosition p, uint256 op, uint256 amt)
    {
        r = uint256(keccak256(abi.encode(seed, i)));
        p = r % 2 == 0 ? position : p2;
        op = (r >> 8) % ops;
        amt = r >> 64;
    }

    /// @dev One of the five holders (alice, bob, carol, dave, eve), picked by `r`.
    function _holder(uint256 r) internal view returns (address) {
        address[5] memory holders = [alice, bob, carol, dave, eve];
        return holders[r % 5];
    }

    /// @dev Σc over the waiting requests (the model's queue claim).
    function _modelClaim() internal view returns (uint256 sum) {
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            sum += mClaim[id];
        }
    }

    /// @dev Tolerance of a comparison with the model at `x`: 1e9 wei + 1e-12 relative (the indices round per step).
    function _tol(uint256 x) internal pure returns (uint256) {
        return 1e9 + x / 1e12;
    }

    /// @dev sAID against the model: T = `writeDowns.total`; each waiting request's value ≈ v and never above it;
    ///      Σc ≈ `writeDowns.claim`.
    function _checkModel() internal view virtual {
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, mTotal, "model: T = writeDowns.total");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        uint256 sum;
        for (uint256 id = head; id < tail; ++id) {
            (,,, uint256 value) = sAID.unstakeRequest(id);
            uint256 v = mValue[id];
            assertLe(value, v + _tol(v), "model: a request is never worth more than its fair value");
            assertApproxEqAbs(value, v, _tol(v), "model: a request is worth its fair value");
            sum += mClaim[id];
        }
        assertApproxEqAbs(claim, sum, _tol(sum), "model: writeDowns.claim = the requests' claims");
    }
}
