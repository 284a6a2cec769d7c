import type { ConfigProblem, RepoConfig } from "@fixfleet/github";
import type { FixJobData, StoredReport } from "@fixfleet/shared";
import type { FixAttemptBase, FixContextBase } from "../pipeline/fix-ports.js";

/** One failed CI job of the batch, as the prompt and the comment use it. */
export interface FailedJobContext {
  name: string;
  step?: string | undefined;
  url?: string | undefined;
  /** Windows of the log around the errors, redacted, within the prompt's budget. */
  logExcerpt: string;
  keyLines: string[];
  runId?: number | undefined;
  jobId?: number | undefined;
}

/** Everything the fix stage needs, gathered once and stored (plain JSON) between attempts. */
export interface FixContext extends FixContextBase {
  batchId: string;
  repository: { owner: string; name: string; fullName: string; id?: number | undefined };
  installationId: number;
  sha: string;
  ref?: string | undefined;
  pr?:
    | {
        number: number;
        headRef: string;
        headSha: string;
        baseRef: string;
        baseSha: string;
        isFork: boolean;
        labels?: string[] | undefined;
      }
    | undefined;
  /** Set when a person asked for this run on the PR (`/fixfleet retry` or `explain`). */
  trigger?: FixJobData["trigger"];
  reports: StoredReport[];
  jobs: FailedJobContext[];
  /** Commands that failed in CI (the reports' `command`), re-run to reproduce and verify. */
  commands: string[];
  /** The reports' `paths`, narrowing the monorepo scope. */
  paths: string[];
  changedFiles: string[];
  repoConfig: RepoConfig;
  defaultBranch: string;
  /** Where to clone from (the repository's `clone_url`); read with the config. */
  cloneUrl?: string | undefined;
  webUrl: string;
  /** The failure's signature (normalized error lines), when the logs had any. */
  signature?: string | undefined;
  /** Set when .github/fixfleet.yml is invalid: the comment names each bad key. */
  configError?: { path: string; problems: ConfigProblem[] } | undefined;
}

export interface ChangedFileContent {
  path: string;
  oldPath?: string | undefined;
  status: "added" | "modified" | "deleted" | "renamed";
  additions: number;
  deletions: number;
  oldMode?: string | undefined;
  newMode?: string | undefined;
  binary: boolean;
  /** The new content (absent for deletions), base64 so binary files survive JSON. */
  contentBase64?: string | undefined;
}

export interface VerificationRecord {
  command: string;
  cwd: string;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  outputTail: string;
}

/** The fix stage's result, stored before publishing so a failed publish never re-runs the model. */
export interface FixAttempt extends FixAttemptBase {
  /** Why the agent stopped, in the agent's words ("end_turn", "turns", "budget", "flaky"…). */
  stopReason: string;
  files: ChangedFileContent[];
  patch: string;
  verification: VerificationRecord[];
  usage: { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheCreationInputTokens: number };
  turns: number;
  durationMs: number;
  /** Which packages the fix was scoped to, and why (Markdown for the comment). */
  scopeMarkdown: string;
  /** What a person can do when no fix was published. */
  advice: string;
  /** What the model run cost, from the price table. */
  costUsd?: number | undefined;
  /** `/fixfleet explain`: the model's analysis; nothing is published. */
  analysis?: string | undefined;
}
