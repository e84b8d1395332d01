// Morpho Blue for the lending scenario: the markets created by the deploy script step (script/04_MorphoMarkets.s.sol,
// recorded in deployments/local/<chainId>-morpho.json), reads of markets and positions, and Morpho's own math
// (shares -> assets with its virtual shares, the liquidation incentive factor, the health check) in bigint so the
// liquidation bot decides exactly as Morpho does.
import {readFileSync} from "node:fs";
import path from "node:path";
import {encodeAbiParameters, keccak256, parseAbi, type Abi, type Address, type Hex} from "viem";
import type {DemoChain} from "../demo/chain.ts";
import {ANVIL_KEYS} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {forgeScript} from "../lib/forge.ts";
import {repoRoot} from "../lib/paths.ts";
import {morphoArtifact} from "../morpho/deploy.ts";

export const WAD = 10n ** 18n;
export const ORACLE_PRICE_SCALE = 10n ** 36n; // Morpho's ConstantsLib
const LIQUIDATION_CURSOR = 3n * 10n ** 17n; // [wad] Morpho's ConstantsLib
const MAX_LIF = 115n * 10n ** 16n; // [wad] Morpho's ConstantsLib
const VIRTUAL_SHARES = 10n ** 6n; // Morpho's SharesMathLib
const VIRTUAL_ASSETS = 1n;

/** Morpho's ABI (the npm-built artifact) plus the events of its EventsLib, which solc 0.8.19 leaves out of the ABI. */
export const MORPHO_EVENTS = parseAbi([
  "event Liquidate(bytes32 indexed id, address indexed caller, address indexed borrower, uint256 repaidAssets, uint256 repaidShares, uint256 seizedAssets, uint256 badDebtAssets, uint256 badDebtShares)",
  "event Borrow(bytes32 indexed id, address caller, address indexed onBehalf, address indexed receiver, uint256 assets, uint256 shares)",
]);
export const morphoAbi: Abi = [...morphoArtifact().abi, ...MORPHO_EVENTS]; // builds out-morpho/ if missing or stale

export interface MarketParams {
  loanToken: Address;
  collateralToken: Address;
  oracle: Address;
  irm: Address;
  lltv: bigint; // [wad]
}

export interface MarketState {
  totalSupplyAssets: bigint;
  totalSupplyShares: bigint;
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  lastUpdate: bigint;
}

export interface MorphoPosition {
  supplyShares: bigint;
  borrowShares: bigint;
  collateral: bigint; // [collateral units]
}

/** The Morpho deployment the scenario uses: Morpho, the sAID/AID market and its id. */
export interface LendingMarkets {
  morpho: Address;
  irm: Address;
  aidOracle: Address;
  usdcOracle: Address;
  aidMarket: MarketParams;
  aidMarketId: Hex;
  usdcMarketId: Hex;
}

/** Morpho's market id: keccak256(abi.encode(marketParams)). */
export function marketId(p: MarketParams): Hex {
  return keccak256(
    encodeAbiParameters(
      [{type: "address"}, {type: "address"}, {type: "address"}, {type: "address"}, {type: "uint256"}],
      [p.loanToken, p.collateralToken, p.oracle, p.irm, p.lltv],
    ),
  );
}

/** Runs the deploy script step (04_MorphoMarkets, anvil account 0 = Morpho's owner enables the IRM and LLTVs) against
 *  the core deployment recorded in deployments/local/<chainId>.json and returns the markets it recorded. */
