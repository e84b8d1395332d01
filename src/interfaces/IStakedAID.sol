// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRewardsReceiver} from "./IRewardsReceiver.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title IStakedAID
/// @notice sAID: AID staked in an upgradeable ERC-4626 vault that earns reserve T-bill surplus and GPU-deal income and
///         bears deal losses. NAV = tracked idle AID (donations do not count) + carrying value of deal positions −
///         unvested rewards − AID owed to the unstake queue. Rewards vest linearly (default 8 h) under an APR cap;
///         losses hit NAV at once and are shared pro-rata with requests waiting in the queue. Exits go through a FIFO
///         unstake queue (`unstake` / `processUnstakeQueue`); with `unstakeDelay == 0` ERC-4626 `withdraw`/`redeem`
///         work directly. Exits are priced on NAV; entries (`deposit`, `mint`, their previews, `convertToShares`,
///         `maxDeposit`/`maxMint`) on NAV + unvested + the stakers' part of what is written off listed positions (all
///         of it less the unstake queue's recorded claim), so an entrant pays for the reward still vesting and for the
///         stakers' part of the recovery of every undecided write-down (`bookLoss`), and are refused
///         ({VaultWiped}) while a share is worth less than 1e-9 AID or, at supply 0, while a write-down is undecided.
///         ERC-4626 `max*` never revert: 0 when a position's value cannot be read.
/// @dev Amounts are AID [wad] unless named shares. Rounding follows ERC-4626: in favour of the vault.
interface IStakedAID is IERC4626, IRewardsReceiver {
    /// @notice Restriction levels: SOFT cannot deposit; FULL cannot deposit, transfer, unstake, withdraw, approve or
    ///         receive, as owner, caller, spender or receiver. An account on AID's deny list is treated as FULL here
    ///         too (sAID reads AID's list: one source of truth), failing with {AccountDenied}.
    enum Restriction {
        NONE,
        SOFT,
        FULL
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when `amount` AID of rewards (or realised position gains, `from` = the position) enters the
    ///         stream; `unvested` now vests linearly until `vestingEnd`.
    event RewardsReceived(address indexed from, uint256 amount, uint256 unvested, uint256 vestingEnd);
    /// @notice Emitted when `owner` burns `shares` into request `id`, worth `assets` now, payable from `claimableAt`.
    event Unstaked(address indexed owner, uint256 indexed id, uint256 shares, uint256 assets, uint256 claimableAt);
    /// @notice Emitted when request `id` is paid `assets` (to the owner, or held for it when it cannot receive).
    event UnstakePaid(uint256 indexed id, address indexed owner, uint256 assets, bool completed, bool held);
    /// @notice Emitted when AID held for `owner` is paid to `to`.
    event HeldReleased(address indexed owner, address indexed to, uint256 assets);
    /// @notice Emitted when `position` is written down by `loss` to the value it reports.
    event LossBooked(address indexed position, uint256 loss);
    /// @notice Emitted when `amount` AID of what was written off `position` is written back (its report rose again, or
    ///         `deallocate` received it): shared by stakers and pending requests as the loss in reverse; `lossIndex` is
    ///         the index after it.
    event LossRecovered(address indexed position, uint256 amount, uint256 lossIndex);
    /// @notice Emitted when the write-down `amount` still open on `position` becomes final (`settleWriteDown`, or the
    ///         position is delisted): entries stop paying for its recovery.
    event WriteDownSettled(address indexed position, uint256 amount);
    /// @notice Emitted when booked losses totalling `loss` reprice the queue: `queueShare` of them falls on pending
    ///         requests, whose index is now `lossIndex` [ray].
    event QueueRepriced(uint256 loss, uint256 queueShare, uint256 lossIndex);
    /// @notice Emitted when `assets` idle AID move into `position`.
    event Allocated(address indexed position, uint256 assets);
    /// @notice Emitted when `received` AID come back from `position`; `gain` of it (above carrying value) is streamed.
    event Deallocated(address indexed position, uint256 received, uint256 gain);
    /// @notice Emitted when a position is added to or removed from the registry.
    event PositionListed(address indexed position, bool listed);
    /// @notice Emitted when `account`'s restriction changes.
    event RestrictionSet(address indexed account, Restriction restriction);
    /// @notice Emitted when the admin moves a FULL-restricted holder's shares and held AID to `to`.
    event LockedAmountRedistributed(address indexed from, address indexed to, uint256 shares, uint256 heldAssets);
    /// @notice Emitted when the vault is paused or unpaused.
    event PausedSet(bool paused);
    /// @notice Emitted when the unstake delay changes.
    event UnstakeDelaySet(uint256 unstakeDelay);
    /// @notice Emitted when the reward vesting period changes.
    event VestingPeriodSet(uint256 vestingPeriod);
    /// @notice Emitted when the reward APR cap changes.
    event MaxAprSet(uint256 maxAprBps);
    /// @notice Emitted when the liquidity buffer changes.
    event LiquidityBufferSet(uint256 liquidityBufferBps);

