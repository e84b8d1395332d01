// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IPriceFeed
/// @notice The subset of Chainlink's AggregatorV3Interface the minter reads for its depeg guard.
interface IPriceFeed {
    /// @notice Number of decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice The latest round: price `answer` (in `decimals()`), and the time it was last updated.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
