// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGAIB} from "../../src/interfaces/IGAIB.sol";
import {GAIB} from "../../src/token/GAIB.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Test} from "forge-std/Test.sol";

/// @notice GAIB token: fixed supply to the treasury, permit, timestamp-clocked votes.
contract GAIBTest is Test {
    uint256 internal constant SUPPLY = 1_000_000_000e18;
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    address internal treasury = makeAddr("treasury");
    address internal bob = makeAddr("bob");
    address internal owner;
    uint256 internal ownerKey;
    GAIB internal gaib;

    function setUp() public {
        vm.warp(1_750_000_000);
        (owner, ownerKey) = makeAddrAndKey("owner");
        gaib = new GAIB(treasury);
    }

    function test_constructor_mintsFixedSupplyToTreasury() public view {
        assertEq(gaib.totalSupply(), SUPPLY);
        assertEq(gaib.TOTAL_SUPPLY(), SUPPLY);
        assertEq(gaib.balanceOf(treasury), SUPPLY);
        assertEq(gaib.name(), "GAIB");
        assertEq(gaib.symbol(), "GAIB");
        assertEq(gaib.decimals(), 18);
    }

    function test_constructor_revertsWhen_zeroTreasury() public {
        vm.expectRevert(IGAIB.ZeroTreasury.selector);
        new GAIB(address(0));
    }

    function test_clock_isTimestamp() public {
        assertEq(gaib.clock(), block.timestamp);
        assertEq(gaib.CLOCK_MODE(), "mode=timestamp");
        vm.warp(block.timestamp + 123);
        assertEq(gaib.clock(), block.timestamp);
    }

    function test_votes_delegateAndCheckpointByTimestamp() public {
        vm.prank(treasury);
        gaib.transfer(owner, 100e18);
        vm.prank(owner);
        gaib.delegate(bob);
        uint256 t0 = block.timestamp;
        assertEq(gaib.getVotes(bob), 100e18);
        assertEq(gaib.delegates(owner), bob);
        vm.warp(t0 + 10);
        vm.prank(owner);
        gaib.transfer(treasury, 40e18);
        vm.warp(t0 + 20);
        assertEq(gaib.getPastVotes(bob, t0), 100e18);
        assertEq(gaib.getPastVotes(bob, t0 + 10), 60e18);
        assertEq(gaib.getPastTotalSupply(t0 + 10), SUPPLY);
    }

    function test_permit_setsAllowanceAndBumpsNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                gaib.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, 5e18, 0, deadline))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digest);
        gaib.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(gaib.allowance(owner, bob), 5e18);
        assertEq(gaib.nonces(owner), 1);
    }

    function test_permit_revertsWhen_expired() public {
        uint256 deadline = block.timestamp - 1;
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                gaib.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, 5e18, 0, deadline))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerKey, digest);
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        gaib.permit(owner, bob, 5e18, deadline, v, r, s);
    }

    function testFuzz_transfer_supplyFixed(uint256 amount) public {
        amount = bound(amount, 0, SUPPLY);
        vm.prank(treasury);
        gaib.transfer(bob, amount);
        assertEq(gaib.totalSupply(), SUPPLY);
        assertEq(gaib.balanceOf(bob) + gaib.balanceOf(treasury), SUPPLY);
    }
}
