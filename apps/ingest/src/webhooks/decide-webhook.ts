import { controlFromIssueComment } from "./control-from-issue-comment.js";
import { controlFromPullRequest } from "./control-from-pull-request.js";
import { controlFromPush } from "./control-from-push.js";
import { reportFromDispatch } from "./report-from-dispatch.js";
import { reportFromWorkflowRun } from "./report-from-workflow-run.js";
import type { WebhookDecision } from "./webhook-decision.js";

export interface DecideContext {
  dispatchEventType: string;
  appBotLogins: readonly string[];
  deliveryId?: string;
  now: number;
}

/** Routes a verified delivery by `X-GitHub-Event` (CONTRACT.md §3). */
export function decideWebhook(
  event: string,
  payload: Record<string, unknown>,
  context: DecideContext,
): WebhookDecision {
  switch (event) {
    case "ping": {
      const hookId = typeof payload.hook_id === "number" ? payload.hook_id : undefined;
      return { kind: "ping", zen: typeof payload.zen === "string" ? payload.zen : undefined, hookId };
    }
    case "repository_dispatch":
      return reportFromDispatch(payload, context);
    case "workflow_run":
      return reportFromWorkflowRun(payload, context);
    case "issue_comment":
      return controlFromIssueComment(payload, context);
    case "push":
      return controlFromPush(payload, context);
    case "pull_request":
      return controlFromPullRequest(payload, context);
    default:
      return { kind: "ignored", reason: `event ${JSON.stringify(event.slice(0, 100))} is not handled` };
  }
}
