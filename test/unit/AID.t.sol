// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {AID} from "../../src/token/AID.sol";
import {RestrictedERC20} from "../../src/token/base/RestrictedERC20.sol";
import {BaseTest} from "../BaseTest.sol";
import {Origin} from "@layerzerolabs/oapp-evm/contracts/oapp/OApp.sol";
import {OAppReceiver} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppReceiver.sol";
import {IOAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/interfaces/IOAppCore.sol";
import {IOFT} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {OFTMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTMsgCodec.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice Single-chain unit tests of AID (and its RestrictedERC20 base): every external function and every custom
///         error path. Inbound OFT messages are delivered by pranking the (mock) endpoint; full cross-chain flows are in
///         test/crosschain/AIDCrossChain.t.sol.
contract AIDTest is BaseTest {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 internal constant EIP712_DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    uint32 internal constant REMOTE_EID = 30_110; // Arbitrum
    uint96 internal constant INBOUND_LIMIT = 1_000_000e18;
    uint24 internal constant INBOUND_WINDOW = 1 days;

    address internal tokenMinter = makeAddr("tokenMinter"); // a MINTER_ROLE holder driven directly by the tests
    address internal courtOrdered = makeAddr("courtOrdered");
    bytes32 internal remotePeer = bytes32(uint256(uint160(makeAddr("remoteAID"))));
    uint256 internal ownerPk = 0xA11CE;
    address internal owner = vm.addr(ownerPk);

    bytes32 internal adminRole;
    bytes32 internal minterRole;
    bytes32 internal pauserRole;
    bytes32 internal denylistRole;
    uint64 internal inboundNonce;

    function setUp() public override {
        super.setUp();
        adminRole = aid.DEFAULT_ADMIN_ROLE();
        minterRole = aid.MINTER_ROLE();
        pauserRole = aid.PAUSER_ROLE();
        denylistRole = aid.DENYLIST_MANAGER_ROLE();
        vm.startPrank(admin);
        aid.grantRole(minterRole, tokenMinter);
        aid.setPeer(REMOTE_EID, remotePeer);
        aid.setRateLimit(REMOTE_EID, false, INBOUND_LIMIT, INBOUND_WINDOW);
        vm.stopPrank();
        vm.label(owner, "permitOwner");
    }

    // ================================================================ helpers

    function _mint(address to, uint256 amount) internal {
        vm.prank(tokenMinter);
        aid.mint(to, amount);
    }

    function _deny(address who) internal {
        vm.prank(denylistManager);
        aid.setDenied(who, true);
    }

    function _clear(address who) internal {
        vm.prank(denylistManager);
        aid.setDenied(who, false);
    }

    function _pause() internal {
        vm.prank(gatekeeper);
        aid.pause();
    }

    function _approve(address from, address spender, uint256 amount) internal {
        vm.prank(from);
        assertTrue(aid.approve(spender, amount));
    }

    function _permitDigest(address owner_, address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner_, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", aid.DOMAIN_SEPARATOR(), structHash));
    }

    function _signPermit(uint256 pk, address owner_, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        return vm.sign(pk, _permitDigest(owner_, spender, value, aid.nonces(owner_), deadline));
    }

    /// @dev Delivers an OFT message from the remote peer as the endpoint would; returns its guid.
    function _deliver(address to, uint256 amountLD) internal returns (bytes32 guid) {
        (bytes memory message,) = OFTMsgCodec.encode(bytes32(uint256(uint160(to))), uint64(amountLD / SCALE), "");
        guid = keccak256(abi.encode(++inboundNonce, to, amountLD));
        vm.prank(address(endpoint));
        aid.lzReceive(Origin(REMOTE_EID, remotePeer, inboundNonce), guid, message, address(0), "");
    }

    function _expectUnauthorized(address who, bytes32 role) internal {
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who, role));
    }

    // ================================================================ metadata and wiring

    function test_metadata_matchesSpec() public view {
        assertEq(aid.name(), "AI Dollar");
        assertEq(aid.symbol(), "AID");
        assertEq(aid.decimals(), 18);
        assertEq(aid.token(), address(aid));
        assertFalse(aid.approvalRequired());
        assertEq(aid.sharedDecimals(), 6);
        assertEq(aid.decimalConversionRate(), 10 ** (aid.decimals() - aid.sharedDecimals()));
        (bytes4 interfaceId,) = aid.oftVersion();
        assertEq(interfaceId, type(IOFT).interfaceId);
        assertEq(address(aid.endpoint()), address(endpoint));
    }

    function test_roles_areNamedHashes() public view {
        assertEq(minterRole, keccak256("MINTER_ROLE"));
        assertEq(pauserRole, keccak256("PAUSER_ROLE"));
        assertEq(denylistRole, keccak256("DENYLIST_MANAGER_ROLE"));
        assertEq(adminRole, bytes32(0));
    }

    function test_constructor_wiresAdminOwnerAndDelegate() public view {
        assertEq(aid.owner(), admin);
        assertEq(aid.defaultAdmin(), admin);
        assertTrue(aid.hasRole(adminRole, admin));
        assertEq(endpoint.delegates(address(aid)), admin);
        assertEq(aid.defaultAdminDelay(), aid.ADMIN_TRANSFER_DELAY());
        assertEq(aid.ADMIN_TRANSFER_DELAY(), 1 days);
        assertTrue(aid.hasRole(minterRole, address(minter)));
        assertFalse(aid.paused());
        assertEq(aid.totalSupply(), 0);
        assertEq(aid.totalEscrowed(), 0);
    }

    function test_supportsInterface_accessControl() public view {
        assertTrue(aid.supportsInterface(type(IAccessControl).interfaceId));
        assertTrue(aid.supportsInterface(type(IAccessControlDefaultAdminRules).interfaceId));
    }

    // ================================================================ mint

    function test_mint_minterCreditsRecipient() public {
        vm.expectEmit(address(aid));
        emit IERC20.Transfer(address(0), carol, 5e18);
        _mint(carol, 5e18);
        assertEq(aid.balanceOf(carol), 5e18);
        assertEq(aid.totalSupply(), 5e18);
    }

    function test_mint_revertsWhen_callerNotMinter() public {
        _expectUnauthorized(attacker, minterRole);
        vm.prank(attacker);
        aid.mint(attacker, 1e18);
        _expectUnauthorized(admin, minterRole); // the admin is not a minter
        vm.prank(admin);
        aid.mint(admin, 1e18);
        assertEq(aid.totalSupply(), 0);
    }

    function test_mint_revertsWhen_toZero() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        _mint(address(0), 1e18);
    }

    function test_mint_revertsWhen_toTokenItself() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(aid)));
        _mint(address(aid), 1e18);
        assertEq(aid.totalSupply(), 0);
    }

    function test_mint_revertsWhen_toDenied() public {
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        _mint(carol, 1e18);
        assertEq(aid.totalSupply(), 0);
    }

    function test_mint_revertsWhen_paused() public {
        _pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        _mint(carol, 1e18);
        assertEq(aid.totalSupply(), 0);
    }

    function test_mint_upToUint248Max() public {
        _mint(carol, type(uint248).max);
        assertEq(aid.totalSupply(), type(uint248).max);
        assertEq(aid.balanceOf(carol), type(uint248).max);
    }

    function test_mint_revertsWhen_supplyOverflow() public {
        _mint(carol, type(uint248).max);
        vm.expectRevert(RestrictedERC20.SupplyOverflow.selector);
        _mint(bob, 1);
        assertEq(aid.totalSupply(), type(uint248).max);
        assertEq(aid.balanceOf(bob), 0);
    }

    /// @dev Any amount that would push the supply past uint248 max reverts with SupplyOverflow (never a panic), even
    ///      one whose sum with the supply overflows uint256.
    function testFuzz_mint_revertsWhen_supplyOverflow(uint256 existing, uint256 amount) public {
        existing = bound(existing, 0, type(uint248).max);
        amount = bound(amount, uint256(type(uint248).max) - existing + 1, type(uint256).max);
        if (existing != 0) _mint(carol, existing);
        vm.expectRevert(RestrictedERC20.SupplyOverflow.selector);
        _mint(bob, amount);
        assertEq(aid.totalSupply(), existing);
    }

    // ================================================================ burnFrom

    function test_burnFrom_spendsAllowanceAndBurns() public {
        _mint(carol, 10e18);
        _approve(carol, tokenMinter, 6e18);
        vm.expectEmit(address(aid));
        emit IERC20.Transfer(carol, address(0), 4e18);
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 4e18);
        assertEq(aid.balanceOf(carol), 6e18);
        assertEq(aid.totalSupply(), 6e18);
        assertEq(aid.allowance(carol, tokenMinter), 2e18);
    }

    function test_burnFrom_infiniteAllowanceNotDecreased() public {
        _mint(carol, 10e18);
        _approve(carol, tokenMinter, type(uint256).max);
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 10e18);
        assertEq(aid.balanceOf(carol), 0);
        assertEq(aid.allowance(carol, tokenMinter), type(uint256).max);
    }

    function test_burnFrom_revertsWhen_callerNotMinter() public {
        _mint(carol, 10e18);
        _approve(carol, attacker, 10e18);
        _expectUnauthorized(attacker, minterRole);
        vm.prank(attacker);
        aid.burnFrom(carol, 1e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, attacker), 10e18);
    }

    function test_burnFrom_revertsWhen_allowanceShort() public {
        _mint(carol, 10e18);
        _approve(carol, tokenMinter, 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, tokenMinter, 1e18, 2e18)
        );
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 2e18);
        assertEq(aid.balanceOf(carol), 10e18);
    }

    function test_burnFrom_revertsWhen_balanceShort() public {
        _mint(carol, 1e18);
        _approve(carol, tokenMinter, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, carol, 1e18, 2e18));
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 2e18);
        assertEq(aid.allowance(carol, tokenMinter), 5e18);
    }

    function test_burnFrom_revertsWhen_fromDenied() public {
        _mint(carol, 10e18);
        _approve(carol, tokenMinter, 10e18);
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 1e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, tokenMinter), 10e18);
    }

    function test_burnFrom_revertsWhen_paused() public {
        _mint(carol, 10e18);
        _approve(carol, tokenMinter, 10e18);
        _pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(tokenMinter);
        aid.burnFrom(carol, 1e18);
        assertEq(aid.totalSupply(), 10e18);
    }

    // ================================================================ transfer

    function test_transfer_movesBalance() public {
        _mint(carol, 10e18);
        vm.expectEmit(address(aid));
        emit IERC20.Transfer(carol, bob, 3e18);
        vm.prank(carol);
        assertTrue(aid.transfer(bob, 3e18));
        assertEq(aid.balanceOf(carol), 7e18);
        assertEq(aid.balanceOf(bob), 3e18);
        assertEq(aid.totalSupply(), 10e18);
    }

    function test_transfer_toSelf_keepsBalance() public {
        _mint(carol, 10e18);
        vm.prank(carol);
        assertTrue(aid.transfer(carol, 4e18));
        assertEq(aid.balanceOf(carol), 10e18);
    }

    function test_transfer_zeroAmount() public {
        vm.prank(carol);
        assertTrue(aid.transfer(bob, 0));
        assertEq(aid.balanceOf(bob), 0);
    }

    function test_transfer_revertsWhen_toZero() public {
        _mint(carol, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(carol);
        aid.transfer(address(0), 1e18);
        assertEq(aid.balanceOf(carol), 1e18);
    }

    /// @dev AID held by the AID contract is escrow; a plain transfer there would be stranded, so it is refused.
    function test_transfer_revertsWhen_toTokenItself() public {
        _mint(carol, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(aid)));
        vm.prank(carol);
        aid.transfer(address(aid), 1e18);
        assertEq(aid.balanceOf(carol), 1e18);
        assertEq(aid.balanceOf(address(aid)), 0);
    }

    function test_transfer_revertsWhen_balanceShort() public {
        _mint(carol, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, carol, 1e18, 1e18 + 1));
        vm.prank(carol);
        aid.transfer(bob, 1e18 + 1);
        assertEq(aid.balanceOf(carol), 1e18);
    }

    function test_isDeniedAny_eitherSide() public {
        assertFalse(aid.isDeniedAny(alice, bob));
        _deny(bob);
        assertTrue(aid.isDeniedAny(alice, bob), "second side");
        assertTrue(aid.isDeniedAny(bob, alice), "first side");
        assertTrue(aid.isDeniedAny(bob, bob));
        _clear(bob);
        assertFalse(aid.isDeniedAny(alice, bob), "cleared");
    }

    function test_transfer_revertsWhen_senderDenied() public {
        _mint(carol, 1e18);
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        vm.prank(carol);
        aid.transfer(bob, 1e18);
        assertEq(aid.balanceOf(carol), 1e18);
        assertEq(aid.balanceOf(bob), 0);
    }

    function test_transfer_revertsWhen_receiverDenied() public {
        _mint(carol, 1e18);
        _deny(bob);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        vm.prank(carol);
        aid.transfer(bob, 1e18);
        assertEq(aid.balanceOf(carol), 1e18);
    }

    function test_transfer_revertsWhen_paused() public {
        _mint(carol, 1e18);
        _pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(carol);
        aid.transfer(bob, 1e18);
        assertEq(aid.balanceOf(carol), 1e18);
    }

    // ================================================================ transferFrom

    function test_transferFrom_spendsAllowance() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 6e18);
        vm.prank(bob);
        assertTrue(aid.transferFrom(carol, alice, 4e18));
        assertEq(aid.balanceOf(carol), 6e18);
        assertEq(aid.balanceOf(alice), 4e18);
        assertEq(aid.allowance(carol, bob), 2e18);
    }

    function test_transferFrom_infiniteAllowanceNotDecreased() public {
        _mint(carol, 10e18);
        _approve(carol, bob, type(uint256).max);
        vm.prank(bob);
        assertTrue(aid.transferFrom(carol, alice, 10e18));
        assertEq(aid.balanceOf(alice), 10e18);
        assertEq(aid.allowance(carol, bob), type(uint256).max);
    }

    function test_transferFrom_revertsWhen_allowanceShort() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 1e18, 2e18));
        vm.prank(bob);
        aid.transferFrom(carol, alice, 2e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, bob), 1e18);
    }

    function test_transferFrom_revertsWhen_balanceShort() public {
        _mint(carol, 1e18);
        _approve(carol, bob, 5e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, carol, 1e18, 2e18));
        vm.prank(bob);
        aid.transferFrom(carol, alice, 2e18);
        assertEq(aid.allowance(carol, bob), 5e18);
    }

    function test_transferFrom_revertsWhen_fromZero() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSender.selector, address(0)));
        vm.prank(bob);
        aid.transferFrom(address(0), alice, 0);
    }

    function test_transferFrom_revertsWhen_toZero() public {
        _mint(carol, 1e18);
        _approve(carol, bob, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        vm.prank(bob);
        aid.transferFrom(carol, address(0), 1e18);
        assertEq(aid.allowance(carol, bob), 1e18);
    }

    function test_transferFrom_revertsWhen_spenderDenied() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 10e18);
        _deny(bob);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        vm.prank(bob);
        aid.transferFrom(carol, alice, 1e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, bob), 10e18);
    }

    function test_transferFrom_revertsWhen_ownerDenied() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 10e18);
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        vm.prank(bob);
        aid.transferFrom(carol, alice, 1e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, bob), 10e18);
    }

    function test_transferFrom_revertsWhen_receiverDenied() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 10e18);
        _deny(alice);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, alice));
        vm.prank(bob);
        aid.transferFrom(carol, alice, 1e18);
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.allowance(carol, bob), 10e18);
    }

    function test_transferFrom_revertsWhen_paused() public {
        _mint(carol, 10e18);
        _approve(carol, bob, 10e18);
        _pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(bob);
        aid.transferFrom(carol, alice, 1e18);
        assertEq(aid.allowance(carol, bob), 10e18);
    }

    // ================================================================ approve

    function test_approve_setsAllowance() public {
        vm.expectEmit(address(aid));
        emit IERC20.Approval(carol, bob, 7e18);
        _approve(carol, bob, 7e18);
        assertEq(aid.allowance(carol, bob), 7e18);
        _approve(carol, bob, 0);
        assertEq(aid.allowance(carol, bob), 0);
    }

    function test_approve_revertsWhen_spenderZero() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        vm.prank(carol);
        aid.approve(address(0), 1e18);
    }

    function test_approve_revertsWhen_approverZero() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidApprover.selector, address(0)));
        vm.prank(address(0));
        aid.approve(bob, 1e18);
    }

    function test_approve_revertsWhen_ownerDenied() public {
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        vm.prank(carol);
        aid.approve(bob, 1e18);
        assertEq(aid.allowance(carol, bob), 0);
    }

    function test_approve_revertsWhen_spenderDenied() public {
        _deny(bob);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        vm.prank(carol);
        aid.approve(bob, 1e18);
        assertEq(aid.allowance(carol, bob), 0);
    }

    /// @dev Pause stops balance changes only; an approval moves nothing.
    function test_approve_allowedWhilePaused() public {
        _pause();
        _approve(carol, bob, 1e18);
        assertEq(aid.allowance(carol, bob), 1e18);
    }

    // ================================================================ permit

    function test_DOMAIN_SEPARATOR_isEip712() public view {
        bytes32 expected = keccak256(
            abi.encode(EIP712_DOMAIN_TYPEHASH, keccak256("AI Dollar"), keccak256("1"), block.chainid, address(aid))
        );
        assertEq(aid.DOMAIN_SEPARATOR(), expected);
        (, string memory name_, string memory version,, address verifyingContract,,) = aid.eip712Domain();
        assertEq(name_, aid.name());
        assertEq(version, "1");
        assertEq(verifyingContract, address(aid));
    }

    function test_permit_setsAllowanceAndUsesNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        vm.expectEmit(address(aid));
        emit IERC20.Approval(owner, bob, 5e18);
        vm.prank(attacker); // anyone may submit
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 5e18);
        assertEq(aid.nonces(owner), 1);
    }

    function test_permit_atDeadline() public {
        uint256 deadline = block.timestamp;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 5e18);
    }

    function test_permit_revertsWhen_expired() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.PermitExpired.selector, deadline));
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
        assertEq(aid.nonces(owner), 0);
    }

    function test_permit_revertsWhen_signerNotOwner() public {
        uint256 otherPk = 0xB0B;
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(otherPk, owner, bob, 5e18, deadline);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.PermitInvalidSigner.selector, vm.addr(otherPk), owner));
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
        assertEq(aid.nonces(owner), 0);
    }

    function test_permit_revertsWhen_valueTampered() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        address recovered = ecrecover(_permitDigest(owner, bob, 500e18, 0, deadline), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.PermitInvalidSigner.selector, recovered, owner));
        aid.permit(owner, bob, 500e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
    }

    function test_permit_revertsWhen_replayed() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        _approve(owner, bob, 0); // owner resets; the old signature must not restore the allowance
        address recovered = ecrecover(_permitDigest(owner, bob, 5e18, 1, deadline), v, r, s);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.PermitInvalidSigner.selector, recovered, owner));
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
        assertEq(aid.nonces(owner), 1);
    }

    function test_permit_revertsWhen_highS() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141; // secp256k1 order
        bytes32 highS = bytes32(n - uint256(s));
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        aid.permit(owner, bob, 5e18, deadline, v == 27 ? 28 : 27, r, highS);
        assertEq(aid.nonces(owner), 0);
    }

    function test_permit_revertsWhen_ownerDenied() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        _deny(owner);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, owner));
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
        assertEq(aid.nonces(owner), 0);
    }

    function test_permit_revertsWhen_spenderDenied() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(ownerPk, owner, bob, 5e18, deadline);
        _deny(bob);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        aid.permit(owner, bob, 5e18, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), 0);
        assertEq(aid.nonces(owner), 0);
    }

    // ================================================================ deny list

    function test_setDenied_flagsWithoutTouchingBalance() public {
        _mint(carol, 10e18);
        vm.expectEmit(address(aid));
        emit IAID.DenyListUpdated(carol, true);
        _deny(carol);
        assertTrue(aid.isDenied(carol));
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.totalSupply(), 10e18);

        vm.expectEmit(address(aid));
        emit IAID.DenyListUpdated(carol, false);
        _clear(carol);
        assertFalse(aid.isDenied(carol));
        assertEq(aid.balanceOf(carol), 10e18);
        vm.prank(carol);
        assertTrue(aid.transfer(bob, 10e18)); // cleared: moves again
        assertEq(aid.balanceOf(bob), 10e18);
    }

    function test_setDenied_revertsWhen_zeroAddress() public {
        vm.expectRevert(IAID.ZeroAddress.selector);
        vm.prank(denylistManager);
        aid.setDenied(address(0), true);
        assertFalse(aid.isDenied(address(0)));
    }

    function test_setDenied_revertsWhen_aidItself() public {
        vm.expectRevert(IAID.CannotDenyEscrow.selector);
        vm.prank(denylistManager);
        aid.setDenied(address(aid), true);
        assertFalse(aid.isDenied(address(aid)));
    }

    function test_setDenied_revertsWhen_callerNotManager() public {
        _expectUnauthorized(attacker, denylistRole);
        vm.prank(attacker);
        aid.setDenied(carol, true);
        _expectUnauthorized(admin, denylistRole);
        vm.prank(admin);
        aid.setDenied(carol, true);
        assertFalse(aid.isDenied(carol));
    }

    // ================================================================ pause

    function test_pause_gatekeeperPausesAdminUnpauses() public {
        vm.expectEmit(address(aid));
        emit IAID.PausedSet(true);
        _pause();
        assertTrue(aid.paused());
        vm.expectEmit(address(aid));
        emit IAID.PausedSet(false);
        vm.prank(admin);
        aid.unpause();
        assertFalse(aid.paused());
    }

    function test_pause_revertsWhen_callerNotPauser() public {
        _expectUnauthorized(attacker, pauserRole);
        vm.prank(attacker);
        aid.pause();
        assertFalse(aid.paused());
    }

    function test_pause_revertsWhen_alreadyPaused() public {
        _pause();
        vm.expectRevert(IAID.PauseStateUnchanged.selector);
        vm.prank(gatekeeper);
        aid.pause();
        assertTrue(aid.paused());
    }

    function test_unpause_revertsWhen_notPaused() public {
        vm.expectRevert(IAID.PauseStateUnchanged.selector);
        vm.prank(admin);
        aid.unpause();
        assertFalse(aid.paused());
    }

    function test_unpause_revertsWhen_callerNotAdmin() public {
        _pause();
        _expectUnauthorized(gatekeeper, adminRole); // the gatekeeper can only pause
        vm.prank(gatekeeper);
        aid.unpause();
        assertTrue(aid.paused());
    }

    function test_pause_blocksInboundOft() public {
        _pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        this.deliverExternal(carol, 1e18);
        assertEq(aid.balanceOf(carol), 0);
        (,, uint256 inFlight,) = aid.rateLimit(REMOTE_EID, false);
        assertEq(inFlight, 0);
    }

    function test_pause_blocksAdminRecovery() public {
        _mint(carol, 1e18);
        _deny(bob);
        _deliver(bob, 2e18); // escrowed
        _deny(carol);
        _pause();
        vm.startPrank(admin);
        vm.expectRevert(IAID.EnforcedPause.selector);
        aid.releaseEscrow(bob, courtOrdered);
        vm.expectRevert(IAID.EnforcedPause.selector);
        aid.redistributeLockedAmount(carol, courtOrdered);
        vm.stopPrank();
        assertEq(aid.escrowOf(bob), 2e18);
        assertEq(aid.balanceOf(carol), 1e18);
        assertEq(aid.balanceOf(courtOrdered), 0);
    }

    function test_unpause_losesNothing() public {
        _mint(carol, 10e18);
        _mint(bob, 3e18);
        _approve(carol, alice, 4e18);
        _pause();
        vm.prank(admin);
        aid.unpause();
        assertEq(aid.balanceOf(carol), 10e18);
        assertEq(aid.balanceOf(bob), 3e18);
        assertEq(aid.allowance(carol, alice), 4e18);
        assertEq(aid.totalSupply(), 13e18);
        vm.prank(alice);
        assertTrue(aid.transferFrom(carol, alice, 4e18));
        assertEq(aid.balanceOf(alice), 4e18);
    }

    /// @dev External wrapper so a revert from the pranked endpoint call can be expected at this depth.
    function deliverExternal(address to, uint256 amountLD) external returns (bytes32) {
        return _deliver(to, amountLD);
    }

    // ================================================================ inbound OFT and escrow

    function test_lzReceive_creditsCleanRecipient() public {
        bytes32 guid = keccak256(abi.encode(inboundNonce + 1, carol, uint256(3e18)));
        vm.expectEmit(address(aid));
        emit IOFT.OFTReceived(guid, REMOTE_EID, carol, 3e18);
        _deliver(carol, 3e18);
        assertEq(aid.balanceOf(carol), 3e18);
        assertEq(aid.totalSupply(), 3e18);
        assertEq(aid.totalEscrowed(), 0);
    }

    function test_lzReceive_escrowsCreditToDenied() public {
        _deny(carol);
        bytes32 guid = keccak256(abi.encode(inboundNonce + 1, carol, uint256(3e18)));
        vm.expectEmit(address(aid));
        emit IAID.Escrowed(carol, REMOTE_EID, 3e18);
        vm.expectEmit(address(aid));
        emit IOFT.OFTReceived(guid, REMOTE_EID, carol, 0);
        _deliver(carol, 3e18);
        assertEq(aid.balanceOf(carol), 0);
        assertEq(aid.escrowOf(carol), 3e18);
        assertEq(aid.totalEscrowed(), 3e18);
        assertEq(aid.balanceOf(address(aid)), 3e18);
        assertEq(aid.totalSupply(), 3e18);
    }

    function test_lzReceive_escrowsCreditToZeroAddress() public {
        _deliver(address(0), 2e18);
        assertEq(aid.escrowOf(address(0)), 2e18);
        assertEq(aid.balanceOf(address(aid)), 2e18);
        vm.prank(admin);
        aid.releaseEscrow(address(0), courtOrdered);
        assertEq(aid.balanceOf(courtOrdered), 2e18);
    }

    function test_lzReceive_escrowsCreditToTokenItself() public {
        _deliver(address(aid), 2e18);
        assertEq(aid.escrowOf(address(aid)), 2e18);
        assertEq(aid.totalEscrowed(), 2e18);
        assertEq(aid.balanceOf(address(aid)), aid.totalEscrowed());
        vm.prank(admin);
        aid.releaseEscrow(address(aid), courtOrdered);
        assertEq(aid.balanceOf(courtOrdered), 2e18);
        assertEq(aid.balanceOf(address(aid)), 0);
    }

    function test_lzReceive_revertsWhen_callerNotEndpoint() public {
        (bytes memory message,) = OFTMsgCodec.encode(bytes32(uint256(uint160(attacker))), 1e6, "");
        vm.expectRevert(abi.encodeWithSelector(OAppReceiver.OnlyEndpoint.selector, attacker));
        vm.prank(attacker);
        aid.lzReceive(Origin(REMOTE_EID, remotePeer, 1), bytes32(0), message, address(0), "");
        assertEq(aid.totalSupply(), 0);
    }

    function test_lzReceive_revertsWhen_senderNotPeer() public {
        bytes32 fake = bytes32(uint256(uint160(attacker)));
        (bytes memory message,) = OFTMsgCodec.encode(fake, 1e6, "");
        vm.expectRevert(abi.encodeWithSelector(IOAppCore.OnlyPeer.selector, REMOTE_EID, fake));
        vm.prank(address(endpoint));
        aid.lzReceive(Origin(REMOTE_EID, fake, 1), bytes32(0), message, address(0), "");
        assertEq(aid.totalSupply(), 0);
    }

    function test_lzReceive_revertsWhen_inboundLimitExceeded() public {
        _deliver(carol, 600_000e18);
        vm.expectRevert(
            abi.encodeWithSelector(IAID.InboundRateLimitExceeded.selector, REMOTE_EID, 500_000e18, 400_000e18)
        );
        this.deliverExternal(carol, 500_000e18);
        assertEq(aid.balanceOf(carol), 600_000e18);
        // half a window later half the limit has decayed: it fits
        vm.warp(block.timestamp + INBOUND_WINDOW / 2);
        _deliver(carol, 500_000e18);
        assertEq(aid.balanceOf(carol), 1_100_000e18);
    }

    function test_lzReceive_escrowCountsAgainstInboundLimit() public {
        _deny(carol);
        _deliver(carol, INBOUND_LIMIT);
        (,, uint256 inFlight, uint256 available) = aid.rateLimit(REMOTE_EID, false);
        assertEq(inFlight, INBOUND_LIMIT);
        assertEq(available, 0);
    }

    // ================================================================ releaseEscrow

    function test_releaseEscrow_toClearedOwner() public {
        _deny(carol);
        _deliver(carol, 3e18);
        _clear(carol);
        vm.expectEmit(address(aid));
        emit IAID.EscrowReleased(carol, carol, 3e18);
        vm.prank(admin);
        aid.releaseEscrow(carol, carol);
        assertEq(aid.balanceOf(carol), 3e18);
        assertEq(aid.escrowOf(carol), 0);
        assertEq(aid.totalEscrowed(), 0);
        assertEq(aid.balanceOf(address(aid)), 0);
        assertEq(aid.totalSupply(), 3e18);
    }

    function test_releaseEscrow_toCourtOrderedAddress() public {
        _deny(carol);
        _deny(bob);
        _deliver(carol, 3e18);
        _deliver(bob, 5e18);
        vm.prank(admin);
        aid.releaseEscrow(carol, courtOrdered);
        assertEq(aid.balanceOf(courtOrdered), 3e18);
        assertEq(aid.escrowOf(carol), 0);
        assertEq(aid.escrowOf(bob), 5e18);
        assertEq(aid.totalEscrowed(), 5e18);
        assertEq(aid.balanceOf(address(aid)), 5e18);
    }

    function test_releaseEscrow_revertsWhen_nothingEscrowed() public {
        vm.expectRevert(abi.encodeWithSelector(IAID.NothingEscrowed.selector, carol));
        vm.prank(admin);
        aid.releaseEscrow(carol, carol);
    }

    function test_releaseEscrow_revertsWhen_toDenied() public {
        _deny(carol);
        _deliver(carol, 3e18);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, carol));
        vm.prank(admin);
        aid.releaseEscrow(carol, carol);
        assertEq(aid.escrowOf(carol), 3e18);
        assertEq(aid.totalEscrowed(), 3e18);
        assertEq(aid.balanceOf(address(aid)), 3e18);
    }

    function test_releaseEscrow_revertsWhen_toZeroOrToken() public {
        _deny(carol);
        _deliver(carol, 3e18);
        vm.startPrank(admin);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        aid.releaseEscrow(carol, address(0));
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(aid)));
        aid.releaseEscrow(carol, address(aid));
        vm.stopPrank();
        assertEq(aid.escrowOf(carol), 3e18);
        assertEq(aid.totalEscrowed(), 3e18);
    }

    function test_releaseEscrow_revertsWhen_callerNotAdmin() public {
        _deny(carol);
        _deliver(carol, 3e18);
        _expectUnauthorized(denylistManager, adminRole);
        vm.prank(denylistManager);
        aid.releaseEscrow(carol, denylistManager);
        assertEq(aid.escrowOf(carol), 3e18);
    }

    // ================================================================ redistributeLockedAmount

    function test_redistributeLockedAmount_movesWholeBalance() public {
        _mint(carol, 7e18);
        _deny(carol);
        vm.expectEmit(address(aid));
        emit IERC20.Transfer(carol, courtOrdered, 7e18);
        vm.expectEmit(address(aid));
        emit IAID.LockedAmountRedistributed(carol, courtOrdered, 7e18);
        vm.prank(admin);
        aid.redistributeLockedAmount(carol, courtOrdered);
        assertEq(aid.balanceOf(carol), 0);
        assertEq(aid.balanceOf(courtOrdered), 7e18);
        assertEq(aid.totalSupply(), 7e18);
        assertTrue(aid.isDenied(carol)); // still listed
    }

    function test_redistributeLockedAmount_revertsWhen_fromNotDenied() public {
        _mint(carol, 7e18);
        vm.expectRevert(abi.encodeWithSelector(IAID.AccountNotDenied.selector, carol));
        vm.prank(admin);
        aid.redistributeLockedAmount(carol, courtOrdered);
        assertEq(aid.balanceOf(carol), 7e18);
    }

    function test_redistributeLockedAmount_revertsWhen_toZero() public {
        _mint(carol, 7e18);
        _deny(carol);
        vm.expectRevert(IAID.ZeroAddress.selector);
        vm.prank(admin);
        aid.redistributeLockedAmount(carol, address(0));
        assertEq(aid.balanceOf(carol), 7e18);
    }

    function test_redistributeLockedAmount_revertsWhen_toToken() public {
        _mint(carol, 7e18);
        _deny(carol);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(aid)));
        vm.prank(admin);
        aid.redistributeLockedAmount(carol, address(aid));
        assertEq(aid.balanceOf(carol), 7e18);
    }

    function test_redistributeLockedAmount_revertsWhen_toDenied() public {
        _mint(carol, 7e18);
        _deny(carol);
        _deny(bob);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        vm.prank(admin);
        aid.redistributeLockedAmount(carol, bob);
        assertEq(aid.balanceOf(carol), 7e18);
        assertEq(aid.balanceOf(bob), 0);
    }

    function test_redistributeLockedAmount_revertsWhen_callerNotAdmin() public {
        _mint(carol, 7e18);
        _deny(carol);
        _expectUnauthorized(denylistManager, adminRole);
        vm.prank(denylistManager);
        aid.redistributeLockedAmount(carol, denylistManager);
        assertEq(aid.balanceOf(carol), 7e18);
    }

    // ================================================================ rate limits

    function test_setRateLimit_configuresEachDirection() public {
        vm.expectEmit(address(aid));
        emit IAID.RateLimitSet(REMOTE_EID, true, 5e18, 1 hours);
        vm.prank(admin);
        aid.setRateLimit(REMOTE_EID, true, 5e18, 1 hours);
        (uint256 limit, uint256 window, uint256 inFlight, uint256 available) = aid.rateLimit(REMOTE_EID, true);
        assertEq(limit, 5e18);
        assertEq(window, 1 hours);
        assertEq(inFlight, 0);
        assertEq(available, 5e18);
        // the inbound direction is independent
        (limit, window,, available) = aid.rateLimit(REMOTE_EID, false);
        assertEq(limit, INBOUND_LIMIT);
        assertEq(window, INBOUND_WINDOW);
        assertEq(available, INBOUND_LIMIT);
    }

    function test_rateLimit_unconfiguredHasNoCapacity() public view {
        (uint256 limit, uint256 window, uint256 inFlight, uint256 available) = aid.rateLimit(40_000, true);
        assertEq(limit + window + inFlight + available, 0);
        (limit, window, inFlight, available) = aid.rateLimit(40_000, false);
        assertEq(limit + window + inFlight + available, 0);
    }

    function test_setRateLimit_revertsWhen_zeroWindow() public {
        vm.expectRevert(IAID.InvalidRateLimitWindow.selector);
        vm.prank(admin);
        aid.setRateLimit(REMOTE_EID, false, 5e18, 0);
        (uint256 limit, uint256 window,,) = aid.rateLimit(REMOTE_EID, false);
        assertEq(limit, INBOUND_LIMIT);
        assertEq(window, INBOUND_WINDOW);
    }

    function test_setRateLimit_revertsWhen_callerNotAdmin() public {
        _expectUnauthorized(gatekeeper, adminRole);
        vm.prank(gatekeeper);
        aid.setRateLimit(REMOTE_EID, true, 5e18, 1 hours);
        (uint256 limit,,,) = aid.rateLimit(REMOTE_EID, true);
        assertEq(limit, 0);
    }

    function test_setRateLimit_zeroLimitStopsInbound() public {
        vm.prank(admin);
        aid.setRateLimit(REMOTE_EID, false, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(IAID.InboundRateLimitExceeded.selector, REMOTE_EID, 1e18, 0));
        this.deliverExternal(carol, 1e18);
        assertEq(aid.balanceOf(carol), 0);
    }

    function test_setRateLimit_keepsInFlightAfterDecay() public {
        _deliver(carol, 800_000e18);
        vm.warp(block.timestamp + INBOUND_WINDOW / 4); // 250k decayed
        vm.prank(admin);
        aid.setRateLimit(REMOTE_EID, false, 600_000e18, INBOUND_WINDOW);
        (,, uint256 inFlight, uint256 available) = aid.rateLimit(REMOTE_EID, false);
        assertEq(inFlight, 550_000e18);
        assertEq(available, 50_000e18);
    }

    // ================================================================ ownership and admin

    function test_transferOwnership_disabled() public {
        vm.expectRevert(IAID.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        aid.transferOwnership(attacker);
        assertEq(aid.owner(), admin);
    }

    function test_renounceOwnership_disabled() public {
        vm.expectRevert(IAID.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        aid.renounceOwnership();
        assertEq(aid.owner(), admin);
    }

    function test_setPeer_onlyAdmin() public {
        bytes32 peer = bytes32(uint256(0xBEEF));
        _expectUnauthorized(attacker, adminRole);
        vm.prank(attacker);
        aid.setPeer(40_000, peer);
        assertEq(aid.peers(40_000), bytes32(0));
        vm.prank(admin);
        aid.setPeer(40_000, peer);
        assertEq(aid.peers(40_000), peer);
    }

    function test_oappConfig_onlyAdmin() public {
        vm.startPrank(attacker);
        _expectUnauthorized(attacker, adminRole);
        aid.setDelegate(attacker);
        _expectUnauthorized(attacker, adminRole);
        aid.setMsgInspector(attacker);
        _expectUnauthorized(attacker, adminRole);
        aid.setPreCrime(attacker);
        vm.stopPrank();
        assertEq(endpoint.delegates(address(aid)), admin);
        assertEq(aid.msgInspector(), address(0));
        assertEq(aid.preCrime(), address(0));
    }

    function test_grantRole_onlyAdmin() public {
        _expectUnauthorized(attacker, adminRole);
        vm.prank(attacker);
        aid.grantRole(minterRole, attacker);
        assertFalse(aid.hasRole(minterRole, attacker));
    }

    function test_grantRole_adminRoleRefused() public {
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        aid.grantRole(adminRole, attacker);
        assertFalse(aid.hasRole(adminRole, attacker));
    }

    function test_adminTransfer_twoStepMovesRoleOwnershipAndDelegate() public {
        address newAdmin = makeAddr("newAdmin");
        vm.prank(admin);
        aid.beginDefaultAdminTransfer(newAdmin);
        uint48 schedule = uint48(block.timestamp) + aid.ADMIN_TRANSFER_DELAY();
        (address pending, uint48 pendingSchedule) = aid.pendingDefaultAdmin();
        assertEq(pending, newAdmin);
        assertEq(pendingSchedule, schedule);

        // too early
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminDelay.selector, schedule
            )
        );
        vm.prank(newAdmin);
        aid.acceptDefaultAdminTransfer();
        assertEq(aid.owner(), admin);

        // only the pending admin accepts
        vm.warp(schedule + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, attacker)
        );
        vm.prank(attacker);
        aid.acceptDefaultAdminTransfer();

        vm.prank(newAdmin);
        aid.acceptDefaultAdminTransfer();
        assertEq(aid.owner(), newAdmin);
        assertEq(aid.defaultAdmin(), newAdmin);
        assertTrue(aid.hasRole(adminRole, newAdmin));
        assertFalse(aid.hasRole(adminRole, admin));
        assertEq(endpoint.delegates(address(aid)), newAdmin, "endpoint delegate follows the admin");

        // the old admin lost OApp ownership and every admin power; the new one has them
        _expectUnauthorized(admin, adminRole);
        vm.prank(admin);
        aid.setPeer(40_000, bytes32(uint256(1)));
        _expectUnauthorized(admin, adminRole);
        vm.prank(admin);
        aid.setRateLimit(REMOTE_EID, true, 1, 1);
        vm.prank(newAdmin);
        aid.setPeer(40_000, bytes32(uint256(1)));
        assertEq(aid.peers(40_000), bytes32(uint256(1)));
    }

    function test_adminTransfer_cancelKeepsAdmin() public {
        address newAdmin = makeAddr("newAdmin");
        vm.startPrank(admin);
        aid.beginDefaultAdminTransfer(newAdmin);
        aid.cancelDefaultAdminTransfer();
        vm.stopPrank();
        vm.warp(block.timestamp + aid.ADMIN_TRANSFER_DELAY() + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, newAdmin)
        );
        vm.prank(newAdmin);
        aid.acceptDefaultAdminTransfer();
        assertEq(aid.owner(), admin);
    }

    function test_beginDefaultAdminTransfer_revertsWhen_callerNotAdmin() public {
        _expectUnauthorized(attacker, adminRole);
        vm.prank(attacker);
        aid.beginDefaultAdminTransfer(attacker);
        (address pending,) = aid.pendingDefaultAdmin();
        assertEq(pending, address(0));
    }

    function test_renounceRole_adminRefusedWithoutSchedule() public {
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        aid.renounceRole(adminRole, admin);
        assertEq(aid.owner(), admin);
        assertTrue(aid.hasRole(adminRole, admin));
    }

    /// @dev Even the scheduled zero-admin renounce that OpenZeppelin allows is refused: no lock-out (SPEC §1).
    function test_renounceRole_adminRefusedEvenWithSchedule() public {
        vm.prank(admin);
        aid.beginDefaultAdminTransfer(address(0));
        vm.warp(block.timestamp + aid.ADMIN_TRANSFER_DELAY() + 1);
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        aid.renounceRole(adminRole, admin);
        assertEq(aid.owner(), admin);
        assertTrue(aid.hasRole(adminRole, admin));
    }

    function test_renounceRole_otherRolesMayRenounce() public {
        vm.prank(gatekeeper);
        aid.renounceRole(pauserRole, gatekeeper);
        assertFalse(aid.hasRole(pauserRole, gatekeeper));
        // and the admin can grant it again: no lock-out
        vm.prank(admin);
        aid.grantRole(pauserRole, gatekeeper);
        assertTrue(aid.hasRole(pauserRole, gatekeeper));
    }

    function test_renounceRole_revertsWhen_forSomeoneElse() public {
        vm.expectRevert(IAccessControl.AccessControlBadConfirmation.selector);
        vm.prank(attacker);
        aid.renounceRole(pauserRole, gatekeeper);
        assertTrue(aid.hasRole(pauserRole, gatekeeper));
    }
}
