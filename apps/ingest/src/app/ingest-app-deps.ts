import type { IngestConfig, Logger } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import type { RateLimitOptions } from "../rate-limit/report-rate-limiter.js";

/** GitHub Actions events whose OIDC tokens may report failures, unless configured otherwise. */
export const DEFAULT_ALLOWED_EVENT_NAMES = [
  "push",
  "pull_request",
  "workflow_run",
  "workflow_dispatch",
  "merge_group",
  "schedule",
] as const;

/** Everything the ingest app needs, passed in so tests run it in-process with real Redis. */
export interface IngestAppDeps {
  config: IngestConfig;
  /** A `producer` connection (createRedis(url, { role: "producer" })): fails fast while Redis is down. */
  redis: Redis;
  logger: Logger;
  /** Milliseconds since the epoch; Date.now by default. */
  now?: () => number;
  /** Prefix of BullMQ's keys and of batches (DEFAULT_KEY_PREFIX). */
  prefix?: string;
  /** `event_name` claims allowed on POST /v1/failures. */
  allowedEventNames?: readonly string[];
  /** When set, only repositories of these accounts are accepted (others: 403). */
  allowedOwners?: readonly string[];
  /** Logins of the App's bot (`<app-slug>[bot]`): workflow runs it triggered are ignored. */
  appBotLogins?: readonly string[];
  /** Earlier webhook secrets still accepted while the secret is rotated. */
  previousWebhookSecrets?: readonly string[];
  rateLimit?: RateLimitOptions;
  oidc?: { clockToleranceSec?: number; jwksCooldownMs?: number; fetchTimeoutMs?: number };
  dedupTtlMs?: number;
  batchTtlMs?: number;
  /** Process metrics (CPU, memory, event loop); off in tests that build many apps. */
  defaultMetrics?: boolean;
}
