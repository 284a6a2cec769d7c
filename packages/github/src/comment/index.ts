export { COMMENT_MARKER, hasCommentMarker } from "./comment-marker.js";
export { findFixComment, type ListedComment } from "./find-fix-comment.js";
export type { ChangedFile, FailedJob, FixReport, FixResult, Spend, Verification } from "./fix-report.js";
export { type CheckRunOutput, renderCheckRun } from "./render-check-run.js";
export { MAX_COMMENT_CHARS, renderFixComment } from "./render-fix-comment.js";
