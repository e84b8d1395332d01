// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {ITelemetryOracle} from "../../src/interfaces/ITelemetryOracle.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {MerkleHelper} from "../utils/MerkleHelper.sol";

/// @notice Second fresh-eyes review of the issue 13 fix (after the first review's two fixes): operators trapping their
///         own delegators, dodging equivocation exclusion, escaping slashes through the stranded-redelegation exit,
///         commission grid edges, slashes mid-stream and total slashes.
contract Review13bTest is NodesBase {
    uint256 internal constant REWARD = 70_000e18; // [wad] AID

    // ================================================================ trapping delegators

    /// @dev Bug: an operator could freeze its OWN exits for ever at no cost. It registers fresh nodes on deal 0 (no
    ///      approval needed) and reports one of its own equivocations every day, so a new slash request is always
    ///      pending before the previous one is resolved; the resolver vetoes each (they only punish the delegators),
    ///      which costs the operator nothing. Its delegators can neither withdraw nor redelegate away (ransom). Now
    ///      an operator gets at most one equivocation slash request per EQUIVOCATION_SLASH_COOLDOWN (> the longest
    ///      veto window), so every cooldown leaves a gap in which its exits can be claimed.
    function test_review13b_selfFrozenOperatorTrapsOwnDelegators() public {
        uint256 id = _queue(bob, op2, vault.sharesOf(bob, op2) / 2);
        uint256 maturity = vault.getExit(id).maturity;
        uint256 assets = vault.exitAssets(id);
        (address signer, uint256 key) = makeAddrAndKey("op2-freeze-key");
        uint256 previous; // yesterday's request, vetoed today after today's is filed
        uint256 claimedAt;
        for (uint256 k; k < 70 && claimedAt == 0; ++k) {
            bytes32 node = _registerAs(op2, keccak256(abi.encode("freeze", k)), signer, 0);
            uint64 epoch = uint64(vault.currentEpoch());
            vm.warp(block.timestamp + EPOCH); // the epoch the node was registered in ends
            TelemetryLib.Telemetry memory a = TelemetryLib.Telemetry(node, epoch, 1, 1, 1, 1, 0);
            TelemetryLib.Telemetry memory b = _copy(a);
            b.revenue = 1;
            vm.prank(op2);
            uint256 filed = oracle.reportEquivocation(a, _sigWith(key, a), b, _sigWith(key, b));
            if (previous != 0) {
                vm.prank(resolver);
                slasher.vetoSlash(previous);
            }
            previous = filed;
            if (block.timestamp >= maturity) {
                vm.prank(bob);
                try vault.claimWithdrawal(id) returns (uint256 paid) {
                    assertEq(paid, assets, "nothing was slashed");
                    claimedAt = block.timestamp;
                } catch {}
            }
            vm.warp(block.timestamp + 1 days - EPOCH);
        }
        assertGt(claimedAt, 0, "bob's withdrawal trapped");
        assertLe(claimedAt, maturity + oracle.EQUIVOCATION_SLASH_COOLDOWN() + 1 days, "claimable within a cooldown");
    }

    /// @dev Safe: the stranded-redelegation exit (claimable as a withdrawal WITHDRAWAL_DELAY after maturity) never
    ///      escapes a slash of its SOURCE operator: it stays in the source's queued pool, is frozen while the slash is
    ///      pending and pays its pro-rata share when it executes.
    function test_review13b_strandedRedelegationStillPaysSourceSlash() public {
        uint256 id = _redelegate(bob, op2, op3, vault.sharesOf(bob, op2) / 2);
        vm.warp(vault.getExit(id).maturity + vault.WITHDRAWAL_DELAY());
        uint256 assets = vault.exitAssets(id);
        uint256 slashable = vault.slashableAt(op2, block.timestamp);
        uint256 rid = _requestSlash(op2, slashable / 10, block.timestamp);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IStakingVault.OperatorFrozen.selector, op2, 1));
        vault.claimWithdrawal(id);
        vm.warp(block.timestamp + VETO);
        assertEq(slasher.executeSlash(rid), slashable / 10);
        vm.prank(bob);
        uint256 paid = vault.claimWithdrawal(id);
        assertApproxEqAbs(paid, assets - assets / 10, 2, "the exit bore its 10%");
    }

    // ================================================================ equivocation

    /// @dev Bug: exclusion starts at the reported epoch and a node can be reported once. A node that equivocated in
    ///      epoch e (e.g. to split the operators' vote) had its operator "confess" a later equivocation (e + 1) first:
    ///      the real one then reverted `NodeAlreadyExcluded`, and the node's leaves of epoch e stayed provable. Now
    ///      a report of an earlier epoch moves the exclusion back (the operator is not slashed twice for one node).
    function test_review13b_laterSelfReportShieldsEarlierEquivocation() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory split = _copy(r[3]);
        split.revenue = 1; // the second report node 3 signed for epoch0
        uint256 e1 = epoch0 + 1;
        vm.warp(vault.epochStart(e1 + 1) + 1);
        TelemetryLib.Telemetry memory c = _report(3, e1, 1);
        TelemetryLib.Telemetry memory d = _report(3, e1, 2);
        vm.prank(op3);
        oracle.reportEquivocation(c, _sign(3, c), d, _sign(3, d));

        vm.prank(dave);
        uint256 id = oracle.reportEquivocation(r[3], _sign(3, r[3]), split, _sign(3, split));
        assertEq(id, 0, "one slash per node");
        (bool excluded, uint256 fromEpoch) = oracle.exclusionOf(nodeIds[3]);
        assertTrue(excluded);
        assertEq(fromEpoch, epoch0, "excluded from the earliest proven equivocation");
        assertEq(vault.pendingSlashes(op3), 1);

        _accept(epoch0, r);
        _finalize(epoch0);
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeExcluded.selector, nodeIds[3], epoch0));
        oracle.proveRevenue(epoch0, r[3], _sign(3, r[3]), MerkleHelper.proof(_leaves(r), 3));
        // the same or a later epoch is still refused
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeAlreadyExcluded.selector, nodeIds[3]));
        oracle.reportEquivocation(c, _sign(3, c), d, _sign(3, d));
    }

    /// @dev Bug: an equivocation was reportable for any ended epoch, however old, and for epochs the node was not
    ///      active in. A retired node's key that leaks (decommissioned hardware) let anyone sign two reports for an
    ///      epoch after the node's deactivation, or for one long past, and slash its operator (and the delegators who
    ///      joined since) 10% of today's stake. Now the node must have been active in the epoch, and the report must
    ///      come while the epoch's current round can still be attested (weight epoch + ATTEST_WINDOW + 1).
    function test_review13b_leakedRetiredNodeKeyCannotSlashOperator() public {
        vm.prank(op3);
        registry.deactivateNode(nodeIds[3]);
        vm.warp(block.timestamp + 30 days);
        uint256 late = vault.currentEpoch() - 1; // after the deactivation
        TelemetryLib.Telemetry memory a = _report(3, late, 1);
        TelemetryLib.Telemetry memory b = _report(3, late, 2);
        vm.startPrank(attacker); // holds the leaked key
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.NodeNotActiveInEpoch.selector, nodeIds[3], late));
        oracle.reportEquivocation(a, _sign(3, a), b, _sign(3, b));

        TelemetryLib.Telemetry memory c = _report(3, epoch0, 1); // an epoch it was active in, 30 days ago
        TelemetryLib.Telemetry memory d = _report(3, epoch0, 2);
        uint256 deadline = epoch0 + oracle.ATTEST_WINDOW() + 1;
        vm.expectRevert(abi.encodeWithSelector(ITelemetryOracle.EquivocationReportTooLate.selector, epoch0, deadline));
        oracle.reportEquivocation(c, _sign(3, c), d, _sign(3, d));
        vm.stopPrank();
        assertEq(vault.pendingSlashes(op3), 0);
        (bool excluded,) = oracle.exclusionOf(nodeIds[3]);
        assertFalse(excluded);
    }

    /// @dev Safe: within the window (the last epoch of the round's attestation window + 1) the report still works.
    function test_review13b_equivocationReportableUntilWindowEnd() public {
        uint256 deadline = epoch0 + oracle.ATTEST_WINDOW() + 1;
        vm.warp(vault.epochStart(deadline + 1) - 1); // the last second of epoch `deadline`
        TelemetryLib.Telemetry memory c = _report(3, epoch0, 1);
        TelemetryLib.Telemetry memory d = _report(3, epoch0, 2);
        assertGt(oracle.reportEquivocation(c, _sign(3, c), d, _sign(3, d)), 0);
        assertEq(vault.pendingSlashes(op3), 1);
    }

    // ================================================================ re-attestation

    /// @dev Safe: liars forging again in the re-attestation round are slashable once per round, and the epoch keeps
    ///      one liveness slot however many rounds it takes: griefing an epoch needs a 2/3 that pays every round.
    function test_review13b_repeatedForgeryRounds_eachSlashable_oneLivenessSlot() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e24);
        uint256 slot = oracle.getEpochRoot(epoch0).acceptedIndex;
        uint256 count = oracle.acceptedCount();
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
        TelemetryLib.Telemetry[] memory r1 = _reports(epoch0);
        (g, proof) = _acceptForged(epoch0, r1, 1, 1e24); // round 1: the same liars forge again
        assertEq(oracle.getEpochRoot(epoch0).acceptedIndex, slot);
        oracle.challengeForgedLeaf(epoch0, r1[1], g, proof);
        for (uint256 round; round < 2; ++round) {
            oracle.requestAttesterSlash(epoch0, round, op1);
            oracle.requestAttesterSlash(epoch0, round, op2);
        }
        assertEq(vault.pendingSlashes(op1), 2);
        assertEq(vault.pendingSlashes(op2), 2);
        assertEq(vault.pendingSlashes(op3), 0);

        _accept(epoch0, _reports(epoch0)); // round 2: honest
        ITelemetryOracle.EpochRoot memory e = oracle.getEpochRoot(epoch0);
        assertEq(e.round, 2);
        assertEq(uint8(e.status), uint8(ITelemetryOracle.RootStatus.Accepted));
        assertEq(e.acceptedIndex, slot);
        assertEq(oracle.acceptedCount(), count, "no new liveness slot");
    }

    // ================================================================ rewards

    /// @dev Safe: a commission cut scheduled and then replaced by a raise before it took effect never applies; the old
    ///      rate holds until the raise's grid time, the new one after it.
    function test_review13b_commissionDownThenUp_replacedCutNeverApplies() public {
        vm.prank(op1);
        vault.setCommission(0);
        (, uint256 cutAt) = vault.pendingCommissionChange(op1);
        _reward(op1, REWARD);
        vm.warp(block.timestamp + 3 days);
        vm.prank(op1);
        vault.setCommission(2000);
        (uint256 bps, uint256 raiseAt) = vault.pendingCommissionChange(op1);
        assertEq(bps, 2000);
        assertGt(raiseAt, cutAt);
        vm.warp(raiseAt); // the 7-day stream has ended before the raise
        assertEq(vault.commissionOf(op1), 2000);
        assertApproxEqAbs(vault.pendingCommission(op1), (REWARD * COMMISSION) / 10_000, 1e6, "old rate throughout");
    }

    /// @dev Safe: a cut that took effect unsynced, then a raise: each part of the stream pays the rate in force then.
    function test_review13b_commissionCutThenRaise_splitAtGridTime() public {
        vm.prank(op1);
        vault.setCommission(0);
        (, uint256 cutAt) = vault.pendingCommissionChange(op1);
        vm.warp(cutAt - 2 days);
        _reward(op1, REWARD); // streams [cutAt - 2 days, cutAt + 5 days)
        vm.warp(cutAt + 1 days); // nobody synced op1 at the cut
        vm.prank(op1);
        vault.setCommission(2000);
        vm.warp(block.timestamp + 10 days); // the raise is in force, the stream long over
        uint256 expected = (((REWARD * 2 days) / 7 days) * COMMISSION) / 10_000; // 10% before the cut, 0% after
        assertApproxEqAbs(vault.pendingCommission(op1), expected, 1e6);
        vm.prank(op1);
        assertApproxEqAbs(vault.claimCommission(), expected, 1e6, "payable as shown");
    }

    /// @dev Safe: a slash in the middle of a stream changes the weight but not what was reported: every staker and the
    ///      operator can claim exactly their pending amounts, together at most what was notified.
    function test_review13b_slashMidStream_everyPendingAmountPayable() public {
        _reward(address(0), REWARD);
        _reward(op1, REWARD);
        vm.warp(block.timestamp + 3 days);
        uint256 rid = _requestSlash(op1, vault.slashableAt(op1, block.timestamp) / 2, block.timestamp);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(rid);
        vm.warp(block.timestamp + 7 days);
        address[2] memory stakers = [op1, alice];
        uint256 paid;
        for (uint256 i; i < 2; ++i) {
            uint256 pending = vault.pendingRewards(stakers[i], op1);
            vm.prank(stakers[i]);
            assertEq(vault.claimRewards(op1), pending);
            paid += pending;
        }
        uint256 commission = vault.pendingCommission(op1);
        vm.prank(op1);
        assertEq(vault.claimCommission(), commission);
        paid += commission;
        uint256 globalShare = (REWARD * OP1_WEIGHT) / TOTAL_WEIGHT;
        assertLe(paid, REWARD + globalShare);
        assertGe(paid + 1e9, REWARD + (globalShare * 3) / 7 + (((REWARD * 4) / 7) * 200_000e18) / 850_000e18);
    }

    /// @dev Safe: an operator slashed to zero keeps working for new stake: the old (worthless) shares take nothing of
    ///      a new stake, which can leave again in full, and rewards streamed to it are payable.
    function test_review13b_totalSlashThenNewStake_newStakerWhole() public {
        uint256 slashable = vault.slashableAt(op3, block.timestamp);
        uint256[] memory ids = new uint256[](10);
        for (uint256 i; i < 10; ++i) {
            ids[i] = _requestSlash(op3, slashable / 10 + 1, block.timestamp);
        }
        vm.warp(block.timestamp + VETO);
        for (uint256 i; i < 10; ++i) {
            slasher.executeSlash(ids[i]);
        }
        (uint256 assets,) = vault.activePool(op3);
        assertEq(assets, 0, "wiped out");

        uint256 amount = 1000e18;
        _stake(dave, op3, amount);
        assertApproxEqAbs(vault.stakeOf(dave, op3), amount, 1, "old shares take nothing");
        assertLe(vault.stakeOf(carol, op3), 1, "old shares worthless");
        _reward(op3, REWARD);
        vm.warp(block.timestamp + 7 days);
        uint256 pending = vault.pendingRewards(dave, op3);
        assertGt(pending, 0);
        vm.prank(dave);
        assertEq(vault.claimRewards(op3), pending);
        uint256 id = _queue(dave, op3, vault.sharesOf(dave, op3));
        vm.warp(vault.getExit(id).maturity);
        vm.prank(dave);
        assertApproxEqAbs(vault.claimWithdrawal(id), amount, 2, "leaves in full");
    }
}
