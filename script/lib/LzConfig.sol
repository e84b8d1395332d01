// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ExecutorConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/SendLibBase.sol";
import {UlnConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/UlnBase.sol";
import {ILayerZeroEndpointV2} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {SetConfigParam} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/IMessageLibManager.sol";

/// @notice The OApp-specific (not default-merged) configs a ULN302 library stores.
interface IUln302Config {
    function getAppUlnConfig(address oapp, uint32 remoteEid) external view returns (UlnConfig memory);
    function executorConfigs(address oapp, uint32 remoteEid)
        external
        view
        returns (uint32 maxMessageSize, address executor);
}

/// @title LzConfig
/// @notice The LayerZero security configuration of one OApp on one chain (script/config `layerzero`, schema in
///         script/config/README.md), shared by 02_WireOFT, 03_DeployGaib, the deployment checker and the tests.
///         Per pathway (this chain X, peer Y): the send library and receive library pinned to X's SendUln302 /
///         ReceiveUln302 (never the endpoint default, which LayerZero may change), the send-side executor config
///         (X's executor, max message size) and ULN config (X's confirmations and DVNs), and the receive-side ULN config
///         (Y's confirmations: the source chain's finality; X's DVNs). Read before write: a pathway already configured
///         as wanted gets no transaction.
/// @dev The caller must be the OApp or its endpoint delegate. The ULN config is compared with the OApp's own stored
///      config (`getAppUlnConfig`, `executorConfigs`), so a value that merely equals LayerZero's current default is
///      still written (pinned). An empty optional DVN list is written as `NIL_DVN_COUNT` (255: "none"), because 0
///      means "inherit the default optional DVNs"; the effective config (`endpoint.getConfig`) then reads count 0.
library LzConfig {
    uint32 internal constant CONFIG_TYPE_EXECUTOR = 1;
    uint32 internal constant CONFIG_TYPE_ULN = 2;
    /// @notice ULN302's "no DVNs" count (0 would mean "the default DVNs").
    uint8 internal constant NIL_DVN_COUNT = type(uint8).max;
    /// @notice Policy floor: no config may require fewer DVNs than this.
    uint256 internal constant MIN_REQUIRED_DVNS = 2;

    /// @notice One chain's `layerzero` config object.
    struct Security {
        address sendLib; // SendUln302 on this chain
        address receiveLib; // ReceiveUln302 on this chain
        address executor; // LayerZero executor on this chain
        uint32 maxMessageSize; // [bytes] executor config
        uint64 confirmations; // [blocks] DVNs wait this long for a message sent FROM this chain
        address[] requiredDVNs; // this chain's DVN contracts, strictly ascending
        address[] optionalDVNs; // strictly ascending
        uint8 optionalDVNThreshold;
        uint256 minRequiredDVNs; // policy, >= MIN_REQUIRED_DVNS
    }

    /// @notice Thrown when `layerzero.minRequiredDVNs` is below the policy floor `MIN_REQUIRED_DVNS`.
    error MinRequiredDVNsBelowPolicy(uint256 minRequiredDVNs, uint256 floor);
    /// @notice Thrown when a config names fewer required DVNs than its `minRequiredDVNs`.
    error TooFewRequiredDVNs(uint256 count, uint256 minRequired);
    /// @notice Thrown when a DVN list is not strictly ascending (ULN302 needs it sorted, without duplicates) or holds
    ///         the zero address.
    error DVNsNotSorted();
    /// @notice Thrown when the optional DVN threshold is zero with optional DVNs, or above their count.
    error InvalidOptionalDVNThreshold(uint256 threshold, uint256 count);
    /// @notice Thrown when a library, the executor, the max message size or the confirmations is zero (zero means
    ///         "the default" to ULN302: nothing may silently follow LayerZero's defaults).
    error InvalidLayerZeroField(string field);

    /// @notice Reverts unless `s` is a complete config meeting the DVN policy.
    function validate(Security memory s) internal pure {
        if (s.sendLib == address(0)) revert InvalidLayerZeroField("sendLib");
        if (s.receiveLib == address(0)) revert InvalidLayerZeroField("receiveLib");
        if (s.executor == address(0)) revert InvalidLayerZeroField("executor");
        if (s.maxMessageSize == 0) revert InvalidLayerZeroField("maxMessageSize");
        if (s.confirmations == 0) revert InvalidLayerZeroField("confirmations");
        if (s.minRequiredDVNs < MIN_REQUIRED_DVNS) {
            revert MinRequiredDVNsBelowPolicy(s.minRequiredDVNs, MIN_REQUIRED_DVNS);
        }
        if (s.requiredDVNs.length < s.minRequiredDVNs) {
            revert TooFewRequiredDVNs(s.requiredDVNs.length, s.minRequiredDVNs);
        }
        _assertSorted(s.requiredDVNs);
        _assertSorted(s.optionalDVNs);
        uint256 n = s.optionalDVNs.length;
        if (s.optionalDVNThreshold > n || (n != 0 && s.optionalDVNThreshold == 0)) {
            revert InvalidOptionalDVNThreshold(s.optionalDVNThreshold, n);
        }
    }

    /// @notice Configures every pathway of `oapp` (peer endpoint ids `peers`, each peer's own `confirmations` in
    ///         `peerConfirmations`), writing only what differs.
    /// @return writes The number of endpoint transactions sent (0 on a re-run).
    function wire(
        address endpoint,
        address oapp,
        Security memory s,
        uint32[] memory peers,
        uint64[] memory peerConfirmations
    ) internal returns (uint256 writes) {
        validate(s);
        for (uint256 i; i < peers.length; ++i) {
            writes += wirePathway(ILayerZeroEndpointV2(endpoint), oapp, s, peers[i], peerConfirmations[i]);
        }
    }

    /// @notice One pathway (this chain -> `peer` and `peer` -> this chain) of `oapp`; returns the writes sent.
    function wirePathway(ILayerZeroEndpointV2 e, address oapp, Security memory s, uint32 peer, uint64 peerConfirmations)
        internal
        returns (uint256 writes)
    {
        if (e.isDefaultSendLibrary(oapp, peer) || e.getSendLibrary(oapp, peer) != s.sendLib) {
            e.setSendLibrary(oapp, peer, s.sendLib);
            ++writes;
        }
        (address lib, bool isDefault) = e.getReceiveLibrary(oapp, peer);
        if (isDefault || lib != s.receiveLib) {
            e.setReceiveLibrary(oapp, peer, s.receiveLib, 0);
            ++writes;
        }
        SetConfigParam[] memory send = new SetConfigParam[](2);
        uint256 n;
        (uint32 size, address executor) = IUln302Config(s.sendLib).executorConfigs(oapp, peer);
        if (size != s.maxMessageSize || executor != s.executor) {
            send[n++] =
                SetConfigParam(peer, CONFIG_TYPE_EXECUTOR, abi.encode(ExecutorConfig(s.maxMessageSize, s.executor)));
        }
        UlnConfig memory want = ulnConfig(s, s.confirmations);
        if (!_same(IUln302Config(s.sendLib).getAppUlnConfig(oapp, peer), want)) {
            send[n++] = SetConfigParam(peer, CONFIG_TYPE_ULN, abi.encode(want));
        }
        if (n != 0) {
            assembly ("memory-safe") {
                mstore(send, n)
            }
            e.setConfig(oapp, s.sendLib, send);
            ++writes;
        }
        want = ulnConfig(s, peerConfirmations);
        if (!_same(IUln302Config(s.receiveLib).getAppUlnConfig(oapp, peer), want)) {
            SetConfigParam[] memory recv = new SetConfigParam[](1);
            recv[0] = SetConfigParam(peer, CONFIG_TYPE_ULN, abi.encode(want));
            e.setConfig(oapp, s.receiveLib, recv);
            ++writes;
        }
    }

    /// @notice The ULN config this chain stores for one pathway direction: `confirmations` (this chain's own on the
    ///         send side, the source chain's on the receive side) and this chain's DVNs.
    function ulnConfig(Security memory s, uint64 confirmations) internal pure returns (UlnConfig memory u) {
        u.confirmations = confirmations;
        // forge-lint: disable-next-line(unsafe-typecast)
        u.requiredDVNCount = uint8(s.requiredDVNs.length); // ULN302 caps it at 127
        u.requiredDVNs = s.requiredDVNs;
        // forge-lint: disable-next-line(unsafe-typecast)
        u.optionalDVNCount = s.optionalDVNs.length == 0 ? NIL_DVN_COUNT : uint8(s.optionalDVNs.length);
        u.optionalDVNThreshold = s.optionalDVNThreshold;
        u.optionalDVNs = s.optionalDVNs;
    }

    /// @notice The effective ULN config (`endpoint.getConfig`, defaults merged) one pathway direction must show, what a
    ///         verifier compares: `confirmations` is this chain's on the send side, the source chain's on the receive side.
    function effectiveUln(Security memory s, uint64 confirmations) internal pure returns (UlnConfig memory u) {
        u = ulnConfig(s, confirmations);
        if (u.optionalDVNCount == NIL_DVN_COUNT) u.optionalDVNCount = 0;
    }

    /// @notice Whether `oapp`'s pathway to and from `peer` is exactly as {wirePathway} writes it (libraries pinned,
    ///         no live receive-library timeout, effective executor and ULN configs equal).
    function matches(address endpoint, address oapp, Security memory s, uint32 peer, uint64 peerConfirmations)
        internal
        view
        returns (bool)
    {
        ILayerZeroEndpointV2 e = ILayerZeroEndpointV2(endpoint);
        if (e.isDefaultSendLibrary(oapp, peer) || e.getSendLibrary(oapp, peer) != s.sendLib) return false;
        (address lib, bool isDefault) = e.getReceiveLibrary(oapp, peer);
        if (isDefault || lib != s.receiveLib) return false;
        // a receive-library timeout keeps a second library valid until `expiry`, whoever the delegate is later
        (address timeoutLib, uint256 expiry) = e.receiveLibraryTimeout(oapp, peer);
        if (timeoutLib != address(0) && expiry > block.number) return false;
        bytes memory exec = e.getConfig(oapp, s.sendLib, peer, CONFIG_TYPE_EXECUTOR);
        if (keccak256(exec) != keccak256(abi.encode(ExecutorConfig(s.maxMessageSize, s.executor)))) return false;
        bytes memory sendUln = e.getConfig(oapp, s.sendLib, peer, CONFIG_TYPE_ULN);
        if (keccak256(sendUln) != keccak256(abi.encode(effectiveUln(s, s.confirmations)))) return false;
        bytes memory recvUln = e.getConfig(oapp, s.receiveLib, peer, CONFIG_TYPE_ULN);
        return keccak256(recvUln) == keccak256(abi.encode(effectiveUln(s, peerConfirmations)));
    }

    function _same(UlnConfig memory a, UlnConfig memory b) private pure returns (bool) {
        return keccak256(abi.encode(a)) == keccak256(abi.encode(b));
    }

    function _assertSorted(address[] memory dvns) private pure {
        address last;
        for (uint256 i; i < dvns.length; ++i) {
            if (dvns[i] <= last) revert DVNsNotSorted();
            last = dvns[i];
        }
    }
}
