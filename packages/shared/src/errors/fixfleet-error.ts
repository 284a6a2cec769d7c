export type ErrorKind = "transient" | "permanent";

export interface FixfleetErrorOptions {
  cause?: unknown;
  /** A machine-readable code, stable across releases (for metrics and tests). */
  code?: string;
}

/**
 * The base of fixfleet's error taxonomy. Every error carries a `reason` written for a person
 * (an operator reading a log, a reviewer reading the PR comment) and a `kind` that tells the
 * code that catches it whether trying again can help.
 */
export abstract class FixfleetError extends Error {
  abstract readonly kind: ErrorKind;
  readonly reason: string;
  readonly code: string;

  constructor(reason: string, options: FixfleetErrorOptions = {}) {
    super(reason, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.code = options.code ?? "unspecified";
  }
}
