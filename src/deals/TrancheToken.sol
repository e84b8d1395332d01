// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";

/// @title TrancheToken
/// @notice The ERC-20 of one tranche of one deal (18 decimals, 1 token per AID funded), a clone created by the
///         `DealFactory`. Only its deal mints and burns; every holder-to-holder transfer first lets the deal settle
///         both sides of its per-share claim index, so payments already distributed stay with the sender.
contract TrancheToken is ERC20Upgradeable {
    /// @notice Thrown when someone other than the deal mints or burns.
    error OnlyDeal(address caller);

    /// @notice The deal that owns this tranche.
    address public deal;

    constructor() {
        _disableInitializers();
    }

    /// @notice Sets name, symbol and the owning deal once (called by the factory on the fresh clone).
    function initialize(string calldata name_, string calldata symbol_, address deal_) external initializer {
        __ERC20_init(name_, symbol_);
        deal = deal_;
    }

    /// @notice Deal only: mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        if (msg.sender != deal) revert OnlyDeal(msg.sender);
        _mint(to, amount);
    }

    /// @notice Deal only: burns `amount` from `from`.
    function burn(address from, uint256 amount) external {
        if (msg.sender != deal) revert OnlyDeal(msg.sender);
        _burn(from, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) IGpuDeal(deal).onTrancheTransfer(from, to);
        super._update(from, to, value);
    }
}