    /// @notice Emitted when idle AID that belonged to no share (supply 0) is recovered to `to`.
    event StrandedRecovered(address indexed to, uint256 assets);
    /// @notice Emitted when `owner` burns its whole balance of `shares` worth nothing (after a total loss): no request
    ///         is queued, and the burnt shares no longer take room in the supply.
    event WorthlessSharesBurnt(address indexed owner, uint256 shares);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when deposits, withdrawals, unstaking, queue payments or transfers are attempted while paused.
    error EnforcedPause();
    /// @notice Thrown when `pause` is called while paused, or `unpause` while not paused.
    error PauseStateUnchanged();
    /// @notice Thrown when an amount argument is zero.
    error ZeroAmount();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when a deposit would mint zero shares, or a mint would take zero assets.
    error ZeroShares();
    /// @notice Thrown when `account` is restricted (`restriction`) for the attempted action.
    error AccountRestricted(address account, Restriction restriction);
    /// @notice Thrown when redistributing from an account that is not FULL-restricted, or to one that is restricted.
    error InvalidRedistribution(address from, address to);
    /// @notice Thrown when restricting the vault itself or the zero address.
    error CannotRestrict(address account);
    /// @notice Thrown when ERC-4626 `withdraw`/`redeem` are used while `unstakeDelay != 0` (use `unstake`).
    error UnstakeDelayActive(uint256 unstakeDelay);
    /// @notice Thrown when a direct withdrawal asks for more than the owner's shares are worth or than is liquid.
    error WithdrawTooLarge(uint256 requested, uint256 maximum);
    /// @notice Thrown when an unstake request is worth less than the minimum and is not the owner's whole balance.
    error UnstakeTooSmall(uint256 assets, uint256 minimum);
    /// @notice Thrown when `processUnstakeQueue` is called with zero iterations.
    error ZeroIterations();
    /// @notice Thrown when the unstake delay is above MAX_UNSTAKE_DELAY.
    error InvalidUnstakeDelay(uint256 unstakeDelay);
    /// @notice Thrown when the vesting period is zero or above MAX_VESTING_PERIOD.
    error InvalidVestingPeriod(uint256 vestingPeriod);
    /// @notice Thrown when the APR cap is outside [MIN_APR_BPS, MAX_APR_BPS].
    error InvalidMaxApr(uint256 maxAprBps);
    /// @notice Thrown when the liquidity buffer is above 10_000 bps.
    error InvalidLiquidityBuffer(uint256 liquidityBufferBps);
    /// @notice Thrown when adding a position that is already listed.
    error PositionAlreadyListed(address position);
    /// @notice Thrown when a position is not in the registry.
    error UnknownPosition(address position);
    /// @notice Thrown when adding a position whose asset is not AID.
    error PositionAssetMismatch(address position, address asset);
    /// @notice Thrown when adding a position beyond MAX_POSITIONS.
    error TooManyPositions();
    /// @notice Thrown when removing a position that still carries value.
    error PositionNotEmpty(address position, uint256 booked);
    /// @notice Thrown when `bookLoss` finds the position worth at least its carrying value.
    error NoLoss(address position, uint256 booked, uint256 value);
    /// @notice Thrown by `settleWriteDown` when nothing is written off `position`.
    error NothingWrittenOff(address position);
    /// @notice Thrown when an allocation would leave free idle AID below the liquidity buffer.
    error LiquidityBufferBreached(uint256 freeAfter, uint256 required);
    /// @notice Thrown when a position did not take exactly the allocated AID.
    error AllocationMismatch(uint256 expected, uint256 taken);
    /// @notice Thrown when `releaseHeld` finds nothing held for the owner.
    error NothingHeld(address owner);
    /// @notice Thrown when an account on AID's deny list sends, receives, spends, approves, unstakes or withdraws sAID.
    error AccountDenied(address account);
    /// @notice Thrown when rewards are sent while no shares exist (they would belong to nobody).
    error NoStakers();
    /// @notice Thrown by `recoverStranded` while shares exist, requests wait, capital is deployed, or nothing is idle.
    error NotStranded();
    /// @notice Thrown when `initialize` is given, or an upgrade points at an implementation built for, an asset other than
    ///         the AID this vault holds.
    error AssetMismatch(address given, address expected);
    /// @notice Thrown by `burnWorthless` while `count` positions are listed (a written-down position may still recover).
    error PositionsListed(uint256 count);
    /// @notice Thrown by `burnWorthless` when `holder` has no shares or its whole balance is worth `value` > 0.
    error NotWorthless(address holder, uint256 value);
    /// @notice Thrown by `burnWorthless` when `caller` is not `holder`: nobody burns another account's shares. A holder
    ///         may hold for others (the OFT lockbox's shares back sAID on the remote chains, a lending market's its
    ///         borrowers' collateral), and while the vault is wiped what arrives next is shared by the worthless
    ///         supply, so a third party's burn would take the burnt holder's slice of it.
    error NotHolder(address caller, address holder);
    /// @notice Thrown by `deposit` and `mint` while the vault is wiped: its entry value (NAV + unvested + what stays
    ///         written off listed positions) is below 1e-9 AID per share, or the supply is 0 while a write-down is
    ///         undecided (its recovery belongs to the queued loss-bearers: no new share may buy it). Entries reopen
    ///         when value arrives (which entrants then pay for), or at supply 0 once every write-down is recovered or
    ///         final (`settleWriteDown`, `removePosition`).
    error VaultWiped();
    /// @notice Thrown when renouncing DEFAULT_ADMIN_ROLE (would lock the system out).
    error AdminRenounceDisabled();

