// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStakingVault
/// @notice Restaking-style GAIB staking. Stakers stake GAIB and delegate it to an operator; operators run the
///         telemetry attestation service and are slashable. Each operator has two share pools with a virtual offset
///         (see ShareMath): an ACTIVE pool (delegated stake: voting weight, rewards) and a QUEUED pool (withdrawals and
///         redelegations on their way out). A slash is spread pro-rata over both pools.
///
///         Epochs: `epochOf(t) = (t - GENESIS) / EPOCH_DURATION` (default 1 hour, bounded 10 minutes .. 1 day).
///         Stake snapshot rule: the weight of an operator "for epoch e" is its active stake, if opted in to the node
///         network, at the timestamp `epochStart(e)` (the last checkpoint at or before it). Stake added or removed
///         during epoch e-1 therefore counts from epoch e on; attestations for e are only made after e ended, so the
///         weight behind them is fixed history that cannot be flash-staked.
///
///         Exits: the stake leaves the operator's weight at once (so it stops counting from the next epoch on), but it
///         stays in the operator's queued pool, slashable, until the exit matures: `queueWithdrawal` after
///         WITHDRAWAL_DELAY (21 days), `redelegate` after the exposure (below), and never before `exposureEnd(now)`.
///         No exit of an operator can be claimed or completed while a slash of that operator is pending (requested,
///         not yet vetoed or executed).
///
///         Exposure (INV-STK-04): stake that leaves during epoch e still counts in the weight for e, and the operator
///         can attest e until EXPOSURE_EPOCHS - 1 epochs after e ended (TelemetryOracle.ATTEST_WINDOW = 24); a root
///         accepted then can be challenged for at most MAX_CHALLENGE_WINDOW (TelemetryOracle's bound, 7 days). So
///         `exposureEnd(t) = epochStart(epochAt(t) + EXPOSURE_EPOCHS) + MAX_CHALLENGE_WINDOW` is after the challenge
///         deadline of every root the leaving stake can have backed: a challenge (and its slash request, which
///         freezes the operator's exits) always finds that stake still in the queued pool. Redelegating or
///         withdrawing right after attesting a false root therefore cannot dodge the slash.
///
///         Slashable at capture: `slashableAt(operator, t)` is the operator's active + queued stake at time t, i.e.
///         everything delegated to it that had not exited by t (checkpointed on every change). A slash request may
///         capture at most MAX_CAPTURE_AGE in the past; its capture is raised to the operator's last exit if that is
///         later, so every unit of stake counted at the capture is still in the operator's pools at the request and,
///         frozen from then on, bears its share of the executed slash. Consequences (INV-STK-03): a withdrawal queued
///         after the capture, or not yet mature when the request is made, can never escape; the only stake that escapes
///         a capture is stake that had already matured and exited before the request was made, and then the capture
///         is moved past that exit so the remaining stakers do not pay for it. No stake joins an operator while a slash
///         of it is pending (`stake` and completing a redelegation into it revert `OperatorFrozen`), so stake that
///         arrives after the request never pays it; the executed amount is spread over the pools as they are at
///         execution. The slashing module caps the sum of all slashes with one capture by the stake slashable then.
///
///         Rewards: the protocol fee (AID) streams linearly over REWARD_DURATION (7 days) from its notification,
///         per operator (`notifyReward(operator, …)`) or pro-rata to every opted-in operator by weight (operator 0),
///         into a reward-per-share index over the active pool, minus the commission in force while it accrued;
///         stakers pull. A notification restarts the stream with the new amount plus what was not yet streamed.
///         Stake earns only for the time it is present, so a stake placed just before a notification earns its
///         time-weighted share, not the notified amount. A commission change takes effect COMMISSION_DELAY after it
///         is scheduled, rounded up to the next COMMISSION_GRID time (GENESIS + k days); rewards that accrued before
///         that time pay the old rate, whenever the operator is next synced.
///
///         Minimum self-stake: a raise takes effect MIN_SELF_STAKE_DELAY after it is set (a decrease at once); an
///         operator then below it can be opted out by anyone (`enforceMinSelfStake`), which removes its weight.
interface IStakingVault {
    // ---------------------------------------------------------------- types

