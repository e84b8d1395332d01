// The default-cascade report: CSVs (per step, per looper), a summary table in Markdown and a dependency-free SVG chart
// (bad debt against loop leverage, both runs, with the computed threshold), written to reports/lending/ (git-ignored;
// the README carries the summary).
import {mkdirSync, writeFileSync} from "node:fs";
import path from "node:path";
import {repoRoot} from "../lib/paths.ts";
import type {LendingReport, LooperRow, StepRow} from "./scenario.ts";

export const REPORT_DIR = path.join(repoRoot, "reports", "lending");

const tok = (v: bigint, digits = 2) => (Number(v) / 1e18).toFixed(digits);
const price = (p: bigint) => (Number(p / 10n ** 18n) / 1e18).toFixed(6); // oracle 1e36 scale -> AID per sAID

export function stepsCsv(r: LendingReport): string {
  const head = "scenario,step,mark_target_pct,position_loss_pct,days_late,deal_mark_pct,oracle_price,loss_aware_nav,price_change_pct,borrowers,liquidatable,collateral_seized_said,debt_repaid_aid,bad_debt_aid,sold_said,sold_for_aid,queued_said,queued_aid,pool_price,pool_discount_pct";
  const rows = r.scenarios.flatMap((s) =>
    s.rows.map((x: StepRow) =>
      [x.scenario, x.step, x.targetBps / 100, (x.lossBps / 100).toFixed(2), x.daysLate.toFixed(2), x.dealMarkBps / 100, price(x.oraclePrice), tok(x.lossAwareNav, 6),
        (x.priceChangeBps / 100).toFixed(2), x.scanned, x.liquidatable, tok(x.seized), tok(x.repaid), tok(x.badDebt, 6), tok(x.sold), tok(x.soldFor), tok(x.queued),
        tok(x.queuedAssets), tok(x.poolPrice, 6), (x.poolDiscountBps / 100).toFixed(2)].join(","),
    ),
  );
  return [head, ...rows].join("\n") + "\n";
}

export function loopersCsv(r: LendingReport): string {
  const head = "scenario,target_leverage,leverage,ltv_pct,equity_aid,collateral_said,debt_aid,liquidated_at_step,ltv_at_liquidation_pct,mode,bad_debt_aid";
  const rows = r.scenarios.flatMap((s) =>
    s.loopers.map((l: LooperRow) =>
      [l.scenario, l.target.toFixed(2), l.leverage.toFixed(3), (l.ltv0 * 100).toFixed(2), tok(l.equity, 0), tok(l.collateral), tok(l.debt), l.liquidatedAt,
        (l.ltvAtLiquidation * 100).toFixed(2), l.mode || "-", tok(l.badDebt, 6)].join(","),
    ),
  );
  return [head, ...rows].join("\n") + "\n";
}

export function summaryMarkdown(r: LendingReport): string {
  const lines = [
    `sAID/AID market, LLTV ${Number(r.lltv) / 1e16}% (liquidation incentive ${((Number(r.lif) / 1e18 - 1) * 100).toFixed(2)}%, 1/LIF = ${(1e20 / Number(r.lif)).toFixed(2)}%); ${tok(r.equity, 0)} AID equity per looper.`,
    "",
    "| run | step | position marked | oracle price (AID/sAID) | change | liquidatable | sAID seized | bad debt (AID) | sold / queued (sAID) | pool discount |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const s of r.scenarios) {
    for (const x of s.rows) {
      lines.push(`| ${x.scenario} | ${x.step} | ${(x.lossBps / 100).toFixed(1)}% | ${price(x.oraclePrice)} | ${(x.priceChangeBps / 100).toFixed(2)}% | ${x.liquidatable} | ${Number(tok(x.seized, 0)).toLocaleString("en-US")} | ${Number(tok(x.badDebt, 0)).toLocaleString("en-US")} | ${Number(tok(x.sold, 0)).toLocaleString("en-US")} / ${Number(tok(x.queued, 0)).toLocaleString("en-US")} | ${(x.poolDiscountBps / 100).toFixed(2)}% |`);
    }
  }
  lines.push("", "| run | leverage (LTV) | liquidated at step | LTV then | bad debt (AID) |", "|---|---|---|---|---|");
  for (const s of r.scenarios) {
    for (const l of s.loopers) {
      lines.push(`| ${l.scenario} | ${l.leverage.toFixed(2)}x (${(l.ltv0 * 100).toFixed(2)}%) | ${l.liquidatedAt || "never"} | ${l.liquidatedAt ? `${(l.ltvAtLiquidation * 100).toFixed(2)}%` : "-"} | ${Number(tok(l.badDebt, 0)).toLocaleString("en-US")} |`);
    }
  }
  const t = r.threshold;
  lines.push("", `Sudden 40% mark: oracle price × ${t.priceRatio.toFixed(4)}; bad debt for loops above LTV ${(t.ltv * 100).toFixed(2)}% = ratio / LIF, i.e. leverage ${t.leverage.toFixed(2)}x (the market allows up to ${t.maxLeverage.toFixed(2)}x).`);
  for (const s of r.scenarios) {
    if (s.queue.recorded > 0n) lines.push(`${s.name}: the liquidator's unstake requests recorded ${tok(s.queue.recorded)} AID; ${s.queue.daysWaited} days after the last step (the deal kept marking down) they paid ${tok(s.queue.paid)} AID (${((Number(s.queue.paid) / Number(s.queue.recorded) - 1) * 100).toFixed(1)}%).`);
  }
  return lines.join("\n") + "\n";
}

