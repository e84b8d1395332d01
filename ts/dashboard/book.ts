// The deal book, sAID's positions, the node network and an address's holdings: lists and sums from the index, and
// contract state (deal state, marks, tranche values, next due date, booked values, node staleness) read at the home
// chain's indexed head block (see data.ts).
import type {Abi, Address, Hex} from "viem";
import {gpuDealAbi, stakedAIDAbi, telemetryOracleAbi} from "../abi/generated.ts";
import {big} from "../indexer/db.ts";
import {DEAL_STATES, type Cursor, type DashData} from "./data.ts";
import {HttpError} from "./http.ts";

const str = (v: unknown) => (v === null || v === undefined ? "0" : String(v));
type Args = Record<string, string | number | boolean>;
interface EventRow {
  block_number: unknown;
  block_time: unknown;
  tx_hash: string;
  address: string;
  event: string;
  args: Args;
}

/** Events of `contract`s named `names` on the home chain up to the cursor, oldest first. */
async function homeEvents(data: DashData, head: Cursor, contracts: readonly string[], names: readonly string[], extra = "", params: unknown[] = []): Promise<EventRow[]> {
  return data.db.query<EventRow>(
    `SELECT block_number, block_time, tx_hash, address, event, args FROM events
     WHERE chain_id = $1 AND block_number <= $2 AND contract = ANY($3::text[]) AND event = ANY($4::text[]) ${extra}
     ORDER BY block_number, log_index`,
    [head.chainId, head.block.toString(), contracts, names, ...params],
  );
}
const when = (e: EventRow) => ({block: big(e.block_number), time: big(e.block_time), tx: e.tx_hash});

interface DealRow {
  dealId: bigint;
  address: Address;
  borrower: string;
  underwriter: string;
  seniorToken: string;
  juniorToken: string;
  created: {block: bigint; time: bigint};
}

async function dealRows(data: DashData, head: Cursor, page: {limit: number; offset: number} | {id: bigint}): Promise<{rows: DealRow[]; total: number}> {
  const created = await homeEvents(data, head, ["DealFactory"], ["DealCreated"]);
  const all = created.map((e) => ({
    dealId: BigInt(str(e.args.dealId)),
    address: e.args.deal as Address,
    borrower: String(e.args.borrower),
    underwriter: String(e.args.underwriter),
    seniorToken: String(e.args.seniorToken),
    juniorToken: String(e.args.juniorToken),
    created: {block: big(e.block_number), time: big(e.block_time)},
  }));
  if ("id" in page) return {rows: all.filter((d) => d.dealId === page.id), total: all.length};
  return {rows: all.slice(page.offset, page.offset + page.limit), total: all.length};
}

/** One deal: terms and tranches, state / marks / values / next due date read at the head, repaid and claimed from
 *  the deal's events, and its state history. */
