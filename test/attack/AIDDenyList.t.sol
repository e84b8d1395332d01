// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {RestrictedERC20} from "../../src/token/base/RestrictedERC20.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {MessagingFee, SendParam} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";

/// @notice A deny-listed account (and its accomplices) trying every route to move its AID: each attempt fails with
///         AccountDenied and changes nothing.
contract AIDDenyListAttackTest is MinterTestBase {
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    uint32 internal constant ARB_EID = 30_110;
    uint256 internal constant LOOT = 1000e18; // [wad] the denied account's balance

    uint256 internal deniedPk = 0xBAD;
    address internal denied = vm.addr(deniedPk); // the sanctioned holder
    address internal accomplice = makeAddr("accomplice");
    address internal tokenMinter = makeAddr("tokenMinter");

    /// @dev Everything an attempt could have changed.
    struct Snapshot {
        uint256 deniedBalance;
        uint256 accompliceBalance;
        uint256 carolBalance;
        uint256 supply;
        uint256 allowanceToAccomplice;
        uint256 carolAllowanceToDenied;
        uint256 nonce;
        uint256 outboundInFlight;
    }

    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        aid.grantRole(aid.MINTER_ROLE(), tokenMinter);
        aid.setPeer(ARB_EID, bytes32(uint256(uint160(makeAddr("arbAID")))));
        aid.setRateLimit(ARB_EID, true, 1_000_000e18, 1 days);
        vm.stopPrank();

        vm.startPrank(tokenMinter);
        aid.mint(denied, LOOT);
        aid.mint(carol, LOOT);
        vm.stopPrank();
        // prepared before the listing: the denied holder lets its accomplice spend, carol lets the denied one spend
        vm.prank(denied);
        aid.approve(accomplice, type(uint256).max);
        vm.prank(carol);
        aid.approve(denied, LOOT);

        _deny(denied, true);
        vm.label(denied, "denied");
    }

    function _snapshot() internal view returns (Snapshot memory s) {
        s.deniedBalance = aid.balanceOf(denied);
        s.accompliceBalance = aid.balanceOf(accomplice);
        s.carolBalance = aid.balanceOf(carol);
        s.supply = aid.totalSupply();
        s.allowanceToAccomplice = aid.allowance(denied, accomplice);
        s.carolAllowanceToDenied = aid.allowance(carol, denied);
        s.nonce = aid.nonces(denied);
        (,, s.outboundInFlight,) = aid.rateLimit(ARB_EID, true);
    }

    function _assertUnchanged(Snapshot memory s) internal view {
        Snapshot memory now_ = _snapshot();
        assertEq(now_.deniedBalance, s.deniedBalance, "denied balance");
        assertEq(now_.accompliceBalance, s.accompliceBalance, "accomplice balance");
        assertEq(now_.carolBalance, s.carolBalance, "carol balance");
        assertEq(now_.supply, s.supply, "supply");
        assertEq(now_.allowanceToAccomplice, s.allowanceToAccomplice, "allowance to accomplice");
        assertEq(now_.carolAllowanceToDenied, s.carolAllowanceToDenied, "carol's allowance to denied");
        assertEq(now_.nonce, s.nonce, "permit nonce");
        assertEq(now_.outboundInFlight, s.outboundInFlight, "outbound rate limit");
        assertEq(aid.balanceOf(denied), LOOT);
    }

    function _expectDenied(address who) internal {
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, who));
    }

    function _signPermit(uint256 pk, address owner, address spender, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, aid.nonces(owner), deadline));
        return vm.sign(pk, keccak256(abi.encodePacked("\x19\x01", aid.DOMAIN_SEPARATOR(), structHash)));
    }

    // ---------------------------------------------------------------- ERC-20 routes

    function test_attack_transfer() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        aid.transfer(accomplice, LOOT);
        _assertUnchanged(s);
    }

    /// @dev Not even a zero-value transfer (no events attributable to a listed address).
    function test_attack_transferZeroOrToSelf() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        aid.transfer(accomplice, 0);
        _expectDenied(denied);
        vm.prank(denied);
        aid.transfer(denied, LOOT);
        _assertUnchanged(s);
    }

    /// @dev The denied owner's pre-listing approval does not let an accomplice pull the funds out.
    function test_attack_transferFrom_accompliceSpendsDeniedOwner() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(accomplice);
        aid.transferFrom(denied, accomplice, LOOT);
        _assertUnchanged(s);
    }

    /// @dev A denied spender cannot use a clean owner's allowance, to itself or to a third party.
    function test_attack_transferFrom_deniedSpender() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        aid.transferFrom(carol, accomplice, LOOT);
        _expectDenied(denied);
        vm.prank(denied);
        aid.transferFrom(carol, denied, LOOT);
        _assertUnchanged(s);
    }

    /// @dev The denied owner spending its own balance through transferFrom.
    function test_attack_transferFrom_deniedSpendsSelf() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        aid.transferFrom(denied, accomplice, 0);
        _assertUnchanged(s);
    }

    function test_attack_approve() public {
        Snapshot memory s = _snapshot();
        address other = makeAddr("other");
        _expectDenied(denied);
        vm.prank(denied);
        aid.approve(other, LOOT);
        _expectDenied(denied); // nor revoke-and-reapprove games
        vm.prank(denied);
        aid.approve(accomplice, 0);
        assertEq(aid.allowance(denied, other), 0);
        _assertUnchanged(s);
    }

    /// @dev A clean holder cannot approve a denied spender either.
    function test_attack_approveToDenied() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(carol);
        aid.approve(denied, 2 * LOOT);
        _assertUnchanged(s);
    }

    /// @dev A permit signed before the listing and submitted after it by the accomplice.
    function test_attack_permitSignedBeforeListing() public {
        _deny(denied, false);
        uint256 deadline = block.timestamp + 1 days;
        address fresh = makeAddr("freshAccomplice");
        (uint8 v, bytes32 r, bytes32 s_) = _signPermit(deniedPk, denied, fresh, LOOT, deadline);
        _deny(denied, true);

        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(fresh);
        aid.permit(denied, fresh, LOOT, deadline, v, r, s_);
        assertEq(aid.allowance(denied, fresh), 0);
        _assertUnchanged(s);
    }

    /// @dev A clean owner's permit naming a denied spender is refused too.
    function test_attack_permitToDeniedSpender() public {
        uint256 cleanPk = 0xC1EA;
        address clean = vm.addr(cleanPk);
        uint256 deadline = block.timestamp + 1 days;
        (uint8 v, bytes32 r, bytes32 s_) = _signPermit(cleanPk, clean, denied, LOOT, deadline);
        _expectDenied(denied);
        vm.prank(denied);
        aid.permit(clean, denied, LOOT, deadline, v, r, s_);
        assertEq(aid.allowance(clean, denied), 0);
        assertEq(aid.nonces(clean), 0);
    }

    /// @dev The minter refuses a listed caller before AID.burnFrom (which would refuse it too).
    function test_attack_redeemThroughMinter() public {
        _whitelist(denied);
        _deny(denied, false);
        vm.prank(denied);
        aid.approve(address(minter), LOOT);
        _deny(denied, true);
        usdc.mint(address(reserve), LOOT / SCALE); // the reserve could pay: only the deny list stands in the way

        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        minter.requestRedeem(address(usdc), LOOT, 0, accomplice);
        _assertUnchanged(s);
        assertEq(usdc.balanceOf(accomplice), 0);
    }

    /// @dev A whitelisted, then listed, account cannot mint fresh AID to an accomplice with its stablecoins.
    function test_attack_mintThroughMinterToAccomplice() public {
        _whitelist(denied);
        _fund(usdc, denied, LOOT / SCALE);
        Snapshot memory s = _snapshot();
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AccountDenied.selector, denied));
        vm.prank(denied);
        minter.mint(address(usdc), LOOT / SCALE, 0, accomplice);
        _assertUnchanged(s);
        assertEq(usdc.balanceOf(denied), LOOT / SCALE, "collateral kept");
    }

    // ---------------------------------------------------------------- OFT route

    function _oftParam(address to) internal pure returns (SendParam memory) {
        return SendParam(ARB_EID, bytes32(uint256(uint160(to))), LOOT, 0, "", "", "");
    }

    /// @dev OFT send burns the sender's own balance: refused before anything moves or the endpoint is called.
    function test_attack_oftSend() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(denied);
        aid.send(_oftParam(accomplice), MessagingFee(0, 0), denied);
        _expectDenied(denied); // to its own address on the other chain
        vm.prank(denied);
        aid.send(_oftParam(denied), MessagingFee(0, 0), denied);
        _assertUnchanged(s);
    }

    /// @dev An accomplice cannot bridge funds to the listed address either.
    function test_attack_oftSendToDenied() public {
        vm.prank(tokenMinter);
        aid.mint(accomplice, LOOT);
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(accomplice);
        aid.send(_oftParam(denied), MessagingFee(0, 0), accomplice);
        _assertUnchanged(s);
    }

    // ---------------------------------------------------------------- receiving

    function test_attack_receiveByTransferOrMint() public {
        Snapshot memory s = _snapshot();
        _expectDenied(denied);
        vm.prank(carol);
        aid.transfer(denied, 1e18);
        _expectDenied(denied);
        vm.prank(tokenMinter);
        aid.mint(denied, 1e18);
        _assertUnchanged(s);
    }
}
