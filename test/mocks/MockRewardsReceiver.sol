// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRewardsReceiver} from "../../src/interfaces/IRewardsReceiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice A yield receiver other than sAID (e.g. a future sAID v2): pulls the rewards it is told about.
contract MockRewardsReceiver is IRewardsReceiver {
    address public immutable asset;
    uint256 public received; // [wad]

    constructor(address asset_) {
        asset = asset_;
    }

    function transferInRewards(uint256 amount) external {
        IERC20(asset).transferFrom(msg.sender, address(this), amount);
        received += amount;
    }
}