async function dealDetail(data: DashData, head: Cursor, d: DealRow) {
  const at = {block: head.block, hash: head.hash};
  const r = <T>(fn: string, args: readonly unknown[] = []) => data.read<T>(d.address, gpuDealAbi as Abi, fn, args, at);
  const [stateNo, terms, markBps, seniorValue, juniorValue, cashReserve, totalRepaid] = await Promise.all([
    r<number>("state"),
    r<{structure: number; seniorPrincipal: bigint; juniorPrincipal: bigint; seniorAprBps: number; juniorAprBps: number; tenor: number; paymentInterval: number; collateral: {assetClass: number; unitCount: number; appraisedValue: bigint}}>("terms"),
    r<bigint>("markBps"),
    r<bigint>("trancheValue", [0]),
    r<bigint>("trancheValue", [1]),
    r<bigint>("cashReserve"),
    r<bigint>("totalRepaid"),
  ]);
  const state = DEAL_STATES[stateNo] ?? String(stateNo);
  const nextDue = state === "ACTIVE" || state === "LATE" ? await r<bigint>("dueDate") : null;
  const events = await data.db.query<EventRow>(
    `SELECT block_number, block_time, tx_hash, address, event, args FROM events
     WHERE chain_id = $1 AND block_number <= $2 AND address = $3 ORDER BY block_number, log_index`,
    [head.chainId, head.block.toString(), d.address.toLowerCase()],
  );
  const sum = (name: string, field: string) => events.filter((e) => e.event === name).reduce((a, e) => a + BigInt(str(e.args[field])), 0n);
  const funded = (t: number) => events.filter((e) => e.event === "Funded" && Number(e.args.tranche) === t).reduce((a, e) => a + BigInt(str(e.args.assets)), 0n);
  return {
    id: d.dealId,
    address: d.address,
    borrower: d.borrower,
    underwriter: d.underwriter,
    created: d.created,
    state,
    structure: terms.structure === 1 ? "REVENUE_SHARE" : "FIXED",
    assetClass: terms.collateral.assetClass === 1 ? "ROBOT" : "GPU",
    units: terms.collateral.unitCount,
    appraisedValue: terms.collateral.appraisedValue,
    principal: terms.seniorPrincipal + terms.juniorPrincipal,
    tenorDays: terms.tenor / 86_400,
    paymentIntervalDays: terms.paymentInterval / 86_400,
    tranches: [
      {tranche: "SENIOR", token: d.seniorToken, principal: terms.seniorPrincipal, aprBps: terms.seniorAprBps, funded: funded(0), value: seniorValue},
      {tranche: "JUNIOR", token: d.juniorToken, principal: terms.juniorPrincipal, aprBps: terms.juniorAprBps, funded: funded(1), value: juniorValue},
    ],
    /** sum of the deal's Repaid events (equals totalRepaid() at the head) */
    repaid: sum("Repaid", "amount"),
    totalRepaid,
    recoveryProceeds: sum("RecoveryProceeds", "amount"),
    claimed: sum("Claimed", "assets"),
    cashReserve,
    /** the current mark of the exposure [bps] (markBps() at the head) */
    markBps,
    /** dueDate() at the head when ACTIVE or LATE [unix s], else null */
    nextDueDate: nextDue,
    payments: events.filter((e) => e.event === "Repaid").length,
    stateHistory: events.filter((e) => e.event === "StateChanged").map((e) => ({...when(e), from: DEAL_STATES[Number(e.args.from)], to: DEAL_STATES[Number(e.args.to)]})),
  };
}

export async function deals(data: DashData, page: {limit: number; offset: number}) {
  const head = await data.homeCursor();
  const {rows, total} = await dealRows(data, head, page);
  return {block: head.block, total, limit: page.limit, offset: page.offset, deals: await Promise.all(rows.map((d) => dealDetail(data, head, d)))};
}

export async function deal(data: DashData, id: bigint) {
  const head = await data.homeCursor();
  const {rows} = await dealRows(data, head, {id});
  if (rows.length === 0) throw new HttpError(404, `no deal ${id} at block ${head.block}`);
  return {block: head.block, deal: await dealDetail(data, head, rows[0]!)};
}

/** sAID's allocations: each listed position with what sAID put in, took out and booked as lost (events) and its
 *  booked value now (bookedOf at the head), plus the vault's idle AID and queued unstakes. */
