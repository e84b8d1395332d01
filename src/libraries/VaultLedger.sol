// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {VaultMath} from "./VaultMath.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title VaultLedger
/// @notice sAID's accounting identities over its packed storage, shared by the vault and its logic libraries.
/// @dev idle = liquid + pending; NAV = liquid + booked − unvested; free = liquid − unvested (what direct withdrawals
///      and allocations may use); gross = idle + booked − unvested = NAV + pending (what stakers and the queue share
///      when a loss is booked); entry = liquid + booked = NAV + unvested, plus the stakers' part of what stays written
///      off on listed positions (what entries are priced on: as if every undecided write-down recovered, less the
///      unstake queue's recorded claim on it).
library VaultLedger {
    using SafeCast for uint256;

    /// @notice NAV of the shares (never negative).
    function nav(StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l) internal view returns (uint256) {
        int256 v = int256(h.liquid) + int256(uint256(l.booked)) - int256(unvested(l));
        // forge-lint: disable-next-line(unsafe-typecast)
        return v > 0 ? uint256(v) : 0;
    }

    /// @notice What new shares are priced on: NAV + unvested = liquid + booked (never negative). An entrant pays for its
    ///         share of the reward still vesting and receives it as it vests, so nobody captures a stream by entering.
    function entry(StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l) internal pure returns (uint256) {
        int256 v = int256(h.liquid) + int256(uint256(l.booked));
        // forge-lint: disable-next-line(unsafe-typecast)
        return v > 0 ? uint256(v) : 0;
    }

    /// @notice Whether entries are refused: an entry `value` (with the undecided write-downs `off`) below 1e-9 AID a
    ///         share ({VaultMath.WIPED}), or a supply of 0 while a write-down is undecided (its recovery belongs to the
    ///         queued loss-bearers, or to nobody: never to a new share).
    function wiped(uint256 value, uint256 supply, uint256 off) internal pure returns (bool) {
        return value * VaultMath.WIPED < supply || (supply == 0 && off != 0);
    }

    /// @notice Idle AID that is neither unvested reward nor owed to the queue.
    function free(StakedAIDStorage.Hot memory h, StakedAIDStorage.Ledger memory l) internal view returns (uint256) {
        int256 v = int256(h.liquid) - int256(unvested(l));
        // forge-lint: disable-next-line(unsafe-typecast)
        return v > 0 ? uint256(v) : 0;
    }

    /// @notice Tracked idle AID, given the pending total.
    function idle(StakedAIDStorage.Hot memory h, uint256 owed) internal pure returns (uint256) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint256(int256(h.liquid) + int256(owed));
    }

    /// @notice AID owed to a part of the queue (the pool or the bare part).
    function pending(StakedAIDStorage.QueueState memory q) internal pure returns (uint256) {
        return VaultMath.toQueueAssets(q.queueShares, q.lossIndex);
    }

    /// @notice AID owed to the whole queue: its pool and its bare part.
    function owed(StakedAIDStorage.Layout storage $) internal view returns (uint256) {
        return pending($.queue) + pending($.bare.state);
    }

    /// @notice Reward unvested now.
    function unvested(StakedAIDStorage.Ledger memory l) internal view returns (uint256) {
        return VaultMath.unvestedAt(l.unvested, l.start, l.end, block.timestamp);
    }

    /// @notice Adds `amount` (already received) to the stream: what is unvested now plus `amount` vests linearly from
    ///         now over max(vestingPeriod, the time the APR cap needs), see {VaultMath.streamDuration}. NAV is unchanged
    ///         by the call (no jump); a running stream is extended, never reverted.
    function stream(StakedAIDStorage.Layout storage $, address from, uint256 amount) internal {
        StakedAIDStorage.Hot memory h = $.hot;
        StakedAIDStorage.Ledger memory l = $.ledger;
        StakedAIDStorage.Config memory c = $.config;
        uint256 left = unvested(l) + amount;
        uint256 end = block.timestamp + VaultMath.streamDuration(left, nav(h, l), c.vestingPeriod, c.maxAprBps);
        $.ledger = StakedAIDStorage.Ledger(l.booked, left.toUint96(), uint32(block.timestamp), end.toUint32());
        $.hot.liquid = h.liquid + SafeCast.toInt112(SafeCast.toInt256(amount));
        emit IStakedAID.RewardsReceived(from, amount, left, end);
    }
}
