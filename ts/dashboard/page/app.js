// The transparency page: polls /api/summary every second, re-reads the other endpoints when an indexed head moves, and
// shows "stale since block N" (greying every number) whenever the API says a chain or the database cannot be read, or
// the API itself does not answer. Every number carries its exact value in `data-value` (wad / raw integer strings).
import uPlot from "/vendor/uPlot.esm.js";

const POLL_MS = 1000;
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const el = (tag, attrs = {}, text = "") => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== "") e.textContent = text;
  return e;
};

/** A decimal string of 1e18 units as "1,234.56". */
export function wad(v, dp = 2) {
  if (v === null || v === undefined) return "-";
  const neg = String(v).startsWith("-");
  const s = (neg ? String(v).slice(1) : String(v)).padStart(19, "0");
  const int = BigInt(s.slice(0, -18)).toLocaleString("en-US");
  return (neg ? "-" : "") + int + (dp > 0 ? "." + s.slice(-18, -18 + dp) : "");
}
const bps = (v) => (v === null || v === undefined ? "-" : `${(Number(v) / 100).toFixed(2)}%`);
const pct = (x) => (x === null || x === undefined ? "-" : `${(x * 100).toFixed(2)}%`);
const date = (s) => (s === null || s === undefined || s === "0" ? "-" : new Date(Number(s) * 1000).toISOString().slice(0, 16).replace("T", " "));
const short = (a) => (a ? `${a.slice(0, 6)}…${a.slice(-4)}` : "-");

function setNum(id, raw, text) {
  const e = $(id);
  if (!e) return;
  e.dataset.value = raw === null || raw === undefined ? "" : String(raw);
  e.textContent = text;
}

function cell(row, text, testid, raw) {
  const td = el("td", testid ? {"data-testid": testid} : {}, text);
  if (raw !== undefined) td.dataset.value = raw === null ? "" : String(raw);
  if (testid) td.className = "num";
  row.append(td);
  return td;
}

let lastBlock = null;
let lastHeads = "";

function showStale(stale) {
  const banner = $("stale-banner");
  document.body.classList.toggle("stale", !!stale);
  banner.hidden = !stale;
  if (!stale) return;
  $("stale-since").textContent = `stale since block ${stale.since ?? lastBlock ?? "?"}`;
  $("stale-since").dataset.value = String(stale.since ?? lastBlock ?? "");
  $("stale-reason").textContent = stale.reason;
}

function renderSummary(s) {
  lastBlock = s.block;
  setNum("as-of-block", s.block, s.block);
  $("as-of-time").textContent = `(${date(s.time)} UTC chain time)`;
  const tbody = document.getElementById("chains");
  tbody.replaceChildren(
    ...s.chains.map((c) => {
      const tr = el("tr");
      cell(tr, c.name + (c.home ? " (home)" : ""));
      cell(tr, wad(c.aidSupply), `supply-${c.name}`, c.aidSupply);
      cell(tr, c.indexedBlock ?? "-", `head-${c.name}`, c.indexedBlock);
      return tr;
    }),
  );
  setNum("supply-total", s.aid.totalSupply, wad(s.aid.totalSupply));
  setNum("reserve-total", s.reserve.total, wad(s.reserve.total));
  setNum("reserve-liquid", s.reserve.liquid, wad(s.reserve.liquid));
  setNum("reserve-tbills", s.reserve.tbills, wad(s.reserve.tbills));
  setNum("liabilities", s.reserve.liabilities, wad(s.reserve.liabilities));
  setNum("collateral-ratio", s.reserve.collateralRatioBps, bps(s.reserve.collateralRatioBps));
  setNum("said-nav", s.said.navPerShare, wad(s.said.navPerShare, 6));
  setNum("said-tvl", s.said.tvl, wad(s.said.tvl));
  const apy = (a) => (a ? `${pct(a.apy)} (${a.days.toFixed(1)} d)` : "-");
  setNum("said-apy7d", s.said.apy7d?.apy ?? null, apy(s.said.apy7d));
  setNum("said-apy30d", s.said.apy30d?.apy ?? null, apy(s.said.apy30d));
  setNum("queue-length", s.said.queue.length, s.said.queue.length);
  const o = s.said.queue.oldest;
  setNum("queue-oldest", o ? o.id : null, o ? `#${o.id}: ${wad(o.pendingAssets)} AID since ${date(o.requestTime)}` : "none");
}

function chart(id, label, scale) {
  const box = document.getElementById(id);
  const opts = {
    width: Math.max(300, box.clientWidth - 2),
    height: 220,
    series: [{}, {label, stroke: "#2f6fdb", width: 2, value: (_u, v) => (v === null ? "-" : scale(v))}],
    axes: [{}, {values: (_u, ticks) => ticks.map(scale), size: 70}],
  };
  const plot = new uPlot(opts, [[], []], box);
  return (xs, ys) => plot.setData([xs, ys]);
}
const collateralChart = chart("chart-collateral", "collateral ratio", (v) => `${v.toFixed(2)}%`);
const navChart = chart("chart-said-price", "NAV per share", (v) => v.toFixed(4));

async function getJson(path) {
  const r = await fetch(path, {cache: "no-store"});
  const body = await r.json();
  if (!r.ok) throw Object.assign(new Error(body.error ?? `${path}: HTTP ${r.status}`), {body});
  return body;
}

