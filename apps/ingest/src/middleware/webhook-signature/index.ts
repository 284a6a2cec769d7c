import type { MiddlewareHandler } from "hono";
import type { IngestEnv } from "../../app/ingest-env.js";
import { httpError } from "../../errors/http-error.js";
import { verifySignature } from "./verify-signature.js";

export { verifySignature } from "./verify-signature.js";

/** 401 unless the raw body carries the App's webhook signature. Runs after rawBody(). */
export function webhookSignature(secrets: readonly string[]): MiddlewareHandler<IngestEnv> {
  return async (c, next) => {
    const signature = c.req.header("x-hub-signature-256");
    if (!signature) {
      throw httpError(401, { error: "unauthorized", message: "X-Hub-Signature-256 is missing" });
    }
    if (!verifySignature(secrets, c.get("rawBody"), signature)) {
      throw httpError(401, { error: "unauthorized", message: "X-Hub-Signature-256 does not match the body" });
    }
    await next();
  };
}
