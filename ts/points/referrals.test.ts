// Referral bindings (EIP-712, signed by the referee) and the API's input checks, on both stores: what binds, what is
// refused with which status, and that a refused binding leaves the table as it was.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {privateKeyToAccount} from "viem/accounts";
import type {Db} from "../indexer/db.ts";
import {Stores, type StoreKind} from "../indexer/testChain.ts";
import {leaderboard, pointsOf, PointsInputError} from "./api.ts";
import {loadPointsConfig, parsePointsConfig} from "./config.ts";
import {bindReferralAt, referralTypedData} from "./referrals.ts";

const stores = new Stores();
afterAll(() => stores.stop());
const cfg = loadPointsConfig();
const NOW = 1_800_000_000n;
// fixed test keys (never funded anywhere)
const keys = [1, 2, 3, 4, 5].map((i) => privateKeyToAccount(`0x${i.toString(16).padStart(64, "0")}`));
const [A, B, C, D, E] = keys as [(typeof keys)[0], (typeof keys)[0], (typeof keys)[0], (typeof keys)[0], (typeof keys)[0]];

type Signer = (typeof keys)[0];
const body = async (referee: Signer, referrer: Signer, opts: {deadline?: bigint; signer?: Signer; chainId?: number} = {}) => {
  const msg = {referee: referee.address, referrer: referrer.address, deadline: opts.deadline ?? NOW + 600n};
  const signature = await (opts.signer ?? referee).signTypedData(referralTypedData({homeChainId: opts.chainId ?? cfg.homeChainId}, msg));
  return {referee: msg.referee, referrer: msg.referrer, deadline: msg.deadline.toString(), signature};
};

