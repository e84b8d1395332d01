// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {TelemetryLib} from "../../src/libraries/TelemetryLib.sol";
import {NodesBase} from "../staking/NodesBase.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Review of issue 13, keeper incentive: whoever requests an attester slash (or reports an equivocation) gets
///         a bounty when the slash executes: paid once, never for a vetoed request, always less than the slashed
///         operator's own loss (so reporting oneself, or trading reports within a coalition, never pays).
contract KeeperBountyTest is NodesBase {
    address internal keeper = makeAddr("keeper");

    /// @dev op1 and op2 accepted a forged root of epoch0, which `keeper` rejected.
    function _rejectForged() internal {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        (TelemetryLib.NodeSignature memory g, bytes32[] memory proof) = _acceptForged(epoch0, r, 0, 1e24);
        vm.prank(keeper);
        oracle.challengeForgedLeaf(epoch0, r[0], g, proof);
    }

    function _requestAs(address who, address op) internal returns (uint256 id) {
        vm.prank(who);
        id = oracle.requestAttesterSlash(epoch0, 0, op);
    }

    /// @dev What `op` holds in GAIB: its wallet and its own active position.
    function _wealth(address op) internal view returns (uint256) {
        return gaib.balanceOf(op) + vault.stakeOf(op, op);
    }

    function test_review13b_keeperBounty_paidOnceOnExecution() public {
        _rejectForged();
        uint256 id = _requestAs(keeper, op1);
        assertEq(slasher.beneficiaryOf(id), keeper);
        vm.warp(block.timestamp + VETO);
        uint256 ownBefore = vault.stakeOf(op1, op1);
        uint256 insuranceBefore = gaib.balanceOf(insurance);
        uint256 slashed = slasher.executeSlash(id);
        uint256 ownLoss = ownBefore - vault.stakeOf(op1, op1);
        uint256 bounty = gaib.balanceOf(keeper);
        assertEq(slashed, (OP1_WEIGHT * oracle.challengeSlashBps()) / 10_000);
        assertGt(bounty, 0, "keeper paid");
        assertLt(bounty, ownLoss, "below the operator's own loss");
        assertEq(bounty, _min((slashed * slasher.KEEPER_BOUNTY_BPS()) / 10_000, ownLoss - 1));
        assertEq(gaib.balanceOf(insurance) - insuranceBefore, slashed - bounty, "the rest to the insurance fund");
        assertEq(gaib.balanceOf(address(slasher)), 0, "nothing left in the slasher");

        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.NotPending.selector, id, IVetoSlasher.Status.Executed));
        slasher.executeSlash(id);
        assertEq(gaib.balanceOf(keeper), bounty, "paid once");
    }

    function test_review13b_keeperBounty_notPaidOnVeto() public {
        _rejectForged();
        uint256 id = _requestAs(keeper, op2);
        vm.prank(resolver);
        slasher.vetoSlash(id);
        vm.warp(block.timestamp + VETO);
        vm.expectRevert(abi.encodeWithSelector(IVetoSlasher.NotPending.selector, id, IVetoSlasher.Status.Vetoed));
        slasher.executeSlash(id);
        assertEq(gaib.balanceOf(keeper), 0);
        assertEq(vault.stakeOf(op2, op2), MIN_SELF_STAKE);
    }

    /// @dev A liar requesting its own slash (to pocket the bounty) ends poorer, whatever share of its stake is its own.
    function testFuzz_review13b_keeperBounty_selfReportUnprofitable(uint256 extraSelfStake) public {
        extraSelfStake = bound(extraSelfStake, 0, 5_000_000e18);
        if (extraSelfStake != 0) _stake(op1, op1, extraSelfStake);
        _rejectForged();
        uint256 before = _wealth(op1);
        uint256 id = _requestAs(op1, op1);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(id);
        assertGt(gaib.balanceOf(op1), 0, "op1 got its bounty");
        assertLt(_wealth(op1), before, "self-report never pays");
    }

    /// @dev Two liars requesting each other's slash gain less than they lose together.
    function test_review13b_keeperBounty_tradedReportsUnprofitable() public {
        _rejectForged();
        uint256 before = _wealth(op1) + _wealth(op2);
        uint256 a = _requestAs(op2, op1);
        uint256 b = _requestAs(op1, op2);
        vm.warp(block.timestamp + VETO);
        slasher.executeSlash(a);
        slasher.executeSlash(b);
        assertGt(gaib.balanceOf(op1) + gaib.balanceOf(op2), 0);
        assertLt(_wealth(op1) + _wealth(op2), before);
    }

    /// @dev The reporter of an equivocation is paid the same way.
    function test_review13b_keeperBounty_equivocationReporterPaid() public {
        TelemetryLib.Telemetry[] memory r = _reports(epoch0);
        TelemetryLib.Telemetry memory b = _copy(r[3]);
        b.revenue = 1;
        vm.prank(keeper);
        uint256 id = oracle.reportEquivocation(r[3], _sign(3, r[3]), b, _sign(3, b));
        assertEq(slasher.beneficiaryOf(id), keeper);
        vm.warp(block.timestamp + VETO);
        uint256 ownBefore = vault.stakeOf(op3, op3);
        slasher.executeSlash(id);
        assertGt(gaib.balanceOf(keeper), 0);
        assertLt(gaib.balanceOf(keeper), ownBefore - vault.stakeOf(op3, op3));
    }

    function test_review13b_requestSlashWithBounty_revertsWhen_zeroBeneficiary() public {
        vm.prank(slashAgent);
        vm.expectRevert(IVetoSlasher.ZeroAddress.selector);
        slasher.requestSlashWithBounty(op1, bytes32("e"), 1e18, block.timestamp, address(0));
        assertEq(slasher.requestCount(), 0);
    }

    function test_review13b_requestSlashWithBounty_revertsWhen_notSlasher() public {
        bytes32 role = slasher.SLASHER_ROLE();
        vm.prank(attacker);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, attacker, role)
        );
        slasher.requestSlashWithBounty(op1, bytes32("e"), 1e18, block.timestamp, attacker);
        assertEq(slasher.requestCount(), 0);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
