// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGpuDeal} from "./IGpuDeal.sol";

/// @title IDealFactory
/// @notice Creates one ring-fenced `GpuDeal` per financing (§5 of the spec) as a minimal-proxy clone of an
///         initializer-protected implementation, with one `TrancheToken` clone per tranche. Terms are validated by the
///         deal at initialization, so a clone with bad terms is never left behind (the whole creation reverts).
interface IDealFactory {
    /// @notice Emitted when a deal is created.
    event DealCreated(
        uint256 indexed dealId,
        address indexed deal,
        address indexed borrower,
        address underwriter,
        address seniorToken,
        address juniorToken
    );

    /// @notice Emitted when the fee receivers change.
    event FeeReceiversSet(address treasury, address protocolFeeReceiver);

    /// @notice Emitted when the revenue reporter used by new REVENUE_SHARE deals changes.
    event RevenueReporterSet(address reporter);

    /// @notice Emitted when `investor` is added to (`allowed`) or removed from the KYC allowlist for tranche deposits.
    event InvestorAllowedSet(address indexed investor, bool allowed);

    /// @notice Emitted when the deal admin hands `deal`'s underwriter calls to `underwriter`.
    event DealUnderwriterSet(address indexed deal, address indexed underwriter);

    /// @notice Thrown when a required address is zero.
    error ZeroAddress();

    /// @notice Thrown when `deal` was not created by this factory.
    error UnknownDeal(address deal);

    /// @notice Thrown when the new underwriter of a deal does not hold UNDERWRITER_ROLE.
    error NotUnderwriter(address account);

    /// @notice Thrown when the caller of `createDeal` names an underwriter other than itself.
    error UnderwriterMismatch(address caller, address underwriter);

    /// @notice Thrown when the admin tries to renounce its role (no lock-out).
    error AdminRenounceDisabled();

    /// @notice Role of the deal administrators: keccak256("DEAL_ADMIN_ROLE").
    function DEAL_ADMIN_ROLE() external view returns (bytes32);

    /// @notice Role of the underwriters who originate deals: keccak256("UNDERWRITER_ROLE").
    function UNDERWRITER_ROLE() external view returns (bytes32);

    /// @notice Role of the guardian that pauses new deals and tranche deposits: keccak256("PAUSER_ROLE").
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice Role that maintains the KYC allowlist of tranche investors: keccak256("KYC_ROLE").
    function KYC_ROLE() external view returns (bytes32);

    /// @notice Creates a deal with `terms` (validated by the deal); the caller must be `terms.underwriter`.
    /// @return deal The new deal's address.
    function createDeal(IGpuDeal.Terms calldata terms) external returns (address deal);

    /// @notice Sets where the performance fee (treasury/insurance) and the protocol fee (GAIB stakers) go.
    function setFeeReceivers(address treasury, address protocolFeeReceiver) external;

    /// @notice Sets the revenue reporter wired into new REVENUE_SHARE deals.
    function setRevenueReporter(address reporter) external;

    /// @notice DEAL_ADMIN_ROLE: rotates `deal`'s underwriter to `underwriter`, who must hold UNDERWRITER_ROLE. A deal's
    ///         underwriter calls need both: being the deal's underwriter and holding the role here, so revoking the
    ///         role stops an underwriter on every deal at once until the admin rotates them.
    function setDealUnderwriter(address deal, address underwriter) external;

    /// @notice KYC_ROLE: allows (or disallows) `investor` to deposit into tranches of every deal. Tranche tokens stay
    ///         freely transferable ERC-20s (secondary holders only pull what their tokens earn; the KYC gate is on
    ///         primary funding, where AID enters a deal).
    function setInvestorAllowed(address investor, bool allowed) external;

    /// @notice PAUSER_ROLE (guardian): stops new deals and tranche deposits. Repayments, claims, refunds and
    ///         recoveries keep working, so a pause never strands funds.
    function pause() external;

    /// @notice DEAL_ADMIN_ROLE: lifts the pause.
    function unpause() external;

    /// @notice Whether new deals and tranche deposits are paused.
    function paused() external view returns (bool);

    /// @notice Whether `investor` passed KYC and may deposit into tranches.
    function isInvestorAllowed(address investor) external view returns (bool);

    /// @notice The id of `deal` (0 if not created here); the id keys the deal in the node registry and the oracle.
    function dealIdOf(address deal) external view returns (uint256);

    /// @notice The deal with id `dealId` (0 if none).
    function deals(uint256 dealId) external view returns (address);

    /// @notice The number of deals created.
    function dealCount() external view returns (uint256);

    /// @notice Whether `deal` was created by this factory.
    function isDeal(address deal) external view returns (bool);

    /// @notice The AID token every deal is denominated in.
    function aid() external view returns (address);

    /// @notice The deal implementation behind every clone.
    function dealImplementation() external view returns (address);

    /// @notice The tranche token implementation behind every tranche clone.
    function trancheImplementation() external view returns (address);
}
