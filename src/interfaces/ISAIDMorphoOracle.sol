// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "./IMorphoMinimal.sol";

/// @title ISAIDMorphoOracle
/// @notice Morpho Blue oracle for sAID as collateral: `price()` is the loss-aware value of one sAID base unit in loan-token
///         base units, scaled by 1e36 (Morpho's ORACLE_PRICE_SCALE):
///           price = convertToAssetsWithLoss(10^sAIDDecimals) * 10^(36 + loanDecimals) / 10^(aidDecimals + sAIDDecimals)
///         rounded down (in the lenders' favour).
/// @dev Why `convertToAssetsWithLoss`: it is the value `unstake` records (NAV net of every loss the positions report,
///      below par never more than the shares' part of real NAV), so collateral is valued at what a liquidator who
///      unstakes it is owed. NAV is ledger-tracked: AID donated to the vault does not count, rewards vest linearly
///      (capped by the vault's max APR), and deposits/redeems move shares and assets pro rata. A loss a deal position
///      reports moves the price down at once by the loss's share of NAV, before the allocator books it (sAID's views
///      net reported losses); booking it then moves nothing more.
///      Loan token peg: one whole loan token is valued at one whole AID, a fixed price. For AID itself this is exact; for
///      USDC it is the price the AIDMinter mints and redeems at (1:1, refused outside its depeg band), so a USDC depeg
///      below the band is not reflected: use this oracle only for loan tokens the minter redeems AID into at par.
interface ISAIDMorphoOracle is IOracle {
    /// @notice A constructor address argument is zero.
    error ZeroAddress();
    /// @notice A token reports more than 36 decimals (the scale factors would overflow).
    error InvalidDecimals(address token, uint8 decimals);

    /// @notice The sAID vault whose shares are the collateral.
    function vault() external view returns (address);
    /// @notice The market's loan token (valued at one AID per whole token).
    function loanToken() external view returns (address);
    /// @notice Shares converted per price read: 10^sAIDDecimals [sAID units].
    function sample() external view returns (uint256);
    /// @notice 10^(36 + loanDecimals): the numerator of the scale applied to the sample's AID value.
    function scaleNumerator() external view returns (uint256);
    /// @notice 10^(aidDecimals + sAIDDecimals): the denominator of that scale.
    function scaleDenominator() external view returns (uint256);
}
