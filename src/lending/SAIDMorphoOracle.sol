// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "../interfaces/IMorphoMinimal.sol";
import {ISAIDMorphoOracle} from "../interfaces/ISAIDMorphoOracle.sol";
import {IStakedAID} from "../interfaces/IStakedAID.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SAIDMorphoOracle
/// @notice Loss-aware price of sAID for a Morpho Blue market lending `loanToken`; see {ISAIDMorphoOracle}.
contract SAIDMorphoOracle is ISAIDMorphoOracle {
    uint256 internal constant MAX_DECIMALS = 36;
    uint256 internal constant ORACLE_PRICE_SCALE_DECIMALS = 36; // Morpho's ORACLE_PRICE_SCALE = 1e36

    /// @inheritdoc ISAIDMorphoOracle
    address public immutable vault;
    /// @inheritdoc ISAIDMorphoOracle
    address public immutable loanToken;
    /// @inheritdoc ISAIDMorphoOracle
    uint256 public immutable sample; // [sAID units]
    /// @inheritdoc ISAIDMorphoOracle
    uint256 public immutable scaleNumerator;
    /// @inheritdoc ISAIDMorphoOracle
    uint256 public immutable scaleDenominator;

    /// @param vault_ The sAID vault (its asset is AID).
    /// @param loanToken_ The market's loan token: AID itself or a stablecoin the minter redeems AID into at par.
    constructor(address vault_, address loanToken_) {
        if (vault_ == address(0) || loanToken_ == address(0)) revert ZeroAddress();
        uint256 sDec = _decimals(vault_);
        uint256 aDec = _decimals(IStakedAID(vault_).asset());
        uint256 lDec = _decimals(loanToken_);
        vault = vault_;
        loanToken = loanToken_;
        sample = 10 ** sDec;
        scaleNumerator = 10 ** (ORACLE_PRICE_SCALE_DECIMALS + lDec); // <= 1e72 < 2^256
        scaleDenominator = 10 ** (aDec + sDec); // <= 1e72
    }

    /// @inheritdoc IOracle
    function price() external view returns (uint256) {
        // AID value of one whole sAID [AID units] -> loan units of one sAID unit, scaled 1e36.
        return Math.mulDiv(IStakedAID(vault).convertToAssetsWithLoss(sample), scaleNumerator, scaleDenominator);
    }

    function _decimals(address token) private view returns (uint256 d) {
        d = IERC20Metadata(token).decimals();
        // forge-lint: disable-next-line(unsafe-typecast)
        if (d > MAX_DECIMALS) revert InvalidDecimals(token, uint8(d));
    }
}
