// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BaseTest} from "../BaseTest.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {MockPriceFeed} from "../mocks/MockPriceFeed.sol";

/// @notice Helpers shared by the minter/reserve unit, fuzz, attack and gas suites (on top of {BaseTest}).
abstract contract MinterTestBase is BaseTest {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant DEFAULT_REDEEM_DELAY = 1 days;

    /// @dev Deploys a `decimals`-decimal stablecoin with a 1 USD feed, allowlists it with no fees and the default caps.
    function _addAsset(string memory symbol, uint8 decimals) internal returns (MockERC20 token, MockPriceFeed feed) {
        token = new MockERC20(symbol, symbol, decimals);
        feed = _listAsset(token);
        vm.label(address(token), symbol);
    }

    /// @dev Allowlists an already deployed `token` with a fresh 1 USD feed, no fees and the default caps.
    function _listAsset(MockERC20 token) internal returns (MockPriceFeed feed) {
        feed = new MockPriceFeed(8, ONE_USD);
        vm.startPrank(admin);
        minter.setAsset(address(token), address(feed), true, 0, 0, HEARTBEAT);
        minter.setAssetCaps(address(token), ASSET_MINT_CAP, ASSET_REDEEM_CAP);
        vm.stopPrank();
    }

    /// @dev Adds (`denied = true`) or removes `who` from AID's deny list.
    function _deny(address who, bool denied) internal {
        vm.prank(denylistManager);
        aid.setDenied(who, denied);
    }

    /// @dev 10^(18 - decimals) of `token`.
    function _scaleOf(MockERC20 token) internal view returns (uint256) {
        return 10 ** (18 - token.decimals());
    }

    function _whitelist(address who) internal {
        bytes32 role = minter.WHITELISTED_ROLE();
        vm.prank(whitelistManager);
        minter.grantRole(role, who);
    }

    /// @dev Funds `who` with `amount` of `token` and approves the minter for it.
    function _fund(MockERC20 token, address who, uint256 amount) internal {
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(minter), amount);
    }

    /// @dev Funds `who`, then mints AID to `who` against `amount` of `token`.
    function _mintWith(MockERC20 token, address who, uint256 amount) internal returns (uint256 aidOut) {
        _fund(token, who, amount);
        vm.prank(who);
        aidOut = minter.mint(address(token), amount, 0, who);
    }

    /// @dev `who` requests the redemption of `aidAmount` AID for `token`, to itself.
    function _redeemWith(MockERC20 token, address who, uint256 aidAmount) internal returns (uint256 id) {
        id = _redeemTo(token, who, aidAmount, who);
    }

    /// @dev `who` requests the redemption of `aidAmount` AID for `token`, paid to `receiver`.
    function _redeemTo(MockERC20 token, address who, uint256 aidAmount, address receiver)
        internal
        returns (uint256 id)
    {
        vm.startPrank(who);
        aid.approve(address(minter), aidAmount);
        id = minter.requestRedeem(address(token), aidAmount, 0, receiver);
        vm.stopPrank();
    }

    function _setRedeemDelay(uint256 delay) internal {
        vm.prank(admin);
        minter.setRedeemDelay(delay);
    }

    function _setFees(MockERC20 token, MockPriceFeed feed, uint16 mintFeeBps, uint16 redeemFeeBps) internal {
        vm.prank(admin);
        minter.setAsset(address(token), address(feed), true, mintFeeBps, redeemFeeBps, HEARTBEAT);
    }

    function _invest(uint256 assets) internal returns (uint256 shares) {
        vm.prank(reserveManager);
        shares = reserve.invest(assets);
    }

    function _divest(uint256 shares) internal returns (uint256 assets) {
        vm.prank(reserveManager);
        assets = reserve.divest(shares);
    }

    /// @dev Moves to the next second (and block): per-block caps reset.
    function _nextBlock() internal {
        vm.warp(block.timestamp + 1);
        vm.roll(block.number + 1);
    }

    /// @dev Warps by `dt` keeping both feeds fresh.
    function _warpFresh(uint256 dt) internal {
        vm.warp(block.timestamp + dt);
        vm.roll(block.number + 1);
        usdcFeed.setAnswer(ONE_USD);
        usdtFeed.setAnswer(ONE_USD);
    }
}
