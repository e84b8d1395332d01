// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "./IStakingVault.sol";

/// @title IVetoSlasher
/// @notice The slashing module of the GAIB staking vault: request → veto window → execute.
///         `requestSlash(operator, evidence, amount, captureTime)` by SLASHER_ROLE (the telemetry oracle and
///         admin-designated slashers) freezes the operator's exits in the vault and records the stake slashable at the
///         capture (see {IStakingVault}). During the veto window (default 2 days) VETOER_ROLE (the resolver) may veto;
///         after it anyone executes: executed = min(requested, slashable at capture − slashed from the operator since
///         the capture), further capped by what the operator still holds, taken pro-rata from its active and queued
///         stake and sent to the insurance fund. So all requests with one capture together take at most what was
///         slashable then, never stake that arrived after it.
///         Keeper bounty: a request made with `requestSlashWithBounty` names a beneficiary (the telemetry oracle names
///         whoever called `requestAttesterSlash` or `reportEquivocation`, so watching for rejections pays). When the
///         request executes, the beneficiary gets KEEPER_BOUNTY_BPS of the GAIB slashed, capped below what the
///         operator's own (self-staked) position lost in that execution; the insurance fund gets the rest. Nothing is
///         paid for a vetoed request, and a request executes once. Because the bounty is less than the operator's own
///         loss, an operator (or a colluder) requesting its own slash always ends poorer, and a coalition trading
///         requests on each other gains less than its members lose; delegators lose the same with or without a
///         bounty (it comes out of what would go to the insurance fund).
///         The veto window, the insurance fund and the resolver (sole VETOER_ROLE holder) change only through a
///         timelock: a pending value with an effective time PARAM_DELAY later. A request's own veto deadline is fixed
///         when it is made, so a window change never affects a pending slash.
interface IVetoSlasher {
    // ---------------------------------------------------------------- types

    /// @notice Life cycle of a slash request.
    enum Status {
        None,
        Pending,
        Vetoed,
        Executed
    }

    /// @notice A slash request.
    struct SlashRequest {
        address operator;
        uint48 captureTime; // [s] effective capture (raised to the operator's last exit)
        uint48 vetoDeadline; // [s] veto allowed before, execution at or after
        Status status;
        uint256 requested; // [wad] GAIB
        uint256 slashableAtCapture; // [wad] GAIB
        uint256 executed; // [wad] GAIB actually slashed
        bytes32 evidence; // hash of the off-chain or on-chain evidence
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when slash `id` of `operator` is requested.
    event SlashRequested(
        uint256 indexed id,
        address indexed operator,
        bytes32 indexed evidence,
        uint256 requested,
        uint256 captureTime,
        uint256 slashableAtCapture,
        uint256 vetoDeadline
    );
    /// @notice Emitted when executed slash `id` pays `amount` GAIB of keeper bounty to `beneficiary`.
    event BountyPaid(uint256 indexed id, address indexed beneficiary, uint256 amount);
    /// @notice Emitted when slash `id` is vetoed by `resolver`.
    event SlashVetoed(uint256 indexed id, address indexed resolver);
    /// @notice Emitted when slash `id` of `operator` is executed for `amount` GAIB.
    event SlashExecuted(uint256 indexed id, address indexed operator, uint256 amount);
    /// @notice Emitted when a new veto window is scheduled.
    event VetoWindowScheduled(uint256 vetoWindow, uint256 effectiveAt);
    /// @notice Emitted when a new insurance fund is scheduled.
    event InsuranceFundScheduled(address insuranceFund, uint256 effectiveAt);
    /// @notice Emitted when a new resolver is scheduled.
    event ResolverScheduled(address resolver, uint256 effectiveAt);
    /// @notice Emitted when the scheduled resolver replaces the old one as VETOER_ROLE holder.
    event ResolverApplied(address oldResolver, address newResolver);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a slash of zero is requested.
    error ZeroAmount();
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when request `id` does not exist.
    error UnknownRequest(uint256 id);
    /// @notice Thrown when request `id` is not pending (already vetoed or executed).
    error NotPending(uint256 id, Status status);
    /// @notice Thrown when vetoing request `id` at or after its `vetoDeadline`.
    error VetoWindowClosed(uint256 id, uint256 vetoDeadline);
    /// @notice Thrown when executing request `id` before its `vetoDeadline`.
    error VetoWindowOpen(uint256 id, uint256 vetoDeadline);
    /// @notice Thrown when a veto window outside MIN_VETO_WINDOW .. MAX_VETO_WINDOW is set.
    error VetoWindowOutOfBounds(uint256 vetoWindow);
    /// @notice Thrown when applying a resolver that was never scheduled.
    error NoPendingResolver();
    /// @notice Thrown when applying the scheduled resolver before `effectiveAt`.
    error ResolverNotReady(uint256 effectiveAt);
    /// @notice Thrown when VETOER_ROLE is granted, revoked or renounced directly: it follows the timelocked resolver.
    error RoleManagedByTimelock(bytes32 role);

