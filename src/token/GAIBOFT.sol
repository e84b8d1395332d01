// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AdminOwnedOApp} from "./base/AdminOwnedOApp.sol";
import {OFTCore} from "@layerzerolabs/oft-evm/contracts/OFTCore.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title GAIBOFT
/// @notice GAIB on Arbitrum and Plume: a LayerZero v2 OFT (mint on receipt, burn on send, shared decimals 6) with
///         ERC-2612 permit and ERC-5805 votes (timestamp clock, as on the home chain), peered with {GAIBAdapter} on
///         Ethereum. Deployed with the same CREATE3 salt as the home token, so GAIB has one address on every chain.
///         Supply exists here only as a mirror of GAIB locked in the adapter; `TOTAL_SUPPLY` is the global fixed
///         supply, not this chain's.
/// @dev Built on OFTCore + OZ ERC20Permit/ERC20Votes directly (the stock `OFT` base plus EIP712 overflows the legacy
///      constructor's stack).
contract GAIBOFT is ERC20Permit, ERC20Votes, OFTCore, AdminOwnedOApp {
    /// @notice The global fixed supply of GAIB [wad] (minted on the home chain only).
    uint256 public constant TOTAL_SUPPLY = 1_000_000_000e18;

    /// @param endpoint The LayerZero v2 endpoint on this chain.
    /// @param admin DEFAULT_ADMIN_ROLE holder, OApp owner and endpoint delegate.
    constructor(address endpoint, address admin)
        ERC20("GAIB", "GAIB")
        ERC20Permit("GAIB")
        OFTCore(18, endpoint, admin)
        Ownable(admin)
        AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin)
    {}

    /// @notice Votes are checkpointed by timestamp (ERC-6372), as on the home chain.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock description: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice ERC-2612 / votes nonces (shared).
    function nonces(address holder) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(holder);
    }

    /// @notice The token this OFT moves: itself.
    function token() external view returns (address) {
        return address(this);
    }

    /// @notice Sends burn the caller's own balance, so no approval is needed.
    function approvalRequired() external pure returns (bool) {
        return false;
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

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    /// @dev Burns the sent amount (dust removed) from `from`.
    function _debit(address from, uint256 amountLD, uint256 minAmountLD, uint32 dstEid)
        internal
        override
        returns (uint256 amountSentLD, uint256 amountReceivedLD)
    {
        (amountSentLD, amountReceivedLD) = _debitView(amountLD, minAmountLD, dstEid);
        _burn(from, amountSentLD);
    }

    /// @dev Mints to `to`; a credit to the zero address (which ERC20 refuses) goes to 0xdead so a message never fails.
    function _credit(address to, uint256 amountLD, uint32) internal override returns (uint256) {
        if (to == address(0)) to = address(0xdead);
        _mint(to, amountLD);
        return amountLD;
    }
}
