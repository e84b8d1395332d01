// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {BaseTest} from "../BaseTest.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";
import {MinterHandler} from "./MinterHandler.sol";
import {MinterHandlerBase} from "./MinterHandlerBase.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Invariants of the minter and reserve under many actors (see {MinterHandler}).
contract MinterInvariantsTest is BaseTest {
    uint256 internal constant INV_ASSET_CAP = 50_000e18; // [wad] per second per asset, mint and redeem
    uint256 internal constant INV_GLOBAL_CAP = 80_000e18; // [wad] per second over all assets
    uint256 internal constant HARVEST_FEE_BPS = 1000;

    MinterHandler internal handler;
    address internal dave = makeAddr("dave");
    address internal erin = makeAddr("erin");
    address internal feeReceiver = makeAddr("feeReceiver");

    function setUp() public override {
        super.setUp();
        MockERC20 dai = new MockERC20("Dai", "DAI", 18);
        MockERC20 usd8 = new MockERC20("Eight-decimal dollar", "USD8", 8);
        MockPriceFeed daiFeed = new MockPriceFeed(8, ONE_USD);
        MockPriceFeed usd8Feed = new MockPriceFeed(8, ONE_USD);

        MinterHandlerBase.Core memory c;
        c.aid = aid;
        c.minter = minter;
        c.reserve = reserve;
        c.tbill = tbill;
        c.assets = new MockERC20[](4);
        c.feeds = new MockPriceFeed[](4);
        (c.assets[0], c.assets[1], c.assets[2], c.assets[3]) = (usdc, usdt, dai, usd8);
        (c.feeds[0], c.feeds[1], c.feeds[2], c.feeds[3]) = (usdcFeed, usdtFeed, daiFeed, usd8Feed);
        c.actors = new address[](5);
        (c.actors[0], c.actors[1], c.actors[2], c.actors[3], c.actors[4]) = (alice, bob, dave, erin, carol);
        c.admin = admin;
        c.gatekeeper = gatekeeper;
        c.reserveManager = reserveManager;
        c.harvester = harvester;
        c.denylistManager = denylistManager;
        c.yieldReceiver = yieldReceiver;
        c.feeReceiver = feeReceiver;

        vm.startPrank(admin);
        minter.setAsset(address(usdc), address(usdcFeed), true, 5, 0, HEARTBEAT);
        minter.setAsset(address(usdt), address(usdtFeed), true, 0, 10, HEARTBEAT);
        minter.setAsset(address(dai), address(daiFeed), true, 50, 50, HEARTBEAT);
        minter.setAsset(address(usd8), address(usd8Feed), true, 0, 0, HEARTBEAT);
        for (uint256 i; i < 4; ++i) {
            minter.setAssetCaps(address(c.assets[i]), INV_ASSET_CAP, INV_ASSET_CAP);
        }
        minter.setGlobalCaps(INV_GLOBAL_CAP, INV_GLOBAL_CAP);
        reserve.setHarvestFee(HARVEST_FEE_BPS, feeReceiver);
        vm.stopPrank();
        vm.startPrank(whitelistManager);
        minter.grantRole(minter.WHITELISTED_ROLE(), dave);
        minter.grantRole(minter.WHITELISTED_ROLE(), erin);
        vm.stopPrank();

        handler = new MinterHandler(c);

        // Weights: user actions x3 (x2 for transfers and unpause) so that most calls do something.
        bytes4[] memory selectors = new bytes4[](29);
        selectors[0] = MinterHandler.mint.selector;
        selectors[1] = MinterHandler.mint.selector;
        selectors[2] = MinterHandler.mint.selector;
        selectors[3] = MinterHandler.requestRedeem.selector;
        selectors[4] = MinterHandler.requestRedeem.selector;
        selectors[5] = MinterHandler.requestRedeem.selector;
        selectors[6] = MinterHandler.claimRedeem.selector;
        selectors[7] = MinterHandler.claimRedeem.selector;
        selectors[8] = MinterHandler.claimRedeem.selector;
        selectors[9] = MinterHandler.transfer.selector;
        selectors[10] = MinterHandler.transfer.selector;
        selectors[11] = MinterHandler.unpause.selector;
        selectors[12] = MinterHandler.unpause.selector;
        selectors[13] = MinterHandler.pause.selector;
        selectors[14] = MinterHandler.mintUnwhitelisted.selector;
        selectors[15] = MinterHandler.harvest.selector;
        selectors[16] = MinterHandler.invest.selector;
        selectors[17] = MinterHandler.divest.selector;
        selectors[18] = MinterHandler.accrue.selector;
        selectors[19] = MinterHandler.warp.selector;
        selectors[20] = MinterHandler.setPrice.selector;
        selectors[21] = MinterHandler.setRedeemDelay.selector;
        selectors[22] = MinterHandler.donate.selector;
        selectors[23] = MinterHandler.harvest.selector;
        selectors[24] = MinterHandler.setDenied.selector;
        selectors[25] = MinterHandler.repoint.selector;
        selectors[26] = MinterHandler.repoint.selector;
        selectors[27] = MinterHandler.releaseHeld.selector;
        selectors[28] = MinterHandler.denyReceiverAndClaim.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @dev The handler's deny-list paths, scripted once: a request to another actor, re-pointed by its owner, its new
    ///      receiver listed during the delay (payout held at claim), then released by the admin; every outcome as
    ///      the handler's model predicts.
    function test_handler_holdRepointReleaseModelled() public {
        handler.mint(0, 0, 1000 * USDC_UNIT); // alice mints against USDC
        handler.requestRedeem(1 << 130, 0, 100e18); // alice redeems to bob (queued: one day's delay)
        handler.repoint(0, 2); // alice re-points it to dave
        handler.denyReceiverAndClaim(0); // dave is listed; claimed after the delay: held
        handler.releaseHeld(0, 3); // the admin releases it to erin
        assertEq(handler.calls("repoint"), 1, "re-pointed");
        assertEq(handler.calls("claim_held"), 1, "held");
        assertEq(handler.calls("releaseHeld"), 1, "released");
        assertEq(usdc.balanceOf(erin), 100 * USDC_UNIT, "paid to the released-to address");
        assertEq(handler.violationCount(), 0, handler.violationCount() == 0 ? "" : handler.violation(0));
    }

    // ================================================================ backing

    function invariant_INV_RES_01_reserveCoversLiabilities() public view {
        assertGe(reserve.totalValue(), minter.liabilities(), "INV-RES-01: reserve value >= liabilities");
    }

    function invariant_INV_RES_02_reserveCoversSupply() public view {
        assertGe(reserve.totalValue(), aid.totalSupply(), "INV-RES-02: reserve value >= AID supply");
    }

    /// @dev Every wad of value the reserve lost left as a paid redemption, except what the T-bill fund's rounding keeps
    ///      (ERC-4626 rounds against the depositor: at most two units of its asset per deposit or redemption).
    function invariant_INV_RES_03_noValueLeak() public view {
        uint256 roundingAllowance = 2 * handler.ghost_tbillOps() * SCALE;
        assertGe(
            reserve.totalValue() + handler.ghost_paidOut() + roundingAllowance,
            handler.ghost_paidIn() + handler.ghost_donated(),
            "INV-RES-03: reserve value + paid out >= collateral paid in + donations (less T-bill rounding)"
        );
    }

    // ================================================================ supply

    function invariant_INV_SUP_01_supplyIsMintedMinusRedeemed() public view {
        assertEq(
            aid.totalSupply(),
            handler.ghost_minted() + handler.ghost_harvested() - handler.ghost_redeemed(),
            "INV-SUP-01: AID supply == minted + harvested - redeemed"
        );
    }

    function invariant_INV_SUP_02_outstandingIsSupply() public view {
        assertEq(minter.outstanding(), aid.totalSupply(), "INV-SUP-02: outstanding == AID supply (single chain)");
    }

    function invariant_INV_SUP_03_supplyCap() public view {
        assertLe(aid.totalSupply(), minter.supplyCap(), "INV-SUP-03: supply <= supply cap");
    }

    function invariant_INV_SUP_04_allAidAccountedToHolders() public view {
        address[] memory holders = handler.holders();
        uint256 sum;
        for (uint256 i; i < holders.length; ++i) {
            sum += aid.balanceOf(holders[i]);
        }
        assertEq(sum, aid.totalSupply(), "INV-SUP-04: all AID is held by known holders");
        assertEq(aid.balanceOf(address(minter)), 0, "INV-SUP-04: minter holds no AID");
        assertEq(aid.balanceOf(address(reserve)), 0, "INV-SUP-04: reserve holds no AID");
    }

    // ================================================================ actors

    /// @dev No actor ends with AID it did not pay for: minted against its own collateral, received from another
    ///      holder (or as harvested yield), minus what it sent and redeemed.
    function invariant_INV_ACT_01_noUnpaidAid() public view {
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            address h = holders[i];
            uint256 bal = aid.balanceOf(h);
            uint256 credit = handler.ghost_aidMinted(h) + handler.ghost_aidReceived(h);
            uint256 debit = handler.ghost_aidSent(h) + handler.ghost_aidRedeemed(h);
            assertLe(bal, credit - debit, "INV-ACT-01: balance <= minted + received - sent - redeemed");
            assertEq(bal, credit - debit, "INV-ACT-01: per-holder AID ledger is exact");
            assertLe(handler.ghost_aidMinted(h), handler.ghost_paidValue(h), "INV-ACT-01: minted <= value paid in");
        }
    }

    function invariant_INV_ACT_02_aidBoundedByCollateral() public view {
        uint256 supply = aid.totalSupply();
        uint256 paidIn = handler.ghost_paidIn();
        uint256 harvested = handler.ghost_harvested();
        assertLe(supply, paidIn + harvested, "INV-ACT-02: AID <= collateral paid in + harvested yield");
        assertLe(
            supply + handler.ghost_redeemed(),
            paidIn + harvested,
            "INV-ACT-02: AID ever created <= collateral paid in + harvested yield"
        );
    }

    // ================================================================ redemption queue

    /// @dev FIFO per asset: every unpaid request before the funded position has its asset set aside (earmarked), the
    ///      earmark is really held, and nothing after the funded position has been paid.
    function invariant_INV_Q_01_fifo() public view {
        uint256[] memory ids = handler.requestIds();
        MockERC20[] memory list = handler.assets();
        for (uint256 a; a < list.length; ++a) {
            address asset = address(list[a]);
            uint256 funded = handler.ghost_fundedEnd(asset);
            uint256 expectedEarmark;
            for (uint256 k; k < ids.length; ++k) {
                IAIDMinter.RedeemRequest memory r = minter.redeemRequest(ids[k]);
                if (r.asset != asset) continue;
                if (r.claimed) {
                    assertLe(r.cumulativeEnd, funded, "INV-Q-01: paid request beyond the funded position");
                } else if (r.cumulativeEnd <= funded) {
                    expectedEarmark += r.assetAmount;
                }
            }
            assertEq(minter.earmarked(asset), expectedEarmark, "INV-Q-01: earmark == unpaid requests funded ahead");
            assertGe(list[a].balanceOf(address(reserve)), minter.earmarked(asset), "INV-Q-01: earmarked funds are held");
        }
    }

    /// @dev Requests are paid at most once, in full, and the claim order never pays a later request of an asset
    ///      while an earlier one of that asset is left unfunded.
    function invariant_INV_Q_02_claimOrder() public view {
        uint256[] memory order = handler.claimOrder();
        for (uint256 i; i < order.length; ++i) {
            IAIDMinter.RedeemRequest memory ri = minter.redeemRequest(order[i]);
            assertTrue(ri.claimed, "INV-Q-02: recorded claim not marked claimed");
            for (uint256 j; j < i; ++j) {
                assertTrue(order[j] != order[i], "INV-Q-02: request paid twice");
            }
            // every earlier request of the same asset was funded when this one was paid
            for (uint256 e; e < order[i]; ++e) {
                IAIDMinter.RedeemRequest memory re = minter.redeemRequest(e);
                if (re.asset != ri.asset) continue;
                assertTrue(
                    re.claimed || minter.earmarked(ri.asset) >= re.assetAmount,
                    "INV-Q-02: later request paid while an earlier one is unfunded"
                );
            }
        }
    }

    function invariant_INV_Q_03_pendingMatchesQueue() public view {
        uint256[] memory ids = handler.requestIds();
        uint256 pending;
        uint256 claimed;
        for (uint256 k; k < ids.length; ++k) {
            IAIDMinter.RedeemRequest memory r = minter.redeemRequest(ids[k]);
            uint256 scale = 10 ** (18 - MockERC20(r.asset).decimals());
            if (r.claimed) ++claimed;
            else pending += r.assetAmount * scale;
        }
        assertEq(minter.pendingRedemptions(), pending, "INV-Q-03: pending == unpaid requests");
        assertEq(claimed, handler.claimOrderLength(), "INV-Q-03: every claim recorded once");
        assertEq(minter.redeemRequestCount(), ids.length, "INV-Q-03: every request recorded");
    }

    /// @dev Every accepted request can be paid: each asset's unfunded queue is covered by the reserve's free buffer of
    ///      that asset plus its T-bill shares in it (less the fund's rounding).
    function invariant_INV_Q_04_queueCovered() public view {
        MockERC20[] memory list = handler.assets();
        for (uint256 a; a < list.length; ++a) {
            (uint256 unfunded, uint256 holdings) = handler.coverage(list[a]);
            uint256 allowance = address(list[a]) == tbill.asset() ? 2 * handler.ghost_tbillOps() : 0;
            assertLe(unfunded, holdings + allowance, "INV-Q-04: unfunded queue <= holdings of the asset");
        }
    }

    /// @dev A held payout is funded (earmarked, counted above) and unpaid; every request keeps the owner that made it,
    ///      whatever re-points it went through.
    function invariant_INV_Q_05_heldFundedAndOwned() public view {
        uint256[] memory ids = handler.requestIds();
        for (uint256 k; k < ids.length; ++k) {
            IAIDMinter.RedeemRequest memory r = minter.redeemRequest(ids[k]);
            if (r.held) {
                assertFalse(r.claimed, "INV-Q-05: held and paid");
                assertLe(r.cumulativeEnd, handler.ghost_fundedEnd(r.asset), "INV-Q-05: held but not funded");
            }
            assertEq(minter.redeemOwner(ids[k]), handler.ghost_owner(ids[k]), "INV-Q-05: request owner");
        }
    }

    // ================================================================ caps and gates

    function invariant_INV_CAP_01_blockCaps() public view {
        uint256[] memory stamps = handler.stamps();
        MockERC20[] memory list = handler.assets();
        for (uint256 s; s < stamps.length; ++s) {
            for (uint256 a; a < list.length; ++a) {
                (uint256 minted, uint256 redeemed, uint256 gMinted, uint256 gRedeemed) =
                    handler.usedAt(address(list[a]), stamps[s]);
                assertLe(minted, INV_ASSET_CAP, "INV-CAP-01: asset mint cap per second");
                assertLe(redeemed, INV_ASSET_CAP, "INV-CAP-01: asset redeem cap per second");
                assertLe(gMinted, INV_GLOBAL_CAP, "INV-CAP-01: global mint cap per second");
                assertLe(gRedeemed, INV_GLOBAL_CAP, "INV-CAP-01: global redeem cap per second");
            }
        }
    }

    /// @dev Every call's outcome matched the model: no mint/redeem/claim/harvest went through while paused, stale,
    ///      depegged, over a cap or unwhitelisted, and none was refused when every check passed.
    function invariant_INV_GATE_01_outcomesMatchModel() public view {
        uint256 n = handler.violationCount();
        assertEq(n, 0, n == 0 ? "" : string.concat("INV-GATE-01: ", handler.violation(0)));
    }

    /// @dev Per-run counts of successful calls and of predicted refusals by cause (`-vv` shows the last run).
    function afterInvariant() external view {
        string[51] memory names = [
            "m:paused",
            "m:stale feed",
            "m:depeg below",
            "m:over a cap",
            "m:zero out",
            "r:paused",
            "r:stale feed",
            "r:premium above",
            "r:over a cap",
            "r:zero out",
            "c:paused",
            "c:already claimed",
            "c:not ready",
            "c:buffer short",
            "r:asset short",
            "invest_refused",
            "mint",
            "mint_refused",
            "mintUnwhitelisted",
            "requestRedeem",
            "requestRedeem_refused",
            "redeem_instant",
            "claimRedeem",
            "claimRedeem_refused",
            "transfer",
            "harvest",
            "harvest_refused",
            "invest",
            "divest",
            "accrue",
            "pause",
            "unpause",
            "warp",
            "setPrice",
            "setRedeemDelay",
            "donate",
            "divest_forQueue",
            "claim_waited",
            "claim_held",
            "c:held, denied",
            "transfer_denied",
            "setDenied",
            "repoint",
            "p:already claimed",
            "p:not owner",
            "p:denied",
            "releaseHeld",
            "releaseHeld_refused",
            "m:denied",
            "r:denied",
            ""
        ];
        for (uint256 i; i < names.length - 1; ++i) {
            console2.log("%s: %d", names[i], handler.calls(bytes32(bytes(names[i]))));
        }
    }
}
