// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Gas baseline: a bare OpenZeppelin ERC4626Upgradeable (deployed behind an ERC1967Proxy like sAID).
contract PlainVault is ERC4626Upgradeable {
    constructor() {
        _disableInitializers();
    }

    function initialize(IERC20 asset_) external initializer {
        __ERC20_init("Plain Vault", "PV");
        __ERC4626_init(asset_);
    }
}
