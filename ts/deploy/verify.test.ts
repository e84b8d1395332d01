import {mkdirSync, readFileSync, rmSync} from "node:fs";
import path from "node:path";
import {createPublicClient, createWalletClient, encodeAbiParameters, getAddress, http, parseAbi, parseAbiParameters, zeroAddress, type Address, type Hex, type PublicClient} from "viem";
import {privateKeyToAccount} from "viem/accounts";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi, aidBytecode, iLayerZeroEndpointV2Abi, stakedAIDAbi} from "../abi/generated.ts";
import {ANVIL_KEYS, anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {loadChainConfig, type ChainConfig} from "../lib/chainConfig.ts";
import {forgeScript} from "../lib/forge.ts";
import {CONFIG_TYPE_ULN} from "../lib/layerzero.ts";
import {repoRoot} from "../lib/paths.ts";
import {run} from "../lib/proc.ts";
import {sendContract, type ContractCall} from "../lib/tx.ts";
import {CHAINS} from "../multichain/chains.ts";
import {deploy} from "./index.ts";
import {verifyDeployment} from "./verify.ts";

// deploy:verify against a correct production-style deployment on three Anvil chains with the production chain ids:
// LayerZero's real EndpointV2 + SendUln302 + ReceiveUln302 (test/script/fixtures/DeployLzStack.s.sol), then the
// production scripts 01_DeployCore, 02_WireOFT and 03_DeployGaib through `deploy()` with the fixture configs in
// test/fixtures/config-verify (anvil account 1 deploys, account 2 is the final admin, accounts 3-8 hold the roles),
// then the final admin accepts every handoff. One deployment shared by every case; planted faults are undone with
// anvil snapshots.
const CONFIG_DIR = "test/fixtures/config-verify";
const LZ_OWNER_KEY: Hex = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"; // anvil account 9
const deployer = anvilAccount(1);
const finalAdmin = anvilAccount(2);
const stranger = privateKeyToAccount(LZ_OWNER_KEY).address; // named by no config role
const DAY = 86_400;

interface Chain {
  name: "ethereum" | "arbitrum" | "plume";
  chainId: number;
  anvil: Anvil;
  client: PublicClient;
  cfg: ChainConfig;
  records: Record<string, Address>;
  /** Snapshots: after the scripts (handoff begun), after the final admin's acceptance. */
  snap: {deployed: Hex; accepted: Hex};
}

describe("deploy:verify on the local three-chain deployment", () => {
  const recordsDir = `deployments/test/verify-${process.pid}`;
  const env: NodeJS.ProcessEnv = {...process.env, GAIB_CONFIG_DIR: CONFIG_DIR};
  for (const k of Object.keys(env)) if (k.startsWith("GAIB_RPC")) delete env[k]; // peer RPCs only as the cases pass them
  const chains: Chain[] = [];
  const at = (c: Chain, key: string): Address => {
    const a = c.records[key];
    if (!a) throw new Error(`${c.name}: no ${key} in the deployment records`);
    return a;
  };
  const byName = (n: Chain["name"]) => chains.find((c) => c.name === n)!;
  const rpc = <T>(c: Chain, method: string, params: unknown[] = []) => c.client.request({method, params} as never) as Promise<T>;
  const send = (c: Chain, from: typeof deployer, call: ContractCall) => sendContract(c.client, c.anvil.rpcUrl, c.chainId, from, call);
  /** The peer networks' RPCs (every other Anvil), less `omit`. */
  const peerRpcs = (c: Chain, omit?: string) =>
    Object.fromEntries(chains.filter((x) => x !== c && x.name !== omit).map((x) => [x.name, x.anvil.rpcUrl] as const));
  const verify = (c: Chain, extra: {omitPeer?: string; allowUncheckedPeers?: boolean} = {}) =>
    verifyDeployment(
      {network: c.name, rpc: c.anvil.rpcUrl, deploymentsDir: recordsDir, env, peerRpcs: peerRpcs(c, extra.omitPeer), allowUncheckedPeers: extra.allowUncheckedPeers},
      () => {},
    );
  /** Reverts `c` to a snapshot and takes it again (anvil consumes a snapshot on revert). */
  const restore = async (c: Chain, which: keyof Chain["snap"]) => {
    expect(await rpc<boolean>(c, "evm_revert", [c.snap[which]])).toBe(true);
    c.snap[which] = await rpc<Hex>(c, "evm_snapshot");
    if (which === "deployed") c.snap.accepted = c.snap.deployed; // the later snapshot is gone with the revert
  };

  /** The final admin accepts every admin transfer pending to it (after the 1-day admin delay), except `skip`. */
  const acceptAll = async (c: Chain, skip: Address[] = []) => {
    await rpc(c, "evm_increaseTime", [DAY + 1]);
    await rpc(c, "evm_mine");
    for (const a of new Set(Object.values(c.records))) {
      if (a === zeroAddress || skip.includes(a)) continue;
      const pending = await c.client
        .readContract({address: a, abi: aidAbi, functionName: "pendingDefaultAdmin"})
        .catch(() => undefined);
      if (!pending || pending[0] !== finalAdmin.address) continue;
      const r = await send(c, finalAdmin, {address: a, abi: aidAbi, functionName: "acceptDefaultAdminTransfer"});
      expect(r.status).toBe("success");
    }
  };

  beforeAll(async () => {
    const anvils = await Promise.all(CHAINS.map((s) => startAnvil({chainId: s.chainId})));
    for (const [i, spec] of CHAINS.entries()) {
      const anvil = anvils[i]!;
      const cfg = loadChainConfig(spec.name, env);
      chains.push({
        name: spec.name,
        chainId: spec.chainId,
        anvil,
        cfg,
        client: createPublicClient({transport: http(anvil.rpcUrl)}) as PublicClient,
        records: {},
        snap: {deployed: "0x", accepted: "0x"},
      });
    }
    mkdirSync(path.join(repoRoot, recordsDir), {recursive: true});
    for (const c of chains) {
      // LayerZero's endpoint and ULN302 libraries, at the addresses the fixture configs name
      const out = path.join(recordsDir, `lz-${c.name}.json`);
      const res = await forgeScript("test/script/fixtures/DeployLzStack.s.sol", {
        rpcUrl: c.anvil.rpcUrl,
        broadcast: true,
        env: {LZ_FIXTURE_EID: String(c.cfg.eid), LZ_FIXTURE_REMOTE_EIDS: c.cfg.peers.join(","), LZ_FIXTURE_OUT: out},
        extraArgs: ["--private-key", LZ_OWNER_KEY],
      });
      if (res.code !== 0) throw new Error(`DeployLzStack on ${c.name} failed:\n${res.stdout}\n${res.stderr}`);
      const lz = JSON.parse(readFileSync(path.join(repoRoot, out), "utf8")) as Record<string, string>;
      expect([lz.endpoint, lz.sendLib, lz.receiveLib].map((a) => getAddress(a!))).toEqual([c.cfg.endpoint, c.cfg.layerzero!.sendLib, c.cfg.layerzero!.receiveLib]);
      // the executor and DVNs the config names exist on a real chain (the driver's preflight requires code there)
      for (const a of [c.cfg.layerzero!.executor, ...c.cfg.layerzero!.requiredDVNs]) await rpc(c, "anvil_setCode", [a, "0x00"]);
    }
    for (const c of chains) {
      const r = await deploy(
        {network: c.name, rpc: c.anvil.rpcUrl, key: ANVIL_KEYS[1], broadcast: true, steps: ["core", "wire", "gaib"], env, deploymentsDir: recordsDir, roleTable: false},
        () => {},
      );
      c.records = {...(r.records.core as Record<string, Address>), ...(r.records.gaib as Record<string, Address>)};
      c.snap.deployed = await rpc<Hex>(c, "evm_snapshot");
    }
    for (const c of chains) {
      await acceptAll(c);
      c.snap.accepted = await rpc<Hex>(c, "evm_snapshot");
    }
  }, 900_000);

  afterAll(async () => {
    await Promise.all(chains.map((c) => c.anvil.stop()));
    rmSync(path.join(repoRoot, recordsDir), {recursive: true, force: true});
  });

  it("passes on every chain after the handoff, printing one table per contract", async () => {
    for (const c of chains) {
      const res = await verify(c);
      if (process.env.VERIFY_PRINT) console.log(res.output);
      expect(res.violations, c.name).toEqual([]);
      expect(res.ok).toBe(true);
      expect(res.output).toContain(`AID  ${at(c, "aid")}`);
      expect(res.output).toMatch(/PAUSER_ROLE\s+0x90F79bf6EB2c4f870365E785982E1f101E93b906 \(roles\.gatekeeper/);
      expect(res.output).toMatch(/send ULN\s+confirmations \d+, required \[0x00000000000000000000000000000000000D0A01, 0x00000000000000000000000000000000000d0a02\]/i);
    }
    const eth = byName("ethereum");
    const home = (await verify(eth)).output;
    for (const label of ["AIDMinter", "AIDReserve", "StakedAID", "StakedAIDOFTAdapter", "TimelockController (upgrades)", "GAIBAdapter", "DealFactory", "RevenueReporter"]) {
      expect(home).toContain(`\n${label}  0x`);
    }
    expect(home).toMatch(/UPGRADER_ROLE\s+0x[0-9a-fA-F]{40} \(TimelockController/);
  });

  it("the CLI exits 0 on the correct deployment and 1 with the violations on a planted one", async () => {
    const eth = byName("ethereum");
    const peers = Object.entries(peerRpcs(eth)).flatMap(([n, u]) => ["--peer-rpc", `${n}=${u}`]);
    const cli = (network: string, rpcUrl: string) =>
      run(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["ts/deploy/verify.ts", "--network", network, "--rpc", rpcUrl, "--deployments", recordsDir, ...peers], {cwd: repoRoot, env});
    const ok = await cli("ethereum", eth.anvil.rpcUrl);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("OK: the deployer holds nothing");
    await send(eth, finalAdmin, {address: at(eth, "aid"), abi: aidAbi, functionName: "grantRole", args: [await roleId(eth, "PAUSER_ROLE"), deployer.address]});
    const bad = await cli("ethereum", eth.anvil.rpcUrl);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`FAIL AID (${at(eth, "aid")}): PAUSER_ROLE still held by the deployer ${deployer.address}`);
    await restore(eth, "accepted");
  });

  it("fails naming the contract and role when the deployer holds a role again", async () => {
    const eth = byName("ethereum");
    await send(eth, finalAdmin, {address: at(eth, "sAID"), abi: stakedAIDAbi, functionName: "grantRole", args: [await roleId(eth, "ALLOCATOR_ROLE"), deployer.address]});
    const res = await verify(eth);
    expect(res.ok).toBe(false);
    expect(res.violations).toEqual([`StakedAID (${at(eth, "sAID")}): ALLOCATOR_ROLE still held by the deployer ${deployer.address}`]);
    await restore(eth, "accepted");
  });

  it("fails naming the contract and role when an address the config does not name holds a role", async () => {
    const arb = byName("arbitrum");
    await send(arb, finalAdmin, {address: at(arb, "aid"), abi: aidAbi, functionName: "grantRole", args: [await roleId(arb, "DENYLIST_MANAGER_ROLE"), stranger]});
    const res = await verify(arb);
    expect(res.violations).toEqual([
      `AID (${at(arb, "aid")}): DENYLIST_MANAGER_ROLE held by ${stranger}, which the config does not name for it (it names roles.denylistManager ${arb.cfg.roles.denylistManager})`,
    ]);
    await restore(arb, "accepted");
  });

  it("fails naming a contract missing from the records on which the deployer holds a role", async () => {
    const arb = byName("arbitrum");
    const wallet = createWalletClient({account: deployer, transport: http(arb.anvil.rpcUrl)});
    const hash = await wallet.deployContract({abi: aidAbi, bytecode: aidBytecode, args: [arb.cfg.endpoint, deployer.address], chain: null});
    const planted = getAddress((await arb.client.waitForTransactionReceipt({hash})).contractAddress!);
    const res = await verify(arb);
    expect(res.violations).toEqual([
      `unrecorded contract (${planted}): DEFAULT_ADMIN_ROLE still held by the deployer ${deployer.address} (not in the deployment records)`,
      `unrecorded contract (${planted}): owner() is the deployer ${deployer.address} (not in the deployment records)`,
    ]);
    await restore(arb, "accepted");
  });

  it("fails naming the contract when one OApp is not handed off", async () => {
    const plume = byName("plume");
    await restore(plume, "deployed");
    await acceptAll(plume, [at(plume, "sAID")]); // StakedAIDOFT: the final admin never accepts
    const res = await verify(plume);
    const oft = `StakedAIDOFT (${at(plume, "sAID")})`;
    expect(res.violations).toEqual([
      `${oft}: DEFAULT_ADMIN_ROLE still held by the deployer ${deployer.address}`,
      `${oft}: DEFAULT_ADMIN_ROLE not held by finalAdmin ${finalAdmin.address}`,
      `${oft}: owner() is ${deployer.address}, not the final admin ${finalAdmin.address}`,
      `${oft}: DEFAULT_ADMIN_ROLE admin is ${deployer.address}, not the final admin ${finalAdmin.address} (handoff not accepted?)`,
      `${oft}: DEFAULT_ADMIN_ROLE transfer to ${finalAdmin.address} pending (not accepted)`,
      `${oft}: endpoint delegate is ${deployer.address}, not the final admin ${finalAdmin.address} (OApp not handed off)`,
    ]);
    await restore(plume, "deployed");
    await acceptAll(plume);
    plume.snap.accepted = await rpc<Hex>(plume, "evm_snapshot");
    expect((await verify(plume)).ok).toBe(true);
  });

  it("fails naming the pathway when one required DVN only, or a wrong DVN set, is configured", async () => {
    const plume = byName("plume");
    const lz = plume.cfg.layerzero!;
    const uln = (dvns: Address[], confirmations: bigint) =>
      encodeAbiParameters(parseAbiParameters("(uint64, uint8, uint8, uint8, address[], address[])"), [[confirmations, dvns.length, 0, 0, dvns, []]]);
    // the final admin (the OApp's delegate) weakens GAIBOFT's send pathway to Ethereum to one required DVN
    await send(plume, finalAdmin, {
      address: plume.cfg.endpoint,
      abi: iLayerZeroEndpointV2Abi,
      functionName: "setConfig",
      args: [at(plume, "gaib"), lz.sendLib, [{eid: 30101, configType: CONFIG_TYPE_ULN, config: uln([lz.requiredDVNs[0]!], lz.confirmations)}]],
    });
    // and swaps one of AID's receive DVNs from Arbitrum for another address
    const wrong = getAddress("0x00000000000000000000000000000000000d0a03");
    await send(plume, finalAdmin, {
      address: plume.cfg.endpoint,
      abi: iLayerZeroEndpointV2Abi,
      functionName: "setConfig",
      args: [at(plume, "aid"), lz.receiveLib, [{eid: 30110, configType: CONFIG_TYPE_ULN, config: uln([lz.requiredDVNs[0]!, wrong], 10n)}]],
    });
    const res = await verify(plume);
    const list = (a: readonly Address[]) => `[${a.join(", ")}]`;
    expect(res.violations).toEqual([
      `AID (${at(plume, "aid")}): pathway plume(30370) <-> arbitrum(30110) receive ULN: required DVNs ${list([lz.requiredDVNs[0]!, wrong])} differ from the config's ${list(lz.requiredDVNs)}`,
      `GAIBOFT (${at(plume, "gaib")}): pathway plume(30370) <-> ethereum(30101) send ULN: only 1 required DVN(s), the config demands at least 2`,
      `GAIBOFT (${at(plume, "gaib")}): pathway plume(30370) <-> ethereum(30101) send ULN: required DVNs ${list([lz.requiredDVNs[0]!])} differ from the config's ${list(lz.requiredDVNs)}`,
    ]);
    await restore(plume, "accepted");
  });

  it("review11: fails on what the deployer plants before the acceptance and the acceptance does not undo", async () => {
    const eth = byName("ethereum");
    await restore(eth, "deployed");
    const extra = parseAbi([
      "function changeDefaultAdminDelay(uint48 newDelay)",
      "function blockedLibrary() view returns (address)",
      "function setReceiveLibraryTimeout(address oapp, uint32 eid, address lib, uint256 expiry)",
      "function setMsgInspector(address inspector)",
      "function setYieldReceiver(address receiver)",
      "function scheduleResolver(address resolver)",
    ]);
    // 1. a huge admin delay scheduled on AID: effective 5 days later, the final admin could never move the admin role
    const newDelay = 2 ** 40;
    await send(eth, deployer, {address: at(eth, "aid"), abi: extra, functionName: "changeDefaultAdminDelay", args: [newDelay]});
    // 2. as AID's endpoint delegate: a second receive library for the Arbitrum pathway, valid (almost) forever (here
    //    the endpoint's blocked library; on a live endpoint any other registered receive library, whose OApp config
    //    the delegate sets too: its own DVN)
    const blocked = await eth.client.readContract({address: eth.cfg.endpoint, abi: extra, functionName: "blockedLibrary"});
    const expiry = 10n ** 12n;
    await send(eth, deployer, {address: eth.cfg.endpoint, abi: extra, functionName: "setReceiveLibraryTimeout", args: [at(eth, "aid"), 30110, blocked, expiry]});
    // 3. as the GAIB adapter's owner: a message inspector (an EOA: every send reverts)
    await send(eth, deployer, {address: at(eth, "adapter"), abi: extra, functionName: "setMsgInspector", args: [stranger]});
    // 4. as the reserve's and the slasher's admin: every harvest, and (7 days on, applied by anyone) the veto, to itself
    await send(eth, deployer, {address: at(eth, "reserve"), abi: extra, functionName: "setYieldReceiver", args: [deployer.address]});
    await send(eth, deployer, {address: at(eth, "vetoSlasher"), abi: extra, functionName: "scheduleResolver", args: [deployer.address]});
    await acceptAll(eth);
    const res = await verify(eth);
    expect(res.violations).toEqual([
      `AID (${at(eth, "aid")}): DEFAULT_ADMIN_ROLE delay change to ${newDelay} s pending (scheduled before the acceptance? roll it back)`,
      `AID (${at(eth, "aid")}): pathway ethereum(30101) <-> arbitrum(30110): receive library ${blocked} stays valid until block ${expiry} (receiveLibraryTimeout; clear it with expiry 0)`,
      `AIDReserve (${at(eth, "reserve")}): yieldReceiver() is the deployer ${deployer.address}`,
      `GAIBAdapter (${at(eth, "adapter")}): msgInspector is ${stranger} (the scripts set none: it can veto every send)`,
      `VetoSlasher (${at(eth, "vetoSlasher")}): pendingResolver(): change to ${deployer.address} pending (scheduled before the acceptance? reschedule it)`,
    ]);
    await restore(eth, "deployed");
    await acceptAll(eth);
    eth.snap.accepted = await rpc<Hex>(eth, "evm_snapshot");
    expect((await verify(eth)).ok).toBe(true);
  });

  it("peers: fails naming the peer network whose RPC is missing, a warning with allowUncheckedPeers", async () => {
    const eth = byName("ethereum");
    const res = await verify(eth, {omitPeer: "plume"});
    expect(res.ok).toBe(false);
    expect(res.violations.length).toBeGreaterThan(0);
    for (const v of res.violations) expect(v).toMatch(/<-> plume\(30370\): peer on plume not checked \(pass --peer-rpc plume=<url> or set GAIB_RPC_PLUME\)$/);
    expect(res.violations).toContain(
      `AID (${at(eth, "aid")}): pathway ethereum(30101) <-> plume(30370): peer on plume not checked (pass --peer-rpc plume=<url> or set GAIB_RPC_PLUME)`,
    );
    const allowed = await verify(eth, {omitPeer: "plume", allowUncheckedPeers: true});
    expect(allowed.violations).toEqual([]);
    expect(allowed.ok).toBe(true);
    expect(allowed.output).toContain(`WARNING AID (${at(eth, "aid")}): pathway ethereum(30101) <-> plume(30370): peer on plume not checked`);
  });

  it("peers: fails on the other chain when a peer chain's OApp is not handed off (deployer-controlled CREATE3 peer)", async () => {
    const plume = byName("plume");
    const eth = byName("ethereum");
    await restore(plume, "deployed");
    await acceptAll(plume, [at(plume, "sAID")]); // plume's StakedAIDOFT stays the deployer's
    const res = await verify(eth);
    expect(res.violations).toEqual([
      `StakedAIDOFTAdapter (${at(eth, "sAIDAdapter")}): pathway ethereum(30101) <-> plume(30370): peer on plume (${at(plume, "sAID")}) is not handed off (admin/owner/delegate ${deployer.address}/${deployer.address}/${deployer.address}, want ${finalAdmin.address} with no pending transfer)`,
    ]);
    // plume's own verification names the same contract (the local checks)
    expect((await verify(plume)).ok).toBe(false);
    await restore(plume, "deployed");
    await acceptAll(plume);
    plume.snap.accepted = await rpc<Hex>(plume, "evm_snapshot");
    expect((await verify(eth)).ok).toBe(true);
  });

  async function roleId(c: Chain, name: "PAUSER_ROLE" | "ALLOCATOR_ROLE" | "DENYLIST_MANAGER_ROLE"): Promise<Hex> {
    const abi = name === "ALLOCATOR_ROLE" ? stakedAIDAbi : aidAbi;
    const address = name === "ALLOCATOR_ROLE" ? at(c, "sAID") : at(c, "aid");
    return (await c.client.readContract({address, abi, functionName: name as "PAUSER_ROLE"})) as Hex;
  }
});
