import {StandardMerkleTree} from "@openzeppelin/merkle-tree";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  parseEventLogs,
  parseUnits,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {foundry} from "viem/chains";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {
  gaibAbi,
  gaibBytecode,
  mockERC20Abi,
  mockERC20Bytecode,
  nodeRegistryAbi,
  nodeRegistryBytecode,
  stakingVaultAbi,
  stakingVaultBytecode,
  telemetryOracleAbi,
  telemetryOracleBytecode,
  vetoSlasherAbi,
  vetoSlasherBytecode,
} from "../abi/generated.ts";
import {anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {
  LEAF_TYPES,
  attestation,
  buildEpochTree,
  fromNodeSignature,
  isCanonical,
  isNodeSigned,
  leafFromValue,
  leafHash,
  leafValue,
  nodeIdOf,
  proofOf,
  recoverTelemetrySigner,
  signLeaf,
  signTelemetry,
  telemetryDigest,
  telemetryDomain,
  toNodeSignature,
  type NodeSignature,
  type SignedLeaf,
  type Telemetry,
} from "./telemetry.ts";

// Fixed test keys for three node inspectors (local only).
const NODE_KEYS: readonly Hex[] = [
  "0x1000000000000000000000000000000000000000000000000000000000000001",
  "0x1000000000000000000000000000000000000000000000000000000000000002",
  "0x1000000000000000000000000000000000000000000000000000000000000003",
];
const nodes: PrivateKeyAccount[] = NODE_KEYS.map((k) => privateKeyToAccount(k));
const label = (i: number): Hex => `0x${(i + 1).toString(16).padStart(64, "0")}`;
const ZERO = "0x0000000000000000000000000000000000000000";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n; // secp256k1 order

function report(id: Hex, epoch: bigint, i: number, revenue: bigint): Telemetry {
  return {nodeId: id, epoch, uptimeBps: 9_990, utilisationBps: 8_000 - i, gpusOnline: 8, powerW: 5_600 + i, revenue};
}
/** The three nodes' signed leaves for `epoch` in `domain` (node i's id from `ids`). */
const signedLeaves = (ids: readonly Hex[], epoch: bigint, domain: ReturnType<typeof telemetryDomain>): Promise<SignedLeaf[]> =>
  Promise.all([0, 1, 2].map((i) => signLeaf(nodes[i]!, domain, report(ids[i]!, epoch, i, parseUnits(String(100 * (i + 1)), 18)))));
/** The malleable twin of a signature: (r, n − s, v flipped); recovers the same key in plain ecrecover. */
const highS = (sig: NodeSignature): NodeSignature => ({r: sig.r, s: `0x${(N - BigInt(sig.s)).toString(16).padStart(64, "0")}`, v: sig.v === 27 ? 28 : 27});

describe("epoch tree and signatures (off-chain)", () => {
  const oracle: Address = "0x00000000000000000000000000000000000000aa";
  const domain = telemetryDomain(1, oracle);
  const ids = [0, 1, 2].map(label);

  it("builds OpenZeppelin standard leaves of report + signature: tree leaf == double keccak of the ABI encoding", async () => {
    const ls = await signedLeaves(ids, 7n, domain);
    const tree = buildEpochTree(ls);
    for (const l of ls) {
      expect(tree.leafHash(leafValue(l))).toBe(leafHash(l));
      expect(StandardMerkleTree.verify(tree.root, [...LEAF_TYPES], leafValue(l), proofOf(tree, l.report.nodeId))).toBe(true);
      expect(leafFromValue(leafValue(l))).toEqual(l);
      // the leaf commits to the signature: another signature, another leaf
      expect(leafHash({...l, sig: highS(l.sig)})).not.toBe(leafHash(l));
    }
    const a = attestation(ls);
    expect(a).toEqual({epoch: 7n, root: tree.root, nodeCount: 3n, totalRevenue: parseUnits("600", 18)});
  });

  it("refuses mixed epochs and duplicate nodes", async () => {
    const [a, b] = await signedLeaves(ids, 1n, domain);
    const other = await signLeaf(nodes[1]!, domain, report(ids[1]!, 2n, 1, 1n));
    expect(() => buildEpochTree([a!, other])).toThrow(/epoch/);
    expect(() => buildEpochTree([a!, {...b!, report: {...b!.report, nodeId: ids[0]!}}])).toThrow(/two reports/);
    expect(() => buildEpochTree([])).toThrow(/at least one/);
    expect(() => proofOf(buildEpochTree([a!, b!]), label(9))).toThrow(/not in the tree/);
  });

  it("signs with EIP-712: recovers on its domain, not on another chain's; {r, s, v} round-trips", async () => {
    const r = report(ids[0]!, 7n, 0, 1n);
    const sig = await signTelemetry(nodes[0]!, domain, r);
    expect(await recoverTelemetrySigner(domain, r, sig)).toBe(nodes[0]!.address);
    expect(await recoverTelemetrySigner(telemetryDomain(42_161, oracle), r, sig)).not.toBe(nodes[0]!.address);
    const rsv = toNodeSignature(sig);
    expect([27, 28]).toContain(rsv.v);
    expect(isCanonical(rsv)).toBe(true);
    expect(isCanonical(highS(rsv))).toBe(false);
    expect(fromNodeSignature(rsv)).toBe(sig);
  });

  it("node-signed: canonical signature of the registered signer, node active in the epoch", async () => {
    const [l] = await signedLeaves(ids, 7n, domain);
    const digest = telemetryDigest(domain, l!.report);
    const node = {signer: nodes[0]!.address, registeredAt: 100n, deactivatedAt: 0n};
    const epoch = {epoch: 7n, start: 1_000n, end: 2_000n};
    expect(await isNodeSigned(l!, node, epoch, digest)).toBe(true);
    expect(await isNodeSigned({...l!, report: {...l!.report, revenue: 1n}}, node, epoch, telemetryDigest(domain, {...l!.report, revenue: 1n}))).toBe(false); // altered
    expect(await isNodeSigned(l!, {...node, signer: nodes[1]!.address}, epoch, digest)).toBe(false); // someone else's key
    expect(await isNodeSigned({...l!, sig: highS(l!.sig)}, node, epoch, digest)).toBe(false); // malleated
    expect(await isNodeSigned(l!, undefined, epoch, digest)).toBe(false); // unknown node
    expect(await isNodeSigned(l!, {...node, registeredAt: 2_000n}, epoch, digest)).toBe(false); // registered after the end
    expect(await isNodeSigned(l!, {...node, deactivatedAt: 1_000n}, epoch, digest)).toBe(false); // deactivated before the start
    expect(await isNodeSigned(l!, {...node, deactivatedAt: 1_001n}, epoch, digest)).toBe(true);
    expect(await isNodeSigned(l!, node, {...epoch, epoch: 8n}, digest)).toBe(false); // another epoch's tree
  });
});

// The same tree, proofs and signatures verified by the deployed contracts on a local Anvil chain: views, then a full
// round (operator attests the TS root, revenue proven with TS proofs; a forged leaf rejects a lying root and its
// attester's slash is requested; a node's two signed reports of one epoch exclude it while the honest root stands).
describe("epoch tree and signatures verify on-chain (Anvil)", () => {
  let anvil: Anvil;
  const [admin, operator] = [anvilAccount(0), anvilAccount(1)];
  let pub: ReturnType<typeof createPublicClient>;
  let test: ReturnType<typeof createTestClient>;
  let chainId: number;
  const addr = {} as Record<"gaib" | "reward" | "vault" | "slasher" | "registry" | "oracle", Address>;
  const EPOCH = 600n; // [s] the shortest allowed epoch
  const DEAL = 0n; // no deal: a deal's nodes need the deal's approval (NodeRegistry.approveNodes), not set up here
  let ids: Hex[] = [];

  async function write(account: PrivateKeyAccount, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) {
    const chain = {...foundry, id: chainId};
    const {request} = await pub.simulateContract({address, abi, functionName, args, account, chain} as never);
    const hash = await createWalletClient({account, chain, transport: http(anvil.rpcUrl)}).writeContract(request as never);
    const receipt = await pub.waitForTransactionReceipt({hash});
    expect(receipt.status).toBe("success");
    return receipt;
  }
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    pub.readContract({address, abi, functionName, args} as never) as Promise<T>;
  async function deploy(abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]): Promise<Address> {
    const chain = {...foundry, id: chainId};
    const hash = await createWalletClient({account: admin, chain, transport: http(anvil.rpcUrl)}).deployContract({abi, bytecode, args} as never);
    const receipt = await pub.waitForTransactionReceipt({hash});
    expect(receipt.status).toBe("success");
    return receipt.contractAddress!;
  }
  async function warpTo(t: bigint) {
    await test.setNextBlockTimestamp({timestamp: t});
    await test.mine({blocks: 1});
  }
  const now = async () => (await pub.getBlock()).timestamp;

  beforeAll(async () => {
    chainId = 41_500 + Number(process.env.VITEST_POOL_ID ?? 0);
    anvil = await startAnvil({chainId});
    const chain = {...foundry, id: chainId, rpcUrls: {default: {http: [anvil.rpcUrl]}}};
    pub = createPublicClient({chain, transport: http(anvil.rpcUrl)});
    test = createTestClient({chain, transport: http(anvil.rpcUrl), mode: "anvil"});

    const minSelfStake = parseUnits("10000", 18);
    addr.gaib = await deploy(gaibAbi, gaibBytecode, [admin.address]);
    addr.reward = await deploy(mockERC20Abi, mockERC20Bytecode, ["Reward stand-in", "rAID", 18]);
    addr.vault = await deploy(stakingVaultAbi, stakingVaultBytecode, [addr.gaib, addr.reward, admin.address, await now(), EPOCH, minSelfStake]);
    addr.slasher = await deploy(vetoSlasherAbi, vetoSlasherBytecode, [addr.vault, admin.address, admin.address, admin.address]);
    await write(admin, addr.vault, stakingVaultAbi, "setSlasher", [addr.slasher]);
    addr.registry = await deploy(nodeRegistryAbi, nodeRegistryBytecode, [addr.vault, admin.address]);
    addr.oracle = await deploy(telemetryOracleAbi, telemetryOracleBytecode, [addr.vault, addr.slasher, addr.registry, admin.address]);
    const slasherRole = await read<Hex>(addr.slasher, vetoSlasherAbi, "SLASHER_ROLE");
    await write(admin, addr.slasher, vetoSlasherAbi, "grantRole", [slasherRole, addr.oracle]);

    // one operator with all the stake, opted in; three nodes on one deal signed by the TS keys
    await write(admin, addr.gaib, gaibAbi, "transfer", [operator.address, minSelfStake * 10n]);
    await write(operator, addr.gaib, gaibAbi, "approve", [addr.vault, minSelfStake * 10n]);
    await write(operator, addr.vault, stakingVaultAbi, "registerOperator", [1_000, minSelfStake * 10n]);
    await write(operator, addr.vault, stakingVaultAbi, "setOptIn", [true]);
    await warpTo((await now()) + 86_400n);
    await write(admin, addr.vault, stakingVaultAbi, "finalizeOptChange", [operator.address]);
    for (let i = 0; i < 3; i++) {
      await write(operator, addr.registry, nodeRegistryAbi, "registerNode", [label(i), nodes[i]!.address, DEAL, 1, `0x${"48313030".padEnd(64, "0")}`, 8]);
    }
    ids = [0, 1, 2].map((i) => nodeIdOf(operator.address, label(i)));
  }, 240_000);
  afterAll(async () => anvil?.stop());

  it("agrees with the oracle's views: node id, leaf hash, EIP-712 digest, signer, node-signed, proofs", async () => {
    const domain = telemetryDomain(chainId, addr.oracle);
    const e = await read<bigint>(addr.vault, stakingVaultAbi, "currentEpoch"); // the nodes are active in it
    const ls = await signedLeaves(ids, e, domain);
    const tree = buildEpochTree(ls);
    for (const [i, l] of ls.entries()) {
      expect(await read<Hex>(addr.registry, nodeRegistryAbi, "nodeIdOf", [operator.address, label(i)])).toBe(ids[i]);
      expect(await read<Hex>(addr.oracle, telemetryOracleAbi, "leafHash", [l.report, l.sig])).toBe(leafHash(l));
      expect(await read<Hex>(addr.oracle, telemetryOracleAbi, "reportDigest", [l.report])).toBe(telemetryDigest(domain, l.report));
      expect(await read<Address>(addr.oracle, telemetryOracleAbi, "recoverReportSigner", [l.report, l.sig])).toBe(nodes[i]!.address);
      expect(await read<boolean>(addr.oracle, telemetryOracleAbi, "isNodeSigned", [e, l.report, l.sig])).toBe(true);
      expect(await read<boolean>(addr.oracle, telemetryOracleAbi, "verifyLeaf", [tree.root, l.report, l.sig, proofOf(tree, l.report.nodeId)])).toBe(true);
    }
    // a malleated (high-s) signature recovers no one on-chain, as isCanonical says off-chain
    expect(await read<Address>(addr.oracle, telemetryOracleAbi, "recoverReportSigner", [ls[0]!.report, highS(ls[0]!.sig)])).toBe(ZERO);
    // a signature for another chain id recovers someone else on this one
    const foreign = await signLeaf(nodes[0]!, telemetryDomain(chainId + 1, addr.oracle), ls[0]!.report);
    expect(await read<Address>(addr.oracle, telemetryOracleAbi, "recoverReportSigner", [ls[0]!.report, foreign.sig])).not.toBe(nodes[0]!.address);
    expect(await read<boolean>(addr.oracle, telemetryOracleAbi, "isNodeSigned", [e, foreign.report, foreign.sig])).toBe(false);
    expect(await read<boolean>(addr.oracle, telemetryOracleAbi, "isNodeSigned", [3n, ls[0]!.report, ls[0]!.sig])).toBe(false); // another epoch
  });

  it("accepts the TS root, rejects a forged leaf and slashes its attester, excludes an equivocating node, proves revenue", async () => {
    const domain = telemetryDomain(chainId, addr.oracle);
    const current = await read<bigint>(addr.vault, stakingVaultAbi, "currentEpoch");
    const honest = current + 1n; // its stake snapshot includes the opt-in
    const lying = honest + 1n;
    const start = await read<bigint>(addr.vault, stakingVaultAbi, "epochStart", [lying + 1n]);
    await warpTo(start + 1n);

    // honest epoch: attested from the TS tree, accepted (the operator holds all the stake)
    const good = await signedLeaves(ids, honest, domain);
    const a = attestation(good);
    await write(operator, addr.oracle, telemetryOracleAbi, "attest", [a.epoch, a.root, a.nodeCount, a.totalRevenue]);
    const root = await read<{root: Hex; status: number}>(addr.oracle, telemetryOracleAbi, "getEpochRoot", [honest]);
    expect(root.root).toBe(a.root);
    expect(root.status).toBe(1);

    // lying epoch: node 2's revenue inflated in the tree under its real signature: a leaf no node signed
    const truth = await signedLeaves(ids, lying, domain);
    const lie = truth.map((l, i) => (i === 2 ? {report: {...l.report, revenue: l.report.revenue * 10n}, sig: l.sig} : l));
    const b = attestation(lie);
    await write(operator, addr.oracle, telemetryOracleAbi, "attest", [b.epoch, b.root, b.nodeCount, b.totalRevenue]);
    const forged = lie[2]!;
    expect(await isNodeSigned(forged, {signer: nodes[2]!.address, registeredAt: 0n, deactivatedAt: 0n}, {epoch: lying, start: 0n, end: start}, telemetryDigest(domain, forged.report))).toBe(false);
    const receipt = await write(admin, addr.oracle, telemetryOracleAbi, "challengeForgedLeaf", [lying, forged.report, forged.sig, proofOf(buildEpochTree(lie), ids[2]!)]);
    const [rejected] = parseEventLogs({abi: telemetryOracleAbi, logs: receipt.logs, eventName: "RootRejected"});
    expect(rejected?.args.epoch).toBe(lying);
    expect(rejected?.args.round).toBe(0n);
    expect((await read<{status: number}>(addr.oracle, telemetryOracleAbi, "getEpochRoot", [lying])).status).toBe(2);
    // the attester's slash: one permissionless O(1) request per attester
    const slash = await write(admin, addr.oracle, telemetryOracleAbi, "requestAttesterSlash", [lying, 0n, operator.address]);
    const [requested] = parseEventLogs({abi: telemetryOracleAbi, logs: slash.logs, eventName: "AttesterSlashRequested"});
    expect(requested?.args.operator).toBe(operator.address);
    expect(requested?.args.amount).toBeGreaterThan(0n);
    expect(parseEventLogs({abi: vetoSlasherAbi, logs: slash.logs, eventName: "SlashRequested"})).toHaveLength(1);

    // equivocation: node 1 signs a second report for the honest epoch; its operator's slash is requested, the node
    // excluded, and the honest root stands
    const twin = await signLeaf(nodes[1]!, domain, {...good[1]!.report, revenue: good[1]!.report.revenue + 1n});
    const eq = await write(admin, addr.oracle, telemetryOracleAbi, "reportEquivocation", [good[1]!.report, good[1]!.sig, twin.report, twin.sig]);
    const [equivocated] = parseEventLogs({abi: telemetryOracleAbi, logs: eq.logs, eventName: "NodeEquivocated"});
    expect(equivocated?.args.nodeId).toBe(ids[1]);
    expect(equivocated?.args.operator).toBe(operator.address);
    expect(equivocated?.args.requestId).toBeGreaterThan(0n);
    expect(await read<readonly [boolean, bigint]>(addr.oracle, telemetryOracleAbi, "exclusionOf", [ids[1]!])).toEqual([true, honest]);
    expect((await read<{root: Hex; status: number}>(addr.oracle, telemetryOracleAbi, "getEpochRoot", [honest])).status).toBe(1);

    // after the challenge window the honest root is final: revenue proven leaf by leaf with TS proofs, except the
    // excluded node's
    await warpTo((await now()) + 86_400n);
    const tree = buildEpochTree(good);
    for (const l of good) {
      if (l.report.nodeId === ids[1]) {
        await expect(pub.simulateContract({address: addr.oracle, abi: telemetryOracleAbi, functionName: "proveRevenue", args: [honest, l.report, l.sig, proofOf(tree, l.report.nodeId)], account: admin})).rejects.toThrow(/NodeExcluded/);
        continue;
      }
      await write(admin, addr.oracle, telemetryOracleAbi, "proveRevenue", [honest, l.report, l.sig, proofOf(tree, l.report.nodeId)]);
    }
    const credited = a.totalRevenue - good[1]!.report.revenue;
    expect(await read<bigint>(addr.oracle, telemetryOracleAbi, "dealRevenue", [DEAL, honest, lying])).toBe(credited);
    expect(await read<bigint>(addr.oracle, telemetryOracleAbi, "cumulativeDealRevenue", [DEAL])).toBe(credited);
  });
});
