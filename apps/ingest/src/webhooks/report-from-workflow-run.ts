import { describeSchemaErrors, failureReportSchema } from "@fixfleet/shared";
import { z } from "zod";
import type { WebhookDecision } from "./webhook-decision.js";
import { webhookOrigin } from "./webhook-repository.js";

const FAILED = new Set(["failure", "timed_out"]);

/** Branches fixfleet writes its fixes to: a run there is fixfleet's own, never a new failure to fix. */
export const FIX_BRANCH_PREFIX = "fixfleet/";

const runSchema = z.object({
  id: z.number(),
  run_attempt: z.number().optional(),
  name: z.string().nullish(),
  event: z.string().nullish(),
  head_sha: z.string(),
  head_branch: z.string().nullish(),
  conclusion: z.string().nullish(),
  html_url: z.string().nullish(),
  pull_requests: z.array(z.object({ number: z.number() })).nullish(),
  actor: z.object({ login: z.string() }).nullish(),
  triggering_actor: z.object({ login: z.string() }).nullish(),
});

/**
 * `workflow_run` `completed` with a failed conclusion: zero-config mode, the report is built
 * from the run. `pull_requests` is empty for pull requests from forks; the worker then finds
 * the PR by head sha. Runs on fixfleet's own branches, or started by the App's bot, are ignored
 * so that a fix never triggers another fix.
 */
export function reportFromWorkflowRun(
  payload: Record<string, unknown>,
  context: { deliveryId?: string; now: number; appBotLogins: readonly string[] },
): WebhookDecision {
  if (payload.action !== "completed") {
    return {
      kind: "ignored",
      reason: `workflow_run action ${JSON.stringify(String(payload.action).slice(0, 50))} is not "completed"`,
    };
  }
  const run = runSchema.safeParse(payload.workflow_run);
  if (!run.success) {
    return {
      kind: "invalid",
      problems: run.error.issues.map((i) => ({ path: ["workflow_run", ...i.path].join("."), message: i.message })),
    };
  }
  const r = run.data;
  if (!r.conclusion || !FAILED.has(r.conclusion)) {
    return {
      kind: "ignored",
      reason: `workflow_run conclusion ${JSON.stringify(r.conclusion ?? null)} is not a failure`,
    };
  }
  if (r.head_branch?.startsWith(FIX_BRANCH_PREFIX)) {
    return { kind: "ignored", reason: `workflow_run on fixfleet's own branch ${r.head_branch}` };
  }
  const bots = new Set(context.appBotLogins.map((l) => l.toLowerCase()));
  const actor = r.triggering_actor?.login ?? r.actor?.login;
  if (actor && bots.has(actor.toLowerCase())) {
    return { kind: "ignored", reason: `workflow_run triggered by fixfleet's App (${actor})` };
  }
  const origin = webhookOrigin(payload);
  if (!origin.ok) return { kind: "invalid", problems: origin.problems };
  const pullRequests = (r.pull_requests ?? []).map((p) => p.number).filter((n) => Number.isInteger(n) && n > 0);
  const candidate = {
    v: 1,
    run_id: r.id,
    run_attempt: r.run_attempt,
    sha: r.head_sha,
    ref: r.head_branch ? `refs/heads/${r.head_branch}` : undefined,
    pr: pullRequests[0],
  };
  const report = failureReportSchema.safeParse(candidate);
  if (!report.success) {
    return {
      kind: "invalid",
      problems: describeSchemaErrors(report.error, candidate).map((p) => ({
        path: `workflow_run (${p.path})`,
        message: p.message,
      })),
    };
  }
  return {
    kind: "report",
    entry: {
      v: 1,
      source: "workflow_run",
      receivedAt: context.now,
      deliveryId: context.deliveryId,
      repository: origin.origin.repository,
      installationId: origin.origin.installationId,
      report: report.data,
      workflowRun: {
        name: r.name ?? undefined,
        headBranch: r.head_branch ?? undefined,
        event: r.event ?? undefined,
        pullRequests,
        htmlUrl: r.html_url ?? undefined,
      },
    },
  };
}
