// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @notice Local stand-in for a tokenized T-bill fund: an ERC-4626 whose assets grow at `apyBps` a year (simple
///         interest on the balance, accrued on every interaction by minting the mock asset to itself).
contract MockTBillVault is ERC4626 {
    uint256 public apyBps; // [bps / year]
    uint256 public lastAccrual; // [unix s]

    constructor(MockERC20 asset_, uint256 apyBps_)
        ERC4626(IERC20(address(asset_)))
        ERC20("Mock T-Bill Fund", "mTBILL")
    {
        apyBps = apyBps_;
        lastAccrual = block.timestamp;
    }

    function setApy(uint256 apyBps_) external {
        accrue();
        apyBps = apyBps_;
    }

    /// @notice Realises the interest accrued since the last call.
    function accrue() public {
        uint256 pending = _pending();
        lastAccrual = block.timestamp;
        if (pending != 0) MockERC20(asset()).mint(address(this), pending);
    }

    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) + _pending();
    }

    function _pending() private view returns (uint256) {
        uint256 balance = IERC20(asset()).balanceOf(address(this));
        return (balance * apyBps * (block.timestamp - lastAccrual)) / (10_000 * 365 days);
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        accrue();
        super._deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner, uint256 assets, uint256 shares)
        internal
        override
    {
        accrue();
        super._withdraw(caller, receiver, owner, assets, shares);
    }
}
