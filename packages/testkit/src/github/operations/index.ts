export { actingUser, gitIdentityOf } from "./acting-user.js";
export { createComment } from "./create-comment.js";
export { findIssueItem, findPull, type IssueItem } from "./issue-items.js";
export { addLabels, removeLabel, repositoryLabels } from "./labels.js";
export { mergeBranch } from "./merge-branch.js";
export { closePullRequest, type MergeMethod, mergePullRequest } from "./merge-pull-request.js";
export { pullDetailsJson } from "./pull-details.js";
export { deliverAll, pushBody, type RefUpdate, refUpdateEvents } from "./push-event.js";
export { react } from "./react.js";
