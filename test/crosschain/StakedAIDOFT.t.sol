// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {IAID} from "../../src/interfaces/IAID.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDOFT} from "../../src/vault/StakedAIDOFT.sol";
import {StakedAIDOFTAdapter} from "../../src/vault/StakedAIDOFTAdapter.sol";
import {MockDenyListERC20} from "../mocks/MockDenyListERC20.sol";
import {MockPosition} from "../mocks/MockPosition.sol";
import {CrossChainBase} from "./CrossChainBase.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {MessagingFee, SendParam} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice sAID shares over LayerZero v2: the home-chain lockbox (eid 1) and the remote OFT (eid 2).
contract StakedAIDOFTTest is CrossChainBase {
    using OptionsBuilder for bytes;

    uint32 internal constant HOME = ETH;
    uint32 internal constant REMOTE = ARB;

    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    MockDenyListERC20 internal aid; // stands in for AID: an 18-decimal ERC-20 with AID's deny-list view
    StakedAID internal sAID;
    StakedAIDOFTAdapter internal adapter;
    StakedAIDOFT internal remote;
    Create3Factory internal factory;

    function setUp() public override {
        _setUpChains(2);
        aid = new MockDenyListERC20("AI Dollar", "AID", 18);
        sAID = StakedAID(
            address(
                new ERC1967Proxy(
                    address(new StakedAID(IAID(address(aid)))),
                    abi.encodeCall(StakedAID.initialize, (IAID(address(aid)), admin))
                )
            )
        );
        adapter = CoreDeployer.deployStakedAIDAdapter(sAID, endpoints[HOME], admin);
        factory = CoreDeployer.deployFactory();
        remote = CoreDeployer.deployStakedAIDRemote(factory, endpoints[REMOTE], admin, address(aid));
        address[] memory oapps = new address[](2);
        (oapps[0], oapps[1]) = (address(adapter), address(remote));
        _wireMesh(oapps);
        vm.startPrank(admin);
        sAID.grantRole(sAID.RESTRICTION_MANAGER_ROLE(), admin);
        vm.stopPrank();

        aid.mint(alice, 1000e18);
        vm.startPrank(alice);
        aid.approve(address(sAID), 1000e18);
        sAID.deposit(1000e18, alice);
        vm.stopPrank();
        vm.deal(alice, 10 ether);
        vm.deal(bob, 10 ether);
    }

    function _send(address from, address oft, uint32 dstEid, address to, uint256 amount) internal {
        SendParam memory p = _param(dstEid, to, amount, amount);
        MessagingFee memory fee = StakedAIDOFT(oft).quoteSend(p, false);
        vm.prank(from);
        StakedAIDOFT(oft).send{value: fee.nativeFee}(p, fee, payable(from));
    }

    function test_bridge_homeToRemoteAndBack() public {
        vm.prank(alice);
        sAID.approve(address(adapter), 400e18);
        _send(alice, address(adapter), REMOTE, bob, 400e18);
        verifyPackets(REMOTE, addressToBytes32(address(remote)));
        assertEq(sAID.balanceOf(address(adapter)), 400e18, "locked on home");
        assertEq(remote.balanceOf(bob), 400e18, "minted on remote");
        assertEq(sAID.totalSupply(), 1000e18, "home supply unchanged");

        _send(bob, address(remote), HOME, bob, 150e18);
        verifyPackets(HOME, addressToBytes32(address(adapter)));
        assertEq(remote.balanceOf(bob), 250e18);
        assertEq(sAID.balanceOf(bob), 150e18, "released on home");
        assertEq(sAID.balanceOf(address(adapter)), 250e18);
    }

    function test_bridge_restrictedHolderCannotBridgeOut() public {
        vm.prank(alice);
        sAID.approve(address(adapter), 400e18);
        vm.prank(admin);
        sAID.setRestriction(alice, IStakedAID.Restriction.FULL);
        SendParam memory p = _param(REMOTE, bob, 1e18, 1e18);
        MessagingFee memory fee = adapter.quoteSend(p, false);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, alice, IStakedAID.Restriction.FULL)
        );
        adapter.send{value: fee.nativeFee}(p, fee, payable(alice));
        assertEq(sAID.balanceOf(alice), 1000e18);
    }

    function test_bridge_restrictedOnRemoteCannotSend() public {
        vm.prank(alice);
        sAID.approve(address(adapter), 10e18);
        _send(alice, address(adapter), REMOTE, bob, 10e18);
        verifyPackets(REMOTE, addressToBytes32(address(remote)));
        vm.prank(admin);
        remote.setRestricted(bob, true);
        SendParam memory p = _param(HOME, bob, 1e18, 1e18);
        MessagingFee memory fee = remote.quoteSend(p, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, bob, IStakedAID.Restriction.FULL));
        remote.send{value: fee.nativeFee}(p, fee, payable(bob));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, bob, IStakedAID.Restriction.FULL));
        remote.transfer(alice, 1e18);
    }

    function test_finding10_fullRestrictedSpenderCannotTransferFromOnRemote() public {
        vm.prank(alice);
        sAID.approve(address(adapter), 10e18);
        _send(alice, address(adapter), REMOTE, bob, 10e18);
        verifyPackets(REMOTE, addressToBytes32(address(remote)));
        vm.prank(bob);
        remote.approve(alice, 5e18);
        vm.prank(admin);
        remote.setRestricted(alice, true);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, alice, IStakedAID.Restriction.FULL)
        );
        remote.transferFrom(bob, makeAddr("clean"), 5e18);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedAID.AccountRestricted.selector, alice, IStakedAID.Restriction.FULL)
        );
        remote.approve(alice, 1e18);
        assertEq(remote.balanceOf(bob), 10e18, "nothing moved");
    }

    function test_finding8_aidDenyListedHolderCannotBridgeOut() public {
        vm.prank(alice);
        sAID.approve(address(adapter), 400e18);
        aid.setDenied(alice, true);
        SendParam memory p = _param(REMOTE, bob, 1e18, 1e18);
        MessagingFee memory fee = adapter.quoteSend(p, false);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, alice));
        adapter.send{value: fee.nativeFee}(p, fee, payable(alice));
        assertEq(sAID.balanceOf(alice), 1000e18);
    }

    /// @notice Review 1: AID's deny list bound sAID only at home; on Arbitrum/Plume a deny-listed holder could move its
    ///         shares to a clean address, let a spender take them, approve, or bridge them home.
    function test_review1_denyListedHolderCannotMoveSAIDOnRemoteChain() public {
        address carol = makeAddr("carol");
        address dave = makeAddr("dave");
        vm.prank(alice);
        sAID.approve(address(adapter), 20e18);
        _send(alice, address(adapter), REMOTE, bob, 20e18);
        verifyPackets(REMOTE, addressToBytes32(address(remote)));
        vm.prank(bob);
        remote.approve(carol, 5e18);
        aid.setDenied(bob, true); // the remote chain's AID (here the same mock) lists bob

        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, bob));
        remote.transfer(carol, 1e18);
        vm.prank(carol); // a clean spender cannot pull it either
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, bob));
        remote.transferFrom(bob, carol, 1e18);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, bob));
        remote.approve(carol, 1e18);
        bytes memory options = OptionsBuilder.newOptions().addExecutorLzReceiveOption(200_000, 0);
        SendParam memory p = SendParam(HOME, addressToBytes32(carol), 1e18, 1e18, options, "", "");
        MessagingFee memory fee = remote.quoteSend(p, false);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, bob));
        remote.send{value: fee.nativeFee}(p, fee, payable(bob));

        // nobody can send to, approve or spend as a deny-listed account either
        aid.setDenied(bob, false);
        vm.prank(bob);
        remote.transfer(carol, 10e18);
        vm.prank(carol);
        remote.approve(dave, 5e18);
        aid.setDenied(dave, true);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, dave));
        remote.transfer(dave, 1e18);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, dave));
        remote.transferFrom(carol, bob, 1e18);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, dave));
        remote.approve(dave, 1e18);
        assertEq(remote.balanceOf(bob), 10e18, "nothing moved while denied");
        assertEq(remote.balanceOf(carol), 10e18);
        assertEq(remote.balanceOf(dave), 0);

        // an OFT credit to a deny-listed account reverts on receipt (the message stays retryable at the endpoint)
        vm.prank(alice);
        sAID.approve(address(adapter), 1e18);
        _send(alice, address(adapter), REMOTE, dave, 1e18);
        vm.expectRevert(abi.encodeWithSelector(IStakedAID.AccountDenied.selector, dave));
        this.verifyPackets(REMOTE, addressToBytes32(address(remote)));
        assertEq(remote.balanceOf(dave), 0, "no credit while denied");
    }

    function test_remote_deployedAtTheSAIDAddress() public view {
        assertEq(address(remote), factory.predict(address(this), CoreDeployer.SAID_SALT));
        assertEq(remote.owner(), admin);
        assertEq(adapter.token(), address(sAID));
        assertEq(remote.decimals(), 18);
        assertEq(remote.sharedDecimals(), 6);
    }

    function test_remote_revertsOnZeroAID() public {
        vm.expectRevert(IStakedAID.ZeroAddress.selector);
        new StakedAIDOFT(StakedAIDOFT.Init(endpoints[REMOTE], admin, IAID(address(0))));
        assertEq(address(remote.aid()), address(aid), "bound to the local AID");
    }

    function test_remote_setRestrictedOnlyOwner() public {
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, bob, bytes32(0))
        );
        remote.setRestricted(bob, true);
        assertFalse(remote.restricted(bob));
    }

    /// @notice Review 12s (HIGH): after a total loss anyone could `burnWorthless` the lockbox's shares, which back the
    ///         sAID minted on the remote chains. Once the vault restarted at 1:1, old remote sAID bridged home unlocked
    ///         the shares that new bridgers had locked. A third party may now burn only the worthless balance of an
    ///         account without code; the lockbox keeps its (worthless) shares, so every remote sAID stays backed.
    function test_review12s_burnWorthlessBurnsLockboxBackingRemoteSupply() public {
        address carol = makeAddr("carol");
        address dave = makeAddr("dave");
        MockPosition position = new MockPosition(IERC20(address(aid)));
        vm.startPrank(admin);
        sAID.grantRole(sAID.ALLOCATOR_ROLE(), admin);
        sAID.grantRole(sAID.REWARDER_ROLE(), admin);
        sAID.setUnstakeDelay(0);
        sAID.addPosition(address(position));
        sAID.allocate(address(position), 700e18);
        vm.stopPrank();
        vm.prank(alice);
        sAID.approve(address(adapter), 400e18);
        _send(alice, address(adapter), REMOTE, bob, 400e18); // bob holds 400 sAID on the remote chain
        verifyPackets(REMOTE, addressToBytes32(address(remote)));
        vm.prank(alice);
        sAID.redeem(300e18, alice, alice); // all the free liquidity

        // total loss: the position is written off and delisted
        position.lose(address(sAID), 700e18);
        vm.startPrank(admin);
        sAID.bookLoss(address(position));
        sAID.removePosition(address(position));
        vm.stopPrank();
        assertEq(sAID.totalAssets(), 0, "wiped");

        vm.prank(carol);
        try sAID.burnWorthless(address(adapter)) {}
        catch (bytes memory err) {
            assertEq(err, abi.encodeWithSelector(IStakedAID.NotHolder.selector, carol, address(adapter)), "refused");
        }
        vm.prank(alice);
        sAID.burnWorthless(alice); // each holder burns its own worthless balance
        if (sAID.totalSupply() != 0) {
            // the lockbox's worthless shares keep the vault wiped until value arrives
            aid.mint(admin, 1e18);
            vm.startPrank(admin);
            aid.approve(address(sAID), 1e18);
            sAID.transferInRewards(1e18);
            vm.stopPrank();
        }

        // a new user stakes 100 AID and bridges all of its shares
        aid.mint(dave, 100e18);
        vm.startPrank(dave);
        aid.approve(address(sAID), 100e18);
        uint256 shares = sAID.deposit(100e18, dave);
        shares -= shares % 1e12; // shared decimals: 6
        sAID.approve(address(adapter), shares);
        vm.stopPrank();
        vm.deal(dave, 1 ether);
        _send(dave, address(adapter), REMOTE, dave, shares);
        verifyPackets(REMOTE, addressToBytes32(address(remote)));

        // the old remote holder bridges 100 of its sAID home
        _send(bob, address(remote), HOME, bob, 100e18);
        verifyPackets(HOME, addressToBytes32(address(adapter)));
        assertGe(sAID.balanceOf(address(adapter)), remote.totalSupply(), "every remote sAID is backed at home");
        if (sAID.vestingEnd() > block.timestamp) vm.warp(sAID.vestingEnd()); // the reward has vested
        assertLe(sAID.previewRedeem(sAID.balanceOf(bob)), 1e18, "bob takes at most his share of the reward");
        assertGe(sAID.previewRedeem(shares) + 1e12, 100e18, "dave's bridged shares keep what he paid");
    }
}
