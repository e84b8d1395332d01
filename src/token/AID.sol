// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {RateLimitLib} from "../libraries/RateLimitLib.sol";
import {RestrictedERC20} from "./base/RestrictedERC20.sol";
import {Origin} from "@layerzerolabs/oapp-evm/contracts/oapp/OApp.sol";
import {OFTCore} from "@layerzerolabs/oft-evm/contracts/OFTCore.sol";
import {
    MessagingFee,
    MessagingReceipt,
    OFTReceipt,
    SendParam
} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {OFTComposeMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTComposeMsgCodec.sol";
import {OFTMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTMsgCodec.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title AID — the AI Dollar
/// @notice See {IAID}. One contract for every chain: deployed at the same address (CREATE3) on Ethereum, Arbitrum
///         and Plume; only the home chain grants MINTER_ROLE.
/// @dev The OApp `owner()` is the DEFAULT_ADMIN_ROLE holder (two-step transfer with delay, no renounce into lock-out);
///      Ownable's own transfer and renounce are disabled.
contract AID is IAID, RestrictedERC20, OFTCore, AccessControlDefaultAdminRules {
    using OFTMsgCodec for bytes;
    using OFTMsgCodec for bytes32;
    using RateLimitLib for RateLimitLib.RateLimit;

    /// @inheritdoc IAID
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @inheritdoc IAID
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @inheritdoc IAID
    bytes32 public constant DENYLIST_MANAGER_ROLE = keccak256("DENYLIST_MANAGER_ROLE");

    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted.
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    /// @inheritdoc IAID
    bool public paused;
    /// @inheritdoc IAID
    uint256 public totalEscrowed; // [wad]
    /// @inheritdoc IAID
    mapping(address holder => uint256) public escrowOf; // [wad]

    mapping(uint32 eid => RateLimitLib.RateLimit) private _outbound;
    mapping(uint32 eid => RateLimitLib.RateLimit) private _inbound;

    /// @param endpoint The LayerZero v2 endpoint on this chain.
    /// @param admin DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate.
    constructor(address endpoint, address admin)
        RestrictedERC20("AI Dollar", "1")
        OFTCore(18, endpoint, admin)
        Ownable(admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {}

    // ---------------------------------------------------------------- metadata

    /// @inheritdoc IERC20Metadata
    function name() external pure returns (string memory) {
        return "AI Dollar";
    }

    /// @inheritdoc IERC20Metadata
    function symbol() external pure returns (string memory) {
        return "AID";
    }

    /// @notice The token this OFT moves: itself.
    function token() external view returns (address) {
        return address(this);
    }

    /// @notice OFT sends burn the caller's own balance, so no approval is needed.
    function approvalRequired() external pure returns (bool) {
        return false;
    }

    /// @inheritdoc IERC20Permit
    function nonces(address holder) public view override(IERC20Permit, RestrictedERC20) returns (uint256) {
        return super.nonces(holder);
    }

    // ---------------------------------------------------------------- supply

    /// @inheritdoc IAID
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        if (to == address(this)) revert ERC20InvalidReceiver(to); // AID held by AID is escrow only
        _mint(to, amount);
    }

    /// @inheritdoc IAID
    function burnFrom(address from, uint256 amount) external onlyRole(MINTER_ROLE) {
        _spendAllowance(from, msg.sender, amount);
        _burn(from, amount);
    }

    // ---------------------------------------------------------------- deny list and escrow

    /// @inheritdoc IAID
    function isDenied(address account) public view override(IAID, RestrictedERC20) returns (bool) {
        return super.isDenied(account);
    }

    /// @inheritdoc IAID
    function isDeniedAny(address a, address b) external view returns (bool) {
        return super.isDenied(a) || super.isDenied(b);
    }

    /// @inheritdoc IAID
    function setDenied(address account, bool denied) external onlyRole(DENYLIST_MANAGER_ROLE) {
        if (account == address(0)) revert ZeroAddress();
        if (account == address(this)) revert CannotDenyEscrow(); // it holds the escrow of denied holders
        _setDenied(account, denied);
        emit DenyListUpdated(account, denied);
    }

    /// @inheritdoc IAID
    function releaseEscrow(address holder, address to) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 amount = escrowOf[holder];
        if (amount == 0) revert NothingEscrowed(holder);
        escrowOf[holder] = 0;
        totalEscrowed -= amount;
        _transfer(address(this), to, amount); // reverts if `to` is denied or zero, or the token is paused
        emit EscrowReleased(holder, to, amount);
    }

    /// @inheritdoc IAID
    function redistributeLockedAmount(address from, address to) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!isDenied(from)) revert AccountNotDenied(from);
        if (to == address(0)) revert ZeroAddress();
        if (to == address(this)) revert ERC20InvalidReceiver(to); // AID held by AID is escrow only
        if (isDenied(to)) revert AccountDenied(to);
        _beforeUpdate();
        uint256 amount = balanceOf(from);
        _forceMove(from, to, amount);
        emit LockedAmountRedistributed(from, to, amount);
    }

    // ---------------------------------------------------------------- pause

    /// @inheritdoc IAID
    function pause() external onlyRole(PAUSER_ROLE) {
        if (paused) revert PauseStateUnchanged();
        paused = true;
        emit PausedSet(true);
    }

    /// @inheritdoc IAID
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!paused) revert PauseStateUnchanged();
        paused = false;
        emit PausedSet(false);
    }

    function _beforeUpdate() internal view override {
        if (paused) revert EnforcedPause();
    }

    // ---------------------------------------------------------------- rate limits

    /// @inheritdoc IAID
    function setRateLimit(uint32 eid, bool outbound, uint96 limit, uint24 window)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (window == 0) revert InvalidRateLimitWindow();
        (outbound ? _outbound[eid] : _inbound[eid]).configure(limit, window);
        emit RateLimitSet(eid, outbound, limit, window);
    }

    /// @inheritdoc IAID
    function rateLimit(uint32 eid, bool outbound)
        external
        view
        returns (uint256 limit, uint256 window, uint256 inFlight, uint256 available)
    {
        RateLimitLib.RateLimit memory rl = outbound ? _outbound[eid] : _inbound[eid];
        (inFlight, available) = RateLimitLib.state(rl);
        return (rl.limit, rl.window, inFlight, available);
    }

    // ---------------------------------------------------------------- OFT

    /// @dev A recipient that is deny-listed here is refused before anything moves: it would be escrowed on arrival.
    function _send(SendParam calldata sendParam, MessagingFee calldata fee, address refundAddress)
        internal
        override
        returns (MessagingReceipt memory, OFTReceipt memory)
    {
        address to = sendParam.to.bytes32ToAddress();
        if (isDenied(to)) revert AccountDenied(to);
        return super._send(sendParam, fee, refundAddress);
    }

    /// @dev Burns from the sender (reverts if paused or deny-listed) after checking the outbound limit.
    function _debit(address from, uint256 amountLD, uint256 minAmountLD, uint32 dstEid)
        internal
        override
        returns (uint256 amountSentLD, uint256 amountReceivedLD)
    {
        (amountSentLD, amountReceivedLD) = _debitView(amountLD, minAmountLD, dstEid);
        if (!_outbound[dstEid].consume(amountSentLD)) {
            (, uint256 available) = RateLimitLib.state(_outbound[dstEid]);
            revert OutboundRateLimitExceeded(dstEid, amountSentLD, available);
        }
        _burn(from, amountSentLD);
    }

    /// @dev Mints to `to` after checking the inbound limit; a deny-listed `to` (or zero, or this contract) is escrowed
    ///      instead, so a message is never lost. Pause and an exhausted limit revert: the endpoint keeps the message for
    ///      retry.
    function _credit(address to, uint256 amountLD, uint32 srcEid) internal override returns (uint256) {
        if (!_inbound[srcEid].consume(amountLD)) {
            (, uint256 available) = RateLimitLib.state(_inbound[srcEid]);
            revert InboundRateLimitExceeded(srcEid, amountLD, available);
        }
        if (!_creditable(to)) {
            escrowOf[to] += amountLD;
            totalEscrowed += amountLD;
            _mint(address(this), amountLD);
            emit Escrowed(to, srcEid, amountLD);
            return 0;
        }
        _mint(to, amountLD);
        return amountLD;
    }

    /// @dev Whether an OFT credit to `to` goes to `to` itself rather than to escrow.
    function _creditable(address to) private view returns (bool) {
        return to != address(0) && to != address(this) && !isDenied(to);
    }

    /// @dev As OFTCore, but a composed message is only forwarded when the recipient was credited (not escrowed).
    function _lzReceive(
        Origin calldata origin,
        bytes32 guid,
        bytes calldata message,
        address, /*executor*/
        bytes calldata /*extraData*/
    )
        internal
        override
    {
        address to = message.sendTo().bytes32ToAddress();
        uint256 amountReceivedLD = _credit(to, _toLD(message.amountSD()), origin.srcEid);
        if (message.isComposed() && _creditable(to)) {
            bytes memory composeMsg =
                OFTComposeMsgCodec.encode(origin.nonce, origin.srcEid, amountReceivedLD, message.composeMsg());
            endpoint.sendCompose(to, guid, 0, composeMsg);
        }
        emit OFTReceived(guid, origin.srcEid, to, amountReceivedLD);
    }

    // ---------------------------------------------------------------- ownership = admin role

    /// @notice The OApp owner: the current DEFAULT_ADMIN_ROLE holder.
    function owner() public view override(Ownable, AccessControlDefaultAdminRules) returns (address) {
        return defaultAdmin();
    }

    /// @dev OApp configuration (peers, delegate, enforced options) is gated by DEFAULT_ADMIN_ROLE.
    function _checkOwner() internal view override {
        _checkRole(DEFAULT_ADMIN_ROLE);
    }

    /// @dev Accepting the admin role also hands over the endpoint delegate (LayerZero config of this OApp), so the
    ///      previous admin keeps no power over message verification.
    function _acceptDefaultAdminTransfer() internal override {
        super._acceptDefaultAdminTransfer();
        endpoint.setDelegate(defaultAdmin());
    }

    /// @notice Roles may be renounced, except DEFAULT_ADMIN_ROLE by its holder: no lock-out (unpause, escrow release).
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE && account == defaultAdmin()) revert AccessControlEnforcedDefaultAdminRules();
        super.renounceRole(role, account);
    }

    /// @notice Disabled: transfer DEFAULT_ADMIN_ROLE with `beginDefaultAdminTransfer` instead.
    function transferOwnership(address) public pure override {
        revert OwnershipManagedByAdminRole();
    }

    /// @notice Disabled: the admin cannot renounce into a lock-out.
    function renounceOwnership() public pure override {
        revert OwnershipManagedByAdminRole();
    }
}
