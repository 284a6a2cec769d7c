import { COMMENT_MARKER } from "./comment-marker.js";
import type { FixReport } from "./fix-report.js";
import { renderFixComment } from "./render-fix-comment.js";

/** GitHub's limits on a check run's output fields. */
const MAX_SUMMARY = 65_535;
const MAX_TITLE = 255;

export interface CheckRunOutput {
  conclusion: "success" | "failure" | "neutral" | "skipped" | "action_required";
  output: { title: string; summary: string };
}

/** The completed check run: the same summary as the comment, with a conclusion and a short title. */
export function renderCheckRun(report: FixReport): CheckRunOutput {
  const { result } = report;
  let conclusion: CheckRunOutput["conclusion"];
  let title: string;
  switch (result.kind) {
    case "fixed": {
      const n = result.files.length;
      conclusion = result.delivery.kind === "patch" ? "action_required" : "success";
      title = `Verified fix: ${n} file${n === 1 ? "" : "s"} changed${result.delivery.kind === "branch" ? ` on ${result.delivery.branch}` : ""}`;
      break;
    }
    case "not_fixed":
      conclusion = "neutral";
      title = `No verified fix: ${result.reason}`;
      break;
    case "skipped":
      conclusion = "skipped";
      title = `Not attempted: ${result.reason}`;
      break;
    case "explained":
      conclusion = "neutral";
      title = "Analysis posted (no change made)";
      break;
    case "invalid_config":
      conclusion = "action_required";
      title = `${result.path} is invalid: ${result.problems.map((p) => p.key || "syntax").join(", ")}`;
      break;
    case "stale":
      conclusion = "skipped";
      title = "Stopped: a newer commit was pushed";
      break;
  }
  const summary = renderFixComment(report).replace(`${COMMENT_MARKER}\n`, "").slice(0, MAX_SUMMARY);
  return { conclusion, output: { title: title.slice(0, MAX_TITLE), summary } };
}
