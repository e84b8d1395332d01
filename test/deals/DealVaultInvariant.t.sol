// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {RevenueReporter} from "../../src/deals/RevenueReporter.sol";
import {SeniorPosition} from "../../src/deals/SeniorPosition.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {TrancheToken} from "../../src/deals/TrancheToken.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {AID} from "../../src/token/AID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {DealBase} from "./DealBase.sol";
import {Test, Vm} from "forge-std/Test.sol";

/// @notice Drives a real sAID invested (through senior and junior tranche positions) in several real deals: sAID
///         deposits and redemptions, repayments, revenue reports, time, lateness, defaults, recoveries, partner
///         transfers, claims and deallocations, refunds of an unfilled deal and tranche token transfers. Around every
///         action it records sAID's NAV per share and the loss booked (or reported) during the action.
contract DealVaultHandler is Test {
    struct Env {
        AID aid;
        StakedAID sAID;
        address minter;
        address underwriter;
        address allocator;
        RevenueReporter reporter;
        address reporterBot;
    }

    uint256 internal constant ROUNDING = 2; // [wei] per-share rounding allowed on a NAV-per-share step

    AID internal immutable aid;
    StakedAID internal immutable sAID;
    address internal immutable minter;
    address internal immutable underwriter;
    address internal immutable allocator;
    RevenueReporter internal immutable reporter;
    address internal immutable reporterBot;

    GpuDeal[] public deals;
    address[] public positions;
    address[] public actors; // outside tranche investors and sAID depositors
    address[] public payees; // owedTo receivers

    bytes32 internal constant LOSS_BOOKED = keccak256("LossBooked(address,uint256)");

    mapping(address deal => uint256) public ghostIn; // money in: the balance at the start + every increase
    mapping(address deal => uint256) public ghostOut; // paid out: every decrease (claims, refunds, owed withdrawals)
    mapping(address deal => uint256) public ghostOps; // steps touching the deal (index dust bound)
    uint256 public ghostNavViolations; // INV-NAV-01 breaches
    uint256 public ghostNavDrops; // steps where NAV per share fell (each within a booked loss)
    uint256 public ghostLossBooked; // Σ LossBooked [wad]
    uint256 public ghostWorstExcess; // the largest unexplained NAV-per-share drop seen [wei]
    string public ghostWorstAction;

    uint256[] internal _balances;

    constructor(
        Env memory e,
        GpuDeal[] memory deals_,
        address[] memory positions_,
        address[] memory actors_,
        address[] memory payees_
    ) {
        aid = e.aid;
        sAID = e.sAID;
        minter = e.minter;
        underwriter = e.underwriter;
        allocator = e.allocator;
        reporter = e.reporter;
        reporterBot = e.reporterBot;
        deals = deals_;
        positions = positions_;
        actors = actors_;
        payees = payees_;
        for (uint256 i; i < deals_.length; ++i) {
            ghostIn[address(deals_[i])] = aid.balanceOf(address(deals_[i]));
        }
    }

    function dealCount() external view returns (uint256) {
        return deals.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function payeeCount() external view returns (uint256) {
        return payees.length;
    }

    /// @dev Σ over positions of what their reported value is below their booked cost: the loss sAID's NAV views
    ///      already net out and the next sync books [wad].
    /// @dev Reported and not yet booked, net: losses (value below carrying value) less recoveries the views already
    ///      write back (value above it, up to what is written off: review 7s), so it may be negative.
    function pendingLoss() public view returns (int256 sum) {
        for (uint256 i; i < positions.length; ++i) {
            uint256 booked = sAID.bookedOf(positions[i]);
            uint256 value = IDealPositionLike(positions[i]).valueOf(address(sAID));
            uint256 cap = booked + sAID.writtenOffOf(positions[i]);
            sum += int256(booked) - int256(value < cap ? value : cap);
        }
    }

    // ------------------------------------------------------------ step bookkeeping

    struct Snap {
        uint256 navPerShare;
        uint256 supply;
        int256 pending;
    }

    function _before() internal returns (Snap memory s) {
        delete _balances;
        for (uint256 i; i < deals.length; ++i) {
            _balances.push(aid.balanceOf(address(deals[i])));
        }
        s = Snap(sAID.convertToAssets(1e18), sAID.totalSupply(), pendingLoss());
        vm.recordLogs();
    }

    /// @dev INV-NAV-01: NAV per share falls only by the loss booked or newly reported during the step (the NAV views
    ///      net reported losses out before they are booked), spread over the shares, plus rounding.
    function _after(Snap memory s, string memory action) internal {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 booked;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(sAID) && logs[i].topics[0] == LOSS_BOOKED) {
                booked += abi.decode(logs[i].data, (uint256));
            }
        }
        ghostLossBooked += booked;
        int256 pendingNow = pendingLoss();
        // losses that arose in the step: booked now, or reported and not yet booked (less what was pending before)
        int256 net = int256(booked) + pendingNow - s.pending;
        uint256 loss = net > 0 ? uint256(net) : 0;
        uint256 navNow = sAID.convertToAssets(1e18);
        if (navNow < s.navPerShare) {
            ghostNavDrops += 1;
            uint256 supply = s.supply < sAID.totalSupply() ? s.supply : sAID.totalSupply();
            uint256 allowed = loss * 1e18 / (supply + 1) + 1 + ROUNDING;
            uint256 drop = s.navPerShare - navNow;
            if (drop > allowed) {
                ghostNavViolations += 1;
                if (drop - allowed > ghostWorstExcess) {
                    ghostWorstExcess = drop - allowed;
                    ghostWorstAction = action;
                }
            }
        }
        for (uint256 i; i < deals.length; ++i) {
            address d = address(deals[i]);
            uint256 bal = aid.balanceOf(d);
            if (bal > _balances[i]) ghostIn[d] += bal - _balances[i];
            else ghostOut[d] += _balances[i] - bal;
            if (bal != _balances[i]) ghostOps[d] += 1;
        }
    }

    function _deal(uint256 seed) internal view returns (GpuDeal) {
        return deals[seed % deals.length];
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(minter);
        aid.mint(to, amount);
    }

    // ------------------------------------------------------------ sAID

    function depositVault(uint256 aSeed, uint256 amount) external {
        Snap memory s = _before();
        address a = _actor(aSeed);
        amount = bound(amount, 1e18, 500_000e18);
        _mint(a, amount);
        vm.startPrank(a);
        aid.approve(address(sAID), amount);
        try sAID.deposit(amount, a) {} catch {}
        vm.stopPrank();
        _after(s, "depositVault");
    }

    function redeemVault(uint256 aSeed, uint256 shares) external {
        Snap memory s = _before();
        address a = _actor(aSeed);
        uint256 max = sAID.maxRedeem(a);
        if (max != 0) {
            shares = bound(shares, 1, max);
            vm.prank(a);
            try sAID.redeem(shares, a, a) {} catch {}
        }
        _after(s, "redeemVault");
    }

    function deallocate(uint256 pSeed, uint256 amount) external {
        Snap memory s = _before();
        amount = bound(amount, 1, 1_000_000e18);
        vm.prank(allocator);
        try sAID.deallocate(positions[pSeed % positions.length], amount) {} catch {}
        _after(s, "deallocate");
    }

    function bookLoss(uint256 pSeed) external {
        Snap memory s = _before();
        vm.prank(allocator);
        try sAID.bookLoss(positions[pSeed % positions.length]) {} catch {}
        _after(s, "bookLoss");
    }

    // ------------------------------------------------------------ deals

    function repay(uint256 dSeed, uint256 amount) external {
        Snap memory s = _before();
        GpuDeal d = _deal(dSeed);
        amount = bound(amount, 1, 150_000e18); // often short of the due: deals go late
        address payer = d.terms().borrower;
        _mint(payer, amount);
        vm.startPrank(payer);
        aid.approve(address(d), amount);
        try d.repay(amount) {} catch {}
        vm.stopPrank();
        _after(s, "repay");
    }

    function reportRevenue(uint256 dSeed, uint256 period, uint256 revenue) external {
        Snap memory s = _before();
        vm.prank(reporterBot);
        try reporter.reportRevenue(address(_deal(dSeed)), bound(period, 0, 12), bound(revenue, 0, 1_000_000e18)) {}
            catch {}
        _after(s, "reportRevenue");
    }

    /// @dev Anyone records a REVENUE_SHARE deal's reported, covered prefix (the cache its valuation walks from).
    function syncSchedule(uint256 dSeed) external {
        Snap memory s = _before();
        try _deal(dSeed).syncSchedule() {} catch {}
        _after(s, "syncSchedule");
    }

    function warp(uint256 dt) external {
        Snap memory s = _before();
        vm.warp(block.timestamp + bound(dt, 1 hours, 45 days));
        _after(s, "warp");
    }

    function markLate(uint256 dSeed) external {
        Snap memory s = _before();
        try _deal(dSeed).markLate() {} catch {}
        _after(s, "markLate");
    }

    function declareDefault(uint256 dSeed) external {
        Snap memory s = _before();
        vm.prank(underwriter);
        try _deal(dSeed).declareDefault() {} catch {}
        _after(s, "declareDefault");
    }

    /// @dev Liquidation proceeds (usually short of what is owed).
    function recover(uint256 dSeed, uint256 amount) external {
        Snap memory s = _before();
        GpuDeal d = _deal(dSeed);
        amount = bound(amount, 1, 600_000e18);
        _mint(underwriter, amount);
        vm.startPrank(underwriter);
        aid.approve(address(d), amount);
        try d.recover(amount) {} catch {}
        vm.stopPrank();
        _after(s, "recover");
    }

    function transferToPartner(uint256 dSeed) external {
        Snap memory s = _before();
        vm.prank(underwriter);
        try _deal(dSeed).transferToPartner(payees[2]) {} catch {}
        _after(s, "transferToPartner");
    }

    function close(uint256 dSeed) external {
        Snap memory s = _before();
        vm.prank(underwriter);
        try _deal(dSeed).close() {} catch {}
        _after(s, "close");
    }

    function claim(uint256 dSeed, uint256 aSeed, bool junior) external {
        Snap memory s = _before();
        address a = _actor(aSeed);
        vm.prank(a);
        try _deal(dSeed).claim(junior ? IGpuDeal.Tranche.JUNIOR : IGpuDeal.Tranche.SENIOR, a) {} catch {}
        _after(s, "claim");
    }

    function refund(uint256 dSeed, uint256 aSeed, bool junior) external {
        Snap memory s = _before();
        vm.prank(_actor(aSeed));
        try _deal(dSeed).refund(junior ? IGpuDeal.Tranche.JUNIOR : IGpuDeal.Tranche.SENIOR) {} catch {}
        _after(s, "refund");
    }

    function withdrawOwed(uint256 dSeed, uint256 pSeed) external {
        Snap memory s = _before();
        try _deal(dSeed).withdrawOwed(payees[pSeed % payees.length]) {} catch {}
        _after(s, "withdrawOwed");
    }

    /// @dev Once a deal is over (CLOSED, or its funding window closed unfilled), jumps past the sweep delay and sweeps
    ///      its leftovers to the treasury, whatever sAID's positions left uncollected there.
    function sweep(uint256 dSeed) external {
        GpuDeal d = _deal(dSeed);
        IGpuDeal.State st = d.state();
        uint256 from;
        if (st == IGpuDeal.State.CLOSED) from = d.closedAt();
        else if (st == IGpuDeal.State.CANCELLED || st == IGpuDeal.State.FUNDING) from = d.terms().fundingDeadline;
        else return;
        if (d.swept() || block.timestamp <= from) return;
        if (block.timestamp < from + 365 days) vm.warp(from + 365 days);
        Snap memory s = _before();
        try d.sweep() {} catch {}
        _after(s, "sweep");
    }

    function transferTranche(uint256 dSeed, uint256 fromSeed, uint256 toSeed, bool junior, uint256 amount) external {
        Snap memory s = _before();
        GpuDeal d = _deal(dSeed);
        TrancheToken tok = TrancheToken(d.trancheToken(junior ? IGpuDeal.Tranche.JUNIOR : IGpuDeal.Tranche.SENIOR));
        address from = _actor(fromSeed);
        uint256 bal = tok.balanceOf(from);
        if (bal != 0) {
            vm.prank(from);
            try tok.transfer(_actor(toSeed), bound(amount, 1, bal)) {} catch {}
            ghostOps[address(d)] += 1;
        }
        _after(s, "transferTranche");
    }
}

