// Referral bindings: the referee signs EIP-712 typed data {referee, referrer, deadline} for the domain
// {name: "GAIB Points", version: "1", chainId: <home chain>}; the binding is checked and stored in one transaction.
// Refused: a malformed body, a signature that does not recover to the referee or an expired deadline (400); a
// self-referral, a referee already bound, or a referrer whose own chain of referrers leads back to the referee (a
// cycle of any length) (409). The graph stays a forest: every account has at most one referrer and no cycles.
import {getAddress, isAddress, recoverTypedDataAddress, type Address, type Hex} from "viem";
import type {Db} from "../indexer/db.ts";
import type {PointsConfig} from "./config.ts";

export const REFERRAL_TYPES = {
  Referral: [
    {name: "referee", type: "address"},
    {name: "referrer", type: "address"},
    {name: "deadline", type: "uint256"},
  ],
} as const;

/** The EIP-712 domain referral signatures are made for. */
export const referralDomain = (cfg: Pick<PointsConfig, "homeChainId">) => ({name: "GAIB Points", version: "1", chainId: cfg.homeChainId}) as const;

/** What the referee signs (viem: `walletClient.signTypedData(referralTypedData(...))`). */
export function referralTypedData(cfg: Pick<PointsConfig, "homeChainId">, msg: {referee: Address; referrer: Address; deadline: bigint}) {
  return {domain: referralDomain(cfg), types: REFERRAL_TYPES, primaryType: "Referral" as const, message: msg};
}

/** An API input error with its HTTP status. */
export class PointsInputError extends Error {
  constructor(
    public status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = "PointsInputError";
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks and stores a binding; `now` [unix s] is the clock the deadline is checked against. */
export async function bindReferralAt(db: Db, body: unknown, cfg: PointsConfig, now: bigint): Promise<{referee: string; referrer: string}> {
  if (!isObj(body)) throw new PointsInputError(400, "body must be a JSON object {referee, referrer, deadline, signature}");
  const {referee, referrer, deadline, signature} = body;
  for (const [k, v] of [
    ["referee", referee],
    ["referrer", referrer],
  ] as const) {
    if (typeof v !== "string" || !isAddress(v, {strict: false})) throw new PointsInputError(400, `${k} must be a 0x-prefixed 20-byte address`);
  }
  if (!((typeof deadline === "string" && /^\d{1,78}$/.test(deadline)) || (typeof deadline === "number" && Number.isSafeInteger(deadline) && deadline >= 0))) {
    throw new PointsInputError(400, "deadline must be unix seconds (a non-negative integer or decimal string)");
  }
  if (typeof signature !== "string" || !/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new PointsInputError(400, "signature must be a 65-byte 0x hex string");
  const dl = BigInt(deadline);
  if (dl >= 1n << 256n) throw new PointsInputError(400, "deadline does not fit a uint256");
  if (dl < now) throw new PointsInputError(400, `deadline ${dl} has passed (now ${now})`);
  const ee = getAddress(referee as string);
  const er = getAddress(referrer as string);
  let signer: Address;
  try {
    signer = await recoverTypedDataAddress({...referralTypedData(cfg, {referee: ee, referrer: er, deadline: dl}), signature: signature as Hex});
  } catch {
    throw new PointsInputError(400, "signature does not recover");
  }
  if (signer !== ee) throw new PointsInputError(400, `signature is not the referee's (it recovers to ${signer})`);
  const [a, b] = [ee.toLowerCase(), er.toLowerCase()];
  if (a === b) throw new PointsInputError(409, "self-referral: referee and referrer are the same address");

  await db.tx(async (q) => {
    // one binding at a time on a shared server: two opposite bindings cannot both pass the cycle check
    if (db.kind === "postgres") await q.query("SELECT pg_advisory_xact_lock(741016)");
    const [bound] = await q.query<{referrer: string}>(`SELECT referrer FROM referrals WHERE referee = $1`, [a]);
    if (bound) throw new PointsInputError(409, `${ee} is already referred by ${getAddress(bound.referrer)}`);
    // walk up from the referrer: meeting the referee means the new edge closes a cycle
    const seen = new Set<string>();
    for (let r: string | undefined = b; r !== undefined; ) {
      if (r === a) throw new PointsInputError(409, `cycle: ${er}'s chain of referrers leads back to ${ee}`);
      if (seen.has(r)) break; // cannot happen in a forest; guards a hand-edited table
      seen.add(r);
      const up: {referrer: string} | undefined = (await q.query<{referrer: string}>(`SELECT referrer FROM referrals WHERE referee = $1`, [r]))[0];
      r = up?.referrer;
    }
    await q.query(`INSERT INTO referrals (referee, referrer, deadline, signature) VALUES ($1, $2, $3, $4)`, [a, b, dl.toString(), (signature as string).toLowerCase()]);
  });
  return {referee: ee, referrer: er};
}
