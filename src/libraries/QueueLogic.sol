// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {AccountWord} from "./AccountWord.sol";
import {VaultLedger} from "./VaultLedger.sol";
import {VaultMath} from "./VaultMath.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title QueueLogic
/// @notice sAID's unstake-queue payouts and the admin's recovery of restricted holdings (an external library: runs in
///         the vault's context by DELEGATECALL).
/// @dev FIFO: requests are paid strictly in id order; processing stops at the first request that is not mature or
///      cannot be paid in full (it is paid in part and keeps its place). A request worth nothing at the current index
///      (after a total loss) is cleared without waiting, and once the queue is empty the index restarts at 1e27 (a new
///      era), so queue shares stay small after any sequence of losses. A request matures at its request time plus the
///      lowest delay in force since (the recorded delay, or a later cut: {StakedAIDStorage.DelayCuts}). A payout to an
///      owner that cannot receive (FULL-restricted on sAID or deny-listed on AID) is held for it, so such an owner
///      never blocks the queue.
library QueueLogic {
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    uint256 private constant FULL = uint256(IStakedAID.Restriction.FULL);
    /// @notice Smallest request [wad] unless it is the owner's whole balance (1 AID: the queue cannot be stuffed).
    uint256 internal constant MIN_UNSTAKE_ASSETS = 1e18;
    /// @dev A request's stored queue shares: bits 0–223 the shares, 224–255 the epoch of their units.
    uint256 private constant EPOCH_SHIFT = 224;

    struct Cursor {
        uint256 head;
        uint256 tail;
        uint256 cutBottom;
        uint256 cutTop;
        uint256 index;
        uint256 queueShares;
        uint256 available;
        uint256 paid;
        uint256 epoch;
    }

    /// @notice See {IStakedAID-processUnstakeQueue}. Reported losses must be booked before.
    function processUnstakeQueue(StakedAIDStorage.Layout storage $, uint256 maxIterations, IERC20 aid)
        public
        returns (uint256 paid)
    {
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.QueueState memory q = $.queue;
        StakedAIDStorage.Config memory c = $.config;
        uint256 idle = VaultLedger.idle(h, VaultLedger.pending(q));
        uint256 unvested = VaultLedger.unvested($.ledger);
        StakedAIDStorage.DelayCuts memory cuts = $.cuts;
        Cursor memory k = Cursor(c.head, c.tail, cuts.bottom, cuts.top, q.lossIndex, q.queueShares, 0, 0, $.queueEpoch);
        k.available = idle > unvested ? idle - unvested : 0;
        for (uint256 i; i < maxIterations && k.head < k.tail; ++i) {
            if (!_payNext($, k, aid)) break;
        }
        paid = k.paid;
        $.config.head = uint64(k.head);
        if (k.cutBottom != cuts.bottom) $.cuts.bottom = uint64(k.cutBottom);
        // an empty queue starts a new index era (nothing is left to reprice; the re-base rounding left in the total is
        // released); so does a total of 0, when every request left is worth 0 in this epoch (and in every later one);
        // but not while a write-down is undecided: a request made next is recorded below 1e27, so the write-back of
        // that loss can still raise it by its part (9s-1, the rule of 8s-1 in {unstake})
        if (k.head == k.tail) k.queueShares = 0;
        if (k.queueShares == 0 && (h.positionCount == 0 || $.writeDowns.total == 0)) k.index = VaultMath.RAY;
        // what was paid leaves at its lowered value and forfeits its part of the queue's claim on the undecided
        // write-downs (pro rata to the queue shares retired, the rest rounded down): it returns to the stakers (8s-2)
        if (h.positionCount != 0 && k.queueShares != q.queueShares) _forfeit($, k.queueShares, q.queueShares);
        $.queue = StakedAIDStorage.QueueState(uint160(k.queueShares), uint96(k.index));
        // idle falls by `paid`; liquid = idle − pending absorbs the rounding of the pending total
        uint256 pendingAfter = VaultMath.toQueueAssets(k.queueShares, k.index);
        $.hot.liquid = ((idle - paid).toInt256() - pendingAfter.toInt256()).toInt112();
    }

    /// @notice See {IStakedAID-unstake}: `owner` unstakes `shares` (> 0). The vault checked pause and restrictions and
    ///         booked reported losses; `off` is the stakers' part of what stays written off on the listed positions
    ///         ({PositionLogic-syncLosses}): the request carries its shares' part of it into the queue's claim (8s-2).
    function unstake(StakedAIDStorage.Layout storage $, address owner, uint256 shares, uint256 off)
        external
        returns (uint256 assets)
    {
        StakedAIDStorage.Hot memory h = $.hot;
        uint256 word = $.accounts[owner];
        uint256 balance = word & AccountWord.BALANCE_MASK;
        if (balance < shares) revert IERC20Errors.ERC20InsufficientBalance(owner, balance, shares);
        assets = VaultMath.exitAssets(shares, VaultLedger.nav(h, $.ledger), h.supply);
        if (assets < MIN_UNSTAKE_ASSETS && shares != balance) {
            if (assets == 0) revert IStakedAID.ZeroAmount();
            revert IStakedAID.UnstakeTooSmall(assets, MIN_UNSTAKE_ASSETS);
        }
        // a whole balance worth nothing (after a total loss): burnt, nothing queued, no value moves
        if (assets == 0) return _burnWorthless($, owner, balance);
        // the shares' part of the stakers' claim on the undecided write-downs (rounded down)
        if (off != 0) off = Math.mulDiv(off, shares, h.supply);
        // forge-lint: disable-next-line(unsafe-typecast)
        h.supply -= uint104(shares); // shares <= balance <= supply
        word -= shares;
        emit IERC20.Transfer(owner, address(0), shares);

        StakedAIDStorage.QueueState memory q = $.queue;
        // empty queue (or only requests worth 0) with nothing written off (`writeDowns.total`, not this request's
        // rounded share of the stakers' part, which is 0 for dust: 9b-1): a new index era; else the index
        // stays where the losses left it (8s-1: a write-back of a loss booked before this request can raise it by its
        // part); it is >= INDEX_FLOOR (re-based), so `qs` <= 1000 × assets however much was lost before: no field
        // overflows, requests worth 0 need no clearing
        // (nothing is written off without a listed position: delisting settles; the slot is read only with one)
        if (q.queueShares == 0 && (h.positionCount == 0 || $.writeDowns.total == 0)) {
            q.lossIndex = uint96(VaultMath.RAY);
        }
        uint256 before = VaultLedger.pending(q);
        // rounded up, so the request holds exactly `assets` (its loss-aware value, `convertToAssetsWithLoss`) at any
        // index <= 1e27: assets <= ceil(assets × 1e27 / index) × index / 1e27 < assets + 1, floored back to `assets`
        uint256 qs = Math.mulDiv(assets, VaultMath.RAY, q.lossIndex, Math.Rounding.Ceil);
        q.queueShares = (q.queueShares + qs).toUint160();
        $.queue = q;
        // burning the shares moves their value from NAV to the queue: liquid = idle − pending falls by the change
        before = VaultLedger.pending(q) - before;
        h.liquid -= SafeCast.toInt112(SafeCast.toInt256(before));
        $.hot = h;
        // the request carries its part of the stakers' claim into the queue's, at most what its record can still be
        // raised by (its queue shares' value at 1e27 − what it holds now): the queue never claims above 1e27
        if (off != 0 && qs > before) {
            StakedAIDStorage.WriteDowns memory d = $.writeDowns;
            // forge-lint: disable-next-line(unsafe-typecast)
            d.claim += uint128(Math.min(off, qs - before)); // off <= total − claim
            $.writeDowns = d;
        }
        uint256 id = $.config.tail;
        uint256 epoch = $.queueEpoch;
        $.accounts[owner] = AccountWord.withQueue(word, AccountWord.queueSharesAt(word, epoch) + qs, id, epoch);

        // forge-lint: disable-next-line(unsafe-typecast)
        $.config.tail = uint64(id + 1);
        uint256 claimableAt = block.timestamp + h.unstakeDelay;
        // forge-lint: disable-next-line(unsafe-typecast)
        $.requests[id] =
            StakedAIDStorage.Request(owner, uint32(block.timestamp), uint32(claimableAt), (epoch << EPOCH_SHIFT) | qs);
        emit IStakedAID.Unstaked(owner, id, shares, assets, claimableAt);
    }

    /// @notice See {IStakedAID-burnWorthless}: `holder`'s whole balance is burnt once it is worth 0 at the loss-aware
    ///         price and no position is listed (nothing deployed could still bring its value back), not while paused;
    ///         and only by `holder` itself (it may hold for others, and a worthless share still takes its slice of what
    ///         arrives while the vault is wiped).
    function burnWorthless(StakedAIDStorage.Layout storage $, address holder) external returns (uint256 shares) {
        StakedAIDStorage.Hot memory h = $.hot;
        if (h.paused) revert IStakedAID.EnforcedPause();
        if (h.positionCount != 0) revert IStakedAID.PositionsListed(h.positionCount);
        if (msg.sender != holder) revert IStakedAID.NotHolder(msg.sender, holder);
        shares = $.accounts[holder] & AccountWord.BALANCE_MASK;
        uint256 value = VaultMath.exitAssets(shares, VaultLedger.nav(h, $.ledger), h.supply);
        if (shares == 0 || value != 0) revert IStakedAID.NotWorthless(holder, value);
        _burnWorthless($, holder, shares);
    }

    /// @dev Burns `holder`'s whole balance `shares`, worth 0: the supply shrinks, nothing is queued or paid.
    function _burnWorthless(StakedAIDStorage.Layout storage $, address holder, uint256 shares)
        private
        returns (uint256)
    {
        // forge-lint: disable-next-line(unsafe-typecast)
        $.hot.supply -= uint104(shares); // the holder's balance <= supply
        $.accounts[holder] -= shares;
        emit IERC20.Transfer(holder, address(0), shares);
        emit IStakedAID.WorthlessSharesBurnt(holder, shares);
        return 0;
    }

    /// @notice See {IStakedAID-releaseHeld}.
    function releaseHeld(StakedAIDStorage.Layout storage $, address owner, IERC20 aid)
        external
        returns (uint256 assets)
    {
        assets = $.held[owner];
        if (assets == 0) revert IStakedAID.NothingHeld(owner);
        if ($.accounts[owner] >> 248 == FULL) revert IStakedAID.AccountRestricted(owner, IStakedAID.Restriction.FULL);
        $.held[owner] = 0;
        $.totalHeld -= assets;
        aid.safeTransfer(owner, assets); // reverts while `owner` is deny-listed on AID
        emit IStakedAID.HeldReleased(owner, owner, assets);
    }

    /// @notice See {IStakedAID-getUnstakeRequest}; `index` is the loss-aware index.
    function getUnstakeRequest(StakedAIDStorage.Layout storage $, address user, uint256 index)
        external
        view
        returns (uint256 requestTime, uint256 pendingAssets)
    {
        uint256 w = $.accounts[user];
        uint256 q = AccountWord.queueSharesAt(w, $.queueEpoch);
        if (q == 0) return (0, 0);
        requestTime = AccountWord.lastRequest(w);
        if (requestTime < $.config.tail) {
            // the latest request's id (a word written before v4 holds its time there, above any id)
            StakedAIDStorage.Request storage r = $.requests[requestTime];
            if (r.owner != user) return (0, 0); // paid: so were the holder's earlier requests (FIFO)
            requestTime = r.time;
        }
        pendingAssets = VaultMath.toQueueAssets(q, index);
    }

    /// @notice See {IStakedAID-unstakeRequest}; `index` is the loss-aware index.
    function unstakeRequest(StakedAIDStorage.Layout storage $, uint256 id, uint256 index)
        external
        view
        returns (address owner, uint256 requestTime, uint256 claimableAt, uint256 pendingAssets)
    {
        StakedAIDStorage.Request memory r = $.requests[id];
        claimableAt = r.claimableAt;
        StakedAIDStorage.DelayCuts memory c = $.cuts;
        for (uint256 i = c.bottom; i < c.top; ++i) {
            uint256 e = $.delayCut[i];
            if (e >> 24 > id) {
                // forge-lint: disable-next-line(unsafe-typecast)
                claimableAt = Math.min(claimableAt, uint256(r.time) + uint24(e));
                break;
            }
        }
        uint256 shares = _sharesNow(r.queueShares, $.queueEpoch);
        return (r.owner, r.time, claimableAt, VaultMath.toQueueAssets(shares, index));
    }

    /// @dev Pays the request at the head as far as `k.available` goes; false when processing must stop (not mature,
    ///      no liquidity, or paid in part).
    function _payNext(StakedAIDStorage.Layout storage $, Cursor memory k, IERC20 aid) private returns (bool completed) {
        uint256 id = k.head;
        StakedAIDStorage.Request storage r = $.requests[id];
        address owner = r.owner;
        uint256 rq = _sharesNow(r.queueShares, k.epoch);
        uint256 pay;
        uint256 burnt;
        {
            uint256 value = VaultMath.toQueueAssets(rq, k.index);
            if (value != 0 && block.timestamp < _claimableAt($, k, id, r.time, r.claimableAt)) return false;
            pay = Math.min(value, k.available);
            if (pay == 0 && value != 0) return false;
            burnt = pay == value ? rq : VaultMath.queueSharesFor(pay, k.index, rq);
        }
        completed = burnt == rq;
        if (completed) {
            delete $.requests[id];
            ++k.head;
        } else {
            r.queueShares = (k.epoch << EPOCH_SHIFT) | (rq - burnt);
        }
        {
            // the owner's aggregate (in this epoch's units) holds at least `burnt`: re-bases floor it once and each
            // request on its own, so it can hold more than the requests; paying the owner's latest request clears it
            uint256 w = $.accounts[owner];
            uint256 last = AccountWord.lastRequest(w);
            uint256 agg = AccountWord.queueSharesAt(w, k.epoch);
            // forge-lint: disable-next-line(unsafe-typecast)
            agg = agg > burnt && !(completed && last == uint32(id)) ? agg - burnt : 0;
            $.accounts[owner] = AccountWord.withQueue(w, agg, last, k.epoch);
        }
        // the total holds at least the sum of the requests (re-bases round it up, each request down)
        k.queueShares = k.queueShares > burnt ? k.queueShares - burnt : 0;
        k.available -= pay;
        k.paid += pay;
        bool hold = _payOut($, owner, pay, aid);
        emit IStakedAID.UnstakePaid(id, owner, pay, completed, hold);
    }

    /// @dev The queue shares went from `before` to `left` by payouts: the queue's claim keeps `left / before` of itself.
    function _forfeit(StakedAIDStorage.Layout storage $, uint256 left, uint256 before) private {
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        if (d.claim == 0) return;
        // forge-lint: disable-next-line(unsafe-typecast)
        $.writeDowns.claim = uint128(Math.mulDiv(d.claim, left, before)); // before > left
    }

    /// @dev A request's stored `word` (shares | epoch << 224) as shares in epoch `epoch`'s units.
    function _sharesNow(uint256 word, uint256 epoch) private pure returns (uint256) {
        return VaultMath.rescaled(word & ((1 << EPOCH_SHIFT) - 1), epoch - (word >> EPOCH_SHIFT));
    }

    /// @dev When request `id` (of time `time`) matures: `claimableAt`, or earlier under the first cut that covers it;
    ///      drops cuts that cover only ids below `id` (paid already).
    function _claimableAt(
        StakedAIDStorage.Layout storage $,
        Cursor memory k,
        uint256 id,
        uint256 time,
        uint256 claimableAt
    ) private view returns (uint256) {
        while (k.cutBottom < k.cutTop) {
            uint256 e = $.delayCut[k.cutBottom];
            // forge-lint: disable-next-line(unsafe-typecast)
            if (e >> 24 > id) return Math.min(claimableAt, time + uint24(e));
            ++k.cutBottom;
        }
        return claimableAt;
    }

    /// @dev Sends `pay` to `owner`, or holds it when `owner` cannot receive (FULL here, or deny-listed on AID).
    function _payOut(StakedAIDStorage.Layout storage $, address owner, uint256 pay, IERC20 aid)
        private
        returns (bool hold)
    {
        if (pay == 0) return false;
        hold = $.accounts[owner] >> 248 == FULL || IAID(address(aid)).isDenied(owner);
        if (hold) {
            $.held[owner] += pay;
            $.totalHeld += pay;
        } else {
            aid.safeTransfer(owner, pay);
        }
    }
}
