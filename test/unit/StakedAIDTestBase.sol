// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {BaseTest} from "../BaseTest.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice sAID fixture on top of {BaseTest}: a direct rewarder, AID funding without collateral (the minter pranked),
///         stake / unstake / reward helpers and one listed MockPosition.
abstract contract StakedAIDTestBase is BaseTest {
    address internal rewarder = makeAddr("rewarder");
    address internal dave = makeAddr("dave");
    MockPosition internal position;

    uint256 internal constant DELAY = 7 days;
    uint256 internal constant VESTING = 8 hours;
    uint256 internal constant VIRTUAL = 1e6; // VaultMath.VIRTUAL: rounding slack of conversions after price moves

    function setUp() public virtual override {
        super.setUp();
        bytes32 role = sAID.REWARDER_ROLE();
        vm.prank(admin);
        sAID.grantRole(role, rewarder);
        position = new MockPosition(IERC20(address(aid)));
        vm.label(address(position), "MockPosition");
    }

    // ------------------------------------------------------------ helpers

    /// @dev AID for `who` straight from the minter (tests of the vault do not need collateral).
    function _fund(address who, uint256 amount) internal {
        vm.prank(address(minter));
        aid.mint(who, amount);
    }

    function _stake(address who, uint256 amount) internal returns (uint256 shares) {
        _fund(who, amount);
        vm.startPrank(who);
        aid.approve(address(sAID), amount);
        shares = sAID.deposit(amount, who);
        vm.stopPrank();
    }

    function _reward(uint256 amount) internal {
        _fund(rewarder, amount);
        vm.startPrank(rewarder);
        aid.approve(address(sAID), amount);
        sAID.transferInRewards(amount);
        vm.stopPrank();
    }

    function _unstake(address who, uint256 shares) internal returns (uint256 assets) {
        vm.prank(who);
        assets = sAID.unstake(shares);
    }

    function _setDelay(uint256 delay) internal {
        vm.prank(admin);
        sAID.setUnstakeDelay(delay);
    }

    function _restrict(address who, IStakedAID.Restriction r) internal {
        vm.prank(restrictionManager);
        sAID.setRestriction(who, r);
    }

    function _listPosition() internal {
        vm.prank(allocator);
        sAID.addPosition(address(position));
    }

    function _allocate(uint256 amount) internal {
        vm.prank(allocator);
        sAID.allocate(address(position), amount);
    }

    /// @dev Bank run: alice and bob stake 1000 AID each, 1400 are deployed to `position`, alice unstakes everything and
    ///      her request takes all 600 idle AID, keeping the head of the queue with 400 AID still owed.
    function _bankRunDrainingIdle() internal {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(1400e18);
        _unstake(alice, 1000e18);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), 600e18, "the bank run takes all idle AID");
    }

    /// @dev Price of one whole share in AID [wad].
    function _price() internal view returns (uint256) {
        return sAID.convertToAssets(1e18);
    }

    /// @dev Tracked AID the vault must physically hold: idle + held for restricted owners.
    function _assertBacked() internal view {
        uint256 owed = sAID.idleAssets();
        assertGe(aid.balanceOf(address(sAID)) + 0, owed, "idle not backed");
    }
}
