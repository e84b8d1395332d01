// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IAIDMinter} from "../../src/interfaces/IAIDMinter.sol";
import {IAIDReserve} from "../../src/interfaces/IAIDReserve.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";
import {MinterHandlerBase} from "./MinterHandlerBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Drives the minter and reserve with many actors: mint, redeem request and claim, harvest, AID transfers,
///         pause/unpause, time and block moves, feed moves inside and outside the depeg band, T-bill invest/divest/
///         accrual and redemption-delay changes. Every call's outcome is predicted from the handler's own model; a
///         call that succeeds where it must fail (or the reverse) is recorded as a violation. Ghost variables keep an
///         independent ledger of supply, per-actor AID and the FIFO queue for the invariants.
/// @dev All inputs are bounded; calls expected to revert are made on purpose (and checked), never by accident.
contract MinterHandler is MinterHandlerBase {
    constructor(Core memory c) MinterHandlerBase(c) {}

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
        string memory why = aid.isDenied(actor) ? "denied" : _mintRefusal(token, feed, aidOut);
        if (minter.paused()) why = "paused";
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

    /// @notice A whitelisted actor with AID queues a redemption to itself, or (one call in four) to another actor;
    ///         it settles at once when the delay is 0.
    function requestRedeem(uint256 actorSeed, uint256 assetSeed, uint256 aidAmount) external {
        address actor = _actors[_bound(actorSeed, 0, _actors.length - 2)];
        address receiver = (actorSeed >> 128) % 4 == 0 ? _actors[(actorSeed >> 130) % _actors.length] : actor;
        uint256 balance = aid.balanceOf(actor);
        if (balance == 0) return;
        (MockERC20 token, MockPriceFeed feed) = _asset(assetSeed);
        // mostly at least one asset unit; one call in eight may be dust (exercises the ZeroAmount refusal)
        aidAmount = _bound(aidAmount, aidAmount % 8 == 0 || balance < 1e12 ? 1 : 1e12, balance);
        uint256 scale = _scale(token);
        uint256 assetOut = (aidAmount - _feeUp(aidAmount, minter.assetConfig(address(token)).redeemFeeBps)) / scale;
        uint256 end = _requestEnd[address(token)] + assetOut;
        string memory why = _redeemRefusal(token, feed, aidAmount, assetOut, end);
        if (!minter.paused() && (aid.isDenied(actor) || aid.isDenied(receiver))) why = "denied";
        bool instant = minter.redeemDelay() == 0 && _free(token) >= end - ghost_fundedEnd[address(token)];
        uint256 count = minter.redeemRequestCount();

        vm.prank(actor);
        try minter.requestRedeem(address(token), aidAmount, 0, receiver) returns (uint256 id) {
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
            ghost_owner[id] = actor;
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
        _claimRequest(id, idSeed);
    }

    /// @notice The deny-list manager lists the receiver of an unpaid request during its delay, then the request is
    ///         claimed (after waiting and refilling the buffer): its payout must be held, never paid nor blocking.
    function denyReceiverAndClaim(uint256 seed) external {
        (bool found, uint256 id) = _unpaid(seed, false);
        if (!found) return;
        address receiver = minter.redeemRequest(id).receiver;
        vm.prank(denylistManager);
        aid.setDenied(receiver, true);
        ++calls["setDenied"];
        _claimRequest(id, seed & ~(uint256(3) << 128)); // divest for the queue and wait for the delay
    }

    /// @dev Claims request `id`, predicting the outcome; `idSeed` bits 128 and 129 (when 0) first divest what the queue
    ///      lacks and wait out the delay.
    function _claimRequest(uint256 id, uint256 idSeed) internal {
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
        else if (r.held && aid.isDenied(r.receiver)) why = "held, denied";
        bool hold = !r.held && aid.isDenied(r.receiver);
        uint256 before = token.balanceOf(r.receiver);

        try minter.claimRedeem(id) returns (uint256 paid) {
            ++calls["claimRedeem"];
            if (bytes(why).length != 0) _violate(string.concat("claim succeeded although ", why));
            if (paid != (hold ? 0 : r.assetAmount) || token.balanceOf(r.receiver) != before + paid) {
                _violate("claim: amount");
            }
            if (minter.redeemRequest(id).held != hold) _violate("claim: hold decision");
            if (hold) {
                ++calls["claim_held"];
                if (r.cumulativeEnd > ghost_fundedEnd[r.asset]) ghost_fundedEnd[r.asset] = r.cumulativeEnd;
            } else {
                _recordClaim(id, r, r.cumulativeEnd);
            }
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
        bool denied = aid.isDenied(from) || aid.isDenied(to);
        vm.prank(from);
        try aid.transfer(to, amount) {
            if (denied) _violate("transfer by or to a deny-listed holder");
            ++calls["transfer"];
            ghost_aidSent[from] += amount;
            ghost_aidReceived[to] += amount;
        } catch {
            if (!denied) _violate("transfer refused between clean holders");
            ++calls["transfer_denied"];
        }
    }

    // ================================================================ deny list and receivers

    /// @notice The deny-list manager lists the receiver of an unpaid request (one call in two: listed during the
    ///         delay), else lists (one call in three) or clears an actor.
    function setDenied(uint256 actorSeed) external {
        address actor = _actors[actorSeed % _actors.length];
        bool denied = (actorSeed >> 8) % 3 == 0;
        (bool found, uint256 id) = _unpaid(actorSeed >> 16, false);
        if (found && (actorSeed >> 12) % 2 == 0) (actor, denied) = (minter.redeemRequest(id).receiver, true);
        vm.prank(denylistManager);
        aid.setDenied(actor, denied);
        ++calls["setDenied"];
    }

    /// @notice A request's owner (or, one call in four, someone else) re-points an unpaid request to an actor.
    function repoint(uint256 idSeed, uint256 toSeed) external {
        (bool found, uint256 id) = _unpaid(idSeed, false);
        if (!found) return;
        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        address owner = ghost_owner[id];
        address caller = (idSeed >> 128) % 4 == 0 ? _actors[(idSeed >> 130) % _actors.length] : owner;
        address to = _actors[toSeed % _actors.length];
        string memory why = "";
        if (r.claimed) why = "already claimed";
        else if (caller != owner) why = "not owner";
        else if (aid.isDenied(caller) || aid.isDenied(r.receiver) || aid.isDenied(to)) why = "denied";
        vm.prank(caller);
        try minter.setRedeemReceiver(id, to) {
            if (bytes(why).length != 0) _violate(string.concat("re-point succeeded although ", why));
            if (minter.redeemRequest(id).receiver != to) _violate("re-point: receiver");
            ++calls["repoint"];
        } catch {
            if (bytes(why).length == 0) _violate("re-point refused by a clean owner");
            ++calls[bytes32(bytes(string.concat("p:", why)))];
        }
    }

    /// @notice The admin releases a held request to an actor (a court-ordered address, or the owner once cleared).
    function releaseHeld(uint256 idSeed, uint256 toSeed) external {
        (bool found, uint256 id) = _unpaid(idSeed, true);
        if (!found && _requestIds.length == 0) return;
        if (!found) id = _requestIds[idSeed % _requestIds.length]; // a request that is not held
        IAIDMinter.RedeemRequest memory r = minter.redeemRequest(id);
        address to = _actors[toSeed % _actors.length];
        string memory why = "";
        if (minter.paused()) why = "paused";
        else if (!r.held) why = "not held";
        else if (aid.isDenied(to)) why = "denied";
        uint256 before = MockERC20(r.asset).balanceOf(to);
        vm.prank(admin);
        try minter.releaseHeld(id, to) returns (uint256 paid) {
            if (bytes(why).length != 0) _violate(string.concat("release succeeded although ", why));
            if (paid != r.assetAmount || MockERC20(r.asset).balanceOf(to) != before + paid) {
                _violate("release: amount");
            }
            _recordClaim(id, r, r.cumulativeEnd);
            ++calls["releaseHeld"];
        } catch {
            if (bytes(why).length == 0) _violate("release of a held request refused");
            ++calls["releaseHeld_refused"];
        }
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
        else if (IERC20(yieldReceiver).totalSupply() == 0) why = "sAID has no stakers"; // NoStakers (issue 12 F11)
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
}
