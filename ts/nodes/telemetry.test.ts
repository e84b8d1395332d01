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
  leafHash,
  leafValue,
  proofOf,
  recoverTelemetrySigner,
  signTelemetry,
  telemetryDigest,
  telemetryDomain,
  type Telemetry,
} from "./telemetry.ts";

// Fixed test keys for three node inspectors (local only).
const NODE_KEYS: readonly Hex[] = [
  "0x1000000000000000000000000000000000000000000000000000000000000001",
  "0x1000000000000000000000000000000000000000000000000000000000000002",
  "0x1000000000000000000000000000000000000000000000000000000000000003",
];
const nodes: PrivateKeyAccount[] = NODE_KEYS.map((k) => privateKeyToAccount(k));
const nodeId = (i: number): Hex => `0x${(i + 1).toString(16).padStart(64, "0")}`;

function report(i: number, epoch: bigint, revenue: bigint): Telemetry {
  return {nodeId: nodeId(i), epoch, uptimeBps: 9_990, utilisationBps: 8_000 - i, gpusOnline: 8, powerW: 5_600 + i, revenue};
}
const reports = (epoch: bigint): Telemetry[] => [0, 1, 2].map((i) => report(i, epoch, parseUnits(String(100 * (i + 1)), 18)));

describe("epoch tree and signatures (off-chain)", () => {
  const oracle: Address = "0x00000000000000000000000000000000000000aa";

  it("builds OpenZeppelin standard leaves: tree leaf == double keccak of the ABI encoding", () => {
    const rs = reports(7n);
    const tree = buildEpochTree(rs);
    for (const r of rs) {
      expect(tree.leafHash(leafValue(r))).toBe(leafHash(r));
      expect(StandardMerkleTree.verify(tree.root, [...LEAF_TYPES], leafValue(r), proofOf(tree, r.nodeId))).toBe(true);
    }
    const a = attestation(rs);
    expect(a).toEqual({epoch: 7n, root: tree.root, nodeCount: 3n, totalRevenue: parseUnits("600", 18)});
  });

  it("refuses mixed epochs and duplicate nodes", () => {
    expect(() => buildEpochTree([report(0, 1n, 1n), report(1, 2n, 1n)])).toThrow(/epoch/);
    expect(() => buildEpochTree([report(0, 1n, 1n), report(0, 1n, 2n)])).toThrow(/two reports/);
    expect(() => buildEpochTree([])).toThrow(/at least one/);
    expect(() => proofOf(buildEpochTree(reports(1n)), nodeId(9))).toThrow(/not in the tree/);
  });

  it("signs with EIP-712: recovers on its domain, not on another chain's", async () => {
    const r = report(0, 7n, 1n);
    const domain = telemetryDomain(1, oracle);
    const sig = await signTelemetry(nodes[0]!, domain, r);
    expect(await recoverTelemetrySigner(domain, r, sig)).toBe(nodes[0]!.address);
    expect(await recoverTelemetrySigner(telemetryDomain(42_161, oracle), r, sig)).not.toBe(nodes[0]!.address);
  });
});

