// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealFactory} from "../interfaces/IDealFactory.sol";
import {IGpuDeal} from "../interfaces/IGpuDeal.sol";
import {TrancheToken} from "./TrancheToken.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @title DealFactory
/// @notice Creates one ring-fenced `GpuDeal` clone per financing with its two `TrancheToken` clones. See
///         `IDealFactory`.
contract DealFactory is IDealFactory, AccessControlDefaultAdminRules, Pausable {
    /// @inheritdoc IDealFactory
    bytes32 public constant DEAL_ADMIN_ROLE = keccak256("DEAL_ADMIN_ROLE");
    /// @inheritdoc IDealFactory
    bytes32 public constant UNDERWRITER_ROLE = keccak256("UNDERWRITER_ROLE");
    /// @inheritdoc IDealFactory
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @inheritdoc IDealFactory
    bytes32 public constant KYC_ROLE = keccak256("KYC_ROLE");

    /// @inheritdoc IDealFactory
    address public immutable aid;
    /// @inheritdoc IDealFactory
    address public immutable dealImplementation;
    /// @inheritdoc IDealFactory
    address public immutable trancheImplementation;

    address public treasury;
    address public protocolFeeReceiver;
    address public revenueReporter;

    /// @inheritdoc IDealFactory
    mapping(uint256 dealId => address) public deals;
    /// @inheritdoc IDealFactory
    mapping(address deal => bool) public isDeal;
    /// @inheritdoc IDealFactory
    uint256 public dealCount;
    /// @inheritdoc IDealFactory
    mapping(address deal => uint256) public dealIdOf;
    /// @inheritdoc IDealFactory
    mapping(address investor => bool) public isInvestorAllowed;

    constructor(
        address aid_,
        address dealImplementation_,
        address trancheImplementation_,
        address treasury_,
        address protocolFeeReceiver_,
        address admin
    ) AccessControlDefaultAdminRules(1 days, admin) {
        if (
            aid_ == address(0) || dealImplementation_ == address(0) || trancheImplementation_ == address(0)
                || treasury_ == address(0) || protocolFeeReceiver_ == address(0)
        ) revert ZeroAddress();
        aid = aid_;
        dealImplementation = dealImplementation_;
        trancheImplementation = trancheImplementation_;
        treasury = treasury_;
        protocolFeeReceiver = protocolFeeReceiver_;
        emit FeeReceiversSet(treasury_, protocolFeeReceiver_);
    }

    /// @inheritdoc IDealFactory
    function createDeal(IGpuDeal.Terms calldata terms)
        external
        onlyRole(UNDERWRITER_ROLE)
        whenNotPaused
        returns (address deal)
    {
        if (terms.underwriter != msg.sender) revert UnderwriterMismatch(msg.sender, terms.underwriter);
        uint256 id = ++dealCount;
        deal = Clones.clone(dealImplementation);
        address senior = Clones.clone(trancheImplementation);
        address junior = Clones.clone(trancheImplementation);
        string memory n = Strings.toString(id);
        TrancheToken(senior).initialize(string.concat("GAIB Deal ", n, " Senior"), string.concat("gSR-", n), deal);
        TrancheToken(junior).initialize(string.concat("GAIB Deal ", n, " Junior"), string.concat("gJR-", n), deal);
        IGpuDeal(deal).initialize(terms, aid, senior, junior, treasury, protocolFeeReceiver, revenueReporter);
        deals[id] = deal;
        isDeal[deal] = true;
        dealIdOf[deal] = id;
        emit DealCreated(id, deal, terms.borrower, msg.sender, senior, junior);
    }

    /// @inheritdoc IDealFactory
    function setFeeReceivers(address treasury_, address protocolFeeReceiver_) external onlyRole(DEAL_ADMIN_ROLE) {
        if (treasury_ == address(0) || protocolFeeReceiver_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        protocolFeeReceiver = protocolFeeReceiver_;
        emit FeeReceiversSet(treasury_, protocolFeeReceiver_);
    }

    /// @inheritdoc IDealFactory
    function setRevenueReporter(address reporter) external onlyRole(DEAL_ADMIN_ROLE) {
        if (reporter == address(0)) revert ZeroAddress();
        revenueReporter = reporter;
        emit RevenueReporterSet(reporter);
    }

    /// @inheritdoc IDealFactory
    function setDealUnderwriter(address deal, address underwriter) external onlyRole(DEAL_ADMIN_ROLE) {
        if (!isDeal[deal]) revert UnknownDeal(deal);
        if (!hasRole(UNDERWRITER_ROLE, underwriter)) revert NotUnderwriter(underwriter);
        IGpuDeal(deal).setUnderwriter(underwriter);
        emit DealUnderwriterSet(deal, underwriter);
    }

    /// @inheritdoc IDealFactory
    function setInvestorAllowed(address investor, bool allowed) external onlyRole(KYC_ROLE) {
        if (investor == address(0)) revert ZeroAddress();
        isInvestorAllowed[investor] = allowed;
        emit InvestorAllowedSet(investor, allowed);
    }

    /// @inheritdoc IDealFactory
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IDealFactory
    function unpause() external onlyRole(DEAL_ADMIN_ROLE) {
        _unpause();
    }

    /// @inheritdoc IDealFactory
    function paused() public view override(IDealFactory, Pausable) returns (bool) {
        return super.paused();
    }

    /// @notice Disabled for DEFAULT_ADMIN_ROLE: the admin cannot renounce into a lock-out.
    function renounceRole(bytes32 role, address account) public override {
        if (role == DEFAULT_ADMIN_ROLE) revert AdminRenounceDisabled();
        super.renounceRole(role, account);
    }
}
