// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {AccountWord} from "./AccountWord.sol";
import {VaultLedger} from "./VaultLedger.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title AdminLogic
/// @notice sAID's bounded parameters, restrictions, restricted-holder recovery and the reward entry point (an
///         external library: runs in the vault's context by DELEGATECALL). Role checks are done by the vault.
library AdminLogic {
    using SafeERC20 for IERC20;

    uint256 internal constant MAX_UNSTAKE_DELAY = 90 days;
    uint256 internal constant MAX_VESTING_PERIOD = 7 days;
    uint256 internal constant MIN_APR_BPS = 100; // 1%
    uint256 internal constant MAX_APR_BPS = 10_000; // 100%
    uint256 private constant BPS = 10_000;
    uint256 private constant BALANCE_MASK = AccountWord.BALANCE_MASK;
    uint256 private constant FULL = uint256(IStakedAID.Restriction.FULL);

    /// @notice See {IRewardsReceiver-transferInRewards}.
    function transferInRewards(StakedAIDStorage.Layout storage $, uint256 amount, IERC20 aid) external {
        if (amount == 0) revert IStakedAID.ZeroAmount();
        if ($.hot.supply == 0) revert IStakedAID.NoStakers(); // it would vest to no share
        aid.safeTransferFrom(msg.sender, address(this), amount);
        VaultLedger.stream($, msg.sender, amount);
    }

    /// @notice See {IStakedAID-recoverStranded}.
    function recoverStranded(StakedAIDStorage.Layout storage $, address to, IERC20 aid)
        external
        returns (uint256 assets)
    {
        if (to == address(0)) revert IStakedAID.ZeroAddress();
        assets = stranded($);
        if (assets == 0) revert IStakedAID.NotStranded();
        $.hot.liquid = 0;
        $.ledger.unvested = 0; // what was still to vest is part of what leaves
        aid.safeTransfer(to, assets);
        emit IStakedAID.StrandedRecovered(to, assets);
    }

    /// @notice Idle AID owned by no share and no request: all of `liquid` (= idle, as nothing is pending) while the
    ///         supply is 0, no request waits (queue shares 0: a loss shared with waiting requests leaves their AID
    ///         with them) and no position carries value (booked 0: what it returns belongs to the queue or to holders).
    function stranded(StakedAIDStorage.Layout storage $) public view returns (uint256) {
        StakedAIDStorage.Hot memory h = $.hot;
        if (
            h.supply != 0 || h.liquid <= 0 || $.queue.queueShares != 0 || $.bare.state.queueShares != 0
                || $.ledger.booked != 0
        ) return 0;
        return uint256(int256(h.liquid));
    }

    /// @notice See {IStakedAID-setRestriction}.
    function setRestriction(StakedAIDStorage.Layout storage $, address account, IStakedAID.Restriction restriction)
        external
    {
        if (account == address(0) || account == address(this)) revert IStakedAID.CannotRestrict(account);
        $.accounts[account] = AccountWord.withRestriction($.accounts[account], uint256(restriction));
        emit IStakedAID.RestrictionSet(account, restriction);
    }

    /// @notice See {IStakedAID-redistributeLockedAmount}. Requests `from` still has in the queue stay its own: once
    ///         paid they are held for it and can be redistributed again.
    function redistributeLockedAmount(StakedAIDStorage.Layout storage $, address from, address to, IERC20 aid)
        external
    {
        uint256 fromWord = $.accounts[from];
        if (fromWord >> 248 != FULL || to == address(0) || $.accounts[to] >> 248 != 0) {
            revert IStakedAID.InvalidRedistribution(from, to);
        }
        uint256 shares = fromWord & BALANCE_MASK;
        $.accounts[from] = fromWord - shares;
        $.accounts[to] += shares;
        uint256 heldAssets = $.held[from];
        if (heldAssets != 0) {
            $.held[from] = 0;
            $.totalHeld -= heldAssets;
            aid.safeTransfer(to, heldAssets);
        }
        emit IERC20.Transfer(from, to, shares);
        emit IStakedAID.LockedAmountRedistributed(from, to, shares, heldAssets);
    }

    /// @notice See {IStakedAID-setUnstakeDelay}.
    function setUnstakeDelay(StakedAIDStorage.Layout storage $, uint256 delay) external {
        if (delay > MAX_UNSTAKE_DELAY) revert IStakedAID.InvalidUnstakeDelay(delay);
        if (delay < $.hot.unstakeDelay) _cutDelay($, delay);
        // forge-lint: disable-next-line(unsafe-typecast)
        $.hot.unstakeDelay = uint24(delay);
        emit IStakedAID.UnstakeDelaySet(delay);
    }

    /// @notice See {IStakedAID-setVestingPeriod}.
    function setVestingPeriod(StakedAIDStorage.Layout storage $, uint256 period) external {
        if (period == 0 || period > MAX_VESTING_PERIOD) revert IStakedAID.InvalidVestingPeriod(period);
        // forge-lint: disable-next-line(unsafe-typecast)
        $.config.vestingPeriod = uint32(period);
        emit IStakedAID.VestingPeriodSet(period);
    }

    /// @notice See {IStakedAID-setMaxApr}.
    function setMaxApr(StakedAIDStorage.Layout storage $, uint256 bps) external {
        if (bps < MIN_APR_BPS || bps > MAX_APR_BPS) revert IStakedAID.InvalidMaxApr(bps);
        // forge-lint: disable-next-line(unsafe-typecast)
        $.config.maxAprBps = uint16(bps);
        emit IStakedAID.MaxAprSet(bps);
    }

    /// @notice See {IStakedAID-setLiquidityBuffer}.
    function setLiquidityBuffer(StakedAIDStorage.Layout storage $, uint256 bps) external {
        if (bps > BPS) revert IStakedAID.InvalidLiquidityBuffer(bps);
        // forge-lint: disable-next-line(unsafe-typecast)
        $.config.liquidityBufferBps = uint16(bps);
        emit IStakedAID.LiquidityBufferSet(bps);
    }

    /// @dev Records a cut to `delay` for every request waiting now (ids below the tail), see
    ///      {StakedAIDStorage.DelayCuts}: pops the entries it dominates (delay >= `delay`), so delays rise bottom to top.
    function _cutDelay(StakedAIDStorage.Layout storage $, uint256 delay) private {
        StakedAIDStorage.DelayCuts memory c = $.cuts;
        StakedAIDStorage.Config memory q = $.config;
        if (q.head == q.tail) {
            c.bottom = c.top; // nothing waits: every earlier cut is spent
        } else {
            while (c.top > c.bottom && uint24($.delayCut[c.top - 1]) >= delay) --c.top;
            $.delayCut[c.top++] = (uint256(q.tail) << 24) | delay;
        }
        $.cuts = c;
    }
}
