// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SimpleMessageLibMock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/SimpleMessageLibMock.sol";

/// @notice Local-mode message library for Anvil chains: LayerZero's SimpleMessageLibMock without the in-EVM test
///         helper. The endpoint emits `PacketSent`; the local relayer (ts/multichain/relayer.ts) calls `validatePacket`
///         on the destination chain's library and then `lzReceive` on its endpoint. No fees, no verification: never
///         deploy outside a local chain.
contract LocalMessageLib is SimpleMessageLibMock {
    constructor(address endpoint) SimpleMessageLibMock(payable(address(0)), endpoint) {
        nativeFee = 0;
        lzTokenFee = 0;
    }

    function _handleMessagingParamsHook(bytes memory, bytes memory) internal pure override {}
}
