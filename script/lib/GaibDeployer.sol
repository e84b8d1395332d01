// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {INodeRegistry} from "../../src/interfaces/INodeRegistry.sol";
import {IStakingVault} from "../../src/interfaces/IStakingVault.sol";
import {IVetoSlasher} from "../../src/interfaces/IVetoSlasher.sol";
import {NodeRegistry} from "../../src/nodes/NodeRegistry.sol";
import {TelemetryOracle} from "../../src/nodes/TelemetryOracle.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {VetoSlasher} from "../../src/staking/VetoSlasher.sol";
import {GAIB} from "../../src/token/GAIB.sol";
import {GAIBAdapter} from "../../src/token/GAIBAdapter.sol";
import {GAIBOFT} from "../../src/token/GAIBOFT.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title GaibDeployer
/// @notice Deployment logic for GAIB, shared by scripts and tests: the home-chain token and OFT adapter (lockbox) on
///         Ethereum, the OFT on Arbitrum and Plume. The remote OFT uses the home token's CREATE3 salt, so with the same
///         deployer (and the same factory address, itself deployed through the canonical CREATE2 deployer) GAIB has
///         one address on every chain. The adapter has its own salt (one address, home chain only).
/// @dev The caller must be `admin` for any role wiring done afterwards (peers are set by the admin).
library GaibDeployer {
    /// @notice CREATE3 salt of GAIB (home token and remote OFTs).
    bytes32 internal constant GAIB_SALT = keccak256("gaib.GAIB.v1");
    /// @notice CREATE3 salt of the home-chain OFT adapter.
    bytes32 internal constant ADAPTER_SALT = keccak256("gaib.GAIBAdapter.v1");

    struct Home {
        GAIB gaib;
        GAIBAdapter adapter;
    }

    /// @notice Staking parameters (home chain).
    struct StakingParams {
        uint256 genesis; // [s] start of epoch 0 (≤ now)
        uint256 epochDuration; // [s] default 1 hour
        uint256 minSelfStake; // [wad] GAIB
        address insuranceFund; // receives slashed GAIB
        address resolver; // VETOER_ROLE holder
        address rewarder; // REWARDER_ROLE holder (fee source); zero: none yet
    }

    struct Staking {
        StakingVault vault;
        VetoSlasher slasher;
    }

    struct Nodes {
        NodeRegistry registry;
        TelemetryOracle oracle;
    }

    /// @notice Deploys GAIB (whole supply to `treasury`) and its OFT adapter on the home chain.
    function deployHome(Create3Factory f, address endpoint, address admin, address treasury)
        internal
        returns (Home memory h)
    {
        h.gaib = GAIB(f.deploy(GAIB_SALT, abi.encodePacked(type(GAIB).creationCode, abi.encode(treasury))));
        h.adapter = GAIBAdapter(
            f.deploy(
                ADAPTER_SALT,
                abi.encodePacked(type(GAIBAdapter).creationCode, abi.encode(address(h.gaib), endpoint, admin))
            )
        );
    }

    /// @notice Deploys the GAIB OFT on a remote chain, at the home token's address.
    function deployRemote(Create3Factory f, address endpoint, address admin) internal returns (GAIBOFT) {
        return GAIBOFT(f.deploy(GAIB_SALT, abi.encodePacked(type(GAIBOFT).creationCode, abi.encode(endpoint, admin))));
    }

    /// @notice Deploys the staking vault and its veto slasher and wires them (the caller must be `admin`).
    function deployStaking(IERC20 gaib, IERC20 aid, address admin, StakingParams memory p)
        internal
        returns (Staking memory s)
    {
        s.vault = new StakingVault(gaib, aid, admin, p.genesis, p.epochDuration, p.minSelfStake);
        s.slasher = new VetoSlasher(IStakingVault(address(s.vault)), admin, p.insuranceFund, p.resolver);
        s.vault.setSlasher(address(s.slasher));
        if (p.rewarder != address(0)) s.vault.grantRole(s.vault.REWARDER_ROLE(), p.rewarder);
    }

    /// @notice Deploys the node registry and the telemetry oracle on top of `s` and lets the oracle request slashes
    ///         (the caller must be `admin`).
    function deployNodes(Staking memory s, address admin) internal returns (Nodes memory n) {
        n.registry = new NodeRegistry(IStakingVault(address(s.vault)), admin);
        n.oracle = new TelemetryOracle(
            IStakingVault(address(s.vault)), IVetoSlasher(address(s.slasher)), INodeRegistry(address(n.registry)), admin
        );
        s.slasher.grantRole(s.slasher.SLASHER_ROLE(), address(n.oracle));
    }

    /// @notice The GAIB address `deployer` gets from factory `f` on any chain.
    function predictGaib(Create3Factory f, address deployer) internal view returns (address) {
        return f.predict(deployer, GAIB_SALT);
    }
}
