import { failureReportBodySchema, failureReportSchema } from "@fixfleet/shared";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeTokenService, startFakeTokenService } from "./support/fake-oidc.js";
import { type RecordingServer, sendJson, startRecordingServer } from "./support/http-recorder.js";
import { runAction } from "./support/run-action.js";

const HEAD_SHA = "a".repeat(40);
const MERGE_SHA = "b".repeat(40);
const PUSH_SHA = "c".repeat(40);
const WORKFLOW_TOKEN = "ghs_workflowTokenThatMustNeverBePrinted000";

/** What a runner sets for every job; each test adds the event's own variables. */
function runnerEnv(extra: Record<string, string>): Record<string, string> {
  return {
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_RUN_ID: "9876543210",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_JOB: "test",
    ...extra,
  };
}

const pullRequestEvent = {
  action: "synchronize",
  number: 42,
  pull_request: { number: 42, head: { sha: HEAD_SHA, ref: "feature-x" }, base: { sha: "d".repeat(40), ref: "main" } },
  repository: { full_name: "acme/shop" },
};

// A fake GitHub that speaks `POST /repos/{owner}/{repo}/dispatches` as documented: bearer token,
// `event_type` required, `client_payload` at most 10 top-level properties, 204 on success.
let github: RecordingServer;
// A fake ingest for `POST /v1/failures`: verifies the OIDC token and the body as ingest does.
let ingest: RecordingServer;
let tokens: FakeTokenService;
let ingestMode: "accept" | "error500" | "hang" | "unavailable-once" = "accept";

beforeAll(async () => {
  github = await startRecordingServer((req, res) => {
    const match = /^\/repos\/([^/]+)\/([^/]+)\/dispatches$/.exec(req.url);
    if (req.method !== "POST" || !match) return sendJson(res, 404, { message: "Not Found" });
    if (req.headers.authorization !== `Bearer ${WORKFLOW_TOKEN}`)
      return sendJson(res, 401, { message: "Bad credentials" });
    const body = JSON.parse(req.body) as { event_type?: unknown; client_payload?: Record<string, unknown> };
    if (typeof body.event_type !== "string" || body.event_type.length === 0) {
      return sendJson(res, 422, { message: 'Invalid request.\n\nNo subschema in "anyOf" matched.' });
    }
    if (body.client_payload && Object.keys(body.client_payload).length > 10) {
      return sendJson(res, 422, { message: "client_payload can have at most 10 top-level properties" });
    }
    return sendJson(res, 204);
  });
  tokens = await startFakeTokenService({
    repository: "acme/shop",
    repository_owner: "acme",
    repository_id: "123",
    ref: "refs/heads/main",
    event_name: "push",
    run_id: "9876543210",
  });
  let unavailableSent = false;
  ingest = await startRecordingServer(async (req, res) => {
    if (req.method !== "POST" || req.url !== "/fleet/v1/failures") return sendJson(res, 404, { error: "not found" });
    if (ingestMode === "hang") return; // never answers; the action's time limit must end the wait
    if (ingestMode === "error500") return sendJson(res, 500, { error: "internal" });
    if (ingestMode === "unavailable-once" && !unavailableSent) {
      unavailableSent = true;
      return sendJson(res, 503, { error: "redis unavailable" }, { "retry-after": "0" });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token) return sendJson(res, 401, { error: "missing token" });
    let claims: Record<string, unknown>;
    try {
      claims = await tokens.verify(token, "fixfleet");
    } catch (error) {
      return sendJson(res, 401, { error: String(error) });
    }
    const parsed = failureReportBodySchema.safeParse(JSON.parse(req.body));
    if (!parsed.success) return sendJson(res, 422, { error: "schema", issues: parsed.error.issues });
    if (claims.repository !== parsed.data.repository) return sendJson(res, 403, { error: "repository" });
    return sendJson(res, 202, { accepted: true, batch: `acme/shop@${parsed.data.sha}` });
  });
});

afterEach(() => {
  ingestMode = "accept";
  github.requests.length = 0;
  ingest.requests.length = 0;
});

afterAll(async () => {
  await Promise.all([github?.stop(), ingest?.stop(), tokens?.stop()]);
});

function oidcEnv(): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: tokens.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken };
}

function expectNoSecretPrinted(out: string): void {
  expect(out).not.toContain(WORKFLOW_TOKEN);
  expect(out).not.toContain(tokens.requestToken);
  for (const token of tokens.issued) expect(out).not.toContain(token);
}

