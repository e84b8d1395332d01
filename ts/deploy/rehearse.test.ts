import {rmSync} from "node:fs";
import path from "node:path";
import {getAddress} from "viem";
import {describe, expect, it} from "vitest";
import {repoRoot} from "../lib/paths.ts";
import {rehearse} from "./index.ts";

// `npm run deploy -- --network all --rehearse`: three Anvil chains with the real chain ids (1, 42161, 98866), LayerZero's
// endpoint and ULN302 libraries, the stablecoins and feeds etched where the shipped configs say; every step (core, wire,
// gaib) on every chain, the handoff calls printed, the final admin's acceptances rehearsed, then deploy:verify passes
// on every chain (roles, admins, pathways and peers across the three rehearsal chains).
describe("deploy --rehearse", () => {
  it("rehearses the shipped configs on all three chains end to end and verifies them", async () => {
    const dir = `deployments/test/rehearse-${process.pid}`;
    const lines: string[] = [];
    try {
      const r = await rehearse(["ethereum", "arbitrum", "plume"], {deploymentsDir: dir}, (l) => lines.push(l));
      const out = lines.join("\n");
      if (!Object.values(r.verified).every(Boolean)) console.error(lines.filter((l) => /FAIL|WARNING/.test(l)).join("\n"));
      expect(r.verified).toEqual({ethereum: true, arbitrum: true, plume: true});
      for (const n of ["ethereum", "arbitrum", "plume"]) {
        const res = r.results[n]!;
        expect(res.steps.map((s) => s.step)).toEqual(["core", "wire", "gaib"]);
        expect(res.steps.find((s) => s.step === "core")!.gas).toBeGreaterThan(1_000_000n);
        expect(res.steps.find((s) => s.step === "gaib")!.gas).toBeGreaterThan(1_000_000n);
        expect(res.records.core!.aid).toBe(r.results.ethereum!.records.core!.aid); // one AID address everywhere
        // the production configs begin a handoff on every administered contract: each call is printed
        expect(res.pending.length).toBeGreaterThan(0);
        for (const p of res.pending) {
          expect(out).toContain(`${p.contract}.acceptDefaultAdminTransfer()  from ${p.from}`);
          expect(p.from).toBe(getAddress("0xf1c700000000000000000000000000000000ad01")); // the rehearsal's finalAdmin
        }
      }
      expect(r.results.ethereum!.records.gaib!.stakingVault).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(out).toMatch(/LayerZero EndpointV2 +0x1a44076050125825900e736c501f859c50fE728c/);
      expect(out).toContain("peers: 30110, 30370; AID/sAID rate limit 1000000000000000000000000 wei per 86400 s each way");
      expect(out).toMatch(/gas: core [\d,]+, wire [\d,]+, gaib [\d,]+; total [\d,]+/);
      expect(out).toContain("OK: the deployer holds nothing; every role, admin, delegate and pathway matches the config");
      expect(out).toMatch(/rehearsal OK: ethereum verified/);
    } finally {
      rmSync(path.join(repoRoot, dir), {recursive: true, force: true});
    }
  }, 600_000);
});
