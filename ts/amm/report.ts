// The AMM peg report: prices per step as CSV, one hand-written SVG chart per scenario (pool price with and
// without the bot, the ±10 bps band), a summary CSV and a markdown table (also spliced into README.md).
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {repoRoot} from "../lib/paths.ts";
import {PEG_BAND_BPS, STEP_SECONDS, type ScenarioResult} from "./scenarios.ts";

export const REPORT_DIR = path.join(repoRoot, "reports", "amm");
export const START = "<!-- amm:start -->";
export const END = "<!-- amm:end -->";

/** One scenario run with and without the bot. */
export interface ScenarioPair {
  bot: ScenarioResult;
  noBot: ScenarioResult;
}

const usd = (units: bigint) => (Number(units) / 1e6).toLocaleString("en-US", {maximumFractionDigits: 2, minimumFractionDigits: 2});
const f1 = (x: number) => x.toFixed(1);

/** Every step of every run: scenario,bot,step,seconds,price,bps_from_peg,queue,bot_action. */
export function pricesCsv(pairs: readonly ScenarioPair[]): string {
  const rows = ["scenario,bot,step,seconds,price,bps_from_peg,queue,bot_action,bot_usdc,bot_aid"];
  for (const p of pairs) {
    for (const r of [p.bot, p.noBot]) {
      for (const s of r.steps) {
        const a = s.bot;
        const action = a ? (a.kind === "idle" ? `idle:${a.reason}` : a.kind) : "";
        const usdc = a ? (Number(a.usdc) / 1e6).toFixed(6) : "";
        const aid = a ? (Number(a.aid) / 1e18).toFixed(6) : "";
        rows.push([r.name, r.withBot ? 1 : 0, s.step, s.seconds, s.price.toFixed(8), s.bps.toFixed(3), s.queue, action, usdc, aid].join(","));
      }
      const n = r.steps.length;
      rows.push([r.name, r.withBot ? 1 : 0, n, n * STEP_SECONDS, r.finalPrice.toFixed(8), r.finalBps.toFixed(3), "", "end", "", ""].join(","));
    }
  }
  return rows.join("\n") + "\n";
}

/** One row per scenario. */
export function summaryCsv(pairs: readonly ScenarioPair[]): string {
  const rows = [
    "scenario,max_depeg_bps,recovered_step,recovered_seconds,bound_steps,final_bps_bot,final_bps_no_bot,bot_profit_usdc,bot_gas_usdc,bot_trades,max_queue,queue_by_day,fifo_held,reserve_over_supply_min_aid",
  ];
  for (const {bot: r, noBot: n} of pairs) {
    rows.push(
      [
        r.name,
        f1(r.maxDepegBps),
        r.recoveredStep ?? "",
        r.recoveredSeconds ?? "",
        r.bound,
        r.finalBps.toFixed(2),
        n.finalBps.toFixed(2),
        (Number(r.bot?.profit ?? 0n) / 1e6).toFixed(2),
        (Number(r.bot?.gasCostUsdc ?? 0n) / 1e6).toFixed(2),
        r.bot?.trades ?? 0,
        r.maxQueue,
        r.queueByDay.join(" "),
        r.fifoHeld && n.fifoHeld,
        (Number(min(r.minReserveOverSupply, n.minReserveOverSupply)) / 1e18).toFixed(4),
      ].join(","),
    );
  }
  return rows.join("\n") + "\n";
}

