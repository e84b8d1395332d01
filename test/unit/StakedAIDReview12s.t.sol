// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {FaultyPosition} from "../mocks/FaultyPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A contract holding sAID for others (a pool, a lending market): only it may burn its own worthless balance.
contract Custodian {
    function burn(IStakedAID vault) external returns (uint256) {
        return vault.burnWorthless(address(this));
    }
}

/// @notice Issue-12 review 12r/12s: a total loss must not let an entrant capture what the loss-bearers are still owed
///         (a reward still vesting, a later recovery), and ERC-4626 `max*` never revert.
contract StakedAIDReview12sTest is StakedAIDTestBase {
    /// @dev Bank run (alice queued, 400 AID still owed to her), then the listed position is marked to 0 (its AID is
    ///      still there: a recovery may follow): NAV 0, bob's 1000 shares and alice's request worth nothing.
    function _wipeWithPositionListed() internal {
        _bankRunDrainingIdle();
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.totalAssets(), 0, "wiped");
    }

    /// @dev The position's mark is cured and the allocator realises it: all 1400 AID come back as a gain (streamed).
    function _recover() internal {
        position.mark(address(sAID), 1400e18);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1400e18);
    }

    /// @dev Stakes min(`amount`, maxDeposit) for `who` when that deposit goes through; returns what it paid and got.
    function _tryStake(address who, uint256 amount) internal returns (uint256 paid, uint256 shares) {
        uint256 cap = sAID.maxDeposit(who);
        paid = amount < cap ? amount : cap;
        if (paid == 0) return (0, 0);
        _fund(who, paid);
        vm.startPrank(who);
        aid.approve(address(sAID), paid);
        try sAID.deposit(paid, who) returns (uint256 s) {
            shares = s;
        } catch {
            paid = 0;
        }
        vm.stopPrank();
    }

    function _nextBlock() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
    }

    /// @notice Review 12r (MEDIUM): NAV wiped to 0 with a written-down position still listed; a dust depositor took the
    ///         tiny entry room and owned ~all of the supply, so a later recovery (realised by `deallocate`) went to it.
    function test_review12r_totalLossRecoveryCapturedByDustDepositor() public {
        _wipeWithPositionListed();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 1e18);
        vm.warp(block.timestamp + 1 days);
        _recover();
        vm.warp(sAID.vestingEnd());
        uint256 bobValue = sAID.previewRedeem(sAID.balanceOf(bob));
        assertGe(bobValue, 1400e18 - 1e12, "the loss-bearer gets the recovery");
        assertLe(sAID.previewRedeem(daveShares), paid + 1e12, "the entrant gets at most what it paid");
    }

    /// @notice Review 12s (MEDIUM): the recovery streams over up to 10 years (the APR cap is measured on NAV >= 1 AID);
    ///         a depositor one block after the `deallocate` bought at the ~0 vested price and took the stream.
    ///         Since review 7s the recovery is written back at once (no stream): nothing is left to snipe.
    function test_review12s_recoveryStreamSnipedOneBlockAfterDeallocate() public {
        _wipeWithPositionListed();
        _recover();
        assertEq(sAID.unvestedAmount(), 0, "the recovery is written back, not streamed");
        _nextBlock();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 1000e18);
        assertGt(paid, 0, "entries are open again: value arrived");
        vm.warp(sAID.vestingEnd());
        assertGe(sAID.previewRedeem(sAID.balanceOf(bob)), 1400e18 - 1e12, "the loss-bearer gets the recovery");
        assertLe(sAID.previewRedeem(daveShares), paid + paid / 1e12, "the entrant gets what it paid");
        assertGe(sAID.previewRedeem(daveShares) + paid / 1e12, paid, "and keeps it");
    }

    /// @notice Review 12s (MEDIUM): a reward stream running when a loss wipes NAV; an entrant one block later bought at
    ///         ~0 and took what still vested.
    function test_review12s_vestingStreamSnipedOneBlockAfterWipe() public {
        _bankRunDrainingIdle();
        _reward(10e18);
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.totalAssets(), 0, "NAV wiped, the reward still unvested");
        _nextBlock();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 10e18);
        assertGt(paid, 0, "the vault is not wiped: 10 AID still vest");
        vm.warp(sAID.vestingEnd());
        uint256 bobValue = sAID.previewRedeem(sAID.balanceOf(bob));
        assertGe(bobValue, 10e18 - 1e12, "the holder at the wipe gets the stream");
        assertLe(sAID.previewRedeem(daveShares), paid + 1e12, "the entrant gets at most what it paid");
    }

    // ------------------------------------------------------------ max* never revert (Low)

    function _faultyListed(FaultyPosition.Mode m) internal returns (FaultyPosition p) {
        p = new FaultyPosition(IERC20(address(aid)));
        _stake(alice, 1000e18);
        _setDelay(0);
        vm.startPrank(allocator);
        sAID.addPosition(address(p));
        sAID.allocate(address(p), 500e18);
        vm.stopPrank();
        assertGt(sAID.maxDeposit(alice), 0, "open while it answers");
        assertGt(sAID.maxRedeem(alice), 0, "open while it answers");
        p.setMode(m);
    }

    function _assertMaxZero() internal view {
        assertEq(sAID.maxDeposit(alice), 0, "maxDeposit 0");
        assertEq(sAID.maxMint(alice), 0, "maxMint 0");
        assertEq(sAID.maxWithdraw(alice), 0, "maxWithdraw 0");
        assertEq(sAID.maxRedeem(alice), 0, "maxRedeem 0");
    }

    /// @notice Review 12s (Low): ERC-4626 `max*` MUST NOT revert; they reverted when a listed position's `valueOf`
    ///         returned no data. Now they return 0 (the entry or exit itself would revert).
    function test_review12s_maxDepositRevertsOnEmptyValueOfAnswer() public {
        FaultyPosition p = _faultyListed(FaultyPosition.Mode.EMPTY);
        _assertMaxZero();
        p.setMode(FaultyPosition.Mode.SHORT);
        _assertMaxZero();
        vm.expectRevert();
        sAID.totalAssets(); // other NAV reads still refuse to price on a value they cannot read
    }

    /// @notice Review 12s (Low), reverting variant: `valueOf` reverts.
    function test_review12s_maxDepositRevertsOnRevertingValueOf() public {
        FaultyPosition p = _faultyListed(FaultyPosition.Mode.REVERT);
        _assertMaxZero();
        p.setMode(FaultyPosition.Mode.OK);
        assertGt(sAID.maxDeposit(alice), 0, "back once it answers");
    }

    // ------------------------------------------------------------ who may burn whose worthless shares

    /// @notice Review 12s / 7s-6: nobody burns another account's worthless balance, with code (a custodian) or without;
    ///         each holder burns its own.
    function test_review12s_burnWorthlessOnlyByTheHolder() public {
        Custodian custodian = new Custodian();
        _wipeWithPositionListed();
        vm.prank(bob);
        sAID.transfer(address(custodian), 400e18);
        vm.prank(allocator);
        sAID.removePosition(address(position));
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, address(custodian)));
        sAID.burnWorthless(address(custodian));
        assertEq(sAID.balanceOf(address(custodian)), 400e18, "state unchanged");
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, bob));
        sAID.burnWorthless(bob);
        assertEq(sAID.balanceOf(bob), 600e18, "state unchanged");
        vm.prank(bob);
        assertEq(sAID.burnWorthless(bob), 600e18, "bob burns his own");
        assertEq(custodian.burn(sAID), 400e18, "the custodian burns its own");
        assertEq(sAID.totalSupply(), 0, "no worthless share left");
    }

    // ------------------------------------------------------------ wiped vault, entry value

    /// @notice Review 12s (W): a wiped vault (entry value below 1e-9 AID a share) refuses entries; value arriving reopens
    ///         it exactly at the threshold, and the entrant then pays for that value.
    function testFuzz_review12s_wipedUntilValueArrives(uint256 reward) public {
        _wipeWithPositionListed();
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery

        uint256 supply = sAID.totalSupply();
        reward = bound(reward, 1, 1e13);
        _reward(reward);
        bool wiped = reward * 1e9 < supply; // what reward makes a share worth 1e-9 AID, computed here
        _fund(dave, 1e18);
        vm.startPrank(dave);
        aid.approve(address(sAID), 1e18);
        if (wiped) {
            assertEq(sAID.maxDeposit(dave), 0, "maxDeposit 0 while wiped");
            assertEq(sAID.maxMint(dave), 0, "maxMint 0 while wiped");
            vm.expectRevert(IStakedAID.VaultWiped.selector);
            sAID.deposit(1e18, dave);
            vm.expectRevert(IStakedAID.VaultWiped.selector);
            sAID.mint(1e18, dave);
            assertEq(sAID.totalSupply(), supply, "nothing minted");
        } else {
            assertGe(sAID.maxDeposit(dave), 1e18, "open");
            uint256 shares = sAID.deposit(1e18, dave);
            vm.warp(sAID.vestingEnd());
            assertLe(sAID.previewRedeem(shares), 1e18, "the entrant paid for the reward still vesting");
            assertGe(sAID.previewRedeem(shares) + 1e9, 1e18, "and gets back what it paid");
        }
        vm.stopPrank();
    }

    /// @dev Entry value computed from the public views, independently of the pricing code: liquid (idle − owed) +
    ///      what the position carries at its reported value, never negative.
    function _entryValue() internal view returns (uint256) {
        uint256 booked = sAID.bookedOf(address(position));
        uint256 value = position.valueOf(address(sAID));
        int256 v =
            int256(sAID.idleAssets()) - int256(sAID.pendingUnstakeAssets()) + int256(value < booked ? value : booked);
        return v > 0 ? uint256(v) : 0;
    }

    /// @notice Review 12s (E): a deposit or mint never lowers the existing holders' entry value (NAV + unvested) per
    ///         share (with the 1e6 virtual shares and assets), after any reward, time, loss and queue, and previews match.
    function testFuzz_review12s_entryNeverLowersHoldersEntryValuePerShare(
        uint256 stake,
        uint256 reward,
        uint256 dt,
        uint256 lossBps,
        uint256 amount,
        bool useMint
    ) public {
        _stake(alice, bound(stake, 10e18, 1e24));
        _listPosition();
        _allocate(sAID.freeLiquidity() / 2);
        _unstake(alice, sAID.balanceOf(alice) / 3);
        _reward(bound(reward, 1, 1e24));
        vm.warp(block.timestamp + bound(dt, 0, 30 days));
        position.mark(address(sAID), -int256(sAID.bookedOf(address(position)) * bound(lossBps, 0, 10_000) / 10_000));
        uint256 e0 = _entryValue() + VIRTUAL;
        uint256 s0 = sAID.totalSupply() + VIRTUAL;
        uint256 cap = useMint ? sAID.maxMint(bob) : sAID.maxDeposit(bob);
        assertGt(cap, 0, "not wiped: alice's idle half is left");
        amount = bound(amount, 1, cap < 1e24 ? cap : 1e24);
        uint256 cost = useMint ? sAID.previewMint(amount) : amount;
        uint256 preview = useMint ? amount : sAID.previewDeposit(amount);
        vm.assume(preview != 0);
        _fund(bob, cost);
        vm.startPrank(bob);
        aid.approve(address(sAID), cost);
        if (useMint) assertEq(sAID.mint(amount, bob), cost, "previewMint");
        else assertEq(sAID.deposit(amount, bob), preview, "previewDeposit");
        vm.stopPrank();
        uint256 e1 = _entryValue() + VIRTUAL;
        uint256 s1 = sAID.totalSupply() + VIRTUAL;
        assertGe(e1 * s0, e0 * s1, "entry value per share never falls on an entry");
    }

    /// @notice Review 12s: exits stay on NAV: with a reward still vesting, `maxRedeem` is the whole free liquidity at
    ///         NAV (not at the higher entry value) and redeeming it pays that liquidity.
    function test_review12s_maxRedeemStaysExitPriced() public {
        _setDelay(0);
        uint256 shares = _stake(alice, 1000e18);
        _reward(100e18);
        assertEq(sAID.maxRedeem(alice), shares, "all of the shares: the free liquidity covers their NAV");
        assertEq(sAID.maxWithdraw(alice), 1000e18, "their NAV, the unvested reward not included");
        vm.prank(alice);
        assertEq(sAID.redeem(shares, alice, alice), 1000e18, "paid at NAV");
    }
}
