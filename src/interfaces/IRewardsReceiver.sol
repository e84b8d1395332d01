// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRewardsReceiver
/// @notice The single entry point through which yield reaches sAID (reserve harvests, realised deal income).
interface IRewardsReceiver {
    /// @notice The token rewards are paid in (AID).
    function asset() external view returns (address);

    /// @notice Pulls `amount` AID from the caller (who approved it) and adds it to the vesting stream.
    function transferInRewards(uint256 amount) external;
}
