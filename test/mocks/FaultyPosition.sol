// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../../src/interfaces/IDealPosition.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A deal position whose `valueOf` answers normally, reverts ({Broken}), returns no data or returns 16 bytes (a
///      buggy or paused adapter); otherwise it holds and pays back the AID allocated to it.
contract FaultyPosition is IDealPosition {
    error Broken();

    enum Mode {
        OK,
        REVERT,
        EMPTY,
        SHORT
    }

    IERC20 public immutable aid;
    Mode public mode;
    mapping(address holder => uint256) public principal;

    constructor(IERC20 aid_) {
        aid = aid_;
    }

    function setMode(Mode m) external {
        mode = m;
    }

    /// @notice Reverting (`b`) or answering (`!b`) `valueOf`.
    function setBroken(bool b) external {
        mode = b ? Mode.REVERT : Mode.OK;
    }

    function asset() external view returns (address) {
        return address(aid);
    }

    function valueOf(address holder) external view returns (uint256 v) {
        Mode m = mode;
        if (m == Mode.REVERT) revert Broken();
        if (m == Mode.EMPTY) {
            assembly ("memory-safe") {
                return(0, 0)
            }
        }
        v = principal[holder];
        if (m == Mode.SHORT) {
            assembly ("memory-safe") {
                mstore(0, v)
                return(0, 16)
            }
        }
    }

    function deposit(uint256 assets) external {
        aid.transferFrom(msg.sender, address(this), assets);
        principal[msg.sender] += assets;
    }

    function withdraw(uint256 assets) external returns (uint256 received) {
        received = assets < principal[msg.sender] ? assets : principal[msg.sender];
        principal[msg.sender] -= received;
        aid.transfer(msg.sender, received);
    }
}
