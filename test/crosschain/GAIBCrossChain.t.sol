// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {IAdminOwnedOApp} from "../../src/interfaces/IGAIB.sol";
import {GAIB} from "../../src/token/GAIB.sol";
import {GAIBAdapter} from "../../src/token/GAIBAdapter.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {CrossChainBase} from "./CrossChainBase.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {
    IOFT,
    MessagingFee,
    MessagingReceipt,
    OFTReceipt,
    SendParam
} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @notice GAIB over three LayerZero endpoints (TestHelperOz5, eids 1..3): the home token + OFT adapter (lockbox) on
///         eid 1, the OFT on eids 2 and 3, all deployed by the production GaibDeployer library. Checks lock/mint,
///         burn/mint and burn/release paths, dust, approvals, admin-owned OApp rules and supply conservation
///         (GAIB locked in the adapter == GAIB minted on the remote chains).
contract GAIBCrossChainTest is CrossChainBase {
    using OptionsBuilder for bytes;

    uint32 internal constant N_CHAINS = 3;
    uint256 internal constant SUPPLY = 1_000_000_000e18; // [wad]

    address internal treasury = makeAddr("treasury");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal newAdmin = makeAddr("newAdmin");

    GAIB internal gaib;
    GAIBAdapter internal adapter;
    mapping(uint32 eid => GAIBOFT) internal remotes;

    function setUp() public override {
        vm.warp(1_750_000_000);
        _setUpChains(uint8(N_CHAINS));

        Create3Factory homeFactory = new Create3Factory();
        vm.startPrank(admin);
        GaibDeployer.Home memory h = GaibDeployer.deployHome(homeFactory, endpoints[ETH], admin, treasury);
        vm.stopPrank();
        (gaib, adapter) = (h.gaib, h.adapter);
        remotes[ARB] = _deployRemote(ARB);
        remotes[PLUME] = _deployRemote(PLUME);

        address[] memory oapps = new address[](N_CHAINS);
        (oapps[0], oapps[1], oapps[2]) = (address(adapter), address(remotes[ARB]), address(remotes[PLUME]));
        _wireMesh(oapps);

        vm.prank(treasury);
        gaib.transfer(alice, 10_000_000e18);
    }

    // ================================================================ helpers

    /// @dev One chain's OFT from its own factory (all "chains" share one EVM here, see test_deploy_sameAddress).
    function _deployRemote(uint32 eid) internal returns (GAIBOFT o) {
        Create3Factory factory = new Create3Factory();
        vm.prank(admin);
        o = GaibDeployer.deployRemote(factory, endpoints[eid], admin);
        vm.label(address(o), string.concat("GAIBOFT-", vm.toString(eid)));
    }

    function _oapp(uint32 eid) internal view returns (IOFT) {
        return eid == ETH ? IOFT(address(adapter)) : IOFT(address(remotes[eid]));
    }

    function _balance(uint32 eid, address who) internal view returns (uint256) {
        return eid == ETH ? gaib.balanceOf(who) : remotes[eid].balanceOf(who);
    }

    /// @dev Approves the adapter on the home chain, quotes, and sends from `from`.
    function _send(uint32 src, address from, uint32 dst, address to, uint256 amountLD)
        internal
        returns (MessagingReceipt memory msgReceipt, OFTReceipt memory oftReceipt)
    {
        if (src == ETH) {
            vm.prank(from);
            gaib.approve(address(adapter), amountLD);
        }
        return _quoteAndSend(address(_oapp(src)), from, _param(dst, to, amountLD, 0));
    }

    function _deliver(uint32 dst) internal {
        _deliverTo(dst, address(_oapp(dst)));
    }

    function _remoteSupply() internal view returns (uint256) {
        return remotes[ARB].totalSupply() + remotes[PLUME].totalSupply();
    }

    // ================================================================ deployment

    function test_setUp_wiring() public view {
        assertEq(gaib.totalSupply(), SUPPLY);
        assertEq(gaib.balanceOf(treasury), SUPPLY - 10_000_000e18);
        assertEq(adapter.token(), address(gaib));
        assertTrue(adapter.approvalRequired());
        assertEq(adapter.owner(), admin);
        assertEq(adapter.defaultAdmin(), admin);
        assertEq(EndpointV2Mock(payable(endpoints[ETH])).delegates(address(adapter)), admin);
        for (uint32 eid = ARB; eid <= PLUME; eid++) {
            GAIBOFT o = remotes[eid];
            assertEq(o.totalSupply(), 0);
            assertEq(o.token(), address(o));
            assertFalse(o.approvalRequired());
            assertEq(o.owner(), admin);
            assertEq(o.decimals(), 18);
            assertEq(o.sharedDecimals(), 6);
            assertEq(o.TOTAL_SUPPLY(), SUPPLY);
            assertEq(o.peers(ETH), addressToBytes32(address(adapter)));
            assertEq(EndpointV2Mock(payable(endpoints[eid])).delegates(address(o)), admin);
        }
        assertEq(adapter.peers(ARB), addressToBytes32(address(remotes[ARB])));
        assertEq(adapter.peers(PLUME), addressToBytes32(address(remotes[PLUME])));
    }

    /// @dev CREATE3 through one factory address: the remote OFT lands at the home token's address whatever the
    ///      endpoint, so GAIB has one address on Ethereum, Arbitrum and Plume.
    function test_deploy_sameAddressOnEveryChain() public {
        Create3Factory factory = new Create3Factory();
        address predicted = GaibDeployer.predictGaib(factory, admin);
        uint256 snapshot = vm.snapshotState();
        vm.prank(admin);
        GaibDeployer.Home memory h = GaibDeployer.deployHome(factory, endpoints[ETH], admin, treasury);
        vm.revertToState(snapshot);
        vm.prank(admin);
        GAIBOFT onArb = GaibDeployer.deployRemote(factory, endpoints[ARB], admin);
        vm.revertToState(snapshot);
        vm.prank(admin);
        GAIBOFT onPlume = GaibDeployer.deployRemote(factory, endpoints[PLUME], admin);
        assertEq(address(h.gaib), predicted);
        assertEq(address(onArb), predicted);
        assertEq(address(onPlume), predicted);
        assertEq(address(onPlume.endpoint()), endpoints[PLUME]);
        assertTrue(address(h.adapter) != predicted);
    }

    // ================================================================ send and receive

    function test_send_homeToArb_locksAndMints() public {
        (, OFTReceipt memory r) = _send(ETH, alice, ARB, bob, 1000e18);
        assertEq(r.amountSentLD, 1000e18);
        assertEq(gaib.balanceOf(address(adapter)), 1000e18, "locked in the lockbox");
        assertEq(gaib.totalSupply(), SUPPLY, "home supply never changes");
        assertEq(remotes[ARB].totalSupply(), 0, "nothing minted before delivery");
        _deliver(ARB);
        assertEq(remotes[ARB].balanceOf(bob), 1000e18);
        assertEq(gaib.balanceOf(address(adapter)), _remoteSupply());
    }

    function test_send_arbToPlume_burnsAndMints_adapterUntouched() public {
        _send(ETH, alice, ARB, bob, 1000e18);
        _deliver(ARB);
        _send(ARB, bob, PLUME, alice, 400e18);
        assertEq(remotes[ARB].totalSupply(), 600e18, "burnt on the source");
        _deliver(PLUME);
        assertEq(remotes[PLUME].balanceOf(alice), 400e18);
        assertEq(gaib.balanceOf(address(adapter)), 1000e18);
        assertEq(_remoteSupply(), 1000e18);
    }

    function test_send_plumeToHome_releasesFromLockbox() public {
        _send(ETH, alice, PLUME, bob, 1000e18);
        _deliver(PLUME);
        _send(PLUME, bob, ETH, bob, 250e18);
        _deliver(ETH);
        assertEq(gaib.balanceOf(bob), 250e18);
        assertEq(gaib.balanceOf(address(adapter)), 750e18);
        assertEq(remotes[PLUME].totalSupply(), 750e18);
    }

    function test_send_removesDust() public {
        uint256 amount = 5e18 + DUST_UNIT - 1;
        (, OFTReceipt memory r) = _send(ETH, alice, ARB, bob, amount);
        assertEq(r.amountSentLD, 5e18);
        assertEq(gaib.balanceOf(alice), 10_000_000e18 - 5e18, "sender keeps the dust");
        _deliver(ARB);
        assertEq(remotes[ARB].balanceOf(bob), 5e18);
    }

    function test_send_revertsWhen_adapterNotApproved() public {
        SendParam memory p = _param(ARB, bob, 1e18, 0);
        MessagingFee memory fee = adapter.quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(adapter), 0, 1e18)
        );
        vm.prank(alice);
        adapter.send{value: fee.nativeFee}(p, fee, alice);
    }

    function test_send_revertsWhen_remoteBalanceTooLow() public {
        SendParam memory p = _param(ETH, bob, 1e18, 0);
        MessagingFee memory fee = remotes[ARB].quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 1e18));
        vm.prank(alice);
        remotes[ARB].send{value: fee.nativeFee}(p, fee, alice);
    }

    function test_receive_toZeroAddress_mintsToDead() public {
        _send(ETH, alice, ARB, address(0), 3e18);
        _deliver(ARB);
        assertEq(remotes[ARB].balanceOf(address(0xdead)), 3e18);
        assertEq(gaib.balanceOf(address(adapter)), _remoteSupply());
    }

    /// @dev GAIB received on a remote chain carries votes there too (timestamp clock, like the home token).
    function test_remote_votesWithTimestampClock() public {
        _send(ETH, alice, ARB, bob, 1000e18);
        _deliver(ARB);
        GAIBOFT o = remotes[ARB];
        assertEq(o.CLOCK_MODE(), "mode=timestamp");
        assertEq(o.clock(), block.timestamp);
        vm.prank(bob);
        o.delegate(bob);
        uint256 t0 = block.timestamp;
        assertEq(o.getVotes(bob), 1000e18);
        vm.warp(t0 + 10);
        _send(ARB, bob, ETH, bob, 400e18);
        vm.warp(t0 + 20);
        assertEq(o.getPastVotes(bob, t0), 1000e18);
        assertEq(o.getPastVotes(bob, t0 + 10), 600e18);
        assertEq(o.nonces(bob), 0);
    }

    // ================================================================ admin-owned OApp

    function test_setPeer_revertsWhen_notAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, alice, adapter.DEFAULT_ADMIN_ROLE()
            )
        );
        vm.prank(alice);
        adapter.setPeer(ARB, bytes32(uint256(1)));
        assertEq(adapter.peers(ARB), addressToBytes32(address(remotes[ARB])));
    }

    function test_transferOwnership_reverts() public {
        vm.expectRevert(IAdminOwnedOApp.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        adapter.transferOwnership(alice);
        vm.expectRevert(IAdminOwnedOApp.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        remotes[ARB].transferOwnership(alice);
    }

    function test_renounceOwnership_reverts() public {
        vm.expectRevert(IAdminOwnedOApp.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        adapter.renounceOwnership();
        vm.expectRevert(IAdminOwnedOApp.OwnershipManagedByAdminRole.selector);
        vm.prank(admin);
        remotes[PLUME].renounceOwnership();
    }

    function test_renounceRole_revertsWhen_adminLockOut() public {
        bytes32 role = adapter.DEFAULT_ADMIN_ROLE();
        vm.expectRevert(IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        vm.prank(admin);
        adapter.renounceRole(role, admin);
        assertEq(adapter.owner(), admin);
    }

    function test_adminHandoff_movesOwnerAndDelegate() public {
        vm.prank(admin);
        remotes[ARB].beginDefaultAdminTransfer(newAdmin);
        vm.warp(block.timestamp + remotes[ARB].ADMIN_TRANSFER_DELAY() + 1);
        vm.prank(newAdmin);
        remotes[ARB].acceptDefaultAdminTransfer();
        assertEq(remotes[ARB].owner(), newAdmin);
        assertEq(EndpointV2Mock(payable(endpoints[ARB])).delegates(address(remotes[ARB])), newAdmin);
        vm.prank(newAdmin);
        remotes[ARB].setPeer(77, bytes32(uint256(7)));
        assertEq(remotes[ARB].peers(77), bytes32(uint256(7)));
    }

    // ================================================================ conservation

    /// @dev Random sends among the three chains: after every delivery, GAIB locked in the adapter equals the GAIB
    ///      minted on Arbitrum and Plume, the home supply stays 1e9, and the holders' balances sum to what they had.
    /// forge-config: default.fuzz.runs = 64
    /// forge-config: ci.fuzz.runs = 256
    function testFuzz_send_lockedEqualsRemoteSupply(uint256 seed) public {
        address[2] memory holders = [alice, bob];
        uint256 held = gaib.balanceOf(alice);
        for (uint256 step = 0; step < 8; step++) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint32 src = uint32(r % N_CHAINS) + 1;
            uint32 dst = uint32((r >> 8) % (N_CHAINS - 1)) + 1;
            if (dst >= src) dst++;
            address from = holders[(r >> 16) % 2];
            address to = holders[(r >> 24) % 2];
            uint256 amount = bound(r >> 32, 0, _balance(src, from));

            (, OFTReceipt memory receipt) = _send(src, from, dst, to, amount);
            uint256 before = _balance(dst, to);
            _deliver(dst);
            assertEq(_balance(dst, to), before + receipt.amountReceivedLD);
            assertEq(gaib.balanceOf(address(adapter)), _remoteSupply(), "locked == minted remotely");
            assertEq(gaib.totalSupply(), SUPPLY);
        }
        uint256 sum;
        for (uint32 eid = 1; eid <= N_CHAINS; eid++) {
            sum += _balance(eid, alice) + _balance(eid, bob);
        }
        assertEq(sum, held);
    }
}
