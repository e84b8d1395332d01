// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {BlacklistToken} from "../mocks/BlacklistToken.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice {AIDMinter} and AID's deny list (finding 5), and redemptions whose receiver the stablecoin issuer blacklists
///         (finding 6): refused at mint and request, held at claim, re-pointed by the request's owner, released by the
///         admin. No payout is lost and none blocks the FIFO queue.
contract AIDMinterDenyListTest is MinterTestBase {
    uint256 internal constant AMOUNT = 1000 * USDC_UNIT; // [USDC units]
    address internal court = makeAddr("courtOrdered");
    address internal aliceCold = makeAddr("aliceCold"); // a second wallet of alice

    /// @dev What a held or stuck request must keep: the collateral owed to it stays in the reserve.
    function _assertOwed(uint256 id, uint256 earmark) internal view {
        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        assertFalse(r.claimed, "not paid");
        assertEq(minter.earmarked(r.asset), earmark, "earmarked");
        assertGe(minter.pendingRedemptions(), uint256(r.assetAmount) * SCALE, "still owed");
        assertGe(reserve.totalValue(), minter.liabilities(), "reserve covers liabilities");
    }

    // ================================================================ finding 5: refused at mint and request

    function test_finding5_denyListedCallerCannotMint() public {
        _fund(usdc, alice, AMOUNT);
        _deny(alice, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, alice));
        vm.prank(alice);
        minter.mint(address(usdc), AMOUNT, 0, carol); // to a clean receiver
        assertEq(aid.totalSupply(), 0, "no AID");
        assertEq(usdc.balanceOf(alice), AMOUNT, "collateral kept");
        assertEq(minter.outstanding(), 0, "outstanding");
    }

    function test_finding5_denyListedReceiverCannotMint() public {
        _fund(usdc, alice, AMOUNT);
        _deny(carol, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, carol));
        vm.prank(alice);
        minter.mint(address(usdc), AMOUNT, 0, carol);
        assertEq(usdc.balanceOf(alice), AMOUNT, "collateral kept");
    }

    function test_finding5_denyListedReceiverCannotRequestRedeem() public {
        _mintWith(usdc, alice, AMOUNT);
        _deny(carol, true);
        vm.startPrank(alice);
        aid.approve(address(minter), 100e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, carol));
        minter.requestRedeem(address(usdc), 100e18, 0, carol);
        vm.stopPrank();
        assertEq(aid.balanceOf(alice), AMOUNT * SCALE, "nothing burnt");
        assertEq(minter.redeemRequestCount(), 0, "no request");
    }

    function test_finding5_denyListedCallerCannotRequestRedeem() public {
        _mintWith(usdc, alice, AMOUNT);
        vm.prank(alice);
        aid.approve(address(minter), 100e18);
        _deny(alice, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, alice));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), 100e18, 0, carol);
        assertEq(minter.redeemRequestCount(), 0, "no request");
    }

    // ================================================================ finding 5: held at claim

    function test_finding5_receiverDeniedDuringDelayIsHeld() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        _deny(carol, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);

        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemHeld(id, carol, address(usdc), 100 * USDC_UNIT);
        assertEq(minter.claimRedeem(id), 0, "nothing paid");

        assertEq(usdc.balanceOf(carol), 0, "denied receiver not paid");
        assertTrue(minter.redeemRequest(id).held, "held");
        assertEq(minter.pendingRedemptions(), 100e18, "still owed");
        _assertOwed(id, 100 * USDC_UNIT);
        assertEq(reserve.surplus(), 0, "held collateral is not surplus");
    }

    function test_finding5_heldPayoutNeverBlocksQueue() public {
        _mintWith(usdc, alice, AMOUNT);
        _mintWith(usdc, bob, AMOUNT);
        uint256 first = _redeemTo(usdc, alice, 100e18, carol);
        uint256 second = _redeemWith(usdc, bob, 200e18);
        _deny(carol, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);

        assertEq(minter.claimRedeem(second), 200 * USDC_UNIT, "later request paid (funds the earlier one)");
        _assertOwed(first, 100 * USDC_UNIT);
        assertEq(minter.claimRedeem(first), 0, "earlier request held");
        _assertOwed(first, 100 * USDC_UNIT);
        assertEq(usdc.balanceOf(bob), 200 * USDC_UNIT);

        uint256 third = _redeemWith(usdc, bob, 300e18); // requests after a held one go through too
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        assertEq(minter.claimRedeem(third), 300 * USDC_UNIT, "paid behind a held request");
        _assertOwed(first, 100 * USDC_UNIT);
    }

    function test_finding5_heldPayoutPaidOnceCleared() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        _deny(carol, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        minter.claimRedeem(id);

        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, carol));
        minter.claimRedeem(id); // still listed: nothing to do
        _deny(carol, false);
        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemClaimed(id, carol, address(usdc), 100 * USDC_UNIT);
        assertEq(minter.claimRedeem(id), 100 * USDC_UNIT);

        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        assertTrue(r.claimed, "paid");
        assertFalse(r.held, "no longer held");
        assertEq(usdc.balanceOf(carol), 100 * USDC_UNIT);
        assertEq(minter.earmarked(address(usdc)), 0);
        assertEq(minter.pendingRedemptions(), 0);
    }

    function test_finding5_adminReleasesHeldToCourtOrderedAddress() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        _deny(carol, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        minter.claimRedeem(id);

        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemReceiverChanged(id, carol, court);
        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemClaimed(id, court, address(usdc), 100 * USDC_UNIT);
        vm.prank(admin);
        assertEq(minter.releaseHeld(id, court), 100 * USDC_UNIT);

        assertEq(usdc.balanceOf(court), 100 * USDC_UNIT, "court-ordered address paid");
        assertEq(usdc.balanceOf(carol), 0);
        assertTrue(minter.redeemRequest(id).claimed);
        assertEq(minter.earmarked(address(usdc)), 0);
        assertEq(minter.pendingRedemptions(), 0);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotHeld.selector, id));
        vm.prank(admin);
        minter.releaseHeld(id, court); // paid once only
    }

    /// @dev Found by INV-Q-05: a release to a court-ordered address keeps the owner of a self-redemption.
    function test_releaseHeld_keepsTheOwner() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemWith(usdc, alice, 100e18);
        _deny(alice, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        assertEq(minter.claimRedeem(id), 0, "held");
        vm.prank(admin);
        minter.releaseHeld(id, court);
        assertEq(minter.redeemOwner(id), alice, "owner kept");
        assertEq(minter.redeemRequest(id).receiver, court, "paid to the court-ordered address");
        assertEq(usdc.balanceOf(court), 100 * USDC_UNIT);
    }

    function test_releaseHeld_badInput_reverts() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotHeld.selector, id));
        minter.releaseHeld(id, court); // pending, not held
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, id + 1));
        minter.releaseHeld(id + 1, court);
        vm.stopPrank();

        _deny(carol, true);
        minter.claimRedeem(id);
        _deny(court, true);
        vm.startPrank(admin);
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        minter.releaseHeld(id, address(0));
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, court));
        minter.releaseHeld(id, court);
        vm.stopPrank();

        bytes32 adminRole = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, adminRole)
        );
        vm.prank(alice);
        minter.releaseHeld(id, alice);

        vm.prank(gatekeeper);
        minter.pause();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        vm.prank(admin);
        minter.releaseHeld(id, aliceCold);
        _assertOwed(id, 100 * USDC_UNIT);
    }

    /// @dev A payout owed to a deny-listed receiver is the admin's to decide, not the owner's.
    function test_finding5_ownerCannotRepointAwayFromDeniedReceiver() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        _deny(carol, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, carol));
        vm.prank(alice);
        minter.setRedeemReceiver(id, aliceCold);
        assertEq(minter.redeemRequest(id).receiver, carol);
    }

    // ================================================================ finding 6: issuer-blacklisted receiver

    function _blacklistSetup() internal returns (BlacklistToken busd) {
        busd = new BlacklistToken();
        _listAsset(busd);
        vm.label(address(busd), "BUSD");
        _mintWith(busd, alice, AMOUNT);
        _mintWith(busd, bob, AMOUNT);
    }

    function test_finding6_blacklistedReceiverRedemptionNotStranded() public {
        BlacklistToken busd = _blacklistSetup();
        uint256 id = _redeemTo(busd, alice, 500e18, carol);
        busd.setBlacklisted(carol, true); // the issuer blacklists the receiver during the delay
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.expectRevert(abi.encodeWithSelector(BlacklistToken.Blacklisted.selector, carol));
        minter.claimRedeem(id);

        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemReceiverChanged(id, carol, aliceCold);
        vm.prank(alice); // the request's owner re-points it to a wallet it controls
        minter.setRedeemReceiver(id, aliceCold);
        assertEq(minter.claimRedeem(id), 500 * USDC_UNIT, "paid");

        assertEq(busd.balanceOf(aliceCold), 500 * USDC_UNIT);
        assertEq(minter.earmarked(address(busd)), 0, "nothing left earmarked");
        assertEq(minter.pendingRedemptions(), 0, "nothing owed");
        assertGe(reserve.totalValue(), minter.liabilities());
    }

    function test_finding6_blacklistedReceiverNeverBlocksQueue() public {
        BlacklistToken busd = _blacklistSetup();
        uint256 stuck = _redeemTo(busd, alice, 500e18, carol);
        uint256 next = _redeemWith(busd, bob, 300e18);
        busd.setBlacklisted(carol, true);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        assertEq(minter.claimRedeem(next), 300 * USDC_UNIT, "later request paid");
        assertEq(minter.earmarked(address(busd)), 500 * USDC_UNIT, "earlier one funded, waiting");
        _assertOwed(stuck, 500 * USDC_UNIT);
    }

    function test_finding6_onlyOwnerRepoints() public {
        BlacklistToken busd = _blacklistSetup();
        uint256 id = _redeemTo(busd, alice, 500e18, carol);
        assertEq(minter.redeemOwner(id), alice);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotRequestOwner.selector, id, carol));
        vm.prank(carol); // the receiver is not the owner
        minter.setRedeemReceiver(id, carol);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotRequestOwner.selector, id, attacker));
        vm.prank(attacker);
        minter.setRedeemReceiver(id, attacker);
        assertEq(minter.redeemRequest(id).receiver, carol);
    }

    function test_setRedeemReceiver_selfRedemptionKeepsItsOwner() public {
        BlacklistToken busd = _blacklistSetup();
        uint256 id = _redeemWith(busd, alice, 500e18);
        assertEq(minter.redeemOwner(id), alice, "owner is the receiver");
        vm.prank(alice);
        minter.setRedeemReceiver(id, aliceCold);
        assertEq(minter.redeemOwner(id), alice, "owner unchanged");
        assertEq(minter.redeemRequest(id).receiver, aliceCold);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotRequestOwner.selector, id, aliceCold));
        vm.prank(aliceCold);
        minter.setRedeemReceiver(id, attacker);
        vm.prank(alice);
        minter.setRedeemReceiver(id, alice); // and back
        assertEq(minter.redeemRequest(id).receiver, alice);
    }

    function test_setRedeemReceiver_keepsPlaceAndClaimTime() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemWith(usdc, alice, 100e18);
        IAIDMinter.RedeemRequest memory before = minter.redeemRequest(id);
        vm.prank(alice);
        minter.setRedeemReceiver(id, aliceCold);
        IAIDMinter.RedeemRequest memory after_ = minter.redeemRequest(id);
        assertEq(after_.claimableAt, before.claimableAt, "claim time");
        assertEq(after_.cumulativeEnd, before.cumulativeEnd, "queue place");
        assertEq(after_.assetAmount, before.assetAmount, "amount");
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.RedeemNotReady.selector, id, before.claimableAt));
        minter.claimRedeem(id);
    }

    function test_setRedeemReceiver_badInput_reverts() public {
        _mintWith(usdc, alice, AMOUNT);
        uint256 id = _redeemTo(usdc, alice, 100e18, carol);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, id + 1));
        minter.setRedeemReceiver(id + 1, aliceCold);
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        minter.setRedeemReceiver(id, address(0));
        vm.stopPrank();

        _deny(court, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, court));
        vm.prank(alice);
        minter.setRedeemReceiver(id, court); // to a deny-listed receiver
        _deny(alice, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, alice));
        vm.prank(alice);
        minter.setRedeemReceiver(id, aliceCold); // by a deny-listed owner
        _deny(alice, false);
        assertEq(minter.redeemRequest(id).receiver, carol, "unchanged");

        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        minter.claimRedeem(id);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AlreadyClaimed.selector, id));
        vm.prank(alice);
        minter.setRedeemReceiver(id, aliceCold);
    }

    function test_redeemOwner_unknown_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, 0));
        minter.redeemOwner(0);
    }
}
