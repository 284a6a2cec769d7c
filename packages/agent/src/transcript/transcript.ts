import type { AgentUsage } from "../budgets/usage.js";
import type { AgentMode } from "../run-options.js";
import type { DiffProblem } from "../verify/check-diff.js";
import type { VerificationResult } from "../verify/run-verification.js";

export type TranscriptBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "other"; blockType: string };

export type TranscriptEntry =
  | {
      type: "context";
      at: string;
      model: string;
      /** Absent in transcripts recorded before explain runs existed: read it as "fix". */
      mode?: AgentMode;
      system: string;
      tools: string[];
      failureContext: string;
    }
  | {
      type: "assistant";
      at: string;
      turn: number;
      round: number;
      content: TranscriptBlock[];
      stopReason: string | null;
      usage: AgentUsage;
    }
  | {
      type: "tool_result";
      at: string;
      turn: number;
      toolUseId: string;
      name: string;
      isError: boolean;
      rule?: string;
      content: string;
      durationMs: number;
    }
  | { type: "user"; at: string; turn: number; text: string }
  | { type: "verification"; at: string; round: number; results: VerificationResult[]; problems: DiffProblem[] }
  | { type: "event"; at: string; event: string; detail: string };

function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}

type WithoutAt<T> = T extends unknown ? Omit<T, "at"> : never;

/**
 * The record of a run: every message with tool inputs and outputs, verification and notable
 * events, redacted as each entry is added, so a secret cannot reach storage by a later path.
 * Plain JSON: the worker stores it with the job.
 */
export class Transcript {
  readonly entries: TranscriptEntry[] = [];

  constructor(
    private readonly redact: (text: string) => string,
    private readonly now: () => number,
  ) {}

  add(entry: WithoutAt<TranscriptEntry>): void {
    const at = new Date(this.now()).toISOString();
    this.entries.push(redactDeep({ ...entry, at } as TranscriptEntry, this.redact));
  }

  toJSON(): TranscriptEntry[] {
    return this.entries;
  }
}
