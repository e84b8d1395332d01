// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IGpuDeal
/// @notice One ring-fenced financing of a GPU cluster or robot fleet (§5 of the spec): a clone created by the
///         `DealFactory` that holds only its own AID. Investors fund a SENIOR and a JUNIOR tranche (ERC-20 tokens
///         minted 1:1 per AID) during a funding window; on activation the borrower receives principal − tokenization
///         fee − cash reserve, and repays through the waterfall fees → senior interest → senior principal → junior
///         interest → junior principal → residual to the borrower. Holders pull what is paid to their tranche through a
///         per-share index. Lifecycle: FUNDING → ACTIVE → LATE → DEFAULTED → RECOVERY → CLOSED, or
///         ACTIVE → MATURED → CLOSED; FUNDING → CANCELLED when the window closes unfilled (full refunds).
///         Amounts are AID [wad]; rates [bps]; times [s].
interface IGpuDeal {
    // ---------------------------------------------------------------- types

    /// @notice What backs the deal: asset-agnostic so robot fleets use the same contracts.
    enum AssetClass {
        GPU,
        ROBOT
    }

    /// @notice How the borrower repays.
    enum Structure {
        FIXED, // coupons at fixed APRs, amortising (per period) or bullet (principal at maturity)
        REVENUE_SHARE // a share of reported revenue per period (with a minimum) until principal × cap multiple is paid
    }

    /// @notice The deal's lifecycle state.
    enum State {
        FUNDING,
        ACTIVE,
        LATE,
        DEFAULTED,
        RECOVERY,
        MATURED,
        CLOSED,
        CANCELLED
    }

    /// @notice The two tranches.
    enum Tranche {
        SENIOR,
        JUNIOR
    }

    /// @notice Collateral record attested by the underwriter.
    struct Collateral {
        AssetClass assetClass;
        bytes32 model; // e.g. "H100-SXM5-80GB"
        uint32 unitCount; // GPUs or robots
        uint256 appraisedValue; // [wad] AID
        bytes32 serialsHash; // keccak256 of the serial number list (kept off-chain)
        bytes32 nodeIdsRoot; // keccak256 / Merkle root of the node ids reporting telemetry (§6)
    }

    /// @notice The terms of a financing, fixed at creation (validated by the deal).
    struct Terms {
        address borrower;
        address underwriter;
        Collateral collateral;
        Structure structure;
        uint256 seniorPrincipal; // [wad] AID raised by the senior tranche
        uint256 juniorPrincipal; // [wad] AID raised by the junior tranche
        uint16 seniorAprBps; // [bps] senior coupon (FIXED; REVENUE_SHARE: the senior's target yield)
        uint16 juniorAprBps; // [bps] junior coupon
        uint16 revenueShareBps; // [bps] REVENUE_SHARE only: 5,000–7,000 of reported revenue
        uint16 capMultipleBps; // [bps] REVENUE_SHARE only: repay until principal × cap (≥ 10,000)
        uint256 minPeriodPayment; // [wad] REVENUE_SHARE only: minimum payment per period (> 0)
        bool amortising; // FIXED only: principal repaid in equal parts each period (else bullet at maturity)
        uint32 tenor; // [s] 90 days – 3 years
        uint32 paymentInterval; // [s] default 30 days
        uint32 fundingDeadline; // [s] unix time the funding window closes
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted once, when the clone is initialized with its terms.
    event DealInitialized(address indexed borrower, address indexed underwriter, uint256 principal, uint256 fee);

    /// @notice Emitted when `investor` funds `assets` into `tranche`.
    event Funded(address indexed investor, Tranche indexed tranche, uint256 assets);

    /// @notice Emitted when `investor` is refunded `assets` from an unfilled `tranche`.
    event Refunded(address indexed investor, Tranche indexed tranche, uint256 assets);

    /// @notice Emitted when the deal activates and disburses to the borrower.
    event Activated(uint256 disbursed, uint256 fee, uint256 cashReserve, uint256 maturity);

    /// @notice Emitted when the funding window closes unfilled.
    event Cancelled();

    /// @notice Emitted on each payment run through the waterfall: what went to fees, to each tranche (interest and
    ///         principal) and back to the borrower.
    event Repaid(
        address indexed payer, uint256 amount, uint256 toFees, uint256 toSenior, uint256 toJunior, uint256 residual
    );

