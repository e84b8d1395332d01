// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title IGAIB
/// @notice GAIB, the governance and staking token: ERC-20 + ERC-2612 permit + ERC-5805 votes with a timestamp clock
///         (ERC-6372 `mode=timestamp`, so checkpoints mean the same on Ethereum, Arbitrum and Plume, whose
///         `block.number` is the L1 block). A fixed supply of 1,000,000,000 GAIB is minted once, at deployment, to the
///         treasury; there is no mint or burn function. Other chains receive GAIB through the home-chain OFT adapter
///         (lockbox) and a plain OFT there, so the global supply never changes.
interface IGAIB is IERC20Metadata, IERC20Permit, IERC5805 {
    /// @notice Thrown when the treasury given to the constructor is the zero address.
    error ZeroTreasury();

    /// @notice The fixed total supply, minted at deployment: 1,000,000,000 GAIB [wad].
    function TOTAL_SUPPLY() external view returns (uint256);
}

/// @title IAdminOwnedOApp
/// @notice A LayerZero OApp (the GAIB OFT adapter and the remote GAIB OFT) whose `owner()` is the two-step
///         DEFAULT_ADMIN_ROLE holder of OpenZeppelin's AccessControlDefaultAdminRules. The endpoint delegate follows the
///         admin on handoff; the admin cannot renounce into a lock-out.
interface IAdminOwnedOApp {
    /// @notice Thrown when Ownable's transfer/renounce is used: ownership follows the two-step DEFAULT_ADMIN_ROLE.
    error OwnershipManagedByAdminRole();
}
