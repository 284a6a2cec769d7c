import type { FixReport, FixResult } from "../comment/fix-report.js";
import { renderCheckRun } from "../comment/render-check-run.js";
import { renderFixComment } from "../comment/render-fix-comment.js";
import type { RepoHandle } from "../context/repo-ref.js";
import { fixBranchName } from "./branch-name.js";
import { completeCheckRun, startCheckRun } from "./check-run.js";
import type { FileChange } from "./file-change.js";
import { type PublishedCommit, publishCommit } from "./publish-commit.js";
import { type UpsertedComment, upsertFixComment } from "./upsert-comment.js";

type Fixed = Extract<FixResult, { kind: "fixed" }>;

export interface PublishFixInput {
  report: Omit<FixReport, "result"> & {
    /** For a fix, the delivery is decided here (branch, push or patch). */
    result: Omit<Fixed, "delivery"> | Exclude<FixResult, { kind: "fixed" }>;
  };
  /** The fix's changes (for a fix). */
  changes?: readonly FileChange[];
  commitMessage?: string;
  /** From `.github/fixfleet.yml`: push commits onto the PR's branch instead of a fixfleet/ branch. */
  mode?: "branch" | "pull_request" | "push";
  /** The PR's head branch (for push mode) and whether it lives in a fork (no push possible). */
  headRef?: string;
  isFork?: boolean;
  /** Identifies the check run across retries (the batch key). */
  externalId: string;
  /** The App's bot login (`<slug>[bot]`), so only our own marked comment is edited. */
  botLogin?: string;
}

export interface PublishFixResult {
  commit: PublishedCommit | undefined;
  comment: UpsertedComment | undefined;
  checkRunId: number | undefined;
  report: FixReport;
}

/**
 * Delivers the outcome of a fix: the commit and branch (for a verified fix that can be pushed),
 * the one PR comment, and the check run in_progress → completed. Every step is idempotent, so a
 * retried job converges on one branch state, one comment and one check run. An invalid config
 * writes the comment only (or, without a PR, a completed check run): nothing else is attempted.
 */
export async function publishFix(handle: RepoHandle, input: PublishFixInput): Promise<PublishFixResult> {
  const { report: draft } = input;
  const invalid = draft.result.kind === "invalid_config";
  let checkRunId: number | undefined;
  if (!invalid || !draft.pr) {
    checkRunId = (await startCheckRun(handle, { headSha: draft.sha, externalId: input.externalId })).id;
  }

  let commit: PublishedCommit | undefined;
  let result: FixResult;
  if (draft.result.kind === "fixed") {
    const fixed = draft.result as Omit<Fixed, "delivery">;
    if (input.isFork) {
      result = {
        ...fixed,
        delivery: { kind: "patch", reason: "the pull request comes from a fork, which the App cannot push to" },
      };
    } else {
      const push = input.mode === "push" && input.headRef !== undefined;
      commit = await publishCommit(handle, {
        baseSha: draft.sha,
        changes: input.changes ?? [],
        message: input.commitMessage ?? defaultMessage(draft),
        branch: push ? input.headRef! : fixBranchName(draft),
        force: !push,
      });
      result = {
        ...fixed,
        delivery: { kind: push ? "pushed" : "branch", branch: commit.branch, commitSha: commit.commitSha },
      };
    }
  } else {
    result = draft.result;
  }
  const report: FixReport = { ...draft, result };

  const comment = report.pr
    ? await upsertFixComment(handle, report.pr, renderFixComment(report), { botLogin: input.botLogin })
    : undefined;
  if (checkRunId !== undefined) await completeCheckRun(handle, checkRunId, renderCheckRun(report));
  return { commit, comment, checkRunId, report };
}

function defaultMessage(report: Omit<FixReport, "result">): string {
  const jobs = report.failures.map((f) => f.name).join(", ");
  return `fixfleet: fix ${jobs || "the failing CI"} on ${report.sha.slice(0, 7)}\n\nVerified by fixfleet in an isolated sandbox.`;
}
