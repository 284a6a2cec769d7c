import type { AgentUsage } from "./budgets/usage.js";
import type { SandboxDiff } from "./sandbox-port.js";
import type { TranscriptEntry } from "./transcript/transcript.js";
import type { DiffProblem } from "./verify/check-diff.js";
import type { VerificationResult } from "./verify/run-verification.js";

/**
 * `explained`: an explain run (`mode: "explain"`) ended, whatever stopped it (see `stopReason`);
 * its `explanation` is the diagnosis, its diff is always empty and nothing was verified. It is
 * never a fix to publish.
 */
export type AgentStatus = "verified" | "not_fixed" | "declined" | "budget" | "explained";

export type AgentStopReason =
  /** The model ended its turn (its word is then checked by verification). */
  | "end_turn"
  | "turns"
  | "input_tokens"
  | "output_tokens"
  | "time"
  /** A `beforeTurn` hook (the queue's money budgets) refused the next turn. */
  | "budget"
  /** Even a fully trimmed conversation no longer fits the model's context window. */
  | "context"
  | "refusal"
  | "verification_failed"
  | "out_of_scope"
  | "test_weakened"
  | "empty_diff"
  /** The model said "NOT FIXED:" (out of scope, flaky, infrastructural). */
  | "model_declined";

export interface AgentResult {
  status: AgentStatus;
  stopReason: AgentStopReason;
  /**
   * The model's final explanation (redacted) — for `explained`, its diagnosis — prefixed with
   * why the run stopped when something other than the model ended it.
   */
  explanation: string;
  /**
   * The change in the sandbox when the run ended (also for rejected runs, for the record).
   * Always empty for `explained`: an explain run never reads the sandbox's diff.
   */
  diff: SandboxDiff;
  /** Verification of the last round; empty when nothing was verified. */
  verification: VerificationResult[];
  /** What the final diff check found (scope, test weakening, empty). */
  problems: DiffProblem[];
  usage: AgentUsage;
  turns: number;
  /** 1, or 2 when the model got a second round with the verification's output. */
  rounds: number;
  durationMs: number;
  transcript: TranscriptEntry[];
}
