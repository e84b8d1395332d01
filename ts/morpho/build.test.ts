import {describe, expect, it} from "vitest";
import {buildMorpho, morphoSources, sourceHash} from "./build.ts";

describe("build:morpho", () => {
  it("compiles Morpho Blue's sources without its mocks", () => {
    const sources = morphoSources();
    expect(Object.keys(sources)).toContain("src/Morpho.sol");
    expect(Object.keys(sources)).toContain("src/libraries/MathLib.sol");
    expect(Object.keys(sources).some((k) => k.includes("/mocks/"))).toBe(false);
    expect(sources["src/Morpho.sol"]!.content).toContain("pragma solidity 0.8.19;");
  });

  it("hashes sources and compiler version, so any change rebuilds", () => {
    const sources = morphoSources();
    const h = sourceHash(sources, "0.8.19");
    expect(sourceHash(sources, "0.8.19")).toBe(h);
    expect(sourceHash(sources, "0.8.20")).not.toBe(h);
    const edited = {...sources, "src/Morpho.sol": {content: `${sources["src/Morpho.sol"]!.content}\n`}};
    expect(sourceHash(edited, "0.8.19")).not.toBe(h);
  });

  it("writes a forge-style artifact once and skips an up-to-date one", () => {
    const first = buildMorpho({log: () => {}}); // compiles only if out-morpho/Morpho.json is missing or stale
    const again = buildMorpho({log: () => {}});
    expect(again.compiled).toBe(false);
    expect(again.artifact.sourceHash).toBe(first.artifact.sourceHash);
    expect(again.artifact.compiler).toMatch(/^0\.8\.19\+/);
    const a = again.artifact;
    expect(a.bytecode.object).toMatch(/^0x[0-9a-f]+$/);
    const runtimeBytes = (a.deployedBytecode.object.length - 2) / 2;
    expect(runtimeBytes).toBeGreaterThan(10_000);
    expect(runtimeBytes).toBeLessThanOrEqual(24_576); // EIP-170
    const names = a.abi.map((e) => (e as {name?: string}).name);
    expect(names).toEqual(expect.arrayContaining(["createMarket", "supplyCollateral", "borrow", "liquidate"]));
  });
});
