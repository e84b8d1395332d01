// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {BaseTest} from "../BaseTest.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice sAID fixture on top of {BaseTest}: a direct rewarder, AID funding without collateral (the minter pranked),
///         stake / unstake / reward helpers, one listed MockPosition and the two-staker scenarios the reviews share.
abstract contract StakedAIDTestBase is BaseTest {
    address internal rewarder = makeAddr("rewarder");
    address internal dave = makeAddr("dave");
    MockPosition internal position;

    uint256 internal constant DELAY = 7 days;
    uint256 internal constant VESTING = 8 hours;
    uint256 internal constant VIRTUAL = 1e6; // VaultMath.VIRTUAL: rounding slack of conversions after price moves
    /// @dev What {_bankRunDrainingIdle} deploys to `position` (a recovery's full amount in the write-down reviews).
    uint256 internal constant RECOVERY = 1400e18;
    /// @dev ERC-7201 base of sAID's layout ({StakedAIDStorage}); field k sits at LAYOUT + k.
    bytes32 internal constant LAYOUT = 0x6d616b9df589c99900b9359a12e1b699ffa853d0e7a86492de93ea799fc4d800;
    /// @dev Slot offset of `positionOf` (9th field) and of `writeDowns` (14th, v4).
    uint256 internal constant POSITION_OF = 8;
    uint256 internal constant WRITE_DOWNS = 13;
    /// @dev Slot offset of the excess part (`excess`, a {StakedAIDStorage.Side}: its state, then its epoch; v5, 10b-1).
    uint256 internal constant EXCESS = 22;

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

    /// @dev alice stakes `aliceAssets` AID, bob `bobAssets`, and `position` is listed (nothing allocated yet).
    function _twoStakersListed(uint256 aliceAssets, uint256 bobAssets) internal {
        _stake(alice, aliceAssets);
        _stake(bob, bobAssets);
        _listPosition();
    }

    /// @dev alice and bob stake 1000 AID each, `position` is listed and `deployed` AID are allocated to it.
    function _twoStakersAllocated(uint256 deployed) internal {
        _twoStakersListed(1000e18, 1000e18);
        _allocate(deployed);
    }

    /// @dev alice and bob stake 1000 AID each, `position` is listed with 1000 AID allocated, then alice unstakes half
    ///      her shares: her request waits (nothing paid). `queued`: what it is recorded at (500 AID).
    function _twoStakersListedAliceQueuedHalf() internal returns (uint256 queued) {
        _twoStakersAllocated(1000e18);
        queued = _unstake(alice, sAID.balanceOf(alice) / 2);
    }

    /// @dev alice and bob stake 1000 AID each and `second` is listed next to `position`; `each` AID are allocated to
    ///      both.
    function _twoStakersOnTwoPositions(MockPosition second, uint256 each) internal {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(second));
        _allocate(each);
        vm.prank(allocator);
        sAID.allocate(address(second), each);
    }

    /// @dev Bank run: alice and bob stake 1000 AID each, 1400 are deployed to `position`, alice unstakes everything,
    ///      DELAY passes and the queue is processed. `paid`: what her request got (all 600 idle AID; it keeps the head of
    ///      the queue with 400 AID still owed). {_bankRunDrainingIdle} asserts that amount.
    function _bankRun() internal returns (uint256 paid) {
        _twoStakersAllocated(1400e18);
        _unstake(alice, sAID.balanceOf(alice));
        vm.warp(block.timestamp + DELAY);
        paid = sAID.processUnstakeQueue(10);
    }

    /// @dev {_bankRun}, asserting that alice's request took all 600 idle AID (it keeps the head of the queue with 400
    ///      AID still owed).
    function _bankRunDrainingIdle() internal {
        assertEq(_bankRun(), 600e18, "the bank run takes all idle AID");
    }

    /// @dev The allocator takes back everything `position` has booked, DELAY passes and up to 10 matured requests are
    ///      paid. `paid`: what they were paid.
    function _deallocateAllThenPayQueue() internal returns (uint256 paid) {
        uint256 booked = sAID.bookedOf(address(position));
        vm.prank(allocator);
        sAID.deallocate(address(position), booked);
        vm.warp(block.timestamp + DELAY);
        paid = sAID.processUnstakeQueue(10);
    }

    /// @dev {_bankRunDrainingIdle}, then the listed position is marked down so that it keeps `left` AID of reported
    ///      value (0: total loss) and the loss is booked; the position still holds the 1400 AID: a recovery may follow.
    function _bankRunThenWriteDown(uint256 left) internal {
        _bankRunDrainingIdle();
        position.mark(address(sAID), -int256(RECOVERY - left));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    /// @dev `position` reports `loss` less and the allocator books it.
    function _markDown(uint256 loss) internal {
        position.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    /// @dev Books what the positions report (an entry, exit or allocation does the same).
    function _sync() internal {
        sAID.processUnstakeQueue(1); // nothing is mature: only syncs
    }

    /// @dev What `who`'s requests are worth now.
    function _pending(address who) internal view returns (uint256 p) {
        (, p) = sAID.getUnstakeRequest(who);
    }

    /// @dev What `who`'s shares would redeem for now (loss-aware NAV).
    function _value(address who) internal view returns (uint256) {
        return sAID.previewRedeem(sAID.balanceOf(who));
    }

    /// @dev sAID's booked undecided write-downs (`writeDowns`): their total and the queue's recorded claim on them.
    function _writeDowns() internal view returns (uint256 total, uint256 claim) {
        uint256 w = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + WRITE_DOWNS)));
        return (uint128(w), w >> 128);
    }

    /// @dev sAID's excess part (10b-1, booked): its shares, index (claim per share [ray]), claim [wad] and epoch.
    function _excess() internal view returns (uint256 shares, uint256 index, uint256 claim, uint256 epoch) {
        uint256 w = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS)));
        (shares, index) = (uint160(w), w >> 160);
        claim = shares * index / 1e27;
        epoch = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS + 1)));
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
