import { FixfleetError, PermanentError, TransientError } from "@fixfleet/shared";

interface ModemError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT", // the socket file is gone: the daemon is not running
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);

function engineMessage(error: ModemError): string {
  const fromJson = error.json && typeof error.json === "object" ? error.json.message : undefined;
  const raw = fromJson ?? error.message ?? String(error);
  // docker-modem prefixes "(HTTP code 404) no such container - "; keep the engine's own words.
  return raw.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, "").trim();
}

/**
 * Turns whatever a Docker call threw into our taxonomy, with what we were doing in the reason.
 * The daemon being gone, restarting or the connection dropping may pass, so they are
 * transient; an engine that says no (bad request, no such image or container, conflict) will
 * say no again, so it is permanent.
 */
export function toSandboxError(error: unknown, action: string): FixfleetError {
  if (error instanceof FixfleetError) return error;
  const e = (error ?? {}) as ModemError & Error;
  const status = e.statusCode;
  const message = engineMessage(e);
  if (status === undefined) {
    if (e.name === "AbortError") {
      return new TransientError(`${action}: the Docker engine did not answer in time`, {
        cause: error,
        code: "docker_timeout",
      });
    }
    if (
      (e.code && CONNECTION_CODES.has(e.code)) ||
      /socket hang up|ECONNRESET|premature close|connect/i.test(message)
    ) {
      return new TransientError(
        `${action}: the Docker engine is unreachable or dropped the connection (${e.code ?? message})`,
        {
          cause: error,
          code: "docker_unreachable",
        },
      );
    }
    return new PermanentError(`${action}: ${message}`, { cause: error, code: "docker_client" });
  }
  if (status === 404) {
    return new PermanentError(`${action}: ${message}`, { cause: error, code: "docker_not_found" });
  }
  if (status === 409 && /is not running|is paused|restarting/i.test(message)) {
    return new TransientError(`${action}: ${message}`, { cause: error, code: "docker_not_running" });
  }
  if (
    status === 503 ||
    (status >= 500 && /restart|shutting down|connection|timeout|temporar|try again|resource temporarily/i.test(message))
  ) {
    return new TransientError(`${action}: the Docker engine is busy or restarting (${message})`, {
      cause: error,
      code: "docker_unavailable",
    });
  }
  return new PermanentError(`${action}: ${message} (HTTP ${status})`, { cause: error, code: `docker_${status}` });
}

export function isNotFound(error: unknown): boolean {
  return (error as ModemError | undefined)?.statusCode === 404 || (error as FixfleetError)?.code === "docker_not_found";
}
