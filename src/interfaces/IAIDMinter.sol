// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IAIDMinter
/// @notice Whitelisted (KYC) accounts mint AID 1:1 against allowlisted stablecoins and redeem it 1:1 through a FIFO
///         queue paid from the reserve's liquid buffer. Collateral goes straight to the reserve and AID is minted for
///         the value that actually arrived there (balance delta). Caps per block (keyed by timestamp, see
///         {BlockCapLib}) per asset and global, a global supply cap, a depeg guard on a Chainlink-style feed, and a
///         gatekeeper kill switch bound every path.
/// @dev Amounts named `aid*` are AID [wad]; `asset*` are in the asset's own decimals. `outstanding()` is the global AID
///      supply this minter has created and not yet redeemed (OFT moves conserve it across chains).
///      AID's deny list applies here too: a deny-listed account can neither mint, redeem, nor be named receiver, and a
///      payout to a receiver deny-listed after its request is held (funded, still owed) instead of paid; it never
///      blocks the queue. A request owner may re-point its unpaid request to a new receiver (e.g. one the stablecoin
///      issuer blacklisted), so no redemption is stranded.
interface IAIDMinter {
    /// @notice Per-asset configuration, one storage word.
    struct AssetConfig {
        address feed; // Chainlink-style USD price feed of the asset
        uint8 decimals; // the asset's ERC-20 decimals (<= 18)
        uint8 feedDecimals; // the feed's answer decimals
        bool enabled; // mint and redeem allowed
        uint16 mintFeeBps; // [bps] of the minted value, kept in the reserve as surplus
        uint16 redeemFeeBps; // [bps] of the redeemed value, kept in the reserve as surplus
        uint32 heartbeat; // [s] maximum feed age
    }

