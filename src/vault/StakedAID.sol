// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IRewardsReceiver} from "../interfaces/IRewardsReceiver.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {AccountWord} from "../libraries/AccountWord.sol";
import {AdminLogic} from "../libraries/AdminLogic.sol";
import {PositionLogic} from "../libraries/PositionLogic.sol";
import {QueueLogic} from "../libraries/QueueLogic.sol";
import {VaultLedger} from "../libraries/VaultLedger.sol";
import {VaultMath} from "../libraries/VaultMath.sol";
import {StakedAIDRules} from "./StakedAIDRules.sol";
import {StakedAIDStorage} from "./StakedAIDStorage.sol";
import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {
    AccessControlDefaultAdminRulesUpgradeable
} from "@openzeppelin/contracts-upgradeable/access/extensions/AccessControlDefaultAdminRulesUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {
    ReentrancyGuardTransientUpgradeable
} from "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardTransientUpgradeable.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title StakedAID (sAID)
/// @notice See {IStakedAID}. UUPS implementation: deploy behind `ERC1967Proxy(impl, abi.encodeCall(initialize, ...))`.
/// @dev Storage: {StakedAIDStorage} (ERC-7201). Capital deployment and loss booking live in {PositionLogic}, queue
///      payouts and restricted-holder recovery in {QueueLogic} (external libraries, to stay under 24 KiB); deposits,
///      withdrawals, transfers and `unstake` run here, on packed state. Queue pricing: a request holds "queue shares"
///      worth `queueShares × lossIndex / 1e27`; the index starts at 1e27, a booked loss moves it down by the fraction
///      of value lost (re-based ×1000 below 1e24), and the write-back of a recovery up again (never above 1e27), so a
///      waiting request shares every loss and its recovery pro-rata with stakers, and never any gain.
///      Inflation defence: NAV is tracked (donations do not count), zero-share deposits revert, 1e6 virtual shares
///      and assets sit on both sides of every conversion (18 decimals kept), and the APR cap slows rewards into a
///      near-empty vault. Exits below par are priced on real NAV only ({VaultMath.exitAssets}); entries on NAV +
///      unvested + the stakers' part of undecided write-downs ({VaultLedger.entry}, {PositionLogic}), refused while wiped
///      ({VaultLedger.wiped}). Who may move shares
///      is decided by {StakedAIDRules}, the same code as on the remote chains: neither FULL here nor on AID's deny list.
contract StakedAID is
    IStakedAID,
    StakedAIDStorage,
    StakedAIDRules,
    ERC4626Upgradeable,
    AccessControlDefaultAdminRulesUpgradeable,
    ReentrancyGuardTransientUpgradeable,
    UUPSUpgradeable
{
    using Math for uint256;
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    /// @inheritdoc IStakedAID
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    /// @inheritdoc IStakedAID
    bytes32 public constant REWARDER_ROLE = keccak256("REWARDER_ROLE");
    /// @inheritdoc IStakedAID
    bytes32 public constant RESTRICTION_MANAGER_ROLE = keccak256("RESTRICTION_MANAGER_ROLE");
    /// @inheritdoc IStakedAID
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @inheritdoc IStakedAID
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    uint256 public constant MAX_UNSTAKE_DELAY = AdminLogic.MAX_UNSTAKE_DELAY;
    uint256 public constant MAX_VESTING_PERIOD = AdminLogic.MAX_VESTING_PERIOD;
    uint256 public constant MIN_APR_BPS = AdminLogic.MIN_APR_BPS;
    uint256 public constant MAX_APR_BPS = AdminLogic.MAX_APR_BPS;
    uint256 public constant MIN_UNSTAKE_ASSETS = QueueLogic.MIN_UNSTAKE_ASSETS;
    uint256 public constant MAX_POSITIONS = PositionLogic.MAX_POSITIONS;
    uint256 private constant BALANCE_MASK = AccountWord.BALANCE_MASK;
    uint256 private constant FULL = uint256(Restriction.FULL);

    /// @dev AID, the asset: an immutable of the implementation (same address on every chain), so neither the transfer
    ///      checks nor `asset()` read storage. `initialize` refuses any other asset.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAID private immutable AID_;

    /// @param aid AID (the vault's asset).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAID aid) {
        if (address(aid) == address(0)) revert ZeroAddress();
        AID_ = aid;
        _disableInitializers();
    }

    /// @notice Initializes the proxy: asset AID, `admin` as two-step DEFAULT_ADMIN_ROLE (1-day delay) and first
    ///         UPGRADER_ROLE holder, defaults (unstake delay 7 days, vesting 8 hours, APR cap 50%, liquidity buffer
    ///         30%).
    ///         UPGRADER_ROLE administers itself ({getRoleAdmin}): only an upgrader (the deployment's timelock, once the
    ///         deployer has handed it over and left) grants or revokes it; DEFAULT_ADMIN_ROLE cannot make itself one.
    function initialize(IAID aid, address admin) external initializer {
        if (address(aid) == address(0) || admin == address(0)) revert ZeroAddress();
        if (aid != AID_) revert AssetMismatch(address(aid), address(AID_));
        __ERC20_init("Staked AI Dollar", "sAID");
        __ERC4626_init(IERC20(address(aid)));
        __AccessControlDefaultAdminRules_init(ADMIN_TRANSFER_DELAY, admin);
        _grantRole(UPGRADER_ROLE, admin);
        __ReentrancyGuardTransient_init();
        Layout storage $ = _s();
        $.hot.unstakeDelay = uint24(7 days);
        $.queue.lossIndex = uint96(VaultMath.RAY);
        $.config.vestingPeriod = uint32(8 hours);
        $.config.maxAprBps = 5000;
        $.config.liquidityBufferBps = 3000;
        $.config.noBareWords = true;
    }

    // ================================================================ ERC-4626

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Priced on the entry value (NAV + unvested + the stakers' part of undecided write-downs); reverts {VaultWiped}
    ///      while wiped.
    function deposit(uint256 assets, address receiver)
        public
        override(ERC4626Upgradeable, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        (Hot memory h, uint256 value) = _enter(receiver);
        shares = assets.mulDiv(uint256(h.supply) + VaultMath.VIRTUAL, value + VaultMath.VIRTUAL, Math.Rounding.Floor);
        if (shares == 0) revert ZeroShares();
        _mintShares(h, receiver, assets, shares);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Priced like {deposit}, rounded up.
    function mint(uint256 shares, address receiver)
        public
        override(ERC4626Upgradeable, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        (Hot memory h, uint256 value) = _enter(receiver);
        if (shares == 0) revert ZeroShares();
        assets = shares.mulDiv(value + VaultMath.VIRTUAL, uint256(h.supply) + VaultMath.VIRTUAL, Math.Rounding.Ceil);
        _mintShares(h, receiver, assets, shares);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Only while `unstakeDelay == 0`; at most the free liquidity (idle AID not unvested nor owed to the queue).
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(ERC4626Upgradeable, IERC4626)
        nonReentrant
        returns (uint256 shares)
    {
        (Hot memory h, Ledger memory l) = _exit(receiver, owner);
        if (assets == 0) revert ZeroAmount();
        uint256 free = VaultLedger.free(h, l);
        if (assets > free) revert WithdrawTooLarge(assets, free);
        shares = VaultMath.exitShares(assets, VaultLedger.nav(h, l), h.supply);
        _burnShares(h, receiver, owner, assets, shares);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Only while `unstakeDelay == 0`; at most the free liquidity.
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(ERC4626Upgradeable, IERC4626)
        nonReentrant
        returns (uint256 assets)
    {
        (Hot memory h, Ledger memory l) = _exit(receiver, owner);
        assets = VaultMath.exitAssets(shares, VaultLedger.nav(h, l), h.supply);
        // a whole balance worth nothing may be burnt (after a total loss); any other exit worth 0 is refused
        if (assets == 0 && (shares == 0 || shares != balanceOf(owner))) revert ZeroAmount();
        uint256 free = VaultLedger.free(h, l);
        if (assets > free) revert WithdrawTooLarge(assets, free);
        _burnShares(h, receiver, owner, assets, shares);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Bounded by what the packed supply (uint104) and idle balance (int112) can still hold; 0 while wiped or when
    ///      a position's value cannot be read.
    function maxDeposit(address receiver) public view override(ERC4626Upgradeable, IERC4626) returns (uint256) {
        return PositionLogic.maxEntry(_s(), receiver, asset(), false);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Bounded like {maxDeposit}.
    function maxMint(address receiver) public view override(ERC4626Upgradeable, IERC4626) returns (uint256) {
        return PositionLogic.maxEntry(_s(), receiver, asset(), true);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev At the exit price (NAV), at most the free liquidity; 0 when a position's value cannot be read.
    function maxWithdraw(address owner) public view override(ERC4626Upgradeable, IERC4626) returns (uint256) {
        if (!_canExit(owner)) return 0;
        return PositionLogic.maxExit(_s(), balanceOf(owner), false);
    }

    /// @inheritdoc ERC4626Upgradeable
    function maxRedeem(address owner) public view override(ERC4626Upgradeable, IERC4626) returns (uint256) {
        if (!_canExit(owner)) return 0;
        return PositionLogic.maxExit(_s(), balanceOf(owner), true);
    }

    /// @inheritdoc ERC4626Upgradeable
    /// @dev Net of every loss the positions report (as if booked now), so previews match what the next call books.
    function totalAssets() public view override(ERC4626Upgradeable, IERC4626) returns (uint256) {
        (uint256 nav,,,,,) = _snapshot();
        return nav;
    }

    /// @inheritdoc IStakedAID
    /// @dev Every NAV view is already loss-aware, so this equals `convertToAssets`: the value `unstake` records.
    function convertToAssetsWithLoss(uint256 shares) external view returns (uint256) {
        return _convertToAssets(shares, Math.Rounding.Floor);
    }

    /// @inheritdoc ERC20Upgradeable
    function totalSupply() public view override(ERC20Upgradeable, IERC20) returns (uint256) {
        return _s().hot.supply;
    }

    /// @inheritdoc ERC20Upgradeable
    function balanceOf(address account) public view override(ERC20Upgradeable, IERC20) returns (uint256) {
        return _s().accounts[account] & BALANCE_MASK;
    }

    /// @inheritdoc IStakedAID
    /// @dev The implementation's immutable (equal to the initialized asset): no storage read.
    function asset() public view override(ERC4626Upgradeable, IStakedAID) returns (address) {
        return address(AID_);
    }

    /// @inheritdoc ERC4626Upgradeable
    function decimals() public view override(ERC4626Upgradeable, IERC20Metadata) returns (uint8) {
        return super.decimals();
    }

    // ================================================================ rewards

    /// @inheritdoc IRewardsReceiver
    function transferInRewards(uint256 amount) external onlyRole(REWARDER_ROLE) nonReentrant {
        AdminLogic.transferInRewards(_s(), amount, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function unvestedAmount() external view returns (uint256) {
        return VaultLedger.unvested(_s().ledger);
    }

    /// @inheritdoc IStakedAID
    function vestingEnd() external view returns (uint256) {
        return _s().ledger.end;
    }

    // ================================================================ unstake queue

    /// @inheritdoc IStakedAID
    function unstake(uint256 shares) external nonReentrant returns (uint256) {
        Layout storage $ = _s();
        if (shares == 0) revert ZeroAmount();
        if ($.hot.paused) revert EnforcedPause();
        _requireClear(msg.sender, _full(msg.sender));
        uint256 off;
        if ($.hot.positionCount != 0) off = PositionLogic.syncLosses($);
        return QueueLogic.unstake($, msg.sender, shares, off);
    }

    /// @inheritdoc IStakedAID
    function burnWorthless(address holder) external nonReentrant returns (uint256) {
        return QueueLogic.burnWorthless(_s(), holder);
    }

    /// @inheritdoc IStakedAID
    function processUnstakeQueue(uint256 maxIterations) external nonReentrant returns (uint256) {
        if (maxIterations == 0) revert ZeroIterations();
        Layout storage $ = _s();
        if ($.hot.paused) revert EnforcedPause();
        if ($.hot.positionCount != 0) PositionLogic.syncLosses($);
        return QueueLogic.processUnstakeQueue($, maxIterations, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function getUnstakeRequest(address user) external view returns (uint256 requestTime, uint256 pendingAssets) {
        return QueueLogic.getUnstakeRequest(_s(), user);
    }

    /// @inheritdoc IStakedAID
    function unstakeRequest(uint256 id)
        external
        view
        returns (address owner, uint256 requestTime, uint256 claimableAt, uint256 pendingAssets)
    {
        return QueueLogic.unstakeRequest(_s(), id);
    }

    /// @inheritdoc IStakedAID
    function unstakeQueue() external view returns (uint256 head, uint256 tail) {
        Config storage c = _s().config;
        return (c.head, c.tail);
    }

    /// @inheritdoc IStakedAID
    function releaseHeld(address owner) external nonReentrant returns (uint256) {
        if (_s().hot.paused) revert EnforcedPause();
        return QueueLogic.releaseHeld(_s(), owner, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function heldOf(address owner) external view returns (uint256) {
        return _s().held[owner];
    }

    // ================================================================ losses and positions

    /// @inheritdoc IStakedAID
    function strandedAssets() external view returns (uint256) {
        return AdminLogic.stranded(_s());
    }

    /// @inheritdoc IStakedAID
    function recoverStranded(address to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant returns (uint256) {
        return AdminLogic.recoverStranded(_s(), to, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function bookLoss(address position) external onlyRole(ALLOCATOR_ROLE) nonReentrant returns (uint256) {
        return PositionLogic.bookLoss(_s(), position);
    }

    /// @inheritdoc IStakedAID
    function lossIndex() public view returns (uint256) {
        (,,,,, uint256 index) = _snapshot();
        return index;
    }

    /// @inheritdoc IStakedAID
    function addPosition(address position) external onlyRole(ALLOCATOR_ROLE) {
        PositionLogic.addPosition(_s(), position, asset());
    }

    /// @inheritdoc IStakedAID
    function removePosition(address position) external onlyRole(ALLOCATOR_ROLE) {
        PositionLogic.removePosition(_s(), position);
    }

    /// @inheritdoc IStakedAID
    function settleWriteDown(address position) external onlyRole(ALLOCATOR_ROLE) nonReentrant returns (uint256) {
        return PositionLogic.settleWriteDown(_s(), position);
    }

    /// @inheritdoc IStakedAID
    function writtenOffOf(address position) external view returns (uint256) {
        return _s().positionOf[position].writtenOff;
    }

    /// @inheritdoc IStakedAID
    function allocate(address position, uint256 assets) external onlyRole(ALLOCATOR_ROLE) nonReentrant {
        PositionLogic.allocate(_s(), position, assets, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function deallocate(address position, uint256 assets)
        external
        onlyRole(ALLOCATOR_ROLE)
        nonReentrant
        returns (uint256)
    {
        return PositionLogic.deallocate(_s(), position, assets, IERC20(asset()));
    }

    /// @inheritdoc IStakedAID
    function positions() external view returns (address[] memory) {
        return _s().positionList;
    }

    /// @inheritdoc IStakedAID
    function bookedOf(address position) external view returns (uint256) {
        return _s().positionOf[position].booked;
    }

    /// @inheritdoc IStakedAID
    function idleAssets() external view returns (uint256) {
        return VaultLedger.idle(_s().hot, VaultLedger.owed(_s()));
    }

    /// @inheritdoc IStakedAID
    function pendingUnstakeAssets() external view returns (uint256) {
        (,,,, uint256 pending,) = _snapshot();
        return pending;
    }

    /// @inheritdoc IStakedAID
    function freeLiquidity() public view returns (uint256) {
        (,,, uint256 free,,) = _snapshot();
        return free;
    }

    // ================================================================ restrictions

    /// @inheritdoc IStakedAID
    function setRestriction(address account, Restriction restriction) external onlyRole(RESTRICTION_MANAGER_ROLE) {
        AdminLogic.setRestriction(_s(), account, restriction);
    }

    /// @inheritdoc IStakedAID
    function restrictionOf(address account) external view returns (Restriction) {
        return Restriction(_s().accounts[account] >> 248);
    }

    /// @inheritdoc IStakedAID
    function redistributeLockedAmount(address from, address to) external onlyRole(DEFAULT_ADMIN_ROLE) nonReentrant {
        AdminLogic.redistributeLockedAmount(_s(), from, to, IERC20(asset()));
    }

    /// @inheritdoc ERC20Upgradeable
    /// @dev The spender must not be FULL-restricted nor deny-listed on AID either.
    function transferFrom(address from, address to, uint256 value)
        public
        override(ERC20Upgradeable, IERC20)
        returns (bool)
    {
        _requireClear(msg.sender, _s().accounts[msg.sender] >> 248 == FULL);
        return super.transferFrom(from, to, value);
    }

    // ================================================================ pause, parameters, roles

    /// @inheritdoc IStakedAID
    function pause() external onlyRole(PAUSER_ROLE) {
        _setPaused(true);
    }

    /// @inheritdoc IStakedAID
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setPaused(false);
    }

    /// @inheritdoc IStakedAID
    function paused() external view returns (bool) {
        return _s().hot.paused;
    }

    /// @inheritdoc IStakedAID
    function setUnstakeDelay(uint256 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setUnstakeDelay(_s(), delay);
    }

    /// @inheritdoc IStakedAID
    function setVestingPeriod(uint256 period) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setVestingPeriod(_s(), period);
    }

    /// @inheritdoc IStakedAID
    function setMaxApr(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setMaxApr(_s(), bps);
    }

    /// @inheritdoc IStakedAID
    function setLiquidityBuffer(uint256 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        AdminLogic.setLiquidityBuffer(_s(), bps);
    }

    /// @inheritdoc IStakedAID
    function unstakeDelay() external view returns (uint256) {
        return _s().hot.unstakeDelay;
    }

    /// @inheritdoc IStakedAID
    function vestingPeriod() external view returns (uint256) {
        return _s().config.vestingPeriod;
    }

    /// @inheritdoc IStakedAID
    function maxAprBps() external view returns (uint256) {
        return _s().config.maxAprBps;
    }

    /// @inheritdoc IStakedAID
    function liquidityBufferBps() external view returns (uint256) {
        return _s().config.liquidityBufferBps;
    }

    /// @notice Disabled for DEFAULT_ADMIN_ROLE: the admin cannot renounce into a lock-out.
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE) revert AdminRenounceDisabled();
        super.renounceRole(role, account);
    }

    /// @dev UPGRADER_ROLE administers itself (see {initialize}); every other role: as in AccessControl. Fixed in code,
    ///      not stored: `_setRoleAdmin` (and its RoleAdminChanged event) does not fit under EIP-170.
    function getRoleAdmin(bytes32 role)
        public
        view
        override(AccessControlUpgradeable, IAccessControl)
        returns (bytes32)
    {
        return role == UPGRADER_ROLE ? role : super.getRoleAdmin(role);
    }

    /// @dev Only UPGRADER_ROLE; UUPS checks that the new implementation is UUPS too. An sAID implementation built for
    ///      another AID (its `asset()` is an immutable) is refused ({AssetMismatch}): an upgrade never re-initializes.
    function _authorizeUpgrade(address impl) internal view override onlyRole(UPGRADER_ROLE) {
        (bool ok, bytes memory ret) = impl.staticcall(abi.encodeWithSelector(this.asset.selector));
        if (ok && ret.length == 32) {
            address a = abi.decode(ret, (address));
            if (a != address(AID_)) revert AssetMismatch(a, address(AID_));
        }
    }

    function _aid() internal view override returns (IAID) {
        return AID_;
    }

    // ================================================================ internals

    /// @dev Loss-aware figures of the views: {PositionLogic.snapshot}.
    function _snapshot() private view returns (uint256, uint256, uint256, uint256, uint256, uint256) {
        return PositionLogic.snapshot(_s());
    }

    /// @dev Deposit-side checks (pause, caller and receiver unrestricted), then books reported losses and recoveries;
    ///      returns the entry value (NAV + unvested + the stakers' part of undecided write-downs; refused while wiped).
    function _enter(address receiver) private returns (Hot memory h, uint256 value) {
        Layout storage $ = _s();
        h = $.hot;
        if (h.paused) revert EnforcedPause();
        if (receiver == address(0)) revert ERC20InvalidReceiver(address(0));
        _requireUnrestricted(msg.sender); // a deny-listed caller cannot pay in: AID refuses its transfer
        if (receiver != msg.sender) {
            _requireUnrestricted(receiver);
            _requireClear(receiver, false);
        }
        uint256 off;
        if (h.positionCount != 0) {
            off = PositionLogic.syncLosses($);
            h = $.hot;
        }
        value = VaultLedger.entry(h, $.ledger) + off;
        if (VaultLedger.wiped(value, h.supply, off)) revert VaultWiped();
    }

    /// @dev Withdraw-side checks (pause, delay 0, owner/caller/receiver not FULL, owner/caller not deny-listed: AID
    ///      itself refuses a deny-listed receiver), then books reported losses.
    function _exit(address receiver, address owner) private returns (Hot memory h, Ledger memory l) {
        Layout storage $ = _s();
        h = $.hot;
        if (h.paused) revert EnforcedPause();
        if (h.unstakeDelay != 0) revert UnstakeDelayActive(h.unstakeDelay);
        if (receiver == address(0)) revert ERC20InvalidReceiver(address(0));
        if (msg.sender == owner) _requireClear(owner, _full(owner));
        else _requireClearPair(owner, _full(owner), msg.sender, _full(msg.sender));
        if (receiver != owner && receiver != msg.sender && _full(receiver)) {
            revert AccountRestricted(receiver, Restriction.FULL);
        }
        if (h.positionCount != 0) {
            PositionLogic.syncLosses($);
            h = $.hot;
        }
        l = $.ledger;
    }

    function _canExit(address owner) private view returns (bool) {
        Hot memory h = _s().hot;
        return !h.paused && h.unstakeDelay == 0 && _isClear(owner, _full(owner));
    }

    function _full(address account) private view returns (bool) {
        return _s().accounts[account] >> 248 == FULL;
    }

    function _requireUnrestricted(address account) private view {
        uint256 r = _s().accounts[account] >> 248;
        if (r != 0) revert AccountRestricted(account, Restriction(r));
    }

    function _setPaused(bool p) private {
        Layout storage $ = _s();
        if ($.hot.paused == p) revert PauseStateUnchanged();
        $.hot.paused = p;
        emit PausedSet(p);
    }

    function _mintShares(Hot memory h, address receiver, uint256 assets, uint256 shares) private {
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), assets);
        h.supply = (uint256(h.supply) + shares).toUint104();
        h.liquid += SafeCast.toInt112(SafeCast.toInt256(assets));
        Layout storage $ = _s();
        $.hot = h;
        $.accounts[receiver] += shares; // supply < 2^104: never reaches the restriction byte
        emit Transfer(address(0), receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    function _burnShares(Hot memory h, address receiver, address owner, uint256 assets, uint256 shares) private {
        if (msg.sender != owner) _spendAllowance(owner, msg.sender, shares);
        Layout storage $ = _s();
        uint256 word = $.accounts[owner];
        uint256 balance = word & BALANCE_MASK;
        if (balance < shares) revert ERC20InsufficientBalance(owner, balance, shares);
        $.accounts[owner] = word - shares;
        // forge-lint: disable-next-line(unsafe-typecast)
        h.supply -= uint104(shares);
        // forge-lint: disable-next-line(unsafe-typecast)
        h.liquid -= int112(int256(assets)); // assets <= free <= liquid
        $.hot = h;
        emit Transfer(owner, address(0), shares);
        IERC20(asset()).safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    /// @dev ERC-4626 conversions (previews, convert*). Rounding up a share count (previewWithdraw) or down an asset
    ///      amount (convertToAssets, previewRedeem) prices an exit on NAV: {VaultMath.exitShares} / {VaultMath.exitAssets}.
    ///      Rounding down a share count (convertToShares, previewDeposit) or up an asset amount (previewMint) prices an
    ///      entry on the entry value ({VaultLedger.entry}), with VaultMath.VIRTUAL virtual shares and assets.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        (uint256 nav, uint256 value, uint256 supply,,,) = _snapshot();
        if (rounding == Math.Rounding.Ceil) return VaultMath.exitShares(assets, nav, supply);
        return assets.mulDiv(supply + VaultMath.VIRTUAL, value + VaultMath.VIRTUAL, rounding);
    }

    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        (uint256 nav, uint256 value, uint256 supply,,,) = _snapshot();
        if (rounding == Math.Rounding.Floor) return VaultMath.exitAssets(shares, nav, supply);
        return shares.mulDiv(value + VaultMath.VIRTUAL, supply + VaultMath.VIRTUAL, rounding);
    }

    /// @dev Transfers only (mint and burn never come here): not paused, neither side FULL-restricted nor deny-listed.
    function _update(address from, address to, uint256 value) internal override {
        Layout storage $ = _s();
        if ($.hot.paused) revert EnforcedPause();
        uint256 fromWord = $.accounts[from];
        _requireClearPair(from, fromWord >> 248 == FULL, to, $.accounts[to] >> 248 == FULL);
        uint256 balance = fromWord & BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        if (from != to) {
            $.accounts[from] = fromWord - value;
            $.accounts[to] += value;
        }
        emit Transfer(from, to, value);
    }

    /// @dev Approvals (not allowance spending) refuse FULL-restricted or deny-listed owners and spenders.
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        if (emitEvent) _requireClearPair(owner, _full(owner), spender, _full(spender));
        super._approve(owner, spender, value, emitEvent);
    }
}
