// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../../src/interfaces/IDealPosition.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A position whose `valueOf` answers normally, reverts, returns no data or returns 16 bytes (a broken adapter).
contract FaultyPosition is IDealPosition {
    enum Mode {
        OK,
        REVERT,
        EMPTY,
        SHORT
    }

    IERC20 public immutable aid;
    Mode public mode;
    mapping(address holder => uint256) public principal;

    constructor(IERC20 aid_) {
        aid = aid_;
    }

    function setMode(Mode m) external {
        mode = m;
    }

    function asset() external view returns (address) {
        return address(aid);
    }

    function valueOf(address holder) external view returns (uint256 v) {
        Mode m = mode;
        if (m == Mode.REVERT) revert("broken");
        if (m == Mode.EMPTY) {
            assembly ("memory-safe") {
                return(0, 0)
            }
        }
        v = principal[holder];
        if (m == Mode.SHORT) {
            assembly ("memory-safe") {
                mstore(0, v)
                return(0, 16)
            }
        }
    }

    function deposit(uint256 assets) external {
        aid.transferFrom(msg.sender, address(this), assets);
        principal[msg.sender] += assets;
    }

    function withdraw(uint256 assets) external returns (uint256 received) {
        received = assets < principal[msg.sender] ? assets : principal[msg.sender];
        principal[msg.sender] -= received;
        aid.transfer(msg.sender, received);
    }
}

