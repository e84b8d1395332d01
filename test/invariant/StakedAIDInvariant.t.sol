// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {AID} from "../../src/token/AID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDSlots, StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";
import {StakedAIDQueueGhosts} from "./StakedAIDQueueGhosts.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Drives sAID through deposits, unstakes, queue processing, rewards, allocations, losses, transfers and time,
///         with ghost accounting. A FULL-restricted holder (`frozen`) and an AID-deny-listed holder (`denied`) try to
///         move value on every call; total and near-total (down to 1 wei left) losses of the position and liveness
///         probes (unstake, settle the queue) run among the other calls; every payout is checked against what its
///         request was promised.
contract StakedAIDHandler is StakedAIDQueueGhosts {
    StakedAID internal immutable s;
    AID internal immutable aid;
    MockPosition internal immutable position;
    address internal immutable minter;
    address internal immutable rewarder;
    address internal immutable allocator;
    address public immutable frozen;
    address public immutable denied;
    address[] public actors;

    uint256 public ghostAssetsIn; // deposits
    uint256 public ghostRewardsIn;
    uint256 public ghostPaidOut; // queue payouts (sent or held)
    uint256 public ghostLosses;
    bool public ghostPriceRoseWithoutReward;
    bool public ghostFifoBroken;
    uint256 public lastHead;
    bool public ghostBlockedMoved; // a call by or to a restricted / deny-listed holder succeeded
    bool public ghostUnstakeBlocked; // a holder worth >= 1 AID could not unstake
    bool public ghostQueueStuck; // a mature request stayed unpaid with liquidity for all of the queue
    bool public ghostWorthlessStuck; // a holder's whole worthless balance could not be burnt
    bool public ghostOverpaid; // a request was paid more than the AID recorded when it was made
    bool public ghostINV9EntryLoweredValuePerShare; // a deposit or mint lowered (entry value + V) / (supply + V)
    bool public ghostINV10EntryWhileWiped; // an entry (or a non-zero max*) went through while wiped
    bool public ghostINV11EntryLoweredRecoveredValue; // an entry lowered (entry value + written off + V) / (supply + V)
    uint256 public recoveries;
    uint256 public wipedEntryTries;
    /// [wad] value recorded by `unstake`, grossed up by the index at the time (× 1e27 / index): what it would be worth
    /// if every write-down booked before it recovered (a request recorded at a marked NAV shares a later recovery)
    mapping(uint256 id => uint256) public promised;
    mapping(uint256 id => uint256) public paidTo; // [wad] paid (or held) so far
    /// [wad] a request's record + the claim its shares carried in (their part of `writeDowns` total − claim, read just
    /// before `unstake`): its fair value + claim at entry, which no loss, write-back or payout raises (INV-8b, INV-13b)
    mapping(uint256 id => uint256) public fair;
    bool public ghostINV13AboveRecordPlusClaim; // a request's value + what it was paid > its record + claim carried
    uint256 public maxAboveFair; // [wei] the largest value + paid − `fair` seen (coverage of the envelope)
    uint256 public upperChecked; // requests checked against INV-13b
    uint256 public drips; // payouts made by `dripHead` (11x-2 coverage)
    uint256 public nearTotalLosses;
    uint256 public worthlessBurns;
    uint256 public wipeOuts;
    uint256 public settles;
    bool public ghostUnstakeNotQuoted; // `unstake` returned other than `convertToAssetsWithLoss(shares)` just before
    bool public ghostEntryMovedQueue; // a deposit or mint changed `writeDowns.claim` or `pendingUnstakeAssets()`
    bool public ghostINV13IndexReset; // the loss index returned to 1e27 while `writeDowns.total != 0`
    bool public ghostINV13CureRepricedDown; // after a full cure a request made while written off is below its record
    uint256 public lastIndex = 1e27; // loss index after the last call
    bool public ghostINV15BareRose; // the bare part's index rose while it held shares (9s-4: it holds no claim)
    uint256 public lastBare; // the bare part's word {uint160 shares; uint96 index} after the last call
    uint256 public lastBareEpoch; // its re-bases so far
    uint256 public bareSeen; // calls after which the bare part held shares (INV-15 coverage)
    bool public ghostINV16ExcessBroken; // the excess part's claim rose but by a request, or exceeded the queue's claim
    uint256 public lastExcess; // the excess part's claim [wad] after the last call
    uint256 public excessSeen; // calls after which the excess part held a claim (INV-16 coverage)
    bool public ghostINV17BareWordUnflagged; // `Config.noBareWords` set while a waiting request holds a bare word
    uint256 public noBareWordsSeen; // calls after which the flag was set (INV-17 coverage)
    uint256 public noBareWordsAfterEpoch; // ... with a bare epoch ended (processing then skips what v5 read)
    bool internal entering; // a request was made in this call
    uint256 public roundTrips; // entrant round trips (deposit, unstake it all) made while something was written off
    uint256 public curesChecked; // requests checked against their record after a full cure (INV-13)
    /// requests made while something was written off, not yet checked against a full cure (INV-13)
    uint256[] internal watched;
    mapping(uint256 id => uint256) public recorded; // [wad] what `unstake` recorded for a watched request
    mapping(uint256 id => uint256) internal epochAt; // the pool epoch when a watched request was made
    uint256 public reBasedSkipped; // watched requests a re-base reached: not checked (documented limit, 11x-1)

    constructor(
        StakedAID s_,
        AID aid_,
        MockPosition p,
        address minter_,
        address rewarder_,
        address allocator_,
        address frozen_,
        address denied_
    ) StakedAIDQueueGhosts(address(s_)) {
        (s, aid, position, minter, rewarder, allocator, frozen) = (s_, aid_, p, minter_, rewarder_, allocator_, frozen_);
        denied = denied_;
        for (uint256 i; i < 4; ++i) {
            actors.push(makeAddr(string.concat("actor", vm.toString(i))));
        }
        (, uint256 tail) = s.unstakeQueue();
        for (uint256 id; id < tail; ++id) {
            (,,, promised[id]) = s.unstakeRequest(id); // the set-up requests, before any loss
            fair[id] = promised[id];
        }
        vm.recordLogs();
    }

    /// @dev Adds up the payouts of each request (UnstakePaid events) and flags one paid more than it was promised.
    function _trackPaid() private {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(s) || logs[i].topics[0] != IStakedAID.UnstakePaid.selector) continue;
            uint256 id = uint256(logs[i].topics[1]);
            (uint256 assets,,) = abi.decode(logs[i].data, (uint256, bool, bool));
            paidTo[id] += assets;
            if (paidTo[id] > promised[id]) ghostOverpaid = true;
            _settled(id);
        }
    }

    function _unstakeTracked(address who, uint256 shares) private returns (bool ok) {
        (, uint256 id) = s.unstakeQueue();
        uint256 quoted = s.convertToAssetsWithLoss(shares);
        (uint256 total, uint256 claim) = _writeDowns();
        uint256 supply = s.totalSupply();
        vm.prank(who);
        entering = true;
        try s.unstake(shares) returns (uint256 assets) {
            if (assets != quoted) ghostUnstakeNotQuoted = true;
            if (assets != 0 && total != 0) {
                watched.push(id);
                recorded[id] = assets;
                epochAt[id] = StakedAIDSlots.load(address(s), StakedAIDSlots.QUEUE_EPOCH);
            }
            uint256 index = s.lossIndex();
            // the record (queue shares) holds less than 1 wei more than `assets` at `index`: rounded up here
            if (assets != 0) {
                promised[id] = index == 1e27 ? assets : Math.mulDiv(assets + 1, 1e27, index, Math.Rounding.Ceil);
                // or its value + the claim its shares carried (10b-1: at most their part of all that is written off,
                // booked by the unstake): beyond what the index can pay, it waits in the excess part
                (uint256 off,) = _writeDowns();
                if (supply != 0) off = Math.mulDiv(off, shares, supply, Math.Rounding.Ceil);
                promised[id] = Math.max(promised[id], assets + off + 1);
                // INV-8b / INV-13b (review 11x): what the request may ever be worth (and be paid) is its record + the
                // claim its shares carried in, their part of the stakers' claim (T − claim, before the unstake; the
                // excess part holds what the pool's ratio does not, 10b-1), within the rounding envelope {fairTol}
                fair[id] = assets + (supply == 0 ? 0 : Math.mulDiv(total - claim, shares, supply));
                promised[id] = Math.min(promised[id], fair[id] + fairTol(fair[id]));
            }
            ok = true;
        } catch {}
    }

    /// @dev sAID's `writeDowns` (total, claim), read as {StakedAIDTestBase-_writeDowns} does.
    function _writeDowns() private view returns (uint256 total, uint256 claim) {
        return StakedAIDSlots.writeDowns(address(s));
    }

    /// @dev The excess part's claim (10b-1): its shares × index, read from its ERC-7201 slot (`excess`).
    function _excessClaim() private view returns (uint256) {
        uint256 x = StakedAIDSlots.load(address(s), StakedAIDSlots.EXCESS);
        return uint256(uint160(x)) * (x >> 160) / 1e27;
    }

    /// @dev INV-13, after every call: (a) the loss index never comes back to 1e27 while a write-down is undecided
    ///      (8s-1 / 9s-1 / 9b-1: a request made then would be refused its part of the write-back); (b) once nothing is
    ///      written off any more (every write-down cured: the handler never settles or delists), a request made while
    ///      something was written off, not paid yet, is worth at least what `unstake` recorded for it (a cure never
    ///      reprices a request down); the watch list is then cleared.
    modifier writeDownWatch() {
        _;
        _afterCall();
    }

    /// @dev Whether a bare epoch from `from` to `to` ended with a restart (end records: `bareEpochEnd`).
    function _bareRestartedSince(uint256 from, uint256 to) private view returns (bool) {
        while (from < to) {
            (,, uint256 steps) = StakedAIDSlots.bareEpochEnd(address(s), from);
            if (steps == 0) return true;
            from += steps;
        }
        return false;
    }

    /// @dev The rounding envelope of INV-8b / INV-13b for a request whose fair value + claim is `x` [wad]: the pool's
    ///      ratio is rounded to the wei at each split and move (a request may take its pool's ratio, a hair above its
    ///      own claim), as review 11x's exact-model harness allowed (1e-9 AID + 1e-12 of it).
    function fairTol(uint256 x) public pure returns (uint256) {
        return 1e9 + x / 1e12;
    }

    /// @dev INV-13b on every waiting request: its value now + what it was paid <= its record + the claim it carried.
    function _upperBounds() private {
        (uint256 head, uint256 tail) = s.unstakeQueue();
        uint256 sum;
        for (uint256 id = head; id < tail; ++id) {
            (,,, uint256 value) = s.unstakeRequest(id);
            sum += value;
            uint256 got = value + paidTo[id];
            ++upperChecked;
            if (got > fair[id] && got - fair[id] > maxAboveFair) maxAboveFair = got - fair[id];
            if (got > fair[id] + fairTol(fair[id])) ghostINV13AboveRecordPlusClaim = true;
        }
        uint256 pending = s.pendingUnstakeAssets();
        if (pending > sum) _gapSeen(pending - sum);
    }

    function _afterCall() private {
        _dustAfterCall();
        _upperBounds();
        // INV-15: the bare part of the queue never rises (only a restart at 1e27 once it held no shares); a re-base
        // (index x 1000 per epoch, shares / 1000) keeps its value
        uint256 bare = StakedAIDSlots.load(address(s), StakedAIDSlots.BARE);
        uint256 epoch = StakedAIDSlots.load(address(s), StakedAIDSlots.BARE_EPOCH);
        if (uint160(bare) != 0) ++bareSeen;
        // (a bare epoch that ended with a restart, end record steps 0, restarts at 1e27: the whole bare part moved into
        // the pool at a loss or payouts emptied it, 10r-1 / 11r-1; a re-base ends it with its steps)
        if (uint160(lastBare) != 0 && uint160(bare) != 0 && !_bareRestartedSince(lastBareEpoch, epoch)) {
            uint256 steps = epoch - lastBareEpoch;
            if (steps > 25 || (bare >> 160) / 10 ** (3 * steps) > lastBare >> 160) ghostINV15BareRose = true;
        }
        (lastBare, lastBareEpoch) = (bare, epoch);
        // INV-16 (10b-1): the excess part's claim is within the queue's, and rises only by a request entering (a
        // re-base of it may round up by 1 wei)
        uint256 excess = _excessClaim();
        (uint256 total, uint256 claimNow) = _writeDowns();
        if (excess != 0) ++excessSeen;
        if (excess > claimNow || (!entering && excess > lastExcess + 1)) ghostINV16ExcessBroken = true;
        (lastExcess, entering) = (excess, false);
        _noBareWordsCheck(epoch);
        uint256 index = s.lossIndex();
        if (index == 1e27 && lastIndex != 1e27 && total != 0) ghostINV13IndexReset = true;
        lastIndex = index;
        if (total == 0 && watched.length != 0) {
            for (uint256 i; i < watched.length; ++i) {
                uint256 id = watched[i];
                (address owner,,, uint256 value) = s.unstakeRequest(id);
                if (owner == address(0) || paidTo[id] != 0) continue; // paid (at its value of the time) or cleared
                // documented limit (README "Limits", open as review 11x-1): a loss that re-based the pool while the
                // request waited (> 99.9% of gross, or a total loss) lapses the claim its re-based record cannot hold
                if (StakedAIDSlots.load(address(s), StakedAIDSlots.QUEUE_EPOCH) != epochAt[id]) {
                    ++reBasedSkipped;
                    continue;
                }
                ++curesChecked;
                // the request's own rounding ({StakedAIDQueueGhosts} (a): 2 floors + < 2 pool shares a side term, each
                // worth <= 1 wei): the queue rounds down, never in a request's favour (s12x2-1)
                if (value + 2 + 2 * termsOf(id) < recorded[id]) ghostINV13CureRepricedDown = true;
            }
            delete watched;
        }
    }

    /// @dev INV-17 (v6): while `Config.noBareWords` is set no waiting request holds a bare word (processing then reads
    ///      none of them: `bareEpoch` the current bare epoch).
    function _noBareWordsCheck(uint256 bareEpoch) private {
        (uint256 head, uint256 tail,, bool none) = StakedAIDSlots.config(address(s));
        if (!none) return;
        ++noBareWordsSeen;
        if (bareEpoch != 0) ++noBareWordsAfterEpoch;
        for (uint256 id = head; id < tail; ++id) {
            if (StakedAIDSlots.loadOf(address(s), StakedAIDSlots.REQUEST_BARE, id) != 0) {
                ghostINV17BareWordUnflagged = true;
            }
        }
    }

    function actorsLength() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) private view returns (address) {
        return actors[seed % actors.length];
    }

    function _price() private view returns (uint256) {
        return s.convertToAssets(1e18);
    }

    /// @dev Exits below par are priced on real NAV, entries with the virtual offset: each may lift the price by the
    ///      virtual-offset dust (VIRTUAL / supply of a share), never more.
    modifier priceWatch() {
        uint256 before = _price();
        uint256 dust = 1 + 1e24 / (s.totalSupply() + 1);
        _;
        _afterCall();
        if (_price() > before + dust) ghostPriceRoseWithoutReward = true;
        _blockedTries(frozen);
        _blockedTries(denied);
    }

    /// @dev Entry value (NAV + unvested) from the public views, independently of the pricing code: idle − owed + what
    ///      the position carries at its reported value, never negative.
    function _entryValue() private view returns (uint256) {
        uint256 booked = s.bookedOf(address(position));
        uint256 value = position.valueOf(address(s));
        int256 v = int256(s.idleAssets()) - int256(s.pendingUnstakeAssets()) + int256(value < booked ? value : booked);
        return v > 0 ? uint256(v) : 0;
    }

    /// @dev Entry value as if every undecided write-down recovered (what entries are priced on): idle − owed + what
    ///      the position carries + the stakers' part of what is written off it (a loss or recovery it reports moves one
    ///      into the other): less the unstake queue's recorded claim on it (8s-2/8s-3: that part of a recovery goes to
    ///      the waiting requests, never to shares).
    function _recoveredValue() private view returns (uint256) {
        (, uint256 claim) = _writeDowns();
        int256 v = int256(s.idleAssets()) - int256(s.pendingUnstakeAssets())
            + int256(s.bookedOf(address(position)) + s.writtenOffOf(address(position))) - int256(claim);
        return v > 0 ? uint256(v) : 0;
    }

    /// @dev Entries are priced on the entry value, so they may lift the NAV price (an entrant pays for the reward still
    ///      vesting): not under `priceWatch`; instead the entry value per share must not fall (INV-9), and while the
    ///      vault is wiped (a share worth < 1e-9 AID) every entry reverts {VaultWiped} and max* are 0 (INV-10).
    function deposit(uint256 seed, uint256 amount, bool useMint) external writeDownWatch {
        address who = _actor(seed);
        amount = bound(amount, 1e18, 1_000_000e18);
        uint256 e0 = _entryValue();
        uint256 r0 = _recoveredValue();
        uint256 s0 = s.totalSupply();
        if (r0 * 1e9 < s0 || (s0 == 0 && s.writtenOffOf(address(position)) != 0)) return _entryWhileWiped(who, amount);
        uint256 cap = useMint ? s.maxMint(who) : s.maxDeposit(who); // never overstated
        if (amount > cap) amount = cap;
        if (amount == 0 || (!useMint && s.previewDeposit(amount) == 0)) return;
        uint256 cost = useMint ? s.previewMint(amount) : amount;
        // at most 1M AID either way: a share priced high (an undecided write-down on a small supply) must not make a
        // mint cost more AID than exists (a request of > 2e28 AID does not fit the queue-share fields: limit 1)
        if (cost > 1_000_000e18) {
            amount = s.previewDeposit(1_000_000e18);
            if (amount == 0) return;
            cost = s.previewMint(amount);
        }
        vm.prank(minter);
        aid.mint(who, cost);
        (, uint256 claim0) = _writeDowns();
        uint256 pending0 = s.pendingUnstakeAssets();
        vm.startPrank(who);
        aid.approve(address(s), cost);
        if (useMint) s.mint(amount, who);
        else s.deposit(amount, who);
        vm.stopPrank();
        (, uint256 claim1) = _writeDowns();
        if (claim1 != claim0 || s.pendingUnstakeAssets() != pending0) ghostEntryMovedQueue = true;
        ghostAssetsIn += cost;
        if ((_entryValue() + 1e6) * (s0 + 1e6) < (e0 + 1e6) * (s.totalSupply() + 1e6)) {
            ghostINV9EntryLoweredValuePerShare = true;
        }
        if ((_recoveredValue() + 1e6) * (s0 + 1e6) < (r0 + 1e6) * (s.totalSupply() + 1e6)) {
            ghostINV11EntryLoweredRecoveredValue = true;
        }
        _blockedTries(frozen);
        _blockedTries(denied);
    }

    function _entryWhileWiped(address who, uint256 amount) private {
        ++wipedEntryTries;
        if (s.maxDeposit(who) != 0 || s.maxMint(who) != 0) ghostINV10EntryWhileWiped = true;
        vm.prank(minter);
        aid.mint(who, amount);
        vm.startPrank(who);
        aid.approve(address(s), amount);
        try s.deposit(amount, who) {
            ghostINV10EntryWhileWiped = true;
        } catch (bytes memory err) {
            if (bytes4(err) != IStakedAID.VaultWiped.selector) ghostINV10EntryWhileWiped = true;
        }
        try s.mint(1e18, who) {
            ghostINV10EntryWhileWiped = true;
        } catch (bytes memory err) {
            if (bytes4(err) != IStakedAID.VaultWiped.selector) ghostINV10EntryWhileWiped = true;
        }
        vm.stopPrank();
    }

    /// @dev 9s-4's class: an entrant deposits (up to 1M AID) and unstakes all it got, while a write-down may be
    ///      undecided; INV-13 then checks that the cure never leaves the requests that waited below their record.
    function roundTrip(uint256 seed, uint256 amount) external writeDownWatch {
        address who = _actor(seed);
        uint256 s0 = s.totalSupply();
        uint256 r0 = _recoveredValue();
        if (r0 * 1e9 < s0 || (s0 == 0 && s.writtenOffOf(address(position)) != 0)) return;
        amount = bound(amount, 1e18, 1_000_000e18);
        if (amount > s.maxDeposit(who) || s.previewDeposit(amount) == 0) return;
        vm.prank(minter);
        aid.mint(who, amount);
        vm.startPrank(who);
        aid.approve(address(s), amount);
        uint256 got = s.deposit(amount, who);
        vm.stopPrank();
        ghostAssetsIn += amount;
        (uint256 total,) = _writeDowns();
        if (total != 0) ++roundTrips;
        if (s.convertToAssetsWithLoss(got) != 0) _unstakeTracked(who, got);
    }

    function unstake(uint256 seed, uint256 shares) external priceWatch {
        address who = _actor(seed);
        uint256 bal = s.balanceOf(who);
        if (bal == 0) return;
        shares = bound(shares, 1, bal);
        if (s.convertToAssets(shares) < 1e18 && shares != bal) shares = bal;
        if (s.convertToAssets(shares) == 0) return;
        _unstakeTracked(who, shares);
    }

    /// @dev 10b-1 coverage (INV-16): the head request, once mature, is paid alone while later ones keep waiting (the
    ///      stakers take its forfeited claim, their ratio rises above the pool's), then a holder unstakes: with
    ///      something written off its claim above the pool's ratio goes to the excess part.
    function payHeadThenUnstake(uint256 seed, uint256 shares) external {
        (uint256 head, uint256 tail) = s.unstakeQueue();
        if (tail - head >= 2) {
            (,, uint256 at,) = s.unstakeRequest(head);
            if (at > block.timestamp) vm.warp(at); // vesting may lift the price here: not watched, as in `warp`
            this.process(1);
        }
        this.unstake(seed, shares);
    }

    function process(uint256 iterations) external priceWatch {
        iterations = bound(iterations, 1, 8);
        (uint256 head,) = s.unstakeQueue();
        _beforePayouts(iterations);
        uint256 paid = s.processUnstakeQueue(iterations);
        _trackPaid();
        ghostPaidOut += paid;
        (uint256 newHead,) = s.unstakeQueue();
        if (newHead < head) ghostFifoBroken = true;
        for (uint256 id = head; id < newHead; ++id) {
            (address owner,,,) = s.unstakeRequest(id);
            if (owner != address(0)) ghostFifoBroken = true; // everything before the head is fully paid
        }
        lastHead = newHead;
    }

    function reward(uint256 amount) external writeDownWatch {
        amount = bound(amount, 1e15, 10_000e18);
        vm.prank(minter);
        aid.mint(rewarder, amount);
        vm.startPrank(rewarder);
        aid.approve(address(s), amount);
        uint256 before = _price();
        s.transferInRewards(amount);
        vm.stopPrank();
        if (_price() > before + 1) ghostPriceRoseWithoutReward = true; // arrives unvested
        ghostRewardsIn += amount;
    }

    function warp(uint256 dt) external writeDownWatch {
        vm.warp(block.timestamp + bound(dt, 1, 3 days));
    }

    function allocate(uint256 amount) external priceWatch {
        uint256 free = s.freeLiquidity();
        uint256 nav = s.totalAssets();
        uint256 room = free > nav * 3 / 10 + 1 ? free - nav * 3 / 10 - 1 : 0;
        if (room < 1e18) return;
        vm.prank(allocator);
        s.allocate(address(position), bound(amount, 1, room));
    }

    function deallocate(uint256 amount) external priceWatch {
        uint256 booked = s.bookedOf(address(position));
        if (booked == 0) return;
        vm.prank(allocator);
        s.deallocate(address(position), bound(amount, 1, booked));
    }

    /// @dev Directed total loss: the position takes all it may, every actor unstakes, the delay passes, the queue takes
    ///      the idle AID, then the position is lost: the vault is usually wiped (the restricted holders' shares stay)
    ///      until a reward arrives or the supply is gone (INV-10 runs on entries tried then).
    function bankRunWipe() external {
        _runOnBank();
        vm.warp(block.timestamp + 7 days); // vesting may lift the price here: not watched, as in `warp`
        _drainAndWipe();
    }

    function _runOnBank() private priceWatch {
        uint256 free = s.freeLiquidity();
        uint256 nav = s.totalAssets();
        uint256 room = free > nav * 3 / 10 + 1 ? free - nav * 3 / 10 - 1 : 0;
        if (room != 0) {
            vm.prank(allocator);
            s.allocate(address(position), room);
        }
        for (uint256 i; i < actors.length; ++i) {
            uint256 bal = s.balanceOf(actors[i]);
            if (bal != 0 && s.convertToAssetsWithLoss(bal) != 0) _unstakeTracked(actors[i], bal);
        }
    }

    function _drainAndWipe() private priceWatch {
        (uint256 head, uint256 tail) = s.unstakeQueue();
        if (tail > head) {
            _beforePayouts(tail - head);
            ghostPaidOut += s.processUnstakeQueue(tail - head);
            _trackPaid();
            (lastHead,) = s.unstakeQueue();
        }
        _wipeOut();
    }

    /// @dev The position loses everything it holds (bank run or not: the queue must stay usable).
    function wipeOut() external priceWatch {
        _wipeOut();
    }

    function _wipeOut() private {
        uint256 booked = s.bookedOf(address(position));
        if (booked == 0) return;
        uint256 held = position.principal(address(s));
        position.lose(address(s), held);
        vm.prank(allocator);
        s.bookLoss(address(position));
        ghostLosses += booked;
        ++wipeOuts;
    }

    /// @dev Liveness: a holder worth at least 1 AID can always unstake, with no `processUnstakeQueue` call before (a
    ///      queue left worthless by a total loss is cleared by the unstake itself).
    function unstakeLive(uint256 seed) external priceWatch {
        address who = _actor(seed);
        uint256 bal = s.balanceOf(who);
        if (s.convertToAssetsWithLoss(bal) < 1e18) return;
        if (!_unstakeTracked(who, bal)) ghostUnstakeBlocked = true;
    }

    /// @dev Revival: a holder whose whole balance is worth nothing (after a wipe-out, or a dust balance below par) can
    ///      always burn it, and the supply falls by exactly that balance (no request, nothing paid). An empty holder is
    ///      first sent 1 wei of shares by another, worth nothing below par, so the burn runs often.
    function burnWorthless(uint256 seed, uint256 from) external priceWatch {
        address who = _actor(seed);
        uint256 bal = s.balanceOf(who);
        address src = _actor(from);
        if (bal == 0 && src != who && s.balanceOf(src) > 1 && s.convertToAssetsWithLoss(1) == 0) {
            vm.prank(src);
            s.transfer(who, 1);
            bal = 1;
        }
        if (bal == 0 || s.convertToAssetsWithLoss(bal) != 0) return;
        uint256 supply = s.totalSupply();
        vm.prank(who);
        try s.unstake(bal) returns (uint256 assets) {
            if (assets != 0 || s.totalSupply() != supply - bal || s.balanceOf(who) != 0) ghostWorthlessStuck = true;
            ++worthlessBurns;
        } catch {
            ghostWorthlessStuck = true;
        }
    }

    /// @dev Liveness: with every position deallocated and the longest delay passed, processing pays the whole queue.
    function settle() external {
        vm.warp(block.timestamp + 90 days + 1); // vesting may lift the price here: not watched, as in `warp`
        _settle();
    }

    function _settle() private priceWatch {
        uint256 booked = s.bookedOf(address(position));
        if (booked != 0) {
            vm.prank(allocator);
            s.deallocate(address(position), booked);
        }
        (uint256 head, uint256 tail) = s.unstakeQueue();
        if (head == tail) return;
        _beforePayouts(tail - head);
        ghostPaidOut += s.processUnstakeQueue(tail - head);
        _trackPaid();
        (head,) = s.unstakeQueue();
        // stuck only with the liquidity for all of it: after a total loss by a bank run (`bankRunWipe`) the index floor
        // can leave a few wei owed with nothing idle, paid once value arrives. Guarded on the sum of the requests' own
        // records, not the pending total (which rounds up by up to 1 wei a request): the 1-wei rounding states of 9s-3
        // (idle = the records < pending) are checked too
        if (head != tail && s.idleAssets() >= _recordsSum(head, tail) + s.unvestedAmount()) ghostQueueStuck = true;
        lastHead = head;
        ++settles;
    }

    /// @dev What the requests in [head, tail) are worth now, each at its own record (`unstakeRequest`).
    function _recordsSum(uint256 head, uint256 tail) private view returns (uint256 sum) {
        for (uint256 id = head; id < tail; ++id) {
            (,,, uint256 value) = s.unstakeRequest(id);
            sum += value;
        }
    }

    /// @dev The position loses all but `left` wei (1 wei to 1e12): the queue keeps a tiny value, no new era starts,
    ///      and the loss index must be re-based for later requests (and later gains) to fit.
    function nearTotalLoss(uint256 left) external priceWatch {
        uint256 booked = s.bookedOf(address(position));
        left = bound(left, 1, 1e12);
        if (booked <= left) return;
        position.lose(address(s), position.principal(address(s)) - left);
        vm.prank(allocator);
        s.bookLoss(address(position));
        ghostLosses += booked - left;
        ++nearTotalLosses;
    }

    function loss(uint256 bps) external priceWatch {
        uint256 booked = s.bookedOf(address(position));
        if (booked == 0) return;
        uint256 amount = booked * bound(bps, 1, 5000) / 10_000;
        if (amount == 0) return;
        position.lose(address(s), amount);
        vm.prank(allocator);
        s.bookLoss(address(position));
        ghostLosses += amount;
    }

    /// @dev The written-down position gets back part of what it lost (AID returns to it, at most what is written off,
    ///      while shares exist), booked at once by the next call that syncs (here the queue processing): a write-back,
    ///      so it lifts the price (not under `priceWatch`) and reprices waiting requests up (INV-8 allows for it).
    function recover(uint256 amount) external writeDownWatch {
        uint256 off = s.writtenOffOf(address(position));
        if (off == 0 || s.totalSupply() == 0) return;
        amount = bound(amount, 1, off);
        vm.prank(minter);
        aid.mint(address(position), amount);
        position.credit(address(s), amount);
        _beforePayouts(1);
        uint256 paid = s.processUnstakeQueue(1);
        _trackPaid();
        ghostPaidOut += paid;
        ghostLosses -= amount; // written back: no longer lost
        ++recoveries;
    }

    /// @dev 11x-2 coverage (INV-1b): the head request, holding side words and not covered by idle AID, is paid in part
    ///      (1 AID taken back from the position at a time) after each of a few small write-backs: each payout settles
    ///      its side gain into its pool shares, and the rounding floored off stays in the pool's total.
    function dripHead(uint256 rounds, uint256 amount) external writeDownWatch {
        (uint256 head, uint256 tail) = s.unstakeQueue();
        if (head == tail || termsOf(head) == 0) return;
        (,, uint256 at,) = s.unstakeRequest(head);
        if (at > block.timestamp) vm.warp(at); // vesting may lift the price here: not watched, as in `warp`
        rounds = bound(rounds, 1, 8);
        for (uint256 i; i < rounds; ++i) {
            if (s.bookedOf(address(position)) < 2e18) return; // (each write-back below is booked in its round)
            uint256 off = s.writtenOffOf(address(position));
            if (off != 0) {
                uint256 w = bound(amount >> (8 * i), 1, Math.min(off, 1e16)); // a small write-back
                vm.prank(minter);
                aid.mint(address(position), w);
                position.credit(address(s), w);
                ghostLosses -= w; // written back: no longer lost
            }
            vm.prank(allocator);
            s.deallocate(address(position), 1e18);
            _beforePayouts(1);
            ghostPaidOut += s.processUnstakeQueue(1); // books the write-back first
            _trackPaid();
            ++drips;
            (lastHead,) = s.unstakeQueue();
            if (lastHead != head) return;
        }
    }

    function transfer(uint256 a, uint256 b, uint256 shares) external priceWatch {
        address from = _actor(a);
        uint256 bal = s.balanceOf(from);
        if (bal == 0) return;
        vm.prank(from);
        s.transfer(_actor(b), bound(shares, 0, bal));
    }

    /// @dev The restricted (or deny-listed) holder tries every way to move value; each must revert.
    function _blockedTries(address blocked) private {
        address clean = actors[0];
        vm.startPrank(blocked);
        try s.transfer(clean, 1) {
            ghostBlockedMoved = true;
        } catch {}
        try s.unstake(1) {
            ghostBlockedMoved = true;
        } catch {}
        try s.approve(clean, 1) {
            ghostBlockedMoved = true;
        } catch {}
        vm.stopPrank();
        vm.prank(clean);
        try s.transferFrom(blocked, clean, 1) {
            ghostBlockedMoved = true;
        } catch {}
        if (s.balanceOf(clean) != 0) {
            vm.prank(clean);
            try s.transfer(blocked, 1) {
                ghostBlockedMoved = true;
            } catch {}
        }
    }
}

