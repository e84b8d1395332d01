// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RewardMath} from "./RewardMath.sol";
import {RewardStreamLib} from "./RewardStreamLib.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title RewardLedger
/// @notice The staking vault's reward accounting per operator: its own linear stream, its weight's part of the
///         pro-rata stream, its commission schedule and its stakers' reward-per-share index.
/// @dev An operator is synced (`sync`) before any change of its weight, active shares, stream or commission, so
///      between two syncs its weight and shares are constant and what it earned is exact: the pro-rata index
///      difference times its weight plus its own stream's emission. A commission change takes effect at a grid time
///      at which the pro-rata index is recorded (RewardStreamLib boundaries), so earnings before it pay the old rate
///      and earnings after it the new one, however late the next sync comes.
library RewardLedger {
    using RewardStreamLib for RewardStreamLib.Stream;
    using RewardStreamLib for RewardStreamLib.Global;

    /// @notice Reward state of one operator.
    struct Account {
        uint16 commissionBps; // [bps] in force until `commissionEffectiveAt`
        uint16 pendingCommissionBps; // [bps] in force from `commissionEffectiveAt`
        uint48 commissionEffectiveAt; // [s] 0: nothing scheduled (a due change is folded in at the next sync)
        uint256 rewardPerShare; // AID per active share × 1e36
        uint256 globalIndexSnapshot; // pro-rata index at the last sync (`stream.last`)
        uint256 commissionAccrued; // [wad] AID
        RewardStreamLib.Stream stream; // the operator's own stream; `last` is its last sync
    }

    /// @notice All reward state of the vault.
    struct Ledger {
        RewardStreamLib.Global global;
        mapping(address operator => Account) accounts;
    }

    /// @notice Brings what `operator` (with `weight` and `shares` constant since its last sync) earned into its
    ///         per-share index and commission, and folds in a commission change that is due.
    function sync(Ledger storage l, address operator, uint256 totalWeight, uint256 weight, uint256 shares) internal {
        l.global.update(totalWeight);
        Account storage a = l.accounts[operator];
        (uint256 perShare, uint256 commission, bool due) = accrual(l, operator, totalWeight, weight, shares);
        a.rewardPerShare += perShare;
        a.commissionAccrued += commission;
        a.globalIndexSnapshot = l.global.index;
        a.stream.last = uint48(block.timestamp);
        if (due) {
            a.commissionBps = a.pendingCommissionBps;
            a.commissionEffectiveAt = 0;
        }
    }

    /// @notice Schedules commission `bps` for a synced `operator` from `at` on: the first grid time
    ///         (`origin` + k × `grid`) at least `delay` from now. The pro-rata index is recorded at `at`, so grid
    ///         times bound how many records an update can meet (one per `grid`).
    function scheduleCommission(
        Ledger storage l,
        address operator,
        uint16 bps,
        uint256 origin,
        uint256 delay,
        uint256 grid
    ) internal returns (uint256 at) {
        at = origin + Math.ceilDiv(block.timestamp + delay - origin, grid) * grid;
        Account storage a = l.accounts[operator];
        a.pendingCommissionBps = bps;
        // forge-lint: disable-next-line(unsafe-typecast)
        a.commissionEffectiveAt = uint48(at);
        l.global.addBoundary(at);
    }

    /// @notice Restarts the pro-rata stream (over `totalWeight` > 0) with `amount`, what it had not streamed yet and
    ///         what it streamed while no operator had weight, over `duration` from now.
    function notifyGlobal(Ledger storage l, uint256 amount, uint256 totalWeight, uint256 duration) internal {
        RewardStreamLib.Global storage g = l.global;
        g.update(totalWeight);
        uint256 carry = g.carry;
        g.carry = 0;
        g.stream.notify(amount + carry, duration);
    }

    /// @notice What `operator` earned since its last sync: per-share increment and commission; `due`: a scheduled
    ///         commission change is in force now. Earnings before the change's time pay the old rate.
    function accrual(Ledger storage l, address operator, uint256 totalWeight, uint256 weight, uint256 shares)
        internal
        view
        returns (uint256 perShare, uint256 commission, bool due)
    {
        Account storage a = l.accounts[operator];
        uint256 at = a.commissionEffectiveAt;
        due = at != 0 && at <= block.timestamp;
        uint256 from = a.stream.last;
        uint256 snapshot = a.globalIndexSnapshot;
        if (due) {
            // a change is folded in at every sync at or after its time, so `at` is after the last sync
            uint256 mid = l.global.indexAt(at, totalWeight);
            (commission, perShare) =
                RewardMath.split(_earned(a, weight, snapshot, mid, from, at), a.commissionBps, shares);
            (from, snapshot) = (at, mid);
        }
        uint256 index = l.global.indexAt(block.timestamp, totalWeight);
        uint256 earned = _earned(a, weight, snapshot, index, from, block.timestamp);
        (uint256 c, uint256 p) = RewardMath.split(earned, due ? a.pendingCommissionBps : a.commissionBps, shares);
        (commission, perShare) = (commission + c, perShare + p);
    }

    /// @dev What `a` (with `weight`) earned over [from, to): the pro-rata index moved `fromIndex` -> `toIndex`.
    function _earned(Account storage a, uint256 weight, uint256 fromIndex, uint256 toIndex, uint256 from, uint256 to)
        private
        view
        returns (uint256)
    {
        return RewardMath.accrued(weight, fromIndex, toIndex) + a.stream.emitted(from, to);
    }

    /// @notice `a`'s commission in force now [bps].
    function commissionOf(Account storage a) internal view returns (uint256) {
        uint256 at = a.commissionEffectiveAt;
        return at != 0 && block.timestamp >= at ? a.pendingCommissionBps : a.commissionBps;
    }
}
