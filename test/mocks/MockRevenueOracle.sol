// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRevenueOracle} from "../../src/interfaces/IRevenueOracle.sol";

/// @notice Revenue oracle stand-in: the test sets each deal's cumulative proven revenue (only ever growing).
contract MockRevenueOracle is IRevenueOracle {
    mapping(uint256 dealId => uint256) public cumulativeDealRevenue;

    function setCumulative(uint256 dealId, uint256 cumulative) external {
        require(cumulative >= cumulativeDealRevenue[dealId], "only grows");
        cumulativeDealRevenue[dealId] = cumulative;
    }

    function dealRevenue(uint256, uint256, uint256) external pure returns (uint256) {
        return 0;
    }

    function dealEpochRevenue(uint256, uint256) external pure returns (uint256) {
        return 0;
    }

    function isFinal(uint256) external pure returns (bool) {
        return true;
    }

    function isDealStale(uint256) external pure returns (bool) {
        return false;
    }

    function MAX_REVENUE_RANGE() external pure returns (uint256) {
        return 1;
    }
}