/// @notice Issue-12 review 12r/12s: a total loss must not let an entrant capture what the loss-bearers are still owed
///         (a reward still vesting, a later recovery), and ERC-4626 `max*` never revert.
contract StakedAIDReview12sTest is StakedAIDTestBase {
    /// @dev Bank run (alice queued, 400 AID still owed to her), then the listed position is marked to 0 (its AID is
    ///      still there: a recovery may follow): NAV 0, bob's 1000 shares and alice's request worth nothing.
    function _wipeWithPositionListed() internal {
        _bankRunDrainingIdle();
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.totalAssets(), 0, "wiped");
    }

    /// @dev The position's mark is cured and the allocator realises it: all 1400 AID come back as a gain (streamed).
    function _recover() internal {
        position.mark(address(sAID), 1400e18);
        vm.prank(allocator);
        sAID.deallocate(address(position), 1400e18);
    }

    /// @dev Stakes min(`amount`, maxDeposit) for `who` when that deposit goes through; returns what it paid and got.
    function _tryStake(address who, uint256 amount) internal returns (uint256 paid, uint256 shares) {
        uint256 cap = sAID.maxDeposit(who);
        paid = amount < cap ? amount : cap;
        if (paid == 0) return (0, 0);
        _fund(who, paid);
        vm.startPrank(who);
        aid.approve(address(sAID), paid);
        try sAID.deposit(paid, who) returns (uint256 s) {
            shares = s;
        } catch {
            paid = 0;
        }
        vm.stopPrank();
    }

    function _nextBlock() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
    }

    /// @notice Review 12r (MEDIUM): NAV wiped to 0 with a written-down position still listed; a dust depositor took the
    ///         tiny entry room and owned ~all of the supply, so a later recovery (realised by `deallocate`) went to it.
    function test_review12r_totalLossRecoveryCapturedByDustDepositor() public {
        _wipeWithPositionListed();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 1e18);
        vm.warp(block.timestamp + 1 days);
        _recover();
        vm.warp(sAID.vestingEnd());
        uint256 bobValue = sAID.previewRedeem(sAID.balanceOf(bob));
        assertGe(bobValue, 1400e18 - 1e12, "the loss-bearer gets the recovery");
        assertLe(sAID.previewRedeem(daveShares), paid + 1e12, "the entrant gets at most what it paid");
    }

    /// @notice Review 12s (MEDIUM): the recovery streams over up to 10 years (the APR cap is measured on NAV >= 1 AID);
    ///         a depositor one block after the `deallocate` bought at the ~0 vested price and took the stream.
    function test_review12s_recoveryStreamSnipedOneBlockAfterDeallocate() public {
        _wipeWithPositionListed();
        _recover();
        assertGt(sAID.vestingEnd(), block.timestamp + 365 days, "the recovery vests over years");
        _nextBlock();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 1000e18);
        assertGt(paid, 0, "entries are open again: value arrived");
        vm.warp(sAID.vestingEnd());
        assertGe(sAID.previewRedeem(sAID.balanceOf(bob)), 1400e18 - 1e12, "the loss-bearer gets the recovery");
        assertLe(sAID.previewRedeem(daveShares), paid + paid / 1e12, "the entrant gets what it paid");
        assertGe(sAID.previewRedeem(daveShares) + paid / 1e12, paid, "and keeps it");
    }

    /// @notice Review 12s (MEDIUM): a reward stream running when a loss wipes NAV; an entrant one block later bought at
    ///         ~0 and took what still vested.
    function test_review12s_vestingStreamSnipedOneBlockAfterWipe() public {
        _bankRunDrainingIdle();
        _reward(10e18);
        position.mark(address(sAID), -1400e18);
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        assertEq(sAID.totalAssets(), 0, "NAV wiped, the reward still unvested");
        _nextBlock();
        (uint256 paid, uint256 daveShares) = _tryStake(dave, 10e18);
        assertGt(paid, 0, "the vault is not wiped: 10 AID still vest");
        vm.warp(sAID.vestingEnd());
        uint256 bobValue = sAID.previewRedeem(sAID.balanceOf(bob));
        assertGe(bobValue, 10e18 - 1e12, "the holder at the wipe gets the stream");
        assertLe(sAID.previewRedeem(daveShares), paid + 1e12, "the entrant gets at most what it paid");
    }

    // ------------------------------------------------------------ max* never revert (Low)

    function _faultyListed(FaultyPosition.Mode m) internal returns (FaultyPosition p) {
        p = new FaultyPosition(IERC20(address(aid)));
        _stake(alice, 1000e18);
        _setDelay(0);
        vm.startPrank(allocator);
        sAID.addPosition(address(p));
        sAID.allocate(address(p), 500e18);
        vm.stopPrank();
        assertGt(sAID.maxDeposit(alice), 0, "open while it answers");
        assertGt(sAID.maxRedeem(alice), 0, "open while it answers");
        p.setMode(m);
    }

    function _assertMaxZero() internal view {
        assertEq(sAID.maxDeposit(alice), 0, "maxDeposit 0");
        assertEq(sAID.maxMint(alice), 0, "maxMint 0");
        assertEq(sAID.maxWithdraw(alice), 0, "maxWithdraw 0");
        assertEq(sAID.maxRedeem(alice), 0, "maxRedeem 0");
    }

    /// @notice Review 12s (Low): ERC-4626 `max*` MUST NOT revert; they reverted when a listed position's `valueOf`
    ///         returned no data. Now they return 0 (the entry or exit itself would revert).
    function test_review12s_maxDepositRevertsOnEmptyValueOfAnswer() public {
        FaultyPosition p = _faultyListed(FaultyPosition.Mode.EMPTY);
        _assertMaxZero();
        p.setMode(FaultyPosition.Mode.SHORT);
        _assertMaxZero();
        vm.expectRevert();
        sAID.totalAssets(); // other NAV reads still refuse to price on a value they cannot read
    }

    /// @notice Review 12s (Low), reverting variant: `valueOf` reverts.
    function test_review12s_maxDepositRevertsOnRevertingValueOf() public {
        FaultyPosition p = _faultyListed(FaultyPosition.Mode.REVERT);
        _assertMaxZero();
        p.setMode(FaultyPosition.Mode.OK);
        assertGt(sAID.maxDeposit(alice), 0, "back once it answers");
    }
}
