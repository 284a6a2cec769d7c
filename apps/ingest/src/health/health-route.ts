import { Hono } from "hono";
import type { Redis } from "ioredis";
import type { IngestEnv } from "../app/ingest-env.js";
import { withRedis } from "../errors/redis-unavailable-error.js";
import type { IngestMetrics } from "../metrics/ingest-metrics.js";

/**
 * GET /healthz: the process answers. GET /readyz: Redis answers PING and the process is not
 * draining, so a load balancer sends reports only where they can be stored.
 */
export function healthRoute(deps: { redis: Redis; metrics: IngestMetrics; draining: () => boolean }): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (deps.draining()) return c.json({ status: "draining" }, 503);
    try {
      await withRedis(() => deps.redis.ping(), 1_000);
      deps.metrics.redisUp.set(1);
      return c.json({ status: "ready", redis: "ok" });
    } catch {
      deps.metrics.redisUp.set(0);
      return c.json({ status: "unavailable", redis: "unreachable" }, 503);
    }
  });
  return app;
}
