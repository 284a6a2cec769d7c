import Anthropic from "@anthropic-ai/sdk";
import { classifyError, PermanentError, TransientError } from "@fixfleet/shared";
import type { Clock } from "../budgets/budget-meter.js";

export interface RetryPolicy {
  /** Our own attempts after the SDK's retries gave up (the SDK retries first, per its `maxRetries`). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 60_000 };

/** Reads `retry-after-ms` / `retry-after` (seconds or an HTTP date) of an API error. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The taxonomy for Messages API failures: 408/409/429/529/5xx and connection problems are
 * transient (with the server's retry-after); anything else (a bad request, a wrong key, an
 * unknown model) is permanent: repeating it cannot help.
 */
export function classifyAnthropicError(error: unknown, now: number): TransientError | PermanentError {
  if (error instanceof Anthropic.APIConnectionError) {
    return new TransientError(`Anthropic API unreachable: ${error.message}`, {
      cause: error,
      code: "anthropic_connection",
    });
  }
  if (error instanceof Anthropic.APIError && typeof error.status === "number") {
    const status = error.status;
    const detail = `Anthropic API answered ${status}${error.type ? ` ${error.type}` : ""}: ${error.apiMessage ?? error.message}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      const wait = retryAfterMs(error.headers, now);
      return new TransientError(detail, {
        cause: error,
        code:
          status === 429 ? "anthropic_rate_limited" : status === 529 ? "anthropic_overloaded" : "anthropic_unavailable",
        ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      });
    }
    return new PermanentError(detail, { cause: error, code: `anthropic_${status}` });
  }
  if (error instanceof Anthropic.APIError) {
    // An error event inside a stream (e.g. overloaded_error) has no status.
    return new TransientError(`Anthropic API error: ${error.message}`, {
      cause: error,
      code: "anthropic_stream_error",
    });
  }
  const classified = classifyError(error);
  return classified instanceof TransientError
    ? classified
    : new PermanentError(classified.reason, { cause: error, code: classified.code });
}

export interface CallModelOptions {
  anthropic: Anthropic;
  body: Anthropic.MessageCreateParamsNonStreaming;
  clock: Clock;
  policy: RetryPolicy;
  /** Time left in the run: no retry waits past it. */
  remainingMs: () => number;
  /** Per-request timeout (the SDK's `timeout`). */
  requestTimeoutMs: number;
  onRetry?: (error: TransientError, attempt: number, waitMs: number) => void;
}

/**
 * One model turn. The SDK already retries (honouring retry-after); when it gives up on a
 * transient error, the run waits and tries again itself — the server's retry-after when given,
 * else exponential backoff with jitter — as long as the wall-time budget allows.
 */
export async function callModel(options: CallModelOptions): Promise<Anthropic.Message> {
  const { anthropic, body, clock, policy } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await anthropic.messages.create(body, { timeout: options.requestTimeoutMs });
    } catch (error) {
      const classified = classifyAnthropicError(error, clock.now());
      if (classified instanceof PermanentError || attempt > policy.attempts) throw classified;
      const backoff =
        Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.25);
      const wait = classified.retryAfterMs ?? backoff;
      if (wait >= options.remainingMs()) throw classified;
      options.onRetry?.(classified, attempt, wait);
      await clock.sleep(wait);
    }
  }
}
