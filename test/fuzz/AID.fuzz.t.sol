// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AID} from "../../src/token/AID.sol";
import {BaseTest} from "../BaseTest.sol";
import {Origin} from "@layerzerolabs/oapp-evm/contracts/oapp/OApp.sol";
import {OFTMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTMsgCodec.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice Drives AID through random valid-looking calls by a fixed set of actors, tracking what was created and
///         destroyed, and whether a deny-listed balance ever moved other than by the admin's redistribution.
contract AIDHandler is CommonBase, StdCheats, StdUtils {
    uint32 internal constant REMOTE_EID = 30_110;
    uint256 internal constant SCALE = 1e12;

    AID internal aid;
    address internal endpoint;
    bytes32 internal remotePeer;
    address internal tokenMinter;
    address internal admin;
    address internal denylistManager;
    address[] public actors;
    uint64 internal nonce;

    uint256 public ghostMinted; // by MINTER_ROLE and by OFT receipt
    uint256 public ghostBurned;
    bool public ghostDeniedBalanceMoved;

    constructor(
        AID aid_,
        address endpoint_,
        bytes32 remotePeer_,
        address tokenMinter_,
        address admin_,
        address denylistManager_,
        address[] memory actors_
    ) {
        (aid, endpoint, remotePeer, tokenMinter, admin, denylistManager) =
        (aid_, endpoint_, remotePeer_, tokenMinter_, admin_, denylistManager_);
        actors = actors_;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /// @dev After every action but redistribution, no deny-listed actor's balance has changed.
    modifier watchDenied() {
        uint256[] memory before = new uint256[](actors.length);
        for (uint256 i = 0; i < actors.length; i++) {
            before[i] = aid.balanceOf(actors[i]);
        }
        _;
        for (uint256 i = 0; i < actors.length; i++) {
            if (aid.isDenied(actors[i]) && aid.balanceOf(actors[i]) != before[i]) ghostDeniedBalanceMoved = true;
        }
    }

    function mint(uint256 toSeed, uint256 amount) external watchDenied {
        amount = bound(amount, 0, 1_000_000e18);
        vm.prank(tokenMinter);
        aid.mint(_actor(toSeed), amount);
        ghostMinted += amount;
    }

    function burn(uint256 fromSeed, uint256 amount) external watchDenied {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, aid.balanceOf(from));
        vm.prank(from);
        aid.approve(tokenMinter, amount);
        vm.prank(tokenMinter);
        aid.burnFrom(from, amount);
        ghostBurned += amount;
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external watchDenied {
        address from = _actor(fromSeed);
        amount = bound(amount, 0, aid.balanceOf(from));
        vm.prank(from);
        aid.transfer(_actor(toSeed), amount);
    }

    function approve(uint256 ownerSeed, uint256 spenderSeed, uint256 amount) external watchDenied {
        vm.prank(_actor(ownerSeed));
        aid.approve(_actor(spenderSeed), amount);
    }

    function transferFrom(uint256 spenderSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external watchDenied {
        address from = _actor(fromSeed);
        address spender = _actor(spenderSeed);
        uint256 cap = aid.balanceOf(from);
        uint256 allowed = aid.allowance(from, spender);
        amount = bound(amount, 0, cap < allowed ? cap : allowed);
        vm.prank(spender);
        aid.transferFrom(from, _actor(toSeed), amount);
    }

    function setDenied(uint256 seed, bool denied) external watchDenied {
        vm.prank(denylistManager);
        aid.setDenied(_actor(seed), denied);
    }

    /// @dev An OFT credit from the remote peer (escrowed if the recipient is deny-listed).
    function receiveOft(uint256 toSeed, uint64 amountSD) external watchDenied {
        amountSD = uint64(bound(amountSD, 0, 1_000_000e6));
        address to = _actor(toSeed);
        (bytes memory message,) = OFTMsgCodec.encode(bytes32(uint256(uint160(to))), amountSD, "");
        vm.prank(endpoint);
        aid.lzReceive(Origin(REMOTE_EID, remotePeer, ++nonce), bytes32(uint256(nonce)), message, address(0), "");
        ghostMinted += uint256(amountSD) * SCALE;
    }

    /// @dev Prefers an actor for which `pick` holds, starting from `seed`.
    function _find(uint256 seed, function(address) view returns (bool) pick) internal view returns (address) {
        for (uint256 i = 0; i < actors.length; i++) {
            address a = _actor(seed + i);
            if (pick(a)) return a;
        }
        return _actor(seed);
    }

    function _hasEscrow(address a) internal view returns (bool) {
        return aid.escrowOf(a) != 0;
    }

    function _isDenied(address a) internal view returns (bool) {
        return aid.isDenied(a);
    }

    function _isClean(address a) internal view returns (bool) {
        return !aid.isDenied(a);
    }

    function releaseEscrow(uint256 holderSeed, uint256 toSeed) external watchDenied {
        (address holder, address to) = (_find(holderSeed, _hasEscrow), _find(toSeed, _isClean));
        vm.prank(admin); // after the look-ups: a view call would use up the prank
        aid.releaseEscrow(holder, to);
    }

    /// @dev The one path allowed to move a deny-listed balance (not watched).
    function redistribute(uint256 fromSeed, uint256 toSeed) external {
        (address from, address to) = (_find(fromSeed, _isDenied), _find(toSeed, _isClean));
        vm.prank(admin);
        aid.redistributeLockedAmount(from, to);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 1 days));
    }
}

/// @notice Fuzz and invariant properties of AID balances: conservation, the deny flag never moving value, escrow fully
///         backed, permit + transferFrom.
contract AIDFuzzTest is BaseTest {
    uint32 internal constant REMOTE_EID = 30_110;

    address internal tokenMinter = makeAddr("tokenMinter");
    bytes32 internal remotePeer = bytes32(uint256(uint160(makeAddr("remoteAID"))));
    address[] internal actors;
    AIDHandler internal handler;

    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        aid.grantRole(aid.MINTER_ROLE(), tokenMinter);
        aid.setPeer(REMOTE_EID, remotePeer);
        aid.setRateLimit(REMOTE_EID, false, type(uint96).max, 1 days);
        vm.stopPrank();

        actors.push(alice);
        actors.push(bob);
        actors.push(carol);
        actors.push(attacker);
        actors.push(yieldReceiver);
        handler = new AIDHandler(aid, address(endpoint), remotePeer, tokenMinter, admin, denylistManager, actors);
        targetContract(address(handler));
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(tokenMinter);
        aid.mint(to, amount);
    }

    function _sumOfBalances() internal view returns (uint256 sum) {
        for (uint256 i = 0; i < actors.length; i++) {
            sum += aid.balanceOf(actors[i]);
        }
        sum += aid.balanceOf(address(aid));
    }

    // ---------------------------------------------------------------- invariants

    function invariant_sumOfBalancesEqualsTotalSupply() public view {
        assertEq(_sumOfBalances(), aid.totalSupply());
    }

    function invariant_supplyEqualsMintedMinusBurned() public view {
        assertEq(aid.totalSupply(), handler.ghostMinted() - handler.ghostBurned());
    }

    function invariant_escrowFullyBacked() public view {
        uint256 sumEscrow;
        for (uint256 i = 0; i < actors.length; i++) {
            sumEscrow += aid.escrowOf(actors[i]);
        }
        assertEq(sumEscrow, aid.totalEscrowed());
        assertEq(aid.balanceOf(address(aid)), aid.totalEscrowed());
    }

    function invariant_deniedBalanceNeverMoves() public view {
        assertFalse(handler.ghostDeniedBalanceMoved());
    }

    // ---------------------------------------------------------------- fuzz

    function testFuzz_transfer_conservesSupplyAndBalances(uint256 minted, uint256 amount, uint256 toSeed) public {
        minted = bound(minted, 0, type(uint248).max);
        amount = bound(amount, 0, minted);
        address to = actors[toSeed % actors.length];
        _mint(alice, minted);
        uint256 toBefore = aid.balanceOf(to);

        vm.prank(alice);
        assertTrue(aid.transfer(to, amount));

        assertEq(aid.totalSupply(), minted);
        assertEq(_sumOfBalances(), minted);
        if (to != alice) {
            assertEq(aid.balanceOf(alice), minted - amount);
            assertEq(aid.balanceOf(to), toBefore + amount);
        } else {
            assertEq(aid.balanceOf(alice), minted);
        }
    }

    function testFuzz_transfer_revertsWhen_amountExceedsBalance(uint256 minted, uint256 amount) public {
        minted = bound(minted, 0, type(uint248).max - 1);
        amount = bound(amount, minted + 1, type(uint256).max);
        _mint(alice, minted);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, minted, amount));
        vm.prank(alice);
        aid.transfer(bob, amount);
        assertEq(aid.balanceOf(alice), minted);
        assertEq(aid.balanceOf(bob), 0);
    }

    function testFuzz_transferFrom_spendsExactAllowance(uint256 minted, uint256 allowed, uint256 amount) public {
        minted = bound(minted, 0, type(uint248).max);
        allowed = bound(allowed, 0, type(uint256).max - 1); // the max is infinite, tested separately
        amount = bound(amount, 0, minted < allowed ? minted : allowed);
        _mint(alice, minted);
        vm.prank(alice);
        aid.approve(bob, allowed);

        vm.prank(bob);
        assertTrue(aid.transferFrom(alice, carol, amount));
        assertEq(aid.allowance(alice, bob), allowed - amount);
        assertEq(aid.balanceOf(carol), amount);
        assertEq(aid.balanceOf(alice), minted - amount);
        assertEq(aid.totalSupply(), minted);
    }

    /// @dev Listing and clearing an account never changes any balance nor the supply.
    function testFuzz_setDenied_neverChangesBalances(uint256 a, uint256 b, uint8 flags) public {
        a = bound(a, 0, type(uint128).max);
        b = bound(b, 0, type(uint128).max);
        _mint(alice, a);
        _mint(bob, b);
        vm.startPrank(denylistManager);
        for (uint256 i = 0; i < 8; i++) {
            aid.setDenied((i % 2 == 0) ? alice : bob, (flags >> i) & 1 == 1);
            assertEq(aid.balanceOf(alice), a);
            assertEq(aid.balanceOf(bob), b);
            assertEq(aid.totalSupply(), a + b);
        }
        vm.stopPrank();
        assertEq(aid.isDenied(alice), (flags >> 6) & 1 == 1);
        assertEq(aid.isDenied(bob), (flags >> 7) & 1 == 1);
    }

    function testFuzz_permit_thenTransferFrom(uint256 ownerPk, uint256 minted, uint256 value, uint256 amount) public {
        ownerPk = bound(ownerPk, 1, 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140);
        address owner = vm.addr(ownerPk);
        vm.assume(owner != bob && owner != carol && owner != address(aid));
        minted = bound(minted, 0, type(uint248).max);
        value = bound(value, 0, type(uint256).max);
        amount = bound(amount, 0, minted < value ? minted : value);
        _mint(owner, minted);

        uint256 deadline = block.timestamp + 1 days;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                owner,
                bob,
                value,
                aid.nonces(owner),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(ownerPk, keccak256(abi.encodePacked("\x19\x01", aid.DOMAIN_SEPARATOR(), structHash)));
        aid.permit(owner, bob, value, deadline, v, r, s);
        assertEq(aid.allowance(owner, bob), value);
        assertEq(aid.nonces(owner), 1);

        vm.prank(bob);
        assertTrue(aid.transferFrom(owner, carol, amount));
        assertEq(aid.balanceOf(carol), amount);
        assertEq(aid.balanceOf(owner), minted - amount);
        assertEq(aid.allowance(owner, bob), value == type(uint256).max ? value : value - amount);
    }
}
