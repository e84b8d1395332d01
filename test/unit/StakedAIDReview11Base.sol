// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MockPosition} from "../mocks/MockPosition.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Shared fixture of the session-11 and session-12 review tests of the side parts (StakedAIDReview11R*,
///         StakedAIDReview11X*, StakedAIDReview12E*, and the queue model through {StakedAIDQueueModelBase}): a second
///         position `p2`, eve and frank, and the scenario helpers they use.
abstract contract StakedAIDReview11Base is StakedAIDTestBase {
    /// @dev The accumulator's bound within one bare epoch (1000 × 1e27, {PositionLogic-_moveBare}).
    uint256 internal constant ACC_BOUND = 1e30;

    MockPosition internal p2;
    address internal eve = makeAddr("eve");
    address internal frank = makeAddr("frank");

    function setUp() public virtual override {
        super.setUp();
        p2 = new MockPosition(IERC20(address(aid)));
    }

    /// @dev Request `id`'s value now (`unstakeRequest`).
    function _requestValue(uint256 id) internal view returns (uint256 v) {
        (,,, v) = sAID.unstakeRequest(id);
    }

    /// @dev {StakedAIDReview11R1Test-test_review11r1_reachedBySmallSettledLosses}' setup: `bareAcc` in its top band by 1% losses settled one
    ///      after another (a 6e12 write-down stays undecided), the bare index just above the floor, then frank's 2M round
    ///      trip (mostly bare): his record and the claim his shares carried.
    function _smallSettledLossesThenFrank() internal returns (uint256 recorded, uint256 carried) {
        _poolThenBarePrelude();
        for (uint256 c; c < 3; ++c) {
            _lossOn(p2, (sAID.totalAssets() + sAID.pendingUnstakeAssets()) / 100);
            vm.prank(allocator);
            sAID.settleWriteDown(address(p2));
        }
        _unstake(eve, _stake(eve, 10_000e18));
        _tuneBareIndexTo(1.3e24, 1_000_000e18, 600);
        assertLe(_bareAcc(), ACC_BOUND, "accumulator bound");
        return _frankRoundTrip();
    }

    /// @dev The prelude of the 11r-1 scenarios: no buffer, alice and bob 1000 each and carol 1M (1000 on `position`, the
    ///      rest on `p2`), alice's request 0 in the pool, a 6e12 write-down on `position` that stays undecided, then
    ///      dave's 1M round trip (request 1: mostly bare).
    function _poolThenBarePrelude() internal {
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _twoStakersListed(1000e18, 1000e18);
        vm.prank(allocator);
        sAID.addPosition(address(p2));
        _stake(carol, 1_000_000e18);
        _allocate(1000e18);
        _allocateFree();
        _unstake(alice, sAID.balanceOf(alice) / 10); // request 0: the pool
        _markDown(6e12); // stays undecided
        _unstake(dave, _stake(dave, 1_000_000e18)); // request 1: mostly bare
    }

    /// @dev 12e-1's split scenario: no buffer, alice's request 0 (half of her 1000) bears a loss of 600 on `position`,
    ///      `park` is listed and takes `parked` of dave's 100k entry (idle is then short of his request), dave unstakes
    ///      it all (request 1: a pool part carrying his claim `c` + a bare part, `v` recorded), DELAY passes and alice
    ///      is paid in full.
    function _splitRequestShortOfIdle(uint256 parked) internal returns (MockPosition park, uint256 c, uint256 v) {
        vm.prank(admin);
        sAID.setLiquidityBuffer(0);
        _twoStakersListedAliceQueuedHalf(); // request 0
        _markDown(600e18);
        park = new MockPosition(IERC20(address(aid)));
        vm.prank(allocator);
        sAID.addPosition(address(park));
        uint256 got = _stake(dave, 100_000e18);
        vm.prank(allocator);
        sAID.allocate(address(park), parked); // idle is then short of dave's request
        (uint256 total, uint256 claim) = _writeDowns();
        c = Math.mulDiv(total - claim, got, sAID.totalSupply()); // the claim dave's shares carry
        v = _unstake(dave, got); // request 1
        (uint256 bare,) = _requestBare(1);
        assertGt(bare, 0, "split: a bare part");
        vm.warp(block.timestamp + DELAY);
        sAID.processUnstakeQueue(1); // alice, in full
    }

    /// @dev frank stakes 2M (deployed into `p2`) and unstakes it all (mostly bare while a write-down is undecided): his
    ///      request's record and the claim his shares carried.
    function _frankRoundTrip() internal returns (uint256 recorded, uint256 carried) {
        uint256 got = _stake(frank, 2_000_000e18);
        _allocateFree();
        (uint256 total, uint256 claim) = _writeDowns();
        carried = Math.mulDiv(total - claim, got, sAID.totalSupply());
        recorded = _unstake(frank, got);
        (uint256 bs,,) = _bareState();
        assertGt(bs, 0, "frank's request is mostly bare");
    }

    /// @dev A new staker's deposit of `stake` is deployed, then a loss on `p2` of at most `maxBps` of its carrying
    ///      value (binary-searched) leaves the bare index just above `target` (no re-base: the same bare epoch).
    function _tuneBareIndexTo(uint256 target, uint256 stake, uint256 maxBps) internal {
        _stake(makeAddr("gina"), stake);
        _allocateFree();
        (,, uint256 e0) = _bareState();
        uint256 lo = 1;
        uint256 hi = sAID.bookedOf(address(p2)) * maxBps / 10_000;
        while (lo < hi) {
            uint256 mid = (lo + hi + 1) / 2;
            uint256 snap = vm.snapshotState();
            _lossOn(p2, mid);
            (, uint256 i1, uint256 e1) = _bareState();
            vm.revertToState(snap);
            if (e1 == e0 && i1 >= target) lo = mid;
            else hi = mid - 1;
        }
        _lossOn(p2, lo);
        (, uint256 index,) = _bareState();
        assertGe(index, target, "tuned");
        assertLt(index, target * 101 / 100, "tuned");
    }

    /// @dev Deploys every free AID into `p2`.
    function _allocateFree() internal {
        uint256 free = sAID.freeLiquidity();
        vm.prank(allocator);
        sAID.allocate(address(p2), free);
    }

    /// @dev `p` reports `loss` less and the allocator books it.
    function _lossOn(MockPosition p, uint256 loss) internal {
        p.mark(address(sAID), -int256(loss));
        vm.prank(allocator);
        sAID.bookLoss(address(p));
    }

    /// @dev The bare part's shares and index ({StakedAIDTestBase-_bare}) and its epoch.
    function _bareState() internal view returns (uint256 shares, uint256 index, uint256 epoch) {
        (shares, index) = _bare();
        epoch = _bareEpoch();
    }
}