    /// @notice Emitted when the state changes.
    event StateChanged(State from, State to);

    /// @notice Emitted when `holder` claims `assets` from `tranche`.
    event Claimed(address indexed holder, Tranche indexed tranche, address indexed receiver, uint256 assets);

    /// @notice Emitted when liquidation proceeds enter the waterfall.
    event RecoveryProceeds(address indexed payer, uint256 amount);

    /// @notice Emitted when the deal is transferred to a partner cloud that inherits the remaining schedule.
    event BorrowerTransferred(address indexed from, address indexed to);

    /// @notice Emitted when `account` withdraws `assets` the deal owed it outside the tranches.
    event OwedWithdrawn(address indexed account, uint256 assets);

    /// @notice Emitted when the waterfall pays interest to the tranches: what each tranche's interest step received
    ///         and the performance fee (15% of it) taken from it for the treasury.
    event InterestPaid(uint256 seniorInterest, uint256 juniorInterest, uint256 performanceFee);

    /// @notice Emitted when the factory's admin rotates the deal's underwriter.
    event UnderwriterChanged(address indexed from, address indexed to);

    /// @notice Emitted when a loss is crystallised (at close, or when a REVENUE_SHARE cap is reached): what each tranche
    ///         will never be paid. Only ever after the cash reserve has run through the waterfall.
    event LossRealised(uint256 seniorLoss, uint256 juniorLoss);

    /// @notice Emitted when a REVENUE_SHARE borrower has paid principal × cap multiple: its obligation is complete.
    event CapReached(uint256 totalRepaid);

    /// @notice Emitted when the AID left in a closed or cancelled deal is swept to the treasury after the grace period.
    event Swept(address indexed to, uint256 assets);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a required address is zero.
    error ZeroAddress();

    /// @notice Thrown when an amount is zero.
    error ZeroAmount();

    /// @notice Thrown when the principal exceeds 80% of the collateral's appraised value.
    error AdvanceRateTooHigh(uint256 principal, uint256 appraisedValue);

    /// @notice Thrown when the tenor is outside 90 days – 3 years.
    error InvalidTenor(uint256 tenor);

    /// @notice Thrown when the payment interval is zero, longer than the tenor or gives more than 156 periods.
    error InvalidPaymentInterval(uint256 paymentInterval);

    /// @notice Thrown when the senior tranche is more than 80% of the principal (or the junior is empty).
    error SeniorRatioTooHigh(uint256 seniorPrincipal, uint256 principal);

    /// @notice Thrown when a coupon APR is above the bound (50%).
    error InvalidApr(uint256 aprBps);

    /// @notice Thrown when the REVENUE_SHARE parameters are out of bounds (share 50–70%, cap ≥ 1x).
    error InvalidRevenueShare(uint256 revenueShareBps, uint256 capMultipleBps);

    /// @notice Thrown when the funding deadline is not in the future.
    error InvalidFundingDeadline(uint256 fundingDeadline);

    /// @notice Thrown when the collateral record is empty (no units, no value or no serials hash).
    error InvalidCollateral();

    /// @notice Thrown when the call is not allowed in the deal's current state.
    error InvalidState(State current);

    /// @notice Thrown when a deposit would overfill a tranche.
    error TrancheOverfilled(Tranche tranche, uint256 assets, uint256 remaining);

    /// @notice Thrown when the funding window is still open (refund) or already closed (deposit).
    error FundingWindow(uint256 fundingDeadline);

    /// @notice Thrown when activation is attempted before both tranches are filled.
    error NotFilled(uint256 seniorRaised, uint256 juniorRaised);

    /// @notice Thrown when the deal is marked late before the grace period after the due date has passed.
    error NotLate(uint256 lateAt);

    /// @notice Thrown when a default is declared before 60 days late.
    error DefaultTooEarly(uint256 defaultableAt);

    /// @notice Thrown when the caller lacks the deal role the call needs (the underwriter calls need the deal's
    ///         underwriter to still hold the factory's UNDERWRITER_ROLE).
    error Unauthorized(address caller);

    /// @notice Thrown when there is nothing to refund or claim.
    error NothingToClaim(address holder);

    /// @notice Thrown when the deal cannot close yet (money still owed or unclaimed).
    error CannotClose();

    /// @notice Thrown when a REVENUE_SHARE deal has no minimum payment per period.
    error InvalidMinPeriodPayment(uint256 minPeriodPayment);

