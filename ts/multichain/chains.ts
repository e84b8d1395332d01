import {EndpointId} from "@layerzerolabs/lz-definitions";

/** The three GAIB chains, run locally as Anvil chains with their production chain and endpoint ids. */
export interface ChainSpec {
  name: "ethereum" | "arbitrum" | "plume";
  chainId: number;
  eid: number;
  home: boolean;
}

export const CHAINS: readonly ChainSpec[] = [
  {name: "ethereum", chainId: 1, eid: EndpointId.ETHEREUM_V2_MAINNET, home: true},
  {name: "arbitrum", chainId: 42161, eid: EndpointId.ARBITRUM_V2_MAINNET, home: false},
  {name: "plume", chainId: 98866, eid: EndpointId.PLUMEPHOENIX_V2_MAINNET, home: false},
];
