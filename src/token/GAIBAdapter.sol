// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AdminOwnedOApp} from "./base/AdminOwnedOApp.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {OFTAdapter} from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title GAIBAdapter
/// @notice Home-chain (Ethereum) LayerZero v2 OFT adapter for GAIB: a lockbox. Sending locks GAIB here and mints
///         {GAIBOFT} on the destination; receiving releases locked GAIB. Invariant: GAIB locked here equals the total
///         supply of GAIB on all other chains (plus in-flight messages). Exactly one adapter exists in the mesh.
/// @dev Shared decimals 6 (OFT default): amounts are sent in multiples of 10^12 wei; dust stays with the sender.
contract GAIBAdapter is OFTAdapter, AdminOwnedOApp {
    /// @param gaib The GAIB token on this chain.
    /// @param endpoint The LayerZero v2 endpoint on this chain.
    /// @param admin DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate.
    constructor(address gaib, address endpoint, address admin)
        OFTAdapter(gaib, endpoint, admin)
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
