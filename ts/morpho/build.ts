// Compiles Morpho Blue 1.0.0 from npm (`@morpho-org/morpho-blue`, sources only, `pragma solidity 0.8.19`) with npm's
// solc 0.8.19 (wasm, the `solc-0.8.19` alias) into out-morpho/Morpho.json: a forge-style artifact
// ({abi, bytecode: {object}, deployedBytecode: {object}}) that forge tests load with `vm.getCode`/`deployCode` and the
// TypeScript tooling deploys. Nothing of it is committed (out-morpho/ is git-ignored).
//
// Settings: Morpho Blue's own production build (its foundry.toml `build` profile, not shipped in the npm package):
// solc 0.8.19, via-IR, optimizer 999,999 runs, EVM `paris` (0.8.19's default; no PUSH0), no metadata hash.
// Idempotent: skipped when the sha256 of the sources + settings + compiler version equals the one in the artifact.
// Usage: `npm run build:morpho` (also run by `pretest:forge`).
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {repoRoot} from "../lib/paths.ts";

const require = createRequire(import.meta.url);

/** Where the sources live, their import prefix, and the artifact written. */
export const MORPHO_PKG = path.join(repoRoot, "node_modules", "@morpho-org", "morpho-blue");
export const MORPHO_ARTIFACT = path.join(repoRoot, "out-morpho", "Morpho.json");

/** Morpho Blue's production compiler settings (see the header). */
export const MORPHO_SETTINGS = {
  viaIR: true,
  optimizer: {enabled: true, runs: 999_999},
  evmVersion: "paris",
  metadata: {bytecodeHash: "none", appendCBOR: false},
  outputSelection: {"src/Morpho.sol": {Morpho: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
} as const;

export interface MorphoArtifact {
  contractName: "Morpho";
  sourceHash: string;
  compiler: string;
  settings: typeof MORPHO_SETTINGS;
  abi: unknown[];
  bytecode: {object: `0x${string}`};
  deployedBytecode: {object: `0x${string}`};
}

interface Solc {
  version(): string;
  compile(input: string): string;
}

/** Every .sol under src/ except mocks, keyed by its path inside the package ("src/Morpho.sol", ...). */
export function morphoSources(pkg: string = MORPHO_PKG): Record<string, {content: string}> {
  const out: Record<string, {content: string}> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(pkg, rel)).sort()) {
      const r = `${rel}/${name}`;
      if (statSync(path.join(pkg, r)).isDirectory()) {
        if (name !== "mocks") walk(r);
      } else if (name.endsWith(".sol")) {
        out[r] = {content: readFileSync(path.join(pkg, r), "utf8")};
      }
    }
  };
  walk("src");
  return out;
}

/** sha256 over the sources (sorted), the settings and the compiler version. */
export function sourceHash(sources: Record<string, {content: string}>, compiler: string): string {
  const h = createHash("sha256");
  h.update(compiler);
  h.update(JSON.stringify(MORPHO_SETTINGS));
  for (const k of Object.keys(sources).sort()) h.update(`${k}\0${sources[k]!.content}\0`);
  return h.digest("hex");
}

function loadSolc(): Solc {
  const solc = require("solc-0.8.19") as Solc;
  if (!solc.version().startsWith("0.8.19+")) throw new Error(`build:morpho: expected solc 0.8.19, got ${solc.version()}`);
  return solc;
}

/** Builds the artifact unless an up-to-date one exists; returns it and whether it compiled. */
export function buildMorpho(opts: {force?: boolean; log?: (s: string) => void} = {}): {
  artifact: MorphoArtifact;
  compiled: boolean;
} {
  const log = opts.log ?? ((s: string) => console.log(s));
  if (!existsSync(MORPHO_PKG)) throw new Error(`build:morpho: ${MORPHO_PKG} missing (run npm install)`);
  const pkgVersion = (JSON.parse(readFileSync(path.join(MORPHO_PKG, "package.json"), "utf8")) as {version: string})
    .version;
  const sources = morphoSources();
  const compilerPkg = (
    JSON.parse(readFileSync(require.resolve("solc-0.8.19/package.json"), "utf8")) as {version: string}
  ).version;
  const hash = sourceHash(sources, compilerPkg);
  if (!opts.force && existsSync(MORPHO_ARTIFACT)) {
    const old = JSON.parse(readFileSync(MORPHO_ARTIFACT, "utf8")) as MorphoArtifact;
    if (old.sourceHash === hash && old.bytecode?.object?.length > 2) {
      log(`build:morpho: ${path.relative(repoRoot, MORPHO_ARTIFACT)} up to date (morpho-blue ${pkgVersion})`);
      return {artifact: old, compiled: false};
    }
  }
  const solc = loadSolc();
  log(`build:morpho: compiling morpho-blue ${pkgVersion} with solc ${solc.version()} (wasm, via-IR; ~30 s)`);
  const input = {language: "Solidity", sources, settings: MORPHO_SETTINGS};
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: {severity: string; formattedMessage: string}[];
    contracts?: Record<string, Record<string, {abi: unknown[]; evm: {bytecode: {object: string}; deployedBytecode: {object: string}}}>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`build:morpho: solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const c = output.contracts?.["src/Morpho.sol"]?.["Morpho"];
  if (!c || c.evm.bytecode.object.length === 0) throw new Error("build:morpho: no Morpho bytecode in solc output");
  const artifact: MorphoArtifact = {
    contractName: "Morpho",
    sourceHash: hash,
    compiler: solc.version(),
    settings: MORPHO_SETTINGS,
    abi: c.abi,
    bytecode: {object: `0x${c.evm.bytecode.object}`},
    deployedBytecode: {object: `0x${c.evm.deployedBytecode.object}`},
  };
  mkdirSync(path.dirname(MORPHO_ARTIFACT), {recursive: true});
  writeFileSync(MORPHO_ARTIFACT, `${JSON.stringify(artifact, null, 2)}\n`);
  log(
    `build:morpho: wrote ${path.relative(repoRoot, MORPHO_ARTIFACT)} (runtime ${(c.evm.deployedBytecode.object.length / 2).toFixed(0)} bytes)`,
  );
  return {artifact, compiled: true};
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  buildMorpho({force: process.argv.includes("--force")});
}
