import {defineConfig} from "vitest/config";

// Forge compiles with wasm solc and anvil boots real nodes: give tests room.
export default defineConfig({
  test: {
    include: ["ts/**/*.test.ts"],
    exclude: ["**/node_modules/**", "ts/test/fixtures/**"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
