import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { readIngestConfig } from "./ingest-config.js";

const minimal = { GITHUB_APP_ID: "123", GITHUB_WEBHOOK_SECRET: "s3cret-webhook-value" };

describe("readIngestConfig", () => {
  it("applies the defaults of the contract", () => {
    const config = readIngestConfig(minimal);
    expect(config).toMatchObject({
      redisUrl: "redis://127.0.0.1:6379",
      port: 3000,
      host: "0.0.0.0",
      dispatchEventType: "fixfleet",
      batchWindowMs: 20_000,
      batchMaxWaitMs: 120_000,
      dashboard: undefined,
      github: {
        apiUrl: "https://api.github.com",
        oidcIssuer: "https://token.actions.githubusercontent.com",
        oidcAudience: "fixfleet",
      },
    });
  });

  it("knows the App's bot by GITHUB_APP_SLUG, and refuses what cannot be a slug", () => {
    expect(readIngestConfig(minimal).github.botLogins).toEqual([]);
    expect(readIngestConfig({ ...minimal, GITHUB_APP_SLUG: "acme-fixfleet" }).github.botLogins).toEqual([
      "acme-fixfleet[bot]",
    ]);
    expect(() => readIngestConfig({ ...minimal, GITHUB_APP_SLUG: "Acme Fixfleet[bot]" })).toThrow(/GITHUB_APP_SLUG/);
  });

  it("refuses a start without the required variables, one line for each", () => {
    let error: unknown;
    try {
      readIngestConfig({});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^GITHUB_APP_ID: is required but not set \(example: GITHUB_APP_ID=123456\)$/);
    expect(problems[1]).toMatch(/^GITHUB_WEBHOOK_SECRET: is required/);
  });

  it("names each bad value with what is wrong and an example", () => {
    expect(() =>
      readIngestConfig({ ...minimal, PORT: "eighty", REDIS_URL: "http://x", BATCH_WINDOW_MS: "-1" }),
    ).toThrow(ConfigError);
    try {
      readIngestConfig({ ...minimal, PORT: "eighty", REDIS_URL: "http://x", BATCH_WINDOW_MS: "-1" });
    } catch (e) {
      const lines = (e as ConfigError).problems;
      expect(lines.find((l) => l.startsWith("PORT:"))).toMatch(/must be a number.*example: PORT=3000/);
      expect(lines.find((l) => l.startsWith("REDIS_URL:"))).toMatch(/redis:\/\//);
      expect(lines.find((l) => l.startsWith("BATCH_WINDOW_MS:"))).toMatch(/0 or more/);
    }
  });

  it("never echoes a secret's value in a problem line", () => {
    try {
      readIngestConfig({ ...minimal, GITHUB_WEBHOOK_SECRET: "short", DASHBOARD_USER: "a", DASHBOARD_PASSWORD: "pw" });
      expect.unreachable();
    } catch (e) {
      const text = (e as ConfigError).message;
      expect(text).toContain("GITHUB_WEBHOOK_SECRET");
      expect(text).not.toContain('"short"');
      expect(text).toContain("DASHBOARD_PASSWORD");
      expect(text).not.toContain('"pw"');
    }
  });

  it("needs the dashboard's user and password together", () => {
    expect(() => readIngestConfig({ ...minimal, DASHBOARD_USER: "admin" })).toThrow(
      /DASHBOARD_PASSWORD: must be set together/,
    );
    expect(
      readIngestConfig({ ...minimal, DASHBOARD_USER: "admin", DASHBOARD_PASSWORD: "long-password" }).dashboard,
    ).toEqual({
      user: "admin",
      password: "long-password",
    });
  });

  it("refuses a max wait shorter than the batch window", () => {
    expect(() => readIngestConfig({ ...minimal, BATCH_WINDOW_MS: "5000", BATCH_MAX_WAIT_MS: "1000" })).toThrow(
      /BATCH_MAX_WAIT_MS/,
    );
  });
});
