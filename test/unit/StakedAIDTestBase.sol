// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {BaseTest} from "../BaseTest.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice Readers of sAID's ERC-7201 storage ({StakedAIDStorage}) for the tests: one constant per field's slot
///         offset (field k of {StakedAIDStorage.Layout} sits at LAYOUT + k; a mapping's entry at
///         keccak256(key, LAYOUT + k)) and one reader per field. {StakedAIDTestBase} wraps them for `sAID`; the
///         invariant handler (not a {StakedAIDTestBase}) calls them directly.
library StakedAIDSlots {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev ERC-7201 base of sAID's layout.
    bytes32 internal constant LAYOUT = 0x6d616b9df589c99900b9359a12e1b699ffa853d0e7a86492de93ea799fc4d800;
    /// @dev `queue`: the pool's {QueueState} (uint160 shares | uint96 index << 160).
    uint256 internal constant QUEUE = 2;
    /// @dev `config` (4th field, one word): head bits 0–63, tail 64–127, vestingPeriod 128–159, maxAprBps 160–175,
    ///      liquidityBufferBps 176–191, excessWords (v5) 192–199, noBareWords (v6) 200–207.
    uint256 internal constant CONFIG = 3;
    /// @dev `requests` (7th field): a request's second word is its pool shares (bits 0–223) | epoch << 224.
    uint256 internal constant REQUESTS = 6;
    /// @dev `positionOf` (9th field).
    uint256 internal constant POSITION_OF = 8;
    /// @dev `queueEpoch` (v3): re-bases of the pool's index.
    uint256 internal constant QUEUE_EPOCH = 12;
    /// @dev `writeDowns` (v4): total (low 128 bits) | claim (high 128).
    uint256 internal constant WRITE_DOWNS = 13;
    /// @dev `bare` (v5): the bare part's {QueueState}.
    uint256 internal constant BARE = 14;
    /// @dev `bareEpoch` (v5, 11r-1): the current bare epoch (+ steps at a bare re-base, + 1 at a restart).
    uint256 internal constant BARE_EPOCH = 15;
    /// @dev `requestBare[id]` (v5): a request's bare shares (bits 0–223) | bare epoch << 224.
    uint256 internal constant REQUEST_BARE = 16;
    /// @dev `accountBare[owner]` (v5): the owner's bare aggregate, same format.
    uint256 internal constant ACCOUNT_BARE = 17;
    /// @dev `bareAcc` (v5, 10r-1): pool shares gained per bare share [ray].
    uint256 internal constant BARE_ACC = 18;
    /// @dev `requestBareAcc[id]` (10r-1): `bareAcc` at the request's last settlement (bits 0–199) | pool epoch << 200.
    uint256 internal constant REQUEST_BARE_ACC = 19;
    /// @dev `accountBareAcc[owner]` (10r-1): the same for the owner's bare aggregate.
    uint256 internal constant ACCOUNT_BARE_ACC = 20;
    /// @dev `bare.epochEnd[epoch]` (11r-1): a bare epoch's end record: its final acc (bits 0–199) | the pool epoch at
    ///      its end (200–231) | the re-base steps to the next epoch (from 232; 0: a restart).
    uint256 internal constant BARE_EPOCH_END = 21;
    /// @dev `excess` (v5, 10b-1): the excess part, a {StakedAIDStorage.Side} (state, epoch, requestWord, accountWord,
    ///      acc, requestAcc, accountAcc, epochEnd at + 0 … + 7; the bare part `bare` has the same layout at BARE).
    uint256 internal constant EXCESS = 22;
    uint256 internal constant EXCESS_ACC = 26;
    uint256 internal constant EXCESS_EPOCH_END = 29;

    uint256 private constant ACC_MASK = (1 << 200) - 1;
    uint256 private constant SHARES_MASK = (1 << 224) - 1;

    /// @dev Slot of field `offset`.
    function slot(uint256 offset) internal pure returns (bytes32) {
        return bytes32(uint256(LAYOUT) + offset);
    }

    /// @dev Slot of entry `key` of the mapping at field `offset`.
    function slotOf(uint256 offset, uint256 key) internal pure returns (bytes32) {
        return keccak256(abi.encode(key, uint256(LAYOUT) + offset));
    }

    function load(address s, uint256 offset) internal view returns (uint256) {
        return uint256(VM.load(s, slot(offset)));
    }

    function loadOf(address s, uint256 offset, uint256 key) internal view returns (uint256) {
        return uint256(VM.load(s, slotOf(offset, key)));
    }

    /// @dev `writeDowns`: the undecided write-downs' total and the queue's recorded claim on them.
    function writeDowns(address s) internal view returns (uint256 total, uint256 claim) {
        uint256 w = load(s, WRITE_DOWNS);
        return (uint128(w), w >> 128);
    }

    /// @dev The pool's {QueueState}: shares, index.
    function pool(address s) internal view returns (uint256 shares, uint256 index) {
        uint256 w = load(s, QUEUE);
        return (uint160(w), w >> 160);
    }

    /// @dev `config`'s queue fields: head, tail and the side-word flags (`excessWords`: a waiting request may hold an
    ///      excess word; `noBareWords`: none holds a bare word).
    function config(address s) internal view returns (uint256 head, uint256 tail, bool excessWords, bool noBareWords) {
        uint256 w = load(s, CONFIG);
        return (uint64(w), uint64(w >> 64), uint8(w >> 192) != 0, uint8(w >> 200) != 0);
    }

    /// @dev The bare part's {QueueState}: shares, index.
    function bare(address s) internal view returns (uint256 shares, uint256 index) {
        uint256 w = load(s, BARE);
        return (uint160(w), w >> 160);
    }

    /// @dev A word of `requestBare` / `accountBare`: shares and the bare epoch of their units.
    function bareWord(uint256 w) internal pure returns (uint256 shares, uint256 epoch) {
        return (w & SHARES_MASK, w >> 224);
    }

    /// @dev A word of `requestBareAcc` / `accountBareAcc`: the accumulator and the pool epoch of its units.
    function accWord(uint256 w) internal pure returns (uint256 acc, uint256 poolEpoch) {
        return (w & ACC_MASK, w >> 200);
    }

    /// @dev A side epoch's end record (`epochEnd[epoch]` of the side part whose mapping sits at `offset`) unpacked:
    ///      the accumulator at its end, the pool epoch at its end, the steps to the next epoch (0: a restart).
    function epochEnd(address s, uint256 offset, uint256 epoch)
        internal
        view
        returns (uint256 acc, uint256 poolEpoch, uint256 steps)
    {
        uint256 w = loadOf(s, offset, epoch);
        return (w & ACC_MASK, (w >> 200) & type(uint32).max, w >> 232);
    }

    /// @dev `bare.epochEnd[epoch]` unpacked, as {epochEnd}.
    function bareEpochEnd(address s, uint256 epoch)
        internal
        view
        returns (uint256 acc, uint256 poolEpoch, uint256 steps)
    {
        uint256 w = loadOf(s, BARE_EPOCH_END, epoch);
        return (w & ACC_MASK, (w >> 200) & type(uint32).max, w >> 232);
    }
}

