import { defaultServerConditions } from "vite";
import { configDefaults, defineProject } from "vitest/config";

// "source" resolves workspace packages to their TypeScript, so tests need no build first.
const conditions = ["source", ...defaultServerConditions];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "deploy-tests",
    // The compose end-to-end test runs on its own: vitest.e2e.config.ts.
    exclude: [...configDefaults.exclude, "e2e/**"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ["../../packages/testkit/src/services/global-setup.ts"],
  },
});
