// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice Review of the 9s-4 fix (session 10, helper t9s4): 9s-4b, the pool's ratio taken on pending in wei.
contract StakedAIDReview9S4bTest is StakedAIDTestBase {
    address internal eve = makeAddr("eve");

    /// @notice 9s-4b: a dust request alone in the queue when a loss is booked leaves a pool worth 0 wei holding a claim
    ///         of 2 wei; the pool's ratio claim / pending is then infinite, so every request made during the write-down
    ///         goes bare and carries none of its shares' claim: a full cure returns alice's request to its record only
    ///         (200 AID), the 300 AID her shares carried going to the stakers who stay. Fair (and what the code before
    ///         the fix did): back at its value before the loss (500). Fixed: the ratio is taken before rounding (pool
    ///         shares × index) and on the claim the index can still pay. Failed before the fix: `a full cure returns
    ///         the request to its value before the loss: 199999999999999999999 !~= 499999999999999999999 (max delta:
    ///         1000000000, real delta: 300000000000000000000)`.
    function test_review9s4b_dustRequestAloneAtTheLossStripsLaterRequestsClaim() public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        vm.prank(alice);
        sAID.transfer(eve, 2);
        _listPosition();
        _allocate(1400e18);
        _unstake(eve, 2); // request 0: 2 wei, alone in the queue
        uint256 half = sAID.balanceOf(alice) / 2;
        uint256 preLoss = sAID.convertToAssetsWithLoss(half); // 500
        _markDown(1200e18); // the dust request is now worth 0 wei; the queue's claim is 2 wei
        _unstake(alice, half); // request 1: 200, carrying 300 of the stakers' claim
        position.mark(address(sAID), 1200e18);
        _sync();
        (,,, uint256 value) = sAID.unstakeRequest(1);
        assertApproxEqAbs(value, preLoss, 1e9, "a full cure returns the request to its value before the loss");
    }

    /// @notice The same for any dust request (1 wei .. 1e6 wei) and any loss: the pool's ratio is as precise as its
    ///         pending, so a tiny pool mis-splits every later request (a bare part, or the excess left to the stakers).
    ///         Failed before the fix (seed 0x6a1b): `499998475117926585170 !~= 499999999999999538563`.
    function testFuzz_review9s4b_tinyPoolNeverStripsALaterRequest(uint256 dust, uint256 loss) public {
        _stake(alice, 1000e18);
        _stake(bob, 1000e18);
        dust = bound(dust, 1, 1e6);
        vm.prank(alice);
        sAID.transfer(eve, dust);
        _listPosition();
        _allocate(1400e18);
        _unstake(eve, dust);
        uint256 half = sAID.balanceOf(alice) / 2;
        uint256 preLoss = sAID.convertToAssetsWithLoss(half);
        loss = bound(loss, 1e18, 1300e18);
        _markDown(loss);
        _unstake(alice, half);
        position.mark(address(sAID), int256(loss));
        _sync();
        (,,, uint256 value) = sAID.unstakeRequest(1);
        assertApproxEqAbs(value, preLoss, 1e9, "a full cure returns the request to its value before the loss");
    }
}
