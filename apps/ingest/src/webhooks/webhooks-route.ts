import type { ControlJobData, RepositoryRef, StoredReport } from "@fixfleet/shared";
import { Hono } from "hono";
import type { IngestEnv } from "../app/ingest-env.js";
import type { StoredOutcome } from "../batching/accept-report.js";
import { httpError } from "../errors/http-error.js";
import { jsonContentType } from "../middleware/json-content-type/index.js";
import { isPlainObject, parseJson, rawBody } from "../middleware/raw-body/index.js";
import { webhookSignature } from "../middleware/webhook-signature/index.js";
import { decideWebhook } from "./decide-webhook.js";

export interface WebhooksRouteDeps {
  secrets: readonly string[];
  dispatchEventType: string;
  appBotLogins: readonly string[];
  now: () => number;
  /** Refuses (403) a repository that is not allowed; rate-limits (429) its account. */
  admit: (subject: { repository: RepositoryRef }, account: string) => Promise<void>;
  /** Stores a report (admitted as `admit` would, its account counted in the same step). */
  accept: (entry: StoredReport, account: string) => Promise<StoredOutcome>;
  /** Stores a PR command or outcome event for the worker; `duplicate` for a delivery seen before. */
  enqueueControl: (entry: ControlJobData) => Promise<{ duplicate: boolean }>;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,100}$/;

/**
 * POST /webhooks/github: the signature is checked over the raw bytes before anything else is
 * looked at; then the event is routed, and a failure report is stored before the 202.
 */
export function webhooksRoute(deps: WebhooksRouteDeps): Hono<IngestEnv> {
  const app = new Hono<IngestEnv>();
  app.post("/", rawBody(), webhookSignature(deps.secrets), jsonContentType(), async (c) => {
    const fields = c.get("logFields");
    fields.source = "webhook";
    const event = c.req.header("x-github-event");
    if (!event || !EVENT_NAME.test(event)) {
      throw httpError(400, { error: "bad_request", message: "X-GitHub-Event is missing or malformed" });
    }
    fields.event = event;
    const deliveryId = c.req.header("x-github-delivery");
    if (deliveryId !== undefined && !DELIVERY_ID.test(deliveryId)) {
      throw httpError(400, { error: "bad_request", message: "X-GitHub-Delivery is malformed" });
    }
    const payload = parseJson(c.get("rawBody"));
    if (!isPlainObject(payload)) {
      throw httpError(400, { error: "malformed_json", message: "a webhook payload is a JSON object" });
    }
    const decision = decideWebhook(event, payload, {
      dispatchEventType: deps.dispatchEventType,
      appBotLogins: deps.appBotLogins,
      deliveryId,
      now: deps.now(),
    });
    switch (decision.kind) {
      case "ping":
        fields.outcome = "ignored";
        fields.reason = "ping";
        return c.json({ pong: true, ...(decision.zen ? { zen: decision.zen } : {}) }, 200);
      case "ignored":
        fields.outcome = "ignored";
        fields.reason = "event";
        fields.detail = decision.reason;
        return c.json({ ignored: decision.reason }, 202);
      case "invalid":
        throw httpError(422, {
          error: "invalid_report",
          message: "the delivery does not carry a valid failure report",
          problems: decision.problems,
        });
      case "report": {
        const { entry } = decision;
        fields.repository = `${entry.repository.owner}/${entry.repository.name}`;
        fields.installationId = entry.installationId;
        const outcome = await deps.accept(entry, accountOf(payload, entry.repository));
        fields.outcome = outcome.outcome;
        fields.batch = outcome.batchId;
        if (outcome.outcome === "duplicate") return c.json({ duplicate: true }, 200);
        return c.json({ accepted: true, batch: outcome.batchKey }, 202);
      }
      case "control": {
        const { entry } = decision;
        fields.repository = `${entry.repository.owner}/${entry.repository.name}`;
        fields.installationId = entry.installationId;
        await deps.admit(entry, accountOf(payload, entry.repository));
        const { duplicate } = await deps.enqueueControl(entry);
        fields.outcome = duplicate ? "duplicate" : "accepted";
        // Not a failure report: the reason label keeps control events apart in reports_total.
        fields.reason = `control_${entry.type}`;
        if (duplicate) return c.json({ duplicate: true }, 200);
        return c.json({ accepted: true, control: entry.type }, 202);
      }
    }
  });
  return app;
}

/** The rate limit's subject: the repository's owner account, by id where the payload has it. */
function accountOf(payload: Record<string, unknown>, repository: RepositoryRef): string {
  const ownerId = (payload.repository as { owner?: { id?: unknown } } | undefined)?.owner?.id;
  return `account-${typeof ownerId === "number" ? ownerId : repository.owner.toLowerCase()}`;
}
