import { randomUUID } from "node:crypto";
import { sendWebhook } from "../../webhooks/webhook-request.js";
import { accountJson, installationRefJson, organizationJson, repositoryJson } from "../http/serializers.js";
import type { Account, Delivery, FakeGitHubState, Repository } from "../state.js";

/** GitHub gives up on a delivery after 10 seconds and does not retry it by itself. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookEvent {
  event: string;
  repo: Repository;
  sender: Account;
  /** The event's own fields (`action` first, as GitHub orders them). */
  body: Record<string, unknown>;
}

/**
 * Queues a webhook to the App's target and resolves once it was delivered (or failed), after
 * every delivery queued before it. Without a target nothing is sent or recorded.
 * The envelope is GitHub's: `repository`, `organization` for an organisation's repository,
 * `sender`, and the App's `installation`.
 */
export function deliverWebhook(state: FakeGitHubState, event: WebhookEvent): Promise<Delivery | undefined> {
  const target = state.webhook;
  if (!target) return Promise.resolve(undefined);
  const payload: Record<string, unknown> = {
    ...event.body,
    repository: repositoryJson(state, event.repo),
    ...(event.repo.owner.type === "Organization" ? { organization: organizationJson(state, event.repo.owner) } : {}),
    sender: accountJson(state, event.sender),
    installation: installationRefJson(event.repo.installationId),
  };
  const deliveryId = randomUUID();
  const send = async (): Promise<Delivery> => {
    const started = Date.now();
    const record: Delivery = {
      event: event.event,
      action: typeof payload.action === "string" ? payload.action : null,
      deliveryId,
      status: null,
      payload,
      url: target.url,
      at: state.now(),
      durationMs: 0,
    };
    try {
      const response = await sendWebhook({
        url: target.url,
        secret: target.secret,
        event: event.event,
        payload,
        deliveryId,
        timeoutMs: DELIVERY_TIMEOUT_MS,
      });
      record.status = response.status;
      // GitHub reads (and keeps) the answer; draining it frees the connection.
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    record.durationMs = Date.now() - started;
    state.deliveries.push(record);
    return record;
  };
  const delivered = state.deliveryQueue.then(send);
  state.deliveryQueue = delivered.then(
    () => undefined,
    () => undefined,
  );
  return delivered;
}
