// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice MockERC20 with AID's deny-list views (`isDenied`, `isDeniedAny`), which sAID reads: stands in for AID where only an
///         18-decimal ERC-20 with a deny list is needed.
contract MockDenyListERC20 is MockERC20 {
    mapping(address account => bool) public isDenied;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) MockERC20(name_, symbol_, decimals_) {}

    function isDeniedAny(address a, address b) external view returns (bool) {
        return isDenied[a] || isDenied[b];
    }

    function setDenied(address account, bool denied) external {
        isDenied[account] = denied;
    }
}
