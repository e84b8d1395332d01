// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AdminOwnedOApp} from "../token/base/AdminOwnedOApp.sol";
import {OFT} from "@layerzerolabs/oft-evm/contracts/OFT.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title StakedAIDOFT
/// @notice sAID shares on Arbitrum and Plume: an OFT minted on receipt from the home-chain {StakedAIDOFTAdapter} and
///         burnt on send. It carries no price; redeem by bridging home. FULL-restricted accounts (mirrored from the home
///         chain by the owner) cannot send, receive, bridge, approve or spend an allowance.
/// @dev Admin model as AID ({AdminOwnedOApp}): `owner()` is the two-step DEFAULT_ADMIN_ROLE holder and the endpoint
///      delegate follows it on handoff, so the deployer keeps no power over peers or minting after the handoff.
contract StakedAIDOFT is OFT, AdminOwnedOApp {
    /// @notice FULL-restricted accounts.
    mapping(address account => bool) public restricted;

    /// @notice Emitted when `account`'s restriction changes.
    event RestrictionSet(address indexed account, bool restricted);

    /// @notice Thrown when a restricted account sends or receives.
    error AccountRestricted(address account);

    /// @param endpoint The LayerZero v2 endpoint.
    /// @param admin DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate.
    constructor(address endpoint, address admin)
        OFT("Staked AI Dollar", "sAID", endpoint, admin)
        Ownable(admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {}

    /// @notice Restricts (or clears) `account`. Only owner.
    function setRestricted(address account, bool value) external onlyOwner {
        restricted[account] = value;
        emit RestrictionSet(account, value);
    }

    /// @dev As on the home chain: a restricted spender cannot move an allowance it was given.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (restricted[msg.sender]) revert AccountRestricted(msg.sender);
        return super.transferFrom(from, to, value);
    }

    /// @dev As on the home chain: restricted owners and spenders cannot approve or be approved (allowance spending,
    ///      which does not emit, is checked in `transferFrom`).
    function _approve(address holder, address spender, uint256 value, bool emitEvent) internal override {
        if (emitEvent) {
            if (restricted[holder]) revert AccountRestricted(holder);
            if (restricted[spender]) revert AccountRestricted(spender);
        }
        super._approve(holder, spender, value, emitEvent);
    }

    /// @dev Every balance change (transfers, OFT burn on send, mint on receipt) refuses restricted accounts; a receipt
    ///      for a restricted account reverts and stays retryable at the endpoint.
    function _update(address from, address to, uint256 value) internal override {
        if (restricted[from]) revert AccountRestricted(from);
        if (restricted[to]) revert AccountRestricted(to);
        super._update(from, to, value);
    }

    /// @inheritdoc AdminOwnedOApp
    function owner() public view override(Ownable, AdminOwnedOApp) returns (address) {
        return super.owner();
    }

    /// @inheritdoc AdminOwnedOApp
    function transferOwnership(address a) public pure override(Ownable, AdminOwnedOApp) {
        super.transferOwnership(a);
    }

    /// @inheritdoc AdminOwnedOApp
    function renounceOwnership() public pure override(Ownable, AdminOwnedOApp) {
        super.renounceOwnership();
    }

    function _checkOwner() internal view override(Ownable, AdminOwnedOApp) {
        super._checkOwner();
    }
}
