// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StakedAIDReview11Base} from "./StakedAIDReview11Base.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice 12e-1 (LOW, session 12), the pool claim's side: a payout that paid a split request (pool + bare, 9s-4) only
///         in part paid its claim-less bare part first, so it forfeited no pool claim for the value it paid and the
///         request kept the claim of what left; the fair rule (8s-2, pro rata): after a payout of `paid` out of its
///         value v, a request keeps claim × (v − paid) / v. The excess side is
///         `StakedAIDReview12ETest-test_review12e1_partialPayoutKeepsTheWholeExcess`.
contract StakedAIDReview12E1Test is StakedAIDReview11Base {
    /// @notice 12e-1: dave's entrant round trip while 600 is written off (request 1: a pool part carrying his claim c,
    ///         and a bare part) is paid ~30% of its value v before idle runs out; the full cure then gives the rest
    ///         left + c × left / v (the claim of what is left), not left + c. Failed before the fix: `the value paid
    ///         forfeits its part of the claim: 443349753694581280788 !~= 306857917969692611812`.
    function test_review12e1_partialPayoutOfTheBarePartKeepsThePoolClaim() public {
        _partialPayoutThenCure(70_000e18);
    }

    /// @notice The same for any part of the request paid (idle parked: 2k .. 99k of dave's 100k).
    function testFuzz_review12e1_partialPayoutKeepsTheClaimOfWhatIsLeft(uint256 parked) public {
        _partialPayoutThenCure(bound(parked, 2000e18, 99_000e18));
    }

    /// @dev alice's request 0 bears a loss of 600, dave's round trip (request 1, split) waits while `parked` of idle
    ///      is deployed, is paid in part, then the full cure: fair rule for the claim and the cured value.
    function _partialPayoutThenCure(uint256 parked) internal {
        (, uint256 c, uint256 v) = _splitRequestShortOfIdle(parked);
        (, uint256 claim1) = _writeDowns();
        assertApproxEqAbs(claim1, c, 1e9, "the queue's claim is dave's");
        uint256 paid = sAID.processUnstakeQueue(1); // dave, in part
        uint256 left = _requestValue(1);
        assertGt(paid, 0, "paid in part");
        assertGt(left, 0, "the rest waits");
        assertApproxEqAbs(left, v - paid, 2, "the rest is owed");
        assertLe(left, v - paid, "never more");
        uint256 fair = Math.mulDiv(c, left, v);
        (, uint256 claim2) = _writeDowns();
        assertApproxEqAbs(claim2, fair, 1e9, "the value paid forfeits its part of the claim");
        position.mark(address(sAID), 600e18);
        _sync();
        (uint256 total,) = _writeDowns();
        assertEq(total, 0, "fully cured");
        uint256 cured = _requestValue(1);
        assertApproxEqAbs(cured, left + fair, 1e9, "a partially paid request keeps the claim of what is left");
        assertLe(cured, left + Math.mulDiv(claim1, left + 2, v) + 2, "never more than the claim of what is left");
        _assertBacked();
    }
}
