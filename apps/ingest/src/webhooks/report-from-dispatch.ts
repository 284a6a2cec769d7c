import { describeSchemaErrors, failureReportSchema } from "@fixfleet/shared";
import type { WebhookDecision } from "./webhook-decision.js";
import { webhookOrigin } from "./webhook-repository.js";

/**
 * `repository_dispatch`: a CI step sent the failure report as `client_payload` with the event
 * type configured as DISPATCH_EVENT_TYPE (GitHub puts the type in `action`). The repository and
 * installation come from the webhook, which GitHub signed, never from the payload.
 */
export function reportFromDispatch(
  payload: Record<string, unknown>,
  context: { dispatchEventType: string; deliveryId?: string; now: number },
): WebhookDecision {
  if (payload.action !== context.dispatchEventType) {
    return {
      kind: "ignored",
      reason: `repository_dispatch event type ${JSON.stringify(String(payload.action).slice(0, 100))} is not ${JSON.stringify(context.dispatchEventType)}`,
    };
  }
  const origin = webhookOrigin(payload);
  if (!origin.ok) return { kind: "invalid", problems: origin.problems };
  const report = failureReportSchema.safeParse(payload.client_payload);
  if (!report.success) {
    return {
      kind: "invalid",
      problems: describeSchemaErrors(report.error, payload.client_payload).map((p) => ({
        path: p.path === "(body)" ? "client_payload" : `client_payload.${p.path}`,
        message: p.message,
      })),
    };
  }
  return {
    kind: "report",
    entry: {
      v: 1,
      source: "repository_dispatch",
      receivedAt: context.now,
      deliveryId: context.deliveryId,
      repository: origin.origin.repository,
      installationId: origin.origin.installationId,
      report: report.data,
    },
  };
}
