import {
  createLogger,
  createRedis,
  ingestSecrets,
  onShutdownSignals,
  readConfigOrExit,
  readIngestConfig,
} from "@fixfleet/shared";
import { createIngestApp } from "./app/create-ingest-app.js";
import { bufferedLogDestination } from "./logging/buffered-log-destination.js";
import { startIngestServer } from "./server/start-ingest-server.js";

// The ingest process: config from the environment (CONTRACT.md §1), one producer Redis
// connection, the HTTP server, and a graceful stop on SIGTERM/SIGINT.
const config = readConfigOrExit(() => readIngestConfig(process.env));
// JSON lines to stdout in batches (bufferedLogDestination); a terminal gets pretty lines instead.
const pretty = process.stdout.isTTY === true && process.env.NODE_ENV !== "production";
const logger = createLogger({
  name: "fixfleet-ingest",
  level: config.logLevel,
  secrets: ingestSecrets(config),
  ...(pretty ? { pretty } : { destination: bufferedLogDestination() }),
});
// No auto-pipelining: the reports of concurrent requests already go to Redis in one script call
// per event-loop round (createFirstStep), and an auto-pipeline per round only adds its own cost
// (A/B in bench/README.md).
const redis = createRedis(config.redisUrl, {
  role: "producer",
  overrides: { connectionName: "fixfleet-ingest" },
});
let redisDown = false;
redis.on("error", (error) => {
  if (!redisDown) logger.warn({ err: error }, "Redis connection lost; reports get 503 until it is back");
  redisDown = true;
});
redis.on("ready", () => {
  if (redisDown) logger.info("Redis connection is back");
  redisDown = false;
});

const ingest = createIngestApp({ config, redis, logger, appBotLogins: config.github.botLogins });
const server = await startIngestServer(ingest, { port: config.port, host: config.host });
logger.info(
  { url: server.url, port: server.port, dashboard: config.dashboard ? "/admin/queues" : "off" },
  "ingest listening",
);

onShutdownSignals(logger, async (signal) => {
  logger.info({ signal }, "stopping: no new connections, finishing requests in flight");
  await server.stop({ graceMs: 10_000 });
  await redis.quit().catch(() => redis.disconnect());
});