    /// @notice Thrown when a REVENUE_SHARE-only view is called on a FIXED deal.
    error NotRevenueShare();

    /// @notice Thrown when the factory's guardian paused tranche deposits.
    error DepositsPaused();

    /// @notice Thrown when a depositor is not on the factory's KYC allowlist.
    error InvestorNotAllowed(address investor);

    /// @notice Thrown when the sweep is attempted before `sweepableAt` [s].
    error SweepTooEarly(uint256 sweepableAt);

    /// @notice Thrown when the deal's leftover AID was already swept (nothing is left to pay out).
    error AlreadySwept();

    /// @notice Thrown when a period number is outside 1..periodCount.
    error PeriodOutOfRange(uint256 period, uint256 periodCount);

    /// @notice Thrown when the tranche token calls back with an unknown token.
    error NotTrancheToken(address caller);

    /// @notice Thrown when a revenue read failed while the caller left too little gas for a fair read (a starved read
    ///         must not turn a reported period into an unreported one); retry with more gas.
    error RevenueReadOutOfGas();

    // ---------------------------------------------------------------- lifecycle

    /// @notice Sets the terms once (called by the factory on the fresh clone); reverts on invalid terms.
    function initialize(
        Terms calldata terms,
        address aid,
        address seniorToken,
        address juniorToken,
        address treasury,
        address protocolFeeReceiver,
        address revenueReporter
    ) external;

    /// @notice Funds `assets` AID into `tranche` during the funding window; mints tranche tokens 1:1. The deposit
    ///         that fills the last tranche activates the deal: principal − fee − cash reserve go to the borrower.
    ///         The depositor must be on the factory's KYC allowlist and the factory must not be paused; after the
    ///         funding deadline deposits revert with `FundingWindow` (the deal can only be cancelled and refunded).
    function deposit(Tranche tranche, uint256 assets) external;

    /// @notice After an unfilled window closes: cancels the deal and refunds the caller's tranche tokens 1:1.
    function refund(Tranche tranche) external returns (uint256 assets);

    /// @notice Pays `amount` AID into the waterfall (anyone, usually the borrower). REVENUE_SHARE: at most what is
    ///         left of principal × cap multiple is taken; reaching the cap completes the borrower's obligation: the
    ///         cash reserve runs through the waterfall, anything still owed after it is realised as a loss (junior
    ///         first), what is left of it after both tranches are whole goes to the borrower, and the deal matures.
    function repay(uint256 amount) external;

    /// @notice Marks an ACTIVE deal LATE once a payment is more than the 15-day grace overdue (anyone; REVENUE_SHARE:
    ///         what a late report adds is overdue from the report, see `dueDate`). Marks do not
    ///         wait for this call nor for the grace (see `markBps`); the LATE state is what `declareDefault` needs.
    function markLate() external;

    /// @notice Underwriter: declares a LATE deal DEFAULTED once 60 days late; the cash reserve enters the waterfall.
    function declareDefault() external;

    /// @notice Underwriter: pays liquidation proceeds into the waterfall (DEFAULTED/RECOVERY).
    function recover(uint256 proceeds) external;

    /// @notice Underwriter: transfers a DEFAULTED deal to a partner cloud that inherits the remaining schedule: it is
    ///         current through the periods elapsed, its dues run from the current period on and only its own payments
    ///         are compared with them (REVENUE_SHARE: a predecessor period reported later stays the predecessor's
    ///         arrears, owed in the waterfall, and never makes the partner late).
    function transferToPartner(address newBorrower) external;

    /// @notice Underwriter: closes the deal, crystallising any loss (after maturity or when recovery ends).
    function close() external;

    /// @notice Factory only (`DealFactory.setDealUnderwriter`, admin-gated): hands the deal's underwriter calls to
    ///         `newUnderwriter`.
    function setUnderwriter(address newUnderwriter) external;

    /// @notice Sends the caller's claimable AID from `tranche` to `receiver`.
    function claim(Tranche tranche, address receiver) external returns (uint256 assets);

    /// @notice Sends what the deal owes `account` outside the tranches (fees to the fee receivers, residual and the
    ///         returned cash reserve to the borrower) to it; pull-based so a blocked receiver blocks nobody.
    function withdrawOwed(address account) external returns (uint256 assets);

