// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealFactory} from "../interfaces/IDealFactory.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {DealTermsLib} from "../libraries/DealTermsLib.sol";
import {RevenueReadLib} from "../libraries/RevenueReadLib.sol";
import {ScheduleLib} from "../libraries/ScheduleLib.sol";
import {WaterfallLib} from "../libraries/WaterfallLib.sol";
import {TrancheToken} from "./TrancheToken.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title GpuDeal
/// @notice One ring-fenced GPU/robot financing, deployed by `DealFactory` as a clone. See `IGpuDeal`.
/// @dev Money out of the deal is pull-based: tranche holders through a per-share index per tranche, fee receivers and
///      the borrower through `owedTo`. The deal's AID balance always covers raised-but-undisbursed funding, every
///      holder's claimable amount and `owedTo`; index rounding dust stays in the deal.
contract GpuDeal is IGpuDeal, Initializable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 internal constant CASH_RESERVE_BPS = 660; // [bps] 6.6% of principal kept as first-loss cash
    bytes32 internal constant UNDERWRITER_ROLE = keccak256("UNDERWRITER_ROLE"); // the factory's role
    uint256 internal constant DEFAULT_AFTER = 60 days; // [s] past the due date before a default may be declared
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
    uint32 internal _periodsFloor; // periods the borrower was last recorded current through (see `periodsPaid`)
    uint32 public periodCount; // ceil(tenor / paymentInterval)

    uint256 public tokenizationFee; // [wad]
    uint256 public cashReserve; // [wad] first-loss cash held until maturity, default or the REVENUE_SHARE cap
    uint256[2] public raised; // [wad] per tranche during funding
    WaterfallLib.Owed internal _owed;
    uint256 public accruedTotal; // [wad] interest + protocol fee accrued up to `lastAccrual`
    /// @inheritdoc IGpuDeal
    uint256 public totalRepaid; // [wad] paid through `repay`
    uint256 internal _rsBasePaid; // [wad] REVENUE_SHARE: totalRepaid when the current borrower took over (0: original)
    uint64 public closedAt; // [s]
    bool public swept;
    uint32 internal _rsPrefix; // REVENUE_SHARE: end of the cached run of reported, covered periods (see `_rsCheckpoint`)
    uint128 internal _rsPrefixDue; // [wad] REVENUE_SHARE: cumulative due of the current borrower's periods < _rsPrefix
    mapping(uint256 period => uint256) internal _accruedAtDue; // [wad] FIXED: accruedTotal at due date k, once passed

    uint256[2] internal _index; // [ray] cumulative AID per tranche token
    mapping(address holder => uint256)[2] internal _checkpoint; // [ray]
    mapping(address holder => uint256)[2] internal _credited; // [wad] settled, unclaimed
    mapping(address account => uint256) public owedTo; // [wad] fees, residual, returned cash reserve

    /// @dev The deal's underwriter, while it still holds the factory's UNDERWRITER_ROLE (the factory is authoritative).
    modifier onlyUnderwriter() {
        if (msg.sender != _terms.underwriter || !IAccessControl(factory).hasRole(UNDERWRITER_ROLE, msg.sender)) {
            revert Unauthorized(msg.sender);
        }
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
        DealTermsLib.validate(t);
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

    // ------------------------------------------------------------ funding

    /// @inheritdoc IGpuDeal
    function deposit(Tranche tranche, uint256 assets) external nonReentrant inState(State.FUNDING) {
        _nonZero(assets);
        if (block.timestamp > _terms.fundingDeadline) revert FundingWindow(_terms.fundingDeadline);
        IDealFactory f = IDealFactory(factory);
        if (f.paused()) revert DepositsPaused();
        if (!f.isInvestorAllowed(msg.sender)) revert InvestorNotAllowed(msg.sender);
        uint256 i = uint256(tranche);
        uint256 remaining = (i == 0 ? _terms.seniorPrincipal : _terms.juniorPrincipal) - raised[i];
        if (assets > remaining) revert TrancheOverfilled(tranche, assets, remaining);
        raised[i] += assets;
        aid.safeTransferFrom(msg.sender, address(this), assets);
        _tokens[i].mint(msg.sender, assets);
        emit Funded(msg.sender, tranche, assets);
        if (raised[0] == _terms.seniorPrincipal && raised[1] == _terms.juniorPrincipal) _activate();
    }

    /// @inheritdoc IGpuDeal
    function refund(Tranche tranche) external nonReentrant returns (uint256 assets) {
        _notSwept();
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
        State s = _running();
        _nonZero(amount);
        bool revenueShare = _terms.structure == Structure.REVENUE_SHARE;
        if (revenueShare) {
            uint256 room = _capAmount() - totalRepaid; // > 0: reaching the cap matures the deal
            if (amount > room) amount = room;
        }
        (uint256 first, uint256[] memory atDue) = _accrue();
        totalRepaid += amount;
        aid.safeTransferFrom(msg.sender, address(this), amount);
        _distribute(amount, msg.sender);
        if (revenueShare) _rsCheckpoint();
        else _checkpointSchedule(first, atDue);
        if (WaterfallLib.total(_owed) == 0) {
            _mature();
        } else if (revenueShare && totalRepaid >= _capAmount()) {
            _capReached();
        } else if (s == State.LATE && block.timestamp <= graceFrom() + WaterfallLib.GRACE) {
            _setState(State.ACTIVE); // cured
        }
    }

    /// @inheritdoc IGpuDeal
    function markLate() external inState(State.ACTIVE) {
        uint256 lateAt = graceFrom() + WaterfallLib.GRACE;
        if (block.timestamp <= lateAt) revert NotLate(lateAt);
        _setState(State.LATE);
    }

    /// @inheritdoc IGpuDeal
    function declareDefault() external nonReentrant onlyUnderwriter inState(State.LATE) {
        uint256 at = graceFrom() + DEFAULT_AFTER;
        if (block.timestamp < at) revert DefaultTooEarly(at);
        (uint256 first, uint256[] memory atDue) = _accrue(); // last accrual: interest stops while in default
        // the due date freezes here: the cash reserve (not a borrower payment) does not move it
        if (_terms.structure == Structure.FIXED) _checkpointSchedule(first, atDue);
        _setState(State.DEFAULTED);
        _reserveToWaterfall();
    }

    /// @inheritdoc IGpuDeal
    function recover(uint256 proceeds) external nonReentrant onlyUnderwriter {
        State s = _inDefault();
        _nonZero(proceeds);
        if (s == State.DEFAULTED) _setState(State.RECOVERY);
        aid.safeTransferFrom(msg.sender, address(this), proceeds);
        emit RecoveryProceeds(msg.sender, proceeds);
        _distribute(proceeds, msg.sender);
    }

    /// @inheritdoc IGpuDeal
    function transferToPartner(address newBorrower) external onlyUnderwriter {
        _inDefault();
        if (newBorrower == address(0)) revert ZeroAddress();
        emit BorrowerTransferred(_terms.borrower, newBorrower);
        _terms.borrower = newBorrower;
        lastAccrual = uint64(block.timestamp); // interest resumes now
        uint256 elapsed = _periodsElapsed();
        // forge-lint: disable-next-line(unsafe-typecast)
        if (elapsed > _periodsFloor) _periodsFloor = uint32(elapsed); // arrears fall due at the next due date
        if (_terms.structure == Structure.REVENUE_SHARE) {
            // the partner inherits the remaining schedule: its dues run from this period and only its own payments are
            // compared with them; the predecessor's arrears stay owed in the waterfall (due by maturity), even if one
            // of its periods is reported higher later
            // forge-lint: disable-next-line(unsafe-typecast)
            _rsPrefix = uint32(elapsed < periodCount ? elapsed : periodCount - 1);
            _rsPrefixDue = 0;
            _rsBasePaid = totalRepaid;
        }
        _setState(State.ACTIVE);
    }

    /// @inheritdoc IGpuDeal
    function syncSchedule() external {
        _onlyRevenueShare();
        _running();
        _rsCheckpoint();
    }

    /// @inheritdoc IGpuDeal
    function setUnderwriter(address newUnderwriter) external {
        if (msg.sender != factory) revert Unauthorized(msg.sender);
        if (newUnderwriter == address(0)) revert ZeroAddress();
        emit UnderwriterChanged(_terms.underwriter, newUnderwriter);
        _terms.underwriter = newUnderwriter;
    }

    /// @inheritdoc IGpuDeal
    function close() external onlyUnderwriter {
        State s = state;
        if (s == State.MATURED) {
            closedAt = uint64(block.timestamp);
            _setState(State.CLOSED);
            return;
        }
        _inDefault();
        WaterfallLib.Owed memory o = _owed;
        emit LossRealised(o.seniorPrincipal + o.seniorInterest, o.juniorPrincipal + o.juniorInterest);
        delete _owed;
        closedAt = uint64(block.timestamp);
        _setState(State.CLOSED);
    }

    // ------------------------------------------------------------ claims

    /// @inheritdoc IGpuDeal
    function claim(Tranche tranche, address receiver) external nonReentrant returns (uint256 assets) {
        if (receiver == address(0)) revert ZeroAddress();
        _notSwept();
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
        _notSwept();
        assets = owedTo[account];
        if (assets == 0) revert NothingToClaim(account);
        owedTo[account] = 0;
        aid.safeTransfer(account, assets);
        emit OwedWithdrawn(account, assets);
    }

    /// @inheritdoc IGpuDeal
    function sweep() external nonReentrant returns (uint256 assets) {
        _notSwept();
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
        // interest reaches a tranche net of the performance fee taken when it is paid
        uint256 senior = o.seniorPrincipal + o.seniorInterest - WaterfallLib.performanceFee(o.seniorInterest);
        uint256 junior = o.juniorPrincipal + o.juniorInterest - WaterfallLib.performanceFee(o.juniorInterest);
        uint256 reserve = cashReserve;
        // REVENUE_SHARE: the borrower's obligation ends at the cap, what it leaves (and the reserve) is all that can come
        uint256 cover = _terms.structure == Structure.REVENUE_SHARE && (s == State.ACTIVE || s == State.LATE)
            ? _capAmount() - totalRepaid + reserve
            : type(uint256).max;
        (senior, junior) = WaterfallLib.markDown(senior, junior, WaterfallLib.total(o), cover, reserve, markBps());
        return tranche == Tranche.SENIOR ? senior : junior;
    }

    /// @inheritdoc IGpuDeal
    function claimable(Tranche tranche, address holder) public view returns (uint256) {
        if (swept) return 0; // the leftovers went to the treasury: nothing can be paid any more
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
        if (_terms.structure == Structure.REVENUE_SHARE) return _rsDueDate(ScheduleLib.MAX_REPORT_LAG);
        return _dueOf(periodsPaid() + 1);
    }

    /// @inheritdoc IGpuDeal
    function graceFrom() public view returns (uint256) {
        if (_terms.structure == Structure.REVENUE_SHARE && activatedAt != 0) {
            return _rsDueDate(ScheduleLib.MAX_LATE_REPORT_LAG);
        }
        return dueDate();
    }

    /// @inheritdoc IGpuDeal
    function periodsPaid() public view returns (uint256) {
        if (_terms.structure == Structure.REVENUE_SHARE) {
            (uint256 k,,) = _rsCurrentThrough();
            return k;
        }
        State s = state;
        if (s != State.ACTIVE && s != State.LATE) return _periodsFloor;
        return ScheduleLib.currentThrough(_fixed(), _periodsFloor, 0, new uint256[](0), _accruedAtDue);
    }

    /// @inheritdoc IGpuDeal
    function markBps() public view returns (uint256) {
        State s = state;
        if (s != State.ACTIVE && s != State.LATE && s != State.DEFAULTED && s != State.RECOVERY) return 0;
        // from the due date, whether or not anyone called `markLate`; the due date is never before the recorded one
        uint256 known = _periodsFloor;
        if (_rsPrefix > known) known = _rsPrefix; // REVENUE_SHARE: the cached prefix is covered too
        if (block.timestamp <= _dueOf(known + 1)) return 0;
        uint256 due = dueDate();
        return block.timestamp > due ? WaterfallLib.markBps(block.timestamp - due) : 0;
    }

    /// @inheritdoc IGpuDeal
    function periodPayment(uint256 period) public view returns (uint256 due, bool reported) {
        _onlyRevenueShare();
        uint256 revenue;
        (revenue, reported,,) = RevenueReadLib.read(revenueReporter, address(this), period);
        due = WaterfallLib.revenueShareDue(reported ? revenue : 0, _terms.revenueShareBps, _terms.minPeriodPayment);
    }

    /// @inheritdoc IGpuDeal
    function dueToBeCurrent(uint256 k) external view returns (uint256) {
        _running();
        uint256 n = periodCount;
        if (k == 0 || k > n) revert PeriodOutOfRange(k, n);
        (WaterfallLib.Owed memory o, uint256 accrued) = _accrued();
        uint256 owedNow = WaterfallLib.total(o);
        if (_terms.structure == Structure.REVENUE_SHARE) {
            uint256 room = _capAmount() - totalRepaid;
            if (k == n) return owedNow < room ? owedNow : room; // paying everything owed (or the cap) matures the deal
            if (k <= _periodsFloor) return 0;
            (, uint256 dueK,,) = ScheduleLib.coverage(_rsSchedule(0), _rsPrefix, _rsPrefixDue, k, type(uint256).max);
            return dueK > totalRepaid - _rsBasePaid ? dueK - (totalRepaid - _rsBasePaid) : 0;
        }
        if (k == n) return owedNow;
        if (k <= periodsPaid()) return 0;
        return ScheduleLib.shortfall(_fixed(), k, o, accrued, _accruedAtDue);
    }

    /// @inheritdoc IGpuDeal
    function revenueRead(uint256 period) external view returns (uint256 revenue, bool reported, bool ok) {
        _onlyRevenueShare();
        (revenue, reported, ok,) = RevenueReadLib.read(revenueReporter, address(this), period);
    }

    /// @notice What is owed now by waterfall step, accrual included [wad].
    function owed() external view returns (WaterfallLib.Owed memory o) {
        (o,) = _accrued();
    }

    // ------------------------------------------------------------ internals

    /// @dev The state, which must be ACTIVE or LATE (the borrower is running the schedule).
    function _running() internal view returns (State s) {
        s = state;
        if (s != State.ACTIVE && s != State.LATE) revert InvalidState(s);
    }

    /// @dev The state, which must be DEFAULTED or RECOVERY.
    function _inDefault() internal view returns (State s) {
        s = state;
        if (s != State.DEFAULTED && s != State.RECOVERY) revert InvalidState(s);
    }

    function _notSwept() internal view {
        if (swept) revert AlreadySwept();
    }

    function _nonZero(uint256 amount) internal pure {
        if (amount == 0) revert ZeroAmount();
    }

    function _onlyRevenueShare() internal view {
        if (_terms.structure != Structure.REVENUE_SHARE) revert NotRevenueShare();
    }

    /// @dev Runs the first-loss cash reserve through the waterfall (default, REVENUE_SHARE cap).
    function _reserveToWaterfall() internal {
        uint256 reserve = cashReserve;
        cashReserve = 0;
        if (reserve > 0) _distribute(reserve, address(this));
    }

    function _setState(State to) internal {
        emit StateChanged(state, to);
        state = to;
    }

    /// @dev What is owed now: `_owed` plus the interest (gross: the performance fee is taken when interest is paid) and
    ///      protocol fee accrued since `lastAccrual` (only ACTIVE and LATE accrue), and that accrual [wad].
    function _accrued() internal view returns (WaterfallLib.Owed memory o, uint256 accrued) {
        o = _owed;
        State s = state;
        if (s != State.ACTIVE && s != State.LATE) return (o, 0);
        (uint256 si, uint256 ji, uint256 pf) =
            WaterfallLib.accrual(o, _terms.seniorAprBps, _terms.juniorAprBps, block.timestamp - lastAccrual);
        o.seniorInterest += si;
        o.juniorInterest += ji;
        o.fees += pf;
        accrued = si + ji + pf;
    }

    /// @dev Accrues to now. FIXED: also returns `accruedTotal` at each due date the accrual passes beyond the recorded
    ///      coverage (periods `first`, `first` + 1, …), for `_checkpointSchedule` to keep those still uncovered, so a
    ///      later (late) payment is judged against what had accrued by that due date.
    function _accrue() internal returns (uint256 first, uint256[] memory atDue) {
        if (_terms.structure == Structure.FIXED && block.timestamp > lastAccrual) {
            (first, atDue) = ScheduleLib.passedDues(_fixed(), _periodsFloor);
        }
        (WaterfallLib.Owed memory o, uint256 accrued) = _accrued();
        _owed = o;
        accruedTotal += accrued;
        lastAccrual = uint64(block.timestamp);
    }

    /// @dev Runs `amount` (already in the deal) through the waterfall. The performance fee is 15% of what each
    ///      tranche's interest step actually receives, taken at that moment (never on interest a tranche is not paid).
    function _distribute(uint256 amount, address payer) internal {
        WaterfallLib.Owed memory o = _owed;
        WaterfallLib.Split memory sp = WaterfallLib.split(o, amount);
        _owed = WaterfallLib.settle(o, sp);
        uint256 perfSenior = WaterfallLib.performanceFee(sp.seniorInterest);
        uint256 perfJunior = WaterfallLib.performanceFee(sp.juniorInterest);
        if (perfSenior + perfJunior > 0) owedTo[treasury] += perfSenior + perfJunior;
        if (sp.fees > 0) owedTo[protocolFeeReceiver] += sp.fees;
        if (sp.seniorInterest + sp.juniorInterest > 0) {
            emit InterestPaid(sp.seniorInterest, sp.juniorInterest, perfSenior + perfJunior);
        }
        uint256 toSenior = sp.seniorInterest - perfSenior + sp.seniorPrincipal;
        uint256 toJunior = sp.juniorInterest - perfJunior + sp.juniorPrincipal;
        _index[0] += WaterfallLib.indexDelta(toSenior, _tokens[0].totalSupply());
        _index[1] += WaterfallLib.indexDelta(toJunior, _tokens[1].totalSupply());
        if (sp.residual > 0) owedTo[_terms.borrower] += sp.residual;
        emit Repaid(payer, amount, sp.fees + perfSenior + perfJunior, toSenior, toJunior, sp.residual);
    }

    /// @dev REVENUE_SHARE: the borrower paid principal × cap multiple, its obligation is complete. The first-loss cash
    ///      reserve runs through the waterfall first (what is left after both tranches are whole is residual to the
    ///      borrower); only what the waterfall still owes after it is realised as a loss (junior first).
    function _capReached() internal {
        emit CapReached(totalRepaid);
        _reserveToWaterfall();
        WaterfallLib.Owed memory o = _owed;
        uint256 seniorLoss = o.seniorPrincipal + o.seniorInterest;
        uint256 juniorLoss = o.juniorPrincipal + o.juniorInterest;
        if (seniorLoss + juniorLoss > 0) emit LossRealised(seniorLoss, juniorLoss);
        delete _owed;
        _mature();
    }

    function _capAmount() internal view returns (uint256) {
        return WaterfallLib.bpsOf(_principal(), _terms.capMultipleBps); // [wad]
    }

    function _principal() internal view returns (uint256) {
        return _terms.seniorPrincipal + _terms.juniorPrincipal; // [wad]
    }

    /// @dev REVENUE_SHARE: the current borrower's schedule, a report counted at most `lag` late; its dues are capped at
    ///      what the cap leaves after what was paid before it took over.
    function _rsSchedule(uint256 lag) internal view returns (ScheduleLib.RevenueShare memory) {
        return ScheduleLib.RevenueShare(
            revenueReporter,
            _terms.revenueShareBps,
            _terms.minPeriodPayment,
            _capAmount() - _rsBasePaid,
            activatedAt,
            _terms.paymentInterval,
            type(uint256).max,
            lag
        );
    }

    /// @dev REVENUE_SHARE: the periods the borrower is current through: the largest k ≤ elapsed, k < periodCount (the
    ///      last period needs everything owed, which matures the deal), such that what the current borrower paid since
    ///      it took over covers the cumulative due of its periods (from the transfer's period; from 0 for the original
    ///      borrower) up to k − 1; floored by `_periodsFloor`. Walks only the periods after the cached prefix
    ///      (`_rsCheckpoint`): O(periods since the last payment or `syncSchedule`), not O(elapsed periods). Also the
    ///      end of the covered run of reported periods (`ScheduleLib.coverage`) and its cumulative due.
    function _rsCurrentThrough() internal view returns (uint256 k, uint256 prefix, uint256 prefixDue) {
        (k,, prefix, prefixDue) = ScheduleLib.coverage(
            _rsSchedule(ScheduleLib.MAX_LATE_REPORT_LAG), _rsPrefix, _rsPrefixDue, _rsEnd(), totalRepaid - _rsBasePaid
        );
        if (k < _periodsFloor) k = _periodsFloor;
    }

    /// @dev REVENUE_SHARE: the periods a payment can cover now: those elapsed, below the last.
    function _rsEnd() internal view returns (uint256 end) {
        end = _periodsElapsed();
        if (end > periodCount - 1) end = periodCount - 1;
    }

    /// @dev REVENUE_SHARE: the due date (see `IGpuDeal.dueDate`): while the borrower is current through every elapsed
    ///      period, the next one's; else when it fell behind (`ScheduleLib.behindSince`: the part of a due that a
    ///      late report adds falls due from the report, counted at most `lag` late), at maturity at the latest
    ///      (everything is due then).
    function _rsDueDate(uint256 lag) internal view returns (uint256 at) {
        uint256 end = _rsEnd();
        uint256 k;
        (k, at) = ScheduleLib.behindSince(
            _rsSchedule(lag), _rsPrefix, _rsPrefixDue, end, totalRepaid - _rsBasePaid, maturity
        );
        if (k < _periodsFloor) return _dueOf(_periodsFloor + 1);
        if (k == end) return _dueOf(k + 1);
        if (at > maturity) at = maturity;
    }

    /// @dev REVENUE_SHARE: extends the cached prefix over the covered periods whose revenue is reported. A report is
    ///      final and the payments only grow, so the cached prefix stays covered and its cumulative due never changes.
    ///      The prefix is judged with `MAX_LATE_REPORT_LAG` (all of it fell due by its end for both due dates).
    function _rsCheckpoint() internal {
        (, uint256 prefix, uint256 prefixDue) = _rsCurrentThrough();
        if (prefix > _rsPrefix) {
            // forge-lint: disable-next-line(unsafe-typecast)
            _rsPrefix = uint32(prefix); // < periodCount
            _rsPrefixDue = SafeCast.toUint128(prefixDue); // ≤ what the borrower paid
        }
    }

    function _mature() internal {
        _setState(State.MATURED);
        _periodsFloor = periodCount; // everything is paid
        uint256 reserve = cashReserve;
        cashReserve = 0;
        owedTo[_terms.borrower] += reserve; // first-loss cash goes back once everything is repaid
    }

    function _periodsElapsed() internal view returns (uint256 n) {
        n = (block.timestamp - activatedAt) / _terms.paymentInterval;
        if (n > periodCount) n = periodCount;
    }

    /// @dev Due date of period `k` (1-based) [s]: k intervals after activation, the last one at maturity.
    function _dueOf(uint256 k) internal view returns (uint256) {
        uint256 due = uint256(activatedAt) + k * _terms.paymentInterval;
        return due < maturity ? due : maturity;
    }

    /// @dev FIXED: the schedule as of `lastAccrual` (see `ScheduleLib.currentThrough`).
    function _fixed() internal view returns (ScheduleLib.Fixed memory) {
        return ScheduleLib.Fixed(
            activatedAt,
            maturity,
            _terms.paymentInterval,
            periodCount,
            _principal(),
            _terms.amortising,
            _terms.seniorAprBps,
            _terms.juniorAprBps,
            _owed,
            accruedTotal,
            lastAccrual
        );
    }

    /// @dev FIXED, after a payment: records the lazily computed coverage (it never shrinks) and keeps the accrual at the
    ///      due dates `first`… just passed (`atDue`) that it does not cover yet (an on-time payment stores none).
    function _checkpointSchedule(uint256 first, uint256[] memory atDue) internal {
        uint256 k = ScheduleLib.currentThrough(_fixed(), _periodsFloor, first, atDue, _accruedAtDue);
        // forge-lint: disable-next-line(unsafe-typecast)
        if (k > _periodsFloor) _periodsFloor = uint32(k);
        for (uint256 i; i < atDue.length; ++i) {
            if (first + i > k) _accruedAtDue[first + i] = atDue[i];
        }
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
