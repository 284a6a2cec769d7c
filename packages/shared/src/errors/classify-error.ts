import { FixfleetError } from "./fixfleet-error.js";
import { PermanentError } from "./permanent-error.js";
import { TransientError } from "./transient-error.js";

const TRANSIENT_NODE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Turns anything thrown into a member of the taxonomy. Errors we did not raise ourselves are
 * transient when they look like the network or a timeout, and permanent otherwise: a bug
 * retried is still a bug, and retrying it only delays the message a person needs.
 */
export function classifyError(error: unknown): FixfleetError {
  if (error instanceof FixfleetError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && TRANSIENT_NODE_CODES.has(code)) {
    return new TransientError(`network error (${code}): ${err.message}`, { cause: err, code });
  }
  if (err.name === "AbortError" || err.name === "TimeoutError") {
    return new TransientError(`timed out: ${err.message}`, { cause: err, code: "timeout" });
  }
  return new PermanentError(err.message || err.name, { cause: err, code: "unexpected" });
}

export function isTransient(error: unknown): boolean {
  return classifyError(error).kind === "transient";
}