    // ---------------------------------------------------------------- roles and constants

    /// @notice May request slashes (the telemetry oracle; admin-designated slashers).
    function SLASHER_ROLE() external view returns (bytes32);
    /// @notice May veto pending slashes; held only by the resolver.
    function VETOER_ROLE() external view returns (bytes32);
    /// @notice Keeper bounty [bps] of an executed slash made with `requestSlashWithBounty` (capped below the
    ///         operator's own loss).
    function KEEPER_BOUNTY_BPS() external view returns (uint256);
    /// @notice Timelock on veto window, insurance fund and resolver changes [s].
    function PARAM_DELAY() external view returns (uint256);
    /// @notice Bounds of the veto window [s].
    function MIN_VETO_WINDOW() external view returns (uint256);
    /// @notice Upper bound of the veto window [s].
    function MAX_VETO_WINDOW() external view returns (uint256);
    /// @notice The staking vault slashed by this module.
    function vault() external view returns (IStakingVault);

    // ---------------------------------------------------------------- slashing

    /// @notice Requests a slash of `amount` GAIB from `operator` for `evidence`, captured at `captureTime` (at most
    ///         the vault's MAX_CAPTURE_AGE ago). Freezes the operator's exits until vetoed or executed. Only
    ///         SLASHER_ROLE.
    function requestSlash(address operator, bytes32 evidence, uint256 amount, uint256 captureTime)
        external
        returns (uint256 id);

    /// @notice `requestSlash` whose execution pays `beneficiary` (non-zero) the keeper bounty (see above). Only
    ///         SLASHER_ROLE.
    function requestSlashWithBounty(
        address operator,
        bytes32 evidence,
        uint256 amount,
        uint256 captureTime,
        address beneficiary
    ) external returns (uint256 id);

    /// @notice Vetoes pending request `id` before its veto deadline. Only VETOER_ROLE.
    function vetoSlash(uint256 id) external;

    /// @notice Executes pending request `id` at or after its veto deadline (anyone): takes min(requested, slashable at
    ///         capture − slashed from the operator since the capture); returns the GAIB slashed (bounty included).
    function executeSlash(uint256 id) external returns (uint256 slashed);

    // ---------------------------------------------------------------- timelocked parameters

    /// @notice Schedules a new veto window (bounded) after PARAM_DELAY. Only admin.
    function scheduleVetoWindow(uint256 vetoWindow) external;

    /// @notice Schedules a new insurance fund after PARAM_DELAY. Only admin.
    function scheduleInsuranceFund(address insuranceFund) external;

    /// @notice Schedules a new resolver (VETOER_ROLE holder) after PARAM_DELAY. Only admin.
    function scheduleResolver(address resolver) external;

    /// @notice Hands VETOER_ROLE from the old to the scheduled resolver once due (anyone may call).
    function applyResolver() external;

    // ---------------------------------------------------------------- views

    /// @notice Veto window in force now [s].
    function vetoWindow() external view returns (uint256);
    /// @notice Insurance fund in force now (receives slashed GAIB).
    function insuranceFund() external view returns (address);
    /// @notice The resolver holding VETOER_ROLE.
    function resolver() external view returns (address);
    /// @notice Scheduled veto window and its effective time (0, 0 if none).
    function pendingVetoWindow() external view returns (uint256 value, uint256 effectiveAt);
    /// @notice Scheduled insurance fund and its effective time (0, 0 if none).
    function pendingInsuranceFund() external view returns (address value, uint256 effectiveAt);
    /// @notice Scheduled resolver and its effective time (0, 0 if none).
    function pendingResolver() external view returns (address value, uint256 effectiveAt);
    /// @notice Request `id`.
    function getRequest(uint256 id) external view returns (SlashRequest memory);
    /// @notice Bounty beneficiary of request `id` (zero: none).
    function beneficiaryOf(uint256 id) external view returns (address);
    /// @notice Number of requests made (ids are 1 .. requestCount).
    function requestCount() external view returns (uint256);
}