    /// @notice A queued exit from `operator`: a withdrawal (`to == address(0)`) or a redelegation to `to`.
    struct Exit {
        address owner;
        uint48 maturity; // [s] claimable / completable from this time
        address operator;
        address to;
        uint256 shares; // of the operator's queued pool
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `operator` registers with `commissionBps` and `selfStake` GAIB.
    event OperatorRegistered(address indexed operator, uint16 commissionBps, uint256 selfStake);
    /// @notice Emitted when `operator` schedules commission `bps`, effective at `effectiveAt`.
    event CommissionScheduled(address indexed operator, uint16 bps, uint256 effectiveAt);
    /// @notice Emitted when `operator` schedules opting in (`optIn`) or out of the node network.
    event OptChangeScheduled(address indexed operator, bool optIn, uint256 effectiveAt);
    /// @notice Emitted when a scheduled opt change is cancelled by the operator.
    event OptChangeCancelled(address indexed operator);
    /// @notice Emitted when `operator`'s opt-in status becomes `optedIn`.
    event OptChanged(address indexed operator, bool optedIn);
    /// @notice Emitted when `staker` stakes `assets` GAIB with `operator` for `shares` active shares.
    event Staked(address indexed staker, address indexed operator, uint256 assets, uint256 shares);
    /// @notice Emitted when exit `id` is queued: `assets` leave `operator`'s active pool (to `to`, or withdrawn).
    event ExitQueued(
        uint256 indexed id,
        address indexed owner,
        address indexed operator,
        address to,
        uint256 assets,
        uint256 maturity
    );
    /// @notice Emitted when withdrawal `id` pays `assets` GAIB to its owner.
    event WithdrawalClaimed(uint256 indexed id, address indexed owner, uint256 assets);
    /// @notice Emitted when redelegation `id` moves `assets` into `to`'s active pool as `shares`.
    event RedelegationCompleted(
        uint256 indexed id, address indexed owner, address indexed to, uint256 assets, uint256 shares
    );
    /// @notice Emitted when a slash of `operator` starts: capture time (after raising) and stake slashable then.
    event SlashBegun(address indexed operator, uint256 captureTime, uint256 slashableAtCapture);
    /// @notice Emitted when a pending slash of `operator` is cancelled (vetoed).
    event SlashCancelled(address indexed operator);
    /// @notice Emitted when `operator` is slashed `amount` GAIB (`fromActive` + `fromQueued`) sent to `recipient`.
    event Slashed(address indexed operator, uint256 amount, uint256 fromActive, uint256 fromQueued, address recipient);
    /// @notice Emitted when `amount` AID of rewards is streamed to `operator` (zero: pro-rata to all).
    event RewardNotified(address indexed operator, uint256 amount);
    /// @notice Emitted when `staker` claims `amount` AID of rewards earned with `operator`.
    event RewardsClaimed(address indexed staker, address indexed operator, uint256 amount);
    /// @notice Emitted when `operator` claims `amount` AID of commission.
    event CommissionClaimed(address indexed operator, uint256 amount);
    /// @notice Emitted when the minimum operator self-stake changes (a decrease, at once).
    event MinSelfStakeSet(uint256 minSelfStake);
    /// @notice Emitted when a raise of the minimum self-stake is scheduled, effective at `effectiveAt`.
    event MinSelfStakeScheduled(uint256 minSelfStake, uint256 effectiveAt);
    /// @notice Emitted once, when the slashing module is set.
    event SlasherSet(address slasher);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when an amount argument is zero (or converts to zero assets).
    error ZeroAmount();
    /// @notice Thrown when a share amount is zero or an amount converts to zero shares.
    error ZeroShares();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when `account` is not a registered operator.
    error NotOperator(address account);
    /// @notice Thrown when `account` registers a second time.
    error AlreadyOperator(address account);
    /// @notice Thrown when a commission above MAX_COMMISSION_BPS is requested.
    error CommissionTooHigh(uint256 bps, uint256 maxBps);
    /// @notice Thrown when an operator's self-stake would be (or is) below the minimum while it is, or is becoming,
    ///         opted in; or when registering with less.
    error SelfStakeBelowMinimum(uint256 selfStake, uint256 minSelfStake);
    /// @notice Thrown when `enforceMinSelfStake` is called for an operator whose self-stake meets the minimum.
    error SelfStakeNotBelowMinimum(uint256 selfStake, uint256 minSelfStake);
    /// @notice Thrown when the admin sets a minimum self-stake above MAX_MIN_SELF_STAKE.
    error MinSelfStakeTooHigh(uint256 value, uint256 max);
    /// @notice Thrown when exiting more shares than the position holds.
    error InsufficientShares(uint256 available, uint256 requested);
    /// @notice Thrown when a redelegation targets its own source operator.
    error SameOperator();
    /// @notice Thrown when exit `id` does not exist (never queued, or already claimed/completed).
    error ExitNotFound(uint256 id);
    /// @notice Thrown when someone other than its owner claims withdrawal `id`.
    error NotExitOwner(uint256 id);
    /// @notice Thrown when a withdrawal is completed as a redelegation or vice versa.
    error WrongExitKind(uint256 id);
    /// @notice Thrown when exit `id` is claimed or completed before `maturity`.
    error ExitNotMature(uint256 id, uint256 maturity);
    /// @notice Thrown when an exit of `operator` is claimed or completed, or stake is added to it (a stake or a
    ///         redelegation completing into it), while it has `pendingSlashes` pending.
    error OperatorFrozen(address operator, uint256 pendingSlashes);
    /// @notice Thrown when the opt-in status change requested is already the current or scheduled one.
    error OptStateUnchanged();
    /// @notice Thrown when finalizing an opt change that was never scheduled.
    error NoPendingOptChange();
    /// @notice Thrown when finalizing an opt change before `effectiveAt`.
    error OptChangeNotReady(uint256 effectiveAt);
    /// @notice Thrown when a slashing entry point is called by anyone but the slashing module.
    error NotSlasher(address caller);
    /// @notice Thrown when the slashing module is set a second time.
    error SlasherAlreadySet();
    /// @notice Thrown when a slash capture time lies in the future.
    error CaptureInFuture(uint256 captureTime);
    /// @notice Thrown when a slash capture time is older than MAX_CAPTURE_AGE.
    error CaptureTooOld(uint256 captureTime, uint256 oldestAllowed);
    /// @notice Thrown when a slash is cancelled or executed for an operator with none pending.
    error NoPendingSlash(address operator);
    /// @notice Thrown when rewards are streamed pro-rata while no operator has any weight.
    error NoActiveStake();
    /// @notice Thrown when claiming rewards or commission with nothing accrued.
    error NothingToClaim();
    /// @notice Thrown when the constructor gets an epoch duration outside the bounds.
    error EpochDurationOutOfBounds(uint256 duration);
    /// @notice Thrown when the constructor gets a genesis time in the future.
    error GenesisInFuture(uint256 genesis);

