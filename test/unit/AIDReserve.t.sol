// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {AIDMinter} from "../../src/mint/AIDMinter.sol";
import {AIDReserve} from "../../src/reserve/AIDReserve.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {EntryFeeTBillVault} from "../mocks/EntryFeeTBillVault.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockRewardsReceiver} from "../mocks/MockRewardsReceiver.sol";
import {MockTBillVault} from "../mocks/MockTBillVault.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/// @notice Unit tests of {AIDReserve}: buffer and T-bill sleeve, harvest, every custom error, role gating.
contract AIDReserveTest is MinterTestBase {
    address internal feeReceiver = makeAddr("feeReceiver");

    /// @dev What `surplus()` must be: value above liabilities × (1 + margin), liabilities rounded up.
    function _expectedSurplus() internal view returns (uint256) {
        uint256 covered = (minter.liabilities() * (BPS + reserve.safetyMarginBps()) + BPS - 1) / BPS;
        uint256 value = reserve.totalValue();
        return value > covered ? value - covered : 0;
    }

    function _unauthorized(address who, bytes32 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role);
    }

    // ================================================================ constructor and defaults

    function test_constructor_defaults() public {
        AIDReserve fresh = new AIDReserve(admin);
        assertEq(fresh.defaultAdmin(), admin);
        assertEq(fresh.defaultAdminDelay(), fresh.ADMIN_TRANSFER_DELAY());
        assertEq(fresh.minter(), address(0));
        assertEq(fresh.tbillVault(), address(0));
        assertEq(fresh.yieldReceiver(), address(0));
        assertEq(fresh.harvestFeeBps(), 0);
        assertEq(fresh.bufferTargetBps(), 1000, "10% buffer target");
        assertEq(fresh.safetyMarginBps(), 50, "0.5% safety margin");
        assertEq(fresh.MIN_BUFFER_BPS(), 500, "5% floor");
    }

    function test_constructor_zeroAdmin_reverts() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, address(0)
            )
        );
        new AIDReserve(address(0));
    }

    // ================================================================ setMinter

    function test_setMinter_setsOnceAndEmits() public {
        AIDReserve fresh = new AIDReserve(admin);
        vm.expectEmit(address(fresh));
        emit IAIDReserve.MinterSet(address(minter));
        vm.prank(admin);
        fresh.setMinter(address(minter));
        assertEq(fresh.minter(), address(minter));
    }

    function test_setMinter_revertsWhen_alreadySet() public {
        vm.expectRevert(IAIDReserve.MinterAlreadySet.selector);
        vm.prank(admin);
        reserve.setMinter(alice);
        assertEq(reserve.minter(), address(minter), "unchanged");
    }

    function test_setMinter_revertsWhen_zero() public {
        AIDReserve fresh = new AIDReserve(admin);
        vm.expectRevert(IAIDReserve.ZeroAddress.selector);
        vm.prank(admin);
        fresh.setMinter(address(0));
    }

    function test_setMinter_onlyAdmin() public {
        AIDReserve fresh = new AIDReserve(admin);
        bytes32 role = fresh.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(attacker, role));
        vm.prank(attacker);
        fresh.setMinter(attacker);
        assertEq(fresh.minter(), address(0));
    }

    function test_views_revertWhen_minterNotSet() public {
        AIDReserve fresh = new AIDReserve(admin);
        vm.expectRevert(IAIDReserve.MinterNotSet.selector);
        fresh.liquidValue();
        vm.expectRevert(IAIDReserve.MinterNotSet.selector);
        fresh.totalValue();
        vm.expectRevert(IAIDReserve.MinterNotSet.selector);
        fresh.surplus();
        assertEq(fresh.tbillValue(), 0, "no vault: zero without a minter");
    }

    // ================================================================ release

    function test_release_onlyMinter() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        vm.expectRevert(IAIDReserve.OnlyMinter.selector);
        vm.prank(admin);
        reserve.release(address(usdc), admin, 1);
        assertEq(usdc.balanceOf(address(reserve)), 10 * USDC_UNIT);
    }

    function test_release_paysAndEmits() public {
        _mintWith(usdc, alice, 10 * USDC_UNIT);
        vm.expectEmit(address(reserve));
        emit IAIDReserve.Released(address(usdc), carol, 3 * USDC_UNIT);
        vm.prank(address(minter));
        reserve.release(address(usdc), carol, 3 * USDC_UNIT);
        assertEq(usdc.balanceOf(carol), 3 * USDC_UNIT);
        assertEq(usdc.balanceOf(address(reserve)), 7 * USDC_UNIT);
    }

    // ================================================================ invest

    function test_invest_movesBufferToTBills() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 expectedShares = tbill.previewDeposit(600 * USDC_UNIT);
        vm.expectEmit(address(reserve));
        emit IAIDReserve.Invested(600 * USDC_UNIT, expectedShares);
        uint256 shares = _invest(600 * USDC_UNIT);
        assertEq(shares, expectedShares, "shares");
        assertEq(tbill.balanceOf(address(reserve)), shares, "shares held by the reserve");
        assertEq(reserve.liquidValue(), 400e18, "liquid");
        assertEq(reserve.tbillValue(), 600e18, "tbill");
        assertEq(reserve.totalValue(), 1000e18, "value conserved");
        assertEq(usdc.allowance(address(reserve), address(tbill)), 0, "no dangling allowance");
    }

    function test_invest_upToBufferTarget() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(900 * USDC_UNIT); // leaves exactly 10% of liabilities
        assertEq(reserve.liquidValue(), minter.liabilities() * reserve.bufferTargetBps() / BPS);
    }

    function test_invest_revertsWhen_belowBufferTarget() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.BufferBelowTarget.selector, 99e18, 100e18));
        vm.prank(reserveManager);
        reserve.invest(901 * USDC_UNIT);
        assertEq(reserve.tbillValue(), 0, "nothing invested");
    }

    function test_invest_bufferCountsEveryAssetAndPendingRedemptions() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _mintWith(usdt, alice, 100 * USDC_UNIT);
        _redeemWith(usdc, alice, 100e18); // pending stays a liability until paid
        assertEq(minter.liabilities(), 1100e18);
        // Target 10% of 1100 = 110: USDT counts towards the buffer, so 990 of the 1000 USDC can go.
        _invest(990 * USDC_UNIT);
        assertEq(reserve.liquidValue(), 110e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.BufferBelowTarget.selector, 109e18, 110e18));
        vm.prank(reserveManager);
        reserve.invest(USDC_UNIT);
    }

    function test_invest_revertsWhen_earmarked() public {
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        _mintWith(usdc, bob, 100 * USDC_UNIT);
        uint256 first = _redeemWith(usdc, alice, 100e18);
        _setRedeemDelay(0);
        _redeemWith(usdc, bob, 20e18); // settles at once and earmarks the first request's 100
        assertEq(minter.earmarked(address(usdc)), 100 * USDC_UNIT);
        assertFalse(minter.redeemRequest(first).claimed);
        uint256 minBuffer = reserve.MIN_BUFFER_BPS();
        vm.prank(admin);
        reserve.setBufferTarget(minBuffer);
        // 180 USDC held, 100 earmarked: 80 free.
        vm.expectRevert(
            abi.encodeWithSelector(IAIDReserve.EarmarkedFundsLocked.selector, 80 * USDC_UNIT, 81 * USDC_UNIT)
        );
        vm.prank(reserveManager);
        reserve.invest(81 * USDC_UNIT);
        _invest(80 * USDC_UNIT);
        assertEq(usdc.balanceOf(address(reserve)), minter.earmarked(address(usdc)), "earmark intact");
    }

    /// @dev Once a year of interest makes a share worth more than one unit, a one-unit deposit buys no share.
    function test_invest_revertsWhen_depositBuysNoShare() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _invest(100 * USDC_UNIT);
        vm.warp(block.timestamp + 365 days);
        assertEq(tbill.previewDeposit(1), 0, "one unit buys no share");
        vm.expectRevert(IAIDReserve.ZeroAmount.selector);
        vm.prank(reserveManager);
        reserve.invest(1);
        assertEq(usdc.balanceOf(address(reserve)), 900 * USDC_UNIT, "nothing lost");
    }

    /// @dev A fund that charges a subscription fee (or rounds against the depositor) must not eat into the backing.
    function test_invest_revertsWhen_valueWouldFallBelowLiabilities() public {
        EntryFeeTBillVault feeVault = new EntryFeeTBillVault(usdc, 100, makeAddr("fundManager"));
        vm.prank(admin);
        reserve.setTBillVault(address(feeVault));
        _mintWith(usdc, alice, 1000 * USDC_UNIT); // no mint fee: value == liabilities
        uint256 amount = 500 * USDC_UNIT;
        uint256 valueAfter = (1000 * USDC_UNIT - amount + feeVault.previewDeposit(amount)) * SCALE; // 1% lost
        assertLt(valueAfter, minter.liabilities());
        vm.expectRevert(
            abi.encodeWithSelector(IAIDReserve.ReserveBelowLiabilities.selector, valueAfter, minter.liabilities())
        );
        vm.prank(reserveManager);
        reserve.invest(amount);
        assertEq(reserve.totalValue(), minter.liabilities(), "still fully backed");

        usdc.mint(address(reserve), 10 * USDC_UNIT); // with surplus to absorb the fee it may invest
        _invest(amount);
        assertGe(reserve.totalValue(), minter.liabilities(), "backed after investing");
    }

    function test_invest_revertsWhen_zero() public {
        vm.expectRevert(IAIDReserve.ZeroAmount.selector);
        vm.prank(reserveManager);
        reserve.invest(0);
    }

    function test_invest_revertsWhen_noVault() public {
        vm.prank(admin);
        reserve.setTBillVault(address(0));
        vm.expectRevert(IAIDReserve.TBillNotSet.selector);
        vm.prank(reserveManager);
        reserve.invest(1);
    }

    function test_invest_onlyReserveManager() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        bytes32 role = reserve.RESERVE_MANAGER_ROLE();
        vm.expectRevert(_unauthorized(admin, role));
        vm.prank(admin);
        reserve.invest(USDC_UNIT);
        assertEq(reserve.tbillValue(), 0);
    }

    // ================================================================ divest

    function test_divest_returnsPrincipalAndInterest() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 shares = _invest(900 * USDC_UNIT);
        vm.warp(block.timestamp + 365 days);
        uint256 expected = tbill.previewRedeem(shares);
        assertGt(expected, 900 * USDC_UNIT, "accrued");
        vm.expectEmit(address(reserve));
        emit IAIDReserve.Divested(shares, expected);
        uint256 assets = _divest(shares);
        assertEq(assets, expected, "assets");
        assertEq(usdc.balanceOf(address(reserve)), 100 * USDC_UNIT + expected, "back in the buffer");
        assertEq(reserve.tbillValue(), 0);
    }

    function test_divest_revertsWhen_zero() public {
        vm.expectRevert(IAIDReserve.ZeroAmount.selector);
        vm.prank(reserveManager);
        reserve.divest(0);
    }

    function test_divest_revertsWhen_noVault() public {
        vm.prank(admin);
        reserve.setTBillVault(address(0));
        vm.expectRevert(IAIDReserve.TBillNotSet.selector);
        vm.prank(reserveManager);
        reserve.divest(1);
    }

    function test_divest_onlyReserveManager() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 shares = _invest(500 * USDC_UNIT);
        bytes32 role = reserve.RESERVE_MANAGER_ROLE();
        vm.expectRevert(_unauthorized(harvester, role));
        vm.prank(harvester);
        reserve.divest(shares);
        assertEq(tbill.balanceOf(address(reserve)), shares);
    }

    // ================================================================ harvest

    uint256 internal constant SEED = 1e18; // [AID] staked into sAID before a harvest

    function test_harvest_revertsWhen_sAIDHasNoStakers() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        usdc.mint(address(reserve), 7 * USDC_UNIT);
        uint256 surplusBefore = reserve.surplus();
        uint256 supplyBefore = aid.totalSupply();
        vm.expectRevert(IStakedAID.NoStakers.selector);
        vm.prank(harvester);
        reserve.harvest();
        assertEq(reserve.surplus(), surplusBefore, "surplus stays in the reserve");
        assertEq(aid.totalSupply(), supplyBefore, "nothing minted");
    }

    function test_harvest_mintsSurplusToYieldReceiver() public {
        _setFees(usdc, usdcFeed, 50, 0);
        _mintWith(usdc, alice, 1_000_000 * USDC_UNIT);
        _seedStake(alice, SEED); // sAID needs stakers to take rewards
        uint256 expected = _expectedSurplus();
        assertGt(expected, 0, "mint fee left a surplus");
        assertEq(reserve.surplus(), expected, "surplus view");
        uint256 supplyBefore = aid.totalSupply();

        vm.expectEmit(address(reserve));
        emit IAIDReserve.Harvested(expected, expected, 0);
        vm.prank(harvester);
        uint256 harvested = reserve.harvest();

        assertEq(harvested, expected, "return");
        assertEq(aid.balanceOf(yieldReceiver) - SEED, expected, "to sAID");
        assertEq(aid.totalSupply(), supplyBefore + expected, "supply");
        assertEq(minter.outstanding(), aid.totalSupply(), "outstanding counts yield");
        assertGe(reserve.totalValue(), minter.liabilities(), "still fully backed");
        assertEq(reserve.surplus(), 0, "nothing left to harvest");
    }

    function test_harvest_keepsSafetyMargin() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _seedStake(alice, SEED); // sAID needs stakers to take rewards
        uint256 margin = minter.liabilities() * reserve.safetyMarginBps() / BPS; // 5 USDC on 1000
        usdc.mint(address(reserve), margin / SCALE); // a donation that only fills the margin
        assertEq(reserve.surplus(), 0, "margin is not surplus");
        vm.expectRevert(IAIDReserve.NoSurplus.selector);
        vm.prank(harvester);
        reserve.harvest();

        usdc.mint(address(reserve), 1); // one unit above the margin
        assertEq(reserve.surplus(), SCALE, "only what exceeds the margin");
        vm.prank(harvester);
        assertEq(reserve.harvest(), SCALE);
        assertGe(reserve.totalValue(), minter.liabilities() + margin, "margin kept");
    }

    function test_harvest_withZeroMargin() public {
        vm.startPrank(admin);
        reserve.setSafetyMargin(0);
        reserve.setBufferTarget(reserve.MIN_BUFFER_BPS());
        vm.stopPrank();
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _seedStake(alice, SEED); // sAID needs stakers to take rewards
        usdc.mint(address(reserve), 7 * USDC_UNIT);
        vm.prank(harvester);
        assertEq(reserve.harvest(), 7e18);
        assertEq(reserve.totalValue(), minter.liabilities(), "exactly backed");
    }

    function test_harvest_splitsFee() public {
        vm.prank(admin);
        reserve.setHarvestFee(1000, feeReceiver); // 10%
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _seedStake(alice, SEED); // sAID needs stakers to take rewards
        usdc.mint(address(reserve), 100 * USDC_UNIT);
        uint256 s = _expectedSurplus();
        uint256 fee = s * 1000 / BPS;
        vm.expectEmit(address(reserve));
        emit IAIDReserve.Harvested(s, s - fee, fee);
        vm.prank(harvester);
        reserve.harvest();
        assertEq(aid.balanceOf(feeReceiver), fee, "fee");
        assertEq(aid.balanceOf(yieldReceiver) - SEED, s - fee, "yield");
        assertGt(fee, 0);
    }

    function test_harvest_surplusAfterTBillAccrual() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        _seedStake(alice, SEED); // sAID needs stakers to take rewards
        _invest(900 * USDC_UNIT);
        assertEq(reserve.surplus(), 0, "no surplus yet");
        vm.warp(block.timestamp + 365 days);
        uint256 interest = 900 * USDC_UNIT * TBILL_APY_BPS / BPS; // simple interest over one year
        assertApproxEqAbs(reserve.tbillValue(), (900 * USDC_UNIT + interest) * SCALE, SCALE, "accrued");
        uint256 s = _expectedSurplus();
        assertEq(reserve.surplus(), s);
        assertApproxEqAbs(s, interest * SCALE - minter.liabilities() * reserve.safetyMarginBps() / BPS, SCALE);
        vm.prank(harvester);
        reserve.harvest();
        assertEq(aid.balanceOf(yieldReceiver) - SEED, s);
        assertGe(reserve.totalValue(), minter.liabilities(), "backed after harvest");
    }

    function test_harvest_toConfiguredReceiver() public {
        address newReceiver = address(new MockRewardsReceiver(address(aid)));
        vm.expectEmit(address(reserve));
        emit IAIDReserve.YieldReceiverSet(newReceiver);
        vm.prank(admin);
        reserve.setYieldReceiver(newReceiver);
        assertEq(reserve.yieldReceiver(), newReceiver);
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        usdc.mint(address(reserve), 10 * USDC_UNIT);
        vm.prank(harvester);
        uint256 s = reserve.harvest();
        assertEq(aid.balanceOf(newReceiver), s, "new receiver paid");
        assertEq(MockRewardsReceiver(newReceiver).received(), s, "through its rewards entry point");
        assertEq(aid.balanceOf(yieldReceiver), 0, "old receiver not");
    }

    function test_harvest_revertsWhen_noSurplus() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        vm.expectRevert(IAIDReserve.NoSurplus.selector);
        vm.prank(harvester);
        reserve.harvest();
        assertEq(aid.balanceOf(yieldReceiver), 0);
    }

    function test_harvest_revertsWhen_yieldReceiverUnset() public {
        AIDReserve fresh = new AIDReserve(admin);
        AIDMinter m = new AIDMinter(IAID(address(aid)), address(fresh), admin);
        vm.startPrank(admin);
        fresh.setMinter(address(m));
        fresh.grantRole(fresh.HARVESTER_ROLE(), harvester);
        vm.stopPrank();
        usdc.mint(address(fresh), 10 * USDC_UNIT);
        vm.expectRevert(IAIDReserve.ZeroAddress.selector);
        vm.prank(harvester);
        fresh.harvest();
    }

    function test_harvest_revertsWhen_minterNotSet() public {
        AIDReserve fresh = new AIDReserve(admin);
        vm.startPrank(admin);
        fresh.setYieldReceiver(yieldReceiver);
        fresh.grantRole(fresh.HARVESTER_ROLE(), harvester);
        vm.stopPrank();
        vm.expectRevert(IAIDReserve.MinterNotSet.selector);
        vm.prank(harvester);
        fresh.harvest();
    }

    function test_harvest_revertsWhen_minterPaused() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        usdc.mint(address(reserve), 10 * USDC_UNIT);
        vm.prank(gatekeeper);
        minter.pause();
        vm.expectRevert(IAIDMinter.EnforcedPause.selector);
        vm.prank(harvester);
        reserve.harvest();
    }

    function test_harvest_revertsWhen_supplyCapReached() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        vm.prank(admin);
        minter.setSupplyCap(1000e18);
        usdc.mint(address(reserve), 10 * USDC_UNIT);
        uint256 s = _expectedSurplus();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SupplyCapExceeded.selector, 1000e18 + s, 1000e18));
        vm.prank(harvester);
        reserve.harvest();
    }

    function test_harvest_onlyHarvester() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        usdc.mint(address(reserve), 10 * USDC_UNIT);
        bytes32 role = reserve.HARVESTER_ROLE();
        vm.expectRevert(_unauthorized(reserveManager, role));
        vm.prank(reserveManager);
        reserve.harvest();
        assertEq(aid.balanceOf(yieldReceiver), 0);
    }

    // ================================================================ setTBillVault

    function test_setTBillVault_setsAndEmits() public {
        MockTBillVault v2 = new MockTBillVault(usdt, 400);
        vm.expectEmit(address(reserve));
        emit IAIDReserve.TBillVaultSet(address(v2));
        vm.prank(admin);
        reserve.setTBillVault(address(v2));
        assertEq(reserve.tbillVault(), address(v2));
    }

    function test_setTBillVault_revertsWhen_positionOpen() public {
        _mintWith(usdc, alice, 1000 * USDC_UNIT);
        uint256 shares = _invest(500 * USDC_UNIT);
        MockTBillVault v2 = new MockTBillVault(usdc, 400);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.TBillPositionOpen.selector, shares));
        vm.prank(admin);
        reserve.setTBillVault(address(v2));
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.TBillPositionOpen.selector, shares));
        vm.prank(admin);
        reserve.setTBillVault(address(0));
        assertEq(reserve.tbillVault(), address(tbill), "unchanged");

        _divest(shares); // close the position, then switch
        vm.prank(admin);
        reserve.setTBillVault(address(v2));
        assertEq(reserve.tbillVault(), address(v2));
    }

    function test_setTBillVault_revertsWhen_assetUnsupported() public {
        MockERC20 other = new MockERC20("Other", "OTH", 6);
        MockTBillVault v2 = new MockTBillVault(other, 400);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.UnsupportedTBillAsset.selector, address(other)));
        vm.prank(admin);
        reserve.setTBillVault(address(v2));
        assertEq(reserve.tbillVault(), address(tbill));
    }

    function test_setTBillVault_revertsWhen_minterNotSet() public {
        AIDReserve fresh = new AIDReserve(admin);
        vm.expectRevert(IAIDReserve.MinterNotSet.selector);
        vm.prank(admin);
        fresh.setTBillVault(address(tbill));
    }

    function test_setTBillVault_unsetMakesTBillValueZero() public {
        vm.prank(admin);
        reserve.setTBillVault(address(0));
        assertEq(reserve.tbillVault(), address(0));
        assertEq(reserve.tbillValue(), 0);
    }

    function test_setTBillVault_onlyAdmin() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(reserveManager, role));
        vm.prank(reserveManager);
        reserve.setTBillVault(address(0));
    }

    // ================================================================ parameters

    function test_setYieldReceiver_revertsWhen_zero() public {
        vm.expectRevert(IAIDReserve.ZeroAddress.selector);
        vm.prank(admin);
        reserve.setYieldReceiver(address(0));
        assertEq(reserve.yieldReceiver(), yieldReceiver);
    }

    function test_setYieldReceiver_onlyAdmin() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(harvester, role));
        vm.prank(harvester);
        reserve.setYieldReceiver(harvester);
    }

    function test_setHarvestFee_setsAndEmits() public {
        uint256 max = reserve.MAX_HARVEST_FEE_BPS();
        vm.expectEmit(address(reserve));
        emit IAIDReserve.HarvestFeeSet(max, feeReceiver);
        vm.prank(admin);
        reserve.setHarvestFee(max, feeReceiver);
        assertEq(reserve.harvestFeeBps(), max);
        assertEq(reserve.feeReceiver(), feeReceiver);
        vm.prank(admin);
        reserve.setHarvestFee(0, address(0)); // no fee needs no receiver
        assertEq(reserve.harvestFeeBps(), 0);
    }

    function test_setHarvestFee_revertsWhen_tooHigh() public {
        uint256 tooHigh = reserve.MAX_HARVEST_FEE_BPS() + 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.InvalidHarvestFee.selector, tooHigh));
        vm.prank(admin);
        reserve.setHarvestFee(tooHigh, feeReceiver);
        assertEq(reserve.harvestFeeBps(), 0);
    }

    function test_setHarvestFee_revertsWhen_feeWithoutReceiver() public {
        vm.expectRevert(IAIDReserve.ZeroAddress.selector);
        vm.prank(admin);
        reserve.setHarvestFee(1, address(0));
    }

    function test_setHarvestFee_onlyAdmin() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(harvester, role));
        vm.prank(harvester);
        reserve.setHarvestFee(100, harvester);
    }

    function test_setBufferTarget_setsBoundsAndEmits() public {
        uint256 min = reserve.MIN_BUFFER_BPS();
        vm.expectEmit(address(reserve));
        emit IAIDReserve.BufferTargetSet(min);
        vm.prank(admin);
        reserve.setBufferTarget(min);
        assertEq(reserve.bufferTargetBps(), min);
        vm.prank(admin);
        reserve.setBufferTarget(BPS);
        assertEq(reserve.bufferTargetBps(), BPS);
        _mintWith(usdc, alice, 100 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.BufferBelowTarget.selector, 99e18, 100e18));
        vm.prank(reserveManager);
        reserve.invest(USDC_UNIT); // a 100% target forbids investing
    }

    function test_setBufferTarget_revertsWhen_belowMin() public {
        uint256 bps = reserve.MIN_BUFFER_BPS() - 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.InvalidBufferTarget.selector, bps));
        vm.prank(admin);
        reserve.setBufferTarget(bps);
        assertEq(reserve.bufferTargetBps(), 1000);
    }

    function test_setBufferTarget_revertsWhen_above100Percent() public {
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.InvalidBufferTarget.selector, BPS + 1));
        vm.prank(admin);
        reserve.setBufferTarget(BPS + 1);
    }

    function test_setBufferTarget_onlyAdmin() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(reserveManager, role));
        vm.prank(reserveManager);
        reserve.setBufferTarget(500);
    }

    function test_setSafetyMargin_setsAndEmits() public {
        uint256 max = reserve.MAX_SAFETY_MARGIN_BPS();
        vm.expectEmit(address(reserve));
        emit IAIDReserve.SafetyMarginSet(max);
        vm.prank(admin);
        reserve.setSafetyMargin(max);
        assertEq(reserve.safetyMarginBps(), max);
    }

    function test_setSafetyMargin_revertsWhen_tooHigh() public {
        uint256 tooHigh = reserve.MAX_SAFETY_MARGIN_BPS() + 1;
        vm.expectRevert(abi.encodeWithSelector(IAIDReserve.InvalidSafetyMargin.selector, tooHigh));
        vm.prank(admin);
        reserve.setSafetyMargin(tooHigh);
        assertEq(reserve.safetyMarginBps(), 50);
    }

    function test_setSafetyMargin_onlyAdmin() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(_unauthorized(harvester, role));
        vm.prank(harvester);
        reserve.setSafetyMargin(0);
    }

    // ================================================================ views

    function test_liquidValue_normalisesEveryAsset() public {
        (MockERC20 dai,) = _addAsset("DAI", 18);
        (MockERC20 wbtcLike,) = _addAsset("EIGHT", 8);
        usdc.mint(address(reserve), 1 * USDC_UNIT);
        usdt.mint(address(reserve), 2 * USDC_UNIT);
        dai.mint(address(reserve), 3e18);
        wbtcLike.mint(address(reserve), 4e8);
        assertEq(reserve.liquidValue(), 10e18);
        assertEq(reserve.totalValue(), 10e18);
    }

    function test_tbillValue_zeroWithoutShares() public view {
        assertEq(reserve.tbillValue(), 0);
    }

    // ================================================================ roles

    function test_admin_twoStepTransfer() public {
        address newAdmin = makeAddr("newAdmin");
        vm.prank(admin);
        reserve.beginDefaultAdminTransfer(newAdmin);
        (, uint48 schedule) = reserve.pendingDefaultAdmin();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule
            )
        );
        vm.prank(newAdmin);
        reserve.acceptDefaultAdminTransfer();
        vm.warp(uint256(schedule) + 1);
        vm.prank(newAdmin);
        reserve.acceptDefaultAdminTransfer();
        assertEq(reserve.defaultAdmin(), newAdmin);
        vm.prank(newAdmin);
        reserve.setSafetyMargin(0);
        assertEq(reserve.safetyMarginBps(), 0);
    }

    function test_admin_cannotRenounceIntoLockout() public {
        bytes32 role = reserve.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, 0)
        );
        vm.prank(admin);
        reserve.renounceRole(role, admin);
        assertEq(reserve.defaultAdmin(), admin);
    }
}
