// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {AIDMinter} from "../../src/mint/AIDMinter.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @notice Unit tests of {AIDMinter}: every external function, every custom error, role gating.
contract AIDMinterTest is MinterTestBase {
    /// @dev What a rejected call must leave untouched.
    struct Snapshot {
        uint256 outstanding;
        uint256 pending;
        uint256 supply;
        uint256 reserveUsdc;
        uint256 reserveUsdt;
        uint256 requests;
        uint256 mintable;
        uint256 redeemable;
        uint256 earmarkedUsdc;
    }

    function _snap() internal view returns (Snapshot memory s) {
        s.outstanding = minter.outstanding();
        s.pending = minter.pendingRedemptions();
        s.supply = aid.totalSupply();
        s.reserveUsdc = usdc.balanceOf(address(reserve));
        s.reserveUsdt = usdt.balanceOf(address(reserve));
        s.requests = minter.redeemRequestCount();
        (s.mintable, s.redeemable) = minter.remainingBlockCaps(address(usdc));
        s.earmarkedUsdc = minter.earmarked(address(usdc));
    }

    function _assertUnchanged(Snapshot memory b) internal view {
        Snapshot memory a = _snap();
        assertEq(a.outstanding, b.outstanding, "outstanding changed");
        assertEq(a.pending, b.pending, "pending changed");
        assertEq(a.supply, b.supply, "AID supply changed");
        assertEq(a.reserveUsdc, b.reserveUsdc, "reserve USDC changed");
        assertEq(a.reserveUsdt, b.reserveUsdt, "reserve USDT changed");
        assertEq(a.requests, b.requests, "request count changed");
        assertEq(a.mintable, b.mintable, "mint cap used");
        assertEq(a.redeemable, b.redeemable, "redeem cap used");
        assertEq(a.earmarkedUsdc, b.earmarkedUsdc, "earmark changed");
    }

    // ================================================================ constructor and defaults

    function test_constructor_setsImmutablesAndDefaults() public view {
        assertEq(address(minter.aid()), address(aid));
        assertEq(minter.reserve(), address(reserve));
        assertEq(minter.redeemDelay(), DEFAULT_REDEEM_DELAY);
        assertEq(minter.defaultAdmin(), admin);
        assertEq(minter.defaultAdminDelay(), minter.ADMIN_TRANSFER_DELAY());
        assertEq(minter.getRoleAdmin(minter.WHITELISTED_ROLE()), minter.WHITELIST_MANAGER_ROLE());
        assertFalse(minter.paused());
        assertEq(minter.outstanding(), 0);
        assertEq(minter.MAX_FEE_BPS(), 50);
        assertEq(minter.MAX_REDEEM_DELAY(), 7 days);
    }

    function test_constructor_zeroAid_reverts() public {
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        new AIDMinter(IAID(address(0)), address(reserve), admin);
    }

    function test_constructor_zeroReserve_reverts() public {
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        new AIDMinter(IAID(address(aid)), address(0), admin);
    }

    function test_constructor_zeroAdmin_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, address(0)
            )
        );
        new AIDMinter(IAID(address(aid)), address(reserve), address(0));
    }

    // ================================================================ mint

    function test_mint_mintsValueToReceiver() public {
        uint256 amount = 1000 * USDC_UNIT;
        _fund(usdc, alice, amount);
        vm.expectEmit(address(minter));
        emit IAIDMinter.Minted(alice, carol, address(usdc), amount, amount * SCALE, 0);
        vm.prank(alice);
        uint256 out = minter.mint(address(usdc), amount, amount * SCALE, carol);

        assertEq(out, amount * SCALE, "aidOut");
        assertEq(aid.balanceOf(carol), out, "receiver balance");
        assertEq(aid.balanceOf(alice), 0, "caller got nothing");
        assertEq(usdc.balanceOf(alice), 0, "collateral taken");
        assertEq(usdc.balanceOf(address(reserve)), amount, "collateral in reserve");
        assertEq(usdc.balanceOf(address(minter)), 0, "minter holds nothing");
        assertEq(minter.outstanding(), out, "outstanding");
        assertEq(aid.totalSupply(), out, "supply");
        assertEq(minter.liabilities(), out, "liabilities");
        assertEq(reserve.totalValue(), out, "reserve value");
    }

    function test_mint_chargesFeeRoundedUp() public {
        (MockERC20 dai, MockPriceFeed daiFeed) = _addAsset("DAI", 18);
        uint16 feeBps = 30;
        _setFees(dai, daiFeed, feeBps, 0);
        uint256 amount = 333; // 333 wei * 30 bps = 0.999 wei of fee: must round up to 1
        uint256 out = _mintWith(dai, alice, amount);
        uint256 fee = amount - out;
        assertGe(fee * BPS, amount * feeBps, "fee rounded down");
        assertLt((fee - 1) * BPS, amount * feeBps, "fee more than rounded up");
        assertGt(fee, 0, "no fee");
    }

    function test_mint_feeStaysInReserveAsSurplus() public {
        _setFees(usdc, usdcFeed, 50, 0);
        uint256 amount = 1_000_000 * USDC_UNIT;
        uint256 out = _mintWith(usdc, alice, amount);
        uint256 fee = amount * SCALE * 50 / BPS;
        assertEq(out, amount * SCALE - fee, "aidOut");
        assertEq(reserve.totalValue() - minter.liabilities(), fee, "fee kept as surplus");
    }

    function test_mint_emitsFee() public {
        _setFees(usdc, usdcFeed, 10, 0);
        uint256 amount = 500 * USDC_UNIT;
        _fund(usdc, alice, amount);
        uint256 fee = amount * SCALE * 10 / BPS;
        vm.expectEmit(address(minter));
        emit IAIDMinter.Minted(alice, alice, address(usdc), amount, amount * SCALE - fee, fee);
        vm.prank(alice);
        minter.mint(address(usdc), amount, 0, alice);
        assertEq(aid.balanceOf(alice), amount * SCALE - fee);
    }

    function test_mint_revertsWhen_notWhitelisted() public {
        _fund(usdc, carol, 100 * USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, carol));
        vm.prank(carol);
        minter.mint(address(usdc), 100 * USDC_UNIT, 0, carol);
        _assertUnchanged(b);
        assertEq(usdc.balanceOf(carol), 100 * USDC_UNIT, "collateral kept");
    }

    function test_mint_revertsWhen_whitelistRevoked() public {
        bytes32 role = minter.WHITELISTED_ROLE();
        vm.prank(whitelistManager);
        minter.revokeRole(role, alice);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, alice));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        assertEq(aid.balanceOf(alice), 0);
    }

    function test_mint_revertsWhen_paused() public {
        vm.prank(gatekeeper);
        minter.pause();
        _fund(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_zeroAmount() public {
        vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.mint(address(usdc), 0, 0, alice);
    }

    function test_mint_revertsWhen_zeroReceiver() public {
        _fund(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, address(0));
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_assetUnknown() public {
        MockERC20 other = new MockERC20("Other", "OTH", 6);
        _fund(other, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetNotSupported.selector, address(other)));
        vm.prank(alice);
        minter.mint(address(other), USDC_UNIT, 0, alice);
        assertEq(other.balanceOf(address(reserve)), 0);
    }

    function test_mint_revertsWhen_assetDisabled() public {
        vm.prank(admin);
        minter.setAsset(address(usdt), address(usdtFeed), false, 0, 0, HEARTBEAT);
        _fund(usdt, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetNotSupported.selector, address(usdt)));
        vm.prank(alice);
        minter.mint(address(usdt), USDC_UNIT, 0, alice);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_feeLeavesNothing() public {
        (MockERC20 dai, MockPriceFeed daiFeed) = _addAsset("DAI", 18);
        _setFees(dai, daiFeed, 50, 0);
        _fund(dai, alice, 1);
        vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.mint(address(dai), 1, 0, alice); // 1 wei - fee rounded up to 1 wei = 0
        assertEq(dai.balanceOf(alice), 1, "collateral kept");
    }

    function test_mint_revertsWhen_belowMinOut() public {
        uint256 amount = 10 * USDC_UNIT;
        _fund(usdc, alice, amount);
        Snapshot memory b = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.SlippageExceeded.selector, amount * SCALE, amount * SCALE + 1)
        );
        vm.prank(alice);
        minter.mint(address(usdc), amount, amount * SCALE + 1, alice);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_priceZero() public {
        usdcFeed.setAnswer(0);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidPrice.selector, address(usdc), int256(0)));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
    }

    function test_mint_revertsWhen_priceNegative() public {
        usdcFeed.setAnswer(-1);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidPrice.selector, address(usdc), int256(-1)));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
    }

    function test_mint_revertsWhen_feedStale() public {
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + HEARTBEAT + 1);
        _fund(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.StalePrice.selector, address(usdc), updatedAt));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        _assertUnchanged(b);
    }

    function test_mint_succeedsWhen_feedExactlyHeartbeatOld() public {
        vm.warp(block.timestamp + HEARTBEAT);
        assertEq(_mintWith(usdc, alice, USDC_UNIT), USDC_UNIT * SCALE);
    }

    function test_mint_revertsWhen_depegged() public {
        int192 price = int192(int256((uint256(uint192(ONE_USD)) * minter.MINT_MIN_PRICE_BPS()) / BPS)) - 1;
        usdcFeed.setAnswer(price);
        _fund(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdc), int256(price)));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        _assertUnchanged(b);
    }

    function test_mint_succeedsWhen_priceAtMintFloor() public {
        usdcFeed.setAnswer(int192(int256((uint256(uint192(ONE_USD)) * minter.MINT_MIN_PRICE_BPS()) / BPS)));
        assertEq(_mintWith(usdc, alice, USDC_UNIT), USDC_UNIT * SCALE);
    }

    function test_mint_succeedsWhen_priceAbovePeg() public {
        usdcFeed.setAnswer(ONE_USD * 102 / 100); // a premium does not block minting (only redeeming)
        assertEq(_mintWith(usdc, alice, USDC_UNIT), USDC_UNIT * SCALE);
    }

    function test_mint_depegGuard_usesFeedDecimals() public {
        MockPriceFeed feed18 = new MockPriceFeed(18, 1e18);
        vm.prank(admin);
        minter.setAsset(address(usdc), address(feed18), true, 0, 0, HEARTBEAT);
        assertEq(minter.assetConfig(address(usdc)).feedDecimals, 18);
        feed18.setAnswer(0.995e18 - 1);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdc), int256(0.995e18 - 1)));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        feed18.setAnswer(0.995e18);
        vm.prank(alice);
        assertEq(minter.mint(address(usdc), USDC_UNIT, 0, alice), USDC_UNIT * SCALE);
    }

    function test_mint_revertsWhen_assetBlockCapExceeded() public {
        uint256 cap = 1000e18;
        vm.prank(admin);
        minter.setAssetCaps(address(usdc), cap, ASSET_REDEEM_CAP);
        _mintWith(usdc, alice, cap / SCALE);
        _fund(usdc, bob, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.AssetBlockCapExceeded.selector, address(usdc), USDC_UNIT * SCALE, 0)
        );
        vm.prank(bob);
        minter.mint(address(usdc), USDC_UNIT, 0, bob);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_assetBlockCapUnset() public {
        (MockERC20 tok,) = _addAsset("NEW", 6);
        vm.prank(admin);
        minter.setAssetCaps(address(tok), 0, 0);
        _fund(tok, alice, USDC_UNIT);
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.AssetBlockCapExceeded.selector, address(tok), USDC_UNIT * SCALE, 0)
        );
        vm.prank(alice);
        minter.mint(address(tok), USDC_UNIT, 0, alice);
    }

    function test_mint_revertsWhen_globalBlockCapExceededAcrossAssets() public {
        _mintWith(usdc, alice, ASSET_MINT_CAP / SCALE);
        uint256 left = GLOBAL_MINT_CAP - ASSET_MINT_CAP;
        _mintWith(usdt, bob, left / SCALE);
        (uint256 mintable,) = minter.remainingBlockCaps(address(usdt));
        assertEq(mintable, 0, "global cap used up");
        _fund(usdt, bob, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.GlobalBlockCapExceeded.selector, USDC_UNIT * SCALE, 0));
        vm.prank(bob);
        minter.mint(address(usdt), USDC_UNIT, 0, bob);
    }

    /// @dev Caps are keyed by timestamp (see BlockCapLib): the next second is a new window.
    function test_mint_capResetsAtNextTimestamp() public {
        _mintWith(usdc, alice, ASSET_MINT_CAP / SCALE);
        vm.warp(block.timestamp + 1);
        assertEq(_mintWith(usdc, alice, ASSET_MINT_CAP / SCALE), ASSET_MINT_CAP, "fresh window");
    }

    /// @dev Intended: on Arbitrum/Plume `block.number` is the L1 block number, so a new block number with the same
    ///      timestamp is not a new window (stricter, never looser).
    function test_mint_capNotResetByRollAlone() public {
        _mintWith(usdc, alice, ASSET_MINT_CAP / SCALE);
        vm.roll(block.number + 1);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.AssetBlockCapExceeded.selector, address(usdc), USDC_UNIT * SCALE, 0)
        );
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
    }

    function test_mint_revertsWhen_supplyCapExceeded() public {
        uint256 cap = 100e18;
        vm.prank(admin);
        minter.setSupplyCap(cap);
        _mintWith(usdc, alice, cap / SCALE);
        _fund(usdc, bob, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SupplyCapExceeded.selector, cap + USDC_UNIT * SCALE, cap));
        vm.prank(bob);
        minter.mint(address(usdc), USDC_UNIT, 0, bob);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_receiverDenied() public {
        _deny(carol, true);
        _fund(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, carol));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, carol);
        _assertUnchanged(b);
    }

    function test_mint_revertsWhen_aidPaused() public {
        vm.prank(gatekeeper);
        aid.pause();
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        assertEq(usdc.balanceOf(alice), USDC_UNIT);
    }

    function test_mint_revertsWhen_noAllowance() public {
        usdc.mint(alice, USDC_UNIT);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(minter), 0, USDC_UNIT)
        );
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
    }

    // ================================================================ requestRedeem

    function test_requestRedeem_burnsAndQueues() public {
        uint256 minted = _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 aidAmount = 400e18;
        uint256 claimableAt = block.timestamp + DEFAULT_REDEEM_DELAY;
        vm.prank(alice);
        aid.approve(address(minter), aidAmount);
        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemRequested(0, alice, carol, address(usdc), aidAmount, aidAmount / SCALE, claimableAt);
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), aidAmount, aidAmount / SCALE, carol);

        assertEq(id, 0, "first id");
        assertEq(minter.redeemRequestCount(), 1, "count");
        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        assertEq(r.receiver, carol, "receiver");
        assertEq(r.claimableAt, claimableAt, "claimableAt");
        assertFalse(r.claimed, "claimed");
        assertEq(r.asset, address(usdc), "asset");
        assertEq(r.assetAmount, aidAmount / SCALE, "assetAmount");
        assertEq(r.cumulativeEnd, aidAmount / SCALE, "cumulativeEnd");

        assertEq(aid.balanceOf(alice), minted - aidAmount, "AID burnt");
        assertEq(aid.totalSupply(), minted - aidAmount, "supply");
        assertEq(minter.outstanding(), minted - aidAmount, "outstanding");
        assertEq(minter.pendingRedemptions(), aidAmount, "pending");
        assertEq(minter.liabilities(), minted, "liabilities unchanged until paid");
        assertEq(usdc.balanceOf(carol), 0, "not paid yet");
        assertEq(usdc.balanceOf(address(reserve)), 1000 * USDC_UNIT, "reserve untouched");
    }

    function test_requestRedeem_cumulativeEndGrowsPerAsset() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _mintWith(usdt, alice, 1000 * USDC_UNIT);
        uint256 a = _redeemWith(usdc, alice, 100e18);
        uint256 b = _redeemWith(usdt, alice, 30e18);
        uint256 c = _redeemWith(usdc, alice, 50e18);
        assertEq(b, a + 1, "ids are sequential");
        assertEq(c, b + 1, "ids are sequential");
        assertEq(minter.redeemRequest(a).cumulativeEnd, 100 * USDC_UNIT, "usdc queue position");
        assertEq(minter.redeemRequest(b).cumulativeEnd, 30 * USDC_UNIT, "usdt queue is separate");
        assertEq(minter.redeemRequest(c).cumulativeEnd, 150 * USDC_UNIT, "usdc queue grows");
        assertEq(minter.pendingRedemptions(), 180e18, "pending over all assets");
    }

    function test_requestRedeem_chargesFeeAndRoundsDown() public {
        _setFees(usdc, usdcFeed, 0, 20);
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 aidAmount = 123.456789123456789e18;
        uint256 id = _redeemWith(usdc, alice, aidAmount);
        uint256 owed = minter.redeemRequest(id).assetAmount;
        // Caller gets no more than (aid - fee rounded up) / scale, and not a unit less.
        uint256 feeUp = (aidAmount * 20 + BPS - 1) / BPS;
        assertLe(owed * SCALE, aidAmount - feeUp, "favours caller");
        assertGt((owed + 1) * SCALE, aidAmount - feeUp, "more than one unit of rounding");
        assertGe(aidAmount * (BPS - 20), owed * SCALE * BPS, "fee below 20 bps");
        assertEq(minter.pendingRedemptions(), owed * SCALE, "pending at the paid value");
    }

    function test_requestRedeem_dustBelowOneUnit_reverts() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), SCALE - 1);
        Snapshot memory b = _snap();
        vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.requestRedeem(address(usdc), SCALE - 1, 0, alice);
        _assertUnchanged(b);
    }

    function test_requestRedeem_revertsWhen_notWhitelisted() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(alice);
        aid.transfer(carol, USDC_UNIT * SCALE);
        vm.prank(carol);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, carol));
        vm.prank(carol);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, carol);
        _assertUnchanged(b);
        assertEq(aid.balanceOf(carol), USDC_UNIT * SCALE, "AID kept");
    }

    function test_requestRedeem_revertsWhen_paused() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(gatekeeper);
        minter.pause();
        vm.prank(alice);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        Snapshot memory b = _snap();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
        _assertUnchanged(b);
    }

    function test_requestRedeem_revertsWhen_zeroAmount() public {
        vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.requestRedeem(address(usdc), 0, 0, alice);
    }

    function test_requestRedeem_revertsWhen_zeroReceiver() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, address(0));
    }

    function test_requestRedeem_revertsWhen_assetUnknown() public {
        _mintWith(usdc, alice, USDC_UNIT);
        address other = address(new MockERC20("Other", "OTH", 6));
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetNotSupported.selector, other));
        vm.prank(alice);
        minter.requestRedeem(other, USDC_UNIT * SCALE, 0, alice);
    }

    function test_requestRedeem_revertsWhen_assetDisabled() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), false, 0, 0, HEARTBEAT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetNotSupported.selector, address(usdc)));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
    }

    function test_requestRedeem_revertsWhen_priceInvalid() public {
        _mintWith(usdc, alice, USDC_UNIT);
        usdcFeed.setAnswer(0);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidPrice.selector, address(usdc), int256(0)));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
    }

    function test_requestRedeem_revertsWhen_feedStale() public {
        _mintWith(usdc, alice, USDC_UNIT);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + HEARTBEAT + 1);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.StalePrice.selector, address(usdc), updatedAt));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
    }

    function test_requestRedeem_revertsWhen_assetAbovePeg() public {
        _mintWith(usdc, alice, USDC_UNIT);
        int192 price = int192(int256((uint256(uint192(ONE_USD)) * minter.REDEEM_MAX_PRICE_BPS()) / BPS)) + 1;
        usdcFeed.setAnswer(price);
        vm.prank(alice);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdc), int256(price)));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
        _assertUnchanged(b);
    }

    function test_requestRedeem_succeedsWhen_priceAtRedeemCeiling() public {
        _mintWith(usdc, alice, USDC_UNIT);
        usdcFeed.setAnswer(int192(int256((uint256(uint192(ONE_USD)) * minter.REDEEM_MAX_PRICE_BPS()) / BPS)));
        uint256 id = _redeemWith(usdc, alice, USDC_UNIT * SCALE);
        assertEq(minter.redeemRequest(id).assetAmount, USDC_UNIT);
    }

    function test_requestRedeem_succeedsWhen_assetBelowPeg() public {
        _mintWith(usdc, alice, USDC_UNIT);
        usdcFeed.setAnswer(ONE_USD * 90 / 100); // holders can always exit into a depegged asset
        uint256 id = _redeemWith(usdc, alice, USDC_UNIT * SCALE);
        assertEq(minter.redeemRequest(id).assetAmount, USDC_UNIT);
    }

    function test_requestRedeem_revertsWhen_belowMinOut() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SlippageExceeded.selector, USDC_UNIT, USDC_UNIT + 1));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, USDC_UNIT + 1, alice);
    }

    function test_requestRedeem_revertsWhen_assetBlockCapExceeded() public {
        uint256 cap = 100e18;
        vm.prank(admin);
        minter.setAssetCaps(address(usdc), ASSET_MINT_CAP, cap);
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _redeemWith(usdc, alice, cap);
        vm.prank(alice);
        aid.approve(address(minter), 1);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetBlockCapExceeded.selector, address(usdc), SCALE, 0));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), SCALE, 0, alice);
        vm.warp(block.timestamp + 1); // next window
        assertEq(minter.redeemRequest(_redeemWith(usdc, alice, cap)).assetAmount, cap / SCALE);
    }

    function test_requestRedeem_revertsWhen_globalBlockCapExceeded() public {
        vm.prank(admin);
        minter.setGlobalCaps(GLOBAL_MINT_CAP, 150e18);
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        _mintWith(usdt, alice, 100 * USDC_UNIT);
        _redeemWith(usdc, alice, 100e18);
        vm.prank(alice);
        aid.approve(address(minter), 100e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.GlobalBlockCapExceeded.selector, 100e18, 50e18));
        vm.prank(alice);
        minter.requestRedeem(address(usdt), 100e18, 0, alice);
    }

    function test_requestRedeem_revertsWhen_noAllowance() public {
        _mintWith(usdc, alice, USDC_UNIT);
        Snapshot memory b = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(minter), 0, USDC_UNIT * SCALE
            )
        );
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
        _assertUnchanged(b);
    }

    function test_requestRedeem_revertsWhen_aidPaused() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(gatekeeper);
        aid.pause();
        vm.prank(alice);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
        assertEq(aid.balanceOf(alice), USDC_UNIT * SCALE);
    }

    /// @dev A request the reserve cannot pay in that asset (even after divesting) would strand the burnt AID in the
    ///      queue, and block every later request of the asset: it is refused up front.
    function test_requestRedeem_revertsWhen_reserveDoesNotHoldAsset() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT); // the reserve holds USDC only
        vm.prank(alice);
        aid.approve(address(minter), 100e18);
        Snapshot memory b = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.InsufficientBuffer.selector, address(usdt), 100 * USDC_UNIT, 0)
        );
        vm.prank(alice);
        minter.requestRedeem(address(usdt), 100e18, 0, alice);
        _assertUnchanged(b);
        assertEq(aid.balanceOf(alice), 1000e18, "AID kept");
    }

    function test_requestRedeem_revertsWhen_queueExceedsHoldings() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _mintWith(usdt, bob, 100 * USDC_UNIT);
        _redeemWith(usdt, bob, 60e18); // queued, unfunded
        vm.prank(alice);
        aid.approve(address(minter), 50e18);
        // 100 USDT held, 60 already queued: 40 left for new requests
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdt), 110 * USDC_UNIT, 100 * USDC_UNIT
            )
        );
        vm.prank(alice);
        minter.requestRedeem(address(usdt), 50e18, 0, alice);
        uint256 id = _redeemWith(usdt, alice, 40e18);
        assertEq(minter.redeemRequest(id).cumulativeEnd, 100 * USDC_UNIT, "exactly the holdings");
    }

    function test_requestRedeem_acceptsWhenTBillsCover() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(900 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 1000e18); // 100 liquid + 900 in T-bills
        assertEq(minter.redeemRequest(id).assetAmount, 1000 * USDC_UNIT);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        _divest(tbill.balanceOf(address(reserve)));
        assertEq(minter.claimRedeem(id), 1000 * USDC_UNIT, "payable after divest");
    }

    function test_requestRedeem_revertsWhen_callerDenied() public {
        _mintWith(usdc, alice, USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), USDC_UNIT * SCALE);
        _deny(alice, true);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, alice));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), USDC_UNIT * SCALE, 0, alice);
    }

    function test_requestRedeem_usesDelayAtRequestTime() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        _setRedeemDelay(3 days);
        uint256 id = _redeemWith(usdc, alice, 1e18);
        _setRedeemDelay(1 hours);
        assertEq(minter.redeemRequest(id).claimableAt, block.timestamp + 3 days, "later change does not apply");
    }

    function test_requestRedeem_settlesImmediatelyWhen_delayZero() public {
        _setRedeemDelay(0);
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), 4e18);
        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemClaimed(0, carol, address(usdc), 4 * USDC_UNIT);
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), 4e18, 0, carol);
        assertTrue(minter.redeemRequest(id).claimed, "settled");
        assertEq(usdc.balanceOf(carol), 4 * USDC_UNIT, "paid in the same call");
        assertEq(minter.pendingRedemptions(), 0, "nothing pending");
        assertEq(minter.earmarked(address(usdc)), 0, "nothing earmarked");
        assertEq(reserve.totalValue(), minter.liabilities(), "reserve == liabilities");
    }

    function test_requestRedeem_staysQueuedWhen_delayZeroAndBufferShort() public {
        _setRedeemDelay(0);
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(900 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 500e18);
        assertFalse(minter.redeemRequest(id).claimed, "queued, not reverted");
        assertEq(minter.pendingRedemptions(), 500e18, "pending");
        assertEq(usdc.balanceOf(alice), 0, "unpaid");

        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 500 * USDC_UNIT, 100 * USDC_UNIT
            )
        );
        minter.claimRedeem(id);

        _divest(tbill.balanceOf(address(reserve)));
        assertEq(minter.claimRedeem(id), 500 * USDC_UNIT, "claimable at once after divest");
        assertEq(usdc.balanceOf(alice), 500 * USDC_UNIT);
    }

    function test_requestRedeem_delayZero_doesNotJumpQueue() public {
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        uint256 first = _redeemWith(usdc, alice, 60e18); // 1-day delay, unfunded
        _setRedeemDelay(0);
        uint256 second = _redeemWith(usdc, alice, 30e18);
        // Buffer (100) covers both (90): the instant request funds the earlier one first.
        assertTrue(minter.redeemRequest(second).claimed, "second settled");
        assertFalse(minter.redeemRequest(first).claimed, "first still waits for its delay");
        assertEq(minter.earmarked(address(usdc)), 60 * USDC_UNIT, "first earmarked");
        _invest(10 * USDC_UNIT);
        vm.warp(block.timestamp + 1 days);
        assertEq(minter.claimRedeem(first), 60 * USDC_UNIT);
    }

    // ================================================================ claimRedeem

    function test_claimRedeem_paysReceiverAfterDelay() public {
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), 40e18);
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), 40e18, 0, bob);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);

        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemClaimed(id, bob, address(usdc), 40 * USDC_UNIT);
        vm.prank(carol); // anyone may claim; funds go to the receiver
        uint256 paid = minter.claimRedeem(id);

        assertEq(paid, 40 * USDC_UNIT, "return");
        assertEq(usdc.balanceOf(bob), 40 * USDC_UNIT, "receiver paid");
        assertEq(usdc.balanceOf(carol), 0, "caller not paid");
        assertEq(usdc.balanceOf(address(reserve)), 60 * USDC_UNIT, "reserve");
        assertTrue(minter.redeemRequest(id).claimed, "claimed");
        assertEq(minter.pendingRedemptions(), 0, "pending");
        assertEq(minter.earmarked(address(usdc)), 0, "earmark");
        assertEq(minter.liabilities(), 60e18, "liabilities");
    }

    function test_claimRedeem_paysEvenWhenAssetDisabledOrDepegged() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 10e18);
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), false, 0, 0, HEARTBEAT);
        usdcFeed.setAnswer(ONE_USD * 2);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        assertEq(minter.claimRedeem(id), 10 * USDC_UNIT, "queued claims stay payable");
        assertEq(usdc.balanceOf(alice), 10 * USDC_UNIT);
    }

    function test_claimRedeem_revertsWhen_paused() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 10e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.prank(gatekeeper);
        minter.pause();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        minter.claimRedeem(id);
        assertFalse(minter.redeemRequest(id).claimed);

        vm.prank(admin);
        minter.unpause(); // nothing lost
        assertEq(minter.claimRedeem(id), 10 * USDC_UNIT);
    }

    function test_claimRedeem_revertsWhen_unknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, 0));
        minter.claimRedeem(0);
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        _redeemWith(usdc, alice, 10e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, 1));
        minter.claimRedeem(1);
    }

    function test_claimRedeem_revertsWhen_alreadyClaimed() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 5e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        minter.claimRedeem(id);
        Snapshot memory b = _snap();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AlreadyClaimed.selector, id));
        minter.claimRedeem(id);
        _assertUnchanged(b);
        assertEq(usdc.balanceOf(alice), 5 * USDC_UNIT, "paid once");
    }

    function test_claimRedeem_revertsWhen_notReady() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 5e18);
        uint256 claimableAt = block.timestamp + DEFAULT_REDEEM_DELAY;
        vm.warp(claimableAt - 1);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.RedeemNotReady.selector, id, claimableAt));
        minter.claimRedeem(id);
        vm.warp(claimableAt);
        assertEq(minter.claimRedeem(id), 5 * USDC_UNIT);
    }

    function test_claimRedeem_revertsWhen_bufferShort() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(800 * USDC_UNIT);
        uint256 id = _redeemWith(usdc, alice, 300e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        Snapshot memory b = _snap();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 300 * USDC_UNIT, 200 * USDC_UNIT
            )
        );
        minter.claimRedeem(id);
        _assertUnchanged(b);
    }

    function test_claimRedeem_fifo_laterBlockedWhileEarlierUnfunded() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(900 * USDC_UNIT); // 100 liquid
        uint256 first = _redeemWith(usdc, alice, 150e18);
        uint256 second = _redeemWith(usdc, alice, 50e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);

        // The second alone would fit the buffer, but the first comes first: funding the second means funding both.
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 200 * USDC_UNIT, 100 * USDC_UNIT
            )
        );
        minter.claimRedeem(second);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 150 * USDC_UNIT, 100 * USDC_UNIT
            )
        );
        minter.claimRedeem(first);

        _divest(100 * USDC_UNIT); // shares: 100 USDC + a day of interest back into the buffer
        assertEq(minter.claimRedeem(second), 50 * USDC_UNIT, "second paid");
        assertEq(minter.earmarked(address(usdc)), 150 * USDC_UNIT, "first set aside");
        assertFalse(minter.redeemRequest(first).claimed, "first waits for its claim");

        // Funds set aside for the first can neither be invested nor taken by a newer request.
        uint256 free = usdc.balanceOf(address(reserve)) - 150 * USDC_UNIT;
        vm.prank(reserveManager);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.EarmarkedFundsLocked.selector, free, free + 1));
        reserve.invest(free + 1);
        uint256 third = _redeemWith(usdc, alice, 1e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InsufficientBuffer.selector, address(usdc), USDC_UNIT, free));
        minter.claimRedeem(third);

        assertEq(minter.claimRedeem(first), 150 * USDC_UNIT, "first paid from its earmark");
        assertEq(minter.earmarked(address(usdc)), 0, "earmark released");
        assertEq(usdc.balanceOf(alice), 200 * USDC_UNIT, "both paid");
    }

    function test_claimRedeem_queuesAreIndependentPerAsset() public {
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        _mintWith(usdt, alice, 100 * USDC_UNIT);
        _invest(90 * USDC_UNIT);
        uint256 usdcId = _redeemWith(usdc, alice, 50e18); // unfunded
        uint256 usdtId = _redeemWith(usdt, alice, 50e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        assertEq(minter.claimRedeem(usdtId), 50 * USDC_UNIT, "USDT queue not blocked by USDC");
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 50 * USDC_UNIT, 10 * USDC_UNIT
            )
        );
        minter.claimRedeem(usdcId);
        assertFalse(minter.redeemRequest(usdcId).claimed);
    }

    // ================================================================ mintYield

    function test_mintYield_onlyReserve() public {
        vm.expectRevert(IAIDMinter.OnlyReserve.selector);
        vm.prank(admin);
        minter.mintYield(admin, 1e18);
        assertEq(aid.totalSupply(), 0);
    }

    function test_mintYield_mintsAndCountsOutstanding() public {
        vm.expectEmit(address(minter));
        emit IAIDMinter.YieldMinted(yieldReceiver, 7e18);
        vm.prank(address(reserve));
        minter.mintYield(yieldReceiver, 7e18);
        assertEq(aid.balanceOf(yieldReceiver), 7e18);
        assertEq(minter.outstanding(), 7e18);
    }

    function test_mintYield_revertsWhen_paused() public {
        vm.prank(gatekeeper);
        minter.pause();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        vm.prank(address(reserve));
        minter.mintYield(yieldReceiver, 1e18);
    }

    function test_mintYield_revertsWhen_supplyCapExceeded() public {
        vm.prank(admin);
        minter.setSupplyCap(10e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SupplyCapExceeded.selector, 11e18, 10e18));
        vm.prank(address(reserve));
        minter.mintYield(yieldReceiver, 11e18);
    }

    // ================================================================ setAsset

    function test_setAsset_addsAndConfigures() public {
        MockERC20 tok = new MockERC20("Eight", "EIGHT", 8);
        MockPriceFeed feed = new MockPriceFeed(6, 1e6);
        IAIDMinter.AssetConfig memory expected = IAIDMinter.AssetConfig({
            feed: address(feed),
            decimals: 8,
            feedDecimals: 6,
            enabled: true,
            mintFeeBps: 5,
            redeemFeeBps: 7,
            heartbeat: 3600
        });
        vm.expectEmit(address(minter));
        emit IAIDMinter.AssetConfigured(address(tok), expected);
        vm.prank(admin);
        minter.setAsset(address(tok), address(feed), true, 5, 7, 3600);

        IAIDMinter.AssetConfig memory c = minter.assetConfig(address(tok));
        assertEq(c.feed, address(feed));
        assertEq(c.decimals, 8);
        assertEq(c.feedDecimals, 6);
        assertTrue(c.enabled);
        assertEq(c.mintFeeBps, 5);
        assertEq(c.redeemFeeBps, 7);
        assertEq(c.heartbeat, 3600);
        address[] memory list = minter.assets();
        assertEq(list.length, 3);
        assertEq(list[2], address(tok));
    }

    function test_setAsset_reconfigureDoesNotDuplicate() public {
        MockPriceFeed feed = new MockPriceFeed(8, ONE_USD);
        uint32 maxHeartbeat = uint32(minter.MAX_HEARTBEAT());
        vm.prank(admin);
        minter.setAsset(address(usdc), address(feed), false, 50, 50, maxHeartbeat);
        assertEq(minter.assets().length, 2, "no duplicate");
        assertEq(minter.assetConfig(address(usdc)).feed, address(feed));
        assertFalse(minter.assetConfig(address(usdc)).enabled);
    }

    function test_setAsset_onlyAdmin() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, gatekeeper, role)
        );
        vm.prank(gatekeeper);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, HEARTBEAT);
    }

    function test_setAsset_revertsWhen_zeroAsset() public {
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        vm.prank(admin);
        minter.setAsset(address(0), address(usdcFeed), true, 0, 0, HEARTBEAT);
    }

    function test_setAsset_revertsWhen_zeroFeed() public {
        vm.expectRevert(IAIDMinter.ZeroAddress.selector);
        vm.prank(admin);
        minter.setAsset(address(usdc), address(0), true, 0, 0, HEARTBEAT);
        assertEq(minter.assetConfig(address(usdc)).feed, address(usdcFeed), "unchanged");
    }

    function test_setAsset_revertsWhen_mintFeeTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.FeeTooHigh.selector, 51));
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 51, 0, HEARTBEAT);
        assertEq(minter.assetConfig(address(usdc)).mintFeeBps, 0);
    }

    function test_setAsset_revertsWhen_redeemFeeTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.FeeTooHigh.selector, 51));
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 51, HEARTBEAT);
    }

    function test_setAsset_revertsWhen_heartbeatZero() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidHeartbeat.selector, 0));
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, 0);
    }

    function test_setAsset_revertsWhen_heartbeatTooLong() public {
        uint256 hb = minter.MAX_HEARTBEAT() + 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidHeartbeat.selector, hb));
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, uint32(hb));
    }

    function test_setAsset_revertsWhen_decimalsAbove18() public {
        MockERC20 tok = new MockERC20("Nineteen", "N19", 19);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnsupportedDecimals.selector, 19));
        vm.prank(admin);
        minter.setAsset(address(tok), address(usdcFeed), true, 0, 0, HEARTBEAT);
        assertEq(minter.assets().length, 2, "not added");
    }

    // ================================================================ caps, supply cap, delay

    function test_setAssetCaps_setsAndEmits() public {
        vm.expectEmit(address(minter));
        emit IAIDMinter.AssetCapsSet(address(usdc), 5e18, 3e18);
        vm.prank(admin);
        minter.setAssetCaps(address(usdc), 5e18, 3e18);
        (uint256 mintable, uint256 redeemable) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, 5e18);
        assertEq(redeemable, 3e18);
    }

    function test_setAssetCaps_onlyAdmin() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, role));
        vm.prank(alice);
        minter.setAssetCaps(address(usdc), 1, 1);
    }

    function test_setAssetCaps_revertsWhen_assetUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AssetNotSupported.selector, address(0xdead)));
        vm.prank(admin);
        minter.setAssetCaps(address(0xdead), 1, 1);
    }

    function test_setAssetCaps_revertsWhen_capTooLarge() public {
        uint256 tooLarge = uint256(type(uint104).max) + 1;
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.CapTooLarge.selector, tooLarge));
        minter.setAssetCaps(address(usdc), tooLarge, 1);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.CapTooLarge.selector, tooLarge));
        minter.setAssetCaps(address(usdc), 1, tooLarge);
        vm.stopPrank();
        (uint256 mintable,) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, ASSET_MINT_CAP, "unchanged");
    }

    function test_setGlobalCaps_setsAndEmits() public {
        vm.expectEmit(address(minter));
        emit IAIDMinter.GlobalCapsSet(2e18, 1e18);
        vm.prank(admin);
        minter.setGlobalCaps(2e18, 1e18);
        (uint256 mintable, uint256 redeemable) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, 2e18);
        assertEq(redeemable, 1e18);
    }

    function test_setGlobalCaps_onlyAdmin() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, gatekeeper, role)
        );
        vm.prank(gatekeeper); // the gatekeeper can only zero caps, never raise them
        minter.setGlobalCaps(type(uint104).max, type(uint104).max);
    }

    function test_setGlobalCaps_revertsWhen_capTooLarge() public {
        uint256 tooLarge = uint256(type(uint104).max) + 1;
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.CapTooLarge.selector, tooLarge));
        minter.setGlobalCaps(tooLarge, 0);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.CapTooLarge.selector, tooLarge));
        minter.setGlobalCaps(0, tooLarge);
        vm.stopPrank();
    }

    function test_setSupplyCap_setsAndEmits() public {
        vm.expectEmit(address(minter));
        emit IAIDMinter.SupplyCapSet(42e18);
        vm.prank(admin);
        minter.setSupplyCap(42e18);
        assertEq(minter.supplyCap(), 42e18);
        (uint256 mintable,) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, 42e18, "supply cap bounds the mintable view");
    }

    function test_setSupplyCap_onlyAdmin() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, role));
        vm.prank(bob);
        minter.setSupplyCap(1);
    }

    function test_setSupplyCap_revertsWhen_tooLarge() public {
        uint256 tooLarge = uint256(type(uint120).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.CapTooLarge.selector, tooLarge));
        vm.prank(admin);
        minter.setSupplyCap(tooLarge);
        assertEq(minter.supplyCap(), SUPPLY_CAP);
    }

    function test_setSupplyCap_belowOutstanding_blocksMintNotRedeem() public {
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        vm.prank(admin);
        minter.setSupplyCap(50e18);
        (uint256 mintable,) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, 0);
        _fund(usdc, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SupplyCapExceeded.selector, 101e18, 50e18));
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        uint256 id = _redeemWith(usdc, alice, 60e18);
        assertEq(minter.redeemRequest(id).assetAmount, 60 * USDC_UNIT, "exit stays open");
    }

    function test_setRedeemDelay_setsAndEmits() public {
        uint256 max = minter.MAX_REDEEM_DELAY();
        vm.expectEmit(address(minter));
        emit IAIDMinter.RedeemDelaySet(max);
        vm.prank(admin);
        minter.setRedeemDelay(max);
        assertEq(minter.redeemDelay(), max);
        _setRedeemDelay(0);
        assertEq(minter.redeemDelay(), 0);
    }

    function test_setRedeemDelay_onlyAdmin() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, gatekeeper, role)
        );
        vm.prank(gatekeeper);
        minter.setRedeemDelay(0);
    }

    function test_setRedeemDelay_revertsWhen_tooLong() public {
        uint256 tooLong = minter.MAX_REDEEM_DELAY() + 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.RedeemDelayTooLong.selector, tooLong));
        vm.prank(admin);
        minter.setRedeemDelay(tooLong);
        assertEq(minter.redeemDelay(), DEFAULT_REDEEM_DELAY);
    }

    // ================================================================ gatekeeper

    function test_disableMintAndRedeem_zeroesGlobalCaps() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        vm.expectEmit(address(minter));
        emit IAIDMinter.GlobalCapsSet(0, 0);
        vm.prank(gatekeeper);
        minter.disableMintAndRedeem();

        (uint256 mintable, uint256 redeemable) = minter.remainingBlockCaps(address(usdt));
        assertEq(mintable, 0, "mint off");
        assertEq(redeemable, 0, "redeem off");
        vm.warp(block.timestamp + 1); // stays off in later blocks
        _fund(usdt, alice, USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.GlobalBlockCapExceeded.selector, USDC_UNIT * SCALE, 0));
        vm.prank(alice);
        minter.mint(address(usdt), USDC_UNIT, 0, alice);
        vm.prank(alice);
        aid.approve(address(minter), 1e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.GlobalBlockCapExceeded.selector, 1e18, 0));
        vm.prank(alice);
        minter.requestRedeem(address(usdc), 1e18, 0, alice);

        vm.prank(admin); // only the admin turns it back on
        minter.setGlobalCaps(GLOBAL_MINT_CAP, GLOBAL_REDEEM_CAP);
        vm.prank(alice);
        assertEq(minter.mint(address(usdt), USDC_UNIT, 0, alice), USDC_UNIT * SCALE);
    }

    function test_disableMintAndRedeem_onlyGatekeeper() public {
        bytes32 role = minter.GATEKEEPER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, role));
        vm.prank(admin);
        minter.disableMintAndRedeem();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, role));
        vm.prank(alice);
        minter.disableMintAndRedeem();
        (uint256 mintable,) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, ASSET_MINT_CAP, "still on");
    }

    function test_pause_setsAndEmits() public {
        vm.expectEmit(address(minter));
        emit IAIDMinter.PausedSet(true);
        vm.prank(gatekeeper);
        minter.pause();
        assertTrue(minter.paused());
    }

    function test_pause_onlyGatekeeper() public {
        bytes32 role = minter.GATEKEEPER_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, role));
        vm.prank(admin);
        minter.pause();
        assertFalse(minter.paused());
    }

    function test_pause_revertsWhen_alreadyPaused() public {
        vm.startPrank(gatekeeper);
        minter.pause();
        vm.expectRevert(IAIDMinter.PauseStateUnchanged.selector);
        minter.pause();
        vm.stopPrank();
    }

    function test_unpause_resumesAndEmits() public {
        vm.prank(gatekeeper);
        minter.pause();
        vm.expectEmit(address(minter));
        emit IAIDMinter.PausedSet(false);
        vm.prank(admin);
        minter.unpause();
        assertFalse(minter.paused());
        assertEq(_mintWith(usdc, alice, USDC_UNIT), USDC_UNIT * SCALE);
    }

    function test_unpause_onlyAdmin() public {
        vm.prank(gatekeeper);
        minter.pause();
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, gatekeeper, role)
        );
        vm.prank(gatekeeper);
        minter.unpause();
        assertTrue(minter.paused());
    }

    function test_unpause_revertsWhen_notPaused() public {
        vm.expectRevert(IAIDMinter.PauseStateUnchanged.selector);
        vm.prank(admin);
        minter.unpause();
    }

    // ================================================================ views

    function test_redeemRequest_revertsWhen_unknown() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnknownRequest.selector, 3));
        minter.redeemRequest(3);
    }

    function test_remainingBlockCaps_tracksUseAndMinOfCaps() public {
        vm.prank(admin);
        minter.setGlobalCaps(ASSET_MINT_CAP / 2, ASSET_REDEEM_CAP);
        (uint256 mintable, uint256 redeemable) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, ASSET_MINT_CAP / 2, "global binds");
        assertEq(redeemable, ASSET_REDEEM_CAP, "asset binds");
        _mintWith(usdt, alice, 1000 * USDC_UNIT);
        (mintable,) = minter.remainingBlockCaps(address(usdc));
        assertEq(mintable, ASSET_MINT_CAP / 2 - 1000e18, "other asset uses the global cap");
        (uint256 unknownMint, uint256 unknownRedeem) = minter.remainingBlockCaps(address(0xbeef));
        assertEq(unknownMint, 0, "unknown asset has no cap");
        assertEq(unknownRedeem, 0);
    }

    // ================================================================ roles

    function test_whitelist_grantedByManagerOnly() public {
        bytes32 role = minter.WHITELISTED_ROLE();
        bytes32 managerRole = minter.WHITELIST_MANAGER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, admin, managerRole)
        );
        vm.prank(admin);
        minter.grantRole(role, carol);
        assertFalse(minter.hasRole(role, carol));
        _whitelist(carol);
        assertTrue(minter.hasRole(role, carol));
        assertEq(_mintWith(usdc, carol, USDC_UNIT), USDC_UNIT * SCALE);
    }

    function test_admin_twoStepTransfer() public {
        address newAdmin = makeAddr("newAdmin");
        vm.prank(admin);
        minter.beginDefaultAdminTransfer(newAdmin);
        (address pending, uint48 schedule) = minter.pendingDefaultAdmin();
        assertEq(pending, newAdmin);
        assertEq(schedule, block.timestamp + minter.ADMIN_TRANSFER_DELAY());

        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule
            )
        );
        vm.prank(newAdmin);
        minter.acceptDefaultAdminTransfer();
        assertEq(minter.defaultAdmin(), admin, "not yet");

        vm.warp(uint256(schedule) + 1);
        vm.prank(newAdmin);
        minter.acceptDefaultAdminTransfer();
        assertEq(minter.defaultAdmin(), newAdmin);
        assertFalse(minter.hasRole(minter.DEFAULT_ADMIN_ROLE(), admin));
        vm.prank(newAdmin);
        minter.setRedeemDelay(0);
        assertEq(minter.redeemDelay(), 0);
    }

    function test_admin_cannotRenounceIntoLockout() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, 0)
        );
        vm.prank(admin);
        minter.renounceRole(role, admin);
        assertEq(minter.defaultAdmin(), admin);
    }

    function test_admin_cannotBeGrantedDirectly() public {
        bytes32 role = minter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        minter.grantRole(role, carol);
    }
}
