// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {AIDMinter} from "../../src/mint/AIDMinter.sol";
import {MinterTestBase} from "../helpers/MinterTestBase.sol";
import {FeeOnTransferToken} from "../mocks/FeeOnTransferToken.sol";
import {HookToken, ITransferHook} from "../mocks/HookToken.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @notice Attack token: `transferFrom` reports success but moves only `numerator / 10` of the amount (0 = nothing).
contract ShortTransferToken is MockERC20 {
    uint256 public immutable numerator;

    constructor(uint256 numerator_) MockERC20("Short", "SHORT", 6) {
        numerator = numerator_;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        uint256 moved = (value * numerator) / 10;
        if (moved != 0) super.transferFrom(from, to, moved);
        return true;
    }
}

/// @notice Attack token: `transferFrom` returns false without reverting.
contract FalseReturningToken is MockERC20 {
    constructor() MockERC20("False", "FALSE", 6) {}

    function transferFrom(address, address, uint256) public pure override returns (bool) {
        return false;
    }
}

/// @notice A whitelisted contract minter that re-enters the minter from the collateral token's transfer hook.
contract HookAttacker is ITransferHook {
    enum Mode {
        None,
        Mint,
        MintSwallow,
        Redeem,
        Claim,
        Harvest,
        HarvestSwallow
    }

    AIDMinter internal immutable minter;
    HookToken internal immutable token;
    Mode public mode;
    uint256 public reentries;
    bytes public swallowed;

    constructor(AIDMinter minter_, HookToken token_) {
        minter = minter_;
        token = token_;
        token_.approve(address(minter_), type(uint256).max);
        minter_.aid().approve(address(minter_), type(uint256).max);
    }

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function mint(uint256 amount) external returns (uint256) {
        return minter.mint(address(token), amount, 0, address(this));
    }

    function onTokenTransfer(address, address, uint256 value) external {
        if (msg.sender != address(token) || mode == Mode.None) return;
        ++reentries;
        if (mode == Mode.Mint) {
            minter.mint(address(token), value, 0, address(this));
        } else if (mode == Mode.MintSwallow) {
            try minter.mint(address(token), value, 0, address(this)) {}
            catch (bytes memory err) {
                swallowed = err;
            }
        } else if (mode == Mode.Redeem) {
            minter.requestRedeem(address(token), 1e18, 0, address(this));
        } else if (mode == Mode.Harvest) {
            IAIDReserve(minter.reserve()).harvest();
        } else if (mode == Mode.HarvestSwallow) {
            // a keeper that is both minter and harvester harvests from the hook, mid-mint
            try IAIDReserve(minter.reserve()).harvest() {}
            catch (bytes memory err) {
                swallowed = err;
            }
        } else {
            minter.claimRedeem(0);
        }
    }
}

