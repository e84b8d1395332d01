// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../interfaces/IDealPosition.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title SeniorPosition
/// @notice sAID's position in one deal's SENIOR tranche (`IDealPosition` adapter): sAID's ALLOCATOR `allocate`s idle
///         AID into the tranche during the funding window, `deallocate` pulls repayments, interest and recoveries (or
///         the refund of a cancelled deal) back. `valueOf(vault)` is the governed valuation sAID books: its share of
///         `trancheValue(SENIOR)` (principal outstanding + accrued interest − marks) + what the deal has paid it and
///         it has not yet passed on. Performance and protocol fees are taken in the deal's waterfall fee step.
contract SeniorPosition is IDealPosition {
    using SafeERC20 for IERC20;

    /// @notice Thrown when anyone but the vault deposits or withdraws.
    error OnlyVault(address caller);

    /// @notice Thrown when a constructor address is zero.
    error ZeroAddress();

    IGpuDeal public immutable deal;
    address public immutable vault; // sAID
    IERC20 internal immutable _aid;
    IERC20 public immutable token; // the deal's senior tranche token
    uint256 public idle; // [wad] AID received from the deal, not yet sent to the vault

    constructor(IGpuDeal deal_, address aid_, address vault_) {
        if (address(deal_) == address(0) || aid_ == address(0) || vault_ == address(0)) revert ZeroAddress();
        deal = deal_;
        vault = vault_;
        _aid = IERC20(aid_);
        token = IERC20(deal_.trancheToken(IGpuDeal.Tranche.SENIOR));
    }

    /// @inheritdoc IDealPosition
    function asset() external view returns (address) {
        return address(_aid);
    }

    /// @inheritdoc IDealPosition
    function valueOf(address holder) external view returns (uint256 value) {
        if (holder != vault) return 0;
        value = idle;
        IGpuDeal.State s = deal.state();
        if (s == IGpuDeal.State.FUNDING || s == IGpuDeal.State.CANCELLED) {
            return value + token.balanceOf(address(this));
        }
        uint256 supply = token.totalSupply();
        if (supply != 0) {
            value += deal.trancheValue(IGpuDeal.Tranche.SENIOR) * token.balanceOf(address(this)) / supply;
        }
        value += deal.claimable(IGpuDeal.Tranche.SENIOR, address(this));
    }

    /// @inheritdoc IDealPosition
    function deposit(uint256 assets) external {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        _aid.safeTransferFrom(msg.sender, address(this), assets);
        _aid.forceApprove(address(deal), assets);
        deal.deposit(IGpuDeal.Tranche.SENIOR, assets);
    }

    /// @inheritdoc IDealPosition
    function withdraw(uint256 assets) external returns (uint256 received) {
        if (msg.sender != vault) revert OnlyVault(msg.sender);
        IGpuDeal.State s = deal.state();
        if (s == IGpuDeal.State.FUNDING || s == IGpuDeal.State.CANCELLED) {
            if (token.balanceOf(address(this)) != 0) {
                idle += deal.refund(IGpuDeal.Tranche.SENIOR); // reverts while the window is open
            }
        } else if (deal.claimable(IGpuDeal.Tranche.SENIOR, address(this)) != 0) {
            idle += deal.claim(IGpuDeal.Tranche.SENIOR, address(this));
        }
        received = assets < idle ? assets : idle;
        idle -= received;
        _aid.safeTransfer(vault, received);
    }
}
