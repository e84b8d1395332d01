// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDealPosition} from "../../src/interfaces/IDealPosition.sol";
import {MarketParams} from "../../src/interfaces/IMorphoMinimal.sol";
import {LendingBase} from "./LendingBase.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @dev A deal position whose `valueOf` can be made to revert.
contract BrokenPosition is IDealPosition {
    error Broken();

    IERC20 internal immutable aid;
    mapping(address holder => uint256) internal held;
    bool public broken;

    constructor(IERC20 aid_) {
        aid = aid_;
    }

    function asset() external view returns (address) {
        return address(aid);
    }

    function valueOf(address holder) external view returns (uint256) {
        if (broken) revert Broken();
        return held[holder];
    }

    function deposit(uint256 assets) external {
        aid.transferFrom(msg.sender, address(this), assets);
        held[msg.sender] += assets;
    }

    function withdraw(uint256 assets) external returns (uint256) {
        held[msg.sender] -= assets;
        aid.transfer(msg.sender, assets);
        return assets;
    }

    function setBroken(bool b) external {
        broken = b;
    }
}

/// @notice The sAID oracle depends on every listed position answering `valueOf`: while one reverts, so do the price and
///         Morpho's oracle-reading paths (README "sAID as collateral", liveness); fixing the position restores them.
contract OracleLivenessTest is LendingBase {
    function test_revertingPositionValue_haltsPriceAndLiquidations() public {
        BrokenPosition bad = new BrokenPosition(IERC20(address(aid)));
        vm.startPrank(allocator);
        sAID.addPosition(address(bad));
        sAID.allocate(address(bad), 100_000e18);
        vm.stopPrank();
        MarketParams memory p = aidMarket;
        uint256 shares = _postCollateral(p, looper, 10_000e18);
        _supply(p, 100_000e18);
        uint256 maxBorrow = _morphoMaxBorrow(p, shares);

        bad.setBroken(true);
        vm.expectRevert(BrokenPosition.Broken.selector);
        aidOracle.price();
        vm.prank(looper);
        vm.expectRevert(BrokenPosition.Broken.selector);
        morpho.borrow(p, 1e18, 0, looper, looper);
        vm.prank(liquidator);
        vm.expectRevert(BrokenPosition.Broken.selector);
        morpho.liquidate(p, looper, 1, 0, "");

        bad.setBroken(false);
        vm.prank(looper);
        morpho.borrow(p, maxBorrow, 0, looper, looper);
        assertEq(aid.balanceOf(looper), maxBorrow, "borrowing works again");
    }
}
