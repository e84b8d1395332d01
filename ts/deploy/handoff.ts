// The handoff steps still open after a deployment: for every contract of the records whose DEFAULT_ADMIN_ROLE
// transfer to the final admin is pending (begun by the scripts' Handoff library), the exact call the final admin must
// make, on which chain and from when (the contract's admin delay).
import path from "node:path";
import {parseAbi, zeroAddress, type Address, type PublicClient} from "viem";
import type {ChainConfig} from "../lib/chainConfig.ts";
import {repoRoot} from "../lib/paths.ts";
import {collectTargets, readRecord} from "./verify.ts";

const ADMIN_RULES = parseAbi([
  "function defaultAdmin() view returns (address)",
  "function pendingDefaultAdmin() view returns (address newAdmin, uint48 schedule)",
]);

export interface PendingAcceptance {
  network: string;
  chainId: number;
  label: string;
  contract: Address;
  /** Who must call: the pending admin (the config's finalAdmin). */
  from: Address;
  /** [s] unix time from which the acceptance succeeds. */
  notBefore: bigint;
  /** `cast send` line that makes the call. */
  call: string;
}

/** The pending `acceptDefaultAdminTransfer()` calls of `network`'s recorded contracts (none: all handed off). */
export async function pendingAcceptances(client: PublicClient, cfg: ChainConfig, recordsDir: string): Promise<PendingAcceptance[]> {
  const dir = path.resolve(repoRoot, recordsDir);
  const core = readRecord(path.join(dir, `${cfg.name}.json`));
  if (!core) return [];
  const targets = await collectTargets(client, cfg, core, readRecord(path.join(dir, `${cfg.name}-gaib.json`)));
  const out: PendingAcceptance[] = [];
  for (const t of targets) {
    const pending = await client.readContract({address: t.address, abi: ADMIN_RULES, functionName: "pendingDefaultAdmin"}).catch(() => undefined);
    if (!pending || pending[0] === zeroAddress) continue;
    const [from, schedule] = pending;
    out.push({
      network: cfg.name,
      chainId: cfg.chainId,
      label: t.label,
      contract: t.address,
      from,
      notBefore: BigInt(schedule),
      call: `cast send ${t.address} "acceptDefaultAdminTransfer()" --from ${from} --rpc-url <${cfg.name} RPC>`,
    });
  }
  return out;
}

/** The printout: one line per pending call, grouped by chain. */
export function formatAcceptances(list: readonly PendingAcceptance[]): string[] {
  if (list.length === 0) return ["handoff: nothing pending (no admin transfer to accept)"];
  const lines = [`handoff: ${list.length} acceptDefaultAdminTransfer() call(s) still needed, each by the final admin after its admin delay:`];
  for (const p of list) {
    lines.push(`  ${p.network} (chain ${p.chainId}) ${p.label.padEnd(28)} ${p.contract}.acceptDefaultAdminTransfer()  from ${p.from}, not before ${new Date(Number(p.notBefore) * 1000).toISOString()}`);
    lines.push(`      ${p.call}`);
  }
  return lines;
}
