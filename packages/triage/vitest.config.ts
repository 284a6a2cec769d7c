import { defaultServerConditions } from "vite";
import { defineProject } from "vitest/config";

// "source" resolves workspace packages to their TypeScript, so tests need no build first.
const conditions = ["source", ...defaultServerConditions];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "triage",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ["../../packages/testkit/src/services/global-setup.ts"],
  },
});
