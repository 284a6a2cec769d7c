import { Writable } from "node:stream";
import {
  createLogger,
  createRedis,
  type FixJobData,
  type IngestConfig,
  ingestSecrets,
  readBatch,
  readIngestConfig,
  type StoredReport,
} from "@fixfleet/shared";
import {
  type RunningOidcIssuer,
  startOidcIssuer,
  testRedisUrl,
  uniquePrefix,
  webhookExample,
  webhookRequest,
} from "@fixfleet/testkit";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { createIngestApp, type IngestApp } from "../src/app/create-ingest-app.js";
import type { IngestAppDeps } from "../src/app/ingest-app-deps.js";

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";
export const SHA_A = "a".repeat(40);
export const SHA_B = "b".repeat(40);

export interface HarnessOptions extends Partial<Omit<IngestAppDeps, "config" | "redis" | "logger">> {
  env?: Record<string, string>;
  redisUrl?: string;
  issuer?: RunningOidcIssuer;
}

/** A response whose JSON a test reads field by field. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on the shape
export type JsonResponse = Omit<Response, "json"> & { json(): Promise<any> };

export interface Harness {
  ingest: IngestApp;
  redis: Redis;
  prefix: string;
  config: IngestConfig;
  issuer: RunningOidcIssuer;
  logLines: string[];
  webhook(
    event: string,
    payload: unknown,
    options?: { deliveryId?: string; headers?: Record<string, string | undefined> },
  ): Promise<JsonResponse>;
  failure(body: unknown, token: string | undefined, headers?: Record<string, string>): Promise<JsonResponse>;
  jobs(): Promise<Job<FixJobData>[]>;
  reportsOf(job: Job<FixJobData>): Promise<number>;
  /** Every key this test wrote under its prefix. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const prefix = uniquePrefix("ingest");
  const ownIssuer = !options.issuer;
  const issuer = options.issuer ?? (await startOidcIssuer());
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const config = readIngestConfig({
    GITHUB_APP_ID: "12345",
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    REDIS_URL: redisUrl,
    GITHUB_OIDC_ISSUER: issuer.url,
    BATCH_WINDOW_MS: "20000",
    BATCH_MAX_WAIT_MS: "120000",
    ...options.env,
  });
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: "ingest-test", level: "debug", secrets: ingestSecrets(config), destination });
  const redis = createRedis(redisUrl, { role: "producer" });
  redis.on("error", () => {});
  // A producer connection refuses commands until it is ready.
  if (!options.redisUrl || redis.status !== "ready") {
    await new Promise<void>((resolve) => {
      if (redis.status === "ready") resolve();
      redis.once("ready", () => resolve());
      setTimeout(resolve, 5_000).unref();
    });
  }
  const { env: _env, redisUrl: _url, issuer: _issuer, ...deps } = options;
  const ingest = createIngestApp({
    config,
    redis,
    logger,
    prefix,
    defaultMetrics: false,
    oidc: { jwksCooldownMs: 0 },
    ...deps,
  });
  return {
    ingest,
    redis,
    prefix,
    config,
    issuer,
    logLines,
    async webhook(event, payload, more = {}) {
      const request = await webhookRequest({
        url: "http://ingest.test/webhooks/github",
        secret: WEBHOOK_SECRET,
        event,
        payload,
        ...more,
      });
      return ingest.app.request(request.url, { method: "POST", headers: request.headers, body: request.body });
    },
    async failure(body, token, headers = {}) {
      return await ingest.app.request("http://ingest.test/v1/failures", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    jobs: () =>
      ingest.queue.getJobs(["delayed", "waiting", "active", "completed", "failed", "prioritized"]) as Promise<
        Job<FixJobData>[]
      >,
    async reportsOf(job) {
      return (await readBatch(redis, prefix, job.data.batchId))?.reports.length ?? 0;
    },
    async keys() {
      return redis.keys(`${prefix}:*`);
    },
    async close() {
      await ingest.close();
      redis.disconnect();
      if (ownIssuer) await issuer.close();
    },
  };
}

/** A repository_dispatch payload as GitHub sends it for a fixfleet report. */
export function dispatchPayload(
  report: Record<string, unknown>,
  repo: { owner?: string; name?: string; id?: number; installation?: number } = {},
) {
  const owner = repo.owner ?? "octo-org";
  const name = repo.name ?? "octo-repo";
  return {
    action: "fixfleet",
    branch: "main",
    client_payload: report,
    repository: {
      id: repo.id ?? 4242,
      name,
      full_name: `${owner}/${name}`,
      owner: { login: owner, id: 777 },
      private: true,
    },
    organization: { login: owner, id: 777 },
    sender: { login: "octocat", id: 1 },
    installation: { id: repo.installation ?? 99, node_id: "MDIz" },
  };
}

/**
 * Stored reports of octo-org/octo-repo for tests that drive the batching code directly: each
 * with a run id and delivery id of its own, on head commits from `newSha()`.
 */
export function storedReports(options: {
  receivedAt: number;
  firstRun: number;
  shaFill: string;
  deliveryPrefix: string;
}) {
  let run = options.firstRun;
  let shas = 0;
  return {
    newSha: () => {
      shas += 1;
      return shas.toString(16).padStart(40, options.shaFill);
    },
    entry: (sha: string): StoredReport => {
      run += 1;
      return {
        v: 1,
        source: "repository_dispatch",
        receivedAt: options.receivedAt,
        deliveryId: `${options.deliveryPrefix}-${run}`,
        repository: { owner: "octo-org", name: "octo-repo", id: 4242 },
        installationId: 99,
        report: { v: 1, run_id: run, sha, job: "test" },
      };
    },
  };
}

let runCounter = 1_000;
export function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  runCounter += 1;
  return { v: 1, run_id: runCounter, run_attempt: 1, sha: SHA_A, job: "test", ...overrides };
}

/** A real issue_comment example, moved onto a pull request and given a body. */
export function prComment(body: string, overrides: Record<string, unknown> = {}) {
  const example = structuredClone(webhookExample("issue_comment", { action: "created" }));
  example.issue.pull_request = {
    url: `${example.repository.url}/pulls/${example.issue.number}`,
    html_url: `${example.repository.html_url}/pull/${example.issue.number}`,
    diff_url: `${example.repository.html_url}/pull/${example.issue.number}.diff`,
    patch_url: `${example.repository.html_url}/pull/${example.issue.number}.patch`,
    merged_at: null,
  };
  example.comment.body = body;
  return { ...example, ...overrides };
}
