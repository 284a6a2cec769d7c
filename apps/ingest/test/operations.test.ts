import { request as httpRequest } from "node:http";
import { signWebhook, testRedisUrl } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/middleware/raw-body/index.js";
import { type IngestServer, startIngestServer } from "../src/server/start-ingest-server.js";
import { dispatchPayload, type Harness, report, startHarness, WEBHOOK_SECRET } from "./harness.js";
import { spawnIngest } from "./ingest-process.js";

let h: Harness;
let server: IngestServer;
beforeAll(async () => {
  h = await startHarness({ rateLimit: { points: 3, durationSec: 60 } });
  server = await startIngestServer(h.ingest, { port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await server.stop();
  await h.close();
});

/** Posts a body to the real server in chunks; `hold` keeps the request open after the chunks. */
function postChunked(
  path: string,
  headers: Record<string, string>,
  chunks: Buffer[],
  options: { hold?: boolean } = {},
): Promise<{ status: number; body: string; endedRequest: boolean }> {
  return new Promise((resolve, reject) => {
    let ended = false;
    const req = httpRequest(`${server.url}${path}`, { method: "POST", headers }, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d;
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body, endedRequest: ended });
        req.destroy();
      });
    });
    req.on("error", (e) => (isHangUp(e) ? undefined : reject(e)));
    for (const chunk of chunks) req.write(chunk);
    if (!options.hold) {
      ended = true;
      req.end();
    }
  });
}
const isHangUp = (e: Error) =>
  (e as NodeJS.ErrnoException).code === "ECONNRESET" || e.message.includes("socket hang up");

