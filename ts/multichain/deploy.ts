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

/** Starts `specs` as Anvil chains and deploys GAIB on each (sequentially: forge scripts share cache/ and broadcast/). */
export async function startLocalNetwork(specs: readonly ChainSpec[] = CHAINS): Promise<LocalNetwork> {
  const anvils = await Promise.all(specs.map((s) => startAnvil({chainId: s.chainId})));
  const stop = async () => {
    await Promise.all(anvils.map((a) => a.stop()));
  };
  try {
    const chains: LocalChain[] = [];
    for (const [i, spec] of specs.entries()) {
      const anvil = anvils[i]!;
      const peers = specs.filter((s) => s.eid !== spec.eid).map((s) => s.eid);
      const deployment = await deployLocal<LocalChainDeployment & Partial<LocalDeployment>>(anvil.rpcUrl, spec.chainId, {
        GAIB_LOCAL_EID: String(spec.eid),
        GAIB_LOCAL_HOME: String(spec.home),
        GAIB_LOCAL_PEERS: peers.join(","),
        GAIB_LOCAL_HOME_EID: String(specs.find((s) => s.home)?.eid ?? spec.eid),
      });
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