/// @notice One test per attack on the mint/redeem path: none creates AID without collateral or moves value wrongly.
contract MinterAttacksTest is MinterTestBase {
    // ================================================================ unwhitelisted mint / redeem

    function test_attack_unwhitelistedMint_reverts() public {
        _fund(usdc, attacker, 1_000_000 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, attacker));
        vm.prank(attacker);
        minter.mint(address(usdc), 1_000_000 * USDC_UNIT, 0, attacker);
        assertEq(aid.totalSupply(), 0, "no AID");
        assertEq(usdc.balanceOf(attacker), 1_000_000 * USDC_UNIT, "collateral kept");
    }

    function test_attack_unwhitelistedRedeemOfBoughtAid_reverts() public {
        _mintAid(alice, 100 * USDC_UNIT);
        vm.prank(alice);
        aid.transfer(attacker, 100e18); // bought on an AMM: holding AID is fine, redeeming needs KYC
        vm.startPrank(attacker);
        aid.approve(address(minter), 100e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, attacker));
        minter.requestRedeem(address(usdc), 100e18, 0, attacker);
        vm.stopPrank();
        assertEq(usdc.balanceOf(attacker), 0);
        assertEq(usdc.balanceOf(address(reserve)), 100 * USDC_UNIT);
    }

    function test_attack_directMintPaths_allGated() public {
        vm.startPrank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, aid.MINTER_ROLE()
            )
        );
        aid.mint(attacker, 1e18);
        vm.expectRevert(IAIDMinter.OnlyReserve.selector);
        minter.mintYield(attacker, 1e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, reserve.HARVESTER_ROLE()
            )
        );
        reserve.harvest();
        vm.stopPrank();
        assertEq(aid.totalSupply(), 0, "no AID without collateral");
    }

    function test_attack_releaseFromReserve_onlyMinter() public {
        _mintAid(alice, 100 * USDC_UNIT);
        vm.expectRevert(IAIDReserve.OnlyMinter.selector);
        vm.prank(attacker);
        reserve.release(address(usdc), attacker, 100 * USDC_UNIT);
        assertEq(usdc.balanceOf(address(reserve)), 100 * USDC_UNIT);
    }

    // ================================================================ collateral that does not fully arrive

    function test_attack_feeOnTransferToken_mintsOnlyWhatArrived() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(6, 100); // burns 1% of every transfer
        _listAsset(fot);

        uint256 asked = 1000 * USDC_UNIT;
        uint256 arrived = asked - asked * 100 / BPS;
        _fund(fot, alice, asked);
        vm.expectEmit(address(minter));
        emit IAIDMinter.Minted(alice, alice, address(fot), arrived, arrived * SCALE, 0);
        vm.prank(alice);
        uint256 out = minter.mint(address(fot), asked, 0, alice);

        assertEq(fot.balanceOf(address(reserve)), arrived, "reserve got less than asked");
        assertEq(out, arrived * SCALE, "minted what arrived, not what was asked");
        assertGe(reserve.totalValue(), aid.totalSupply(), "fully backed");
    }

    function testFuzz_attack_feeOnTransferToken_neverMintsMore(uint256 feeBps, uint256 amount) public {
        feeBps = bound(feeBps, 1, 9999);
        amount = bound(amount, 1, MAX_MINT);
        FeeOnTransferToken fot = new FeeOnTransferToken(6, feeBps);
        _listAsset(fot);
        _fund(fot, alice, amount);
        uint256 arrived = amount - amount * feeBps / BPS;
        if (arrived == 0) vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.mint(address(fot), amount, 0, alice);
        assertEq(aid.balanceOf(alice), arrived * SCALE, "AID == value that arrived");
        assertEq(fot.balanceOf(address(reserve)) * SCALE, aid.totalSupply(), "reserve == supply");
    }

    function test_attack_feeOnTransfer_minOutProtectsCaller() public {
        FeeOnTransferToken fot = new FeeOnTransferToken(6, 100);
        _listAsset(fot);
        _fund(fot, alice, 100 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.SlippageExceeded.selector, 99e18, 100e18));
        vm.prank(alice);
        minter.mint(address(fot), 100 * USDC_UNIT, 100e18, alice);
    }

    function test_attack_shortTransfer_mintsOnlyWhatArrived() public {
        ShortTransferToken short = new ShortTransferToken(5); // moves half, reports success
        _listAsset(short);
        _fund(short, alice, 1000 * USDC_UNIT);
        vm.prank(alice);
        uint256 out = minter.mint(address(short), 1000 * USDC_UNIT, 0, alice);
        assertEq(short.balanceOf(address(reserve)), 500 * USDC_UNIT);
        assertEq(out, 500e18, "half arrived, half minted");
    }

    function test_attack_noopTransfer_reverts() public {
        ShortTransferToken noop = new ShortTransferToken(0); // moves nothing, reports success
        _listAsset(noop);
        _fund(noop, alice, 1000 * USDC_UNIT);
        vm.expectRevert(IAIDMinter.ZeroAmount.selector);
        vm.prank(alice);
        minter.mint(address(noop), 1000 * USDC_UNIT, 0, alice);
        assertEq(aid.totalSupply(), 0);
    }

    function test_attack_falseReturningTransfer_reverts() public {
        FalseReturningToken bad = new FalseReturningToken();
        _listAsset(bad);
        _fund(bad, alice, 1000 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(bad)));
        vm.prank(alice);
        minter.mint(address(bad), 1000 * USDC_UNIT, 0, alice);
        assertEq(aid.totalSupply(), 0);
    }

    // ================================================================ redeem above the buffer

    function test_attack_redeemAboveBuffer_waitsForDivest() public {
        _mintAid(alice, 1000 * USDC_UNIT);
        _invest(900 * USDC_UNIT);
        uint256 id = _requestRedeem(alice, 500e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);

        uint256 liquid = usdc.balanceOf(address(reserve));
        vm.expectRevert(
            abi.encodeWithSelector(IAIDMinter.InsufficientBuffer.selector, address(usdc), 500 * USDC_UNIT, liquid)
        );
        minter.claimRedeem(id);
        assertFalse(minter.redeemRequest(id).claimed, "still queued");
        assertEq(minter.pendingRedemptions(), 500e18, "still owed");

        _divest(tbill.balanceOf(address(reserve)));
        assertEq(minter.claimRedeem(id), 500 * USDC_UNIT, "paid after divest");
        assertEq(usdc.balanceOf(alice), 500 * USDC_UNIT);
        assertGe(reserve.totalValue(), minter.liabilities(), "backed");
    }

    function test_attack_laterRequestCannotJumpUnfundedQueue() public {
        _mintAid(alice, 1000 * USDC_UNIT);
        _mintAid(bob, 100 * USDC_UNIT);
        _invest(990 * USDC_UNIT); // 110 liquid
        uint256 big = _requestRedeem(alice, 500e18);
        _setRedeemDelay(0);
        uint256 small = _requestRedeem(bob, 50e18); // fits the buffer alone, but not behind `big`
        assertFalse(minter.redeemRequest(small).claimed, "queued behind the earlier request");
        vm.expectRevert(
            abi.encodeWithSelector(
                IAIDMinter.InsufficientBuffer.selector, address(usdc), 550 * USDC_UNIT, 110 * USDC_UNIT
            )
        );
        minter.claimRedeem(small);
        assertEq(usdc.balanceOf(bob), 0);
        assertEq(minter.redeemRequest(small).cumulativeEnd, minter.redeemRequest(big).cumulativeEnd + 50 * USDC_UNIT);
    }

    function test_attack_claimForSomeoneElse_paysTheReceiver() public {
        _mintAid(alice, 100 * USDC_UNIT);
        uint256 id = _requestRedeem(alice, 100e18);
        vm.warp(block.timestamp + DEFAULT_REDEEM_DELAY);
        vm.prank(attacker);
        minter.claimRedeem(id);
        assertEq(usdc.balanceOf(alice), 100 * USDC_UNIT, "receiver paid");
        assertEq(usdc.balanceOf(attacker), 0, "caller gets nothing");
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.AlreadyClaimed.selector, id));
        vm.prank(attacker);
        minter.claimRedeem(id);
    }

    // ================================================================ reentrancy through a hook token

    function _hookSetup() internal returns (HookToken hook, HookAttacker evil) {
        hook = new HookToken();
        _listAsset(hook);
        evil = new HookAttacker(minter, hook);
        _whitelist(address(evil));
        hook.mint(address(evil), 2000 * USDC_UNIT);
    }

    function test_attack_reentrancyViaHookToken_mint() public {
        (HookToken hook, HookAttacker evil) = _hookSetup();
        evil.setMode(HookAttacker.Mode.Mint);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        evil.mint(1000 * USDC_UNIT);
        assertEq(aid.totalSupply(), 0, "nothing minted");
        assertEq(hook.balanceOf(address(reserve)), 0, "nothing moved");
    }

    function test_attack_reentrancyViaHookToken_swallowedReentryMintsOnce() public {
        (HookToken hook, HookAttacker evil) = _hookSetup();
        evil.setMode(HookAttacker.Mode.MintSwallow);
        uint256 out = evil.mint(1000 * USDC_UNIT);
        assertEq(evil.reentries(), 1, "tried to re-enter");
        assertEq(
            evil.swallowed(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "re-entry refused"
        );
        assertEq(out, 1000e18, "one mint");
        assertEq(aid.totalSupply(), 1000e18, "AID only for what arrived");
        assertEq(hook.balanceOf(address(reserve)) * SCALE, aid.totalSupply(), "reserve == supply");
    }

    function test_attack_reentrancyViaHookToken_redeem() public {
        (, HookAttacker evil) = _hookSetup();
        evil.mint(1000 * USDC_UNIT); // honest first mint gives it AID to redeem with
        evil.setMode(HookAttacker.Mode.Redeem);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        evil.mint(500 * USDC_UNIT);
        assertEq(minter.redeemRequestCount(), 0, "no request");
        assertEq(aid.totalSupply(), 1000e18);
    }

    function test_attack_reentrancyViaHookToken_claim() public {
        (HookToken hook, HookAttacker evil) = _hookSetup();
        _setRedeemDelay(0);
        _mintAid(alice, 100 * USDC_UNIT);
        _invest(90 * USDC_UNIT);
        _requestRedeem(alice, 50e18); // queued: the USDC buffer is short
        evil.setMode(HookAttacker.Mode.Claim);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        evil.mint(500 * USDC_UNIT);
        assertFalse(minter.redeemRequest(0).claimed);
        assertEq(hook.balanceOf(address(reserve)), 0);
    }

    /// @dev Finding 7: a harvest from the collateral token's hook, mid-mint, must not make AID vanish from `outstanding`
    ///      (then harvested twice): it is refused by the minter's lock, and the later harvest counts the surplus once.
    function test_finding7_hookReentrantHarvestDoubleCount() public {
        (, HookAttacker evil) = _hookSetup();
        bytes32 harvesterRole = reserve.HARVESTER_ROLE();
        vm.prank(admin);
        reserve.grantRole(harvesterRole, address(evil));
        _mintAid(alice, 1000 * USDC_UNIT);
        _seedStake(alice, 1e18); // sAID needs stakers to take rewards
        usdc.mint(address(reserve), 100 * USDC_UNIT); // surplus (say T-bill income) waiting to be harvested
        assertGt(reserve.surplus(), 0, "surplus to harvest");

        evil.setMode(HookAttacker.Mode.HarvestSwallow);
        evil.mint(1000 * USDC_UNIT); // tries to harvest mid-mint
        vm.prank(harvester);
        reserve.harvest(); // the regular harvest afterwards

        assertLe(aid.totalSupply(), reserve.totalValue(), "supply <= reserve value");
        assertEq(minter.outstanding(), aid.totalSupply(), "outstanding counts every AID");
        assertGe(reserve.totalValue(), minter.liabilities(), "reserve covers liabilities");
        assertEq(evil.reentries(), 1, "harvested from the hook");
        assertEq(
            evil.swallowed(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "harvest inside mint refused"
        );
    }

    function test_finding7_hookReentrantHarvest_revertsMint() public {
        (HookToken hook, HookAttacker evil) = _hookSetup();
        _mintAid(alice, 1000 * USDC_UNIT);
        usdc.mint(address(reserve), 100 * USDC_UNIT);
        bytes32 harvesterRole = reserve.HARVESTER_ROLE();
        vm.prank(admin);
        reserve.grantRole(harvesterRole, address(evil));
        evil.setMode(HookAttacker.Mode.Harvest);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        evil.mint(1000 * USDC_UNIT);
        assertEq(hook.balanceOf(address(reserve)), 0, "nothing moved");
        assertEq(aid.totalSupply(), 1000e18, "no AID");
    }

    // ================================================================ oracle: stale and depegged feeds

    function test_attack_staleFeed_blocksMintAndRedeem() public {
        _mintAid(alice, 100 * USDC_UNIT);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + HEARTBEAT + 1); // the feed stopped updating (e.g. while the peg broke)
        _fund(usdc, alice, 100 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.StalePrice.selector, address(usdc), updatedAt));
        vm.prank(alice);
        minter.mint(address(usdc), 100 * USDC_UNIT, 0, alice);
        vm.startPrank(alice);
        aid.approve(address(minter), 100e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.StalePrice.selector, address(usdc), updatedAt));
        minter.requestRedeem(address(usdc), 100e18, 0, alice);
        vm.stopPrank();
        assertEq(aid.totalSupply(), 100e18, "nothing minted or burnt");
    }

    function test_attack_depeggedCollateral_cannotMintAtPar() public {
        usdtFeed.setAnswer(ONE_USD * 90 / 100); // USDT trades at 0.90
        _fund(usdt, alice, 1_000_000 * USDC_UNIT);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdt), int256(ONE_USD * 90 / 100)));
        vm.prank(alice);
        minter.mint(address(usdt), 1_000_000 * USDC_UNIT, 0, alice);
        assertEq(aid.totalSupply(), 0, "no AID for cheap collateral");
    }

    function test_attack_premiumAsset_cannotBeRedeemed() public {
        _mintAid(alice, 100 * USDC_UNIT);
        usdt.mint(address(reserve), 100 * USDC_UNIT);
        int256 premium = int256(ONE_USD) * 102 / 100;
        usdtFeed.setAnswer(int192(premium)); // USDT at 1.02: draining it at par would take value from the reserve
        vm.startPrank(alice);
        aid.approve(address(minter), 100e18);
        vm.expectRevert(abi.encodeWithSelector(IAIDMinter.Depeg.selector, address(usdt), premium));
        minter.requestRedeem(address(usdt), 100e18, 0, alice);
        vm.stopPrank();
        assertEq(aid.balanceOf(alice), 100e18);
    }
}
