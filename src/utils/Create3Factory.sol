// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CREATE3} from "solady/utils/CREATE3.sol";

/// @title Create3Factory
/// @notice Deploys contracts to addresses that depend only on (caller, salt), not on init code, so AID, sAID and GAIB
///         land on the same address on every chain even though their constructor arguments (endpoint, admin) differ.
/// @dev The factory itself is deployed through the canonical CREATE2 deployer, so it has the same address everywhere.
///      Salts are namespaced by caller: nobody else can take a deployer's addresses.
contract Create3Factory {
    /// @notice Emitted for every deployment.
    event Deployed(address indexed deployer, bytes32 indexed salt, address deployed);

    /// @notice Deploys `initCode` at `predict(msg.sender, salt)`.
    function deploy(bytes32 salt, bytes calldata initCode) external payable returns (address deployed) {
        deployed = CREATE3.deployDeterministic(msg.value, initCode, _namespaced(msg.sender, salt));
        emit Deployed(msg.sender, salt, deployed);
    }

    /// @notice The address `deployer` gets for `salt`.
    function predict(address deployer, bytes32 salt) external view returns (address) {
        return CREATE3.predictDeterministicAddress(_namespaced(deployer, salt));
    }

    function _namespaced(address deployer, bytes32 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(deployer, salt));
    }
}
