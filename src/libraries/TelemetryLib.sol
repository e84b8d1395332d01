// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TelemetryLib
/// @notice The per-epoch telemetry report of one node, its EIP-712 struct hash (what the node key signs), the node's
///         signature, and the Merkle leaf operators put in the epoch tree. The leaf commits to the report AND the
///         node's signature of it, in OpenZeppelin's standard encoding:
///         `leaf = keccak256(bytes.concat(keccak256(abi.encode(nodeId, epoch, uptimeBps, utilisationBps, gpusOnline,
///         powerW, revenue, r, s, v))))`, i.e. `StandardMerkleTree.of(values, ["bytes32", "uint64", "uint16", "uint16",
///         "uint32", "uint32", "uint256", "bytes32", "bytes32", "uint8"])` of the npm package merkle-tree of
///         OpenZeppelin. The double hash keeps a leaf from ever being read as an inner node (second-preimage safe).
///         Because the leaf carries the signature, anyone holding the tree can check every leaf against the node's
///         registered signer, and a leaf no node signed is provable in O(log n) without any other report.
library TelemetryLib {
    /// @notice One node's report for one epoch.
    struct Telemetry {
        bytes32 nodeId;
        uint64 epoch;
        uint16 uptimeBps; // [bps] share of the epoch the node was up
        uint16 utilisationBps; // [bps] average GPU (or unit) utilisation
        uint32 gpusOnline; // units online at the end of the epoch
        uint32 powerW; // [W] average power draw
        uint256 revenue; // [wad] AID earned in the epoch
    }

    /// @notice A node's ECDSA signature of a report's EIP-712 digest (`v` 27 or 28, `s` in the lower half order:
    ///         OpenZeppelin ECDSA rules; anything else recovers to no one).
    struct NodeSignature {
        bytes32 r;
        bytes32 s;
        uint8 v;
    }

    /// @notice EIP-712 type hash of {Telemetry}.
    bytes32 internal constant TELEMETRY_TYPEHASH = keccak256(
        "Telemetry(bytes32 nodeId,uint64 epoch,uint16 uptimeBps,uint16 utilisationBps,uint32 gpusOnline,uint32 powerW,uint256 revenue)"
    );

    /// @notice EIP-712 struct hash of `t` (to be wrapped in the oracle's domain).
    function structHash(Telemetry calldata t) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                TELEMETRY_TYPEHASH, t.nodeId, t.epoch, t.uptimeBps, t.utilisationBps, t.gpusOnline, t.powerW, t.revenue
            )
        );
    }

    /// @notice OpenZeppelin standard Merkle leaf of report `t` with its node signature `sig` (both static tuples,
    ///         so `abi.encode(t, sig)` is the ten fields in order).
    function leaf(Telemetry calldata t, NodeSignature calldata sig) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(t, sig))));
    }
}
