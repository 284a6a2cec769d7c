import { describeSchemaErrors } from "@fixfleet/shared";
import { z } from "zod";
import type { WebhookDecision } from "./webhook-decision.js";
import { webhookOrigin } from "./webhook-repository.js";

const SHA = /^[0-9a-f]{40}$/;

const closedSchema = z.object({
  number: z.number().int().positive(),
  pull_request: z.object({
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().regex(SHA).nullish(),
    head: z.object({ ref: z.string(), sha: z.string().regex(SHA) }),
    base: z.object({ ref: z.string() }),
  }),
  sender: z.object({ login: z.string() }).nullish(),
});

/**
 * `pull_request` `closed`: a fix proposed as a pull request was merged (accepted), or the
 * pull request a fix was made for closed without it (rejected). Labels are read by the worker
 * from the pull request itself when a fix starts, so `labeled` needs no job.
 */
export function controlFromPullRequest(
  payload: Record<string, unknown>,
  context: { deliveryId?: string },
): WebhookDecision {
  if (payload.action !== "closed") {
    return { kind: "ignored", reason: `pull_request action ${JSON.stringify(String(payload.action).slice(0, 50))}` };
  }
  const parsed = closedSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      kind: "invalid",
      problems: describeSchemaErrors(parsed.error, payload),
    };
  }
  const origin = webhookOrigin(payload);
  if (!origin.ok) return { kind: "invalid", problems: origin.problems };
  const { number, pull_request: pr, sender } = parsed.data;
  return {
    kind: "control",
    entry: {
      v: 1,
      type: "pull_request_closed",
      deliveryId: context.deliveryId,
      repository: origin.origin.repository,
      installationId: origin.origin.installationId,
      pr: number,
      merged: pr.merged === true,
      headRef: pr.head.ref,
      headSha: pr.head.sha,
      baseRef: pr.base.ref,
      mergeCommitSha: pr.merge_commit_sha ?? null,
      ...(sender ? { actor: { login: sender.login } } : {}),
    },
  };
}
