import type { IncomingHttpHeaders } from "node:http";
import { ApiError, invalidRequest } from "./api-error.js";

/**
 * Checks the key and the API version header. The API takes the key as `x-api-key`;
 * `@anthropic-ai/sdk` 1.x sends it as `Authorization: Bearer`, so both are accepted.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  apiKey: string,
  versions: ReadonlySet<string>,
): "x-api-key" | "bearer" {
  const key = headers["x-api-key"];
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? "")?.[1];
  let scheme: "x-api-key" | "bearer";
  if (key !== undefined) {
    if (key !== apiKey) throw new ApiError("authentication_error", "invalid x-api-key");
    scheme = "x-api-key";
  } else if (bearer !== undefined) {
    if (bearer !== apiKey) throw new ApiError("authentication_error", "Invalid bearer token");
    scheme = "bearer";
  } else {
    throw new ApiError("authentication_error", "x-api-key header is required");
  }
  const version = headers["anthropic-version"];
  if (!version) throw invalidRequest("anthropic-version: header is required");
  if (typeof version !== "string" || !versions.has(version)) {
    throw invalidRequest(`anthropic-version: invalid version '${String(version)}'`);
  }
  return scheme;
}
