// The transparency page in a real browser: Debian's chromium (/usr/bin/chromium, never a downloaded build) driven by
// playwright-core. The demo story runs on the three local chains (the README flow, the deals, the bridge), the
// dashboard indexes them and serves the page; the numbers the page shows must equal direct viem reads at the block it
// says it shows; a new block reaches the page within seconds; an Anvil stopped turns the page to "stale since block N".
// Saves a full-page screenshot; with UPDATE_SCREENSHOT=1 into docs/dashboard.png (README shows it), otherwise into a
// temporary folder (a test run leaves the tree clean).
import {existsSync, mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {chromium, type BrowserContext, type Page} from "playwright-core";
import {parseUnits, type Abi, type Address} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, aidReserveAbi, gpuDealAbi, stakedAIDAbi} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import type {LocalDeployment} from "../lib/deployments.ts";
import {repoRoot} from "../lib/paths.ts";
import {connectDemo, mintAid} from "../demo/chain.ts";
import {runCrossChainDemo} from "../demo/crosschain.ts";
import {runDealDemo} from "../demo/deals.ts";
import {runDemo} from "../demo/run.ts";
import {openDb, type Db} from "../indexer/db.ts";
import {contractsOf, type IndexedChain} from "../indexer/sources.ts";
import {startLocalNetwork, type LocalChain, type LocalNetwork} from "../multichain/deploy.ts";
import {leaderboard, pointsOf} from "../points/api.ts";
import {startDashboard, type RunningDashboard} from "./app.ts";
import {DEAL_STATES, summary} from "./data.ts";
import {headlineLines} from "./headline.ts";

/** The page's DOM, as the functions evaluated in the browser see it (tsconfig has no DOM lib). */
declare const document: {querySelector(sel: string): {getAttribute(name: string): string | null} | null; body: {classList: {contains(c: string): boolean}}};

