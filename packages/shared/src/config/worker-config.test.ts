import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { readWorkerConfig } from "./worker-config.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const base = { GITHUB_APP_ID: "42", ANTHROPIC_API_KEY: "sk-ant-test-0123456789" };

describe("readWorkerConfig", () => {
  it("reads a PKCS#1 key inline, with the literal \\n of .env files", () => {
    const config = readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY: pkcs1.replace(/\n/g, "\\n") });
    expect(config.github.privateKey).toBe(pkcs1);
    expect(config).toMatchObject({
      concurrency: 2,
      metricsPort: 9464,
      sandboxImage: "fixfleet-sandbox:latest",
      graceMs: 120_000,
      lockMs: 60_000,
      modelConcurrency: 8,
      attemptsPerPrPerDay: 10,
    });
    expect(config.anthropic.model).toMatch(/^claude-/);
  });

  it("reads a PKCS#8 key from a path", () => {
    const config = readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY_PATH: "/keys/app.pem" }, { readFile: () => pkcs8 });
    expect(config.github.privateKey).toBe(pkcs8);
  });

  it("refuses a start without a key, without the API key, and says which", () => {
    try {
      readWorkerConfig({ GITHUB_APP_ID: "42" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.some((p) => p.startsWith("ANTHROPIC_API_KEY: is required"))).toBe(true);
      expect(problems.some((p) => p.startsWith("GITHUB_PRIVATE_KEY: is required (or GITHUB_PRIVATE_KEY_PATH)"))).toBe(
        true,
      );
    }
  });

  it("refuses a key that is not a PEM private key without printing it", () => {
    try {
      readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY: "not-a-key-at-all-but-secret" });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).message).toMatch(/GITHUB_PRIVATE_KEY: is not a PEM private key/);
      expect((e as ConfigError).message).not.toContain("not-a-key-at-all-but-secret");
    }
  });

  it("says when the key file cannot be read", () => {
    const readFile = () => {
      throw Object.assign(new Error("nope"), { code: "ENOENT" });
    };
    expect(() => readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY_PATH: "/missing.pem" }, { readFile })).toThrow(
      /GITHUB_PRIVATE_KEY_PATH: cannot read "\/missing.pem" \(ENOENT\)/,
    );
  });

  it("refuses a worker concurrency of 0", () => {
    expect(() => readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY: pkcs1, WORKER_CONCURRENCY: "0" })).toThrow(
      /WORKER_CONCURRENCY: "0" is invalid: must be greater than 0/,
    );
  });

  it("reads token budgets beside the money ones (off by default) and refuses a fraction of a token", () => {
    const config = readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY: pkcs1, BUDGET_TOKENS_PER_PR: "8000000" });
    expect(config.budgetsTokens).toEqual({ fix: 0, pr: 8_000_000, repoDay: 0, installationDay: 0 });
    expect(config.budgetsUsd.fix).toBe(5);
    expect(() => readWorkerConfig({ ...base, GITHUB_PRIVATE_KEY: pkcs1, BUDGET_TOKENS_PER_FIX: "1.5" })).toThrow(
      /BUDGET_TOKENS_PER_FIX: "1.5" is invalid/,
    );
  });
});
