// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {TranchePosition} from "./TranchePosition.sol";

/// @title SeniorPosition
/// @notice sAID's position in one deal's SENIOR tranche: a `TranchePosition` fixed to the senior tranche (the
///         tranche sAID's liquidity-buffered allocations are meant for). See `TranchePosition`.
contract SeniorPosition is TranchePosition {
    constructor(IGpuDeal deal_, address aid_, address vault_)
        TranchePosition(deal_, IGpuDeal.Tranche.SENIOR, aid_, vault_)
    {}
}
