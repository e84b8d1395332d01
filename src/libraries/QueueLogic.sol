// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {AccountWord} from "./AccountWord.sol";
import {PositionLogic} from "./PositionLogic.sol";
import {QueueSide} from "./QueueSide.sol";
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
///      never blocks the queue. A request is pool shares + bare shares + excess shares ({StakedAIDStorage.Side}): the
///      pool shares a recovery pro rata to value, so every request in it holds the same claim per AID of value on the
///      undecided write-downs; the part of a request whose shares carried less claim than that is bare (it falls with
///      losses like the pool, and never rises: 9s-4), the claim of one whose shares carried more is excess (claim
///      without value, turned into pool shares by write-backs: 10b-1). A payout pays the parts pro rata to their values
///      and retires the excess pro rata to the value paid (all of it when it completes the request): what is paid
///      forfeits its part of the claim (12e-1).
library QueueLogic {
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    uint256 private constant FULL = uint256(IStakedAID.Restriction.FULL);
    /// @notice Smallest request [wad] unless it is the owner's whole balance (1 AID: the queue cannot be stuffed).
    uint256 internal constant MIN_UNSTAKE_ASSETS = 1e18;
    /// @notice Smallest claim [wad] a request carries into the pool (below it, its rounding to the wei would set the
    ///         pool's ratio: such a request is bare, 10b-2).
    uint256 internal constant MIN_CLAIM = 1e9;
    /// @dev A request's stored queue shares: bits 0–223 the shares, 224–255 the epoch of their units.
    uint256 private constant EPOCH_SHIFT = QueueSide.EPOCH_SHIFT;

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
        uint256 bareIndex; // the bare part ({StakedAIDStorage.Side}); its shares 0: no request holds any
        uint256 bareShares;
        uint256 bareEpoch;
        uint256 acc; // the bare part's accumulator
        bool bareWords; // a request may hold a bare word (else none is read)
        uint256 xIndex; // the excess part (10b-1), likewise
        uint256 xShares;
        uint256 xEpoch;
        uint256 xAcc;
        bool xWords; // a request may hold an excess word ({StakedAIDStorage.Config})
    }

    /// @dev A request being paid: its pool shares `rq` (with what its side parts gained), bare shares `rb`, excess
    ///      shares `rx`, whether it holds a bare / excess word; what is paid and the shares it retires.
    struct Payment {
        uint256 rq;
        uint256 rb;
        uint256 rx;
        bool hadBare;
        bool hadExcess;
        uint256 pay;
        uint256 burnt;
        uint256 burntBare;
        uint256 burntX;
    }

    /// @notice See {IStakedAID-processUnstakeQueue}. Reported losses must be booked before.
    function processUnstakeQueue(StakedAIDStorage.Layout storage $, uint256 maxIterations, IERC20 aid)
        public
        returns (uint256 paid)
    {
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.QueueState memory q = $.queue;
        StakedAIDStorage.QueueState memory b = $.bare.state;
        StakedAIDStorage.Config memory c = $.config;
        // the excess part only when a request may hold an excess word (else its slots are not read)
        StakedAIDStorage.QueueState memory x;
        if (c.excessWords) x = $.excess.state;
        uint256 idle = VaultLedger.idle(h, VaultLedger.pending(q) + VaultLedger.pending(b));
        uint256 unvested = VaultLedger.unvested($.ledger);
        StakedAIDStorage.DelayCuts memory cuts = $.cuts;
        Cursor memory k = Cursor(
            c.head,
            c.tail,
            cuts.bottom,
            cuts.top,
            q.lossIndex,
            q.queueShares,
            0,
            0,
            $.queueEpoch,
            b.lossIndex,
            b.queueShares,
            0,
            0,
            false,
            x.lossIndex,
            x.queueShares,
            0,
            0,
            c.excessWords
        );
        // no bare word can hold shares or a gain without a bare part, unless a bare epoch ended (10r-1, 11r-1) and a
        // request waiting since may hold one ({StakedAIDStorage.Config}: none from when the queue emptied until one is
        // written); the bare epoch is read only then (else no word is read, nor the bare part settled or emptied)
        if (b.queueShares != 0 || !c.noBareWords) k.bareEpoch = $.bare.epoch;
        k.bareWords = b.queueShares != 0 || k.bareEpoch != 0;
        if (k.bareWords) k.acc = $.bare.acc;
        if (k.xWords || x.queueShares != 0) (k.xEpoch, k.xAcc) = ($.excess.epoch, $.excess.acc);
        k.available = idle > unvested ? idle - unvested : 0;
        for (uint256 i; i < maxIterations && k.head < k.tail; ++i) {
            if (!_payNext($, k, aid)) break;
        }
        paid = k.paid;
        $.config.head = uint64(k.head);
        if (k.head == k.tail && (c.excessWords || !c.noBareWords)) {
            $.config.excessWords = false; // no request holds a side word
            $.config.noBareWords = true;
        }
        if (k.cutBottom != cuts.bottom) $.cuts.bottom = uint64(k.cutBottom);
        // an empty queue starts a new index era (nothing is left to reprice; the re-base rounding left in the total is
        // released); so does a total of 0, when every request left is worth 0 in this epoch (and in every later one);
        // but not while a write-down is undecided: a request made next is recorded below 1e27, so the write-back of
        // that loss can still raise it by its part (9s-1, the rule of 8s-1 in {unstake})
        if (k.head == k.tail) (k.queueShares, k.bareShares, k.xShares) = (0, 0, 0);
        if (k.queueShares == 0 && (h.positionCount == 0 || $.writeDowns.total == 0)) k.index = VaultMath.RAY;
        // the bare part never rises, so it restarts at 1e27 whenever it is empty: its epoch ends with a restart (the
        // words left hold rounding only: 0 bare shares after it, settled at the accumulator now), the next starts at 0
        if (b.queueShares != 0) {
            if (k.bareShares == 0) _emptied($.bare, k.bareEpoch, k.acc, k.epoch);
            // forge-lint: disable-next-line(unsafe-typecast)
            else $.bare.state = StakedAIDStorage.QueueState(uint160(k.bareShares), b.lossIndex);
        }
        // what was paid leaves at its lowered value and forfeits its part of the queue's claim on the undecided
        // write-downs (pro rata to the pool shares retired, the rest rounded down, and the claim of the excess shares
        // retired): it returns to the stakers (8s-2, 10b-1, 12e-1)
        if (h.positionCount != 0 && (k.queueShares != q.queueShares || k.xShares != x.queueShares)) {
            _forfeit($, k, q.queueShares, x);
        }
        if (k.xShares != x.queueShares) {
            // the same for the excess part (11r-1)
            if (k.xShares == 0) _emptied($.excess, k.xEpoch, k.xAcc, k.epoch);
            // forge-lint: disable-next-line(unsafe-typecast)
            else $.excess.state = StakedAIDStorage.QueueState(uint160(k.xShares), x.lossIndex);
        }
        $.queue = StakedAIDStorage.QueueState(uint160(k.queueShares), uint96(k.index));
        // idle falls by `paid`; liquid = idle − pending absorbs the rounding of the pending total
        uint256 pendingAfter =
            VaultMath.toQueueAssets(k.queueShares, k.index) + VaultMath.toQueueAssets(k.bareShares, k.bareIndex);
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
        {
            uint256 balance = word & AccountWord.BALANCE_MASK;
            if (balance < shares) revert IERC20Errors.ERC20InsufficientBalance(owner, balance, shares);
            assets = VaultMath.exitAssets(shares, VaultLedger.nav(h, $.ledger), h.supply);
            if (assets < MIN_UNSTAKE_ASSETS && shares != balance) {
                if (assets == 0) revert IStakedAID.ZeroAmount();
                revert IStakedAID.UnstakeTooSmall(assets, MIN_UNSTAKE_ASSETS);
            }
            // a whole balance worth nothing (after a total loss): burnt, nothing queued, no value moves
            if (assets == 0) return _burnWorthless($, owner, balance);
        }
        // the shares' part of the stakers' claim on the undecided write-downs (rounded down)
        if (off != 0) off = Math.mulDiv(off, shares, h.supply);
        // forge-lint: disable-next-line(unsafe-typecast)
        h.supply -= uint104(shares); // shares <= balance <= supply
        word -= shares;
        emit IERC20.Transfer(owner, address(0), shares);

        uint256 id = $.config.tail;
        (uint256 qs, uint256 grew, uint256 settled) = _enqueue($, h.positionCount, owner, id, assets, off);
        // burning the shares moves their value from NAV to the queue: liquid = idle − pending falls by the change
        h.liquid -= SafeCast.toInt112(SafeCast.toInt256(grew));
        $.hot = h;
        uint256 epoch = $.queueEpoch;
        // (the owner's aggregate also takes the pool shares its bare part gained so far, when this request has one)
        $.accounts[owner] =
            AccountWord.withQueue(word, AccountWord.queueSharesAt(word, epoch) + qs + settled, id, epoch);

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

    /// @notice See {IStakedAID-getUnstakeRequest} (at the loss-aware indices).
    function getUnstakeRequest(StakedAIDStorage.Layout storage $, address user)
        external
        view
        returns (uint256 requestTime, uint256 pendingAssets)
    {
        uint256 w = $.accounts[user];
        PositionLogic.Queue memory u = PositionLogic.queueAfterReported($);
        (uint256 g, uint256 qb) =
            QueueSide.viewGain($.bare, $.bare.accountWord[user], $.bare.accountAcc[user], u.b, u.epoch);
        (uint256 gx,) =
            QueueSide.viewGain($.excess, $.excess.accountWord[user], $.excess.accountAcc[user], u.x, u.epoch);
        uint256 q = AccountWord.queueSharesAt(w, u.epoch) + g + gx;
        if (q == 0 && qb == 0) return (0, 0);
        requestTime = AccountWord.lastRequest(w);
        if (requestTime < $.config.tail) {
            // the latest request's id (a word written before v4 holds its time there, above any id)
            StakedAIDStorage.Request storage r = $.requests[requestTime];
            if (r.owner != user) return (0, 0); // paid: so were the holder's earlier requests (FIFO)
            requestTime = r.time;
        }
        pendingAssets = VaultMath.toQueueAssets(q, u.q.lossIndex) + VaultMath.toQueueAssets(qb, u.b.s.lossIndex);
    }

    /// @notice See {IStakedAID-unstakeRequest} (at the loss-aware indices).
    function unstakeRequest(StakedAIDStorage.Layout storage $, uint256 id)
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
        PositionLogic.Queue memory u = PositionLogic.queueAfterReported($);
        (uint256 g, uint256 rb) =
            QueueSide.viewGain($.bare, $.bare.requestWord[id], $.bare.requestAcc[id], u.b, u.epoch);
        (uint256 gx,) = QueueSide.viewGain($.excess, $.excess.requestWord[id], $.excess.requestAcc[id], u.x, u.epoch);
        pendingAssets = VaultMath.toQueueAssets(_sharesNow(r.queueShares, u.epoch) + g + gx, u.q.lossIndex)
            + VaultMath.toQueueAssets(rb, u.b.s.lossIndex);
        return (r.owner, r.time, claimableAt, pendingAssets);
    }

    /// @dev Queues request `id` of `owner` worth `assets` whose shares carry `off` of the stakers' claim on the
    ///      undecided write-downs: its pool part into the pool (queue shares `qs`, with the claim it carries at the
    ///      pool's ratio), the rest of its value into the bare part ({_poolPart}, 9s-4), the rest of its claim (when it
    ///      carries more than the pool's ratio, or more than an empty pool's PRICE_FLOOR can hold: 9×) into the excess
    ///      part (10b-1).
    /// @return qs The request's pool shares (in the current epoch's units).
    /// @return grew What the queue's pending grew by (= assets, ± the rounding of the totals).
    /// @return settled Pool shares the owner's side aggregates gained so far (10r-1, 10b-1), settled with this
    ///         request's side parts (0 without any).
    function _enqueue(
        StakedAIDStorage.Layout storage $,
        uint256 positionCount,
        address owner,
        uint256 id,
        uint256 assets,
        uint256 off
    ) private returns (uint256 qs, uint256 grew, uint256 settled) {
        StakedAIDStorage.QueueState memory q = $.queue;
        // (nothing is written off without a listed position: delisting settles; the slot is read only with one)
        StakedAIDStorage.WriteDowns memory d;
        if (positionCount != 0) d = $.writeDowns; // warm: the vault's sync read it
        // a request carrying less than MIN_CLAIM of claim while a write-down is undecided is wholly bare: its claim,
        // floored to the wei, would otherwise set the pool's ratio with its rounding (10b-2); it gives up < 1e-9 AID
        if (d.total != 0 && off < MIN_CLAIM) {
            (grew, settled) = _addBare($, owner, id, assets);
            return (0, grew, settled);
        }
        // an empty pool (or only requests worth 0) carries no information in its index (13r): it is priced for this
        // request at its own price, the index at which its record rises by exactly the claim `off` it carries (9s-2),
        // 1e27 without one (nothing written off: `off` is 0; with a write-down undecided it is >= MIN_CLAIM here),
        // never below PRICE_FLOOR (the claim above 9 × assets goes to the excess part), whatever losses, cured marks
        // (13r-2) or re-bases lowered the index to before; so `qs` <= 10 × assets: no field overflows, requests worth
        // 0 need no clearing
        if (q.queueShares == 0) {
            // forge-lint: disable-next-line(unsafe-typecast)
            q.lossIndex = uint96(
                off == 0
                    ? VaultMath.RAY
                    : Math.max(Math.mulDiv(assets, VaultMath.RAY, assets + off), VaultMath.PRICE_FLOOR)
            ); // <= 1e27
        }
        // the pool part `p` of the request and the claim `carried` it brings into the pool's (9s-4)
        (uint256 p, uint256 carried) = _split($, q, d, assets, off);
        {
            uint256 before = VaultLedger.pending(q);
            // rounded up, so the request holds exactly `assets` (its loss-aware value, `convertToAssetsWithLoss`) at
            // any index <= 1e27: p <= ceil(p × 1e27 / index) × index / 1e27 < p + 1, floored back to `p` (so is its
            // bare part)
            qs = Math.mulDiv(p, VaultMath.RAY, q.lossIndex, Math.Rounding.Ceil);
            q.queueShares = (q.queueShares + qs).toUint160();
            $.queue = q;
            grew = VaultLedger.pending(q) - before;
        }
        // the pool part carries its claim into the pool's, at most what its record can still be raised by (its queue
        // shares' value at 1e27 − what it holds now): the queue never claims above 1e27
        carried = carried != 0 && qs > grew ? Math.min(carried, qs - grew) : 0;
        // forge-lint: disable-next-line(unsafe-typecast)
        if (carried != 0) $.writeDowns.claim = d.claim + uint128(carried); // off <= total − claim
        if (p != assets || off - carried >= MIN_CLAIM) {
            // forge-lint: disable-next-line(unsafe-typecast)
            d.claim += uint128(carried); // the queue's claim now (<= total)
            (p, settled) = _sides($, owner, id, assets - p, off - carried, d);
            grew += p;
        }
    }

    /// @dev The side parts of request `id` (of `owner`): `bare` [wad] of value into the bare part, or else (it went
    ///      into the pool whole) the claim `excess` it carries above the pool's ratio into the excess part, which
    ///      joins the queue's claim (`d`, now). `grew`: what the queue's pending grew by; `settled`: {QueueSide-add}.
    function _sides(
        StakedAIDStorage.Layout storage $,
        address owner,
        uint256 id,
        uint256 bare,
        uint256 excess,
        StakedAIDStorage.WriteDowns memory d
    ) private returns (uint256 grew, uint256 settled) {
        if (bare != 0) return _addBare($, owner, id, bare);
        (excess, settled) = QueueSide.add($.excess, owner, id, excess, $.queueEpoch);
        $.config.excessWords = true;
        // forge-lint: disable-next-line(unsafe-typecast)
        $.writeDowns.claim = uint128(Math.min(d.claim + excess, d.total));
    }

    /// @dev Adds `bare` [wad] of request `id` (of `owner`) to the bare part ({QueueSide-add}): a request holds a bare
    ///      word from here ({StakedAIDStorage.Config}).
    function _addBare(StakedAIDStorage.Layout storage $, address owner, uint256 id, uint256 bare)
        private
        returns (uint256 grew, uint256 settled)
    {
        if ($.config.noBareWords) $.config.noBareWords = false;
        return QueueSide.add($.bare, owner, id, bare, $.queueEpoch);
    }

    /// @dev {_poolPart} on the pool's own claim (the queue's `d.claim` less the excess part's, read only while
    ///      something is written off); an empty pool takes the request whole with all it carries (priced for it), a
    ///      non-empty pool without a claim whole with none (all of its claim is excess).
    function _split(
        StakedAIDStorage.Layout storage $,
        StakedAIDStorage.QueueState memory q,
        StakedAIDStorage.WriteDowns memory d,
        uint256 assets,
        uint256 off
    ) private view returns (uint256 p, uint256 carried) {
        if (q.queueShares == 0 || d.total == 0) return (assets, off);
        uint256 pc = d.claim - Math.min(VaultLedger.pending($.excess.state), d.claim);
        if (pc == 0) return (assets, 0);
        return _poolPart(assets, off, q, pc);
    }

    /// @dev The split of a request worth `assets` whose shares carry `off` of the stakers' claim on the undecided
    ///      write-downs, for a non-empty pool `q` with a claim `claim` > 0 (9s-4). Every request in the pool holds the
    ///      same claim per AID of value, since a recovery raises the pool's index, so pro rata to value. A request
    ///      carrying at least the pool's ratio goes in whole, with that ratio (the rest of `off` is its excess); one
    ///      carrying less (shares bought after entries or vesting lowered the stakers' claim per AID of
    ///      NAV) puts in only the part `p` its claim matches, the rest of its value is bare. The ratio is taken before
    ///      rounding (the pool's queue shares × index, not its pending in wei: 9s-4b, a pool of a few wei has a ratio
    ///      of noise) and on the claim the index can still pay (at most its shares' value at 1e27 − their value now).
    ///      A request carrying more than the pool's ratio brings the rest into the excess part (10b-1, the caller).
    /// @return p The pool part [wad] (<= assets).
    /// @return carried The claim the pool part brings (<= off; rounded down).
    function _poolPart(uint256 assets, uint256 off, StakedAIDStorage.QueueState memory q, uint256 claim)
        private
        pure
        returns (uint256 p, uint256 carried)
    {
        uint256 value = uint256(q.queueShares) * q.lossIndex; // [wad × ray] the pool's pending, unrounded; > 0
        uint256 c = Math.min(claim * VaultMath.RAY, uint256(q.queueShares) * (VaultMath.RAY - q.lossIndex));
        carried = Math.mulDiv(assets, c, value); // the claim of the whole request at the pool's ratio (<= 1000 × assets)
        if (off >= carried) return (assets, carried);
        p = Math.mulDiv(off, value, c); // < assets (c > 0: carried > off)
        carried = Math.mulDiv(p, c, value); // <= off
    }

    /// @dev Pays the request at the head as far as `k.available` goes; false when processing must stop (not mature,
    ///      no liquidity, or paid in part).
    function _payNext(StakedAIDStorage.Layout storage $, Cursor memory k, IERC20 aid) private returns (bool completed) {
        uint256 id = k.head;
        StakedAIDStorage.Request storage r = $.requests[id];
        address owner = r.owner;
        Payment memory p = _requestShares($, k, id, r.queueShares);
        bool worth = _take(k, p);
        if (worth && block.timestamp < _claimableAt($, k, id, r.time, r.claimableAt)) return false;
        if (p.pay == 0 && worth) return false;
        completed = p.burnt == p.rq && p.burntBare == p.rb;
        if (completed) {
            p.burntX = p.rx;
            delete $.requests[id];
            ++k.head;
        } else {
            r.queueShares = (k.epoch << EPOCH_SHIFT) | (p.rq - p.burnt);
        }
        // the side words keep what is left with a fresh snapshot (their gains were settled into the pool shares); the
        // excess shares retired forfeit their claim ({_forfeit}): all of a completed request's, the part paid of one
        // paid in part (12e-1)
        if (p.hadBare) QueueSide.rewrite($.bare, id, completed ? 0 : p.rb - p.burntBare, k.acc, k.bareEpoch, k.epoch);
        if (p.hadExcess) QueueSide.rewrite($.excess, id, completed ? 0 : p.rx - p.burntX, k.xAcc, k.xEpoch, k.epoch);
        _retire($, k, owner, id, completed, p);
        k.available -= p.pay;
        k.paid += p.pay;
        bool hold = _payOut($, owner, p.pay, aid);
        emit IStakedAID.UnstakePaid(id, owner, p.pay, completed, hold);
    }

    /// @dev Payouts emptied the side part `side` (at side epoch `epoch`, accumulator `acc`, pool epoch `poolEpoch`):
    ///      it restarts at 1e27 and its epoch ends with a restart (11r-1; the next one's accumulator starts at 0).
    function _emptied(StakedAIDStorage.Side storage side, uint256 epoch, uint256 acc, uint256 poolEpoch) private {
        // forge-lint: disable-next-line(unsafe-typecast)
        side.state = StakedAIDStorage.QueueState(0, uint96(VaultMath.RAY));
        side.epochEnd[epoch] = acc | (poolEpoch << QueueSide.END_POOL_SHIFT);
        side.epoch = epoch + 1;
        if (acc != 0) side.acc = 0;
    }

    /// @dev Request `id`'s pool shares (stored word `word`, plus what its side parts gained: 10r-1, 10b-1), bare
    ///      shares and excess shares now, and whether it holds a bare / excess word (then rewritten or deleted).
    function _requestShares(StakedAIDStorage.Layout storage $, Cursor memory k, uint256 id, uint256 word)
        private
        view
        returns (Payment memory p)
    {
        p.rq = _sharesNow(word, k.epoch);
        uint256 g;
        uint256 w;
        if (k.bareWords && (w = $.bare.requestWord[id]) != 0) {
            (g, p.rb) = QueueSide.gain($.bare, w, $.bare.requestAcc[id], k.acc, k.bareEpoch, k.epoch);
            if (k.bareShares == 0) p.rb = 0;
            (p.rq, p.hadBare) = (p.rq + g, true);
        }
        if (k.xWords && (w = $.excess.requestWord[id]) != 0) {
            (g, p.rx) = QueueSide.gain($.excess, w, $.excess.requestAcc[id], k.xAcc, k.xEpoch, k.epoch);
            if (k.xShares == 0) p.rx = 0;
            (p.rq, p.hadExcess) = (p.rq + g, true);
        }
    }

    /// @dev What paying request `p` (pool shares `p.rq`, bare shares `p.rb`, excess shares `p.rx`) takes out of
    ///      `k.available`, and the shares it retires; `worth` false when the request is worth nothing (then it is
    ///      cleared whole, paying nothing, without waiting). Paid in part (12e-1), it keeps the claim of what is left
    ///      only (8s-2, pro rata): its bare and pool parts pay pro rata to their values (the pool shares retired
    ///      forfeit their claim) and its excess shares (claim without value) retire pro rata to the value paid, all
    ///      rounded up (at most all): the request never keeps more than its part.
    function _take(Cursor memory k, Payment memory p) private pure returns (bool worth) {
        uint256 bareValue = VaultMath.toQueueAssets(p.rb, k.bareIndex);
        uint256 value = bareValue + VaultMath.toQueueAssets(p.rq, k.index);
        worth = value != 0;
        p.pay = Math.min(value, k.available);
        if (p.pay == value) {
            (p.burnt, p.burntBare) = (p.rq, p.rb); // in full: all retired (the excess by {_payNext})
            return worth;
        }
        uint256 payBare = Math.mulDiv(p.pay, bareValue, value); // <= bareValue; the pool part's pay <= its value
        uint256 payPool = p.pay - payBare; // 0 when the pool part is worth 0 (its index is then not read)
        if (payBare != 0) p.burntBare = VaultMath.queueSharesFor(payBare, k.bareIndex, p.rb);
        if (payPool != 0) p.burnt = VaultMath.queueSharesFor(payPool, k.index, p.rq);
        p.burntX = Math.mulDiv(p.rx, p.pay, value, Math.Rounding.Ceil); // <= rx
    }

    /// @dev Takes the shares a payout retired off the owner's aggregates and the totals in `k`. The owner's aggregate
    ///      (in this epoch's units) holds at least what its requests do: re-bases floor it once and each request on its
    ///      own, so it can hold more; paying the owner's latest request clears it. The totals hold at least the sum of
    ///      the requests (re-bases round them up, each request down). The owner's side aggregates settle what they
    ///      gained (the pool shares, into its aggregate of pool shares) and lose what was retired.
    function _retire(
        StakedAIDStorage.Layout storage $,
        Cursor memory k,
        address owner,
        uint256 id,
        bool completed,
        Payment memory p
    ) private {
        uint256 w = $.accounts[owner];
        uint256 last = AccountWord.lastRequest(w);
        // forge-lint: disable-next-line(unsafe-typecast)
        bool latest = completed && last == uint32(id);
        uint256 agg = AccountWord.queueSharesAt(w, k.epoch) + _settleSides($, k, owner, latest, p);
        agg = agg > p.burnt && !latest ? agg - p.burnt : 0;
        $.accounts[owner] = AccountWord.withQueue(w, agg, last, k.epoch);
        k.queueShares = k.queueShares > p.burnt ? k.queueShares - p.burnt : 0;
        k.bareShares = k.bareShares > p.burntBare ? k.bareShares - p.burntBare : 0;
        k.xShares = k.xShares > p.burntX ? k.xShares - p.burntX : 0;
    }

    /// @dev The pool shares the owner's side aggregates gained (settled; each loses what was retired of it: the bare
    ///      shares paid, the excess shares retired `p.burntX`; all when its `latest` request was paid).
    function _settleSides(
        StakedAIDStorage.Layout storage $,
        Cursor memory k,
        address owner,
        bool latest,
        Payment memory p
    ) private returns (uint256 g) {
        if (p.hadBare || (latest && k.bareShares != 0)) {
            g = QueueSide.settleAccount(
                $.bare, owner, p.burntBare, latest || k.bareShares == 0, k.acc, k.bareEpoch, k.epoch
            );
        }
        if (p.hadExcess || (latest && k.xShares != 0)) {
            g += QueueSide.settleAccount($.excess, owner, p.burntX, latest || k.xShares == 0, k.xAcc, k.xEpoch, k.epoch);
        }
    }

    /// @dev Payouts took the pool shares from `before` to `k.queueShares` and the excess part `x` to `k.xShares`: the
    ///      pool's claim keeps `left / before` of itself, the excess part's what its shares left hold; the rest is
    ///      forfeited to the stakers.
    function _forfeit(
        StakedAIDStorage.Layout storage $,
        Cursor memory k,
        uint256 before,
        StakedAIDStorage.QueueState memory x
    ) private {
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        if (d.claim == 0) return;
        uint256 e = Math.min(VaultLedger.pending(x), d.claim);
        uint256 pc = d.claim - e;
        if (before != 0) pc = Math.mulDiv(pc, k.queueShares, before); // left <= before
        // forge-lint: disable-next-line(unsafe-typecast)
        e = VaultLedger.pending(StakedAIDStorage.QueueState(uint160(k.xShares), x.lossIndex));
        // forge-lint: disable-next-line(unsafe-typecast)
        $.writeDowns.claim = uint128(Math.min(pc + e, d.claim));
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
