// The role half of the deployment verifier (ts/deploy/verify.ts): which contract the records name is what, which
// (contract, role, holder) the chain config names after the handoff (the port of `_expectAll` in
// test/script/Handoff.t.sol), role ids to names, and the replay of RoleGranted / RoleRevoked logs.
import {getAddress, isAddressEqual, keccak256, toBytes, zeroHash, type Address, type Hex, type PublicClient} from "viem";
import * as generated from "../abi/generated.ts";
import {aidAbi} from "../abi/generated.ts";

export type Kind =
  | "aid"
  | "minter"
  | "reserve"
  | "sAID"
  | "sAIDAdapter"
  | "timelock"
  | "factory"
  | "sAIDImplementation"
  | "gaib"
  | "gaibAdapter"
  | "stakingVault"
  | "vetoSlasher"
  | "nodeRegistry"
  | "telemetryOracle"
  | "dealFactory"
  | "dealImplementation"
  | "trancheImplementation"
  | "revenueReporter"
  | "revenueAdapter";

export interface Target {
  kind: Kind;
  label: string;
  address: Address;
  /** A LayerZero OApp with peers (AID; sAID's adapter at home, StakedAIDOFT elsewhere; GAIB's likewise). */
  oapp: boolean;
}

const LABELS: Record<Kind, string> = {
  aid: "AID",
  minter: "AIDMinter",
  reserve: "AIDReserve",
  sAID: "StakedAID",
  sAIDAdapter: "StakedAIDOFTAdapter",
  timelock: "TimelockController (upgrades)",
  factory: "Create3Factory",
  sAIDImplementation: "StakedAID implementation",
  gaib: "GAIB",
  gaibAdapter: "GAIBAdapter",
  stakingVault: "StakingVault",
  vetoSlasher: "VetoSlasher",
  nodeRegistry: "NodeRegistry",
  telemetryOracle: "TelemetryOracle",
  dealFactory: "DealFactory",
  dealImplementation: "GpuDeal implementation",
  trancheImplementation: "TrancheToken implementation",
  revenueReporter: "RevenueReporter",
  revenueAdapter: "OracleRevenueAdapter",
};

/** Label and OApp-ness of a record entry (sAID and GAIB are OApps only off the home chain, where they are OFTs). */
export function kindsOf(kind: Kind, home: boolean): Omit<Target, "address"> {
  if (kind === "sAID" && !home) return {kind, label: "StakedAIDOFT", oapp: true};
  if (kind === "gaib" && !home) return {kind, label: "GAIBOFT", oapp: true};
  return {kind, label: LABELS[kind], oapp: kind === "aid" || kind === "sAIDAdapter" || kind === "gaibAdapter"};
}

/** Role id -> name, from every `*_ROLE()` constant in the generated ABIs (OpenZeppelin ids: keccak256 of the name). */
const ROLE_NAMES: Map<Hex, string> = (() => {
  const m = new Map<Hex, string>([[zeroHash, "DEFAULT_ADMIN_ROLE"]]);
  for (const [k, v] of Object.entries(generated)) {
    if (!k.endsWith("Abi") || !Array.isArray(v)) continue;
    for (const item of v as readonly {type?: string; name?: string; inputs?: readonly unknown[]}[]) {
      if (item.type !== "function" || !item.name?.endsWith("_ROLE") || item.inputs?.length) continue;
      if (item.name !== "DEFAULT_ADMIN_ROLE") m.set(keccak256(toBytes(item.name)), item.name);
    }
  }
  return m;
})();

export function roleName(role: Hex): string {
  return ROLE_NAMES.get(role.toLowerCase() as Hex) ?? role;
}

export function roleId(name: string): Hex {
  return name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(toBytes(name));
}

export interface Want {
  role: Hex;
  holder: Address;
  /** Where the config names it: `finalAdmin`, `roles.gatekeeper`, `AIDMinter` (a deployed contract), ... */
  why: string;
}

/** Every (contract, role, holder) the config names after the handoff: DEFAULT_ADMIN_ROLE to the final admin on every
 *  administered contract (`administered`: defaultAdmin() is not zero, i.e. not an implementation), operational roles
 *  to `roles.*`, contract-to-contract roles to the deployed contract. `roleOf` returns undefined for a role a
 *  production config leaves unset (then nobody may hold it). */