    /// @notice Sends every AID left in the deal to the treasury, once: 365 days after CLOSED, or 365 days after the
    ///         funding deadline of a cancelled (or never filled) deal (anyone). Unclaimed tranche payments, owed
    ///         amounts, unrefunded funding and index dust would otherwise be stranded forever; afterwards claims,
    ///         refunds and `withdrawOwed` revert with `AlreadySwept` and `claimable` is 0 (what can no longer be paid
    ///         is worth nothing: an sAID position in the deal values at 0 and is written off).
    function sweep() external returns (uint256 assets);

    /// @notice REVENUE_SHARE, ACTIVE or LATE (anyone, e.g. the revenue reporter after a report): records the run of
    ///         covered periods whose revenue is reported, so the due date, tranche values and marks only walk the
    ///         periods after it (`repay` records it too). Reverts `NotRevenueShare` on a FIXED deal.
    function syncSchedule() external;

    /// @notice Hook called by a tranche token before a transfer so the index settles both sides.
    function onTrancheTransfer(address from, address to) external;

    // ---------------------------------------------------------------- views

    /// @notice Principal outstanding + accrued interest net of the performance fee − marks of `tranche` [wad] (the
    ///         value sAID books; marks: see `markBps`). An ACTIVE or LATE REVENUE_SHARE deal's tranches are also written
    ///         down (junior first) by what is owed beyond what the cap leaves plus the cash reserve: the borrower's
    ///         obligation ends at the cap, so no path pays more.
    function trancheValue(Tranche tranche) external view returns (uint256);

    /// @notice The AID `holder` can claim from `tranche` now [wad] (0 once the deal was swept).
    function claimable(Tranche tranche, address holder) external view returns (uint256);

    /// @notice The current state.
    function state() external view returns (State);

    /// @notice The terms.
    function terms() external view returns (Terms memory);

    /// @notice The tranche token of `tranche`.
    function trancheToken(Tranche tranche) external view returns (address);

    /// @notice The tokenization fee paid by the borrower out of the disbursement [wad].
    function tokenizationFee() external view returns (uint256);

    /// @notice The first-loss cash reserve kept in the deal [wad].
    function cashReserve() external view returns (uint256);

    /// @notice What the deal owes `account` outside the tranches [wad] (see `withdrawOwed`).
    function owedTo(address account) external view returns (uint256);

    /// @notice Whether the deal's leftovers were swept to the treasury (see `sweep`).
    function swept() external view returns (bool);

    /// @notice The periods the borrower is current through, judged lazily from amounts, never from payment times
    ///         (see `dueDate`).
    function periodsPaid() external view returns (uint256);

    /// @notice The due date of the next unpaid period [s]. FIXED: the borrower is current through period k (below the
    ///         last, which needs everything owed) when what it has paid down covers everything accrued by due date k
    ///         (interest and protocol fee) plus the principal the schedule repays by then (amortising: installments of
    ///         ⌊principal / periodCount⌋, the last takes the remainder; bullet: at maturity); paying early counts at
    ///         once, paying late cures (`dueToBeCurrent` says how much). REVENUE_SHARE: the borrower is current through
    ///         period k when it has paid at least the cumulative amount due for periods 0..k−1, each max(minimum
    ///         payment, share × the period's reported revenue) (a period whose revenue is not reported yet counts at the
    ///         minimum; a later report can make an earlier due date the binding one), capped at principal × cap
    ///         multiple; after a partner transfer only the partner's payments count, against its own periods from the
    ///         transfer on (cap: what is left of it). The last period needs everything owed. The revenue source is read
    ///         fail-safe (see `revenueRead`): this view never reverts because of the source. Reports are final: the
    ///         deal caches the covered run of reported periods (`syncSchedule`) and reads only the periods after it.
    ///         REVENUE_SHARE, once behind: the due date is when the borrower fell behind, the earliest time by which
    ///         what had fallen due exceeds what it paid, each period's minimum falling due at the period's due date and
    ///         the part above it at max(due date, report time) (`IRevenueSource.revenueOf`; counted at most
    ///         `ScheduleLib.MAX_REPORT_LAG` = 30 days after the due date, a report time in the future too; a period
    ///         never reported adds nothing above the minimum). So a borrower that paid everything known at a due date
    ///         owes a due that a later report adds only from the report, while one that had not paid the minimum is
    ///         behind from the due date. Marks
    ///         (`markBps`), `markLate` (+15 days), the cure and `declareDefault` (+60 days) run from this date, except
    ///         that for the last three a REVENUE_SHARE report is counted up to `ScheduleLib.MAX_LATE_REPORT_LAG` = 180
    ///         days late (what a late report adds is enforced only from the report; `graceFrom` shows the resulting
    ///         time, `NotLate` / `DefaultTooEarly` carry it).
    function dueDate() external view returns (uint256);

