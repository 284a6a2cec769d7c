import type { ConfigProblem } from "../config/repo-config-error.js";

/** One failed job of the batch, as the comment names it. */
export interface FailedJob {
  name: string;
  step?: string | undefined;
  /** The job's page on GitHub. */
  url?: string | undefined;
  /** The strongest failure lines of its log (already redacted). */
  keyLines: string[];
}

export interface ChangedFile {
  path: string;
  oldPath?: string | undefined;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number;
  deletions: number;
  oldMode?: string | undefined;
  newMode?: string | undefined;
  binary?: boolean | undefined;
}

export interface Verification {
  command: string;
  cwd?: string | undefined;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
}

export interface Spend {
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  turns?: number | undefined;
}

export type FixResult =
  | {
      kind: "fixed";
      files: ChangedFile[];
      patch: string;
      verification: Verification[];
      /** branch: committed to a fixfleet/ branch; pushed: onto the PR's branch; patch: fork head, no push. */
      delivery:
        | { kind: "branch"; branch: string; commitSha: string }
        | { kind: "pushed"; branch: string; commitSha: string }
        | { kind: "patch"; reason: string };
    }
  | {
      kind: "not_fixed";
      /** Why, for a person: "the tests still fail after 40 turns", "the fix touched a protected path". */
      reason: string;
      /** What the reader can do next. */
      advice: string;
      files?: ChangedFile[] | undefined;
      patch?: string | undefined;
      verification?: Verification[] | undefined;
    }
  /** Nothing was attempted on purpose: turned off, stopped from the PR, a limit reached. */
  | { kind: "skipped"; reason: string }
  | {
      kind: "explained";
      /** The model's diagnosis (Markdown, redacted); nothing was changed or committed. */
      analysis: string;
      /** Who asked with `/fixfleet explain`. */
      requestedBy?: string | undefined;
    }
  | { kind: "invalid_config"; path: string; problems: ConfigProblem[] }
  | { kind: "stale"; newHeadSha: string };

/** Everything the PR comment and the check run say about one fix. */
export interface FixReport {
  /** `owner/name`. */
  repository: string;
  /** The web base URL (https://github.com, or a GitHub Enterprise Server host). */
  webUrl: string;
  sha: string;
  pr?: number | undefined;
  failures: FailedJob[];
  result: FixResult;
  spend?: Spend | undefined;
  /** Which packages the fix was limited to, and the evidence for each (Markdown from @fixfleet/monorepo). */
  scope?: string | undefined;
}
