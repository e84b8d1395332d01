// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodeRegistry} from "../../src/nodes/NodeRegistry.sol";
import {TelemetryOracle} from "../../src/nodes/TelemetryOracle.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {StakingBase} from "./StakingBase.sol";

/// @notice Node network fixture on top of StakingBase: registry and oracle from GaibDeployer, three opted-in operators
///         with 40% / 35% / 25% of the stake (op1 + op2 = 75% ≥ 2/3; op1 + op3 = 65% < 2/3), four node keys on two
///         deals, and an epoch `epoch0` whose stake snapshot holds all of it and which has just ended.
abstract contract NodesBase is StakingBase {
    uint256 internal constant DEAL_A = 7;
    uint256 internal constant DEAL_B = 8;
    uint256 internal constant OP1_WEIGHT = 400_000e18;
    uint256 internal constant OP2_WEIGHT = 350_000e18;
    uint256 internal constant OP3_WEIGHT = 250_000e18;
    uint256 internal constant TOTAL_WEIGHT = 1_000_000e18;
    bytes32 internal constant H100 = "NVIDIA H100 SXM";
    uint16 internal constant GPU = 1;

    NodeRegistry internal registry;
    TelemetryOracle internal oracle;
    uint256 internal epoch0;

    bytes32[4] internal nodeIds = [bytes32("node-1"), bytes32("node-2"), bytes32("node-3"), bytes32("node-4")];
    address[4] internal nodeSigners;
    uint256[4] internal nodeKeys;

    function setUp() public virtual override {
        super.setUp();
        vm.startPrank(admin);
        GaibDeployer.Nodes memory n = GaibDeployer.deployNodes(GaibDeployer.Staking(vault, slasher), admin);
        vm.stopPrank();
        (registry, oracle) = (n.registry, n.oracle);
        vm.label(address(registry), "NodeRegistry");
        vm.label(address(oracle), "TelemetryOracle");

        _activeOperator(op1);
        _activeOperator(op2);
        _activeOperator(op3);
        _stake(alice, op1, OP1_WEIGHT - MIN_SELF_STAKE);
        _stake(bob, op2, OP2_WEIGHT - MIN_SELF_STAKE);
        _stake(carol, op3, OP3_WEIGHT - MIN_SELF_STAKE);

        for (uint256 i; i < 4; ++i) {
            (nodeSigners[i], nodeKeys[i]) = makeAddrAndKey(string.concat("nodeKey", vm.toString(i)));
        }
        _registerNode(op1, 0, DEAL_A);
        _registerNode(op1, 1, DEAL_A);
        _registerNode(op2, 2, DEAL_A);
        _registerNode(op3, 3, DEAL_B);

        // the next epoch starts after every stake above: it is epoch0; let it end
        epoch0 = vault.currentEpoch() + 1;
        vm.warp(vault.epochStart(epoch0 + 1) + 1);
    }

    // ------------------------------------------------------------ helpers

    function _registerNode(address op, uint256 i, uint256 dealId) internal {
        vm.prank(op);
        registry.registerNode(nodeIds[i], nodeSigners[i], dealId, GPU, H100, 8);
    }

    function _report(uint256 i, uint256 epoch, uint256 revenue) internal view returns (TelemetryLib.Telemetry memory) {
        return TelemetryLib.Telemetry({
            nodeId: nodeIds[i],
            epoch: uint64(epoch),
            uptimeBps: 9990,
            utilisationBps: 8000,
            gpusOnline: 8,
            powerW: 5600,
            revenue: revenue
        });
    }

    /// @dev A copy (memory structs are references).
    function _copy(TelemetryLib.Telemetry memory t) internal pure returns (TelemetryLib.Telemetry memory c) {
        c = TelemetryLib.Telemetry(t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue);
    }

    /// @dev Every node's report for `epoch`, node i earning (i + 1) × 100 AID.
    function _reports(uint256 epoch) internal view returns (TelemetryLib.Telemetry[] memory r) {
        r = new TelemetryLib.Telemetry[](4);
        for (uint256 i; i < 4; ++i) {
            r[i] = _report(i, epoch, (i + 1) * 100e18);
        }
    }

    /// @dev The OpenZeppelin standard leaf, computed independently of TelemetryLib.
    function _leaf(TelemetryLib.Telemetry memory t) internal pure returns (bytes32) {
        return keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue)
                )
            )
        );
    }

    function _leaves(TelemetryLib.Telemetry[] memory r) internal pure returns (bytes32[] memory l) {
        l = new bytes32[](r.length);
        for (uint256 i; i < r.length; ++i) {
            l[i] = _leaf(r[i]);
        }
    }

    function _total(TelemetryLib.Telemetry[] memory r) internal pure returns (uint256 sum) {
        for (uint256 i; i < r.length; ++i) {
            sum += r[i].revenue;
        }
    }

    /// @dev EIP-712 digest for `t` under an explicit domain (chain id, verifying contract).
    function _digest(TelemetryLib.Telemetry memory t, uint256 chainId, address verifyingContract)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("GAIB Telemetry"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                TelemetryLib.TELEMETRY_TYPEHASH,
                t.nodeId,
                t.epoch,
                t.uptimeBps,
                t.utilisationBps,
                t.gpusOnline,
                t.powerW,
                t.revenue
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _signWith(uint256 key, TelemetryLib.Telemetry memory t, uint256 chainId, address verifying)
        internal
        pure
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _digest(t, chainId, verifying));
        return abi.encodePacked(r, s, v);
    }

    function _sign(uint256 i, TelemetryLib.Telemetry memory t) internal view returns (bytes memory) {
        return _signWith(nodeKeys[i], t, block.chainid, address(oracle));
    }

    function _attest(address op, uint256 epoch, TelemetryLib.Telemetry[] memory r) internal returns (bytes32 root) {
        root = MerkleHelper.root(_leaves(r));
        vm.prank(op);
        oracle.attest(epoch, root, r.length, _total(r));
    }

    /// @dev op1 and op2 (75%) attest `r` for `epoch`: accepted.
    function _accept(uint256 epoch, TelemetryLib.Telemetry[] memory r) internal returns (bytes32 root) {
        _attest(op1, epoch, r);
        root = _attest(op2, epoch, r);
    }

    /// @dev The attesters of an accepted root, sorted.
    function _sorted(address a, address b) internal pure returns (address[] memory s) {
        s = new address[](2);
        (s[0], s[1]) = a < b ? (a, b) : (b, a);
    }

    function _finalize(uint256 epoch) internal {
        vm.warp(oracle.getEpochRoot(epoch).challengeDeadline);
    }

    function _prove(uint256 epoch, TelemetryLib.Telemetry[] memory r, uint256 i) internal {
        oracle.proveRevenue(epoch, r[i], MerkleHelper.proof(_leaves(r), i));
    }
}