export async function createMarkets(rpcUrl: string, chainId: number, d: LocalDeployment, morpho: Address): Promise<LendingMarkets> {
  const dir = path.join("deployments", "local");
  const res = await forgeScript("script/04_MorphoMarkets.s.sol", {
    rpcUrl,
    broadcast: true,
    env: {GAIB_NETWORK: String(chainId), GAIB_DEPLOYMENTS_DIR: dir, GAIB_MORPHO: morpho, GAIB_MORPHO_USDC: d.usdc, GAIB_MORPHO_ENABLE: "true"},
    extraArgs: ["--private-key", ANVIL_KEYS[0], "--slow"],
  });
  if (res.code !== 0) throw new Error(`04_MorphoMarkets failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
  const rec = JSON.parse(readFileSync(path.join(repoRoot, dir, `${chainId}-morpho.json`), "utf8")) as {
    morpho: Address; irm: Address; aidOracle: Address; usdcOracle: Address; aidMarketId: Hex; usdcMarketId: Hex; aidMarketLltv: number | string;
  };
  const aidMarket: MarketParams = {loanToken: d.aid, collateralToken: d.sAID, oracle: rec.aidOracle, irm: rec.irm, lltv: BigInt(rec.aidMarketLltv)};
  if (marketId(aidMarket) !== rec.aidMarketId) throw new Error("recorded sAID/AID market id does not match its params");
  return {morpho: rec.morpho, irm: rec.irm, aidOracle: rec.aidOracle, usdcOracle: rec.usdcOracle, aidMarket, aidMarketId: rec.aidMarketId, usdcMarketId: rec.usdcMarketId};
}

export async function readMarket(c: DemoChain, m: LendingMarkets): Promise<MarketState> {
  const r = await c.read<readonly bigint[]>({address: m.morpho, abi: morphoAbi, functionName: "market", args: [m.aidMarketId]});
  return {totalSupplyAssets: r[0]!, totalSupplyShares: r[1]!, totalBorrowAssets: r[2]!, totalBorrowShares: r[3]!, lastUpdate: r[4]!};
}

export async function readPosition(c: DemoChain, m: LendingMarkets, who: Address): Promise<MorphoPosition> {
  const r = await c.read<readonly bigint[]>({address: m.morpho, abi: morphoAbi, functionName: "position", args: [m.aidMarketId, who]});
  return {supplyShares: r[0]!, borrowShares: r[1]!, collateral: r[2]!};
}

/** The Morpho oracle's price [1e36 scale], at the latest block or at `blockNumber`. */
export const oraclePrice = (c: DemoChain, m: LendingMarkets, blockNumber?: bigint) =>
  c.client.readContract({address: m.aidOracle, abi: parseAbi(["function price() view returns (uint256)"]), functionName: "price", blockNumber});

const divUp = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** Morpho's SharesMathLib.toAssetsUp: a borrower's debt [loan units]. */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return divUp(shares * (totalAssets + VIRTUAL_ASSETS), totalShares + VIRTUAL_SHARES);
}

/** Morpho's SharesMathLib.toAssetsDown. */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return (shares * (totalAssets + VIRTUAL_ASSETS)) / (totalShares + VIRTUAL_SHARES);
}

/** Morpho's liquidation incentive factor for `lltv` [wad]: min(1.15, 1 / (1 - 0.3 (1 - lltv))). */
export function liquidationIncentive(lltv: bigint): bigint {
  const f = (WAD * WAD) / (WAD - (LIQUIDATION_CURSOR * (WAD - lltv)) / WAD);
  return f < MAX_LIF ? f : MAX_LIF;
}

/** A borrower's health as Morpho's `_isHealthy` sees it. */
export interface Health {
  debt: bigint; // [loan units] rounded up, as Morpho does
  collateralValue: bigint; // [loan units] collateral × price / 1e36
  maxBorrow: bigint; // collateralValue × lltv
  /** debt / collateralValue [wad] (max uint when the collateral is worth nothing). */
  ltv: bigint;
  healthy: boolean;
}

export function health(pos: MorphoPosition, market: MarketState, price: bigint, lltv: bigint): Health {
  const debt = toAssetsUp(pos.borrowShares, market.totalBorrowAssets, market.totalBorrowShares);
  const collateralValue = (pos.collateral * price) / ORACLE_PRICE_SCALE;
  const maxBorrow = (collateralValue * lltv) / WAD;
  const ltv = collateralValue === 0n ? (debt === 0n ? 0n : 2n ** 256n - 1n) : (debt * WAD) / collateralValue;
  return {debt, collateralValue, maxBorrow, ltv, healthy: pos.borrowShares === 0n || maxBorrow >= debt};
}

/** The leverage of a loop at `ltv` [wad]: collateral / equity = 1 / (1 - ltv). */
export const leverageOf = (ltv: number) => 1 / (1 - ltv);
/** The loop LTV for `leverage`: 1 - 1 / leverage. */
export const ltvOf = (leverage: number) => 1 - 1 / leverage;

/** Morpho's Liquidate events on the sAID/AID market in blocks [from, to]: the independent record of what liquidations
 *  seized and wrote off. */
export async function liquidateEvents(c: DemoChain, m: LendingMarkets, fromBlock: bigint, toBlock: bigint): Promise<{count: number; seized: bigint; badDebt: bigint}> {
  const logs = await c.client.getLogs({address: m.morpho, event: MORPHO_EVENTS[0], args: {id: m.aidMarketId}, fromBlock, toBlock, strict: true});
  return {
    count: logs.length,
    seized: logs.reduce((s, l) => s + l.args.seizedAssets, 0n),
    badDebt: logs.reduce((s, l) => s + l.args.badDebtAssets, 0n),
  };
}
