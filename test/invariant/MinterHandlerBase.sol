// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {AIDMinter} from "../../src/mint/AIDMinter.sol";
import {AIDReserve} from "../../src/reserve/AIDReserve.sol";
import {AID} from "../../src/token/AID.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";
import {MockTBillVault} from "../mocks/MockTBillVault.sol";
import {Test} from "forge-std/Test.sol";

/// @notice State, ghost ledger, views and model helpers of {MinterHandler} (its actions live there).
abstract contract MinterHandlerBase is Test {
    struct Core {
        AID aid;
        AIDMinter minter;
        AIDReserve reserve;
        MockTBillVault tbill;
        MockERC20[] assets;
        MockPriceFeed[] feeds;
        address[] actors; // the last one is not whitelisted
        address admin;
        address gatekeeper;
        address reserveManager;
        address harvester;
        address denylistManager;
        address yieldReceiver;
        address feeReceiver;
    }

    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_UNITS = 60_000; // [whole tokens] per mint; above the asset cap on purpose

    AID internal immutable aid;
    AIDMinter internal immutable minter;
    AIDReserve internal immutable reserve;
    MockTBillVault internal immutable tbill;
    address internal immutable admin;
    address internal immutable gatekeeper;
    address internal immutable reserveManager;
    address internal immutable harvester;
    address internal immutable denylistManager;
    address public immutable yieldReceiver;
    address public immutable feeReceiver;
    MockERC20[] internal _assets;
    MockPriceFeed[] internal _feeds;
    address[] internal _actors;
    address[] internal _holders; // actors + yield and fee receivers: everyone who may hold AID

    // ------------------------------------------------------------ ghost ledger
    uint256 public ghost_minted; // [wad] AID minted against collateral
    uint256 public ghost_redeemed; // [wad] AID burnt by redemption requests
    uint256 public ghost_harvested; // [wad] AID minted from harvested surplus
    uint256 public ghost_paidIn; // [wad] collateral value that reached the reserve through mints
    uint256 public ghost_paidOut; // [wad] asset value paid to redemption receivers
    uint256 public ghost_donated; // [wad] stablecoins sent straight to the reserve (no AID for them)
    uint256 public ghost_tbillOps; // deposits into and redemptions from the T-bill fund (each may round by a unit)
    mapping(address actor => uint256) public ghost_paidValue; // [wad] collateral value paid in by the actor
    mapping(address actor => uint256) public ghost_aidMinted; // [wad] AID minted to the actor against its collateral
    mapping(address actor => uint256) public ghost_aidReceived; // [wad] AID received by transfer (or harvest)
    mapping(address actor => uint256) public ghost_aidSent; // [wad] AID sent by transfer
    mapping(address actor => uint256) public ghost_aidRedeemed; // [wad] AID burnt by the actor's redemptions

    // ------------------------------------------------------------ ghost queue
    uint256[] internal _requestIds; // every request made
    mapping(address asset => uint256) internal _requestEnd; // [asset units] end of the asset's queue
    uint256[] public ghost_claimOrder; // request ids in the order they were paid
    mapping(address asset => uint256) public ghost_fundedEnd; // [asset units] queue position funded so far
    mapping(address asset => uint256) public ghost_assetPaid; // [asset units] paid out per asset
    mapping(uint256 id => address) public ghost_owner; // who made the request (and alone may re-point it)

    // ------------------------------------------------------------ ghost caps (per timestamp window)
    uint256[] internal _stamps; // every timestamp in which a mint or redeem went through
    mapping(address asset => mapping(uint256 stamp => uint256)) internal _mintedAt;
    mapping(address asset => mapping(uint256 stamp => uint256)) internal _redeemedAt;
    mapping(uint256 stamp => uint256) internal _globalMintedAt;
    mapping(uint256 stamp => uint256) internal _globalRedeemedAt;

    // ------------------------------------------------------------ violations and stats
    string[] internal _violations;
    mapping(bytes32 => uint256) public calls;

    constructor(Core memory c) {
        aid = c.aid;
        minter = c.minter;
        reserve = c.reserve;
        tbill = c.tbill;
        admin = c.admin;
        gatekeeper = c.gatekeeper;
        reserveManager = c.reserveManager;
        harvester = c.harvester;
        denylistManager = c.denylistManager;
        yieldReceiver = c.yieldReceiver;
        feeReceiver = c.feeReceiver;
        for (uint256 i; i < c.assets.length; ++i) {
            _assets.push(c.assets[i]);
            _feeds.push(c.feeds[i]);
        }
        for (uint256 i; i < c.actors.length; ++i) {
            _actors.push(c.actors[i]);
            _holders.push(c.actors[i]);
            vm.prank(c.actors[i]);
            aid.approve(address(minter), type(uint256).max);
        }
        _holders.push(c.yieldReceiver);
        _holders.push(c.feeReceiver);
    }

    // ================================================================ views for the invariants

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function holders() external view returns (address[] memory) {
        return _holders;
    }

    function assets() external view returns (MockERC20[] memory) {
        return _assets;
    }

    function requestIds() external view returns (uint256[] memory) {
        return _requestIds;
    }

    function stamps() external view returns (uint256[] memory) {
        return _stamps;
    }

    function claimOrder() external view returns (uint256[] memory) {
        return ghost_claimOrder;
    }

    function claimOrderLength() external view returns (uint256) {
        return ghost_claimOrder.length;
    }

    function violationCount() external view returns (uint256) {
        return _violations.length;
    }

    function violation(uint256 i) external view returns (string memory) {
        return _violations[i];
    }

    /// @notice Per-timestamp cap use recorded from successful calls (to check against the configured caps).
    function usedAt(address asset, uint256 stamp)
        external
        view
        returns (uint256 minted, uint256 redeemed, uint256 globalMinted, uint256 globalRedeemed)
    {
        return (_mintedAt[asset][stamp], _redeemedAt[asset][stamp], _globalMintedAt[stamp], _globalRedeemedAt[stamp]);
    }

    // ================================================================ internals

    /// @dev Divests what the queue up to `r` lacks, if the T-bill fund holds `r`'s asset.
    function _divestFor(IAIDMinter.RedeemRequest memory r) internal {
        MockERC20 token = MockERC20(r.asset);
        if (r.claimed || r.asset != tbill.asset()) return;
        uint256 funded = ghost_fundedEnd[r.asset];
        uint256 need = r.cumulativeEnd > funded ? r.cumulativeEnd - funded : 0;
        uint256 free = _free(token);
        if (free >= need) return;
        uint256 held = tbill.balanceOf(address(reserve));
        uint256 shares = tbill.previewWithdraw(need - free);
        if (shares > held) shares = held;
        if (shares == 0) return;
        vm.prank(reserveManager);
        reserve.divest(shares);
        ++calls["divest_forQueue"];
        ++ghost_tbillOps;
    }

    /// @dev From a random start, the first unpaid request (held, if `held`).
    function _unpaid(uint256 seed, bool held) internal view returns (bool found, uint256 id) {
        uint256 n = _requestIds.length;
        for (uint256 k; k < n; ++k) {
            id = _requestIds[(seed % n + k) % n];
            IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
            if (!r.claimed && (!held || r.held)) return (true, id);
        }
    }

    function _touchStamp() internal {
        uint256 n = _stamps.length;
        if (n == 0 || _stamps[n - 1] != block.timestamp) _stamps.push(block.timestamp);
    }

    function _recordClaim(uint256 id, IAIDMinter.RedeemRequest memory r, uint256 end) internal {
        ghost_claimOrder.push(id);
        if (end > ghost_fundedEnd[r.asset]) ghost_fundedEnd[r.asset] = end;
        ghost_assetPaid[r.asset] += r.assetAmount;
        ghost_paidOut += r.assetAmount * _scale(MockERC20(r.asset));
    }

    /// @dev Why a mint of `aidOut` must be refused now, or "" if it must succeed.
    function _mintRefusal(MockERC20 token, MockPriceFeed feed, uint256 aidOut) internal view returns (string memory) {
        if (minter.paused()) return "paused";
        if (aidOut == 0) return "zero out";
        string memory priceWhy = _priceRefusal(feed, true);
        if (bytes(priceWhy).length != 0) return priceWhy;
        (uint256 mintable,) = minter.remainingBlockCaps(address(token));
        if (aidOut > mintable) return "over a cap";
        return "";
    }

    function _redeemRefusal(MockERC20 token, MockPriceFeed feed, uint256 aidAmount, uint256 assetOut, uint256 end)
        internal
        view
        returns (string memory)
    {
        if (minter.paused()) return "paused";
        string memory priceWhy = _priceRefusal(feed, false);
        if (bytes(priceWhy).length != 0) return priceWhy;
        if (assetOut == 0) return "zero out";
        (, uint256 redeemable) = minter.remainingBlockCaps(address(token));
        if (aidAmount > redeemable) return "over a cap";
        if (_free(token) + _tbillHoldings(token) < end - ghost_fundedEnd[address(token)]) return "asset short";
        return "";
    }

    /// @dev What the reserve's T-bill shares redeem for, if the fund holds `token`.
    function _tbillHoldings(MockERC20 token) internal view returns (uint256) {
        if (address(token) != tbill.asset()) return 0;
        return tbill.previewRedeem(tbill.balanceOf(address(reserve)));
    }

    /// @notice The unfunded part of `asset`'s queue and what the reserve holds to pay it (free buffer + T-bills).
    function coverage(MockERC20 token) external view returns (uint256 unfunded, uint256 holdings) {
        unfunded = _requestEnd[address(token)] - ghost_fundedEnd[address(token)];
        holdings = _free(token) + _tbillHoldings(token);
    }

    function _priceRefusal(MockPriceFeed feed, bool minting) internal view returns (string memory) {
        (, int256 answer,, uint256 updatedAt,) = feed.latestRoundData();
        if (updatedAt + minter.assetConfig(_assetOf(feed)).heartbeat < block.timestamp) return "stale feed";
        if (minting && answer < 0.995e8) return "depeg below";
        if (!minting && answer > 1.005e8) return "premium above";
        return "";
    }

    function _asset(uint256 seed) internal view returns (MockERC20, MockPriceFeed) {
        uint256 i = seed % _assets.length;
        return (_assets[i], _feeds[i]);
    }

    function _assetOf(MockPriceFeed feed) internal view returns (address) {
        for (uint256 i; i < _feeds.length; ++i) {
            if (_feeds[i] == feed) return address(_assets[i]);
        }
        return address(0);
    }

    /// @dev The reserve's balance of `token` not earmarked for funded requests.
    function _free(MockERC20 token) internal view returns (uint256) {
        uint256 balance = token.balanceOf(address(reserve));
        uint256 held = minter.earmarked(address(token));
        return balance > held ? balance - held : 0;
    }

    function _scale(MockERC20 token) internal view returns (uint256) {
        return 10 ** (18 - token.decimals());
    }

    function _feeUp(uint256 value, uint256 feeBps) internal pure returns (uint256) {
        return (value * feeBps + BPS - 1) / BPS;
    }

    function _violate(string memory what) internal {
        _violations.push(what);
    }
}
