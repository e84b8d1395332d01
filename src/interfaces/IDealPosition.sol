// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDealPosition
/// @notice What sAID needs from a place it deploys AID into (a deal tranche, §5 of the spec): take AID, report what the
///         holder's position is worth, give AID back. The deals issue implements it, per deal or through an adapter
///         in front of a deal's tranche token. All amounts are AID [wad].
/// @dev `valueOf` must be a governed valuation (principal outstanding + accrued interest − marks), not a spot price:
///      sAID books a loss whenever it reports less than sAID's carrying value, and cannot undo a booked loss.
interface IDealPosition {
    /// @notice The token the position is denominated in (must be AID).
    function asset() external view returns (address);

    /// @notice What `holder`'s position is worth now, net of marks and impairments [wad].
    function valueOf(address holder) external view returns (uint256);

    /// @notice Takes `assets` AID from the caller (who approved it) into the caller's position.
    function deposit(uint256 assets) external;

    /// @notice Sends up to `assets` AID of the caller's position (repaid principal, interest, recoveries) back to it.
    /// @return received The AID actually sent.
    function withdraw(uint256 assets) external returns (uint256 received);
}
