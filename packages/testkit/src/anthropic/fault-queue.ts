import { ApiError, errorTypeForStatus } from "./api-error.js";
import type { Fault, Route, StreamFault } from "./types.js";

export interface FailOptions {
  times?: number;
  /** Seconds, sent as `retry-after` (fractions allowed, to keep tests fast). */
  retryAfter?: number;
  type?: string;
  message?: string;
  route?: Route;
}

const DEFAULT_MESSAGES: Record<string, string> = {
  rate_limit_error: "Number of request tokens has exceeded your per-minute rate limit",
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
};

/** Faults a test queued: request faults per route, stream faults for the next streams. */
export class FaultQueue {
  readonly #faults: Fault[] = [];
  readonly #streamFaults: StreamFault[] = [];

  fail(status: number, options: FailOptions = {}): void {
    const type = options.type ?? errorTypeForStatus(status);
    for (let i = 0; i < (options.times ?? 1); i++) {
      this.#faults.push({
        kind: "error",
        status,
        type,
        message: options.message ?? DEFAULT_MESSAGES[type] ?? type,
        retryAfter: options.retryAfter,
        route: options.route ?? "messages",
      });
    }
  }

  delay(ms: number, options: { times?: number; route?: Route } = {}): void {
    for (let i = 0; i < (options.times ?? 1); i++) {
      this.#faults.push({ kind: "delay", ms, route: options.route ?? "messages" });
    }
  }

  disconnect(options: { afterEvents?: number; route?: Route } = {}): void {
    if (options.afterEvents !== undefined) {
      this.#streamFaults.push({ kind: "stream-disconnect", afterEvents: options.afterEvents });
    } else {
      this.#faults.push({ kind: "disconnect", route: options.route ?? "messages" });
    }
  }

  streamDelay(ms: number, options: { afterEvents: number; times?: number }): void {
    for (let i = 0; i < (options.times ?? 1); i++) {
      this.#streamFaults.push({ kind: "stream-delay", ms, afterEvents: options.afterEvents });
    }
  }

  streamError(options: { afterEvents: number; type?: string; message?: string }): void {
    const type = options.type ?? "overloaded_error";
    this.#streamFaults.push({
      kind: "stream-error",
      afterEvents: options.afterEvents,
      type,
      message: options.message ?? DEFAULT_MESSAGES[type] ?? type,
    });
  }

  take(route: Route): Fault | undefined {
    const index = this.#faults.findIndex((fault) => fault.route === route);
    return index < 0 ? undefined : this.#faults.splice(index, 1)[0];
  }

  takeStream(): StreamFault | undefined {
    return this.#streamFaults.shift();
  }

  clear(): void {
    this.#faults.length = 0;
    this.#streamFaults.length = 0;
  }
}

/** The API error an error fault answers with, headers included. */
export function faultError(fault: Extract<Fault, { kind: "error" }>): ApiError {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
  if (fault.status === 429) {
    headers["anthropic-ratelimit-requests-limit"] = "50";
    headers["anthropic-ratelimit-requests-remaining"] = "0";
  }
  return new ApiError(fault.type, fault.message, { status: fault.status, headers });
}
