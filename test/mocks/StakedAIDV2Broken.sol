// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";

/// @notice Deliberately broken upgrade of {StakedAIDV2}: same namespace, fields reordered and retyped. The storage
///         layout check (`npm run upgrades:check`) must reject it.
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract StakedAIDV2Broken is StakedAID {
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAID aid) StakedAID(aid) {}

    /// @custom:storage-location erc7201:gaib.storage.StakedAIDV2
    struct V2Storage {
        address note;
        uint128 boost;
    }

    // keccak256(abi.encode(uint256(keccak256("gaib.storage.StakedAIDV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_LOCATION = 0x1f8559021f37bdccf7122293a27a97815fb5ce0b82c6ad0ce38fda76758b3600;

    function boost() external view returns (uint256) {
        return _v2().boost;
    }

    function _v2() private pure returns (V2Storage storage $) {
        assembly {
            $.slot := V2_LOCATION
        }
    }
}
