// Storage-layout validation of sAID upgrades with OpenZeppelin's upgrades-core (offline: it reads forge build info).
// `npm run upgrades:check` builds sAID and its test-only v2 with the `upgrades` Foundry profile (build info +
// storage layouts, out-upgrades/), then checks StakedAIDV2 against StakedAID. External libraries are allowed: sAID's
// logic libraries are stateless code run by DELEGATECALL on the proxy's own storage (no selfdestruct, no delegatecall).
import {rmSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {runForge} from "../lib/forge.ts";
import {repoRoot} from "../lib/paths.ts";
import {run, type RunResult} from "../lib/proc.ts";

export const BUILD_INFO = path.join(repoRoot, "out-upgrades", "build-info");
export const SOURCES = ["src/vault/StakedAID.sol", "test/mocks/StakedAIDV2.sol", "test/mocks/StakedAIDV2Broken.sol"];

/** Fresh build info for the sources (stale build info would be validated too, so it is removed first). */
export async function buildForValidation(): Promise<void> {
  rmSync(BUILD_INFO, {recursive: true, force: true});
  const res = await runForge(["build", "--force", ...SOURCES], {env: {FOUNDRY_PROFILE: "upgrades"}});
  if (res.code !== 0) throw new Error(`forge build (upgrades profile) failed:\n${res.stdout}\n${res.stderr}`);
}

/** Runs `upgrades-core validate` for `contract` upgrading from `reference`; code 0 means the upgrade is safe. */
export function validateUpgrade(contract: string, reference: string): Promise<RunResult> {
  const cli = path.join(repoRoot, "node_modules", ".bin", "openzeppelin-upgrades-core");
  return run(cli, ["validate", BUILD_INFO, "--contract", contract, "--reference", reference, "--unsafeAllowLinkedLibraries"], {
    cwd: repoRoot,
  });
}

async function main(): Promise<void> {
  await buildForValidation();
  const res = await validateUpgrade("StakedAIDV2", "StakedAID");
  process.stdout.write(res.stdout);
  process.stderr.write(res.stderr);
  process.exitCode = res.code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