interface IDealPositionLike {
    function valueOf(address holder) external view returns (uint256);
}

/// @notice Invariants over a real sAID invested in the senior and junior tranches of four real deals (bullet, amortising,
///         revenue share, and one that never fills and is refunded), driven by `DealVaultHandler`.
contract DealVaultInvariantTest is DealBase {
    DealVaultHandler internal handler;
    GpuDeal[] internal ds;

    function _position(GpuDeal d, IGpuDeal.Tranche tranche, uint256 amount) internal returns (address p) {
        p = tranche == IGpuDeal.Tranche.SENIOR
            ? address(new SeniorPosition(d, address(aid), address(sAID)))
            : address(new TranchePosition(d, tranche, address(aid), address(sAID)));
        _allow(p);
        vm.startPrank(allocator);
        sAID.addPosition(p);
        sAID.allocate(p, amount);
        vm.stopPrank();
    }

    function setUp() public override {
        super.setUp();
        vm.prank(admin);
        sAID.setUnstakeDelay(0);
        _giveAid(carol, 4_000_000e18);
        vm.startPrank(carol);
        aid.approve(address(sAID), 4_000_000e18);
        sAID.deposit(4_000_000e18, carol);
        vm.stopPrank();

        address[] memory actors = new address[](3);
        actors[0] = makeAddr("inv1");
        actors[1] = makeAddr("inv2");
        actors[2] = carol;
        _allow(actors[0]);
        _allow(actors[1]);

        for (uint256 i; i < 4; ++i) {
            IGpuDeal.Terms memory t = i == 2 ? _rsTerms() : _terms();
            t.amortising = i == 1;
            ds.push(_create(t));
        }
        address[] memory positions = new address[](6);
        positions[0] = _position(ds[0], IGpuDeal.Tranche.SENIOR, 400_000e18);
        positions[1] = _position(ds[0], IGpuDeal.Tranche.JUNIOR, 100_000e18);
        positions[2] = _position(ds[1], IGpuDeal.Tranche.SENIOR, SENIOR);
        positions[3] = _position(ds[2], IGpuDeal.Tranche.SENIOR, 300_000e18);
        positions[4] = _position(ds[2], IGpuDeal.Tranche.JUNIOR, JUNIOR);
        positions[5] = _position(ds[3], IGpuDeal.Tranche.SENIOR, 100_000e18); // never fills: refunded
        // outside investors fill the rest (activating deals 0–2) and part of deal 3
        _fund(ds[0], actors[0], IGpuDeal.Tranche.SENIOR, 400_000e18);
        _fund(ds[0], actors[1], IGpuDeal.Tranche.JUNIOR, 100_000e18);
        _fund(ds[1], actors[1], IGpuDeal.Tranche.JUNIOR, JUNIOR);
        _fund(ds[2], actors[0], IGpuDeal.Tranche.SENIOR, 500_000e18);
        _fund(ds[3], actors[0], IGpuDeal.Tranche.JUNIOR, 50_000e18);
        for (uint256 i; i < 3; ++i) {
            assertEq(uint256(ds[i].state()), uint256(IGpuDeal.State.ACTIVE));
        }

        address[] memory payees = new address[](4);
        payees[0] = treasury;
        payees[1] = stakerFees;
        payees[2] = partner;
        payees[3] = borrower;
        handler = new DealVaultHandler(
            DealVaultHandler.Env(aid, sAID, address(minter), underwriter, allocator, revenueReporter, reporterBot),
            ds,
            positions,
            actors,
            payees
        );
        targetContract(address(handler));
    }

    /// @dev What the deal still owes out now: tranche claims of every holder, fees, borrower residual, cash reserve (or
    ///      the refunds while funding / cancelled; nothing once swept) [wad].
    function _owedOut(GpuDeal d) internal view returns (uint256 sum) {
        if (d.swept()) return 0; // the leftovers went to the treasury (counted as paid out): nothing is owed any more
        IGpuDeal.State s = d.state();
        if (s == IGpuDeal.State.FUNDING || s == IGpuDeal.State.CANCELLED) return d.raised(0) + d.raised(1);
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            sum += d.claimable(IGpuDeal.Tranche.SENIOR, a) + d.claimable(IGpuDeal.Tranche.JUNIOR, a);
        }
        for (uint256 i; i < 6; ++i) {
            address p = handler.positions(i);
            sum += d.claimable(IGpuDeal.Tranche.SENIOR, p) + d.claimable(IGpuDeal.Tranche.JUNIOR, p);
        }
        for (uint256 i; i < handler.payeeCount(); ++i) {
            sum += d.owedTo(handler.payees(i));
        }
        sum += d.cashReserve();
    }

    /// INV-NAV-01: sAID's NAV per share falls only in steps that booked (or newly reported) a loss, by at most that
    /// loss spread over the shares plus rounding.
    function invariant_navFallsOnlyOnBookedLosses() public view {
        assertEq(
            handler.ghostNavViolations(),
            0,
            string.concat("INV-NAV-01: NAV per share fell beyond booked losses in ", handler.ghostWorstAction())
        );
    }

    /// INV-DEAL-09: per deal, what was paid out plus every claim still outstanding never exceeds the money in (up to
    /// index dust bounded by the steps that touched the deal).
    function invariant_claimsWithinMoneyIn() public view {
        for (uint256 i; i < ds.length; ++i) {
            address d = address(ds[i]);
            uint256 claims = handler.ghostOut(d) + _owedOut(ds[i]);
            assertLe(claims, handler.ghostIn(d) + 3 * (handler.ghostOps(d) + 1), "INV-DEAL-09: claims exceed money in");
            assertLe(handler.ghostOut(d), handler.ghostIn(d), "INV-DEAL-09: paid out more than came in");
        }
    }

    /// @dev What `position` can actually still pay sAID: AID it holds, plus what the deal can pay it out of the AID the
    ///      deal holds (claims, or the refund while funding / cancelled), plus its share of the most its live tranche
    ///      can still receive (`_trancheCanReceive`, not `trancheValue`: bounding the value by itself proves nothing);
    ///      nothing from a swept deal [wad].
    function _canPay(TranchePosition p) internal view returns (uint256 sum) {
        sum = p.idle();
        GpuDeal d = GpuDeal(address(p.deal()));
        if (d.swept()) return sum;
        IGpuDeal.State st = d.state();
        uint256 fromDeal = d.claimable(p.tranche(), address(p));
        if (st == IGpuDeal.State.FUNDING || st == IGpuDeal.State.CANCELLED) fromDeal = p.token().balanceOf(address(p));
        uint256 held = aid.balanceOf(address(d));
        sum += fromDeal < held ? fromDeal : held;
        if (st == IGpuDeal.State.FUNDING || st == IGpuDeal.State.CANCELLED || st == IGpuDeal.State.CLOSED) return sum;
        uint256 supply = p.token().totalSupply();
        if (supply != 0) sum += _trancheCanReceive(d, p.tranche()) * p.token().balanceOf(address(p)) / supply;
    }

    /// @dev The most a live tranche can still receive [wad], independent of `trancheValue`: its claim in the waterfall
    ///      (principal and interest owed to it, accrued to now), and no more than can still come in: REVENUE_SHARE
    ///      (ACTIVE / LATE) what the cap leaves the borrower plus the first-loss cash reserve; a MATURED deal nothing.
    ///      A FIXED borrower owes the whole schedule and a recovery may bring any amount, so only the claim bounds it.
    function _trancheCanReceive(GpuDeal d, IGpuDeal.Tranche tranche) internal view returns (uint256) {
        WaterfallLib.Owed memory o = d.owed();
        uint256 claim = tranche == IGpuDeal.Tranche.SENIOR
            ? o.seniorPrincipal + o.seniorInterest
            : o.juniorPrincipal + o.juniorInterest;
        IGpuDeal.State st = d.state();
        if (st == IGpuDeal.State.MATURED) return 0;
        IGpuDeal.Terms memory t = d.terms();
        if (
            t.structure == IGpuDeal.Structure.REVENUE_SHARE
                && (st == IGpuDeal.State.ACTIVE || st == IGpuDeal.State.LATE)
        ) {
            uint256 cap = (t.seniorPrincipal + t.juniorPrincipal) * t.capMultipleBps / 10_000;
            uint256 inflow = cap - d.totalRepaid() + d.cashReserve();
            if (inflow < claim) claim = inflow;
        }
        return claim;
    }

    /// INV-NAV-02: Σ valueOf over sAID's positions ≤ the AID those positions can actually still pay out (a swept or
    /// over deal adds nothing beyond the AID really there).
    function invariant_positionValuesBacked() public view {
        uint256 values;
        uint256 payable_;
        for (uint256 i; i < 6; ++i) {
            TranchePosition p = TranchePosition(handler.positions(i));
            values += p.valueOf(address(sAID));
            payable_ += _canPay(p);
        }
        assertLe(values, payable_, "INV-NAV-02: positions value more than they can pay");
    }

    /// @dev A scripted walk through the handler: a deal goes late, defaults and recovers short; sAID books the loss,
    ///      its NAV per share falls within the booked loss, and the unfilled deal is refunded.
    function test_handler_lateDefaultRecoverBooksLoss() public {
        handler.warp(45 days);
        handler.warp(45 days);
        handler.markLate(0);
        assertEq(uint256(ds[0].state()), uint256(IGpuDeal.State.LATE));
        handler.warp(45 days);
        handler.declareDefault(0);
        assertEq(uint256(ds[0].state()), uint256(IGpuDeal.State.DEFAULTED));
        handler.recover(0, 100_000e18);
        handler.bookLoss(0);
        handler.deallocate(5, 100_000e18);
        assertGt(handler.ghostLossBooked(), 0, "a loss was booked");
        assertGt(handler.ghostNavDrops(), 0, "NAV per share fell");
        assertEq(handler.ghostNavViolations(), 0, "INV-NAV-01");
        assertEq(uint256(ds[3].state()), uint256(IGpuDeal.State.CANCELLED));
        assertGt(handler.ghostOut(address(ds[3])), 0, "refunded");
        invariant_claimsWithinMoneyIn();
    }

    /// @dev The unfilled deal is swept before sAID took its refund: the position values at what it can still pay (0),
    ///      the loss is booked within INV-NAV-01 and INV-NAV-02 holds.
    function test_handler_sweptRefundWrittenOff() public {
        address p = handler.positions(5);
        handler.warp(20 days);
        handler.sweep(3);
        assertTrue(ds[3].swept());
        assertEq(TranchePosition(p).valueOf(address(sAID)), 0);
        handler.bookLoss(5);
        assertEq(sAID.bookedOf(p), 0, "written off");
        assertEq(handler.ghostNavViolations(), 0, "INV-NAV-01");
        invariant_positionValuesBacked();
        vm.prank(allocator);
        sAID.removePosition(p);
    }
}
