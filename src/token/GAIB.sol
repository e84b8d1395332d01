// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGAIB} from "../interfaces/IGAIB.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title GAIB
/// @notice See {IGAIB}. Home-chain (Ethereum) token; other chains hold {GAIBOFT} through {GAIBAdapter}.
contract GAIB is ERC20, ERC20Permit, ERC20Votes, IGAIB {
    /// @inheritdoc IGAIB
    uint256 public constant TOTAL_SUPPLY = 1_000_000_000e18; // [wad]

    /// @param treasury Receives the whole fixed supply.
    constructor(address treasury) ERC20("GAIB", "GAIB") ERC20Permit("GAIB") {
        if (treasury == address(0)) revert ZeroTreasury();
        _mint(treasury, TOTAL_SUPPLY);
    }

    /// @notice Votes are checkpointed by timestamp (ERC-6372), the same clock on every chain.
    function clock() public view override(IERC6372, Votes) returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372 clock description: timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(IERC6372, Votes) returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(IERC20Permit, ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