export async function positions(data: DashData) {
  const head = await data.homeCursor();
  const sAID = data.addr("StakedAID");
  const at = {block: head.block, hash: head.hash};
  const r = <T>(fn: string, args: readonly unknown[] = []) => data.read<T>(sAID, stakedAIDAbi as Abi, fn, args, at);
  const ev = await homeEvents(data, head, ["StakedAID"], ["PositionListed", "Allocated", "Deallocated", "LossBooked"]);
  const [listed, idle, pending] = await Promise.all([r<readonly Address[]>("positions"), r<bigint>("idleAssets"), r<bigint>("pendingUnstakeAssets")]);
  const known = [...new Set([...listed.map((a) => a.toLowerCase()), ...ev.map((e) => String(e.args.position).toLowerCase())])];
  const dealOf = new Map((await homeEvents(data, head, ["DealFactory"], ["DealCreated"])).map((e) => [String(e.args.deal).toLowerCase(), BigInt(str(e.args.dealId))]));
  const list = await Promise.all(
    known.map(async (p) => {
      const mine = ev.filter((e) => String(e.args.position).toLowerCase() === p);
      const sum = (name: string, field: string) => mine.filter((e) => e.event === name).reduce((a, e) => a + BigInt(str(e.args[field])), 0n);
      const deal = await data
        .read<Address>(p as Address, [{type: "function", name: "deal", stateMutability: "view", inputs: [], outputs: [{type: "address"}]}] as Abi, "deal", [], at)
        .catch(() => null);
      return {
        position: p,
        listed: listed.some((a) => a.toLowerCase() === p),
        dealId: deal ? (dealOf.get(deal.toLowerCase()) ?? null) : null,
        deal,
        allocated: sum("Allocated", "assets"),
        deallocated: sum("Deallocated", "received"),
        gain: sum("Deallocated", "gain"),
        losses: sum("LossBooked", "loss"),
        booked: await r<bigint>("bookedOf", [p]),
      };
    }),
  );
  return {block: head.block, idle, pendingUnstakes: pending, positions: list};
}

/** The node network: accepted and rejected epoch roots, attestations, proven revenue, nodes (stale ones read at the
 *  head), equivocations and slashes. */
export async function nodes(data: DashData) {
  const head = await data.homeCursor();
  const oracle = ["TelemetryOracle"];
  const [accepted, rejected, attested, proven, equivocated, registered, flagged, slashReq, slashExec, slashVeto, slashed] = await Promise.all([
    homeEvents(data, head, oracle, ["RootAccepted"]),
    homeEvents(data, head, oracle, ["RootRejected"]),
    homeEvents(data, head, oracle, ["Attested"]),
    homeEvents(data, head, oracle, ["RevenueProven"]),
    homeEvents(data, head, oracle, ["NodeEquivocated"]),
    homeEvents(data, head, ["NodeRegistry"], ["NodeRegistered"]),
    homeEvents(data, head, oracle, ["DealFlaggedStale"]),
    homeEvents(data, head, ["VetoSlasher"], ["SlashRequested"]),
    homeEvents(data, head, ["VetoSlasher"], ["SlashExecuted"]),
    homeEvents(data, head, ["VetoSlasher"], ["SlashVetoed"]),
    homeEvents(data, head, ["StakingVault"], ["Slashed"]),
  ]);
  // one entry per epoch, as the oracle keeps it: the latest accepted root, the round (0, +1 per rejection) and whether
  // that root stands (a rejection always follows the acceptance it rejects: as many rejections as acceptances = the
  // latest root was rejected and the next round is open)
  const byEpoch = new Map<string, EventRow[]>();
  for (const e of accepted) byEpoch.set(str(e.args.epoch), [...(byEpoch.get(str(e.args.epoch)) ?? []), e]);
  const epochs = [...byEpoch.entries()].map(([epoch, rounds]) => {
    const e = rounds[rounds.length - 1]!;
    const ofEpoch = (l: EventRow[]) => l.filter((x) => str(x.args.epoch) === epoch);
    const rejections = ofEpoch(rejected).length;
    return {
      ...when(e),
      epoch: BigInt(epoch),
      round: rejections,
      status: rejections >= rounds.length ? "rejected" : "accepted",
      root: e.args.root as Hex,
      attestedWeight: BigInt(str(e.args.attestedWeight)),
      totalWeight: BigInt(str(e.args.totalWeight)),
      attestations: ofEpoch(attested).length,
      rejectedRounds: ofEpoch(rejected).length,
      provenNodes: ofEpoch(proven).length,
      provenRevenue: ofEpoch(proven).reduce((a, x) => a + BigInt(str(x.args.revenue)), 0n),
    };
  });
  const oracleAddr = data.addr("TelemetryOracle");
  const ids = [...new Set(registered.map((e) => String(e.args.nodeId)))] as Hex[];
  const staleFlags = await Promise.all(ids.map((id) => data.read<boolean>(oracleAddr, telemetryOracleAbi as Abi, "isStale", [id], {block: head.block, hash: head.hash}).catch(() => false)));
  const executed = new Set(slashExec.map((e) => str(e.args.id)));
  const vetoed = new Set(slashVeto.map((e) => str(e.args.id)));
  return {
    block: head.block,
    epochs,
    /** epochs whose latest round's root stands */
    acceptedRoots: epochs.filter((e) => e.status === "accepted").length,
    rejectedRoots: rejected.map((e) => ({...when(e), epoch: BigInt(str(e.args.epoch)), round: BigInt(str(e.args.round)), challenger: e.args.challenger, nodeId: e.args.nodeId})),
    nodes: {
      registered: ids.length,
      operators: new Set(registered.map((e) => String(e.args.operator))).size,
      /** isStale(nodeId) at the head */
      stale: ids.filter((_, i) => staleFlags[i]),
      flaggedDeals: flagged.map((e) => ({...when(e), dealId: BigInt(str(e.args.dealId)), staleNodes: BigInt(str(e.args.staleNodes))})),
    },
    equivocations: equivocated.map((e) => ({...when(e), nodeId: e.args.nodeId, epoch: BigInt(str(e.args.epoch)), operator: e.args.operator, requestId: BigInt(str(e.args.requestId))})),
    slashes: slashReq.map((e) => {
      const id = str(e.args.id);
      return {
        ...when(e),
        id: BigInt(id),
        operator: e.args.operator,
        requested: BigInt(str(e.args.requested)),
        status: executed.has(id) ? "executed" : vetoed.has(id) ? "vetoed" : "pending",
        executed: slashExec.filter((x) => str(x.args.id) === id).reduce((a, x) => a + BigInt(str(x.args.amount)), 0n),
      };
    }),
    slashedTotal: slashed.reduce((a, e) => a + BigInt(str(e.args.amount)), 0n),
  };
}

