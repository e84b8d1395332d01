// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../interfaces/IAIDReserve.sol";
import {IRewardsReceiver} from "../interfaces/IRewardsReceiver.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title AIDReserve
/// @notice See {IAIDReserve}.
contract AIDReserve is IAIDReserve, AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Moves funds between the liquid buffer and the T-bill fund, within the buffer target.
    bytes32 public constant RESERVE_MANAGER_ROLE = keccak256("RESERVE_MANAGER_ROLE");
    /// @notice May harvest surplus.
    bytes32 public constant HARVESTER_ROLE = keccak256("HARVESTER_ROLE");

    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    uint256 public constant MIN_BUFFER_BPS = 500; // [bps] the buffer target can never be set below 5%
    uint256 public constant MAX_SAFETY_MARGIN_BPS = 500; // [bps]
    uint256 public constant MAX_HARVEST_FEE_BPS = 2000; // [bps]
    uint256 private constant BPS = 10_000;

    /// @inheritdoc IAIDReserve
    address public minter;
    /// @inheritdoc IAIDReserve
    address public tbillVault;
    address public yieldReceiver;
    address public feeReceiver;
    uint256 public harvestFeeBps; // [bps] of the surplus; default 0
    uint256 public bufferTargetBps = 1000; // [bps] of liabilities; default 10%
    uint256 public safetyMarginBps = 50; // [bps] kept above liabilities; default 0.5%

    constructor(address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {}

    // ---------------------------------------------------------------- actions

    /// @inheritdoc IAIDReserve
    function release(address asset, address to, uint256 amount) external {
        if (msg.sender != minter) revert OnlyMinter();
        IERC20(asset).safeTransfer(to, amount);
        emit Released(asset, to, amount);
    }

    /// @inheritdoc IAIDReserve
    function invest(uint256 assets) external onlyRole(RESERVE_MANAGER_ROLE) nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        IERC4626 vault = IERC4626(tbillVault);
        if (address(vault) == address(0)) revert TBillNotSet();
        IAIDMinter m = _minter();
        address asset = vault.asset();

        uint256 balance = IERC20(asset).balanceOf(address(this));
        uint256 free = balance - _min(balance, m.earmarked(asset));
        if (assets > free) revert EarmarkedFundsLocked(free, assets);
        uint256 liquidAfter = liquidValue() - assets * _scale(m, asset);
        uint256 target = (m.liabilities() * bufferTargetBps) / BPS;
        if (liquidAfter < target) revert BufferBelowTarget(liquidAfter, target);

        IERC20(asset).forceApprove(address(vault), assets);
        shares = vault.deposit(assets, address(this));
        if (shares == 0) revert ZeroAmount();
        // Fund fees and rounding (against the depositor) may eat surplus, never the backing itself.
        uint256 value = totalValue();
        uint256 liabilities = m.liabilities();
        if (value < liabilities) revert ReserveBelowLiabilities(value, liabilities);
        emit Invested(assets, shares);
    }

    /// @inheritdoc IAIDReserve
    function divest(uint256 shares) external onlyRole(RESERVE_MANAGER_ROLE) nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        IERC4626 vault = IERC4626(tbillVault);
        if (address(vault) == address(0)) revert TBillNotSet();
        assets = vault.redeem(shares, address(this), address(this));
        emit Divested(shares, assets);
    }

    /// @inheritdoc IAIDReserve
    function harvest() external onlyRole(HARVESTER_ROLE) nonReentrant returns (uint256 amount) {
        address receiver = yieldReceiver;
        if (receiver == address(0)) revert ZeroAddress();
        amount = surplus();
        if (amount == 0) revert NoSurplus();
        IAIDMinter m = _minter();
        uint256 fee = (amount * harvestFeeBps) / BPS;
        if (fee != 0) m.mintYield(feeReceiver, fee);
        // The yield enters sAID through its single reward entry point, which pulls it from here.
        uint256 toReceiver = amount - fee;
        m.mintYield(address(this), toReceiver);
        IERC20(IRewardsReceiver(receiver).asset()).forceApprove(receiver, toReceiver);
        IRewardsReceiver(receiver).transferInRewards(toReceiver);
        emit Harvested(amount, toReceiver, fee);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc IAIDReserve
    function setMinter(address minter_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (minter_ == address(0)) revert ZeroAddress();
        if (minter != address(0)) revert MinterAlreadySet();
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @inheritdoc IAIDReserve
    function setTBillVault(address vault) external onlyRole(DEFAULT_ADMIN_ROLE) {
        address old = tbillVault;
        if (old != address(0)) {
            uint256 shares = IERC20(old).balanceOf(address(this));
            if (shares != 0) revert TBillPositionOpen(shares);
        }
        if (vault != address(0)) {
            address asset = IERC4626(vault).asset();
            if (_minter().assetConfig(asset).feed == address(0)) revert UnsupportedTBillAsset(asset);
        }
        tbillVault = vault;
        emit TBillVaultSet(vault);
    }

    /// @inheritdoc IAIDReserve
    function setYieldReceiver(address receiver) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (receiver == address(0)) revert ZeroAddress();
        yieldReceiver = receiver;
        emit YieldReceiverSet(receiver);
    }

    /// @inheritdoc IAIDReserve
    function setHarvestFee(uint256 feeBps, address receiver) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeBps > MAX_HARVEST_FEE_BPS) revert InvalidHarvestFee(feeBps);
        if (feeBps != 0 && receiver == address(0)) revert ZeroAddress();
        harvestFeeBps = feeBps;
        feeReceiver = receiver;
        emit HarvestFeeSet(feeBps, receiver);
    }

    /// @inheritdoc IAIDReserve
    function setBufferTarget(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps < MIN_BUFFER_BPS || bps > BPS) revert InvalidBufferTarget(bps);
        bufferTargetBps = bps;
        emit BufferTargetSet(bps);
    }

    /// @inheritdoc IAIDReserve
    function setSafetyMargin(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bps > MAX_SAFETY_MARGIN_BPS) revert InvalidSafetyMargin(bps);
        safetyMarginBps = bps;
        emit SafetyMarginSet(bps);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAIDReserve
    function liquidValue() public view returns (uint256 value) {
        IAIDMinter m = _minter();
        address[] memory list = m.assets();
        for (uint256 i; i < list.length; ++i) {
            value += IERC20(list[i]).balanceOf(address(this)) * _scale(m, list[i]);
        }
    }

    /// @inheritdoc IAIDReserve
    function tbillValue() public view returns (uint256) {
        IERC4626 vault = IERC4626(tbillVault);
        if (address(vault) == address(0)) return 0;
        uint256 shares = vault.balanceOf(address(this));
        if (shares == 0) return 0;
        return vault.previewRedeem(shares) * _scale(_minter(), vault.asset());
    }

    /// @inheritdoc IAIDReserve
    function totalValue() public view returns (uint256) {
        return liquidValue() + tbillValue();
    }

    /// @inheritdoc IAIDReserve
    function surplus() public view returns (uint256) {
        uint256 covered = _ceilDiv(_minter().liabilities() * (BPS + safetyMarginBps), BPS);
        uint256 value = totalValue();
        return value > covered ? value - covered : 0;
    }

    // ---------------------------------------------------------------- internals

    function _minter() private view returns (IAIDMinter m) {
        m = IAIDMinter(minter);
        if (address(m) == address(0)) revert MinterNotSet();
    }

    function _scale(IAIDMinter m, address asset) private view returns (uint256) {
        return 10 ** (18 - m.assetConfig(asset).decimals);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _ceilDiv(uint256 a, uint256 b) private pure returns (uint256) {
        return (a + b - 1) / b;
    }
}
