// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {SeniorPosition} from "../../src/deals/SeniorPosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {RevenueReadLib} from "../../src/libraries/RevenueReadLib.sol";
import {DealBase} from "./DealBase.sol";

/// @notice A revenue source that answers well, reverts, burns all its gas, answers short or answers a non-boolean flag.
contract FlakyRevenueSource {
    enum Mode {
        GOOD,
        REVERT,
        BURN,
        SHORT,
        BAD_FLAG,
        HUGE
    }

    Mode public mode;
    mapping(uint256 period => uint256) public revenue;
    mapping(uint256 period => bool) public reported;

    function setMode(Mode m) external {
        mode = m;
    }

    function report(uint256 period, uint256 amount) external {
        revenue[period] = amount;
        reported[period] = true;
    }

    /// @dev Not declared as `IRevenueSource` on purpose: its failure modes answer outside that ABI.
    function revenueOf(address, uint256 period) external view returns (uint256, bool) {
        Mode m = mode;
        if (m == Mode.REVERT) revert("source down");
        if (m == Mode.BURN) {
            uint256 x;
            while (true) {
                x = uint256(keccak256(abi.encode(x)));
            }
        }
        if (m == Mode.SHORT) {
            assembly ("memory-safe") {
                mstore(0x00, 1)
                return(0x00, 0x20)
            }
        }
        if (m == Mode.BAD_FLAG) {
            assembly ("memory-safe") {
                mstore(0x00, 1)
                mstore(0x20, 2)
                return(0x00, 0x40)
            }
        }
        if (m == Mode.HUGE) return (type(uint256).max, true);
        return (revenue[period], reported[period]);
    }
}

