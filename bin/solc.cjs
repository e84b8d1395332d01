#!/usr/bin/env node
// Minimal solc CLI shim over the npm `solc` (wasm) package, for machines without a native solc.
// Forge only needs `--version` and `--standard-json` (input on stdin, output on stdout).
// Never call process.exit after writing: piped output would be cut at 64-128 KiB.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require(path.join(__dirname, "..", "node_modules", "solc"));

const args = process.argv.slice(2);
if (args.includes("--version")) {
  const v = solc.version().replace(".Emscripten.clang", "");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${v}.Linux.g++\n`);
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => {
    const input = Buffer.concat(chunks).toString("utf8"); if (process.env.SOLC_SHIM_DUMP) fs.writeFileSync(process.env.SOLC_SHIM_DUMP, input);
    const findImports = (p) => {
      try {
        return { contents: fs.readFileSync(path.resolve(p), "utf8") };
      } catch (e) {
        return { error: `File not found: ${p}` };
      }
    };
    process.stdout.write(solc.compile(input, { import: findImports }));
  });
} else {
  process.stderr.write("solc shim: only --version and --standard-json are supported\n");
  process.exitCode = 1;
}
