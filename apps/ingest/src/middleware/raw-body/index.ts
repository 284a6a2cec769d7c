import type { IncomingMessage } from "node:http";
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
      // so a length within the limit can be read in one go, without the web Request and stream
      // Hono's bodyLimit builds (it looks at `body`). On @hono/node-server it is read from
      // Node's request stream itself: @hono/node-server's own fast path (Request wrapper, a
      // cached-body promise, a copy into a fresh ArrayBuffer) cost 20 µs more per webhook.
      if (Number(declared) > maxBytes) throw tooLarge();
      const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
      c.set(
        "rawBody",
        incoming && !incoming.readableDidRead
          ? await readIncoming(incoming)
          : new Uint8Array(await c.req.arrayBuffer()),
      );
      await next();
      return;
    }
    await limit(c, async () => {
      c.set("rawBody", new Uint8Array(await c.req.arrayBuffer()));
      await next();
    });
  };
}

/**
 * The whole body from Node's request stream (its length is bounded by the declared length,
 * checked before). A client that goes away before the end gets 400; nobody is there to read it,
 * but the request line says what happened.
 */
function readIncoming(incoming: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onCut = () => {
      if (incoming.readableEnded) return;
      cleanup();
      reject(
        httpError(400, {
          error: "bad_request",
          message: "the connection closed before the body reached its Content-Length",
        }),
      );
    };
    const cleanup = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onCut);
      incoming.off("close", onCut);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onCut);
    incoming.on("close", onCut);
  });
}
