import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { IngestEnv } from "../../app/ingest-env.js";
import { httpError } from "../../errors/http-error.js";

export { isPlainObject, parseJson } from "./parse-json.js";

/** GitHub caps webhook payloads at 25 MB; ours are small, and 1 MiB is the contract's limit. */
export const MAX_BODY_BYTES = 1024 * 1024;

const DECIMAL = /^\d{1,16}$/;

/**
 * Reads the body as raw bytes (the webhook signature is over exactly these), refusing it with
 * 413 as soon as it grows past the limit: a declared Content-Length over the limit is refused
 * before reading, a chunked body is counted while it streams and never held whole.
 */
export function rawBody(maxBytes: number = MAX_BODY_BYTES): MiddlewareHandler<IngestEnv> {
  const tooLarge = () =>
    httpError(413, { error: "payload_too_large", message: `the body is larger than ${maxBytes} bytes` });
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared !== undefined && DECIMAL.test(declared) && c.req.header("transfer-encoding") === undefined) {
      // A declared length (every GitHub delivery has one): HTTP framing stops the body there,
      // so a length within the limit can be read in one go. On @hono/node-server that read
      // goes straight to Node's request stream, without building a web Request and stream,
      // which Hono's bodyLimit does (it looks at `body`) and which cost more than the rest of a
      // webhook's parsing put together.
      if (Number(declared) > maxBytes) throw tooLarge();
      c.set("rawBody", new Uint8Array(await c.req.arrayBuffer()));
      await next();
      return;
    }
    await limit(c, async () => {
      c.set("rawBody", new Uint8Array(await c.req.arrayBuffer()));
      await next();
    });
  };
}
