// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {AID} from "../../src/token/AID.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {BareOFT} from "../mocks/BareOFT.sol";
import {Origin} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {PacketV1Codec} from "@layerzerolabs/lz-evm-protocol-v2/contracts/messagelib/libs/PacketV1Codec.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {IOFT, MessagingFee, SendParam} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {TestHelperOz5} from "@layerzerolabs/test-devtools-evm-foundry/contracts/TestHelperOz5.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {DoubleEndedQueue} from "@openzeppelin/contracts/utils/structs/DoubleEndedQueue.sol";
import {console2} from "forge-std/console2.sol";

/// @notice Gas of AID's OFT send and receive against a bare LayerZero OFT on the same endpoints, in the same run.
///         The endpoint mocks run the real ULN send library (fees, DVN and executor jobs) plus the helper's packet
///         bookkeeping, so absolute numbers are above mainnet's; the difference to the bare OFT is AID's own cost.
///         Run with `--isolate`, so each measured call is its own transaction.
/// @dev Endpoint ids are TestHelperOz5's 1 (Ethereum) and 2 (Arbitrum); see test/crosschain/AIDCrossChain.t.sol.
contract OFTGasTest is TestHelperOz5 {
    using OptionsBuilder for bytes;
    using PacketV1Codec for bytes;
    using DoubleEndedQueue for DoubleEndedQueue.Bytes32Deque;

    uint32 internal constant ETH = 1;
    uint32 internal constant ARB = 2;
    uint96 internal constant LIMIT = 5_000_000e18;
    uint24 internal constant WINDOW = 1 days;
    uint256 internal constant AMOUNT = 100e18;
    /// @dev AID's extra work per send: the pause flag and the recipient's deny flag (a cold read each) and the
    ///      outbound rate-limit word (a cold read and write), ~9.2k; per receive: the pause flag and the inbound
    ///      rate-limit word, ~7.1k. Budgets: that plus dispatch and arithmetic.
    uint256 internal constant SEND_OVERHEAD_BUDGET = 14_000;
    uint256 internal constant RECEIVE_OVERHEAD_BUDGET = 12_000;

    address internal admin = makeAddr("admin");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    AID internal aidEth;
    AID internal aidArb;
    BareOFT internal bareEth;
    BareOFT internal bareArb;
    bytes internal options;

    function setUp() public override {
        vm.warp(1_750_000_000);
        super.setUp();
        setUpEndpoints(2, LibraryType.UltraLightNode);
        options = OptionsBuilder.newOptions().addExecutorLzReceiveOption(200_000, 0);

        aidEth = _deployAid(ETH);
        aidArb = _deployAid(ARB);
        vm.startPrank(admin);
        aidEth.setPeer(ARB, addressToBytes32(address(aidArb)));
        aidArb.setPeer(ETH, addressToBytes32(address(aidEth)));
        aidEth.setRateLimit(ARB, true, LIMIT, WINDOW);
        aidArb.setRateLimit(ETH, false, LIMIT, WINDOW);
        aidEth.grantRole(aidEth.MINTER_ROLE(), admin);
        aidEth.mint(alice, 1000e18);

        bareEth = new BareOFT(endpoints[ETH], admin);
        bareArb = new BareOFT(endpoints[ARB], admin);
        bareEth.setPeer(ARB, addressToBytes32(address(bareArb)));
        bareArb.setPeer(ETH, addressToBytes32(address(bareEth)));
        bareEth.mint(alice, 1000e18);
        vm.stopPrank();
        vm.deal(alice, 1 ether);
    }

    function _deployAid(uint32 eid) internal returns (AID a) {
        Create3Factory factory = new Create3Factory();
        vm.prank(admin);
        a = CoreDeployer.deployAID(factory, endpoints[eid], admin);
    }

    /// @dev Alice sends AMOUNT to bob on Arbitrum; the `send` call is the last call made.
    function _send(IOFT oft) internal {
        SendParam memory p = SendParam(ARB, addressToBytes32(bob), AMOUNT, AMOUNT, options, "", "");
        MessagingFee memory fee = oft.quoteSend(p, false);
        vm.prank(alice);
        oft.send{value: fee.nativeFee}(p, fee, alice);
    }

    /// @dev Verifies the next packet for `dstOft`, then executes it with a top-level endpoint call (the last call).
    function _receive(address dstOft) internal {
        bytes memory packet = packets[packetsQueue[ARB][addressToBytes32(dstOft)].popBack()];
        this.validatePacket(packet, "");
        (Origin memory origin, bytes32 guid, bytes memory message) = this.decode(packet);
        EndpointV2Mock(payable(endpoints[ARB])).lzReceive(origin, dstOft, guid, message, "");
    }

    function decode(bytes calldata packet)
        external
        pure
        returns (Origin memory origin, bytes32 guid, bytes memory message)
    {
        return (Origin(packet.srcEid(), packet.sender(), packet.nonce()), packet.guid(), packet.message());
    }

    /// @dev Steady state: one full round trip on each pathway first, so endpoint nonces, worker fee balances and both
    ///      holders' balances are already non-zero, as on a live pathway.
    function _warmUp() internal {
        _send(IOFT(address(bareEth)));
        _send(IOFT(address(aidEth)));
        _receive(address(bareArb));
        _receive(address(aidArb));
    }

    function test_gas_oftSend_vsBareOFT() public {
        _warmUp();
        _send(IOFT(address(bareEth)));
        uint256 bare = vm.snapshotGasLastCall("oft_send_bareOFT");
        _send(IOFT(address(aidEth)));
        uint256 ours = vm.snapshotGasLastCall("oft_send_AID");
        console2.log("AID OFT send %d gas vs bare OFT %d gas (+%d)", ours, bare, ours - bare);
        assertEq(aidEth.balanceOf(alice), 1000e18 - 2 * AMOUNT);
        assertEq(IERC20(address(bareEth)).balanceOf(alice), 1000e18 - 2 * AMOUNT);
        assertLt(ours, bare + SEND_OVERHEAD_BUDGET, "AID OFT send overhead over budget");
    }

    function test_gas_oftReceive_vsBareOFT() public {
        _warmUp();
        _send(IOFT(address(bareEth)));
        _send(IOFT(address(aidEth)));
        _receive(address(bareArb));
        uint256 bare = vm.snapshotGasLastCall("oft_receive_bareOFT");
        _receive(address(aidArb));
        uint256 ours = vm.snapshotGasLastCall("oft_receive_AID");
        console2.log("AID OFT receive %d gas vs bare OFT %d gas (+%d)", ours, bare, ours - bare);
        assertEq(aidArb.balanceOf(bob), 2 * AMOUNT);
        assertEq(IERC20(address(bareArb)).balanceOf(bob), 2 * AMOUNT);
        assertLt(ours, bare + RECEIVE_OVERHEAD_BUDGET, "AID OFT receive overhead over budget");
    }
}