    // ---------------------------------------------------------------- roles

    /// @notice Moves idle AID into positions and back, books position losses, lists positions.
    function ALLOCATOR_ROLE() external view returns (bytes32);
    /// @notice May add rewards (the AID reserve's harvest).
    function REWARDER_ROLE() external view returns (bytes32);
    /// @notice Sets SOFT/FULL restrictions.
    function RESTRICTION_MANAGER_ROLE() external view returns (bytes32);
    /// @notice May pause; only the admin unpauses.
    function PAUSER_ROLE() external view returns (bytes32);
    /// @notice May upgrade the implementation (UUPS). Its own admin role: only an upgrader grants or revokes it.
    function UPGRADER_ROLE() external view returns (bytes32);

    /// @notice AID, the vault's asset and reward token.
    function asset() external view override(IERC4626, IRewardsReceiver) returns (address);

    // ---------------------------------------------------------------- unstake queue (GAIB interface)

    /// @notice Burns `shares` of the caller and queues their loss-aware value (`convertToAssetsWithLoss`), payable
    ///         FIFO from idle AID once `unstakeDelay` has passed. Losses booked while waiting reprice it down; the
    ///         recovery of a write-down (a deal mark cured by the borrower) reprices it back up by its part of the
    ///         write-back, also for a write-down booked before the request (it was priced at the mark: the request
    ///         carries its shares' part of the stakers' claim on the write-downs into the queue's claim), never above
    ///         1e27 of index (`bookLoss`); a gain never reprices it up. The queue's pool holds one claim per AID of value
    ///         (a write-back raises it pro rata to value): a request whose shares carry less puts in the part its claim
    ///         matches and the rest is bare, repriced down by losses like the pool, never up (review 9s-4); what a later
    ///         loss takes off the bare part moves into the pool with the value carrying it, so its write-back returns
    ///         to the request (10r-1, README); a request whose shares carry more (payouts forfeited claims to the
    ///         stakers while later requests wait) goes in whole and the rest of its claim waits in the excess part,
    ///         claim without value that each write-back turns into pool shares (10b-1, README); forfeited when the
    ///         request completes.
    /// @dev Reverts below MIN_UNSTAKE_ASSETS unless `shares` is the caller's whole balance (so dust can always leave).
    ///      A whole balance worth nothing (after a total loss) is burnt without a request ({WorthlessSharesBurnt}),
    ///      returning 0, so worthless shares do not keep taking room in the supply. O(1) whatever waits in the queue:
    ///      after any losses the loss index is >= 1e24 (re-based, see {lossIndex}), so the request's queue shares are
    ///      at most 1000 × its AID; requests left worth 0 ahead of it are cleared by `processUnstakeQueue`.
    /// @return assets The AID value recorded for the request.
    function unstake(uint256 shares) external returns (uint256 assets);

