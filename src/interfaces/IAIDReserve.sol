// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAIDReserve
/// @notice Custodian of the stablecoins behind AID: a liquid buffer (the stablecoins themselves) and a T-bill sleeve
///         (shares of one ERC-4626 tokenized T-bill fund). Invariant: total value >= the minter's liabilities (AID
///         outstanding + queued redemptions). Surplus above liabilities × (1 + safety margin) is harvested as AID to
///         the yield receiver (sAID), minus an optional harvest fee.
/// @dev Stablecoins are valued at 1 USD (the minter's depeg guard refuses mints below 0.995); values are [wad].
interface IAIDReserve {
    // ---------------------------------------------------------------- events

    /// @notice Emitted when the minter pays a redemption out of the buffer.
    event Released(address indexed asset, address indexed to, uint256 amount);
    /// @notice Emitted when buffer assets are deposited into the T-bill fund.
    event Invested(uint256 assets, uint256 shares);
    /// @notice Emitted when T-bill shares are redeemed back into the buffer.
    event Divested(uint256 shares, uint256 assets);
    /// @notice Emitted on harvest: `surplus` AID minted, `fee` of it to the fee receiver, the rest to the yield receiver.
    event Harvested(uint256 surplus, uint256 toYieldReceiver, uint256 fee);
    /// @notice Emitted once, when the minter is set.
    event MinterSet(address minter);
    /// @notice Emitted when the T-bill fund changes.
    event TBillVaultSet(address vault);
    /// @notice Emitted when the yield receiver changes.
    event YieldReceiverSet(address receiver);
    /// @notice Emitted when the harvest fee or its receiver changes.
    event HarvestFeeSet(uint256 feeBps, address receiver);
    /// @notice Emitted when the buffer target changes.
    event BufferTargetSet(uint256 bufferTargetBps);
    /// @notice Emitted when the safety margin changes.
    event SafetyMarginSet(uint256 safetyMarginBps);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when `release` is called by anyone but the minter.
    error OnlyMinter();
    /// @notice Thrown when the minter is set a second time.
    error MinterAlreadySet();
    /// @notice Thrown when an action needs the minter and it is not set yet.
    error MinterNotSet();
    /// @notice Thrown when an address argument is zero or a needed address is unset.
    error ZeroAddress();
    /// @notice Thrown when an amount is zero, or a deposit would buy no T-bill share.
    error ZeroAmount();
    /// @notice Thrown when investing would leave the liquid buffer below target.
    error BufferBelowTarget(uint256 liquidAfter, uint256 target);
    /// @notice Thrown when investing would touch funds earmarked for funded redemptions.
    error EarmarkedFundsLocked(uint256 available, uint256 requested);
    /// @notice Thrown when a deposit would leave the reserve's value below liabilities (the fund's fees or rounding).
    error ReserveBelowLiabilities(uint256 value, uint256 liabilities);
    /// @notice Thrown when there is nothing to harvest.
    error NoSurplus();
    /// @notice Thrown when the buffer target is outside [MIN_BUFFER_BPS, 10_000].
    error InvalidBufferTarget(uint256 bps);
    /// @notice Thrown when the safety margin is above MAX_SAFETY_MARGIN_BPS.
    error InvalidSafetyMargin(uint256 bps);
    /// @notice Thrown when the harvest fee is above MAX_HARVEST_FEE_BPS.
    error InvalidHarvestFee(uint256 bps);
    /// @notice Thrown when the T-bill fund's asset is not one of the minter's assets.
    error UnsupportedTBillAsset(address asset);
    /// @notice Thrown when replacing the T-bill fund while still holding shares of the old one.
    error TBillPositionOpen(uint256 shares);
    /// @notice Thrown when investing with no T-bill fund set.
    error TBillNotSet();

    // ---------------------------------------------------------------- actions

    /// @notice Pays `amount` of `asset` to `to` from the buffer. Only the minter.
    function release(address asset, address to, uint256 amount) external;

    /// @notice Deposits `assets` of the T-bill fund's asset into it. Only RESERVE_MANAGER_ROLE.
    /// @dev Reverts if the liquid buffer after it would fall below `bufferTargetBps` of liabilities, if it would use
    ///      funds earmarked for funded redemptions, if it buys no share, or if the fund's fees or rounding would leave
    ///      the reserve's total value below liabilities.
    function invest(uint256 assets) external returns (uint256 shares);

    /// @notice Redeems `shares` of the T-bill fund back into the buffer. Only RESERVE_MANAGER_ROLE.
    function divest(uint256 shares) external returns (uint256 assets);

    /// @notice Mints the surplus as AID: the fee to the fee receiver, the rest to this reserve, which hands it to the
    ///         yield receiver through `IRewardsReceiver.transferInRewards` (the reserve must hold sAID's REWARDER_ROLE).
    ///         Only HARVESTER_ROLE.
    function harvest() external returns (uint256 surplus);

    // ---------------------------------------------------------------- admin

    /// @notice Sets the minter, once. Only admin.
    function setMinter(address minter) external;

    /// @notice Sets the T-bill fund (an ERC-4626 over one of the minter's assets); only with no open position. Only admin.
    function setTBillVault(address vault) external;

    /// @notice Sets who receives harvested yield: sAID, or any {IRewardsReceiver}. Only admin.
    function setYieldReceiver(address receiver) external;

    /// @notice Sets the harvest fee (at most MAX_HARVEST_FEE_BPS) and its receiver. Only admin.
    function setHarvestFee(uint256 feeBps, address receiver) external;

    /// @notice Sets the liquid buffer target, in [MIN_BUFFER_BPS, 10_000] of liabilities. Only admin.
    function setBufferTarget(uint256 bps) external;

    /// @notice Sets the safety margin kept above liabilities before harvesting (at most MAX_SAFETY_MARGIN_BPS). Only admin.
    function setSafetyMargin(uint256 bps) external;

    // ---------------------------------------------------------------- views

    /// @notice The minter whose liabilities this reserve backs.
    function minter() external view returns (address);

    /// @notice The T-bill fund (zero if none).
    function tbillVault() external view returns (address);

    /// @notice Stablecoins held, valued at 1 USD [wad].
    function liquidValue() external view returns (uint256);

    /// @notice T-bill shares held, valued at their redemption value [wad].
    function tbillValue() external view returns (uint256);

    /// @notice `liquidValue() + tbillValue()` [wad].
    function totalValue() external view returns (uint256);

    /// @notice What `harvest` would mint now [wad].
    function surplus() external view returns (uint256);
}
