// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDV2} from "../mocks/StakedAIDV2.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";
import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";

/// @notice v1 -> v2 upgrade keeps every balance, queue entry, stream, position, restriction and held payout.
///         The storage layout itself is checked by upgrades-core (ts/upgrades/validate.test.ts).
contract StakedAIDUpgradeTest is StakedAIDTestBase {
    function test_upgrade_keepsEveryBalanceAndQueueEntry() public {
        _stake(alice, 1000e18);
        _stake(bob, 500e18);
        _stake(carol, 250e18);
        _listPosition();
        _allocate(500e18);
        _unstake(alice, 100e18);
        _unstake(bob, 50e18);
        _unstake(alice, 10e18);
        _reward(1e18);
        _restrict(carol, IStakedAID.Restriction.FULL);
        vm.warp(block.timestamp + 1 hours);

        uint256[8] memory before = [
            sAID.totalSupply(),
            sAID.totalAssets(),
            sAID.balanceOf(alice),
            sAID.balanceOf(bob),
            sAID.pendingUnstakeAssets(),
            sAID.unvestedAmount(),
            sAID.bookedOf(address(position)),
            sAID.idleAssets()
        ];
        (uint256 aliceTime, uint256 alicePending) = sAID.getUnstakeRequest(alice);
        (uint256 head, uint256 tail) = sAID.unstakeQueue();

        StakedAIDV2 v2 = new StakedAIDV2(IAID(sAID.asset()));
        vm.prank(admin);
        sAID.upgradeToAndCall(address(v2), abi.encodeCall(StakedAIDV2.initializeV2, (42)));
        StakedAIDV2 upgraded = StakedAIDV2(address(sAID));

        assertEq(upgraded.version(), 2);
        assertEq(upgraded.boost(), 42);
        uint256[8] memory afterUp = [
            sAID.totalSupply(),
            sAID.totalAssets(),
            sAID.balanceOf(alice),
            sAID.balanceOf(bob),
            sAID.pendingUnstakeAssets(),
            sAID.unvestedAmount(),
            sAID.bookedOf(address(position)),
            sAID.idleAssets()
        ];
        for (uint256 i; i < before.length; ++i) {
            assertEq(afterUp[i], before[i]);
        }
        (uint256 t2, uint256 p2) = sAID.getUnstakeRequest(alice);
        assertEq(t2, aliceTime);
        assertEq(p2, alicePending);
        (uint256 h2, uint256 tl2) = sAID.unstakeQueue();
        assertEq(h2, head);
        assertEq(tl2, tail);
        assertEq(uint256(sAID.restrictionOf(carol)), uint256(IStakedAID.Restriction.FULL));
        assertEq(sAID.defaultAdmin(), admin);
        assertEq(sAID.unstakeDelay(), DELAY);

        // the queue still pays in order after the upgrade
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(10);
        assertEq(aid.balanceOf(alice), 110e18);
        assertEq(aid.balanceOf(bob), 50e18);

        vm.expectRevert(Initializable.InvalidInitialization.selector);
        upgraded.initializeV2(7);
    }

    function test_upgrade_refusesNonUUPSImplementation() public {
        vm.prank(admin);
        vm.expectRevert(abi.encodeWithSelector(ERC1967Utils.ERC1967InvalidImplementation.selector, address(aid)));
        sAID.upgradeToAndCall(address(aid), "");
        assertEq(sAID.unstakeDelay(), DELAY);
    }
}
