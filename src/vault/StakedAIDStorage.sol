// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title StakedAIDStorage
/// @notice sAID's ERC-7201 namespaced storage (`gaib.storage.StakedAID`), shared by the vault and its logic libraries.
/// @dev Hot state is packed so a deposit or redeem reads two words beyond what a bare ERC-4626 reads; a holder's
///      share balance, pending-request aggregate and restriction share one word ({AccountWord}), so checking the
///      restriction or updating the aggregate costs no extra storage access. Append-only: a new
///      version adds fields at the end of {Layout} or uses its own namespace.
abstract contract StakedAIDStorage {
    /// @dev Written by every deposit and withdrawal.
    struct Hot {
        uint104 supply; // [shares]
        int112 liquid; // [wad] idle − pending: negative while the queue is owed more than is idle
        uint24 unstakeDelay; // [s]
        uint8 positionCount;
        bool paused;
    }

    /// @dev Read by every deposit and withdrawal. Timestamps are uint32 (good until 2106).
    struct Ledger {
        uint96 booked; // [wad] carrying value of all positions
        uint96 unvested; // [wad] reward unvested at `start`
        uint32 start; // [unix s]
        uint32 end; // [unix s]
    }

    /// @dev Pricing of a part of the unstake queue: its pending AID = queueShares × lossIndex / 1e27 (current epoch's
    ///      units). The queue has three parts (v5): the *pool* (`queue`), whose requests all hold the same claim on the
    ///      undecided write-downs per AID of value (its part of `writeDowns.claim` / its pending; recoveries raise its
    ///      index), the *bare* part (value without claim, 9s-4) and the *excess* part (claim without value, 10b-1),
    ///      see {Side}. A request is pool shares + bare shares + excess shares (see {QueueLogic-unstake}).
    struct QueueState {
        uint160 queueShares;
        uint96 lossIndex; // [ray] booked losses move it down, recoveries back up (<= 1e27); re-bases ×1000, shares ÷1000
    }

    struct Config {
        uint64 head; // next request to pay
        uint64 tail; // next request id
        uint32 vestingPeriod; // [s]
        uint16 maxAprBps;
        uint16 liquidityBufferBps;
        // v5 (10b-1): a waiting request may hold an excess word (set when one is written, cleared when the queue
        // empties), so processing reads the excess part only then
        bool excessWords;
        // v6: no waiting request holds a bare word (set at `initialize` and when the queue empties, cleared when one
        // is written), so processing reads neither the bare words nor the bare epoch after a bare epoch ended; false
        // (how a v5 vault reads it after the upgrade) is always safe: processing then reads them as v5 did
        bool noBareWords;
    }

    struct Request {
        address owner;
        uint32 time; // [unix s]
        uint32 claimableAt; // [unix s] time + the delay in force at request (a later cut shortens it, see DelayCuts)
        uint256 queueShares; // bits 0–223: queue shares in the units of epoch (bits 224–255) they were written in
    }

    struct Position {
        uint96 booked; // [wad] carrying value
        uint8 slot; // index in the list + 1 (0: not listed)
        uint96 writtenOff; // [wad] losses booked on it not yet recovered nor settled (v4, same slot: was 0)
    }

    /// @dev The undecided write-downs as a whole (v4): `total` = Σ `writtenOff` of the listed positions; `claim` = the
    ///      unstake queue's recorded part of them (what pending fell by when they were booked, plus what requests made
    ///      since carried in, less what requests paid since forfeited), <= total. Recoveries pay the queue
    ///      claim × w / total; entries pay for total − claim (see {PositionLogic}).
    struct WriteDowns {
        uint128 total; // [wad]
        uint128 claim; // [wad]
    }

    /// @dev Cuts of the unstake delay, a stack in `delayCut[bottom..top)`: each entry (tail at the cut << 24 | delay)
    ///      caps requests with id < tail at time + delay. Bottom to top, tails and delays both increase (a cut pops the
    ///      entries it dominates); processing drops entries whose tail the head has passed.
    struct DelayCuts {
        uint64 bottom;
        uint64 top;
    }

    /// @dev A side part of the unstake queue next to the pool (v5), uniform per share: the *bare* part (9s-4) holds
    ///      value without claim (`state.lossIndex` [ray] = its value per share: falls with every loss like the pool's,
    ///      never rises; 1e27 again once empty), the *excess* part (10b-1) claim on the undecided write-downs without
    ///      value (`state.lossIndex` = its claim per share, counted in `writeDowns.claim`: untouched by losses, × (1 − s
    ///      / T) at a settle, × (1 − φ − ρ'φ) at a write-back of φ of T). A request's value is its pool shares + its
    ///      bare shares; its claim is its pool shares' (the pool's ratio) + its excess shares'. Part of a side part
    ///      moves into the pool (a loss: the bare value carrying its drop, 10r-1; a write-back: the value the excess
    ///      turned into, with the claim at the pool's ratio, 10b-1): every share of the part gains the same pool shares,
    ///      accumulated in `acc`, settled into a request's pool shares (and its owner's aggregate) when next touched.
    ///      Words: shares bits 0–223 | the side epoch (its re-bases, index × 1000 and shares ÷ 1000, so far) bits
    ///      224–255; accumulator snapshots: acc bits 0–199 | the pool epoch of its units bits 200–255. 11r-1: a side
    ///      epoch ends at a re-base of the part (its shares ÷ 1000 per step, the next epoch = epoch + steps) or a
    ///      restart (the whole part moved into the pool or is worth nothing, or payouts emptied it: the next epoch =
    ///      epoch + 1, the ended epoch's words hold 0 shares after it); `epochEnd` keeps its record: the final `acc`
    ///      (bits 0–199), the pool epoch at its end (200–231), the steps to the next epoch (232–255; 0: a restart),
    ///      for the settlement of the words written in it ({QueueSide-gain}). No claim lapses and no move is forced.
    struct Side {
        QueueState state;
        uint256 epoch;
        mapping(uint256 id => uint256) requestWord; // a request's shares
        mapping(address owner => uint256) accountWord; // the owner's aggregate, same format (for the views)
        // [ray] pool shares (current pool epoch's units) per share of the current side epoch, gained within that
        // epoch: ÷ 1000 per pool re-base; 0 at the start of each side epoch, <= 1e30 ({QueueSide-rescale})
        uint256 acc;
        mapping(uint256 id => uint256) requestAcc; // `acc` at the request's last settlement
        mapping(address owner => uint256) accountAcc; // the same for the owner's aggregate
        mapping(uint256 epoch => uint256) epochEnd;
    }

    /// @custom:storage-location erc7201:gaib.storage.StakedAID
    struct Layout {
        Hot hot;
        Ledger ledger;
        QueueState queue;
        Config config;
        uint256 totalHeld; // [wad] AID paid to requests of owners that could not receive, not yet released
        mapping(address account => uint256) accounts; // see {AccountWord}: balance | queue shares | last id | restriction
        mapping(uint256 id => Request) requests;
        mapping(address owner => uint256) held;
        mapping(address position => Position) positionOf;
        address[] positionList;
        // v2 (append-only)
        DelayCuts cuts;
        mapping(uint256 slot => uint256) delayCut; // see {DelayCuts}
        // v3 (append-only)
        uint256 queueEpoch; // re-bases of the loss index so far ({VaultMath.INDEX_FLOOR})
        // v4 (append-only)
        WriteDowns writeDowns;
        // v5 (append-only): the side parts of the queue next to the pool, see {Side}
        Side bare; // value without claim (9s-4, 10r-1)
        Side excess; // claim without value (10b-1)
    }

    // keccak256(abi.encode(uint256(keccak256("gaib.storage.StakedAID")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x6d616b9df589c99900b9359a12e1b699ffa853d0e7a86492de93ea799fc4d800;

    function _s() internal pure returns (Layout storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
