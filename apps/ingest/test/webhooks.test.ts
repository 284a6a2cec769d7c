import { webhookExample, webhookExamples } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dispatchPayload,
  type Harness,
  type JsonResponse,
  report,
  SHA_A,
  startHarness,
  WEBHOOK_SECRET,
} from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ appBotLogins: ["fixfleet[bot]"] });
});
afterAll(async () => {
  await h.close();
});

async function expectNoJob() {
  expect(await h.jobs()).toHaveLength(0);
}

describe("POST /webhooks/github refuses", () => {
  it("a missing signature with 401", async () => {
    const res = await h.webhook("repository_dispatch", dispatchPayload(report()), {
      headers: { "x-hub-signature-256": undefined },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthorized", message: expect.stringMatching(/missing/) });
  });

  it("a signature made with another secret, or over other bytes, with 401", async () => {
    const other = await h.webhook("repository_dispatch", dispatchPayload(report()), {
      headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
    });
    expect(other.status).toBe(401);
    const { signWebhook } = await import("@fixfleet/testkit");
    const body = JSON.stringify(dispatchPayload(report()));
    const res: JsonResponse = await h.ingest.app.request("/webhooks/github", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "repository_dispatch",
        "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, `${body} `),
      },
      body,
    });
    expect(res.status).toBe(401);
    await expectNoJob();
  });

  it("truncated JSON with 400", async () => {
    const body = JSON.stringify(dispatchPayload(report())).slice(0, 50);
    const res = await h.webhook("repository_dispatch", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "malformed_json" });
  });

  it("text/plain with 415, even when signed", async () => {
    const res = await h.webhook("repository_dispatch", dispatchPayload(report()), {
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported_media_type" });
  });

  it("a form-encoded delivery with 415 saying how to fix the App's setting", async () => {
    const res = await h.webhook("ping", "payload=%7B%7D", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect((await res.json()).message).toMatch(/content type to application\/json/);
  });

  it("a report without its required fields with 422 naming each", async () => {
    const res = await h.webhook("repository_dispatch", dispatchPayload({ job: "x" }));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error).toBe("invalid_report");
    expect(body.problems).toEqual(
      expect.arrayContaining([
        { path: "client_payload.v", message: "is required" },
        { path: "client_payload.run_id", message: "is required" },
        { path: "client_payload.sha", message: "is required" },
      ]),
    );
  });

  it("a bad sha and unknown fields with 422 naming each", async () => {
    const res = await h.webhook("repository_dispatch", dispatchPayload(report({ sha: "abc", extra: 1, pr: -1 })));
    expect(res.status).toBe(422);
    const paths = (await res.json()).problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["client_payload.sha", "client_payload.extra", "client_payload.pr"]));
    await expectNoJob();
  });
});

