// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";

/// @notice A stand-in deal: only `terms()` (borrower and underwriter) is read by the node registry.
contract MockDeal {
    address internal _borrower;
    address internal _underwriter;

    constructor(address borrower_, address underwriter_) {
        (_borrower, _underwriter) = (borrower_, underwriter_);
    }

    function terms() external view returns (IGpuDeal.Terms memory t) {
        t.borrower = _borrower;
        t.underwriter = _underwriter;
    }
}

/// @notice A stand-in deal factory: only `deals(dealId)` is read by the node registry.
contract MockDealBook {
    mapping(uint256 dealId => address) public deals;

    function addDeal(uint256 dealId, address borrower, address underwriter) external returns (address deal) {
        deal = address(new MockDeal(borrower, underwriter));
        deals[dealId] = deal;
    }
}