    /// @notice When the LATE grace, the cure window and the default timer start [s] (0 before activation): `dueDate`,
    ///         except that in a REVENUE_SHARE deal a report is counted up to `ScheduleLib.MAX_LATE_REPORT_LAG` = 180
    ///         days late (what a late report adds is enforced only from the report, never before the borrower could
    ///         know the amount). `markLate` opens after `graceFrom() + 15 days` (`NotLate`), `declareDefault` at
    ///         `graceFrom() + 60 days` (`DefaultTooEarly`), a LATE deal's payment cures until `graceFrom() + 15 days`.
    function graceFrom() external view returns (uint256);

    /// @notice What a payment now must bring (at least) for the borrower to be current through period `k` (1-based,
    ///         ≤ `periodCount`; 0 if it already is) [wad], as `dueDate` judges it: paying it makes the due date later
    ///         than period k's. FIXED: everything accrued by due date k (projected if ahead; interest and protocol
    ///         fee) plus the principal scheduled by then, less what was paid; the amortising installment is
    ///         ⌊principal / periodCount⌋ per period (the last one takes the remainder), so a borrower paying the
    ///         interest `owed()` shows plus ⌊principal / periodCount⌋ at each due date is current. REVENUE_SHARE: the
    ///         cumulative due of the current borrower's periods through k − 1 at the revenue reported so far, less what
    ///         it paid (a later report can raise it). k = `periodCount`: everything owed now (REVENUE_SHARE: at most
    ///         what is left of the cap), which matures the deal. Reverts `InvalidState` unless ACTIVE or LATE and
    ///         `PeriodOutOfRange` for k outside 1..periodCount.
    function dueToBeCurrent(uint256 k) external view returns (uint256);

    /// @notice REVENUE_SHARE: the amount due for `period` = max(minimum payment, share × reported revenue) [wad] and
    ///         whether the period's revenue is reported (if not, the minimum applies for now). A failed read of the
    ///         revenue source counts as not reported (see `revenueRead`).
    function periodPayment(uint256 period) external view returns (uint256 due, bool reported);

    /// @notice REVENUE_SHARE: the fail-safe read of `period`'s revenue from the deal's revenue source, as every view
    ///         of the deal uses it (due date, tranche values, marks, hence sAID's NAV and loss sync). The source gets at
    ///         most 30,000 gas and at most 64 bytes of its answer are read; if it reverts, runs out of gas, answers
    ///         fewer than 64 bytes or a flag other than 0/1, the read fails (`ok` false) and the period counts as not
    ///         reported: its minimum payment applies. Revenue above 2^128−1 is clamped. A view (no event) so that
    ///         monitoring can spot a failing source. In a pass over many periods only the first failure costs gas;
    ///         later periods then count as not reported too. Reverts with `RevenueReadOutOfGas` only if the read
    ///         failed while the caller left too little gas for a fair read.
    /// @return revenue The period's revenue [wad] (0 when the read failed).
    /// @return reported Whether the period's revenue is reported (false when the read failed).
    /// @return ok Whether the source answered well-formed.
    function revenueRead(uint256 period) external view returns (uint256 revenue, bool reported, bool ok);

    /// @notice Everything paid through `repay` so far [wad] (REVENUE_SHARE: counts toward the cap).
    function totalRepaid() external view returns (uint256);

    /// @notice The current mark of the deal's exposure [bps]: linear from 0 at the due date of the first unpaid period
    ///         to 10,000 at 90 days past it, computed from time and the due date whether or not anyone called
    ///         `markLate` (the LATE state, after the 15-day grace, and the default timer are separate). `trancheValue`
    ///         writes the tranches down (junior first) by this share of everything owed less the first-loss cash
    ///         reserve, which absorbs the mark first: a payment a few days late (while the mark stays within the
    ///         reserve: 6.6% of principal ≈ 6 days) writes nothing down, and at 90 days the tranches carry only what
    ///         the reserve covers. A payment that makes the borrower current removes the mark at once.
    function markBps() external view returns (uint256);
}
