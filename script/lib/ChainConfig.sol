// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreDeployer} from "./CoreDeployer.sol";
import {LzConfig} from "./LzConfig.sol";
import {Vm} from "forge-std/Vm.sol";

/// @title ChainConfig
/// @notice Reads `script/config/<network>.json` (see script/config/README.md; `GAIB_CONFIG_DIR` overrides the folder)
///         into typed parameters.
library ChainConfig {
    Vm private constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Chain {
        string name;
        uint256 chainId;
        uint32 eid;
        bool home;
        address endpoint;
        address finalAdmin;
        uint32[] peers;
        uint96 limit; // [wad] per window, each direction
        uint24 window; // [s]
        uint128 lzReceiveGas; // [gas] enforced executor lzReceive gas per OFT send (`oft.lzReceiveGas`, optional)
        bool hasLayerZero; // the config has a `layerzero` object (validated into `lz`)
        LzConfig.Security lz; // LayerZero libraries, executor, confirmations, DVNs (see {LzConfig})
    }

    /// @notice Default enforced lzReceive gas when a config has no `oft.lzReceiveGas`.
    uint128 internal constant DEFAULT_LZ_RECEIVE_GAS = 200_000; // [gas]

    /// @notice Thrown when the config's chain id is not the chain being deployed to.
    error WrongChain(string network, uint256 expected, uint256 actual);
    /// @notice Thrown when a config holds no endpoint.
    error MissingEndpoint(string network);
    /// @notice Thrown when a production config (one with a `finalAdmin`) leaves `roles.<role>` zero or absent: every
    ///         role must name its holder, nothing defaults to the deployer (whose roles the handoff revokes).
    error MissingRole(string role);
    /// @notice Thrown when `roles.<role>` (a fund receiver or the veto resolver) is unset on a real chain (Ethereum,
    ///         Arbitrum, Plume): it is never defaulted to the deployer key there, even without a `finalAdmin`.
    error RoleDefaultRefused(string role, uint256 chainId);
    /// @notice Thrown when a production config (one with a `finalAdmin`) has no `layerzero` object, or when the
    ///         LayerZero wiring runs on a real chain id ({isRealChain}) with a config that has none.
    error MissingLayerZeroConfig(string network);
    /// @notice Thrown when no config in the folder has endpoint id `eid` (a peer) and a `layerzero` object: the receive
    ///         side of the pathway needs the peer's confirmations.
    error MissingPeerConfig(uint32 eid);
    /// @notice Thrown when two configs in the folder claim endpoint id `eid` with a `layerzero` object.
    error AmbiguousPeerConfig(uint32 eid);
    /// @notice Thrown when a production config (one with a `finalAdmin`) names the deploying key itself for
    ///         `roles.<role>` (or an environment override does): after the handoff the deployer holds nothing, and the
    ///         handoff revokes only the operational roles it lists (not the slasher's VETOER_ROLE, not fund receipts).
    error RoleIsDeployer(string role);
    /// @notice Thrown when `gaib.<field>` (`epochDuration`, `minSelfStake`: the staking vault's parameters, fixed or
    ///         delayed once deployed) is absent on a real chain id ({isRealChain}): no silent default there.
    error GaibParamUnset(string field, uint256 chainId);
    /// @notice Thrown when `gaib.<field>` is outside the staking vault's bounds (`epochDuration` 600 .. 86400 s,
    ///         `minSelfStake` 1 wei .. 10,000,000 GAIB), before anything is sent.
    error InvalidGaibParam(string field, uint256 value);
    /// @notice Thrown when a production config's `timelock.minDelay` is below `MIN_TIMELOCK_DELAY`.
    error TimelockDelayTooShort(uint256 delay, uint256 min);

    /// @notice Thrown when a deployment to a real chain id ({isRealChain}) reads a placeholder address
    ///         ({isPlaceholder}) in `field` (`finalAdmin` or `roles.<name>`): the shipped configs carry them until the
    ///         real multisigs are filled in.
    error PlaceholderAddress(string field);

    /// @notice The staking vault's parameters on the home chain (`gaib.*` in the config).
    struct GaibParams {
        uint256 epochDuration; // [s]
        uint256 minSelfStake; // [wad] GAIB
    }

    /// @notice `gaib.epochDuration` off the real chain ids when the config has none.
    uint256 internal constant DEV_EPOCH_DURATION = 1 hours; // [s]
    /// @notice `gaib.minSelfStake` off the real chain ids when the config has none.
    uint256 internal constant DEV_MIN_SELF_STAKE = 100_000e18; // [wad] GAIB
    /// @notice StakingVault's bounds (MIN/MAX_EPOCH_DURATION, MAX_MIN_SELF_STAKE), checked before sending.
    uint256 internal constant MIN_EPOCH_DURATION = 10 minutes; // [s]
    uint256 internal constant MAX_EPOCH_DURATION = 1 days; // [s]
    uint256 internal constant MAX_MIN_SELF_STAKE = 10_000_000e18; // [wad] GAIB

    /// @notice Smallest upgrade-timelock delay a production config may set.
    uint256 internal constant MIN_TIMELOCK_DELAY = 2 days; // [s]
    /// @notice Upgrade-timelock delay of a development config without `timelock.minDelay`.
    uint256 internal constant DEV_TIMELOCK_DELAY = 2 days; // [s]

    /// @notice The config folder: `GAIB_CONFIG_DIR`, default `script/config`.
    function dir() internal view returns (string memory) {
        return vm.envOr("GAIB_CONFIG_DIR", string("script/config"));
    }

    function load(string memory configDir, string memory network)
        internal
        view
        returns (Chain memory c, string memory json)
    {
        json = vm.readFile(string.concat(configDir, "/", network, ".json"));
        c.name = vm.parseJsonString(json, ".name");
        c.chainId = vm.parseJsonUint(json, ".chainId");
        c.eid = uint32(vm.parseJsonUint(json, ".eid"));
        c.home = vm.parseJsonBool(json, ".home");
        c.endpoint = vm.envOr("GAIB_ENDPOINT", vm.parseJsonAddress(json, ".endpoint"));
        c.finalAdmin = vm.parseJsonAddress(json, ".finalAdmin");
        uint256[] memory peers = vm.parseJsonUintArray(json, ".oft.peers");
        c.peers = new uint32[](peers.length);
        for (uint256 i; i < peers.length; ++i) {
            c.peers[i] = uint32(peers[i]);
        }
        c.limit = uint96(vm.parseJsonUint(json, ".oft.limit"));
        c.window = uint24(vm.parseJsonUint(json, ".oft.window"));
        c.lzReceiveGas = vm.keyExistsJson(json, ".oft.lzReceiveGas")
            ? uint128(vm.parseJsonUint(json, ".oft.lzReceiveGas"))
            : DEFAULT_LZ_RECEIVE_GAS;
        if (c.endpoint == address(0)) revert MissingEndpoint(network);
        c.hasLayerZero = vm.keyExistsJson(json, ".layerzero");
        if (c.hasLayerZero) c.lz = layerZero(json);
        else if (production(json)) revert MissingLayerZeroConfig(network);
    }

    /// @notice The `layerzero` object of `json`, validated ({LzConfig.validate}: complete, DVNs sorted, at least
    ///         `minRequiredDVNs` >= 2 required DVNs).
    function layerZero(string memory json) internal pure returns (LzConfig.Security memory s) {
        s.sendLib = vm.parseJsonAddress(json, ".layerzero.sendLib");
        s.receiveLib = vm.parseJsonAddress(json, ".layerzero.receiveLib");
        s.executor = vm.parseJsonAddress(json, ".layerzero.executor");
        s.maxMessageSize = uint32(vm.parseJsonUint(json, ".layerzero.maxMessageSize"));
        s.confirmations = uint64(vm.parseJsonUint(json, ".layerzero.confirmations"));
        s.requiredDVNs = vm.parseJsonAddressArray(json, ".layerzero.requiredDVNs");
        s.optionalDVNs = vm.parseJsonAddressArray(json, ".layerzero.optionalDVNs");
        s.optionalDVNThreshold = uint8(vm.parseJsonUint(json, ".layerzero.optionalDVNThreshold"));
        s.minRequiredDVNs = vm.parseJsonUint(json, ".layerzero.minRequiredDVNs");
        LzConfig.validate(s);
    }

    /// @notice Whether the LayerZero security step runs for `c`: yes with a `layerzero` object; without one it is
    ///         skipped only off the real chain ids (a development or local deployment), and on a real chain id only
    ///         with `GAIB_ANY_CHAIN` set (the operator's explicit "not a real deployment"); otherwise
    ///         {MissingLayerZeroConfig}.
    function wiresLayerZero(Chain memory c) internal view returns (bool) {
        if (c.hasLayerZero) return true;
        if (isRealChain(block.chainid) && !vm.envOr("GAIB_ANY_CHAIN", false)) revert MissingLayerZeroConfig(c.name);
        return false;
    }

    /// @notice For each of `c.peers`, the peer chain's `layerzero.confirmations`, from the config in `configDir` with
    ///         that endpoint id (the receive side of a pathway waits for the SOURCE chain's confirmations).
    function peerConfirmations(string memory configDir, Chain memory c) internal view returns (uint64[] memory conf) {
        Vm.DirEntry[] memory files = vm.readDir(configDir);
        conf = new uint64[](c.peers.length);
        for (uint256 i; i < c.peers.length; ++i) {
            bool found;
            for (uint256 j; j < files.length; ++j) {
                if (files[j].isDir || !_isJson(files[j].path)) continue;
                string memory json = vm.readFile(files[j].path);
                if (!vm.keyExistsJson(json, ".eid") || !vm.keyExistsJson(json, ".layerzero")) continue;
                if (vm.parseJsonUint(json, ".eid") != c.peers[i]) continue;
                if (found) revert AmbiguousPeerConfig(c.peers[i]);
                found = true;
                conf[i] = layerZero(json).confirmations;
            }
            if (!found) revert MissingPeerConfig(c.peers[i]);
        }
    }

    /// @notice Reverts unless the config targets the current chain (the local mode skips this with GAIB_ANY_CHAIN).
    function requireChain(Chain memory c) internal view {
        if (c.chainId != block.chainid && !vm.envOr("GAIB_ANY_CHAIN", false)) {
            revert WrongChain(c.name, c.chainId, block.chainid);
        }
    }

    /// @notice Home-chain parameters; role holders as in {role}.
    function homeParams(string memory json, address deployer) internal view returns (CoreDeployer.HomeParams memory p) {
        p.globalMintCap = vm.parseJsonUint(json, ".home_params.globalMintCap");
        p.globalRedeemCap = vm.parseJsonUint(json, ".home_params.globalRedeemCap");
        p.supplyCap = vm.parseJsonUint(json, ".home_params.supplyCap");
        p.redeemDelay = vm.parseJsonUint(json, ".home_params.redeemDelay");
        p.tbillVault = vm.parseJsonAddress(json, ".home_params.tbillVault");
        p.gatekeeper = role(json, "gatekeeper", deployer);
        p.whitelistManager = role(json, "whitelistManager", deployer);
        p.denylistManager = role(json, "denylistManager", deployer);
        p.reserveManager = role(json, "reserveManager", deployer);
        p.harvester = role(json, "harvester", deployer);
        uint256 n;
        while (vm.keyExistsJson(json, string.concat(".home_params.assets[", vm.toString(n), "]"))) ++n;
        p.assets = new CoreDeployer.AssetParams[](n);
        for (uint256 i; i < n; ++i) {
            string memory k = string.concat(".home_params.assets[", vm.toString(i), "]");
            p.assets[i] = CoreDeployer.AssetParams({
                asset: vm.parseJsonAddress(json, string.concat(k, ".asset")),
                feed: vm.parseJsonAddress(json, string.concat(k, ".feed")),
                mintFeeBps: uint16(vm.parseJsonUint(json, string.concat(k, ".mintFeeBps"))),
                redeemFeeBps: uint16(vm.parseJsonUint(json, string.concat(k, ".redeemFeeBps"))),
                heartbeat: uint32(vm.parseJsonUint(json, string.concat(k, ".heartbeat"))),
                mintCap: vm.parseJsonUint(json, string.concat(k, ".mintCap")),
                redeemCap: vm.parseJsonUint(json, string.concat(k, ".redeemCap"))
            });
        }
    }

    /// @notice The holder of `roles.<name>`. Zero or absent: a production config (one with a `finalAdmin`) reverts
    ///         with {MissingRole}; a development config (no `finalAdmin`, e.g. a local chain) defaults to `deployer`.
    ///         A production config naming `deployer` itself reverts with {RoleIsDeployer}.
    function role(string memory json, string memory name, address deployer) internal view returns (address a) {
        a = _read(json, name);
        if (a != address(0)) return _notDeployer(json, name, a, deployer);
        if (production(json)) revert MissingRole(name);
        return deployer;
    }

    /// @notice As {role}, and additionally never defaulted to `deployer` on a real chain id ({isRealChain}): for
    ///         fund receivers (treasury, insurance fund, protocol fee receiver) and the veto resolver
    ///         ({RoleDefaultRefused}).
    function fundRole(string memory json, string memory name, address deployer) internal view returns (address a) {
        a = _read(json, name);
        if (a != address(0)) return _notDeployer(json, name, a, deployer);
        if (production(json)) revert MissingRole(name);
        if (isRealChain(block.chainid)) revert RoleDefaultRefused(name, block.chainid);
        return deployer;
    }

    /// @notice The home chain's staking parameters `gaib.epochDuration` [s] and `gaib.minSelfStake` [wad], validated
    ///         against the staking vault's bounds ({InvalidGaibParam}); an absent one is refused on a real chain id
    ///         ({GaibParamUnset}) and is `DEV_EPOCH_DURATION` / `DEV_MIN_SELF_STAKE` elsewhere.
    function gaibParams(string memory json) internal view returns (GaibParams memory p) {
        p.epochDuration = _gaibUint(json, "epochDuration", DEV_EPOCH_DURATION);
        p.minSelfStake = _gaibUint(json, "minSelfStake", DEV_MIN_SELF_STAKE);
        if (p.epochDuration < MIN_EPOCH_DURATION || p.epochDuration > MAX_EPOCH_DURATION) {
            revert InvalidGaibParam("epochDuration", p.epochDuration);
        }
        if (p.minSelfStake == 0 || p.minSelfStake > MAX_MIN_SELF_STAKE) {
            revert InvalidGaibParam("minSelfStake", p.minSelfStake);
        }
    }

    function _gaibUint(string memory json, string memory field, uint256 dev) private view returns (uint256) {
        string memory key = string.concat(".gaib.", field);
        if (vm.keyExistsJson(json, key)) return vm.parseJsonUint(json, key);
        if (isRealChain(block.chainid)) revert GaibParamUnset(field, block.chainid);
        return dev;
    }

    /// @notice Whether `json` is a production config: it names a `finalAdmin` that receives every admin role.
    function production(string memory json) internal view returns (bool) {
        return vm.keyExistsJson(json, ".finalAdmin") && vm.parseJsonAddress(json, ".finalAdmin") != address(0);
    }

    /// @notice The upgrade timelock's minimum delay [s] (`timelock.minDelay`); at least `MIN_TIMELOCK_DELAY` in a
    ///         production config, `DEV_TIMELOCK_DELAY` when a development config has none.
    function timelockDelay(string memory json) internal view returns (uint256 delay) {
        delay = vm.keyExistsJson(json, ".timelock.minDelay")
            ? vm.parseJsonUint(json, ".timelock.minDelay")
            : DEV_TIMELOCK_DELAY;
        if (production(json) && delay < MIN_TIMELOCK_DELAY) revert TimelockDelayTooShort(delay, MIN_TIMELOCK_DELAY);
    }

    /// @notice Settlement delay [s] of the oracle revenue adapter (`deals.revenueSettlementDelay`, default 2 days).
    function revenueSettlementDelay(string memory json) internal view returns (uint256) {
        return vm.keyExistsJson(json, ".deals.revenueSettlementDelay")
            ? vm.parseJsonUint(json, ".deals.revenueSettlementDelay")
            : 2 days;
    }

    /// @notice Ethereum, Arbitrum One and Plume mainnet: chain ids where no role may silently be the deployer.
    function isRealChain(uint256 chainId) internal pure returns (bool) {
        return chainId == 1 || chainId == 42_161 || chainId == 98_866;
    }

    function _isJson(string memory path) private pure returns (bool) {
        bytes memory b = bytes(path);
        uint256 n = b.length;
        return n > 5 && b[n - 5] == "." && b[n - 4] == "j" && b[n - 3] == "s" && b[n - 2] == "o" && b[n - 1] == "n";
    }

    /// @notice On a real chain id ({isRealChain}) reverts with {PlaceholderAddress} naming the first of `finalAdmin`
    ///         and `roles.*` that holds a placeholder; elsewhere (a development chain) the shipped configs run as they
    ///         are. `01_DeployCore` and `03_DeployGaib` call it right after loading their config, before sending.
    function refusePlaceholders(string memory json) internal view {
        if (!isRealChain(block.chainid)) return;
        if (vm.keyExistsJson(json, ".finalAdmin") && isPlaceholder(vm.parseJsonAddress(json, ".finalAdmin"))) {
            revert PlaceholderAddress("finalAdmin");
        }
        if (!vm.keyExistsJson(json, ".roles")) return;
        string[] memory names = vm.parseJsonKeys(json, ".roles");
        for (uint256 i; i < names.length; ++i) {
            if (isPlaceholder(_read(json, names[i]))) revert PlaceholderAddress(string.concat("roles.", names[i]));
        }
    }

    /// @notice Whether `a` is a shipped-config placeholder: `0x5afe`, 32 zero hex digits, any last four
    ///         (e.g. `0x5afe000000000000000000000000000000000001`); a real address has that form with odds 2^-144.
    function isPlaceholder(address a) internal pure returns (bool) {
        return uint160(a) >> 16 == uint160(0x5afe) << 128;
    }

    /// @dev `a`, unless a production config names the deployer itself for `name` ({RoleIsDeployer}).
    function _notDeployer(string memory json, string memory name, address a, address deployer)
        private
        view
        returns (address)
    {
        if (a == deployer && production(json)) revert RoleIsDeployer(name);
        return a;
    }

    function _read(string memory json, string memory name) private view returns (address) {
        string memory key = string.concat(".roles.", name);
        return vm.keyExistsJson(json, key) ? vm.parseJsonAddress(json, key) : address(0);
    }
}