describe("the CI action's report", () => {
  it("for a pull_request run: a repository_dispatch with the PR's head commit and branch, not the merge ref", async () => {
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_SHA: MERGE_SHA,
        GITHUB_REF: "refs/pull/42/merge",
        GITHUB_HEAD_REF: "feature-x",
        GITHUB_API_URL: github.url,
      }),
      inputs: {
        token: WORKFLOW_TOKEN,
        "event-type": "fixfleet",
        command: "npm test -w packages/api",
        paths: "packages/api\npackages/shared",
        job: "test (packages/api)",
      },
    });
    expect(run.code).toBe(0);
    expect(github.requests).toHaveLength(1);
    const [request] = github.requests;
    expect(request?.url).toBe("/repos/acme/shop/dispatches");
    expect(request?.headers.accept).toBe("application/vnd.github+json");
    expect(request?.headers["x-github-api-version"]).toBe("2022-11-28");
    const body = JSON.parse(request?.body ?? "{}");
    expect(body).toEqual({
      event_type: "fixfleet",
      client_payload: {
        v: 1,
        run_id: 9876543210,
        run_attempt: 1,
        sha: HEAD_SHA,
        ref: "refs/heads/feature-x",
        pr: 42,
        job: "test (packages/api)",
        command: "npm test -w packages/api",
        paths: ["packages/api", "packages/shared"],
      },
    });
    // What ingest will accept as a dispatch's client_payload (CONTRACT.md §4).
    expect(failureReportSchema.safeParse(body.client_payload).success).toBe(true);
    expect(run.outputs.sent).toBe("true");
    expect(run.stdout).toContain('"sha": "aaaaaaaa');
    expect(run.stdout).toContain("/repos/acme/shop/dispatches");
    expect(run.summary).toContain("fixfleet received this failure");
    expectNoSecretPrinted(run.stdout + run.stderr);
  });

  it("for a push run: POST /v1/failures with the job's OIDC token, the pushed commit and ref", async () => {
    const run = await runAction({
      event: { ref: "refs/heads/main", after: PUSH_SHA, repository: { full_name: "acme/shop" } },
      env: runnerEnv({
        GITHUB_EVENT_NAME: "push",
        GITHUB_SHA: PUSH_SHA,
        GITHUB_REF: "refs/heads/main",
        GITHUB_RUN_ATTEMPT: "3",
        ...oidcEnv(),
      }),
      inputs: { endpoint: `${ingest.url}/fleet`, audience: "fixfleet", command: "npm test" },
    });
    expect(run.code).toBe(0);
    expect(tokens.server.requests).toHaveLength(1);
    expect(new URL(tokens.server.requests[0]?.url ?? "", "http://x").searchParams.get("audience")).toBe("fixfleet");
    expect(ingest.requests).toHaveLength(1);
    expect(JSON.parse(ingest.requests[0]?.body ?? "{}")).toEqual({
      v: 1,
      run_id: 9876543210,
      run_attempt: 3,
      sha: PUSH_SHA,
      ref: "refs/heads/main",
      job: "test",
      command: "npm test",
      repository: "acme/shop",
    });
    expect(run.outputs.sent).toBe("true");
    expect(run.stdout).toContain("accepted with 202");
    expectNoSecretPrinted(run.stdout + run.stderr);
  });

  it("for a workflow_run run: reports the run that triggered it, with its PR", async () => {
    const run = await runAction({
      event: {
        action: "completed",
        workflow_run: {
          id: 555,
          run_attempt: 2,
          head_sha: HEAD_SHA,
          head_branch: "feature-y",
          conclusion: "failure",
          pull_requests: [{ number: 7, head: { sha: HEAD_SHA } }],
        },
      },
      env: runnerEnv({
        GITHUB_EVENT_NAME: "workflow_run",
        GITHUB_SHA: "e".repeat(40),
        GITHUB_REF: "refs/heads/main",
        GITHUB_RUN_ID: "111",
        GITHUB_JOB: "report",
        ...oidcEnv(),
      }),
      inputs: { endpoint: `${ingest.url}/fleet/` },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(ingest.requests[0]?.body ?? "{}")).toEqual({
      v: 1,
      run_id: 555,
      run_attempt: 2,
      sha: HEAD_SHA,
      ref: "refs/heads/feature-y",
      pr: 7,
      repository: "acme/shop",
    });
    expect(run.outputs.sent).toBe("true");
  });
});

describe("the CI action when fixfleet is down", () => {
  it("passes the step when the endpoint answers 500, after its retries, and says so", async () => {
    ingestMode = "error500";
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA, ...oidcEnv() }),
      inputs: { endpoint: `${ingest.url}/fleet`, retries: "2" },
    });
    expect(run.code).toBe(0);
    expect(ingest.requests).toHaveLength(3);
    expect(run.outputs.sent).toBe("false");
    expect(run.stdout).toMatch(/::warning title=fixfleet::the failure was not reported: .* answered 500/);
    expectNoSecretPrinted(run.stdout + run.stderr);
  });

  it("passes the step when the endpoint does not answer, within its time limit", async () => {
    ingestMode = "hang";
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA, ...oidcEnv() }),
      inputs: { endpoint: `${ingest.url}/fleet`, "timeout-seconds": "1", retries: "1" },
    });
    expect(run.code).toBe(0);
    expect(ingest.requests).toHaveLength(2);
    expect(run.durationMs).toBeLessThan(10_000);
    expect(run.outputs.sent).toBe("false");
    expect(run.stdout).toContain("did not answer within 1 s");
  });

  it("passes the step when nothing listens at the endpoint", async () => {
    const closed = await startRecordingServer(() => undefined);
    await closed.stop();
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA, ...oidcEnv() }),
      inputs: { endpoint: closed.url, retries: "0" },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });

  it("retries a 503 (nothing was stored) and then delivers once", async () => {
    ingestMode = "unavailable-once";
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA, ...oidcEnv() }),
      inputs: { endpoint: `${ingest.url}/fleet` },
    });
    expect(run.code).toBe(0);
    expect(ingest.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(run.outputs.sent).toBe("true");
  });

  it("passes the step and names the missing permission when the job has no OIDC token", async () => {
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA }),
      inputs: { endpoint: `${ingest.url}/fleet` },
    });
    expect(run.code).toBe(0);
    expect(ingest.requests).toHaveLength(0);
    expect(run.stdout).toContain("id-token: write");
  });

  it("passes the step and explains a refused dispatch token", async () => {
    const run = await runAction({
      event: pullRequestEvent,
      env: runnerEnv({ GITHUB_EVENT_NAME: "pull_request", GITHUB_SHA: MERGE_SHA, GITHUB_API_URL: github.url }),
      inputs: { token: "ghs_someOtherToken", retries: "0" },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/repository_dispatch answered 401: Bad credentials/);
    expect(run.stdout).not.toContain("ghs_someOtherToken");
  });
});