async function lookupPoints(address) {
  const out = $("points-lookup");
  try {
    const p = await getJson(`/api/points/${encodeURIComponent(address.trim())}`);
    setNum("points-lookup", p.points, `${wad(p.points, 2)} points (rank ${p.rank || "-"})`);
  } catch (e) {
    out.dataset.value = "";
    out.textContent = e.message;
  }
}

async function refreshDetails() {
  const [coll, nav, deals, pos, nodes, top] = await Promise.all([
    getJson("/api/history/collateral"),
    getJson("/api/history/said-price"),
    getJson("/api/deals?limit=500"),
    getJson("/api/positions"),
    getJson("/api/nodes"),
    getJson("/api/points?limit=10"),
  ]);
  document.getElementById("points-leaderboard").replaceChildren(
    ...top.rows.map((r) => {
      const tr = el("tr", {"data-testid": `points-row-${r.rank}`});
      cell(tr, r.rank);
      cell(tr, r.address, `points-row-${r.rank}-address`, r.address);
      cell(tr, wad(r.points, 2), `points-row-${r.rank}-points`, r.points);
      return tr;
    }),
  );
  setNum("points-block", top.pointsBlock, top.pointsBlock ?? "-");
  $("points-stale").textContent = top.pointsStale ? `(stale since block ${top.pointsStale.since}: ${top.pointsStale.reason})` : "";
  const ratioPoints = coll.points.filter((p) => p.collateralRatioBps !== null);
  collateralChart(ratioPoints.map((p) => Number(p.time)), ratioPoints.map((p) => Number(p.collateralRatioBps) / 100));
  navChart(nav.points.map((p) => Number(p.time)), nav.points.map((p) => Number(BigInt(p.navPerShare) / 10n ** 10n) / 1e8));

  document.getElementById("deal-rows").replaceChildren(
    ...deals.deals.map((d) => {
      const tr = el("tr", {"data-testid": `deal-${d.id}`});
      cell(tr, `#${d.id} ${d.assetClass}`);
      cell(tr, d.state, `deal-${d.id}-state`, d.state);
      cell(tr, d.structure);
      cell(tr, wad(d.principal, 0), `deal-${d.id}-principal`, d.principal);
      cell(tr, `${wad(d.tranches[0].value, 0)} / ${wad(d.tranches[1].value, 0)}`, `deal-${d.id}-tranches`, `${d.tranches[0].value}/${d.tranches[1].value}`);
      cell(tr, wad(d.repaid, 0), `deal-${d.id}-repaid`, d.repaid);
      cell(tr, bps(d.markBps), `deal-${d.id}-mark`, d.markBps);
      cell(tr, date(d.nextDueDate), `deal-${d.id}-next-due`, d.nextDueDate);
      return tr;
    }),
  );
  document.getElementById("positions").replaceChildren(
    ...pos.positions.map((p) => {
      const tr = el("tr");
      cell(tr, short(p.position));
      cell(tr, p.dealId === null ? "-" : `#${p.dealId}`);
      cell(tr, wad(p.allocated, 0));
      cell(tr, wad(p.deallocated, 0));
      cell(tr, wad(p.losses, 0));
      cell(tr, wad(p.booked, 0), `position-${p.position}-booked`, p.booked);
      return tr;
    }),
  );
  setNum("nodes-accepted", nodes.acceptedRoots, nodes.acceptedRoots);
  setNum("nodes-rejected", nodes.rejectedRoots.length, nodes.rejectedRoots.length);
  setNum("nodes-registered", nodes.nodes.registered, `${nodes.nodes.registered} / ${nodes.nodes.stale.length} stale`);
  setNum("nodes-slashes", nodes.slashes.length, `${nodes.slashes.length} (${wad(nodes.slashedTotal, 0)} GAIB executed)`);
  document.getElementById("epochs").replaceChildren(
    ...nodes.epochs.map((e) => {
      const tr = el("tr");
      cell(tr, e.epoch);
      cell(tr, short(e.root) + (e.status === "rejected" ? " (rejected, next round open)" : ""));
      cell(tr, `${wad(e.attestedWeight, 0)} of ${wad(e.totalWeight, 0)}`);
      cell(tr, e.attestations);
      cell(tr, e.rejectedRounds);
      cell(tr, e.provenNodes);
      cell(tr, wad(e.provenRevenue, 0));
      return tr;
    }),
  );
  document.body.dataset.detailsBlock = String(deals.block);
}

async function poll() {
  try {
    const s = await getJson("/api/summary");
    renderSummary(s);
    showStale(s.stale);
    // the indexed heads and the block of the points table (refreshed in the background, a moment after a new block)
    const heads = [...s.chains.map((c) => c.indexedBlock), s.points?.pointsBlock ?? "", s.points?.pointsStale ? "stale" : ""].join(",");
    if (!s.stale && heads !== lastHeads) {
      await refreshDetails();
      lastHeads = heads;
    }
    document.body.dataset.summaryBlock = String(s.block);
  } catch (e) {
    showStale(e.body?.stale ?? {since: lastBlock, reason: e.body?.error ?? `dashboard API unreachable (${e.message})`});
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
$("points-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  lookupPoints($("points-address").value);
});
poll();
