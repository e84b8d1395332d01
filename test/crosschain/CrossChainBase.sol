// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LzConfig} from "../../script/lib/LzConfig.sol";
import {StubDVN} from "../mocks/StubDVN.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {
    IOFT,
    MessagingFee,
    MessagingReceipt,
    OFTReceipt,
    SendParam
} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {TestHelperOz5} from "@layerzerolabs/test-devtools-evm-foundry/contracts/TestHelperOz5.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";

/// @notice The shared LayerZero setup of the cross-chain suites: TestHelperOz5 endpoints with LayerZero's ULN302
///         libraries, DVN and executor mocks (eids 1..n: ETH = 1, ARB = 2, PLUME = 3 here; 30101, 30110 and 30370 in
///         production), an `admin` that owns every OApp, the enforced-gas executor option, peers wired both ways,
///         quoted sends, delivery, and the production LayerZero security wiring ({LzConfig}) with two DVNs per chain.
abstract contract CrossChainBase is TestHelperOz5 {
    using OptionsBuilder for bytes;

    uint32 internal constant ETH = 1;
    uint32 internal constant ARB = 2;
    uint32 internal constant PLUME = 3;
    uint256 internal constant DUST_UNIT = 1e12; // 18 local - 6 shared decimals
    uint128 internal constant RECEIVE_GAS = 200_000; // [gas] executor lzReceive option of every send
    uint32 internal constant MAX_MESSAGE_SIZE = 10_000; // [bytes]

    address internal admin = makeAddr("admin");
    bytes internal options;

    /// @dev `n` endpoints with ULN302 message libraries (TestHelperOz5 defaults: one DVN, 100 confirmations).
    function _setUpChains(uint8 n) internal {
        TestHelperOz5.setUp();
        setUpEndpoints(n, LibraryType.UltraLightNode);
        options = OptionsBuilder.newOptions().addExecutorLzReceiveOption(RECEIVE_GAS, 0);
    }

    function _endpoint(uint32 eid) internal view returns (EndpointV2Mock) {
        return EndpointV2Mock(payable(endpoints[eid]));
    }

    /// @dev Peers every OApp with every other, both ways (`oapps[i]` lives on eid i + 1), as `admin`.
    function _wireMesh(address[] memory oapps) internal {
        vm.startPrank(admin);
        for (uint256 i; i < oapps.length; ++i) {
            for (uint256 j; j < oapps.length; ++j) {
                // forge-lint: disable-next-line(unsafe-typecast)
                if (i != j) IOFTPeer(oapps[i]).setPeer(uint32(j + 1), addressToBytes32(oapps[j]));
            }
        }
        vm.stopPrank();
    }

    function _param(uint32 dst, address to, uint256 amountLD, uint256 minAmountLD)
        internal
        view
        returns (SendParam memory)
    {
        return SendParam(dst, addressToBytes32(to), amountLD, minAmountLD, options, "", "");
    }

    /// @dev Quotes `p` on `oft` and sends it from `from`, paying the native fee (approvals are the caller's).
    function _quoteAndSend(address oft, address from, SendParam memory p)
        internal
        returns (MessagingReceipt memory msgReceipt, OFTReceipt memory oftReceipt)
    {
        MessagingFee memory fee = IOFT(oft).quoteSend(p, false);
        vm.deal(from, fee.nativeFee);
        vm.prank(from);
        return IOFT(oft).send{value: fee.nativeFee}(p, fee, from);
    }

    /// @dev Verifies (with the helper's single DVN) and executes every packet queued for `oapp` on `dst`.
    function _deliverTo(uint32 dst, address oapp) internal {
        verifyPackets(dst, addressToBytes32(oapp));
    }

    // ---------------------------------------------------------------- LayerZero security ({LzConfig})

    /// @dev Two fresh DVNs, sorted ascending as ULN302 requires.
    function _twoDVNs() internal returns (address[] memory dvns) {
        dvns = new address[](2);
        (address a, address b) = (address(new StubDVN()), address(new StubDVN()));
        (dvns[0], dvns[1]) = a < b ? (a, b) : (b, a);
    }

    /// @dev Chain `eid`'s `layerzero` config: its ULN302 libraries and executor (the helper's), `confirmations`
    ///      [blocks] and `dvns` required.
    function _security(uint32 eid, uint64 confirmations, address[] memory dvns)
        internal
        view
        returns (LzConfig.Security memory s)
    {
        s.sendLib = endpointSetup.sendLibs[eid - 1];
        s.receiveLib = endpointSetup.receiveLibs[eid - 1];
        // the helper's executor of this chain (its default executor config toward any other eid)
        (, s.executor) = IUlnDefaults(s.sendLib).executorConfigs(address(0), eid == ETH ? ARB : ETH);
        s.maxMessageSize = MAX_MESSAGE_SIZE;
        s.confirmations = confirmations;
        s.requiredDVNs = dvns;
        s.minRequiredDVNs = LzConfig.MIN_REQUIRED_DVNS;
    }

    /// @dev Runs the production wiring ({LzConfig.wire}) as `admin` for `oapps[i]` on eid i + 1 with `sec[i]`, each
    ///      pathway's receive side taking the peer's confirmations; returns the endpoint writes sent.
    function _wireSecurity(address[] memory oapps, LzConfig.Security[] memory sec) internal returns (uint256 writes) {
        vm.startPrank(admin);
        for (uint256 i; i < oapps.length; ++i) {
            uint32[] memory peers = new uint32[](oapps.length - 1);
            uint64[] memory peerConf = new uint64[](oapps.length - 1);
            uint256 k;
            for (uint256 j; j < oapps.length; ++j) {
                if (i == j) continue;
                // forge-lint: disable-next-line(unsafe-typecast)
                peers[k] = uint32(j + 1);
                peerConf[k++] = sec[j].confirmations;
            }
            writes += LzConfig.wire(endpoints[uint32(i + 1)], oapps[i], sec[i], peers, peerConf);
        }
        vm.stopPrank();
    }
}

interface IOFTPeer {
    function setPeer(uint32 eid, bytes32 peer) external;
}

interface IUlnDefaults {
    function executorConfigs(address oapp, uint32 eid) external view returns (uint32 maxMessageSize, address executor);
}
