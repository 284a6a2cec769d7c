import { createHmac } from "node:crypto";
import { signWebhook } from "@fixfleet/testkit";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { IngestEnv } from "../../app/ingest-env.js";
import { rawBody } from "../raw-body/index.js";
import { verifySignature, webhookSignature } from "./index.js";

const secret = "a-webhook-secret";

describe("verifySignature", () => {
  it("accepts GitHub's signature of the exact bytes", async () => {
    const body = '{"zen":"Design for failure."}';
    expect(verifySignature([secret], Buffer.from(body), await signWebhook(secret, body))).toBe(true);
  });

  it("signs raw bytes, not their decoding: invalid UTF-8 still verifies", () => {
    const bytes = Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`;
    expect(verifySignature([secret], bytes, signature)).toBe(true);
    expect(verifySignature([secret], Buffer.from(new TextDecoder().decode(bytes)), signature)).toBe(false);
  });

  it("refuses another secret, a changed body, sha1 and malformed values", async () => {
    const body = Buffer.from("{}");
    const good = await signWebhook(secret, "{}");
    expect(verifySignature(["other-secret"], body, good)).toBe(false);
    expect(verifySignature([secret], Buffer.from("{} "), good)).toBe(false);
    expect(verifySignature([secret], body, good.replace("sha256=", "sha1="))).toBe(false);
    expect(verifySignature([secret], body, good.toUpperCase())).toBe(false);
    expect(verifySignature([secret], body, `${good}00`)).toBe(false);
    expect(verifySignature([secret], body, undefined)).toBe(false);
  });

  it("accepts a previous secret while the secret is rotated", async () => {
    expect(verifySignature(["new-secret", secret], Buffer.from("{}"), await signWebhook(secret, "{}"))).toBe(true);
  });
});

describe("webhookSignature middleware", () => {
  const app = new Hono<IngestEnv>();
  app.onError((e, c) => ("getResponse" in e ? (e as { getResponse(): Response }).getResponse() : c.text("x", 500)));
  app.post("/", rawBody(), webhookSignature([secret]), (c) => c.text("ok"));

  it("lets a signed body through and answers 401 JSON otherwise", async () => {
    const ok = await app.request("/", {
      method: "POST",
      body: "{}",
      headers: { "x-hub-signature-256": await signWebhook(secret, "{}") },
    });
    expect(ok.status).toBe(200);
    const missing = await app.request("/", { method: "POST", body: "{}" });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "unauthorized", message: "X-Hub-Signature-256 is missing" });
  });
});
