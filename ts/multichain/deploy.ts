// Local multi-chain mode (SPEC §8): three Anvil chains with the production chain and endpoint ids, each deployed by
// script/00_DeployLocal.s.sol (endpoint mock + local message library + AID at its CREATE3 address, wired to the other
// two; the home chain also gets the minter, the reserve and mock stablecoins).
import {createPublicClient, http, type PublicClient} from "viem";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployLocal, type LocalChainDeployment, type LocalDeployment} from "../lib/deployments.ts";
import {CHAINS, type ChainSpec} from "./chains.ts";

export interface LocalChain {
  spec: ChainSpec;
  anvil: Anvil;
  client: PublicClient;
  deployment: LocalChainDeployment & Partial<LocalDeployment>;
}

export interface LocalNetwork {
  chains: LocalChain[];
  byEid(eid: number): LocalChain;
  stop(): Promise<void>;
}

export interface LocalNetworkOptions {
  /** Port of each chain, in `specs` order (default: free ports the OS picks). */
  ports?: readonly number[];
  /** Extra anvil flags for a chain (e.g. `--state <file>`). */
  anvilArgs?: (spec: ChainSpec) => readonly string[];
  /** Where the deployment records go (default deployments/local). */
  recordDir?: string;
  /** A deployment already on the chain (e.g. restored from an anvil state file): used instead of deploying. */
  existing?: (spec: ChainSpec, anvil: Anvil) => Promise<(LocalChainDeployment & Partial<LocalDeployment>) | undefined>;
}

/** Starts `specs` as Anvil chains and deploys GAIB on each (sequentially: forge scripts share cache/ and broadcast/). */
export async function startLocalNetwork(specs: readonly ChainSpec[] = CHAINS, opts: LocalNetworkOptions = {}): Promise<LocalNetwork> {
  const started = await Promise.allSettled(
    specs.map((s, i) => startAnvil({chainId: s.chainId, port: opts.ports?.[i] ?? 0, extraArgs: opts.anvilArgs?.(s) ?? []})),
  );
  const anvils = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(anvils.map((a) => a.stop()));
    throw failed.reason;
  }
  const stop = async () => {
    await Promise.all(anvils.map((a) => a.stop()));
  };
  try {
    const chains: LocalChain[] = [];
    for (const [i, spec] of specs.entries()) {
      const anvil = anvils[i]!;
      const peers = specs.filter((s) => s.eid !== spec.eid).map((s) => s.eid);
      const deployment =
        (await opts.existing?.(spec, anvil)) ??
        (await deployLocal<LocalChainDeployment & Partial<LocalDeployment>>(
          anvil.rpcUrl,
          spec.chainId,
          {
            GAIB_LOCAL_EID: String(spec.eid),
            GAIB_LOCAL_HOME: String(spec.home),
            ...(peers.length ? {GAIB_LOCAL_PEERS: peers.join(",")} : {}),
            GAIB_LOCAL_HOME_EID: String(specs.find((s) => s.home)?.eid ?? spec.eid),
          },
          ...(opts.recordDir ? [opts.recordDir] : []),
        ));
      chains.push({spec, anvil, deployment, client: createPublicClient({transport: http(anvil.rpcUrl)})});
    }
    const byEid = (eid: number) => {
      const c = chains.find((x) => x.spec.eid === eid);
      if (!c) throw new Error(`no local chain with eid ${eid}`);
      return c;
    };
    return {chains, byEid, stop};
  } catch (e) {
    await stop();
    throw e;
  }
}
