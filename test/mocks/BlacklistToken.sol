// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockERC20} from "./MockERC20.sol";

/// @notice A USDC/USDT-style stablecoin whose issuer blacklists addresses: a blacklisted account can neither send nor
///         receive (every transfer touching it reverts), whatever the caller.
contract BlacklistToken is MockERC20 {
    error Blacklisted(address account);

    mapping(address account => bool) public isBlacklisted;

    constructor() MockERC20("Blacklisting USD", "BUSD", 6) {}

    /// @dev The issuer's blacklist (open in this mock).
    function setBlacklisted(address account, bool blacklisted) external {
        isBlacklisted[account] = blacklisted;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (isBlacklisted[from]) revert Blacklisted(from);
        if (isBlacklisted[to]) revert Blacklisted(to);
        super._update(from, to, value);
    }
}
