export { fixBranchName } from "./branch-name.js";
export { CHECK_RUN_NAME, type CheckRunRef, completeCheckRun, startCheckRun } from "./check-run.js";
export type { FileChange, GitFileMode } from "./file-change.js";
export { type PublishCommitInput, type PublishedCommit, publishCommit } from "./publish-commit.js";
export { type PublishFixInput, type PublishFixResult, publishFix } from "./publish-fix.js";
export { type UpsertedComment, upsertFixComment } from "./upsert-comment.js";
