// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../interfaces/IDealPosition.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title TranchePosition
/// @notice sAID's position in one tranche of one deal (`IDealPosition` adapter): sAID's ALLOCATOR `allocate`s idle
///         AID into the tranche during the funding window, `deallocate` pulls repayments, interest and recoveries (or
///         the refund of a cancelled deal) back. `valueOf(vault)` is the governed valuation sAID books: its share of
///         `trancheValue(tranche)` (principal outstanding + accrued interest − marks) + what the deal has paid it and
///         it has not yet passed on; once the deal is swept, only that AID it holds itself (what it can still pay),
///         so sAID writes the rest off and can remove the position. The protocol fee is taken in the deal's waterfall
///         fee step, the performance fee out of the interest paid to the tranche.
///         Accounting choice (kept, proven by test_deallocate_costFirstKeepsNavThenRealisesAllInterest): sAID's
///         `deallocate` books what this position pays back against its cost first, interest included, and streams
///         only the excess over cost as a reward. Collecting therefore never moves NAV (idle up, cost down by the
///         same amount); interest reaches NAV once the tranche's cost is recovered, and in total NAV gains exactly
///         what was received above the principal, so holders lose nothing. It is conservative: no interest is
///         recognised while principal is still at risk, and a later default is absorbed by a smaller booked cost.
///         A JUNIOR position is first-loss: its marks reach sAID's NAV first (valued through the same views).
contract TranchePosition is IDealPosition {
    using SafeERC20 for IERC20;

    /// @notice Thrown when anyone but the vault deposits or withdraws.
    error OnlyVault(address caller);

    /// @notice Thrown when a constructor address is zero.
    error ZeroAddress();

    IGpuDeal public immutable deal;
    IGpuDeal.Tranche public immutable tranche;
    address public immutable vault; // sAID
    IERC20 internal immutable _aid;
    IERC20 public immutable token; // the deal's tranche token
    uint256 public idle; // [wad] AID received from the deal, not yet sent to the vault

    constructor(IGpuDeal deal_, IGpuDeal.Tranche tranche_, address aid_, address vault_) {
        if (address(deal_) == address(0) || aid_ == address(0) || vault_ == address(0)) revert ZeroAddress();
        deal = deal_;
        tranche = tranche_;
        vault = vault_;
        _aid = IERC20(aid_);
        token = IERC20(deal_.trancheToken(tranche_));
    }

    /// @inheritdoc IDealPosition
    function asset() external view returns (address) {
        return address(_aid);
    }

    /// @inheritdoc IDealPosition
    function valueOf(address holder) external view returns (uint256 value) {
        if (holder != vault) return 0;
        value = idle;
        if (deal.swept()) return value; // the deal's leftovers went to the treasury: only `idle` can still be paid
        IGpuDeal.State s = deal.state();
        if (s == IGpuDeal.State.FUNDING || s == IGpuDeal.State.CANCELLED) {
            return value + token.balanceOf(address(this));
        }
        uint256 supply = token.totalSupply();
        if (supply != 0) {
            value += deal.trancheValue(tranche) * token.balanceOf(address(this)) / supply;
        }
        value += deal.claimable(tranche, address(this));
    }

    /// @inheritdoc IDealPosition
    function deposit(uint256 assets) external {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        _aid.safeTransferFrom(msg.sender, address(this), assets);
        _aid.forceApprove(address(deal), assets);
        deal.deposit(tranche, assets);
    }

    /// @inheritdoc IDealPosition
    function withdraw(uint256 assets) external returns (uint256 received) {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        IGpuDeal.State s = deal.state();
        if (deal.swept()) {
            // nothing left to collect: pass on `idle` only (sAID then books the rest as a loss)
        } else if (s == IGpuDeal.State.FUNDING || s == IGpuDeal.State.CANCELLED) {
            if (token.balanceOf(address(this)) != 0) {
                idle += deal.refund(tranche); // reverts while the window is open
            }
        } else if (deal.claimable(tranche, address(this)) != 0) {
            idle += deal.claim(tranche, address(this));
        }
        received = assets < idle ? assets : idle;
        idle -= received;
        _aid.safeTransfer(vault, received);
    }
}
