// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DeployCore} from "../../script/01_DeployCore.s.sol";
import {WireOFT} from "../../script/02_WireOFT.s.sol";
import {DeployGaib} from "../../script/03_DeployGaib.s.sol";
import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {CoreDeployer} from "../../script/lib/CoreDeployer.sol";
import {DealDeployer} from "../../script/lib/DealDeployer.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {IAID} from "../../src/interfaces/IAID.sol";
import {IAdminOwnedOApp} from "../../src/interfaces/IGAIB.sol";
import {IGpuDeal} from "../../src/interfaces/IGpuDeal.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {HandoffChecker} from "./HandoffChecker.sol";
import {LzFixture} from "./LzFixture.sol";
import {ShippedConfig} from "./ShippedConfig.sol";
import {SetDefaultUlnConfigParam, UlnConfig} from "@layerzerolabs/lz-evm-messagelib-v2/contracts/uln/UlnBase.sol";
import {ILayerZeroEndpointV2} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {SetConfigParam} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/IMessageLibManager.sol";
import {OAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/OAppCore.sol";
import {EndpointV2Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/EndpointV2Mock.sol";
import {ReceiveUln302Mock} from "@layerzerolabs/test-devtools-evm-foundry/contracts/mocks/ReceiveUln302Mock.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";
import {Vm} from "forge-std/Test.sol";

/// @notice After 01_DeployCore + 03_DeployGaib (with the deal stack) and the final admin's acceptance, the deployer
///         holds nothing on any contract and every role holder is the one the config names: checked by
///         {HandoffChecker} for every config in script/config (as {ShippedConfig}: placeholder addresses swapped) and
///         the production test fixtures; plus one regression test per finding of issue 11 (1-4) and the sAID upgrade
///         through the timelock, end to end.
contract HandoffTest is HandoffChecker, LzFixture {
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    DeployCore internal core;
    DeployGaib internal gaib;
    address internal deployer;

    struct Run {
        string json;
        address finalAdmin;
        address endpoint;
        DeployCore.Deployment c;
        DeployGaib.Deployment g;
        address[] contracts;
    }

    function setUp() public {
        vm.setEnv("GAIB_DEPLOYMENTS_DIR", "deployments/test");
        _etchLayerZero();
        _etchHomeExternals();
        core = new DeployCore();
        gaib = new DeployGaib();
        (, deployer,) = vm.readCallers();
    }

    // ---------------------------------------------------------------- the checker, on every config

    function test_handoffChecker_shippedEthereum() public {
        _deployHandOffAndCheck(ShippedConfig.DIR, "ethereum");
    }

    function test_handoffChecker_shippedArbitrum() public {
        _deployHandOffAndCheck(ShippedConfig.DIR, "arbitrum");
    }

    function test_handoffChecker_shippedPlume() public {
        _deployHandOffAndCheck(ShippedConfig.DIR, "plume");
    }

    function test_handoffChecker_fixtureHandoff() public {
        _deployHandOffAndCheck("test/fixtures/config", "handoff");
    }

    function test_handoffChecker_fixtureGaibEthereum() public {
        _deployHandOffAndCheck("test/fixtures/config-gaib", "ethereum");
    }

    function test_handoffChecker_fixtureGaibArbitrum() public {
        _deployHandOffAndCheck("test/fixtures/config-gaib", "arbitrum");
    }

    /// @notice The checker itself: a role the deployer keeps (granted before the handoff) is reported.
    function test_handoffChecker_reportsPlantedDeployerRole() public {
        Run memory r = _deploy("test/fixtures/config", "handoff");
        bytes32 pauser = r.c.aid.PAUSER_ROLE();
        vm.prank(deployer);
        r.c.aid.grantRole(pauser, deployer); // planted after the scripts, before the acceptance
        _acceptAll(r);
        _expectAll(r);
        string memory v = _violations(vm.getRecordedLogs(), r.contracts, deployer, r.finalAdmin, r.endpoint);
        assertEq(
            v,
            string.concat(
                "deployer holds: ",
                vm.toString(deployer),
                " role ",
                vm.toString(pauser),
                " on ",
                vm.toString(address(r.c.aid)),
                "\n"
            )
        );
    }

    /// @notice The checker itself: a pathway whose DVN set was changed (one DVN) after the scripts is reported.
    function test_handoffChecker_reportsPlantedDvnSet() public {
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        (ChainConfig.Chain memory c,) = ChainConfig.load(ShippedConfig.DIR, "ethereum");
        address[] memory one = new address[](1);
        one[0] = c.lz.requiredDVNs[1];
        SetConfigParam[] memory p = new SetConfigParam[](1);
        p[0] = SetConfigParam(PLUME_EID, 2, abi.encode(UlnConfig(15, 1, 255, 0, one, new address[](0))));
        vm.prank(deployer); // the endpoint delegate until the final admin accepts
        ILayerZeroEndpointV2(r.endpoint).setConfig(address(r.g.adapter), c.lz.receiveLib, p);
        _acceptAll(r);
        assertEq(
            _pathwayViolations(ShippedConfig.DIR, "ethereum", _oapps(r, false)),
            string.concat("pathway 30370 of ", vm.toString(address(r.g.adapter)), " differs from the config\n")
        );
    }

    /// @notice What the deployer sets before the acceptance that the acceptance does not undo, and that the checker
    ///         (and deploy:verify) must report: (1) an admin-delay change on AID (scheduled; effective after the
    ///         acceptance: a huge delay locks the final admin out of ever moving the admin role), (2) as the GAIB
    ///         adapter's endpoint delegate, a receive-library timeout keeping a second registered receive library
    ///         (whose OApp config the deployer also set: one DVN, its own) valid for the Plume pathway for ~forever,
    ///         (3) as the adapter's owner, a msgInspector that vetoes every send, (4) the reserve's yield receiver
    ///         and the slasher's (timelocked) insurance fund and resolver pointed at itself.
    function test_review11_checkerReportsWhatSurvivesAcceptance() public {
        address lib2 = _secondReceiveLibrary(LZ_ENDPOINT); // before the deployment's logs are recorded
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        address adapter = address(r.g.adapter);
        vm.startPrank(deployer); // still AID's admin, the adapter's owner and its endpoint delegate
        IAccessControlDefaultAdminRules(address(r.c.aid)).changeDefaultAdminDelay(type(uint48).max);
        ILayerZeroEndpointV2(r.endpoint).setReceiveLibraryTimeout(adapter, PLUME_EID, lib2, 1e12);
        IMsgInspectable(adapter).setMsgInspector(address(0xBAD1));
        r.c.reserve.setYieldReceiver(deployer); // every harvest to the deployer
        r.g.slasher.scheduleInsuranceFund(deployer); // slashed GAIB to the deployer, 2 days on
        r.g.slasher.scheduleResolver(deployer); // VETOER_ROLE to the deployer (applyResolver: anyone)
        vm.stopPrank();
        _acceptAll(r);
        assertEq(OAppCore(adapter).owner(), r.finalAdmin, "handed off");
        assertTrue(ILayerZeroEndpointV2(r.endpoint).isValidReceiveLibrary(adapter, PLUME_EID, lib2), "lib2");
        _expectAll(r);
        assertEq(_violations(vm.getRecordedLogs(), r.contracts, deployer, r.finalAdmin, r.endpoint), _survivors(r));
        assertEq(
            _pathwayViolations(ShippedConfig.DIR, "ethereum", _oapps(r, false)),
            string.concat("pathway 30370 of ", vm.toString(adapter), " differs from the config\n")
        );
    }

    /// @notice A re-run reuses the upgrade timelock already at its CREATE3 address: after a development run on the
    ///         same chain (no finalAdmin: the deployer proposes and executes), a production run must not silently
    ///         keep it (the deployer could still upgrade sAID through it after the handoff).
    function test_review11_reusedTimelockOfAnotherGovernorRefused() public {
        vm.chainId(1);
        DeployCore.Deployment memory dev = core.deploy("test/fixtures/config-dev", "ethereum");
        assertTrue(dev.timelock.hasRole(dev.timelock.PROPOSER_ROLE(), deployer), "the dev run's governor");
        vm.expectRevert(
            abi.encodeWithSelector(
                CoreDeployer.TimelockGovernorMismatch.selector, address(dev.timelock), address(0xdA0d)
            )
        );
        core.deploy("test/fixtures/config-gaib", "ethereum");
    }

    /// @dev LayerZero registers a second receive library (a later ULN version, say) on `endpoint`, supporting Plume.
    function _secondReceiveLibrary(address endpoint) internal returns (address) {
        ReceiveUln302Mock lib2 = new ReceiveUln302Mock(endpoint);
        address[] memory dvn = new address[](1);
        dvn[0] = address(0xBAD0D);
        SetDefaultUlnConfigParam[] memory d = new SetDefaultUlnConfigParam[](1);
        d[0] = SetDefaultUlnConfigParam(PLUME_EID, UlnConfig(1, 1, 0, 0, dvn, new address[](0)));
        lib2.setDefaultUlnConfigs(d);
        EndpointV2Mock(endpoint).registerLibrary(address(lib2));
        return address(lib2);
    }

    /// @dev The checker's report for {test_review11_checkerReportsWhatSurvivesAcceptance}.
    function _survivors(Run memory r) internal view returns (string memory w) {
        w = string.concat("pending admin delay change on ", vm.toString(address(r.c.aid)), "\n");
        w = string.concat(w, "yieldReceiver() of ", vm.toString(address(r.c.reserve)), " is the deployer\n");
        w = string.concat(w, "msgInspector of ", vm.toString(address(r.g.adapter)), " is ");
        w = string.concat(w, vm.toString(address(0xBAD1)), "\npendingInsuranceFund() on ");
        string memory d = vm.toString(uint256(uint160(deployer)));
        w = string.concat(w, vm.toString(address(r.g.slasher)), ": ", d, "\npendingResolver() on ");
        w = string.concat(w, vm.toString(address(r.g.slasher)), ": ", d, "\n");
    }

    /// @notice The checker itself: an admin transfer never accepted is reported.
    function test_handoffChecker_reportsUnacceptedAdmin() public {
        Run memory r = _deploy("test/fixtures/config", "handoff");
        _expectAll(r);
        string memory v = _violations(vm.getRecordedLogs(), r.contracts, deployer, r.finalAdmin, r.endpoint);
        assertTrue(bytes(v).length != 0, "deployer still admin everywhere");
    }

    /// @notice The checker itself: a role administered by another role than the expected one, and a wiring getter
    ///         that does not return the named contract, are reported.
    function test_handoffChecker_reportsRoleAdminAndLink() public {
        Run memory r = _deploy("test/fixtures/config-gaib", "ethereum");
        _acceptAll(r);
        _expectAll(r);
        bytes32 pauser = keccak256("PAUSER_ROLE");
        _expectRoleAdmin(r.c.sAID, pauser, keccak256("UPGRADER_ROLE")); // planted: it is DEFAULT_ADMIN_ROLE's
        _expectLink(address(r.g.registry), "dealFactory()", address(1)); // planted: it is the deployed factory
        string memory v = _violations(vm.getRecordedLogs(), r.contracts, deployer, r.finalAdmin, r.endpoint);
        assertEq(
            v,
            string.concat(
                string.concat(
                    "admin of role ",
                    vm.toString(pauser),
                    " on ",
                    vm.toString(r.c.sAID),
                    " is ",
                    vm.toString(bytes32(0)),
                    "\n"
                ),
                "dealFactory() of ",
                vm.toString(address(r.g.registry)),
                " is ",
                vm.toString(address(r.g.deals.factory)),
                "\n"
            )
        );
    }

    // ---------------------------------------------------------------- findings (issue 11)

    /// @notice Finding 1: sAID's UPGRADER, ALLOCATOR and RESTRICTION_MANAGER went to the deployer and survived.
    function test_finding1_deployerKeepsNoSAIDRole() public {
        Run memory r = _deploy("test/fixtures/config", "handoff");
        _acceptAll(r);
        StakedAID s = StakedAID(r.c.sAID);
        assertFalse(s.hasRole(s.UPGRADER_ROLE(), deployer), "upgrader");
        assertFalse(s.hasRole(s.ALLOCATOR_ROLE(), deployer), "allocator");
        assertFalse(s.hasRole(s.RESTRICTION_MANAGER_ROLE(), deployer), "restriction manager");
        assertTrue(s.hasRole(s.UPGRADER_ROLE(), address(r.c.timelock)), "upgrades through the timelock");
        assertTrue(s.hasRole(s.ALLOCATOR_ROLE(), _role(r.json, "allocator")), "configured allocator");
        assertTrue(s.hasRole(s.RESTRICTION_MANAGER_ROLE(), _role(r.json, "restrictionManager")), "configured");
        address impl = address(new StakedAID(IAID(s.asset())));
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, deployer, s.UPGRADER_ROLE()
            )
        );
        vm.prank(deployer);
        s.upgradeToAndCall(impl, "");
    }

    /// @notice Finding 2: the sAID lockbox (home) and StakedAIDOFT (remote) were plain Ownable, never handed off.
    function test_finding2_sAIDOFTsHandedOff() public {
        uint256 snap = vm.snapshotState();
        Run memory home = _deploy(ShippedConfig.DIR, "ethereum");
        _acceptAll(home);
        _assertOAppHandedOff(home.c.sAIDAdapter, home.finalAdmin, home.endpoint);
        vm.revertToState(snap);
        Run memory remote = _deploy(ShippedConfig.DIR, "arbitrum");
        _acceptAll(remote);
        _assertOAppHandedOff(remote.c.sAID, remote.finalAdmin, remote.endpoint);
    }

    /// @notice Finding 3: a production config leaving a role at zero silently made the deployer its holder.
    function test_finding3_productionConfigMustNameEveryRole() public {
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.MissingRole.selector, "whitelistManager"));
        core.deploy("test/fixtures/config-missing-role", "ethereum");
    }

    /// @notice Finding 3: sAID upgrades go through the TimelockController (schedule, wait, execute); an early execute
    ///         reverts, and neither the deployer nor the final admin can upgrade directly.
    function test_finding3_sAIDUpgradeThroughTimelock() public {
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        _acceptAll(r);
        uint256 delay = vm.parseJsonUint(r.json, ".timelock.minDelay");
        assertEq(r.c.timelock.getMinDelay(), delay, "delay from the config");
        assertGe(delay, 2 days, "shipped config: at least 2 days");
        address impl = address(new StakedAID(IAID(StakedAID(r.c.sAID).asset())));
        bytes memory data = abi.encodeCall(UUPSUpgradeable.upgradeToAndCall, (impl, ""));
        bytes32 upgrader = StakedAID(r.c.sAID).UPGRADER_ROLE();

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, r.finalAdmin, upgrader)
        );
        vm.prank(r.finalAdmin);
        StakedAID(r.c.sAID).upgradeToAndCall(impl, "");

        _upgradeThroughTimelock(r, impl);
    }

    /// @notice Finding 3 (gap): sAID's DEFAULT_ADMIN (the final admin) could grant itself UPGRADER_ROLE and upgrade at
    ///         once, bypassing the timelock. UPGRADER_ROLE now administers itself: only its holder, the timelock,
    ///         grants or revokes it, so the admin can neither add an upgrader nor remove the timelock.
    function test_finding3_finalAdminCannotBypassUpgradeTimelock() public {
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        _acceptAll(r);
        StakedAID s = StakedAID(r.c.sAID);
        bytes32 upgrader = s.UPGRADER_ROLE();
        assertEq(s.defaultAdmin(), r.finalAdmin, "the final admin holds DEFAULT_ADMIN_ROLE");
        bytes memory denied =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, r.finalAdmin, upgrader);

        vm.expectRevert(denied);
        vm.prank(r.finalAdmin);
        s.grantRole(upgrader, r.finalAdmin);
        vm.expectRevert(denied);
        vm.prank(r.finalAdmin);
        s.revokeRole(upgrader, address(r.c.timelock));
        assertFalse(s.hasRole(upgrader, r.finalAdmin), "no direct upgrader");
        assertTrue(s.hasRole(upgrader, address(r.c.timelock)), "the timelock still upgrades");
        assertEq(s.getRoleAdmin(upgrader), upgrader, "UPGRADER_ROLE administers itself");

        _upgradeThroughTimelock(r, address(new StakedAID(IAID(StakedAID(r.c.sAID).asset()))));
    }

    /// @dev Schedules `upgradeToAndCall(impl)` on sAID through the timelock as the final admin: an execute one second
    ///      early reverts, the execute after the delay upgrades.
    function _upgradeThroughTimelock(Run memory r, address impl) internal {
        TimelockController t = r.c.timelock;
        uint256 delay = t.getMinDelay();
        bytes memory data = abi.encodeCall(UUPSUpgradeable.upgradeToAndCall, (impl, ""));
        vm.prank(r.finalAdmin);
        t.schedule(r.c.sAID, 0, data, bytes32(0), bytes32(0), delay);
        bytes32 id = t.hashOperation(r.c.sAID, 0, data, bytes32(0), bytes32(0));
        vm.warp(block.timestamp + delay - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector,
                id,
                bytes32(1 << uint8(TimelockController.OperationState.Ready))
            )
        );
        vm.prank(r.finalAdmin);
        t.execute(r.c.sAID, 0, data, bytes32(0), bytes32(0));

        vm.warp(block.timestamp + 1);
        vm.prank(r.finalAdmin);
        t.execute(r.c.sAID, 0, data, bytes32(0), bytes32(0));
        assertEq(address(uint160(uint256(vm.load(r.c.sAID, IMPLEMENTATION_SLOT)))), impl, "upgraded");
    }

    /// @notice Finding 3: a production config's timelock delay below 2 days is refused.
    function test_finding3_timelockDelayBelowMinimumRefused() public {
        string memory json = '{"finalAdmin":"0x000000000000000000000000000000000000dA0d","timelock":{"minDelay":3600}}';
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.TimelockDelayTooShort.selector, 3600, 2 days));
        this.timelockDelay(json);
    }

    function timelockDelay(string memory json) external view returns (uint256) {
        return ChainConfig.timelockDelay(json);
    }

    /// @notice Finding 4: 03_DeployGaib sent the GAIB supply and slashed GAIB to the deployer by default; on a real
    ///         chain id an unset treasury (or insurance fund, resolver) is refused even without a final admin.
    function test_finding4_gaibFundsNotDefaultedOnRealChain() public {
        vm.chainId(1);
        vm.expectRevert(abi.encodeWithSelector(ChainConfig.RoleDefaultRefused.selector, "treasury", 1));
        gaib.deploy("test/fixtures/config-dev", "ethereum");
    }

    /// @notice Finding 4: a local chain (no final admin, not a real chain id) may still default them to the deployer.
    function test_finding4_localChainMayDefaultFunds() public {
        vm.chainId(31_337);
        DeployGaib.Deployment memory d = gaib.deploy("test/fixtures/config-dev", "local");
        assertEq(d.slasher.insuranceFund(), deployer, "development default");
    }

    /// @notice Finding 4: the GAIB stack and the deal stack (factory, its implementations, reporter, adapter) are
    ///         handed off: the deployer holds nothing on any of them after the acceptance.
    function test_finding4_gaibAndDealStackHandedOff() public {
        Run memory r = _deploy("test/fixtures/config-gaib", "ethereum");
        _acceptAll(r);
        DealDeployer.Deals memory d = r.g.deals;
        assertEq(d.factory.dealImplementation(), d.dealImpl, "implementations wired");
        assertEq(d.factory.revenueReporter(), address(d.reporter), "reporter wired");
        assertEq(d.factory.treasury(), _role(r.json, "treasury"), "deal treasury from the config");
        assertEq(IERC20Like(r.g.gaib).balanceOf(_role(r.json, "treasury")), 1_000_000_000e18, "GAIB supply");
        assertEq(r.g.slasher.insuranceFund(), _role(r.json, "insuranceFund"), "insurance fund from the config");
        address[5] memory admins =
            [address(d.factory), address(d.reporter), address(r.g.vault), address(r.g.slasher), address(r.g.adapter)];
        for (uint256 i; i < admins.length; ++i) {
            assertEq(IAccessControlDefaultAdminRules(admins[i]).defaultAdmin(), r.finalAdmin);
            assertFalse(IAccessControl(admins[i]).hasRole(bytes32(0), deployer));
        }
        assertFalse(d.factory.hasRole(d.factory.DEAL_ADMIN_ROLE(), deployer), "temporary deal admin revoked");
    }

    /// @notice Finding 4 (issue 13 leftover): 03_DeployGaib never called `NodeRegistry.setDealFactory`, so approving
    ///         nodes for a deal reverted (`UnknownDeal`) and with it every node registration on a deal. After 03 the
    ///         registry reads the deployed factory: a deal's underwriter approves a node and the operator registers it
    ///         on the deal; a re-run sends nothing.
    function test_finding4_dealFactoryWiredToNodeRegistry() public {
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        assertEq(r.g.registry.dealFactory(), address(r.g.deals.factory), "registry reads the deal factory");
        _acceptAll(r);

        address underwriter = _role(r.json, "underwriter");
        IGpuDeal.Terms memory t;
        t.borrower = makeAddr("borrower");
        t.underwriter = underwriter;
        t.collateral =
            IGpuDeal.Collateral(IGpuDeal.AssetClass.GPU, "H100", 24, 1_250_000e18, keccak256("s"), bytes32(0));
        t.structure = IGpuDeal.Structure.FIXED;
        t.seniorPrincipal = 800_000e18;
        t.juniorPrincipal = 200_000e18;
        t.seniorAprBps = 1000;
        t.juniorAprBps = 2000;
        t.tenor = uint32(365 days);
        t.paymentInterval = uint32(30 days);
        t.fundingDeadline = uint32(block.timestamp + 14 days);
        vm.prank(underwriter);
        GpuDeal deal = GpuDeal(r.g.deals.factory.createDeal(t));
        uint256 dealId = r.g.deals.factory.dealIdOf(address(deal));

        address operator = makeAddr("operator");
        uint256 selfStake = r.g.vault.minSelfStake();
        vm.prank(_role(r.json, "treasury")); // holds the whole GAIB supply
        IERC20Like(r.g.gaib).transfer(operator, selfStake);
        vm.startPrank(operator);
        IERC20Like(r.g.gaib).approve(address(r.g.vault), selfStake);
        r.g.vault.registerOperator(0, selfStake);
        vm.stopPrank();
        bytes32 nodeId = r.g.registry.nodeIdOf(operator, "gpu-0");
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = nodeId;
        vm.prank(underwriter);
        r.g.registry.approveNodes(dealId, ids, true);
        vm.prank(operator);
        assertEq(r.g.registry.registerNode("gpu-0", makeAddr("signer"), dealId, 0, "H100", 8), nodeId);
        bytes32[] memory active = r.g.registry.activeNodesOfDeal(dealId);
        assertEq(active.length, 1, "one node active on the deal");
        assertEq(active[0], nodeId, "registered on the deal");

        uint64 nonce = vm.getNonce(deployer);
        gaib.deploy(ShippedConfig.DIR, "ethereum");
        assertEq(vm.getNonce(deployer), nonce, "re-run: nothing sent");
        assertEq(r.g.registry.dealFactory(), address(r.g.deals.factory), "unchanged");
    }

    /// @notice Re-running both scripts after the final admin accepted sends nothing and does not revert.
    function test_handoff_rerunAfterAcceptanceSendsNothing() public {
        Run memory r = _deploy(ShippedConfig.DIR, "ethereum");
        _acceptAll(r);
        uint64 nonce = vm.getNonce(deployer);
        DeployCore.Deployment memory c = core.deploy(ShippedConfig.DIR, "ethereum");
        DeployGaib.Deployment memory g = gaib.deploy(ShippedConfig.DIR, "ethereum");
        assertEq(vm.getNonce(deployer), nonce, "nothing sent");
        assertEq(address(c.timelock), address(r.c.timelock), "same timelock");
        assertEq(address(g.deals.factory), address(r.g.deals.factory), "same deal factory");
    }

    // ---------------------------------------------------------------- helpers

    function _deployHandOffAndCheck(string memory dir, string memory network) internal {
        Run memory r = _deploy(dir, network);
        bool wired = vm.exists(string.concat(dir, "/ethereum.json")); // 02_WireOFT reads the home chain's config
        if (wired) new WireOFT().wire(dir, network, r.c.aid);
        _acceptAll(r);
        _expectAll(r);
        assertEq(_violations(vm.getRecordedLogs(), r.contracts, deployer, r.finalAdmin, r.endpoint), "");
        assertEq(_pathwayViolations(dir, network, _oapps(r, wired)), "", "LayerZero pathways as configured");
    }

    /// @dev The OApps whose pathways are checked: GAIB's (03_DeployGaib), and AID's and sAID's when 02_WireOFT ran.
    function _oapps(Run memory r, bool wired) internal pure returns (address[] memory o) {
        address gaibOApp = address(r.g.adapter) == address(0) ? r.g.gaib : address(r.g.adapter);
        if (!wired) {
            o = new address[](1);
            o[0] = gaibOApp;
            return o;
        }
        o = new address[](3);
        (o[0], o[1], o[2]) = (gaibOApp, address(r.c.aid), r.c.sAIDAdapter == address(0) ? r.c.sAID : r.c.sAIDAdapter);
    }

    /// @dev 01_DeployCore then 03_DeployGaib on `network`'s chain, logs recorded from before the first transaction.
    function _deploy(string memory dir, string memory network) internal returns (Run memory r) {
        r.json = vm.readFile(string.concat(dir, "/", network, ".json"));
        r.finalAdmin = vm.parseJsonAddress(r.json, ".finalAdmin");
        r.endpoint = vm.parseJsonAddress(r.json, ".endpoint");
        assertTrue(r.finalAdmin != address(0), "a production config");
        vm.chainId(vm.parseJsonUint(r.json, ".chainId"));
        vm.recordLogs();
        r.c = core.deploy(dir, network);
        r.g = gaib.deploy(dir, network);
        r.contracts = _contracts(r);
    }

    function _contracts(Run memory r) internal view returns (address[] memory c) {
        address[19] memory all = [
            address(r.c.factory),
            address(r.c.aid),
            address(r.c.minter),
            address(r.c.reserve),
            r.c.sAID,
            r.c.sAIDAdapter,
            address(r.c.timelock),
            r.c.sAIDAdapter == address(0)
                ? address(0)
                : address(uint160(uint256(vm.load(r.c.sAID, IMPLEMENTATION_SLOT)))),
            r.g.gaib,
            address(r.g.adapter),
            address(r.g.vault),
            address(r.g.slasher),
            address(r.g.registry),
            address(r.g.oracle),
            r.g.deals.dealImpl,
            r.g.deals.trancheImpl,
            address(r.g.deals.factory),
            address(r.g.deals.reporter),
            address(r.g.deals.revenueAdapter)
        ];
        uint256 n;
        for (uint256 i; i < all.length; ++i) {
            if (all[i] != address(0)) ++n;
        }
        c = new address[](n);
        n = 0;
        for (uint256 i; i < all.length; ++i) {
            if (all[i] != address(0)) c[n++] = all[i];
        }
    }

    /// @dev The final admin accepts every pending admin transfer, after the longest admin delay.
    function _acceptAll(Run memory r) internal {
        vm.warp(block.timestamp + 1 days + 1);
        for (uint256 i; i < r.contracts.length; ++i) {
            (bool ok, bytes memory ret) = r.contracts[i].staticcall(abi.encodeWithSignature("pendingDefaultAdmin()"));
            if (!ok || ret.length < 64) continue;
            (address pending,) = abi.decode(ret, (address, uint48));
            if (pending != r.finalAdmin) continue;
            vm.prank(r.finalAdmin);
            IAccessControlDefaultAdminRules(r.contracts[i]).acceptDefaultAdminTransfer();
        }
    }

    /// @dev Every (contract, role, holder) the config names: DEFAULT_ADMIN_ROLE to the final admin everywhere,
    ///      operational roles to `roles.*`, contract-to-contract roles to the deployed contract.
    function _expectAll(Run memory r) internal {
        string memory j = r.json;
        for (uint256 i; i < r.contracts.length; ++i) {
            (bool ok, bytes memory ret) = r.contracts[i].staticcall(abi.encodeWithSignature("defaultAdmin()"));
            if (ok && ret.length == 32 && abi.decode(ret, (address)) != address(0)) {
                _expectRole(r.contracts[i], bytes32(0), r.finalAdmin); // not an implementation behind a proxy
            }
        }
        address aid = address(r.c.aid);
        _expectRole(aid, keccak256("PAUSER_ROLE"), _role(j, "gatekeeper"));
        _expectRole(aid, keccak256("DENYLIST_MANAGER_ROLE"), _role(j, "denylistManager"));
        if (address(r.c.minter) == address(0)) return; // remote chain: AID, StakedAIDOFT and GAIBOFT only
        _expectRole(aid, keccak256("MINTER_ROLE"), address(r.c.minter));
        _expectRole(address(r.c.minter), keccak256("GATEKEEPER_ROLE"), _role(j, "gatekeeper"));
        _expectRole(address(r.c.minter), keccak256("WHITELIST_MANAGER_ROLE"), _role(j, "whitelistManager"));
        _expectRole(address(r.c.reserve), keccak256("RESERVE_MANAGER_ROLE"), _role(j, "reserveManager"));
        _expectRole(address(r.c.reserve), keccak256("HARVESTER_ROLE"), _role(j, "harvester"));
        _expectRole(r.c.sAID, keccak256("REWARDER_ROLE"), address(r.c.reserve));
        _expectRole(r.c.sAID, keccak256("ALLOCATOR_ROLE"), _role(j, "allocator"));
        _expectRole(r.c.sAID, keccak256("RESTRICTION_MANAGER_ROLE"), _role(j, "restrictionManager"));
        _expectRole(r.c.sAID, keccak256("PAUSER_ROLE"), _role(j, "gatekeeper"));
        _expectRole(r.c.sAID, keccak256("UPGRADER_ROLE"), address(r.c.timelock));
        _expectRoleAdmin(r.c.sAID, keccak256("UPGRADER_ROLE"), keccak256("UPGRADER_ROLE")); // only the timelock
        _expectRoleAdmin(address(r.c.minter), keccak256("WHITELISTED_ROLE"), keccak256("WHITELIST_MANAGER_ROLE"));
        address t = address(r.c.timelock);
        _expectRole(t, bytes32(0), t); // self-administered
        _expectRole(t, keccak256("PROPOSER_ROLE"), r.finalAdmin);
        _expectRole(t, keccak256("CANCELLER_ROLE"), r.finalAdmin);
        _expectRole(t, keccak256("EXECUTOR_ROLE"), r.finalAdmin);
        _expectRole(address(r.g.slasher), keccak256("SLASHER_ROLE"), address(r.g.oracle));
        _expectLink(address(r.g.registry), "dealFactory()", address(r.g.deals.factory));
        _expectRole(address(r.g.slasher), keccak256("VETOER_ROLE"), _role(j, "resolver"));
        address f = address(r.g.deals.factory);
        _expectRole(f, keccak256("DEAL_ADMIN_ROLE"), _role(j, "dealAdmin"));
        _expectRole(f, keccak256("UNDERWRITER_ROLE"), _role(j, "underwriter"));
        _expectRole(f, keccak256("KYC_ROLE"), _role(j, "kycManager"));
        _expectRole(f, keccak256("PAUSER_ROLE"), _role(j, "gatekeeper"));
        _expectRole(address(r.g.deals.reporter), keccak256("REVENUE_REPORTER_ROLE"), _role(j, "revenueReporter"));
    }

    function _assertOAppHandedOff(address oapp, address finalAdmin, address endpoint) internal {
        assertEq(OAppCore(oapp).owner(), finalAdmin, "OApp owner is the final admin");
        assertEq(MockDelegates(endpoint).delegates(oapp), finalAdmin, "endpoint delegate followed the admin");
        assertFalse(IAccessControl(oapp).hasRole(bytes32(0), deployer), "deployer not admin");
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, deployer, bytes32(0))
        );
        vm.prank(deployer);
        OAppCore(oapp).setPeer(30_184, bytes32(uint256(1)));
        vm.expectRevert(IAdminOwnedOApp.OwnershipManagedByAdminRole.selector);
        vm.prank(finalAdmin);
        OAppCore(oapp).transferOwnership(deployer);
    }

    function _role(string memory json, string memory name) internal pure returns (address) {
        return vm.parseJsonAddress(json, string.concat(".roles.", name));
    }
}

interface MockDelegates {
    function delegates(address oapp) external view returns (address);
}

interface IMsgInspectable {
    function setMsgInspector(address inspector) external;
}

interface IERC20Like {
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
    function approve(address, uint256) external returns (bool);
}