describe.each<StoreKind>(["pglite", "postgres"])("referrals on %s", (kind) => {
  let db: Db;
  const rows = () => db.query<{referee: string; referrer: string}>(`SELECT referee, referrer FROM referrals ORDER BY referee`);
  const refused = async (b: unknown, status: number, message: RegExp) => {
    const before = await rows();
    const err = await bindReferralAt(db, b, cfg, NOW).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PointsInputError);
    expect((err as PointsInputError).status).toBe(status);
    expect((err as Error).message).toMatch(message);
    expect(await rows()).toEqual(before);
  };

  beforeAll(async () => {
    db = await stores.open(kind);
  });
  afterAll(() => db?.close());

  it("binds a referee to a referrer from the referee's signature", async () => {
    expect(await bindReferralAt(db, await body(A, B), cfg, NOW)).toEqual({referee: A.address, referrer: B.address});
    expect(await rows()).toEqual([{referee: A.address.toLowerCase(), referrer: B.address.toLowerCase()}]);
    // a deadline given as a number works too
    const b = await body(C, B);
    expect(await bindReferralAt(db, {...b, deadline: Number(b.deadline)}, cfg, NOW)).toEqual({referee: C.address, referrer: B.address});
  });

  it("refuses a second binding, a self-referral and cycles of any length with 409", async () => {
    await refused(await body(A, C), 409, /already referred/);
    await refused(await body(D, D), 409, /self-referral/);
    await refused(await body(B, A), 409, /cycle/); // A -> B, then B -> A
    expect(await bindReferralAt(db, await body(B, D), cfg, NOW)).toBeTruthy(); // A -> B -> D
    await refused(await body(D, A), 409, /cycle/); // D -> A would close A -> B -> D -> A
    await refused(await body(D, C), 409, /cycle/); // C -> B -> D -> C
    expect(await bindReferralAt(db, await body(D, E), cfg, NOW)).toBeTruthy(); // no cycle: E is outside
  });

  it("refuses bad signatures, expired deadlines and malformed bodies with 400", async () => {
    const fresh = keys.map((_, i) => privateKeyToAccount(`0x${(i + 100).toString(16).padStart(64, "0")}`));
    const [P, Q] = fresh as [Signer, Signer];
    await refused(await body(P, Q, {signer: Q}), 400, /not the referee's/); // signed by the referrer
    await refused(await body(P, Q, {chainId: 42_161}), 400, /not the referee's/); // another chain's domain
    await refused({...(await body(P, Q)), referrer: A.address}, 400, /not the referee's/); // message changed after signing
    await refused(await body(P, Q, {deadline: NOW - 1n}), 400, /has passed/);
    await refused({...(await body(P, Q)), signature: "0x1234"}, 400, /65-byte/);
    await refused({...(await body(P, Q)), referee: "0xnope"}, 400, /referee must be/);
    await refused({...(await body(P, Q)), deadline: "-1"}, 400, /deadline must be/);
    await refused({...(await body(P, Q)), deadline: (1n << 256n).toString()}, 400, /uint256/);
    await refused(null, 400, /JSON object/);
    await refused([1, 2], 400, /JSON object/);
  });

  if (kind === "postgres") {
    it("two opposite bindings at once: exactly one binds, the other is a cycle (409)", async () => {
      const [P, Q] = [100, 101].map((i) => privateKeyToAccount(`0x${(i + 200).toString(16).padStart(64, "0")}`)) as [Signer, Signer];
      const results = await Promise.allSettled([bindReferralAt(db, await body(P, Q), cfg, NOW), bindReferralAt(db, await body(Q, P), cfg, NOW)]);
      expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
      expect((rejected.reason as PointsInputError).status).toBe(409);
    });
  }
});

describe("points API input checks", () => {
  let db: Db;
  beforeAll(async () => {
    db = await stores.open("pglite");
  });
  afterAll(() => db?.close());
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 0,
      (e: unknown) => (e instanceof PointsInputError ? e.status : -1),
    );

  it("rejects malformed addresses and page sizes with 400", async () => {
    for (const a of ["0x12", "hello", `0x${"g".repeat(40)}`, `${"0".repeat(42)}`]) expect(await status(pointsOf(db, a, cfg))).toBe(400);
    expect(await status(leaderboard(db, {limit: 501, offset: 0}, cfg))).toBe(400);
    expect(await status(leaderboard(db, {limit: 0, offset: 0}, cfg))).toBe(400);
    expect(await status(leaderboard(db, {limit: 10, offset: -1}, cfg))).toBe(400);
    expect(await status(leaderboard(db, {limit: 1.5, offset: 0}, cfg))).toBe(400);
    expect(await leaderboard(db, {limit: 500, offset: 0}, cfg)).toEqual([]);
    expect(await pointsOf(db, A.address.toLowerCase(), cfg)).toMatchObject({address: A.address, points: "0", rank: 0});
  });

  it("loads config/points.json and rejects a bad config with the field named", () => {
    expect(cfg.multiplierBps).toEqual({aid: 10_000n, said: 30_000n, aidLp: 40_000n, saidLp: 120_000n});
    expect(cfg.referralBps).toEqual([2_000n, 1_000n]);
    const good = {homeChainId: 1, start: 0, end: null, multipliers: {aid: 1, said: 3, aidLp: 4, saidLp: 12}, referralPercent: [20, 10]};
    expect(parsePointsConfig({...good, end: "2027-01-01T00:00:00Z"}).end).toBe(1_798_761_600);
    expect(() => parsePointsConfig({...good, multipliers: {...good.multipliers, nft: 2}})).toThrow(/unknown multiplier "nft"/);
    expect(() => parsePointsConfig({...good, multipliers: {...good.multipliers, aid: -1}})).toThrow(/multipliers.aid/);
    expect(() => parsePointsConfig({...good, multipliers: {...good.multipliers, aid: 1.00001}})).toThrow(/precision/);
    expect(() => parsePointsConfig({...good, start: 10, end: 5})).toThrow(/"end" must be after/);
    expect(() => parsePointsConfig({...good, exclude: ["0x1"]})).toThrow(/malformed address/);
    expect(() => parsePointsConfig({...good, referralPercent: [20]})).toThrow(/referralPercent/);
    expect(() => loadPointsConfig("/nonexistent/points.json")).toThrow(/points config/);
  });
});
