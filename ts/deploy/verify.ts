// Deployment verifier: `npm run deploy:verify -- --network ethereum [--rpc <url>] [--peer-rpc <net>=<url>] [--deployer <address>]`.
// Reads the deployment records (deployments/<network>.json from 01_DeployCore, <network>-gaib.json from 03_DeployGaib),
// the chain config (script/config/<network>.json, GAIB_CONFIG_DIR overrides) and the chain, prints one table per
// contract (roles and holders replayed from RoleGranted/RoleRevoked logs, default admin, pending admin transfer, owner,
// endpoint delegate, peers, enforced options, AID rate limits, and per pathway the LayerZero send/receive libraries
// and executor/ULN configs), and exits 1 naming the contract and role (or pathway) on the first kind of violation:
// the deployer (or an address the config does not name for that role) holds anything after the handoff, an admin
// transfer, admin-delay change or timelocked parameter change is still pending, a fund/wiring address is the
// deployer, an OApp has a msgInspector or a live receive-library timeout (a second receive library, possibly planted
// by the deployer as delegate before the acceptance), a pathway's config differs from the chain config, or a pathway
// has fewer required DVNs than the config demands, or a pathway's peer OApp on the other chain (read through
// --peer-rpc / GAIB_RPC_<NETWORK>) has no code, does not peer back or is not handed off, or is not checked at all
// (no RPC for it; a warning with --allow-unchecked-peers). The Solidity twin is test/script/HandoffChecker.sol
// (one chain only: it has no peer check): keep both in agreement.
import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {Command, CommanderError} from "commander";
import {
  createPublicClient,
  getAddress,
  http,
  isAddressEqual,
  keccak256,
  pad,
  parseAbi,
  toBytes,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {aidAbi, create3FactoryAbi, iLayerZeroEndpointV2Abi} from "../abi/generated.ts";
import {loadAllChainConfigs, loadChainConfig, type ChainConfig} from "../lib/chainConfig.ts";
import {
  CONFIG_TYPE_EXECUTOR,
  CONFIG_TYPE_ULN,
  MSG_TYPE_SEND,
  decodeExecutorConfig,
  decodeUlnConfig,
  lzReceiveOption,
  type UlnConfig,
} from "../lib/layerzero.ts";
import {repoRoot} from "../lib/paths.ts";
import {deployerGrants, expectedRoles, kindsOf, replayRoles, roleName, type Kind, type Target, type Want} from "./verifyRoles.ts";

/** Reads every contract may or may not have (an implementation has no admin, the factory no owner, ...). */
const PROBE = parseAbi([
  "function owner() view returns (address)",
  "function pendingOwner() view returns (address)",
  "function defaultAdmin() view returns (address)",
  "function pendingDefaultAdmin() view returns (address newAdmin, uint48 schedule)",
  "function endpoint() view returns (address)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function delegates(address oapp) view returns (address)", // EndpointV2's public mapping (not on its interface)
  "function defaultAdminDelay() view returns (uint48)",
  "function pendingDefaultAdminDelay() view returns (uint48 newDelay, uint48 schedule)",
  "function msgInspector() view returns (address)", // OFTCore: a contract that may veto every send
  "function receiveLibraryTimeout(address oapp, uint32 eid) view returns (address lib, uint256 expiry)",
]);
/** Fund and wiring addresses the admin sets (reserve, slasher, vault, registry, deal factory): none may be the
 *  deployer after the handoff (it could have set them while still the admin; the acceptance does not undo them). */
const WIRING = [
  "yieldReceiver",
  "feeReceiver",
  "tbillVault",
  "minter",
  "slasher",
  "insuranceFund",
  "resolver",
  "dealFactory",
  "treasury",
  "protocolFeeReceiver",
  "revenueReporter",
] as const;
const WIRING_PROBE = (name: string) => parseAbi([`function ${name}() view returns (address)`] as unknown as readonly ["function x() view returns (address)"]);
/** Timelocked parameters (VetoSlasher, StakingVault): a change still pending takes effect on its own. */
const PENDING_PARAMS = ["pendingVetoWindow", "pendingInsuranceFund", "pendingResolver", "pendingMinSelfStake"] as const;
const PENDING_PROBE = (name: string) =>
  parseAbi([`function ${name}() view returns (uint256 value, uint256 effectiveAt)`] as unknown as readonly ["function x() view returns (uint256 value, uint256 effectiveAt)"]);
const IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"; // EIP-1967
const SAID_ADAPTER_SALT = keccak256(toBytes("gaib.sAIDAdapter.v1")); // CoreDeployer.SAID_ADAPTER_SALT
const GAIB_ADAPTER_SALT = keccak256(toBytes("gaib.GAIBAdapter.v1")); // GaibDeployer.ADAPTER_SALT

export interface VerifyOptions {
  network: string;
  rpc?: string | undefined;
  /** Records folder (relative to the repo or absolute); default `deployments`. */
  deploymentsDir?: string | undefined;
  /** The deploying key's address; default: the first DEFAULT_ADMIN_ROLE holder of AID (its constructor admin). */
  deployer?: Address | undefined;
  /** First block of the role-log replay; default: the block AID was created in (found by bisection). */
  fromBlock?: bigint | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** RPCs of the peer networks by config name (default env GAIB_RPC_<NETWORK>): each pathway's peer OApp is checked. */
  peerRpcs?: Record<string, string> | undefined;
  /** A peer network without an RPC is a printed warning instead of a violation. */
  allowUncheckedPeers?: boolean | undefined;
}

export interface VerifyResult {
  ok: boolean;
  violations: string[];
  output: string;
}

/** A finding, always naming the contract (and role or pathway). */
class Report {
  readonly lines: string[] = [];
  readonly violations: string[] = [];
  readonly warnings: string[] = [];
  fail(t: Target, what: string): void {
    this.violations.push(`${t.label} (${t.address}): ${what}`);
  }
  row(key: string, value: string, bad = false): void {
    this.lines.push(`  ${bad ? "!" : " "} ${key.padEnd(34)} ${value}`);
  }
}

export async function verifyDeployment(o: VerifyOptions, log: (l: string) => void = console.log): Promise<VerifyResult> {
  const env = o.env ?? process.env;
  const cfg = loadChainConfig(o.network, env);
  const all = loadAllChainConfigs(env);
  const rpc = o.rpc ?? env[`GAIB_RPC_${o.network.toUpperCase()}`] ?? env.GAIB_RPC;
  if (!rpc) throw new Error(`no RPC: pass --rpc or set GAIB_RPC_${o.network.toUpperCase()}`);
  const client = createPublicClient({transport: http(rpc)}) as PublicClient;
  const chainId = await client.getChainId();
  if (chainId !== cfg.chainId) throw new Error(`${o.network}: the RPC serves chain ${chainId}, the config says ${cfg.chainId}`);

  const dir = path.resolve(repoRoot, o.deploymentsDir ?? "deployments");
  const core = readRecord(path.join(dir, `${o.network}.json`));
  if (!core) throw new Error(`no deployment record ${path.join(dir, `${o.network}.json`)} (run npm run deploy first)`);
  const gaib = readRecord(path.join(dir, `${o.network}-gaib.json`));
  const targets = await collectTargets(client, cfg, core, gaib);
  const aid = targets.find((t) => t.kind === "aid")!;

  const fromBlock = o.fromBlock ?? (await creationBlock(client, aid.address));
  const replay = await replayRoles(client, targets, fromBlock);
  const deployer = o.deployer ? getAddress(o.deployer) : replay.firstAdmin(aid.address);
  if (!deployer) throw new Error(`cannot infer the deployer (no RoleGranted on AID since block ${fromBlock}): pass --deployer`);
  const production = cfg.finalAdmin !== zeroAddress;
  const admin = production ? cfg.finalAdmin : deployer;

  const r = new Report();
  const header = [
    `deploy:verify ${o.network} (chain ${chainId}, eid ${cfg.eid}) via ${rpc}`,
    `  config ${path.relative(repoRoot, cfg.file)}; records ${path.relative(repoRoot, dir)}; role logs from block ${fromBlock}`,
    `  deployer ${deployer}${o.deployer ? "" : " (AID's constructor admin)"}; final admin ${admin}${production ? "" : " (development config: no handoff, the deployer stays admin)"}`,
  ];
  if (!gaib) header.push(`  no ${o.network}-gaib.json: the GAIB stack (03_DeployGaib) is not deployed or not recorded, not checked`);
  if (production && !cfg.layerzero) r.violations.push(`config ${path.basename(cfg.file)}: a production config has no layerzero section`);
  if (cfg.layerzero && (cfg.layerzero.minRequiredDVNs < 2 || cfg.layerzero.requiredDVNs.length < cfg.layerzero.minRequiredDVNs)) {
    r.violations.push(
      `config ${path.basename(cfg.file)}: layerzero.requiredDVNs has ${cfg.layerzero.requiredDVNs.length}, minRequiredDVNs is ${cfg.layerzero.minRequiredDVNs} (at least 2 required)`,
    );
  }
  const roleOf = (name: string): Address | undefined => cfg.roles[name] ?? (production ? undefined : deployer);
  const administered = new Set<Address>();
  for (const t of targets) {
    const a = await probe(client, t.address, "defaultAdmin");
    if (a !== undefined && !isAddressEqual(a, zeroAddress)) administered.add(t.address);
  }
  const want = expectedRoles(targets, admin, roleOf, administered);

  const peerRpc = (name: string): string | undefined => o.peerRpcs?.[name] ?? env[`GAIB_RPC_${name.toUpperCase()}`];
  const ctx: Ctx = {client, cfg, all, deployer, admin, production, r, targets, peerRpc, allowUncheckedPeers: o.allowUncheckedPeers ?? false, peerClients: new Map()};
  for (const t of targets) {
    r.lines.push("", `${t.label}  ${t.address}`);
    const before = r.lines.length;
    await contractTable(ctx, t, replay.holders(t.address), want.get(t.address) ?? []);
    if (t.oapp) await oappTable(ctx, t);
    if (r.lines.length === before) r.row("(no roles, owner, admin or delegate)", "");
  }
  await unrecorded(ctx, fromBlock);
  const output = [...header, ...r.lines, ""];
  output.push(r.violations.length === 0 ? "OK: the deployer holds nothing; every role, admin, delegate and pathway matches the config" : `FAILED: ${r.violations.length} violation(s)`);
  for (const v of r.violations) output.push(`  FAIL ${v}`);
  for (const w of r.warnings) output.push(`  WARNING ${w}`);
  const text = output.join("\n");
  log(text);
  return {ok: r.violations.length === 0, violations: r.violations, output: text};
}

interface Ctx {
  client: PublicClient;
  cfg: ChainConfig;
  all: Map<number, ChainConfig>;
  deployer: Address;
  admin: Address;
  production: boolean;
  r: Report;
  targets: Target[];
  peerRpc: (network: string) => string | undefined;
  allowUncheckedPeers: boolean;
  peerClients: Map<string, PublicClient>;
}

/** Contracts the records do not name on which the deployer was granted a role or ownership: it must hold none now. */
async function unrecorded(ctx: Ctx, fromBlock: bigint): Promise<void> {
  if (!ctx.production) return;
  const seen = new Set<string>();
  for (const g of await deployerGrants(ctx.client, ctx.deployer, fromBlock)) {
    if (ctx.targets.some((t) => isAddressEqual(t.address, g.contract))) continue;
    const key = `${g.contract}/${g.role ?? "owner"}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t: Target = {kind: "factory", label: "unrecorded contract", address: g.contract, oapp: false};
    if (g.role !== undefined) {
      const holds = await ctx.client
        .readContract({address: g.contract, abi: PROBE, functionName: "hasRole", args: [g.role, ctx.deployer]})
        .catch(() => false);
      if (holds) ctx.r.fail(t, `${roleName(g.role)} still held by the deployer ${ctx.deployer} (not in the deployment records)`);
    } else {
      const owner = await probe(ctx.client, g.contract, "owner");
      if (owner !== undefined && isAddressEqual(owner, ctx.deployer)) {
        ctx.r.fail(t, `owner() is the deployer ${ctx.deployer} (not in the deployment records)`);
      }
    }
  }
}

export function readRecord(file: string): Record<string, string> | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : undefined;
}

/** Every contract of the records (zero entries skipped), plus sAID's implementation behind its proxy at home. */
export async function collectTargets(
  client: PublicClient,
  cfg: ChainConfig,
  core: Record<string, string>,
  gaib: Record<string, string> | undefined,
): Promise<Target[]> {
  const out: Target[] = [];
  const add = (record: Record<string, string> | undefined, key: string, kind: Kind) => {
    const a = record?.[key];
    if (!a || isAddressEqual(a as Address, zeroAddress) || out.some((t) => isAddressEqual(t.address, a as Address))) return;
    out.push({...kindsOf(kind, cfg.home), address: getAddress(a)});
  };
  add(core, "aid", "aid");
  add(core, "minter", "minter");
  add(core, "reserve", "reserve");
  add(core, "sAID", "sAID");
  add(core, "sAIDAdapter", "sAIDAdapter");
  add(core, "timelock", "timelock");
  add(core, "factory", "factory");
  if (cfg.home && core.sAID) {
    const slot = await client.getStorageAt({address: getAddress(core.sAID), slot: IMPLEMENTATION_SLOT});
    if (slot && BigInt(slot) !== 0n) add({impl: getAddress(`0x${slot.slice(-40)}`)}, "impl", "sAIDImplementation");
  }
  const gaibKeys: [string, Kind][] = [
    ["gaib", "gaib"],
    ["adapter", "gaibAdapter"],
    ["stakingVault", "stakingVault"],
    ["vetoSlasher", "vetoSlasher"],
    ["nodeRegistry", "nodeRegistry"],
    ["telemetryOracle", "telemetryOracle"],
    ["dealFactory", "dealFactory"],
    ["dealImplementation", "dealImplementation"],
    ["trancheImplementation", "trancheImplementation"],
    ["revenueReporter", "revenueReporter"],
    ["revenueAdapter", "revenueAdapter"],
  ];
  for (const [key, kind] of gaibKeys) add(gaib, key, kind);
  for (const t of out) {
    if ((await client.getCode({address: t.address})) === undefined) throw new Error(`${t.label} ${t.address}: no code on chain ${cfg.chainId}`);
  }
  return out;
}

/** The block a contract was created in (bisection over getCode: needs an archive RPC; 0 if the RPC cannot). */
async function creationBlock(client: PublicClient, address: Address): Promise<bigint> {
  let hi = await client.getBlockNumber();
  let lo = 0n;
  try {
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      if ((await client.getCode({address, blockNumber: mid})) === undefined) lo = mid + 1n;
      else hi = mid;
    }
    return lo;
  } catch {
    return 0n;
  }
}

async function probe(
  client: PublicClient,
  address: Address,
  functionName: "owner" | "pendingOwner" | "defaultAdmin" | "endpoint",
): Promise<Address | undefined> {
  try {
    return await client.readContract({address, abi: PROBE, functionName});
  } catch {
    return undefined;
  }
}

function who(ctx: Ctx, a: Address): string {
  if (isAddressEqual(a, zeroAddress)) return "none";
  const names: string[] = [];
  if (isAddressEqual(a, ctx.deployer)) names.push("DEPLOYER");
  if (isAddressEqual(a, ctx.admin)) names.push(ctx.production ? "finalAdmin" : "admin");
  for (const [k, v] of Object.entries(ctx.cfg.roles)) if (isAddressEqual(a, v)) names.push(`roles.${k}`);
  const t = ctx.targets.find((x) => isAddressEqual(x.address, a));
  if (t) names.push(t.label);
  return names.length ? `${a} (${names.join(", ")})` : a;
}

/** Roles (replayed, checked against the chain and the config), admin, pending admin, owner, endpoint delegate. */
async function contractTable(ctx: Ctx, t: Target, held: Map<Hex, Address[]>, want: Want[]): Promise<void> {
  const {client, r} = ctx;
  const roles = new Set<Hex>([...held.keys(), ...want.map((w) => w.role)]);
  for (const role of [...roles].sort()) {
    const name = roleName(role);
    const holders = held.get(role) ?? [];
    const wanted = want.filter((w) => w.role === role);
    for (const h of holders) {
      const onChain = await client.readContract({address: t.address, abi: PROBE, functionName: "hasRole", args: [role, h]});
      const named = wanted.find((w) => isAddressEqual(w.holder, h));
      const deployerHolds = ctx.production && isAddressEqual(h, ctx.deployer);
      r.row(name, named && !deployerHolds ? `${h} (${named.why})` : who(ctx, h), deployerHolds || !named || !onChain);
      if (deployerHolds) r.fail(t, `${name} still held by the deployer ${h}`);
      else if (!named) r.fail(t, `${name} held by ${h}, which the config does not name for it${wanted.length ? ` (it names ${wanted.map((w) => `${w.why} ${w.holder}`).join(", ")})` : ""}`);
      if (!onChain) r.fail(t, `${name}: the role logs say ${h} holds it, hasRole says no`);
    }
    for (const w of wanted) {
      if (holders.some((h) => isAddressEqual(h, w.holder))) continue;
      r.row(name, `MISSING ${w.why} ${w.holder}`, true);
      r.fail(t, `${name} not held by ${w.why} ${w.holder}`);
    }
  }
  const owner = await probe(client, t.address, "owner");
  if (owner !== undefined) {
    const bad = !isAddressEqual(owner, ctx.admin) && !isAddressEqual(owner, zeroAddress);
    r.row("owner()", who(ctx, owner), bad);
    if (bad) r.fail(t, `owner() is ${owner}, not the final admin ${ctx.admin}`);
  }
  const pendingOwner = await probe(client, t.address, "pendingOwner");
  if (pendingOwner !== undefined && !isAddressEqual(pendingOwner, zeroAddress)) {
    r.row("pendingOwner()", who(ctx, pendingOwner), true);
    r.fail(t, `ownership transfer to ${pendingOwner} pending`);
  }
  const defaultAdmin = await probe(client, t.address, "defaultAdmin");
  if (defaultAdmin !== undefined) {
    const bad = !isAddressEqual(defaultAdmin, ctx.admin) && !isAddressEqual(defaultAdmin, zeroAddress);
    r.row("defaultAdmin()", isAddressEqual(defaultAdmin, zeroAddress) ? "none (implementation behind a proxy)" : who(ctx, defaultAdmin), bad);
    if (bad) r.fail(t, `DEFAULT_ADMIN_ROLE admin is ${defaultAdmin}, not the final admin ${ctx.admin} (handoff not accepted?)`);
    const [pending, schedule] = await client
      .readContract({address: t.address, abi: PROBE, functionName: "pendingDefaultAdmin"})
      .catch(() => [zeroAddress, 0] as const);
    const bad2 = !isAddressEqual(pending, zeroAddress);
    r.row("pendingDefaultAdmin()", bad2 ? `${who(ctx, pending)} from ${new Date(schedule * 1000).toISOString()}` : "none", bad2);
    if (bad2) r.fail(t, `DEFAULT_ADMIN_ROLE transfer to ${pending} pending (not accepted)`);
    // a delay change scheduled by the previous admin (e.g. the deployer before the acceptance) survives the
    // acceptance and takes effect on its own: a huge delay locks the final admin out of ever moving the admin role
    const delay = await client.readContract({address: t.address, abi: PROBE, functionName: "defaultAdminDelay"}).catch(() => undefined);
    const [newDelay, delaySchedule] = await client
      .readContract({address: t.address, abi: PROBE, functionName: "pendingDefaultAdminDelay"})
      .catch(() => [0, 0] as const);
    const bad3 = delaySchedule !== 0;
    r.row("defaultAdminDelay()", `${delay ?? "unreadable"} s${bad3 ? `, change to ${newDelay} s pending from ${new Date(delaySchedule * 1000).toISOString()}` : ""}`, bad3);
    if (bad3) r.fail(t, `DEFAULT_ADMIN_ROLE delay change to ${newDelay} s pending (scheduled before the acceptance? roll it back)`);
  }
  await wiringRows(ctx, t);
  const delegate = await client.readContract({address: ctx.cfg.endpoint, abi: PROBE, functionName: "delegates", args: [t.address]}).catch(() => undefined);
  const endpoint = await probe(client, t.address, "endpoint");
  const isOApp = endpoint !== undefined && isAddressEqual(endpoint, ctx.cfg.endpoint);
  if (delegate !== undefined && (isOApp || !isAddressEqual(delegate, zeroAddress))) {
    const bad = (ctx.production && isAddressEqual(delegate, ctx.deployer)) || (isOApp && !isAddressEqual(delegate, ctx.admin));
    r.row("endpoint.delegates()", who(ctx, delegate), bad);
    if (bad) r.fail(t, `endpoint delegate is ${delegate}, not the final admin ${ctx.admin} (OApp not handed off)`);
  }
  if (t.oapp && !isOApp) {
    r.row("endpoint()", endpoint ?? "unreadable", true);
    r.fail(t, `endpoint() is ${endpoint ?? "unreadable"}, the config names ${ctx.cfg.endpoint}`);
  }
}

/** Fund/wiring addresses that are the deployer, and timelocked parameter changes still pending (the Solidity twin:
 *  HandoffChecker._checkWiring). */
async function wiringRows(ctx: Ctx, t: Target): Promise<void> {
  const {client, r} = ctx;
  const target = (k: Kind): [Address, string] | undefined => {
    const x = ctx.targets.find((y) => y.kind === k);
    return x ? [x.address, x.label] : undefined;
  };
  const role = (name: string): [Address, string] | undefined => {
    const a = ctx.cfg.roles[name] ?? (ctx.production ? undefined : ctx.deployer);
    return a ? [a, `roles.${name}`] : undefined;
  };
  // what the scripts wire (only where the record or config names it)
  const want: Partial<Record<(typeof WIRING)[number], [Address, string] | undefined>> =
    t.kind === "reserve"
      ? {minter: target("minter"), yieldReceiver: target("sAID")}
      : t.kind === "stakingVault"
        ? {slasher: target("vetoSlasher")}
        : t.kind === "vetoSlasher"
          ? {insuranceFund: role("insuranceFund"), resolver: role("resolver")}
          : t.kind === "nodeRegistry"
            ? {dealFactory: target("dealFactory")}
            : t.kind === "dealFactory"
              ? {treasury: role("treasury"), protocolFeeReceiver: role("protocolFeeReceiver"), revenueReporter: target("revenueReporter")}
              : {};
  for (const g of WIRING) {
    const a = await client.readContract({address: t.address, abi: WIRING_PROBE(g), functionName: g as "x"}).catch(() => undefined);
    if (a === undefined) continue;
    const w = want[g];
    const isDeployer = ctx.production && isAddressEqual(a, ctx.deployer);
    const wrong = w !== undefined && !isAddressEqual(a, w[0]);
    r.row(`${g}()`, who(ctx, a), isDeployer || wrong);
    if (isDeployer) r.fail(t, `${g}() is the deployer ${a}`);
    else if (wrong) r.fail(t, `${g}() is ${a}, the deployment names ${w[1]} ${w[0]}`);
  }
  for (const g of PENDING_PARAMS) {
    const res = await client.readContract({address: t.address, abi: PENDING_PROBE(g), functionName: g as "x"}).catch(() => undefined);
    if (res === undefined) continue;
    const [raw, at] = res;
    // the address-valued parameters (insurance fund, resolver) print as addresses
    const value = g === "pendingInsuranceFund" || g === "pendingResolver" ? getAddress(pad(toHex(raw), {size: 20})) : String(raw);
    const bad = at !== 0n;
    r.row(`${g}()`, bad ? `${value} from ${new Date(Number(at) * 1000).toISOString()}` : "none", bad);
    if (bad) r.fail(t, `${g}(): change to ${value} pending (scheduled before the acceptance? reschedule it)`);
  }
}

/** The peer address the scripts set on `t` for `eid` (02_WireOFT for AID and sAID, 03_DeployGaib for GAIB). */
async function expectedPeer(ctx: Ctx, t: Target, eid: number): Promise<Address> {
  const home = [...ctx.all.values()].find((c) => c.home);
  const predict = (salt: Hex) =>
    ctx.client.readContract({
      address: ctx.targets.find((x) => x.kind === "factory")!.address,
      abi: create3FactoryAbi,
      functionName: "predict",
      args: [ctx.deployer, salt],
    });
  switch (t.kind) {
    case "aid":
      return t.address;
    case "sAIDAdapter":
      return ctx.targets.find((x) => x.kind === "sAID")!.address;
    case "sAID": // remote StakedAIDOFT
      return home && eid === home.eid ? await predict(SAID_ADAPTER_SALT) : t.address;
    case "gaibAdapter":
      return ctx.targets.find((x) => x.kind === "gaib")!.address;
    default: // remote GAIBOFT
      return home && eid === home.eid ? await predict(GAIB_ADAPTER_SALT) : t.address;
  }
}

/** Peers, enforced options, rate limits and the LayerZero pathway config of one OApp. */
async function oappTable(ctx: Ctx, t: Target): Promise<void> {
  const {client, cfg, r} = ctx;
  const inspector = await client.readContract({address: t.address, abi: PROBE, functionName: "msgInspector"}).catch(() => undefined);
  if (inspector !== undefined) {
    const bad = !isAddressEqual(inspector, zeroAddress);
    r.row("msgInspector()", bad ? who(ctx, inspector) : "none", bad);
    if (bad) r.fail(t, `msgInspector is ${inspector} (the scripts set none: it can veto every send)`);
  }
  for (const eid of cfg.peers) {
    const peerCfg = ctx.all.get(eid);
    const pathway = `pathway ${cfg.name}(${cfg.eid}) <-> ${peerCfg?.name ?? "?"}(${eid})`;
    r.lines.push(`    ${pathway}`);
    const peer = await client.readContract({address: t.address, abi: aidAbi, functionName: "peers", args: [eid]});
    const wantPeer = pad(await expectedPeer(ctx, t, eid), {size: 32}).toLowerCase() as Hex;
    const badPeer = peer.toLowerCase() !== wantPeer;
    r.row("peer", peer, badPeer);
    if (badPeer) r.fail(t, `${pathway}: peer is ${peer}, want ${wantPeer}`);
    await peerSide(ctx, t, getAddress(`0x${peer.slice(-40)}`), pathway, peerCfg);
    if (t.kind === "aid" || t.kind === "sAID" || t.kind === "sAIDAdapter") {
      const opts = await client.readContract({address: t.address, abi: aidAbi, functionName: "enforcedOptions", args: [eid, MSG_TYPE_SEND]});
      const wantOpts = lzReceiveOption(cfg.lzReceiveGas);
      const bad = opts.toLowerCase() !== wantOpts.toLowerCase();
      r.row("enforcedOptions(SEND)", opts === "0x" ? "none" : opts, bad);
      if (bad) r.fail(t, `${pathway}: enforced SEND options ${opts}, want ${wantOpts} (lzReceive gas ${cfg.lzReceiveGas})`);
    }
    if (t.kind === "aid") {
      for (const outbound of [true, false]) {
        const [limit, window] = await client.readContract({address: t.address, abi: aidAbi, functionName: "rateLimit", args: [eid, outbound]});
        const bad = limit !== cfg.limit || window !== cfg.window;
        r.row(`rateLimit ${outbound ? "outbound" : "inbound"}`, `${limit} per ${window} s`, bad);
        if (bad) r.fail(t, `${pathway}: ${outbound ? "outbound" : "inbound"} rate limit ${limit}/${window}s, want ${cfg.limit}/${cfg.window}s`);
      }
    }
    await pathwayConfig(ctx, t, eid, pathway, peerCfg);
  }
}

/** The peer chain's side of a pathway: the peer is the deployer's CREATE3 address there, so until that chain is deployed
 *  and handed off the deployer key can put its own contract at it and mint/unlock here through the peering. */
async function peerSide(ctx: Ctx, t: Target, peer: Address, pathway: string, peerCfg: ChainConfig | undefined): Promise<void> {
  const {r} = ctx;
  if (!peerCfg) return; // no config for the eid: the config loader rejects it already
  const url = ctx.peerRpc(peerCfg.name);
  if (!url) {
    const what = `${pathway}: peer on ${peerCfg.name} not checked (pass --peer-rpc ${peerCfg.name}=<url> or set GAIB_RPC_${peerCfg.name.toUpperCase()})`;
    r.row(`peer on ${peerCfg.name}`, "not checked (no RPC)", !ctx.allowUncheckedPeers);
    if (ctx.allowUncheckedPeers) r.warnings.push(`${t.label} (${t.address}): ${what}`);
    else r.fail(t, what);
    return;
  }
  let client = ctx.peerClients.get(peerCfg.name);
  if (!client) {
    client = createPublicClient({transport: http(url)}) as PublicClient;
    const chainId = await client.getChainId();
    if (chainId !== peerCfg.chainId) throw new Error(`${peerCfg.name}: the peer RPC serves chain ${chainId}, the config says ${peerCfg.chainId}`);
    ctx.peerClients.set(peerCfg.name, client);
  }
  if ((await client.getCode({address: peer})) === undefined) {
    r.row(`peer on ${peerCfg.name}`, `${peer}: no code`, true);
    r.fail(t, `${pathway}: peer on ${peerCfg.name} has no code at ${peer} (deploy and hand off every peered chain)`);
    return;
  }
  const back = await client.readContract({address: peer, abi: aidAbi, functionName: "peers", args: [ctx.cfg.eid]}).catch(() => undefined);
  const peersBack = back !== undefined && back.toLowerCase() === pad(t.address, {size: 32}).toLowerCase();
  // its admin/owner/delegate as the local checks read them, against the peer chain's final admin
  const admin = peerCfg.finalAdmin !== zeroAddress ? peerCfg.finalAdmin : ctx.deployer;
  const holders = [
    await probe(client, peer, "defaultAdmin"),
    await probe(client, peer, "owner"),
    await client.readContract({address: peerCfg.endpoint, abi: PROBE, functionName: "delegates", args: [peer]}).catch(() => undefined),
  ].filter((a): a is Address => a !== undefined);
  const pendingAdmin = await client.readContract({address: peer, abi: PROBE, functionName: "pendingDefaultAdmin"}).catch(() => [zeroAddress, 0] as const);
  const pendingOwner = (await probe(client, peer, "pendingOwner")) ?? zeroAddress;
  const handedOff =
    holders.length > 0 && holders.every((a) => isAddressEqual(a, admin)) && isAddressEqual(pendingAdmin[0], zeroAddress) && isAddressEqual(pendingOwner, zeroAddress);
  r.row(`peer on ${peerCfg.name}`, `${peersBack ? "peers back" : "DOES NOT PEER BACK"}, ${handedOff ? "handed off" : "NOT HANDED OFF"}`, !peersBack || !handedOff);
  if (!handedOff) r.fail(t, `${pathway}: peer on ${peerCfg.name} (${peer}) is not handed off (admin/owner/delegate ${holders.join("/")}, want ${admin} with no pending transfer)`);
  if (!peersBack) r.fail(t, `${pathway}: peer on ${peerCfg.name} (${peer}) does not peer back (peers(${ctx.cfg.eid}) is ${back ?? "unreadable"})`);
}

async function pathwayConfig(ctx: Ctx, t: Target, eid: number, pathway: string, peerCfg: ChainConfig | undefined): Promise<void> {
  const {client, cfg, r} = ctx;
  const lz = cfg.layerzero;
  const ep = {address: cfg.endpoint, abi: iLayerZeroEndpointV2Abi} as const;
  const sendLib = await client.readContract({...ep, functionName: "getSendLibrary", args: [t.address, eid]}).catch(() => undefined);
  const sendDefault = await client.readContract({...ep, functionName: "isDefaultSendLibrary", args: [t.address, eid]}).catch(() => true);
  const [receiveLib, receiveDefault] = await client
    .readContract({...ep, functionName: "getReceiveLibrary", args: [t.address, eid]})
    .catch(() => [undefined, true] as const);
  const libRow = (what: string, lib: Address | undefined, isDefault: boolean, want: Address | undefined) => {
    const bad = lz !== undefined && (lib === undefined || isDefault || !isAddressEqual(lib, want!));
    r.row(what, `${lib ?? "unreadable"}${isDefault ? " (endpoint default)" : ""}`, bad);
    if (bad) r.fail(t, `${pathway}: ${what} is ${lib ?? "unreadable"}${isDefault ? " (the endpoint default, not set for the OApp)" : ""}, the config names ${want}`);
  };
  libRow("send library", sendLib, sendDefault, lz?.sendLib);
  libRow("receive library", receiveLib, receiveDefault, lz?.receiveLib);
  // a receive-library timeout keeps a second library valid for this pathway until `expiry` (any block), whoever the
  // delegate is later: one set before the acceptance (with that library's DVN config) outlives the handoff
  const [timeoutLib, expiry] = await client
    .readContract({address: cfg.endpoint, abi: PROBE, functionName: "receiveLibraryTimeout", args: [t.address, eid]})
    .catch(() => [zeroAddress, 0n] as const);
  const live = !isAddressEqual(timeoutLib, zeroAddress) && expiry > (await client.getBlockNumber());
  r.row("receive library timeout", live ? `${timeoutLib} valid until block ${expiry}` : "none", live);
  if (live) r.fail(t, `${pathway}: receive library ${timeoutLib} stays valid until block ${expiry} (receiveLibraryTimeout; clear it with expiry 0)`);
  if (sendLib) {
    const exec = await client
      .readContract({...ep, functionName: "getConfig", args: [t.address, sendLib, eid, CONFIG_TYPE_EXECUTOR]})
      .then(decodeExecutorConfig)
      .catch(() => undefined);
    const bad = lz !== undefined && (!exec || exec.maxMessageSize !== lz.maxMessageSize || !isAddressEqual(exec.executor, lz.executor));
    r.row("send executor config", exec ? `executor ${exec.executor}, maxMessageSize ${exec.maxMessageSize}` : "unreadable", bad);
    if (bad) r.fail(t, `${pathway}: executor config ${exec ? `${exec.executor}/${exec.maxMessageSize}` : "unreadable"}, the config names ${lz.executor}/${lz.maxMessageSize}`);
    await ulnRow(ctx, t, `${pathway} send ULN`, sendLib, eid, lz?.confirmations);
  }
  if (receiveLib) await ulnRow(ctx, t, `${pathway} receive ULN`, receiveLib, eid, peerCfg?.layerzero?.confirmations);
}

/** One ULN config against this chain's DVN policy; `confirmations` is the SOURCE chain's (send: ours, receive: peer's). */
async function ulnRow(ctx: Ctx, t: Target, what: string, lib: Address, eid: number, confirmations: bigint | undefined): Promise<void> {
  const {client, cfg, r} = ctx;
  const lz = cfg.layerzero;
  let uln: UlnConfig | undefined;
  try {
    const raw = await client.readContract({address: cfg.endpoint, abi: iLayerZeroEndpointV2Abi, functionName: "getConfig", args: [t.address, lib, eid, CONFIG_TYPE_ULN]});
    uln = decodeUlnConfig(raw);
  } catch {
    uln = undefined;
  }
  const label = what.slice(what.lastIndexOf(" ", what.length - 5) + 1);
  if (!uln) {
    r.row(label, "unreadable", lz !== undefined);
    if (lz) r.fail(t, `${what}: config unreadable`);
    return;
  }
  const list = (a: readonly Address[]) => `[${a.join(", ")}]`;
  const text = `confirmations ${uln.confirmations}, required ${list(uln.requiredDVNs)}, optional ${list(uln.optionalDVNs)} threshold ${uln.optionalDVNThreshold}`;
  if (!lz) {
    r.row(label, text);
    return;
  }
  const sameList = (a: readonly Address[], b: readonly Address[]) => a.length === b.length && a.every((x, i) => isAddressEqual(x, b[i]!));
  const problems: string[] = [];
  if (uln.requiredDVNs.length < lz.minRequiredDVNs) problems.push(`only ${uln.requiredDVNs.length} required DVN(s), the config demands at least ${lz.minRequiredDVNs}`);
  if (!sameList(uln.requiredDVNs, lz.requiredDVNs)) problems.push(`required DVNs ${list(uln.requiredDVNs)} differ from the config's ${list(lz.requiredDVNs)}`);
  if (!sameList(uln.optionalDVNs, lz.optionalDVNs) || uln.optionalDVNThreshold !== lz.optionalDVNThreshold) {
    problems.push(`optional DVNs ${list(uln.optionalDVNs)}/${uln.optionalDVNThreshold} differ from the config's ${list(lz.optionalDVNs)}/${lz.optionalDVNThreshold}`);
  }
  if (confirmations === undefined) problems.push(`no layerzero config for the source chain of this pathway`);
  else if (uln.confirmations !== confirmations) problems.push(`confirmations ${uln.confirmations}, the config says ${confirmations}`);
  r.row(label, text, problems.length > 0);
  for (const p of problems) r.fail(t, `${what}: ${p}`);
}

function main(argv: readonly string[]): Promise<void> {
  const program = new Command("deploy:verify")
    .description("check a deployment against its chain config after the handoff (exit 0: clean, 1: violations, 2: could not check)")
    .exitOverride()
    .requiredOption("--network <name>", "chain config in script/config (GAIB_CONFIG_DIR overrides the folder)")
    .option("--rpc <url>", "RPC (default env GAIB_RPC_<NETWORK> or GAIB_RPC)")
    .option("--deployments <dir>", "deployment records folder", "deployments")
    .option("--deployer <address>", "the deploying key's address (default: AID's constructor admin, from the logs)")
    .option("--from-block <n>", "first block of the role-log replay (default: AID's creation block)")
    .option("--peer-rpc <network=url>", "RPC of a peer network (repeatable; default env GAIB_RPC_<NETWORK>)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--allow-unchecked-peers", "a peer network without an RPC is a warning, not a violation")
    .action(async (opts: {network: string; rpc?: string; deployments: string; deployer?: string; fromBlock?: string; peerRpc: string[]; allowUncheckedPeers?: boolean}) => {
      const peerRpcs: Record<string, string> = {};
      for (const p of opts.peerRpc) {
        const i = p.indexOf("=");
        if (i <= 0) throw new Error(`--peer-rpc ${p}: expected <network>=<url>`);
        peerRpcs[p.slice(0, i)] = p.slice(i + 1);
      }
      const res = await verifyDeployment({
        network: opts.network,
        rpc: opts.rpc,
        deploymentsDir: opts.deployments,
        deployer: opts.deployer as Address | undefined,
        fromBlock: opts.fromBlock === undefined ? undefined : BigInt(opts.fromBlock),
        peerRpcs,
        allowUncheckedPeers: opts.allowUncheckedPeers,
      });
      if (!res.ok) process.exitCode = 1;
    });
  return program.parseAsync([...argv], {from: "user"}).then(() => undefined);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2); // --help, or a usage error (printed)
    const msg = e instanceof Error ? ((e as {shortMessage?: string}).shortMessage ?? e.message) : String(e);
    console.error(`deploy:verify: ${msg}`);
    process.exit(2);
  });
}