// The same tree, proofs and signatures verified by the deployed contracts on a local Anvil chain: views, then a full
// round (operator attests the TS root, revenue proven with TS proofs; a lying root rejected with a TS signature).
describe("epoch tree and signatures verify on-chain (Anvil)", () => {
  let anvil: Anvil;
  const [admin, operator] = [anvilAccount(0), anvilAccount(1)];
  let pub: ReturnType<typeof createPublicClient>;
  let test: ReturnType<typeof createTestClient>;
  let chainId: number;
  const addr = {} as Record<"gaib" | "reward" | "vault" | "slasher" | "registry" | "oracle", Address>;
  const EPOCH = 600n; // [s] the shortest allowed epoch
  const DEAL = 42n;

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
      await write(operator, addr.registry, nodeRegistryAbi, "registerNode", [nodeId(i), nodes[i]!.address, DEAL, 1, `0x${"48313030".padEnd(64, "0")}`, 8]);
    }
  }, 240_000);
  afterAll(async () => anvil?.stop());

  it("agrees with the oracle's views: leaf hash, EIP-712 digest, signer, proofs", async () => {
    const rs = reports(3n);
    const tree = buildEpochTree(rs);
    const domain = telemetryDomain(chainId, addr.oracle);
    for (const [i, r] of rs.entries()) {
      expect(await read<Hex>(addr.oracle, telemetryOracleAbi, "leafHash", [r])).toBe(leafHash(r));
      expect(await read<Hex>(addr.oracle, telemetryOracleAbi, "reportDigest", [r])).toBe(telemetryDigest(domain, r));
      const sig = await signTelemetry(nodes[i]!, domain, r);
      expect(await read<Address>(addr.oracle, telemetryOracleAbi, "recoverReportSigner", [r, sig])).toBe(nodes[i]!.address);
      expect(await read<boolean>(addr.oracle, telemetryOracleAbi, "verifyLeaf", [tree.root, r, proofOf(tree, r.nodeId)])).toBe(true);
    }
    // a signature for another chain id recovers someone else on this one
    const foreign = await signTelemetry(nodes[0]!, telemetryDomain(chainId + 1, addr.oracle), rs[0]!);
    expect(await read<Address>(addr.oracle, telemetryOracleAbi, "recoverReportSigner", [rs[0]!, foreign])).not.toBe(nodes[0]!.address);
  });

  it("accepts the TS root, proves revenue with TS proofs, rejects a lying root with a TS signature", async () => {
    const current = await read<bigint>(addr.vault, stakingVaultAbi, "currentEpoch");
    const honest = current + 1n; // its stake snapshot includes the opt-in
    const lying = honest + 1n;
    const start = await read<bigint>(addr.vault, stakingVaultAbi, "epochStart", [lying + 1n]);
    await warpTo(start + 1n);

    // honest epoch: attested from the TS tree, accepted (the operator holds all the stake)
    const good = reports(honest);
    const a = attestation(good);
    await write(operator, addr.oracle, telemetryOracleAbi, "attest", [a.epoch, a.root, a.nodeCount, a.totalRevenue]);
    const root = await read<{root: Hex; status: number}>(addr.oracle, telemetryOracleAbi, "getEpochRoot", [honest]);
    expect(root.root).toBe(a.root);
    expect(root.status).toBe(1);

    // lying epoch: node 2's revenue inflated in the tree; the node's own signed report rejects the root
    const truth = reports(lying);
    const lie = truth.map((r, i) => (i === 2 ? {...r, revenue: r.revenue * 10n} : r));
    const b = attestation(lie);
    await write(operator, addr.oracle, telemetryOracleAbi, "attest", [b.epoch, b.root, b.nodeCount, b.totalRevenue]);
    const sig = await signTelemetry(nodes[2]!, telemetryDomain(chainId, addr.oracle), truth[2]!);
    const receipt = await write(admin, addr.oracle, telemetryOracleAbi, "challenge", [
      lying,
      truth[2]!,
      sig,
      lie[2]!,
      proofOf(buildEpochTree(lie), nodeId(2)),
      [operator.address],
    ]);
    const [rejected] = parseEventLogs({abi: telemetryOracleAbi, logs: receipt.logs, eventName: "RootRejected"});
    expect(rejected?.args.epoch).toBe(lying);
    expect(rejected?.args.slashRequests).toBe(1n);
    expect((await read<{status: number}>(addr.oracle, telemetryOracleAbi, "getEpochRoot", [lying])).status).toBe(2);

    // after the challenge window the honest root is final: revenue proven leaf by leaf with TS proofs
    await warpTo((await now()) + 86_400n);
    const tree = buildEpochTree(good);
    for (const r of good) {
      await write(admin, addr.oracle, telemetryOracleAbi, "proveRevenue", [honest, r, proofOf(tree, r.nodeId)]);
    }
    expect(await read<bigint>(addr.oracle, telemetryOracleAbi, "dealRevenue", [DEAL, honest, lying])).toBe(a.totalRevenue);
    expect(await read<bigint>(addr.oracle, telemetryOracleAbi, "cumulativeDealRevenue", [DEAL])).toBe(a.totalRevenue);
  });
});
