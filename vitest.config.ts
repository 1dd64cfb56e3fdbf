import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/bench/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    restoreMocks: true,
    pool: "forks",
  },
});
