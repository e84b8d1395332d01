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

/// @notice Drives the minter and reserve with many actors: mint, redeem request and claim, harvest, AID transfers,
///         pause/unpause, time and block moves, feed moves inside and outside the depeg band, T-bill invest/divest/
///         accrual and redemption-delay changes. Every call's outcome is predicted from the handler's own model; a
///         call that succeeds where it must fail (or the reverse) is recorded as a violation. Ghost variables keep an
///         independent ledger of supply, per-actor AID and the FIFO queue for the invariants.
/// @dev All inputs are bounded; calls expected to revert are made on purpose (and checked), never by accident.
contract MinterHandler is Test {
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

    // ================================================================ user actions

    /// @notice A whitelisted actor mints against one of the assets (amounts may exceed the caps on purpose).
    function mint(uint256 actorSeed, uint256 assetSeed, uint256 amount) external {
        address actor = _actors[_bound(actorSeed, 0, _actors.length - 2)];
        (MockERC20 token, MockPriceFeed feed) = _asset(assetSeed);
        uint256 scale = _scale(token);
        amount = _bound(amount, 1, MAX_UNITS * 10 ** token.decimals());
        token.mint(actor, amount);
        vm.prank(actor);
        token.approve(address(minter), amount);

        uint256 value = amount * scale;
        uint256 aidOut = value - _feeUp(value, minter.assetConfig(address(token)).mintFeeBps);
        string memory why = _mintRefusal(token, feed, aidOut);
        uint256 supplyBefore = aid.totalSupply();

        vm.prank(actor);
        try minter.mint(address(token), amount, 0, actor) returns (uint256 out) {
            ++calls["mint"];
            if (bytes(why).length != 0) _violate(string.concat("mint succeeded although ", why));
            if (out != aidOut) _violate("mint: aidOut differs from value - fee");
            if (aid.totalSupply() != supplyBefore + out) _violate("mint: supply did not grow by aidOut");
            ghost_minted += out;
            ghost_paidIn += value;
            ghost_paidValue[actor] += value;
            ghost_aidMinted[actor] += out;
            _touchStamp();
            _mintedAt[address(token)][block.timestamp] += out;
            _globalMintedAt[block.timestamp] += out;
        } catch {
            ++calls["mint_refused"];
            ++calls[bytes32(bytes(string.concat("m:", why)))];
            if (bytes(why).length == 0) _violate("mint refused although every check passed");
            token.burn(actor, amount); // the actor keeps nothing it did not use
        }
    }

    /// @notice The non-whitelisted actor tries to mint: must always be refused.
    function mintUnwhitelisted(uint256 assetSeed, uint256 amount) external {
        address outsider = _actors[_actors.length - 1];
        (MockERC20 token,) = _asset(assetSeed);
        amount = _bound(amount, 1, MAX_UNITS * 10 ** token.decimals());
        token.mint(outsider, amount);
        vm.prank(outsider);
        token.approve(address(minter), amount);
        vm.prank(outsider);
        try minter.mint(address(token), amount, 0, outsider) {
            _violate("unwhitelisted mint succeeded");
        } catch (bytes memory err) {
            ++calls["mintUnwhitelisted"];
            if (keccak256(err) != keccak256(abi.encodeWithSelector(IAIDMinter.NotWhitelisted.selector, outsider))) {
                _violate("unwhitelisted mint: wrong error");
            }
        }
        token.burn(outsider, amount);
    }

    /// @notice A whitelisted actor with AID queues a redemption to itself (settles at once when the delay is 0).
    function requestRedeem(uint256 actorSeed, uint256 assetSeed, uint256 aidAmount) external {
        address actor = _actors[_bound(actorSeed, 0, _actors.length - 2)];
        uint256 balance = aid.balanceOf(actor);
        if (balance == 0) return;
        (MockERC20 token, MockPriceFeed feed) = _asset(assetSeed);
        // mostly at least one asset unit; one call in eight may be dust (exercises the ZeroAmount refusal)
        aidAmount = _bound(aidAmount, aidAmount % 8 == 0 || balance < 1e12 ? 1 : 1e12, balance);
        uint256 scale = _scale(token);
        uint256 assetOut = (aidAmount - _feeUp(aidAmount, minter.assetConfig(address(token)).redeemFeeBps)) / scale;
        uint256 end = _requestEnd[address(token)] + assetOut;
        string memory why = _redeemRefusal(token, feed, aidAmount, assetOut, end);
        bool instant = minter.redeemDelay() == 0 && _free(token) >= end - ghost_fundedEnd[address(token)];
        uint256 count = minter.redeemRequestCount();

        vm.prank(actor);
        try minter.requestRedeem(address(token), aidAmount, 0, actor) returns (uint256 id) {
            ++calls["requestRedeem"];
            if (bytes(why).length != 0) _violate(string.concat("redeem succeeded although ", why));
            if (id != count) _violate("redeem: id is not the next one");
            IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
            if (r.assetAmount != assetOut || r.cumulativeEnd != end) _violate("redeem: request amounts");
            ghost_redeemed += aidAmount;
            ghost_aidRedeemed[actor] += aidAmount;
            _touchStamp();
            _redeemedAt[address(token)][block.timestamp] += aidAmount;
            _globalRedeemedAt[block.timestamp] += aidAmount;
            _requestIds.push(id);
            _requestEnd[address(token)] = end;
            if (r.claimed != instant) _violate("redeem: instant settlement decision");
            if (r.claimed) {
                ++calls["redeem_instant"];
                _recordClaim(id, r, end);
            }
        } catch {
            ++calls["requestRedeem_refused"];
            ++calls[bytes32(bytes(string.concat("r:", why)))];
            if (bytes(why).length == 0) _violate("redeem refused although every check passed");
        }
    }

    /// @notice Anyone claims a request: from a random start, the first unpaid one that is ready, else the first unpaid
    ///         one, else a paid one (refusals are predicted and checked). Depending on `idSeed`, the reserve manager
    ///         first divests what the queue lacks (the keeper flow that refills the buffer) and the claimant first waits
    ///         out the delay.
    function claimRedeem(uint256 idSeed) external {
        uint256 n = _requestIds.length;
        if (n == 0) return;
        uint256 start = _bound(idSeed, 0, n - 1);
        uint256 id = _requestIds[start];
        bool found;
        for (uint256 k; k < n && !found; ++k) {
            uint256 candidate = _requestIds[(start + k) % n];
            IAIDMinter.RedeemRequest memory c = minter.redeemRequest(candidate);
            if (!c.claimed && c.claimableAt <= block.timestamp) (id, found) = (candidate, true);
        }
        for (uint256 k; k < n && !found; ++k) {
            uint256 candidate = _requestIds[(start + k) % n];
            if (!minter.redeemRequest(candidate).claimed) (id, found) = (candidate, true);
        }
        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        if ((idSeed >> 128) % 2 == 0) _divestFor(r);
        if ((idSeed >> 129) % 2 == 0 && block.timestamp < r.claimableAt) {
            vm.warp(r.claimableAt); // the claimant waits for the delay
            ++calls["claim_waited"];
        }
        MockERC20 token = MockERC20(r.asset);
        uint256 fundedBefore = ghost_fundedEnd[r.asset];
        uint256 need = r.cumulativeEnd > fundedBefore ? r.cumulativeEnd - fundedBefore : 0;
        string memory why = "";
        if (minter.paused()) why = "paused";
        else if (r.claimed) why = "already claimed";
        else if (block.timestamp < r.claimableAt) why = "not ready";
        else if (_free(token) < need) why = "buffer short";
        uint256 before = token.balanceOf(r.receiver);

        try minter.claimRedeem(id) returns (uint256 paid) {
            ++calls["claimRedeem"];
            if (bytes(why).length != 0) _violate(string.concat("claim succeeded although ", why));
            if (paid != r.assetAmount || token.balanceOf(r.receiver) != before + paid) _violate("claim: amount");
            _recordClaim(id, r, r.cumulativeEnd);
        } catch {
            ++calls["claimRedeem_refused"];
            ++calls[bytes32(bytes(string.concat("c:", why)))];
            if (bytes(why).length == 0) _violate("claim refused although funded and ready");
        }
    }

    /// @notice AID moves between holders (any actor, including the non-whitelisted one and sAID).
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external {
        address from = _holders[_bound(fromSeed, 0, _holders.length - 1)];
        address to = _holders[_bound(toSeed, 0, _holders.length - 1)];
        uint256 balance = aid.balanceOf(from);
        if (balance == 0 || from == to) return;
        amount = _bound(amount, 1, balance);
        vm.prank(from);
        aid.transfer(to, amount);
        ++calls["transfer"];
        ghost_aidSent[from] += amount;
        ghost_aidReceived[to] += amount;
    }

    /// @notice The outsider sends stablecoins straight to the reserve: surplus for sAID, never AID for the sender.
    function donate(uint256 assetSeed, uint256 amount) external {
        address outsider = _actors[_actors.length - 1];
        (MockERC20 token,) = _asset(assetSeed);
        amount = _bound(amount, 1, 1000 * 10 ** token.decimals());
        uint256 supplyBefore = aid.totalSupply();
        token.mint(outsider, amount);
        vm.prank(outsider);
        token.transfer(address(reserve), amount);
        if (aid.totalSupply() != supplyBefore) _violate("donation minted AID");
        ghost_donated += amount * _scale(token);
        ++calls["donate"];
    }

    // ================================================================ reserve

    function harvest() external {
        uint256 s = reserve.surplus();
        string memory why = "";
        if (minter.paused()) why = "paused";
        else if (s == 0) why = "no surplus";
        uint256 fee = (s * reserve.harvestFeeBps()) / BPS;
        vm.prank(harvester);
        try reserve.harvest() returns (uint256 amount) {
            ++calls["harvest"];
            if (bytes(why).length != 0) _violate(string.concat("harvest succeeded although ", why));
            if (amount != s) _violate("harvest: amount differs from surplus()");
            ghost_harvested += amount;
            ghost_aidReceived[feeReceiver] += fee;
            ghost_aidReceived[yieldReceiver] += amount - fee;
        } catch {
            ++calls["harvest_refused"];
            if (bytes(why).length == 0) _violate("harvest refused with a surplus");
        }
    }

    /// @notice The reserve manager moves free buffer into T-bills, within the buffer target and the earmarks.
    function invest(uint256 amount) external {
        MockERC20 token = MockERC20(tbill.asset());
        uint256 scale = _scale(token);
        uint256 liquid = reserve.liquidValue();
        uint256 target = (minter.liabilities() * reserve.bufferTargetBps()) / BPS;
        uint256 free = _free(token);
        uint256 max = liquid > target ? (liquid - target) / scale : 0;
        if (free < max) max = free;
        if (max == 0) return;
        amount = _bound(amount, 1, max);
        vm.prank(reserveManager);
        try reserve.invest(amount) {
            ++calls["invest"];
            ++ghost_tbillOps;
        } catch (bytes memory err) {
            // only the fund's rounding may refuse a deposit within the target and the earmarks
            bytes4 sel = bytes4(err);
            if (sel != IAIDReserve.ZeroAmount.selector && sel != IAIDReserve.ReserveBelowLiabilities.selector) {
                _violate("invest refused within target and earmarks");
            }
            ++calls["invest_refused"];
        }
    }

    function divest(uint256 shares) external {
        uint256 held = tbill.balanceOf(address(reserve));
        if (held == 0) return;
        shares = _bound(shares, 1, held);
        vm.prank(reserveManager);
        reserve.divest(shares);
        ++calls["divest"];
        ++ghost_tbillOps;
    }

    /// @notice Realises the T-bill fund's accrued interest (anyone can).
    function accrue() external {
        tbill.accrue();
        ++calls["accrue"];
    }

    // ================================================================ environment

    /// @notice The gatekeeper pauses (one call in two, so that the protocol is paused about a fifth of the time).
    function pause(uint256 seed) external {
        if (minter.paused() || seed % 2 == 1) return;
        vm.prank(gatekeeper);
        minter.pause();
        ++calls["pause"];
    }

    function unpause() external {
        if (!minter.paused()) return;
        vm.prank(admin);
        minter.unpause();
        ++calls["unpause"];
    }

    /// @notice Time and blocks pass (T-bill interest accrues); feeds are refreshed unless `keepFeeds % 4 == 0` (then
    ///         they may go stale).
    function warp(uint256 dt, uint256 blocks, uint256 keepFeeds) external {
        dt = _bound(dt, 0, 10 days);
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + _bound(blocks, 1, 1000));
        if (keepFeeds % 4 != 0) {
            for (uint256 i; i < _feeds.length; ++i) {
                _feeds[i].setAnswer(_feeds[i].answer());
            }
        }
        ++calls["warp"];
    }

    /// @notice Moves one feed below the mint floor (1 in 6), above the redeem ceiling (1 in 6) or inside both bands.
    function setPrice(uint256 assetSeed, uint256 priceSeed) external {
        (, MockPriceFeed feed) = _asset(assetSeed);
        uint256 mode = priceSeed % 6;
        int256 price;
        if (mode == 0) price = _bound(int256(priceSeed >> 8), 0.9 * 1e8, 0.995e8 - 1); // depeg below
        else if (mode == 1) price = _bound(int256(priceSeed >> 8), 1.005e8 + 1, 1.1 * 1e8); // premium
        else price = _bound(int256(priceSeed >> 8), 0.995e8, 1.005e8); // inside both bands
        feed.setAnswer(int192(price));
        ++calls["setPrice"];
    }

    function setRedeemDelay(uint256 seed) external {
        uint256[3] memory delays = [uint256(0), 1 hours, 1 days];
        vm.prank(admin);
        minter.setRedeemDelay(delays[seed % 3]);
        ++calls["setRedeemDelay"];
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
