import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import path from "node:path";
import {createPublicClient, http, pad, type Address, type PublicClient} from "viem";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {aidAbi} from "../abi/generated.ts";
import {ANVIL_KEYS, anvilAccount} from "../lib/accounts.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal} from "../lib/deployments.ts";
import {repoBin, repoRoot} from "../lib/paths.ts";
import {run} from "../lib/proc.ts";
import {CHAINS} from "../multichain/chains.ts";
import {deploy, type DeployOptions} from "./index.ts";

// ts/deploy against Anvil chains carrying the production chain ids (an endpoint mock from 00_DeployLocal stands in for
// LayerZero's): a dry run sends nothing, a broadcast deploys and wires, a second broadcast sends nothing, and AID and
// sAID land at the same addresses on Arbitrum and Plume.
describe("deploy driver (01_DeployCore + 02_WireOFT)", () => {
  const deployer = anvilAccount(1); // not the local-mode deployer: its CREATE3 namespace is untouched
  const recordsDir = `deployments/test/deploy-${process.pid}`;
  const chains: {name: "arbitrum" | "plume"; anvil: Anvil; client: PublicClient; endpoint: Address}[] = [];
  const opts = (i: number, broadcast: boolean): DeployOptions => ({
    network: chains[i]!.name,
    rpc: chains[i]!.anvil.rpcUrl,
    key: ANVIL_KEYS[1],
    broadcast,
    // The shipped configs pin LayerZero's real ULN302 libraries and DVNs, which these Anvil chains do not have: the
    // driver runs the same configs as development configs (test/fixtures/config-deploy: no finalAdmin, no layerzero),
    // and GAIB_ANY_CHAIN is the explicit "not a real deployment" without which 02_WireOFT refuses to skip the
    // LayerZero security step on a real chain id (forge tests cover that step against ULN302).
    env: {...process.env, GAIB_ENDPOINT: chains[i]!.endpoint, GAIB_CONFIG_DIR: "test/fixtures/config-deploy", GAIB_ANY_CHAIN: "true"},
    deploymentsDir: path.join(recordsDir, broadcast ? "live" : "dry"),
  });
  const quiet = () => {};

  beforeAll(async () => {
    for (const name of ["arbitrum", "plume"] as const) {
      const spec = CHAINS.find((c) => c.name === name)!;
      const anvil = await startAnvil({chainId: spec.chainId});
      const local = await deployLocal(anvil.rpcUrl, spec.chainId, {GAIB_LOCAL_EID: String(spec.eid), GAIB_LOCAL_HOME: "false"});
      chains.push({name, anvil, endpoint: local.endpoint, client: createPublicClient({transport: http(anvil.rpcUrl)}) as PublicClient});
    }
  }, 300_000);
  afterAll(async () => {
    await Promise.all(chains.map((c) => c.anvil.stop()));
    rmSync(path.join(repoRoot, recordsDir), {recursive: true, force: true});
  });

  let planned: Record<string, unknown>;

  it("dry run by default: simulates every step on a fork (wire and gaib too), prints the plan, sends nothing", async () => {
    const lines: string[] = [];
    const nonce = await chains[0]!.client.getTransactionCount({address: deployer.address});
    const {broadcast: _unset, ...dry} = opts(0, false); // no --broadcast flag at all
    const r = await deploy({...dry, steps: ["core", "wire", "gaib"]}, (l) => lines.push(l));
    expect(r.broadcast).toBe(false);
    planned = r.records.core!;
    expect(lines[0]).toContain("dry run (nothing is sent; add --broadcast)");
    expect(lines.some((l) => /^wire: script\/02_WireOFT\.s\.sol simulated, [\d,]+ gas/.test(l))).toBe(true);
    expect(lines.some((l) => /^gaib: script\/03_DeployGaib\.s\.sol simulated, [\d,]+ gas/.test(l))).toBe(true);
    expect(r.records.gaib!.gaib).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(r.steps.every((s) => s.gas > 0n)).toBe(true);
    expect(lines.join("\n")).toMatch(new RegExp(`\\n  aid +${String(planned.aid)}\\n`));
    expect(await chains[0]!.client.getCode({address: planned.aid as Address})).toBeUndefined();
    expect(await chains[0]!.client.getTransactionCount({address: deployer.address})).toBe(nonce);
  });

  it("--broadcast deploys AID and sAID where the plan said, wires the peers and rate limits, prints the role table", async () => {
    const lines: string[] = [];
    const r = await deploy(opts(0, true), (l) => lines.push(l));
    expect(lines).toContain("handoff: nothing pending (no admin transfer to accept)"); // a development config: no finalAdmin
    expect(lines.some((l) => l.startsWith("role table (npm run deploy:verify -- --network arbitrum"))).toBe(true);
    expect(lines.some((l) => l.includes(`AID  ${String(r.records.core!.aid)}`))).toBe(true);
    const d = r.records.core!;
    expect([d.aid, d.sAID]).toEqual([planned.aid, planned.sAID]);
    const c = chains[0]!;
    expect(await c.client.getCode({address: d.aid as Address})).not.toBeUndefined();
    expect(await c.client.getCode({address: d.sAID as Address})).not.toBeUndefined();
    const home = CHAINS.find((x) => x.home)!.eid;
    expect(await c.client.readContract({address: d.aid as Address, abi: aidAbi, functionName: "peers", args: [home]})).toBe(pad(d.aid as Address, {size: 32}).toLowerCase());
    const [limit] = (await c.client.readContract({address: d.aid as Address, abi: aidAbi, functionName: "rateLimit", args: [home, true]})) as readonly bigint[];
    expect(limit).toBe(10n ** 24n); // arbitrum.json: 1,000,000 AID per window
  });

  it("a second --broadcast sends nothing and reports the same addresses", async () => {
    const c = chains[0]!;
    const nonce = await c.client.getTransactionCount({address: deployer.address});
    const r = await deploy(opts(0, true), quiet);
    expect(await c.client.getTransactionCount({address: deployer.address})).toBe(nonce);
    expect(r.records.core!.aid).toBe(planned.aid);
    expect(r.records.core!.sAID).toBe(planned.sAID);
  });

  it("a keyless dry run (--sender) simulates on the fork as the deployer, sending nothing", async () => {
    const c = chains[1]!;
    const nonce = await c.client.getTransactionCount({address: deployer.address});
    const {broadcast: _unset, key: _key, ...dry} = opts(1, false);
    const r = await deploy({...dry, sender: deployer.address, env: {...dry.env, GAIB_DEPLOYER_KEY: ""}}, quiet);
    expect(r.records.core!.aid).toBe(planned.aid); // the same deployer address: the same CREATE3 addresses
    expect(r.steps.map((s) => s.step)).toEqual(["core", "wire"]);
    expect(await c.client.getTransactionCount({address: deployer.address})).toBe(nonce);
    expect(await c.client.getCode({address: planned.aid as Address})).toBeUndefined();
  });

  it("a keystore dry run (--account) simulates as the keystore's address and never asks for its password", async () => {
    // a throwaway forge keystore of the deployer key, its password never given to the driver
    const ks = mkdtempSync(path.join(tmpdir(), "gaib-keystore-"));
    try {
      const imp = await run(repoBin("cast"), ["wallet", "import", "deployer", "--private-key", ANVIL_KEYS[1], "--keystore-dir", ks, "--unsafe-password", `pw-${process.pid}`]);
      expect(imp.code, imp.stderr).toBe(0);
      const file = path.join(ks, "deployer");
      const c = chains[1]!;
      const nonce = await c.client.getTransactionCount({address: deployer.address});
      const {broadcast: _unset, key: _key, ...dry} = opts(1, false);
      const env = {...dry.env, GAIB_DEPLOYER_KEY: ""};
      // forge's keystore JSON carries no address: the dry run asks for --sender instead of unlocking it
      await expect(deploy({...dry, env, account: file, steps: ["core"]}, quiet)).rejects.toThrow(/^missing key: the keystore .* does not name its address .* pass --sender <its address> too$/);
      // with the address in the JSON (as geth and clef write it) the dry run runs as that address, no prompt
      const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({...json, address: deployer.address.slice(2).toLowerCase()}));
      const r = await deploy({...dry, env, account: file, steps: ["core"]}, quiet);
      // or as the --sender given beside the keystore (a forge keystore), again without opening it
      writeFileSync(file, JSON.stringify(json));
      const s = await deploy({...dry, env, account: file, sender: deployer.address, steps: ["core"]}, quiet);
      // both ran as the deployer: its CREATE3 addresses (those of the key-based plan above when the file runs whole)
      expect([r.records.core!.aid, r.records.core!.sAID]).toEqual([s.records.core!.aid, s.records.core!.sAID]);
      if (planned) expect(r.records.core!.aid).toBe(planned.aid);
      expect(await c.client.getTransactionCount({address: deployer.address})).toBe(nonce);
    } finally {
      rmSync(ks, {recursive: true, force: true});
    }
  });

  it("Plume gets AID and sAID at the same addresses (another endpoint, same CREATE3 factory and deployer)", async () => {
    expect(chains[1]!.endpoint).toBe(chains[0]!.endpoint); // both mocks are the local deployer's first contract
    const r = await deploy(opts(1, true), quiet);
    expect([r.records.core!.aid, r.records.core!.sAID]).toEqual([planned.aid, planned.sAID]);
  });

  it("refuses the shipped config's placeholder addresses on a real chain id in the preflight, naming the field, sending nothing", async () => {
    const c = chains[1]!;
    const nonce = await c.client.getTransactionCount({address: deployer.address});
    const {GAIB_CONFIG_DIR: _copies, ...env} = opts(1, true).env!;
    await expect(deploy({...opts(1, true), env}, quiet)).rejects.toThrow(/plume\.json: finalAdmin 0x5afe0+ad01 is a placeholder/);
    expect(await c.client.getTransactionCount({address: deployer.address})).toBe(nonce);
  });

  it("refuses without a key or an RPC", async () => {
    await expect(deploy({network: "plume", rpc: "http://127.0.0.1:1", env: {}}, quiet)).rejects.toThrow(/^missing key/);
    await expect(deploy({network: "plume", key: ANVIL_KEYS[1], env: {}}, quiet)).rejects.toThrow(/^no RPC: pass --rpc or set GAIB_RPC_PLUME/);
    await expect(deploy({network: "mars", env: {}}, quiet)).rejects.toThrow(/unknown network "mars"/);
  });
});
