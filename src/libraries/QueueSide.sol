// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDStorage} from "../vault/StakedAIDStorage.sol";
import {VaultLedger} from "./VaultLedger.sol";
import {VaultMath} from "./VaultMath.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title QueueSide
/// @notice The arithmetic shared by the two side parts of sAID's unstake queue ({StakedAIDStorage.Side}): the bare
///         part (value without claim) and the excess part (claim without value). Both are uniform per share; what of
///         them moves into the pool is shared by every share through an accumulator of pool shares, settled into a
///         request's pool shares (and its owner's aggregate) when next touched; re-bases keep the index >= INDEX_FLOOR;
///         a move of the whole part ends its era (the words written in it settle at the era's final accumulator).
/// @dev Internal functions, compiled into the logic libraries that use them ({QueueLogic}, {PositionLogic}).
library QueueSide {
    using SafeCast for uint256;

    /// @dev A word's shares: bits 0–223, the side epoch of their units bits 224–255.
    uint256 internal constant EPOCH_SHIFT = 224;
    /// @dev Accumulator snapshots: bits 0–199 the accumulator, from 200 the pool epoch of its units.
    uint256 internal constant ACC_SHIFT = 200;
    uint256 internal constant ACC_MASK = (1 << 200) - 1;
    /// @dev A side epoch's era: epoch >> 16.
    uint256 internal constant ERA_SHIFT = 16;
    /// @dev Bound of the accumulator (bits 0–199 of the snapshots): a side re-base that would pass it ends the era.
    uint256 internal constant ACC_MAX = 1 << 199;

    /// @notice A side part in memory: its state `s` (shares, index [ray]) in the units of side epoch `epoch`, its
    ///         accumulator `acc`; `restart` when the era ended in memory (the final accumulator `endAcc` at side epoch
    ///         `endEpoch`; `s`, `acc` and `epoch` are the new era's).
    struct Part {
        StakedAIDStorage.QueueState s;
        uint256 acc;
        uint256 epoch;
        bool restart;
        uint256 endAcc;
        uint256 endEpoch;
    }

    // ------------------------------------------------------------------ the part as a whole (memory)

    /// @dev The part as stored (its accumulator only while it holds shares: no word gains otherwise).
    function load(StakedAIDStorage.Side storage side) internal view returns (Part memory p) {
        (p.s, p.epoch) = (side.state, side.epoch);
        if (p.s.queueShares != 0) p.acc = side.acc;
    }

    /// @dev Stores `p`, recording the end of its era when it ended (at pool epoch `poolEpoch`).
    function store(StakedAIDStorage.Side storage side, Part memory p, uint256 poolEpoch) internal {
        if (p.restart) {
            side.eraEnd[p.endEpoch >> ERA_SHIFT] =
                p.endAcc | (poolEpoch << ACC_SHIFT) | ((p.endEpoch & type(uint16).max) << (ACC_SHIFT + 32));
        }
        side.epoch = p.epoch;
        side.state = p.s;
        side.acc = p.acc;
    }

    /// @dev The pool re-based `steps` times: the accumulators in its new units (÷ 1000 a step).
    function poolRebased(Part memory p, uint256 steps) internal pure {
        p.acc = VaultMath.rescaled(p.acc, steps);
        if (p.restart) p.endAcc = VaultMath.rescaled(p.endAcc, steps);
    }

    /// @dev The pool shares per share of `p` [ray] that `ms` pool shares moved out of it make (rounded down).
    function gainOf(Part memory p, uint256 ms) internal pure returns (uint256) {
        return ms == 0 ? 0 : Math.mulDiv(ms, VaultMath.RAY, p.s.queueShares);
    }

    /// @dev The whole part moved (or lapsed), its shares gaining `more` pool shares each: its era ends, the next starts empty.
    function endEra(Part memory p, uint256 more) internal pure {
        (p.restart, p.endAcc, p.endEpoch) = (true, p.acc + more, p.epoch);
        p.epoch = ((p.epoch >> ERA_SHIFT) + 1) << ERA_SHIFT;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s = StakedAIDStorage.QueueState(0, uint96(VaultMath.RAY));
        p.acc = 0;
    }

    /// @dev The part goes on at index `index` (> 0, <= its index) with `more` pool shares per share, re-based
    ///      (index × 1000, shares ÷ 1000 rounded up, accumulator × 1000) while the index is below INDEX_FLOOR; false
    ///      (`p` unchanged) when that would push the accumulator past ACC_MAX: the caller ends the era instead.
    function rescale(Part memory p, uint256 index, uint256 more) internal pure returns (bool) {
        uint256 steps = stepsFor(index);
        uint256 acc = p.acc + more;
        if (steps >= 26 || acc >= ACC_MAX / VaultMath.RESCALE ** steps) return false;
        uint256 f = VaultMath.RESCALE ** steps;
        p.acc = acc * f;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s.lossIndex = uint96(index * f); // < 1e27
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s.queueShares = uint160(Math.ceilDiv(p.s.queueShares, f)); // stays > 0
        p.epoch += steps;
        return true;
    }

    /// @dev The re-bases that bring `index` (> 0) back to >= INDEX_FLOOR.
    function stepsFor(uint256 index) internal pure returns (uint256 steps) {
        while (index * VaultMath.RESCALE ** steps < VaultMath.INDEX_FLOOR) ++steps;
    }

    // ------------------------------------------------------------------ words (storage)

    /// @dev Adds `amount` [wad] (value of the bare part, claim of the excess part) of request `id` (of `owner`) to the
    ///      part: its shares rounded up (it holds exactly `amount`), recorded with the request and in the owner's
    ///      aggregate, both snapshotting the accumulator (at pool epoch `poolEpoch`); an empty part restarts at 1e27.
    /// @return grew What the part's total grew by (= amount ± the rounding of the total).
    /// @return settled The pool shares the owner's aggregate gained before (the caller adds them to the owner's).
    function add(StakedAIDStorage.Side storage side, address owner, uint256 id, uint256 amount, uint256 poolEpoch)
        internal
        returns (uint256 grew, uint256 settled)
    {
        (amount, grew) = _grow(side, amount); // `amount`: its shares from here
        uint256 epoch = side.epoch;
        uint256 snap = side.acc | (poolEpoch << ACC_SHIFT);
        side.requestWord[id] = (epoch << EPOCH_SHIFT) | amount;
        side.requestAcc[id] = snap;
        uint256 held;
        (settled, held) = gain(side, side.accountWord[owner], side.accountAcc[owner], snap & ACC_MASK, epoch, poolEpoch);
        side.accountWord[owner] = (epoch << EPOCH_SHIFT) | (held + amount);
        side.accountAcc[owner] = snap;
    }

    /// @dev The part's total takes `amount` [wad]: `fs` shares, rounded up; `grew` what its total grew by.
    function _grow(StakedAIDStorage.Side storage side, uint256 amount) private returns (uint256 fs, uint256 grew) {
        StakedAIDStorage.QueueState memory b = side.state;
        // forge-lint: disable-next-line(unsafe-typecast)
        if (b.queueShares == 0) b.lossIndex = uint96(VaultMath.RAY);
        uint256 before = VaultLedger.pending(b);
        fs = Math.mulDiv(amount, VaultMath.RAY, b.lossIndex, Math.Rounding.Ceil);
        b.queueShares = (b.queueShares + fs).toUint160();
        side.state = b;
        grew = VaultLedger.pending(b) - before;
    }

    /// @dev Rewrites request `id`'s word with `left` shares and a fresh snapshot (`acc` at side epoch `epoch`, pool
    ///      epoch `poolEpoch`: its gain was settled into its pool shares); deletes both words when `left` is 0.
    function rewrite(
        StakedAIDStorage.Side storage side,
        uint256 id,
        uint256 left,
        uint256 acc,
        uint256 epoch,
        uint256 poolEpoch
    ) internal {
        if (left == 0) {
            delete side.requestWord[id];
            delete side.requestAcc[id];
        } else {
            side.requestWord[id] = (epoch << EPOCH_SHIFT) | left;
            side.requestAcc[id] = acc | (poolEpoch << ACC_SHIFT);
        }
    }

    /// @dev The owner's aggregate settles what it gained (`gained`: the pool shares, for its aggregate of pool
    ///      shares), then loses the `burnt` shares paid (all of them when `clear`: its latest request was paid, or the
    ///      part is empty).
    function settleAccount(
        StakedAIDStorage.Side storage side,
        address owner,
        uint256 burnt,
        bool clear,
        uint256 acc,
        uint256 epoch,
        uint256 poolEpoch
    ) internal returns (uint256 gained) {
        uint256 held;
        (gained, held) = gain(side, side.accountWord[owner], side.accountAcc[owner], acc, epoch, poolEpoch);
        held = held > burnt && !clear ? held - burnt : 0;
        side.accountWord[owner] = held == 0 ? 0 : (epoch << EPOCH_SHIFT) | held;
        side.accountAcc[owner] = held == 0 ? 0 : acc | (poolEpoch << ACC_SHIFT);
    }

    /// @dev The pool shares (in the units of pool epoch `poolEpoch`) gained by a word `word` (shares | epoch << 224)
    ///      whose accumulator snapshot is `snap` (acc | pool epoch << 200), when the accumulator is `acc` at side epoch
    ///      `epoch`; and its shares now (0 in a later era: the word's era ended when its part moved whole, and
    ///      settles at the era's final accumulator).
    function gain(
        StakedAIDStorage.Side storage side,
        uint256 word,
        uint256 snap,
        uint256 acc,
        uint256 epoch,
        uint256 poolEpoch
    ) internal view returns (uint256 gained, uint256 fs) {
        uint256 f = word & ((1 << EPOCH_SHIFT) - 1);
        if (f == 0) return (0, 0);
        uint256 e = word >> EPOCH_SHIFT;
        uint256 endEpoch = poolEpoch;
        if (e >> ERA_SHIFT == epoch >> ERA_SHIFT) {
            fs = VaultMath.rescaled(f, epoch - e);
        } else {
            uint256 end = side.eraEnd[e >> ERA_SHIFT];
            acc = end & ACC_MASK;
            endEpoch = (end >> ACC_SHIFT) & type(uint32).max;
            epoch = ((e >> ERA_SHIFT) << ERA_SHIFT) | (end >> (ACC_SHIFT + 32));
        }
        uint256 hi = VaultMath.rescaled(Math.mulDiv(f, acc, VaultMath.RAY), epoch - e);
        // the snapshot's part rounded up: a request's gain never exceeds its share of what moved into the pool
        uint256 lo = _ceilRescaled(
            Math.mulDiv(f, snap & ACC_MASK, VaultMath.RAY, Math.Rounding.Ceil), endEpoch - (snap >> ACC_SHIFT)
        );
        if (hi > lo) gained = VaultMath.rescaled(hi - lo, poolEpoch - endEpoch);
    }

    /// @dev {gain} on the part `p` as a view computed it (at pool epoch `poolEpoch`), also when its era ended there.
    function viewGain(StakedAIDStorage.Side storage side, uint256 word, uint256 snap, Part memory p, uint256 poolEpoch)
        internal
        view
        returns (uint256 gained, uint256 fs)
    {
        if (!p.restart) return gain(side, word, snap, p.acc, p.epoch, poolEpoch);
        (gained,) = gain(side, word, snap, p.endAcc, p.endEpoch, poolEpoch);
    }

    /// @dev `x` in units `steps` re-bases later (÷ 1000 each), rounded up.
    function _ceilRescaled(uint256 x, uint256 steps) private pure returns (uint256) {
        if (steps == 0 || x == 0) return x;
        if (steps >= 26) return 1;
        return Math.ceilDiv(x, 10 ** (3 * steps));
    }
}