export const CHROMIUM = "/usr/bin/chromium";
/** The flags every run uses (no sandbox as root, no network beyond the page, nothing downloaded). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe("transparency page in Debian's chromium", () => {
  let net: LocalNetwork;
  let home: LocalChain;
  let d: LocalDeployment;
  let db: Db;
  let dash: RunningDashboard;
  let browser: BrowserContext;
  let page: Page;
  const tmp = mkdtempSync(path.join(tmpdir(), "gaib-dash-"));

  const read = <T>(c: LocalChain, address: Address, abi: unknown, functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
    c.client.readContract({address, abi: abi as Abi, functionName, args, ...(blockNumber !== undefined ? {blockNumber} : {})} as never) as Promise<T>;
  const value = async (testid: string) => {
    const loc = page.getByTestId(testid);
    await loc.waitFor({state: "attached"});
    return (await loc.getAttribute("data-value")) ?? "";
  };
  /** Waits until the page shows every chain indexed to its current head. */
  const pageAtHeads = async (timeout = 20_000) => {
    const heads = await Promise.all(net.chains.map(async (c) => [c.spec.name, String(await c.client.getBlockNumber({cacheTime: 0}))] as const));
    await page.waitForFunction(
      (hs) => hs.every(([name, head]) => document.querySelector(`[data-testid="head-${name}"]`)?.getAttribute("data-value") === head),
      heads,
      {timeout, polling: 100},
    );
    return heads;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; .ci/run does)`);
    net = await startLocalNetwork(undefined, {recordDir: path.join(tmp, "records")});
    home = net.chains.find((c) => c.spec.home)!;
    d = home.deployment as LocalDeployment;
    const chains: IndexedChain[] = net.chains.map((c) => ({name: c.spec.name, chainId: c.spec.chainId, rpcUrl: c.anvil.rpcUrl, contracts: contractsOf(c.deployment as never)}));
    // the story, the dashboard (indexing as the story goes) and the browser start side by side
    await Promise.all([
      (async () => {
        await runDemo(home.anvil.rpcUrl, d, () => {});
        await runDealDemo(home.anvil.rpcUrl, d, () => {});
        await runCrossChainDemo(net, anvilAccount(2), () => {});
      })(),
      (async () => {
        db = await openDb({databaseUrl: null});
        dash = await startDashboard(db, chains, {port: 0, pollMs: 250, log: () => {}});
      })(),
      (async () => {
        browser = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
          executablePath: CHROMIUM,
          headless: true,
          args: CHROMIUM_FLAGS,
          viewport: {width: 1280, height: 900},
        });
        page = browser.pages()[0] ?? (await browser.newPage());
      })(),
    ]);
    await page.goto(dash.url);
    await pageAtHeads(60_000);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await dash?.stop();
    await db?.close();
    await net?.stop();
    rmSync(tmp, {recursive: true, force: true});
  });

  it("shows AID supply per chain, the reserve and sAID's NAV exactly as viem reads them at the block it shows", async () => {
    const block = BigInt(await value("as-of-block"));
    expect(block).toBe(await home.client.getBlockNumber({cacheTime: 0}));
    let total = 0n;
    for (const c of net.chains) {
      const supply = await read<bigint>(c, c.deployment.aid, aidAbi, "totalSupply");
      expect(await value(`supply-${c.spec.name}`)).toBe(supply.toString());
      expect(supply).toBeGreaterThan(0n); // the bridge left AID on every chain
      total += supply;
    }
    expect(await value("supply-total")).toBe(total.toString());
    expect(await value("reserve-total")).toBe((await read<bigint>(home, d.reserve, aidReserveAbi, "totalValue", [], block)).toString());
    expect(await value("reserve-liquid")).toBe((await read<bigint>(home, d.reserve, aidReserveAbi, "liquidValue", [], block)).toString());
    expect(await value("reserve-tbills")).toBe((await read<bigint>(home, d.reserve, aidReserveAbi, "tbillValue", [], block)).toString());
    const nav = await read<bigint>(home, d.sAID, stakedAIDAbi, "convertToAssets", [10n ** 18n], block);
    expect(nav).toBeGreaterThan(10n ** 18n); // the harvest vested into the price
    expect(await value("said-nav")).toBe(nav.toString());
    expect(await value("said-tvl")).toBe((await read<bigint>(home, d.sAID, stakedAIDAbi, "totalAssets", [], block)).toString());
    // the headline text is the same number, formatted
    expect(await page.getByTestId("reserve-total").textContent()).toMatch(/^[\d,]+\.\d\d/);
    // what `npm run demo` prints comes from the same summary()
    const lines = headlineLines(await summary(dash.dashboard.data));
    expect(lines[0]).toBe("transparency page: npm run dashboard -> http://127.0.0.1:8788 (over the chains of npm run local)");
    expect(lines[1]).toContain(`headline at block ${block} (ethereum)`);
    expect(lines[2]).toMatch(/^ {2}AID supply [\d,]+\.\d\d \(ethereum [\d,.]+, arbitrum [\d,.]+, plume [\d,.]+\)$/);
  });

  it("shows each deal's state as the deal reports it, and its principal", async () => {
    const deals = (await (await fetch(`${dash.url}/api/deals`)).json()) as {deals: {id: string; address: Address; principal: string}[]};
    expect(deals.deals.length).toBeGreaterThanOrEqual(2);
    for (const deal of deals.deals) {
      const state = DEAL_STATES[await read<number>(home, deal.address, gpuDealAbi, "state")];
      await page.getByTestId(`deal-${deal.id}-state`).waitFor();
      expect(await value(`deal-${deal.id}-state`)).toBe(state);
      const terms = await read<{seniorPrincipal: bigint; juniorPrincipal: bigint}>(home, deal.address, gpuDealAbi, "terms");
      expect(await value(`deal-${deal.id}-principal`)).toBe((terms.seniorPrincipal + terms.juniorPrincipal).toString());
    }
    // the demo's story: a deal repaid to the end and a defaulted one liquidated
    expect(new Set(await Promise.all(deals.deals.map((x) => value(`deal-${x.id}-state`))))).not.toEqual(new Set(["ACTIVE"]));
    // both charts drew (uPlot canvases)
    expect(await page.locator("#chart-collateral canvas").count()).toBeGreaterThan(0);
    expect(await page.locator("#chart-said-price canvas").count()).toBeGreaterThan(0);
  });

  it("shows the points leaderboard and an address's points as the points engine computes them", async () => {
    // the points table is refreshed in the background after each indexed block: the page names the block it shows
    const head = String(await home.client.getBlockNumber({cacheTime: 0}));
    await page.waitForFunction((h) => document.querySelector('[data-testid="points-block"]')?.getAttribute("data-value") === h, head, {timeout: 20_000, polling: 100});
    const top = await leaderboard(db, {limit: 10, offset: 0});
    expect(top.length).toBeGreaterThan(0);
    expect(BigInt(top[0]!.points)).toBeGreaterThan(0n);
    await page.getByTestId("points-row-1-points").waitFor();
    for (const r of top) {
      expect(await value(`points-row-${r.rank}-address`)).toBe(r.address);
      expect(await value(`points-row-${r.rank}-points`)).toBe(r.points);
    }
    // the lookup: a holder of the story (anvil account 1 staked and holds AID) and a malformed address
    const who = anvilAccount(1).address;
    const expected = await pointsOf(db, who);
    expect(BigInt(expected.points)).toBeGreaterThan(0n);
    await page.getByTestId("points-address").fill(who);
    await page.getByTestId("points-lookup-button").click();
    await page.waitForFunction((v) => document.querySelector('[data-testid="points-lookup"]')?.getAttribute("data-value") === v, expected.points, {timeout: 10_000, polling: 100});
    await page.getByTestId("points-address").fill("0x1234");
    await page.getByTestId("points-lookup-button").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="points-lookup"]')?.getAttribute("data-value") === "", undefined, {timeout: 10_000, polling: 100});
    expect(await page.getByTestId("points-lookup").textContent()).toMatch(/malformed address/);
  });

  it("shows a new block's numbers within a few seconds, then 'stale since block N' when the home chain's RPC dies", async () => {
    const shotDir = process.env.UPDATE_SCREENSHOT === "1" ? path.join(repoRoot, "docs") : tmp;
    mkdirSync(shotDir, {recursive: true});
    const shot = await page.screenshot({path: path.join(shotDir, "dashboard.png"), fullPage: true});
    expect(shot.subarray(1, 4).toString()).toBe("PNG");
    expect(shot.length).toBeGreaterThan(10_000);
    // a KYC'd mint on the home chain: the page follows within seconds
    const c = await connectDemo(home.anvil.rpcUrl);
    await mintAid(c, d, anvilAccount(3), parseUnits("12345", 18));
    const supply = await read<bigint>(home, d.aid, aidAbi, "totalSupply");
    const t0 = performance.now();
    await page.waitForFunction((s) => document.querySelector('[data-testid="supply-ethereum"]')?.getAttribute("data-value") === s, supply.toString(), {timeout: 10_000, polling: 100});
    expect(performance.now() - t0).toBeLessThan(10_000);
    const [[, headNow]] = (await pageAtHeads()) as [[string, string]];
    expect(await page.getByTestId("stale-banner").isHidden()).toBe(true);

    await home.anvil.stop();
    const banner = page.getByTestId("stale-banner");
    await banner.waitFor({state: "visible", timeout: 15_000});
    expect(await page.getByTestId("stale-since").textContent()).toBe(`stale since block ${headNow}`);
    expect(await page.getByTestId("stale-reason").textContent()).toMatch(/ethereum/);
    expect(await page.evaluate(() => document.body.classList.contains("stale"))).toBe(true);
    // the API says the same
    const s = (await (await fetch(`${dash.url}/api/summary`)).json()) as {stale: {since: string; chain: string} | null; block: string};
    expect(s.stale).toMatchObject({since: headNow, chain: "ethereum"});
    expect(s.block).toBe(headNow);
  });

  it("answers bad input with 400/404 JSON on the live index", async () => {
    const get = async (p: string) => {
      const r = await fetch(`${dash.url}${p}`);
      return {status: r.status, body: (await r.json()) as {error?: string}};
    };
    // the home chain is down now: the index still answers what needs no chain read
    expect(await get("/api/deals/999999")).toMatchObject({status: 404, body: {error: expect.stringMatching(/no deal 999999/)}});
    expect((await get("/api/deals/abc")).status).toBe(400);
    expect((await get("/api/accounts/0x1234")).status).toBe(400);
    expect((await get("/api/deals?limit=501")).status).toBe(400);
    expect((await get("/api/nope")).status).toBe(404);
    // the points API keeps its input errors (not a 503)
    expect((await get("/api/points/0x1234")).status).toBe(400);
    expect((await get("/api/points?limit=501")).status).toBe(400);
    const r = await fetch(`${dash.url}/api/referrals`, {method: "POST", headers: {"content-type": "application/json"}, body: "{}"});
    expect(r.status).toBe(400);
  });
});
