// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../interfaces/IAID.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";

/// @title StakedAIDRules
/// @notice The one implementation of who may move sAID, used by the home vault ({StakedAID}) and by the share OFT on
///         Arbitrum/Plume ({StakedAIDOFT}): an account may send, receive, bridge, approve, be approved or spend an
///         allowance only while it is neither FULL-restricted on this chain's sAID nor on AID's deny list. AID sits at
///         the same (CREATE3) address on every chain, so each chain reads its local AID: one list, no copy to sync.
/// @dev Each contract says whether an account is FULL-restricted locally (home: the account word's restriction byte;
///      remote: its `restricted` flag) and calls these checks from its transfer, allowance and approval hooks; the
///      rule, its order and its errors ({IStakedAID-AccountRestricted}, {IStakedAID-AccountDenied}) live only here.
abstract contract StakedAIDRules {
    /// @dev AID on this chain (the vault's asset at home), kept by each contract in an immutable: no storage read on
    ///      the transfer path. (A getter, not a constructor argument of this base: one more base-constructor argument
    ///      overflows the legacy code generator's stack in OFT's constructor chain.)
    function _aid() internal view virtual returns (IAID);

    /// @dev Reverts unless `account` (FULL-restricted here when `full`) is clear: not FULL, not deny-listed on AID.
    function _requireClear(address account, bool full) internal view {
        if (full) revert IStakedAID.AccountRestricted(account, IStakedAID.Restriction.FULL);
        if (_aid().isDenied(account)) revert IStakedAID.AccountDenied(account);
    }

    /// @dev {_requireClear} for two accounts (transfer sides, owner and spender) with one read of AID's list.
    function _requireClearPair(address a, bool aFull, address b, bool bFull) internal view {
        if (aFull) revert IStakedAID.AccountRestricted(a, IStakedAID.Restriction.FULL);
        if (bFull) revert IStakedAID.AccountRestricted(b, IStakedAID.Restriction.FULL);
        if (_aid().isDeniedAny(a, b)) revert IStakedAID.AccountDenied(_aid().isDenied(a) ? a : b);
    }

    /// @dev Whether `account` (FULL-restricted here when `full`) is clear.
    function _isClear(address account, bool full) internal view returns (bool) {
        return !full && !_aid().isDenied(account);
    }
}
