// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {AccountWord} from "./AccountWord.sol";
import {VaultLedger} from "./VaultLedger.sol";
import {VaultMath} from "./VaultMath.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title QueueLogic
/// @notice sAID's unstake-queue payouts and the admin's recovery of restricted holdings (an external library: runs in
///         the vault's context by DELEGATECALL).
/// @dev FIFO: requests are paid strictly in id order; processing stops at the first request that is not mature or
///      cannot be paid in full (it is paid in part and keeps its place). A payout to an owner that cannot receive
///      (FULL-restricted on sAID or deny-listed on AID) is held for it, so such an owner never blocks the queue.
library QueueLogic {
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    uint256 private constant FULL = uint256(IStakedAID.Restriction.FULL);

    struct Cursor {
        uint256 head;
        uint256 tail;
        uint256 delay;
        uint256 index;
        uint256 queueShares;
        uint256 available;
        uint256 paid;
    }

    /// @notice See {IStakedAID-processUnstakeQueue}. Reported losses must be booked before.
    function processUnstakeQueue(StakedAIDStorage.Layout storage $, uint256 maxIterations, IERC20 aid)
        external
        returns (uint256 paid)
    {
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.QueueState memory q = $.queue;
        StakedAIDStorage.Config memory c = $.config;
        uint256 idle = VaultLedger.idle(h, VaultLedger.pending(q));
        uint256 unvested = VaultLedger.unvested($.ledger);
        Cursor memory k = Cursor(c.head, c.tail, h.unstakeDelay, q.lossIndex, q.queueShares, 0, 0);
        k.available = idle > unvested ? idle - unvested : 0;
        for (uint256 i; i < maxIterations && k.head < k.tail; ++i) {
            if (!_payNext($, k, aid)) break;
        }
        paid = k.paid;
        $.config.head = uint64(k.head);
        $.queue.queueShares = uint160(k.queueShares);
        // idle falls by `paid`; liquid = idle − pending absorbs the rounding of the pending total
        uint256 pendingAfter = VaultMath.toQueueAssets(k.queueShares, k.index);
        $.hot.liquid = ((idle - paid).toInt256() - pendingAfter.toInt256()).toInt112();
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
        uint256 q = AccountWord.queueShares(w);
        if (q == 0) return (0, 0);
        return (AccountWord.lastTime(w), VaultMath.toQueueAssets(q, index));
    }

    /// @notice See {IStakedAID-unstakeRequest}; `index` is the loss-aware index.
    function unstakeRequest(StakedAIDStorage.Layout storage $, uint256 id, uint256 index)
        external
        view
        returns (address owner, uint256 requestTime, uint256 claimableAt, uint256 pendingAssets)
    {
        StakedAIDStorage.Request memory r = $.requests[id];
        claimableAt = Math.min(r.claimableAt, uint256(r.time) + $.hot.unstakeDelay);
        return (r.owner, r.time, claimableAt, VaultMath.toQueueAssets(r.queueShares, index));
    }

    /// @dev Pays the request at the head as far as `k.available` goes; false when processing must stop (not mature,
    ///      no liquidity, or paid in part).
    function _payNext(StakedAIDStorage.Layout storage $, Cursor memory k, IERC20 aid) private returns (bool completed) {
        uint256 id = k.head;
        StakedAIDStorage.Request storage r = $.requests[id];
        address owner = r.owner;
        if (block.timestamp < Math.min(r.claimableAt, uint256(r.time) + k.delay)) return false;
        uint256 rq = r.queueShares;
        uint256 pay;
        uint256 burnt;
        {
            uint256 value = VaultMath.toQueueAssets(rq, k.index);
            pay = Math.min(value, k.available);
            if (pay == 0 && value != 0) return false;
            burnt = pay == value ? rq : VaultMath.queueSharesFor(pay, k.index, rq);
        }
        completed = burnt == rq;
        if (completed) {
            delete $.requests[id];
            ++k.head;
        } else {
            r.queueShares = rq - burnt;
        }
        $.accounts[owner] -= burnt << AccountWord.QUEUE_SHIFT; // the owner's aggregate holds at least `burnt`
        k.queueShares -= burnt;
        k.available -= pay;
        k.paid += pay;
        bool hold = _payOut($, owner, pay, aid);
        emit IStakedAID.UnstakePaid(id, owner, pay, completed, hold);
    }

    /// @dev Sends `pay` to `owner`, or holds it when `owner` cannot receive (FULL here, or deny-listed on AID).
    function _payOut(StakedAIDStorage.Layout storage $, address owner, uint256 pay, IERC20 aid)
        private
        returns (bool hold)
    {
        hold = $.accounts[owner] >> 248 == FULL || IAID(address(aid)).isDenied(owner);
        if (hold) {
            $.held[owner] += pay;
            $.totalHeld += pay;
        } else if (pay != 0) {
            aid.safeTransfer(owner, pay);
        }
    }
}