/** The README table. */
export function summaryMarkdown(pairs: readonly ScenarioPair[], linkBase = "reports/amm"): string {
  const lines = [
    `| Scenario | Max depeg (bps) | Back within ${PEG_BAND_BPS} bps (block / s) | Bound (block) | Final, bot (bps) | Final, no bot (bps) | Bot profit (USDC) | Bot trades | Max queue (requests) | Queue by settlement day | Chart |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const {bot: r, noBot: n} of pairs) {
    const back = r.recoveredStep === null ? "never" : `${r.recoveredStep} / ${r.recoveredSeconds}`;
    const profit = r.bot ? usd(r.bot.profit) : "";
    lines.push(
      `| ${r.title} | ${f1(r.maxDepegBps)} | ${back} | ${r.bound} | ${r.finalBps.toFixed(1)} | ${n.finalBps.toFixed(1)} | ${profit} | ${r.bot?.trades ?? 0} | ${r.maxQueue} | ${r.queueByDay.join(" → ") || "-"} | [svg](${linkBase}/${r.name}.svg) |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Pool price over time, with and without the bot, the peg and the ±band; plain SVG polylines. */
export function chartSvg(p: ScenarioPair): string {
  const [W, H, L, R, T, B] = [640, 320, 60, 20, 40, 40];
  const series = [p.bot, p.noBot].map((r) => [...r.steps.map((s) => [s.step, s.bps] as const), [r.steps.length, r.finalBps] as const]);
  const all = series.flat();
  const maxX = Math.max(...all.map(([x]) => x), 1);
  const ext = Math.max(...all.map(([, y]) => Math.abs(y)), PEG_BAND_BPS * 2);
  const top = Math.ceil((ext * 1.1) / 10) * 10;
  const x = (v: number) => L + ((W - L - R) * v) / maxX;
  const y = (v: number) => T + ((H - T - B) * (top - v)) / (2 * top);
  const pts = (s: readonly (readonly [number, number])[]) => s.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" ");
  const ticks = [-top, -top / 2, 0, top / 2, top];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${L}" y="18" font-size="13" font-weight="bold">${escapeXml(p.bot.title)}</text>`,
    ...(p.bot.blockedUntil > 0
      ? [`<rect x="${x(0).toFixed(1)}" y="${T}" width="${(x(p.bot.blockedUntil) - x(0)).toFixed(1)}" height="${H - T - B}" fill="#f0f0f0"/><text x="${(x(0) + 4).toFixed(1)}" y="${T + 12}" fill="#666">minter closed</text>`]
      : []),
    `<rect x="${L}" y="${y(PEG_BAND_BPS).toFixed(1)}" width="${W - L - R}" height="${(y(-PEG_BAND_BPS) - y(PEG_BAND_BPS)).toFixed(1)}" fill="#d8f0d8"/>`,
    ...ticks.map((t) => `<line x1="${L}" x2="${W - R}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${t === 0 ? "#888" : "#eee"}"/><text x="${L - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`),
    `<text x="14" y="${(T + (H - T - B) / 2).toFixed(1)}" transform="rotate(-90 14 ${(T + (H - T - B) / 2).toFixed(1)})" text-anchor="middle">bps from 1.0</text>`,
    `<text x="${(L + (W - L - R) / 2).toFixed(1)}" y="${H - 8}" text-anchor="middle">block (${STEP_SECONDS} s each)</text>`,
    ...Array.from({length: maxX + 1}, (_, i) => i).filter((i) => i % 2 === 0).map((i) => `<text x="${x(i).toFixed(1)}" y="${H - B + 14}" text-anchor="middle">${i}</text>`),
    `<polyline fill="none" stroke="#c0392b" stroke-width="2" stroke-dasharray="5,3" points="${pts(series[1]!)}"/>`,
    `<polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="${pts(series[0]!)}"/>`,
    `<line x1="${W - 200}" x2="${W - 180}" y1="${T - 8}" y2="${T - 8}" stroke="#1f5fbf" stroke-width="2"/><text x="${W - 176}" y="${T - 4}">bot</text>`,
    `<line x1="${W - 140}" x2="${W - 120}" y1="${T - 8}" y2="${T - 8}" stroke="#c0392b" stroke-width="2" stroke-dasharray="5,3"/><text x="${W - 116}" y="${T - 4}">no bot</text>`,
    "</svg>",
  ];
  return out.join("\n") + "\n";
}

/** Writes prices.csv, summary.csv, summary.md and <scenario>.svg to `dir`; returns the markdown table. */
export function writeReport(pairs: readonly ScenarioPair[], dir: string = REPORT_DIR): string {
  mkdirSync(dir, {recursive: true});
  writeFileSync(path.join(dir, "prices.csv"), pricesCsv(pairs));
  writeFileSync(path.join(dir, "summary.csv"), summaryCsv(pairs));
  const md = summaryMarkdown(pairs);
  writeFileSync(path.join(dir, "summary.md"), md);
  for (const p of pairs) writeFileSync(path.join(dir, `${p.bot.name}.svg`), chartSvg(p));
  return md;
}

/** README text with the section between the AMM markers replaced by `md`. */
export function spliceReadme(readme: string, md: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README has no ${START} ... ${END} section`);
  return readme.slice(0, a + START.length) + "\n" + md + readme.slice(b);
}

export function updateReadme(md: string): void {
  const file = path.join(repoRoot, "README.md");
  writeFileSync(file, spliceReadme(readFileSync(file, "utf8"), md));
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
