// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BaseTest} from "../BaseTest.sol";
import {PlainVault} from "../mocks/PlainVault.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {console2} from "forge-std/console2.sol";

/// @notice sAID's hot paths against a bare OpenZeppelin ERC4626Upgradeable behind an ERC1967Proxy, in the same run,
///         with `--isolate` (every call its own transaction: cold storage, 21k base). Holders are warm: they already
///         hold AID and shares in both vaults, and approvals are set.
contract StakedAIDGasTest is BaseTest {
    /// @notice Budgets from the issue: `unstake` 117,202 + its share of `processUnstakeQueue` 43,463.
    uint256 internal constant UNSTAKE_BUDGET = 117_202;
    uint256 internal constant PROCESS_SHARE_BUDGET = 43_463;
    uint256 internal constant QUEUE_BATCH = 10;
    /// @notice sAID transfer: a share transfer plus one AID deny-list read for both sides (`isDeniedAny`, AID's address
    ///         an immutable). 53,386 before (two `isDenied` calls and two `asset()` reads), 50,140 after.
    uint256 internal constant TRANSFER_BUDGET = 51_000;

    PlainVault internal plain;

    function setUp() public override {
        super.setUp();
        plain = PlainVault(
            address(
                new ERC1967Proxy(
                    address(new PlainVault()), abi.encodeCall(PlainVault.initialize, (IERC20(address(aid))))
                )
            )
        );
        vm.prank(admin);
        sAID.setUnstakeDelay(0);
        _holder(alice);
        _holder(carol);
    }

    /// @dev AID, shares in both vaults and max approvals for `who`.
    function _holder(address who) private {
        vm.prank(address(minter));
        aid.mint(who, 10_000e18);
        vm.startPrank(who);
        aid.approve(address(sAID), type(uint256).max);
        aid.approve(address(plain), type(uint256).max);
        sAID.deposit(1000e18, who);
        plain.deposit(1000e18, who);
        vm.stopPrank();
    }

    function test_gas_deposit_vsOpenZeppelin() public {
        vm.prank(alice);
        plain.deposit(100e18, alice);
        uint256 oz = vm.snapshotGasLastCall("deposit_ozERC4626");
        vm.prank(alice);
        sAID.deposit(100e18, alice);
        uint256 ours = vm.snapshotGasLastCall("deposit_sAID");
        console2.log("sAID deposit %d gas vs OZ ERC4626 %d gas (x1000: %d)", ours, oz, (ours * 1000) / oz);
        assertLe(ours * 100, oz * 110, "sAID deposit > 1.10x bare OZ ERC4626");
    }

    function test_gas_redeem_vsOpenZeppelin() public {
        vm.prank(alice);
        plain.redeem(100e18, alice, alice);
        uint256 oz = vm.snapshotGasLastCall("redeem_ozERC4626");
        vm.prank(alice);
        sAID.redeem(100e18, alice, alice);
        uint256 ours = vm.snapshotGasLastCall("redeem_sAID");
        console2.log("sAID redeem %d gas vs OZ ERC4626 %d gas (x1000: %d)", ours, oz, (ours * 1000) / oz);
        assertLe(ours * 100, oz * 110, "sAID redeem > 1.10x bare OZ ERC4626");
    }

    function test_gas_transfer_vsOpenZeppelin() public {
        vm.prank(alice);
        IERC20(address(plain)).transfer(carol, 10e18);
        uint256 oz = vm.snapshotGasLastCall("transfer_ozERC4626");
        vm.prank(alice);
        sAID.transfer(carol, 10e18);
        uint256 ours = vm.snapshotGasLastCall("transfer_sAID");
        console2.log("sAID transfer %d gas vs OZ ERC4626 %d gas (x1000: %d)", ours, oz, (ours * 1000) / oz);
        assertLe(ours, TRANSFER_BUDGET, "sAID transfer over budget");
    }

    function test_gas_unstakeAndProcess_underBudget() public {
        vm.prank(admin);
        sAID.setUnstakeDelay(7 days);
        vm.prank(alice);
        sAID.unstake(100e18);
        uint256 unstakeGas = vm.snapshotGasLastCall("unstake_sAID");

        // its share of processing: a batch of first-time requests from distinct holders, paid in one call
        for (uint256 i; i < QUEUE_BATCH - 1; ++i) {
            address who = makeAddr(string.concat("staker", vm.toString(i)));
            _holder(who);
            vm.prank(who);
            sAID.unstake(100e18);
        }
        vm.warp(block.timestamp + 7 days);
        sAID.processUnstakeQueue(QUEUE_BATCH);
        uint256 batch = vm.snapshotGasLastCall("processUnstakeQueue_10_sAID");
        uint256 share = batch / QUEUE_BATCH;
        vm.snapshotValue("processUnstakeQueue_share_sAID", share);
        vm.snapshotValue("unstakeWithProcessShare_sAID", unstakeGas + share);
        vm.snapshotValue("unstakeWithProcessShare_budget", UNSTAKE_BUDGET + PROCESS_SHARE_BUDGET);
        vm.snapshotValue("unstake_budget", UNSTAKE_BUDGET);
        vm.snapshotValue("processUnstakeQueue_share_budget", PROCESS_SHARE_BUDGET);
        console2.log(
            "sAID unstake %d gas + process share %d gas (budget %d)",
            unstakeGas,
            share,
            UNSTAKE_BUDGET + PROCESS_SHARE_BUDGET
        );
        assertEq(aid.balanceOf(alice), 8000e18 + 100e18, "alice paid");
        assertLt(unstakeGas + share, UNSTAKE_BUDGET + PROCESS_SHARE_BUDGET, "unstake + process share over budget");
        assertLt(unstakeGas, UNSTAKE_BUDGET, "unstake over its own budget");
        assertLt(share, PROCESS_SHARE_BUDGET, "process share over its own budget");
    }
}
