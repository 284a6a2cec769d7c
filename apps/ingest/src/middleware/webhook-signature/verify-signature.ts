import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha256=[0-9a-f]{64}$/;

/**
 * Whether `X-Hub-Signature-256` is the HMAC-SHA256 of exactly these bytes under the secret.
 * Computed over the raw bytes (not a decoded string, which would change invalid UTF-8) and
 * compared in constant time. Older secrets may be given while a secret is being rotated.
 */
export function verifySignature(secrets: readonly string[], body: Uint8Array, signature: string | undefined): boolean {
  if (!signature || !SIGNATURE.test(signature)) return false;
  const given = Buffer.from(signature.slice("sha256=".length), "hex");
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(body).digest();
    // No early exit: every secret is tried, so timing says nothing about which one matched.
    if (timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
