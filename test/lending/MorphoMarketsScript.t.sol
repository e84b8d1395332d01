// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MorphoMarkets} from "../../script/04_MorphoMarkets.s.sol";
import {MorphoDeployer} from "../../script/lib/MorphoDeployer.sol";
import {IMorphoMinimal, MarketParams, marketId} from "../../src/interfaces/IMorphoMinimal.sol";
import {SAIDMorphoOracle} from "../../src/lending/SAIDMorphoOracle.sol";
import {LendingBase} from "./LendingBase.sol";

/// @notice 04_MorphoMarkets on a fresh Morpho: IRM, oracles and both markets created, the deployment record written;
///         without owner rights it refuses a Morpho whose governance has not enabled the IRM or LLTV.
contract MorphoMarketsScriptTest is LendingBase {
    string internal constant DIR = "deployments/test";
    string internal constant NETWORK = "morpho-local"; // tests run in parallel: each writes its own record

    MorphoMarkets internal script;
    IMorphoMinimal internal fresh; // a second Morpho, owned by the broadcaster
    address internal broadcaster;

    function setUp() public override {
        super.setUp();
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", DIR);
        (, broadcaster,) = vm.readCallers();
        fresh = IMorphoMinimal(deployCode(MORPHO_ARTIFACT, abi.encode(broadcaster)));
        script = new MorphoMarkets();
    }

    function _params(bool enable) internal view returns (MorphoDeployer.Params memory) {
        return MorphoDeployer.defaults(address(fresh), address(sAID), address(aid), address(usdc), enable);
    }

    function test_deploy_createsBothMarketsAndWritesTheRecord() public {
        MorphoDeployer.Markets memory m = script.deploy(NETWORK, _params(true));
        assertTrue(fresh.isIrmEnabled(m.irm), "IRM enabled");
        assertTrue(fresh.isLltvEnabled(0.86e18) && fresh.isLltvEnabled(0.915e18), "LLTVs enabled");
        MarketParams memory a = fresh.idToMarketParams(m.aidMarketId);
        MarketParams memory u = fresh.idToMarketParams(m.usdcMarketId);
        assertEq(a.loanToken, address(aid));
        assertEq(a.collateralToken, address(sAID));
        assertEq(a.oracle, m.aidOracle);
        assertEq(a.irm, m.irm);
        assertEq(a.lltv, 0.915e18);
        assertEq(u.loanToken, address(usdc));
        assertEq(u.oracle, m.usdcOracle);
        assertEq(u.lltv, 0.86e18);
        assertEq(m.aidMarketId, marketId(a), "id as Morpho hashes it");
        assertGt(fresh.market(m.usdcMarketId).lastUpdate, 0, "created");
        assertEq(SAIDMorphoOracle(m.usdcOracle).loanToken(), address(usdc));

        string memory json = vm.readFile(string.concat(DIR, "/", NETWORK, "-morpho.json"));
        assertEq(vm.parseJsonAddress(json, ".morpho"), address(fresh));
        assertEq(vm.parseJsonAddress(json, ".irm"), m.irm);
        assertEq(vm.parseJsonAddress(json, ".aidOracle"), m.aidOracle);
        assertEq(vm.parseJsonAddress(json, ".usdcOracle"), m.usdcOracle);
        assertEq(vm.parseJsonBytes32(json, ".aidMarketId"), m.aidMarketId);
        assertEq(vm.parseJsonBytes32(json, ".usdcMarketId"), m.usdcMarketId);
        assertEq(vm.parseJsonUint(json, ".aidMarketLltv"), 0.915e18);
        assertEq(vm.parseJsonUint(json, ".chainId"), block.chainid);
    }

    function test_run_readsTheCoreRecordAndEnvironment() public {
        string memory network = "morpho-local-run";
        string memory key = "core";
        vm.serializeAddress(key, "aid", address(aid));
        string memory core = vm.serializeAddress(key, "sAID", address(sAID));
        vm.createDir(DIR, true);
        vm.writeJson(core, string.concat(DIR, "/", network, ".json"));
        vm.setEnv("GAIB_NETWORK", network);
        vm.setEnv("GAIB_MORPHO", vm.toString(address(fresh)));
        vm.setEnv("GAIB_MORPHO_USDC", vm.toString(address(usdc)));
        vm.setEnv("GAIB_MORPHO_ENABLE", "true");
        vm.setEnv("GAIB_MORPHO_IRM", vm.toString(address(irm))); // reuse the IRM deployed for the main fixture
        MorphoDeployer.Markets memory m = script.run();
        assertEq(m.irm, address(irm), "given IRM used");
        assertEq(fresh.idToMarketParams(m.aidMarketId).collateralToken, address(sAID));
        assertEq(SAIDMorphoOracle(m.aidOracle).vault(), address(sAID));
    }

    function test_deploy_withoutOwnerRights_refusesIrmNotEnabled() public {
        MorphoDeployer.Params memory p = _params(false);
        p.irm = address(irm);
        vm.expectRevert(abi.encodeWithSelector(MorphoDeployer.IrmNotEnabled.selector, address(irm)));
        script.deploy(NETWORK, p);
    }

    function test_deploy_withoutOwnerRights_refusesLltvNotEnabled() public {
        vm.prank(broadcaster);
        fresh.enableIrm(address(irm));
        MorphoDeployer.Params memory p = _params(false);
        p.irm = address(irm);
        vm.expectRevert(abi.encodeWithSelector(MorphoDeployer.LltvNotEnabled.selector, 0.915e18));
        script.deploy(NETWORK, p);
    }

    function test_deploy_onGovernedMorpho_usesWhatGovernanceEnabled() public {
        vm.startPrank(broadcaster);
        fresh.enableIrm(address(irm));
        fresh.enableLltv(0.915e18);
        fresh.enableLltv(0.86e18);
        vm.stopPrank();
        MorphoDeployer.Params memory p = _params(false);
        p.irm = address(irm);
        MorphoDeployer.Markets memory m = script.deploy("morpho-local-governed", p);
        assertEq(fresh.idToMarketParams(m.usdcMarketId).irm, address(irm));
    }

    function test_deploy_refusesAddressWithoutCode() public {
        MorphoDeployer.Params memory p = _params(true);
        p.morpho = makeAddr("noMorpho");
        vm.expectRevert(abi.encodeWithSelector(MorphoDeployer.MorphoNotDeployed.selector, p.morpho));
        script.deploy(NETWORK, p);
    }
}
