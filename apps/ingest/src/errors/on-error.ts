import { type Logger, TransientError } from "@fixfleet/shared";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/** Every error that escapes a route becomes a JSON answer; only our own bugs are 500s. */
export function onError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (error instanceof HTTPException) {
      const outcome = error.status === 429 ? "rate_limited" : error.status === 503 ? "unavailable" : "rejected";
      c.set("logFields", { ...c.get("logFields"), outcome, reason: error.message });
      return error.getResponse();
    }
    if (error instanceof TransientError) {
      c.set("logFields", { ...c.get("logFields"), outcome: "unavailable", reason: error.code, detail: error.reason });
      const what = error.code === "redis-unavailable" ? "storage is unavailable" : error.reason;
      return c.json({ error: "unavailable", message: `${what}; nothing was accepted, retry later` }, 503, {
        "retry-after": String(Math.ceil((error.retryAfterMs ?? 5_000) / 1000)),
      });
    }
    logger.error({ err: error, route: c.req.routePath }, "unexpected error");
    return c.json({ error: "internal", message: "an unexpected error occurred" }, 500);
  };
}
