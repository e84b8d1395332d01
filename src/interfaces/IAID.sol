// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IAID
/// @notice AID, the AI Dollar: an 18-decimal dollar token backed 1:1 by the AID reserve, moving across chains as a
///         LayerZero v2 OFT (shared decimals 6). Supply is created only by MINTER_ROLE holders on the home chain and by
///         OFT receipt elsewhere. A deny list blocks sending, receiving, approving, spending and OFT for listed
///         addresses; an OFT credit to a listed address is escrowed, never reverted or lost. Pause stops every balance
///         change, including OFT in both directions (inbound messages stay retryable at the endpoint).
interface IAID is IERC20Metadata, IERC20Permit {
    // ---------------------------------------------------------------- events

    /// @notice Emitted when `account` is added to or removed from the deny list.
    event DenyListUpdated(address indexed account, bool denied);
    /// @notice Emitted when an OFT credit to a deny-listed `holder` is held in escrow.
    event Escrowed(address indexed holder, uint32 indexed srcEid, uint256 amount);
    /// @notice Emitted when the admin releases `holder`'s escrow to `to`.
    event EscrowReleased(address indexed holder, address indexed to, uint256 amount);
    /// @notice Emitted when the admin moves the balance of a deny-listed `from` to `to` (court order).
    event LockedAmountRedistributed(address indexed from, address indexed to, uint256 amount);
    /// @notice Emitted when the outbound (to `eid`) or inbound (from `eid`) rate limit changes.
    event RateLimitSet(uint32 indexed eid, bool indexed outbound, uint96 limit, uint24 window);
    /// @notice Emitted when the token is paused or unpaused.
    event PausedSet(bool paused);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a balance would change, or an OFT message move, while the token is paused.
    error EnforcedPause();
    /// @notice Thrown when `unpause` is called on a token that is not paused, or `pause` on a paused one.
    error PauseStateUnchanged();
    /// @notice Thrown when an OFT send to `eid` exceeds the outbound capacity left in its window.
    error OutboundRateLimitExceeded(uint32 eid, uint256 amount, uint256 available);
    /// @notice Thrown when an OFT receipt from `eid` exceeds the inbound capacity left (the message stays retryable).
    error InboundRateLimitExceeded(uint32 eid, uint256 amount, uint256 available);
    /// @notice Thrown when a rate limit is configured with a zero window.
    error InvalidRateLimitWindow();
    /// @notice Thrown when releasing escrow for a holder that has none.
    error NothingEscrowed(address holder);
    /// @notice Thrown when redistributing the balance of an account that is not deny-listed.
    error AccountNotDenied(address account);
    /// @notice Thrown when an address argument is zero.
    error ZeroAddress();
    /// @notice Thrown when the deny list would include AID itself, the holder of every escrow.
    error CannotDenyEscrow();
    /// @notice Thrown when Ownable's transfer/renounce is used: ownership follows the two-step DEFAULT_ADMIN_ROLE.
    error OwnershipManagedByAdminRole();

    // ---------------------------------------------------------------- roles

    /// @notice May mint and burn (the AID minter on the home chain only).
    function MINTER_ROLE() external view returns (bytes32);
    /// @notice May pause (gatekeeper); only the admin unpauses.
    function PAUSER_ROLE() external view returns (bytes32);
    /// @notice May add and remove deny-listed addresses.
    function DENYLIST_MANAGER_ROLE() external view returns (bytes32);

    // ---------------------------------------------------------------- supply

    /// @notice Mints `amount` to `to`. Only MINTER_ROLE.
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` from `from`, spending the caller's allowance from `from`. Only MINTER_ROLE.
    function burnFrom(address from, uint256 amount) external;

    // ---------------------------------------------------------------- deny list

    /// @notice Adds (`denied = true`) or removes `account` from the deny list. Only DENYLIST_MANAGER_ROLE.
    function setDenied(address account, bool denied) external;

    /// @notice Whether `account` is deny-listed.
    function isDenied(address account) external view returns (bool);

    /// @notice Whether `a` or `b` (or both) is deny-listed: one call for the two sides of a transfer (sAID reads it).
    function isDeniedAny(address a, address b) external view returns (bool);

    /// @notice AID received over OFT for deny-listed `holder` and held by this contract (credits to the zero address or
    ///         to this contract, which hold no AID, are escrowed under that address the same way).
    function escrowOf(address holder) external view returns (uint256);

    /// @notice Total AID held in escrow by this contract.
    function totalEscrowed() external view returns (uint256);

    /// @notice Pays `holder`'s escrow to `to` (the owner once cleared, or a court-ordered address). Only admin.
    function releaseEscrow(address holder, address to) external;

    /// @notice Moves the whole balance of deny-listed `from` to non-denied `to`. Only admin.
    function redistributeLockedAmount(address from, address to) external;

    // ---------------------------------------------------------------- pause

    /// @notice Whether every balance change and OFT message is stopped.
    function paused() external view returns (bool);

    /// @notice Stops transfers, mints, burns and OFT both ways. Only PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes. Only admin.
    function unpause() external;

    // ---------------------------------------------------------------- rate limits

    /// @notice Sets the outbound (`outbound = true`, sends to `eid`) or inbound (receipts from `eid`) limit. Only admin.
    function setRateLimit(uint32 eid, bool outbound, uint96 limit, uint24 window) external;

    /// @notice The configured limit and window and the capacity left now, for one direction of one pathway.
    function rateLimit(uint32 eid, bool outbound)
        external
        view
        returns (uint256 limit, uint256 window, uint256 inFlight, uint256 available);
}
