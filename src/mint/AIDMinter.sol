// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IAIDMinter} from "../interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../interfaces/IAIDReserve.sol";
import {IPriceFeed} from "../interfaces/IPriceFeed.sol";
import {BlockCapLib} from "../libraries/BlockCapLib.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title AIDMinter
/// @notice See {IAIDMinter}.
contract AIDMinter is IAIDMinter, AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    using BlockCapLib for BlockCapLib.BlockCap;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @notice KYC'd accounts allowed to mint and redeem.
    bytes32 public constant WHITELISTED_ROLE = keccak256("WHITELISTED_ROLE");
    /// @notice Grants and revokes WHITELISTED_ROLE.
    bytes32 public constant WHITELIST_MANAGER_ROLE = keccak256("WHITELIST_MANAGER_ROLE");
    /// @notice May pause and zero the caps (emergency only); only the admin unpauses and raises caps.
    bytes32 public constant GATEKEEPER_ROLE = keccak256("GATEKEEPER_ROLE");

    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    uint256 public constant MAX_FEE_BPS = 50; // [bps]
    uint256 public constant MAX_HEARTBEAT = 7 days; // [s]
    uint256 public constant MAX_REDEEM_DELAY = 7 days; // [s]
    uint256 public constant MINT_MIN_PRICE_BPS = 9950; // [bps of 1 USD] mint refused below 0.995
    uint256 public constant REDEEM_MAX_PRICE_BPS = 10_050; // [bps of 1 USD] redeem refused above 1.005
    uint256 private constant BPS = 10_000;

    /// @dev Supply accounting and the pause flag share one word: every mint reads and writes it once.
    struct State {
        uint128 outstanding; // [wad]
        uint120 supplyCap; // [wad]
        bool paused;
    }

    /// @dev Position of an asset's FIFO queue: total ever requested and total ever funded (earmarked or paid).
    struct Queue {
        uint128 requested; // [asset units]
        uint128 funded; // [asset units]
    }

    IAID public immutable aid;
    /// @inheritdoc IAIDMinter
    address public immutable reserve;

    State private _state;
    BlockCapLib.BlockCap private _globalMint;
    BlockCapLib.BlockCap private _globalRedeem;
    /// @inheritdoc IAIDMinter
    uint256 public pendingRedemptions; // [wad]
    /// @inheritdoc IAIDMinter
    uint256 public redeemDelay; // [s]

    mapping(address asset => AssetConfig) private _config;
    mapping(address asset => BlockCapLib.BlockCap) private _assetMint;
    mapping(address asset => BlockCapLib.BlockCap) private _assetRedeem;
    mapping(address asset => Queue) private _queue;
    /// @inheritdoc IAIDMinter
    mapping(address asset => uint256) public earmarked; // [asset units]
    address[] private _assets;
    RedeemRequest[] private _requests;
    /// @dev Owner of a request, stored only when it differs from the request's (first) receiver: most redeem to self.
    mapping(uint256 id => address) private _owners;

    /// @param aid_ The AID token (this contract needs its MINTER_ROLE).
    /// @param reserve_ The AID reserve (custodian of collateral).
    /// @param admin DEFAULT_ADMIN_ROLE holder; also made WHITELIST_MANAGER_ROLE's admin.
    constructor(IAID aid_, address reserve_, address admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {
        if (address(aid_) == address(0) || reserve_ == address(0)) revert ZeroAddress();
        aid = aid_;
        reserve = reserve_;
        _setRoleAdmin(WHITELISTED_ROLE, WHITELIST_MANAGER_ROLE);
        redeemDelay = 1 days;
    }

    // ---------------------------------------------------------------- user actions

    /// @inheritdoc IAIDMinter
    function mint(address asset, uint256 amountIn, uint256 minAidOut, address receiver)
        external
        nonReentrant
        returns (uint256 aidOut)
    {
        if (!hasRole(WHITELISTED_ROLE, msg.sender)) revert NotWhitelisted(msg.sender);
        if (_state.paused) revert EnforcedPause();
        if (amountIn == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _checkNotDenied(msg.sender, receiver);
        AssetConfig memory c = _enabledConfig(asset);
        _checkPrice(asset, c, true);

        // Collateral goes straight to the reserve; only what actually arrived is minted against.
        uint256 before = IERC20(asset).balanceOf(reserve);
        IERC20(asset).safeTransferFrom(msg.sender, reserve, amountIn);
        uint256 value = (IERC20(asset).balanceOf(reserve) - before) * 10 ** (18 - c.decimals); // [wad]

        uint256 fee = _feeUp(value, c.mintFeeBps);
        aidOut = value - fee;
        if (aidOut == 0) revert ZeroAmount();
        if (aidOut < minAidOut) revert SlippageExceeded(aidOut, minAidOut);

        _consume(_assetMint[asset], _globalMint, asset, aidOut);
        // Read after the transfer: no state copy lives across the token's code (mintYield also shares the lock).
        State memory s = _state;
        uint256 newOutstanding = s.outstanding + aidOut;
        if (newOutstanding > s.supplyCap) revert SupplyCapExceeded(newOutstanding, s.supplyCap);
        // forge-lint: disable-next-line(unsafe-typecast)
        _state.outstanding = uint128(newOutstanding); // <= supplyCap < 2^120

        aid.mint(receiver, aidOut);
        emit Minted(msg.sender, receiver, asset, value / 10 ** (18 - c.decimals), aidOut, fee);
    }

    /// @inheritdoc IAIDMinter
    function requestRedeem(address asset, uint256 aidAmount, uint256 minAssetOut, address receiver)
        external
        nonReentrant
        returns (uint256 id)
    {
        if (!hasRole(WHITELISTED_ROLE, msg.sender)) revert NotWhitelisted(msg.sender);
        if (_state.paused) revert EnforcedPause();
        if (aidAmount == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _checkNotDenied(msg.sender, receiver);
        AssetConfig memory c = _enabledConfig(asset);
        _checkPrice(asset, c, false);

        uint256 scale = 10 ** (18 - c.decimals);
        uint256 assetOut = (aidAmount - _feeUp(aidAmount, c.redeemFeeBps)) / scale; // rounds against the caller
        if (assetOut == 0) revert ZeroAmount();
        if (assetOut < minAssetOut) revert SlippageExceeded(assetOut, minAssetOut);
        _consume(_assetRedeem[asset], _globalRedeem, asset, aidAmount);

        (uint256 end, bool fundedNow) = _enqueue(asset, assetOut);

        aid.burnFrom(msg.sender, aidAmount); // reverts if AID is paused
        // forge-lint: disable-next-line(unsafe-typecast)
        _state.outstanding -= uint128(aidAmount); // within the redeem block caps (< 2^104)
        pendingRedemptions += assetOut * scale;

        uint256 claimableAt = block.timestamp + redeemDelay;
        id = _requests.length;
        // forge-lint: disable-start(unsafe-typecast)
        _requests.push(
            RedeemRequest({
                receiver: receiver,
                claimableAt: uint40(claimableAt), // now + at most MAX_REDEEM_DELAY
                claimed: false,
                held: false,
                asset: asset,
                assetAmount: uint128(assetOut), // <= aidAmount < 2^104
                cumulativeEnd: uint128(end) // checked by _enqueue
            })
        );
        // forge-lint: disable-end(unsafe-typecast)
        if (receiver != msg.sender) _owners[id] = msg.sender;
        emit RedeemRequested(id, msg.sender, receiver, asset, aidAmount, assetOut, claimableAt);

        if (fundedNow && claimableAt == block.timestamp) _claim(id);
    }

    /// @inheritdoc IAIDMinter
    function claimRedeem(uint256 id) external nonReentrant returns (uint256 assetAmount) {
        if (_state.paused) revert EnforcedPause();
        RedeemRequest storage r = _request(id);
        if (r.claimed) revert AlreadyClaimed(id);
        uint256 claimableAt = r.claimableAt;
        if (block.timestamp < claimableAt) revert RedeemNotReady(id, claimableAt);
        return _claim(id);
    }

    /// @inheritdoc IAIDMinter
    function setRedeemReceiver(uint256 id, address newReceiver) external nonReentrant {
        RedeemRequest storage r = _request(id);
        if (r.claimed) revert AlreadyClaimed(id);
        address old = r.receiver;
        address requester = _owners[id];
        if (msg.sender != (requester == address(0) ? old : requester)) revert NotRequestOwner(id, msg.sender);
        if (newReceiver == address(0)) revert ZeroAddress();
        // The owner moves its own payout; a payout owed to a deny-listed receiver is the admin's to decide.
        _checkNotDenied(msg.sender, old);
        _checkNotDenied(msg.sender, newReceiver);
        _setReceiver(r, id, newReceiver);
    }

    /// @inheritdoc IAIDMinter
    function releaseHeld(uint256 id, address to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant returns (uint256) {
        if (_state.paused) revert EnforcedPause();
        RedeemRequest storage r = _request(id);
        if (!r.held) revert NotHeld(id); // a paid request is not held
        if (to == address(0)) revert ZeroAddress();
        if (aid.isDenied(to)) revert AccountDenied(to);
        _setReceiver(r, id, to);
        return _pay(r, id); // funded when it was held
    }

    /// @inheritdoc IAIDMinter
    function mintYield(address to, uint256 amount) external nonReentrant {
        if (msg.sender != reserve) revert OnlyReserve();
        State memory s = _state;
        if (s.paused) revert EnforcedPause();
        uint256 newOutstanding = s.outstanding + amount;
        if (newOutstanding > s.supplyCap) revert SupplyCapExceeded(newOutstanding, s.supplyCap);
        // forge-lint: disable-next-line(unsafe-typecast)
        _state.outstanding = uint128(newOutstanding); // <= supplyCap < 2^120
        aid.mint(to, amount);
        emit YieldMinted(to, amount);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc IAIDMinter
    function setAsset(
        address asset,
        address feed,
        bool enabled,
        uint16 mintFeeBps,
        uint16 redeemFeeBps,
        uint32 heartbeat
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (asset == address(0) || feed == address(0)) revert ZeroAddress();
        if (mintFeeBps > MAX_FEE_BPS) revert FeeTooHigh(mintFeeBps);
        if (redeemFeeBps > MAX_FEE_BPS) revert FeeTooHigh(redeemFeeBps);
        if (heartbeat == 0 || heartbeat > MAX_HEARTBEAT) revert InvalidHeartbeat(heartbeat);
        uint8 decimals = IERC20Metadata(asset).decimals();
        if (decimals > 18) revert UnsupportedDecimals(decimals);
        if (_config[asset].feed == address(0)) _assets.push(asset);
        AssetConfig memory c = AssetConfig({
            feed: feed,
            decimals: decimals,
            feedDecimals: IPriceFeed(feed).decimals(),
            enabled: enabled,
            mintFeeBps: mintFeeBps,
            redeemFeeBps: redeemFeeBps,
            heartbeat: heartbeat
        });
        _config[asset] = c;
        emit AssetConfigured(asset, c);
    }

    /// @inheritdoc IAIDMinter
    function setAssetCaps(address asset, uint256 mintPerBlock, uint256 redeemPerBlock)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (_config[asset].feed == address(0)) revert AssetNotSupported(asset);
        _assetMint[asset].limit = _toCap(mintPerBlock);
        _assetRedeem[asset].limit = _toCap(redeemPerBlock);
        emit AssetCapsSet(asset, mintPerBlock, redeemPerBlock);
    }

    /// @inheritdoc IAIDMinter
    function setGlobalCaps(uint256 mintPerBlock, uint256 redeemPerBlock) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _globalMint.limit = _toCap(mintPerBlock);
        _globalRedeem.limit = _toCap(redeemPerBlock);
        emit GlobalCapsSet(mintPerBlock, redeemPerBlock);
    }

    /// @inheritdoc IAIDMinter
    function setSupplyCap(uint256 supplyCap_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (supplyCap_ > type(uint120).max) revert CapTooLarge(supplyCap_);
        // forge-lint: disable-next-line(unsafe-typecast)
        _state.supplyCap = uint120(supplyCap_);
        emit SupplyCapSet(supplyCap_);
    }

    /// @inheritdoc IAIDMinter
    function setRedeemDelay(uint256 redeemDelay_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (redeemDelay_ > MAX_REDEEM_DELAY) revert RedeemDelayTooLong(redeemDelay_);
        redeemDelay = redeemDelay_;
        emit RedeemDelaySet(redeemDelay_);
    }

    /// @inheritdoc IAIDMinter
    function disableMintAndRedeem() external onlyRole(GATEKEEPER_ROLE) {
        _globalMint.limit = 0;
        _globalRedeem.limit = 0;
        emit GlobalCapsSet(0, 0);
    }

    /// @inheritdoc IAIDMinter
    function pause() external onlyRole(GATEKEEPER_ROLE) {
        if (_state.paused) revert PauseStateUnchanged();
        _state.paused = true;
        emit PausedSet(true);
    }

    /// @inheritdoc IAIDMinter
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_state.paused) revert PauseStateUnchanged();
        _state.paused = false;
        emit PausedSet(false);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IAIDMinter
    function assetConfig(address asset) external view returns (AssetConfig memory) {
        return _config[asset];
    }

    /// @inheritdoc IAIDMinter
    function assets() external view returns (address[] memory) {
        return _assets;
    }

    /// @inheritdoc IAIDMinter
    function outstanding() external view returns (uint256) {
        return _state.outstanding;
    }

    /// @inheritdoc IAIDMinter
    function supplyCap() external view returns (uint256) {
        return _state.supplyCap;
    }

    /// @inheritdoc IAIDMinter
    function paused() external view returns (bool) {
        return _state.paused;
    }

    /// @inheritdoc IAIDMinter
    function liabilities() external view returns (uint256) {
        return _state.outstanding + pendingRedemptions;
    }

    /// @inheritdoc IAIDMinter
    function redeemRequest(uint256 id) external view returns (RedeemRequest memory) {
        return _request(id);
    }

    /// @inheritdoc IAIDMinter
    function redeemOwner(uint256 id) external view returns (address) {
        address requester = _owners[id];
        return requester == address(0) ? _request(id).receiver : requester;
    }

    /// @inheritdoc IAIDMinter
    function redeemRequestCount() external view returns (uint256) {
        return _requests.length;
    }

    /// @inheritdoc IAIDMinter
    function remainingBlockCaps(address asset) external view returns (uint256 mintable, uint256 redeemable) {
        mintable = _min(BlockCapLib.remaining(_assetMint[asset]), BlockCapLib.remaining(_globalMint));
        State memory s = _state;
        mintable = _min(mintable, s.supplyCap > s.outstanding ? s.supplyCap - s.outstanding : 0);
        redeemable = _min(BlockCapLib.remaining(_assetRedeem[asset]), BlockCapLib.remaining(_globalRedeem));
    }

    // ---------------------------------------------------------------- internals

    /// @dev Appends `assetOut` to `asset`'s FIFO queue and returns its new end and whether the free buffer funds the
    ///      queue up to it now. Accepts only what the reserve can pay in this asset after a divest at most: a request
    ///      it cannot pay would strand the burnt AID and block every later request of the asset.
    function _enqueue(address asset, uint256 assetOut) private returns (uint256 end, bool fundedNow) {
        Queue storage q = _queue[asset];
        end = q.requested + assetOut;
        uint256 unfunded = end - q.funded;
        uint256 free = _freeBuffer(asset);
        fundedNow = free >= unfunded;
        if (!fundedNow) {
            uint256 available = free + _tbillHoldings(asset);
            if (available < unfunded) revert InsufficientBuffer(asset, unfunded, available);
        }
        q.requested = end.toUint128();
    }

    /// @dev Funds the asset's queue up to request `id` (FIFO), then pays it, or holds the payout (funded, still owed)
    ///      while its receiver is deny-listed on AID, so the receiver never blocks the queue.
    function _claim(uint256 id) private returns (uint256) {
        RedeemRequest storage r = _requests[id];
        address asset = r.asset;
        Queue storage q = _queue[asset];
        uint256 funded = q.funded;
        uint256 end = r.cumulativeEnd;
        if (funded < end) {
            uint256 need = end - funded;
            uint256 free = _freeBuffer(asset);
            if (free < need) revert InsufficientBuffer(asset, need, free);
            // forge-lint: disable-next-line(unsafe-typecast)
            q.funded = uint128(end); // a request's end, itself a uint128
            earmarked[asset] += need;
        }
        address receiver = r.receiver;
        if (aid.isDenied(receiver)) {
            if (r.held) revert AccountDenied(receiver); // held already: nothing to do until it is cleared
            r.held = true;
            emit RedeemHeld(id, receiver, asset, r.assetAmount);
            return 0;
        }
        return _pay(r, id);
    }

    /// @dev Pays funded request `id` to its receiver.
    function _pay(RedeemRequest storage r, uint256 id) private returns (uint256 amount) {
        (address asset, address receiver) = (r.asset, r.receiver);
        amount = r.assetAmount;
        r.claimed = true;
        r.held = false;
        earmarked[asset] -= amount;
        pendingRedemptions -= amount * 10 ** (18 - _config[asset].decimals);
        IAIDReserve(reserve).release(asset, receiver, amount);
        emit RedeemClaimed(id, receiver, asset, amount);
    }

    /// @dev Points request `id` to `newReceiver`, first recording its owner if that was the receiver.
    function _setReceiver(RedeemRequest storage r, uint256 id, address newReceiver) private {
        address old = r.receiver;
        if (_owners[id] == address(0)) _owners[id] = old;
        r.receiver = newReceiver;
        emit RedeemReceiverChanged(id, old, newReceiver);
    }

    function _request(uint256 id) private view returns (RedeemRequest storage) {
        if (id >= _requests.length) revert UnknownRequest(id);
        return _requests[id];
    }

    /// @dev Refuses `a` or `b` if deny-listed on AID.
    function _checkNotDenied(address a, address b) private view {
        if (aid.isDenied(a)) revert AccountDenied(a);
        if (b != a && aid.isDenied(b)) revert AccountDenied(b);
    }

    /// @dev The reserve's liquid balance of `asset` not yet set aside for funded requests.
    function _freeBuffer(address asset) private view returns (uint256) {
        uint256 balance = IERC20(asset).balanceOf(reserve);
        uint256 held = earmarked[asset];
        return balance > held ? balance - held : 0;
    }

    /// @dev What the reserve's T-bill shares redeem for, if the T-bill fund holds `asset` (else 0).
    function _tbillHoldings(address asset) private view returns (uint256) {
        IERC4626 vault = IERC4626(IAIDReserve(reserve).tbillVault());
        if (address(vault) == address(0) || vault.asset() != asset) return 0;
        return vault.previewRedeem(vault.balanceOf(reserve));
    }

    function _enabledConfig(address asset) private view returns (AssetConfig memory c) {
        c = _config[asset];
        if (!c.enabled) revert AssetNotSupported(asset);
    }

    /// @dev Depeg guard: a fresh, positive price, at least 0.995 to mint and at most 1.005 to redeem.
    function _checkPrice(address asset, AssetConfig memory c, bool minting) private view {
        (, int256 answer,, uint256 updatedAt,) = IPriceFeed(c.feed).latestRoundData();
        if (answer <= 0) revert InvalidPrice(asset, answer);
        if (updatedAt + c.heartbeat < block.timestamp) revert StalePrice(asset, updatedAt);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint256 priceBps = uint256(answer) * BPS; // [bps × 10^feedDecimals], compared exactly (no rounding)
        uint256 one = 10 ** c.feedDecimals;
        if (minting ? priceBps < MINT_MIN_PRICE_BPS * one : priceBps > REDEEM_MAX_PRICE_BPS * one) {
            revert Depeg(asset, answer);
        }
    }

    function _consume(
        BlockCapLib.BlockCap storage assetCap,
        BlockCapLib.BlockCap storage globalCap,
        address asset,
        uint256 amount
    ) private {
        if (!assetCap.consume(amount)) {
            revert AssetBlockCapExceeded(asset, amount, BlockCapLib.remaining(assetCap));
        }
        if (!globalCap.consume(amount)) revert GlobalBlockCapExceeded(amount, BlockCapLib.remaining(globalCap));
    }

    function _feeUp(uint256 value, uint256 feeBps) private pure returns (uint256) {
        return (value * feeBps + BPS - 1) / BPS;
    }

    function _toCap(uint256 cap) private pure returns (uint104) {
        if (cap > type(uint104).max) revert CapTooLarge(cap);
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint104(cap);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