    /// @notice The caller burns its own whole balance (restricted or deny-listed holders included) when it is worth 0 at
    ///         the loss-aware price (`convertToAssetsWithLoss(balanceOf(holder)) == 0`) and no position is listed: shares
    ///         that only keep the vault wiped after a total loss, so that it restarts at 1:1 once every holder has left.
    ///         Nobody burns another account's shares: a holder may hold for others (the OFT lockbox's shares back sAID
    ///         on the remote chains), and while the vault is wiped a worthless share still takes its pro-rata slice of
    ///         the next reward or recovery. Shares worth >= 1 wei can never be burnt this way.
    /// @dev Reverts {PositionsListed} while a position is listed (the allocator delists written-off positions first),
    ///      {NotHolder} when the caller is not `holder`, {NotWorthless} for an empty or valuable balance, {EnforcedPause}
    ///      while paused. Emits {WorthlessSharesBurnt}.
    /// @return shares The shares burnt.
    function burnWorthless(address holder) external returns (uint256 shares);

    /// @notice Pays matured requests in FIFO order from idle AID, at most `maxIterations` of them; a request that
    ///         cannot be paid in full is paid in part and keeps its place. Anyone may call.
    /// @return paid AID paid out (or held for owners that cannot receive).
    function processUnstakeQueue(uint256 maxIterations) external returns (uint256 paid);

    /// @notice `user`'s pending requests: the time of their latest request (0 if none pending) and their current
    ///         value in AID, summed.
    /// @dev The sum is one aggregate per owner (no loop over its requests): re-bases floor it once and each request on
    ///      its own, in the pool and in the bare part, and a bare part's gains are floored per word, so it can read a
    ///      few wei per request (made since the owner's latest request was last paid) above the sum of the owner's
    ///      {unstakeRequest} values (README, "A re-base floors the aggregate once"); payouts are per request.
    function getUnstakeRequest(address user) external view returns (uint256 requestTime, uint256 pendingAssets);

    /// @notice What `unstake(shares)` would record now: NAV net of every loss the positions report, rounded down, and
    ///         below par at most the shares' pro-rata part of real NAV (virtual assets never subsidise an exit).
    function convertToAssetsWithLoss(uint256 shares) external view returns (uint256 assets);

    /// @notice Request `id`: owner, time, when it becomes payable (its request time plus the lowest delay in force since),
    ///         and its current value. A request worth nothing (after a total loss) is cleared without waiting.
    function unstakeRequest(uint256 id)
        external
        view
        returns (address owner, uint256 requestTime, uint256 claimableAt, uint256 pendingAssets);

    /// @notice Queue bounds: the next request to pay and the next id to assign.
    function unstakeQueue() external view returns (uint256 head, uint256 tail);

