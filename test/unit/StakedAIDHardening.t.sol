// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {ReentrantPosition} from "../mocks/ReentrantPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {
    ReentrancyGuardTransientUpgradeable
} from "@openzeppelin/contracts-upgradeable/utils/ReentrancyGuardTransientUpgradeable.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice Regression tests for issue 12, sAID findings 7-13 (each fails on the code before its fix).
contract StakedAIDHardeningTest is StakedAIDTestBase {
    address internal treasury = makeAddr("treasury");

    function _deny(address who) internal {
        vm.prank(denylistManager);
        aid.setDenied(who, true);
    }

    /// @dev Bank run drains idle AID, then the deployed position is wiped out.
    function _bankRunThenWipeOut() internal {
        _bankRunDrainingIdle();
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
    }

    // ------------------------------------------------------------ finding 7

    /// @dev Review 12r/12s changed the entries: a wiped vault refuses them ({VaultWiped}) until value arrives or its
    ///      supply is 0 (before, the first dust depositor owned ~all of the supply and took any later recovery).
    function test_finding7_queueUsableAfterTotalLoss() public {
        _bankRunThenWipeOut();
        assertEq(sAID.totalAssets(), 0, "wiped out");
        assertEq(sAID.maxDeposit(carol), 0, "a wiped vault takes no entry");
        assertEq(sAID.maxMint(carol), 0, "a wiped vault takes no entry");
        _fund(dave, 1e18);
        vm.startPrank(dave);
        aid.approve(address(sAID), 1e18);
        vm.expectRevert(IStakedAID.VaultWiped.selector);
        sAID.deposit(1e18, dave);
        vm.expectRevert(IStakedAID.VaultWiped.selector);
        sAID.mint(1e18, dave);
        vm.stopPrank();
        assertEq(aid.balanceOf(dave), 1e18, "nothing taken");
        _unstake(bob, sAID.balanceOf(bob)); // the last holder burns its worthless shares: supply 0, open again
        uint256 cap = sAID.maxDeposit(carol);
        assertLe(sAID.previewDeposit(cap), type(uint104).max - sAID.totalSupply(), "maxDeposit is honest");
        assertEq(sAID.maxMint(carol), type(uint104).max - sAID.totalSupply(), "maxMint is the supply headroom");
        uint256 amount = 100e18;
        uint256 shares = _stake(carol, amount);
        // a fresh holder can leave with what it brought
        sAID.processUnstakeQueue(10);
        uint256 queued = _unstake(carol, shares);
        assertApproxEqRel(queued, amount, 1e9, "recorded at what it paid in");
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), queued, "paid in full");
        assertEq(aid.balanceOf(carol), queued);
        (, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertEq(pending, 0, "the wiped request is gone");
    }

    /// @dev Since review 12s a wiped vault refuses entries; a reward of 2e12 wei (2e-9 AID a share) reopens it at a tiny
    ///      price, where the uint104 supply, not the AID, bounds the entry.
    function test_finding7_depositAboveMaxDepositReverts() public {
        _bankRunThenWipeOut();
        _reward(2e12);
        uint256 cap = sAID.maxDeposit(carol);
        assertLt(cap, 1e23, "supply headroom after the wipe-out is small");
        _fund(carol, cap + 1e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), cap + 1e18);
        uint256 minted = sAID.previewDeposit(cap + 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 104, sAID.totalSupply() + minted)
        );
        sAID.deposit(cap + 1e18, carol);
        vm.stopPrank();
    }

    function test_queue_partialLossRepricesNotWipes() public {
        _stake(alice, 1000e18);
        _listPosition();
        _allocate(700e18);
        _unstake(alice, 900e18); // owed 900, idle 300
        sAID.processUnstakeQueue(1); // not mature: nothing paid
        position.mark(address(sAID), -700e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        // gross 1000 lost 700: the request keeps 30%
        (, uint256 pending) = sAID.getUnstakeRequest(alice);
        assertApproxEqAbs(pending, 270e18, 1, "repriced, not wiped");
        vm.warp(block.timestamp + DELAY);
        assertApproxEqAbs(sAID.processUnstakeQueue(1), 270e18, 1);
    }

    // ------------------------------------------------------------ review 3 (finding 7 limit)

    /// @notice Review 3: after a total wipe-out the worthless shares could not be burnt (`unstake`/`redeem` reverted
    ///         `ZeroAmount`), so they kept the uint104 supply full and the vault took only ~0.02 AID of new money.
    function test_review3_worthlessSharesCanBeBurntAfterWipeOut() public {
        _bankRunThenWipeOut();
        uint256 bobShares = sAID.balanceOf(bob);
        assertEq(sAID.convertToAssetsWithLoss(bobShares), 0, "worthless");
        assertLt(sAID.maxDeposit(carol), 1e18, "the worthless supply leaves no room");
        vm.prank(bob);
        assertEq(sAID.unstake(bobShares), 0, "burnt, nothing queued");
        assertEq(sAID.balanceOf(bob), 0);
        assertEq(sAID.totalSupply(), 0, "no worthless share left in the supply");
        // limit 3: `unstake` is O(1) and clears nothing; the worthless request waits, the index is re-based (>= 1e24)
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, 1, "alice's worthless request waits");
        assertGe(sAID.lossIndex(), 1e24, "re-based, not stuck at 1");
        assertEq(sAID.processUnstakeQueue(1), 0, "cleared without waiting, paying nothing");
        (head, tail) = sAID.unstakeQueue();
        assertEq(head, tail);
        assertEq(sAID.lossIndex(), 1e27, "a new era");
        (, uint256 alicePending) = sAID.getUnstakeRequest(alice);
        assertEq(alicePending, 0);

        // the vault really revives: full-size money comes in at 1:1 and leaves
        assertGe(sAID.maxDeposit(carol), 1_000_000e18, "room again");
        uint256 shares = _stake(carol, 1_000_000e18);
        assertEq(shares, 1_000_000e18, "1:1 again");
        uint256 queued = _unstake(carol, shares);
        assertEq(queued, 1_000_000e18);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), queued);
        assertEq(aid.balanceOf(carol), 1_000_000e18, "all of it back");
    }

    function test_review3_worthlessSharesRedeemableWithoutDelay() public {
        _bankRunThenWipeOut();
        _setDelay(0);
        uint256 bobShares = sAID.balanceOf(bob);
        vm.prank(bob);
        assertEq(sAID.redeem(bobShares, bob, bob), 0, "burnt for nothing");
        assertEq(sAID.totalSupply(), 0);
        assertEq(aid.balanceOf(bob), 0);
    }

    function test_review3_partOfAWorthlessBalanceStillRevertsZeroAmount() public {
        _bankRunThenWipeOut();
        vm.prank(bob);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.unstake(1e18);
        _setDelay(0);
        vm.prank(bob);
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.redeem(1e18, bob, bob);
        vm.prank(carol); // an empty balance burns nothing
        vm.expectRevert(IStakedAID.ZeroAmount.selector);
        sAID.redeem(0, carol, carol);
    }

    /// @notice Review 3: after the wipe-out a new `unstake` needed someone to call `processUnstakeQueue` first (the
    ///         worthless requests kept the index at 1, so the new request's queue shares overflowed). Now the index is
    ///         re-based instead (limit 1), so the request queues behind the worthless one, which processing clears.
    function test_review3_unstakeAfterWipeOutClearsWorthlessRequests() public {
        _bankRunThenWipeOut();
        _reward(2e12); // a wiped vault refuses entries (review 12s) until value arrives
        uint256 amount = sAID.maxDeposit(carol) / 2;
        uint256 shares = _stake(carol, amount);
        uint256 queued = _unstake(carol, shares); // no processUnstakeQueue call before
        // bob's unburnt worthless shares still take their (1e-10) slice: burning them is what frees the supply
        assertApproxEqRel(queued, amount, 1e9, "recorded at what it paid in");
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        assertEq(tail - head, 2, "carol's request waits behind alice's worthless one");
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), queued);
        assertEq(aid.balanceOf(carol), queued);
    }

    /// @notice Review 3 scenario: run to a total loss, then keep going (burns, deposits, rewards, a realised gain,
    ///         unstakes, claims, recovery): everyone's AID adds up and the new money leaves whole with its income.
    function test_review3_revivalScenarioEveryonesMoneyAddsUp() public {
        _bankRunDrainingIdle();
        position.lose(address(sAID), 1400e18); // the deployed AID is gone
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
        assertEq(sAID.totalAssets(), 0, "wiped out");

        _unstake(bob, sAID.balanceOf(bob)); // burns the worthless shares, clears alice's worthless request
        _stake(carol, 1000e18);
        _stake(dave, 500e18);
        _reward(150e18);
        vm.warp(sAID.vestingEnd());
        _allocate(300e18);
        _fund(address(position), 30e18);
        position.credit(address(sAID), 30e18); // income realised into the position
        vm.prank(allocator);
        sAID.deallocate(address(position), 330e18);
        vm.warp(sAID.vestingEnd());
        _unstake(dave, sAID.balanceOf(dave));
        _unstake(carol, sAID.balanceOf(carol) / 2);
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        _unstake(carol, sAID.balanceOf(carol));
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);

        assertEq(aid.balanceOf(alice), 600e18, "the bank run kept what it was paid");
        assertEq(aid.balanceOf(bob), 0, "bob lost his stake");
        assertApproxEqAbs(aid.balanceOf(carol), 1120e18, 1e9, "carol: stake + 2/3 of reward and gain");
        assertApproxEqAbs(aid.balanceOf(dave), 560e18, 1e9, "dave: stake + 1/3 of reward and gain");
        assertEq(sAID.totalSupply(), 0);
        assertEq(sAID.pendingUnstakeAssets(), 0);
        uint256 left = aid.balanceOf(address(sAID));
        assertEq(sAID.strandedAssets(), left, "what is left belongs to nobody and is recoverable");
        if (left != 0) {
            vm.prank(admin);
            sAID.recoverStranded(treasury);
        }
        assertEq(aid.balanceOf(address(sAID)), 0, "nothing stuck");
        uint256 out = aid.balanceOf(alice) + aid.balanceOf(carol) + aid.balanceOf(dave) + aid.balanceOf(treasury);
        assertEq(out, 3500e18 + 150e18 + 30e18 - 1400e18, "every AID in is out, but the loss");
        assertLe(aid.balanceOf(treasury), 1e9, "only rounding dust was stranded");
    }

    // ------------------------------------------------------------ finding 8

    function test_finding8_aidDenyListBindsSAID() public {
        _stake(alice, 100e18);
        _stake(carol, 100e18);
        vm.prank(alice);
        sAID.approve(carol, 100e18);
        vm.prank(carol);
        sAID.approve(dave, 100e18);
        _deny(alice);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.transfer(carol, 1e18);

        vm.prank(carol); // a clean spender (the OFT adapter locks this way) cannot pull it either
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.transferFrom(alice, carol, 1e18);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.unstake(10e18);

        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.transfer(alice, 1e18);

        _fund(carol, 10e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 10e18);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.deposit(10e18, alice);
        vm.stopPrank();

        _deny(dave);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, dave));
        sAID.transferFrom(carol, bob, 1e18);

        _setDelay(0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        sAID.redeem(1e18, carol, alice);

        assertEq(sAID.balanceOf(alice), 100e18, "the denied holder's value stays put");
        assertEq(sAID.balanceOf(carol), 100e18);
    }

    // ------------------------------------------------------------ finding 9

    function test_finding9_raisingDelayNeverRelocksClaimableRequests() public {
        _stake(alice, 100e18);
        _stake(bob, 100e18);
        _unstake(alice, 50e18); // claimable at +7 days
        vm.warp(block.timestamp + 1 hours);
        _setDelay(1 days); // alice's request: claimable at +1 day
        _unstake(bob, 20e18); // claimable at +1 hour +1 day
        vm.warp(block.timestamp + 2 days);
        _setDelay(30 days);
        (,, uint256 claimableAt,) = sAID.unstakeRequest(0);
        assertLe(claimableAt, block.timestamp, "still claimable");
        assertEq(sAID.processUnstakeQueue(2), 70e18, "both mature requests paid");
    }

    function test_finding9_claimTimeNeverLaterThanEarliest() public {
        _stake(alice, 100e18);
        uint256 t0 = block.timestamp;
        _unstake(alice, 50e18);
        _setDelay(3 days);
        _setDelay(1 days);
        _setDelay(5 days);
        _setDelay(2 days);
        (,, uint256 claimableAt,) = sAID.unstakeRequest(0);
        assertEq(claimableAt, t0 + 1 days, "the lowest delay since the request");
        _unstake(alice, 10e18); // under the 2-day delay
        _setDelay(10 days);
        (,, claimableAt,) = sAID.unstakeRequest(1);
        assertEq(claimableAt, t0 + 2 days);
        (,, claimableAt,) = sAID.unstakeRequest(0);
        assertEq(claimableAt, t0 + 1 days);
    }

    function testFuzz_finding9_claimTimeIsRequestTimePlusLowestDelaySince(uint256[6] memory delays, uint256 seed)
        public
    {
        _stake(alice, 1000e18);
        uint256[6] memory times;
        uint256[6] memory lowest; // per request: the lowest delay in force since it was made
        uint256 n;
        for (uint256 i; i < 6; ++i) {
            if ((seed >> i) & 1 == 1) {
                times[n] = block.timestamp;
                lowest[n] = sAID.unstakeDelay();
                _unstake(alice, 10e18);
                ++n;
            }
            uint256 d = bound(delays[i], 0, 90 days);
            _setDelay(d);
            for (uint256 j; j < n; ++j) {
                if (d < lowest[j]) lowest[j] = d;
                (,, uint256 claimableAt,) = sAID.unstakeRequest(j);
                assertEq(claimableAt, times[j] + lowest[j], "request time + lowest delay since");
            }
            vm.warp(block.timestamp + 1 hours);
        }
    }

    // ------------------------------------------------------------ finding 11

    function test_finding11_noStreamIntoEmptyVault() public {
        _fund(rewarder, 10e18);
        vm.startPrank(rewarder);
        aid.approve(address(sAID), 10e18);
        vm.expectRevert(IStakedAID.NoStakers.selector);
        sAID.transferInRewards(10e18);
        vm.stopPrank();
    }

    function test_finding11_strandedRewardsRecoverable() public {
        _setDelay(0);
        uint256 shares = _stake(alice, 100e18);
        _reward(80e18);
        vm.warp(block.timestamp + VESTING / 2);
        vm.prank(alice);
        uint256 back = sAID.redeem(shares, alice, alice); // the last holder leaves mid-stream
        vm.warp(block.timestamp + VESTING);
        assertEq(sAID.totalSupply(), 0);
        uint256 stranded = sAID.strandedAssets();
        assertApproxEqAbs(back + stranded, 180e18, 2, "nothing lost: what the holder did not take is recoverable");
        vm.expectRevert(
            abi.encodeWithSelector(
                bytes4(keccak256("AccessControlUnauthorizedAccount(address,bytes32)")), carol, bytes32(0)
            )
        );
        vm.prank(carol);
        sAID.recoverStranded(treasury);
        vm.expectEmit(address(sAID));
        emit IStakedAID.StrandedRecovered(treasury, stranded);
        vm.prank(admin);
        assertEq(sAID.recoverStranded(treasury), stranded);
        assertEq(aid.balanceOf(treasury), stranded);
        assertEq(sAID.strandedAssets(), 0);
        // the next staker starts at 1:1
        assertEq(_stake(carol, 10e18), 10e18);
    }

    function test_finding11_recoverStrandedRevertsWithStakers() public {
        _stake(alice, 100e18);
        vm.prank(admin);
        vm.expectRevert(IStakedAID.NotStranded.selector);
        sAID.recoverStranded(treasury);
    }

    /// @notice Review 4: at supply 0 `recoverStranded` took idle AID while requests still waited (a loss shared with
    ///         them had moved AID from pending to `liquid`); nothing may be recovered while the queue holds anything.
    function test_review4_recoverStrandedCannotTakeQueuedAID() public {
        _stake(alice, 1000e18);
        _reward(200e18);
        _listPosition();
        _allocate(700e18);
        _unstake(alice, 1000e18); // supply 0, 1000 owed to the queue
        position.mark(address(sAID), -700e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position)); // the request keeps 300 of 1000; 200 of reward stays idle
        assertEq(sAID.totalSupply(), 0);
        assertEq(sAID.strandedAssets(), 0, "nothing stranded while a request waits");
        vm.prank(admin);
        vm.expectRevert(IStakedAID.NotStranded.selector);
        sAID.recoverStranded(treasury);

        vm.warp(block.timestamp + DELAY);
        uint256 paid = sAID.processUnstakeQueue(10);
        assertEq(paid, 300e18, "the request is paid its share");
        uint256 stranded = sAID.strandedAssets();
        assertEq(stranded, 200e18, "then the unowned reward is recoverable");
        vm.prank(admin);
        sAID.recoverStranded(treasury);
        assertEq(aid.balanceOf(address(sAID)), 0);
        assertEq(aid.balanceOf(alice) + aid.balanceOf(treasury), 1200e18 - 700e18, "nothing lost but the loss");
    }

    // ------------------------------------------------------------ finding 12

    function test_finding12_exitNeverPromisesMoreThanRealAssets() public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18 + 7);
        _listPosition();
        _allocate(1000e18);
        position.mark(address(sAID), -333e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        uint256 nav = sAID.totalAssets();
        uint256 a = sAID.convertToAssetsWithLoss(sAID.balanceOf(alice));
        uint256 b = sAID.convertToAssetsWithLoss(sAID.balanceOf(bob));
        assertLe(a + b, nav, "exits never promise more than NAV");
        assertLe(sAID.previewRedeem(sAID.balanceOf(bob)), b);
        uint256 qa = _unstake(alice, sAID.balanceOf(alice));
        uint256 qb = _unstake(bob, sAID.balanceOf(bob));
        assertLe(qa + qb, nav, "the last unstaker is not subsidised");
        assertLe(qa, a);
    }

    function testFuzz_finding12_exitsNeverExceedNav(uint256 a, uint256 b, uint256 lossBps) public {
        a = bound(a, 1, 1_000_000e18);
        b = bound(b, 1, 1_000_000e18);
        _stake(alice, a);
        _stake(bob, b);
        _listPosition();
        uint256 deployed = (a + b) * 7 / 10;
        if (deployed == 0) return;
        _allocate(deployed);
        position.mark(address(sAID), -int256(deployed * bound(lossBps, 1, 10_000) / 10_000));
        uint256 nav = sAID.totalAssets();
        uint256 sum =
            sAID.convertToAssetsWithLoss(sAID.balanceOf(alice)) + sAID.convertToAssetsWithLoss(sAID.balanceOf(bob));
        assertLe(sum, nav, "exit values never exceed NAV");
    }

    // ------------------------------------------------------------ finding 13

    function test_finding13_deallocateRejectsReentrantPosition() public {
        ReentrantPosition rp = new ReentrantPosition(IERC20(address(aid)));
        vm.prank(allocator);
        sAID.addPosition(address(rp));
        _stake(alice, 1000e18);
        vm.prank(allocator);
        sAID.allocate(address(rp), 500e18);
        _fund(address(rp), 100e18);
        rp.arm(IERC4626(address(sAID)), 100e18);
        vm.prank(allocator);
        vm.expectRevert(ReentrancyGuardTransientUpgradeable.ReentrancyGuardReentrantCall.selector);
        sAID.deallocate(address(rp), 500e18);
        assertEq(sAID.bookedOf(address(rp)), 500e18, "nothing booked");
    }
}
