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
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        _listPosition();
        _allocate(1400e18);
        _unstake(alice, 1000e18);
        vm.warp(block.timestamp + DELAY);
        assertEq(sAID.processUnstakeQueue(10), 600e18, "bank run takes all idle AID");
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    // ------------------------------------------------------------ finding 7

    function test_finding7_queueUsableAfterTotalLoss() public {
        _bankRunThenWipeOut();
        assertEq(sAID.totalAssets(), 0, "wiped out");
        uint256 cap = sAID.maxDeposit(carol);
        assertGt(cap, 0, "deposits stay open");
        assertLe(sAID.previewDeposit(cap), type(uint104).max - sAID.totalSupply(), "maxDeposit is honest");
        assertEq(sAID.maxMint(carol), type(uint104).max - sAID.totalSupply(), "maxMint is the supply headroom");
        uint256 amount = cap < 100e18 ? cap : 100e18;
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

    function test_finding7_depositAboveMaxDepositReverts() public {
        _bankRunThenWipeOut();
        uint256 cap = sAID.maxDeposit(carol);
        assertLt(cap, 1e18, "supply headroom after the wipe-out is small");
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