/// @notice The invariant suite's fixture, shared with the replays of its shrunk sequences
///         ({StakedAIDReviewS12X2ReplayTest}): the handler and its two blocked holders.
abstract contract StakedAIDInvariantFixture is StakedAIDTestBase {
    StakedAIDHandler internal handler;

    /// @dev `position` is listed; `frozen` (FULL-restricted) and `denied` (AID deny-listed) stake 1000 AID each and
    ///      queue 100 of it; the handler is deployed and may allocate. `deniedClaim`: what `denied`'s request recorded.
    function _handlerFixture(address frozen, address denied) internal returns (uint256 deniedClaim) {
        _listPosition();
        _stake(frozen, 1000e18);
        _unstake(frozen, 100e18);
        _restrict(frozen, IStakedAID.Restriction.FULL);
        _stake(denied, 1000e18);
        deniedClaim = _unstake(denied, 100e18);
        vm.prank(denylistManager);
        aid.setDenied(denied, true);
        handler = new StakedAIDHandler(sAID, aid, position, address(minter), rewarder, allocator, frozen, denied);
        bytes32 role = sAID.ALLOCATOR_ROLE();
        vm.prank(admin);
        sAID.grantRole(role, address(handler));
    }
}

/// @notice Invariants of sAID (INV ids in the assertion messages).
contract StakedAIDInvariantTest is StakedAIDInvariantFixture {
    address internal frozen = makeAddr("frozen");
    address internal denied = makeAddr("denied");
    uint256 internal deniedClaim; // AID value of the deny-listed holder's request at the start

    function setUp() public override {
        super.setUp();
        deniedClaim = _handlerFixture(frozen, denied);
        targetContract(address(handler));
    }

    /// INV-1: total shares = sum of balances; queue accounting = the sum of its requests: INV-1a the requests <= the
    ///        pending total; INV-1b (review 11x-2) the pending total − Σ requests <= 2 + 2 × side terms per waiting
    ///        request + the dust budgeted since the queue last emptied (side settlements 2 a term, side moves 1 + S /
    ///        1e27, re-bases n + 3 / n + 1: derivation in {StakedAIDQueueGhosts}); INV-1c once the queue empties the
    ///        pending total and every part's shares are 0 (the dust went to liquid, the stakers: nothing stranded).
    function invariant_supplyAndQueueAccounting() public view {
        uint256 sum = sAID.balanceOf(frozen) + sAID.balanceOf(denied);
        for (uint256 i; i < handler.actorsLength(); ++i) {
            sum += sAID.balanceOf(handler.actors(i));
        }
        assertEq(sAID.totalSupply(), sum, "INV-1 supply == sum of balances");
        uint256 pendingSum;
        (uint256 head, uint256 tail) = sAID.unstakeQueue();
        for (uint256 id = head; id < tail; ++id) {
            (,,, uint256 value) = sAID.unstakeRequest(id);
            pendingSum += value;
        }
        uint256 pending = sAID.pendingUnstakeAssets();
        assertLe(pendingSum, pending, "INV-1a requests <= pending total");
        // each part of the queue (pool, bare: 9s-4) floors its total once and each request's value on its own (9s-3);
        // the pool shares a request's side parts gained (10r-1, 10b-1) are floored per request too (the snapshot's
        // part rounded up): < 2 pool shares, each worth <= 1 wei, per side term; settled ones stay in the pool's total
        // after their request left (11x-2), so they are budgeted until the queue empties
        assertLe(pending - pendingSum, handler.inv1Bound(), "INV-1b pending total - requests <= the dust bound");
        assertFalse(handler.ghostINV1DustKept(), "INV-1c the queue emptied but its dust was not released");
    }

    /// INV-2: NAV per share never rises except by vested reward (checked on every handler call but entries, which pay
    ///        for the reward still vesting: INV-9).
    function invariant_priceRisesOnlyByVesting() public view {
        assertFalse(handler.ghostPriceRoseWithoutReward(), "INV-2 price rose without vesting");
    }

    /// INV-3: payouts never exceed what came in; value is conserved (in − out − losses = idle + booked = NAV + owed +
    ///        unvested, NAV before its floor at 0).
    function invariant_conservation() public view {
        uint256 inflow = 2 * 1000e18 + handler.ghostAssetsIn() + handler.ghostRewardsIn(); // + frozen's, denied's
        assertLe(handler.ghostPaidOut(), inflow, "INV-3 paid <= in");
        // value the vault accounts for = liquid + pending + booked (reported) = idle + booked; NAV is that minus pending
        // and unvested, floored at 0 (a queue total rounded up by 1 wei can leave it at -1 after a wipe-out)
        uint256 booked = sAID.bookedOf(address(position));
        uint256 reported = position.valueOf(address(sAID));
        uint256 held = sAID.idleAssets() + (reported < booked ? reported : booked);
        int256 nav = int256(held) - int256(sAID.pendingUnstakeAssets()) - int256(sAID.unvestedAmount());
        assertEq(sAID.totalAssets(), nav > 0 ? uint256(nav) : 0, "INV-3 NAV = idle + booked - pending - unvested");
        uint256 expected = inflow - handler.ghostPaidOut() - handler.ghostLosses();
        assertLe(held, expected, "INV-3 never more than came in");
        assertApproxEqAbs(held, expected, 1e9, "INV-3 conservation (rounding dust)");
        assertGe(
            aid.balanceOf(address(sAID)),
            sAID.idleAssets() + sAID.heldOf(frozen) + sAID.heldOf(denied),
            "INV-3 idle is backed"
        );
    }

    /// INV-4: FIFO: the head only moves forward and everything before it is fully paid.
    function invariant_fifo() public view {
        assertFalse(handler.ghostFifoBroken(), "INV-4 FIFO");
    }

    /// INV-5: a FULL-restricted or AID-deny-listed address never ends with more AID, sAID or claim than it started.
    function invariant_restrictedNeverMoves() public view {
        assertFalse(handler.ghostBlockedMoved(), "INV-5 a restricted or deny-listed call succeeded");
        assertEq(sAID.balanceOf(frozen), 900e18, "INV-5 restricted shares moved");
        assertEq(aid.balanceOf(frozen), 0, "INV-5 restricted received AID");
        assertEq(sAID.balanceOf(denied), 900e18, "INV-5 deny-listed shares moved");
        assertEq(aid.balanceOf(denied), 0, "INV-5 deny-listed received AID");
        (, uint256 pending) = sAID.getUnstakeRequest(denied);
        assertLe(pending + sAID.heldOf(denied), deniedClaim, "INV-5 deny-listed claim grew");
        (, pending) = sAID.getUnstakeRequest(frozen);
        assertLe(pending + sAID.heldOf(frozen), 100e18, "INV-5 restricted claim grew");
    }

    /// INV-6: queue liveness: after any losses (total ones included), gains, deposits and unstakes, a holder worth
    ///        >= 1 AID can unstake, and with liquidity for the whole queue every mature request is paid.
    function invariant_queueLiveness() public view {
        assertFalse(handler.ghostUnstakeBlocked(), "INV-6 a holder worth >= 1 AID could not unstake");
        assertFalse(handler.ghostQueueStuck(), "INV-6 a mature request stayed unpaid with liquidity");
    }

    /// INV-8: no request is ever paid (or held) more than the AID recorded when it was made, grossed up by the losses
    ///        booked before it that may still be written back (recorded value × 1e27 / index at the time, or the
    ///        recorded value + its shares' part of the write-downs undecided then: a claim above what the index can pay
    ///        waits in the excess part, 10b-1).
    ///        INV-8b (review 11x): and never more than its record + the claim its shares carried in, their part of the
    ///        stakers' claim (`writeDowns` total − claim) read BEFORE the unstake (± {StakedAIDHandler-fairTol}), the
    ///        lower of the two (what the FAIR model pays: v + c never rises).
    function invariant_noRequestPaidMoreThanPromised() public view {
        assertFalse(handler.ghostOverpaid(), "INV-8 a request was paid more than promised");
    }

    /// INV-9: a deposit or mint never lowers the existing holders' entry value (NAV + unvested) per share.
    function invariant_INV9_entryNeverLowersEntryValuePerShare() public view {
        assertFalse(handler.ghostINV9EntryLoweredValuePerShare(), "INV-9 an entry lowered the entry value per share");
    }

    /// INV-11: a deposit or mint never lowers what the existing holders would get if every write-down recovered (the
    ///         entry value with what is written off, per share): entrants pay for undecided write-downs.
    function invariant_INV11_entryNeverLowersRecoveredValuePerShare() public view {
        assertFalse(handler.ghostINV11EntryLoweredRecoveredValue(), "INV-11 an entry lowered the recovered value");
    }

    /// INV-12: the unstake queue's recorded claim on the undecided write-downs (8s-2) never exceeds them (their total
    ///         is what is written off the listed position), and what the pool is owed plus its claim (the queue's less
    ///         the excess part's, 10b-1) never exceeds the pool's pre-loss value (its queue shares at index 1e27): a
    ///         recovery never lifts a request above it.
    function invariant_INV12_queueClaimBounded() public view {
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total, sAID.writtenOffOf(address(position)), "INV-12 total == what is written off");
        assertLe(claim, total, "INV-12 claim <= what is written off");
        (uint256 shares, uint256 index) = _pool();
        uint256 x = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + 22))); // the excess part
        uint256 pool = claim - Math.min(uint256(uint160(x)) * (x >> 160) / 1e27, claim);
        assertLe(Math.mulDiv(shares, index, 1e27) + pool, shares, "INV-12 pending + pool claim <= pre-loss value");
    }

    /// INV-16 (10b-1): the excess part of the unstake queue (claim without value) holds at most the queue's claim
    ///         (<= the undecided total), and its claim never rises except by a request entering (losses leave it,
    ///         settles and write-backs lower it, payouts forfeit it).
    function invariant_INV16_excessBounded() public view {
        assertFalse(handler.ghostINV16ExcessBroken(), "INV-16 the excess rose without a request or passed the claim");
    }

    /// INV-13 (8s-1, 9s-1, 9b-1: lower bound of a request made while something is written off): the loss index never
    ///         returns to 1e27 while `writeDowns.total != 0`, and once every write-down is cured (total back to 0) a
    ///         request made while one was undecided, not paid yet, is worth at least what `unstake` recorded for it:
    ///         a cure never reprices a request down (9s-4: the handler's `roundTrip` makes the entrant round trips that
    ///         broke it before the queue's bare part; directed: `test_review9s4_fullCureLeavesRequestAtLeastItsRecord*`).
    ///         INV-13b (upper bound, review 11r): after every call, every waiting request's value + what it was paid is
    ///         at most its record + the claim its shares carried in (± {StakedAIDHandler-fairTol}).
    function invariant_INV13_cureNeverRepricesRequestDown() public view {
        assertFalse(handler.ghostINV13IndexReset(), "INV-13 the index returned to 1e27 while written off");
        assertFalse(handler.ghostINV13CureRepricedDown(), "INV-13 a full cure left a request below its record");
        assertFalse(handler.ghostINV13AboveRecordPlusClaim(), "INV-13b a request above its record + claim carried");
    }

    /// INV-15 (9s-4): the bare part of the unstake queue (value that carries no claim on the undecided write-downs)
    ///         never rises: recoveries raise only the pool, whose requests all hold the same claim per AID of value.
    function invariant_INV15_bareNeverRises() public view {
        assertFalse(handler.ghostINV15BareRose(), "INV-15 the bare part rose");
    }

    /// INV-17 (v6, gas): `Config.noBareWords` is set only while no waiting request holds a bare word (it lets
    ///        processing skip the bare words and the bare epoch: set when the queue empties, cleared by every bare
    ///        word; directed and differential: {StakedAIDBareWordsTest}).
    function invariant_INV17_noBareWordsFlagSound() public view {
        assertFalse(handler.ghostINV17BareWordUnflagged(), "INV-17 the flag was set while a bare word waited");
        (uint256 head, uint256 tail,, bool none) = StakedAIDSlots.config(address(sAID));
        if (!none) return;
        for (uint256 id = head; id < tail; ++id) {
            uint256 w = StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE, id);
            assertEq(w, 0, "INV-17 a waiting request holds a bare word while the flag is set");
        }
    }

    /// INV-14: exits and entries are exact: `unstake` records exactly `convertToAssetsWithLoss(shares)` read just
    ///         before it, and a deposit or mint changes neither the queue's claim on the undecided write-downs
    ///         (`writeDowns.claim`) nor what the queue is owed (`pendingUnstakeAssets`).
    function invariant_INV14_exitsQuotedEntriesLeaveQueue() public view {
        assertFalse(handler.ghostUnstakeNotQuoted(), "INV-14 unstake != convertToAssetsWithLoss just before");
        assertFalse(handler.ghostEntryMovedQueue(), "INV-14 an entry moved the queue's claim or pending");
    }

    /// INV-10: while the vault is wiped (a share worth < 1e-9 AID at the entry value) every entry reverts {VaultWiped}
    ///         and maxDeposit / maxMint are 0.
    function invariant_INV10_noEntryWhileWiped() public view {
        assertFalse(handler.ghostINV10EntryWhileWiped(), "INV-10 an entry went through while wiped");
    }

    /// @notice Coverage of INV-1b / INV-1c / INV-8b / INV-13b (logged): the largest gap seen, the side settlements,
    ///         moves and re-bases budgeted, the dust releases, the largest excess over record + claim, requests checked.
    function afterInvariant() public {
        emit log_named_uint("INV-1b largest pending - requests [wei]", handler.maxGap());
        emit log_named_uint("INV-1b side settlements", handler.sideSettlements());
        emit log_named_uint("INV-1b side moves", handler.sideMoves());
        emit log_named_uint("INV-1b re-bases", handler.reBases());
        emit log_named_uint("INV-1c dust releases", handler.dustReleases());
        emit log_named_uint("INV-1b dripHead payouts", handler.drips());
        emit log_named_uint("INV-13b largest value + paid - (record + claim) [wei]", handler.maxAboveFair());
        emit log_named_uint("INV-13b requests checked", handler.upperChecked());
        emit log_named_uint("INV-17 calls with noBareWords set", handler.noBareWordsSeen());
        emit log_named_uint("INV-17 ... after a bare epoch ended", handler.noBareWordsAfterEpoch());
    }

    /// INV-7: revival after a total loss: a holder's whole worthless balance can always be burnt (it then takes no room
    ///        in the supply), for nothing in return.
    function invariant_worthlessSharesBurnable() public view {
        assertFalse(handler.ghostWorthlessStuck(), "INV-7 a worthless balance could not be burnt");
    }
}