export function expectedRoles(
  targets: readonly Target[],
  admin: Address,
  roleOf: (name: string) => Address | undefined,
  administered: ReadonlySet<Address>,
): Map<Address, Want[]> {
  const out = new Map<Address, Want[]>();
  const by = (k: Kind) => targets.find((t) => t.kind === k);
  const want = (t: Target | undefined, role: string, holder: Address | Target | undefined, why?: string) => {
    if (!t || !holder) return;
    const h = typeof holder === "string" ? holder : holder.address;
    const w = why ?? (typeof holder === "string" ? "?" : holder.label);
    out.set(t.address, [...(out.get(t.address) ?? []), {role: roleId(role), holder: getAddress(h), why: w}]);
  };
  const cfgRole = (t: Target | undefined, role: string, name: string) => want(t, role, roleOf(name), `roles.${name}`);
  for (const t of targets) if (administered.has(t.address)) want(t, "DEFAULT_ADMIN_ROLE", admin, "finalAdmin");
  const aid = by("aid");
  cfgRole(aid, "PAUSER_ROLE", "gatekeeper");
  cfgRole(aid, "DENYLIST_MANAGER_ROLE", "denylistManager");
  const minter = by("minter");
  if (!minter) return out; // remote chain: AID, StakedAIDOFT and GAIBOFT only
  want(aid, "MINTER_ROLE", minter);
  cfgRole(minter, "GATEKEEPER_ROLE", "gatekeeper");
  cfgRole(minter, "WHITELIST_MANAGER_ROLE", "whitelistManager");
  const reserve = by("reserve");
  cfgRole(reserve, "RESERVE_MANAGER_ROLE", "reserveManager");
  cfgRole(reserve, "HARVESTER_ROLE", "harvester");
  const sAID = by("sAID");
  const timelock = by("timelock");
  want(sAID, "REWARDER_ROLE", reserve);
  cfgRole(sAID, "ALLOCATOR_ROLE", "allocator");
  cfgRole(sAID, "RESTRICTION_MANAGER_ROLE", "restrictionManager");
  cfgRole(sAID, "PAUSER_ROLE", "gatekeeper");
  want(sAID, "UPGRADER_ROLE", timelock);
  want(timelock, "DEFAULT_ADMIN_ROLE", timelock, "itself (self-administered)");
  for (const r of ["PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"]) want(timelock, r, admin, "finalAdmin");
  const slasher = by("vetoSlasher");
  want(slasher, "SLASHER_ROLE", by("telemetryOracle"));
  cfgRole(slasher, "VETOER_ROLE", "resolver");
  const factory = by("dealFactory");
  cfgRole(factory, "DEAL_ADMIN_ROLE", "dealAdmin");
  cfgRole(factory, "UNDERWRITER_ROLE", "underwriter");
  cfgRole(factory, "KYC_ROLE", "kycManager");
  cfgRole(factory, "PAUSER_ROLE", "gatekeeper");
  cfgRole(by("revenueReporter"), "REVENUE_REPORTER_ROLE", "revenueReporter");
  return out;
}

export interface Replay {
  /** Current holders per role on `contract`, in the order they were first granted. */
  holders(contract: Address): Map<Hex, Address[]>;
  /** The first DEFAULT_ADMIN_ROLE grantee of `contract` (its constructor admin), if any. */
  firstAdmin(contract: Address): Address | undefined;
}

const ROLE_EVENTS = aidAbi.filter((i) => i.type === "event" && (i.name === "RoleGranted" || i.name === "RoleRevoked"));
const LOG_CHUNK = 50_000n; // [blocks] per eth_getLogs request

/** Replays every RoleGranted / RoleRevoked of `targets` from `fromBlock` to the head. */
export async function replayRoles(client: PublicClient, targets: readonly Target[], fromBlock: bigint): Promise<Replay> {
  const head = await client.getBlockNumber();
  const logs = [];
  for (let from = fromBlock; from <= head; from += LOG_CHUNK) {
    const to = from + LOG_CHUNK - 1n < head ? from + LOG_CHUNK - 1n : head;
    logs.push(...(await client.getLogs({address: targets.map((t) => t.address), events: ROLE_EVENTS, fromBlock: from, toBlock: to, strict: true})));
  }
  logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const held = new Map<string, Map<Hex, Address[]>>();
  const first = new Map<string, Address>();
  for (const l of logs) {
    const c = getAddress(l.address);
    const {role, account} = l.args as {role: Hex; account: Address};
    const roles = held.get(c) ?? new Map<Hex, Address[]>();
    held.set(c, roles);
    const list = (roles.get(role) ?? []).filter((a) => !isAddressEqual(a, account));
    if (l.eventName === "RoleGranted") {
      list.push(getAddress(account));
      if (role === zeroHash && !first.has(c)) first.set(c, getAddress(account));
    }
    if (list.length) roles.set(role, list);
    else roles.delete(role);
  }
  return {
    holders: (c) => held.get(getAddress(c)) ?? new Map(),
    firstAdmin: (c) => first.get(getAddress(c)),
  };
}

export interface DeployerGrant {
  contract: Address;
  /** The role granted to the deployer, or undefined for an `OwnershipTransferred` to it. */
  role?: Hex | undefined;
}

const OWNERSHIP_EVENT = aidAbi.find((i) => i.type === "event" && i.name === "OwnershipTransferred")!;
const GRANTED_EVENT = aidAbi.find((i) => i.type === "event" && i.name === "RoleGranted")!;

/** Every contract that ever granted `deployer` a role or ownership since `fromBlock` (indexed-topic queries, cheap on
 *  any RPC): the verifier checks that the deployer holds nothing on those the records do not name either (the twin's
 *  "unchecked contract with roles/owner"). */
export async function deployerGrants(client: PublicClient, deployer: Address, fromBlock: bigint): Promise<DeployerGrant[]> {
  const head = await client.getBlockNumber();
  const out: DeployerGrant[] = [];
  for (let from = fromBlock; from <= head; from += LOG_CHUNK) {
    const toBlock = from + LOG_CHUNK - 1n < head ? from + LOG_CHUNK - 1n : head;
    const roles = await client.getLogs({event: GRANTED_EVENT, args: {account: deployer}, fromBlock: from, toBlock, strict: true});
    for (const l of roles) out.push({contract: getAddress(l.address), role: l.args.role});
    const owners = await client.getLogs({event: OWNERSHIP_EVENT, args: {newOwner: deployer}, fromBlock: from, toBlock, strict: true});
    for (const l of owners) out.push({contract: getAddress(l.address)});
  }
  return out;
}
