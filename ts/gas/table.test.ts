import {readFileSync} from "node:fs";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {repoRoot} from "../lib/paths.ts";
import {END, START, readSnapshots, renderGasTable, withGasTable} from "./table.ts";

describe("README gas table", () => {
  it("matches the committed gas snapshots (run `npm run gas:readme` after `npm run gas`)", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    expect(withGasTable(readme, renderGasTable(readSnapshots()))).toBe(readme);
  });

  it("renders every entry and the ratio against its baseline", () => {
    const table = renderGasTable({S: {transfer_AID: "110", transfer_ozERC20: "100", other: "5"}});
    expect(table).toContain("| `transfer_AID` | 110 | S |");
    expect(table).toContain("| `other` | 5 | S |");
    expect(table).toContain("1.100x");
  });

  it("refuses a README without markers", () => {
    expect(() => withGasTable("no markers", "x")).toThrow(START);
    expect(withGasTable(`a\n${START}\nold\n${END}\nb`, "new")).toBe(`a\n${START}\nnew\n${END}\nb`);
  });
});
