// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IDealPosition} from "../interfaces/IDealPosition.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {QueueSide} from "./QueueSide.sol";
import {VaultLedger} from "./VaultLedger.sol";
import {VaultMath} from "./VaultMath.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title PositionLogic
/// @notice sAID's capital deployment and loss booking (an external library: runs in the vault's context by
///         DELEGATECALL, keeps the vault under the contract size limit).
/// @dev Positions are carried at cost and written down to what they report. A booked loss of L on gross G (NAV +
///      pending) scales the loss indices by (G − L) / G, so stakers and pending requests lose the same fraction, and
///      adds L to the position's `writtenOff` and to the undecided total (`writeDowns.total` = Σ writtenOff); what the
///      queue's pool fell by joins the queue's recorded claim on them (`writeDowns.claim`, 8s-2: fixed at the loss).
///      The claim follows the pool, whose requests all hold the same claim per AID of value (9s-4): a request made
///      later carries its shares' part of the stakers' claim (total − claim) in, its value goes into the pool as far
///      as that matches the pool's ratio and the rest into the bare part, which holds no claim; a claim above the
///      pool's ratio waits in the excess part, which holds no value (10b-1, {QueueLogic-unstake}); payouts at the
///      lowered value forfeit their part pro rata to the pool shares retired, and their excess when completed
///      ({QueueLogic-processUnstakeQueue}); a write-down made final drops its part ({_settle}). Invariants: claim <=
///      total, and the pool's pending + the pool's claim (claim − the excess part's) <= its shares' value at 1e27. A
///      write-down is undecided while the position stays listed: when it reports more than it carries again, up to
///      `writtenOff` is written back at once (a recovery, not a reward: no stream, no APR cap); of w written back the
///      queue gets claim × w / total (the index rises, at most to 1e27, and the excess part's share turns into pool
///      shares: {_recoverAfter}), the stakers the rest; only
///      value above that is a gain, streamed when `deallocate` realises it. Entries pay for the stakers' part of the
///      undecided write-downs, total − claim ({syncLosses} returns it). A write-down is final when the position is
///      delisted or settled.
library PositionLogic {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @notice The unstake queue in memory: its pool `q` (in the units of pool epoch `epoch`), its bare part `b`
    ///         (10r-1) and its excess part `x` (10b-1), see {StakedAIDStorage.Side} and {QueueSide.Part}.
    struct Queue {
        StakedAIDStorage.QueueState q;
        uint256 epoch;
        QueueSide.Part b;
        QueueSide.Part x;
    }

    /// @dev A move that would leave at most 1 / WHOLE of a side part (rounding) moves all of it.
    uint256 private constant WHOLE = 1e12;

    uint256 internal constant MAX_POSITIONS = 20;
    uint256 private constant BPS = 10_000;

    /// @notice See {IStakedAID-addPosition}.
    function addPosition(StakedAIDStorage.Layout storage $, address position, address aid) external {
        if (position == address(0)) revert IStakedAID.ZeroAddress();
        if ($.positionOf[position].slot != 0) revert IStakedAID.PositionAlreadyListed(position);
        if ($.positionList.length >= MAX_POSITIONS) revert IStakedAID.TooManyPositions();
        address a = IDealPosition(position).asset();
        if (a != aid) revert IStakedAID.PositionAssetMismatch(position, a);
        $.positionList.push(position);
        $.positionOf[position] = StakedAIDStorage.Position(0, uint8($.positionList.length), 0);
        $.hot.positionCount = uint8($.positionList.length);
        emit IStakedAID.PositionListed(position, true);
    }

    /// @notice See {IStakedAID-removePosition}.
    function removePosition(StakedAIDStorage.Layout storage $, address position) external {
        StakedAIDStorage.Position memory p = _listed($, position);
        if (p.booked != 0) revert IStakedAID.PositionNotEmpty(position, p.booked);
        address last = $.positionList[$.positionList.length - 1];
        $.positionList[p.slot - 1] = last;
        $.positionOf[last].slot = p.slot;
        $.positionList.pop();
        delete $.positionOf[position];
        $.hot.positionCount = uint8($.positionList.length);
        if (p.writtenOff != 0) {
            _settle($, p.writtenOff);
            emit IStakedAID.WriteDownSettled(position, p.writtenOff);
        }
        emit IStakedAID.PositionListed(position, false);
    }

    /// @notice See {IStakedAID-settleWriteDown}.
    function settleWriteDown(StakedAIDStorage.Layout storage $, address position) external returns (uint256 amount) {
        _listed($, position);
        syncLosses($); // a recovery it reports now is written back first
        amount = $.positionOf[position].writtenOff;
        if (amount == 0) revert IStakedAID.NothingWrittenOff(position);
        $.positionOf[position].writtenOff = 0;
        _settle($, amount);
        emit IStakedAID.WriteDownSettled(position, amount);
    }

    /// @dev A write-down of `amount` becomes final: it leaves the total, and the queue's claim keeps only its pro-rata
    ///      part of what stays undecided (rounded down); its claim on the settled loss lapses with it. The pool's claim
    ///      and the excess part's alike (10b-1: the excess index × rest / total; all settled: the excess epoch ends with a restart).
    function _settle(StakedAIDStorage.Layout storage $, uint256 amount) private {
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        if (d.total == 0) return;
        uint256 rest = d.total > amount ? d.total - amount : 0;
        QueueSide.Part memory x = QueueSide.load($.excess);
        uint256 e = _excessClaim(x, d);
        uint256 claim = Math.mulDiv(d.claim - e, rest, d.total);
        if (x.s.queueShares != 0) {
            _scaleExcess(x, rest, d.total, $.queueEpoch);
            QueueSide.store($.excess, x);
            claim += VaultLedger.pending(x.s);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        $.writeDowns = StakedAIDStorage.WriteDowns(uint128(rest), uint128(Math.min(claim, rest)));
    }

    /// @dev The excess part's claim [wad] (rounded down; within the queue's claim `d.claim`, of which it is a part).
    function _excessClaim(QueueSide.Part memory x, StakedAIDStorage.WriteDowns memory d)
        private
        pure
        returns (uint256)
    {
        return Math.min(VaultLedger.pending(x.s), d.claim);
    }

    /// @dev The excess part's index (its claim per share) × `num` / `den` (at pool epoch `poolEpoch`); a re-base
    ///      ends its epoch (11r-1: nothing of its claim lapses); nothing left of it ends the epoch with a restart.
    function _scaleExcess(QueueSide.Part memory x, uint256 num, uint256 den, uint256 poolEpoch) private pure {
        uint256 index = Math.mulDiv(x.s.lossIndex, num, den);
        if (index == 0) QueueSide.endWhole(x, 0, poolEpoch);
        else QueueSide.rescale(x, index, 0, poolEpoch);
    }

    /// @notice See {IStakedAID-allocate}.
    function allocate(StakedAIDStorage.Layout storage $, address position, uint256 assets, IERC20 aid) external {
        if (assets == 0) revert IStakedAID.ZeroAmount();
        _listed($, position);
        syncLosses($);
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.Ledger memory l = $.ledger;
        uint256 free = VaultLedger.free(h, l);
        uint256 required = Math.mulDiv(VaultLedger.nav(h, l), $.config.liquidityBufferBps, BPS, Math.Rounding.Ceil);
        if (assets > free || free - assets < required) {
            revert IStakedAID.LiquidityBufferBreached(free > assets ? free - assets : 0, required);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        $.hot.liquid = h.liquid - int112(int256(assets)); // assets <= free <= liquid
        $.ledger.booked = (uint256(l.booked) + assets).toUint96();
        // forge-lint: disable-next-line(unsafe-typecast)
        $.positionOf[position].booked += uint96(assets); // <= total booked

        uint256 balance = aid.balanceOf(address(this));
        aid.forceApprove(position, assets);
        IDealPosition(position).deposit(assets);
        aid.forceApprove(position, 0);
        uint256 taken = balance - aid.balanceOf(address(this));
        if (taken != assets) revert IStakedAID.AllocationMismatch(assets, taken);
        emit IStakedAID.Allocated(position, assets);
    }

    /// @notice See {IStakedAID-deallocate}.
    function deallocate(StakedAIDStorage.Layout storage $, address position, uint256 assets, IERC20 aid)
        external
        returns (uint256 received)
    {
        if (assets == 0) revert IStakedAID.ZeroAmount();
        StakedAIDStorage.Position memory p = _listed($, position);
        uint256 balance = aid.balanceOf(address(this));
        IDealPosition(position).withdraw(assets);
        received = aid.balanceOf(address(this)) - balance;
        uint256 principal = Math.min(received, p.booked);
        // AID above the carrying value is first the recovery of what was written off, only the rest a gain
        uint256 back = Math.min(received - principal, p.writtenOff);
        uint256 gain = received - principal - back;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.booked -= uint96(principal);
        // forge-lint: disable-next-line(unsafe-typecast)
        p.writtenOff -= uint96(back);
        $.positionOf[position] = p;
        // forge-lint: disable-next-line(unsafe-typecast)
        $.ledger.booked -= uint96(principal);
        $.hot.liquid += SafeCast.toInt112(SafeCast.toInt256(principal));
        if (back != 0) _writeBack($, position, back, true);
        emit IStakedAID.Deallocated(position, received, gain);
        if (gain != 0) VaultLedger.stream($, position, gain);
        uint256 value = IDealPosition(position).valueOf(address(this));
        if (value < p.booked) _writeDown($, position, p, value);
    }

    /// @notice See {IStakedAID-bookLoss}.
    function bookLoss(StakedAIDStorage.Layout storage $, address position) external returns (uint256 loss) {
        StakedAIDStorage.Position memory p = _listed($, position);
        uint256 value = IDealPosition(position).valueOf(address(this));
        if (value >= p.booked) revert IStakedAID.NoLoss(position, p.booked, value);
        loss = _writeDown($, position, p, value);
    }

    /// @notice Writes back the recovery of every written-down position reporting more than it carries (in list
    ///         order), writes every position reporting less down to its report, then books the total loss.
    /// @return off The stakers' part of what stays written off on the listed positions (the undecided write-downs
    ///         less the queue's recorded claim on them; all of them at supply 0): what entries pay for.
    function syncLosses(StakedAIDStorage.Layout storage $) public returns (uint256 off) {
        uint256 n = $.positionList.length;
        uint256 loss;
        for (uint256 i; i < n; ++i) {
            address position = $.positionList[i];
            StakedAIDStorage.Position memory p = $.positionOf[position];
            if (p.booked == 0 && p.writtenOff == 0) continue;
            (uint256 value,) = _valueOf(position, false);
            if (value < p.booked) {
                loss += _markDown($, position, p, value);
            } else if (p.writtenOff != 0 && value > p.booked) {
                _writeBack($, position, Math.min(value - p.booked, p.writtenOff), false);
            }
        }
        if (loss != 0) _applyLoss($, loss);
        return _stakersPart($.hot.supply, $.writeDowns);
    }

    /// @dev What of the undecided write-downs `d` belongs to the stakers, which entries pay for: total − the queue's
    ///      claim; all of it at supply 0 (a recovery then goes to the queue, and entries are refused while it is not 0).
    function _stakersPart(uint256 supply, StakedAIDStorage.WriteDowns memory d) private pure returns (uint256) {
        return supply == 0 ? d.total : d.total - d.claim;
    }

    /// @notice The figures behind sAID's views, as if every loss and recovery the positions report were booked now
    ///         (what `syncLosses` would leave): NAV, entry value ({VaultLedger.entry} + the stakers' part of what stays
    ///         written off),
    ///         supply, free liquidity, AID owed to the queue and the loss index. Reverts when a position's `valueOf`
    ///         does: sAID never prices shares on a value it cannot read.
    function snapshot(StakedAIDStorage.Layout storage $)
        external
        view
        returns (uint256 nav, uint256 entry, uint256 supply, uint256 free, uint256 pending, uint256 index)
    {
        (StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l, Queue memory u, uint256 off,) =
            _afterReported($, false);
        return (
            VaultLedger.nav(h, l),
            VaultLedger.entry(h, l) + off,
            h.supply,
            VaultLedger.free(h, l),
            VaultLedger.pending(u.q) + VaultLedger.pending(u.b.s),
            u.q.lossIndex
        );
    }

    /// @notice The unstake queue as if every reported loss and recovery were booked now (with the re-bases, moves of
    ///         the bare part and the side epoch ends the booking would make: {Queue}).
    function queueAfterReported(StakedAIDStorage.Layout storage $) external view returns (Queue memory u) {
        (,, u,,) = _afterReported($, false);
    }

    /// @notice `maxDeposit` (`inShares` false) or `maxMint` (true) for `receiver`: the room left in the packed supply
    ///         (uint104) and idle balance (int112) at the loss-aware entry price; 0 while paused, wiped (or at supply
    ///         0 with a write-down undecided), for a
    ///         restricted or deny-listed receiver, or when a position's value cannot be read (never reverts).
    function maxEntry(StakedAIDStorage.Layout storage $, address receiver, address aid, bool inShares)
        external
        view
        returns (uint256)
    {
        (StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l,, uint256 off, bool ok) =
            _afterReported($, true);
        if (!ok || h.paused || $.accounts[receiver] >> 248 != 0 || IAID(aid).isDenied(receiver)) return 0;
        uint256 value = VaultLedger.entry(h, l) + off;
        if (VaultLedger.wiped(value, h.supply, off)) return 0;
        uint256 shares = type(uint104).max - uint256(h.supply);
        uint256 assets = uint256(int256(type(int112).max) - h.liquid);
        value += VaultMath.VIRTUAL;
        uint256 supply = uint256(h.supply) + VaultMath.VIRTUAL;
        if (inShares) return Math.min(shares, Math.mulDiv(assets, supply, value));
        return Math.min(assets, Math.mulDiv(shares, value, supply));
    }

    /// @notice `maxWithdraw` (`inShares` false) or `maxRedeem` (true) of a `balance` whose owner may exit: at most the
    ///         free liquidity, at the loss-aware exit price (NAV); 0 when a position's value cannot be read (never
    ///         reverts).
    function maxExit(StakedAIDStorage.Layout storage $, uint256 balance, bool inShares)
        external
        view
        returns (uint256)
    {
        (StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l,,, bool ok) = _afterReported($, true);
        if (!ok) return 0;
        uint256 nav = VaultLedger.nav(h, l);
        uint256 free = VaultLedger.free(h, l);
        if (inShares) {
            return Math.min(balance, Math.mulDiv(free, h.supply + VaultMath.VIRTUAL, nav + VaultMath.VIRTUAL));
        }
        return Math.min(VaultMath.exitAssets(balance, nav, h.supply), free);
    }

    /// @dev Writes `position` (`p` in memory) down to `value` (< its carrying value) and books the loss.
    function _writeDown(
        StakedAIDStorage.Layout storage $,
        address position,
        StakedAIDStorage.Position memory p,
        uint256 value
    ) private returns (uint256 loss) {
        loss = _markDown($, position, p, value);
        _applyLoss($, loss);
    }

    /// @dev Marks `position` (`p` in memory, updated) down to `value` (< its carrying value): the loss joins its
    ///      `writtenOff`; the caller books it ({_applyLoss}).
    function _markDown(
        StakedAIDStorage.Layout storage $,
        address position,
        StakedAIDStorage.Position memory p,
        uint256 value
    ) private returns (uint256 loss) {
        loss = p.booked - value;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.booked = uint96(value);
        p.writtenOff = (uint256(p.writtenOff) + loss).toUint96();
        $.positionOf[position] = p;
        emit IStakedAID.LossBooked(position, loss);
    }

    /// @dev Writes back a recovery of `w` (<= the position's `writtenOff`) as {_recoverAfter} shares it. `realised`:
    ///      the AID is in hand (`deallocate`, which already took `w` off `writtenOff`): all of it becomes idle, also
    ///      the part nobody holds a claim to (supply 0, the queue at its cap), which {IStakedAID-strandedAssets} then
    ///      counts once the queue is empty. Otherwise the position's carrying value rises by the part written back.
    /// @return taken What was written back (all of `w` unless the supply is 0).
    function _writeBack(StakedAIDStorage.Layout storage $, address position, uint256 w, bool realised)
        private
        returns (uint256 taken)
    {
        StakedAIDStorage.Hot memory h = $.hot;
        Queue memory u;
        (u.q, u.x, u.epoch) = ($.queue, QueueSide.load($.excess), $.queueEpoch);
        bool excess = u.x.s.queueShares != 0;
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        taken = _recoverAfter(h, u, d, w);
        _undecided(d, realised ? w : taken);
        $.writeDowns = d;
        if (realised) {
            h.liquid += SafeCast.toInt112(SafeCast.toInt256(w));
        } else if (taken != 0) {
            // forge-lint: disable-next-line(unsafe-typecast)
            $.ledger.booked += uint96(taken); // <= the value positions report
            // forge-lint: disable-next-line(unsafe-typecast)
            $.positionOf[position].booked += uint96(taken);
            // forge-lint: disable-next-line(unsafe-typecast)
            $.positionOf[position].writtenOff -= uint96(taken);
        }
        $.hot.liquid = h.liquid;
        $.queue = u.q;
        // stored also when nothing was taken (supply 0, less than a wei of the pool's total): the index the views
        // raise in memory ({_reported}), so previews = actions (review 11x1, INFO)
        if (excess) QueueSide.store($.excess, u.x);
        if (realised || taken != 0) emit IStakedAID.LossRecovered(position, realised ? w : taken, u.q.lossIndex);
    }

    /// @dev A recovery of `w` (<= what is written off the position, so <= `d.total`), in memory: the queue's part is
    ///      its recorded claim pro rata, claim × w / total (rounded down; 8s-2: fixed when the losses were booked, not
    ///      measured on what entered since), all of `w` at supply 0 (nobody else holds a claim). The pool's part raises
    ///      its index so that pending grows by at most that part, never above 1e27 (the start of an era: no request is
    ///      repriced above the index it would have had without the losses of the era; the part of a re-based or wiped
    ///      request that the cap or its rounded-down record cannot hold stays with the stakers). The excess part's
    ///      (10b-1) becomes value: {_convert}. Liquid (idle − pending) falls by what pending grew; the claim falls by
    ///      the part paid (by what pending grew at supply 0). The caller adds `taken` to the carrying value (`w`, or at
    ///      supply 0 only what the queue took) and takes it off the total ({_undecided}).
    function _recoverAfter(
        StakedAIDStorage.Hot memory h,
        Queue memory u,
        StakedAIDStorage.WriteDowns memory d,
        uint256 w
    ) private pure returns (uint256 taken) {
        StakedAIDStorage.QueueState memory q = u.q;
        uint256 before = VaultLedger.pending(q);
        uint256 e = _excessClaim(u.x, d);
        uint256 pc = d.claim - e; // the pool's claim
        // the excess part's share of the write-back: value φ × its claim (φ = w / total)
        uint256 xm = e == 0 || d.total == 0 ? 0 : Math.min(Math.mulDiv(w, e, d.total), e);
        uint256 part = w - xm;
        if (h.supply != 0) part = d.total == 0 ? 0 : Math.min(Math.mulDiv(w, pc, d.total), pc);
        if (part != 0 && q.queueShares != 0) {
            uint256 index = Math.min(Math.mulDiv(before + part, VaultMath.RAY, q.queueShares), VaultMath.RAY);
            // forge-lint: disable-next-line(unsafe-typecast)
            if (index > q.lossIndex) q.lossIndex = uint96(index); // <= 1e27
        }
        uint256 grew = VaultLedger.pending(q) - before; // <= part
        uint256 used = h.supply != 0 ? part : grew;
        pc = pc > used ? pc - used : 0;
        if (xm != 0) {
            pc = _convert(u, pc, e, xm);
            e = VaultLedger.pending(u.x.s);
            grew = VaultLedger.pending(q) - before;
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        h.liquid -= int112(int256(grew));
        taken = h.supply != 0 ? w : grew;
        // forge-lint: disable-next-line(unsafe-typecast)
        d.claim = uint128(Math.min(pc, _room(q)) + e);
    }

    /// @dev 10b-1: a write-back of φ of the total turns φ × the excess part's claim `e` into value `xm` (its claim
    ///      keeps (1 − φ)e). That value moves into the pool (pool shares at its index, shared by every excess share
    ///      through its accumulator) with the claim it takes at the pool's ratio after the write-back, ρ' (pool claim
    ///      `pc` / its value, on the claim its index can still pay): the pool stays uniform, and the excess part keeps
    ///      (1 − φ)e − ρ'xm = (1 − φ)e / (1 + φρ) >= 0 (ρ' = ρ(1 − φ) / (1 + φρ)): its index × that / e. An empty
    ///      pool is priced for the moved value as {QueueLogic-unstake} prices it for a request (9s-2, 13r): at its own
    ///      price xm / e, at least PRICE_FLOOR, whatever its index was; it takes the excess's claim up to what that
    ///      price can hold (9 × xm), the excess part keeps the rest. All of it moved: the excess epoch ends with a
    ///      restart.
    /// @return The pool's claim after the move.
    function _convert(Queue memory u, uint256 pc, uint256 e, uint256 xm) private pure returns (uint256) {
        StakedAIDStorage.QueueState memory q = u.q;
        uint256 rest = e - xm;
        uint256 mc; // the claim moving with the value
        bool empty = q.queueShares == 0;
        if (empty) {
            // forge-lint: disable-next-line(unsafe-typecast)
            q.lossIndex = uint96(Math.max(Math.mulDiv(xm, VaultMath.RAY, e), VaultMath.PRICE_FLOOR)); // xm <= e
        } else {
            uint256 value = uint256(q.queueShares) * q.lossIndex; // [wad × ray] unrounded
            uint256 c = Math.min(pc * VaultMath.RAY, uint256(q.queueShares) * (VaultMath.RAY - q.lossIndex));
            mc = Math.mulDiv(xm, c, value);
        }
        uint256 ms = Math.mulDiv(xm, VaultMath.RAY, q.lossIndex); // pool shares for it, rounded down
        u.x.acc += QueueSide.gainOf(u.x, ms); // every excess share gains the same pool shares
        q.queueShares = (uint256(q.queueShares) + ms).toUint160();
        if (empty) mc = Math.min(rest, _room(q)); // the empty pool priced for it holds what its index can
        uint256 left = rest > mc ? rest - mc : 0;
        if (left <= e / WHOLE) {
            QueueSide.endWhole(u.x, 0, u.epoch);
            return pc + mc + left;
        }
        _scaleExcess(u.x, left, e, u.epoch);
        return pc + mc;
    }

    /// @dev `gone` of the undecided write-downs `d` is written back (or realised): off the total; the claim never
    ///      exceeds what stays.
    function _undecided(StakedAIDStorage.WriteDowns memory d, uint256 gone) private pure {
        // forge-lint: disable-next-line(unsafe-typecast)
        d.total = uint128(d.total > gone ? d.total - gone : 0);
        if (d.claim > d.total) d.claim = d.total;
    }

    /// @dev Books `loss` (already written off the position's carrying value), re-basing the indices, moving the bare
    ///      part's claim into the pool and ending the bare epoch as {_lossAfter}.
    function _applyLoss(StakedAIDStorage.Layout storage $, uint256 loss) private {
        Queue memory u = _queue($);
        uint256 before = VaultLedger.pending(u.q) + VaultLedger.pending(u.b.s);
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.Ledger memory l = $.ledger;
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        bool bare = u.b.s.queueShares != 0;
        _lossAfter(h, l, u, d, loss);
        $.writeDowns = d;
        if (u.epoch != $.queueEpoch) {
            $.queueEpoch = u.epoch;
            // the excess part's accumulator in the re-based pool's units (the part itself is untouched by losses)
            if (u.x.s.queueShares != 0) $.excess.acc = u.x.acc;
        }
        if (bare) QueueSide.store($.bare, u.b);
        $.hot.liquid = h.liquid;
        $.ledger.booked = l.booked;
        $.queue = u.q;
        uint256 now_ = VaultLedger.pending(u.q) + VaultLedger.pending(u.b.s);
        emit IStakedAID.QueueRepriced(loss, before > now_ ? before - now_ : 0, u.q.lossIndex);
    }

    /// @dev The queue as stored.
    function _queue(StakedAIDStorage.Layout storage $) private view returns (Queue memory u) {
        (u.q, u.epoch, u.b, u.x) = ($.queue, $.queueEpoch, QueueSide.load($.bare), QueueSide.load($.excess));
    }

    /// @dev Re-bases a part of the queue `steps` times: index × 1000, queue shares ÷ 1000 (rounded up: the total holds
    ///      at least the sum of its requests, each converted when next touched, rounded down).
    function _rebase(StakedAIDStorage.QueueState memory q, uint256 steps) private pure {
        uint256 f = VaultMath.RESCALE ** steps;
        // forge-lint: disable-next-line(unsafe-typecast)
        q.queueShares = uint160(Math.ceilDiv(q.queueShares, f)); // stays > 0
        // forge-lint: disable-next-line(unsafe-typecast)
        q.lossIndex = uint96(q.lossIndex * f); // < 1e27
    }

    /// @dev The state after booking `loss` on gross = idle + booked − unvested: the pool's index (`u.q`) and the bare
    ///      part's (`u.b`, while it holds shares) fall by the lost fraction, and liquid (idle − pending) rises by what
    ///      pending fell, so idle is unchanged (also on an empty queue: 8s-1). An index left below INDEX_FLOOR is
    ///      re-based in memory (index × 1000, queue shares ÷ 1000 rounded up; `u.epoch` / `u.b.epoch` count them;
    ///      each request's own shares are converted when it is next touched, rounded down), so previews ({snapshot})
    ///      and booking agree. The loss joins the undecided total of `d`, and what the pool's pending fell by joins the
    ///      pool's claim (8s-2: the queue's part of a later recovery is fixed here), kept <= what the pool's shares can
    ///      still be raised by (to 1e27: a re-base drops the part of the claim the cap could never pay), the queue's
    ///      claim <= the total. What the bare part fell by is its requests' claim too (10r-1): {_moveBare}. The excess
    ///      part (claim without value, 10b-1) is untouched.
    function _lossAfter(
        StakedAIDStorage.Hot memory h,
        StakedAIDStorage.Ledger memory l,
        Queue memory u,
        StakedAIDStorage.WriteDowns memory d,
        uint256 loss
    ) private view {
        uint256 before = VaultLedger.pending(u.q);
        uint256 bareBefore = VaultLedger.pending(u.b.s);
        // forge-lint: disable-next-line(unsafe-typecast)
        int256 gross = int256(h.liquid) + int256(before + bareBefore) + int256(uint256(l.booked))
            - int256(VaultLedger.unvested(l));
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 g = gross > 0 ? uint256(gross) : 0;
        // also with nothing queued (8s-1): a request made later is recorded below 1e27, so the write-back of this
        // loss can raise it by its part (the index returns to 1e27 only on an empty queue with nothing written off)
        uint256 steps = _scaled(u.q, g, loss);
        if (steps != 0) {
            u.epoch += steps;
            // pool shares per side share: ÷ 1000 a pool re-base
            QueueSide.poolRebased(u.b, steps);
            QueueSide.poolRebased(u.x, steps);
        }
        uint256 owed = VaultLedger.pending(u.q);
        d.total = (uint256(d.total) + loss).toUint128();
        _poolClaimAfter(u, d, before > owed ? before - owed : 0);
        if (u.b.s.queueShares != 0) {
            // forge-lint: disable-next-line(unsafe-typecast)
            u.b.s.lossIndex = uint96(VaultMath.lossIndexAfter(u.b.s.lossIndex, g, loss));
            _moveBare(u, d, bareBefore);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        h.liquid += int112(int256(before + bareBefore) - int256(VaultLedger.pending(u.q) + VaultLedger.pending(u.b.s)));
        // forge-lint: disable-next-line(unsafe-typecast)
        l.booked -= uint96(loss);
    }

    /// @dev The pool's claim (the queue's claim `d.claim` less the excess part's) grows by `more`, kept <= what the
    ///      pool's shares can still be raised by ({_room}); the queue's claim <= the total.
    function _poolClaimAfter(Queue memory u, StakedAIDStorage.WriteDowns memory d, uint256 more) private pure {
        uint256 e = _excessClaim(u.x, d);
        uint256 pc = Math.min(uint256(d.claim) - e + more, _room(u.q));
        // forge-lint: disable-next-line(unsafe-typecast)
        d.claim = uint128(Math.min(pc + e, d.total));
    }

    /// @dev 10r-1: the bare part `u.b` after a loss of `loss` on `gross` falls by the same fraction λ; it stays uniform
    ///      (each of its requests lost the same fraction of what it held, so now holds a claim of λ / (1 − λ) per AID),
    ///      below the pool's ratio (whose requests hold their earlier claim too). So the value m = fell / the pool's
    ///      ratio (<= what is left of the bare part) moves into the pool carrying `fell` (the bare part's drop) of
    ///      claim: the pool stays uniform, the bare part holds none. Every bare share gains the same pool shares
    ///      (its accumulator, settled into a request's pool shares when it is next touched); the bare index
    ///      × (left − m) / left. An empty pool is priced for the moved value at its own price ({_moved}). When the whole bare part moves (or is worth 0) its epoch ends with a restart: its words
    ///      read 0 bare shares after it. A bare index left below INDEX_FLOOR is re-based, which ends the bare epoch
    ///      too (11r-1, {QueueSide-rescale}): the accumulator is never scaled up and no move is forced.
    function _moveBare(Queue memory u, StakedAIDStorage.WriteDowns memory d, uint256 bareBefore) private pure {
        QueueSide.Part memory b = u.b;
        uint256 left = VaultLedger.pending(b.s);
        uint256 fell = bareBefore > left ? bareBefore - left : 0;
        uint256 m = _moved(u, d, left, fell);
        uint256 ms = m == 0 ? 0 : Math.mulDiv(m, VaultMath.RAY, u.q.lossIndex); // pool shares for it, rounded down
        uint256 gain = QueueSide.gainOf(b, ms);
        uint256 index = m == 0 ? b.s.lossIndex : Math.mulDiv(b.s.lossIndex, left - m, left);
        if (m != left && index == 0) {
            // worth nothing: the whole part moves
            m = left;
            ms = Math.mulDiv(m, VaultMath.RAY, u.q.lossIndex);
            gain = QueueSide.gainOf(b, ms);
        }
        if (m == left) QueueSide.endWhole(b, gain, u.epoch);
        else QueueSide.rescale(b, index, gain, u.epoch);
        if (ms != 0) {
            u.q.queueShares = (uint256(u.q.queueShares) + ms).toUint160();
            _poolClaimAfter(u, d, fell);
        }
    }

    /// @dev {_moveBare}'s value `m` to move of the bare part worth `left` after falling by `fell` (`m` = `left`: the
    ///      whole part moves); an empty pool is priced for it at its own price left / (left + fell) = 1 − λ (λ: the
    ///      fraction this loss took; 13r: whatever the pool's index was), at least INDEX_FLOOR, not PRICE_FLOOR: the
    ///      claim the price cannot hold has no excess part to wait in here and would lapse; the bare requests waited
    ///      through λ, so the pool re-bases only once what they waited through exceeds 99.9% (11x-1).
    function _moved(Queue memory u, StakedAIDStorage.WriteDowns memory d, uint256 left, uint256 fell)
        private
        pure
        returns (uint256 m)
    {
        if (fell == 0 || left == 0) return 0;
        if (u.q.queueShares == 0) {
            // forge-lint: disable-next-line(unsafe-typecast)
            u.q.lossIndex = uint96(Math.max(Math.mulDiv(left, VaultMath.RAY, left + fell), VaultMath.INDEX_FLOOR));
            return left;
        }
        uint256 value = uint256(u.q.queueShares) * u.q.lossIndex; // [wad × ray] unrounded
        uint256 c = Math.min(
            (uint256(d.claim) - _excessClaim(u.x, d)) * VaultMath.RAY,
            uint256(u.q.queueShares) * (VaultMath.RAY - u.q.lossIndex)
        );
        m = c == 0 ? left : Math.min(left, Math.mulDiv(fell, value, c));
        // the ratios equal up to rounding (a pool whose claim lapsed, holding only what this loss lowered): the
        // whole part moves (what rounding would leave is no part worth keeping)
        if (left - m <= left / WHOLE) m = left;
    }

    /// @dev The pool `q` after a loss of `loss` on `gross`: its index scaled by (gross − loss) / gross and re-based
    ///      to >= INDEX_FLOOR (in memory); returns the re-bases made.
    function _scaled(StakedAIDStorage.QueueState memory q, uint256 gross, uint256 loss)
        private
        pure
        returns (uint256 steps)
    {
        // forge-lint: disable-next-line(unsafe-typecast)
        q.lossIndex = uint96(VaultMath.lossIndexAfter(q.lossIndex, gross, loss));
        steps = _steps(q.lossIndex);
        if (steps != 0) _rebase(q, steps);
    }

    /// @dev The re-bases that bring `index` (> 0) back to >= INDEX_FLOOR.
    function _steps(uint256 index) private pure returns (uint256 steps) {
        while (index * VaultMath.RESCALE ** steps < VaultMath.INDEX_FLOOR) ++steps;
    }

    /// @dev What the pool `q`'s record can still be raised by: its shares' value at 1e27 − its value now [wad].
    function _room(StakedAIDStorage.QueueState memory q) private pure returns (uint256) {
        uint256 owed = VaultLedger.pending(q);
        return q.queueShares > owed ? q.queueShares - owed : 0;
    }

    /// @dev The state as if every reported loss and recovery were booked now, in {syncLosses}' order, and `off`, what
    ///      would stay written off; `tolerant`: a position whose `valueOf` reverts or answers under 32 bytes makes `ok`
    ///      false instead of reverting (for the ERC-4626 `max*` views, which must not revert).
    function _afterReported(StakedAIDStorage.Layout storage $, bool tolerant)
        private
        view
        returns (StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l, Queue memory u, uint256 off, bool ok)
    {
        (h, l, u) = ($.hot, $.ledger, _queue($));
        StakedAIDStorage.WriteDowns memory d = $.writeDowns;
        uint256 loss;
        (loss, ok) = _reported($, h, l, u, d, tolerant);
        if (!ok) return (h, l, u, 0, false);
        if (loss != 0) _lossAfter(h, l, u, d, loss);
        off = _stakersPart(h.supply, d);
    }

    /// @dev {_afterReported}'s pass over the positions: writes back (in memory) what each written-down one reports
    ///      above its carrying value and sums what the others report below theirs (`loss`); `ok` false when a value
    ///      cannot be read (`tolerant`).
    function _reported(
        StakedAIDStorage.Layout storage $,
        StakedAIDStorage.Hot memory h,
        StakedAIDStorage.Ledger memory l,
        Queue memory u,
        StakedAIDStorage.WriteDowns memory d,
        bool tolerant
    ) private view returns (uint256 loss, bool ok) {
        uint256 n = $.positionList.length;
        for (uint256 i; i < n; ++i) {
            address position = $.positionList[i];
            StakedAIDStorage.Position memory p = $.positionOf[position];
            if (p.booked == 0 && p.writtenOff == 0) continue;
            (uint256 value, bool read) = _valueOf(position, tolerant);
            if (!read) return (0, false);
            if (value < p.booked) {
                loss += p.booked - value;
            } else if (p.writtenOff != 0 && value > p.booked) {
                uint256 taken = _recoverAfter(h, u, d, Math.min(value - p.booked, p.writtenOff));
                // forge-lint: disable-next-line(unsafe-typecast)
                l.booked += uint96(taken);
                _undecided(d, taken);
            }
        }
        return (loss, true);
    }

    /// @dev What `position` reports for the vault. `tolerant`: a `valueOf` that reverts or answers under 32 bytes
    ///      gives `ok` false instead of reverting (the ERC-4626 `max*` views must not revert); otherwise it reverts.
    function _valueOf(address position, bool tolerant) private view returns (uint256 value, bool ok) {
        if (!tolerant) return (IDealPosition(position).valueOf(address(this)), true);
        (bool success, bytes memory ret) = position.staticcall(abi.encodeCall(IDealPosition.valueOf, (address(this))));
        if (!success || ret.length < 32) return (0, false);
        return (abi.decode(ret, (uint256)), true);
    }

    function _listed(StakedAIDStorage.Layout storage $, address position)
        private
        view
        returns (StakedAIDStorage.Position memory p)
    {
        p = $.positionOf[position];
        if (p.slot == 0) revert IStakedAID.UnknownPosition(position);
    }
}