    /// @notice Pays AID held for `owner` (requests paid while it could not receive) to it, once it can. Anyone may call.
    function releaseHeld(address owner) external returns (uint256 assets);

    // ---------------------------------------------------------------- rewards and losses

    /// @notice AID of rewards not vested yet.
    function unvestedAmount() external view returns (uint256);

    /// @notice When the current reward stream ends (0 if none ever started).
    function vestingEnd() external view returns (uint256);

    /// @notice Writes `position` down to the value it reports, at once: NAV and pending requests fall pro-rata, and the
    ///         loss is added to what is written off the position (`writtenOffOf`). Only ALLOCATOR_ROLE (every entry,
    ///         exit and allocation books reported losses too). Undecided while the position stays listed: when its
    ///         report rises again (or `deallocate` receives more than it carries), up to the amount written off is
    ///         written back at once, a recovery and not a reward (no stream, no APR cap). The queue's part is fixed when
    ///         the loss is booked (review 8s-2): what pending fell by joins the queue's recorded claim on the undecided
    ///         write-downs; a request made later carries its shares' part of the stakers' claim in (into the queue's
    ///         pool as far as it matches the pool's claim per AID of value, the rest of its value bare: 9s-4, the rest
    ///         of its claim excess: 10b-1), a request paid at its lowered value forfeits its part (pro rata to its pool
    ///         shares, its excess at completion) to the stakers, a
    ///         write-down made final drops its part. A recovery w pays the queue
    ///         claim × w / (everything written off) (all of w at supply 0), raising the index, never above 1e27; the
    ///         rest is the stakers'. So a loss followed by its recovery returns stakers and waiting requests to their
    ///         value, ± rounding against them, whatever entered in between, unless a re-base / total loss rounded a
    ///         request's record down (that part stays with the stakers; at supply 0 it is idle AID of nobody:
    ///         `strandedAssets` once the queue is empty). The claim is one pool over all listed positions (documented
    ///         limits: README). Entries pay for the stakers' part of every undecided
    ///         write-down (priced as if it recovered: all written off less the queue's claim), and are refused at
    ///         supply 0 while one is undecided. Final once the position is delisted or `settleWriteDown` is called.
    /// @return loss The AID written off.
    function bookLoss(address position) external returns (uint256 loss);

    /// @notice Index [ray] by which the queue's pool is repriced: every booked loss moves it down by (G − L) / G,
    ///         also while the pool is empty, the write-back of a recovery up again while requests wait (never above
    ///         1e27, `bookLoss`); a request made on an empty pool with nothing written off restarts it at 1e27, else
    ///         it is recorded at the current index, or on an empty pool at the lower index at which its record rises by
    ///         exactly the claim it carries (so it shares the write-back of an earlier loss). The bare part of the
    ///         queue (9s-4) has its own index: it falls with every loss by at least the same fraction (the value that
    ///         carries the bare part's drop moves into the pool, 10r-1) and never rises. A booked loss
    ///         that leaves it below 1e24 re-bases it (×1000, queue shares ÷1000 rounded down per request, repeated):
    ///         a request keeps its value (less than 1 wei of rounding per re-base) and new ones stay small.
    function lossIndex() external view returns (uint256);

    /// @notice Idle AID that belongs to no share and to no request: while the supply is 0, no request waits and nothing
    ///         is deployed, everything idle (rewards that kept vesting after the last holder left, rounding left by
    ///         exits) [wad]. AID held for owners that could not receive is not idle and never counted.
    function strandedAssets() external view returns (uint256);

    /// @notice Sends `strandedAssets()` to `to` (the treasury). Only admin; reverts with {NotStranded} while shares
    ///         exist, a request waits in the queue, a position carries value, or nothing is stranded.
    function recoverStranded(address to) external returns (uint256 assets);

    // ---------------------------------------------------------------- capital deployment

    /// @notice Lists `position` (its asset must be AID). Only ALLOCATOR_ROLE.
    function addPosition(address position) external;

