import { FixfleetError, type FixfleetErrorOptions } from "./fixfleet-error.js";

export interface TransientErrorOptions extends FixfleetErrorOptions {
  /** When the other side told us how long to wait (Retry-After, rate-limit reset). */
  retryAfterMs?: number;
}

/** A failure that may go away by itself: retry with backoff. */
export class TransientError extends FixfleetError {
  readonly kind = "transient" as const;
  readonly retryAfterMs: number | undefined;

  constructor(reason: string, options: TransientErrorOptions = {}) {
    super(reason, options);
    this.name = "TransientError";
    this.retryAfterMs = options.retryAfterMs;
  }
}
