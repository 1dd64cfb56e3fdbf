// The quick benchmark runs alone, after the other tests: it loads both cores for about two minutes.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/bench/**/*.test.ts"], testTimeout: 600_000, pool: "forks" },
});