/// @notice sAID fixture on top of {BaseTest}: a direct rewarder, AID funding without collateral (the minter pranked),
///         stake / unstake / reward helpers, one listed MockPosition and the two-staker scenarios the reviews share.
abstract contract StakedAIDTestBase is BaseTest {
    address internal rewarder = makeAddr("rewarder");
    address internal dave = makeAddr("dave");
    MockPosition internal position;

    uint256 internal constant DELAY = 7 days;
    uint256 internal constant VESTING = 8 hours;
    uint256 internal constant VIRTUAL = 1e6; // VaultMath.VIRTUAL: rounding slack of conversions after price moves
    /// @dev What {_bankRunDrainingIdle} deploys to `position` (a recovery's full amount in the write-down reviews).
    uint256 internal constant RECOVERY = 1400e18;
    /// @dev ERC-7201 base of sAID's layout and the slot offsets of `positionOf`, `writeDowns` ({StakedAIDSlots}).
    bytes32 internal constant LAYOUT = StakedAIDSlots.LAYOUT;
    uint256 internal constant POSITION_OF = StakedAIDSlots.POSITION_OF;
    uint256 internal constant WRITE_DOWNS = StakedAIDSlots.WRITE_DOWNS;
    /// @dev Slot offset of the excess part (`excess`, a {StakedAIDStorage.Side}; v5, 10b-1).
    uint256 internal constant EXCESS = StakedAIDSlots.EXCESS;

    function setUp() public virtual override {
        super.setUp();
        bytes32 role = sAID.REWARDER_ROLE();
        vm.prank(admin);
        sAID.grantRole(role, rewarder);
        position = new MockPosition(IERC20(address(aid)));
        vm.label(address(position), "MockPosition");
    }

    // ------------------------------------------------------------ helpers

    /// @dev AID for `who` straight from the minter (tests of the vault do not need collateral).
    function _fund(address who, uint256 amount) internal {
        vm.prank(address(minter));
        aid.mint(who, amount);
    }

    function _stake(address who, uint256 amount) internal returns (uint256 shares) {
        _fund(who, amount);
        vm.startPrank(who);
        aid.approve(address(sAID), amount);
        shares = sAID.deposit(amount, who);
        vm.stopPrank();
    }

    function _reward(uint256 amount) internal {
        _fund(rewarder, amount);
        vm.startPrank(rewarder);
        aid.approve(address(sAID), amount);
        sAID.transferInRewards(amount);
        vm.stopPrank();
    }

    function _unstake(address who, uint256 shares) internal returns (uint256 assets) {
        vm.prank(who);
        assets = sAID.unstake(shares);
    }

    function _setDelay(uint256 delay) internal {
        vm.prank(admin);
        sAID.setUnstakeDelay(delay);
    }

    function _restrict(address who, IStakedAID.Restriction r) internal {
        vm.prank(restrictionManager);
        sAID.setRestriction(who, r);
    }

    function _listPosition() internal {
        vm.prank(allocator);
        sAID.addPosition(address(position));
    }

    function _allocate(uint256 amount) internal {
        vm.prank(allocator);
        sAID.allocate(address(position), amount);
    }

    /// @dev alice stakes `aliceAssets` AID, bob `bobAssets`, and `position` is listed (nothing allocated yet).
    function _twoStakersListed(uint256 aliceAssets, uint256 bobAssets) internal {
        _stake(alice, aliceAssets);
        _stake(bob, bobAssets);
        _listPosition();
    }

    /// @dev alice and bob stake 1000 AID each, `position` is listed and `deployed` AID are allocated to it.
    function _twoStakersAllocated(uint256 deployed) internal {
        _twoStakersListed(1000e18, 1000e18);
        _allocate(deployed);
    }

    /// @dev alice and bob stake 1000 AID each, `position` is listed with 1000 AID allocated, then alice unstakes half
    ///      her shares: her request waits (nothing paid). `queued`: what it is recorded at (500 AID).
    function _twoStakersListedAliceQueuedHalf() internal returns (uint256 queued) {
        _twoStakersAllocated(1000e18);
        queued = _unstake(alice, sAID.balanceOf(alice) / 2);
    }

    /// @dev alice and bob stake 1000 AID each and `second` is listed next to `position`; `each` AID are allocated to
    ///      both.
    function _twoStakersOnTwoPositions(MockPosition second, uint256 each) internal {
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(second));
        _allocate(each);
        vm.prank(allocator);
        sAID.allocate(address(second), each);
    }

    /// @dev Bank run: alice and bob stake 1000 AID each, 1400 are deployed to `position`, alice unstakes everything,
    ///      DELAY passes and the queue is processed. `paid`: what her request got (all 600 idle AID; it keeps the head of
    ///      the queue with 400 AID still owed). {_bankRunDrainingIdle} asserts that amount.
    function _bankRun() internal returns (uint256 paid) {
        _twoStakersAllocated(1400e18);
        _unstake(alice, sAID.balanceOf(alice));
        vm.warp(block.timestamp + DELAY);
        paid = sAID.processUnstakeQueue(10);
    }

    /// @dev {_bankRun}, asserting that alice's request took all 600 idle AID (it keeps the head of the queue with 400
    ///      AID still owed).
    function _bankRunDrainingIdle() internal {
        assertEq(_bankRun(), 600e18, "the bank run takes all idle AID");
    }

    /// @dev The allocator takes back everything `position` has booked, DELAY passes and up to 10 matured requests are
    ///      paid. `paid`: what they were paid.
    function _deallocateAllThenPayQueue() internal returns (uint256 paid) {
        uint256 booked = sAID.bookedOf(address(position));
        vm.prank(allocator);
        sAID.deallocate(address(position), booked);
        vm.warp(block.timestamp + DELAY);
        paid = sAID.processUnstakeQueue(10);
    }

    /// @dev {_bankRunDrainingIdle}, then the listed position is marked down so that it keeps `left` AID of reported
    ///      value (0: total loss) and the loss is booked; the position still holds the 1400 AID: a recovery may follow.
    function _bankRunThenWriteDown(uint256 left) internal {
        _bankRunDrainingIdle();
        position.mark(address(sAID), -int256(RECOVERY - left));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    /// @dev `position` reports `loss` less and the allocator books it.
    function _markDown(uint256 loss) internal {
        position.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
    }

    /// @dev Books what the positions report (an entry, exit or allocation does the same).
    function _sync() internal {
        sAID.processUnstakeQueue(1); // nothing is mature: only syncs
    }

    /// @dev What `who`'s requests are worth now.
    function _pending(address who) internal view returns (uint256 p) {
        (, p) = sAID.getUnstakeRequest(who);
    }

    /// @dev What `who`'s shares would redeem for now (loss-aware NAV).
    function _value(address who) internal view returns (uint256) {
        return sAID.previewRedeem(sAID.balanceOf(who));
    }

    /// @dev sAID's booked undecided write-downs (`writeDowns`): their total and the queue's recorded claim on them.
    function _writeDowns() internal view returns (uint256 total, uint256 claim) {
        return StakedAIDSlots.writeDowns(address(sAID));
    }

    /// @dev `position` reports `cure` more (both losses of a two-loss scenario written back) and it is booked,
    ///      asserting that nothing stays undecided (so the queue holds no claim).
    function _cureFully(uint256 cure) internal {
        position.mark(address(sAID), int256(cure));
        _sync();
        (uint256 total, uint256 claim) = _writeDowns();
        assertEq(total + claim, 0, "fully cured");
    }

    /// @dev The pool's {StakedAIDStorage.QueueState} (`queue`): its shares and index.
    function _pool() internal view returns (uint256 shares, uint256 index) {
        return StakedAIDSlots.pool(address(sAID));
    }

    /// @dev Re-bases of the pool's index so far (`queueEpoch`).
    function _queueEpoch() internal view returns (uint256) {
        return StakedAIDSlots.load(address(sAID), StakedAIDSlots.QUEUE_EPOCH);
    }

    /// @dev The bare part's word (`bare`: shares | index << 160).
    function _bareWord() internal view returns (uint256) {
        return StakedAIDSlots.load(address(sAID), StakedAIDSlots.BARE);
    }

    /// @dev `config.noBareWords` (v6): no waiting request holds a bare word.
    function _noBareWords() internal view returns (bool none) {
        (,,, none) = StakedAIDSlots.config(address(sAID));
    }

    /// @dev `config.excessWords` (v5): a waiting request may hold an excess word.
    function _excessWords() internal view returns (bool may) {
        (,, may,) = StakedAIDSlots.config(address(sAID));
    }

    /// @dev The bare part's {StakedAIDStorage.QueueState}: its shares and index.
    function _bare() internal view returns (uint256 shares, uint256 index) {
        return StakedAIDSlots.bare(address(sAID));
    }

    /// @dev The current bare epoch (`bareEpoch`).
    function _bareEpoch() internal view returns (uint256) {
        return StakedAIDSlots.load(address(sAID), StakedAIDSlots.BARE_EPOCH);
    }

    /// @dev Request `id`'s bare shares and the bare epoch of their units (`requestBare[id]`).
    function _requestBare(uint256 id) internal view returns (uint256 shares, uint256 epoch) {
        return StakedAIDSlots.bareWord(StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE, id));
    }

    /// @dev `owner`'s bare aggregate and the bare epoch of its units (`accountBare[owner]`).
    function _accountBare(address owner) internal view returns (uint256 shares, uint256 epoch) {
        uint256 key = uint256(uint160(owner));
        return StakedAIDSlots.bareWord(StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.ACCOUNT_BARE, key));
    }

    /// @dev The accumulator of pool shares per bare share (`bareAcc`, 10r-1).
    function _bareAcc() internal view returns (uint256) {
        return StakedAIDSlots.load(address(sAID), StakedAIDSlots.BARE_ACC);
    }

    /// @dev Request `id`'s accumulator snapshot and the pool epoch of its units (`requestBareAcc[id]`).
    function _requestBareAcc(uint256 id) internal view returns (uint256 acc, uint256 poolEpoch) {
        return StakedAIDSlots.accWord(StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.REQUEST_BARE_ACC, id));
    }

    /// @dev `owner`'s accumulator snapshot and the pool epoch of its units (`accountBareAcc[owner]`).
    function _accountBareAcc(address owner) internal view returns (uint256 acc, uint256 poolEpoch) {
        uint256 key = uint256(uint160(owner));
        return StakedAIDSlots.accWord(StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.ACCOUNT_BARE_ACC, key));
    }

    /// @dev Bare epoch `epoch`'s end record (`bareEpochEnd[epoch]`): final accumulator, pool epoch, steps (0: a
    ///      restart).
    function _bareEpochEnd(uint256 epoch) internal view returns (uint256 acc, uint256 poolEpoch, uint256 steps) {
        return StakedAIDSlots.bareEpochEnd(address(sAID), epoch);
    }

    /// @dev Bare epoch `epoch`'s raw end record word.
    function _rawEpochEnd(uint256 epoch) internal view returns (uint256) {
        return StakedAIDSlots.loadOf(address(sAID), StakedAIDSlots.BARE_EPOCH_END, epoch);
    }

    /// @dev The excess part's end record of epoch `epoch` (`excess.epochEnd[epoch]`, 11r-1): final accumulator, pool
    ///      epoch at its end, steps to the next epoch (0: a restart; all 0: not ended).
    function _excessEpochEnd(uint256 epoch) internal view returns (uint256 acc, uint256 poolEpoch, uint256 steps) {
        return StakedAIDSlots.epochEnd(address(sAID), StakedAIDSlots.EXCESS_EPOCH_END, epoch);
    }

    /// @dev sAID's excess part (10b-1, booked): its shares, index (claim per share [ray]), claim [wad] and epoch.
    function _excess() internal view returns (uint256 shares, uint256 index, uint256 claim, uint256 epoch) {
        uint256 w = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS)));
        (shares, index) = (uint160(w), w >> 160);
        claim = shares * index / 1e27;
        epoch = uint256(vm.load(address(sAID), bytes32(uint256(LAYOUT) + EXCESS + 1)));
    }

    /// @dev Price of one whole share in AID [wad].
    function _price() internal view returns (uint256) {
        return sAID.convertToAssets(1e18);
    }

    /// @dev Tracked AID the vault must physically hold: idle + held for restricted owners.
    function _assertBacked() internal view {
        uint256 owed = sAID.idleAssets();
        assertGe(aid.balanceOf(address(sAID)) + 0, owed, "idle not backed");
    }
}