describe("POST /webhooks/github routes by event", () => {
  it("answers ping", async () => {
    const res = await h.webhook("ping", webhookExample("ping"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ pong: true });
  });

  it("accepts every real ping, repository_dispatch and workflow_run example as it is", async () => {
    for (const event of ["ping", "repository_dispatch", "workflow_run"]) {
      for (const payload of webhookExamples(event)) {
        const res = await h.webhook(event, payload);
        expect([200, 202], `${event} ${payload.action}`).toContain(res.status);
      }
    }
    // None of the real examples is a failure of ours: a dispatch of another type, runs that succeeded.
    await expectNoJob();
  });

  it("ignores an unknown event with 202 and the reason", async () => {
    const res = await h.webhook("star", webhookExample("star"));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ignored: 'event "star" is not handled' });
  });

  it("ignores a repository_dispatch of another event type", async () => {
    const res = await h.webhook("repository_dispatch", { ...dispatchPayload(report()), action: "deploy" });
    expect(res.status).toBe(202);
    expect((await res.json()).ignored).toMatch(/"deploy" is not "fixfleet"/);
    await expectNoJob();
  });

  it("accepts the real repository_dispatch example carrying a fixfleet report", async () => {
    const payload = webhookExample("repository_dispatch");
    payload.action = "fixfleet";
    payload.client_payload = report({ sha: "c".repeat(40), pr: 7 });
    const res = await h.webhook("repository_dispatch", payload);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: true,
      batch: `${payload.repository.full_name.toLowerCase()}@${"c".repeat(40)}`,
    });
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toMatchObject({
      repository: { id: payload.repository.id, owner: payload.repository.owner.login },
      installationId: payload.installation.id,
      sha: "c".repeat(40),
      pr: 7,
    });
    expect(jobs[0]!.id).not.toContain(":");
    expect(jobs[0]!.opts.delay).toBe(20_000);
    await jobs[0]!.remove();
  });

  it("builds a report from a real failed workflow_run (zero-config mode)", async () => {
    const payload = webhookExample("workflow_run", { where: (p) => p.workflow_run.pull_requests.length > 0 });
    payload.workflow_run.conclusion = "failure";
    const res = await h.webhook("workflow_run", payload);
    expect(res.status).toBe(202);
    const [job] = await h.jobs();
    expect(job?.data).toMatchObject({
      sha: payload.workflow_run.head_sha,
      pr: payload.workflow_run.pull_requests[0].number,
    });
    const { readBatch } = await import("@fixfleet/shared");
    const batch = await readBatch(h.redis, h.prefix, job!.data.batchId);
    expect(batch?.reports[0]).toMatchObject({
      source: "workflow_run",
      report: {
        run_id: payload.workflow_run.id,
        run_attempt: payload.workflow_run.run_attempt,
        ref: `refs/heads/${payload.workflow_run.head_branch}`,
      },
      workflowRun: { name: payload.workflow_run.name, pullRequests: [payload.workflow_run.pull_requests[0].number] },
    });
    await job!.remove();
  });

  it("accepts a timed-out run from a fork, whose pull_requests GitHub leaves empty", async () => {
    const payload = webhookExample("workflow_run", { where: (p) => p.workflow_run.conclusion === "success" });
    payload.workflow_run.conclusion = "timed_out";
    payload.workflow_run.pull_requests = [];
    payload.workflow_run.head_sha = "d".repeat(40);
    payload.workflow_run.id += 1;
    const res = await h.webhook("workflow_run", payload);
    expect(res.status).toBe(202);
    const [job] = await h.jobs();
    expect(job?.data.pr).toBeUndefined();
    await job!.remove();
  });

  it("ignores runs that succeeded, are not completed, ran on a fixfleet branch, or were started by the App", async () => {
    const base = () => {
      const p = webhookExample("workflow_run", { where: (x) => x.workflow_run.conclusion === "success" });
      p.workflow_run.conclusion = "failure";
      return p;
    };
    const requested = base();
    requested.action = "requested";
    const succeeded = base();
    succeeded.workflow_run.conclusion = "success";
    const onFixBranch = base();
    onFixBranch.workflow_run.head_branch = "fixfleet/pr-42";
    const byApp = base();
    byApp.workflow_run.triggering_actor = { login: "fixfleet[bot]", type: "Bot" };
    const reasons = [];
    for (const p of [requested, succeeded, onFixBranch, byApp]) {
      const res = await h.webhook("workflow_run", p);
      expect(res.status).toBe(202);
      reasons.push((await res.json()).ignored);
    }
    expect(reasons).toEqual([
      expect.stringMatching(/"requested" is not "completed"/),
      expect.stringMatching(/"success" is not a failure/),
      expect.stringMatching(/fixfleet's own branch fixfleet\/pr-42/),
      expect.stringMatching(/triggered by fixfleet's App/),
    ]);
    await expectNoJob();
  });
});

describe("deduplication", () => {
  it("accepts a delivery once; its redelivery answers 200 duplicate", async () => {
    const payload = dispatchPayload(report({ sha: "e".repeat(40) }));
    const first = await h.webhook("repository_dispatch", payload, {
      deliveryId: "11111111-2222-3333-4444-555555555555",
    });
    expect(first.status).toBe(202);
    const again = await h.webhook("repository_dispatch", payload, {
      deliveryId: "11111111-2222-3333-4444-555555555555",
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(1);
    await jobs[0]!.remove();
  });

  it("accepts the same (repository, run, attempt, job) once even under another delivery id", async () => {
    const r = report({ sha: "f".repeat(40) });
    expect((await h.webhook("repository_dispatch", dispatchPayload(r))).status).toBe(202);
    expect((await h.webhook("repository_dispatch", dispatchPayload(r))).status).toBe(200);
    // A new attempt of the run is a new failure.
    expect((await h.webhook("repository_dispatch", dispatchPayload({ ...r, run_attempt: 2 }))).status).toBe(202);
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(2);
    await jobs[0]!.remove();
  });

  it("accepts a redelivery of a delivery that was refused", async () => {
    const payload = dispatchPayload(report({ sha: SHA_A, run_id: 555_001 }));
    const deliveryId = "aaaaaaaa-2222-3333-4444-555555555555";
    const refused = await h.webhook("repository_dispatch", payload, {
      deliveryId,
      headers: { "x-hub-signature-256": `sha256=${"1".repeat(64)}` },
    });
    expect(refused.status).toBe(401);
    expect((await h.webhook("repository_dispatch", payload, { deliveryId })).status).toBe(202);
    for (const job of await h.jobs()) await job.remove();
  });
});
