// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice A T-bill fund stand-in that charges a subscription fee: `feeBps` of every deposit is paid out to the fund
///         manager, so the depositor's shares are worth less than what it paid in. No interest.
contract EntryFeeTBillVault is ERC4626 {
    uint256 public immutable feeBps;
    address public immutable feeRecipient;

    constructor(IERC20 asset_, uint256 feeBps_, address feeRecipient_)
        ERC4626(asset_)
        ERC20("Fee-charging T-Bill Fund", "fTBILL")
    {
        feeBps = feeBps_;
        feeRecipient = feeRecipient_;
    }

    function previewDeposit(uint256 assets) public view override returns (uint256) {
        return super.previewDeposit(assets - _fee(assets));
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        super._deposit(caller, receiver, assets, shares);
        SafeERC20.safeTransfer(IERC20(asset()), feeRecipient, _fee(assets));
    }

    function _fee(uint256 assets) private view returns (uint256) {
        return (assets * feeBps) / 10_000;
    }
}
