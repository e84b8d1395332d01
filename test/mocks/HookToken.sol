// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

interface ITransferHook {
    function onTokenTransfer(address from, address to, uint256 value) external;
}

/// @notice Attack token: calls the sender's hook on every transferFrom (ERC-777 style), allowing reentrancy.
contract HookToken is MockERC20 {
    constructor() MockERC20("Hook Token", "HOOK", 6) {}

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (from.code.length != 0) ITransferHook(from).onTokenTransfer(from, to, value);
        return super.transferFrom(from, to, value);
    }
}
