// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleRevenueAdapter} from "../src/deals/OracleRevenueAdapter.sol";
import {INodeRegistry} from "../src/interfaces/INodeRegistry.sol";
import {IRevenueOracle} from "../src/interfaces/IRevenueOracle.sol";
import {AID} from "../src/token/AID.sol";
import {GAIBOFT} from "../src/token/GAIBOFT.sol";
import {Create3Factory} from "../src/utils/Create3Factory.sol";
import {StakedAID} from "../src/vault/StakedAID.sol";
import {LocalMessageLib} from "../test/mocks/LocalMessageLib.sol";
import {MockERC20} from "../test/mocks/MockERC20.sol";
import {MockPriceFeed} from "../test/mocks/MockPriceFeed.sol";
import {MockTBillVault} from "../test/mocks/MockTBillVault.sol";
import {CoreDeployer} from "./lib/CoreDeployer.sol";
import {GaibDeployer} from "./lib/GaibDeployer.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {
    EnforcedOptionParam,
    IOAppOptionsType3
} from "@layerzerolabs/oapp-evm/contracts/oapp/interfaces/IOAppOptionsType3.sol";
import {OptionsBuilder} from "@layerzerolabs/oapp-evm/contracts/oapp/libs/OptionsBuilder.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Script} from "forge-std/Script.sol";

