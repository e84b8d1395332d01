// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ChainConfig} from "../../script/lib/ChainConfig.sol";
import {LzConfig} from "../../script/lib/LzConfig.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Test, Vm} from "forge-std/Test.sol";

/// @title HandoffChecker
/// @notice The Solidity twin of the deployment verifier `npm run deploy:verify` (ts/deploy/verify.ts, expected holders
///         in ts/deploy/verifyRoles.ts: keep both in agreement). Given the logs recorded over a whole deployment, its handoff
///         and the final admin's acceptance, it replays every `RoleGranted` / `RoleRevoked` per contract (the role
///         holders come from the events, not from a guess) and reports every violation of "after the handoff the
///         deployer holds nothing":
///         - a role held by the deployer, or by an address the config does not name for that role on that contract;
///         - a role the config names that is not held (or a replayed holder the chain disagrees with);
///         - on every deployed contract: an `owner()` or `defaultAdmin()` that is not the final admin (zero: an
///           implementation, nobody), a pending admin transfer or admin-delay change, a `msgInspector()`, a fund or
///           wiring address that is the deployer, a pending timelocked parameter change, or an endpoint delegate that
///           is the deployer or, on an OApp of `endpoint`, not the final admin;
///         - a contract that emitted role or ownership events but is not in the list of deployed contracts checked;
///         - a role (of any grant replayed) whose admin role is not the expected one: DEFAULT_ADMIN_ROLE unless
///           `_expectRoleAdmin` names another (sAID's UPGRADER_ROLE administers itself, so only the timelock moves it);
///         - a wiring getter (`_expectLink`, e.g. `NodeRegistry.dealFactory()`) that does not return the named address.
///         - ({_pathwayViolations}) an OApp pathway whose LayerZero libraries, executor or ULN configs (DVNs, source
///           confirmations) differ from the chain config's `layerzero` object (which has at least 2 required DVNs).
/// @dev Use: `vm.recordLogs()`, deploy + hand off + accept, then `_expectRole` for each (contract, role, holder) the
///      config names (and `_expectRoleAdmin` / `_expectLink`), and `assertEq(_violations(...), "")`.
abstract contract HandoffChecker is Test {
    bytes32 internal constant ROLE_GRANTED = keccak256("RoleGranted(bytes32,address,address)");
    bytes32 internal constant ROLE_REVOKED = keccak256("RoleRevoked(bytes32,address,address)");
    bytes32 internal constant OWNERSHIP_TRANSFERRED = keccak256("OwnershipTransferred(address,address)");
    bytes32 internal constant ADMIN_SCHEDULED = keccak256("DefaultAdminTransferScheduled(address,uint48)");

    struct Grant {
        address target;
        bytes32 role;
        address holder;
    }

    struct Link {
        address target;
        string getter; // a view returning an address, e.g. "dealFactory()"
        address want;
    }

    Grant[] private _expected;
    Link[] private _links;
    Grant[] private _seen;
    address[] private _emitters;
    mapping(bytes32 key => bool) private _held;
    mapping(bytes32 key => bool) private _known;
    mapping(bytes32 key => bool) private _isExpected;
    mapping(address emitter => bool) private _emitterKnown;
    mapping(bytes32 targetRole => bytes32) private _roleAdmin; // expected admin role; unset: DEFAULT_ADMIN_ROLE
    mapping(bytes32 targetRole => bool) private _roleAdminChecked;

    /// @notice The config names `holder` for `role` on `target`.
    function _expectRole(address target, bytes32 role, address holder) internal {
        _expected.push(Grant(target, role, holder));
        _isExpected[_key(target, role, holder)] = true;
    }

    /// @notice `role` on `target` must be administered by `adminRole` (default: DEFAULT_ADMIN_ROLE).
    function _expectRoleAdmin(address target, bytes32 role, bytes32 adminRole) internal {
        _roleAdmin[keccak256(abi.encode(target, role))] = adminRole;
    }

    /// @notice `target.<getter>` (a view returning an address, e.g. "dealFactory()") must return `want`.
    function _expectLink(address target, string memory getter, address want) internal {
        _links.push(Link(target, getter, want));
    }

    /// @notice Every violation found, one per line; empty when the handoff is complete.
    /// @param logs Everything recorded from before the deployment to after the final admin's acceptance.
    /// @param contracts Every contract the deployment created (all are checked, with or without roles).
    /// @param endpoint The LayerZero endpoint (its `delegates(oapp)`), zero if none.
    function _violations(
        Vm.Log[] memory logs,
        address[] memory contracts,
        address deployer,
        address finalAdmin,
        address endpoint
    ) internal returns (string memory v) {
        _replay(logs);
        for (uint256 i; i < _seen.length; ++i) {
            Grant memory g = _seen[i];
            if (!_held[_key(g.target, g.role, g.holder)]) continue;
            if (g.holder == deployer) v = _add(v, "deployer holds", g);
            else if (!_isExpected[_key(g.target, g.role, g.holder)]) v = _add(v, "unexpected holder", g);
            if (!IAccessControl(g.target).hasRole(g.role, g.holder)) v = _add(v, "replay disagrees with chain", g);
        }
        for (uint256 i; i < _seen.length; ++i) {
            v = string.concat(v, _checkRoleAdmin(_seen[i].target, _seen[i].role));
        }
        for (uint256 i; i < _links.length; ++i) {
            Link memory l = _links[i];
            (bool ok, address a) = _readAddress(l.target, abi.encodeWithSignature(l.getter));
            if (!ok || a != l.want) {
                v = string.concat(v, l.getter, " of ", vm.toString(l.target), " is ", vm.toString(a), "\n");
            }
        }
        for (uint256 i; i < _expected.length; ++i) {
            Grant memory g = _expected[i];
            if (!_held[_key(g.target, g.role, g.holder)]) v = _add(v, "named holder lacks role", g);
        }
        for (uint256 i; i < _emitters.length; ++i) {
            if (!_contains(contracts, _emitters[i])) {
                v = string.concat(v, "unchecked contract with roles/owner ", vm.toString(_emitters[i]), "\n");
            }
        }
        for (uint256 i; i < contracts.length; ++i) {
            v = string.concat(v, _checkContract(contracts[i], deployer, finalAdmin, endpoint));
        }
    }

    /// @notice Every LayerZero pathway of `oapps` on the chain of `network` (config folder `dir`) that is not exactly
    ///         as the config says ({LzConfig.matches}), one per line; empty when all match.
    function _pathwayViolations(string memory dir, string memory network, address[] memory oapps)
        internal
        view
        returns (string memory v)
    {
        (ChainConfig.Chain memory c,) = ChainConfig.load(dir, network);
        if (!c.hasLayerZero) return "no layerzero config\n";
        uint64[] memory conf = ChainConfig.peerConfirmations(dir, c);
        for (uint256 i; i < oapps.length; ++i) {
            for (uint256 j; j < c.peers.length; ++j) {
                if (!LzConfig.matches(c.endpoint, oapps[i], c.lz, c.peers[j], conf[j])) {
                    v = string.concat(
                        v,
                        "pathway ",
                        vm.toString(c.peers[j]),
                        " of ",
                        vm.toString(oapps[i]),
                        " differs from the config\n"
                    );
                }
            }
        }
    }

    /// @dev owner(), defaultAdmin(), pendingDefaultAdmin() and the endpoint delegate of `c` (each only if it has it).
    function _checkContract(address c, address deployer, address finalAdmin, address endpoint)
        private
        view
        returns (string memory v)
    {
        string memory at = vm.toString(c);
        // owner(): Ownable, or IERC5313 on AccessControlDefaultAdminRules (the admin); zero on an implementation
        (bool ok, address a) = _readAddress(c, abi.encodeWithSignature("owner()"));
        if (ok && a != finalAdmin && a != address(0)) {
            v = string.concat(v, "owner of ", at, " is ", vm.toString(a), "\n");
        }
        (ok, a) = _readAddress(c, abi.encodeWithSignature("defaultAdmin()"));
        // zero: an implementation behind a proxy (initializers disabled), administered by nobody
        if (ok && a != finalAdmin && a != address(0)) {
            v = string.concat(v, "defaultAdmin of ", at, " is ", vm.toString(a), "\n");
        }
        (ok, a) = _readAddress(c, abi.encodeWithSignature("pendingDefaultAdmin()"));
        if (ok && a != address(0)) v = string.concat(v, "pending admin on ", at, ": ", vm.toString(a), "\n");
        v = string.concat(v, _checkWiring(c, deployer));
        if (endpoint == address(0)) return v;
        (bool isOApp, address e) = _readAddress(c, abi.encodeWithSignature("endpoint()"));
        isOApp = isOApp && e == endpoint;
        (ok, a) = _readAddress(endpoint, abi.encodeWithSignature("delegates(address)", c));
        if (ok && (a == deployer || (isOApp && a != finalAdmin))) {
            v = string.concat(v, "endpoint delegate of ", at, " is ", vm.toString(a), "\n");
        }
    }

    /// @dev Configuration the deployer can set while it is still the admin and that the acceptance does not undo:
    ///      a fund or wiring address (yield/fee receiver, slasher, insurance fund, resolver, ...) that is the deployer,
    ///      and a timelocked parameter change still pending (it takes effect on its own after the acceptance).
    function _checkWiring(address c, address deployer) private view returns (string memory v) {
        // a delay change the previous admin scheduled survives the acceptance and takes effect on its own
        (bool ok, bytes memory ret) = c.staticcall(abi.encodeWithSignature("pendingDefaultAdminDelay()"));
        if (ok && ret.length >= 64) {
            (, uint48 schedule) = abi.decode(ret, (uint48, uint48));
            if (schedule != 0) v = string.concat(v, "pending admin delay change on ", vm.toString(c), "\n");
        }
        (bool has, address inspector) = _readAddress(c, abi.encodeWithSignature("msgInspector()"));
        if (has && inspector != address(0)) {
            v = string.concat(v, "msgInspector of ", vm.toString(c), " is ", vm.toString(inspector), "\n");
        }
        v = string.concat(v, _checkFunds(c, deployer));
    }

    function _checkFunds(address c, address deployer) private view returns (string memory v) {
        string[11] memory getters = [
            "yieldReceiver()",
            "feeReceiver()",
            "tbillVault()",
            "minter()",
            "slasher()",
            "insuranceFund()",
            "resolver()",
            "dealFactory()",
            "treasury()",
            "protocolFeeReceiver()",
            "revenueReporter()"
        ];
        for (uint256 i; i < getters.length; ++i) {
            (bool ok, address a) = _readAddress(c, abi.encodeWithSignature(getters[i]));
            if (ok && a == deployer) v = string.concat(v, getters[i], " of ", vm.toString(c), " is the deployer\n");
        }
        string[4] memory pending =
            ["pendingVetoWindow()", "pendingInsuranceFund()", "pendingResolver()", "pendingMinSelfStake()"];
        for (uint256 i; i < pending.length; ++i) {
            (bool ok, bytes memory ret) = c.staticcall(abi.encodeWithSignature(pending[i]));
            if (!ok || ret.length < 64) continue;
            (uint256 value, uint256 effectiveAt) = abi.decode(ret, (uint256, uint256));
            if (effectiveAt != 0) {
                v = string.concat(v, pending[i], " on ", vm.toString(c), ": ", vm.toString(value), "\n");
            }
        }
    }

    /// @dev Once per (target, role): its admin role must be the expected one.
    function _checkRoleAdmin(address target, bytes32 role) private returns (string memory v) {
        bytes32 k = keccak256(abi.encode(target, role));
        if (_roleAdminChecked[k]) return v;
        _roleAdminChecked[k] = true;
        bytes32 admin = IAccessControl(target).getRoleAdmin(role);
        if (admin != _roleAdmin[k]) {
            v = string.concat(
                "admin of role ", vm.toString(role), " on ", vm.toString(target), " is ", vm.toString(admin), "\n"
            );
        }
    }

    function _replay(Vm.Log[] memory logs) private {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory l = logs[i];
            if (l.topics.length == 0) continue;
            bytes32 t = l.topics[0];
            if (t == ROLE_GRANTED || t == ROLE_REVOKED) {
                address holder = address(uint160(uint256(l.topics[2])));
                bytes32 k = _key(l.emitter, l.topics[1], holder);
                if (!_known[k]) {
                    _known[k] = true;
                    _seen.push(Grant(l.emitter, l.topics[1], holder));
                }
                _held[k] = t == ROLE_GRANTED;
            }
            if ((t == ROLE_GRANTED || t == OWNERSHIP_TRANSFERRED || t == ADMIN_SCHEDULED) && !_emitterKnown[l.emitter])
            {
                _emitterKnown[l.emitter] = true;
                _emitters.push(l.emitter);
            }
        }
    }

    function _readAddress(address c, bytes memory call) private view returns (bool ok, address a) {
        bytes memory ret;
        (ok, ret) = c.staticcall(call);
        ok = ok && ret.length >= 32;
        if (ok) a = abi.decode(ret, (address));
    }

    function _add(string memory v, string memory what, Grant memory g) private pure returns (string memory) {
        return string.concat(
            v, what, ": ", vm.toString(g.holder), " role ", vm.toString(g.role), " on ", vm.toString(g.target), "\n"
        );
    }

    function _contains(address[] memory list, address a) private pure returns (bool) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == a) return true;
        }
        return false;
    }

    function _key(address target, bytes32 role, address holder) private pure returns (bytes32) {
        return keccak256(abi.encode(target, role, holder));
    }
}
