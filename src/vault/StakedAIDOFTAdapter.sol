// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OFTAdapter} from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title StakedAIDOFTAdapter
/// @notice Home-chain (Ethereum) lockbox that moves sAID shares over LayerZero v2: sending locks shares here, receiving
///         releases them. The share price lives on the home chain; remote chains hold {StakedAIDOFT}.
/// @dev Locking pulls shares with `transferFrom(holder, adapter)`, which sAID refuses for a FULL-restricted holder
///      (and while sAID is paused): restricted holders cannot bridge out. A release to a FULL-restricted receiver
///      reverts and the message stays retryable at the endpoint until the restriction is lifted or redistributed.
contract StakedAIDOFTAdapter is OFTAdapter {
    /// @param sAID The sAID proxy.
    /// @param endpoint The LayerZero v2 endpoint.
    /// @param owner OApp owner and endpoint delegate (the admin).
    constructor(address sAID, address endpoint, address owner) OFTAdapter(sAID, endpoint, owner) Ownable(owner) {}
}
