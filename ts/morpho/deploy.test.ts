import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {connect, devAccount, type Chain} from "../amm/chain.ts";
import {startAnvil, type Anvil} from "../lib/anvil.ts";
import {deployMorpho, morphoArtifact} from "./deploy.ts";

describe("Morpho Blue on Anvil", () => {
  let anvil: Anvil | undefined;
  let c: Chain;
  const owner = devAccount(1);
  const stranger = devAccount(2);

  beforeAll(async () => {
    anvil = await startAnvil();
    c = await connect(anvil.rpcUrl);
  }, 120_000);
  afterAll(async () => anvil?.stop());

  it("deploys from the npm-built artifact; only its owner enables an LLTV", async () => {
    const morpho = await deployMorpho(c, devAccount(0), owner.address);
    const {abi} = morphoArtifact({build: false});
    expect(await c.read<string>({address: morpho, abi, functionName: "owner"})).toBe(owner.address);
    const lltv = 915_000_000_000_000_000n; // 91.5% [wad]
    await expect(c.send(stranger, {address: morpho, abi, functionName: "enableLltv", args: [lltv]})).rejects.toThrow(
      /not owner/,
    );
    await c.send(owner, {address: morpho, abi, functionName: "enableLltv", args: [lltv]});
    expect(await c.read<boolean>({address: morpho, abi, functionName: "isLltvEnabled", args: [lltv]})).toBe(true);
  });
});
