// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";

/// @notice Test-only v2 of sAID: one new field in its own ERC-7201 namespace and a reinitializer.
/// @custom:oz-upgrades-from StakedAID
/// @dev Reached by upgrade only (the proxy is already initialized; v2 runs `initializeV2`).
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract StakedAIDV2 is StakedAID {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAID aid) StakedAID(aid) {}

    /// @custom:storage-location erc7201:gaib.storage.StakedAIDV2
    struct V2Storage {
        uint256 boost;
        address note;
    }

    // keccak256(abi.encode(uint256(keccak256("gaib.storage.StakedAIDV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_LOCATION = 0x1f8559021f37bdccf7122293a27a97815fb5ce0b82c6ad0ce38fda76758b3600;

    function initializeV2(uint256 boost_) external reinitializer(2) {
        _v2().boost = boost_;
    }

    function boost() external view returns (uint256) {
        return _v2().boost;
    }

    function version() external pure returns (uint256) {
        return 2;
    }

    function _v2() private pure returns (V2Storage storage $) {
        assembly {
            $.slot := V2_LOCATION
        }
    }
}
