// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAdminOwnedOApp} from "../../interfaces/IGAIB.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title AdminOwnedOApp
/// @notice Makes an OApp's LayerZero `owner()` the DEFAULT_ADMIN_ROLE holder (two-step transfer with a delay, no
///         renounce into lock-out), as AID does. Ownable's own transfer and renounce are disabled.
abstract contract AdminOwnedOApp is IAdminOwnedOApp, OAppCore, AccessControlDefaultAdminRules {
    /// @notice Delay before a scheduled DEFAULT_ADMIN_ROLE transfer can be accepted.
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    /// @notice The OApp owner: the current DEFAULT_ADMIN_ROLE holder.
    function owner() public view virtual override(Ownable, AccessControlDefaultAdminRules) returns (address) {
        return defaultAdmin();
    }

    /// @dev OApp configuration (peers, delegate, enforced options) is gated by DEFAULT_ADMIN_ROLE.
    function _checkOwner() internal view virtual override {
        _checkRole(DEFAULT_ADMIN_ROLE);
    }

    /// @dev Accepting the admin role also hands over the endpoint delegate, so the previous admin keeps no power over
    ///      this OApp's LayerZero configuration.
    function _acceptDefaultAdminTransfer() internal virtual override {
        super._acceptDefaultAdminTransfer();
        endpoint.setDelegate(defaultAdmin());
    }

    /// @notice Roles may be renounced, except DEFAULT_ADMIN_ROLE by its holder (no lock-out).
    function renounceRole(bytes32 role, address account) public virtual override {
        if (role == DEFAULT_ADMIN_ROLE && account == defaultAdmin()) revert AccessControlEnforcedDefaultAdminRules();
        super.renounceRole(role, account);
    }

    /// @notice Disabled: transfer DEFAULT_ADMIN_ROLE with `beginDefaultAdminTransfer` instead.
    function transferOwnership(address) public pure virtual override {
        revert OwnershipManagedByAdminRole();
    }

    /// @notice Disabled: the admin cannot renounce into a lock-out.
    function renounceOwnership() public pure virtual override {
        revert OwnershipManagedByAdminRole();
    }
}