    // ---------------------------------------------------------------- roles and constants

    /// @notice May stream protocol-fee rewards (AID) with `notifyReward` (the fee source).
    function REWARDER_ROLE() external view returns (bytes32);
    /// @notice Delay between queueing a withdrawal and claiming it [s] (21 days).
    function WITHDRAWAL_DELAY() external view returns (uint256);
    /// @notice Maximum operator commission [bps] (20%).
    function MAX_COMMISSION_BPS() external view returns (uint256);
    /// @notice Delay before a commission change applies [s].
    function COMMISSION_DELAY() external view returns (uint256);
    /// @notice Commission changes take effect at GENESIS + k × COMMISSION_GRID [s] (1 day).
    function COMMISSION_GRID() external view returns (uint256);
    /// @notice Time over which a notified reward is streamed [s] (7 days).
    function REWARD_DURATION() external view returns (uint256);
    /// @notice Delay before a raised minimum self-stake applies [s].
    function MIN_SELF_STAKE_DELAY() external view returns (uint256);
    /// @notice Delay before opting in to or out of the node network can be finalized [s].
    function OPT_DELAY() external view returns (uint256);
    /// @notice How far in the past a slash may capture [s].
    function MAX_CAPTURE_AGE() external view returns (uint256);
    /// @notice Epoch starts after the one of an exit during which the leaving stake may still back an attestation
    ///         [epochs] (the oracle's 24-epoch attestation window + the exit's own epoch).
    function EXPOSURE_EPOCHS() external view returns (uint256);
    /// @notice Longest challenge window of an accepted root [s] (the telemetry oracle's bound).
    function MAX_CHALLENGE_WINDOW() external view returns (uint256);
    /// @notice The staked token (GAIB).
    function gaib() external view returns (IERC20);
    /// @notice Start of epoch 0 [s].
    function GENESIS() external view returns (uint256);
    /// @notice Length of an epoch [s].
    function EPOCH_DURATION() external view returns (uint256);