/** Bad debt against leverage for each run (dots), the threshold as a dashed line. No dependencies: plain SVG. */
export function chartSvg(r: LendingReport): string {
  const [W, H, L, R, T, B] = [640, 360, 70, 20, 30, 50];
  const pts = r.scenarios.flatMap((s, i) => s.loopers.map((l) => ({i, x: l.leverage, y: Number(l.badDebt) / 1e18, name: s.name})));
  const xMax = Math.ceil(r.threshold.maxLeverage);
  const yMax = Math.max(1, ...pts.map((p) => p.y)) * 1.1;
  const sx = (x: number) => L + ((W - L - R) * x) / xMax;
  const sy = (y: number) => H - B - ((H - T - B) * y) / yMax;
  const colors = ["#1f77b4", "#d62728", "#2ca02c"];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">Bad debt realised by Morpho lenders vs loop leverage (LLTV ${Number(r.lltv) / 1e16}%)</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
  ];
  for (let x = 0; x <= xMax; x += 2) out.push(`<text x="${sx(x)}" y="${H - B + 14}" text-anchor="middle">${x}x</text>`);
  for (let k = 0; k <= 4; k++) {
    const y = (yMax * k) / 4;
    out.push(`<text x="${L - 6}" y="${sy(y) + 4}" text-anchor="end">${Math.round(y).toLocaleString("en-US")}</text>`);
  }
  out.push(`<text x="${W / 2}" y="${H - 12}" text-anchor="middle">loop leverage (collateral / equity)</text>`);
  out.push(`<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">bad debt [AID]</text>`);
  const tx = sx(r.threshold.leverage);
  out.push(`<line x1="${tx}" y1="${T}" x2="${tx}" y2="${H - B}" stroke="gray" stroke-dasharray="4 3"/>`);
  out.push(`<text x="${tx + 4}" y="${T + 12}" fill="gray">40% at once: threshold ${r.threshold.leverage.toFixed(2)}x</text>`);
  for (const p of pts) out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${4 - p.i}" fill="${colors[p.i % 3]}"/>`);
  r.scenarios.forEach((s, i) => {
    const y = T + 30 + i * 16;
    out.push(`<circle cx="${L + 16}" cy="${y - 4}" r="4" fill="${colors[i % 3]}"/><text x="${L + 26}" y="${y}">${s.name === "cascade" ? "marked 10% → 25% → 40%, bot between steps" : s.name === "sudden" ? "marked 40% at once" : s.name}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** Writes the CSVs, the summary and the chart; returns the folder. */
export function writeReport(r: LendingReport, dir = REPORT_DIR): string {
  mkdirSync(dir, {recursive: true});
  writeFileSync(path.join(dir, "default-cascade.csv"), stepsCsv(r));
  writeFileSync(path.join(dir, "loopers.csv"), loopersCsv(r));
  writeFileSync(path.join(dir, "summary.md"), summaryMarkdown(r));
  writeFileSync(path.join(dir, "default-cascade.svg"), chartSvg(r));
  return dir;
}
