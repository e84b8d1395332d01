// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILayerZeroDVN} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/interfaces/ILayerZeroDVN.sol";

/// @notice A DVN for the ULN302 tests: free on the send side (ULN302 assigns it the job and asks its fee), and on the
///         receive side the test verifies as this address (`vm.prank(dvn); receiveUln.verify(...)`), one DVN at a time.
contract StubDVN is ILayerZeroDVN {
    uint256 public jobs;

    function assignJob(AssignJobParam calldata, bytes calldata) external payable returns (uint256) {
        ++jobs;
        return 0;
    }

    function getFee(uint32, uint64, address, bytes calldata) external pure returns (uint256) {
        return 0;
    }
}
