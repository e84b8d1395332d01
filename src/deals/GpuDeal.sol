// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealFactory} from "../interfaces/IDealFactory.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {RevenueReadLib} from "../libraries/RevenueReadLib.sol";
import {WaterfallLib} from "../libraries/WaterfallLib.sol";
import {TrancheToken} from "./TrancheToken.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title GpuDeal
/// @notice One ring-fenced GPU/robot financing, deployed by `DealFactory` as a clone. See `IGpuDeal`.
/// @dev Money out of the deal is pull-based: tranche holders through a per-share index per tranche, fee receivers and
///      the borrower through `owedTo`. The deal's AID balance always covers raised-but-undisbursed funding, every
///      holder's claimable amount and `owedTo`; index rounding dust stays in the deal.
contract GpuDeal is IGpuDeal, Initializable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 internal constant BPS = 10_000; // [bps]
    uint256 internal constant MAX_ADVANCE_BPS = 8000; // [bps] principal ≤ 80% of appraised value
    uint256 internal constant MAX_SENIOR_BPS = 8000; // [bps] senior ≤ 80% of principal
    uint256 internal constant MAX_APR_BPS = 5000; // [bps] coupon bound
    uint256 internal constant MIN_TENOR = 90 days; // [s]
    uint256 internal constant MAX_TENOR = 3 * 365 days; // [s]
    uint256 internal constant CASH_RESERVE_BPS = 660; // [bps] 6.6% of principal kept as first-loss cash
    uint256 internal constant PERFORMANCE_FEE_BPS = 1500; // [bps] of tranche interest, to the treasury/insurance
    uint256 internal constant PROTOCOL_FEE_BPS = 25; // [bps] a year on senior principal outstanding, to GAIB stakers
    uint256 internal constant DEFAULT_AFTER = 60 days; // [s] past the due date before a default may be declared
    uint256 internal constant MIN_SHARE_BPS = 5000; // [bps] REVENUE_SHARE share bounds
    uint256 internal constant MAX_SHARE_BPS = 7000; // [bps]
    uint256 internal constant MAX_PERIODS = 156; // payment periods per deal (weekly over 3 years)
    uint256 internal constant SWEEP_DELAY = 365 days; // [s] after CLOSED (or the deadline of a cancelled deal)

    IERC20 public aid;
    Terms internal _terms;
    TrancheToken[2] internal _tokens;
    address public treasury;
    address public protocolFeeReceiver;
    address public revenueReporter; // IRevenueSource (REVENUE_SHARE)
    address public factory;

    State public state;
    uint64 public activatedAt; // [s]
    uint64 public maturity; // [s]
    uint64 public lastAccrual; // [s]
    uint32 public periodsPaid; // periods the borrower is current through
    uint32 public periodCount; // ceil(tenor / paymentInterval)

    uint256 public tokenizationFee; // [wad]
    uint256 public cashReserve; // [wad] held in the deal until maturity or default
    uint256[2] public raised; // [wad] per tranche during funding
    WaterfallLib.Owed internal _owed;
    uint256 internal _perfFeeOwed; // [wad] part of _owed.fees due to the treasury (rest: protocol fee receiver)
    /// @inheritdoc IGpuDeal
    uint256 public totalRepaid; // [wad] paid through `repay`
    uint256 internal _rsCredit; // [wad] REVENUE_SHARE schedule credit: arrears a partner did not inherit as due
    uint64 public closedAt; // [s]
    bool public swept;

    uint256[2] internal _index; // [ray] cumulative AID per tranche token
    mapping(address holder => uint256)[2] internal _checkpoint; // [ray]
    mapping(address holder => uint256)[2] internal _credited; // [wad] settled, unclaimed
    mapping(address account => uint256) public owedTo; // [wad] fees, residual, returned cash reserve

    modifier onlyUnderwriter() {
        if (msg.sender != _terms.underwriter) revert Unauthorized(msg.sender);
        _;
    }

    modifier inState(State s) {
        if (state != s) revert InvalidState(state);
        _;
    }

    constructor() {
        _disableInitializers();
    }

    // ------------------------------------------------------------ init

    /// @inheritdoc IGpuDeal
    function initialize(
        Terms calldata t,
        address aid_,
        address seniorToken,
        address juniorToken,
        address treasury_,
        address protocolFeeReceiver_,
        address revenueReporter_
    ) external initializer {
        if (
            aid_ == address(0) || seniorToken == address(0) || juniorToken == address(0) || treasury_ == address(0)
                || protocolFeeReceiver_ == address(0) || t.borrower == address(0) || t.underwriter == address(0)
        ) revert ZeroAddress();
        _validate(t);
        if (t.structure == Structure.REVENUE_SHARE && revenueReporter_ == address(0)) revert ZeroAddress();
        _terms = t;
        aid = IERC20(aid_);
        _tokens = [TrancheToken(seniorToken), TrancheToken(juniorToken)];
        treasury = treasury_;
        protocolFeeReceiver = protocolFeeReceiver_;
        revenueReporter = revenueReporter_;
        factory = msg.sender;
        uint256 principal = t.seniorPrincipal + t.juniorPrincipal;
        tokenizationFee = WaterfallLib.bpsOf(principal, WaterfallLib.tokenizationFeeBps(t.tenor));
        cashReserve = WaterfallLib.bpsOf(principal, CASH_RESERVE_BPS);
        periodCount = uint32((uint256(t.tenor) + t.paymentInterval - 1) / t.paymentInterval);
        emit DealInitialized(t.borrower, t.underwriter, principal, tokenizationFee);
    }

    function _validate(Terms calldata t) internal view {
        Collateral calldata c = t.collateral;
        if (c.unitCount == 0 || c.appraisedValue == 0 || c.serialsHash == bytes32(0)) revert InvalidCollateral();
        uint256 principal = t.seniorPrincipal + t.juniorPrincipal;
        if (principal == 0) revert ZeroAmount();
        if (principal * BPS > c.appraisedValue * MAX_ADVANCE_BPS) {
            revert AdvanceRateTooHigh(principal, c.appraisedValue);
        }
        if (t.juniorPrincipal == 0 || t.seniorPrincipal * BPS > principal * MAX_SENIOR_BPS) {
            revert SeniorRatioTooHigh(t.seniorPrincipal, principal);
        }
        if (t.tenor < MIN_TENOR || t.tenor > MAX_TENOR) revert InvalidTenor(t.tenor);
        if (
            t.paymentInterval == 0 || t.paymentInterval > t.tenor
                || (uint256(t.tenor) + t.paymentInterval - 1) / t.paymentInterval > MAX_PERIODS
        ) revert InvalidPaymentInterval(t.paymentInterval);
        if (t.seniorAprBps > MAX_APR_BPS) revert InvalidApr(t.seniorAprBps);
        if (t.juniorAprBps > MAX_APR_BPS) revert InvalidApr(t.juniorAprBps);
        if (
            t.structure == Structure.REVENUE_SHARE
                && (t.revenueShareBps < MIN_SHARE_BPS || t.revenueShareBps > MAX_SHARE_BPS || t.capMultipleBps < BPS)
        ) revert InvalidRevenueShare(t.revenueShareBps, t.capMultipleBps);
        if (t.structure == Structure.REVENUE_SHARE && t.minPeriodPayment == 0) {
            revert InvalidMinPeriodPayment(t.minPeriodPayment);
        }
        if (t.fundingDeadline <= block.timestamp) revert InvalidFundingDeadline(t.fundingDeadline);
    }

    // ------------------------------------------------------------ funding

    /// @inheritdoc IGpuDeal
    function deposit(Tranche tranche, uint256 assets) external nonReentrant inState(State.FUNDING) {
        if (assets == 0) revert ZeroAmount();
        if (block.timestamp > _terms.fundingDeadline) revert FundingWindow(_terms.fundingDeadline);
        IDealFactory f = IDealFactory(factory);
        if (f.paused()) revert DepositsPaused();
        if (!f.isInvestorAllowed(msg.sender)) revert InvestorNotAllowed(msg.sender);
        uint256 i = uint256(tranche);
        uint256 remaining = _target(i) - raised[i];
        if (assets > remaining) revert TrancheOverfilled(tranche, assets, remaining);
        raised[i] += assets;
        aid.safeTransferFrom(msg.sender, address(this), assets);
        _tokens[i].mint(msg.sender, assets);
        emit Funded(msg.sender, tranche, assets);
        if (raised[0] == _terms.seniorPrincipal && raised[1] == _terms.juniorPrincipal) _activate();
    }

    /// @inheritdoc IGpuDeal
    function refund(Tranche tranche) external nonReentrant returns (uint256 assets) {
        if (swept) revert AlreadySwept();
        if (state == State.FUNDING) {
            if (block.timestamp <= _terms.fundingDeadline) revert FundingWindow(_terms.fundingDeadline);
            _setState(State.CANCELLED);
            emit Cancelled();
        } else if (state != State.CANCELLED) {
            revert InvalidState(state);
        }
        uint256 i = uint256(tranche);
        assets = _tokens[i].balanceOf(msg.sender);
        if (assets == 0) revert NothingToClaim(msg.sender);
        raised[i] -= assets;
        _tokens[i].burn(msg.sender, assets);
        aid.safeTransfer(msg.sender, assets);
        emit Refunded(msg.sender, tranche, assets);
    }

    function _activate() internal {
        _setState(State.ACTIVE);
        uint256 principal = raised[0] + raised[1];
        raised[0] = 0;
        raised[1] = 0;
        activatedAt = uint64(block.timestamp);
        lastAccrual = uint64(block.timestamp);
        maturity = uint64(block.timestamp + _terms.tenor);
        _owed.seniorPrincipal = _terms.seniorPrincipal;
        _owed.juniorPrincipal = _terms.juniorPrincipal;
        owedTo[treasury] += tokenizationFee;
        uint256 disbursed = principal - tokenizationFee - cashReserve;
        aid.safeTransfer(_terms.borrower, disbursed);
        emit Activated(disbursed, tokenizationFee, cashReserve, maturity);
    }

    // ------------------------------------------------------------ payments

    /// @inheritdoc IGpuDeal
    function repay(uint256 amount) external nonReentrant {
        State s = state;
        if (s != State.ACTIVE && s != State.LATE) revert InvalidState(s);
        if (amount == 0) revert ZeroAmount();
        bool revenueShare = _terms.structure == Structure.REVENUE_SHARE;
        if (revenueShare) {
            uint256 room = _capAmount() - totalRepaid; // > 0: reaching the cap matures the deal
            if (amount > room) amount = room;
        }
        _accrue();
        totalRepaid += amount;
        aid.safeTransferFrom(msg.sender, address(this), amount);
        _distribute(amount, msg.sender);
        if (!revenueShare) _updateSchedule();
        if (WaterfallLib.total(_owed) == 0) {
            _mature();
        } else if (revenueShare && totalRepaid >= _capAmount()) {
            _capReached();
        } else if (s == State.LATE && block.timestamp <= dueDate() + WaterfallLib.GRACE) {
            _setState(State.ACTIVE); // cured
        }
    }

    /// @inheritdoc IGpuDeal
    function markLate() external inState(State.ACTIVE) {
        uint256 lateAt = dueDate() + WaterfallLib.GRACE;
        if (block.timestamp <= lateAt) revert NotLate(lateAt);
        _setState(State.LATE);
    }

    /// @inheritdoc IGpuDeal
    function declareDefault() external nonReentrant onlyUnderwriter inState(State.LATE) {
        uint256 at = dueDate() + DEFAULT_AFTER;
        if (block.timestamp < at) revert DefaultTooEarly(at);
        _accrue(); // last accrual: interest stops while the deal is in default
        _setState(State.DEFAULTED);
        uint256 reserve = cashReserve;
        cashReserve = 0;
        if (reserve > 0) _distribute(reserve, address(this)); // first-loss cash into the waterfall
    }

    /// @inheritdoc IGpuDeal
    function recover(uint256 proceeds) external nonReentrant onlyUnderwriter {
        State s = state;
        if (s != State.DEFAULTED && s != State.RECOVERY) revert InvalidState(s);
        if (proceeds == 0) revert ZeroAmount();
        if (s == State.DEFAULTED) _setState(State.RECOVERY);
        aid.safeTransferFrom(msg.sender, address(this), proceeds);
        emit RecoveryProceeds(msg.sender, proceeds);
        _distribute(proceeds, msg.sender);
    }

    /// @inheritdoc IGpuDeal
    function transferToPartner(address newBorrower) external onlyUnderwriter {
        State s = state;
        if (s != State.DEFAULTED && s != State.RECOVERY) revert InvalidState(s);
        if (newBorrower == address(0)) revert ZeroAddress();
        emit BorrowerTransferred(_terms.borrower, newBorrower);
        _terms.borrower = newBorrower;
        lastAccrual = uint64(block.timestamp); // interest resumes now
        uint256 elapsed = _periodsElapsed();
        // forge-lint: disable-next-line(unsafe-typecast)
        if (elapsed > periodsPaid) periodsPaid = uint32(elapsed); // arrears fall due at the next due date
        if (_terms.structure == Structure.REVENUE_SHARE) {
            // the partner inherits the remaining schedule: arrears stay owed in the waterfall (due by maturity),
            // but the periodic dues restart from here
            uint256 due = _rsCumulativeDue(elapsed < periodCount ? elapsed : periodCount - 1);
            uint256 paid = totalRepaid + _rsCredit;
            if (due > paid) _rsCredit += due - paid;
        }
        _setState(State.ACTIVE);
    }

    /// @inheritdoc IGpuDeal
    function close() external onlyUnderwriter {
        State s = state;
        if (s == State.MATURED) {
            closedAt = uint64(block.timestamp);
            _setState(State.CLOSED);
            return;
        }
        if (s != State.DEFAULTED && s != State.RECOVERY) revert InvalidState(s);
        WaterfallLib.Owed memory o = _owed;
        emit LossRealised(o.seniorPrincipal + o.seniorInterest, o.juniorPrincipal + o.juniorInterest);
        delete _owed;
        _perfFeeOwed = 0;
        closedAt = uint64(block.timestamp);
        _setState(State.CLOSED);
    }

    // ------------------------------------------------------------ claims

    /// @inheritdoc IGpuDeal
    function claim(Tranche tranche, address receiver) external nonReentrant returns (uint256 assets) {
        if (receiver == address(0)) revert ZeroAddress();
        if (swept) revert AlreadySwept();
        uint256 i = uint256(tranche);
        if (state == State.FUNDING || state == State.CANCELLED) revert InvalidState(state);
        _settle(i, msg.sender);
        assets = _credited[i][msg.sender];
        if (assets == 0) revert NothingToClaim(msg.sender);
        _credited[i][msg.sender] = 0;
        aid.safeTransfer(receiver, assets);
        emit Claimed(msg.sender, tranche, receiver, assets);
    }

    /// @inheritdoc IGpuDeal
    function withdrawOwed(address account) external nonReentrant returns (uint256 assets) {
        if (swept) revert AlreadySwept();
        assets = owedTo[account];
        if (assets == 0) revert NothingToClaim(account);
        owedTo[account] = 0;
        aid.safeTransfer(account, assets);
        emit OwedWithdrawn(account, assets);
    }

    /// @inheritdoc IGpuDeal
    function sweep() external nonReentrant returns (uint256 assets) {
        if (swept) revert AlreadySwept();
        State s = state;
        uint256 from;
        if (s == State.CLOSED) {
            from = closedAt;
        } else if (s == State.CANCELLED || (s == State.FUNDING && block.timestamp > _terms.fundingDeadline)) {
            from = _terms.fundingDeadline;
        } else {
            revert InvalidState(s);
        }
        uint256 at = from + SWEEP_DELAY;
        if (block.timestamp < at) revert SweepTooEarly(at);
        if (s == State.FUNDING) {
            _setState(State.CANCELLED);
            emit Cancelled();
        }
        swept = true;
        assets = aid.balanceOf(address(this));
        if (assets > 0) aid.safeTransfer(treasury, assets);
        emit Swept(treasury, assets);
    }

    /// @inheritdoc IGpuDeal
    function onTrancheTransfer(address from, address to) external {
        uint256 i;
        if (msg.sender == address(_tokens[0])) i = 0;
        else if (msg.sender == address(_tokens[1])) i = 1;
        else revert NotTrancheToken(msg.sender);
        _settle(i, from);
        _settle(i, to);
    }

    // ------------------------------------------------------------ views

    /// @inheritdoc IGpuDeal
    function trancheValue(Tranche tranche) public view returns (uint256) {
        State s = state;
        if (s == State.FUNDING) return raised[uint256(tranche)];
        if (s == State.CLOSED || s == State.CANCELLED) return 0;
        (WaterfallLib.Owed memory o,) = _accrued();
        uint256 senior = o.seniorPrincipal + o.seniorInterest;
        uint256 junior = o.juniorPrincipal + o.juniorInterest;
        uint256 mark = markBps();
        if (mark > 0) {
            uint256 exposure = o.fees + senior + junior;
            exposure = exposure > cashReserve ? exposure - cashReserve : 0; // the cash reserve absorbs first
            (senior, junior) = WaterfallLib.applyLoss(senior, junior, WaterfallLib.bpsOf(exposure, mark));
        }
        return tranche == Tranche.SENIOR ? senior : junior;
    }

    /// @inheritdoc IGpuDeal
    function claimable(Tranche tranche, address holder) public view returns (uint256) {
        uint256 i = uint256(tranche);
        return
            _credited[i][holder] + WaterfallLib.earned(_tokens[i].balanceOf(holder), _index[i], _checkpoint[i][holder]);
    }

    /// @inheritdoc IGpuDeal
    function terms() external view returns (Terms memory) {
        return _terms;
    }

    /// @inheritdoc IGpuDeal
    function trancheToken(Tranche tranche) external view returns (address) {
        return address(_tokens[uint256(tranche)]);
    }

    /// @inheritdoc IGpuDeal
    function dueDate() public view returns (uint256) {
        if (activatedAt == 0) return 0;
        uint256 through = _terms.structure == Structure.REVENUE_SHARE ? _rsCurrentThrough() : periodsPaid;
        uint256 due = uint256(activatedAt) + (through + 1) * _terms.paymentInterval;
        return due < maturity ? due : maturity;
    }

    /// @inheritdoc IGpuDeal
    function markBps() public view returns (uint256) {
        State s = state;
        if (s != State.LATE && s != State.DEFAULTED && s != State.RECOVERY) return 0;
        uint256 due = dueDate();
        return block.timestamp > due ? WaterfallLib.markBps(block.timestamp - due) : 0;
    }

    /// @inheritdoc IGpuDeal
    function periodPayment(uint256 period) public view returns (uint256 due, bool reported) {
        if (_terms.structure != Structure.REVENUE_SHARE) revert NotRevenueShare();
        (due, reported,) = _periodDue(period, true);
    }

    /// @inheritdoc IGpuDeal
    function revenueRead(uint256 period) external view returns (uint256 revenue, bool reported, bool ok) {
        if (_terms.structure != Structure.REVENUE_SHARE) revert NotRevenueShare();
        return RevenueReadLib.read(revenueReporter, address(this), period);
    }

    /// @notice What is owed now by waterfall step, accrual included [wad].
    function owed() external view returns (WaterfallLib.Owed memory o) {
        (o,) = _accrued();
    }

    // ------------------------------------------------------------ internals

    function _target(uint256 i) internal view returns (uint256) {
        return i == 0 ? _terms.seniorPrincipal : _terms.juniorPrincipal;
    }

    function _setState(State to) internal {
        emit StateChanged(state, to);
        state = to;
    }

    /// @dev Interest, performance fee and protocol fee accrued since `lastAccrual` (only ACTIVE and LATE accrue).
    function _accrued() internal view returns (WaterfallLib.Owed memory o, uint256 perfFee) {
        o = _owed;
        perfFee = _perfFeeOwed;
        State s = state;
        if (s != State.ACTIVE && s != State.LATE) return (o, perfFee);
        uint256 dt = block.timestamp - lastAccrual;
        if (dt == 0) return (o, perfFee);
        uint256 si = WaterfallLib.interest(o.seniorPrincipal, _terms.seniorAprBps, dt);
        uint256 ji = WaterfallLib.interest(o.juniorPrincipal, _terms.juniorAprBps, dt);
        uint256 perf = WaterfallLib.bpsOf(si + ji, PERFORMANCE_FEE_BPS);
        uint256 perfSenior = WaterfallLib.bpsOf(si, PERFORMANCE_FEE_BPS);
        o.seniorInterest += si - perfSenior;
        o.juniorInterest += ji - (perf - perfSenior);
        perfFee += perf;
        o.fees += perf + WaterfallLib.interest(o.seniorPrincipal, PROTOCOL_FEE_BPS, dt);
    }

    function _accrue() internal {
        (_owed, _perfFeeOwed) = _accrued();
        lastAccrual = uint64(block.timestamp);
    }

    /// @dev Runs `amount` (already in the deal) through the waterfall.
    function _distribute(uint256 amount, address payer) internal {
        WaterfallLib.Owed memory o = _owed;
        WaterfallLib.Split memory sp = WaterfallLib.split(o, amount);
        _owed = WaterfallLib.settle(o, sp);
        if (sp.fees > 0) {
            uint256 perf = sp.fees < _perfFeeOwed ? sp.fees : _perfFeeOwed;
            _perfFeeOwed -= perf;
            owedTo[treasury] += perf;
            owedTo[protocolFeeReceiver] += sp.fees - perf;
        }
        _index[0] += WaterfallLib.indexDelta(sp.seniorInterest + sp.seniorPrincipal, _tokens[0].totalSupply());
        _index[1] += WaterfallLib.indexDelta(sp.juniorInterest + sp.juniorPrincipal, _tokens[1].totalSupply());
        if (sp.residual > 0) owedTo[_terms.borrower] += sp.residual;
        emit Repaid(
            payer,
            amount,
            sp.fees,
            sp.seniorInterest + sp.seniorPrincipal,
            sp.juniorInterest + sp.juniorPrincipal,
            sp.residual
        );
    }

    /// @dev REVENUE_SHARE: the borrower paid principal × cap multiple, its obligation is complete. What the waterfall
    ///      still owes is realised as a loss (junior first: the waterfall already paid senior before junior).
    function _capReached() internal {
        WaterfallLib.Owed memory o = _owed;
        emit CapReached(totalRepaid);
        emit LossRealised(o.seniorPrincipal + o.seniorInterest, o.juniorPrincipal + o.juniorInterest);
        delete _owed;
        _perfFeeOwed = 0;
        _mature();
    }

    function _capAmount() internal view returns (uint256) {
        return WaterfallLib.bpsOf(_terms.seniorPrincipal + _terms.juniorPrincipal, _terms.capMultipleBps); // [wad]
    }

    /// @dev REVENUE_SHARE: the amount due for `period` [wad], read fail-safe (`RevenueReadLib`): a failed read, or
    ///      `read` false (the source already failed in this pass: at most one gas-capped failure per pass), counts as
    ///      unreported, i.e. the minimum payment. `ok` is false when the source was not read or the read failed.
    function _periodDue(uint256 period, bool read) internal view returns (uint256 due, bool reported, bool ok) {
        uint256 revenue;
        if (read) (revenue, reported, ok) = RevenueReadLib.read(revenueReporter, address(this), period);
        due = WaterfallLib.revenueShareDue(reported ? revenue : 0, _terms.revenueShareBps, _terms.minPeriodPayment);
    }

    /// @dev REVENUE_SHARE: Σ of the amounts due for periods 0..k−1, capped at principal × cap multiple [wad].
    function _rsCumulativeDue(uint256 k) internal view returns (uint256 due) {
        uint256 cap = _capAmount();
        bool readable = true;
        for (uint256 j; j < k; ++j) {
            uint256 d;
            (d,, readable) = _periodDue(j, readable);
            due += d;
            if (due >= cap) return cap;
        }
    }

    /// @dev REVENUE_SHARE: the periods the borrower is current through — the largest k ≤ elapsed, k < periodCount (the
    ///      last period needs everything owed, which matures the deal), with totalRepaid + credit ≥ the cumulative due
    ///      of periods 0..k−1; floored by `periodsPaid` (set when a partner takes over). One pass, ≤ 156 reads.
    function _rsCurrentThrough() internal view returns (uint256 k) {
        uint256 elapsed = _periodsElapsed();
        if (elapsed > periodCount - 1) elapsed = periodCount - 1;
        uint256 paid = totalRepaid + _rsCredit;
        uint256 cap = _capAmount();
        uint256 due;
        bool readable = true;
        for (uint256 j; j < elapsed; ++j) {
            uint256 d;
            (d,, readable) = _periodDue(j, readable);
            due += d;
            if (due > cap) due = cap;
            if (paid < due) break;
            k = j + 1;
        }
        if (k < periodsPaid) k = periodsPaid;
    }

    function _mature() internal {
        _setState(State.MATURED);
        uint256 reserve = cashReserve;
        cashReserve = 0;
        owedTo[_terms.borrower] += reserve; // first-loss cash goes back once everything is repaid
    }

    function _periodsElapsed() internal view returns (uint256 n) {
        n = (block.timestamp - activatedAt) / _terms.paymentInterval;
        if (n > periodCount) n = periodCount;
    }

    /// @dev The borrower is current through period k when k periods have elapsed and everything it owes (fees, interest
    ///      and principal, whichever step the waterfall paid) is at most the schedule's principal after k periods
    ///      (amortising: equal parts; bullet: all at the last period). Paying all accrued interest therefore keeps a
    ///      bullet deal current even though the waterfall sends the junior's share to senior principal first.
    function _updateSchedule() internal {
        uint256 n = periodCount;
        uint256 principal = _terms.seniorPrincipal + _terms.juniorPrincipal;
        uint256 owedNow = WaterfallLib.total(_owed);
        if (owedNow > principal) return;
        uint256 k;
        if (owedNow == 0) {
            k = n;
        } else {
            k = _terms.amortising ? (principal - owedNow) * n / principal : n - 1;
            uint256 elapsed = _periodsElapsed();
            if (elapsed < k) k = elapsed;
        }
        // forge-lint: disable-next-line(unsafe-typecast)
        if (k > periodsPaid) periodsPaid = uint32(k);
    }

    function _settle(uint256 i, address holder) internal {
        if (holder == address(0)) return;
        uint256 idx = _index[i];
        uint256 cp = _checkpoint[i][holder];
        if (idx == cp) return;
        _credited[i][holder] += WaterfallLib.earned(_tokens[i].balanceOf(holder), idx, cp);
        _checkpoint[i][holder] = idx;
    }
}
