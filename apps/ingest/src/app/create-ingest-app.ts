import {
  batchRedisKeys,
  type ControlJobData,
  DEFAULT_KEY_PREFIX,
  FIX_JOB_OPTIONS,
  QUEUE_NAMES,
  type RepositoryRef,
  type StoredReport,
} from "@fixfleet/shared";
import { Queue } from "bullmq";
import { Hono } from "hono";
import { createFirstStep } from "../batching/accept-first-step.js";
import { acceptReport, type StoredOutcome } from "../batching/accept-report.js";
import { enqueueControlJob } from "../control/enqueue-control-job.js";
import { DASHBOARD_PATH, dashboardRoute } from "../dashboard/dashboard-route.js";
import { httpError } from "../errors/http-error.js";
import { onError } from "../errors/on-error.js";
import { withRedis } from "../errors/redis-unavailable-error.js";
import { createActionsTokenVerifier } from "../failures/actions-token-verifier.js";
import { failuresRoute } from "../failures/failures-route.js";
import { healthRoute } from "../health/health-route.js";
import { createIngestMetrics } from "../metrics/ingest-metrics.js";
import { metricsRoute } from "../metrics/metrics-route.js";
import { requestLog } from "../middleware/request-log/index.js";
import { createReportRateLimiter, rateLimitedError } from "../rate-limit/report-rate-limiter.js";
import { webhooksRoute } from "../webhooks/webhooks-route.js";
import { DEFAULT_ALLOWED_EVENT_NAMES, type IngestAppDeps } from "./ingest-app-deps.js";
import type { IngestEnv } from "./ingest-env.js";

export interface IngestApp {
  app: Hono<IngestEnv>;
  /** The fix queue this app adds to. */
  queue: Queue;
  /** PR commands and outcome events, for the worker's control processor. */
  controlQueue: Queue;
  metrics: ReturnType<typeof createIngestMetrics>;
  /** Readiness answers 503 from now on, so balancers stop sending; requests still finish. */
  drain(): void;
  /** Closes the queues and their connection (not the app's Redis connection, which the caller owns). */
  close(): Promise<void>;
}

/** The ingest HTTP app (CONTRACT.md §3), with every dependency passed in. */
export function createIngestApp(deps: IngestAppDeps): IngestApp {
  const { config, redis, logger } = deps;
  const now = deps.now ?? Date.now;
  const prefix = deps.prefix ?? DEFAULT_KEY_PREFIX;
  const keys = batchRedisKeys(prefix);
  // BullMQ defines its 64 Lua scripts on the connection it is given, and ioredis copies every
  // script defined on a connection onto each auto-pipeline it makes (one per tick under load,
  // tens of µs each): the queues get a connection of their own, the per-request commands keep a lean one.
  const queueRedis = redis.duplicate();
  // Its errors are the app connection's (same server), logged there.
  queueRedis.on("error", () => {});
  const queue = new Queue(QUEUE_NAMES.fix, {
    connection: queueRedis,
    prefix,
    defaultJobOptions: FIX_JOB_OPTIONS,
  });
  const controlQueue = new Queue(QUEUE_NAMES.control, {
    connection: queueRedis,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
      // Kept a week: the job id is the delivery id, so a redelivery within it is a duplicate.
      removeOnComplete: { age: 7 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    },
  });
  // The queues share the app's connection; its errors are the connection's, logged once there.
  queue.on("error", () => {});
  controlQueue.on("error", () => {});
  const metrics = createIngestMetrics({ queues: [queue, controlQueue], defaultMetrics: deps.defaultMetrics });
  const batching = {
    prefix,
    windowMs: config.batchWindowMs,
    maxWaitMs: config.batchMaxWaitMs,
    dedupTtlMs: deps.dedupTtlMs,
    batchTtlMs: deps.batchTtlMs,
  };
  // One script call for the reports (and rate-limit checks) of each event-loop round.
  const firstStep = createFirstStep({ redis, now, options: { ...batching, rateLimit: deps.rateLimit } });
  const consume = createReportRateLimiter(firstStep);
  const allowedOwners = deps.allowedOwners?.map((o) => o.toLowerCase());
  let draining = false;

  const checkOwner = (subject: { repository: RepositoryRef }) => {
    if (allowedOwners && !allowedOwners.includes(subject.repository.owner.toLowerCase())) {
      throw httpError(403, {
        error: "forbidden",
        message: `repositories of ${subject.repository.owner} are not served by this fixfleet`,
      });
    }
  };
  const admit = async (subject: { repository: RepositoryRef }, account: string) => {
    checkOwner(subject);
    await consume(account);
  };
  const enqueueControl = (entry: ControlJobData) => enqueueControlJob(controlQueue, entry);
  const accept = async (entry: StoredReport, account: string): Promise<StoredOutcome> => {
    checkOwner(entry);
    const outcome = await acceptReport({ redis, queue, firstStep, options: batching }, entry, account);
    if (outcome.outcome === "rate_limited") throw rateLimitedError(outcome.retryAfterMs);
    if (outcome.outcome === "accepted") {
      metrics.batchSize.observe(outcome.reportCount);
      if (outcome.newBatch) metrics.batchesOpened.inc();
    }
    return outcome;
  };

  const app = new Hono<IngestEnv>();
  app.onError(onError(logger));
  app.notFound((c) => c.json({ error: "not_found", message: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.use("*", requestLog(logger, metrics));
  app.route("/", healthRoute({ redis, metrics, draining: () => draining }));
  app.route("/", metricsRoute(metrics));
  app.route(
    "/webhooks/github",
    webhooksRoute({
      secrets: [config.github.webhookSecret, ...(deps.previousWebhookSecrets ?? [])],
      dispatchEventType: config.dispatchEventType,
      appBotLogins: deps.appBotLogins ?? [],
      now,
      accept,
      admit,
      enqueueControl,
    }),
  );
  app.route(
    "/v1/failures",
    failuresRoute({
      verify: createActionsTokenVerifier({
        issuer: config.github.oidcIssuer,
        audience: config.github.oidcAudience,
        ...deps.oidc,
      }),
      allowedEventNames: deps.allowedEventNames ?? DEFAULT_ALLOWED_EVENT_NAMES,
      now,
      knownRepositoryId: async (fullName) =>
        (await withRedis(() => redis.get(keys.repositoryId(fullName)))) ?? undefined,
      accept,
    }) as unknown as Hono<IngestEnv>,
  );
  if (config.dashboard) app.route(DASHBOARD_PATH, dashboardRoute([queue, controlQueue], config.dashboard));

  return {
    app,
    queue,
    controlQueue,
    metrics,
    drain: () => {
      draining = true;
    },
    close: async () => {
      await Promise.all([queue.close(), controlQueue.close()]);
      queueRedis.disconnect();
    },
  };
}
