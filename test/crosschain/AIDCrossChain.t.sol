// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {IAID} from "../../src/interfaces/IAID.sol";
import {AID} from "../../src/token/AID.sol";
import {RestrictedERC20} from "../../src/token/base/RestrictedERC20.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {CrossChainBase} from "./CrossChainBase.sol";
import {Origin} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {Errors} from "@layerzerolabs/lz-evm-protocol-v2/contracts/libs/Errors.sol";
import {PacketV1Codec} from "@layerzerolabs/lz-evm-protocol-v2/contracts/messagelib/libs/PacketV1Codec.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {
    IOFT,
    MessagingFee,
    MessagingReceipt,
    OFTReceipt,
    SendParam
} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {OFTComposeMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTComposeMsgCodec.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {DoubleEndedQueue} from "@openzeppelin/contracts/utils/structs/DoubleEndedQueue.sol";

/// @notice AID as an OFT over three LayerZero endpoints (TestHelperOz5 endpoint mocks with the real ULN, DVN and
///         executor message path): send, receive, dust, rate limits (with retry of a held message), deny list with
///         escrow, pause, and supply conservation.
/// @dev TestHelperOz5 numbers its endpoints 1..n, so here ETH = 1, ARB = 2, PLUME = 3. In production the endpoint ids
///      are 30101 (ETHEREUM_V2_MAINNET), 30110 (ARBITRUM_V2_MAINNET) and 30370 (PLUMEPHOENIX_V2_MAINNET), from the
///      npm package lz-definitions of LayerZero. All "chains" share one EVM here, so each AID comes from its own CREATE3 factory
///      and the three AIDs have different addresses (on real chains one factory address gives one AID address; see
///      test_deploy_addressIndependentOfEndpoint).
contract AIDCrossChainTest is CrossChainBase {
    using OptionsBuilder for bytes;
    using PacketV1Codec for bytes;
    using DoubleEndedQueue for DoubleEndedQueue.Bytes32Deque;

    uint32 internal constant N_CHAINS = 3;

    uint96 internal constant LIMIT = 5_000_000e18; // [wad] per window, each direction of each pathway
    uint24 internal constant WINDOW = 1 days;
    uint256 internal constant MINTED = 1_000_000e18; // [wad] created on the home chain

    address internal gatekeeper = makeAddr("gatekeeper");
    address internal denylistManager = makeAddr("denylistManager");
    address internal homeMinter = makeAddr("homeMinter");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal courtOrdered = makeAddr("courtOrdered");

    mapping(uint32 eid => AID) internal aids;

    function setUp() public override {
        vm.warp(1_750_000_000);
        _setUpChains(uint8(N_CHAINS));

        for (uint32 eid = 1; eid <= N_CHAINS; eid++) {
            aids[eid] = _deployAid(eid);
        }
        // wire every pathway both ways: peers and rate limits
        address[] memory oapps = new address[](N_CHAINS);
        for (uint32 eid = 1; eid <= N_CHAINS; eid++) {
            oapps[eid - 1] = address(aids[eid]);
        }
        _wireMesh(oapps);
        vm.startPrank(admin);
        for (uint32 src = 1; src <= N_CHAINS; src++) {
            for (uint32 dst = 1; dst <= N_CHAINS; dst++) {
                if (src == dst) continue;
                aids[src].setRateLimit(dst, true, LIMIT, WINDOW);
                aids[src].setRateLimit(dst, false, LIMIT, WINDOW);
            }
        }
        // supply is created only on the home chain
        aids[ETH].grantRole(aids[ETH].MINTER_ROLE(), homeMinter);
        vm.stopPrank();

        vm.prank(homeMinter);
        aids[ETH].mint(alice, MINTED);
    }

    // ================================================================ helpers

    /// @dev One chain's AID, deployed by the production deployer library through its own CREATE3 factory.
    function _deployAid(uint32 eid) internal returns (AID a) {
        Create3Factory factory = new Create3Factory();
        vm.startPrank(admin);
        a = CoreDeployer.deployAID(factory, endpoints[eid], admin);
        a.grantRole(a.PAUSER_ROLE(), gatekeeper);
        a.grantRole(a.DENYLIST_MANAGER_ROLE(), denylistManager);
        vm.stopPrank();
        vm.label(address(a), string.concat("AID-", vm.toString(eid)));
    }

    /// @dev Quotes and sends `p` from `from` on `src`, paying the native fee.
    function _sendParam(uint32 src, address from, SendParam memory p)
        internal
        returns (MessagingReceipt memory msgReceipt, OFTReceipt memory oftReceipt)
    {
        return _quoteAndSend(address(aids[src]), from, p);
    }

    function _send(uint32 src, address from, uint32 dst, address to, uint256 amountLD)
        internal
        returns (MessagingReceipt memory msgReceipt, OFTReceipt memory oftReceipt)
    {
        return _sendParam(src, from, _param(dst, to, amountLD, 0));
    }

    /// @dev Verifies and executes every packet queued for the AID on `dst`.
    function _deliver(uint32 dst) internal {
        _deliverTo(dst, address(aids[dst]));
    }

    /// @dev External entry to `_deliver`, so a revert or an event during delivery can be expected.
    function deliverExternal(uint32 dst) external {
        _deliver(dst);
    }

    /// @dev Takes the next packet for the AID on `dst` out of the helper's queue and only verifies it (DVN + commit):
    ///      the message now waits at the endpoint for `_execute`, like one whose first execution failed.
    function _verifyOnly(uint32 dst) internal returns (bytes memory packet) {
        bytes32 receiver = addressToBytes32(address(aids[dst]));
        bytes32 guid = packetsQueue[dst][receiver].popBack();
        packet = packets[guid];
        this.validatePacket(packet, "");
    }

    /// @dev Executes a verified packet at its destination endpoint, as the executor does (lzReceive).
    function _execute(bytes memory packet) internal {
        this.lzReceive(packet, options);
    }

    function decodePacket(bytes calldata packet)
        external
        pure
        returns (Origin memory origin, address receiver, bytes32 guid, bytes memory message)
    {
        origin = Origin(packet.srcEid(), packet.sender(), packet.nonce());
        return (origin, packet.receiverB20(), packet.guid(), packet.message());
    }

    /// @dev The payload hash the endpoint on `dst` still holds for `packet` (zero once executed).
    function _heldPayloadHash(uint32 dst, bytes memory packet) internal view returns (bytes32) {
        (Origin memory origin, address receiver,,) = this.decodePacket(packet);
        return _endpoint(dst).inboundPayloadHash(receiver, origin.srcEid, origin.sender, origin.nonce);
    }

    function _payloadHash(bytes memory packet) internal view returns (bytes32) {
        (,, bytes32 guid, bytes memory message) = this.decodePacket(packet);
        return keccak256(abi.encodePacked(guid, message));
    }

    function _totalSupplyAllChains() internal view returns (uint256 sum) {
        for (uint32 eid = 1; eid <= N_CHAINS; eid++) {
            sum += aids[eid].totalSupply();
        }
    }

    function _deny(uint32 eid, address who) internal {
        vm.prank(denylistManager);
        aids[eid].setDenied(who, true);
    }

    function _available(uint32 eid, uint32 remote, bool outbound) internal view returns (uint256 available) {
        (,,, available) = aids[eid].rateLimit(remote, outbound);
    }

    // ================================================================ deployment

    function test_setUp_wiring() public view {
        for (uint32 src = 1; src <= N_CHAINS; src++) {
            AID a = aids[src];
            assertEq(address(a.endpoint()), endpoints[src]);
            assertEq(_endpoint(src).delegates(address(a)), admin);
            assertEq(a.owner(), admin);
            for (uint32 dst = 1; dst <= N_CHAINS; dst++) {
                if (src == dst) continue;
                assertEq(a.peers(dst), addressToBytes32(address(aids[dst])));
                assertEq(_available(src, dst, true), LIMIT);
                assertEq(_available(src, dst, false), LIMIT);
            }
        }
        assertEq(aids[ETH].totalSupply(), MINTED);
        assertEq(aids[ARB].totalSupply(), 0);
        assertEq(aids[PLUME].totalSupply(), 0);
        assertFalse(aids[ARB].hasRole(aids[ARB].MINTER_ROLE(), homeMinter));
    }

    /// @dev CREATE3: the address depends on factory, deployer and salt only, not on the chain's endpoint, so the same
    ///      factory address (canonical CREATE2 deployer) gives AID one address on every chain.
    function test_deploy_addressIndependentOfEndpoint() public {
        Create3Factory factory = new Create3Factory();
        address predicted = factory.predict(admin, CoreDeployer.AID_SALT);
        uint256 snapshot = vm.snapshotState();
        vm.prank(admin);
        AID onEth = CoreDeployer.deployAID(factory, endpoints[ETH], admin);
        vm.revertToState(snapshot);
        vm.prank(admin);
        AID onArb = CoreDeployer.deployAID(factory, endpoints[ARB], admin);
        assertEq(address(onEth), predicted);
        assertEq(address(onArb), predicted);
        assertEq(address(onArb.endpoint()), endpoints[ARB]);
    }

    // ================================================================ send and receive

    function test_send_roundTripEthArbPlumeEth() public {
        uint256 toArb = 600_000e18;
        uint256 toPlume = 250_000e18;
        uint256 backToEth = 100_000e18;

        (MessagingReceipt memory msgReceipt, OFTReceipt memory receipt) = _send(ETH, alice, ARB, bob, toArb);
        assertEq(receipt.amountSentLD, toArb);
        assertEq(receipt.amountReceivedLD, toArb);
        assertEq(msgReceipt.nonce, 1);
        assertEq(aids[ETH].balanceOf(alice), MINTED - toArb);
        assertEq(aids[ETH].totalSupply(), MINTED - toArb, "burnt on the source");
        assertEq(aids[ARB].totalSupply(), 0, "nothing minted before delivery");

        vm.expectEmit(address(aids[ARB]));
        emit IOFT.OFTReceived(msgReceipt.guid, ETH, bob, toArb);
        this.deliverExternal(ARB);
        assertEq(aids[ARB].balanceOf(bob), toArb);
        assertEq(_totalSupplyAllChains(), MINTED);

        _send(ARB, bob, PLUME, carol, toPlume);
        _deliver(PLUME);
        assertEq(aids[ARB].balanceOf(bob), toArb - toPlume);
        assertEq(aids[PLUME].balanceOf(carol), toPlume);

        _send(PLUME, carol, ETH, alice, backToEth);
        _deliver(ETH);
        assertEq(aids[PLUME].balanceOf(carol), toPlume - backToEth);
        assertEq(aids[ETH].balanceOf(alice), MINTED - toArb + backToEth);

        assertEq(aids[ETH].totalSupply(), MINTED - toArb + backToEth);
        assertEq(aids[ARB].totalSupply(), toArb - toPlume);
        assertEq(aids[PLUME].totalSupply(), toPlume - backToEth);
        assertEq(_totalSupplyAllChains(), MINTED);
        // each pathway counted exactly what moved
        assertEq(_available(ETH, ARB, true), LIMIT - toArb);
        assertEq(_available(ARB, ETH, false), LIMIT - toArb);
        assertEq(_available(PLUME, ETH, true), LIMIT - backToEth);
    }

    function test_send_emitsOFTSent() public {
        MessagingFee memory fee = aids[ETH].quoteSend(_param(ARB, bob, 1e18, 0), false);
        assertGt(fee.nativeFee, 0);
        vm.deal(alice, fee.nativeFee);
        vm.expectEmit(false, true, false, true, address(aids[ETH])); // the guid (topic 1) is not known before the send
        emit IOFT.OFTSent(bytes32(0), ARB, alice, 1e18, 1e18);
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(_param(ARB, bob, 1e18, 0), fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED - 1e18);
    }

    function test_send_removesDust() public {
        uint256 dust = DUST_UNIT - 1;
        uint256 amount = 5e18 + dust;
        (,, OFTReceipt memory quoted) = aids[ETH].quoteOFT(_param(ARB, bob, amount, 5e18));
        assertEq(quoted.amountSentLD, 5e18);

        (, OFTReceipt memory receipt) = _sendParam(ETH, alice, _param(ARB, bob, amount, 5e18));
        assertEq(receipt.amountSentLD, 5e18, "dust removed from the sent amount");
        assertEq(receipt.amountReceivedLD, 5e18);
        assertEq(aids[ETH].balanceOf(alice), MINTED - 5e18, "sender keeps the dust");
        _deliver(ARB);
        assertEq(aids[ARB].balanceOf(bob), 5e18);
        assertEq(_totalSupplyAllChains(), MINTED);
    }

    function testFuzz_send_removesDust(uint256 amount) public {
        amount = bound(amount, 0, MINTED);
        uint256 expected = (amount / DUST_UNIT) * DUST_UNIT;
        (, OFTReceipt memory receipt) = _send(ETH, alice, ARB, bob, amount);
        assertEq(receipt.amountSentLD, expected);
        assertEq(aids[ETH].balanceOf(alice), MINTED - expected);
        _deliver(ARB);
        assertEq(aids[ARB].balanceOf(bob), expected);
        assertEq(_totalSupplyAllChains(), MINTED);
    }

    function test_send_revertsWhen_slippageExceeded() public {
        uint256 amount = 5e18 + 1;
        SendParam memory p = _param(ARB, bob, amount, amount); // asks for the dust too
        MessagingFee memory fee = aids[ETH].quoteSend(_param(ARB, bob, amount, 0), false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(IOFT.SlippageExceeded.selector, 5e18, amount));
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(p, fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED);
        assertEq(_available(ETH, ARB, true), LIMIT);
    }

    function test_send_toZeroAddress_escrowedNotLost() public {
        _send(ETH, alice, ARB, address(0), 3e18);
        _deliver(ARB);
        assertEq(aids[ARB].escrowOf(address(0)), 3e18);
        assertEq(_totalSupplyAllChains(), MINTED);
        vm.prank(admin);
        aids[ARB].releaseEscrow(address(0), alice);
        assertEq(aids[ARB].balanceOf(alice), 3e18);
    }

    // ================================================================ rate limits

    function test_send_revertsWhen_outboundLimitExceeded() public {
        vm.prank(admin);
        aids[ETH].setRateLimit(ARB, true, 100e18, 1 hours);
        _send(ETH, alice, ARB, bob, 60e18);

        SendParam memory p = _param(ARB, bob, 50e18, 0);
        MessagingFee memory fee = aids[ETH].quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(IAID.OutboundRateLimitExceeded.selector, ARB, 50e18, 40e18));
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(p, fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED - 60e18);

        // another pathway is independent
        _send(ETH, alice, PLUME, bob, 50e18);
        // a quarter window later 25e18 has decayed: 65e18 fits
        vm.warp(block.timestamp + 15 minutes);
        assertEq(_available(ETH, ARB, true), 65e18);
        _send(ETH, alice, ARB, bob, 50e18);
        _deliver(ARB);
        assertEq(aids[ARB].balanceOf(bob), 110e18);
    }

    function test_send_revertsWhen_pathwayUnconfigured() public {
        // a freshly deployed AID on Ethereum peered with Arbitrum but with no rate limit set
        AID fresh = _deployAid(ETH);
        vm.startPrank(admin);
        fresh.setPeer(ARB, addressToBytes32(address(aids[ARB])));
        fresh.grantRole(fresh.MINTER_ROLE(), homeMinter);
        vm.stopPrank();
        vm.prank(homeMinter);
        fresh.mint(alice, 10e18);

        SendParam memory p = _param(ARB, bob, 1e18, 0);
        MessagingFee memory fee = fresh.quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(IAID.OutboundRateLimitExceeded.selector, ARB, 1e18, 0));
        vm.prank(alice);
        fresh.send{value: fee.nativeFee}(p, fee, alice);
        assertEq(fresh.balanceOf(alice), 10e18);
    }

    /// @dev Receiving on an unconfigured inbound pathway has zero capacity too: the message waits at the endpoint.
    function test_receive_heldWhen_inboundPathwayUnconfigured() public {
        AID fresh = _deployAid(ARB);
        vm.prank(admin);
        fresh.setPeer(ETH, addressToBytes32(address(aids[ETH])));
        vm.prank(admin);
        aids[ETH].setPeer(ARB, addressToBytes32(address(fresh)));
        aids[ARB] = fresh;

        _send(ETH, alice, ARB, bob, 1e18);
        bytes memory packet = _verifyOnly(ARB);
        vm.expectRevert(abi.encodeWithSelector(IAID.InboundRateLimitExceeded.selector, ETH, 1e18, 0));
        _execute(packet);
        assertEq(_heldPayloadHash(ARB, packet), _payloadHash(packet), "still retryable");

        vm.prank(admin);
        fresh.setRateLimit(ETH, false, LIMIT, WINDOW);
        _execute(packet);
        assertEq(fresh.balanceOf(bob), 1e18);
    }

    function test_receive_inboundLimitExceeded_heldThenRetriedOnce() public {
        vm.prank(admin);
        aids[ARB].setRateLimit(ETH, false, 100e18, 1 hours);
        _send(ETH, alice, ARB, bob, 80e18);
        _deliver(ARB);
        _send(ETH, alice, ARB, bob, 50e18);
        assertEq(_totalSupplyAllChains(), MINTED - 50e18, "in flight");

        bytes memory packet = _verifyOnly(ARB);
        vm.expectRevert(abi.encodeWithSelector(IAID.InboundRateLimitExceeded.selector, ETH, 50e18, 20e18));
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 80e18);
        assertEq(_heldPayloadHash(ARB, packet), _payloadHash(packet), "the endpoint keeps the message");

        // 30 minutes later 50e18 has decayed: the retry fits
        vm.warp(block.timestamp + 30 minutes);
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 130e18);
        assertEq(_totalSupplyAllChains(), MINTED);
        assertEq(_heldPayloadHash(ARB, packet), bytes32(0));

        // delivered exactly once
        vm.expectRevert(
            abi.encodeWithSelector(Errors.LZ_PayloadHashNotFound.selector, bytes32(0), _payloadHash(packet))
        );
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 130e18);
    }

    // ================================================================ deny list

    function test_send_revertsWhen_senderDenied() public {
        _deny(ETH, alice);
        SendParam memory p = _param(ARB, bob, 1e18, 0);
        MessagingFee memory fee = aids[ETH].quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, alice));
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(p, fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED);
        assertEq(_available(ETH, ARB, true), LIMIT);
    }

    /// @dev A recipient deny-listed on the source chain is refused before anything moves.
    function test_send_revertsWhen_recipientDeniedOnSource() public {
        _deny(ETH, bob);
        SendParam memory p = _param(ARB, bob, 1e18, 0);
        MessagingFee memory fee = aids[ETH].quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(abi.encodeWithSelector(RestrictedERC20.AccountDenied.selector, bob));
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(p, fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED);
    }

    function test_receive_deniedRecipientEscrowedThenReleasedToClearedOwner() public {
        _deny(ARB, bob); // listed on Arbitrum only: the source lets the message go
        (MessagingReceipt memory msgReceipt,) = _send(ETH, alice, ARB, bob, 7e18);

        vm.expectEmit(address(aids[ARB]));
        emit IAID.Escrowed(bob, ETH, 7e18);
        vm.expectEmit(address(aids[ARB]));
        emit IOFT.OFTReceived(msgReceipt.guid, ETH, bob, 0);
        this.deliverExternal(ARB);

        AID arb = aids[ARB];
        assertEq(arb.balanceOf(bob), 0);
        assertEq(arb.escrowOf(bob), 7e18);
        assertEq(arb.totalEscrowed(), 7e18);
        assertEq(arb.balanceOf(address(arb)), 7e18);
        assertEq(_totalSupplyAllChains(), MINTED, "nothing lost");

        vm.prank(denylistManager);
        arb.setDenied(bob, false);
        vm.prank(admin);
        arb.releaseEscrow(bob, bob);
        assertEq(arb.balanceOf(bob), 7e18);
        assertEq(arb.escrowOf(bob), 0);
        assertEq(arb.totalEscrowed(), 0);
        assertEq(arb.balanceOf(address(arb)), 0);
        assertEq(_totalSupplyAllChains(), MINTED);
    }

    function test_receive_deniedRecipientEscrowedThenReleasedToCourtOrder() public {
        _deny(ARB, bob);
        _send(ETH, alice, ARB, bob, 7e18);
        _deliver(ARB);
        vm.prank(admin);
        aids[ARB].releaseEscrow(bob, courtOrdered);
        assertEq(aids[ARB].balanceOf(courtOrdered), 7e18);
        assertEq(aids[ARB].balanceOf(bob), 0);
        assertTrue(aids[ARB].isDenied(bob));
        assertEq(_totalSupplyAllChains(), MINTED);
    }

    /// @dev Deny-listing between send and delivery: the in-flight credit is escrowed, not reverted.
    function test_receive_recipientDeniedInFlight_escrowed() public {
        _send(ETH, alice, ARB, bob, 7e18);
        _deny(ARB, bob);
        _deliver(ARB);
        assertEq(aids[ARB].escrowOf(bob), 7e18);
        assertEq(aids[ARB].balanceOf(bob), 0);
    }

    function _composeParam(uint32 dst, address to, uint256 amountLD, bytes memory composeMsg)
        internal
        pure
        returns (SendParam memory p)
    {
        bytes memory opts = OptionsBuilder.newOptions().addExecutorLzReceiveOption(RECEIVE_GAS, 0)
            .addExecutorLzComposeOption(0, RECEIVE_GAS, 0);
        p = SendParam(dst, addressToBytes32(to), amountLD, 0, opts, composeMsg, "");
    }

    function test_receive_composeToDeniedRecipientNotForwarded() public {
        _deny(ARB, bob);
        bytes memory composeMsg = abi.encode("stake");
        (MessagingReceipt memory msgReceipt,) = _sendParam(ETH, alice, _composeParam(ARB, bob, 7e18, composeMsg));
        _deliver(ARB);
        assertEq(aids[ARB].escrowOf(bob), 7e18);
        assertEq(_endpoint(ARB).composeQueue(address(aids[ARB]), bob, msgReceipt.guid, 0), bytes32(0));
    }

    function test_receive_composeToCleanRecipientForwarded() public {
        bytes memory composeMsg = abi.encode("stake");
        (MessagingReceipt memory msgReceipt,) = _sendParam(ETH, alice, _composeParam(ARB, bob, 7e18, composeMsg));
        _deliver(ARB);
        bytes memory expected = OFTComposeMsgCodec.encode(
            msgReceipt.nonce, ETH, 7e18, abi.encodePacked(addressToBytes32(alice), composeMsg)
        );
        assertEq(aids[ARB].balanceOf(bob), 7e18);
        assertEq(_endpoint(ARB).composeQueue(address(aids[ARB]), bob, msgReceipt.guid, 0), keccak256(expected));
    }

    /// @dev A zero-amount (all dust) composed message to a clean recipient is still forwarded, as in OFTCore.
    function test_receive_composeWithZeroAmountForwarded() public {
        bytes memory composeMsg = abi.encode("ping");
        (MessagingReceipt memory msgReceipt, OFTReceipt memory receipt) =
            _sendParam(ETH, alice, _composeParam(ARB, bob, DUST_UNIT - 1, composeMsg));
        assertEq(receipt.amountSentLD, 0);
        _deliver(ARB);
        bytes memory expected =
            OFTComposeMsgCodec.encode(msgReceipt.nonce, ETH, 0, abi.encodePacked(addressToBytes32(alice), composeMsg));
        assertEq(_endpoint(ARB).composeQueue(address(aids[ARB]), bob, msgReceipt.guid, 0), keccak256(expected));
        assertEq(aids[ETH].balanceOf(alice), MINTED);
    }

    // ================================================================ pause

    function test_send_revertsWhen_sourcePaused() public {
        vm.prank(gatekeeper);
        aids[ETH].pause();
        SendParam memory p = _param(ARB, bob, 1e18, 0);
        MessagingFee memory fee = aids[ETH].quoteSend(p, false);
        vm.deal(alice, fee.nativeFee);
        vm.expectRevert(IAID.EnforcedPause.selector);
        vm.prank(alice);
        aids[ETH].send{value: fee.nativeFee}(p, fee, alice);
        assertEq(aids[ETH].balanceOf(alice), MINTED);
        assertEq(_available(ETH, ARB, true), LIMIT);
    }

    function test_receive_destinationPaused_heldThenDeliveredOnceAfterUnpause() public {
        _send(ETH, alice, ARB, bob, 9e18);
        vm.prank(gatekeeper);
        aids[ARB].pause();

        bytes memory packet = _verifyOnly(ARB);
        vm.expectRevert(IAID.EnforcedPause.selector);
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 0);
        assertEq(_available(ARB, ETH, false), LIMIT, "nothing counted");
        assertEq(_heldPayloadHash(ARB, packet), _payloadHash(packet), "the endpoint keeps the message");

        vm.prank(admin);
        aids[ARB].unpause();
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 9e18);
        assertEq(_totalSupplyAllChains(), MINTED);

        vm.expectRevert(
            abi.encodeWithSelector(Errors.LZ_PayloadHashNotFound.selector, bytes32(0), _payloadHash(packet))
        );
        _execute(packet);
        assertEq(aids[ARB].balanceOf(bob), 9e18);
    }

    /// @dev The same through the helper's own relayer: a paused destination makes delivery revert; after unpause it
    ///      goes through.
    function test_receive_destinationPaused_verifyPacketsAfterUnpause() public {
        _send(ETH, alice, ARB, bob, 9e18);
        vm.prank(gatekeeper);
        aids[ARB].pause();
        vm.expectRevert(IAID.EnforcedPause.selector);
        this.deliverExternal(ARB);
        assertTrue(hasPendingPackets(uint16(ARB), addressToBytes32(address(aids[ARB]))));

        vm.prank(admin);
        aids[ARB].unpause();
        _deliver(ARB);
        assertEq(aids[ARB].balanceOf(bob), 9e18);
        assertFalse(hasPendingPackets(uint16(ARB), addressToBytes32(address(aids[ARB]))));
    }

    // ================================================================ supply conservation

    /// @dev Many random sends between random holders on random chains: the sum of the three supplies equals what the
    ///      home chain minted once every message is delivered, and what is in flight in between.
    /// forge-config: default.fuzz.runs = 64
    /// forge-config: ci.fuzz.runs = 256
    function testFuzz_send_supplyConservedAcrossChains(uint256 seed) public {
        address[3] memory holders = [alice, bob, carol];
        for (uint256 step = 0; step < 8; step++) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint32 src = uint32(r % N_CHAINS) + 1;
            uint32 dst = uint32((r >> 8) % (N_CHAINS - 1)) + 1;
            if (dst >= src) dst++;
            address from = holders[(r >> 16) % 3];
            address to = holders[(r >> 24) % 3];
            uint256 balance = aids[src].balanceOf(from);
            uint256 amount = bound(r >> 32, 0, balance);

            (, OFTReceipt memory receipt) = _send(src, from, dst, to, amount);
            assertEq(aids[src].balanceOf(from), balance - receipt.amountSentLD);
            assertEq(_totalSupplyAllChains(), MINTED - receipt.amountSentLD, "in flight");
            uint256 before = aids[dst].balanceOf(to);
            _deliver(dst);
            assertEq(aids[dst].balanceOf(to), before + receipt.amountReceivedLD);
            assertEq(_totalSupplyAllChains(), MINTED);
        }
        uint256 sumOfBalances;
        for (uint32 eid = 1; eid <= N_CHAINS; eid++) {
            for (uint256 i = 0; i < 3; i++) {
                sumOfBalances += aids[eid].balanceOf(holders[i]);
            }
        }
        assertEq(sumOfBalances, MINTED);
    }
}