/** An address's AID and sAID share balances per chain, from the indexed transfers up to each chain's cursor. */
export async function account(data: DashData, address: Address) {
  const cursors = await data.cursors();
  const a = address.toLowerCase();
  const bounds = JSON.stringify([...cursors.values()].flatMap((c) => (c ? [{chain_id: c.chainId, cursor: c.block.toString()}] : [])));
  const rows = await data.db.query<{chain_id: number; token: string; bal: string}>(
    `SELECT e.chain_id, CASE WHEN e.contract = 'AID' THEN 'aid' ELSE 'said' END AS token,
            sum(CASE WHEN lower(e.args->>'to') = $2 THEN (e.args->>'value')::numeric ELSE 0 END
              - CASE WHEN lower(e.args->>'from') = $2 THEN (e.args->>'value')::numeric ELSE 0 END)::text AS bal
     FROM events e JOIN jsonb_to_recordset($1::jsonb) AS cur(chain_id integer, cursor bigint) USING (chain_id)
     WHERE e.block_number <= cur.cursor AND e.event = 'Transfer' AND e.contract IN ('AID', 'StakedAID', 'StakedAIDOFT')
       AND (lower(e.args->>'to') = $2 OR lower(e.args->>'from') = $2)
     GROUP BY 1, 2`,
    [bounds, a],
  );
  return {
    address,
    chains: data.chains.map((c) => ({
      name: c.name,
      chainId: c.chainId,
      indexedBlock: cursors.get(c.chainId)?.block ?? null,
      aid: BigInt(rows.find((r) => r.chain_id === c.chainId && r.token === "aid")?.bal ?? "0"),
      saidShares: BigInt(rows.find((r) => r.chain_id === c.chainId && r.token === "said")?.bal ?? "0"),
    })),
  };
}