describe("body limit (1 MiB)", () => {
  it("refuses a declared 1 MiB + 1 byte with 413 before reading it", async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    // Its own connection (agent: false): the server closes it after the 413, and a pooled
    // socket would otherwise be handed to the next test's fetch already closed.
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/webhooks/github`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", "x-github-event": "ping", "content-length": body.length },
        },
        (response) => {
          let text = "";
          response.on("data", (d) => {
            text += d;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", (e) => (isHangUp(e) ? undefined : reject(e)));
      req.end(body);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: "payload_too_large" });
  });

  it("refuses a chunked body at the byte past 1 MiB while it streams: the answer comes before the body ends", async () => {
    const chunks = Array.from({ length: 16 }, () => Buffer.alloc(64 * 1024, 0x20));
    chunks.push(Buffer.from(" "));
    const res = await postChunked(
      "/webhooks/github",
      { "content-type": "application/json", "x-github-event": "ping", "transfer-encoding": "chunked" },
      chunks,
      { hold: true },
    );
    expect(res.status).toBe(413);
    expect(res.endedRequest).toBe(false);
  });

  it("takes a signed body of exactly 1 MiB", async () => {
    const json = JSON.stringify(dispatchPayload(report()));
    const body = Buffer.concat([Buffer.from(json), Buffer.alloc(MAX_BODY_BYTES - json.length, 0x20)]);
    const res = await postChunked(
      "/webhooks/github",
      {
        "content-type": "application/json",
        "x-github-event": "repository_dispatch",
        "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
        "transfer-encoding": "chunked",
      },
      [body.subarray(0, 500_000), body.subarray(500_000)],
    );
    expect(res.status).toBe(202);
  });
});

describe("rate limit per installation", () => {
  it("answers 429 with Retry-After past the budget of the account, and stores nothing", async () => {
    const limited = await startHarness({ rateLimit: { points: 2, durationSec: 60 } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 3; i += 1) {
        const res = await limited.webhook("repository_dispatch", dispatchPayload(report(), { name: `repo-${i}` }));
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get("retry-after");
      }
      expect(statuses).toEqual([202, 202, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(await limited.jobs()).toHaveLength(2);
      // Another account has its own budget.
      const other = await limited.webhook("repository_dispatch", {
        ...dispatchPayload(report(), { owner: "other-org" }),
        repository: { id: 9, name: "r", full_name: "other-org/r", owner: { login: "other-org", id: 888 } },
      });
      expect(other.status).toBe(202);
    } finally {
      await limited.close();
    }
  });
});

describe("health, metrics, errors", () => {
  it("answers /healthz and /readyz", async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", redis: "ok" });
  });

  it("exposes requests, reports by outcome, batch sizes and queue depths in Prometheus text", async () => {
    await h.webhook("repository_dispatch", dispatchPayload(report({ sha: "3".repeat(40) })));
    await h.webhook("repository_dispatch", dispatchPayload({ v: 2 }));
    await h.webhook("issues", { action: "opened" });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /fixfleet_ingest_http_requests_total\{method="POST",route="\/webhooks\/github",status="202"\} \d+/,
    );
    expect(text).toMatch(/fixfleet_ingest_reports_total\{source="webhook",outcome="accepted",reason=""\} [1-9]/);
    expect(text).toMatch(
      /fixfleet_ingest_reports_total\{source="webhook",outcome="rejected",reason="invalid_report"\} 1/,
    );
    expect(text).toMatch(/fixfleet_ingest_reports_total\{source="webhook",outcome="ignored",reason="event"\} 1/);
    expect(text).toMatch(/fixfleet_ingest_batch_size_count [1-9]/);
    expect(text).toMatch(/fixfleet_ingest_queue_jobs\{queue="fixfleet-fix",state="delayed"\} [1-9]/);
    expect(text).toMatch(/fixfleet_ingest_queue_jobs\{queue="fixfleet-fix",state="failed"\} 0/);
  });

  it("answers JSON for an unknown route and a wrong method, never a stack trace", async () => {
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: "not_found" });
    const wrong = await fetch(`${server.url}/webhooks/github`);
    expect(wrong.status).toBe(404);
  });

  it("logs one line per request with delivery, repository and outcome, and no secret", async () => {
    const token = await h.issuer.mintToken({ repository: "octo-org/octo-repo" });
    await h.failure({ ...report(), repository: "octo-org/octo-repo" }, token);
    await h.webhook("repository_dispatch", dispatchPayload(report()), {
      deliveryId: "12345678-aaaa-4bbb-8ccc-123456789012",
    });
    const lines = h.logLines.join("");
    expect(lines).not.toContain(WEBHOOK_SECRET);
    expect(lines).not.toContain(token);
    const line = h.logLines
      .map((l) => JSON.parse(l))
      .find((l) => l.deliveryId === "12345678-aaaa-4bbb-8ccc-123456789012");
    expect(line).toMatchObject({
      msg: "request",
      route: "/webhooks/github",
      status: 202,
      repository: "octo-org/octo-repo",
      outcome: "accepted",
      event: "repository_dispatch",
      installationId: 99,
    });
  });
});

describe("dashboard", () => {
  it("does not exist without DASHBOARD_USER and DASHBOARD_PASSWORD", async () => {
    expect((await h.ingest.app.request("/admin/queues")).status).toBe(404);
  });

  it("asks for basic auth, and shows Bull Board with it", async () => {
    const d = await startHarness({ env: { DASHBOARD_USER: "admin", DASHBOARD_PASSWORD: "a-long-password" } });
    try {
      const anonymous = await d.ingest.app.request("/admin/queues");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
      const wrong = await d.ingest.app.request("/admin/queues", {
        headers: { authorization: `Basic ${Buffer.from("admin:nope").toString("base64")}` },
      });
      expect(wrong.status).toBe(401);
      const auth = { authorization: `Basic ${Buffer.from("admin:a-long-password").toString("base64")}` };
      const page = await d.ingest.app.request("/admin/queues", { headers: auth });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      const api = await d.ingest.app.request("/admin/queues/api/queues", { headers: auth });
      expect(api.status).toBe(200);
      expect(JSON.stringify(await api.json())).toContain("fixfleet-fix");
    } finally {
      await d.close();
    }
  });
});

describe("graceful shutdown of the process", () => {
  it("on SIGTERM stops accepting, finishes the request in flight, and exits 0", { timeout: 60_000 }, async () => {
    const ingest = await spawnIngest({
      REDIS_URL: testRedisUrl(),
      GITHUB_APP_ID: "12345",
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    try {
      const body = Buffer.from(JSON.stringify(dispatchPayload(report({ sha: "4".repeat(40) }))));
      const answer = new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          `${ingest.url}/webhooks/github`,
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "content-length": String(body.length),
              "x-github-event": "repository_dispatch",
              "x-github-delivery": "99999999-aaaa-4bbb-8ccc-123456789012",
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        void signWebhook(WEBHOOK_SECRET, body).then((signature) => {
          req.setHeader("x-hub-signature-256", signature);
          req.write(body.subarray(0, 10));
          // The request is in flight; now the signal comes, then the rest of the body.
          setTimeout(() => {
            ingest.child.kill("SIGTERM");
            setTimeout(() => req.end(body.subarray(10)), 500);
          }, 200);
        });
      });
      expect(await answer).toBe(202);
      expect(await ingest.exited).toBe(0);
      expect(ingest.output()).toMatch(/"msg":"stopped"/);
      await expect(fetch(`${ingest.url}/healthz`)).rejects.toThrow();
    } finally {
      await ingest.stop("SIGKILL");
    }
  });
});
