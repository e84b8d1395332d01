// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceFeed} from "../../src/interfaces/IPriceFeed.sol";

/// @notice Chainlink-style feed whose answer and update time are set by anyone (tests and local demo only).
contract MockPriceFeed is IPriceFeed {
    uint8 public immutable decimals;
    int192 public answer;
    uint64 public updatedAt;

    constructor(uint8 decimals_, int192 answer_) {
        decimals = decimals_;
        answer = answer_;
        updatedAt = uint64(block.timestamp);
    }

    function setAnswer(int192 answer_) external {
        answer = answer_;
        updatedAt = uint64(block.timestamp);
    }

    function setUpdatedAt(uint64 updatedAt_) external {
        updatedAt = updatedAt_;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return (1, answer, updatedAt, updatedAt, 1);
    }
}