/// @title DeployLocal
/// @notice Local mode on Anvil. Each chain gets a LayerZero endpoint mock with a local message library (packets are
///         carried between chains by ts/multichain/relayer.ts) and AID at its CREATE3 address, wired to its peers.
///         The home chain also gets mock USDC/USDT with feeds, a T-bill fund stand-in, the minter, the reserve and
///         sAID (the reserve's yield receiver), configured through the same {CoreDeployer} the mainnet script and the
///         tests use, the GAIB stack (see `_deployGaib`) and the GPU deal stack (DealFactory + RevenueReporter). The
///         broadcaster is admin and holds every operational role. Writes `deployments/local/<chainId>.json`.
/// @dev Environment: `GAIB_LOCAL_EID` (default 30101), `GAIB_LOCAL_HOME` (default true), `GAIB_LOCAL_PEERS` (comma
///      separated endpoint ids, default none), `GAIB_LOCAL_HOME_EID` (the home chain's endpoint id, default 30101),
///      `GAIB_LOCAL_OUT` (output folder, default `deployments/local`). Run with `--rpc-url $RPC --private-key $KEY --broadcast`.
contract DeployLocal is Script {
    uint256 internal constant TBILL_APY_BPS = 500; // 5% a year
    uint256 internal constant REVENUE_SETTLEMENT_DELAY = 2 days; // [s] challenge window (1 day) + time to prove

    address internal dealFactory; // set by _deployDeals (home)
    address internal telemetryOracle; // set by _deployGaib (home)
    address internal nodeRegistry; // set by _deployGaib (home)
    uint96 internal constant OFT_LIMIT = 10_000_000e18; // [wad] per window, each direction
    uint24 internal constant OFT_WINDOW = 1 days;
    uint128 internal constant LZ_RECEIVE_GAS = 200_000; // [gas] enforced executor lzReceive gas per OFT send
    uint16 internal constant SEND = 1; // OFTCore.SEND message type
    uint256 internal constant UNSTAKE_DELAY = 7 days;
    uint256 internal constant GAIB_EPOCH = 1 hours; // [s] staking / telemetry epoch
    uint256 internal constant GAIB_MIN_SELF_STAKE = 10_000e18; // [wad] GAIB

    function run() external {
        uint32 eid = uint32(vm.envOr("GAIB_LOCAL_EID", uint256(30_101)));
        bool home = vm.envOr("GAIB_LOCAL_HOME", true);
        uint256[] memory peers = vm.envOr("GAIB_LOCAL_PEERS", ",", new uint256[](0));
        address admin = msg.sender;
        string memory key = "local";

        vm.startBroadcast();
        EndpointV2Mock endpoint = new EndpointV2Mock(eid, admin);
        LocalMessageLib lib = new LocalMessageLib(address(endpoint));
        endpoint.registerLibrary(address(lib));
        for (uint256 i; i < peers.length; ++i) {
            endpoint.setDefaultSendLibrary(uint32(peers[i]), address(lib));
            endpoint.setDefaultReceiveLibrary(uint32(peers[i]), address(lib), 0);
        }

        AID aid;
        if (home) {
            CoreDeployer.Core memory core = _deployHome(admin, address(endpoint), key);
            aid = core.aid;
        } else {
            aid = CoreDeployer.deployAID(CoreDeployer.deployFactory(), address(endpoint), admin);
            aid.grantRole(aid.PAUSER_ROLE(), admin);
            aid.grantRole(aid.DENYLIST_MANAGER_ROLE(), admin);
        }
        for (uint256 i; i < peers.length; ++i) {
            aid.setPeer(uint32(peers[i]), bytes32(uint256(uint160(address(aid)))));
            aid.setRateLimit(uint32(peers[i]), true, OFT_LIMIT, OFT_WINDOW);
            aid.setRateLimit(uint32(peers[i]), false, OFT_LIMIT, OFT_WINDOW);
        }
        _deployStakedAIDOFT(home, peers, address(endpoint), admin, address(aid), key);
        _enforceOptions(address(aid), peers);
        _deployGaib(address(endpoint), address(aid), admin, home, peers, key);
        if (home) _deployRevenueAdapter(key);
        vm.stopBroadcast();

        vm.serializeUint(key, "eid", eid);
        vm.serializeBool(key, "home", home);
        vm.serializeAddress(key, "endpoint", address(endpoint));
        vm.serializeAddress(key, "messageLib", address(lib));
        vm.serializeAddress(key, "aid", address(aid));
        string memory json = vm.serializeAddress(key, "admin", admin);
        string memory out = vm.envOr("GAIB_LOCAL_OUT", string("deployments/local"));
        vm.createDir(out, true);
        vm.writeJson(json, string.concat(out, "/", vm.toString(block.chainid), ".json"));
    }

    /// @dev sAID across chains: the lockbox adapter on the home chain, the share OFT at sAID's own address elsewhere,
    ///      peered both ways (every address is a CREATE3 prediction, so no chain needs another's output).
    function _deployStakedAIDOFT(
        bool home,
        uint256[] memory peers,
        address endpoint,
        address admin,
        address aid,
        string memory key
    ) internal {
        Create3Factory factory = Create3Factory(
            vm.computeCreate2Address(CoreDeployer.FACTORY_SALT, keccak256(type(Create3Factory).creationCode))
        );
        address sAID = factory.predict(admin, CoreDeployer.SAID_SALT);
        address adapterAt = factory.predict(admin, CoreDeployer.SAID_ADAPTER_SALT);
        uint32 homeEid = uint32(vm.envOr("GAIB_LOCAL_HOME_EID", uint256(30_101)));
        OAppCore oapp = home
            ? OAppCore(address(CoreDeployer.deployStakedAIDAdapterAt(factory, sAID, endpoint, admin)))
            : OAppCore(address(CoreDeployer.deployStakedAIDRemote(factory, endpoint, admin, aid)));
        for (uint256 i; i < peers.length; ++i) {
            address peer = uint32(peers[i]) == homeEid ? adapterAt : sAID;
            oapp.setPeer(uint32(peers[i]), bytes32(uint256(uint160(peer))));
        }
        vm.serializeAddress(key, home ? "sAIDAdapter" : "sAID", address(oapp));
        _enforceOptions(address(oapp), peers);
    }

    /// @dev Enforced options on every pathway of `oapp`: a plain OFT send (msg type 1) always carries an executor
    ///      lzReceive option of LZ_RECEIVE_GAS, whatever options the sender passes.
    function _enforceOptions(address oapp, uint256[] memory peers) internal {
        EnforcedOptionParam[] memory p = new EnforcedOptionParam[](peers.length);
        bytes memory options = OptionsBuilder.addExecutorLzReceiveOption(OptionsBuilder.newOptions(), LZ_RECEIVE_GAS, 0);
        for (uint256 i; i < peers.length; ++i) {
            p[i] = EnforcedOptionParam(uint32(peers[i]), SEND, options);
        }
        if (peers.length != 0) IOAppOptionsType3(oapp).setEnforcedOptions(p);
    }

    /// @dev GAIB on every chain at one address (home: token + OFT adapter + staking vault, veto slasher, node registry
    ///      and telemetry oracle with the GaibDeployer defaults: 1-hour epochs, 1-day challenge window, 2-day veto
    ///      window; the admin holds the whole supply and every role). Peers wired like AID: home → remote OFTs, remote →
    ///      the home adapter (`GAIB_LOCAL_HOME_EID`, default 30101) or the other OFTs.
    function _deployGaib(
        address endpoint,
        address aid,
        address admin,
        bool home,
        uint256[] memory peers,
        string memory key
    ) internal {
        Create3Factory factory = Create3Factory(
            vm.computeCreate2Address(CoreDeployer.FACTORY_SALT, keccak256(type(Create3Factory).creationCode))
        );
        address gaibAt = GaibDeployer.predictGaib(factory, admin);
        address adapterAt = factory.predict(admin, GaibDeployer.ADAPTER_SALT);
        if (home) {
            GaibDeployer.Home memory h = GaibDeployer.deployHome(factory, endpoint, admin, admin);
            GaibDeployer.Staking memory st = GaibDeployer.deployStaking(
                IERC20(address(h.gaib)),
                IERC20(aid),
                admin,
                GaibDeployer.StakingParams({
                    genesis: block.timestamp,
                    epochDuration: GAIB_EPOCH,
                    minSelfStake: GAIB_MIN_SELF_STAKE,
                    insuranceFund: admin,
                    resolver: admin,
                    rewarder: admin
                })
            );
            GaibDeployer.Nodes memory n = GaibDeployer.deployNodes(st, admin);
            for (uint256 i; i < peers.length; ++i) {
                h.adapter.setPeer(uint32(peers[i]), bytes32(uint256(uint160(gaibAt))));
            }
            vm.serializeAddress(key, "gaibAdapter", address(h.adapter));
            vm.serializeAddress(key, "staking", address(st.vault));
            vm.serializeAddress(key, "slasher", address(st.slasher));
            vm.serializeAddress(key, "nodeRegistry", address(n.registry));
            vm.serializeAddress(key, "telemetryOracle", address(n.oracle));
            telemetryOracle = address(n.oracle);
            nodeRegistry = address(n.registry);
            vm.serializeUint(key, "stakingGenesis", st.vault.GENESIS());
            vm.serializeUint(key, "epochDuration", st.vault.EPOCH_DURATION());
        } else {
            GaibDeployer.deployRemote(factory, endpoint, admin);
            uint256 homeEid = vm.envOr("GAIB_LOCAL_HOME_EID", uint256(30_101));
            for (uint256 i; i < peers.length; ++i) {
                address peer = peers[i] == homeEid ? adapterAt : gaibAt;
                GAIBOFT(gaibAt).setPeer(uint32(peers[i]), bytes32(uint256(uint160(peer))));
            }
        }
        vm.serializeAddress(key, "gaib", gaibAt);
    }

    function _deployHome(address admin, address endpoint, string memory key)
        internal
        returns (CoreDeployer.Core memory core)
    {
        Create3Factory factory = CoreDeployer.deployFactory();
        core = CoreDeployer.deployHome(factory, endpoint, admin);
        CoreDeployer.configureHome(core, _homeParams(admin, key));
        StakedAID sAID = CoreDeployer.deployStakedAID(factory, address(core.aid), admin);
        CoreDeployer.configureStakedAID(
            sAID, core.reserve, CoreDeployer.StakedParams(admin, admin, admin, admin, UNSTAKE_DELAY)
        );
        vm.serializeAddress(key, "minter", address(core.minter));
        vm.serializeAddress(key, "reserve", address(core.reserve));
        vm.serializeAddress(key, "sAID", address(sAID));
        _deployDeals(admin, address(core.aid), key);
    }

    /// @dev REVENUE_SHARE deals on the home chain read their revenue from the telemetry oracle through this adapter
    ///      (a deal created after `DealFactory.setRevenueReporter(adapter)` uses it); the role-gated RevenueReporter
    ///      stays the factory's default.
    function _deployRevenueAdapter(string memory key) internal {
        OracleRevenueAdapter adapter =
            new OracleRevenueAdapter(IRevenueOracle(telemetryOracle), dealFactory, REVENUE_SETTLEMENT_DELAY);
        // nodes register on a deal only with its underwriter's or borrower's approval, read from the factory
        INodeRegistry(nodeRegistry).setDealFactory(dealFactory);
        vm.serializeAddress(key, "revenueAdapter", address(adapter));
    }

    /// @dev The GPU deal stack; the admin is treasury, protocol fee receiver and holds every deal role.
    function _deployDeals(address admin, address aid, string memory key) internal {
        CoreDeployer.Deals memory deals = CoreDeployer.deployDeals(aid, admin, admin, admin);
        CoreDeployer.configureDeals(deals, admin, CoreDeployer.DealParams(admin, admin, admin, admin, admin));
        vm.serializeAddress(key, "dealFactory", address(deals.factory));
        dealFactory = address(deals.factory);
        vm.serializeAddress(key, "revenueReporter", address(deals.reporter));
    }

    /// @dev Deploys the mock stablecoins, feeds and T-bill fund and returns the home parameters that use them.
    function _homeParams(address admin, string memory key) internal returns (CoreDeployer.HomeParams memory p) {
        MockERC20 usdc = new MockERC20("USD Coin", "USDC", 6);
        MockERC20 usdt = new MockERC20("Tether USD", "USDT", 6);
        MockPriceFeed usdcFeed = new MockPriceFeed(8, 1e8);
        MockPriceFeed usdtFeed = new MockPriceFeed(8, 1e8);
        MockTBillVault tbill = new MockTBillVault(usdc, TBILL_APY_BPS);
        p.globalMintCap = 10_000_000e18;
        p.globalRedeemCap = 10_000_000e18;
        p.supplyCap = 1_000_000_000e18;
        p.redeemDelay = 1 days;
        p.tbillVault = address(tbill);
        p.yieldReceiver = address(0); // sAID, set by configureStakedAID
        (p.gatekeeper, p.whitelistManager, p.denylistManager, p.reserveManager, p.harvester) =
        (admin, admin, admin, admin, admin);
        p.assets = new CoreDeployer.AssetParams[](2);
        p.assets[0] =
            CoreDeployer.AssetParams(address(usdc), address(usdcFeed), 0, 0, 1 days, 5_000_000e18, 5_000_000e18);
        p.assets[1] =
            CoreDeployer.AssetParams(address(usdt), address(usdtFeed), 0, 0, 1 days, 5_000_000e18, 5_000_000e18);
        vm.serializeAddress(key, "usdc", address(usdc));
        vm.serializeAddress(key, "usdt", address(usdt));
        vm.serializeAddress(key, "usdcFeed", address(usdcFeed));
        vm.serializeAddress(key, "usdtFeed", address(usdtFeed));
        vm.serializeAddress(key, "tbill", address(tbill));
    }
}
