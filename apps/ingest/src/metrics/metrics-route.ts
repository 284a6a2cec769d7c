import { Hono } from "hono";
import type { IngestEnv } from "../app/ingest-env.js";
import type { IngestMetrics } from "./ingest-metrics.js";

/** GET /metrics in Prometheus' text format. */
export function metricsRoute(metrics: IngestMetrics): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  app.get("/metrics", async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, { "content-type": metrics.registry.contentType });
  });
  return app;
}
