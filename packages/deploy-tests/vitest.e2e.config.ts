import { defaultServerConditions } from "vite";
import { defineProject } from "vitest/config";

// The compose end-to-end test: builds the images and runs the stack, so it runs on its own
// (npm run test:compose-e2e -w @fixfleet/deploy-tests), not in every `vitest run`.
const conditions = ["source", ...defaultServerConditions];

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: "deploy-e2e",
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 45 * 60_000,
    globalSetup: ["../../packages/testkit/src/services/global-setup.ts"],
  },
});
