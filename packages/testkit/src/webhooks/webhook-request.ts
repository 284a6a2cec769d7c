import { randomUUID } from "node:crypto";
import { signWebhook } from "./sign-webhook.js";

export interface WebhookRequestOptions {
  /** Where the App's webhook URL points, e.g. `http://127.0.0.1:3000/webhooks/github`. */
  url: string;
  secret: string;
  /** `X-GitHub-Event`. */
  event: string;
  /** A payload object (sent as GitHub sends it: compact JSON) or the exact bytes to send. */
  payload: unknown;
  /** `X-GitHub-Delivery`; a new GUID by default. */
  deliveryId?: string;
  /** Replaces or removes (undefined) any header GitHub would send, e.g. a wrong signature. */
  headers?: Record<string, string | undefined>;
}

export interface WebhookRequest {
  url: string;
  deliveryId: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
}

/** The request GitHub makes for a webhook delivery: its headers, signature and body. */
export async function webhookRequest(options: WebhookRequestOptions): Promise<WebhookRequest> {
  const body =
    typeof options.payload === "string" || options.payload instanceof Uint8Array
      ? options.payload
      : JSON.stringify(options.payload);
  const deliveryId = options.deliveryId ?? randomUUID();
  const payload = options.payload as { installation?: { id?: number }; repository?: { id?: number } } | undefined;
  const headers: Record<string, string | undefined> = {
    accept: "*/*",
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/2b7cc5c",
    "x-github-delivery": deliveryId,
    "x-github-event": options.event,
    "x-github-hook-id": "423885699",
    "x-github-hook-installation-target-id": String(payload?.installation?.id ?? payload?.repository?.id ?? 1),
    "x-github-hook-installation-target-type": payload?.installation ? "integration" : "repository",
    "x-hub-signature-256": await signWebhook(options.secret, body),
    ...options.headers,
  };
  const defined = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  return { url: options.url, deliveryId, body, headers: defined };
}

/** Posts a webhook delivery the way GitHub does and returns the answer. */
export async function sendWebhook(
  options: WebhookRequestOptions & { fetch?: typeof fetch; timeoutMs?: number },
): Promise<Response & { deliveryId: string }> {
  const request = await webhookRequest(options);
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(request.url, {
    method: "POST",
    headers: request.headers,
    body: request.body,
    // GitHub gives up on a delivery after 10 seconds.
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  return Object.assign(response, { deliveryId: request.deliveryId });
}
