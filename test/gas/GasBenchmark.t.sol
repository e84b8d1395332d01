// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BaseTest} from "../BaseTest.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Gas of the hot paths against bare OpenZeppelin contracts in the same run. Run with `--isolate` so every
///         call is its own transaction (cold storage, 21k base): see package.json `test:gas`.
contract GasBenchmarkTest is BaseTest {
    MockERC20 internal ozToken; // bare OpenZeppelin ERC20

    function setUp() public override {
        super.setUp();
        ozToken = new MockERC20("Bare", "OZ", 18);
        // warm holders: both sides already hold a balance
        ozToken.mint(alice, 1000e18);
        ozToken.mint(carol, 1e18);
        _mintAid(alice, 1000e6);
        _mintAid(carol_(), 1e6);
    }

    function carol_() private returns (address) {
        bytes32 role = minter.WHITELISTED_ROLE();
        vm.prank(whitelistManager);
        minter.grantRole(role, carol);
        return carol;
    }

    function test_gas_transfer_vsOpenZeppelin() public {
        vm.prank(alice);
        ozToken.transfer(carol, 1e18);
        uint256 oz = vm.snapshotGasLastCall("transfer_ozERC20");
        vm.prank(alice);
        aid.transfer(carol, 1e18);
        uint256 ours = vm.snapshotGasLastCall("transfer_AID");
        console2.log("AID transfer %d gas vs OZ ERC20 %d gas (x1000: %d)", ours, oz, (ours * 1000) / oz);
        assertLe(ours * 100, oz * 110, "AID transfer > 1.10x bare OZ ERC20");
    }

    function test_gas_mint_underTarget() public {
        usdc.mint(alice, 100e6);
        vm.prank(alice);
        usdc.approve(address(minter), type(uint256).max);
        vm.prank(alice);
        minter.mint(address(usdc), 100e6, 0, alice);
        uint256 used = vm.snapshotGasLastCall("mint_AIDMinter");
        console2.log("AIDMinter.mint %d gas (target < 108000)", used);
        assertLt(used, 108_000, "whitelisted mint >= 108k gas");
    }
}
