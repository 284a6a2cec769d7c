import { batchIdsInMessage, describeSchemaErrors } from "@fixfleet/shared";
import { z } from "zod";
import { FIX_BRANCH_PREFIX } from "./report-from-workflow-run.js";
import type { WebhookDecision } from "./webhook-decision.js";
import { webhookOrigin } from "./webhook-repository.js";

const pushSchema = z.object({
  ref: z.string(),
  after: z.string(),
  deleted: z.boolean().optional(),
  commits: z.array(z.object({ id: z.string(), message: z.string() })).nullish(),
  head_commit: z.object({ id: z.string(), message: z.string() }).nullish(),
  sender: z.object({ login: z.string() }).nullish(),
  pusher: z.object({ name: z.string().nullish() }).nullish(),
});

const SHA = /^[0-9a-f]{40}$/;

/**
 * `push` to a branch that carries commits with fixfleet's `Fixfleet-Batch:` trailer: a fix may
 * have reached the pull request's branch (merged, fast-forwarded or cherry-picked). Pushes
 * without such a commit, and pushes to fixfleet's own branches, are not the worker's business.
 */
export function controlFromPush(payload: Record<string, unknown>, context: { deliveryId?: string }): WebhookDecision {
  const parsed = pushSchema.safeParse(payload);
  if (!parsed.success) {
    return {
      kind: "invalid",
      problems: describeSchemaErrors(parsed.error, payload),
    };
  }
  const push = parsed.data;
  if (!push.ref.startsWith("refs/heads/")) return { kind: "ignored", reason: `push to ${push.ref}, not a branch` };
  if (push.ref.startsWith(`refs/heads/${FIX_BRANCH_PREFIX}`)) {
    return { kind: "ignored", reason: `push to fixfleet's own branch ${push.ref.slice("refs/heads/".length)}` };
  }
  if (push.deleted || !SHA.test(push.after)) return { kind: "ignored", reason: "the branch was deleted" };
  const commits = [...(push.commits ?? []), ...(push.head_commit ? [push.head_commit] : [])];
  const batchIds = [...new Set(commits.flatMap((c) => batchIdsInMessage(c.message)))].slice(0, 100);
  if (batchIds.length === 0) return { kind: "ignored", reason: "no fixfleet commit in this push" };
  const origin = webhookOrigin(payload);
  if (!origin.ok) return { kind: "invalid", problems: origin.problems };
  return {
    kind: "control",
    entry: {
      v: 1,
      type: "push",
      deliveryId: context.deliveryId,
      repository: origin.origin.repository,
      installationId: origin.origin.installationId,
      ref: push.ref,
      after: push.after,
      ...(push.sender ? { actor: { login: push.sender.login } } : {}),
      batchIds,
      commitShas: [...new Set(commits.map((c) => c.id).filter((id) => SHA.test(id)))].slice(0, 2048),
    },
  };
}
