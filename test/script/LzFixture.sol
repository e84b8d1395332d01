// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {LzConfig} from "../../script/lib/LzConfig.sol";
import {
    ExecutorConfig,
    SetDefaultExecutorConfigParam
} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/SendLibBase.sol";
import {SetDefaultUlnConfigParam, UlnConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/UlnBase.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {ReceiveUln302Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/ReceiveUln302Mock.sol";
import {SendUln302Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/SendUln302Mock.sol";
import {Test} from "forge-std/Test.sol";

/// @notice LayerZero as the deploy scripts meet it on a real chain, for the script tests: LayerZero's EndpointV2 at
///         the shipped endpoint addresses (Ethereum/Arbitrum share one, Plume has its own) and LayerZero's ULN302
///         libraries (test-devtools' OZ5 builds of SendUln302 / ReceiveUln302) at EVERY address that a shipped config
///         names as `layerzero.sendLib` / `receiveLib`, registered on the endpoint, with default configs for the three
///         endpoint ids (a ULN302 supports a pathway only once its owner set a default) and the endpoint defaults set.
///         So the scripts run the shipped configs unchanged: nothing is skipped, the real library code validates the
///         DVN lists, and the tests read back what the scripts wrote.
abstract contract LzFixture is Test {
    address internal constant LZ_ENDPOINT = 0x1a44076050125825900e736c501f859c50fE728c;
    address internal constant PLUME_ENDPOINT = 0xC1b15d3B262bEeC0e3565C11C9e0F6134BdaCB36;
    uint32 internal constant ETH_EID = 30_101;
    uint32 internal constant ARB_EID = 30_110;
    uint32 internal constant PLUME_EID = 30_370;

    /// @dev Default (LayerZero-owned) pathway config on the etched libraries: ONE DVN and 1 confirmation, so a test can
    ///      tell the OApp's pinned config from the default.
    address internal constant DEFAULT_DVN = address(0xDEF0D);
    address internal constant DEFAULT_EXECUTOR = address(0xDEFE);

    /// @notice The home chain's other external contracts at the addresses `script/config/ethereum.json` names: USDC and
    ///         USDT (6 decimals) and their Chainlink USD feeds at $1, so 01_DeployCore runs the shipped home config.
    function _etchHomeExternals() internal {
        deployCodeTo(
            "MockERC20.sol:MockERC20",
            abi.encode("USD Coin", "USDC", uint8(6)),
            0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48
        );
        deployCodeTo(
            "MockERC20.sol:MockERC20",
            abi.encode("Tether USD", "USDT", uint8(6)),
            0xdAC17F958D2ee523a2206206994597C13D831ec7
        );
        deployCodeTo(
            "MockPriceFeed.sol:MockPriceFeed",
            abi.encode(uint8(8), int192(1e8)),
            0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6
        );
        deployCodeTo(
            "MockPriceFeed.sol:MockPriceFeed",
            abi.encode(uint8(8), int192(1e8)),
            0x3E7d1eAB13ad0104d2750B8863b489D65364e32D
        );
    }

    function _etchLayerZero() internal {
        deployCodeTo("EndpointV2Mock.sol:EndpointV2Mock", abi.encode(ETH_EID, address(this)), LZ_ENDPOINT);
        deployCodeTo("EndpointV2Mock.sol:EndpointV2Mock", abi.encode(PLUME_EID, address(this)), PLUME_ENDPOINT);
        _etchLibs("ethereum", LZ_ENDPOINT);
        _etchLibs("arbitrum", LZ_ENDPOINT);
        _etchLibs("plume", PLUME_ENDPOINT);
    }

    function _etchLibs(string memory network, address endpoint) internal {
        LzConfig.Security memory s =
            ChainConfig.layerZero(vm.readFile(string.concat("script/config/", network, ".json")));
        deployCodeTo(
            "SendUln302Mock.sol:SendUln302Mock", abi.encode(address(0), endpoint, 1e12, uint256(100_000)), s.sendLib
        );
        deployCodeTo("ReceiveUln302Mock.sol:ReceiveUln302Mock", abi.encode(endpoint), s.receiveLib);
        uint32[3] memory eids = [ETH_EID, ARB_EID, PLUME_EID];
        address[] memory dvn = new address[](1);
        dvn[0] = DEFAULT_DVN;
        SetDefaultUlnConfigParam[] memory uln = new SetDefaultUlnConfigParam[](3);
        SetDefaultExecutorConfigParam[] memory exec = new SetDefaultExecutorConfigParam[](3);
        for (uint256 i; i < 3; ++i) {
            uln[i] = SetDefaultUlnConfigParam(eids[i], UlnConfig(1, 1, 0, 0, dvn, new address[](0)));
            exec[i] = SetDefaultExecutorConfigParam(eids[i], ExecutorConfig(10_000, DEFAULT_EXECUTOR));
        }
        SendUln302Mock(payable(s.sendLib)).setDefaultUlnConfigs(uln);
        SendUln302Mock(payable(s.sendLib)).setDefaultExecutorConfigs(exec);
        ReceiveUln302Mock(s.receiveLib).setDefaultUlnConfigs(uln);
        EndpointV2Mock e = EndpointV2Mock(endpoint);
        e.registerLibrary(s.sendLib);
        e.registerLibrary(s.receiveLib);
        for (uint256 i; i < 3; ++i) {
            if (e.defaultSendLibrary(eids[i]) == address(0)) e.setDefaultSendLibrary(eids[i], s.sendLib);
            if (e.defaultReceiveLibrary(eids[i]) == address(0)) e.setDefaultReceiveLibrary(eids[i], s.receiveLib, 0);
        }
    }

    /// @notice Asserts that every pathway of `oapp` on the chain of `network` (config folder `dir`) is configured
    ///         exactly as the config says ({LzConfig.matches}: libraries pinned, effective executor and ULN configs,
    ///         receive side with the peer chain's confirmations).
    function _assertPathways(string memory dir, string memory network, address oapp) internal view {
        (ChainConfig.Chain memory c,) = ChainConfig.load(dir, network);
        uint64[] memory peerConf = ChainConfig.peerConfirmations(dir, c);
        for (uint256 i; i < c.peers.length; ++i) {
            assertTrue(LzConfig.matches(c.endpoint, oapp, c.lz, c.peers[i], peerConf[i]), "pathway configured");
        }
    }
}
