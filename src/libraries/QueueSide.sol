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
///         request's pool shares (and its owner's aggregate) when next touched; re-bases keep the index >= INDEX_FLOOR
///         and, like a move of the whole part (a restart), end the side epoch with an end record (11r-1): the
///         accumulator restarts at 0, the words written in it settle across the records.
/// @dev Internal functions, compiled into the logic libraries that use them ({QueueLogic}, {PositionLogic}).
library QueueSide {
    using SafeCast for uint256;

    /// @dev A word's shares: bits 0–223, the side epoch of their units bits 224–255.
    uint256 internal constant EPOCH_SHIFT = 224;
    /// @dev Accumulator snapshots: bits 0–199 the accumulator, from 200 the pool epoch of its units.
    uint256 internal constant ACC_SHIFT = 200;
    uint256 internal constant ACC_MASK = (1 << 200) - 1;
    /// @dev A side epoch's end record ({StakedAIDStorage.Side-epochEnd}): the accumulator at its end (bits 0–199),
    ///      the pool epoch at its end (200–231) and the re-bases to the next side epoch (from bit 232; 0: a restart,
    ///      the next epoch is the following one and the ended epoch's words hold no shares after it).
    uint256 internal constant END_POOL_SHIFT = 200;
    uint256 internal constant END_STEPS_SHIFT = 232;

    /// @notice A side part in memory: its state `s` (shares, index [ray]) in the units of side epoch `epoch`, its
    ///         accumulator `acc`; `ends` the end records of the epochs that ended in memory (11r-1), in order from the
    ///         stored epoch `start` (each next one at the previous epoch + its steps, or + 1 after a restart): {store}
    ///         writes them, and the views settle the words of those epochs with them, so previews equal the booking.
    struct Part {
        StakedAIDStorage.QueueState s;
        uint256 acc;
        uint256 epoch;
        uint256 start;
        uint256[] ends;
    }

    // ------------------------------------------------------------------ the part as a whole (memory)

    /// @dev The part as stored (its accumulator is 0 whenever it holds no shares: emptying it ends its epoch).
    function load(StakedAIDStorage.Side storage side) internal view returns (Part memory p) {
        (p.s, p.epoch) = (side.state, side.epoch);
        p.start = p.epoch;
        if (p.s.queueShares != 0) p.acc = side.acc;
    }

    /// @dev Stores `p` with the end records of the epochs that ended in memory.
    function store(StakedAIDStorage.Side storage side, Part memory p) internal {
        uint256 e = p.start;
        for (uint256 i; i < p.ends.length; ++i) {
            uint256 end = p.ends[i];
            side.epochEnd[e] = end;
            uint256 steps = end >> END_STEPS_SHIFT;
            e += steps == 0 ? 1 : steps;
        }
        side.epoch = p.epoch;
        side.state = p.s;
        side.acc = p.acc;
    }

    /// @dev The pool re-based `steps` times: the accumulator in its new units (÷ 1000 a step; the end records keep
    ///      the pool epoch of theirs).
    function poolRebased(Part memory p, uint256 steps) internal pure {
        p.acc = VaultMath.rescaled(p.acc, steps);
    }

    /// @dev The pool shares per share of `p` [ray] that `ms` pool shares moved out of it make (rounded down).
    function gainOf(Part memory p, uint256 ms) internal pure returns (uint256) {
        return ms == 0 ? 0 : Math.mulDiv(ms, VaultMath.RAY, p.s.queueShares);
    }

    /// @dev The whole part moved (or is worth nothing), its shares gaining `more` pool shares each: its epoch ends with
    ///      a restart (at pool epoch `poolEpoch`), the next starts empty at 1e27.
    function endWhole(Part memory p, uint256 more, uint256 poolEpoch) internal pure {
        p.acc += more;
        endEpoch(p, 0, poolEpoch);
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s = StakedAIDStorage.QueueState(0, uint96(VaultMath.RAY));
    }

    /// @dev The part goes on at index `index` (> 0, <= its index) with `more` pool shares per share; an index below
    ///      INDEX_FLOOR is re-based (index × 1000, shares ÷ 1000 rounded up, a step), which ends the side epoch (11r-1,
    ///      Liquity's "epochs and scales" for the accumulator): its end record keeps the accumulator, the next epoch's
    ///      starts at 0, so the accumulator is never scaled up and nothing is forced to move or lapse. Bound: within
    ///      one side epoch the index only falls, from <= 1e27, and each move of m from a part of S shares lowers it by
    ///      >= m × 1e27 / S (the excess part: by >= its claim turned into value m, 10b-1), while it adds m × 1e27 /
    ///      (pool index) × 1e27 / S <= 1000 × that (pool index >= INDEX_FLOOR; pool re-bases only divide it) to the
    ///      accumulator: it stays <= 1000 × 1e27 = 1e30 (< 2^100, far inside its 200 bits).
    function rescale(Part memory p, uint256 index, uint256 more, uint256 poolEpoch) internal pure {
        p.acc += more;
        uint256 steps = stepsFor(index);
        uint256 f = VaultMath.RESCALE ** steps;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s.lossIndex = uint96(index * f); // < 1e27
        if (steps == 0) return;
        // forge-lint: disable-next-line(unsafe-typecast)
        p.s.queueShares = uint160(Math.ceilDiv(p.s.queueShares, f)); // stays > 0
        endEpoch(p, steps, poolEpoch);
    }

    /// @dev Ends the side epoch of `p` in memory at pool epoch `poolEpoch`: a re-base of `steps`, or a restart
    ///      (`steps` 0); the next epoch's accumulator starts at 0. {store} writes the end record.
    function endEpoch(Part memory p, uint256 steps, uint256 poolEpoch) internal pure {
        uint256[] memory ends = new uint256[](p.ends.length + 1);
        for (uint256 i; i < p.ends.length; ++i) {
            ends[i] = p.ends[i];
        }
        ends[p.ends.length] = p.acc | (poolEpoch << END_POOL_SHIFT) | (steps << END_STEPS_SHIFT);
        p.ends = ends;
        p.epoch += steps == 0 ? 1 : steps;
        p.acc = 0;
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
    ///      `epoch`; and its shares now ({_gain}).
    function gain(
        StakedAIDStorage.Side storage side,
        uint256 word,
        uint256 snap,
        uint256 acc,
        uint256 epoch,
        uint256 poolEpoch
    ) internal view returns (uint256 gained, uint256 fs) {
        Part memory p;
        (p.acc, p.epoch, p.start) = (acc, epoch, epoch);
        return _gain(side, word, snap, p, poolEpoch);
    }

    /// @dev {gain} on the part `p` as a view computed it (at pool epoch `poolEpoch`), also across the epochs that
    ///      ended in memory there.
    function viewGain(StakedAIDStorage.Side storage side, uint256 word, uint256 snap, Part memory p, uint256 poolEpoch)
        internal
        view
        returns (uint256 gained, uint256 fs)
    {
        return _gain(side, word, snap, p, poolEpoch);
    }

    /// @dev 11r-1 (Liquity's epochs and scales): the word gains f_j × (A_j − base_j) in each side epoch j from its own
    ///      to the current one `p.epoch`, A_j the accumulator at j's end ({StakedAIDStorage.Side-epochEnd}; from
    ///      epoch `p.start` on the records `p.ends` held in memory; `p.acc` in the current epoch), each term
    ///      converted from the pool epoch at j's end to `poolEpoch` ({_term}); f its shares, base its snapshot, then
    ///      f ÷ 1000 per re-base to the next epoch (rounded down, as the total is rounded up) and base 0. It stops at
    ///      the current epoch, at a restart (the word then holds 0 shares) or once f is 0: f < 2^224 and each re-base
    ///      divides it by >= 1000, so at most 23 ended epochs are read (no one can lengthen it).
    function _gain(StakedAIDStorage.Side storage side, uint256 word, uint256 snap, Part memory p, uint256 poolEpoch)
        private
        view
        returns (uint256 gained, uint256 fs)
    {
        fs = word & ((1 << EPOCH_SHIFT) - 1);
        uint256 e = word >> EPOCH_SHIFT;
        uint256 j;
        while (fs != 0) {
            if (e == p.epoch) {
                return (gained + _term(fs, p.acc | (poolEpoch << END_POOL_SHIFT), snap, poolEpoch), fs);
            }
            uint256 end = e < p.start ? side.epochEnd[e] : p.ends[j++];
            gained += _term(fs, end, snap, poolEpoch);
            uint256 steps = end >> END_STEPS_SHIFT;
            if (steps == 0) return (gained, 0); // a restart
            fs = VaultMath.rescaled(fs, steps);
            e += steps;
            snap = 0;
        }
    }

    /// @dev The pool shares (pool epoch `poolEpoch`'s units, rounded down) `fs` shares gained in a side epoch whose
    ///      end (or current state) is `end` (acc | pool epoch << 200), above their snapshot `snap` (acc | pool epoch
    ///      << 200; 0: from the epoch's start), rounded up and converted up: a gain never exceeds the word's share of
    ///      what moved into the pool.
    function _term(uint256 fs, uint256 end, uint256 snap, uint256 poolEpoch) private pure returns (uint256) {
        uint256 endPool = (end >> END_POOL_SHIFT) & type(uint32).max;
        uint256 hi = Math.mulDiv(fs, end & ACC_MASK, VaultMath.RAY);
        uint256 base = snap & ACC_MASK;
        uint256 lo = base == 0
            ? 0
            : _ceilRescaled(Math.mulDiv(fs, base, VaultMath.RAY, Math.Rounding.Ceil), endPool - (snap >> ACC_SHIFT));
        return hi > lo ? VaultMath.rescaled(hi - lo, poolEpoch - endPool) : 0;
    }

    /// @dev `x` in units `steps` re-bases later (÷ 1000 each), rounded up.
    function _ceilRescaled(uint256 x, uint256 steps) private pure returns (uint256) {
        if (steps == 0 || x == 0) return x;
        if (steps >= 26) return 1;
        return Math.ceilDiv(x, 10 ** (3 * steps));
    }
}
