// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {LzConfig} from "../../script/lib/LzConfig.sol";
import {GAIB} from "../../src/token/GAIB.sol";
import {GAIBAdapter} from "../../src/token/GAIBAdapter.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {CrossChainBase} from "./CrossChainBase.sol";
import {ReceiveUlnBase} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/ReceiveUlnBase.sol";
import {UlnConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/UlnBase.sol";
import {SetConfigParam} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/IMessageLibManager.sol";
import {PacketV1Codec} from "@layerzerolabs/lz-evm-protocol-v2/contracts/messagelib/libs/PacketV1Codec.sol";
import {ReceiveUln302Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/ReceiveUln302Mock.sol";
import {DoubleEndedQueue} from "@openzeppelin/contracts/utils/structs/DoubleEndedQueue.sol";
import {Vm} from "forge-std/Test.sol";

/// @notice Issue 11, LayerZero security configuration, against LayerZero's ULN302 libraries (TestHelperOz5): after the
///         production wiring ({LzConfig}, what 02_WireOFT and 03_DeployGaib run) with two required DVNs per chain, a
///         GAIB message verified by one DVN only is not deliverable, with both it is; the receive side waits for the
///         SOURCE chain's confirmations in both directions; a re-run writes nothing and a drifted pathway is restored
///         with one write. Chains: the GAIB adapter on ETH (15 confirmations), the GAIB OFT on ARB (20 confirmations).
contract UlnSecurityTest is CrossChainBase {
    using PacketV1Codec for bytes;
    using DoubleEndedQueue for DoubleEndedQueue.Bytes32Deque;

    uint64 internal constant ETH_CONFIRMATIONS = 15; // [blocks]
    uint64 internal constant ARB_CONFIRMATIONS = 20; // [blocks]
    uint256 internal constant AMOUNT = 1000e18; // [wad]
    uint64 internal constant DEFAULT_CONFIRMATIONS = 100; // [blocks] TestHelperOz5's default ULN config

    address internal treasury = makeAddr("treasury");
    address internal bob = makeAddr("bob");

    GAIB internal gaib;
    GAIBAdapter internal adapter;
    GAIBOFT internal remote;
    address[] internal oapps;
    LzConfig.Security[] internal sec;

    function setUp() public override {
        _setUpChains(2);
        vm.startPrank(admin);
        GaibDeployer.Home memory h = GaibDeployer.deployHome(new Create3Factory(), endpoints[ETH], admin, treasury);
        remote = GaibDeployer.deployRemote(new Create3Factory(), endpoints[ARB], admin);
        vm.stopPrank();
        (gaib, adapter) = (h.gaib, h.adapter);
        oapps.push(address(adapter));
        oapps.push(address(remote));
        sec.push(_security(ETH, ETH_CONFIRMATIONS, _twoDVNs()));
        sec.push(_security(ARB, ARB_CONFIRMATIONS, _twoDVNs()));
        assertGt(_wireSecurity(oapps, sec), 0, "first wiring writes");
        _wireMesh(oapps);
    }

    // ---------------------------------------------------------------- helpers

    /// @dev Sends `AMOUNT` to bob from `src` and takes the packet out of the helper's queue (undelivered).
    function _sendPacket(uint32 src) internal returns (bytes memory packet) {
        uint32 dst = src == ETH ? ARB : ETH;
        address from = src == ETH ? treasury : bob;
        if (src == ETH) {
            vm.prank(treasury);
            gaib.approve(address(adapter), AMOUNT);
        }
        _quoteAndSend(oapps[src - 1], from, _param(dst, bob, AMOUNT, AMOUNT));
        bytes32 guid = packetsQueue[dst][addressToBytes32(oapps[dst - 1])].popBack();
        packet = packets[guid];
    }

    function split(bytes calldata packet) external pure returns (bytes memory header, bytes32 payloadHash) {
        return (packet.header(), packet.payloadHash());
    }

    function _receiveLib(uint32 dst) internal view returns (ReceiveUln302Mock) {
        return ReceiveUln302Mock(sec[dst - 1].receiveLib);
    }

    /// @dev `dvn` attests `packet` on its destination chain after `confirmations` source blocks.
    function _verifyAs(address dvn, bytes memory packet, uint64 confirmations) internal {
        (bytes memory header, bytes32 payloadHash) = this.split(packet);
        vm.prank(dvn);
        _receiveLib(PacketV1CodecView.dstEid(packet)).verify(header, payloadHash, confirmations);
    }

    /// @dev Whether the destination's ULN302 would let `packet` be committed, under the receiver's effective config.
    function _verifiable(bytes memory packet) internal view returns (bool) {
        (bytes memory header, bytes32 payloadHash) = this.split(packet);
        uint32 dst = PacketV1CodecView.dstEid(packet);
        uint32 src = dst == ETH ? ARB : ETH;
        ReceiveUln302Mock lib = _receiveLib(dst);
        return lib.verifiable(lib.getUlnConfig(oapps[dst - 1], src), keccak256(header), payloadHash);
    }

    /// @dev Commits the verification at the destination endpoint and executes the message (the executor's job).
    function _commitAndExecute(bytes memory packet) internal {
        (bytes memory header, bytes32 payloadHash) = this.split(packet);
        _receiveLib(PacketV1CodecView.dstEid(packet)).commitVerification(header, payloadHash);
        this.lzReceive(packet, options);
    }

    function commitExternal(bytes memory packet) external {
        (bytes memory header, bytes32 payloadHash) = this.split(packet);
        _receiveLib(PacketV1CodecView.dstEid(packet)).commitVerification(header, payloadHash);
    }

    function _uln(uint32 eid, address lib, uint32 peer) internal view returns (UlnConfig memory) {
        return abi.decode(_endpoint(eid).getConfig(oapps[eid - 1], lib, peer, LzConfig.CONFIG_TYPE_ULN), (UlnConfig));
    }

    // ---------------------------------------------------------------- (a) two required DVNs

    /// @notice One of the two required DVNs, plus the DVN of LayerZero's default config (which alone delivers under
    ///         the default: without the wiring this test fails), is not enough: the packet is not verifiable,
    ///         committing it reverts `LZ_ULN_Verifying`, nothing is minted.
    function test_uln_oneDvnOfTwoNotDeliverable() public {
        bytes memory packet = _sendPacket(ETH);
        address defaultDvn = _receiveLib(ARB).getAppUlnConfig(address(0), ETH).requiredDVNs[0];
        _verifyAs(sec[1].requiredDVNs[0], packet, DEFAULT_CONFIRMATIONS);
        _verifyAs(defaultDvn, packet, DEFAULT_CONFIRMATIONS);
        assertFalse(_verifiable(packet), "one required DVN of two");
        vm.expectRevert(ReceiveUlnBase.LZ_ULN_Verifying.selector);
        this.commitExternal(packet);
        assertEq(remote.balanceOf(bob), 0, "nothing minted");
        // the same holds for the other DVN alone
        bytes memory second = _sendPacket(ETH);
        _verifyAs(sec[1].requiredDVNs[1], second, ETH_CONFIRMATIONS);
        assertFalse(_verifiable(second), "the other required DVN alone");
    }

    /// @notice Both required DVNs verify: the packet is committed and delivered.
    function test_uln_bothDvnsDeliver() public {
        bytes memory packet = _sendPacket(ETH);
        _verifyAs(sec[1].requiredDVNs[0], packet, ETH_CONFIRMATIONS);
        _verifyAs(sec[1].requiredDVNs[1], packet, ETH_CONFIRMATIONS);
        assertTrue(_verifiable(packet), "both required DVNs");
        _commitAndExecute(packet);
        assertEq(remote.balanceOf(bob), AMOUNT, "delivered");
        assertEq(gaib.balanceOf(address(adapter)), AMOUNT, "locked at home");
    }

    /// @notice The source chain's DVNs get the job: ULN302 assigns it to both configured DVNs on the send side.
    function test_uln_sendSideAssignsBothDvns() public {
        _sendPacket(ETH);
        assertEq(IJobs(sec[0].requiredDVNs[0]).jobs(), 1, "DVN 1 assigned");
        assertEq(IJobs(sec[0].requiredDVNs[1]).jobs(), 1, "DVN 2 assigned");
    }

    // ---------------------------------------------------------------- (b) re-run

    /// @notice Re-running the wiring sends no transaction and emits nothing.
    function test_uln_rerunWritesNothing() public {
        vm.recordLogs();
        assertEq(_wireSecurity(oapps, sec), 0, "no write");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 0, "no config event");
        for (uint256 i; i < 2; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            uint32 peer = i == 0 ? ARB : ETH;
            assertTrue(LzConfig.matches(endpoints[uint32(i + 1)], oapps[i], sec[i], peer, sec[1 - i].confirmations));
        }
    }

    /// @notice A pathway whose receive config drifted (one DVN) is restored with exactly one write.
    function test_uln_rerunRestoresDriftedPathwayOnly() public {
        address[] memory one = new address[](1);
        one[0] = sec[1].requiredDVNs[0];
        SetConfigParam[] memory p = new SetConfigParam[](1);
        p[0] = SetConfigParam(ETH, LzConfig.CONFIG_TYPE_ULN, abi.encode(UlnConfig(1, 1, 255, 0, one, new address[](0))));
        vm.prank(admin);
        _endpoint(ARB).setConfig(address(remote), sec[1].receiveLib, p);
        assertFalse(LzConfig.matches(endpoints[ARB], address(remote), sec[1], ETH, ETH_CONFIRMATIONS), "drifted");

        assertEq(_wireSecurity(oapps, sec), 1, "one write");
        assertTrue(LzConfig.matches(endpoints[ARB], address(remote), sec[1], ETH, ETH_CONFIRMATIONS), "restored");
    }

    // ---------------------------------------------------------------- (d) both directions, source confirmations

    /// @notice Each side sends with its own confirmations and receives with the source chain's, in both directions.
    function test_uln_receiveConfirmationsAreSourceChains() public view {
        assertEq(_uln(ETH, sec[0].sendLib, ARB).confirmations, ETH_CONFIRMATIONS, "ETH -> ARB send");
        assertEq(_uln(ARB, sec[1].receiveLib, ETH).confirmations, ETH_CONFIRMATIONS, "ETH -> ARB receive");
        assertEq(_uln(ARB, sec[1].sendLib, ETH).confirmations, ARB_CONFIRMATIONS, "ARB -> ETH send");
        assertEq(_uln(ETH, sec[0].receiveLib, ARB).confirmations, ARB_CONFIRMATIONS, "ARB -> ETH receive");
        UlnConfig memory u = _uln(ARB, sec[1].receiveLib, ETH);
        assertEq(u.requiredDVNCount, 2, "two required DVNs");
        assertEq(u.requiredDVNs, sec[1].requiredDVNs, "the receiving chain's DVNs");
        assertEq(u.optionalDVNCount, 0, "no optional DVNs (not LayerZero's defaults)");
    }

    /// @notice Both DVNs attesting fewer blocks than the source chain's confirmations do not make a packet verifiable;
    ///         at the source chain's confirmations it is delivered. Both directions of the pathway.
    function test_uln_bothDirectionsNeedSourceConfirmations() public {
        bytes memory toArb = _sendPacket(ETH);
        _verifyAs(sec[1].requiredDVNs[0], toArb, ETH_CONFIRMATIONS - 1);
        _verifyAs(sec[1].requiredDVNs[1], toArb, ETH_CONFIRMATIONS - 1);
        assertFalse(_verifiable(toArb), "ETH -> ARB below Ethereum's confirmations");
        _verifyAs(sec[1].requiredDVNs[0], toArb, ETH_CONFIRMATIONS);
        _verifyAs(sec[1].requiredDVNs[1], toArb, ETH_CONFIRMATIONS);
        _commitAndExecute(toArb);
        assertEq(remote.balanceOf(bob), AMOUNT, "ETH -> ARB delivered");

        bytes memory toEth = _sendPacket(ARB);
        _verifyAs(sec[0].requiredDVNs[0], toEth, ARB_CONFIRMATIONS - 1);
        _verifyAs(sec[0].requiredDVNs[1], toEth, ARB_CONFIRMATIONS - 1);
        assertFalse(_verifiable(toEth), "ARB -> ETH below Arbitrum's confirmations");
        _verifyAs(sec[0].requiredDVNs[0], toEth, ARB_CONFIRMATIONS);
        assertFalse(_verifiable(toEth), "ARB -> ETH one DVN of two");
        _verifyAs(sec[0].requiredDVNs[1], toEth, ARB_CONFIRMATIONS);
        _commitAndExecute(toEth);
        assertEq(gaib.balanceOf(bob), AMOUNT, "ARB -> ETH released");
        assertEq(remote.balanceOf(bob), 0, "burnt on ARB");
    }
}

interface IJobs {
    function jobs() external view returns (uint256);
}

/// @dev The destination eid of an encoded packet held in memory (PacketV1Codec reads calldata).
library PacketV1CodecView {
    function dstEid(bytes memory packet) internal pure returns (uint32 eid) {
        // header: version (1) | nonce (8) | srcEid (4) | sender (32) | dstEid (4)
        assembly ("memory-safe") {
            eid := shr(224, mload(add(add(packet, 32), 45)))
        }
    }
}
