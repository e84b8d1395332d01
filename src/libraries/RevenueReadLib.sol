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

    /// @notice `source.revenueOf(deal, period)` (see `IGpuDeal.revenueRead`) with at most `READ_GAS` gas and at most 96
    ///         bytes of answer copied.
    /// @return revenue The period's revenue [wad] (clamped to `MAX_REVENUE`); 0 when the read failed.
    /// @return reported Whether the period is reported; false when the read failed.
    /// @return ok False when the source reverted, ran out of gas, answered fewer than 64 bytes or a non-boolean flag.
    /// @return reportedAt When the period became known [s]; 0 when not reported or when the source answered only two
    ///         words (a source without report times). It may lie in the future (a buggy or hostile source): the period
    ///         still counts as reported, its share bounded by the lag like any late report (`ScheduleLib._next`).
    function read(address source, address deal, uint256 period)
        internal
        view
        returns (uint256 revenue, bool reported, bool ok, uint256 reportedAt)
    {
        bytes memory data = abi.encodeCall(IRevenueSource.revenueOf, (deal, period));
        uint256 size;
        uint256 flag;
        assembly ("memory-safe") {
            // The answer lands in free memory (not allocated: only read here); a longer answer is not copied.
            let out := mload(0x40)
            ok := staticcall(READ_GAS, source, add(data, 0x20), mload(data), out, 0x60)
            size := returndatasize()
            revenue := mload(out)
            flag := mload(add(out, 0x20))
            reportedAt := mload(add(out, 0x40))
        }
        if (!ok && gasleft() < READ_GAS / 63) revert IGpuDeal.RevenueReadOutOfGas();
        if (!ok || size < 64 || flag > 1) return (0, false, false, 0);
        reported = flag == 1;
        if (revenue > MAX_REVENUE) revenue = MAX_REVENUE;
        if (!reported || size < 96) reportedAt = 0;
    }
}
