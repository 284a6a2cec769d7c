import { z } from "zod";
import { commonEnv } from "./common-env.js";
import { ConfigError } from "./config-error.js";
import { type Env, httpUrl, nonNegativeInt, parseEnv, port } from "./env-spec.js";

/** Every variable ingest reads, with its default and an example (.env.example lists them all). */
export const ingestEnv = {
  ...commonEnv,
  PORT: { schema: port, default: "3000", example: "3000" },
  HOST: { schema: z.string().min(1), default: "0.0.0.0", example: "0.0.0.0" },
  GITHUB_WEBHOOK_SECRET: {
    schema: z.string().min(8, "must be at least 8 characters"),
    example: "a-long-random-string",
    secret: true,
  },
  GITHUB_OIDC_ISSUER: {
    schema: httpUrl,
    default: "https://token.actions.githubusercontent.com",
    example: "https://token.actions.githubusercontent.com",
  },
  GITHUB_OIDC_AUDIENCE: { schema: z.string().min(1), default: "fixfleet", example: "fixfleet" },
  DISPATCH_EVENT_TYPE: {
    schema: z.string().min(1).max(100, "GitHub allows at most 100 characters"),
    default: "fixfleet",
    example: "fixfleet",
  },
  // The App's slug (its URL name): workflow runs its bot triggered (fixfleet's own pushes) are
  // not new failures to fix, and ingest has no key to ask GitHub for it.
  GITHUB_APP_SLUG: {
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,33}$/, "must be the App's slug: lower-case letters, digits and dashes"),
    optional: true,
    example: "fixfleet",
  },
  BATCH_WINDOW_MS: { schema: nonNegativeInt, default: "20000", example: "20000" },
  BATCH_MAX_WAIT_MS: { schema: nonNegativeInt, default: "120000", example: "120000" },
  DASHBOARD_USER: { schema: z.string().min(1), optional: true, example: "admin" },
  DASHBOARD_PASSWORD: {
    schema: z.string().min(8, "must be at least 8 characters"),
    optional: true,
    example: "a-long-random-password",
    secret: true,
  },
} as const;

export interface IngestConfig {
  redisUrl: string;
  port: number;
  host: string;
  logLevel: string;
  github: {
    appId: string;
    apiUrl: string;
    webhookSecret: string;
    oidcIssuer: string;
    oidcAudience: string;
    /** Logins of the App's bot (`<slug>[bot]`), from GITHUB_APP_SLUG. */
    botLogins: string[];
  };
  dispatchEventType: string;
  batchWindowMs: number;
  batchMaxWaitMs: number;
  /** Absent when DASHBOARD_USER/DASHBOARD_PASSWORD are not set: the dashboard is off. */
  dashboard: { user: string; password: string } | undefined;
}

/** Turns the environment into the ingest process's typed options, or throws ConfigError. */
export function readIngestConfig(env: Env): IngestConfig {
  const parsed = parseEnv(ingestEnv, env);
  if (!parsed.ok) throw new ConfigError(parsed.problems);
  const v = parsed.values;
  const problems: string[] = [];
  if (v.BATCH_MAX_WAIT_MS < v.BATCH_WINDOW_MS) {
    problems.push(
      `BATCH_MAX_WAIT_MS: ${v.BATCH_MAX_WAIT_MS} is smaller than BATCH_WINDOW_MS (${v.BATCH_WINDOW_MS}); it must be at least as long (example: BATCH_MAX_WAIT_MS=120000)`,
    );
  }
  if ((v.DASHBOARD_USER === undefined) !== (v.DASHBOARD_PASSWORD === undefined)) {
    const missing = v.DASHBOARD_USER === undefined ? "DASHBOARD_USER" : "DASHBOARD_PASSWORD";
    problems.push(
      `${missing}: must be set together with ${missing === "DASHBOARD_USER" ? "DASHBOARD_PASSWORD" : "DASHBOARD_USER"}, or neither to turn the dashboard off (example: ${missing}=${ingestEnv[missing].example})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    redisUrl: v.REDIS_URL,
    port: v.PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    github: {
      appId: v.GITHUB_APP_ID,
      apiUrl: v.GITHUB_API_URL,
      webhookSecret: v.GITHUB_WEBHOOK_SECRET,
      oidcIssuer: v.GITHUB_OIDC_ISSUER,
      oidcAudience: v.GITHUB_OIDC_AUDIENCE,
      botLogins: v.GITHUB_APP_SLUG ? [`${v.GITHUB_APP_SLUG}[bot]`] : [],
    },
    dispatchEventType: v.DISPATCH_EVENT_TYPE,
    batchWindowMs: v.BATCH_WINDOW_MS,
    batchMaxWaitMs: v.BATCH_MAX_WAIT_MS,
    dashboard:
      v.DASHBOARD_USER !== undefined && v.DASHBOARD_PASSWORD !== undefined
        ? { user: v.DASHBOARD_USER, password: v.DASHBOARD_PASSWORD }
        : undefined,
  };
}

/** Secret values of an ingest config, for the log redactor. */
export function ingestSecrets(config: IngestConfig): string[] {
  return [config.github.webhookSecret, config.dashboard?.password, redisPassword(config.redisUrl)].filter(
    (s): s is string => !!s,
  );
}

export function redisPassword(url: string): string | undefined {
  const password = URL.canParse(url) ? new URL(url).password : "";
  return password ? decodeURIComponent(password) : undefined;
}
