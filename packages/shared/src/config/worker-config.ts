import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { commonEnv } from "./common-env.js";
import { ConfigError } from "./config-error.js";
import { type Env, httpUrl, nonNegativeInt, nonNegativeNumber, parseEnv, port, positiveInt } from "./env-spec.js";
import { redisPassword } from "./ingest-config.js";

// claude-sonnet-4-5 reaches end-of-life on 2026-11-30 (the SDK's deprecation table).
export const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-6";
export const DEFAULT_SANDBOX_IMAGE = "fixfleet-sandbox:latest";

/** Every variable the worker reads, with its default and an example (.env.example lists them all). */
export const workerEnv = {
  ...commonEnv,
  GITHUB_PRIVATE_KEY: {
    schema: z.string(),
    optional: true,
    example: '"-----BEGIN RSA PRIVATE KEY-----\\n..."',
    secret: true,
  },
  GITHUB_PRIVATE_KEY_PATH: {
    schema: z.string().min(1),
    optional: true,
    example: "/run/secrets/github-app.pem",
  },
  ANTHROPIC_API_KEY: {
    schema: z.string().min(10, "is too short to be an API key"),
    example: "sk-ant-...",
    secret: true,
  },
  ANTHROPIC_BASE_URL: { schema: httpUrl, optional: true, example: "https://api.anthropic.com" },
  ANTHROPIC_MODEL: {
    schema: z.string().min(1),
    default: DEFAULT_ANTHROPIC_MODEL,
    example: DEFAULT_ANTHROPIC_MODEL,
  },
  DOCKER_HOST: { schema: z.string().min(1), optional: true, example: "unix:///var/run/docker.sock" },
  SANDBOX_IMAGE: {
    schema: z.string().min(1),
    default: DEFAULT_SANDBOX_IMAGE,
    example: DEFAULT_SANDBOX_IMAGE,
  },
  WORKER_CONCURRENCY: { schema: positiveInt, default: "2", example: "2" },
  METRICS_PORT: { schema: port, default: "9464", example: "9464" },
  // Operator tunables beyond the contract's list (README, "Operator tunables").
  WORKER_GRACE_MS: { schema: nonNegativeInt, default: "120000", example: "120000" },
  WORKER_LOCK_MS: { schema: positiveInt, default: "60000", example: "60000" },
  MODEL_CONCURRENCY: { schema: positiveInt, default: "8", example: "8" },
  ATTEMPTS_PER_PR_PER_DAY: { schema: positiveInt, default: "10", example: "10" },
  SANDBOX_TTL_MS: { schema: positiveInt, default: "2700000", example: "2700000" },
  SANDBOX_REAP_AFTER_MS: { schema: positiveInt, default: "90000", example: "90000" },
  // Where a sandbox's workspace lives: "disk" (the engine's volume directory) or "memory" (a
  // size-capped tmpfs volume: faster to fill and remove; the files count against the sandbox's memory).
  SANDBOX_WORKSPACE: { schema: z.enum(["disk", "memory"]), default: "disk", example: "memory" },
  FLEET_ID: {
    schema: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes"),
    default: "default",
    example: "production",
  },
  // Money budgets in US dollars, enforced in Redis before every model turn; 0 turns one off.
  BUDGET_USD_PER_FIX: { schema: nonNegativeNumber, default: "5", example: "5" },
  BUDGET_USD_PER_PR: { schema: nonNegativeNumber, default: "20", example: "20" },
  BUDGET_USD_PER_REPO_DAY: { schema: nonNegativeNumber, default: "50", example: "50" },
  BUDGET_USD_PER_INSTALLATION_DAY: { schema: nonNegativeNumber, default: "200", example: "200" },
  // Token budgets (input, output and cache tokens together), the same way; 0 (default) turns one off.
  BUDGET_TOKENS_PER_FIX: { schema: nonNegativeInt, default: "0", example: "2000000" },
  BUDGET_TOKENS_PER_PR: { schema: nonNegativeInt, default: "0", example: "8000000" },
  BUDGET_TOKENS_PER_REPO_DAY: { schema: nonNegativeInt, default: "0", example: "20000000" },
  BUDGET_TOKENS_PER_INSTALLATION_DAY: { schema: nonNegativeInt, default: "0", example: "80000000" },
} as const;

export interface WorkerConfig {
  redisUrl: string;
  logLevel: string;
  github: { appId: string; apiUrl: string; privateKey: string };
  anthropic: { apiKey: string; baseUrl: string | undefined; model: string };
  dockerHost: string | undefined;
  sandboxImage: string;
  concurrency: number;
  metricsPort: number;
  /** How long running fixes may finish after SIGTERM before they are handed back. */
  graceMs: number;
  /** Lease of a job's lock: a killed worker's job goes to another worker after about this. */
  lockMs: number;
  /** Model runs at once across the whole fleet. */
  modelConcurrency: number;
  attemptsPerPrPerDay: number;
  /** A sandbox container's own time-to-live, the backstop if every cleanup fails. */
  sandboxTtlMs: number;
  /** A sandbox whose worker has not sent a heartbeat for this long is removed by the reaper. */
  sandboxReapAfterMs: number;
  sandboxWorkspace: "disk" | "memory";
  /** Names this fleet's sandboxes: a reaper only judges its own fleet's (engines may be shared). */
  fleetId: string;
  /** Money budgets in US dollars (0: no limit). */
  budgetsUsd: { fix: number; pr: number; repoDay: number; installationDay: number };
  budgetsTokens: { fix: number; pr: number; repoDay: number; installationDay: number };
}

