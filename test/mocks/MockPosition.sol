// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../../src/interfaces/IDealPosition.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Stand-in for a deal tranche position until deals exist: holds AID per holder, reports a value the test sets
///         (`mark` for impairments, `accrue` for income), and pays back what it holds.
contract MockPosition is IDealPosition {
    IERC20 public immutable aid;
    mapping(address holder => uint256) public principal; // AID actually held for the holder
    mapping(address holder => int256) public markDelta; // added to principal in valueOf (negative: impairment)
    uint256 public takeShortfall; // test knob: take this much less than asked in deposit

    constructor(IERC20 aid_) {
        aid = aid_;
    }

    function asset() external view returns (address) {
        return address(aid);
    }

    function valueOf(address holder) public view returns (uint256) {
        int256 v = int256(principal[holder]) + markDelta[holder];
        return v > 0 ? uint256(v) : 0;
    }

    function deposit(uint256 assets) external {
        uint256 taken = assets - takeShortfall;
        aid.transferFrom(msg.sender, address(this), taken);
        principal[msg.sender] += taken;
    }

    function withdraw(uint256 assets) external virtual returns (uint256 received) {
        received = assets < principal[msg.sender] ? assets : principal[msg.sender];
        principal[msg.sender] -= received;
        aid.transfer(msg.sender, received);
    }

    /// @notice Impairment (negative) or write-up (positive) of `holder`'s reported value.
    function mark(address holder, int256 delta) external {
        markDelta[holder] += delta;
    }

    /// @notice Income realised into the position: more AID to pay back (the test mints it here first).
    function credit(address holder, uint256 amount) external {
        principal[holder] += amount;
    }

    /// @notice Loses `amount` of what it holds for `holder` (the AID is gone): value and payback both fall.
    function lose(address holder, uint256 amount) external {
        principal[holder] -= amount;
        aid.transfer(address(0xdead), amount);
    }

    function setTakeShortfall(uint256 s) external {
        takeShortfall = s;
    }
}
