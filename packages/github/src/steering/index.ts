export { collaboratorPermission, type RepositoryRole } from "./collaborator-permission.js";
export { fixCommentReactions, REACTION_KINDS, type ReactionCounts } from "./fix-comment-reactions.js";
export { type ReactionContent, reactToComment, replyOnPullRequest } from "./reply-to-command.js";
