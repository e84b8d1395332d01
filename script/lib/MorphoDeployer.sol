// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMorphoMinimal, MarketParams, marketId} from "../../src/interfaces/IMorphoMinimal.sol";
import {KinkedIrm} from "../../src/lending/KinkedIrm.sol";
import {SAIDMorphoOracle} from "../../src/lending/SAIDMorphoOracle.sol";

/// @title MorphoDeployer
/// @notice sAID's Morpho Blue markets on an existing Morpho: our kinked IRM, one loss-aware sAID oracle per loan token
///         and the markets sAID/AID and sAID/USDC. Morpho only creates markets whose IRM and LLTV its owner enabled:
///         with `enableAsOwner` the caller (then Morpho's owner, e.g. on a local chain) enables what is missing,
///         otherwise both must be enabled already (on a public Morpho, its governance's list; a public deployment
///         passes Morpho's enabled IRM as `irm`).
library MorphoDeployer {
    /// @notice Morpho has no code at the given address.
    error MorphoNotDeployed(address morpho);
    /// @notice The IRM is not enabled on Morpho and the caller may not enable it.
    error IrmNotEnabled(address irm);
    /// @notice The LLTV is not enabled on Morpho and the caller may not enable it.
    error LltvNotEnabled(uint256 lltv);

    uint256 internal constant LLTV_AID = 0.915e18; // [wad] sAID/AID: correlated collateral, 91.5%
    uint256 internal constant LLTV_USDC = 0.86e18; // [wad] sAID/USDC: 86%
    uint256 internal constant IRM_BASE = 0; // [wad per year] rate at 0% utilization
    uint256 internal constant IRM_SLOPE1 = 0.08e18; // [wad per year] 8% APR at the kink
    uint256 internal constant IRM_SLOPE2 = 1.5e18; // [wad per year] +150% APR from the kink to 100%
    uint256 internal constant IRM_KINK = 0.9e18; // [wad] 90% utilization

    struct Params {
        address morpho;
        address sAID;
        address aid; // loan token of the sAID/AID market
        address usdc; // loan token of the sAID/USDC market
        address irm; // zero: deploy a KinkedIrm with the IRM_* curve
        uint256 lltvAid; // [wad]
        uint256 lltvUsdc; // [wad]
        bool enableAsOwner; // the caller is Morpho's owner and enables the IRM / LLTVs that are not enabled yet
    }

    struct Markets {
        address irm;
        address aidOracle;
        address usdcOracle;
        MarketParams aidMarket;
        MarketParams usdcMarket;
        bytes32 aidMarketId;
        bytes32 usdcMarketId;
    }

    /// @notice Default parameters: our IRM, LLTV_AID and LLTV_USDC.
    function defaults(address morpho, address sAID, address aid, address usdc, bool enableAsOwner)
        internal
        pure
        returns (Params memory)
    {
        return Params(morpho, sAID, aid, usdc, address(0), LLTV_AID, LLTV_USDC, enableAsOwner);
    }

    /// @notice Deploys the IRM (unless given) and both oracles, enables what is needed, creates both markets.
    function deploy(Params memory p) internal returns (Markets memory m) {
        if (p.morpho.code.length == 0) revert MorphoNotDeployed(p.morpho);
        IMorphoMinimal morpho = IMorphoMinimal(p.morpho);
        m.irm = p.irm != address(0) ? p.irm : address(new KinkedIrm(IRM_BASE, IRM_SLOPE1, IRM_SLOPE2, IRM_KINK));
        m.aidOracle = address(new SAIDMorphoOracle(p.sAID, p.aid));
        m.usdcOracle = address(new SAIDMorphoOracle(p.sAID, p.usdc));
        if (!morpho.isIrmEnabled(m.irm)) {
            if (!p.enableAsOwner) revert IrmNotEnabled(m.irm);
            morpho.enableIrm(m.irm);
        }
        _enableLltv(morpho, p.lltvAid, p.enableAsOwner);
        _enableLltv(morpho, p.lltvUsdc, p.enableAsOwner);
        m.aidMarket = MarketParams(p.aid, p.sAID, m.aidOracle, m.irm, p.lltvAid);
        m.usdcMarket = MarketParams(p.usdc, p.sAID, m.usdcOracle, m.irm, p.lltvUsdc);
        morpho.createMarket(m.aidMarket);
        morpho.createMarket(m.usdcMarket);
        m.aidMarketId = marketId(m.aidMarket);
        m.usdcMarketId = marketId(m.usdcMarket);
    }

    function _enableLltv(IMorphoMinimal morpho, uint256 lltv, bool enableAsOwner) private {
        if (morpho.isLltvEnabled(lltv)) return;
        if (!enableAsOwner) revert LltvNotEnabled(lltv);
        morpho.enableLltv(lltv);
    }
}
