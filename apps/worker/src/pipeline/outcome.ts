/**
 * Every accepted failure ends in exactly one of these, and the PR comment says which.
 * - fixed: a verified change was published on the fix branch.
 * - not_fixable: the agent (or triage) concluded it should not or could not change the code.
 * - stale: the PR moved on to a newer commit before the fix could be published.
 * - skipped: nothing was attempted on purpose (loop guard, config, limits).
 * - failed: an error ended the attempt; `reason` says what a person can do.
 * - explained: a person asked for an analysis only (`/fixfleet explain`); it was posted.
 */
export type OutcomeKind = "fixed" | "not_fixable" | "stale" | "skipped" | "failed" | "explained";

export interface Outcome {
  kind: OutcomeKind;
  reason: string;
}

export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  "fixed",
  "not_fixable",
  "stale",
  "skipped",
  "failed",
  "explained",
];
