import type { FixJobData } from "@fixfleet/shared";
import type { Outcome } from "./outcome.js";

/** What every gathered context carries, whatever the adapters put beside it. */
export interface FixContextBase {
  /** Set when the fix must not be attempted (config disabled or invalid, loop guard, stale). */
  skip?: Outcome;
}

/** What every fix attempt carries. */
export interface FixAttemptBase {
  /** verified: publish it; explained: post the analysis (`/fixfleet explain`); anything else ends the job with that outcome. */
  status: "verified" | "explained" | "not_fixable" | "failed";
  reason: string;
  /** Model turns, tokens and cost of the attempt, when it ran the model (the job's result shows them). */
  turns?: number | undefined;
  usage?:
    | { inputTokens: number; outputTokens: number; cacheReadInputTokens?: number; cacheCreationInputTokens?: number }
    | undefined;
  costUsd?: number | undefined;
}

/**
 * The outside world of a fix job, passed in so the orchestration (checkpoints, locks, retries,
 * outcomes) is the same code in production and in tests. Each stage's result must be plain
 * JSON: it is stored in Redis between attempts.
 */
export interface FixPorts<
  C extends FixContextBase = FixContextBase,
  A extends FixAttemptBase = FixAttemptBase,
  P = unknown,
> {
  /** Reports of the batch, the PR, the repository config, the failure logs. */
  gatherContext(job: FixJobData, signal: AbortSignal): Promise<C>;
  /** Clone, sandbox, agent, verification. */
  attemptFix(context: C, signal: AbortSignal): Promise<A>;
  /** Whether the failing commit is still the head of its pull request (or branch). */
  isCurrentHead(context: C): Promise<boolean>;
  /** Commit, branch, comment and check run. Must be idempotent: it may run again after a crash. */
  publish(context: C, attempt: A): Promise<P>;
  /** The comment and check run for an outcome without a published fix. Idempotent too. */
  reportOutcome(job: FixJobData, context: C | undefined, outcome: Outcome, attempt?: A): Promise<void>;
}
