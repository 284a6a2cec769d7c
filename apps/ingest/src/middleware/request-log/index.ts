import { randomUUID } from "node:crypto";
import type { Logger } from "@fixfleet/shared";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { IngestEnv } from "../../app/ingest-env.js";
import type { IngestMetrics } from "../../metrics/ingest-metrics.js";

const QUIET_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * One structured line per request (route, status, time, and what the route learned: delivery
 * id, repository, outcome), a child logger for the route, and the HTTP metrics. Secrets never
 * reach the line: headers are not logged, and the logger scrubs values besides.
 */
export function requestLog(logger: Logger, metrics: IngestMetrics): MiddlewareHandler<IngestEnv> {
  // The request line is built here from fixed fields (no header, no body): none is named like
  // a redact path, so pino's path redaction, which re-parses its paths on every line and cost
  // as much as the rest of the line, is skipped for it. The secret scrub of the finished line
  // (by value and shape) still applies: it is the destination's hook, shared with the parent.
  const lineLogger = logger.child({}, { redact: { paths: [] } });
  return async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    const deliveryId = c.req.header("x-github-delivery")?.slice(0, 100);
    // The base logger, not a child per request: pino serializes a child's bindings eagerly,
    // which costs more than the one line it would carry them into.
    c.set("logger", logger);
    c.set("logFields", deliveryId ? { deliveryId } : {});
    try {
      await next();
    } finally {
      const status = c.res.status;
      const last = routePath(c, -1);
      const route = last === "/*" || last === "*" ? "unmatched" : last;
      const seconds = (performance.now() - started) / 1000;
      metrics.requests.inc(c.req.method, route, String(status));
      metrics.duration.observe({ method: c.req.method, route }, seconds);
      const fields = c.get("logFields");
      if (fields.source && fields.outcome) metrics.reports.inc(fields.source, fields.outcome, fields.reason ?? "");
      const line = { requestId, method: c.req.method, route, status, ms: Math.round(seconds * 1000), ...fields };
      // A route that set a logger of its own (with bindings) gets its line there.
      const out = c.get("logger") === logger ? lineLogger : c.get("logger");
      if (QUIET_ROUTES.has(route) && status < 500) out.debug(line, "request");
      else if (status >= 500) out.error(line, "request");
      else out.info(line, "request");
    }
  };
}
