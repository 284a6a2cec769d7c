import { verify } from "@octokit/webhooks-methods";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { signWebhook } from "./sign-webhook.js";
import { webhookEventNames, webhookExample, webhookExamples } from "./webhook-examples.js";
import { sendWebhook, webhookRequest } from "./webhook-request.js";

describe("webhook sender", () => {
  it("signs like GitHub: @octokit/webhooks-methods verifies the signature", async () => {
    const body = JSON.stringify(webhookExample("ping"));
    expect(await verify("s3cret", body, await signWebhook("s3cret", body))).toBe(true);
  });

  it("sends GitHub's headers and the compact JSON body", async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const app = new Hono();
    app.post("/hook", async (c) => {
      received.push({ headers: Object.fromEntries(c.req.raw.headers), body: await c.req.text() });
      return c.body(null, 204);
    });
    const payload = webhookExample("workflow_run", { action: "completed" });
    const res = await sendWebhook({
      url: "http://hooks.test/hook",
      secret: "s3cret",
      event: "workflow_run",
      payload,
      fetch: async (input, init) => app.request(input as string, init),
    });
    expect(res.status).toBe(204);
    const [{ headers, body }] = received as [(typeof received)[0]];
    expect(body).toBe(JSON.stringify(payload));
    expect(headers).toMatchObject({
      "content-type": "application/json",
      "x-github-event": "workflow_run",
      "x-github-delivery": res.deliveryId,
      "x-hub-signature-256": await signWebhook("s3cret", body),
    });
    expect(headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
    expect(headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("lets a test replace or remove any header", async () => {
    const req = await webhookRequest({
      url: "http://x",
      secret: "s3cret",
      event: "ping",
      payload: {},
      headers: { "x-hub-signature-256": undefined, "content-type": "text/plain" },
    });
    expect(req.headers["x-hub-signature-256"]).toBeUndefined();
    expect(req.headers["content-type"]).toBe("text/plain");
  });
});

describe("real examples from @octokit/webhooks-examples", () => {
  it("loads the events fixfleet meets, as copies a test may change", () => {
    expect(webhookEventNames()).toEqual(
      expect.arrayContaining(["repository_dispatch", "workflow_run", "ping", "issue_comment"]),
    );
    const a = webhookExample("repository_dispatch");
    a.action = "changed";
    expect(webhookExample("repository_dispatch").action).not.toBe("changed");
    expect(webhookExamples("workflow_run").some((p) => p.action === "completed")).toBe(true);
    expect(() => webhookExample("no_such_event")).toThrow(/no examples/);
  });
});
