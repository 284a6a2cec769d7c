// The servers under benchmark, in a process of their own so the load generator does not share
// their event loop: the ingest app exactly as main.ts builds it (real Redis, logging to a
// stream, metrics), and a bare Hono route on the same @hono/node-server stack that answers 202
// without any work. Prints one JSON line with their URLs when listening.
import type { AddressInfo } from "node:net";
// Through the package's exports: the built dist (as `npm start` runs it) unless the "source"
// condition is on.
import { bufferedLogDestination, createIngestApp, startIngestServer } from "@fixfleet/ingest";
import { createLogger, createRedis, ingestSecrets, readIngestConfig } from "@fixfleet/shared";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";

const config = readIngestConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1" });
// Logs go where production sends them (stdout, batched as main.ts does), at the production
// level: one line per request.
const logger = createLogger({
  name: "bench-ingest",
  level: "info",
  secrets: ingestSecrets(config),
  destination: bufferedLogDestination(),
});
// As main.ts connects.
const redis = createRedis(config.redisUrl, { role: "producer" });
await new Promise((resolve) => redis.once("ready", resolve));
const ingest = createIngestApp({
  config,
  redis,
  logger,
  prefix: process.env.BENCH_PREFIX ?? "bench",
  // The benchmark is one account sending far past a production budget.
  rateLimit: { points: 10_000_000, durationSec: 60 },
});
const server = await startIngestServer(ingest, { port: 0, host: "127.0.0.1" });

const bare = new Hono();
bare.post("/webhooks/github", (c) => c.json({ accepted: true }, 202));
const bareServer = createAdaptorServer({ fetch: bare.fetch });
await new Promise<void>((resolve) => bareServer.listen(0, "127.0.0.1", () => resolve()));

process.send?.({ ingest: server.url, bare: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}` });
// CPU time of this process so far, for the run's per-request cost (steadier than rates on a busy machine).
process.on("message", (m) => {
  if (m === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
process.on("SIGTERM", async () => {
  bareServer.close();
  await server.stop({ graceMs: 1_000 });
  redis.disconnect();
  process.exit(0);
});
