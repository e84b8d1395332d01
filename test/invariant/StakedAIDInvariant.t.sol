// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {AID} from "../../src/token/AID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Drives sAID through deposits, unstakes, queue processing, rewards, allocations, losses, transfers and time,
///         with ghost accounting. A FULL-restricted holder (`frozen`) tries to move value on every call.
contract StakedAIDHandler is Test {
    StakedAID internal immutable s;
    AID internal immutable aid;
    MockPosition internal immutable position;
    address internal immutable minter;
    address internal immutable rewarder;
    address internal immutable allocator;
    address public immutable frozen;
    address[] public actors;

    uint256 public ghostAssetsIn; // deposits
    uint256 public ghostRewardsIn;
    uint256 public ghostPaidOut; // queue payouts (sent or held)
    uint256 public ghostLosses;
    uint256 public ghostFrozenShares;
    bool public ghostPriceRoseWithoutReward;
    bool public ghostFifoBroken;
    uint256 public lastHead;

    constructor(
        StakedAID s_,
        AID aid_,
        MockPosition p,
        address minter_,
        address rewarder_,
        address allocator_,
        address frozen_
    ) {
        (s, aid, position, minter, rewarder, allocator, frozen) = (s_, aid_, p, minter_, rewarder_, allocator_, frozen_);
        for (uint256 i; i < 4; ++i) {
            actors.push(makeAddr(string.concat("actor", vm.toString(i))));
        }
        ghostFrozenShares = s.balanceOf(frozen);
    }

    function actorsLength() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _price() private view returns (uint256) {
        return s.convertToAssets(1e18);
    }

    modifier priceWatch() {
        uint256 before = _price();
        _;
        if (_price() > before + 1) ghostPriceRoseWithoutReward = true;
        _frozenTries();
    }

    function deposit(uint256 seed, uint256 amount) external priceWatch {
        address who = _actor(seed);
        amount = bound(amount, 1e18, 1_000_000e18);
        vm.prank(minter);
        aid.mint(who, amount);
        vm.startPrank(who);
        aid.approve(address(s), amount);
        s.deposit(amount, who);
        vm.stopPrank();
        ghostAssetsIn += amount;
    }

    function unstake(uint256 seed, uint256 shares) external priceWatch {
        address who = _actor(seed);
        uint256 bal = s.balanceOf(who);
        if (bal == 0) return;
        shares = bound(shares, 1, bal);
        if (s.convertToAssets(shares) < 1e18 && shares != bal) shares = bal;
        if (s.convertToAssets(shares) == 0) return;
        vm.prank(who);
        s.unstake(shares);
    }

    function process(uint256 iterations) external priceWatch {
        iterations = bound(iterations, 1, 8);
        (uint256 head,) = s.unstakeQueue();
        uint256 paid = s.processUnstakeQueue(iterations);
        ghostPaidOut += paid;
        (uint256 newHead,) = s.unstakeQueue();
        if (newHead < head) ghostFifoBroken = true;
        for (uint256 id = head; id < newHead; ++id) {
            (address owner,,,) = s.unstakeRequest(id);
            if (owner != address(0)) ghostFifoBroken = true; // everything before the head is fully paid
        }
        lastHead = newHead;
    }

    function reward(uint256 amount) external {
        amount = bound(amount, 1e15, 10_000e18);
        vm.prank(minter);
        aid.mint(rewarder, amount);
        vm.startPrank(rewarder);
        aid.approve(address(s), amount);
        uint256 before = _price();
        s.transferInRewards(amount);
        vm.stopPrank();
        if (_price() > before + 1) ghostPriceRoseWithoutReward = true; // arrives unvested
        ghostRewardsIn += amount;
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 3 days));
    }

    function allocate(uint256 amount) external priceWatch {
        uint256 free = s.freeLiquidity();
        uint256 nav = s.totalAssets();
        uint256 room = free > nav * 3 / 10 + 1 ? free - nav * 3 / 10 - 1 : 0;
        if (room < 1e18) return;
        vm.prank(allocator);
        s.allocate(address(position), bound(amount, 1, room));
    }

    function deallocate(uint256 amount) external priceWatch {
        uint256 booked = s.bookedOf(address(position));
        if (booked == 0) return;
        vm.prank(allocator);
        s.deallocate(address(position), bound(amount, 1, booked));
    }

    function loss(uint256 bps) external priceWatch {
        uint256 booked = s.bookedOf(address(position));
        if (booked == 0) return;
        uint256 amount = booked * bound(bps, 1, 5000) / 10_000;
        if (amount == 0) return;
        position.lose(address(s), amount);
        vm.prank(allocator);
        s.bookLoss(address(position));
        ghostLosses += amount;
    }

    function transfer(uint256 a, uint256 b, uint256 shares) external priceWatch {
        address from = _actor(a);
        uint256 bal = s.balanceOf(from);
        if (bal == 0) return;
        vm.prank(from);
        s.transfer(_actor(b), bound(shares, 0, bal));
    }

    /// @dev The restricted holder tries every way to move value; each must revert.
    function _frozenTries() private {
        address[2] memory to = [actors[0], frozen];
        vm.startPrank(frozen);
        try s.transfer(to[0], 1) {
            ghostFrozenShares = type(uint256).max;
        } catch {}
        try s.unstake(1) {
            ghostFrozenShares = type(uint256).max;
        } catch {}
        try s.approve(to[0], 1) {
            ghostFrozenShares = type(uint256).max;
        } catch {}
        vm.stopPrank();
        vm.prank(to[0]);
        try s.transferFrom(frozen, to[0], 1) {
            ghostFrozenShares = type(uint256).max;
        } catch {}
    }
}

