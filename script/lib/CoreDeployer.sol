// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DealFactory} from "../../src/deals/DealFactory.sol";
import {GpuDeal} from "../../src/deals/GpuDeal.sol";
import {RevenueReporter} from "../../src/deals/RevenueReporter.sol";
import {TrancheToken} from "../../src/deals/TrancheToken.sol";
import {IAID} from "../../src/interfaces/IAID.sol";
import {AIDMinter} from "../../src/mint/AIDMinter.sol";
import {AIDReserve} from "../../src/reserve/AIDReserve.sol";
import {AID} from "../../src/token/AID.sol";
import {Create3Factory} from "../../src/utils/Create3Factory.sol";
import {StakedAID} from "../../src/vault/StakedAID.sol";
import {StakedAIDOFT} from "../../src/vault/StakedAIDOFT.sol";
import {StakedAIDOFTAdapter} from "../../src/vault/StakedAIDOFTAdapter.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @title CoreDeployer
/// @notice Deployment logic shared by the deploy scripts and the tests, so tests exercise exactly what ships.
/// @dev The caller (script broadcaster, or a test pranking as `admin`) must be `admin`: it wires the roles itself.
library CoreDeployer {
    /// @notice Salt of AID in the CREATE3 factory: same deployer + same salt = same address on every chain.
    bytes32 internal constant AID_SALT = keccak256("gaib.AID.v1");
    /// @notice Salt of sAID (the home-chain proxy, and the share OFT on other chains): same address everywhere.
    bytes32 internal constant SAID_SALT = keccak256("gaib.sAID.v1");
    /// @notice Salt of the home-chain sAID OFT adapter (lockbox): its address is known on every chain before it exists.
    bytes32 internal constant SAID_ADAPTER_SALT = keccak256("gaib.sAIDAdapter.v1");
    /// @notice Salt of the home-chain upgrade timelock (sAID's UPGRADER_ROLE holder).
    bytes32 internal constant TIMELOCK_SALT = keccak256("gaib.UpgradeTimelock.v1");
    /// @notice Salt of the CREATE3 factory under the canonical CREATE2 deployer.
    bytes32 internal constant FACTORY_SALT = keccak256("gaib.Create3Factory.v1");

    /// @notice Thrown when the upgrade timelock already at its address (from an earlier run) does not have
    ///         `governor` as its proposer and executor, or still gives the deployer a role: reusing it would leave
    ///         sAID's upgrades to whoever governed that earlier run (e.g. the deployer of a development run).
    error TimelockGovernorMismatch(address timelock, address governor);

    struct Core {
        AID aid;
        AIDMinter minter;
        AIDReserve reserve;
    }

    /// @notice One allowlisted stablecoin.
    struct AssetParams {
        address asset;
        address feed; // Chainlink-style USD feed
        uint16 mintFeeBps; // [bps] <= 50
        uint16 redeemFeeBps; // [bps] <= 50
        uint32 heartbeat; // [s] feed staleness bound
        uint256 mintCap; // [wad] per block
        uint256 redeemCap; // [wad] per block
    }

    /// @notice Home-chain parameters and role holders.
    struct HomeParams {
        uint256 globalMintCap; // [wad] per block
        uint256 globalRedeemCap; // [wad] per block
        uint256 supplyCap; // [wad]
        uint256 redeemDelay; // [s]
        address tbillVault; // ERC-4626 T-bill fund (zero: none yet)
        address yieldReceiver; // sAID (zero: set later)
        address gatekeeper;
        address whitelistManager;
        address denylistManager;
        address reserveManager;
        address harvester;
        AssetParams[] assets;
    }

    /// @notice sAID role holders and its unstake delay.
    struct StakedParams {
        address allocator; // ALLOCATOR_ROLE: moves idle AID into deal positions and back
        address restrictionManager; // RESTRICTION_MANAGER_ROLE
        address pauser; // PAUSER_ROLE (the gatekeeper)
        address upgrader; // UPGRADER_ROLE (the admin's timelock)
        uint256 unstakeDelay; // [s] <= 90 days
    }

    /// @notice The GPU deal stack (§5): the factory (with its deal and tranche implementations) and the role-gated
    ///         revenue reporter REVENUE_SHARE deals read until the telemetry oracle's adapter replaces it.
    struct Deals {
        DealFactory factory;
        RevenueReporter reporter;
    }

    /// @notice Deal role holders.
    struct DealParams {
        address dealAdmin; // DEAL_ADMIN_ROLE: fee receivers, revenue source, unpause
        address underwriter; // UNDERWRITER_ROLE: originates deals
        address kycManager; // KYC_ROLE: tranche investor allowlist
        address pauser; // PAUSER_ROLE: the guardian
        address revenueReporter; // REVENUE_REPORTER_ROLE on the reporter
    }

    /// @notice Deploys the CREATE3 factory; in scripts `new X{salt:}` goes through the canonical CREATE2 deployer,
    ///         so the factory has the same address on every chain.
    function deployFactory() internal returns (Create3Factory) {
        return new Create3Factory{salt: FACTORY_SALT}();
    }

    /// @notice Deploys AID at its deterministic address (needs only an endpoint and an admin).
    function deployAID(Create3Factory f, address endpoint, address admin) internal returns (AID) {
        return AID(f.deploy(AID_SALT, abi.encodePacked(type(AID).creationCode, abi.encode(endpoint, admin))));
    }

    /// @notice Deploys the home-chain core (AID, reserve, minter) and wires the minter into AID and the reserve.
    function deployHome(Create3Factory f, address endpoint, address admin) internal returns (Core memory c) {
        c.aid = deployAID(f, endpoint, admin);
        c.reserve = new AIDReserve(admin);
        c.minter = new AIDMinter(IAID(address(c.aid)), address(c.reserve), admin);
        c.reserve.setMinter(address(c.minter));
        c.aid.grantRole(c.aid.MINTER_ROLE(), address(c.minter));
    }

    /// @notice Deploys sAID at its deterministic address: implementation (constructor disables initializers), then an
    ///         ERC1967Proxy initialized in its constructor (no front-runnable initialize).
    function deployStakedAID(Create3Factory f, address aid, address admin) internal returns (StakedAID) {
        address impl = address(new StakedAID(IAID(aid)));
        bytes memory init = abi.encodeCall(StakedAID.initialize, (IAID(aid), admin));
        return StakedAID(f.deploy(SAID_SALT, abi.encodePacked(type(ERC1967Proxy).creationCode, abi.encode(impl, init))));
    }

    /// @notice Home chain: the lockbox that moves sAID shares over LayerZero (peers are set by the admin).
    function deployStakedAIDAdapter(StakedAID s, address endpoint, address admin)
        internal
        returns (StakedAIDOFTAdapter)
    {
        return new StakedAIDOFTAdapter(address(s), endpoint, admin);
    }

    /// @notice Home chain: the sAID lockbox at its deterministic address (SAID_ADAPTER_SALT), so remote chains can peer
    ///         to it from the factory's prediction.
    function deployStakedAIDAdapterAt(Create3Factory f, address sAID, address endpoint, address admin)
        internal
        returns (StakedAIDOFTAdapter)
    {
        return StakedAIDOFTAdapter(
            f.deploy(
                SAID_ADAPTER_SALT,
                abi.encodePacked(type(StakedAIDOFTAdapter).creationCode, abi.encode(sAID, endpoint, admin))
            )
        );
    }

    /// @notice Arbitrum / Plume: sAID shares as an OFT at sAID's own deterministic address (SAID_SALT), bound to the
    ///         local AID's deny list (`aid`: AID's CREATE3 address, the same on every chain).
    function deployStakedAIDRemote(Create3Factory f, address endpoint, address admin, address aid)
        internal
        returns (StakedAIDOFT)
    {
        return StakedAIDOFT(
            f.deploy(SAID_SALT, abi.encodePacked(type(StakedAIDOFT).creationCode, abi.encode(endpoint, admin, aid)))
        );
    }

    /// @notice The upgrade timelock at its CREATE3 address (TIMELOCK_SALT), deployed only if no code is there: an
    ///         OpenZeppelin TimelockController with `minDelay` [s], `governor` as its only proposer, canceller and
    ///         executor, and no admin (its own roles change only through itself). `deployer` must be the caller. A
    ///         timelock already there is reused only if `governor` proposes and executes and the deployer (unless it
    ///         is the governor) holds none of its roles ({TimelockGovernorMismatch}).
    function ensureTimelock(Create3Factory f, address deployer, uint256 minDelay, address governor)
        internal
        returns (TimelockController)
    {
        address at = f.predict(deployer, TIMELOCK_SALT);
        if (at.code.length != 0) {
            TimelockController t = TimelockController(payable(at));
            bool ok = t.hasRole(t.PROPOSER_ROLE(), governor) && t.hasRole(t.EXECUTOR_ROLE(), governor);
            if (ok && governor != deployer) {
                ok = !t.hasRole(t.PROPOSER_ROLE(), deployer) && !t.hasRole(t.EXECUTOR_ROLE(), deployer)
                    && !t.hasRole(t.CANCELLER_ROLE(), deployer);
            }
            if (!ok) revert TimelockGovernorMismatch(at, governor);
            return t;
        }
        address[] memory members = new address[](1);
        members[0] = governor;
        return TimelockController(
            payable(f.deploy(
                    TIMELOCK_SALT,
                    abi.encodePacked(
                        type(TimelockController).creationCode, abi.encode(minDelay, members, members, address(0))
                    )
                ))
        );
    }

    /// @notice Grants sAID's roles, gives the reserve REWARDER_ROLE and makes sAID the reserve's yield receiver.
    function configureStakedAID(StakedAID s, AIDReserve reserve, StakedParams memory p) internal {
        s.grantRole(s.REWARDER_ROLE(), address(reserve));
        s.grantRole(s.ALLOCATOR_ROLE(), p.allocator);
        s.grantRole(s.RESTRICTION_MANAGER_ROLE(), p.restrictionManager);
        s.grantRole(s.PAUSER_ROLE(), p.pauser);
        s.grantRole(s.UPGRADER_ROLE(), p.upgrader);
        if (p.unstakeDelay != s.unstakeDelay()) s.setUnstakeDelay(p.unstakeDelay);
        reserve.setYieldReceiver(address(s));
    }

    /// @notice Grants the operational roles and sets assets, caps, delay, T-bill fund and yield receiver.
    function configureHome(Core memory c, HomeParams memory p) internal {
        c.aid.grantRole(c.aid.PAUSER_ROLE(), p.gatekeeper);
        c.aid.grantRole(c.aid.DENYLIST_MANAGER_ROLE(), p.denylistManager);
        c.minter.grantRole(c.minter.GATEKEEPER_ROLE(), p.gatekeeper);
        c.minter.grantRole(c.minter.WHITELIST_MANAGER_ROLE(), p.whitelistManager);
        c.reserve.grantRole(c.reserve.RESERVE_MANAGER_ROLE(), p.reserveManager);
        c.reserve.grantRole(c.reserve.HARVESTER_ROLE(), p.harvester);
        for (uint256 i; i < p.assets.length; ++i) {
            AssetParams memory a = p.assets[i];
            c.minter.setAsset(a.asset, a.feed, true, a.mintFeeBps, a.redeemFeeBps, a.heartbeat);
            c.minter.setAssetCaps(a.asset, a.mintCap, a.redeemCap);
        }
        c.minter.setGlobalCaps(p.globalMintCap, p.globalRedeemCap);
        c.minter.setSupplyCap(p.supplyCap);
        c.minter.setRedeemDelay(p.redeemDelay);
        if (p.tbillVault != address(0)) c.reserve.setTBillVault(p.tbillVault);
        if (p.yieldReceiver != address(0)) c.reserve.setYieldReceiver(p.yieldReceiver);
    }

    /// @notice Deploys the deal stack: implementations (initializers disabled), the factory and the revenue reporter.
    ///         `treasury` receives performance and tokenization fees, `protocolFeeReceiver` the protocol fee (the
    ///         GAIB stakers' receiver; the deal admin can change both later).
    function deployDeals(address aid, address admin, address treasury, address protocolFeeReceiver)
        internal
        returns (Deals memory d)
    {
        d.factory = new DealFactory(
            aid, address(new GpuDeal()), address(new TrancheToken()), treasury, protocolFeeReceiver, admin
        );
        d.reporter = new RevenueReporter(admin);
    }

    /// @notice Grants the deal roles and wires the reporter into the factory. The caller must be `admin`; it holds
    ///         DEAL_ADMIN_ROLE afterwards only if it is `p.dealAdmin`.
    function configureDeals(Deals memory d, address admin, DealParams memory p) internal {
        DealFactory f = d.factory;
        bytes32 dealAdminRole = f.DEAL_ADMIN_ROLE();
        f.grantRole(dealAdminRole, admin);
        f.setRevenueReporter(address(d.reporter));
        if (p.dealAdmin != admin) {
            f.revokeRole(dealAdminRole, admin);
            f.grantRole(dealAdminRole, p.dealAdmin);
        }
        f.grantRole(f.UNDERWRITER_ROLE(), p.underwriter);
        f.grantRole(f.KYC_ROLE(), p.kycManager);
        f.grantRole(f.PAUSER_ROLE(), p.pauser);
        d.reporter.grantRole(d.reporter.REVENUE_REPORTER_ROLE(), p.revenueReporter);
    }
}
