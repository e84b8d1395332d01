// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../interfaces/IStakingVault.sol";
import {IVetoSlasher} from "../interfaces/IVetoSlasher.sol";
import {DelayedParamLib} from "../libraries/DelayedParamLib.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title VetoSlasher
/// @notice See {IVetoSlasher}.
contract VetoSlasher is IVetoSlasher, AccessControlDefaultAdminRules {
    using DelayedParamLib for DelayedParamLib.Param;
    using Checkpoints for Checkpoints.Trace208;
    using SafeERC20 for IERC20;

    /// @inheritdoc IVetoSlasher
    bytes32 public constant SLASHER_ROLE = keccak256("SLASHER_ROLE");
    /// @inheritdoc IVetoSlasher
    bytes32 public constant VETOER_ROLE = keccak256("VETOER_ROLE");
    /// @inheritdoc IVetoSlasher
    uint256 public constant PARAM_DELAY = 7 days; // [s] ≥ MAX_VETO_WINDOW
    /// @inheritdoc IVetoSlasher
    uint256 public constant MIN_VETO_WINDOW = 1 days; // [s]
    /// @inheritdoc IVetoSlasher
    uint256 public constant MAX_VETO_WINDOW = 7 days; // [s]
    /// @notice Default veto window [s].
    uint256 public constant DEFAULT_VETO_WINDOW = 2 days;
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted [s].
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
    /// @inheritdoc IVetoSlasher
    uint256 public constant KEEPER_BOUNTY_BPS = 1000; // [bps] 10% of the slash, capped below the operator's own loss

    uint256 private constant BPS = 10_000;

    /// @inheritdoc IVetoSlasher
    IStakingVault public immutable vault;

    /// @inheritdoc IVetoSlasher
    uint256 public requestCount;

    DelayedParamLib.Param private _vetoWindow;
    DelayedParamLib.Param private _insuranceFund;
    DelayedParamLib.Param private _resolver; // `current` is the VETOER_ROLE holder; applied explicitly
    mapping(uint256 id => SlashRequest) private _requests;
    /// @dev GAIB ever slashed from an operator, checkpointed at each execution [wad].
    mapping(address operator => Checkpoints.Trace208) private _slashedTotal;
    /// @dev `_slashedTotal` of the request's operator at its capture, read when the request is made [wad].
    mapping(uint256 id => uint256) private _slashedAtCapture;
    mapping(uint256 id => address) private _beneficiary;

    /// @param vault_ The staking vault (which must then `setSlasher(this)`).
    /// @param admin DEFAULT_ADMIN_ROLE holder.
    /// @param insuranceFund_ Receives slashed GAIB.
    /// @param resolver_ Initial VETOER_ROLE holder.
    constructor(IStakingVault vault_, address admin, address insuranceFund_, address resolver_)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {
        if (address(vault_) == address(0) || insuranceFund_ == address(0) || resolver_ == address(0)) {
            revert ZeroAddress();
        }
        vault = vault_;
        // forge-lint: disable-next-line(unsafe-typecast)
        _vetoWindow.init(uint160(DEFAULT_VETO_WINDOW));
        _insuranceFund.init(uint160(insuranceFund_));
        _resolver.init(uint160(resolver_));
        _grantRole(VETOER_ROLE, resolver_);
    }

    // ================================================================ slashing

    /// @inheritdoc IVetoSlasher
    function requestSlash(address operator, bytes32 evidence, uint256 amount, uint256 captureTime)
        external
        onlyRole(SLASHER_ROLE)
        returns (uint256 id)
    {
        id = _request(operator, evidence, amount, captureTime);
    }

    /// @inheritdoc IVetoSlasher
    function requestSlashWithBounty(
        address operator,
        bytes32 evidence,
        uint256 amount,
        uint256 captureTime,
        address beneficiary
    ) external onlyRole(SLASHER_ROLE) returns (uint256 id) {
        if (beneficiary == address(0)) revert ZeroAddress();
        id = _request(operator, evidence, amount, captureTime);
        _beneficiary[id] = beneficiary;
    }

    /// @inheritdoc IVetoSlasher
    function vetoSlash(uint256 id) external onlyRole(VETOER_ROLE) {
        SlashRequest storage r = _pending(id);
        if (block.timestamp >= r.vetoDeadline) revert VetoWindowClosed(id, r.vetoDeadline);
        r.status = Status.Vetoed;
        vault.cancelSlash(r.operator);
        emit SlashVetoed(id, msg.sender);
    }

    /// @inheritdoc IVetoSlasher
    function executeSlash(uint256 id) external returns (uint256 slashed) {
        SlashRequest storage r = _pending(id);
        if (block.timestamp < r.vetoDeadline) revert VetoWindowOpen(id, r.vetoDeadline);
        r.status = Status.Executed;
        // what was slashable at the capture, less what was slashed from the operator since: every request with this
        // capture (or an earlier one) together never takes more than was there at the capture
        Checkpoints.Trace208 storage total = _slashedTotal[r.operator];
        uint256 before = total.latest();
        uint256 since = before - _slashedAtCapture[id];
        uint256 cap = r.slashableAtCapture > since ? r.slashableAtCapture - since : 0;
        address beneficiary = _beneficiary[id];
        if (beneficiary == address(0)) {
            slashed = vault.executeSlash(r.operator, Math.min(r.requested, cap), insuranceFund());
        } else {
            slashed = _executeWithBounty(id, r.operator, Math.min(r.requested, cap), beneficiary);
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        if (slashed != 0) total.push(uint48(block.timestamp), uint208(before + slashed));
        r.executed = slashed;
        emit SlashExecuted(id, r.operator, slashed);
    }

    /// @dev Files a request (see {requestSlash}).
    function _request(address operator, bytes32 evidence, uint256 amount, uint256 captureTime)
        private
        returns (uint256 id)
    {
        if (amount == 0) revert ZeroAmount();
        (uint48 capture, uint256 slashable) = vault.beginSlash(operator, captureTime);
        id = ++requestCount;
        _slashedAtCapture[id] = _slashedTotal[operator].upperLookupRecent(capture);
        uint48 deadline = uint48(block.timestamp + _vetoWindow.get());
        _requests[id] = SlashRequest({
            operator: operator,
            captureTime: capture,
            vetoDeadline: deadline,
            status: Status.Pending,
            requested: amount,
            slashableAtCapture: slashable,
            executed: 0,
            evidence: evidence
        });
        emit SlashRequested(id, operator, evidence, amount, capture, slashable, deadline);
    }

    /// @dev Slashes `amount` from `operator` into this contract, pays `beneficiary` the bounty and the insurance fund
    ///      the rest. The bounty is below the drop of the operator's own position: `stakeOf` rounds down, so
    ///      before − after − 1 is strictly less than what the position really lost (its queued exits lose more still).
    function _executeWithBounty(uint256 id, address operator, uint256 amount, address beneficiary)
        private
        returns (uint256 slashed)
    {
        uint256 ownBefore = vault.stakeOf(operator, operator);
        slashed = vault.executeSlash(operator, amount, address(this));
        uint256 ownAfter = vault.stakeOf(operator, operator);
        uint256 ownLoss = ownBefore > ownAfter + 1 ? ownBefore - ownAfter - 1 : 0;
        uint256 bounty = Math.min((slashed * KEEPER_BOUNTY_BPS) / BPS, ownLoss);
        IERC20 token = vault.gaib();
        if (bounty != 0) {
            token.safeTransfer(beneficiary, bounty);
            emit BountyPaid(id, beneficiary, bounty);
        }
        if (slashed > bounty) token.safeTransfer(insuranceFund(), slashed - bounty);
    }

    // ================================================================ timelocked parameters

    /// @inheritdoc IVetoSlasher
    function scheduleVetoWindow(uint256 vetoWindow_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (vetoWindow_ < MIN_VETO_WINDOW || vetoWindow_ > MAX_VETO_WINDOW) revert VetoWindowOutOfBounds(vetoWindow_);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint48 at = _vetoWindow.schedule(uint160(vetoWindow_), PARAM_DELAY);
        emit VetoWindowScheduled(vetoWindow_, at);
    }

    /// @inheritdoc IVetoSlasher
    function scheduleInsuranceFund(address insuranceFund_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (insuranceFund_ == address(0)) revert ZeroAddress();
        uint48 at = _insuranceFund.schedule(uint160(insuranceFund_), PARAM_DELAY);
        emit InsuranceFundScheduled(insuranceFund_, at);
    }

    /// @inheritdoc IVetoSlasher
    function scheduleResolver(address resolver_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (resolver_ == address(0)) revert ZeroAddress();
        // not `schedule`: the current resolver changes only in applyResolver, together with the role
        _resolver.pending = uint160(resolver_);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint48 at = uint48(block.timestamp + PARAM_DELAY);
        _resolver.effectiveAt = at;
        emit ResolverScheduled(resolver_, at);
    }

    /// @inheritdoc IVetoSlasher
    function applyResolver() external {
        uint256 at = _resolver.effectiveAt;
        if (at == 0) revert NoPendingResolver();
        if (block.timestamp < at) revert ResolverNotReady(at);
        address old = address(_resolver.current);
        address next = address(_resolver.pending);
        _resolver.init(uint160(next));
        _revokeRole(VETOER_ROLE, old);
        _grantRole(VETOER_ROLE, next);
        emit ResolverApplied(old, next);
    }

    /// @notice VETOER_ROLE follows the timelocked resolver: direct grants are refused.
    function grantRole(bytes32 role, address account) public override {
        if (role == VETOER_ROLE) revert RoleManagedByTimelock(role);
        super.grantRole(role, account);
    }

    /// @notice VETOER_ROLE follows the timelocked resolver: the resolver cannot renounce it (the slasher would have
    ///         no vetoer while `resolver()` still named one).
    function renounceRole(bytes32 role, address account) public override {
        if (role == VETOER_ROLE) revert RoleManagedByTimelock(role);
        super.renounceRole(role, account);
    }

    /// @notice VETOER_ROLE follows the timelocked resolver: direct revocations are refused.
    function revokeRole(bytes32 role, address account) public override {
        if (role == VETOER_ROLE) revert RoleManagedByTimelock(role);
        super.revokeRole(role, account);
    }

    // ================================================================ views

    /// @inheritdoc IVetoSlasher
    function vetoWindow() public view returns (uint256) {
        return _vetoWindow.get();
    }

    /// @inheritdoc IVetoSlasher
    function insuranceFund() public view returns (address) {
        return address(uint160(_insuranceFund.get()));
    }

    /// @inheritdoc IVetoSlasher
    function resolver() external view returns (address) {
        return address(_resolver.current);
    }

    /// @inheritdoc IVetoSlasher
    function pendingVetoWindow() external view returns (uint256 value, uint256 effectiveAt) {
        return _vetoWindow.pendingOf();
    }

    /// @inheritdoc IVetoSlasher
    function pendingInsuranceFund() external view returns (address value, uint256 effectiveAt) {
        uint256 v;
        (v, effectiveAt) = _insuranceFund.pendingOf();
        // forge-lint: disable-next-line(unsafe-typecast)
        value = address(uint160(v));
    }

    /// @inheritdoc IVetoSlasher
    function pendingResolver() external view returns (address value, uint256 effectiveAt) {
        effectiveAt = _resolver.effectiveAt;
        if (effectiveAt != 0) value = address(_resolver.pending);
    }

    /// @inheritdoc IVetoSlasher
    function beneficiaryOf(uint256 id) external view returns (address) {
        return _beneficiary[id];
    }

    /// @inheritdoc IVetoSlasher
    function getRequest(uint256 id) external view returns (SlashRequest memory) {
        return _requests[id];
    }

    function _pending(uint256 id) private view returns (SlashRequest storage r) {
        r = _requests[id];
        if (r.status == Status.None) revert UnknownRequest(id);
        if (r.status != Status.Pending) revert NotPending(id, r.status);
    }
}
