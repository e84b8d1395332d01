// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The one endpoint call an OApp constructor makes (`setDelegate`), for single-chain unit tests.
///         Cross-chain tests use LayerZero's TestHelperOz5 endpoints instead.
contract MockEndpoint {
    uint32 public immutable eid;
    mapping(address oapp => address) public delegates;

    constructor(uint32 eid_) {
        eid = eid_;
    }

    function setDelegate(address delegate) external {
        delegates[msg.sender] = delegate;
    }
}