export interface ReadWorkerConfigDeps {
  readFile?: (path: string) => string;
}

/** Turns the environment into the worker process's typed options, or throws ConfigError. */
export function readWorkerConfig(env: Env, deps: ReadWorkerConfigDeps = {}): WorkerConfig {
  const readFile = deps.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const parsed = parseEnv(workerEnv, env);
  const problems = parsed.ok ? [] : [...parsed.problems];
  let privateKey: string | undefined;
  const inline = env.GITHUB_PRIVATE_KEY?.trim();
  const path = env.GITHUB_PRIVATE_KEY_PATH?.trim();
  const keyExample = "(example: GITHUB_PRIVATE_KEY_PATH=/run/secrets/github-app.pem)";
  if (inline && path) {
    problems.push(`GITHUB_PRIVATE_KEY: set together with GITHUB_PRIVATE_KEY_PATH; set only one ${keyExample}`);
  } else if (!inline && !path) {
    problems.push(`GITHUB_PRIVATE_KEY: is required (or GITHUB_PRIVATE_KEY_PATH) ${keyExample}`);
  } else {
    const source = inline ? "GITHUB_PRIVATE_KEY" : "GITHUB_PRIVATE_KEY_PATH";
    let pem: string | undefined;
    if (inline) {
      // .env files and CI secrets often carry the PEM on one line with literal "\n".
      pem = inline.replace(/\\n/g, "\n");
    } else {
      try {
        pem = readFile(path as string);
      } catch (error) {
        problems.push(
          `GITHUB_PRIVATE_KEY_PATH: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? "error"}) ${keyExample}`,
        );
      }
    }
    if (pem !== undefined) {
      const problem = checkPrivateKey(pem);
      if (problem) problems.push(`${source}: ${problem} ${keyExample}`);
      else privateKey = pem;
    }
  }
  if (!parsed.ok || problems.length > 0 || privateKey === undefined) throw new ConfigError(problems);
  const v = parsed.values;
  return {
    redisUrl: v.REDIS_URL,
    logLevel: v.LOG_LEVEL,
    github: { appId: v.GITHUB_APP_ID, apiUrl: v.GITHUB_API_URL, privateKey },
    anthropic: { apiKey: v.ANTHROPIC_API_KEY, baseUrl: v.ANTHROPIC_BASE_URL, model: v.ANTHROPIC_MODEL },
    dockerHost: v.DOCKER_HOST,
    sandboxImage: v.SANDBOX_IMAGE,
    concurrency: v.WORKER_CONCURRENCY,
    metricsPort: v.METRICS_PORT,
    graceMs: v.WORKER_GRACE_MS,
    lockMs: v.WORKER_LOCK_MS,
    modelConcurrency: v.MODEL_CONCURRENCY,
    attemptsPerPrPerDay: v.ATTEMPTS_PER_PR_PER_DAY,
    sandboxTtlMs: v.SANDBOX_TTL_MS,
    sandboxReapAfterMs: v.SANDBOX_REAP_AFTER_MS,
    sandboxWorkspace: v.SANDBOX_WORKSPACE,
    fleetId: v.FLEET_ID,
    budgetsUsd: {
      fix: v.BUDGET_USD_PER_FIX,
      pr: v.BUDGET_USD_PER_PR,
      repoDay: v.BUDGET_USD_PER_REPO_DAY,
      installationDay: v.BUDGET_USD_PER_INSTALLATION_DAY,
    },
    budgetsTokens: {
      fix: v.BUDGET_TOKENS_PER_FIX,
      pr: v.BUDGET_TOKENS_PER_PR,
      repoDay: v.BUDGET_TOKENS_PER_REPO_DAY,
      installationDay: v.BUDGET_TOKENS_PER_INSTALLATION_DAY,
    },
  };
}

function checkPrivateKey(pem: string): string | undefined {
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    return "is not a PEM private key (PKCS#1 'BEGIN RSA PRIVATE KEY' or PKCS#8 'BEGIN PRIVATE KEY')";
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "rsa") return "must be an RSA key, as GitHub Apps use";
  } catch {
    return "is not a readable PEM private key";
  }
  return undefined;
}

/** Secret values of a worker config, for the log redactor and the sandbox guard. */
export function workerSecrets(config: WorkerConfig): string[] {
  return [config.github.privateKey, config.anthropic.apiKey, redisPassword(config.redisUrl)].filter(
    (s): s is string => !!s,
  );
}