    /// @notice A queued redemption.
    struct RedeemRequest {
        address receiver; // who gets the asset
        uint40 claimableAt; // [unix s]
        bool claimed;
        bool held; // funded but not paid: the receiver was deny-listed on AID when it was claimed
        address asset;
        uint128 assetAmount; // [asset units] owed
        uint128 cumulativeEnd; // [asset units] position of this request's end in its asset's FIFO queue
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted on every mint against collateral.
    event Minted(
        address indexed minter,
        address indexed receiver,
        address indexed asset,
        uint256 assetReceived,
        uint256 aidMinted,
        uint256 aidFee
    );
    /// @notice Emitted when a redemption is queued (AID already burnt).
    event RedeemRequested(
        uint256 indexed id,
        address indexed redeemer,
        address indexed receiver,
        address asset,
        uint256 aidBurnt,
        uint256 assetAmount,
        uint256 claimableAt
    );
    /// @notice Emitted when a queued redemption is paid.
    event RedeemClaimed(uint256 indexed id, address indexed receiver, address indexed asset, uint256 assetAmount);
    /// @notice Emitted when a matured request is funded but its payout held: `receiver` is deny-listed on AID.
    event RedeemHeld(uint256 indexed id, address indexed receiver, address indexed asset, uint256 assetAmount);
    /// @notice Emitted when unpaid request `id` is re-pointed (by its owner) or released (by the admin) to `newReceiver`.
    event RedeemReceiverChanged(uint256 indexed id, address indexed oldReceiver, address indexed newReceiver);
    /// @notice Emitted when the reserve mints harvested surplus.
    event YieldMinted(address indexed to, uint256 amount);
    /// @notice Emitted when an asset is added or reconfigured.
    event AssetConfigured(address indexed asset, AssetConfig config);
    /// @notice Emitted when an asset's per-block caps change.
    event AssetCapsSet(address indexed asset, uint256 mintPerBlock, uint256 redeemPerBlock);
    /// @notice Emitted when the global per-block caps change.
    event GlobalCapsSet(uint256 mintPerBlock, uint256 redeemPerBlock);
    /// @notice Emitted when the global supply cap changes.
    event SupplyCapSet(uint256 supplyCap);
    /// @notice Emitted when the redemption delay changes.
    event RedeemDelaySet(uint256 redeemDelay);
    /// @notice Emitted when the minter is paused or unpaused.
    event PausedSet(bool paused);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the caller lacks WHITELISTED_ROLE.
    error NotWhitelisted(address account);
    /// @notice Thrown when minting, redeeming or claiming while paused.
    error EnforcedPause();
    /// @notice Thrown when pause/unpause would not change the state.
    error PauseStateUnchanged();
    /// @notice Thrown when the asset is not allowlisted or is disabled.
    error AssetNotSupported(address asset);
    /// @notice Thrown when an amount argument is zero, or rounds to zero.
    error ZeroAmount();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when the output is below the caller's minimum.
    error SlippageExceeded(uint256 out, uint256 minOut);
    /// @notice Thrown when the asset's feed answer is zero or negative.
    error InvalidPrice(address asset, int256 answer);
    /// @notice Thrown when the asset's feed is older than its heartbeat.
    error StalePrice(address asset, uint256 updatedAt);
    /// @notice Thrown when minting with the asset below 0.995 or redeeming it above 1.005.
    error Depeg(address asset, int256 answer);
    /// @notice Thrown when the asset's per-block mint or redeem cap would be exceeded.
    error AssetBlockCapExceeded(address asset, uint256 amount, uint256 remaining);
    /// @notice Thrown when the global per-block mint or redeem cap would be exceeded.
    error GlobalBlockCapExceeded(uint256 amount, uint256 remaining);
    /// @notice Thrown when minting would push the outstanding supply above the supply cap.
    error SupplyCapExceeded(uint256 outstanding, uint256 supplyCap);
    /// @notice Thrown when a request id does not exist.
    error UnknownRequest(uint256 id);
    /// @notice Thrown when a request was already paid.
    error AlreadyClaimed(uint256 id);
    /// @notice Thrown when a request is claimed before its delay has passed.
    error RedeemNotReady(uint256 id, uint256 claimableAt);
    /// @notice Thrown when the reserve's free buffer cannot fund the queue up to this request (claim), or when its
    ///         holdings of the asset, T-bill shares in it included, cannot (request).
    error InsufficientBuffer(address asset, uint256 needed, uint256 available);
    /// @notice Thrown when a fee is above MAX_FEE_BPS.
    error FeeTooHigh(uint256 feeBps);
    /// @notice Thrown when a feed heartbeat is zero or above MAX_HEARTBEAT.
    error InvalidHeartbeat(uint256 heartbeat);
    /// @notice Thrown when an asset has more than 18 decimals.
    error UnsupportedDecimals(uint8 decimals);
    /// @notice Thrown when the redemption delay is above MAX_REDEEM_DELAY.
    error RedeemDelayTooLong(uint256 redeemDelay);
    /// @notice Thrown when a cap does not fit its storage type.
    error CapTooLarge(uint256 cap);
    /// @notice Thrown when `mintYield` is called by anyone but the reserve.
    error OnlyReserve();
    /// @notice Thrown when `account` (caller, receiver or request owner) is on AID's deny list.
    error AccountDenied(address account);
    /// @notice Thrown when anyone but request `id`'s owner tries to re-point it.
    error NotRequestOwner(uint256 id, address caller);
    /// @notice Thrown when the admin releases request `id`, which is not held.
    error NotHeld(uint256 id);

    // ---------------------------------------------------------------- user actions

    /// @notice Mints AID to `receiver` for `amountIn` of `asset` taken from the caller. Only WHITELISTED_ROLE; neither
    ///         the caller nor `receiver` may be deny-listed on AID (AccountDenied).
    /// @dev AID out = value actually received by the reserve, normalised to 18 decimals, minus the mint fee (rounded
    ///      up). Reverts with a named error on any failed check and changes nothing.
    /// @return aidOut AID minted to `receiver`.
    function mint(address asset, uint256 amountIn, uint256 minAidOut, address receiver)
        external
        returns (uint256 aidOut);

    /// @notice Burns `aidAmount` of the caller's AID and queues `asset` for `receiver`. Only WHITELISTED_ROLE; neither
    ///         the caller nor `receiver` may be deny-listed on AID (AccountDenied). The caller owns the request.
    /// @dev Needs an AID allowance for this contract. Asset out = (aidAmount − fee) scaled down, rounded down. Refused
    ///      (InsufficientBuffer) unless the reserve's free buffer plus its T-bill shares in `asset` cover the asset's
    ///      unfunded queue including this request, so every accepted request can be paid. With `redeemDelay == 0` and
    ///      enough free buffer, the request is paid in the same call.
    /// @return id The request id (for `claimRedeem`).
    function requestRedeem(address asset, uint256 aidAmount, uint256 minAssetOut, address receiver)
        external
        returns (uint256 id);

