// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../interfaces/IStakingVault.sol";
import {DelayedParamLib} from "../libraries/DelayedParamLib.sol";
import {RewardLedger} from "../libraries/RewardLedger.sol";
import {RewardMath} from "../libraries/RewardMath.sol";
import {RewardStreamLib} from "../libraries/RewardStreamLib.sol";
import {StakePoolLib} from "../libraries/StakePoolLib.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title StakingVault
/// @notice See {IStakingVault}.
/// @dev Accounting identity (INV-STK-01): GAIB held = Σ active pools + Σ queued pools (slashed GAIB leaves the vault,
///      claimed GAIB leaves the vault). Every change to an operator's active or queued assets goes through `_refresh`,
///      which re-derives its weight and slashable checkpoints from the pools, so the checkpoints can never drift.
contract StakingVault is IStakingVault, AccessControlDefaultAdminRules {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;
    using DelayedParamLib for DelayedParamLib.Param;
    using RewardStreamLib for RewardStreamLib.Stream;
    using RewardLedger for RewardLedger.Ledger;
    using RewardLedger for RewardLedger.Account;
    using StakePoolLib for StakePoolLib.Pool;
    using StakePoolLib for StakePoolLib.Position;

    /// @inheritdoc IStakingVault
    bytes32 public constant REWARDER_ROLE = keccak256("REWARDER_ROLE");

    /// @inheritdoc IStakingVault
    uint256 public constant WITHDRAWAL_DELAY = 21 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant MAX_COMMISSION_BPS = 2000; // [bps] 20%
    /// @inheritdoc IStakingVault
    uint256 public constant COMMISSION_DELAY = 7 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant COMMISSION_GRID = 1 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant REWARD_DURATION = 7 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant MIN_SELF_STAKE_DELAY = 7 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant OPT_DELAY = 1 days; // [s]
    /// @inheritdoc IStakingVault
    uint256 public constant MAX_CAPTURE_AGE = 1 days; // [s] < WITHDRAWAL_DELAY
    /// @inheritdoc IStakingVault
    uint256 public constant EXPOSURE_EPOCHS = 25; // [epochs] TelemetryOracle.ATTEST_WINDOW + 1
    /// @inheritdoc IStakingVault
    uint256 public constant MAX_CHALLENGE_WINDOW = 7 days; // [s] TelemetryOracle.MAX_CHALLENGE_WINDOW
    /// @notice Bounds of the epoch duration [s].
    uint256 public constant MIN_EPOCH_DURATION = 10 minutes;
    uint256 public constant MAX_EPOCH_DURATION = 1 days;
    /// @notice Upper bound of the minimum self-stake [wad].
    uint256 public constant MAX_MIN_SELF_STAKE = 10_000_000e18;
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted [s].
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    /// @inheritdoc IStakingVault
    IERC20 public immutable gaib;
    /// @notice The reward token (protocol fee).
    IERC20 public immutable aid;
    /// @inheritdoc IStakingVault
    uint256 public immutable GENESIS; // [s]
    /// @inheritdoc IStakingVault
    uint256 public immutable EPOCH_DURATION; // [s]

    struct Operator {
        bool registered;
        bool optedIn;
        bool optPending;
        bool optTarget;
        uint48 optEffectiveAt; // [s]
        uint48 lastExitAt; // [s]
        uint32 pendingSlashes;
    }

    /// @notice The slashing module (VetoSlasher), set once.
    address public slasher;
    /// @notice Total AID ever notified, and paid out (rewards + commission) [wad].
    uint256 public totalRewardsNotified;
    uint256 public totalRewardsPaid;
    /// @notice Id the next exit gets.
    uint256 public nextExitId = 1;

    mapping(address operator => Operator) private _operators;
    mapping(address operator => StakePoolLib.Pool) private _active;
    mapping(address operator => StakePoolLib.Pool) private _queued;
    mapping(address staker => mapping(address operator => StakePoolLib.Position)) private _positions;
    mapping(uint256 id => Exit) private _exits;
    mapping(address operator => Checkpoints.Trace208) private _weight;
    mapping(address operator => Checkpoints.Trace208) private _slashable;
    Checkpoints.Trace208 private _totalWeight;
    DelayedParamLib.Param private _minSelfStake; // [wad]
    RewardLedger.Ledger private _rewards; // streams, commission and reward indices

    modifier onlySlasher() {
        if (msg.sender != slasher) revert NotSlasher(msg.sender);
        _;
    }

    /// @param gaib_ The GAIB token.
    /// @param aid_ The AID token (rewards).
    /// @param admin DEFAULT_ADMIN_ROLE holder.
    /// @param genesis Start of epoch 0 [s], not in the future.
    /// @param epochDuration Epoch length [s], 10 minutes .. 1 day (default deployment: 1 hour).
    /// @param minSelfStake_ Minimum operator self-stake [wad].
    constructor(IERC20 gaib_, IERC20 aid_, address admin, uint256 genesis, uint256 epochDuration, uint256 minSelfStake_)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {
        if (address(gaib_) == address(0) || address(aid_) == address(0)) revert ZeroAddress();
        if (epochDuration < MIN_EPOCH_DURATION || epochDuration > MAX_EPOCH_DURATION) {
            revert EpochDurationOutOfBounds(epochDuration);
        }
        if (genesis > block.timestamp) revert GenesisInFuture(genesis);
        if (minSelfStake_ > MAX_MIN_SELF_STAKE) revert MinSelfStakeTooHigh(minSelfStake_, MAX_MIN_SELF_STAKE);
        gaib = gaib_;
        aid = aid_;
        GENESIS = genesis;
        EPOCH_DURATION = epochDuration;
        // forge-lint: disable-next-line(unsafe-typecast)
        _minSelfStake.init(uint160(minSelfStake_));
    }

    // ================================================================ operators

    /// @inheritdoc IStakingVault
    function registerOperator(uint16 commissionBps, uint256 selfStake) external returns (uint256 shares) {
        Operator storage op = _operators[msg.sender];
        if (op.registered) revert AlreadyOperator(msg.sender);
        if (commissionBps > MAX_COMMISSION_BPS) revert CommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        uint256 min = minSelfStake();
        if (selfStake < min || selfStake == 0) revert SelfStakeBelowMinimum(selfStake, min);
        op.registered = true;
        _rewards.accounts[msg.sender].commissionBps = commissionBps;
        emit OperatorRegistered(msg.sender, commissionBps, selfStake);
        shares = _stake(msg.sender, msg.sender, selfStake);
    }

    /// @inheritdoc IStakingVault
    function setCommission(uint16 bps) external {
        _operator(msg.sender);
        if (bps > MAX_COMMISSION_BPS) revert CommissionTooHigh(bps, MAX_COMMISSION_BPS);
        _sync(msg.sender); // applies a change already due; a change not yet due is replaced
        uint256 at = _rewards.scheduleCommission(msg.sender, bps, GENESIS, COMMISSION_DELAY, COMMISSION_GRID);
        emit CommissionScheduled(msg.sender, bps, at);
    }

    /// @inheritdoc IStakingVault
    function setOptIn(bool optIn) external {
        Operator storage op = _operator(msg.sender);
        bool target = op.optPending ? op.optTarget : op.optedIn;
        if (optIn == target) revert OptStateUnchanged();
        if (optIn == op.optedIn) {
            op.optPending = false; // back to the status in force: cancel the scheduled change
            emit OptChangeCancelled(msg.sender);
            return;
        }
        if (optIn) _checkSelfStake(msg.sender);
        op.optPending = true;
        op.optTarget = optIn;
        // forge-lint: disable-next-line(unsafe-typecast)
        uint48 at = uint48(block.timestamp + OPT_DELAY);
        op.optEffectiveAt = at;
        emit OptChangeScheduled(msg.sender, optIn, at);
    }

    /// @inheritdoc IStakingVault
    function finalizeOptChange(address operator) external {
        Operator storage op = _operator(operator);
        if (!op.optPending) revert NoPendingOptChange();
        if (block.timestamp < op.optEffectiveAt) revert OptChangeNotReady(op.optEffectiveAt);
        if (op.optTarget) _checkSelfStake(operator);
        _sync(operator);
        op.optedIn = op.optTarget;
        op.optPending = false;
        _refresh(operator);
        emit OptChanged(operator, op.optedIn);
    }

    /// @inheritdoc IStakingVault
    function enforceMinSelfStake(address operator) external {
        Operator storage op = _operator(operator);
        if (!op.optedIn && !(op.optPending && op.optTarget)) revert OptStateUnchanged();
        uint256 selfStake = stakeOf(operator, operator);
        uint256 min = minSelfStake();
        if (selfStake >= min) revert SelfStakeNotBelowMinimum(selfStake, min);
        op.optPending = false;
        if (op.optedIn) {
            _sync(operator);
            op.optedIn = false;
            _refresh(operator);
        }
        emit OptChanged(operator, false);
    }

    // ================================================================ staking

    /// @inheritdoc IStakingVault
    function stake(address operator, uint256 assets) external returns (uint256 shares) {
        _operator(operator);
        _notFrozen(operator);
        shares = _stake(msg.sender, operator, assets);
    }

    /// @inheritdoc IStakingVault
    function queueWithdrawal(address operator, uint256 shares) external returns (uint256 id) {
        _operator(operator);
        id = _queueExit(
            operator, address(0), shares, Math.max(block.timestamp + WITHDRAWAL_DELAY, exposureEnd(block.timestamp))
        );
    }

    /// @inheritdoc IStakingVault
    function redelegate(address from, address to, uint256 shares) external returns (uint256 id) {
        _operator(from);
        _operator(to);
        if (from == to) revert SameOperator();
        id = _queueExit(from, to, shares, exposureEnd(block.timestamp));
    }

    /// @inheritdoc IStakingVault
    function claimWithdrawal(uint256 id) external returns (uint256 assets) {
        // a redelegation not completed WITHDRAWAL_DELAY after its maturity (its target kept frozen) may be withdrawn:
        // that is later than a withdrawal queued at the same time, so it dodges neither the delay nor any exposure
        Exit storage s = _exits[id];
        bool stranded = s.to != address(0) && block.timestamp >= uint256(s.maturity) + WITHDRAWAL_DELAY;
        Exit memory e = _matureExit(id, stranded);
        if (e.owner != msg.sender) revert NotExitOwner(id);
        assets = _release(id, e);
        gaib.safeTransfer(e.owner, assets);
        emit WithdrawalClaimed(id, e.owner, assets);
    }

    /// @inheritdoc IStakingVault
    function completeRedelegation(uint256 id) external returns (uint256 shares) {
        Exit memory e = _matureExit(id, true);
        _notFrozen(e.to); // stake never joins an operator while a slash of it is pending
        uint256 assets = _release(id, e);
        if (_active[e.to].sharesFor(assets) == 0) {
            // dust the target pool cannot represent: paid out rather than stranded
            gaib.safeTransfer(e.owner, assets);
        } else {
            _sync(e.to);
            shares = _mintActive(e.owner, e.to, assets);
        }
        emit RedelegationCompleted(id, e.owner, e.to, assets, shares);
    }

    // ================================================================ rewards

    /// @inheritdoc IStakingVault
    function notifyReward(address operator, uint256 amount) external onlyRole(REWARDER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        if (operator == address(0)) {
            uint256 total = _totalWeight.latest();
            if (total == 0) revert NoActiveStake();
            _rewards.notifyGlobal(amount, total, REWARD_DURATION);
        } else {
            _operator(operator);
            _sync(operator);
            _rewards.accounts[operator].stream.notify(amount, REWARD_DURATION);
        }
        totalRewardsNotified += amount;
        aid.safeTransferFrom(msg.sender, address(this), amount);
        emit RewardNotified(operator, amount);
    }

    /// @inheritdoc IStakingVault
    function claimRewards(address operator) external returns (uint256 amount) {
        _sync(operator);
        StakePoolLib.Position storage p = _positions[msg.sender][operator];
        p.accrue(_rewards.accounts[operator].rewardPerShare);
        amount = p.rewardAccrued;
        if (amount == 0) revert NothingToClaim();
        p.rewardAccrued = 0;
        totalRewardsPaid += amount;
        aid.safeTransfer(msg.sender, amount);
        emit RewardsClaimed(msg.sender, operator, amount);
    }

    /// @inheritdoc IStakingVault
    function claimCommission() external returns (uint256 amount) {
        _operator(msg.sender);
        _sync(msg.sender);
        RewardLedger.Account storage a = _rewards.accounts[msg.sender];
        amount = a.commissionAccrued;
        if (amount == 0) revert NothingToClaim();
        a.commissionAccrued = 0;
        totalRewardsPaid += amount;
        aid.safeTransfer(msg.sender, amount);
        emit CommissionClaimed(msg.sender, amount);
    }

    // ================================================================ slashing module

    /// @inheritdoc IStakingVault
    function beginSlash(address operator, uint256 captureTime)
        external
        onlySlasher
        returns (uint48 effectiveCapture, uint256 slashableAtCapture)
    {
        Operator storage op = _operator(operator);
        if (captureTime > block.timestamp) revert CaptureInFuture(captureTime);
        if (captureTime + MAX_CAPTURE_AGE < block.timestamp) {
            revert CaptureTooOld(captureTime, block.timestamp - MAX_CAPTURE_AGE);
        }
        effectiveCapture = uint48(Math.max(captureTime, op.lastExitAt));
        slashableAtCapture = _slashable[operator].upperLookupRecent(effectiveCapture);
        ++op.pendingSlashes;
        emit SlashBegun(operator, effectiveCapture, slashableAtCapture);
    }

    /// @inheritdoc IStakingVault
    function cancelSlash(address operator) external onlySlasher {
        Operator storage op = _operator(operator);
        if (op.pendingSlashes == 0) revert NoPendingSlash(operator);
        --op.pendingSlashes;
        emit SlashCancelled(operator);
    }

    /// @inheritdoc IStakingVault
    function executeSlash(address operator, uint256 amount, address recipient)
        external
        onlySlasher
        returns (uint256 slashed)
    {
        Operator storage op = _operator(operator);
        if (op.pendingSlashes == 0) revert NoPendingSlash(operator);
        if (recipient == address(0)) revert ZeroAddress();
        --op.pendingSlashes;
        uint256 fromActive;
        uint256 fromQueued;
        (slashed, fromActive, fromQueued) = _active[operator].slash(_queued[operator], amount);
        if (slashed != 0) {
            _sync(operator); // reads the weight checkpoint and the share count, neither changed yet
            _refresh(operator);
            gaib.safeTransfer(recipient, slashed);
        }
        emit Slashed(operator, slashed, fromActive, fromQueued, recipient);
    }

    // ================================================================ admin

    /// @inheritdoc IStakingVault
    function setSlasher(address slasher_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (slasher_ == address(0)) revert ZeroAddress();
        if (slasher != address(0)) revert SlasherAlreadySet();
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @inheritdoc IStakingVault
    function setMinSelfStake(uint256 minSelfStake_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (minSelfStake_ > MAX_MIN_SELF_STAKE) revert MinSelfStakeTooHigh(minSelfStake_, MAX_MIN_SELF_STAKE);
        if (minSelfStake_ <= minSelfStake()) {
            // forge-lint: disable-next-line(unsafe-typecast)
            _minSelfStake.init(uint160(minSelfStake_)); // a decrease applies at once (and drops a scheduled raise)
            emit MinSelfStakeSet(minSelfStake_);
        } else {
            // forge-lint: disable-next-line(unsafe-typecast)
            uint48 at = _minSelfStake.schedule(uint160(minSelfStake_), MIN_SELF_STAKE_DELAY);
            emit MinSelfStakeScheduled(minSelfStake_, at);
        }
    }

    // ================================================================ views

    /// @inheritdoc IStakingVault
    function minSelfStake() public view returns (uint256) {
        return _minSelfStake.get();
    }

    /// @inheritdoc IStakingVault
    function pendingMinSelfStake() external view returns (uint256 value, uint256 effectiveAt) {
        return _minSelfStake.pendingOf();
    }

    /// @inheritdoc IStakingVault
    function pendingCommissionChange(address operator) external view returns (uint256 bps, uint256 effectiveAt) {
        RewardLedger.Account storage a = _rewards.accounts[operator];
        if (a.commissionEffectiveAt > block.timestamp) return (a.pendingCommissionBps, a.commissionEffectiveAt);
    }

    /// @inheritdoc IStakingVault
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - GENESIS) / EPOCH_DURATION;
    }

    /// @inheritdoc IStakingVault
    function epochAt(uint256 t) external view returns (uint256) {
        return (t - GENESIS) / EPOCH_DURATION;
    }

    /// @inheritdoc IStakingVault
    function epochStart(uint256 epoch) public view returns (uint256) {
        return GENESIS + epoch * EPOCH_DURATION;
    }

    /// @inheritdoc IStakingVault
    function exposureEnd(uint256 t) public view returns (uint256) {
        return epochStart((t - GENESIS) / EPOCH_DURATION + EXPOSURE_EPOCHS) + MAX_CHALLENGE_WINDOW;
    }

    /// @inheritdoc IStakingVault
    function isOperator(address account) external view returns (bool) {
        return _operators[account].registered;
    }

    /// @inheritdoc IStakingVault
    function isOptedIn(address operator) external view returns (bool) {
        return _operators[operator].optedIn;
    }

    /// @inheritdoc IStakingVault
    function commissionOf(address operator) external view returns (uint256) {
        return _rewards.accounts[operator].commissionOf();
    }

    /// @inheritdoc IStakingVault
    function operatorWeightAt(address operator, uint256 t) public view returns (uint256) {
        return _weight[operator].upperLookupRecent(SafeCast.toUint48(t));
    }

    /// @inheritdoc IStakingVault
    function totalWeightAt(uint256 t) public view returns (uint256) {
        return _totalWeight.upperLookupRecent(SafeCast.toUint48(t));
    }

    /// @inheritdoc IStakingVault
    function operatorWeightForEpoch(address operator, uint256 epoch) external view returns (uint256) {
        return operatorWeightAt(operator, epochStart(epoch));
    }

    /// @inheritdoc IStakingVault
    function totalWeightForEpoch(uint256 epoch) external view returns (uint256) {
        return totalWeightAt(epochStart(epoch));
    }

    /// @inheritdoc IStakingVault
    function slashableAt(address operator, uint256 t) external view returns (uint256) {
        return _slashable[operator].upperLookupRecent(SafeCast.toUint48(t));
    }

    /// @inheritdoc IStakingVault
    function activePool(address operator) external view returns (uint256 assets, uint256 shares) {
        StakePoolLib.Pool storage p = _active[operator];
        return (p.assets, p.shares);
    }

    /// @inheritdoc IStakingVault
    function queuedPool(address operator) external view returns (uint256 assets, uint256 shares) {
        StakePoolLib.Pool storage p = _queued[operator];
        return (p.assets, p.shares);
    }

    /// @inheritdoc IStakingVault
    function sharesOf(address staker, address operator) external view returns (uint256) {
        return _positions[staker][operator].shares;
    }

    /// @inheritdoc IStakingVault
    function stakeOf(address staker, address operator) public view returns (uint256) {
        return _active[operator].value(_positions[staker][operator].shares);
    }

    /// @inheritdoc IStakingVault
    function getExit(uint256 id) external view returns (Exit memory) {
        return _exits[id];
    }

    /// @inheritdoc IStakingVault
    function exitAssets(uint256 id) external view returns (uint256) {
        Exit storage e = _exits[id];
        return _queued[e.operator].value(e.shares);
    }

    /// @inheritdoc IStakingVault
    function pendingSlashes(address operator) external view returns (uint256) {
        return _operators[operator].pendingSlashes;
    }

    /// @inheritdoc IStakingVault
    function lastExitAt(address operator) external view returns (uint256) {
        return _operators[operator].lastExitAt;
    }

    /// @inheritdoc IStakingVault
    function pendingRewards(address staker, address operator) external view returns (uint256) {
        (uint256 increment,,) = _accrual(operator);
        StakePoolLib.Position storage p = _positions[staker][operator];
        uint256 perShare = _rewards.accounts[operator].rewardPerShare + increment;
        return p.rewardAccrued + RewardMath.accrued(p.shares, p.rewardIndex, perShare);
    }

    /// @inheritdoc IStakingVault
    function pendingCommission(address operator) external view returns (uint256) {
        (, uint256 commission,) = _accrual(operator);
        return _rewards.accounts[operator].commissionAccrued + commission;
    }

    // ================================================================ internals: staking

    function _operator(address account) private view returns (Operator storage op) {
        op = _operators[account];
        if (!op.registered) revert NotOperator(account);
    }

    /// @dev Pulls `assets` GAIB from `staker` and mints active shares of `operator` to it.
    function _stake(address staker, address operator, uint256 assets) private returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        _sync(operator);
        shares = _mintActive(staker, operator, assets);
        gaib.safeTransferFrom(staker, address(this), assets);
        emit Staked(staker, operator, assets, shares);
    }

    /// @dev Adds `assets` (already held by the vault) to `operator`'s active pool as shares of `staker`.
    ///      The operator must be synced.
    function _mintActive(address staker, address operator, uint256 assets) private returns (uint256 shares) {
        shares =
            _active[operator].mint(_positions[staker][operator], assets, _rewards.accounts[operator].rewardPerShare);
        _refresh(operator);
    }

    /// @dev Moves `shares` of the caller's position out of `operator`'s active pool into its queued pool.
    function _queueExit(address operator, address to, uint256 shares, uint256 maturity) private returns (uint256 id) {
        if (shares == 0) revert ZeroShares();
        StakePoolLib.Position storage p = _positions[msg.sender][operator];
        if (p.shares < shares) revert InsufficientShares(p.shares, shares);
        _sync(operator);
        (uint256 assets, uint256 queuedShares) =
            _active[operator].queue(_queued[operator], p, shares, _rewards.accounts[operator].rewardPerShare);
        if (msg.sender == operator) {
            Operator storage op = _operators[operator];
            if (op.optedIn || (op.optPending && op.optTarget)) _checkSelfStake(operator);
        }
        _refresh(operator);

        id = nextExitId++;
        _exits[id] =
        // forge-lint: disable-next-line(unsafe-typecast)
        Exit({owner: msg.sender, maturity: uint48(maturity), operator: operator, to: to, shares: queuedShares});
        emit ExitQueued(id, msg.sender, operator, to, assets, maturity);
    }

    /// @dev Exit `id` if it exists, is of the right kind, is mature and its operator is not frozen.
    function _matureExit(uint256 id, bool redelegation) private view returns (Exit memory e) {
        e = _exits[id];
        if (e.owner == address(0)) revert ExitNotFound(id);
        if ((e.to != address(0)) != redelegation) revert WrongExitKind(id);
        if (block.timestamp < e.maturity) revert ExitNotMature(id, e.maturity);
        _notFrozen(e.operator);
    }

    /// @dev Burns exit `id`'s queued shares; returns the GAIB they were worth (now outside every pool).
    function _release(uint256 id, Exit memory e) private returns (uint256 assets) {
        assets = _queued[e.operator].burn(e.shares);
        delete _exits[id];
        _operators[e.operator].lastExitAt = uint48(block.timestamp);
        _refresh(e.operator);
    }

    function _notFrozen(address operator) private view {
        uint256 pending = _operators[operator].pendingSlashes;
        if (pending != 0) revert OperatorFrozen(operator, pending);
    }

    function _checkSelfStake(address operator) private view {
        uint256 selfStake = stakeOf(operator, operator);
        uint256 min = minSelfStake();
        if (selfStake < min) revert SelfStakeBelowMinimum(selfStake, min);
    }

    /// @dev Re-derives `operator`'s weight (active assets while opted in) and slashable (active + queued) checkpoints,
    ///      and the total weight, from its pools. Called after every pool or opt-in change.
    function _refresh(address operator) private {
        uint48 now_ = uint48(block.timestamp);
        uint256 activeAssets = _active[operator].assets;
        uint256 slashable = activeAssets + _queued[operator].assets;
        // forge-lint: disable-next-line(unsafe-typecast)
        if (_slashable[operator].latest() != slashable) _slashable[operator].push(now_, uint208(slashable));
        uint256 weight = _operators[operator].optedIn ? activeAssets : 0;
        uint256 oldWeight = _weight[operator].latest();
        if (oldWeight != weight) {
            RewardStreamLib.update(_rewards.global, _totalWeight.latest()); // the pro-rata stream so far: old total
            // forge-lint: disable-next-line(unsafe-typecast)
            _weight[operator].push(now_, uint208(weight));
            // forge-lint: disable-next-line(unsafe-typecast)
            _totalWeight.push(now_, uint208(_totalWeight.latest() + weight - oldWeight));
        }
    }

    // ================================================================ internals: rewards

    /// @dev Brings what `operator` earned since its last sync into its index and commission (RewardLedger). Must run
    ///      before any change to its weight, commission, active shares or stream.
    function _sync(address operator) private {
        _rewards.sync(operator, _totalWeight.latest(), _weight[operator].latest(), _active[operator].shares);
    }

    /// @dev What `operator` earned since its last sync (views).
    function _accrual(address operator) private view returns (uint256 perShare, uint256 commission, bool due) {
        return _rewards.accrual(operator, _totalWeight.latest(), _weight[operator].latest(), _active[operator].shares);
    }
}