/// @notice A REVENUE_SHARE rsDeal whose revenue source fails: the rsDeal's views keep working (the failed read counts as
///         unreported, so the minimum payment is due) and sAID, invested in the rsDeal's senior tranche, keeps working.
contract RevenueSourceFailureTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;

    FlakyRevenueSource internal source;
    GpuDeal internal rsDeal;
    SeniorPosition internal position;
    IGpuDeal.Terms internal t;

    function setUp() public override {
        super.setUp();
        source = new FlakyRevenueSource();
        vm.prank(dealAdmin);
        dealFactory.setRevenueReporter(address(source));
        t = _rsTerms();
        rsDeal = _create(t);
        position = new SeniorPosition(rsDeal, address(aid), address(sAID));
        _allow(address(position));
        vm.prank(admin);
        sAID.setUnstakeDelay(0);
        _giveAid(carol, 2_000_000e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 2_000_000e18);
        sAID.deposit(2_000_000e18, carol);
        vm.stopPrank();
        vm.startPrank(allocator);
        sAID.addPosition(address(position));
        sAID.allocate(address(position), SENIOR);
        vm.stopPrank();
        _fund(rsDeal, juniorInvestor, JR, JUNIOR);
        assertEq(uint256(rsDeal.state()), uint256(IGpuDeal.State.ACTIVE));
    }

    /// @dev Two periods elapsed, period 0 reported at 100,000 AID (share above the minimum).
    function _reportPeriod0() internal returns (uint256 due0) {
        vm.warp(rsDeal.activatedAt() + 2 * INTERVAL);
        source.report(0, 100_000e18);
        (due0,) = rsDeal.periodPayment(0);
        assertEq(due0, 100_000e18 * uint256(t.revenueShareBps) / 10_000);
        assertGt(due0, t.minPeriodPayment);
    }

    /// @dev Every rsDeal view sAID depends on answers, and the failed read is seen as unreported (minimum due).
    function _assertViewsWork(FlakyRevenueSource.Mode mode) internal {
        source.setMode(mode);
        (uint256 revenue, bool reported, bool ok) = rsDeal.revenueRead(0);
        assertFalse(ok, "read fails");
        assertFalse(reported);
        assertEq(revenue, 0);
        (uint256 due, bool rep) = rsDeal.periodPayment(0);
        assertEq(due, t.minPeriodPayment, "falls back to the minimum");
        assertFalse(rep);
        rsDeal.dueDate();
        rsDeal.markBps();
        rsDeal.trancheValue(SR);
        rsDeal.trancheValue(JR);
        position.valueOf(address(sAID));
        sAID.totalAssets();
        sAID.convertToAssets(1e18);
    }

    function _assertVaultWorks() internal {
        _giveAid(bob, 1000e18);
        vm.startPrank(bob);
        aid.approve(address(sAID), 1000e18);
        uint256 nav = sAID.totalAssets();
        uint256 shares = sAID.deposit(1000e18, bob); // syncs every position's losses
        // the senior may be marked (overdue exposure is valued from the due date): the entry pays for that undecided
        // write-down as if it recovered (review 7s), so leaving at once gives back at least the NAV part of the price
        uint256 off = sAID.writtenOffOf(address(position));
        uint256 assets = sAID.redeem(shares, bob, bob);
        vm.stopPrank();
        assertGt(shares, 0);
        assertLe(assets, 1000e18, "no round-trip gain");
        assertGe(assets + 1000, 1000e18 * nav / (nav + off), "deposit then redeem round-trips, less the write-down");
    }

    function test_revenueRead_goodSourceReadsThrough() public {
        _reportPeriod0();
        (uint256 revenue, bool reported, bool ok) = rsDeal.revenueRead(0);
        assertTrue(ok);
        assertTrue(reported);
        assertEq(revenue, 100_000e18);
        (revenue, reported, ok) = rsDeal.revenueRead(1);
        assertTrue(ok);
        assertFalse(reported);
    }

    function test_revertingSource_viewsAndVaultWork() public {
        uint256 due0 = _reportPeriod0();
        uint256 start = rsDeal.activatedAt();
        // the borrower paid only the minimum: with a working source it is behind on period 0 …
        _repay(rsDeal, borrower, t.minPeriodPayment);
        assertEq(rsDeal.dueDate(), start + INTERVAL);
        // … with a failing one the period counts at the minimum, so it is current through period 0
        _assertViewsWork(FlakyRevenueSource.Mode.REVERT);
        assertEq(rsDeal.dueDate(), start + 2 * INTERVAL);
        _assertVaultWorks();
        // the source recovers: the reported figure applies again
        source.setMode(FlakyRevenueSource.Mode.GOOD);
        assertEq(rsDeal.dueDate(), start + INTERVAL);
        (uint256 due,) = rsDeal.periodPayment(0);
        assertEq(due, due0);
    }

    function test_gasBurningSource_viewsAndVaultWork() public {
        _reportPeriod0();
        _assertViewsWork(FlakyRevenueSource.Mode.BURN);
        uint256 g = gasleft();
        rsDeal.dueDate();
        uint256 used = g - gasleft();
        // only the first failing read of a pass is attempted: one capped read plus overhead
        assertLt(used, 2 * RevenueReadLib.READ_GAS, "one capped read per pass");
        _assertVaultWorks();
    }

    function test_shortAnswer_viewsAndVaultWork() public {
        _reportPeriod0();
        _assertViewsWork(FlakyRevenueSource.Mode.SHORT);
        _assertVaultWorks();
    }

    function test_badFlag_viewsAndVaultWork() public {
        _reportPeriod0();
        _assertViewsWork(FlakyRevenueSource.Mode.BAD_FLAG);
        _assertVaultWorks();
    }

    function test_hugeRevenue_clampedNoOverflow() public {
        _reportPeriod0();
        source.setMode(FlakyRevenueSource.Mode.HUGE);
        (uint256 revenue, bool reported, bool ok) = rsDeal.revenueRead(0);
        assertTrue(ok);
        assertTrue(reported);
        assertEq(revenue, RevenueReadLib.MAX_REVENUE);
        (uint256 due,) = rsDeal.periodPayment(0);
        assertEq(due, RevenueReadLib.MAX_REVENUE * uint256(t.revenueShareBps) / 10_000);
        assertEq(rsDeal.dueDate(), rsDeal.activatedAt() + INTERVAL, "owes the cap, behind on period 0");
        _assertVaultWorks();
    }

    function test_failingSource_markLateJudgedOnMinimum() public {
        vm.warp(rsDeal.activatedAt() + INTERVAL + 20 days);
        source.report(0, 100_000e18);
        source.setMode(FlakyRevenueSource.Mode.REVERT);
        // nothing paid: behind even on the minimum, so the rsDeal can be marked late and sAID books the mark
        rsDeal.markLate();
        assertEq(uint256(rsDeal.state()), uint256(IGpuDeal.State.LATE));
        _assertVaultWorks();
    }

    function test_revenueRead_starvedReadReverts() public {
        _reportPeriod0();
        source.setMode(FlakyRevenueSource.Mode.BURN);
        // a caller leaving too little gas for a fair read gets a revert, not a silently "unreported" period
        (bool success, bytes memory ret) =
            address(rsDeal).staticcall{gas: RevenueReadLib.READ_GAS / 2}(abi.encodeCall(GpuDeal.revenueRead, (0)));
        assertFalse(success);
        assertEq(bytes4(ret), IGpuDeal.RevenueReadOutOfGas.selector);
    }

    function test_fixedDeal_revenueReadReverts() public {
        GpuDeal fixedDeal = _create(_terms());
        vm.expectRevert(IGpuDeal.NotRevenueShare.selector);
        fixedDeal.revenueRead(0);
    }
}
