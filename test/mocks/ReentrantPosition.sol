// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "./MockPosition.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice A malicious position: while sAID's `deallocate` is inside `withdraw`, it deposits its own AID into sAID, so a
///         balance-difference measure would count that deposit a second time as money the position paid back.
contract ReentrantPosition is MockPosition {
    IERC4626 public vault;
    uint256 public reenterWith; // AID to deposit into the vault from inside `withdraw`

    constructor(IERC20 aid_) MockPosition(aid_) {}

    function arm(IERC4626 vault_, uint256 amount) external {
        vault = vault_;
        reenterWith = amount;
    }

    function withdraw(uint256 assets) external override returns (uint256 received) {
        if (reenterWith != 0) {
            uint256 amount = reenterWith;
            reenterWith = 0;
            aid.approve(address(vault), amount);
            vault.deposit(amount, address(this));
        }
        received = assets < principal[msg.sender] ? assets : principal[msg.sender];
        principal[msg.sender] -= received;
        aid.transfer(msg.sender, received);
    }
}
