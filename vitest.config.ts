import { defineConfig } from "vitest/config";

// One run over every workspace; each project starts its own test services (global-setup.ts).
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
    reporters: ["default", "./scripts/vitest/summary-line-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
