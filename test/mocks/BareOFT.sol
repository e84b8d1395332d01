// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OFT} from "@layerzerolabs/oft-evm/contracts/OFT.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice A plain LayerZero OFT (no deny list, pause or rate limits): the gas baseline for AID's OFT paths.
contract BareOFT is OFT {
    constructor(address endpoint, address owner_) OFT("Bare OFT", "BOFT", endpoint, owner_) Ownable(owner_) {}

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
