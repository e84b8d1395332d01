// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodeRegistry} from "../../src/nodes/NodeRegistry.sol";
import {TelemetryOracle} from "../../src/nodes/TelemetryOracle.sol";
import {MockDealBook} from "../mocks/MockDealBook.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";
import {StakingBase} from "./StakingBase.sol";

/// @notice Node network fixture on top of StakingBase: registry and oracle from GaibDeployer, three opted-in operators
///         with 40% / 35% / 25% of the stake (op1 + op2 = 75% ≥ 2/3; op1 + op3 = 65% < 2/3), four node keys on two
///         deals (stand-in deals whose underwriter approved the nodes), and an epoch `epoch0` whose stake snapshot
///         holds all of it and which has just ended. Leaves carry their node's signature ({TelemetryLib-leaf}).
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

    bytes32[4] internal labels = [bytes32("node-1"), bytes32("node-2"), bytes32("node-3"), bytes32("node-4")];
    bytes32[4] internal nodeIds; // registry.nodeIdOf(operator, label)
    MockDealBook internal dealBook;
    address internal underwriter = makeAddr("underwriter");
    address internal borrower = makeAddr("borrower");
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
        dealBook = new MockDealBook();
        dealBook.addDeal(DEAL_A, borrower, underwriter);
        dealBook.addDeal(DEAL_B, borrower, underwriter);
        vm.prank(admin);
        registry.setDealFactory(address(dealBook));

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
        nodeIds[i] = _registerAs(op, labels[i], nodeSigners[i], dealId);
    }

    /// @dev The deal's underwriter approves `op`'s node `label` (unless no deal), then `op` registers it.
    function _registerAs(address op, bytes32 label, address signer, uint256 dealId) internal returns (bytes32 id) {
        id = registry.nodeIdOf(op, label);
        if (dealId != 0) _approve(dealId, id);
        vm.prank(op);
        assertEq(registry.registerNode(label, signer, dealId, GPU, H100, 8), id);
    }

    function _approve(uint256 dealId, bytes32 id) internal {
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = id;
        vm.prank(underwriter);
        registry.approveNodes(dealId, ids, true);
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

    /// @dev The OpenZeppelin standard leaf (report + node signature), computed independently of TelemetryLib.
    function _leaf(TelemetryLib.Telemetry memory t, TelemetryLib.NodeSignature memory g)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(
            bytes.concat(
                keccak256(
                    bytes.concat(
                        abi.encode(t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue),
                        abi.encode(g.r, g.s, g.v)
                    )
                )
            )
        );
    }

    /// @dev Every report signed by its own node's key (a report of an unknown node gets a stranger's signature).
    function _sigs(TelemetryLib.Telemetry[] memory r) internal view returns (TelemetryLib.NodeSignature[] memory g) {
        g = new TelemetryLib.NodeSignature[](r.length);
        for (uint256 i; i < r.length; ++i) {
            g[i] = _sigOf(r[i]);
        }
    }

    /// @dev `t` signed by its node's key (by a stranger's key if the node is not one of the four).
    function _sigOf(TelemetryLib.Telemetry memory t) internal view returns (TelemetryLib.NodeSignature memory) {
        for (uint256 i; i < 4; ++i) {
            if (nodeIds[i] == t.nodeId) return _sign(i, t);
        }
        return _sigWith(uint256(keccak256("stranger")), t);
    }

    function _leavesWith(TelemetryLib.Telemetry[] memory r, TelemetryLib.NodeSignature[] memory g)
        internal
        pure
        returns (bytes32[] memory l)
    {
        l = new bytes32[](r.length);
        for (uint256 i; i < r.length; ++i) {
            l[i] = _leaf(r[i], g[i]);
        }
    }

    /// @dev Leaves of `r`, each node-signed.
    function _leaves(TelemetryLib.Telemetry[] memory r) internal view returns (bytes32[] memory) {
        return _leavesWith(r, _sigs(r));
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
        returns (TelemetryLib.NodeSignature memory g)
    {
        (g.v, g.r, g.s) = vm.sign(key, _digest(t, chainId, verifying));
    }

    function _sigWith(uint256 key, TelemetryLib.Telemetry memory t)
        internal
        view
        returns (TelemetryLib.NodeSignature memory)
    {
        return _signWith(key, t, block.chainid, address(oracle));
    }

    function _sign(uint256 i, TelemetryLib.Telemetry memory t)
        internal
        view
        returns (TelemetryLib.NodeSignature memory)
    {
        return _sigWith(nodeKeys[i], t);
    }

    function _attest(address op, uint256 epoch, TelemetryLib.Telemetry[] memory r) internal returns (bytes32 root) {
        return _attestWith(op, epoch, r, _sigs(r));
    }

    function _attestWith(
        address op,
        uint256 epoch,
        TelemetryLib.Telemetry[] memory r,
        TelemetryLib.NodeSignature[] memory g
    ) internal returns (bytes32 root) {
        root = MerkleHelper.root(_leavesWith(r, g));
        vm.prank(op);
        oracle.attest(epoch, root, r.length, _total(r));
    }

    /// @dev op1 and op2 (75%) attest `r` (each node-signed) for `epoch`: accepted.
    function _accept(uint256 epoch, TelemetryLib.Telemetry[] memory r) internal returns (bytes32 root) {
        _attest(op1, epoch, r);
        root = _attest(op2, epoch, r);
    }

    /// @dev op1 and op2 accept `r` with leaf `k` forged: its revenue changed to `revenue` under the node's signature
    ///      of the true report. Returns the forged leaf's signature and proof.
    function _acceptForged(uint256 epoch, TelemetryLib.Telemetry[] memory r, uint256 k, uint256 revenue)
        internal
        returns (TelemetryLib.NodeSignature memory g, bytes32[] memory proof)
    {
        TelemetryLib.NodeSignature[] memory sigs = _sigs(r);
        r[k].revenue = revenue;
        _attestWith(op1, epoch, r, sigs);
        _attestWith(op2, epoch, r, sigs);
        (g, proof) = (sigs[k], MerkleHelper.proof(_leavesWith(r, sigs), k));
    }

    function _finalize(uint256 epoch) internal {
        vm.warp(oracle.getEpochRoot(epoch).challengeDeadline);
    }

    function _prove(uint256 epoch, TelemetryLib.Telemetry[] memory r, uint256 i) internal {
        oracle.proveRevenue(epoch, r[i], _sigOf(r[i]), MerkleHelper.proof(_leaves(r), i));
    }
}
