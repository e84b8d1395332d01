// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {AdminOwnedOApp} from "../token/base/AdminOwnedOApp.sol";
import {StakedAIDRules} from "./StakedAIDRules.sol";
import {OFT} from "@layerzerolabs/oft-evm/contracts/OFT.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title StakedAIDOFT
/// @notice sAID shares on Arbitrum and Plume: an OFT minted on receipt from the home-chain {StakedAIDOFTAdapter} and
///         burnt on send. It carries no price; redeem by bridging home. The home chain's rules bind here too, from the
///         same code ({StakedAIDRules}): an account FULL-restricted here (mirrored from the home chain by the owner) or
///         on this chain's AID deny list cannot send, receive, bridge, approve, be approved or spend an allowance.
/// @dev Admin model as AID ({AdminOwnedOApp}): `owner()` is the two-step DEFAULT_ADMIN_ROLE holder and the endpoint
///      delegate follows it on handoff, so the deployer keeps no power over peers or minting after the handoff.
contract StakedAIDOFT is OFT, AdminOwnedOApp, StakedAIDRules {
    /// @notice FULL-restricted accounts.
    mapping(address account => bool) public restricted;

    /// @notice Emitted when `account`'s restriction changes.
    event RestrictionSet(address indexed account, bool restricted);

    /// @notice AID on this chain (its CREATE3 address, as on every chain): its deny list binds sAID here as at home.
    IAID public immutable aid;

    /// @notice Constructor arguments, ABI-encoded as the tuple `(endpoint, admin, aid)` (a struct: one stack slot, as
    ///         three arguments overflow the legacy code generator's stack in OFT's constructor chain).
    struct Init {
        address endpoint; // the LayerZero v2 endpoint
        address admin; // DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate
        IAID aid; // AID on this chain
    }

    /// @param p See {Init}.
    constructor(Init memory p)
        OFT("Staked AI Dollar", "sAID", p.endpoint, p.admin)
        Ownable(p.admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, p.admin)
    {
        if (address(p.aid) == address(0)) revert IStakedAID.ZeroAddress();
        aid = p.aid;
    }

    /// @notice Restricts (or clears) `account`. Only owner.
    function setRestricted(address account, bool value) external onlyOwner {
        restricted[account] = value;
        emit RestrictionSet(account, value);
    }

    /// @dev As on the home chain: a spender that is not clear cannot move an allowance it was given.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        _requireClear(msg.sender, restricted[msg.sender]);
        return super.transferFrom(from, to, value);
    }

    /// @dev As on the home chain: owners and spenders that are not clear cannot approve or be approved (allowance
    ///      spending, which does not emit, is checked in `transferFrom`).
    function _approve(address holder, address spender, uint256 value, bool emitEvent) internal override {
        if (emitEvent) _requireClearPair(holder, restricted[holder], spender, restricted[spender]);
        super._approve(holder, spender, value, emitEvent);
    }

    /// @dev Every balance change refuses an account that is not clear: transfers (both sides), the burn of an OFT send
    ///      (sender) and the mint of an OFT credit (receiver; the receipt reverts and stays retryable at the endpoint).
    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0)) _requireClear(to, restricted[to]);
        else if (to == address(0)) _requireClear(from, restricted[from]);
        else _requireClearPair(from, restricted[from], to, restricted[to]);
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

    function _aid() internal view override returns (IAID) {
        return aid;
    }
}
