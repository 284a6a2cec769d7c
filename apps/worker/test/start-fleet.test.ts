import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "../../../scripts/start-fleet.mjs");

function start(env: Record<string, string>) {
  // A clean environment: nothing of the developer's own settings leaks into the check.
  return spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? "", HOME: mkdtempSync(join(tmpdir(), "home-")), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("npm start", () => {
  it("names every missing GitHub and Anthropic setting with where to get it, and starts nothing", () => {
    const result = start({ GITHUB_APP_ID: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GITHUB_WEBHOOK_SECRET: the webhook secret/);
    expect(result.stderr).toMatch(/GITHUB_PRIVATE_KEY: a private key generated/);
    expect(result.stderr).toMatch(/ANTHROPIC_API_KEY: an API key from the Anthropic Console/);
    expect(result.stderr).not.toMatch(/GITHUB_APP_ID:/);
  });

  it("says when the REDIS_URL it was given does not answer", () => {
    const result = start({
      GITHUB_APP_ID: "1",
      GITHUB_WEBHOOK_SECRET: "whsec-123456",
      GITHUB_PRIVATE_KEY_PATH: "/nonexistent.pem",
      ANTHROPIC_API_KEY: "sk-ant-xxxxxxxxxxxx",
      REDIS_URL: "redis://127.0.0.1:1",
    });
    expect(result.status).toBe(1);
    // Either the apps are not built yet, or Redis is named: both are messages a person can act on.
    expect(result.stderr).toMatch(/npm run build|Redis does not answer at REDIS_URL=redis:\/\/127.0.0.1:1/);
  });
});
