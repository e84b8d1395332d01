// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice Test-side Merkle trees with OpenZeppelin's pair hashing (sorted pairs, as MerkleProof verifies): roots and
///         proofs for small leaf sets, and roots of synthetic sibling paths for large trees.
library MerkleHelper {
    /// @notice Root of `leaves` (an odd node at a level is carried up unchanged).
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            level = _up(level);
        }
        return level[0];
    }

    /// @notice Proof of `leaves[index]`.
    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory p) {
        bytes32[] memory tmp = new bytes32[](64);
        uint256 n;
        bytes32[] memory level = leaves;
        while (level.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < level.length) tmp[n++] = level[sibling];
            level = _up(level);
            index /= 2;
        }
        p = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            p[i] = tmp[i];
        }
    }

    /// @notice Root obtained by folding `leaf` with `siblings` (a synthetic path of a tree of 2^siblings.length leaves).
    function rootFromPath(bytes32 leaf, bytes32[] memory siblings) internal pure returns (bytes32 h) {
        h = leaf;
        for (uint256 i; i < siblings.length; ++i) {
            h = Hashes.commutativeKeccak256(h, siblings[i]);
        }
    }

    /// @notice Depth of a balanced tree over `n` leaves: ceil(log2 n).
    function depth(uint256 n) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < n) {
            ++d;
        }
    }

    function _up(bytes32[] memory level) private pure returns (bytes32[] memory next) {
        next = new bytes32[]((level.length + 1) / 2);
        for (uint256 i; i < next.length; ++i) {
            uint256 l = 2 * i;
            next[i] = l + 1 < level.length ? Hashes.commutativeKeccak256(level[l], level[l + 1]) : level[l];
        }
    }
}