    /// @notice Pays request `id` to its receiver once its delay has passed. Anyone may call.
    /// @dev Strict FIFO per asset: funds are first set aside (earmarked) for every earlier request of the same asset.
    ///      If the receiver is deny-listed on AID, the request is funded and its payout held (RedeemHeld, returns 0):
    ///      the asset stays earmarked and owed, later requests are unaffected. Claiming a held request again pays it
    ///      once its receiver is cleared (AccountDenied until then); the admin may release it earlier (`releaseHeld`).
    /// @return assetAmount The amount paid (0 when held).
    function claimRedeem(uint256 id) external returns (uint256 assetAmount);

    /// @notice Re-points unpaid request `id` to `newReceiver`. Only the request's owner (its requester), itself not
    ///         deny-listed; neither the current nor the new receiver may be deny-listed (the admin decides a payout owed
    ///         to a deny-listed receiver, see `releaseHeld`). The way out of a receiver the asset's issuer blacklists.
    /// @dev Changes nothing but the receiver: the request keeps its place, funding and claim time.
    function setRedeemReceiver(uint256 id, address newReceiver) external;

    /// @notice Pays held request `id` to `to` (the rightful owner once cleared, or a court-ordered address), as AID's
    ///         escrow release. Only admin; `to` may not be deny-listed.
    /// @return assetAmount The amount paid.
    function releaseHeld(uint256 id, address to) external returns (uint256 assetAmount);

    /// @notice Mints harvested reserve surplus. Only the reserve.
    /// @dev Shares the reentrancy lock of mint, redeem and claim: `outstanding` is never changed from inside one of them
    ///      (e.g. a harvest from a collateral token's transfer hook, which would count collateral twice).
    function mintYield(address to, uint256 amount) external;

    // ---------------------------------------------------------------- admin

    /// @notice Adds or reconfigures `asset`. Only admin.
    function setAsset(
        address asset,
        address feed,
        bool enabled,
        uint16 mintFeeBps,
        uint16 redeemFeeBps,
        uint32 heartbeat
    ) external;

    /// @notice Sets `asset`'s per-block mint and redeem caps [wad]. Only admin.
    function setAssetCaps(address asset, uint256 mintPerBlock, uint256 redeemPerBlock) external;

    /// @notice Sets the global per-block mint and redeem caps [wad]. Only admin.
    function setGlobalCaps(uint256 mintPerBlock, uint256 redeemPerBlock) external;

    /// @notice Sets the global supply cap [wad]. Only admin.
    function setSupplyCap(uint256 supplyCap) external;

    /// @notice Sets the redemption delay [s], at most MAX_REDEEM_DELAY. Only admin.
    function setRedeemDelay(uint256 redeemDelay) external;

    /// @notice Kill switch: zeroes the global per-block mint and redeem caps at once. Only GATEKEEPER_ROLE.
    function disableMintAndRedeem() external;

    /// @notice Stops mint, redeem and claim. Only GATEKEEPER_ROLE.
    function pause() external;

    /// @notice Resumes. Only admin.
    function unpause() external;

    // ---------------------------------------------------------------- views

    /// @notice The reserve that receives collateral and pays redemptions.
    function reserve() external view returns (address);

    /// @notice Configuration of `asset`.
    function assetConfig(address asset) external view returns (AssetConfig memory);

    /// @notice Every asset ever configured (enabled or not).
    function assets() external view returns (address[] memory);

    /// @notice Global AID supply created here and not redeemed [wad].
    function outstanding() external view returns (uint256);

    /// @notice Global AID supply cap [wad].
    function supplyCap() external view returns (uint256);

    /// @notice Whether the minter is paused.
    function paused() external view returns (bool);

    /// @notice Value owed to queued, unpaid redemptions [wad].
    function pendingRedemptions() external view returns (uint256);

    /// @notice What the reserve must cover: `outstanding() + pendingRedemptions()` [wad].
    function liabilities() external view returns (uint256);

    /// @notice Asset set aside in the reserve for funded, unpaid requests of `asset` [asset units].
    function earmarked(address asset) external view returns (uint256);

    /// @notice Redemption delay [s].
    function redeemDelay() external view returns (uint256);

    /// @notice Request `id`.
    function redeemRequest(uint256 id) external view returns (RedeemRequest memory);

    /// @notice Who made request `id` and may re-point it.
    function redeemOwner(uint256 id) external view returns (address);

    /// @notice Number of requests ever made (next id).
    function redeemRequestCount() external view returns (uint256);

    /// @notice What can still be minted and redeemed of `asset` in this block [wad], all caps considered.
    function remainingBlockCaps(address asset) external view returns (uint256 mintable, uint256 redeemable);
}
