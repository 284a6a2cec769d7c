import Anthropic from "@anthropic-ai/sdk";
import { appBotLogin, createGitHubClient } from "@fixfleet/github";
import { newWorkerId, redisHeartbeats, startReaper } from "@fixfleet/sandbox";
import {
  createLogger,
  createRedactor,
  createRedis,
  DEFAULT_KEY_PREFIX,
  onShutdownSignals,
  QUEUE_NAMES,
  readConfigOrExit,
  readWorkerConfig,
  workerSecrets,
} from "@fixfleet/shared";
import { createBudgetLedger, createSignatureStore } from "@fixfleet/triage";
import { Queue } from "bullmq";
import Docker from "dockerode";
import { createControlWorker } from "./control/create-control-worker.js";
import { createPrStateStore } from "./control/pr-state-store.js";
import { budgetLimits } from "./guards/budget-limits.js";
import { createDailyAttempts } from "./guards/daily-attempts.js";
import { watchStuckQueue } from "./health/watch-stuck-queue.js";
import { startHealthServer } from "./http/health-server.js";
import { createSemaphore } from "./locks/redis-semaphore.js";
import { createWorkerMetrics } from "./metrics/worker-metrics.js";
import { createFixRecords } from "./outcomes/fix-records.js";
import { registerOutcomeMetrics } from "./outcomes/outcome-metrics.js";
import { createStageStore } from "./pipeline/stage-store.js";
import { createFixPorts } from "./ports/create-fix-ports.js";
import { createFixWorker } from "./queue/create-fix-worker.js";
import { shutdownWorker } from "./queue/shutdown-worker.js";
import { checkSandboxImage } from "./sandbox/check-sandbox-image.js";

// The worker process: config from the environment (CONTRACT.md §1), BullMQ on Redis, sandboxes
// on the Docker engine of DOCKER_HOST, GitHub as the App, Claude through the SDK.
const config = readConfigOrExit(() => readWorkerConfig(process.env));
const secrets = workerSecrets(config);
const logger = createLogger({ name: "fixfleet-worker", level: config.logLevel, secrets });
const redact = createRedactor(secrets);
const prefix = DEFAULT_KEY_PREFIX;
const workerId = newWorkerId();

const docker = new Docker();
const imageProblem = await checkSandboxImage(docker, config.sandboxImage);
if (imageProblem) {
  logger.fatal(imageProblem);
  logger.flush?.();
  process.exit(1);
}

const redis = createRedis(config.redisUrl, {
  role: "worker",
  overrides: { connectionName: `fixfleet-worker-${workerId}` },
});
const queue = new Queue(QUEUE_NAMES.fix, { connection: createRedis(config.redisUrl, { role: "worker" }), prefix });
const metrics = createWorkerMetrics();
const github = createGitHubClient({
  appId: config.github.appId,
  privateKey: config.github.privateKey,
  baseUrl: config.github.apiUrl,
  log: {
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  },
});
const anthropic = new Anthropic({
  apiKey: config.anthropic.apiKey,
  ...(config.anthropic.baseUrl ? { baseURL: config.anthropic.baseUrl } : {}),
  maxRetries: 3,
  timeout: 10 * 60_000,
});

const reaper = startReaper(docker, {
  workerId,
  heartbeats: redisHeartbeats(redis, { prefix }),
  staleAfterMs: config.sandboxReapAfterMs,
  fleet: config.fleetId,
  intervalMs: Math.min(60_000, config.sandboxReapAfterMs),
  onReap: (report) => {
    if (report.containers.length + report.volumes.length > 0) logger.info({ report }, "reaped sandboxes");
  },
  onError: (error) => logger.warn({ err: error }, "sandbox reaper pass failed"),
});

const ledger = createBudgetLedger(redis, prefix, budgetLimits(config));
const signatures = createSignatureStore(redis, prefix);
const prState = createPrStateStore(redis, prefix);
const fixRecords = createFixRecords(redis, prefix);
registerOutcomeMetrics(metrics.registry, fixRecords);
const ports = createFixPorts({
  config,
  redis,
  prefix,
  docker,
  github,
  anthropic,
  workerId,
  logger,
  redact,
  metrics,
  ledger,
  signatures,
  prState,
  fixRecords,
});
const worker = createFixWorker({
  connection: createRedis(config.redisUrl, { role: "worker" }),
  prefix,
  concurrency: config.concurrency,
  lockDurationMs: config.lockMs,
  stalledIntervalMs: Math.max(1_000, Math.floor(config.lockMs / 2)),
  pipeline: {
    ports,
    redis,
    prefix,
    stages: createStageStore(redis, prefix),
    modelSlots: createSemaphore(redis, `${prefix}:model-slots`, config.modelConcurrency, 60_000),
    dailyAttempts: createDailyAttempts(redis, prefix, config.attemptsPerPrPerDay),
    metrics,
    logger,
  },
});
worker.on("error", (error) => logger.error({ err: error }, "worker error"));

// PR commands and outcome events: a few GitHub calls each, on their own queue and connection.
const controlWorker = createControlWorker({
  connection: createRedis(config.redisUrl, { role: "worker" }),
  prefix,
  deps: {
    github,
    redis,
    prefix,
    fixQueue: queue,
    prState,
    fixRecords,
    signatures,
    botLogin: appBotLogin(github),
    logger,
  },
});
controlWorker.on("error", (error) => logger.error({ err: error }, "control worker error"));
worker.on("failed", (job, error) => logger.warn({ job: job?.id, err: error }, "fix job attempt failed"));

const stuck = watchStuckQueue(queue, { onChange: (isStuck) => metrics.queueStuck.set(isStuck ? 1 : 0) });
const health = await startHealthServer({
  port: config.metricsPort,
  registry: metrics.registry,
  problem: () => (stuck.stuck() ? "fix jobs are waiting while workers are up and none is active" : undefined),
});
void worker.run();
void controlWorker.run();
logger.info({ workerId, concurrency: config.concurrency, metricsPort: config.metricsPort }, "worker started");

onShutdownSignals(logger, async (signal) => {
  logger.info(
    { signal, graceMs: config.graceMs },
    "stopping: no new jobs; running fixes may finish within the grace period",
  );
  const [{ handedBack }] = await Promise.all([shutdownWorker(worker, config.graceMs), controlWorker.close()]);
  if (handedBack) logger.warn("grace period over: running fixes were handed back to the queue");
  stuck.stop();
  await reaper.stop();
  health.close();
  await queue.close();
  await redis.quit().catch(() => redis.disconnect());
});
