import {beforeAll, describe, expect, it} from "vitest";
import {buildForValidation, validateUpgrade} from "./validate.ts";

// OpenZeppelin's storage-layout check on sAID: the real v2 passes, a deliberately broken layout is rejected.
describe("sAID upgrade validation (upgrades-core)", () => {
  beforeAll(async () => {
    await buildForValidation();
  }, 300_000);

  it("accepts StakedAIDV2 (new field in its own namespace) as an upgrade of StakedAID", async () => {
    const res = await validateUpgrade("StakedAIDV2", "StakedAID");
    expect(res.stdout + res.stderr).toContain("SUCCESS");
    expect(res.code).toBe(0);
  });

  it("rejects a v2 whose namespaced layout reorders and retypes fields", async () => {
    const res = await validateUpgrade("StakedAIDV2Broken", "StakedAIDV2");
    expect(res.code).not.toBe(0);
    expect(res.stdout + res.stderr).toContain("Deleted `boost`");
    expect(res.stdout + res.stderr).toContain("FAILED");
  });
});
