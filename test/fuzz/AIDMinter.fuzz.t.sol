// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";

/// @notice Fuzz: decimals normalisation and rounding never favour the caller, caps hold across blocks, fee and parameter
///         bounds, the depeg guard and the staleness bound.
contract AIDMinterFuzzTest is MinterTestBase {
    uint256 internal constant MAX_UNITS = 1e12; // [whole tokens] largest fuzzed deposit: a trillion dollars

    /// @dev An allowlisted `decimals`-decimal asset with the given fees and caps out of the way.
    function _asset(uint8 decimals, uint16 mintFeeBps, uint16 redeemFeeBps)
        internal
        returns (MockERC20 token, MockPriceFeed feed)
    {
        (token, feed) = _addAsset("FUZZ", decimals);
        vm.startPrank(admin);
        minter.setAsset(address(token), address(feed), true, mintFeeBps, redeemFeeBps, HEARTBEAT);
        minter.setAssetCaps(address(token), type(uint104).max, type(uint104).max);
        minter.setGlobalCaps(type(uint104).max, type(uint104).max);
        minter.setSupplyCap(type(uint120).max);
        vm.stopPrank();
    }

    // ================================================================ mint: normalisation and fee rounding

    function _checkMint(uint8 decimals, uint256 amount, uint256 feeBps) internal {
        feeBps = bound(feeBps, 0, minter.MAX_FEE_BPS());
        (MockERC20 token,) = _asset(decimals, uint16(feeBps), 0);
        uint256 scale = 10 ** (18 - decimals);
        amount = bound(amount, 1, MAX_UNITS * 10 ** decimals);
        uint256 value = amount * scale;
        _fund(token, alice, amount);

        vm.prank(alice);
        try minter.mint(address(token), amount, 0, alice) returns (uint256 out) {
            uint256 fee = value - out;
            assertLe(out, value, "minted more than the collateral's value");
            assertGe(fee * BPS, value * feeBps, "fee rounded in the caller's favour");
            assertLt(fee * BPS, value * feeBps + BPS, "fee above rounding up");
            assertEq(aid.balanceOf(alice), out, "balance");
            assertEq(token.balanceOf(address(reserve)), amount, "collateral in reserve");
            assertGe(reserve.totalValue(), minter.liabilities(), "reserve >= liabilities");
        } catch (bytes memory err) {
            // Only a fee eating a sub-unit value may refuse, and it must say so.
            assertEq(err, abi.encodeWithSelector(IAIDMinter.ZeroAmount.selector), "unexpected revert");
            assertLt(value * (BPS - feeBps), BPS, "refused a mint worth more than its fee");
            assertEq(token.balanceOf(alice), amount, "collateral kept");
        }
    }

    function testFuzz_mint_normalisesAnyDecimals(uint8 decimals, uint256 amount, uint256 feeBps) public {
        _checkMint(uint8(bound(decimals, 0, 18)), amount, feeBps);
    }

    function testFuzz_mint_usdc6Decimals(uint256 amount, uint256 feeBps) public {
        _checkMint(6, amount, feeBps);
    }

    function testFuzz_mint_8Decimals(uint256 amount, uint256 feeBps) public {
        _checkMint(8, amount, feeBps);
    }

    function testFuzz_mint_18Decimals(uint256 amount, uint256 feeBps) public {
        _checkMint(18, amount, feeBps);
    }

    function testFuzz_setAsset_decimalsAbove18_reverts(uint8 decimals) public {
        decimals = uint8(bound(decimals, 19, type(uint8).max));
        MockERC20 token = new MockERC20("Wide", "WIDE", decimals);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.UnsupportedDecimals.selector, decimals));
        vm.prank(admin);
        minter.setAsset(address(token), address(usdcFeed), true, 0, 0, HEARTBEAT);
        assertEq(minter.assetConfig(address(token)).feed, address(0), "not configured");
    }

    // ================================================================ redeem: rounding against the caller

    function _checkRedeem(uint8 decimals, uint256 amount, uint256 redeemAid, uint256 mintFee, uint256 redeemFee)
        internal
    {
        mintFee = bound(mintFee, 0, minter.MAX_FEE_BPS());
        redeemFee = bound(redeemFee, 0, minter.MAX_FEE_BPS());
        (MockERC20 token,) = _asset(decimals, uint16(mintFee), uint16(redeemFee));
        uint256 scale = 10 ** (18 - decimals);
        amount = bound(amount, 10 ** decimals, MAX_UNITS * 10 ** decimals); // at least one whole token
        uint256 minted = _mintWith(token, alice, amount);
        redeemAid = bound(redeemAid, 1, minted);

        vm.startPrank(alice);
        aid.approve(address(minter), redeemAid);
        try minter.requestRedeem(address(token), redeemAid, 0, bob) returns (uint256 id) {
            vm.stopPrank();
            uint256 owed = minter.redeemRequest(id).assetAmount;
            uint256 feeUp = _feeUp(redeemAid, redeemFee);
            assertLe(owed * scale, redeemAid - feeUp, "pays more than AID burnt minus fee");
            assertGt((owed + 1) * scale, redeemAid - feeUp, "rounded down by more than one unit");
            assertEq(aid.balanceOf(alice), minted - redeemAid, "burnt");
            vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
            assertEq(minter.claimRedeem(id), owed, "paid what was owed");
            assertEq(token.balanceOf(bob), owed, "receiver");
            assertLe(owed, amount, "round trip never profits");
            assertGe(reserve.totalValue(), minter.liabilities(), "reserve >= liabilities");
            assertEq(minter.pendingRedemptions(), 0, "pending settled");
        } catch (bytes memory err) {
            vm.stopPrank();
            assertEq(err, abi.encodeWithSelector(IAIDMinter.ZeroAmount.selector), "unexpected revert");
            assertLt(redeemAid - _feeUp(redeemAid, redeemFee), scale, "refused a payable redemption");
            assertEq(aid.balanceOf(alice), minted, "AID kept");
        }
    }

    function _feeUp(uint256 value, uint256 feeBps) internal pure returns (uint256) {
        return (value * feeBps + BPS - 1) / BPS;
    }

    function testFuzz_redeem_roundsAgainstCallerAnyDecimals(
        uint8 decimals,
        uint256 amount,
        uint256 redeemAid,
        uint256 mintFee,
        uint256 redeemFee
    ) public {
        _checkRedeem(uint8(bound(decimals, 0, 18)), amount, redeemAid, mintFee, redeemFee);
    }

    function testFuzz_redeem_usdc6Decimals(uint256 amount, uint256 redeemAid, uint256 redeemFee) public {
        _checkRedeem(6, amount, redeemAid, 0, redeemFee);
    }

    function testFuzz_redeem_8Decimals(uint256 amount, uint256 redeemAid, uint256 redeemFee) public {
        _checkRedeem(8, amount, redeemAid, 0, redeemFee);
    }

    function testFuzz_redeem_18Decimals(uint256 amount, uint256 redeemAid, uint256 redeemFee) public {
        _checkRedeem(18, amount, redeemAid, 0, redeemFee);
    }

    /// @dev Mint in one asset, redeem all of it in another of different decimals: never more value out than in.
    function testFuzz_roundTrip_crossDecimalsNeverProfits(uint256 amount, uint256 mintFee, uint256 redeemFee) public {
        mintFee = bound(mintFee, 0, 50);
        redeemFee = bound(redeemFee, 0, 50);
        (MockERC20 eight,) = _asset(8, uint16(mintFee), 0);
        (MockERC20 wad,) = _asset(18, 0, uint16(redeemFee));
        amount = bound(amount, 1e8, MAX_UNITS * 1e8);
        _setRedeemDelay(0);
        wad.mint(address(reserve), amount * 1e10); // liquidity in the other asset (a donation: surplus)
        uint256 minted = _mintWith(eight, alice, amount);
        uint256 id = _redeemWith(wad, alice, minted);
        assertTrue(minter.redeemRequest(id).claimed, "settled at once");
        assertLe(wad.balanceOf(alice), amount * 1e10, "value out <= value in");
        assertEq(aid.balanceOf(alice), 0);
    }

    // ================================================================ fee bounds

    function testFuzz_setAsset_feeBounds(uint16 mintFeeBps, uint16 redeemFeeBps) public {
        uint256 max = minter.MAX_FEE_BPS();
        if (mintFeeBps > max) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.FeeTooHigh.selector, mintFeeBps));
        } else if (redeemFeeBps > max) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.FeeTooHigh.selector, redeemFeeBps));
        }
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, mintFeeBps, redeemFeeBps, HEARTBEAT);
        IAIDMinter.AssetConfig memory c = minter.assetConfig(address(usdc));
        bool ok = mintFeeBps <= max && redeemFeeBps <= max;
        assertEq(c.mintFeeBps, ok ? mintFeeBps : 0, "mint fee");
        assertEq(c.redeemFeeBps, ok ? redeemFeeBps : 0, "redeem fee");
    }

    function testFuzz_setRedeemDelay_bounds(uint256 delay) public {
        delay = bound(delay, 0, 30 days);
        if (delay > minter.MAX_REDEEM_DELAY()) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.RedeemDelayTooLong.selector, delay));
        }
        vm.prank(admin);
        minter.setRedeemDelay(delay);
        assertEq(minter.redeemDelay(), delay <= 7 days ? delay : DEFAULT_REDEEM_DELAY);
    }

    function testFuzz_setAsset_heartbeatBounds(uint32 heartbeat) public {
        bool ok = heartbeat != 0 && heartbeat <= minter.MAX_HEARTBEAT();
        if (!ok) vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidHeartbeat.selector, heartbeat));
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, heartbeat);
        assertEq(minter.assetConfig(address(usdc)).heartbeat, ok ? heartbeat : HEARTBEAT);
    }

    // ================================================================ caps across blocks

    /// @dev Random mints in two assets over random steps (same second / next second): each asset's and the global
    ///      per-second total never exceeds its cap, and a mint is refused exactly when it would.
    function testFuzz_mintCaps_holdAcrossBlocks(uint256[12] memory amounts, uint256 assetMask, uint256 stepMask)
        public
    {
        uint256 assetCap = 1000e18;
        uint256 globalCap = 1500e18;
        vm.startPrank(admin);
        minter.setAssetCaps(address(usdc), assetCap, assetCap);
        minter.setAssetCaps(address(usdt), assetCap, assetCap);
        minter.setGlobalCaps(globalCap, globalCap);
        vm.stopPrank();

        uint256[2] memory used;
        uint256 usedGlobal;
        for (uint256 i; i < amounts.length; ++i) {
            if ((stepMask >> i) & 1 == 1) {
                _warpFresh(1);
                (used[0], used[1], usedGlobal) = (0, 0, 0);
            } else {
                vm.roll(block.number + 1); // a new block in the same second: same window
            }
            uint256 k = (assetMask >> i) & 1;
            MockERC20 token = k == 0 ? usdc : usdt;
            uint256 units = bound(amounts[i], 1, 1200) * USDC_UNIT;
            uint256 v = units * SCALE;
            _fund(token, alice, units);
            if (used[k] + v > assetCap) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IAIDMinter.AssetBlockCapExceeded.selector, address(token), v, assetCap - used[k]
                    )
                );
            } else if (usedGlobal + v > globalCap) {
                vm.expectRevert(
                    abi.encodeWithSelector(IAIDMinter.GlobalBlockCapExceeded.selector, v, globalCap - usedGlobal)
                );
            } else {
                used[k] += v;
                usedGlobal += v;
            }
            vm.prank(alice);
            minter.mint(address(token), units, 0, alice);
            assertLe(used[k], assetCap, "asset cap");
            assertLe(usedGlobal, globalCap, "global cap");
            (uint256 mintable,) = minter.remainingBlockCaps(address(token));
            uint256 left = assetCap - used[k] < globalCap - usedGlobal ? assetCap - used[k] : globalCap - usedGlobal;
            assertEq(mintable, left, "remaining view");
        }
        assertEq(aid.totalSupply(), minter.outstanding(), "supply accounting");
    }

    function testFuzz_redeemCaps_holdAcrossBlocks(uint256[12] memory amounts, uint256 stepMask) public {
        uint256 cap = 500e18;
        vm.prank(admin);
        minter.setAssetCaps(address(usdc), ASSET_MINT_CAP, cap);
        _mintWith(usdc, alice, 1_000_000 * USDC_UNIT);
        vm.prank(alice);
        aid.approve(address(minter), type(uint256).max);

        uint256 used;
        for (uint256 i; i < amounts.length; ++i) {
            if ((stepMask >> i) & 1 == 1) {
                _warpFresh(1);
                used = 0;
            } else {
                vm.roll(block.number + 1);
            }
            uint256 v = bound(amounts[i], 1, 600) * 1e18;
            if (used + v > cap) {
                vm.expectRevert(
                    abi.encodeWithSelector(IAIDMinter.AssetBlockCapExceeded.selector, address(usdc), v, cap - used)
                );
            } else {
                used += v;
            }
            vm.prank(alice);
            minter.requestRedeem(address(usdc), v, 0, alice);
            assertLe(used, cap, "redeem cap");
            (, uint256 redeemable) = minter.remainingBlockCaps(address(usdc));
            assertEq(redeemable, cap - used, "remaining view");
        }
    }

    function testFuzz_supplyCap_neverExceeded(uint256 supplyCap, uint256[6] memory amounts) public {
        supplyCap = bound(supplyCap, 1e18, 5_000_000e18);
        vm.prank(admin);
        minter.setSupplyCap(supplyCap);
        for (uint256 i; i < amounts.length; ++i) {
            uint256 units = bound(amounts[i], 1, 2_000_000) * USDC_UNIT;
            _fund(usdc, bob, units);
            uint256 next = minter.outstanding() + units * SCALE;
            if (next > supplyCap) {
                vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SupplyCapExceeded.selector, next, supplyCap));
            }
            vm.prank(bob);
            minter.mint(address(usdc), units, 0, bob);
            assertLe(aid.totalSupply(), supplyCap, "supply cap");
            _nextBlock();
        }
    }

    // ================================================================ depeg guard and staleness

    function testFuzz_depegGuard_mintAndRedeemBands(int256 price) public {
        price = bound(price, -1e8, 2e8);
        _mintWith(usdc, alice, 10 * USDC_UNIT); // at 1.00
        usdcFeed.setAnswer(int192(price));
        _fund(usdc, alice, USDC_UNIT);

        if (price <= 0) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidPrice.selector, address(usdc), price));
        } else if (price < 0.995e8) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdc), price));
        }
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);

        vm.prank(alice);
        aid.approve(address(minter), 1e18);
        if (price <= 0) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.InvalidPrice.selector, address(usdc), price));
        } else if (price > 1.005e8) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdc), price));
        }
        vm.prank(alice);
        minter.requestRedeem(address(usdc), 1e18, 0, alice);

        uint256 mints = price >= 0.995e8 ? 11 : 10;
        uint256 redeemed = price > 0 && price <= 1.005e8 ? 1 : 0;
        assertEq(aid.balanceOf(alice), (mints - redeemed) * 1e18, "only in-band calls went through");
    }

    function testFuzz_staleness_bound(uint256 age, uint32 heartbeat) public {
        heartbeat = uint32(bound(heartbeat, 1, minter.MAX_HEARTBEAT()));
        age = bound(age, 0, 2 * uint256(heartbeat) + 1);
        vm.prank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 0, 0, heartbeat);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + age);
        _fund(usdc, alice, USDC_UNIT);
        if (age > heartbeat) {
            vm.expectRevert(abi.encodeWithSelector(IAIDMinter.StalePrice.selector, address(usdc), updatedAt));
        }
        vm.prank(alice);
        minter.mint(address(usdc), USDC_UNIT, 0, alice);
        assertEq(aid.balanceOf(alice), age > heartbeat ? 0 : USDC_UNIT * SCALE);
    }

    // ================================================================ harvest keeps the backing

    function testFuzz_harvest_neverBreaksBacking(
        uint256 amount,
        uint256 mintFee,
        uint256 donation,
        uint256 investBps,
        uint256 dt,
        uint256 marginBps,
        uint256 harvestFeeBps
    ) public {
        amount = bound(amount, 1, 10_000_000) * USDC_UNIT;
        _setFees(usdc, usdcFeed, uint16(bound(mintFee, 0, 50)), 0);
        vm.startPrank(admin);
        reserve.setSafetyMargin(bound(marginBps, 0, reserve.MAX_SAFETY_MARGIN_BPS()));
        reserve.setHarvestFee(bound(harvestFeeBps, 0, reserve.MAX_HARVEST_FEE_BPS()), makeAddr("feeReceiver"));
        vm.stopPrank();
        _mintWith(usdc, alice, amount);
        _seedStake(alice, 0.5e18); // sAID needs stakers to take rewards
        usdc.mint(address(reserve), bound(donation, 0, amount));
        uint256 toInvest = amount * bound(investBps, 0, 9000) / BPS;
        if (toInvest != 0) _invest(toInvest);
        _warpFresh(bound(dt, 0, 3 * 365 days));

        uint256 s = reserve.surplus();
        uint256 supplyBefore = aid.totalSupply();
        if (s == 0) vm.expectRevert(IAIDReserve.NoSurplus.selector);
        vm.prank(harvester);
        reserve.harvest();
        assertEq(aid.totalSupply(), supplyBefore + s, "minted exactly the surplus");
        assertGe(reserve.totalValue(), minter.liabilities(), "reserve >= liabilities after harvest");
        assertGe(reserve.totalValue(), aid.totalSupply(), "reserve >= AID supply after harvest");
    }

    // ================================================================ deny list: held payouts and re-points

    /// @dev Whatever the amounts, the order of claims and which receivers are deny-listed meanwhile, held payouts stay
    ///      funded and owed, every other request is paid in full, and releasing or clearing pays each held one once.
    function testFuzz_heldPayouts_neverBlockQueueAndPayOnce(uint256[4] memory amounts, uint8 deniedMask, uint256 seed)
        public
    {
        address[4] memory receivers = [carol, makeAddr("r1"), makeAddr("r2"), makeAddr("r3")];
        uint256 total;
        uint256[4] memory ids;
        _mintWith(usdc, alice, 40_000 * USDC_UNIT);
        for (uint256 i; i < 4; ++i) {
            amounts[i] = bound(amounts[i], 1, 10_000) * USDC_UNIT;
            ids[i] = _redeemTo(usdc, alice, amounts[i] * SCALE, receivers[i]);
            total += amounts[i];
        }
        for (uint256 i; i < 4; ++i) {
            if (deniedMask & (1 << i) != 0) _deny(receivers[i], true);
        }
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        uint256 heldTotal;
        for (uint256 k; k < 4; ++k) {
            uint256 i = (seed % 4 + k) % 4; // any claim order
            uint256 paid = minter.claimRedeem(ids[i]);
            bool denied = deniedMask & (1 << i) != 0;
            assertEq(paid, denied ? 0 : amounts[i], "paid in full unless held");
            assertEq(usdc.balanceOf(receivers[i]), paid, "receiver got the payout");
            if (denied) heldTotal += amounts[i];
        }
        assertEq(minter.earmarked(address(usdc)), heldTotal, "held payouts stay earmarked");
        assertEq(minter.pendingRedemptions(), heldTotal * SCALE, "held payouts stay owed");
        assertGe(reserve.totalValue(), minter.liabilities(), "reserve covers liabilities");

        for (uint256 i; i < 4; ++i) {
            if (deniedMask & (1 << i) == 0) continue;
            if ((seed >> (8 + i)) % 2 == 0) {
                _deny(receivers[i], false);
                assertEq(minter.claimRedeem(ids[i]), amounts[i], "paid once cleared");
            } else {
                vm.prank(admin);
                assertEq(minter.releaseHeld(ids[i], bob), amounts[i], "released by the admin");
            }
        }
        assertEq(minter.earmarked(address(usdc)), 0, "nothing left earmarked");
        assertEq(minter.pendingRedemptions(), 0, "nothing left owed");
        assertEq(usdc.balanceOf(address(reserve)), 40_000 * USDC_UNIT - total, "reserve paid exactly the requests");
    }
}