    // ---------------------------------------------------------------- operators

    /// @notice Registers the caller as an operator with `commissionBps` (≤ 20%) and stakes `selfStake` GAIB
    ///         (≥ `minSelfStake`) to itself. Not opted in until `setOptIn(true)` + `finalizeOptChange`.
    function registerOperator(uint16 commissionBps, uint256 selfStake) external returns (uint256 shares);

    /// @notice Schedules the caller's commission to `bps` (≤ 20%) from the first COMMISSION_GRID time at least
    ///         COMMISSION_DELAY from now (replacing a change not yet in force).
    function setCommission(uint16 bps) external;

    /// @notice Schedules opting the caller in to (`true`) or out of the node network after OPT_DELAY; asking for the
    ///         status already in force cancels a scheduled change. Opting in needs the minimum self-stake.
    function setOptIn(bool optIn) external;

    /// @notice Applies `operator`'s scheduled opt change once due (anyone may call).
    function finalizeOptChange(address operator) external;

    /// @notice Opts out `operator` (anyone may call) if it is opted in or opting in while its self-stake is below the
    ///         minimum in force: its weight drops to zero from now on and a scheduled opt-in is cancelled.
    function enforceMinSelfStake(address operator) external;

    // ---------------------------------------------------------------- staking

    /// @notice Stakes `assets` GAIB delegated to `operator` (not while a slash of it is pending); returns the active
    ///         shares minted.
    function stake(address operator, uint256 assets) external returns (uint256 shares);

    /// @notice Queues a withdrawal of `shares` of the caller's position with `operator`; claimable after 21 days
    ///         (and not before `exposureEnd(now)`), slashable until claimed. Returns the exit id.
    function queueWithdrawal(address operator, uint256 shares) external returns (uint256 id);

    /// @notice Pays withdrawal `id` to its owner (the caller) once mature and while its operator has no pending slash.
    ///         A redelegation still not completed WITHDRAWAL_DELAY after its maturity (e.g. its target stays frozen) may
    ///         be claimed the same way, so a target operator cannot hold incoming stake hostage.
    function claimWithdrawal(uint256 id) external returns (uint256 assets);

    /// @notice Moves `shares` of the caller's position from `from` to `to`: the stake leaves `from`'s active pool
    ///         (and weight) now, stays slashable by `from` until `exposureEnd(now)`, when it can be completed into
    ///         `to`. Returns the exit id.
    function redelegate(address from, address to, uint256 shares) external returns (uint256 id);

    /// @notice Completes redelegation `id` once mature and while neither its source nor its target has a pending slash
    ///         (anyone may call).
    function completeRedelegation(uint256 id) external returns (uint256 shares);

    // ---------------------------------------------------------------- rewards

    /// @notice Streams `amount` AID, pulled from the caller, over the next REWARD_DURATION (with what the stream had
    ///         not yet paid) to `operator`'s active stake minus commission; with `operator == address(0)`, pro-rata to
    ///         every opted-in operator by weight over time. Only REWARDER_ROLE.
    function notifyReward(address operator, uint256 amount) external;

    /// @notice Pays the caller's accrued AID rewards from its position with `operator`.
    function claimRewards(address operator) external returns (uint256 amount);

    /// @notice Pays the caller's (an operator's) accrued AID commission.
    function claimCommission() external returns (uint256 amount);

    // ---------------------------------------------------------------- slashing module

    /// @notice Starts a slash of `operator` captured at `captureTime` (raised to its last exit): freezes its exits and
    ///         returns the effective capture time and the stake slashable then. Only the slashing module.
    function beginSlash(address operator, uint256 captureTime)
        external
        returns (uint48 effectiveCapture, uint256 slashableAtCapture);

    /// @notice Ends a pending slash of `operator` without slashing (vetoed). Only the slashing module.
    function cancelSlash(address operator) external;

    /// @notice Ends a pending slash of `operator` by taking up to `amount` GAIB, pro-rata from its active and queued
    ///         pools, to `recipient`; returns the amount taken. Only the slashing module.
    function executeSlash(address operator, uint256 amount, address recipient) external returns (uint256 slashed);

