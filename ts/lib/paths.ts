import {fileURLToPath} from "node:url";
import path from "node:path";

/** Absolute path of the repository root (this file lives in ts/lib/). */
export const repoRoot: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/[\\/]$/, "");

/** Absolute path of a repo wrapper in bin/ (runs the native Foundry binary, exit code intact). */
export function repoBin(tool: "forge" | "anvil" | "cast" | "solc"): string {
  return path.join(repoRoot, "bin", tool);
}
