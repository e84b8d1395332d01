// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDQueueModelTest} from "./StakedAIDQueueModel.t.sol";

/// @notice 10r-1 acceptance test: the exact model over every sequence (also losses on bare parts). Failed on s10-said
///         (c91f640): `model: writeDowns.claim = the requests' claims: 9203452567844297050 !~= 9250577432578138178`.
contract StakedAIDQueueModelFullTest is StakedAIDQueueModelTest {
    /// @notice Random sequences (entries, partial unstakes, losses, partial and full write-backs, settles, payouts),
    ///         losses also while a request with a bare part waits: sAID follows the exact model (10r-1: fails on
    ///         s10-said at the first such loss, `writeDowns.claim` below Σc).
    function testFuzz_model_queueMatchesExactModel(uint256 seed) public {
        _run(seed, false);
    }
}