    // ---------------------------------------------------------------- admin

    /// @notice Sets the slashing module, once. Only admin.
    function setSlasher(address slasher) external;

    /// @notice Sets the minimum operator self-stake (≤ MAX_MIN_SELF_STAKE): a decrease at once, a raise after
    ///         MIN_SELF_STAKE_DELAY (replacing a raise not yet in force). Only admin.
    function setMinSelfStake(uint256 minSelfStake) external;

    // ---------------------------------------------------------------- views

    /// @notice The minimum operator self-stake in force now [wad].
    function minSelfStake() external view returns (uint256);
    /// @notice A scheduled raise of the minimum self-stake and its effective time (0, 0 if none).
    function pendingMinSelfStake() external view returns (uint256 value, uint256 effectiveAt);
    /// @notice `operator`'s scheduled commission [bps] and its effective time (0, 0 if none is pending).
    function pendingCommissionChange(address operator) external view returns (uint256 bps, uint256 effectiveAt);
    /// @notice The epoch containing now.
    function currentEpoch() external view returns (uint256);
    /// @notice The epoch containing timestamp `t` (≥ GENESIS).
    function epochAt(uint256 t) external view returns (uint256);
    /// @notice The first second of epoch `epoch`.
    function epochStart(uint256 epoch) external view returns (uint256);
    /// @notice Until when stake leaving at time `t` (≥ GENESIS) can be caught by a challenge of a root it backed [s]:
    ///         `epochStart(epochAt(t) + EXPOSURE_EPOCHS) + MAX_CHALLENGE_WINDOW`. No exit queued at `t` matures
    ///         earlier.
    function exposureEnd(uint256 t) external view returns (uint256);
    /// @notice Whether `account` is a registered operator.
    function isOperator(address account) external view returns (bool);
    /// @notice Whether `operator` is opted in to the node network now.
    function isOptedIn(address operator) external view returns (bool);
    /// @notice `operator`'s commission in force now [bps].
    function commissionOf(address operator) external view returns (uint256);
    /// @notice `operator`'s weight (active stake while opted in) at timestamp `t` [wad].
    function operatorWeightAt(address operator, uint256 t) external view returns (uint256);
    /// @notice Sum of all operators' weights at timestamp `t` [wad].
    function totalWeightAt(uint256 t) external view returns (uint256);
    /// @notice `operator`'s weight for `epoch`: its weight at `epochStart(epoch)`.
    function operatorWeightForEpoch(address operator, uint256 epoch) external view returns (uint256);
    /// @notice Total weight for `epoch`: at `epochStart(epoch)`.
    function totalWeightForEpoch(uint256 epoch) external view returns (uint256);
    /// @notice `operator`'s slashable stake (active + queued, not yet exited) at timestamp `t` [wad].
    function slashableAt(address operator, uint256 t) external view returns (uint256);
    /// @notice `operator`'s active pool: assets [wad] and shares.
    function activePool(address operator) external view returns (uint256 assets, uint256 shares);
    /// @notice `operator`'s queued pool: assets [wad] and shares.
    function queuedPool(address operator) external view returns (uint256 assets, uint256 shares);
    /// @notice `staker`'s active shares with `operator`.
    function sharesOf(address staker, address operator) external view returns (uint256);
    /// @notice GAIB `staker`'s active shares with `operator` are worth now [wad].
    function stakeOf(address staker, address operator) external view returns (uint256);
    /// @notice Exit `id` (zero owner when it does not exist).
    function getExit(uint256 id) external view returns (Exit memory);
    /// @notice GAIB exit `id` is worth now [wad].
    function exitAssets(uint256 id) external view returns (uint256);
    /// @notice Slashes of `operator` pending now (its exits are frozen while > 0).
    function pendingSlashes(address operator) external view returns (uint256);
    /// @notice Last time an exit of `operator` was claimed or completed [s].
    function lastExitAt(address operator) external view returns (uint256);
    /// @notice AID rewards `staker` can claim from its position with `operator` now.
    function pendingRewards(address staker, address operator) external view returns (uint256);
    /// @notice AID commission `operator` can claim now.
    function pendingCommission(address operator) external view returns (uint256);
}
