import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { IngestEnv } from "../../app/ingest-env.js";
import { httpError } from "../../errors/http-error.js";

export { isPlainObject, parseJson } from "./parse-json.js";

/** GitHub caps webhook payloads at 25 MB; ours are small, and 1 MiB is the contract's limit. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body as raw bytes (the webhook signature is over exactly these), refusing it with
 * 413 as soon as it grows past the limit: a declared Content-Length over the limit is refused
 * before reading, a chunked body is counted while it streams and never held whole.
 */
export function rawBody(maxBytes: number = MAX_BODY_BYTES): MiddlewareHandler<IngestEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw httpError(413, { error: "payload_too_large", message: `the body is larger than ${maxBytes} bytes` });
    },
  });
  return async (c, next) => {
    await limit(c, async () => {
      c.set("rawBody", new Uint8Array(await c.req.arrayBuffer()));
      await next();
    });
  };
}
