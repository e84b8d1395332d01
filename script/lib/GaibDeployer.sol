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
    /// @notice CREATE3 salts of the home-chain staking and node stack (used by the `ensure*` functions).
    bytes32 internal constant STAKING_SALT = keccak256("gaib.StakingVault.v1");
    bytes32 internal constant SLASHER_SALT = keccak256("gaib.VetoSlasher.v1");
    bytes32 internal constant REGISTRY_SALT = keccak256("gaib.NodeRegistry.v1");
    bytes32 internal constant ORACLE_SALT = keccak256("gaib.TelemetryOracle.v1");

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

    /// @notice Idempotent `deployHome`: GAIB and its adapter at their CREATE3 addresses, each deployed only if no code
    ///         is there yet (`admin` must be the caller, the factory namespaces salts by caller).
    function ensureHome(Create3Factory f, address endpoint, address admin, address treasury)
        internal
        returns (Home memory h)
    {
        h.gaib = GAIB(_ensure(f, admin, GAIB_SALT, abi.encodePacked(type(GAIB).creationCode, abi.encode(treasury))));
        h.adapter = GAIBAdapter(
            _ensure(
                f,
                admin,
                ADAPTER_SALT,
                abi.encodePacked(type(GAIBAdapter).creationCode, abi.encode(address(h.gaib), endpoint, admin))
            )
        );
    }

    /// @notice Idempotent `deployRemote` (`admin` must be the caller).
    function ensureRemote(Create3Factory f, address endpoint, address admin) internal returns (GAIBOFT) {
        return GAIBOFT(
            _ensure(f, admin, GAIB_SALT, abi.encodePacked(type(GAIBOFT).creationCode, abi.encode(endpoint, admin)))
        );
    }

    /// @notice Idempotent `deployStaking` through the factory: the vault and the slasher at their CREATE3 addresses
    ///         (deployed only where no code is), then only the missing wiring (slasher, rewarder role) is written.
    ///         A reused vault keeps its original genesis and parameters.
    function ensureStaking(Create3Factory f, IERC20 gaib, IERC20 aid, address admin, StakingParams memory p)
        internal
        returns (Staking memory s)
    {
        s.vault = StakingVault(
            _ensure(
                f,
                admin,
                STAKING_SALT,
                abi.encodePacked(
                    type(StakingVault).creationCode,
                    abi.encode(gaib, aid, admin, p.genesis, p.epochDuration, p.minSelfStake)
                )
            )
        );
        s.slasher = VetoSlasher(
            _ensure(
                f,
                admin,
                SLASHER_SALT,
                abi.encodePacked(
                    type(VetoSlasher).creationCode, abi.encode(address(s.vault), admin, p.insuranceFund, p.resolver)
                )
            )
        );
        if (s.vault.slasher() != address(s.slasher)) s.vault.setSlasher(address(s.slasher));
        if (p.rewarder != address(0) && !s.vault.hasRole(s.vault.REWARDER_ROLE(), p.rewarder)) {
            s.vault.grantRole(s.vault.REWARDER_ROLE(), p.rewarder);
        }
    }

    /// @notice Idempotent `deployNodes` through the factory: registry and oracle at their CREATE3 addresses, the
    ///         oracle's slasher role granted only if missing.
    function ensureNodes(Create3Factory f, Staking memory s, address admin) internal returns (Nodes memory n) {
        n.registry = NodeRegistry(
            _ensure(
                f,
                admin,
                REGISTRY_SALT,
                abi.encodePacked(type(NodeRegistry).creationCode, abi.encode(address(s.vault), admin))
            )
        );
        n.oracle = TelemetryOracle(
            _ensure(
                f,
                admin,
                ORACLE_SALT,
                abi.encodePacked(
                    type(TelemetryOracle).creationCode,
                    abi.encode(address(s.vault), address(s.slasher), address(n.registry), admin)
                )
            )
        );
        if (!s.slasher.hasRole(s.slasher.SLASHER_ROLE(), address(n.oracle))) {
            s.slasher.grantRole(s.slasher.SLASHER_ROLE(), address(n.oracle));
        }
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
