import { createHmac } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";

/**
 * `X-Hub-Signature-256` of a body: GitHub's HMAC-SHA256 of the raw bytes with the webhook
 * secret. Strings go through @octokit/webhooks-methods (what GitHub's own tooling does); bytes,
 * which may not be valid UTF-8, are signed as they are.
 */
export async function signWebhook(secret: string, body: string | Uint8Array): Promise<string> {
  if (typeof body === "string" && body.length > 0) return sign(secret, body);
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
