import { signWebhook, webhookExample } from "@fixfleet/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchPayload, type Harness, report, startHarness, WEBHOOK_SECRET } from "./harness.js";

let h: Harness;
let tokens: string[];
let requests = 0;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { points: 100_000, durationSec: 60 } });
  tokens = await Promise.all([
    h.issuer.mintToken({ repository: "octo-org/octo-repo" }),
    h.issuer.mintToken({ repository: "octo-org/octo-repo", event_name: "pull_request" }),
  ]);
});
afterAll(async () => {
  // Nothing any fuzzed request sent became a job or a batch.
  expect(await h.jobs()).toHaveLength(0);
  expect((await h.keys()).filter((k) => /:(batches|dedup|repository-ids):/.test(k))).toEqual([]);
  expect(requests).toBeGreaterThanOrEqual(5_000);
  await h.close();
});

const EVENTS = ["repository_dispatch", "workflow_run", "ping", "push", "issue_comment", "", "REPOSITORY_DISPATCH"];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/vnd.github+json",
  "",
  "multipart/form-data; boundary=x",
];

async function send(path: string, headers: Record<string, string>, body: string | Uint8Array) {
  requests += 1;
  const res = await h.ingest.app.request(path, { method: "POST", headers, body });
  const text = await res.text();
  // Never a 5xx: Redis is up. Always JSON, never a stack trace.
  expect(res.status, text).toBeLessThan(500);
  expect(() => JSON.parse(text)).not.toThrow();
  expect(text).not.toMatch(/\n\s+at |node_modules/);
  return res.status;
}

/** A valid dispatch report, then one change that makes it invalid, then any other noise. */
const brokenReport = fc
  .tuple(
    fc.oneof(
      fc.record({ field: fc.constantFrom("v", "run_id", "sha"), drop: fc.constant(true) }),
      fc.record({
        field: fc.constant("sha"),
        value: fc.oneof(
          fc.string(),
          fc.stringMatching(/^[0-9a-f]{39}$/),
          fc.stringMatching(/^[0-9a-f]{41}$/),
          fc.integer(),
        ),
      }),
      fc.record({
        field: fc.constantFrom("run_id", "run_attempt", "pr"),
        value: fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.string(), fc.constant(null)),
      }),
      fc.record({
        field: fc.constant("v"),
        value: fc.oneof(
          fc.integer().filter((n) => n !== 1),
          fc.string(),
        ),
      }),
      fc.record({
        field: fc.constant("paths"),
        value: fc.oneof(
          fc.constant(["/abs"]),
          fc.constant(["a/../../b"]),
          fc.string(),
          fc.array(fc.integer(), { minLength: 1 }),
        ),
      }),
      fc.record({
        field: fc
          .string({ minLength: 1 })
          .filter((k) => !["v", "run_id", "run_attempt", "sha", "ref", "pr", "job", "command", "paths"].includes(k)),
        value: fc.jsonValue(),
      }),
    ),
    fc.dictionary(fc.constantFrom("ref", "job", "command"), fc.jsonValue(), { maxKeys: 2 }),
  )
  .map(([breakIt, noise]) => {
    const r: Record<string, unknown> = { ...report(), ...noise };
    if ("drop" in breakIt) delete r[breakIt.field];
    else r[breakIt.field] = breakIt.value;
    return r;
  });

describe("fuzzing the front door (no 5xx, no crash, no job)", () => {
  it("random headers and bodies, unsigned or signed with a wrong secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EVENTS),
        fc.constantFrom(...CONTENT_TYPES),
        fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 512 })),
        fc.oneof(fc.constant(undefined), fc.string(), fc.stringMatching(/^sha256=[0-9a-f]{64}$/)),
        fc.option(fc.string({ maxLength: 120 })),
        async (event, contentType, body, signature, delivery) => {
          const headers: Record<string, string> = {};
          if (event) headers["x-github-event"] = event;
          if (contentType) headers["content-type"] = contentType;
          if (signature !== undefined) headers["x-hub-signature-256"] = signature.replace(/[^\x20-\x7e]/g, "");
          if (delivery) headers["x-github-delivery"] = delivery.replace(/[^\x20-\x7e]/g, "");
          await send("/webhooks/github", headers, body);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it("signed random JSON and bytes under every event", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EVENTS.filter(Boolean)),
        fc.constantFrom(...CONTENT_TYPES),
        fc.oneof(
          fc.json({ depthSize: "medium" }),
          fc.uint8Array({ minLength: 1, maxLength: 256 }),
          fc.string({ minLength: 1 }),
        ),
        async (event, contentType, body) => {
          const headers: Record<string, string> = {
            "x-github-event": event,
            "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
          };
          if (contentType) headers["content-type"] = contentType;
          await send("/webhooks/github", headers, body);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it("signed repository_dispatch and workflow_run payloads mutated into invalid reports", async () => {
    const run = webhookExample("workflow_run", { where: (p) => p.workflow_run.conclusion === "success" });
    await fc.assert(
      fc.asyncProperty(
        brokenReport,
        fc.oneof(
          fc.constant(undefined),
          fc.record({
            head_sha: fc.string().filter((s) => !/^[0-9a-fA-F]{40}$/.test(s)),
            conclusion: fc.constantFrom("failure", "timed_out"),
          }),
          fc.record({ id: fc.oneof(fc.string(), fc.integer({ max: 0 })), conclusion: fc.constant("failure") }),
        ),
        async (clientPayload, runChange) => {
          let event = "repository_dispatch";
          let payload: unknown = dispatchPayload(clientPayload);
          if (runChange) {
            event = "workflow_run";
            payload = { ...run, workflow_run: { ...run.workflow_run, ...runChange } };
          }
          const body = JSON.stringify(payload);
          const status = await send(
            "/webhooks/github",
            {
              "content-type": "application/json",
              "x-github-event": event,
              "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
            },
            body,
          );
          expect(status).toBe(422);
        },
      ),
      { numRuns: 1_200 },
    );
  });

  it("POST /v1/failures with random authorization, and valid tokens with invalid bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(undefined),
          fc.string(),
          fc.constantFrom(...tokens).map((t) => `Bearer ${t}`),
          fc.constantFrom(...tokens).map((t) => `Bearer ${t.slice(0, -4)}AAAA`),
        ),
        fc.constantFrom(...CONTENT_TYPES),
        fc.oneof(
          brokenReport.map((r) => JSON.stringify({ ...r, repository: "octo-org/octo-repo" })),
          fc.json(),
          fc.string(),
          fc.constant(JSON.stringify({ ...report(), repository: "other-org/octo-repo" })),
        ),
        async (authorization, contentType, body) => {
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.authorization = authorization.replace(/[^\x20-\x7e]/g, "");
          if (contentType) headers["content-type"] = contentType;
          await send("/v1/failures", headers, body);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
