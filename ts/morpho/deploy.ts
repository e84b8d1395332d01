// Morpho Blue on a local chain from out-morpho/Morpho.json (`npm run build:morpho`): the lending scenarios and tooling
// deploy the same bytecode the forge tests run.
import {existsSync, readFileSync} from "node:fs";
import type {Abi, Address, Hex} from "viem";
import type {Account, Chain} from "../amm/chain.ts";
import {buildMorpho, MORPHO_ARTIFACT, type MorphoArtifact} from "./build.ts";

/** Morpho's ABI and creation bytecode; builds the artifact first when it is missing or stale. */
export function morphoArtifact(opts: {build?: boolean} = {}): {abi: Abi; bytecode: Hex} {
  if (opts.build ?? true) buildMorpho({log: () => {}});
  if (!existsSync(MORPHO_ARTIFACT)) throw new Error(`${MORPHO_ARTIFACT} missing: run npm run build:morpho`);
  const a = JSON.parse(readFileSync(MORPHO_ARTIFACT, "utf8")) as MorphoArtifact;
  return {abi: a.abi as Abi, bytecode: a.bytecode.object};
}

/** Deploys Morpho Blue with `owner` (who enables IRMs and LLTVs) and returns its address. */
export async function deployMorpho(c: Chain, deployer: Account, owner: Address): Promise<Address> {
  const {abi, bytecode} = morphoArtifact();
  return c.deploy(deployer, abi, bytecode, [owner]);
}
