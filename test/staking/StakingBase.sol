// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GaibDeployer} from "../../script/lib/GaibDeployer.sol";
import {StakingVault} from "../../src/staking/StakingVault.sol";
import {VetoSlasher} from "../../src/staking/VetoSlasher.sol";
import {GAIB} from "../../src/token/GAIB.sol";
import {BaseTest} from "../BaseTest.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice Staking fixture: the home-chain AID core (BaseTest), GAIB, and the staking vault + veto slasher deployed
///         by GaibDeployer. Three operators, stakers, a rewarder holding AID, an admin-designated slasher.
abstract contract StakingBase is BaseTest {
    // ------------------------------------------------------------ bounds and defaults
    uint256 internal constant EPOCH = 1 hours; // [s] default epoch
    uint256 internal constant MIN_SELF_STAKE = 10_000e18; // [wad] GAIB
    uint16 internal constant COMMISSION = 1000; // [bps] 10%
    uint256 internal constant VETO = 2 days; // [s] default veto window
    uint256 internal constant MAX_STAKE = 50_000_000e18; // [wad] fuzz bound for one stake
    uint256 internal constant MIN_STAKE = 1e6; // [wad] fuzz lower bound (well above share dust)
    uint256 internal constant GAIB_PER_ACTOR = 100_000_000e18; // [wad]
    uint256 internal constant REWARD_FUND = 10_000_000e18; // [wad] AID held by the rewarder

    // ------------------------------------------------------------ actors
    address internal treasury = makeAddr("treasury");
    address internal insurance = makeAddr("insurance");
    address internal resolver = makeAddr("resolver");
    address internal rewarder = makeAddr("rewarder");
    address internal slashAgent = makeAddr("slashAgent"); // admin-designated SLASHER_ROLE
    address internal op1 = makeAddr("op1");
    address internal op2 = makeAddr("op2");
    address internal op3 = makeAddr("op3");
    address internal dave = makeAddr("dave");

    // ------------------------------------------------------------ contracts
    GAIB internal gaib;
    StakingVault internal vault;
    VetoSlasher internal slasher;
    uint256 internal genesis;

    function setUp() public virtual override {
        super.setUp();
        gaib = new GAIB(treasury);
        genesis = block.timestamp - 10 * _epochDuration();
        vm.startPrank(admin);
        GaibDeployer.Staking memory s = GaibDeployer.deployStaking(
            IERC20(address(gaib)),
            IERC20(address(aid)),
            admin,
            GaibDeployer.StakingParams({
                genesis: genesis,
                epochDuration: _epochDuration(),
                minSelfStake: MIN_SELF_STAKE,
                insuranceFund: insurance,
                resolver: resolver,
                rewarder: rewarder
            })
        );
        (vault, slasher) = (s.vault, s.slasher);
        slasher.grantRole(slasher.SLASHER_ROLE(), slashAgent);
        vm.stopPrank();

        address[8] memory actors = [op1, op2, op3, alice, bob, carol, dave, attacker];
        for (uint256 i; i < actors.length; ++i) {
            _fundGaib(actors[i], GAIB_PER_ACTOR);
        }
        // the rewarder (fee source) holds AID minted 1:1 for USDC
        bytes32 whitelisted = minter.WHITELISTED_ROLE();
        vm.prank(whitelistManager);
        minter.grantRole(whitelisted, rewarder);
        _mintAid(rewarder, REWARD_FUND / SCALE);
        vm.prank(rewarder);
        aid.approve(address(vault), type(uint256).max);

        vm.label(address(gaib), "GAIB");
        vm.label(address(vault), "StakingVault");
        vm.label(address(slasher), "VetoSlasher");
    }

    // ------------------------------------------------------------ helpers

    /// @dev The vault's epoch length [s]; a fixture may override it (e.g. the longest, 1 day).
    function _epochDuration() internal pure virtual returns (uint256) {
        return EPOCH;
    }

    function _fundGaib(address who, uint256 amount) internal {
        vm.prank(treasury);
        gaib.transfer(who, amount);
        vm.prank(who);
        gaib.approve(address(vault), type(uint256).max);
    }

    function _register(address op, uint16 commissionBps, uint256 selfStake) internal {
        vm.prank(op);
        vault.registerOperator(commissionBps, selfStake);
    }

    /// @dev Schedules and finalizes opting `op` in.
    function _optIn(address op) internal {
        vm.prank(op);
        vault.setOptIn(true);
        vm.warp(block.timestamp + vault.OPT_DELAY());
        vault.finalizeOptChange(op);
    }

    /// @dev Registers `op` with the minimum self-stake and the default commission, opted in.
    function _activeOperator(address op) internal {
        _register(op, COMMISSION, MIN_SELF_STAKE);
        _optIn(op);
    }

    function _stake(address who, address op, uint256 amount) internal returns (uint256 shares) {
        vm.prank(who);
        shares = vault.stake(op, amount);
    }

    function _queue(address who, address op, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = vault.queueWithdrawal(op, shares);
    }

    function _redelegate(address who, address from, address to, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = vault.redelegate(from, to, shares);
    }

    function _requestSlash(address op, uint256 amount, uint256 captureTime) internal returns (uint256 id) {
        vm.prank(slashAgent);
        id = slasher.requestSlash(op, keccak256(abi.encode("evidence", op, amount)), amount, captureTime);
    }

    function _reward(address op, uint256 amount) internal {
        vm.prank(rewarder);
        vault.notifyReward(op, amount);
    }

    /// @dev Total GAIB accounted in pools of `op` (active + queued).
    function _poolTotal(address op) internal view returns (uint256) {
        (uint256 a,) = vault.activePool(op);
        (uint256 q,) = vault.queuedPool(op);
        return a + q;
    }

    function _warpEpochs(uint256 n) internal {
        vm.warp(block.timestamp + n * EPOCH);
    }
}
