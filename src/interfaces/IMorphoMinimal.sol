// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Morpho Blue 1.0.0's market key (`IMorpho.sol`'s `MarketParams`), field for field: its ABI encoding is the
///         one Morpho hashes into a market id and the one `IIrm` / `createMarket` take.
struct MarketParams {
    address loanToken;
    address collateralToken;
    address oracle; // IOracle: price of 1 collateral unit in loan units [1e36]
    address irm; // IIrm: borrow rate per second [wad]
    uint256 lltv; // liquidation loan-to-value [wad]
}

/// @notice Morpho Blue 1.0.0's market state (`IMorpho.sol`'s `Market`), field for field.
struct Market {
    uint128 totalSupplyAssets; // [loan units]
    uint128 totalSupplyShares;
    uint128 totalBorrowAssets; // [loan units]
    uint128 totalBorrowShares;
    uint128 lastUpdate; // [s] last interest accrual
    uint128 fee; // [wad] share of interest to the fee recipient
}

/// @notice Morpho Blue 1.0.0's position of a user in a market (`IMorpho.sol`'s `Position`), field for field.
struct Position {
    uint256 supplyShares;
    uint128 borrowShares;
    uint128 collateral; // [collateral units]
}

/// @notice Morpho Blue's market id: `keccak256(abi.encode(marketParams))` (its `MarketParamsLib.id`, 5 words hashed).
function marketId(MarketParams memory p) pure returns (bytes32) {
    return keccak256(abi.encode(p));
}

/// @title IOracle
/// @notice Morpho Blue's oracle interface (same selector and meaning).
interface IOracle {
    /// @notice Price of 1 base unit of collateral token quoted in base units of loan token, scaled by 1e36: a position
    ///         of `c` collateral units may borrow up to `c * price() / 1e36 * lltv / 1e18` loan units.
    function price() external view returns (uint256);
}

/// @title IIrm
/// @notice Morpho Blue's interest-rate-model interface (same selectors and meaning).
interface IIrm {
    /// @notice Borrow rate per second [wad] of `marketParams`' market, given its state `market`; may update storage.
    function borrowRate(MarketParams memory marketParams, Market memory market) external returns (uint256);

    /// @notice The same rate without modifying any storage.
    function borrowRateView(MarketParams memory marketParams, Market memory market) external view returns (uint256);
}

/// @title IMorphoMinimal
/// @notice The subset of Morpho Blue 1.0.0 (`IMorpho`) GAIB's deploy step, tests and tooling call. The market id is
///         `bytes32` here (Morpho's `Id` is a user-defined `bytes32`, the same ABI type). Morpho reverts with string
///         reasons (its `ErrorsLib`, e.g. "insufficient collateral").
interface IMorphoMinimal {
    function owner() external view returns (address);
    function isIrmEnabled(address irm) external view returns (bool);
    function isLltvEnabled(uint256 lltv) external view returns (bool);
    function enableIrm(address irm) external;
    function enableLltv(uint256 lltv) external;
    function createMarket(MarketParams memory marketParams) external;

    function supply(
        MarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        bytes memory data
    ) external returns (uint256 assetsSupplied, uint256 sharesSupplied);

    function withdraw(
        MarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsWithdrawn, uint256 sharesWithdrawn);

    function borrow(
        MarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        address receiver
    ) external returns (uint256 assetsBorrowed, uint256 sharesBorrowed);

    function repay(
        MarketParams memory marketParams,
        uint256 assets,
        uint256 shares,
        address onBehalf,
        bytes memory data
    ) external returns (uint256 assetsRepaid, uint256 sharesRepaid);

    function supplyCollateral(MarketParams memory marketParams, uint256 assets, address onBehalf, bytes memory data)
        external;

    function withdrawCollateral(MarketParams memory marketParams, uint256 assets, address onBehalf, address receiver)
        external;

    function liquidate(
        MarketParams memory marketParams,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        bytes memory data
    ) external returns (uint256 seized, uint256 repaid);

    function accrueInterest(MarketParams memory marketParams) external;

    function position(bytes32 id, address user) external view returns (Position memory p);
    function market(bytes32 id) external view returns (Market memory m);
    function idToMarketParams(bytes32 id) external view returns (MarketParams memory);
}
