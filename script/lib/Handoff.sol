// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {
    IAccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";

/// @title Handoff
/// @notice The end of a production deployment: on each contract the deployer still administers, revoke every
///         operational role the deployer holds, then begin the two-step DEFAULT_ADMIN_ROLE transfer to the final
///         admin. Once the final admin accepts (after the contract's admin delay), the deployer holds nothing: the
///         admin role moves with the acceptance and, on the OApps, the endpoint delegate follows it.
/// @dev Read before write: a contract already handed off (admin no longer the deployer), a role already revoked or a
///      transfer already pending to `finalAdmin` sends nothing, so re-runs are idempotent and never revert.
library Handoff {
    /// @notice Begins `target`'s handoff to `finalAdmin` (see the library notice).
    function handOff(address target, address finalAdmin, address deployer) internal {
        IAccessControlDefaultAdminRules t = IAccessControlDefaultAdminRules(target);
        if (t.defaultAdmin() != deployer) return;
        bytes32[] memory roles = operationalRoles();
        for (uint256 i; i < roles.length; ++i) {
            if (IAccessControl(target).hasRole(roles[i], deployer)) {
                IAccessControl(target).revokeRole(roles[i], deployer);
            }
        }
        (address pending,) = t.pendingDefaultAdmin();
        if (pending != finalAdmin) t.beginDefaultAdminTransfer(finalAdmin);
    }

    /// @notice Every non-admin role of the protocol's contracts (a role a contract does not define is simply never
    ///         held). VETOER_ROLE is absent: the slasher moves it only through its timelocked resolver, and the
    ///         resolver is never the deployer in a production config ({ChainConfig.fundRole}).
    function operationalRoles() internal pure returns (bytes32[] memory r) {
        r = new bytes32[](17);
        r[0] = keccak256("MINTER_ROLE");
        r[1] = keccak256("PAUSER_ROLE");
        r[2] = keccak256("DENYLIST_MANAGER_ROLE");
        r[3] = keccak256("WHITELISTED_ROLE");
        r[4] = keccak256("WHITELIST_MANAGER_ROLE");
        r[5] = keccak256("GATEKEEPER_ROLE");
        r[6] = keccak256("RESERVE_MANAGER_ROLE");
        r[7] = keccak256("HARVESTER_ROLE");
        r[8] = keccak256("ALLOCATOR_ROLE");
        r[9] = keccak256("REWARDER_ROLE");
        r[10] = keccak256("RESTRICTION_MANAGER_ROLE");
        r[11] = keccak256("UPGRADER_ROLE");
        r[12] = keccak256("DEAL_ADMIN_ROLE");
        r[13] = keccak256("UNDERWRITER_ROLE");
        r[14] = keccak256("KYC_ROLE");
        r[15] = keccak256("REVENUE_REPORTER_ROLE");
        r[16] = keccak256("SLASHER_ROLE");
    }
}
