// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title WaterfallLib
/// @notice Pure math of a GPU deal (§5 of the spec): the payment waterfall fees → senior interest → senior principal →
///         junior interest → junior principal → residual to the borrower; losses junior first with the junior floored
///         at 0; coupon accrual; the tokenization fee; late marks; the per-share claim index. Amounts AID [wad].
library WaterfallLib {
    uint256 internal constant BPS = 10_000; // [bps] 100%
    uint256 internal constant YEAR = 365 days; // [s]
    uint256 internal constant INDEX_SCALE = 1e27; // [ray] per-share index unit
    uint256 internal constant GRACE = 15 days; // [s] LATE (`markLate`) after this past a due date
    uint256 internal constant FULL_MARK = 90 days; // [s] marks run from the due date to 100% this long past it
    uint256 internal constant MIN_FEE_BPS = 25; // [bps] tokenization fee floor (0.25%)
    uint256 internal constant FEE_BPS_PER_YEAR = 100; // [bps] tokenization fee per tenor year (1%)
    uint256 internal constant PERFORMANCE_FEE_BPS = 1500; // [bps] of the interest paid to a tranche, to the treasury
    uint256 internal constant PROTOCOL_FEE_BPS = 25; // [bps] a year on senior principal outstanding, to GAIB stakers

    /// @notice What the deal owes, by waterfall step [wad].
    struct Owed {
        uint256 fees;
        uint256 seniorInterest;
        uint256 seniorPrincipal;
        uint256 juniorInterest;
        uint256 juniorPrincipal;
    }

    /// @notice How one payment is split [wad]; the parts sum to the payment.
    struct Split {
        uint256 fees;
        uint256 seniorInterest;
        uint256 seniorPrincipal;
        uint256 juniorInterest;
        uint256 juniorPrincipal;
        uint256 residual;
    }

    /// @notice Splits `amount` over `owed` in waterfall order; what is left after junior principal is residual.
    function split(Owed memory owed, uint256 amount) internal pure returns (Split memory s) {
        uint256 left = amount;
        (s.fees, left) = _take(owed.fees, left);
        (s.seniorInterest, left) = _take(owed.seniorInterest, left);
        (s.seniorPrincipal, left) = _take(owed.seniorPrincipal, left);
        (s.juniorInterest, left) = _take(owed.juniorInterest, left);
        (s.juniorPrincipal, left) = _take(owed.juniorPrincipal, left);
        s.residual = left;
    }

    /// @notice `owed` after the payment `s` (each step reduced by what it received; never underflows for a split
    ///         computed from the same `owed`).
    function settle(Owed memory owed, Split memory s) internal pure returns (Owed memory) {
        owed.fees -= s.fees;
        owed.seniorInterest -= s.seniorInterest;
        owed.seniorPrincipal -= s.seniorPrincipal;
        owed.juniorInterest -= s.juniorInterest;
        owed.juniorPrincipal -= s.juniorPrincipal;
        return owed;
    }

    /// @notice Total owed across every step [wad].
    function total(Owed memory owed) internal pure returns (uint256) {
        return owed.fees + owed.seniorInterest + owed.seniorPrincipal + owed.juniorInterest + owed.juniorPrincipal;
    }

    /// @notice Simple interest on `principal` at `aprBps` over `elapsed` seconds, rounded down [wad].
    function interest(uint256 principal, uint256 aprBps, uint256 elapsed) internal pure returns (uint256) {
        return principal * aprBps * elapsed / (BPS * YEAR);
    }

    /// @notice What `owed` accrues over `elapsed` seconds at the given coupons: gross senior and junior interest (the
    ///         performance fee is taken later, out of what is actually paid to a tranche) and the protocol fee [wad].
    function accrual(Owed memory owed, uint256 seniorAprBps, uint256 juniorAprBps, uint256 elapsed)
        internal
        pure
        returns (uint256 seniorInterest, uint256 juniorInterest, uint256 protocolFee)
    {
        seniorInterest = interest(owed.seniorPrincipal, seniorAprBps, elapsed);
        juniorInterest = interest(owed.juniorPrincipal, juniorAprBps, elapsed);
        protocolFee = interest(owed.seniorPrincipal, PROTOCOL_FEE_BPS, elapsed);
    }

    /// @notice The performance fee on `paidInterest` of one tranche's interest step: 15%, rounded down [wad].
    function performanceFee(uint256 paidInterest) internal pure returns (uint256) {
        return bpsOf(paidInterest, PERFORMANCE_FEE_BPS);
    }

    /// @notice FIXED schedule: principal still scheduled outstanding after `k` of `n` periods [wad] (amortising:
    ///         `principal` − k × ⌊`principal` / n⌋, so every installment is ⌊`principal` / n⌋ and the last one takes
    ///         the remainder; bullet: all of it until the last period).
    function scheduledPrincipal(uint256 principal, uint256 k, uint256 n, bool amortising)
        internal
        pure
        returns (uint256)
    {
        if (k >= n) return 0;
        return amortising ? principal - k * (principal / n) : principal;
    }

    /// @notice `amount` × `bps` / 10,000, rounded down [wad].
    function bpsOf(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return amount * bps / BPS;
    }

    /// @notice Tokenization fee rate for a `tenor` [s]: max(0.25%, 1% × tenor in years) [bps].
    function tokenizationFeeBps(uint256 tenor) internal pure returns (uint256 feeBps) {
        feeBps = FEE_BPS_PER_YEAR * tenor / YEAR;
        if (feeBps < MIN_FEE_BPS) feeBps = MIN_FEE_BPS;
    }

    /// @notice REVENUE_SHARE amount due for one period: max(`minPayment`, `shareBps` of `revenue`) [wad].
    function revenueShareDue(uint256 revenue, uint256 shareBps, uint256 minPayment) internal pure returns (uint256) {
        uint256 share = bpsOf(revenue, shareBps);
        return share > minPayment ? share : minPayment;
    }

    /// @notice Mark of a deal `lateFor` seconds past its due date: linear from 0 at the due date to 100% at 90 days
    ///         [bps].
    function markBps(uint256 lateFor) internal pure returns (uint256) {
        if (lateFor >= FULL_MARK) return BPS;
        return BPS * lateFor / FULL_MARK;
    }

    /// @notice The tranche claims after a `mark` [bps] of the deal's `exposure` (everything owed) [wad]: what exceeds
    ///         `cover` (the most the waterfall can still receive; REVENUE_SHARE: what the cap leaves plus the cash
    ///         reserve) can never be paid and is written off; the first-loss cash `reserve` absorbs the mark of the rest
    ///         first; the write-down hits the junior first.
    /// @return seniorAfter The senior claim after the write-down.
    /// @return juniorAfter The junior claim after the write-down.
    function markDown(uint256 senior, uint256 junior, uint256 exposure, uint256 cover, uint256 reserve, uint256 mark)
        internal
        pure
        returns (uint256 seniorAfter, uint256 juniorAfter)
    {
        uint256 unpayable;
        if (exposure > cover) (unpayable, exposure) = (exposure - cover, cover);
        uint256 loss = bpsOf(exposure, mark);
        return applyLoss(senior, junior, unpayable + (loss > reserve ? loss - reserve : 0));
    }

    /// @notice Applies `loss` to the tranche claims junior first; each is floored at 0.
    /// @return seniorAfter The senior claim after the loss.
    /// @return juniorAfter The junior claim after the loss.
    function applyLoss(uint256 senior, uint256 junior, uint256 loss)
        internal
        pure
        returns (uint256 seniorAfter, uint256 juniorAfter)
    {
        if (loss <= junior) return (senior, junior - loss);
        loss -= junior;
        seniorAfter = loss >= senior ? 0 : senior - loss;
    }

    /// @notice The index increase that spreads `amount` over `supply` shares, rounded down [ray]; dust stays in the
    ///         deal (at most `supply / 1e27 + 1` wei per distribution).
    function indexDelta(uint256 amount, uint256 supply) internal pure returns (uint256) {
        return supply == 0 ? 0 : amount * INDEX_SCALE / supply;
    }

    /// @notice What `balance` shares earned while the index moved from `checkpoint` to `index`, rounded down [wad].
    function earned(uint256 balance, uint256 index, uint256 checkpoint) internal pure returns (uint256) {
        return balance * (index - checkpoint) / INDEX_SCALE;
    }

    function _take(uint256 owed, uint256 left) private pure returns (uint256 paid, uint256 rest) {
        paid = owed < left ? owed : left;
        rest = left - paid;
    }
}
