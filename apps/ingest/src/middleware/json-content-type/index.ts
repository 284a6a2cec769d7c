import type { MiddlewareHandler } from "hono";
import type { IngestEnv } from "../../app/ingest-env.js";
import { httpError } from "../../errors/http-error.js";

/** `application/json` or a `+json` type, with any parameters (charset). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  // What GitHub sends, answered without splitting, trimming and lower-casing a copy per request.
  if (contentType === "application/json") return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * 415 for anything but JSON. A GitHub App webhook set to `application/x-www-form-urlencoded`
 * gets told how to fix it.
 */
export function jsonContentType(): MiddlewareHandler<IngestEnv> {
  return async (c, next) => {
    const contentType = c.req.header("content-type");
    if (!isJsonMediaType(contentType)) {
      throw httpError(415, {
        error: "unsupported_media_type",
        message: `the body must be application/json, not ${contentType ? JSON.stringify(contentType.slice(0, 100)) : "untyped"}${
          contentType?.startsWith("application/x-www-form-urlencoded")
            ? " (set the webhook's content type to application/json)"
            : ""
        }`,
      });
    }
    await next();
  };
}
