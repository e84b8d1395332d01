// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../../src/interfaces/IDealPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A position whose `valueOf` reverts while `broken` (a buggy or paused deal adapter); otherwise it holds and pays
///      back the AID allocated to it.
contract BreakablePosition is IDealPosition {
    error Broken();

    IERC20 public immutable aid;
    bool public broken;
    mapping(address holder => uint256) public principal;

    constructor(IERC20 aid_) {
        aid = aid_;
    }

    function setBroken(bool b) external {
        broken = b;
    }

    function asset() external view returns (address) {
        return address(aid);
    }

    function valueOf(address holder) external view returns (uint256) {
        if (broken) revert Broken();
        return principal[holder];
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

/// @notice Issue-12 review: behaviours decided as documented (README, sAID NAV / Rewards), pinned here.
contract StakedAIDReview12DocumentedTest is StakedAIDTestBase {
    /// @notice Info (documented): rewards still vesting when a loss wipes NAV to 0 keep streaming to whoever holds
    ///         the shares; the wiped holders' shares fill the supply, so the deposit room is tiny (~0.02 AID per
    ///         1,000 worthless shares) and its first taker holds nearly all of the supply and takes nearly all of what
    ///         still vests. Nobody's principal is taken (the depositor pays the fair price of 0, the old holders are not
    ///         diluted below what their shares are worth); what moves is reward that had not vested yet.
    function test_review12_totalLossVestingStream_documented() public {
        _bankRunDrainingIdle();
        _reward(10e18); // streams over days under the APR cap
        position.mark(address(sAID), -1400e18); // same block: nothing has vested yet
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.totalAssets(), 0, "NAV wiped, the reward still unvested");
        uint256 cap = sAID.maxDeposit(dave);
        assertLt(cap, 0.1e18, "the room left by the worthless shares is tiny");
        uint256 daveShares = _stake(dave, cap);
        assertGt(daveShares, 1000 * sAID.balanceOf(bob), "a dust deposit buys nearly all of the supply");
        vm.warp(sAID.vestingEnd());
        uint256 daveValue = sAID.previewRedeem(daveShares);
        assertGt(daveValue, 9e18, "and nearly all of the stream");
        assertLt(sAID.previewRedeem(sAID.balanceOf(bob)), 0.01e18, "the wiped holders get a share-weighted slice");
    }

    /// @notice Hardening (documented): a listed position whose `valueOf` reverts halts every NAV read (so the Morpho
    ///         oracle) and every entry and exit until it answers again: sAID never prices shares on a value it could
    ///         not read (valuing it at 0 would sell shares cheap, at its booked value would pay exits for a loss
    ///         nobody can see). Positions are deal adapters the allocator lists; a broken one is fixed or upgraded.
    function test_navRead_revertingPositionValue_documented() public {
        BreakablePosition p = new BreakablePosition(IERC20(address(aid)));
        _stake(alice, 1000e18);
        vm.startPrank(allocator);
        sAID.addPosition(address(p));
        sAID.allocate(address(p), 500e18);
        vm.stopPrank();
        uint256 nav = sAID.totalAssets();
        p.setBroken(true);
        vm.expectRevert(BreakablePosition.Broken.selector);
        sAID.totalAssets();
        _fund(bob, 1e18);
        vm.startPrank(bob);
        aid.approve(address(sAID), 1e18);
        vm.expectRevert(BreakablePosition.Broken.selector);
        sAID.deposit(1e18, bob);
        vm.stopPrank();
        vm.prank(alice);
        vm.expectRevert(BreakablePosition.Broken.selector);
        sAID.unstake(1e18);
        p.setBroken(false);
        assertEq(sAID.totalAssets(), nav, "back to the same NAV once it answers");
    }
}
