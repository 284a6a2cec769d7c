import { describeSchemaErrors } from "@fixfleet/shared";
import { parsePrCommand } from "@fixfleet/triage";
import { z } from "zod";
import type { WebhookDecision } from "./webhook-decision.js";
import { webhookOrigin } from "./webhook-repository.js";

const commentEventSchema = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int().positive(), pull_request: z.unknown().optional() }),
  comment: z.object({
    id: z.number().int().positive(),
    body: z.string().nullish(),
    user: z.object({ login: z.string().min(1), id: z.number().int().optional() }),
  }),
});

/**
 * `issue_comment` `created` on a pull request whose body holds a `/fixfleet` command. Who may
 * steer is the worker's decision (it asks GitHub for the commenter's permission); ingest only
 * recognises the command and stores it.
 */
export function controlFromIssueComment(
  payload: Record<string, unknown>,
  context: { deliveryId?: string },
): WebhookDecision {
  if (payload.action !== "created") {
    return { kind: "ignored", reason: `issue_comment action ${JSON.stringify(String(payload.action).slice(0, 50))}` };
  }
  const parsed = commentEventSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      kind: "invalid",
      problems: describeSchemaErrors(parsed.error, payload),
    };
  }
  const { issue, comment } = parsed.data;
  if (issue.pull_request === undefined || issue.pull_request === null) {
    return { kind: "ignored", reason: "a comment on an issue, not on a pull request" };
  }
  const command = parsePrCommand(comment.body ?? "");
  if (!command) return { kind: "ignored", reason: "the comment holds no /fixfleet command" };
  const origin = webhookOrigin(payload);
  if (!origin.ok) return { kind: "invalid", problems: origin.problems };
  return {
    kind: "control",
    entry: {
      v: 1,
      type: "command",
      deliveryId: context.deliveryId,
      repository: origin.origin.repository,
      installationId: origin.origin.installationId,
      pr: issue.number,
      command,
      actor: { login: comment.user.login, ...(comment.user.id !== undefined ? { id: comment.user.id } : {}) },
      commentId: comment.id,
    },
  };
}