    /// @notice Delists `position`; it must carry no value (book its loss first if it is worthless). What is written off
    ///         it becomes final ({WriteDownSettled}). Only ALLOCATOR_ROLE.
    function removePosition(address position) external;

    /// @notice Makes the write-down of `position` final, while it stays listed (its loss will not come back): books
    ///         what it reports first (a recovery is written back), then drops what is still written off, so entries
    ///         stop paying for it ({WriteDownSettled}). A later rise of its report is a gain, streamed when realised.
    ///         Only ALLOCATOR_ROLE; reverts {NothingWrittenOff} when nothing is.
    /// @return amount The write-down made final.
    function settleWriteDown(address position) external returns (uint256 amount);

    /// @notice What is written off `position` [wad]: losses booked on it not yet recovered nor made final.
    function writtenOffOf(address position) external view returns (uint256);

    /// @notice Moves `assets` idle AID into `position`; free idle AID must stay >= `liquidityBufferBps` of NAV.
    ///         Only ALLOCATOR_ROLE.
    function allocate(address position, uint256 assets) external;

    /// @notice Takes up to `assets` AID back from `position` into idle; AID above the carrying value is first a
    ///         recovery of what is written off it (written back at once, see `bookLoss`), only the rest a gain
    ///         streamed as a reward; a shortfall against the reported value is booked as a loss. Only ALLOCATOR_ROLE.
    /// @return received AID received.
    function deallocate(address position, uint256 assets) external returns (uint256 received);

    /// @notice Listed positions.
    function positions() external view returns (address[] memory);

    /// @notice Carrying value of `position` [wad] (what NAV counts for it).
    function bookedOf(address position) external view returns (uint256);

    /// @notice Tracked AID held by the vault and not held for restricted owners [wad].
    function idleAssets() external view returns (uint256);

    /// @notice AID owed to pending unstake requests [wad].
    function pendingUnstakeAssets() external view returns (uint256);

    /// @notice Idle AID that is neither unvested reward nor owed to the queue [wad].
    function freeLiquidity() external view returns (uint256);

    // ---------------------------------------------------------------- restrictions

    /// @notice Sets `account`'s restriction. Only RESTRICTION_MANAGER_ROLE.
    function setRestriction(address account, Restriction restriction) external;

    /// @notice `account`'s restriction.
    function restrictionOf(address account) external view returns (Restriction);

    /// @notice Moves every share and every held AID of FULL-restricted `from` to unrestricted `to`. Only admin.
    function redistributeLockedAmount(address from, address to) external;

    /// @notice AID held for `owner`.
    function heldOf(address owner) external view returns (uint256);

    // ---------------------------------------------------------------- pause and parameters

    /// @notice Stops deposits, withdrawals, unstaking, queue payments and transfers. Only PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes. Only admin.
    function unpause() external;

    /// @notice Whether the vault is paused.
    function paused() external view returns (bool);

    /// @notice Sets the unstake delay [s], at most MAX_UNSTAKE_DELAY; lowering it also shortens waiting requests, raising
    ///         it applies to new requests only: a request's claim time never moves later than the earliest it has been.
    ///         Only admin.
    function setUnstakeDelay(uint256 unstakeDelay) external;

    /// @notice Sets the reward vesting period [s], in (0, MAX_VESTING_PERIOD]. Only admin.
    function setVestingPeriod(uint256 vestingPeriod) external;

    /// @notice Sets the reward APR cap [bps], in [MIN_APR_BPS, MAX_APR_BPS]. Only admin.
    function setMaxApr(uint256 maxAprBps) external;

    /// @notice Sets the liquidity buffer [bps of NAV] that allocations must leave free. Only admin.
    function setLiquidityBuffer(uint256 liquidityBufferBps) external;

    /// @notice Unstake delay [s].
    function unstakeDelay() external view returns (uint256);

    /// @notice Reward vesting period [s].
    function vestingPeriod() external view returns (uint256);

    /// @notice Reward APR cap [bps].
    function maxAprBps() external view returns (uint256);

    /// @notice Liquidity buffer [bps of NAV].
    function liquidityBufferBps() external view returns (uint256);
}
