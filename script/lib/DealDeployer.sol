// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DealFactory} from "../../src/deals/DealFactory.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {OracleRevenueAdapter} from "../../src/deals/OracleRevenueAdapter.sol";
import {RevenueReporter} from "../../src/deals/RevenueReporter.sol";
import {TrancheToken} from "../../src/deals/TrancheToken.sol";
import {IRevenueOracle} from "../../src/interfaces/IRevenueOracle.sol";
import {NodeRegistry} from "../../src/nodes/NodeRegistry.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @title DealDeployer
/// @notice Idempotent deployment of the GPU deal stack for `03_DeployGaib` (home chain): the deal and tranche
///         implementations (initializers disabled, no roles), the DealFactory, the role-gated RevenueReporter (the
///         factory's revenue source) and the OracleRevenueAdapter (no admin), each at its CREATE3 address and deployed
///         only where no code is; then only the missing roles are granted, and only while the deployer is still the
///         admin (a re-run after the handoff sends nothing).
library DealDeployer {
    bytes32 internal constant DEAL_IMPL_SALT = keccak256("gaib.GpuDeal.impl.v1");
    bytes32 internal constant TRANCHE_IMPL_SALT = keccak256("gaib.TrancheToken.impl.v1");
    bytes32 internal constant DEAL_FACTORY_SALT = keccak256("gaib.DealFactory.v1");
    bytes32 internal constant REPORTER_SALT = keccak256("gaib.RevenueReporter.v1");
    bytes32 internal constant REVENUE_ADAPTER_SALT = keccak256("gaib.OracleRevenueAdapter.v1");

    /// @notice Role holders and parameters, all from the chain config.
    struct Params {
        address treasury; // performance and tokenization fees
        address protocolFeeReceiver; // protocol fee (GAIB stakers)
        address dealAdmin; // DEAL_ADMIN_ROLE
        address underwriter; // UNDERWRITER_ROLE
        address kycManager; // KYC_ROLE
        address pauser; // PAUSER_ROLE (the gatekeeper)
        address revenueReporter; // REVENUE_REPORTER_ROLE on the reporter
        uint256 settlementDelay; // [s] oracle revenue adapter settlement delay
    }

    struct Deals {
        address dealImpl;
        address trancheImpl;
        DealFactory factory;
        RevenueReporter reporter;
        OracleRevenueAdapter revenueAdapter;
    }

    /// @notice Deploys what is missing and grants what is missing (see the library notice). `admin` must be the caller.
    function ensureDeals(Create3Factory f, address aid, IRevenueOracle oracle, address admin, Params memory p)
        internal
        returns (Deals memory d)
    {
        d.dealImpl = _ensure(f, admin, DEAL_IMPL_SALT, type(GpuDeal).creationCode);
        d.trancheImpl = _ensure(f, admin, TRANCHE_IMPL_SALT, type(TrancheToken).creationCode);
        d.factory = DealFactory(
            _ensure(
                f,
                admin,
                DEAL_FACTORY_SALT,
                abi.encodePacked(
                    type(DealFactory).creationCode,
                    abi.encode(aid, d.dealImpl, d.trancheImpl, p.treasury, p.protocolFeeReceiver, admin)
                )
            )
        );
        d.reporter = RevenueReporter(
            _ensure(f, admin, REPORTER_SALT, abi.encodePacked(type(RevenueReporter).creationCode, abi.encode(admin)))
        );
        d.revenueAdapter = OracleRevenueAdapter(
            _ensure(
                f,
                admin,
                REVENUE_ADAPTER_SALT,
                abi.encodePacked(
                    type(OracleRevenueAdapter).creationCode, abi.encode(oracle, address(d.factory), p.settlementDelay)
                )
            )
        );
        if (d.factory.defaultAdmin() == admin) _wireFactory(d, admin, p);
        if (d.reporter.defaultAdmin() == admin) {
            _grant(address(d.reporter), d.reporter.REVENUE_REPORTER_ROLE(), p.revenueReporter);
        }
    }

    /// @notice Points the node registry at the deal factory, once (`setDealFactory` is write-once): nodes register on
    ///         a deal only with its parties' approval, read from the factory, so without it every registration on a
    ///         deal reverts. Sent only while unset and while `admin` (the caller) still administers the registry.
    function wireRegistry(NodeRegistry registry, DealFactory factory, address admin) internal {
        if (registry.dealFactory() == address(0) && registry.defaultAdmin() == admin) {
            registry.setDealFactory(address(factory));
        }
    }

    /// @dev The reporter as the factory's revenue source (set through a DEAL_ADMIN_ROLE the deployer holds only for
    ///      this call) and the deal roles.
    function _wireFactory(Deals memory d, address admin, Params memory p) private {
        DealFactory f = d.factory;
        bytes32 dealAdminRole = f.DEAL_ADMIN_ROLE();
        if (f.revenueReporter() != address(d.reporter)) {
            bool had = f.hasRole(dealAdminRole, admin);
            if (!had) f.grantRole(dealAdminRole, admin);
            f.setRevenueReporter(address(d.reporter));
            if (!had && p.dealAdmin != admin) f.revokeRole(dealAdminRole, admin);
        }
        _grant(address(f), dealAdminRole, p.dealAdmin);
        _grant(address(f), f.UNDERWRITER_ROLE(), p.underwriter);
        _grant(address(f), f.KYC_ROLE(), p.kycManager);
        _grant(address(f), f.PAUSER_ROLE(), p.pauser);
    }

    function _grant(address target, bytes32 role, address account) private {
        if (!IAccessControl(target).hasRole(role, account)) IAccessControl(target).grantRole(role, account);
    }

    /// @dev The contract at `deployer`'s CREATE3 address for `salt`, deployed from `initCode` only if none is there.
    function _ensure(Create3Factory f, address deployer, bytes32 salt, bytes memory initCode)
        private
        returns (address at)
    {
        at = f.predict(deployer, salt);
        if (at.code.length == 0) at = f.deploy(salt, initCode);
    }
}
