// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {IRevenueSource} from "../interfaces/IRevenueSource.sol";

/// @title RevenueReadLib
/// @notice A fail-safe read of a REVENUE_SHARE deal's revenue source. The deal's due date, tranche values and marks are
///         views that sAID's NAV and loss sync depend on for every position, so a source that reverts, burns gas or
///         answers garbage must not make them revert: such a read counts as "not reported" (the period's minimum
///         payment applies) instead.
library RevenueReadLib {
    /// @notice The gas a single `revenueOf` read may use [gas] (the stock sources use < 10,000).
    uint256 internal constant READ_GAS = 30_000; // [gas]
    /// @notice The largest revenue figure taken as is [wad]; larger answers are clamped to it (no overflow downstream).
    uint256 internal constant MAX_REVENUE = type(uint128).max; // [wad]

    /// @notice `source.revenueOf(deal, period)` (see `IGpuDeal.revenueRead`) with at most `READ_GAS` gas and at most 64 bytes of answer copied.
    /// @return revenue The period's revenue [wad] (clamped to `MAX_REVENUE`); 0 when the read failed.
    /// @return reported Whether the period is reported; false when the read failed.
    /// @return ok False when the source reverted, ran out of gas, answered fewer than 64 bytes or a non-boolean flag.
    function read(address source, address deal, uint256 period)
        internal
        view
        returns (uint256 revenue, bool reported, bool ok)
    {
        bytes memory data = abi.encodeCall(IRevenueSource.revenueOf, (deal, period));
        uint256 size;
        uint256 flag;
        assembly ("memory-safe") {
            // The answer lands in the scratch space (0x00–0x3f); a longer answer is not copied.
            ok := staticcall(READ_GAS, source, add(data, 0x20), mload(data), 0x00, 0x40)
            size := returndatasize()
            revenue := mload(0x00)
            flag := mload(0x20)
        }
        if (!ok && gasleft() < READ_GAS / 63) revert IGpuDeal.RevenueReadOutOfGas();
        if (!ok || size < 64 || flag > 1) return (0, false, false);
        reported = flag == 1;
        if (revenue > MAX_REVENUE) revenue = MAX_REVENUE;
    }
}
