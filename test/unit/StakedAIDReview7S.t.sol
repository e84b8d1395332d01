// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAIDTestBase} from "./StakedAIDTestBase.sol";

/// @notice Session-7 independent review of the issue-12 (12r/12s) fix on sAID: total / near-total loss capture, the
///         wiped threshold's edges, entry pricing vs previews and max*, who may burn whose worthless shares. Findings
///         7s-1..7s-5 (recovery capture, locked recovery, stream paid up front): StakedAIDReview7SRecovery.t.sol.
contract StakedAIDReview7STest is StakedAIDTestBase {
    /// @dev {_bankRunThenWriteDown}, the write-down settled.
    function _writeDown(uint256 left) internal {
        _bankRunThenWriteDown(left);
        vm.prank(allocator);
        sAID.settleWriteDown(address(position)); // final: the AID is gone, entries stop paying for a recovery
    }

    /// @notice Review 7s-6 (MEDIUM, fixed: only the holder burns its own): `burnWorthless` assumed a worthless balance forgoes "less than 1 wei per AID of NAV
    ///         that later rewards add", because entrants would dilute it first. Since (W) no entrant can come before
    ///         value arrives, so the next harvest goes pro-rata to whoever still holds the worthless supply. A holder that
    ///         keeps its own worthless shares (any contract: nobody else may burn them) burns every EOA's balance just
    ///         before the harvest and takes all of it instead of its 0.1% share; bob, who bore the loss, gets nothing.
    function test_review7s6_burnWorthlessConfiscatesTheNextHarvest() public {
        _bankRunDrainingIdle();
        address keeper = address(new Keeper());
        vm.prank(bob);
        sAID.transfer(keeper, 1e18); // a contract holder: 1 of bob's 1000 shares
        position.mark(address(sAID), -int256(RECOVERY));
        vm.prank(allocator);
        sAID.bookLoss(address(position));
        vm.prank(allocator);
        sAID.removePosition(address(position)); // written off
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, keeper, bob));
        sAID.burnWorthless(bob); // nobody burns another account's shares (fixed: any third party could, bob has no code)
        uint256 harvest = 100e18;
        _reward(harvest); // the reserve's routine harvest: the only value that reopens the wiped vault
        vm.warp(sAID.vestingEnd());
        uint256 keeperValue = sAID.previewRedeem(sAID.balanceOf(keeper));
        emit log_named_decimal_uint("the keeper (held 0.1% of the supply) gets", keeperValue, 18);
        assertLe(keeperValue, harvest / 1000 + 1e12, "the harvest is shared pro-rata by the holders of the wipe");
    }

    // ------------------------------------------------------------ attacks that hold (regression tests)

    /// @notice Review 7s (holds): an EIP-7702-delegated EOA, a plain EOA or an address whose code is not deployed yet
    ///         (a CREATE2 custodian funded ahead): a third party burns none of them; each burns its own.
    function test_review7s_onlyTheHolderBurnsWhateverItsCode() public {
        _writeDown(0);
        vm.prank(allocator);
        sAID.removePosition(address(position));
        address future = makeAddr("counterfactual custodian");
        vm.prank(bob);
        sAID.transfer(future, 400e18);
        vm.etch(carol, abi.encodePacked(hex"ef0100", address(0xC0DE)));
        assertEq(carol.code.length, 23, "delegation designator");
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, future));
        sAID.burnWorthless(future);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, bob));
        sAID.burnWorthless(bob);
        vm.etch(bob, abi.encodePacked(hex"ef0100", address(0xC0DE)));
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.NotHolder.selector, dave, bob));
        sAID.burnWorthless(bob);
        assertEq(sAID.balanceOf(bob), 600e18, "state unchanged");
        vm.prank(bob);
        assertEq(sAID.burnWorthless(bob), 600e18, "the delegated EOA burns its own");
        vm.prank(future);
        assertEq(sAID.burnWorthless(future), 400e18, "the counterfactual address burns its own");
        assertEq(sAID.totalSupply(), 0, "no worthless share left");
    }

    /// @notice Review 7s (holds): around the wiped threshold (a write-down leaving 0 .. 1e-2 AID of 1000 shares' value,
    ///         with a queue), `maxDeposit` is 0 exactly when the entry value x 1e9 < supply (computed from the views),
    ///         `previewDeposit` / `previewMint` equal what `deposit` / `mint` do, and `deposit(maxDeposit)` goes through.
    function testFuzz_review7s_thresholdEdgePreviewsAndMaxAgree(uint256 left, uint256 amount, bool useMint) public {
        _writeDown(bound(left, 0, 1e16));
        uint256 supply = sAID.totalSupply();
        uint256 value = sAID.totalAssets() + sAID.unvestedAmount();
        uint256 cap = useMint ? sAID.maxMint(dave) : sAID.maxDeposit(dave);
        assertEq(cap == 0, value * 1e9 < supply, "maxDeposit/maxMint 0 exactly while wiped");
        if (cap == 0) {
            _fund(dave, 1e18);
            vm.startPrank(dave);
            aid.approve(address(sAID), 1e18);
            vm.expectRevert(IStakedAID.VaultWiped.selector);
            if (useMint) sAID.mint(1e18, dave);
            else sAID.deposit(1e18, dave);
            vm.stopPrank();
            return;
        }
        amount = bound(amount, 1, cap);
        uint256 cost = useMint ? sAID.previewMint(amount) : amount;
        uint256 preview = useMint ? amount : sAID.previewDeposit(amount);
        assertGt(preview, 0, "above the threshold one wei buys shares");
        _fund(dave, cost);
        vm.startPrank(dave);
        aid.approve(address(sAID), cost);
        if (useMint) assertEq(sAID.mint(amount, dave), cost, "previewMint");
        else assertEq(sAID.deposit(amount, dave), preview, "previewDeposit");
        vm.stopPrank();
        uint256 rest = useMint ? sAID.maxMint(dave) : sAID.maxDeposit(dave);
        if (rest != 0 && rest <= 1e30) {
            cost = useMint ? sAID.previewMint(rest) : rest;
            _fund(dave, cost);
            vm.startPrank(dave);
            aid.approve(address(sAID), cost);
            if (useMint) sAID.mint(rest, dave);
            else sAID.deposit(rest, dave);
            vm.stopPrank();
        }
    }

    /// @notice Review 7s (gas, documented): every loss-aware view now goes through one `PositionLogic.snapshot`
    ///         DELEGATECALL, also with no position listed (the old `_state` read storage directly then). Logs the cost of
    ///         the Morpho oracle's read and of `totalAssets`, with 0 and with 1 position listed; bounded.
    function test_review7s_viewGasThroughSnapshot() public {
        _stake(alice, 1000e18);
        uint256 g = gasleft();
        sAID.convertToAssetsWithLoss(1e18);
        uint256 oracle0 = g - gasleft();
        g = gasleft();
        sAID.totalAssets();
        uint256 total0 = g - gasleft();
        _listPosition();
        _allocate(500e18);
        g = gasleft();
        sAID.convertToAssetsWithLoss(1e18);
        uint256 oracle1 = g - gasleft();
        emit log_named_uint("convertToAssetsWithLoss, 0 positions (cold)", oracle0);
        emit log_named_uint("totalAssets, 0 positions (warm)", total0);
        emit log_named_uint("convertToAssetsWithLoss, 1 position", oracle1);
        assertLt(oracle0, 30_000, "oracle read stays cheap");
        assertLt(oracle1, 40_000, "oracle read stays cheap");
    }
}

/// @dev A contract holding sAID: nobody but itself may burn its worthless balance.
contract Keeper {}
