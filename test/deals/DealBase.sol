// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {DealFactory} from "../../src/deals/DealFactory.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {RevenueReporter} from "../../src/deals/RevenueReporter.sol";
import {SeniorPosition} from "../../src/deals/SeniorPosition.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {TrancheToken} from "../../src/deals/TrancheToken.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {BaseTest} from "../BaseTest.sol";

/// @notice Deal fixture: a factory over the core deployment, roles, actors and a default 1M AID deal.
abstract contract DealBase is BaseTest {
    uint256 internal constant PRINCIPAL = 1_000_000e18; // [wad]
    uint256 internal constant SENIOR = 800_000e18; // [wad]
    uint256 internal constant JUNIOR = 200_000e18; // [wad]
    uint256 internal constant APPRAISED = 1_250_000e18; // [wad] 80% advance
    uint256 internal constant TENOR = 365 days; // [s]
    uint256 internal constant INTERVAL = 30 days; // [s]

    address internal underwriter = makeAddr("underwriter");
    address internal dealAdmin = makeAddr("dealAdmin");
    address internal borrower = makeAddr("borrower");
    address internal partner = makeAddr("partner");
    address internal treasury = makeAddr("treasury");
    address internal stakerFees = makeAddr("stakerFees");
    address internal seniorInvestor = makeAddr("seniorInvestor");
    address internal juniorInvestor = makeAddr("juniorInvestor");
    address internal kycAdmin = makeAddr("kycAdmin");
    address internal guardian = makeAddr("guardian");
    address internal reporterBot = makeAddr("reporterBot");

    DealFactory internal dealFactory;
    GpuDeal internal dealImpl;
    TrancheToken internal trancheImpl;
    RevenueReporter internal revenueReporter;

    function setUp() public virtual override {
        super.setUp();
        vm.startPrank(admin);
        CoreDeployer.Deals memory d = CoreDeployer.deployDeals(address(aid), admin, treasury, stakerFees);
        CoreDeployer.configureDeals(
            d, admin, CoreDeployer.DealParams(dealAdmin, underwriter, kycAdmin, guardian, reporterBot)
        );
        vm.stopPrank();
        dealFactory = d.factory;
        revenueReporter = d.reporter;
        dealImpl = GpuDeal(dealFactory.dealImplementation());
        trancheImpl = TrancheToken(dealFactory.trancheImplementation());
        _allow(seniorInvestor);
        _allow(juniorInvestor);
        vm.label(address(dealFactory), "DealFactory");
    }

    /// @dev Puts `investor` on the factory's KYC allowlist.
    function _allow(address investor) internal {
        vm.prank(kycAdmin);
        dealFactory.setInvestorAllowed(investor, true);
    }

    /// @dev REVENUE_SHARE terms: 60% of revenue, 10,000 AID minimum a period, cap 1.5x, same tranches and tenor.
    function _rsTerms() internal view returns (IGpuDeal.Terms memory t) {
        t = _terms();
        t.structure = IGpuDeal.Structure.REVENUE_SHARE;
        t.revenueShareBps = 6000;
        t.capMultipleBps = 15_000;
        t.minPeriodPayment = 10_000e18;
    }

    /// @dev The reporter bot reports `revenue` for `deal`'s `period`.
    function _report(GpuDeal deal, uint256 period, uint256 revenue) internal {
        vm.prank(reporterBot);
        revenueReporter.reportRevenue(address(deal), period, revenue);
    }

    /// @dev Gives `to` `amount` AID [wad] (minted by the minter, as against collateral).
    function _giveAid(address to, uint256 amount) internal {
        vm.prank(address(minter));
        aid.mint(to, amount);
    }

    function _terms() internal view returns (IGpuDeal.Terms memory t) {
        t.borrower = borrower;
        t.underwriter = underwriter;
        t.collateral = IGpuDeal.Collateral({
            assetClass: IGpuDeal.AssetClass.GPU,
            model: "H100-SXM5-80GB",
            unitCount: 512,
            appraisedValue: APPRAISED,
            serialsHash: keccak256("serials"),
            nodeIdsRoot: keccak256("nodes")
        });
        t.structure = IGpuDeal.Structure.FIXED;
        t.seniorPrincipal = SENIOR;
        t.juniorPrincipal = JUNIOR;
        t.seniorAprBps = 1000;
        t.juniorAprBps = 2000;
        t.tenor = uint32(TENOR);
        t.paymentInterval = uint32(INTERVAL);
        t.fundingDeadline = uint32(block.timestamp + 14 days);
    }

    function _create(IGpuDeal.Terms memory t) internal returns (GpuDeal deal) {
        vm.prank(underwriter);
        deal = GpuDeal(dealFactory.createDeal(t));
    }

    function _fund(GpuDeal deal, address investor, IGpuDeal.Tranche tranche, uint256 amount) internal {
        _giveAid(investor, amount);
        vm.startPrank(investor);
        aid.approve(address(deal), amount);
        deal.deposit(tranche, amount);
        vm.stopPrank();
    }

    /// @dev Creates the default deal and fills both tranches (activating it).
    function _activeDeal() internal returns (GpuDeal deal) {
        deal = _create(_terms());
        _fund(deal, seniorInvestor, IGpuDeal.Tranche.SENIOR, SENIOR);
        _fund(deal, juniorInvestor, IGpuDeal.Tranche.JUNIOR, JUNIOR);
    }

    function _owedTotal(GpuDeal deal) internal view returns (uint256) {
        return WaterfallLib.total(deal.owed());
    }

    function _owedInterest(GpuDeal deal) internal view returns (uint256) {
        WaterfallLib.Owed memory o = deal.owed();
        return o.fees + o.seniorInterest + o.juniorInterest;
    }

    function _repay(GpuDeal deal, address payer, uint256 amount) internal {
        if (aid.balanceOf(payer) < amount) _giveAid(payer, amount - aid.balanceOf(payer));
        vm.startPrank(payer);
        aid.approve(address(deal), amount);
        deal.repay(amount);
        vm.stopPrank();
    }

    /// @dev `markLate` reverts with `NotLate(lateAt)` now and opens one second after `lateAt` (warps there).
    function _assertLateAfter(GpuDeal deal, uint256 lateAt) internal {
        vm.expectRevert(abi.encodeWithSelector(IGpuDeal.NotLate.selector, lateAt));
        deal.markLate();
        vm.warp(lateAt + 1);
        deal.markLate();
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.LATE));
    }

    function _claim(GpuDeal deal, address holder, IGpuDeal.Tranche tranche) internal returns (uint256 got) {
        if (deal.claimable(tranche, holder) == 0) return 0;
        vm.prank(holder);
        got = deal.claim(tranche, holder);
    }

    /// @dev sAID (3M AID staked by carol) with a listed position in `tranche` of `deal`, `amount` allocated to it.
    function _saidPosition(GpuDeal deal, IGpuDeal.Tranche tranche, uint256 amount)
        internal
        returns (TranchePosition p)
    {
        p = tranche == IGpuDeal.Tranche.SENIOR
            ? TranchePosition(address(new SeniorPosition(deal, address(aid), address(sAID))))
            : new TranchePosition(deal, tranche, address(aid), address(sAID));
        _allow(address(p));
        _giveAid(carol, 3_000_000e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 3_000_000e18);
        sAID.deposit(3_000_000e18, carol);
        vm.stopPrank();
        vm.startPrank(allocator);
        sAID.addPosition(address(p));
        sAID.allocate(address(p), amount);
        vm.stopPrank();
    }
}
