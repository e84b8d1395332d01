// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Runs script/03_DeployGaib.s.sol against the Ethereum, Arbitrum and Plume configs with the LayerZero
///         endpoints etched at their real addresses: one GAIB address everywhere, the staking and node stack wired on
///         the home chain, peers set from the configs; re-runs send nothing and complete a partial deployment.
contract DeployGaibTest is Test, LzFixture {
    DeployGaib internal script;
    address internal broadcaster;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        script = new DeployGaib();
        (, broadcaster,) = vm.readCallers();
    }

    function _deployOn(string memory network, uint256 chainId) internal returns (DeployGaib.Deployment memory) {
        vm.chainId(chainId);
        return script.deploy(ShippedConfig.DIR, network);
    }

    function test_deployGaib_home_wiresStakingAndNodes() public {
        DeployGaib.Deployment memory d = _deployOn("ethereum", 1);
        assertEq(d.gaib, d.factory.predict(broadcaster, GaibDeployer.GAIB_SALT));
        assertEq(address(d.adapter.token()), d.gaib);
        assertEq(address(d.vault.gaib()), d.gaib);
        assertEq(address(d.vault.aid()), d.factory.predict(broadcaster, CoreDeployer.AID_SALT), "rewards in AID");
        assertEq(d.vault.slasher(), address(d.slasher));
        assertEq(d.vault.EPOCH_DURATION(), 1 hours);
        assertTrue(d.slasher.hasRole(d.slasher.SLASHER_ROLE(), address(d.oracle)));
        assertEq(address(d.oracle.registry()), address(d.registry));
        assertEq(d.adapter.peers(30_110), bytes32(uint256(uint160(d.gaib))), "Arbitrum peer is GAIB's address");
        assertEq(d.adapter.peers(30_370), bytes32(uint256(uint160(d.gaib))), "Plume peer is GAIB's address");
    }

    function test_deployGaib_sameGaibAddressOnEveryChain() public {
        uint256 snap = vm.snapshotState();
        DeployGaib.Deployment memory eth = _deployOn("ethereum", 1);
        vm.revertToState(snap);
        DeployGaib.Deployment memory arb = _deployOn("arbitrum", 42_161);
        vm.revertToState(snap);
        DeployGaib.Deployment memory plume = _deployOn("plume", 98_866);
        assertEq(arb.gaib, eth.gaib);
        assertEq(plume.gaib, eth.gaib);
        GAIBOFT remote = GAIBOFT(plume.gaib);
        assertEq(remote.peers(30_101), bytes32(uint256(uint160(address(eth.adapter)))), "home peer is the adapter");
        assertEq(remote.peers(30_110), bytes32(uint256(uint160(eth.gaib))));
        assertEq(address(plume.vault), address(0), "staking lives on the home chain");
    }

    function _assertSame(DeployGaib.Deployment memory a, DeployGaib.Deployment memory b) internal pure {
        assertEq(address(a.factory), address(b.factory), "factory");
        assertEq(a.gaib, b.gaib, "gaib");
        assertEq(address(a.adapter), address(b.adapter), "adapter");
        assertEq(address(a.vault), address(b.vault), "vault");
        assertEq(address(a.slasher), address(b.slasher), "slasher");
        assertEq(address(a.registry), address(b.registry), "registry");
        assertEq(address(a.oracle), address(b.oracle), "oracle");
    }

    function _rerunSendsNothing(string memory network, uint256 chainId) internal {
        DeployGaib.Deployment memory first = _deployOn(network, chainId);
        uint64 nonce = vm.getNonce(broadcaster);
        DeployGaib.Deployment memory second = _deployOn(network, chainId);
        assertEq(vm.getNonce(broadcaster), nonce, "second run sent no transaction");
        _assertSame(first, second);
    }

    function test_deployGaib_home_rerunSendsNothing() public {
        _rerunSendsNothing("ethereum", 1);
    }

    function test_deployGaib_remote_rerunSendsNothing() public {
        _rerunSendsNothing("plume", 98_866);
    }

    function test_deployGaib_home_stackAtCreate3Addresses() public {
        DeployGaib.Deployment memory d = _deployOn("ethereum", 1);
        assertEq(address(d.vault), d.factory.predict(broadcaster, GaibDeployer.STAKING_SALT), "vault");
        assertEq(address(d.slasher), d.factory.predict(broadcaster, GaibDeployer.SLASHER_SALT), "slasher");
        assertEq(address(d.registry), d.factory.predict(broadcaster, GaibDeployer.REGISTRY_SALT), "registry");
        assertEq(address(d.oracle), d.factory.predict(broadcaster, GaibDeployer.ORACLE_SALT), "oracle");
    }

    function test_deployGaib_home_completesPartialDeployment() public {
        vm.chainId(1);
        // an interrupted run: factory, GAIB, adapter and the staking vault deployed; nothing else, nothing wired
        vm.startBroadcast(broadcaster);
        Create3Factory f = CoreDeployer.deployFactory();
        GaibDeployer.Home memory h = GaibDeployer.ensureHome(f, LZ_ENDPOINT, broadcaster, broadcaster);
        address vault = f.deploy(
            GaibDeployer.STAKING_SALT,
            abi.encodePacked(
                type(StakingVault).creationCode,
                abi.encode(
                    address(h.gaib),
                    f.predict(broadcaster, CoreDeployer.AID_SALT),
                    broadcaster,
                    block.timestamp,
                    uint256(1 hours),
                    uint256(100_000e18)
                )
            )
        );
        vm.stopBroadcast();
        uint64 nonce = vm.getNonce(broadcaster);

        DeployGaib.Deployment memory d = script.deploy(ShippedConfig.DIR, "ethereum");
        // slasher, setSlasher, registry, oracle, SLASHER_ROLE grant, one adapter peer per configured pathway; the deal
        // stack (5 contracts; reporter wired through a temporary DEAL_ADMIN_ROLE: grant, set, revoke; 4 factory roles,
        // 1 reporter role); the registry's deal factory; the handoff begun on the 7 administered contracts (adapter,
        // vault, slasher, registry, oracle, deal factory, reporter); per pathway 4 LayerZero security writes (send
        // library, receive library, send-side executor + ULN config, receive-side ULN config)
        uint256 peers =
            vm.parseJsonUintArray(vm.readFile(string.concat(ShippedConfig.DIR, "/ethereum.json")), ".oft.peers").length;
        assertEq(vm.getNonce(broadcaster), nonce + 5 + peers * 5 + 5 + 3 + 4 + 1 + 1 + 7, "exactly the missing writes");
        assertEq(address(d.factory), address(f), "factory reused");
        assertEq(d.gaib, address(h.gaib), "GAIB reused");
        assertEq(address(d.adapter), address(h.adapter), "adapter reused");
        assertEq(address(d.vault), vault, "vault reused");
        assertEq(d.vault.slasher(), address(d.slasher), "slasher wired");
        assertTrue(d.slasher.hasRole(d.slasher.SLASHER_ROLE(), address(d.oracle)), "oracle may request slashes");
        assertEq(d.adapter.peers(30_110), bytes32(uint256(uint160(d.gaib))), "peer set");

        nonce = vm.getNonce(broadcaster);
        _assertSame(d, script.deploy(ShippedConfig.DIR, "ethereum"));
        assertEq(vm.getNonce(broadcaster), nonce, "complete: nothing more to send");
    }
}
