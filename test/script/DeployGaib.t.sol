// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Runs script/03_DeployGaib.s.sol against the Ethereum, Arbitrum and Plume configs with the LayerZero
///         endpoints etched at their real addresses: one GAIB address everywhere, the staking and node stack wired on
///         the home chain, peers set from the configs.
contract DeployGaibTest is Test {
    address internal constant LZ_ENDPOINT = 0x1a44076050125825900e736c501f859c50fE728c;
    address internal constant PLUME_ENDPOINT = 0xC1b15d3B262bEeC0e3565C11C9e0F6134BdaCB36;

    DeployGaib internal script;
    address internal broadcaster;

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        deployCodeTo("MockEndpoint.sol:MockEndpoint", abi.encode(uint32(30_101)), LZ_ENDPOINT);
        deployCodeTo("MockEndpoint.sol:MockEndpoint", abi.encode(uint32(30_370)), PLUME_ENDPOINT);
        script = new DeployGaib();
        (, broadcaster,) = vm.readCallers();
    }

    function _deployOn(string memory network, uint256 chainId) internal returns (DeployGaib.Deployment memory) {
        vm.chainId(chainId);
        return script.deploy("script/config", network);
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
}
