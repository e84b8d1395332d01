// The CLI's contract ABIs, read lazily from the forge artifacts in out/ on first use. The CLI never imports
// ts/abi/generated.ts at run time (only its types), so `bin/gaib --help` works on a fresh clone and a command that
// needs a contract says what to build instead of crashing with ERR_MODULE_NOT_FOUND.
import {existsSync, readFileSync} from "node:fs";
import path from "node:path";
import type {dealFactoryAbi, gaibAbi, nodeRegistryAbi, stakingVaultAbi, telemetryOracleAbi, vetoSlasherAbi} from "../abi/generated.ts";
import {artifactPath} from "../abi/generate.ts";
import {repoRoot} from "../lib/paths.ts";
import {CliError} from "./errors.ts";

export interface CliAbis {
  gaib: typeof gaibAbi;
  stakingVault: typeof stakingVaultAbi;
  vetoSlasher: typeof vetoSlasherAbi;
  nodeRegistry: typeof nodeRegistryAbi;
  telemetryOracle: typeof telemetryOracleAbi;
  dealFactory: typeof dealFactoryAbi;
}

const ARTIFACTS: Record<keyof CliAbis, string> = {
  gaib: "GAIB",
  stakingVault: "StakingVault",
  vetoSlasher: "VetoSlasher",
  nodeRegistry: "NodeRegistry",
  telemetryOracle: "TelemetryOracle",
  dealFactory: "DealFactory",
};

const cache = new Map<string, CliAbis>();

/** The ABIs from `outDir` (default: the repo's out/, or GAIB_OUT_DIR); a "no artifacts" CliError naming the missing
 *  file and the build command when a contract is not compiled. */
export function loadAbis(outDir: string = process.env.GAIB_OUT_DIR ?? path.join(repoRoot, "out")): CliAbis {
  const hit = cache.get(outDir);
  if (hit) return hit;
  const abis = {} as Record<string, unknown>;
  for (const [key, spec] of Object.entries(ARTIFACTS)) {
    const {file} = artifactPath(outDir, spec);
    if (!existsSync(file)) {
      throw new CliError(`no artifacts: ${file} is missing; compile the contracts once with \`npm run build\` (forge build) in ${repoRoot}`);
    }
    const artifact = JSON.parse(readFileSync(file, "utf8")) as {abi?: unknown};
    if (!Array.isArray(artifact.abi)) throw new CliError(`no artifacts: ${file} has no "abi" array (rebuild with \`npm run build\`)`);
    abis[key] = artifact.abi;
  }
  cache.set(outDir, abis as unknown as CliAbis);
  return abis as unknown as CliAbis;
}

/** Lazily loaded ABIs of the repo's out/ (first access reads the artifacts). */
export const abi: CliAbis = new Proxy({} as CliAbis, {
  get: (_t, key: string) => (loadAbis() as unknown as Record<string, unknown>)[key],
});
