// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAID} from "../../src/interfaces/IAID.sol";
import {IStakedAID} from "../../src/interfaces/IStakedAID.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDTestBase} from "../unit/StakedAIDTestBase.sol";

/// @notice Review 12b (sAID part): the vault's asset is now an immutable of the implementation, so the proxy's asset
///         is whatever the implementation it points at was built with.
contract StakedAIDUpgradeReview12bTest is StakedAIDTestBase {
    /// @dev An upgrade to an implementation built for another AID (a deploy-script slip: wrong chain's address, a
    ///      test token) silently changes `asset()` for every holder: the real AID the vault holds is no longer its
    ///      asset and deposits, exits and the deny-list checks all read the other token. `initialize` refuses a
    ///      mismatch, but an upgrade never calls it; `_authorizeUpgrade` should refuse an implementation whose
    ///      `asset()` differs (`AssetMismatch(given, expected)`).
    function test_review12b_upgradeToImplementationOfOtherAidRefused() public {
        _stake(alice, 1000e18);
        address otherAid = makeAddr("otherAid");
        StakedAID wrong = new StakedAID(IAID(otherAid));
        vm.prank(admin);
        try sAID.upgradeToAndCall(address(wrong), "") {
            assertEq(sAID.asset(), address(aid), "the upgrade changed the vault's asset");
        } catch (bytes memory err) {
            assertEq(err, abi.encodeWithSelector(IStakedAID.AssetMismatch.selector, otherAid, address(aid)));
        }
    }
}
