// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {TranchePosition} from "../../src/deals/TranchePosition.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {WaterfallLib} from "../../src/libraries/WaterfallLib.sol";
import {DealBase} from "./DealBase.sol";

/// @notice Second fresh-eyes review of the issue-12 fix (deals part, after the cached REVENUE_SHARE prefix and the
///         due-date marks).
contract DealReview12bTest is DealBase {
    IGpuDeal.Tranche internal SR = IGpuDeal.Tranche.SENIOR;
    IGpuDeal.Tranche internal JR = IGpuDeal.Tranche.JUNIOR;
    uint256 internal constant GRACE = 15 days; // [s]

    function _unmarkedJunior(GpuDeal deal) internal view returns (uint256) {
        WaterfallLib.Owed memory o = deal.owed();
        return o.juniorPrincipal + o.juniorInterest - WaterfallLib.performanceFee(o.juniorInterest);
    }

    /// @dev A REVENUE_SHARE borrower's whole obligation is capped at principal × cap multiple: reaching the cap
    ///      realises whatever the waterfall still owes as a loss. With coupons accruing faster than the revenue pays
    ///      them, everything owed exceeds what the cap leaves (plus the first-loss cash), yet `trancheValue` counts all
    ///      of it, so sAID's NAV holds money no path can pay (at the cap the difference is realised as a loss).
    function test_review12b_revenueShareTrancheValuedAboveCap() public {
        IGpuDeal.Terms memory t = _rsTerms();
        t.capMultipleBps = 10_000; // 1x: the borrower repays at most the principal
        t.seniorAprBps = 2000;
        t.juniorAprBps = 4000;
        GpuDeal deal = _create(t);
        _fund(deal, seniorInvestor, SR, SENIOR);
        _fund(deal, juniorInvestor, JR, JUNIOR);
        for (uint256 k = 1; k <= 6; ++k) {
            vm.warp(deal.activatedAt() + k * INTERVAL);
            uint256 need = deal.dueToBeCurrent(k);
            if (need > 0) _repay(deal, borrower, need); // the minimum each period (nothing reported)
        }
        assertEq(deal.markBps(), 0, "current");
        uint256 cap = PRINCIPAL * t.capMultipleBps / 10_000;
        uint256 canPay = cap - deal.totalRepaid() + deal.cashReserve(); // the most the waterfall can still receive
        uint256 valued = deal.trancheValue(SR) + deal.trancheValue(JR);
        assertLe(valued, canPay, "tranches valued above what the capped deal can pay");
        // paying the cap shows it: the tranches receive at most what was left of it and the reserve
        uint256 jBefore = deal.claimable(JR, juniorInvestor);
        uint256 sBefore = deal.claimable(SR, seniorInvestor);
        _repay(deal, borrower, cap - deal.totalRepaid());
        assertEq(uint256(deal.state()), uint256(IGpuDeal.State.MATURED));
        uint256 got = deal.claimable(JR, juniorInvestor) - jBefore + deal.claimable(SR, seniorInvestor) - sBefore;
        assertLe(got, canPay);
    }
}