/// @notice Invariants of sAID (INV ids in the assertion messages).
contract StakedAIDInvariantTest is StakedAIDTestBase {
    StakedAIDHandler internal handler;
    address internal frozen = makeAddr("frozen");

    function setUp() public override {
        super.setUp();
        _listPosition();
        _stake(frozen, 1000e18);
        _unstake(frozen, 100e18);
        _restrict(frozen, IStakedAID.Restriction.FULL);
        handler = new StakedAIDHandler(sAID, aid, position, address(minter), rewarder, allocator, frozen);
        bytes32 role = sAID.ALLOCATOR_ROLE();
        vm.prank(admin);
        sAID.grantRole(role, address(handler));
        targetContract(address(handler));
    }

    /// INV-1: total shares = sum of balances; queue accounting = the sum of its requests.
    function invariant_supplyAndQueueAccounting() public view {
        uint256 sum = sAID.balanceOf(frozen);
        for (uint256 i; i < handler.actorsLength(); ++i) {
            sum += sAID.balanceOf(handler.actors(i));
        }
        assertEq(sAID.totalSupply(), sum, "INV-1 supply == sum of balances");
        uint256 pendingSum;
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            (,,, uint256 value) = sAID.unstakeRequest(id);
            pendingSum += value;
        }
        uint256 pending = sAID.pendingUnstakeAssets();
        assertLe(pendingSum, pending, "INV-1 requests <= pending total");
        assertLe(pending - pendingSum, tail - head + 1, "INV-1 pending total == requests (rounding)");
    }

    /// INV-2: NAV per share never rises except by vested reward (checked on every handler call).
    function invariant_priceRisesOnlyByVesting() public view {
        assertFalse(handler.ghostPriceRoseWithoutReward(), "INV-2 price rose without vesting");
    }

    /// INV-3: payouts never exceed what came in; value is conserved (in − out − losses = NAV + owed + unvested).
    function invariant_conservation() public view {
        uint256 inflow = 900e18 + 100e18 + handler.ghostAssetsIn() + handler.ghostRewardsIn(); // + frozen's stake
        assertLe(handler.ghostPaidOut(), inflow, "INV-3 paid <= in");
        uint256 held = sAID.totalAssets() + sAID.pendingUnstakeAssets() + sAID.unvestedAmount();
        uint256 expected = inflow - handler.ghostPaidOut() - handler.ghostLosses();
        assertLe(held, expected, "INV-3 never more than came in");
        assertApproxEqAbs(held, expected, 1e9, "INV-3 conservation (rounding dust)");
        assertGe(aid.balanceOf(address(sAID)), sAID.idleAssets() + sAID.heldOf(frozen), "INV-3 idle is backed");
    }

    /// INV-4: FIFO: the head only moves forward and everything before it is fully paid.
    function invariant_fifo() public view {
        assertFalse(handler.ghostFifoBroken(), "INV-4 FIFO");
    }

    /// INV-5: a FULL-restricted address never moves value.
    function invariant_restrictedNeverMoves() public view {
        assertEq(handler.ghostFrozenShares(), 900e18, "INV-5 a restricted call succeeded");
        assertEq(sAID.balanceOf(frozen), 900e18, "INV-5 restricted shares moved");
        assertEq(aid.balanceOf(frozen), 0, "INV-5 restricted received AID");
    }
}
