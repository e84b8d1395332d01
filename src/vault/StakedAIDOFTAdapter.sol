// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AdminOwnedOApp} from "../token/base/AdminOwnedOApp.sol";
import {OFTAdapter} from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title StakedAIDOFTAdapter
/// @notice Home-chain (Ethereum) lockbox that moves sAID shares over LayerZero v2: sending locks shares here, receiving
///         releases them. The share price lives on the home chain; remote chains hold {StakedAIDOFT}.
/// @dev Locking pulls shares with `transferFrom(holder, adapter)`, which sAID refuses for a FULL-restricted holder
///      (and while sAID is paused): restricted holders cannot bridge out. A release to a FULL-restricted receiver
///      reverts and the message stays retryable at the endpoint until the restriction is lifted or redistributed.
///      Admin model as AID ({AdminOwnedOApp}): `owner()` is the two-step DEFAULT_ADMIN_ROLE holder and the endpoint
///      delegate follows it on handoff, so the deployer keeps no power over peers or the lockbox after the handoff.
contract StakedAIDOFTAdapter is OFTAdapter, AdminOwnedOApp {
    /// @param sAID The sAID proxy.
    /// @param endpoint The LayerZero v2 endpoint.
    /// @param admin DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate.
    constructor(address sAID, address endpoint, address admin)
        OFTAdapter(sAID, endpoint, admin)
        Ownable(admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {}

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
