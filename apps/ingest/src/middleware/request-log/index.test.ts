import { Writable } from "node:stream";
import { createLogger } from "@fixfleet/shared";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { IngestEnv } from "../../app/ingest-env.js";
import { createIngestMetrics } from "../../metrics/ingest-metrics.js";
import { requestLog } from "./index.js";

const SECRET = "whsec-request-log-secret-value";

function logged() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ name: "t", secrets: [SECRET], destination });
  const metrics = createIngestMetrics({ queues: [], defaultMetrics: false });
  const app = new Hono<IngestEnv>();
  app.use("*", requestLog(logger, metrics));
  return { app, lines, metrics };
}

describe("requestLog", () => {
  it("writes one line per request with what the route learned", async () => {
    const { app, lines } = logged();
    app.post("/webhooks/github", (c) => {
      Object.assign(c.get("logFields"), { source: "webhook", outcome: "accepted", repository: "o/r" });
      return c.json({}, 202);
    });
    await app.request("/webhooks/github", { method: "POST", headers: { "x-github-delivery": "d-1" } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: "request",
      route: "/webhooks/github",
      status: 202,
      deliveryId: "d-1",
      outcome: "accepted",
      repository: "o/r",
    });
  });

  it("counts the request, its duration and the report in the metrics", async () => {
    const { app, metrics } = logged();
    app.post("/webhooks/github", (c) => {
      Object.assign(c.get("logFields"), { source: "webhook", outcome: "ignored", reason: "event" });
      return c.json({}, 202);
    });
    for (let i = 0; i < 2; i += 1) await app.request("/webhooks/github", { method: "POST" });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'fixfleet_ingest_http_requests_total{method="POST",route="/webhooks/github",status="202"} 2',
    );
    expect(text).toContain(
      'fixfleet_ingest_http_request_duration_seconds_count{method="POST",route="/webhooks/github"} 2',
    );
    expect(text).toContain('fixfleet_ingest_reports_total{source="webhook",outcome="ignored",reason="event"} 2');
  });

  it("scrubs a secret value or a token that reaches the line through what a route wrote", async () => {
    const { app, lines } = logged();
    const token = `ghs_${"b".repeat(36)}`;
    app.get("/x", (c) => {
      c.get("logFields").detail = `failed with ${SECRET} and ${token}`;
      return c.json({}, 400);
    });
    await app.request("/x");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(SECRET);
    expect(lines[0]).not.toContain(token);
    expect(JSON.parse(lines[0]!).detail).toBe("failed with [REDACTED] and [REDACTED]");
  });
});
