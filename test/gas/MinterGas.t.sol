// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Gas of the redemption paths (the mint path is in {GasBenchmarkTest}). Run with `--isolate` so every call is
///         its own transaction: `bin/forge test --isolate --match-path 'test/gas/*'`; snapshots in snapshots/*.json.
/// @dev Budgets hold with and without `--isolate`; the snapshots are the `--isolate` numbers.
contract MinterGasTest is MinterTestBase {
    uint256 internal constant REDEEM_REQUEST_BUDGET = 210_000;
    uint256 internal constant REDEEM_CLAIM_BUDGET = 90_000;
    uint256 internal constant REDEEM_INSTANT_BUDGET = 230_000;

    function setUp() public override {
        super.setUp();
        // steady state: alice and bob hold AID and USDC, the reserve holds USDC, and one redemption went through the
        // queue already (queue, request array and cap slots are non-zero)
        _mintAid(alice, 1000 * USDC_UNIT);
        _mintAid(bob, 1000 * USDC_UNIT);
        usdc.mint(alice, 1);
        vm.prank(alice);
        aid.approve(address(minter), type(uint256).max);
        uint256 warmup = _requestRedeem(bob, 10e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        minter.claimRedeem(warmup);
        vm.warp(block.timestamp + 1);
        usdcFeed.setAnswer(ONE_USD);
    }

    function test_gas_redeemRequest() public {
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), 100e18, 0, alice);
        uint256 used = vm.snapshotGasLastCall("redeem_request");
        console2.log("requestRedeem (queued) %d gas", used);
        assertFalse(minter.redeemRequest(id).claimed, "queued");
        assertLt(used, REDEEM_REQUEST_BUDGET, "requestRedeem over budget");
    }

    function test_gas_redeemClaim() public {
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), 100e18, 0, alice);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.prank(bob); // anyone may claim
        minter.claimRedeem(id);
        uint256 used = vm.snapshotGasLastCall("redeem_claim");
        console2.log("claimRedeem %d gas", used);
        assertTrue(minter.redeemRequest(id).claimed, "paid");
        assertLt(used, REDEEM_CLAIM_BUDGET, "claimRedeem over budget");
    }

    function test_gas_redeemInstant() public {
        _setRedeemDelay(0);
        vm.prank(alice);
        uint256 id = minter.requestRedeem(address(usdc), 100e18, 0, alice);
        uint256 used = vm.snapshotGasLastCall("redeem_instant");
        console2.log("requestRedeem (delay 0, settled) %d gas", used);
        assertTrue(minter.redeemRequest(id).claimed, "settled in the same call");
        assertLt(used, REDEEM_INSTANT_BUDGET, "instant redeem over budget");
    }
}
