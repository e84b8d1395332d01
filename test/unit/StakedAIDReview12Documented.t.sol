// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {FaultyPosition} from "../mocks/FaultyPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Issue-12 review: behaviours decided as documented (README, sAID NAV / Rewards), pinned here; and the
///         total-loss stream, fixed in review 12s.
contract StakedAIDReview12DocumentedTest is StakedAIDTestBase {
    /// @notice Review 12 / 12s: rewards still vesting when a loss wipes NAV to 0 stay with the holders of the wipe.
    ///         Before, the wiped holders' shares left a tiny deposit room (~0.02 AID per 1,000 worthless shares) whose
    ///         first taker held nearly all of the supply and took nearly all of what still vested. Entries are now
    ///         priced on NAV + unvested: the entrant pays for its share of the stream and gets back what it paid.
    function test_review12_totalLossVestingStream_staysWithTheHoldersOfTheWipe() public {
        _bankRunDrainingIdle();
        _reward(10e18); // streams over days under the APR cap
        position.mark(address(sAID), -1400e18); // same block: nothing has vested yet
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
        assertEq(sAID.totalAssets(), 0, "NAV wiped, the reward still unvested");
        uint256 bobShares = sAID.balanceOf(bob);
        assertGt(sAID.maxDeposit(dave), 1_000_000e18, "not wiped: 10 AID still vest, the room is large");
        uint256 daveShares = _stake(dave, 0.05e18);
        assertLt(daveShares, bobShares / 100, "a dust deposit buys a dust slice of the supply");
        vm.warp(sAID.vestingEnd());
        assertApproxEqAbs(sAID.previewRedeem(daveShares), 0.05e18, 1e9, "the entrant gets back what it paid");
        assertGe(sAID.previewRedeem(bobShares), 10e18 - 1e9, "the holder at the wipe gets the stream");
    }

    /// @notice Hardening (documented): a listed position whose `valueOf` reverts halts every NAV read (so the Morpho
    ///         oracle) and every entry and exit until it answers again: sAID never prices shares on a value it could
    ///         not read (valuing it at 0 would sell shares cheap, at its booked value would pay exits for a loss
    ///         nobody can see). Positions are deal adapters the allocator lists; a broken one is fixed or upgraded.
    function test_navRead_revertingPositionValue_documented() public {
        FaultyPosition p = new FaultyPosition(IERC20(address(aid)));
        _stake(alice, 1000e18);
        vm.startPrank(allocator);
        sAID.addPosition(address(p));
        sAID.allocate(address(p), 500e18);
        vm.stopPrank();
        uint256 nav = sAID.totalAssets();
        p.setBroken(true);
        vm.expectRevert(FaultyPosition.Broken.selector);
        sAID.totalAssets();
        _fund(bob, 1e18);
        vm.startPrank(bob);
        aid.approve(address(sAID), 1e18);
        vm.expectRevert(FaultyPosition.Broken.selector);
        sAID.deposit(1e18, bob);
        vm.stopPrank();
        vm.prank(alice);
        vm.expectRevert(FaultyPosition.Broken.selector);
        sAID.unstake(1e18);
        p.setBroken(false);
        assertEq(sAID.totalAssets(), nav, "back to the same NAV once it answers");
    }
}
